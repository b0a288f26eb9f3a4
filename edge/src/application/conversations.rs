//! `/conversations/{display_id}`: agents answering visitors. So far what the Client API and
//! real time need: replies and notes, status changes, typing.

use nimchat_shared::enums::{AssigneeType, ConversationStatus, MessageType, SenderType, TypingStatus};
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
use crate::store::{ConversationFilter, ConversationRecord, Membership, NewMessage, StatusChange, Viewer};

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

/// `?status=` (default open), `?assignee_type=` (default all), `?inbox_id=`: what to list.
fn filter(member: &Membership, request: &ApiRequest) -> ApiResult<ConversationFilter> {
    let status = match request.query("status").filter(|text| !text.is_empty()) {
        None => ConversationStatus::Open,
        Some(text) => ConversationStatus::parse(&text)
            .ok_or_else(|| ApiError::invalid("status", "Status must be open, resolved, pending or snoozed"))?,
    };
    let assignee = match request.query("assignee_type").filter(|text| !text.is_empty()) {
        None => AssigneeType::All,
        Some(text) => AssigneeType::parse(&text).ok_or_else(|| {
            ApiError::invalid("assignee_type", "Assignee type must be me, unassigned, assigned or all")
        })?,
    };
    Ok(ConversationFilter {
        status,
        assignee,
        inbox_id: request.query_int("inbox_id")?,
        viewer: member.user_id,
        viewer_is_administrator: member.is_administrator(),
    })
}

/// `GET /conversations`: 25 a page (`?page=`, from 1; below 1 reads as 1), most recently
/// active first, each with its last message, and the counts of the list's status and inboxes.
pub async fn list(app: &App, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    let filter = filter(member, request)?;
    let page = request.query_int("page")?.unwrap_or(1);
    let store = &app.store;
    let listed = store.account_conversations(member.account_id, &filter, page).await?;
    let ids: Vec<i64> = listed.iter().map(|(record, _)| record.id).collect();
    let last_messages = store.last_messages(&ids).await?;
    let mut payload = Vec::with_capacity(listed.len());
    for (record, unread) in listed {
        let last = last_messages
            .iter()
            .filter(|message| message.conversation_id == record.display_id)
            .cloned()
            .collect();
        payload.push(record.to_agent_wire(last, unread)?);
    }
    let counts = store.conversation_counts(member.account_id, &filter).await?;
    json(&json!({"data": {"meta": counts, "payload": payload}}))
}

/// `GET /conversations/meta`: the counts alone.
pub async fn meta(app: &App, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    let counts = app
        .store
        .conversation_counts(member.account_id, &filter(member, request)?)
        .await?;
    json(&json!({"meta": counts}))
}

/// `GET /conversations/{display_id}`: the conversation with every message, notes and
/// activity included.
pub async fn show(app: &App, member: &Membership, display_id: i64) -> ApiResult<Response> {
    let conversation = workable(app, member, display_id).await?;
    let messages = app.store.messages_after(conversation.id, 0).await?;
    let unread = messages
        .iter()
        .filter(|message| {
            message.message_type == MessageType::Incoming && message.created_at > conversation.agent_last_seen_at
        })
        .count() as i64;
    json(&conversation.to_agent_wire(messages, unread)?)
}

/// `GET /conversations/{display_id}/messages`: a page (`?before=`, `?after=`) of every kind.
pub async fn messages(app: &App, member: &Membership, request: &ApiRequest, display_id: i64) -> ApiResult<Response> {
    let conversation = workable(app, member, display_id).await?;
    let page = crate::client::message_page(request)?;
    let payload = app.store.messages_page(conversation.id, page, Viewer::Agent).await?;
    let wire = conversation.to_wire(Vec::new())?;
    json(&json!({"meta": {"contact": wire.contact, "assignee": wire.assignee,
                          "agent_last_seen_at": wire.agent_last_seen_at}, "payload": payload}))
}
