//! Conversations: numbered per account, seen by visitors through their session.

use nimchat_shared::enums::ConversationStatus;
use nimchat_shared::wire::{Assignee, Conversation, ConversationContact, Message};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::contacts::Session;
use super::{json_text, params, Store};
use crate::domain::csat::SURVEY_CONTENT;
use crate::domain::secrets;
use crate::error::{ApiError, ApiResult};

/// A conversation with its contact and assignee, as stored.
#[derive(Debug, Clone, Deserialize)]
pub struct ConversationRecord {
    pub id: i64,
    pub account_id: i64,
    pub display_id: i64,
    pub uuid: String,
    pub inbox_id: i64,
    pub contact_id: i64,
    pub status: String,
    #[serde(deserialize_with = "json_text")]
    pub custom_attributes: Map<String, Value>,
    pub contact_last_seen_at: i64,
    pub agent_last_seen_at: i64,
    pub created_at: i64,
    /// The `/cable` room of the session the conversation belongs to.
    pub visitor_pubsub_token: String,
    contact_name: String,
    contact_email: Option<String>,
    contact_phone_number: Option<String>,
    contact_avatar_url: Option<String>,
    assignee_id: Option<i64>,
    assignee_name: Option<String>,
    assignee_display_name: Option<String>,
    assignee_avatar_url: Option<String>,
}

impl ConversationRecord {
    pub fn status(&self) -> ApiResult<ConversationStatus> {
        ConversationStatus::parse(&self.status)
            .ok_or_else(|| ApiError::Internal(format!("stored status {:?} is unknown", self.status)))
    }

    pub fn to_wire(&self, messages: Vec<Message>) -> ApiResult<Conversation> {
        let assignee = match (self.assignee_id, &self.assignee_name) {
            (Some(id), Some(name)) => Some(Assignee {
                id,
                name: name.clone(),
                available_name: self
                    .assignee_display_name
                    .clone()
                    .filter(|shown| !shown.is_empty())
                    .unwrap_or(name.clone()),
                avatar_url: self.assignee_avatar_url.clone().unwrap_or_default(),
            }),
            _ => None,
        };
        Ok(Conversation {
            id: self.display_id,
            uuid: self.uuid.clone(),
            inbox_id: self.inbox_id,
            status: self.status()?,
            contact_last_seen_at: self.contact_last_seen_at,
            agent_last_seen_at: self.agent_last_seen_at,
            messages,
            contact: ConversationContact {
                id: self.contact_id,
                name: self.contact_name.clone(),
                email: self.contact_email.clone(),
                phone_number: self.contact_phone_number.clone(),
                avatar_url: self.contact_avatar_url.clone().unwrap_or_default(),
            },
            assignee,
            custom_attributes: self.custom_attributes.clone(),
            created_at: self.created_at,
        })
    }
}

const CONVERSATION_SELECT: &str = "SELECT cv.id, cv.account_id, cv.display_id, cv.uuid, cv.inbox_id, cv.contact_id,
    cv.status, cv.custom_attributes, cv.contact_last_seen_at, cv.agent_last_seen_at,
    cv.created_at, c.name AS contact_name, c.email AS contact_email, c.phone_number AS contact_phone_number,
    c.avatar_url AS contact_avatar_url, cv.assignee_id, u.name AS assignee_name,
    u.display_name AS assignee_display_name, u.avatar_url AS assignee_avatar_url,
    ci.pubsub_token AS visitor_pubsub_token
    FROM conversations cv JOIN contacts c ON c.id = cv.contact_id
    JOIN contact_inboxes ci ON ci.id = cv.contact_inbox_id LEFT JOIN users u ON u.id = cv.assignee_id";

/// Conversations a session may see: its own, and with a verified identity every
/// conversation of the same contact in the same inbox.
const VISIBLE_TO_SESSION: &str = "cv.inbox_id = ?1 AND (cv.contact_inbox_id = ?2 OR (?3 = 1 AND cv.contact_id = ?4))";

/// A status change with what goes with it, written together.
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub status: ConversationStatus,
    pub snoozed_until: Option<i64>,
    /// An activity message recording who did it.
    pub activity: Option<String>,
    /// Send the CSAT survey, unless the conversation already has one.
    pub send_survey: bool,
}

impl Store {
    pub async fn create_conversation(
        &self,
        session: &Session,
        status: ConversationStatus,
        custom_attributes: &Map<String, Value>,
    ) -> ApiResult<ConversationRecord> {
        let uuid = secrets::uuid_v4()?;
        let attributes = serde_json::to_string(custom_attributes)?;
        // One statement, so the per-account number cannot be taken twice.
        self.run(
            "INSERT INTO conversations (account_id, display_id, uuid, inbox_id, contact_id, contact_inbox_id,
                status, custom_attributes)
             VALUES (?1, (SELECT COALESCE(MAX(display_id), 0) + 1 FROM conversations WHERE account_id = ?1),
                ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                session.account_id,
                &uuid,
                session.inbox_id,
                session.contact_id,
                session.contact_inbox_id,
                status.as_str(),
                &attributes
            ],
        )
        .await?;
        self.conversation_by_uuid(&uuid)
            .await?
            .ok_or_else(|| ApiError::Internal("conversation insert left no row".into()))
    }

    pub async fn conversation_by_uuid(&self, uuid: &str) -> ApiResult<Option<ConversationRecord>> {
        let sql = format!("{CONVERSATION_SELECT} WHERE cv.uuid = ?1");
        self.first(&sql, params![uuid]).await
    }

    pub async fn conversation_by_display_id(
        &self,
        account_id: i64,
        display_id: i64,
    ) -> ApiResult<Option<ConversationRecord>> {
        let sql = format!("{CONVERSATION_SELECT} WHERE cv.account_id = ?1 AND cv.display_id = ?2");
        self.first(&sql, params![account_id, display_id]).await
    }

    pub async fn visible_conversations(&self, session: &Session) -> ApiResult<Vec<ConversationRecord>> {
        let sql = format!("{CONVERSATION_SELECT} WHERE {VISIBLE_TO_SESSION} ORDER BY cv.id");
        self.all(&sql, &session_params(session)).await
    }

    pub async fn visible_conversation(
        &self,
        session: &Session,
        display_id: i64,
    ) -> ApiResult<Option<ConversationRecord>> {
        let sql =
            format!("{CONVERSATION_SELECT} WHERE {VISIBLE_TO_SESSION} AND cv.account_id = ?5 AND cv.display_id = ?6");
        let mut all = session_params(session).to_vec();
        all.extend_from_slice(params![session.account_id, display_id]);
        self.first(&sql, &all).await
    }

    /// Sets the status, records the activity and sends the survey, atomically.
    pub async fn change_status(&self, conversation: &ConversationRecord, change: &StatusChange) -> ApiResult<()> {
        let mut statements = vec![self.statement(
            "UPDATE conversations SET status = ?2, snoozed_until = ?3, updated_at = unixepoch(),
                last_activity_at = unixepoch()
             WHERE id = ?1",
            params![conversation.id, change.status.as_str(), change.snoozed_until],
        )?];
        if let Some(activity) = &change.activity {
            statements.push(self.statement(
                "INSERT INTO messages (account_id, inbox_id, conversation_id, message_type, content)
                 VALUES (?1, ?2, ?3, 2, ?4)",
                params![
                    conversation.account_id,
                    conversation.inbox_id,
                    conversation.id,
                    activity.as_str()
                ],
            )?);
        }
        if change.send_survey {
            statements.push(self.statement(
                "INSERT INTO messages (account_id, inbox_id, conversation_id, message_type, content_type, content)
                 SELECT ?1, ?2, ?3, 3, 'input_csat', ?4
                 WHERE NOT EXISTS (SELECT 1 FROM messages WHERE conversation_id = ?3 AND content_type = 'input_csat')",
                params![
                    conversation.account_id,
                    conversation.inbox_id,
                    conversation.id,
                    SURVEY_CONTENT
                ],
            )?);
        }
        self.batch(statements).await?;
        Ok(())
    }

    /// Who sees a conversation's agent-side events: the inbox's members and the administrators.
    pub async fn conversation_agent_ids(&self, account_id: i64, inbox_id: i64) -> ApiResult<Vec<i64>> {
        #[derive(Deserialize)]
        struct UserId {
            user_id: i64,
        }
        let rows: Vec<UserId> = self
            .all(
                "SELECT user_id FROM account_users WHERE account_id = ?1 AND role = 'administrator'
                 UNION SELECT user_id FROM inbox_members WHERE inbox_id = ?2",
                params![account_id, inbox_id],
            )
            .await?;
        Ok(rows.into_iter().map(|row| row.user_id).collect())
    }

    /// The visitor has seen the conversation: earlier agent messages become read.
    pub async fn mark_seen_by_contact(&self, conversation: &ConversationRecord) -> ApiResult<()> {
        let seen = self.statement(
            "UPDATE conversations SET contact_last_seen_at = unixepoch() WHERE id = ?1",
            params![conversation.id],
        )?;
        let read = self.statement(
            "UPDATE messages SET status = 'read' WHERE conversation_id = ?1 AND message_type = 1
               AND private = 0 AND status <> 'read'",
            params![conversation.id],
        )?;
        self.batch(vec![seen, read]).await?;
        Ok(())
    }
}

fn session_params(session: &Session) -> [super::Param<'_>; 4] {
    [
        session.inbox_id.into(),
        session.contact_inbox_id.into(),
        session.hmac_verified.into(),
        session.contact_id.into(),
    ]
}
