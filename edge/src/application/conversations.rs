//! `/conversations`: lists, filters, counts, one conversation, and opening one for a
//! contact (seed "Conversations").

use std::borrow::Cow;

use nimchat_shared::enums::{AssigneeType, AttributeModel, ConversationStatus, MessageType, SenderType};
use nimchat_shared::wire::AgentConversation;
use serde_json::json;
use worker::Response;

use super::check_custom_attributes;
use super::parse_filter;
use crate::attachments;
use crate::conversation_flow;
use crate::domain::assignment::least_loaded;
use crate::domain::filters::{Kind, Standard};
use crate::domain::labels;
use crate::domain::{message_rules, secrets};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use crate::realtime::Broadcaster;
use crate::router::App;
use crate::store::{
    ConversationFilter, ConversationRecord, FilesOf, Membership, NewConversation, NewMessage, Session, Store,
};

const STATUSES: &[&str] = &["open", "resolved", "pending", "snoozed"];
const PRIORITIES: &[&str] = &["urgent", "high", "medium", "low"];

/// The conversation attributes a filter may name besides custom attributes.
fn conversation_attribute(key: &str) -> Option<Standard> {
    let column = |column, kind| Some(Standard::Column { column, kind });
    match key {
        "status" => column("cv.status", Kind::Choice(STATUSES)),
        "priority" => column("cv.priority", Kind::Choice(PRIORITIES)),
        "assignee_id" => column("cv.assignee_id", Kind::Number),
        "inbox_id" => column("cv.inbox_id", Kind::Number),
        "team_id" => column("cv.team_id", Kind::Number),
        "contact_id" => column("cv.contact_id", Kind::Number),
        "display_id" => column("cv.display_id", Kind::Number),
        "created_at" => column("cv.created_at", Kind::Date),
        "last_activity_at" => column("cv.last_activity_at", Kind::Date),
        "browser_language" => Some(Standard::Additional {
            path: "$.browser_language",
        }),
        "country_code" => Some(Standard::Additional { path: "$.country_code" }),
        "referer" => Some(Standard::Additional { path: "$.referer" }),
        "labels" => Some(Standard::Labels),
        _ => None,
    }
}

/// The conversation if the caller works its inbox (administrators work every inbox).
pub(super) async fn workable(app: &App, member: &Membership, display_id: i64) -> ApiResult<ConversationRecord> {
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

/// Conversations as lists show them: each with its last message.
pub(super) async fn with_last_messages(
    store: &Store,
    listed: Vec<(ConversationRecord, i64)>,
) -> ApiResult<Vec<AgentConversation>> {
    let ids: Vec<i64> = listed.iter().map(|(record, _)| record.id).collect();
    let last_messages = store.last_messages(&ids).await?;
    listed
        .into_iter()
        .map(|(record, unread)| {
            let last = last_messages
                .iter()
                .filter(|message| message.conversation_id == record.display_id)
                .cloned()
                .collect();
            record.to_agent_wire(last, unread)
        })
        .collect()
}

/// A list with nothing but the caller's bounds.
fn unfiltered(member: &Membership) -> ConversationFilter {
    ConversationFilter {
        status: None,
        assignee: AssigneeType::All,
        inbox_id: None,
        team_id: None,
        labels: Vec::new(),
        search: None,
        conditions: Vec::new(),
        viewer: member.user_id,
        viewer_is_administrator: member.is_administrator(),
    }
}

/// `?status=` (default open; `all` for every status), `?assignee_type=` (default all), `?inbox_id=`, `?team_id=`,
/// `?labels[]=` (any of them), `?q=` (message content, literally).
fn list_filter(member: &Membership, request: &ApiRequest) -> ApiResult<ConversationFilter> {
    let status = match request.query("status").filter(|text| !text.is_empty()).as_deref() {
        None => Some(ConversationStatus::Open),
        Some("all") => None,
        Some(text) => Some(
            ConversationStatus::parse(text)
                .ok_or_else(|| ApiError::invalid("status", "Status must be open, resolved, pending, snoozed or all"))?,
        ),
    };
    let assignee = match request.query("assignee_type").filter(|text| !text.is_empty()) {
        None => AssigneeType::All,
        Some(text) => AssigneeType::parse(&text).ok_or_else(|| {
            ApiError::invalid("assignee_type", "Assignee type must be me, unassigned, assigned or all")
        })?,
    };
    let search = match request.query("q").map(|text| text.trim().to_string()) {
        Some(text) if text.chars().count() > 255 => {
            return Err(ApiError::invalid("q", "Q is too long (maximum is 255 characters)"))
        }
        Some(text) if !text.is_empty() => Some(text),
        _ => None,
    };
    let labels = request
        .query_list("labels")
        .iter()
        .map(|label| labels::title(label, "labels"))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(ConversationFilter {
        status,
        assignee,
        inbox_id: request.query_int("inbox_id")?,
        team_id: request.query_int("team_id")?,
        labels,
        search,
        ..unfiltered(member)
    })
}

async fn page(app: &App, member: &Membership, filter: &ConversationFilter, page: i64) -> ApiResult<Response> {
    let store = &app.store;
    let listed = store.account_conversations(member.account_id, filter, page).await?;
    let payload = with_last_messages(store, listed).await?;
    let counts = store.conversation_counts(member.account_id, filter).await?;
    json(&json!({"data": {"meta": counts, "payload": payload}}))
}

/// `GET /conversations`: 25 a page (`?page=`, from 1; below 1 reads as 1), most recently
/// active first, each with its last message, and the counts of the list's filters.
pub async fn list(app: &App, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    let filter = list_filter(member, request)?;
    page(app, member, &filter, request.query_int("page")?.unwrap_or(1)).await
}

/// `GET /conversations/meta`: the counts alone.
pub async fn meta(app: &App, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    let counts = app
        .store
        .conversation_counts(member.account_id, &list_filter(member, request)?)
        .await?;
    json(&json!({"meta": counts}))
}

/// `POST /conversations/filter?page=` with `{payload: [conditions]}`: every status unless a
/// condition names one.
pub async fn filter(app: &App, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    let body = request.body_object()?;
    let conditions = parse_filter(
        &app.store,
        member.account_id,
        AttributeModel::Conversation,
        body.get("payload"),
        conversation_attribute,
    )
    .await?;
    let filter = ConversationFilter {
        conditions,
        ..unfiltered(member)
    };
    page(app, member, &filter, request.query_int("page")?.unwrap_or(1)).await
}

/// `DELETE /conversations/{display_id}` (administrators): the conversation, its messages
/// and their files are gone for good.
pub async fn delete(app: &App, member: &Membership, display_id: i64) -> ApiResult<Response> {
    member.require_administrator()?;
    let conversation = workable(app, member, display_id).await?;
    let files = FilesOf::Conversation {
        conversation_id: conversation.id,
    };
    attachments::deleting(app, files, app.store.delete_conversation(conversation.id)).await?;
    crate::http::empty_object()
}

/// `GET /conversations/{display_id}`: the conversation with every message, notes and
/// activity included.
pub async fn show(app: &App, member: &Membership, display_id: i64) -> ApiResult<Response> {
    let conversation = workable(app, member, display_id).await?;
    render(app, &conversation).await
}

/// The conversation with its messages and the agents' unread count.
pub(super) async fn render(app: &App, conversation: &ConversationRecord) -> ApiResult<Response> {
    let messages = app.store.messages_after(conversation.id, 0).await?;
    let unread = messages
        .iter()
        .filter(|message| {
            message.message_type == MessageType::Incoming && message.created_at > conversation.agent_last_seen_at
        })
        .count() as i64;
    json(&conversation.to_agent_wire(messages, unread)?)
}

/// The contact's session in the inbox, opened if it has none yet.
async fn session_for_contact(store: &Store, account_id: i64, inbox_id: i64, contact_id: i64) -> ApiResult<Session> {
    if store.contact(account_id, contact_id).await?.is_none() {
        return Err(ApiError::invalid(
            "contact_id",
            "Contact must be a contact of this account",
        ));
    }
    if let Some(session) = store.contact_session(inbox_id, contact_id).await? {
        return Ok(session);
    }
    let source_id = secrets::uuid_v4()?;
    store
        .create_session(
            account_id,
            inbox_id,
            Ok(contact_id),
            &source_id,
            &secrets::token()?,
            false,
        )
        .await
}

/// `POST /conversations {inbox_id, source_id | contact_id, status, assignee_id, team_id,
/// custom_attributes, additional_attributes, message: {content}}`.
pub async fn create(app: &App, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    let store = &app.store;
    let body = request.body_object()?;
    let fields = Fields::new(&body);
    let inbox_id = fields.required_id("inbox_id")?;
    let not_workable = || ApiError::invalid("inbox_id", "Inbox must be an inbox you work in this account");
    let inbox = store
        .inbox(member.account_id, inbox_id)
        .await?
        .ok_or_else(not_workable)?;
    if !member.is_administrator() && !store.is_inbox_member(inbox.id, member.user_id).await? {
        return Err(not_workable());
    }
    let status = fields.choice("status", ConversationStatus::parse)?;
    let custom_attributes = fields
        .object("custom_attributes")?
        .map(Cow::into_owned)
        .unwrap_or_default();
    check_custom_attributes(
        store,
        member.account_id,
        AttributeModel::Conversation,
        Some(&custom_attributes),
    )
    .await?;
    let first_message = match fields.object("message")? {
        Some(message) => Some(message_rules::content(message.get("content"))?),
        None => None,
    };
    let mut assignee_id = fields.id("assignee_id")?;
    if let Some(agent) = assignee_id {
        if !store.non_members(member.account_id, &[agent]).await?.is_empty() {
            return Err(ApiError::invalid(
                "assignee_id",
                "Assignee must be an agent of this account",
            ));
        }
    }
    let team = match fields.id("team_id")? {
        Some(team_id) => Some(
            store
                .team(member.account_id, team_id, member.user_id)
                .await?
                .ok_or_else(|| ApiError::invalid("team_id", "Team must be a team of this account"))?,
        ),
        None => None,
    };
    if let (None, Some(team)) = (assignee_id, &team) {
        if team.allow_auto_assign {
            assignee_id = least_loaded(
                &store
                    .assignment_candidates(member.account_id, inbox.id, Some(team.id))
                    .await?,
            );
        }
    }
    let session = match (fields.text("source_id", 255)?, fields.id("contact_id")?) {
        (Some(source_id), _) => store
            .session(inbox.id, &source_id)
            .await?
            .ok_or_else(|| ApiError::invalid("source_id", "Source id is not a contact's session in this inbox"))?,
        (None, Some(contact_id)) => session_for_contact(store, member.account_id, inbox.id, contact_id).await?,
        (None, None) => {
            return Err(ApiError::invalid(
                "source_id",
                "A source_id or a contact_id is needed to open a conversation",
            ))
        }
    };
    let new = NewConversation {
        status,
        custom_attributes,
        additional_attributes: fields
            .object("additional_attributes")?
            .map(Cow::into_owned)
            .unwrap_or_default(),
        assignee_id,
        team_id: team.map(|team| team.id),
    };
    let broadcaster = Broadcaster::new(&app.env, store);
    let conversation = conversation_flow::open_conversation(store, &broadcaster, &inbox, &session, &new).await?;
    if let Some(content) = &first_message {
        let message = NewMessage {
            message_type: MessageType::Outgoing,
            content_type: "text",
            content: Some(content),
            content_attributes: &Default::default(),
            private: false,
            sender: Some((SenderType::User, member.user_id)),
            attachments: &[],
        };
        conversation_flow::add_message(store, &broadcaster, &conversation, &message, None, None).await?;
    }
    show(app, member, conversation.display_id).await
}
