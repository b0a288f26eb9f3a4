//! Conversations: numbered per account, seen by visitors through their session.

use nimchat_shared::enums::{AssigneeType, ChannelType, ConversationStatus, Priority};
use nimchat_shared::wire::{
    AgentConversation, Assignee, Conversation, ConversationContact, ConversationCounts, ConversationMeta, Inquiry,
    InquiryVisitor, Message, TeamSummary,
};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::contacts::Session;
use super::query::{FilterTarget, Query};
use super::{flag, flag_if_selected, json_text, json_text_if_selected, page_offset, params, KeyKind, Store};
use crate::domain::csat::SURVEY_CONTENT;
use crate::domain::filters::Condition;
use crate::domain::inquiries;
use crate::domain::queue::{self, Waiting};
use crate::domain::{secrets, timestamps};
use crate::error::{ApiError, ApiResult};
use worker::d1::D1PreparedStatement;

/// A conversation with its contact and assignee, as stored.
#[derive(Debug, Clone, Deserialize)]
pub struct ConversationRecord {
    pub id: i64,
    pub account_id: i64,
    pub display_id: i64,
    pub uuid: String,
    pub inbox_id: i64,
    pub contact_id: i64,
    /// The visitor's session (contact and inbox) it belongs to.
    pub contact_inbox_id: i64,
    pub status: String,
    /// The visitor's messages do not reopen it (contract 7.3, `mute_conversation`).
    #[serde(deserialize_with = "flag")]
    pub muted: bool,
    #[serde(deserialize_with = "json_text")]
    pub custom_attributes: Map<String, Value>,
    pub contact_last_seen_at: i64,
    pub agent_last_seen_at: i64,
    pub created_at: i64,
    pub last_activity_at: i64,
    /// Unix milliseconds when it last started waiting for an agent.
    pub waiting_since: i64,
    /// The `/cable` room of the session the conversation belongs to.
    pub visitor_pubsub_token: String,
    pub(super) contact_name: String,
    pub(super) contact_email: Option<String>,
    pub(super) contact_phone_number: Option<String>,
    contact_avatar_url: Option<String>,
    assignee_id: Option<i64>,
    pub(super) assignee_name: Option<String>,
    assignee_display_name: Option<String>,
    assignee_avatar_url: Option<String>,
    pub team_id: Option<i64>,
    team_name: Option<String>,
    priority: Option<String>,
    snoozed_until: Option<i64>,
    updated_at: i64,
    #[serde(deserialize_with = "json_text")]
    additional_attributes: Map<String, Value>,
    #[serde(deserialize_with = "flag")]
    hmac_verified: bool,
    channel_type: String,
    first_reply_created_at: Option<i64>,
    #[serde(deserialize_with = "json_text")]
    pub labels: Vec<String>,
    /// Who sees its agent-side events, when the query asked (single reads do, so that
    /// announcing a change to it costs no further query).
    #[serde(default, deserialize_with = "json_text_if_selected")]
    pub audience: Option<Vec<i64>>,
    /// Whether anything but sockets hears the account's events (webhooks, API inboxes' and
    /// bots' URLs, active automation rules), when the query asked: without, announcing a
    /// change costs no query for them.
    #[serde(default, deserialize_with = "flag_if_selected")]
    pub listened: Option<bool>,
}

impl ConversationRecord {
    pub fn status(&self) -> ApiResult<ConversationStatus> {
        ConversationStatus::parse(&self.status)
            .ok_or_else(|| ApiError::Internal(format!("stored status {:?} is unknown", self.status)))
    }

    /// The agents' view: the conversation, its counts, and who it is with.
    pub fn to_agent_wire(&self, messages: Vec<Message>, unread_count: i64) -> ApiResult<AgentConversation> {
        let conversation = self.to_wire(messages)?;
        let team = match (self.team_id, &self.team_name) {
            (Some(id), Some(name)) => Some(TeamSummary { id, name: name.clone() }),
            _ => None,
        };
        let meta = ConversationMeta {
            sender: conversation.contact.clone(),
            assignee: conversation.assignee.clone(),
            team,
            channel: ChannelType::parse(&self.channel_type)
                .map(ChannelType::class_name)
                .unwrap_or_default()
                .to_string(),
            hmac_verified: self.hmac_verified,
        };
        let waiting = self.is_waiting()?;
        Ok(AgentConversation {
            conversation,
            account_id: self.account_id,
            timestamp: self.last_activity_at,
            unread_count,
            priority: self.priority.as_deref().and_then(Priority::parse),
            labels: self.labels.clone(),
            meta,
            can_reply: true,
            snoozed_until: self.snoozed_until,
            waiting_since: waiting.then_some(self.waiting_since / 1000),
            first_reply_created_at: self.first_reply_created_at,
            last_activity_at: self.last_activity_at,
            updated_at: self.updated_at,
            additional_attributes: self.additional_attributes.clone(),
            muted: self.muted,
        })
    }

    pub fn assignee_id(&self) -> Option<i64> {
        self.assignee_id
    }

    pub fn priority(&self) -> Option<&str> {
        self.priority.as_deref()
    }

    /// What `conversation_updated` webhooks report changes of (contract 7.1).
    pub fn tracked_attributes(&self) -> Map<String, Value> {
        [
            ("status", json!(self.status)),
            ("assignee_id", json!(self.assignee_id)),
            ("team_id", json!(self.team_id)),
            ("labels", json!(self.labels)),
            ("priority", json!(self.priority)),
            ("custom_attributes", json!(self.custom_attributes)),
            ("snoozed_until", json!(self.snoozed_until)),
        ]
        .into_iter()
        .map(|(key, value)| (key.to_string(), value))
        .collect()
    }

    /// Whether it waits in the inquiry queue.
    pub fn is_waiting(&self) -> ApiResult<bool> {
        Ok(self.status()?.waits_in_queue(self.assignee_id.is_some()))
    }

    /// The conversation as a Rocket.Chat inquiry, if it is one (open: waiting or just taken);
    /// `now` in Unix seconds tells whether the visitor is still around.
    pub fn to_inquiry(&self, now: i64) -> ApiResult<Option<Inquiry>> {
        let Some(status) = inquiries::inquiry_status(self.status()?, self.assignee_id.is_some()) else {
            return Ok(None);
        };
        Ok(Some(Inquiry {
            // The uuid, unique across shards, where storage ids may repeat.
            id: self.uuid.clone(),
            rid: self.display_id.to_string(),
            name: self.contact_name.clone(),
            ts: timestamps::iso_utc_millis(self.waiting_since),
            department: self.team_id.map(|team| team.to_string()),
            status: status.to_string(),
            v: InquiryVisitor {
                id: self.contact_id.to_string(),
                username: self.contact_name.clone(),
                status: inquiries::visitor_status(self.contact_last_seen_at, now).to_string(),
            },
            t: "l".to_string(),
            updated_at: timestamps::iso_utc_millis(self.last_activity_at * 1000),
            account_id: self.account_id,
            message: None,
            agents: self.assignee_id.map(|id| vec![id.to_string()]),
        }))
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
            queue_position: None,
        })
    }
}

pub(super) const CONVERSATION_COLUMNS: &str =
    "cv.id, cv.account_id, cv.display_id, cv.uuid, cv.inbox_id, cv.contact_id, cv.contact_inbox_id,
    cv.status, cv.muted, cv.custom_attributes, cv.contact_last_seen_at, cv.agent_last_seen_at,
    cv.created_at, cv.last_activity_at, COALESCE(cv.waiting_since, cv.created_at * 1000) AS waiting_since,
    c.name AS contact_name, c.email AS contact_email, c.phone_number AS contact_phone_number,
    c.avatar_url AS contact_avatar_url, cv.assignee_id, u.name AS assignee_name,
    u.display_name AS assignee_display_name, u.avatar_url AS assignee_avatar_url,
    ci.pubsub_token AS visitor_pubsub_token, cv.team_id, t.name AS team_name, cv.priority,
    cv.snoozed_until, cv.updated_at, cv.additional_attributes, ci.hmac_verified, i.channel_type,
    cv.first_reply_created_at,
    (SELECT json_group_array(label) FROM (SELECT label FROM conversation_labels
        WHERE conversation_id = cv.id ORDER BY label)) AS labels";

/// The users who see a conversation's agent-side events: the account's administrators and
/// the inbox's members. The arguments are SQL for the account and inbox ids.
fn audience_sql(account_id: &str, inbox_id: &str) -> String {
    format!(
        "SELECT user_id FROM account_users WHERE account_id = {account_id} AND role = 'administrator'
         UNION SELECT user_id FROM inbox_members WHERE inbox_id = {inbox_id}"
    )
}

/// Conversations, each with its audience and whether more than sockets hear its events.
fn with_audience_sql(condition: &str) -> String {
    format!(
        "SELECT {CONVERSATION_COLUMNS}, (SELECT json_group_array(user_id) FROM ({})) AS audience,
            (EXISTS (SELECT 1 FROM webhooks WHERE account_id = cv.account_id)
             OR EXISTS (SELECT 1 FROM inboxes WHERE account_id = cv.account_id
                          AND (webhook_url IS NOT NULL OR agent_bot_id IS NOT NULL))
             OR EXISTS (SELECT 1 FROM automation_rules WHERE account_id = cv.account_id AND active = 1)) AS listened
         {CONVERSATION_FROM} WHERE {condition}",
        audience_sql("cv.account_id", "cv.inbox_id")
    )
}

pub(super) const CONVERSATION_FROM: &str = "FROM conversations cv JOIN contacts c ON c.id = cv.contact_id
    JOIN contact_inboxes ci ON ci.id = cv.contact_inbox_id JOIN inboxes i ON i.id = cv.inbox_id
    LEFT JOIN users u ON u.id = cv.assignee_id
    LEFT JOIN teams t ON t.id = cv.team_id";

const CONVERSATION_TARGET: FilterTarget = FilterTarget {
    alias: "cv",
    labels_table: "conversation_labels",
    labels_owner: "conversation_id",
};

/// Conversations a session may see: its own, and with a verified identity every
/// conversation of the same contact in the same inbox.
const VISIBLE_TO_SESSION: &str = "cv.inbox_id = ?1 AND (cv.contact_inbox_id = ?2 OR (?3 = 1 AND cv.contact_id = ?4))";

/// Which of an account's conversations an agent lists.
#[derive(Debug, Clone)]
pub struct ConversationFilter {
    /// `None` lists every status (filters say which they want).
    pub status: Option<ConversationStatus>,
    pub assignee: AssigneeType,
    pub inbox_id: Option<i64>,
    pub team_id: Option<i64>,
    /// Conversations with any of these labels.
    pub labels: Vec<String>,
    /// A text some message of the conversation must contain.
    pub search: Option<String>,
    pub conditions: Vec<Condition>,
    /// The user asking; agents (not administrators) see only their inboxes.
    pub viewer: i64,
    pub viewer_is_administrator: bool,
}

/// Conversations listed per page, as Chatwoot pages them.
pub const CONVERSATIONS_PER_PAGE: i64 = 25;

/// A conversation to open, beyond the session it belongs to.
#[derive(Debug, Clone, Default)]
pub struct NewConversation {
    pub status: Option<ConversationStatus>,
    pub custom_attributes: Map<String, Value>,
    pub additional_attributes: Map<String, Value>,
    pub assignee_id: Option<i64>,
    pub team_id: Option<i64>,
}

/// Who looked at a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Contact,
    Agent,
}

/// A status change with what goes with it, written together.
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub status: ConversationStatus,
    pub snoozed_until: Option<i64>,
    /// An activity message recording who did it.
    pub activity: Option<String>,
    /// Send the CSAT survey, unless the conversation already has one.
    pub send_survey: bool,
    /// Resolved and muted (automation's `mute_conversation`); any other change unmutes.
    pub mute: bool,
}

impl Store {
    pub async fn create_conversation(&self, session: &Session, new: &NewConversation) -> ApiResult<ConversationRecord> {
        let uuid = secrets::uuid_v4()?;
        let custom = serde_json::to_string(&new.custom_attributes)?;
        let additional = serde_json::to_string(&new.additional_attributes)?;
        let status = new.status.unwrap_or(ConversationStatus::Open);
        self.register_key(KeyKind::Conversation, &uuid, session.account_id)
            .await?;
        // One statement, so the per-account number cannot be taken twice.
        self.run(
            "INSERT INTO conversations (account_id, display_id, uuid, inbox_id, contact_id, contact_inbox_id,
                status, custom_attributes, additional_attributes, assignee_id, team_id)
             VALUES (?1, (SELECT COALESCE(MAX(display_id), 0) + 1 FROM conversations WHERE account_id = ?1),
                ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                session.account_id,
                &uuid,
                session.inbox_id,
                session.contact_id,
                session.contact_inbox_id,
                status.as_str(),
                &custom,
                &additional,
                new.assignee_id,
                new.team_id
            ],
        )
        .await?;
        self.conversation_by_uuid(&uuid)
            .await?
            .ok_or_else(|| ApiError::Internal("conversation insert left no row".into()))
    }

    pub async fn conversation_by_uuid(&self, uuid: &str) -> ApiResult<Option<ConversationRecord>> {
        let sql = with_audience_sql("cv.uuid = ?1");
        self.first(&sql, params![uuid]).await
    }

    /// The first `limit` conversations of the account assigned to `user_id`, oldest first.
    pub async fn assigned_conversations(
        &self,
        account_id: i64,
        user_id: i64,
        limit: i64,
    ) -> ApiResult<Vec<ConversationRecord>> {
        let sql = with_audience_sql("cv.account_id = ?1 AND cv.assignee_id = ?2 ORDER BY cv.id LIMIT ?3");
        self.all(&sql, params![account_id, user_id, limit]).await
    }

    /// The conversations with these ids, oldest first.
    pub async fn conversations_by_ids(&self, ids: &[i64]) -> ApiResult<Vec<ConversationRecord>> {
        let ids = serde_json::to_string(ids)?;
        let sql = with_audience_sql("cv.id IN (SELECT value FROM json_each(?1)) ORDER BY cv.id");
        self.all(&sql, params![&ids]).await
    }

    /// Deletes a conversation with its messages (the schema cascades).
    pub async fn delete_conversation(&self, conversation_id: i64) -> ApiResult<()> {
        self.run("DELETE FROM conversations WHERE id = ?1", params![conversation_id])
            .await?;
        Ok(())
    }

    pub async fn conversation_by_display_id(
        &self,
        account_id: i64,
        display_id: i64,
    ) -> ApiResult<Option<ConversationRecord>> {
        let sql = with_audience_sql("cv.account_id = ?1 AND cv.display_id = ?2");
        self.first(&sql, params![account_id, display_id]).await
    }

    pub async fn visible_conversations(&self, session: &Session) -> ApiResult<Vec<ConversationRecord>> {
        let sql =
            format!("SELECT {CONVERSATION_COLUMNS} {CONVERSATION_FROM} WHERE {VISIBLE_TO_SESSION} ORDER BY cv.id");
        self.all(&sql, &session_params(session)).await
    }

    pub async fn visible_conversation(
        &self,
        session: &Session,
        display_id: i64,
    ) -> ApiResult<Option<ConversationRecord>> {
        let sql = with_audience_sql(&format!(
            "{VISIBLE_TO_SESSION} AND cv.account_id = ?5 AND cv.display_id = ?6"
        ));
        let mut all = session_params(session).to_vec();
        all.extend_from_slice(params![session.account_id, display_id]);
        self.first(&sql, &all).await
    }

    /// Sets the status, records the activity and sends the survey, atomically.
    pub async fn change_status(&self, conversation: &ConversationRecord, change: &StatusChange) -> ApiResult<()> {
        let statements = self.status_change_statements(conversation, change)?;
        self.batch(statements).await?;
        Ok(())
    }

    /// The writes of a status change, for a batch of their own or a larger one.
    pub(super) fn status_change_statements(
        &self,
        conversation: &ConversationRecord,
        change: &StatusChange,
    ) -> ApiResult<Vec<D1PreparedStatement>> {
        let mut statements = Vec::new();
        if change.status == ConversationStatus::Resolved {
            statements.push(self.resolution_event(conversation.id)?);
        }
        statements.push(self.statement(
            "UPDATE conversations SET status = ?2, snoozed_until = ?3, muted = ?4, updated_at = unixepoch(),
                last_activity_at = unixepoch()
             WHERE id = ?1",
            params![
                conversation.id,
                change.status.as_str(),
                change.snoozed_until,
                change.mute
            ],
        )?);
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
        Ok(statements)
    }

    /// A page (from 1) of the conversations an agent asked for, most recently active first,
    /// each with its count of unread visitor messages.
    pub async fn account_conversations(
        &self,
        account_id: i64,
        filter: &ConversationFilter,
        page: i64,
    ) -> ApiResult<Vec<(ConversationRecord, i64)>> {
        #[derive(Deserialize)]
        struct Listed {
            #[serde(flatten)]
            record: ConversationRecord,
            unread_count: i64,
        }
        // The visitor messages since an agent last looked.
        let unread = "(SELECT COUNT(*) FROM messages m WHERE m.conversation_id = cv.id AND m.message_type = 0
            AND m.created_at > cv.agent_last_seen_at) AS unread_count";
        let mut query = Query::new(&format!("SELECT {CONVERSATION_COLUMNS}, {unread} {CONVERSATION_FROM}"));
        listed(&mut query, account_id, filter);
        match filter.assignee {
            AssigneeType::Me => query.push(" AND cv.assignee_id = ").bind(filter.viewer),
            AssigneeType::Unassigned => query.push(" AND cv.assignee_id IS NULL"),
            AssigneeType::Assigned => query.push(" AND cv.assignee_id IS NOT NULL"),
            AssigneeType::All => &mut query,
        };
        let offset = page_offset(page, CONVERSATIONS_PER_PAGE);
        query
            .push(&format!(
                " ORDER BY cv.last_activity_at DESC, cv.id DESC LIMIT {CONVERSATIONS_PER_PAGE} OFFSET "
            ))
            .bind(offset);
        let rows: Vec<Listed> = self.all(&query.text, &query.params).await?;
        Ok(rows.into_iter().map(|row| (row.record, row.unread_count)).collect())
    }

    /// How many conversations of the list (all but its assignee type) are mine, unassigned,
    /// assigned, and in all.
    pub async fn conversation_counts(
        &self,
        account_id: i64,
        filter: &ConversationFilter,
    ) -> ApiResult<ConversationCounts> {
        #[derive(Deserialize)]
        struct Counts {
            mine_count: Option<i64>,
            unassigned_count: Option<i64>,
            assigned_count: Option<i64>,
            all_count: i64,
        }
        let mut query = Query::new("SELECT COUNT(*) AS all_count, SUM(cv.assignee_id IS ");
        query.bind(filter.viewer).push(
            ") AS mine_count, SUM(cv.assignee_id IS NULL) AS unassigned_count,
                SUM(cv.assignee_id IS NOT NULL) AS assigned_count FROM conversations cv",
        );
        listed(&mut query, account_id, filter);
        let counts: Option<Counts> = self.first(&query.text, &query.params).await?;
        Ok(counts
            .map(|counts| ConversationCounts {
                mine_count: counts.mine_count.unwrap_or(0),
                unassigned_count: counts.unassigned_count.unwrap_or(0),
                assigned_count: counts.assigned_count.unwrap_or(0),
                all_count: counts.all_count,
            })
            .unwrap_or_default())
    }

    /// A contact's conversations the agent may see (`viewer` bounds an agent to their
    /// inboxes), most recently active first.
    pub async fn contact_conversations(
        &self,
        account_id: i64,
        contact_id: i64,
        viewer: Option<i64>,
    ) -> ApiResult<Vec<ConversationRecord>> {
        let sql = format!(
            "SELECT {CONVERSATION_COLUMNS} {CONVERSATION_FROM} WHERE cv.account_id = ?1 AND cv.contact_id = ?2
               AND (?3 IS NULL OR cv.inbox_id IN (SELECT inbox_id FROM inbox_members WHERE user_id = ?3))
             ORDER BY cv.last_activity_at DESC, cv.id DESC"
        );
        self.all(&sql, params![account_id, contact_id, viewer]).await
    }

    /// `None` clears the priority.
    pub async fn set_priority(&self, conversation_id: i64, priority: Option<Priority>) -> ApiResult<()> {
        self.run(
            "UPDATE conversations SET priority = ?2, updated_at = unixepoch() WHERE id = ?1",
            params![conversation_id, priority.map(Priority::as_str)],
        )
        .await?;
        Ok(())
    }

    /// Sets the assignee and team (`None` clears each).
    pub async fn assign(&self, conversation_id: i64, assignee_id: Option<i64>, team_id: Option<i64>) -> ApiResult<()> {
        self.run(
            "UPDATE conversations SET assignee_id = ?2, team_id = ?3, updated_at = unixepoch() WHERE id = ?1",
            params![conversation_id, assignee_id, team_id],
        )
        .await?;
        Ok(())
    }

    /// Gives an unassigned conversation to the agent; false if someone took it meanwhile.
    pub async fn assign_if_unassigned(&self, conversation_id: i64, assignee_id: i64) -> ApiResult<bool> {
        let changed = self
            .run(
                "UPDATE conversations SET assignee_id = ?2, updated_at = unixepoch()
                 WHERE id = ?1 AND assignee_id IS NULL",
                params![conversation_id, assignee_id],
            )
            .await?;
        Ok(changed > 0)
    }

    /// Replaces the conversation's labels, atomically.
    pub async fn set_conversation_labels(&self, conversation_id: i64, labels: &[String]) -> ApiResult<()> {
        self.replace_labels("conversation_labels", "conversation_id", conversation_id, labels)
            .await
    }

    /// Merges into the conversation's custom attributes.
    pub async fn merge_conversation_attributes(
        &self,
        conversation_id: i64,
        attributes: &Map<String, Value>,
    ) -> ApiResult<()> {
        let text = serde_json::to_string(attributes)?;
        self.run(
            "UPDATE conversations SET custom_attributes = json_patch(custom_attributes, ?2), updated_at = unixepoch()
             WHERE id = ?1",
            params![conversation_id, &text],
        )
        .await?;
        Ok(())
    }

    /// Who sees a conversation's agent-side events: the inbox's members and the administrators.
    /// The inbox's inquiry queue, in order.
    pub async fn waiting_conversations(&self, inbox_id: i64) -> ApiResult<Vec<Waiting>> {
        let waiting = self
            .all(
                "SELECT cv.id, cv.display_id, COALESCE(cv.waiting_since, cv.created_at * 1000) AS waiting_since,
                    ci.pubsub_token AS visitor_pubsub_token
                 FROM conversations cv JOIN contact_inboxes ci ON ci.id = cv.contact_inbox_id
                 WHERE cv.inbox_id = ?1 AND cv.status = 'open' AND cv.assignee_id IS NULL",
                params![inbox_id],
            )
            .await?;
        Ok(queue::in_queue_order(waiting))
    }

    pub async fn conversation_agent_ids(&self, account_id: i64, inbox_id: i64) -> ApiResult<Vec<i64>> {
        #[derive(Deserialize)]
        struct UserId {
            user_id: i64,
        }
        let rows: Vec<UserId> = self
            .all(&audience_sql("?1", "?2"), params![account_id, inbox_id])
            .await?;
        Ok(rows.into_iter().map(|row| row.user_id).collect())
    }

    /// The reader has seen the conversation: the other side's earlier messages become read.
    pub async fn mark_seen(&self, conversation: &ConversationRecord, reader: Reader) -> ApiResult<()> {
        // The reader's side of the conversation, and the kind of message the other side writes.
        let (seen_column, written_by_other_side) = match reader {
            Reader::Contact => ("contact_last_seen_at", 1),
            Reader::Agent => ("agent_last_seen_at", 0),
        };
        let seen = self.statement(
            &format!("UPDATE conversations SET {seen_column} = unixepoch() WHERE id = ?1"),
            params![conversation.id],
        )?;
        let read = self.statement(
            "UPDATE messages SET status = 'read' WHERE conversation_id = ?1 AND message_type = ?2
               AND private = 0 AND status <> 'read'",
            params![conversation.id, written_by_other_side],
        )?;
        self.batch(vec![seen, read]).await?;
        Ok(())
    }
}

/// ` WHERE ...`: the account's conversations the filter selects, bounded for agents to
/// their inboxes.
fn listed<'a>(query: &mut Query<'a>, account_id: i64, filter: &'a ConversationFilter) {
    query.push(" WHERE cv.account_id = ").bind(account_id);
    if !filter.viewer_is_administrator {
        query
            .push(" AND cv.inbox_id IN (SELECT inbox_id FROM inbox_members WHERE user_id = ")
            .bind(filter.viewer)
            .push(")");
    }
    if let Some(status) = filter.status {
        query.push(" AND cv.status = ").bind(status.as_str());
    }
    if let Some(inbox_id) = filter.inbox_id {
        query.push(" AND cv.inbox_id = ").bind(inbox_id);
    }
    if let Some(team_id) = filter.team_id {
        query.push(" AND cv.team_id = ").bind(team_id);
    }
    if !filter.labels.is_empty() {
        let labels: Vec<&str> = filter.labels.iter().map(String::as_str).collect();
        query
            .push(" AND EXISTS (SELECT 1 FROM conversation_labels cl WHERE cl.conversation_id = cv.id AND cl.label IN ")
            .bind_list(&labels)
            .push(")");
    }
    if let Some(text) = &filter.search {
        query
            .push(" AND EXISTS (SELECT 1 FROM messages sm WHERE sm.conversation_id = cv.id AND ")
            .contains("sm.content", text.as_str())
            .push(")");
    }
    if !filter.conditions.is_empty() {
        query.conditions(&filter.conditions, &CONVERSATION_TARGET);
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
