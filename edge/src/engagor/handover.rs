//! `GET | POST | DELETE /{account_id}/inbox/handover/{service}/{service_id}` (contract 5.1):
//! who answers a contact in an inbox, the connected bot or the human team. POST hands the
//! contact to the team, DELETE back to the bot; both are idempotent.

use worker::{Method, Response};

use crate::auth::{member, principal, Principal};
use crate::conversation_flow;
use crate::domain::handover::Owner;
use crate::domain::services::channel_of_service;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::realtime::Broadcaster;
use crate::router::App;

pub async fn route(
    app: &App,
    request: &ApiRequest,
    account_id: i64,
    service: &str,
    service_id: &str,
) -> ApiResult<Response> {
    let caller = principal(request, &app.directory).await?;
    let app = &app.for_account(account_id).await?;
    let store = &app.store;
    let channel = channel_of_service(service).ok_or(ApiError::NotFound)?;
    let found = store.handover(account_id, channel, service_id).await?;
    // Users of the account, and the bot connected to the contact's inbox; nobody else learns
    // whether the contact exists.
    let by = match caller {
        Principal::User(_) => Principal::User(member(request, &app.directory, account_id).await?.0.user_id),
        Principal::AgentBot(bot) => match &found {
            Some(record) if record.inbox_agent_bot_id == Some(bot) => caller,
            _ => return Err(ApiError::NotFound),
        },
    };
    let record = found.ok_or(ApiError::NotFound)?;
    let owner = match request.method {
        Method::Get => return json(&record.to_wire()),
        Method::Post => Owner::Nimchat,
        Method::Delete => Owner::External,
        _ => return Err(ApiError::NotFound),
    };
    if record.owner() == owner {
        return json(&record.to_wire());
    }
    let broadcaster = Broadcaster::new(&app.env, store);
    let changed = conversation_flow::hand_over(store, &broadcaster, &record, owner, Some(by)).await?;
    json(&changed.to_wire())
}
