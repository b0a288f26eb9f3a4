//! `.../conversations/{id}/messages`: what the visitor reads, writes and answers.

use nimchat_shared::enums::{MessageType, SenderType};
use nimchat_shared::wire::Message;
use serde_json::Value;
use worker::Response;

use super::conversations::Target;
use super::{Guard, Visitor};
use crate::attachments;
use crate::clock;
use crate::conversation_flow;
use crate::domain::conversation_rules::status_after_visitor_message;
use crate::domain::{csat, message_rules};
use crate::error::{ApiError, ApiResult};
use crate::http::json;
use crate::input::Fields;
use crate::realtime::Broadcaster;
use crate::store::{ConversationRecord, MessagePage, NewMessage, Store, Viewer};

/// `?before=` or `?after=` a message id; otherwise the latest.
pub async fn list(visitor: &Visitor<'_>, this: &Target) -> ApiResult<Response> {
    let page = message_page(visitor.request)?;
    json(
        &visitor
            .store()
            .messages_page(this.conversation.id, page, Viewer::Contact)
            .await?,
    )
}

/// The page a message list asks for, from `?before=` or `?after=`.
pub fn message_page(request: &crate::http::ApiRequest) -> ApiResult<MessagePage> {
    MessagePage::from_query(request.query_int("before")?, request.query_int("after")?)
        .map_err(|key| ApiError::invalid(key, format!("{key} must be a message id")))
}

/// `{content, echo_id?}` and files as `attachments[]` of a multipart body: an incoming
/// message, which wakes a closed conversation.
pub async fn create(visitor: &Visitor<'_>, this: &Target) -> ApiResult<Response> {
    let body = visitor.request.body_object()?;
    let files = attachments::check(&visitor.app.env, visitor.request).await?;
    let content = message_rules::content_beside_files(body.get("content"), !files.is_empty())?;
    let echo_id = Fields::new(&body).text("echo_id", 255)?;
    visitor
        .guard(Guard::Message {
            conversation_id: this.conversation.id,
        })
        .await?;
    let bot_owns = this.session.bot_owns(visitor.inbox.agent_bot_id.is_some());
    let new_status = status_after_visitor_message(this.conversation.status()?, bot_owns, this.conversation.muted);
    let broadcaster = visitor.broadcaster();
    let conversation = &this.conversation;
    let message = attachments::stored_with(&visitor.app.env, conversation.account_id, &files, |stored| async move {
        let new = NewMessage {
            message_type: MessageType::Incoming,
            content_type: "text",
            content: content.as_deref(),
            content_attributes: &Default::default(),
            private: false,
            sender: Some((SenderType::Contact, this.session.contact_id)),
            attachments: &stored,
        };
        conversation_flow::add_message(visitor.store(), &broadcaster, conversation, &new, new_status, echo_id).await
    })
    .await?;
    json(&message)
}

/// `{submitted_values}`: the visitor's answer to a CSAT survey, form or options.
pub async fn update(visitor: &Visitor<'_>, this: &Target, message_id: i64) -> ApiResult<Response> {
    let store = visitor.store();
    let message = store.message_in(this.conversation.id, message_id).await?;
    let message = message
        .filter(|message| !message.private && message.message_type != MessageType::Activity)
        .ok_or(ApiError::NotFound)?;
    let body = visitor.request.body_object()?;
    let broadcaster = visitor.broadcaster();
    json(
        &submit(
            store,
            &broadcaster,
            &this.conversation,
            message,
            body.get("submitted_values"),
        )
        .await?,
    )
}

/// Stores `submitted_values` on a message that asks for them (the CSAT window applies), and
/// announces the updated message.
pub async fn submit(
    store: &Store,
    broadcaster: &Broadcaster<'_>,
    conversation: &ConversationRecord,
    message: Message,
    values: Option<&Value>,
) -> ApiResult<Message> {
    const ANSWERABLE: [&str; 5] = ["input_csat", "input_select", "form", "cards", "input_email"];
    if !ANSWERABLE.contains(&message.content_type.as_str()) {
        return Err(ApiError::invalid(
            "submitted_values",
            "This message does not take submitted values",
        ));
    }
    let values = message_rules::submitted_values(&message.content_type, values)?;
    if message.content_type == "input_csat" {
        csat::check_window(message.created_at, clock::now())?;
    }
    let attributes = message_rules::with_submitted_values(message.content_attributes, values);
    let updated = store
        .set_content_attributes(conversation.id, message.id, &attributes)
        .await?;
    broadcaster.message_updated(conversation, &updated).await?;
    Ok(updated)
}
