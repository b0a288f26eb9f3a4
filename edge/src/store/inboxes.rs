//! Inboxes and their members.

use nimchat_shared::enums::{ChannelType, ReplyTime};
use nimchat_shared::wire::{Agent, Inbox, WorkingHoursDay};
use serde::Deserialize;
use serde_json::Value;

use super::account_users::{AgentRow, AVAILABLE_NOW, MEMBERSHIP_COLUMNS};
use super::users::PERSON_COLUMNS;
use super::{flag, json_text, params, Count, KeyKind, Store};
use crate::domain::inbox_settings::{default_pre_chat_form_options, InboxChanges};
use crate::domain::secrets;
use crate::domain::standard_webhooks;
use crate::error::{ApiError, ApiResult};

#[derive(Deserialize)]
struct InboxRow {
    id: i64,
    account_id: i64,
    name: String,
    channel_type: String,
    identifier: String,
    hmac_token: String,
    #[serde(deserialize_with = "flag")]
    hmac_mandatory: bool,
    website_url: Option<String>,
    webhook_url: Option<String>,
    webhook_secret: Option<String>,
    widget_color: String,
    welcome_title: Option<String>,
    welcome_tagline: Option<String>,
    reply_time: String,
    #[serde(deserialize_with = "flag")]
    csat_survey_enabled: bool,
    #[serde(deserialize_with = "flag")]
    greeting_enabled: bool,
    greeting_message: Option<String>,
    #[serde(deserialize_with = "flag")]
    working_hours_enabled: bool,
    #[serde(deserialize_with = "json_text")]
    working_hours: Vec<WorkingHoursDay>,
    timezone: String,
    out_of_office_message: Option<String>,
    #[serde(deserialize_with = "flag")]
    enable_auto_assignment: bool,
    #[serde(deserialize_with = "flag")]
    lock_to_single_conversation: bool,
    #[serde(deserialize_with = "flag")]
    allow_messages_after_resolved: bool,
    allowed_domains: String,
    #[serde(deserialize_with = "flag")]
    pre_chat_form_enabled: bool,
    #[serde(deserialize_with = "json_text")]
    pre_chat_form_options: Value,
    agent_bot_id: Option<i64>,
}

const INBOX_COLUMNS: &str = "id, account_id, name, channel_type, identifier, hmac_token, hmac_mandatory,
    website_url, webhook_url, webhook_secret, widget_color, welcome_title, welcome_tagline, reply_time, csat_survey_enabled,
    greeting_enabled, greeting_message, working_hours_enabled, working_hours, timezone, out_of_office_message,
    enable_auto_assignment, lock_to_single_conversation, allow_messages_after_resolved, allowed_domains,
    pre_chat_form_enabled, pre_chat_form_options, agent_bot_id";

impl InboxRow {
    /// The stored inbox with its secret; callers decide who may see `hmac_token`.
    fn into_inbox(self) -> ApiResult<Inbox> {
        let channel = ChannelType::parse(&self.channel_type)
            .ok_or_else(|| ApiError::Internal(format!("stored channel {:?} is unknown", self.channel_type)))?;
        Ok(Inbox {
            id: self.id,
            account_id: self.account_id,
            name: self.name,
            channel_type: channel.class_name().to_string(),
            website_token: (channel == ChannelType::WebWidget).then(|| self.identifier.clone()),
            inbox_identifier: self.identifier,
            web_widget_script: None,
            hmac_token: Some(self.hmac_token),
            hmac_mandatory: self.hmac_mandatory,
            website_url: self.website_url,
            webhook_url: self.webhook_url,
            webhook_secret: self.webhook_secret,
            avatar_url: String::new(),
            widget_color: self.widget_color,
            welcome_title: self.welcome_title,
            welcome_tagline: self.welcome_tagline,
            reply_time: ReplyTime::parse(&self.reply_time).unwrap_or(ReplyTime::InAFewMinutes),
            csat_survey_enabled: self.csat_survey_enabled,
            greeting_enabled: self.greeting_enabled,
            greeting_message: self.greeting_message,
            working_hours_enabled: self.working_hours_enabled,
            working_hours: self.working_hours,
            timezone: self.timezone,
            out_of_office_message: self.out_of_office_message,
            enable_auto_assignment: self.enable_auto_assignment,
            lock_to_single_conversation: self.lock_to_single_conversation,
            allow_messages_after_resolved: self.allow_messages_after_resolved,
            allowed_domains: self.allowed_domains,
            pre_chat_form_enabled: self.pre_chat_form_enabled,
            pre_chat_form_options: self.pre_chat_form_options,
            agent_bot_id: self.agent_bot_id,
        })
    }
}

impl Store {
    /// Creates the inbox with fresh secrets, then applies the requested settings, atomically.
    pub async fn create_inbox(&self, account_id: i64, changes: &InboxChanges) -> ApiResult<Inbox> {
        let channel = changes
            .channel_type
            .ok_or_else(|| ApiError::invalid("channel.type", "Channel type must be web_widget or api"))?;
        let (identifier, hmac_token) = (secrets::token()?, secrets::token()?);
        let week = serde_json::to_string(&WorkingHoursDay::default_week())?;
        let pre_chat = default_pre_chat_form_options().to_string();
        let insert = self.statement(
            "INSERT INTO inboxes (account_id, name, channel_type, identifier, hmac_token, working_hours,
                pre_chat_form_options)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                account_id,
                &changes.name,
                channel.as_str(),
                &identifier,
                &hmac_token,
                &week,
                &pre_chat
            ],
        )?;
        let settings = self.inbox_update_statement(&identifier, changes)?;
        self.register_key(KeyKind::Inbox, &identifier, account_id).await?;
        self.batch(vec![insert, settings]).await?;
        let sql = format!("SELECT {INBOX_COLUMNS} FROM inboxes WHERE identifier = ?1");
        self.first::<InboxRow>(&sql, params![&identifier])
            .await?
            .ok_or_else(|| ApiError::Internal("inbox insert left no row".into()))?
            .into_inbox()
    }

    /// Sets every given field of the inbox with this identifier; absent fields stay.
    fn inbox_update_statement(
        &self,
        identifier: &str,
        changes: &InboxChanges,
    ) -> ApiResult<worker::d1::D1PreparedStatement> {
        let working_hours = changes.working_hours.as_ref().map(serde_json::to_string).transpose()?;
        let pre_chat = changes.pre_chat_form_options.as_ref().map(Value::to_string);
        self.statement(
            "UPDATE inboxes SET
                name = COALESCE(?2, name),
                website_url = COALESCE(?3, website_url),
                webhook_url = COALESCE(?4, webhook_url),
                webhook_secret = CASE WHEN ?4 IS NULL THEN webhook_secret ELSE COALESCE(webhook_secret, ?23) END,
                widget_color = COALESCE(?5, widget_color),
                welcome_title = COALESCE(?6, welcome_title),
                welcome_tagline = COALESCE(?7, welcome_tagline),
                reply_time = COALESCE(?8, reply_time),
                hmac_mandatory = COALESCE(?9, hmac_mandatory),
                csat_survey_enabled = COALESCE(?10, csat_survey_enabled),
                greeting_enabled = COALESCE(?11, greeting_enabled),
                greeting_message = COALESCE(?12, greeting_message),
                working_hours_enabled = COALESCE(?13, working_hours_enabled),
                working_hours = COALESCE(?14, working_hours),
                timezone = COALESCE(?15, timezone),
                out_of_office_message = COALESCE(?16, out_of_office_message),
                enable_auto_assignment = COALESCE(?17, enable_auto_assignment),
                lock_to_single_conversation = COALESCE(?18, lock_to_single_conversation),
                allow_messages_after_resolved = COALESCE(?19, allow_messages_after_resolved),
                allowed_domains = COALESCE(?20, allowed_domains),
                pre_chat_form_enabled = COALESCE(?21, pre_chat_form_enabled),
                pre_chat_form_options = COALESCE(?22, pre_chat_form_options),
                updated_at = unixepoch()
             WHERE identifier = ?1",
            params![
                identifier,
                &changes.name,
                &changes.website_url,
                &changes.webhook_url,
                &changes.widget_color,
                &changes.welcome_title,
                &changes.welcome_tagline,
                changes.reply_time.map(ReplyTime::as_str),
                changes.hmac_mandatory,
                changes.csat_survey_enabled,
                changes.greeting_enabled,
                &changes.greeting_message,
                changes.working_hours_enabled,
                &working_hours,
                &changes.timezone,
                &changes.out_of_office_message,
                changes.enable_auto_assignment,
                changes.lock_to_single_conversation,
                changes.allow_messages_after_resolved,
                &changes.allowed_domains,
                changes.pre_chat_form_enabled,
                &pre_chat,
                &standard_webhooks::secret(secrets::random_bytes()?),
            ],
        )
    }

    pub async fn update_inbox(&self, inbox: &Inbox, changes: &InboxChanges) -> ApiResult<Inbox> {
        self.batch(vec![self.inbox_update_statement(&inbox.inbox_identifier, changes)?])
            .await?;
        self.inbox(inbox.account_id, inbox.id).await?.ok_or(ApiError::NotFound)
    }

    pub async fn inbox(&self, account_id: i64, id: i64) -> ApiResult<Option<Inbox>> {
        let sql = format!("SELECT {INBOX_COLUMNS} FROM inboxes WHERE account_id = ?1 AND id = ?2");
        self.first::<InboxRow>(&sql, params![account_id, id])
            .await?
            .map(InboxRow::into_inbox)
            .transpose()
    }

    /// The inbox a Client API identifier names.
    pub async fn inbox_by_identifier(&self, identifier: &str) -> ApiResult<Option<Inbox>> {
        let sql = format!("SELECT {INBOX_COLUMNS} FROM inboxes WHERE identifier = ?1");
        self.first::<InboxRow>(&sql, params![identifier])
            .await?
            .map(InboxRow::into_inbox)
            .transpose()
    }

    /// Whether an agent member of the inbox is `available` in its account now.
    pub async fn has_available_member(&self, inbox: &Inbox) -> ApiResult<bool> {
        let sql = format!(
            "SELECT COUNT(*) AS n FROM inbox_members m
               JOIN account_users au ON au.user_id = m.user_id AND au.account_id = ?1
             WHERE m.inbox_id = ?2 AND {AVAILABLE_NOW}"
        );
        let row: Option<Count> = self.first(&sql, params![inbox.account_id, inbox.id]).await?;
        Ok(row.is_some_and(|row| row.n > 0))
    }

    /// The account's inboxes; with `member`, only those the user is a member of.
    pub async fn inboxes(&self, account_id: i64, member: Option<i64>) -> ApiResult<Vec<Inbox>> {
        let sql = format!(
            "SELECT {INBOX_COLUMNS} FROM inboxes WHERE account_id = ?1
               AND (?2 IS NULL OR id IN (SELECT inbox_id FROM inbox_members WHERE user_id = ?2))
             ORDER BY id"
        );
        let rows: Vec<InboxRow> = self.all(&sql, params![account_id, member]).await?;
        rows.into_iter().map(InboxRow::into_inbox).collect()
    }

    pub async fn set_inbox_agent_bot(&self, inbox_id: i64, agent_bot_id: Option<i64>) -> ApiResult<()> {
        self.run(
            "UPDATE inboxes SET agent_bot_id = ?2, updated_at = unixepoch() WHERE id = ?1",
            params![inbox_id, agent_bot_id],
        )
        .await?;
        Ok(())
    }

    pub async fn inbox_members(&self, inbox: &Inbox) -> ApiResult<Vec<Agent>> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS}, {MEMBERSHIP_COLUMNS} FROM inbox_members m
               JOIN users u ON u.id = m.user_id
               JOIN account_users au ON au.user_id = m.user_id AND au.account_id = ?1
             WHERE m.inbox_id = ?2 ORDER BY u.id"
        );
        let rows: Vec<AgentRow> = self.all(&sql, params![inbox.account_id, inbox.id]).await?;
        rows.into_iter().map(AgentRow::into_agent).collect()
    }

    /// Deletes an inbox of the account with everything of it (the schema cascades).
    /// Deletes the inbox (cascading to its sessions and conversations), then its key.
    pub async fn delete_inbox(&self, account_id: i64, inbox_id: i64) -> ApiResult<()> {
        #[derive(Deserialize)]
        struct Identifier {
            identifier: String,
        }
        let deleted: Option<Identifier> = self
            .first(
                "DELETE FROM inboxes WHERE account_id = ?1 AND id = ?2 RETURNING identifier",
                params![account_id, inbox_id],
            )
            .await?;
        if let Some(deleted) = deleted {
            self.forget_key(KeyKind::Inbox, &deleted.identifier).await?;
        }
        Ok(())
    }

    pub async fn is_inbox_member(&self, inbox_id: i64, user_id: i64) -> ApiResult<bool> {
        let row: Option<Count> = self
            .first(
                "SELECT COUNT(*) AS n FROM inbox_members WHERE inbox_id = ?1 AND user_id = ?2",
                params![inbox_id, user_id],
            )
            .await?;
        Ok(row.is_some_and(|row| row.n > 0))
    }

    /// Of these users, those who are not members of the account.
    pub async fn non_members(&self, account_id: i64, user_ids: &[i64]) -> ApiResult<Vec<i64>> {
        #[derive(Deserialize)]
        struct Missing {
            id: i64,
        }
        let ids = serde_json::to_string(user_ids)?;
        let rows: Vec<Missing> = self
            .all(
                "SELECT value AS id FROM json_each(?2)
                 WHERE value NOT IN (SELECT user_id FROM account_users WHERE account_id = ?1)",
                params![account_id, &ids],
            )
            .await?;
        Ok(rows.into_iter().map(|row| row.id).collect())
    }

    /// Adds members; with `replace`, the inbox ends with exactly these members. One transaction.
    pub async fn put_inbox_members(&self, inbox_id: i64, user_ids: &[i64], replace: bool) -> ApiResult<()> {
        let mut statements = Vec::with_capacity(user_ids.len() + 1);
        if replace {
            let keep = serde_json::to_string(user_ids)?;
            statements.push(self.statement(
                "DELETE FROM inbox_members WHERE inbox_id = ?1
                 AND user_id NOT IN (SELECT value FROM json_each(?2))",
                params![inbox_id, &keep],
            )?);
        }
        for &user_id in user_ids {
            statements.push(self.statement(
                "INSERT INTO inbox_members (inbox_id, user_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                params![inbox_id, user_id],
            )?);
        }
        self.batch(statements).await?;
        Ok(())
    }

    pub async fn remove_inbox_members(&self, inbox_id: i64, user_ids: &[i64]) -> ApiResult<()> {
        let gone = serde_json::to_string(user_ids)?;
        self.run(
            "DELETE FROM inbox_members WHERE inbox_id = ?1 AND user_id IN (SELECT value FROM json_each(?2))",
            params![inbox_id, &gone],
        )
        .await?;
        Ok(())
    }
}
