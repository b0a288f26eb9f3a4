//! What happens when a conversation changes, in storage and then in real time. Shared by
//! the Client and Application APIs so both announce the same events the same way.

use nimchat_shared::wire::Message;

use crate::error::{ApiError, ApiResult};
use crate::realtime::Broadcaster;
use crate::store::{ConversationRecord, NewMessage, StatusChange, Store};
use nimchat_shared::enums::ConversationStatus;

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
    let changed = store
        .conversation_by_uuid(&conversation.uuid)
        .await?
        .ok_or(ApiError::NotFound)?;
    broadcaster.status_changed(&changed, last_message).await?;
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
            let changed = store
                .conversation_by_uuid(&conversation.uuid)
                .await?
                .ok_or(ApiError::NotFound)?;
            broadcaster.status_changed(&changed, message.id).await?;
            broadcaster.message_created(&changed, &message).await?;
        }
        None => broadcaster.message_created(conversation, &message).await?,
    }
    Ok(message)
}
