//! Who owns a contact in an inbox (contract 5.1), kept on its session (`contact_inboxes`), and
//! the handover written at once with what it does to the contact's conversations there.

use nimchat_shared::wire::{Handover, HandoverActor};
use serde::Deserialize;

use super::conversations::{CONVERSATION_COLUMNS, CONVERSATION_FROM};
use super::{params, ConversationRecord, StatusChange, Store};
use crate::auth::Principal;
use crate::domain::handover::Owner;
use crate::domain::services::service_of_channel;
use crate::error::ApiResult;

/// A contact's session in an inbox, with its owner as stored (or not yet).
#[derive(Debug, Clone, Deserialize)]
pub struct HandoverRecord {
    pub contact_inbox_id: i64,
    pub contact_id: i64,
    pub account_id: i64,
    pub inbox_id: i64,
    source_id: String,
    channel_type: String,
    /// The agent bot connected to the inbox.
    pub inbox_agent_bot_id: Option<i64>,
    handover_owner: Option<String>,
    handover_updated_at: Option<i64>,
    handover_updated_by_type: Option<String>,
    handover_updated_by_id: Option<i64>,
}

impl HandoverRecord {
    pub fn owner(&self) -> Owner {
        Owner::of(self.handover_owner.as_deref(), self.inbox_agent_bot_id.is_some())
    }

    pub fn to_wire(&self) -> Handover {
        let updated_by = match (&self.handover_updated_by_type, self.handover_updated_by_id) {
            (Some(kind), Some(id)) => Some(HandoverActor { kind: kind.clone(), id }),
            _ => None,
        };
        Handover {
            service: service_of_channel(&self.channel_type).unwrap_or_default().to_string(),
            service_id: self.source_id.clone(),
            contact_id: self.contact_id,
            owner: self.owner().as_str().to_string(),
            updated_at: self.handover_updated_at,
            updated_by,
        }
    }
}

const HANDOVER_SELECT: &str = "SELECT ci.id AS contact_inbox_id, ci.contact_id, i.account_id, ci.inbox_id,
    ci.source_id, i.channel_type, i.agent_bot_id AS inbox_agent_bot_id, ci.handover_owner, ci.handover_updated_at,
    ci.handover_updated_by_type, ci.handover_updated_by_id
    FROM contact_inboxes ci JOIN inboxes i ON i.id = ci.inbox_id";

impl Store {
    /// The session of `source_id` in an inbox of `channel_type` of the account.
    pub async fn handover(
        &self,
        account_id: i64,
        channel_type: &str,
        source_id: &str,
    ) -> ApiResult<Option<HandoverRecord>> {
        self.first(
            &format!("{HANDOVER_SELECT} WHERE i.account_id = ?1 AND i.channel_type = ?2 AND ci.source_id = ?3"),
            params![account_id, channel_type, source_id],
        )
        .await
    }

    /// The same session read again, after a handover.
    pub async fn handover_of_session(&self, contact_inbox_id: i64) -> ApiResult<Option<HandoverRecord>> {
        self.first(
            &format!("{HANDOVER_SELECT} WHERE ci.id = ?1"),
            params![contact_inbox_id],
        )
        .await
    }

    /// The session's conversations that a handover may move (open or pending).
    pub async fn handover_conversations(&self, contact_inbox_id: i64) -> ApiResult<Vec<ConversationRecord>> {
        self.all(
            &format!(
                "SELECT {CONVERSATION_COLUMNS} {CONVERSATION_FROM}
                 WHERE cv.contact_inbox_id = ?1 AND cv.status IN ('open', 'pending') ORDER BY cv.id"
            ),
            params![contact_inbox_id],
        )
        .await
    }

    /// Records the new owner and moves the conversations, all or nothing. Handed back to the
    /// bot, a conversation also loses its assignee.
    pub async fn hand_over(
        &self,
        record: &HandoverRecord,
        owner: Owner,
        by: Option<Principal>,
        moves: &[(ConversationRecord, StatusChange)],
    ) -> ApiResult<()> {
        let (kind, id) = match by {
            Some(Principal::User(id)) => (Some("user"), Some(id)),
            Some(Principal::AgentBot(id)) => (Some("agent_bot"), Some(id)),
            None => (None, None),
        };
        let mut statements = vec![self.statement(
            "UPDATE contact_inboxes SET handover_owner = ?2, handover_updated_at = unixepoch(),
                handover_updated_by_type = ?3, handover_updated_by_id = ?4
             WHERE id = ?1",
            params![record.contact_inbox_id, owner.as_str(), kind, id],
        )?];
        for (conversation, change) in moves {
            if owner == Owner::External {
                statements.push(self.statement(
                    "UPDATE conversations SET assignee_id = NULL WHERE id = ?1",
                    params![conversation.id],
                )?);
            }
            statements.extend(self.status_change_statements(conversation, change)?);
        }
        self.batch(statements).await?;
        Ok(())
    }
}
