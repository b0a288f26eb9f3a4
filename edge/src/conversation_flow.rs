//! What happens when a conversation changes, in storage and then in real time. Shared by
//! the Client and Application APIs so both announce the same events the same way.

use nimchat_shared::enums::ConversationStatus;
use nimchat_shared::wire::{Inbox, Message};

use crate::auth::Principal;
use crate::domain::assignment::least_loaded;
use crate::domain::handover::{activity, status_after_handover, Owner};
use crate::error::{ApiError, ApiResult};
use crate::realtime::Broadcaster;
use crate::store::{ConversationRecord, HandoverRecord, NewConversation, NewMessage, Session, StatusChange, Store};

/// Opens a conversation; when nobody was named and the inbox auto-assigns, gives it to the
/// least loaded available member. Then announces it.
pub async fn open_conversation(
    store: &Store,
    broadcaster: &Broadcaster<'_>,
    inbox: &Inbox,
    session: &Session,
    new: &NewConversation,
) -> ApiResult<ConversationRecord> {
    let mut conversation = store.create_conversation(session, new).await?;
    if new.assignee_id.is_none() && inbox.enable_auto_assignment {
        let candidates = store
            .assignment_candidates(conversation.account_id, inbox.id, None)
            .await?;
        if let Some(agent) = least_loaded(&candidates) {
            if store.assign_if_unassigned(conversation.id, agent).await? {
                conversation = reread(store, &conversation).await?;
            }
        }
    }
    broadcaster.conversation_created(&conversation).await?;
    broadcaster.queue_moved(None, &conversation).await?;
    Ok(conversation)
}

/// Sets the assignee and team; a team that auto-assigns, given without an agent, picks the
/// least loaded available member of both the team and the inbox. Then announces it.
pub async fn assign(
    store: &Store,
    broadcaster: &Broadcaster<'_>,
    conversation: &ConversationRecord,
    assignee_id: Option<i64>,
    team: Option<(i64, bool)>,
) -> ApiResult<ConversationRecord> {
    let team_id = team.map(|(id, _)| id);
    let assignee_id = match (assignee_id, team) {
        (Some(agent), _) => Some(agent),
        (None, Some((team_id, true))) => {
            let candidates = store
                .assignment_candidates(conversation.account_id, conversation.inbox_id, Some(team_id))
                .await?;
            least_loaded(&candidates)
        }
        (None, _) => None,
    };
    store.assign(conversation.id, assignee_id, team_id).await?;
    let changed = reread(store, conversation).await?;
    broadcaster.assignment_changed(&changed, conversation).await?;
    broadcaster.queue_moved(Some(conversation), &changed).await?;
    Ok(changed)
}

/// How many of a removed agent's conversations are announced as handed back (each is a read
/// and a few publishes); the rest show as they are on their next read.
const HANDED_BACK_ANNOUNCED: i64 = 50;

/// Removes an agent from the account (memberships, teams, assignments: see
/// `Store::remove_account_user`), then announces their handed-back conversations: the change
/// of assignee to agents, and their place to visitors whose conversation waits again.
/// `false` when the user was no member.
pub async fn remove_agent(
    store: &Store,
    broadcaster: &Broadcaster<'_>,
    account_id: i64,
    user_id: i64,
) -> ApiResult<bool> {
    let handed_back = store
        .assigned_conversations(account_id, user_id, HANDED_BACK_ANNOUNCED)
        .await?;
    if !store.remove_account_user(account_id, user_id).await? {
        return Ok(false);
    }
    if handed_back.is_empty() {
        return Ok(true);
    }
    let ids: Vec<i64> = handed_back.iter().map(|conversation| conversation.id).collect();
    for after in store.conversations_by_ids(&ids).await? {
        // Paired by id: one deleted meanwhile is simply not announced.
        if let Some(before) = handed_back.iter().find(|before| before.id == after.id) {
            broadcaster.assignment_changed(&after, before).await?;
            broadcaster.queue_moved(Some(before), &after).await?;
        }
    }
    Ok(true)
}

async fn reread(store: &Store, conversation: &ConversationRecord) -> ApiResult<ConversationRecord> {
    store
        .conversation_by_uuid(&conversation.uuid)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Changes the status (with its activity and survey), then announces it; answers the
/// conversation as it now is.
pub async fn change_status(
    store: &Store,
    broadcaster: &Broadcaster<'_>,
    conversation: &ConversationRecord,
    change: &StatusChange,
) -> ApiResult<ConversationRecord> {
    let last_message = store.last_message_id(conversation.id).await?;
    store.change_status(conversation, change).await?;
    let changed = reread(store, conversation).await?;
    broadcaster.status_changed(conversation, &changed, last_message).await?;
    broadcaster.queue_moved(Some(conversation), &changed).await?;
    Ok(changed)
}

/// Stores a message (waking the conversation when `new_status` says so), then announces it
/// with the sender's `echo_id`.
pub async fn add_message(
    store: &Store,
    broadcaster: &Broadcaster<'_>,
    conversation: &ConversationRecord,
    new: &NewMessage<'_>,
    new_status: Option<ConversationStatus>,
    echo_id: Option<String>,
) -> ApiResult<Message> {
    let mut message = store.create_message(conversation, new, new_status).await?;
    message.echo_id = echo_id;
    match new_status {
        Some(_) => {
            let changed = reread(store, conversation).await?;
            broadcaster.status_changed(conversation, &changed, message.id).await?;
            broadcaster.message_created(&changed, &message).await?;
            broadcaster.queue_moved(Some(conversation), &changed).await?;
        }
        None => broadcaster.message_created(conversation, &message).await?,
    }
    Ok(message)
}

/// Moves the contact's conversations, records the owner, then announces it all: each moved
/// conversation as a status change (with its activity), the queue, and `handover.changed`.
/// `by` is `None` when nimchat itself hands over (a bot that cannot be reached, contract 7.2).
pub async fn hand_over(
    store: &Store,
    broadcaster: &Broadcaster<'_>,
    record: &HandoverRecord,
    owner: Owner,
    by: Option<Principal>,
) -> ApiResult<HandoverRecord> {
    let by_name = match by {
        Some(by) => Some(by.name(store, record.account_id).await?),
        None => None,
    };
    let text = activity(owner, by_name.as_deref());
    let mut moves = Vec::new();
    for conversation in store.handover_conversations(record.contact_inbox_id).await? {
        if let Some(status) = status_after_handover(conversation.status()?, owner) {
            let change = StatusChange {
                status,
                snoozed_until: None,
                activity: Some(text.clone()),
                send_survey: false,
                mute: false,
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
