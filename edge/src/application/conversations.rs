//! `/conversations/{display_id}`: agents answering visitors. So far what the Client API and
//! real time need: replies and notes, status changes, typing.

use nimchat_shared::enums::{ConversationStatus, MessageType, SenderType, TypingStatus};
use serde_json::json;
use worker::Response;

use crate::conversation_flow;
use crate::domain::conversation_rules::status_after_visitor_message;
use crate::domain::message_rules;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use crate::realtime::Broadcaster;
use crate::router::App;
use crate::store::{ConversationRecord, Membership, NewMessage, StatusChange};

/// Content types an agent may send; the others are the visitor's answers.
const AGENT_CONTENT_TYPES: [&str; 6] = ["text", "input_select", "form", "cards", "input_email", "article"];

/// The conversation if the caller works its inbox (administrators work every inbox).
async fn workable(app: &App, member: &Membership, display_id: i64) -> ApiResult<ConversationRecord> {
    let store = &app.store;
    let conversation = store
        .conversation_by_display_id(member.account_id, display_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if member.is_administrator() || store.is_inbox_member(conversation.inbox_id, member.user_id).await? {
        Ok(conversation)
    } else {
        Err(ApiError::NotFound)
    }
}

/// `{content, message_type?, private?, content_type?, content_attributes?, echo_id?}`.
pub async fn create_message(
    app: &App,
    member: &Membership,
    request: &ApiRequest,
    display_id: i64,
) -> ApiResult<Response> {
    let conversation = workable(app, member, display_id).await?;
    let body = request.body_object()?;
    let fields = Fields::new(&body);
    let content = message_rules::content(body.get("content"))?;
    let message_type = fields
        .choice("message_type", MessageType::parse_agent_input)?
        .unwrap_or(MessageType::Outgoing);
    let private = fields.bool("private")?.unwrap_or(false);
    let content_type = fields
        .choice("content_type", |text| {
            AGENT_CONTENT_TYPES.iter().find(|known| **known == text).copied()
        })?
        .unwrap_or("text");
    let content_attributes = fields.object("content_attributes")?.cloned().unwrap_or_default();
    let echo_id = fields.text("echo_id", 255)?;

    // An incoming message is the visitor speaking through the agent's integration.
    let store = &app.store;
    let (sender, new_status) = match message_type {
        MessageType::Incoming => {
            let inbox = store
                .inbox(member.account_id, conversation.inbox_id)
                .await?
                .ok_or(ApiError::NotFound)?;
            let status = status_after_visitor_message(conversation.status()?, inbox.agent_bot_id.is_some());
            ((SenderType::Contact, conversation.contact_id), status)
        }
        _ => ((SenderType::User, member.user_id), None),
    };
    let new = NewMessage {
        message_type,
        content_type,
        content: Some(&content),
        content_attributes: &content_attributes,
        private,
        sender: Some(sender),
    };
    let broadcaster = Broadcaster::new(&app.env, store);
    json(&conversation_flow::add_message(store, &broadcaster, &conversation, &new, new_status, echo_id).await?)
}

/// `{status?, snoozed_until?}`; without a status, toggles between open and resolved.
pub async fn toggle_status(
    app: &App,
    member: &Membership,
    request: &ApiRequest,
    display_id: i64,
) -> ApiResult<Response> {
    let conversation = workable(app, member, display_id).await?;
    let body = request.body_object()?;
    let fields = Fields::new(&body);
    let current = conversation.status()?;
    let status = fields
        .choice("status", ConversationStatus::parse)?
        .unwrap_or(match current {
            ConversationStatus::Open => ConversationStatus::Resolved,
            _ => ConversationStatus::Open,
        });
    let snoozed_until = fields
        .id("snoozed_until")?
        .filter(|_| status == ConversationStatus::Snoozed);
    if status != current {
        let store = &app.store;
        let agent = store
            .agent(member.account_id, member.user_id)
            .await?
            .ok_or(ApiError::NotFound)?;
        let name = agent.person.available_name;
        let activity = match status {
            ConversationStatus::Resolved => format!("Conversation was marked resolved by {name}"),
            ConversationStatus::Open => format!("Conversation was reopened by {name}"),
            ConversationStatus::Pending => format!("Conversation was marked as pending by {name}"),
            ConversationStatus::Snoozed => format!("Conversation was snoozed by {name}"),
        };
        let inbox = store
            .inbox(member.account_id, conversation.inbox_id)
            .await?
            .ok_or(ApiError::NotFound)?;
        let change = StatusChange {
            status,
            snoozed_until,
            activity: Some(activity),
            send_survey: status == ConversationStatus::Resolved && inbox.csat_survey_enabled,
        };
        let broadcaster = Broadcaster::new(&app.env, store);
        conversation_flow::change_status(store, &broadcaster, &conversation, &change).await?;
    }
    json(&json!({"meta": {}, "payload": {
        "success": true, "current_status": status, "conversation_id": conversation.display_id
    }}))
}

/// `{typing_status: "on" | "off", is_private?}`; private typing (on a note) stays agent-side.
pub async fn toggle_typing(
    app: &App,
    member: &Membership,
    request: &ApiRequest,
    display_id: i64,
) -> ApiResult<Response> {
    let conversation = workable(app, member, display_id).await?;
    let body = request.body_object()?;
    let fields = Fields::new(&body);
    let status = fields
        .choice("typing_status", TypingStatus::parse)?
        .ok_or_else(|| ApiError::invalid("typing_status", "Typing status must be on or off"))?;
    let private = fields.bool("is_private")?.unwrap_or(false);
    let agent = app
        .store
        .agent(member.account_id, member.user_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let typist = json!({"type": "user", "id": agent.person.id, "name": agent.person.available_name,
                        "avatar_url": agent.person.avatar_url});
    Broadcaster::new(&app.env, &app.store)
        .typing(&conversation, status == TypingStatus::On, typist, private)
        .await?;
    Ok(Response::empty()?)
}
