//! Client API `/public/api/v1` (contract §3): what the widget and any chat front end use.
//! The visitor's credential is the inbox identifier plus the contact's `source_id`.

mod contacts;
mod conversations;
mod csat_survey;
mod events;
mod inbox;
mod limits;
mod messages;

use nimchat_shared::wire::Inbox;
use worker::{Method, Response};

use crate::domain::origins::origin_allowed;
use crate::error::{ApiError, ApiResult};
use crate::http::ApiRequest;
use crate::realtime::Broadcaster;
use crate::router::{path_id, App};
use crate::store::{ConversationRecord, KeyKind, Session, Store};
use crate::webhooks::Outbox;

pub(crate) use contacts::changes as contact_changes;
pub use limits::Guard;
pub use messages::message_page;

/// Everything a Client API handler needs for one request to one inbox.
pub struct Visitor<'a> {
    pub app: &'a App,
    pub request: &'a ApiRequest,
    pub inbox: Inbox,
}

impl Visitor<'_> {
    pub fn store(&self) -> &Store {
        &self.app.store
    }

    pub fn broadcaster(&self) -> Broadcaster<'_> {
        Broadcaster::new(&self.app.env, &self.app.store)
    }

    pub fn outbox(&self) -> Outbox<'_> {
        Outbox::new(&self.app.env, &self.app.store)
    }

    /// The session named by `source_id` in this inbox.
    pub async fn session(&self, source_id: &str) -> ApiResult<Session> {
        self.store()
            .session(self.inbox.id, source_id)
            .await?
            .ok_or(ApiError::NotFound)
    }

    /// The conversation if the session may see it.
    pub async fn conversation(&self, session: &Session, display_id: &str) -> ApiResult<ConversationRecord> {
        let display_id = path_id(display_id)?;
        self.store()
            .visible_conversation(session, display_id)
            .await?
            .ok_or(ApiError::NotFound)
    }

    /// Counts this request against a limit; 429 once it is exceeded.
    pub async fn guard(&self, guard: Guard) -> ApiResult<()> {
        limits::enforce(self, guard).await
    }
}

/// `path` is what follows `/public/api/v1`.
pub async fn route(app: &App, request: &ApiRequest, path: &[&str]) -> ApiResult<Response> {
    match (&request.method, path) {
        (Method::Get, ["csat_survey", uuid]) => {
            csat_survey::show(&app.for_key(KeyKind::Conversation, uuid).await?.store, uuid).await
        }
        (Method::Patch | Method::Put, ["csat_survey", uuid]) => {
            csat_survey::update(&app.for_key(KeyKind::Conversation, uuid).await?, request, uuid).await
        }
        (_, ["inboxes", identifier, rest @ ..]) => {
            let app = &app.for_key(KeyKind::Inbox, identifier).await?;
            let inbox = embedded_inbox(app, request, identifier).await?;
            let visitor = Visitor { app, request, inbox };
            inbox_route(&visitor, rest).await
        }
        _ => Err(ApiError::NotFound),
    }
}

/// A CORS preflight: an inbox's routes are open only to the origins its `allowed_domains`
/// lists (any origin when it lists none); an error answer carries no CORS grant.
pub async fn preflight(app: &App, request: &ApiRequest, path: &[&str]) -> ApiResult<Response> {
    if let ["inboxes", identifier, ..] = path {
        embedded_inbox(&app.for_key(KeyKind::Inbox, identifier).await?, request, identifier).await?;
    }
    Ok(Response::empty()?.with_status(204))
}

/// The inbox named by its identifier, if the calling page's origin may embed it.
async fn embedded_inbox(app: &App, request: &ApiRequest, identifier: &str) -> ApiResult<Inbox> {
    let inbox = app
        .store
        .inbox_by_identifier(identifier)
        .await?
        .ok_or(ApiError::NotFound)?;
    match request.header("origin") {
        Some(origin) if !origin_allowed(&origin, &inbox.allowed_domains) => Err(ApiError::Forbidden),
        _ => Ok(inbox),
    }
}

async fn inbox_route(visitor: &Visitor<'_>, path: &[&str]) -> ApiResult<Response> {
    use Method::{Get, Patch, Post, Put};
    match (&visitor.request.method, path) {
        (Get, []) => inbox::show(visitor).await,
        (Post, ["contacts"]) => contacts::create(visitor).await,
        (Get, ["contacts", source_id]) => contacts::show(visitor, source_id).await,
        (Patch | Put, ["contacts", source_id]) => contacts::update(visitor, source_id).await,
        (Get, ["contacts", source_id, "conversations"]) => conversations::list(visitor, source_id).await,
        (Get, ["contacts", source_id, "unread"]) => conversations::unread(visitor, source_id).await,
        (Post, ["contacts", source_id, "events"]) => events::create(visitor, source_id).await,
        (Post, ["contacts", source_id, "conversations"]) => conversations::create(visitor, source_id).await,
        (_, ["contacts", source_id, "conversations", id, rest @ ..]) => {
            let session = visitor.session(source_id).await?;
            let conversation = visitor.conversation(&session, id).await?;
            let this = conversations::Target { session, conversation };
            match (&visitor.request.method, rest) {
                (Get, []) => conversations::show(visitor, &this).await,
                (Post, ["toggle_status"]) => conversations::resolve(visitor, &this).await,
                (Post, ["toggle_typing"]) => conversations::toggle_typing(visitor, &this).await,
                (Post, ["update_last_seen"]) => conversations::update_last_seen(visitor, &this).await,
                (Get, ["messages"]) => messages::list(visitor, &this).await,
                (Post, ["messages"]) => messages::create(visitor, &this).await,
                (Patch | Put, ["messages", message_id]) => messages::update(visitor, &this, path_id(message_id)?).await,
                _ => Err(ApiError::NotFound),
            }
        }
        _ => Err(ApiError::NotFound),
    }
}
