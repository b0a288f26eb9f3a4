//! `GET | POST | DELETE /{account_id}/inbox/handover/{service}/{service_id}` (contract 5.1):
//! who answers a contact in an inbox, the connected bot or the human team. POST hands the
//! contact to the team, DELETE back to the bot; both are idempotent.

use worker::{Method, Response};

use crate::auth::{member, principal, Principal};
use crate::domain::handover::{activity, status_after_handover, Owner};
use crate::domain::services::channel_of_service;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::realtime::Broadcaster;
use crate::router::App;
use crate::store::{HandoverRecord, StatusChange};

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
    let changed = hand_over(app, &record, owner, by).await?;
    json(&changed.to_wire())
}

/// Moves the contact's conversations, records the owner, then announces it all: each moved
/// conversation as a status change (with its activity), the queue, and `handover.changed`.
async fn hand_over(app: &App, record: &HandoverRecord, owner: Owner, by: Principal) -> ApiResult<HandoverRecord> {
    let store = &app.store;
    let text = activity(owner, &by.name(store, record.account_id).await?);
    let mut moves = Vec::new();
    for conversation in store.handover_conversations(record.contact_inbox_id).await? {
        if let Some(status) = status_after_handover(conversation.status()?, owner) {
            let change = StatusChange {
                status,
                snoozed_until: None,
                activity: Some(text.clone()),
                send_survey: false,
            };
            let last_message = store.last_message_id(conversation.id).await?;
            moves.push((conversation, change, last_message));
        }
    }
    let writes: Vec<_> = moves
        .iter()
        .map(|(conversation, change, _)| (conversation.clone(), change.clone()))
        .collect();
    store.hand_over(record, owner, by, &writes).await?;
    let broadcaster = Broadcaster::new(&app.env, store);
    let ids: Vec<i64> = moves.iter().map(|(conversation, _, _)| conversation.id).collect();
    for after in store.conversations_by_ids(&ids).await? {
        let Some((before, _, last_message)) = moves.iter().find(|(before, _, _)| before.id == after.id) else {
            continue;
        };
        broadcaster.status_changed(before, &after, *last_message).await?;
        if after.assignee_id() != before.assignee_id() {
            broadcaster.assignment_changed(&after, before).await?;
        }
        broadcaster.queue_moved(Some(before), &after).await?;
    }
    let changed = store
        .handover_of_session(record.contact_inbox_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    broadcaster
        .handover_changed(record.account_id, record.inbox_id, &changed.to_wire())
        .await?;
    Ok(changed)
}
