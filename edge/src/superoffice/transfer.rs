//! `GET`, `TransferTo`, `AcceptChatSessionTransfer`, `RejectChatSessionTransfer` and `RejectTransfer`:
//! the chat session entity and the steps of a transfer, each step recorded as an activity message
//! and told to the other agent.

use worker::Response;

use super::Caller;
use crate::auth::Principal;
use crate::domain::chat_session::{transfer_activity, Associate, TransferStep};
use crate::error::{ApiError, ApiResult};
use crate::http::json;
use crate::realtime::Broadcaster;
use crate::store::ChatSessionRecord;

/// The entity as it stands.
fn entity(session: &ChatSessionRecord) -> ApiResult<Response> {
    json(&session.to_entity()?)
}

/// Writes a step between `from` (who holds the chat) and `to`, then announces its activity
/// message, the change of assignee if any, and `event` to `tell`. Answers the session as it
/// then is; `None` when the session was no longer in the state the step needs.
async fn step(
    caller: &Caller<'_>,
    before: &ChatSessionRecord,
    step: TransferStep,
    (from, to): (i64, i64),
    (event, tell): (&str, i64),
) -> ApiResult<Option<ChatSessionRecord>> {
    let store = &caller.app.store;
    let conversation = &before.conversation;
    let account_id = conversation.account_id;
    let activity = transfer_activity(
        step,
        &Principal::User(from).name(store, account_id).await?,
        &Principal::User(to).name(store, account_id).await?,
    );
    let last_message = store.last_message_id(conversation.id).await?;
    if !store
        .transfer_step(conversation, step, caller.user_id, to, &activity)
        .await?
    {
        return Ok(None);
    }
    let after = caller.session(&conversation.display_id.to_string()).await?;
    let broadcaster = Broadcaster::new(&caller.app.env, store);
    broadcaster.messages_added(&after.conversation, last_message).await?;
    if after.conversation.assignee_id() != conversation.assignee_id() {
        broadcaster
            .assignment_changed(&after.conversation, conversation)
            .await?;
    }
    broadcaster
        .to_agent(account_id, tell, event, &serde_json::to_value(after.to_entity()?)?)
        .await?;
    Ok(Some(after))
}

/// `GET /ChatSession/{id}`: the entity, for one who works the chat (the console shows a
/// pending transfer from it).
pub async fn show(caller: &Caller<'_>, id: &str) -> ApiResult<Response> {
    entity(&caller.session(id).await?)
}

/// `POST /ChatSession/{id}/TransferTo/{toAssociate}`: the agent holding the chat asks another
/// agent of its inbox (by user id or e-mail) to take it. Nothing happens for a chat the
/// caller does not hold.
pub async fn request(caller: &Caller<'_>, id: &str, target: &str) -> ApiResult<Response> {
    let session = caller.session(id).await?;
    let conversation = &session.conversation;
    if conversation.assignee_id() != Some(caller.user_id) {
        return entity(&session);
    }
    let not_an_agent = || ApiError::invalid("toAssociate", "toAssociate must be an agent of this chat's inbox");
    let associate = Associate::parse(target).ok_or_else(not_an_agent)?;
    let to = caller
        .app
        .store
        .inbox_agent(conversation.account_id, conversation.inbox_id, &associate)
        .await?
        .ok_or_else(not_an_agent)?;
    if to == caller.user_id {
        return Err(ApiError::invalid("toAssociate", "The chat is yours already"));
    }
    if session.transfer_to == Some(to) {
        return entity(&session);
    }
    let event = ("conversation.transfer_requested", to);
    match step(caller, &session, TransferStep::Requested, (caller.user_id, to), event).await? {
        Some(after) => entity(&after),
        None => entity(&caller.session(id).await?),
    }
}

/// `POST /Agents/Chat/{Accept|Reject}ChatSessionTransfer?chatSessionId=`: the target answers.
pub async fn answer(caller: &Caller<'_>, answer: TransferStep) -> ApiResult<Response> {
    let id = caller
        .request
        .query("chatSessionId")
        .filter(|id| !id.trim().is_empty())
        .ok_or_else(|| ApiError::invalid("chatSessionId", "chatSessionId can't be blank"))?;
    let session = caller.session(&id).await?;
    let not_pending = || ApiError::invalid("chatSessionId", "No transfer of this chat to you is pending");
    let from = match (session.transfer_to, session.transfer_from) {
        (Some(to), Some(from)) if to == caller.user_id => from,
        _ => return Err(not_pending()),
    };
    let event = match answer {
        TransferStep::Accepted => "conversation.transfer_accepted",
        _ => "conversation.transfer_rejected",
    };
    let after = step(caller, &session, answer, (from, caller.user_id), (event, from))
        .await?
        .ok_or_else(not_pending)?;
    entity(&after)
}

/// `POST /ChatSession/{id}/RejectTransfer`: the sender withdraws a pending transfer. Nothing
/// happens when none is pending or the caller does not hold the chat.
pub async fn cancel(caller: &Caller<'_>, id: &str) -> ApiResult<Response> {
    let session = caller.session(id).await?;
    let to = match session.transfer_to {
        Some(to) if session.conversation.assignee_id() == Some(caller.user_id) => to,
        _ => return entity(&session),
    };
    let event = ("conversation.transfer_cancelled", to);
    match step(caller, &session, TransferStep::Cancelled, (caller.user_id, to), event).await? {
        Some(after) => entity(&after),
        None => entity(&caller.session(id).await?),
    }
}
