//! What agents do to a conversation: status, priority, typing, assignment, labels and
//! custom attributes.

use nimchat_shared::enums::{AttributeModel, ConversationStatus, Priority, TypingStatus};
use serde_json::{json, Value};
use worker::Response;

use super::check_custom_attributes;
use super::conversations::workable;
use crate::auth::Principal;
use crate::conversation_flow;
use crate::domain::handover::Owner;
use crate::domain::labels;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use crate::realtime::Broadcaster;
use crate::router::App;
use crate::store::{ConversationRecord, Membership, Reader, StatusChange};

/// `{status?, snoozed_until?}`; without a status, toggles between open and resolved.
pub async fn toggle_status(
    app: &App,
    member: &Membership,
    request: &ApiRequest,
    display_id: i64,
) -> ApiResult<Response> {
    let conversation = workable(app, member, display_id).await?;
    change_status(app, request, &conversation, Principal::User(member.user_id)).await
}

/// The status change the request asks for, by an author who may work the conversation.
pub(super) async fn change_status(
    app: &App,
    request: &ApiRequest,
    conversation: &ConversationRecord,
    author: Principal,
) -> ApiResult<Response> {
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
    let store = &app.store;
    if status == ConversationStatus::Open && matches!(author, Principal::AgentBot(_)) {
        // A bot reopening hands the contact over to the team (contract 7.2).
        if let Some(record) = store.handover_of_session(conversation.contact_inbox_id).await? {
            if record.owner() == Owner::External {
                let broadcaster = Broadcaster::new(&app.env, store);
                conversation_flow::hand_over(store, &broadcaster, &record, Owner::Nimchat, Some(author)).await?;
                return status_answer(ConversationStatus::Open, conversation.display_id);
            }
        }
    }
    if status != current {
        let name = author.name(store, conversation.account_id).await?;
        let activity = match status {
            ConversationStatus::Resolved => format!("Conversation was marked resolved by {name}"),
            ConversationStatus::Open => format!("Conversation was reopened by {name}"),
            ConversationStatus::Pending => format!("Conversation was marked as pending by {name}"),
            ConversationStatus::Snoozed => format!("Conversation was snoozed by {name}"),
        };
        let inbox = store
            .inbox(conversation.account_id, conversation.inbox_id)
            .await?
            .ok_or(ApiError::NotFound)?;
        let change = StatusChange {
            status,
            snoozed_until,
            activity: Some(activity),
            send_survey: status == ConversationStatus::Resolved && inbox.csat_survey_enabled,
            mute: false,
        };
        let broadcaster = Broadcaster::new(&app.env, store);
        conversation_flow::change_status(store, &broadcaster, conversation, &change).await?;
    }
    status_answer(status, conversation.display_id)
}

fn status_answer(status: ConversationStatus, display_id: i64) -> ApiResult<Response> {
    json(&json!({"meta": {}, "payload": {
        "success": true, "current_status": status, "conversation_id": display_id
    }}))
}

/// The agent has read the conversation: the visitor's messages become read, and the visitor
/// is told (`conversation.read`).
pub async fn update_last_seen(app: &App, member: &Membership, display_id: i64) -> ApiResult<Response> {
    let conversation = workable(app, member, display_id).await?;
    app.store.mark_seen(&conversation, Reader::Agent).await?;
    let seen = reread(app, &conversation).await?;
    Broadcaster::new(&app.env, &app.store)
        .conversation_read(&seen, Reader::Agent)
        .await?;
    json(&json!({"agent_last_seen_at": seen.agent_last_seen_at}))
}

/// `{typing_status: "on" | "off", is_private?}`; private typing (on a note) stays agent-side.
pub async fn toggle_typing(
    app: &App,
    member: &Membership,
    request: &ApiRequest,
    display_id: i64,
) -> ApiResult<Response> {
    let conversation = workable(app, member, display_id).await?;
    let agent = app
        .store
        .agent(member.account_id, member.user_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let typist = json!({"type": "user", "id": agent.person.id, "name": agent.person.available_name,
                        "avatar_url": agent.person.avatar_url});
    announce_typing(app, request, &conversation, typist).await
}

/// Announces that `typist` (`{type, id, name}`) started or stopped typing.
pub(super) async fn announce_typing(
    app: &App,
    request: &ApiRequest,
    conversation: &ConversationRecord,
    typist: Value,
) -> ApiResult<Response> {
    // Chatwoot's description puts `typing_status` in the query; Rails reads either.
    let body = request.params()?;
    let fields = Fields::new(&body);
    let status = fields
        .choice("typing_status", TypingStatus::parse)?
        .ok_or_else(|| ApiError::invalid("typing_status", "Typing status must be on or off"))?;
    let private = fields.bool("is_private")?.unwrap_or(false);
    Broadcaster::new(&app.env, &app.store)
        .typing(conversation, status == TypingStatus::On, typist, private)
        .await?;
    Ok(Response::empty()?)
}

/// `{priority: urgent | high | medium | low | none}`.
pub async fn toggle_priority(
    app: &App,
    member: &Membership,
    request: &ApiRequest,
    display_id: i64,
) -> ApiResult<Response> {
    let conversation = workable(app, member, display_id).await?;
    change_priority(app, request, &conversation).await
}

pub(super) async fn change_priority(
    app: &App,
    request: &ApiRequest,
    conversation: &ConversationRecord,
) -> ApiResult<Response> {
    let body = request.body_object()?;
    let priority = match body.get("priority") {
        Some(Value::String(text)) if text == "none" => None,
        Some(Value::String(text)) => Some(Priority::parse(text).ok_or_else(invalid_priority)?),
        Some(Value::Null) => None,
        _ => return Err(invalid_priority()),
    };
    app.store.set_priority(conversation.id, priority).await?;
    let changed = reread(app, conversation).await?;
    Broadcaster::new(&app.env, &app.store)
        .conversation_updated(conversation, &changed)
        .await?;
    json(&changed.to_agent_wire(Vec::new(), 0)?)
}

fn invalid_priority() -> ApiError {
    ApiError::invalid("priority", "Priority must be urgent, high, medium, low or none")
}

async fn reread(app: &App, conversation: &ConversationRecord) -> ApiResult<ConversationRecord> {
    app.store
        .conversation_by_uuid(&conversation.uuid)
        .await?
        .ok_or(ApiError::NotFound)
}

/// `{assignee_id}` (an agent of the account; `null` or 0 unassigns) or `{team_id}` (a team;
/// with `allow_auto_assign`, an available member of the team and the inbox gets it).
/// Answers the agent or the team, as Chatwoot does.
pub async fn assign(app: &App, member: &Membership, request: &ApiRequest, display_id: i64) -> ApiResult<Response> {
    let conversation = workable(app, member, display_id).await?;
    assign_in(app, request, &conversation, member.user_id).await
}

/// The assignment the request asks for; `viewer` is the user the team's `is_member` is for.
pub(super) async fn assign_in(
    app: &App,
    request: &ApiRequest,
    conversation: &ConversationRecord,
    viewer: i64,
) -> ApiResult<Response> {
    let account_id = conversation.account_id;
    let body = request.body_object()?;
    let fields = Fields::new(&body);
    let store = &app.store;
    let broadcaster = Broadcaster::new(&app.env, store);
    let unassigns = |key: &str| matches!(body.get(key), Some(Value::Null)) || body.get(key) == Some(&json!(0));
    if body.contains_key("team_id") {
        let team = match unassigns("team_id") {
            true => None,
            false => {
                let team_id = fields.required_id("team_id")?;
                Some(
                    store
                        .team(account_id, team_id, viewer)
                        .await?
                        .ok_or_else(|| ApiError::invalid("team_id", "Team must be a team of this account"))?,
                )
            }
        };
        // A team that auto-assigns replaces an assignee from outside the team.
        let assignee = conversation.assignee_id();
        let pick = match (&team, assignee) {
            (Some(team), None) => team.allow_auto_assign,
            (Some(team), Some(agent)) if team.allow_auto_assign => !store
                .team_members(account_id, team.id)
                .await?
                .iter()
                .any(|member| member.person.id == agent),
            _ => false,
        };
        let target = team.as_ref().map(|team| (team.id, pick));
        let kept = if pick { None } else { assignee };
        conversation_flow::assign(store, &broadcaster, conversation, kept, target).await?;
        return match team {
            Some(team) => json(&team),
            None => crate::http::empty_object(),
        };
    }
    if !body.contains_key("assignee_id") {
        return Err(ApiError::invalid(
            "assignee_id",
            "An assignee_id or a team_id is needed",
        ));
    }
    let assignee_id = match unassigns("assignee_id") {
        true => None,
        false => {
            let agent = fields.required_id("assignee_id")?;
            if !store.non_members(account_id, &[agent]).await?.is_empty() {
                return Err(ApiError::invalid(
                    "assignee_id",
                    "Assignee must be an agent of this account",
                ));
            }
            Some(agent)
        }
    };
    let team = conversation.team_id.map(|id| (id, false));
    let changed = conversation_flow::assign(store, &broadcaster, conversation, assignee_id, team).await?;
    // The agent object, as Chatwoot's description declares the answer.
    match changed.assignee_id() {
        Some(agent) => json(&store.agent(account_id, agent).await?.ok_or(ApiError::NotFound)?),
        None => crate::http::empty_object(),
    }
}

pub async fn labels(app: &App, member: &Membership, display_id: i64) -> ApiResult<Response> {
    let conversation = workable(app, member, display_id).await?;
    json(&json!({"payload": conversation.labels}))
}

/// `{labels: [...]}`: replaces them.
pub async fn set_labels(app: &App, member: &Membership, request: &ApiRequest, display_id: i64) -> ApiResult<Response> {
    let conversation = workable(app, member, display_id).await?;
    let body = request.body_object()?;
    let given = Fields::new(&body)
        .array("labels")?
        .ok_or_else(|| ApiError::invalid("labels", "Labels must be a list"))?;
    let titles = labels::titles(&given, "labels")?;
    app.store.set_conversation_labels(conversation.id, &titles).await?;
    let changed = reread(app, &conversation).await?;
    Broadcaster::new(&app.env, &app.store)
        .conversation_updated(&conversation, &changed)
        .await?;
    json(&json!({"payload": changed.labels}))
}

/// `{custom_attributes: {...}}`: merged into the conversation's, checked against definitions.
pub async fn set_custom_attributes(
    app: &App,
    member: &Membership,
    request: &ApiRequest,
    display_id: i64,
) -> ApiResult<Response> {
    let conversation = workable(app, member, display_id).await?;
    let body = request.body_object()?;
    let attributes = Fields::new(&body)
        .object("custom_attributes")?
        .ok_or_else(|| ApiError::invalid("custom_attributes", "Custom attributes must be an object"))?;
    check_custom_attributes(
        &app.store,
        member.account_id,
        AttributeModel::Conversation,
        Some(&attributes),
    )
    .await?;
    app.store
        .merge_conversation_attributes(conversation.id, &attributes)
        .await?;
    let changed = reread(app, &conversation).await?;
    Broadcaster::new(&app.env, &app.store)
        .conversation_updated(&conversation, &changed)
        .await?;
    json(&json!({"custom_attributes": changed.custom_attributes}))
}
