//! `/conversations/{display_id}/messages`: reading, writing and deleting messages.

use std::borrow::Cow;

use nimchat_shared::enums::{MessageType, SenderType};
use serde_json::json;
use worker::Response;

use super::conversations::workable;
use crate::attachments;
use crate::auth::Principal;
use crate::conversation_flow;
use crate::domain::conversation_rules::status_after_visitor_message;
use crate::domain::message_rules;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use crate::realtime::Broadcaster;
use crate::router::App;
use crate::store::{ConversationRecord, FilesOf, Membership, NewMessage, Viewer};

/// Content types an agent may send; the others are the visitor's answers.
const AGENT_CONTENT_TYPES: [&str; 6] = ["text", "input_select", "form", "cards", "input_email", "article"];

/// `{content, message_type?, private?, content_type?, content_attributes?, echo_id?}`, and
/// files as `attachments[]` of a multipart body.
pub async fn create(app: &App, member: &Membership, request: &ApiRequest, display_id: i64) -> ApiResult<Response> {
    let conversation = workable(app, member, display_id).await?;
    post(app, request, &conversation, Principal::User(member.user_id)).await
}

/// Writes the message the request describes into a conversation the author may work.
pub(super) async fn post(
    app: &App,
    request: &ApiRequest,
    conversation: &ConversationRecord,
    author: Principal,
) -> ApiResult<Response> {
    let body = request.body_object()?;
    let fields = Fields::new(&body);
    let files = attachments::check(&app.env, request).await?;
    let content = message_rules::content_beside_files(body.get("content"), !files.is_empty())?;
    let message_type = fields
        .choice("message_type", MessageType::parse_agent_input)?
        .unwrap_or(MessageType::Outgoing);
    if message_type == MessageType::Incoming && matches!(author, Principal::AgentBot(_)) {
        return Err(ApiError::invalid(
            "message_type",
            "A bot's messages are outgoing or private notes",
        ));
    }
    let private = fields.bool("private")?.unwrap_or(false);
    let content_type = fields
        .choice("content_type", |text| {
            AGENT_CONTENT_TYPES.iter().find(|known| **known == text).copied()
        })?
        .unwrap_or("text");
    let content_attributes = fields
        .object("content_attributes")?
        .map(Cow::into_owned)
        .unwrap_or_default();
    let echo_id = fields.text("echo_id", 255)?;

    // An incoming message is the visitor speaking through the agent's integration.
    let store = &app.store;
    let (sender, new_status) = match message_type {
        MessageType::Incoming => {
            let inbox = store
                .inbox(conversation.account_id, conversation.inbox_id)
                .await?
                .ok_or(ApiError::NotFound)?;
            let status =
                status_after_visitor_message(conversation.status()?, inbox.agent_bot_id.is_some(), conversation.muted);
            ((SenderType::Contact, conversation.contact_id), status)
        }
        _ => (author.sender(), None),
    };
    let broadcaster = Broadcaster::new(&app.env, store);
    let message = attachments::stored_with(&app.env, conversation.account_id, &files, |stored| async move {
        let new = NewMessage {
            message_type,
            content_type,
            content: content.as_deref(),
            content_attributes: &content_attributes,
            private,
            sender: Some(sender),
            attachments: &stored,
        };
        conversation_flow::add_message(store, &broadcaster, conversation, &new, new_status, echo_id).await
    })
    .await?;
    json(&message)
}

/// `GET /conversations/{display_id}/messages`: a page (`?before=`, `?after=`) of every kind.
pub async fn list(app: &App, member: &Membership, request: &ApiRequest, display_id: i64) -> ApiResult<Response> {
    let conversation = workable(app, member, display_id).await?;
    list_in(app, request, &conversation).await
}

pub(super) async fn list_in(app: &App, request: &ApiRequest, conversation: &ConversationRecord) -> ApiResult<Response> {
    let page = crate::client::message_page(request)?;
    let payload = app.store.messages_page(conversation.id, page, Viewer::Agent).await?;
    let wire = conversation.to_wire(Vec::new())?;
    json(&json!({"meta": {"contact": wire.contact, "assignee": wire.assignee,
                          "agent_last_seen_at": wire.agent_last_seen_at}, "payload": payload}))
}

/// `DELETE .../messages/{id}`: the message stays in place, its content replaced and
/// `content_attributes.deleted` set, its files deleted; everyone who could see it is told.
pub async fn delete(app: &App, member: &Membership, display_id: i64, message_id: i64) -> ApiResult<Response> {
    let conversation = workable(app, member, display_id).await?;
    let store = &app.store;
    let message = store
        .message_in(conversation.id, message_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if message.message_type == MessageType::Activity {
        return Err(ApiError::invalid("message_type", "Activity messages cannot be deleted"));
    }
    let files = FilesOf::Message {
        conversation_id: conversation.id,
        message_id,
    };
    let deleted = attachments::deleting(app, files, store.delete_message_content(conversation.id, message_id)).await?;
    Broadcaster::new(&app.env, store)
        .message_updated(&conversation, &deleted)
        .await?;
    json(&deleted)
}
