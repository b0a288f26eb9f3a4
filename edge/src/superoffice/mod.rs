//! SuperOffice's chat session routes `/api/v1/ChatSession/...` and `/api/v1/Agents/Chat/...`
//! (contract 5.4): an agent hands a chat to another, who accepts or rejects it. Any credential
//! dialect names the user (SuperOffice sends `Authorization: Bearer`); a user of several
//! accounts names one with `X-Account-Id`. Answers are JSON only.

mod transfer;

use worker::{Method, Response};

use crate::auth::{principal, Principal};
use crate::domain::chat_session::TransferStep;
use crate::error::{ApiError, ApiResult};
use crate::http::{accepts_json, ApiRequest};
use crate::router::{only_one, path_id, App};
use crate::store::ChatSessionRecord;

/// `path` is what follows `/api/v1`.
pub async fn route(app: &App, request: &ApiRequest, path: &[&str]) -> ApiResult<Response> {
    if !request.header("accept").as_deref().is_none_or(accepts_json) {
        return Err(ApiError::NotAcceptable);
    }
    let user_id = match principal(request, &app.directory).await? {
        Principal::User(user_id) => user_id,
        Principal::AgentBot(_) => return Err(ApiError::Forbidden),
    };
    let named = match path {
        ["ChatSession", id, ..] => Some(id.to_string()),
        _ => request.query("chatSessionId"),
    };
    let shard = match named {
        Some(id) => session_shard(app, request, user_id, &id).await?,
        None => None,
    };
    let caller = Caller {
        app: shard.as_ref().unwrap_or(app),
        request,
        user_id,
    };
    match (&request.method, path) {
        (Method::Get, ["ChatSession", id]) => transfer::show(&caller, id).await,
        (Method::Post, ["ChatSession", id, "TransferTo", target]) => transfer::request(&caller, id, target).await,
        (Method::Post, ["ChatSession", id, "RejectTransfer"]) => transfer::cancel(&caller, id).await,
        (Method::Post, ["Agents", "Chat", "AcceptChatSessionTransfer"]) => {
            transfer::answer(&caller, TransferStep::Accepted).await
        }
        (Method::Post, ["Agents", "Chat", "RejectChatSessionTransfer"]) => {
            transfer::answer(&caller, TransferStep::Rejected).await
        }
        _ => Err(ApiError::NotFound),
    }
}

/// The shard holding the chat session `id` names among those the user works; `None` when `id`
/// is no session id (the handler says why).
async fn session_shard(app: &App, request: &ApiRequest, user_id: i64, id: &str) -> ApiResult<Option<App>> {
    let Ok(display_id) = path_id(id.trim()) else {
        return Ok(None);
    };
    let account_id = request.account_header()?;
    let mut found = Vec::new();
    for shard in app.every_shard()? {
        if !shard
            .store
            .worked_sessions(user_id, display_id, account_id)
            .await?
            .is_empty()
        {
            found.push(shard);
        }
    }
    only_one(found).map(Some)
}

/// The user calling, with what every handler needs: `app` is the shard of the session named.
pub struct Caller<'a> {
    app: &'a App,
    request: &'a ApiRequest,
    user_id: i64,
}

impl Caller<'_> {
    /// The chat session `id` names among those the caller works: 404 for one they may not see
    /// (another inbox's, another account's), as for one that does not exist.
    async fn session(&self, id: &str) -> ApiResult<ChatSessionRecord> {
        let display_id = path_id(id.trim())?;
        let account_id = self.request.account_header()?;
        only_one(
            self.app
                .store
                .worked_sessions(self.user_id, display_id, account_id)
                .await?,
        )
    }
}
