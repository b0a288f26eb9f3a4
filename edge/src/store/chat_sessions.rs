//! Conversations as SuperOffice's chat sessions (contract 5.4): the session entity's extra
//! facts, and the transfer of a session from its agent to another, each step written with
//! its activity message at once.

use nimchat_shared::wire::{self, ChatSessionEntity};
use serde::Deserialize;

use super::conversations::{CONVERSATION_COLUMNS, CONVERSATION_FROM};
use super::inquiries::{WITH_DISPLAY_ID, WORKED_BY_USER};
use super::{params, ConversationRecord, Store};
use crate::domain::chat_session::{session_status, Associate, TransferStep};
use crate::domain::timestamps::iso_with_offset;
use crate::error::ApiResult;

/// A conversation with what its session entity shows beyond the conversation itself.
#[derive(Debug, Clone, Deserialize)]
pub struct ChatSessionRecord {
    #[serde(flatten)]
    pub conversation: ConversationRecord,
    assignee_email: Option<String>,
    assigned_at: Option<i64>,
    pub transfer_to: Option<i64>,
    transfer_to_name: Option<String>,
    transfer_to_email: Option<String>,
    pub transfer_from: Option<i64>,
    first_message: Option<String>,
    last_message: Option<String>,
    rating: Option<i64>,
}

const SESSION_COLUMNS: &str = "u.email AS assignee_email, cv.assigned_at, cv.transfer_to,
    tu.name AS transfer_to_name, tu.email AS transfer_to_email, cv.transfer_from,
    (SELECT content FROM messages WHERE conversation_id = cv.id AND message_type IN (0, 1) AND private = 0
        ORDER BY id LIMIT 1) AS first_message,
    (SELECT content FROM messages WHERE conversation_id = cv.id AND message_type IN (0, 1) AND private = 0
        ORDER BY id DESC LIMIT 1) AS last_message,
    (SELECT json_extract(content_attributes, '$.submitted_values.csat_survey_response.rating')
        FROM messages WHERE conversation_id = cv.id AND content_type = 'input_csat') AS rating";

impl ChatSessionRecord {
    pub fn to_entity(&self) -> ApiResult<ChatSessionEntity> {
        let conversation = &self.conversation;
        let status = conversation.status()?;
        let assignee = conversation.assignee_id().map(|id| wire::Associate {
            associate_id: id,
            name: self.assignee_email.clone().unwrap_or_default(),
            full_name: conversation.assignee_name.clone().unwrap_or_default(),
        });
        let transfer_to = self.transfer_to.map(|id| wire::Associate {
            associate_id: id,
            name: self.transfer_to_email.clone().unwrap_or_default(),
            full_name: self.transfer_to_name.clone().unwrap_or_default(),
        });
        let resolved = status == nimchat_shared::enums::ConversationStatus::Resolved;
        Ok(ChatSessionEntity {
            chat_session_id: conversation.display_id,
            topic_id: conversation.inbox_id,
            user: assignee,
            customer_name: conversation.contact_name.clone(),
            customer_email: conversation.contact_email.clone(),
            customer_phone: conversation.contact_phone_number.clone(),
            status: session_status(status, conversation.assignee_id().is_some()).to_string(),
            first_message: self.first_message.clone().unwrap_or_default(),
            last_message: self.last_message.clone().unwrap_or_default(),
            when_requested: iso_with_offset(conversation.created_at),
            when_started: self.assigned_at.map(iso_with_offset),
            when_ended: resolved.then(|| iso_with_offset(conversation.last_activity_at)),
            when_idle: iso_with_offset(conversation.last_activity_at),
            transfer_to,
            chatbot_is_active: status == nimchat_shared::enums::ConversationStatus::Pending,
            rating: self.rating.unwrap_or(0),
        })
    }
}

impl Store {
    /// The user an associate names, if they are an agent of the inbox (a member of it).
    pub async fn inbox_agent(&self, account_id: i64, inbox_id: i64, associate: &Associate) -> ApiResult<Option<i64>> {
        #[derive(Deserialize)]
        struct UserId {
            id: i64,
        }
        let (id, email) = match associate {
            Associate::Id(id) => (Some(*id), None),
            Associate::Email(email) => (None, Some(email.as_str())),
        };
        let found: Option<UserId> = self
            .first(
                "SELECT u.id FROM users u
                 JOIN account_users au ON au.user_id = u.id AND au.account_id = ?1
                 JOIN inbox_members im ON im.user_id = u.id AND im.inbox_id = ?2
                 WHERE u.id = ?3 OR u.email = ?4 COLLATE NOCASE",
                params![account_id, inbox_id, id, email],
            )
            .await?;
        Ok(found.map(|user| user.id))
    }

    /// The sessions with this display id that the user works (one per account they are in at
    /// most); `account_id` narrows to one account.
    pub async fn worked_sessions(
        &self,
        user_id: i64,
        display_id: i64,
        account_id: Option<i64>,
    ) -> ApiResult<Vec<ChatSessionRecord>> {
        self.all(
            &format!(
                "SELECT {CONVERSATION_COLUMNS}, {SESSION_COLUMNS} {CONVERSATION_FROM}
                 LEFT JOIN users tu ON tu.id = cv.transfer_to
                 WHERE {WORKED_BY_USER} AND {WITH_DISPLAY_ID} LIMIT 10"
            ),
            params![user_id, display_id, account_id],
        )
        .await
    }

    /// One step of a transfer by `caller`, with its activity message, if the session is in
    /// the state the step needs; false (and nothing written) otherwise, also when a
    /// concurrent step came first.
    pub async fn transfer_step(
        &self,
        conversation: &ConversationRecord,
        step: TransferStep,
        caller: i64,
        target: i64,
        activity: &str,
    ) -> ApiResult<bool> {
        let id = conversation.id;
        let update = match step {
            // Only the agent who holds it asks.
            TransferStep::Requested => self.statement(
                "UPDATE conversations SET transfer_to = ?3, transfer_from = ?2, updated_at = unixepoch()
                 WHERE id = ?1 AND assignee_id = ?2",
                params![id, caller, target],
            )?,
            TransferStep::Accepted => self.statement(
                "UPDATE conversations SET assignee_id = transfer_to, transfer_to = NULL, transfer_from = NULL,
                    updated_at = unixepoch()
                 WHERE id = ?1 AND transfer_to = ?2",
                params![id, caller],
            )?,
            TransferStep::Rejected => self.statement(
                "UPDATE conversations SET transfer_to = NULL, transfer_from = NULL, updated_at = unixepoch()
                 WHERE id = ?1 AND transfer_to = ?2",
                params![id, caller],
            )?,
            TransferStep::Cancelled => self.statement(
                "UPDATE conversations SET transfer_to = NULL, transfer_from = NULL, updated_at = unixepoch()
                 WHERE id = ?1 AND assignee_id = ?2 AND transfer_to = ?3",
                params![id, caller, target],
            )?,
        };
        let results = self
            .batch(vec![
                update,
                // In the same transaction, right after the update: `changes()` says whether it
                // changed the row.
                self.statement(
                    "INSERT INTO messages (account_id, inbox_id, conversation_id, message_type, content)
                     SELECT ?1, ?2, ?3, 2, ?4 WHERE changes() > 0",
                    params![
                        conversation.account_id,
                        conversation.inbox_id,
                        conversation.id,
                        activity
                    ],
                )?,
            ])
            .await?;
        let changed = results
            .first()
            .and_then(|result| result.meta().ok().flatten())
            .and_then(|meta| meta.changes)
            .unwrap_or(0);
        Ok(changed > 0)
    }
}
