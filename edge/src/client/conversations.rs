//! `/inboxes/{i}/contacts/{c}/conversations`: a visitor's conversations.

use nimchat_shared::enums::{AttributeModel, ConversationStatus, TypingStatus};
use nimchat_shared::wire::{Conversation, Message};
use serde_json::json;
use worker::Response;

use super::{Guard, Visitor};
use crate::conversation_flow;
use crate::domain::conversation_rules::initial_status;
use crate::domain::custom_attributes;
use crate::domain::queue;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use crate::store::{ConversationRecord, MessagePage, NewConversation, Reader, Session, StatusChange, Store, Viewer};

/// A conversation the session may see, with the session.
pub struct Target {
    pub session: Session,
    pub conversation: ConversationRecord,
}

/// The conversation object with the latest messages the visitor may see.
pub async fn render(store: &Store, conversation: &ConversationRecord) -> ApiResult<Conversation> {
    let messages = store
        .messages_page(conversation.id, MessagePage::Latest, Viewer::Contact)
        .await?;
    with_queue_position(store, conversation, messages).await
}

/// The visitor's view of a conversation: while it waits for an agent, with its place.
async fn with_queue_position(
    store: &Store,
    conversation: &ConversationRecord,
    messages: Vec<Message>,
) -> ApiResult<Conversation> {
    let mut wire = conversation.to_wire(messages)?;
    if conversation.is_waiting()? {
        let waiting = store.waiting_conversations(conversation.inbox_id).await?;
        wire.queue_position = queue::position(&waiting, conversation.id);
    }
    Ok(wire)
}

pub async fn list(visitor: &Visitor<'_>, source_id: &str) -> ApiResult<Response> {
    let session = visitor.session(source_id).await?;
    let mut conversations = Vec::new();
    for conversation in visitor.store().visible_conversations(&session).await? {
        conversations.push(render(visitor.store(), &conversation).await?);
    }
    json(&conversations)
}

/// `GET /contacts/{c}/unread`: the replies of the visitor's latest conversation they have
/// not seen, for the loader's badge and preview.
pub async fn unread(visitor: &Visitor<'_>, source_id: &str) -> ApiResult<Response> {
    let session = visitor.session(source_id).await?;
    let latest = visitor.store().visible_conversations(&session).await?.pop();
    let conversation = match latest {
        Some(latest) => Some(render(visitor.store(), &latest).await?),
        None => None,
    };
    let unseen: Vec<&Message> = conversation.iter().flat_map(Conversation::unseen_replies).collect();
    json(&json!({"unread_count": unseen.len(), "last_message": unseen.last()}))
}

/// `POST {custom_attributes?}`; with `lock_to_single_conversation`, the last conversation.
pub async fn create(visitor: &Visitor<'_>, source_id: &str) -> ApiResult<Response> {
    let session = visitor.session(source_id).await?;
    let body = visitor.request.body_object()?;
    let custom_attributes = Fields::new(&body)
        .object("custom_attributes")?
        .map(|attributes| attributes.into_owned())
        .unwrap_or_default();
    let store = visitor.store();
    if visitor.inbox.lock_to_single_conversation {
        if let Some(last) = store.visible_conversations(&session).await?.pop() {
            return json(&render(store, &last).await?);
        }
    }
    let rules = store
        .attribute_rules(session.account_id, AttributeModel::Conversation)
        .await?;
    custom_attributes::check(&rules, &custom_attributes)?;
    visitor.guard(Guard::NewConversation).await?;
    let new = NewConversation {
        status: Some(initial_status(session.bot_owns(visitor.inbox.agent_bot_id.is_some()))),
        custom_attributes,
        ..NewConversation::default()
    };
    let conversation =
        conversation_flow::open_conversation(store, &visitor.broadcaster(), &visitor.inbox, &session, &new).await?;
    json(&with_queue_position(store, &conversation, Vec::new()).await?)
}

pub async fn show(visitor: &Visitor<'_>, this: &Target) -> ApiResult<Response> {
    json(&render(visitor.store(), &this.conversation).await?)
}

/// A visitor can only resolve; resolving twice changes nothing the second time.
pub async fn resolve(visitor: &Visitor<'_>, this: &Target) -> ApiResult<Response> {
    let store = visitor.store();
    if this.conversation.status()? == ConversationStatus::Resolved {
        return json(&render(store, &this.conversation).await?);
    }
    let change = StatusChange {
        status: ConversationStatus::Resolved,
        snoozed_until: None,
        activity: Some(format!("Conversation was resolved by {}", this.session.name)),
        send_survey: visitor.inbox.csat_survey_enabled,
        mute: false,
    };
    let resolved = conversation_flow::change_status(store, &visitor.broadcaster(), &this.conversation, &change).await?;
    json(&render(store, &resolved).await?)
}

/// `{typing_status: "on" | "off"}`; agents learn of it over the socket.
pub async fn toggle_typing(visitor: &Visitor<'_>, this: &Target) -> ApiResult<Response> {
    let on = typing_status(visitor.request)? == TypingStatus::On;
    let typist = json!({"type": "contact", "id": this.session.contact_id, "name": this.session.name});
    visitor
        .broadcaster()
        .typing(&this.conversation, on, typist, false)
        .await?;
    Ok(Response::empty()?)
}

fn typing_status(request: &ApiRequest) -> ApiResult<TypingStatus> {
    let body = request.body_object()?;
    Fields::new(&body)
        .choice("typing_status", TypingStatus::parse)?
        .ok_or_else(|| ApiError::invalid("typing_status", "Typing status must be on or off"))
}

pub async fn update_last_seen(visitor: &Visitor<'_>, this: &Target) -> ApiResult<Response> {
    visitor.store().mark_seen(&this.conversation, Reader::Contact).await?;
    visitor
        .broadcaster()
        .conversation_read(&this.conversation, Reader::Contact)
        .await?;
    Ok(Response::empty()?)
}
