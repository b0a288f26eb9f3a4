//! Webhooks, and events on their way to other servers (contract 7.1): the endpoints of an
//! account, the deliveries waiting for an attempt, and the log of finished attempts.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{flag, json_text, params, taken, Store};
use crate::error::ApiResult;

/// A webhook as stored; `secret` is shown only where the contract says.
#[derive(Debug, Clone, Deserialize)]
pub struct WebhookRow {
    pub id: i64,
    pub account_id: i64,
    pub name: Option<String>,
    pub url: String,
    #[serde(deserialize_with = "json_text")]
    pub subscriptions: Vec<String>,
    pub inbox_id: Option<i64>,
    pub secret: String,
}

/// A webhook's fields to set; `None` keeps each (`inbox_id: Some(None)` clears it).
#[derive(Debug, Default)]
pub struct WebhookChanges {
    pub name: Option<String>,
    /// The name was sent empty or `null`.
    pub clears_name: bool,
    pub url: Option<String>,
    pub subscriptions: Option<Vec<String>>,
    pub inbox_id: Option<Option<i64>>,
}

/// Who hears an account's events: a webhook, or an API inbox's `webhook_url`.
#[derive(Debug, Clone, Deserialize)]
pub struct Endpoint {
    pub kind: String,
    pub id: i64,
    pub url: String,
    /// A JSON array of event names; `None`: every event of its inbox (an API inbox's
    /// `webhook_url`).
    subscriptions: Option<String>,
    pub inbox_id: Option<i64>,
}

impl Endpoint {
    /// One endpoint that hears what it is sent (an automation rule's URL).
    pub fn single(kind: &str, id: i64, url: &str) -> Endpoint {
        Endpoint {
            kind: kind.to_string(),
            id,
            url: url.to_string(),
            subscriptions: None,
            inbox_id: None,
        }
    }

    pub fn subscribes_to(&self, event: &str) -> bool {
        match &self.subscriptions {
            None => true,
            Some(names) => serde_json::from_str::<Vec<String>>(names)
                .map(|names| names.iter().any(|name| name == event))
                .unwrap_or(false),
        }
    }
}

/// One event for one endpoint, as the request that caused it leaves it.
pub struct NewDelivery<'a> {
    pub kind: &'a str,
    pub target_id: i64,
    pub url: &'a str,
    pub message_id: String,
    pub event: &'a str,
    pub body: &'a str,
}

/// What a queue message names: the delivery to attempt, in the account's shard.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct DeliveryTicket {
    pub account_id: i64,
    pub delivery_id: i64,
}

/// A delivery about to be attempted; `secret` is `None` when its endpoint is gone.
#[derive(Debug, Deserialize)]
pub struct PendingDelivery {
    pub id: i64,
    pub account_id: i64,
    pub target_kind: String,
    pub target_id: i64,
    pub url: String,
    pub message_id: String,
    pub event: String,
    pub body: String,
    pub attempts: i64,
    pub secret: Option<String>,
}

/// A finished attempt, as `GET webhooks/{id}/deliveries` lists it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Attempt {
    pub id: i64,
    pub message_id: String,
    pub event: String,
    pub attempt: i64,
    pub status: String,
    pub response_code: Option<i64>,
    pub error: Option<String>,
    pub attempted_at: i64,
    pub duration_ms: i64,
    pub next_attempt_at: Option<i64>,
}

/// What a conversation's event payloads name beside the conversation itself.
#[derive(Debug, Deserialize)]
pub struct ConversationSubjects {
    pub account_name: String,
    pub inbox_name: String,
    pub source_id: String,
    #[serde(deserialize_with = "flag")]
    pub hmac_verified: bool,
    pub contact_id: i64,
    pub contact_name: String,
    pub contact_email: Option<String>,
    pub contact_phone_number: Option<String>,
    pub contact_identifier: Option<String>,
    pub contact_avatar_url: Option<String>,
    #[serde(deserialize_with = "json_text")]
    pub contact_custom_attributes: Map<String, Value>,
    #[serde(deserialize_with = "json_text")]
    pub contact_additional_attributes: Map<String, Value>,
    pub assignee_email: Option<String>,
    /// The visitor's messages since an agent last looked.
    pub unread_count: i64,
}

#[derive(Deserialize)]
struct Name {
    name: String,
}

/// Finished attempts kept per endpoint.
const ATTEMPTS_KEPT: i64 = 100;

const WEBHOOK_SELECT: &str = "SELECT id, account_id, name, url, subscriptions, inbox_id, secret FROM webhooks";

impl Store {
    pub async fn webhooks(&self, account_id: i64) -> ApiResult<Vec<WebhookRow>> {
        self.all(
            &format!("{WEBHOOK_SELECT} WHERE account_id = ?1 ORDER BY id"),
            params![account_id],
        )
        .await
    }

    pub async fn webhook(&self, account_id: i64, id: i64) -> ApiResult<Option<WebhookRow>> {
        self.first(
            &format!("{WEBHOOK_SELECT} WHERE account_id = ?1 AND id = ?2"),
            params![account_id, id],
        )
        .await
    }

    /// A URL the account already has is 422 on `url`.
    pub async fn create_webhook(&self, account_id: i64, new: &WebhookChanges, secret: &str) -> ApiResult<WebhookRow> {
        let subscriptions = serde_json::to_string(&new.subscriptions)?;
        let created: Option<WebhookRow> = self
            .first(
                "INSERT INTO webhooks (account_id, name, url, subscriptions, inbox_id, secret)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 RETURNING id, account_id, name, url, subscriptions, inbox_id, secret",
                params![
                    account_id,
                    &new.name,
                    &new.url,
                    subscriptions.as_str(),
                    new.inbox_id.flatten(),
                    secret
                ],
            )
            .await
            .map_err(taken("webhooks", "url"))?;
        created.ok_or_else(|| crate::error::ApiError::Internal("the new webhook was not read back".into()))
    }

    /// `false` when the account has no such webhook.
    pub async fn update_webhook(&self, account_id: i64, id: i64, changes: &WebhookChanges) -> ApiResult<bool> {
        let subscriptions = changes.subscriptions.as_ref().map(serde_json::to_string).transpose()?;
        let changed = self
            .run(
                "UPDATE webhooks SET
                    name = CASE WHEN ?3 THEN NULL ELSE COALESCE(?4, name) END,
                    url = COALESCE(?5, url),
                    subscriptions = COALESCE(?6, subscriptions),
                    inbox_id = CASE WHEN ?7 THEN ?8 ELSE inbox_id END
                 WHERE account_id = ?1 AND id = ?2",
                params![
                    account_id,
                    id,
                    changes.clears_name,
                    &changes.name,
                    &changes.url,
                    &subscriptions,
                    changes.inbox_id.is_some(),
                    changes.inbox_id.flatten(),
                ],
            )
            .await
            .map_err(taken("webhooks", "url"))?;
        Ok(changed > 0)
    }

    /// The webhook, its events not yet attempted and its log.
    pub async fn delete_webhook(&self, account_id: i64, id: i64) -> ApiResult<()> {
        let statements = vec![
            self.statement(
                "DELETE FROM webhook_deliveries WHERE target_kind = 'webhook' AND target_id = ?1 AND account_id = ?2",
                params![id, account_id],
            )?,
            self.statement(
                "DELETE FROM webhook_attempts WHERE target_kind = 'webhook' AND target_id = ?1 AND account_id = ?2",
                params![id, account_id],
            )?,
            self.statement(
                "DELETE FROM webhooks WHERE id = ?1 AND account_id = ?2",
                params![id, account_id],
            )?,
        ];
        self.batch(statements).await?;
        Ok(())
    }

    /// Every webhook of the account, its API inboxes with a `webhook_url`, and the bots
    /// connected to its inboxes (hearing `bot_events`, of the contacts they own).
    pub async fn endpoints(&self, account_id: i64, bot_events: &str) -> ApiResult<Vec<Endpoint>> {
        self.all(
            "SELECT 'webhook' AS kind, id, url, subscriptions, inbox_id FROM webhooks WHERE account_id = ?1
             UNION ALL
             SELECT 'inbox', id, webhook_url, NULL, id FROM inboxes
              WHERE account_id = ?1 AND channel_type = 'api' AND webhook_url IS NOT NULL AND webhook_secret IS NOT NULL
             UNION ALL
             SELECT 'agent_bot', b.id, b.outgoing_url, ?2, i.id FROM inboxes i JOIN agent_bots b ON b.id = i.agent_bot_id
              WHERE i.account_id = ?1 AND b.outgoing_url IS NOT NULL AND b.secret IS NOT NULL",
            params![account_id, bot_events],
        )
        .await
    }

    /// Who answers the conversation's contact as stored (`None`: the default, contract 5.1).
    pub async fn conversation_handover_owner(&self, conversation_id: i64) -> ApiResult<Option<String>> {
        #[derive(Deserialize)]
        struct Owner {
            handover_owner: Option<String>,
        }
        let row: Option<Owner> = self
            .first(
                "SELECT ci.handover_owner FROM conversations cv JOIN contact_inboxes ci ON ci.id = cv.contact_inbox_id
                 WHERE cv.id = ?1",
                params![conversation_id],
            )
            .await?;
        Ok(row.and_then(|row| row.handover_owner))
    }

    pub async fn user_email(&self, user_id: i64) -> ApiResult<Option<String>> {
        #[derive(Deserialize)]
        struct Email {
            email: String,
        }
        let row: Option<Email> = self
            .first("SELECT email FROM users WHERE id = ?1", params![user_id])
            .await?;
        Ok(row.map(|row| row.email))
    }

    pub async fn account_name(&self, account_id: i64) -> ApiResult<String> {
        let row: Option<Name> = self
            .first("SELECT name FROM accounts WHERE id = ?1", params![account_id])
            .await?;
        Ok(row.map(|row| row.name).unwrap_or_default())
    }

    pub async fn conversation_subjects(&self, conversation_id: i64) -> ApiResult<Option<ConversationSubjects>> {
        self.first(
            "SELECT a.name AS account_name, i.name AS inbox_name, ci.source_id, ci.hmac_verified,
                    c.id AS contact_id, c.name AS contact_name, c.email AS contact_email,
                    c.phone_number AS contact_phone_number, c.identifier AS contact_identifier,
                    c.avatar_url AS contact_avatar_url, c.custom_attributes AS contact_custom_attributes,
                    c.additional_attributes AS contact_additional_attributes, u.email AS assignee_email,
                    (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = cv.id AND m.message_type = 0
                       AND m.created_at > cv.agent_last_seen_at) AS unread_count
             FROM conversations cv
             JOIN accounts a ON a.id = cv.account_id
             JOIN inboxes i ON i.id = cv.inbox_id
             JOIN contact_inboxes ci ON ci.id = cv.contact_inbox_id
             JOIN contacts c ON c.id = cv.contact_id
             LEFT JOIN users u ON u.id = cv.assignee_id
             WHERE cv.id = ?1",
            params![conversation_id],
        )
        .await
    }

    /// Stores the event once per endpoint, in one batch; answers the new rows' ids.
    pub async fn add_deliveries(&self, account_id: i64, deliveries: &[NewDelivery<'_>]) -> ApiResult<Vec<i64>> {
        #[derive(Deserialize)]
        struct Id {
            id: i64,
        }
        let statements = deliveries
            .iter()
            .map(|delivery| {
                self.statement(
                    "INSERT INTO webhook_deliveries (account_id, target_kind, target_id, url, message_id, event, body,
                        due_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, unixepoch()) RETURNING id",
                    params![
                        account_id,
                        delivery.kind,
                        delivery.target_id,
                        delivery.url,
                        delivery.message_id.as_str(),
                        delivery.event,
                        delivery.body,
                    ],
                )
            })
            .collect::<ApiResult<Vec<_>>>()?;
        let mut ids = Vec::new();
        for result in self.batch(statements).await? {
            ids.extend(result.results::<Id>()?.into_iter().map(|row| row.id));
        }
        Ok(ids)
    }

    pub async fn pending_delivery(&self, id: i64) -> ApiResult<Option<PendingDelivery>> {
        self.first(
            "SELECT d.id, d.account_id, d.target_kind, d.target_id, d.url, d.message_id, d.event, d.body,
                    d.attempts,
                    CASE d.target_kind
                      WHEN 'webhook' THEN (SELECT secret FROM webhooks WHERE id = d.target_id)
                      WHEN 'inbox' THEN (SELECT webhook_secret FROM inboxes
                                          WHERE id = d.target_id AND webhook_url IS NOT NULL)
                      WHEN 'agent_bot' THEN (SELECT secret FROM agent_bots WHERE id = d.target_id)
                      WHEN 'automation_rule' THEN (SELECT secret FROM automation_rules WHERE id = d.target_id)
                    END AS secret
             FROM webhook_deliveries d WHERE d.id = ?1",
            params![id],
        )
        .await
    }

    pub async fn drop_delivery(&self, id: i64) -> ApiResult<()> {
        self.run("DELETE FROM webhook_deliveries WHERE id = ?1", params![id])
            .await?;
        Ok(())
    }

    /// Logs an attempt (keeping the endpoint's last 100) and, in the same batch, counts it on
    /// the delivery, or deletes the delivery when no attempt follows.
    pub async fn finish_attempt(&self, delivery: &PendingDelivery, attempt: &Attempt) -> ApiResult<()> {
        let target = params![delivery.target_kind.as_str(), delivery.target_id];
        let mut statements = vec![
            self.statement(
                "INSERT INTO webhook_attempts (account_id, target_kind, target_id, message_id, event, attempt,
                    status, response_code, error, attempted_at, duration_ms, next_attempt_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    delivery.account_id,
                    delivery.target_kind.as_str(),
                    delivery.target_id,
                    attempt.message_id.as_str(),
                    attempt.event.as_str(),
                    attempt.attempt,
                    attempt.status.as_str(),
                    attempt.response_code,
                    &attempt.error,
                    attempt.attempted_at,
                    attempt.duration_ms,
                    attempt.next_attempt_at,
                ],
            )?,
            self.statement(
                &format!(
                    "DELETE FROM webhook_attempts WHERE target_kind = ?1 AND target_id = ?2 AND id <= (
                       SELECT id FROM webhook_attempts WHERE target_kind = ?1 AND target_id = ?2
                       ORDER BY id DESC LIMIT 1 OFFSET {ATTEMPTS_KEPT})"
                ),
                target,
            )?,
        ];
        statements.push(match attempt.next_attempt_at {
            Some(next) => self.statement(
                "UPDATE webhook_deliveries SET attempts = ?2, due_at = ?3 WHERE id = ?1",
                params![delivery.id, attempt.attempt, next],
            )?,
            None => self.statement("DELETE FROM webhook_deliveries WHERE id = ?1", params![delivery.id])?,
        });
        self.batch(statements).await?;
        Ok(())
    }

    /// Deliveries whose attempt was due before `overdue_before`, marked due again at `now`
    /// so that the next sweep leaves them to the queue for a while.
    pub async fn take_overdue_deliveries(&self, overdue_before: i64, now: i64) -> ApiResult<Vec<DeliveryTicket>> {
        self.all(
            "UPDATE webhook_deliveries SET due_at = ?2
             WHERE id IN (SELECT id FROM webhook_deliveries WHERE COALESCE(due_at, created_at) < ?1 LIMIT 500)
             RETURNING account_id, id AS delivery_id",
            params![overdue_before, now],
        )
        .await
    }

    /// The endpoint's last finished attempts, newest first.
    pub async fn attempts(&self, kind: &str, target_id: i64) -> ApiResult<Vec<Attempt>> {
        self.all(
            &format!(
                "SELECT id, message_id, event, attempt, status, response_code, error, attempted_at, duration_ms,
                        next_attempt_at
                 FROM webhook_attempts WHERE target_kind = ?1 AND target_id = ?2
                 ORDER BY id DESC LIMIT {ATTEMPTS_KEPT}"
            ),
            params![kind, target_id],
        )
        .await
    }
}
