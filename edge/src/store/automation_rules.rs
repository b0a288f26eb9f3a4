//! Automation rules (contract 7.3): stored as sent, after their checks; run in id order.

use serde::Deserialize;
use serde_json::{json, Value};

use super::{flag, json_text, page_offset, params, Store};
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, Deserialize)]
pub struct RuleRow {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub description: Option<String>,
    pub event_name: String,
    #[serde(deserialize_with = "flag")]
    pub active: bool,
    #[serde(deserialize_with = "json_text")]
    pub conditions: Value,
    #[serde(deserialize_with = "json_text")]
    pub actions: Value,
    pub secret: String,
    pub created_at: i64,
}

impl RuleRow {
    /// The rule object; `secret` only where the contract shows it (create and show).
    pub fn to_json(&self, with_secret: bool) -> Value {
        let mut rule = json!({
            "id": self.id,
            "account_id": self.account_id,
            "name": self.name,
            "description": self.description,
            "event_name": self.event_name,
            "active": self.active,
            "conditions": self.conditions,
            "actions": self.actions,
            "created_on": self.created_at,
        });
        if with_secret {
            rule["secret"] = json!(self.secret);
        }
        rule
    }
}

/// A rule's fields to set; `None` keeps each (all are set on create).
#[derive(Debug, Default)]
pub struct RuleChanges {
    pub name: Option<String>,
    /// `Some(None)` clears it.
    pub description: Option<Option<String>>,
    pub event_name: Option<String>,
    pub active: Option<bool>,
    pub conditions: Option<Value>,
    pub actions: Option<Value>,
}

/// Rules a page of `GET automation_rules` lists.
const RULES_PER_PAGE: i64 = 25;

const RULE_COLUMNS: &str = "id, account_id, name, description, event_name, active, conditions, actions, secret,
    created_at";

impl Store {
    pub async fn automation_rules(&self, account_id: i64, page: i64) -> ApiResult<Vec<RuleRow>> {
        self.all(
            &format!("SELECT {RULE_COLUMNS} FROM automation_rules WHERE account_id = ?1 ORDER BY id LIMIT {RULES_PER_PAGE} OFFSET ?2"),
            params![account_id, page_offset(page, RULES_PER_PAGE)],
        )
        .await
    }

    pub async fn automation_rule(&self, account_id: i64, id: i64) -> ApiResult<Option<RuleRow>> {
        self.first(
            &format!("SELECT {RULE_COLUMNS} FROM automation_rules WHERE account_id = ?1 AND id = ?2"),
            params![account_id, id],
        )
        .await
    }

    /// The account's active rules, in the order they run.
    pub async fn active_automation_rules(&self, account_id: i64) -> ApiResult<Vec<RuleRow>> {
        self.all(
            &format!("SELECT {RULE_COLUMNS} FROM automation_rules WHERE account_id = ?1 AND active = 1 ORDER BY id"),
            params![account_id],
        )
        .await
    }

    pub async fn create_automation_rule(&self, account_id: i64, new: &RuleChanges, secret: &str) -> ApiResult<RuleRow> {
        let conditions = new.conditions.as_ref().map(Value::to_string);
        let actions = new.actions.as_ref().map(Value::to_string);
        let description = new.description.clone().flatten();
        let created: Option<RuleRow> = self
            .first(
                &format!(
                    "INSERT INTO automation_rules (account_id, name, description, event_name, active, conditions,
                        actions, secret)
                     VALUES (?1, ?2, ?3, ?4, COALESCE(?5, 1), ?6, ?7, ?8)
                     RETURNING {RULE_COLUMNS}"
                ),
                params![
                    account_id,
                    &new.name,
                    &description,
                    &new.event_name,
                    new.active,
                    &conditions,
                    &actions,
                    secret,
                ],
            )
            .await?;
        created.ok_or_else(|| ApiError::Internal("the new rule was not read back".into()))
    }

    /// `false` when the account has no such rule.
    pub async fn update_automation_rule(&self, account_id: i64, id: i64, changes: &RuleChanges) -> ApiResult<bool> {
        let conditions = changes.conditions.as_ref().map(Value::to_string);
        let actions = changes.actions.as_ref().map(Value::to_string);
        let description = changes.description.clone().flatten();
        let changed = self
            .run(
                "UPDATE automation_rules SET
                    name = COALESCE(?3, name),
                    description = CASE WHEN ?4 THEN ?5 ELSE description END,
                    event_name = COALESCE(?6, event_name),
                    active = COALESCE(?7, active),
                    conditions = COALESCE(?8, conditions),
                    actions = COALESCE(?9, actions)
                 WHERE account_id = ?1 AND id = ?2",
                params![
                    account_id,
                    id,
                    &changes.name,
                    changes.description.is_some(),
                    &description,
                    &changes.event_name,
                    changes.active,
                    &conditions,
                    &actions,
                ],
            )
            .await?;
        Ok(changed > 0)
    }

    pub async fn delete_automation_rule(&self, account_id: i64, id: i64) -> ApiResult<bool> {
        let statements = vec![
            self.statement(
                "DELETE FROM webhook_deliveries WHERE target_kind = 'automation_rule' AND target_id = ?1
                   AND account_id = ?2",
                params![id, account_id],
            )?,
            self.statement(
                "DELETE FROM automation_rules WHERE account_id = ?1 AND id = ?2",
                params![account_id, id],
            )?,
        ];
        let results = self.batch(statements).await?;
        let deleted = results
            .last()
            .and_then(|result| result.meta().ok().flatten())
            .and_then(|meta| meta.changes)
            .unwrap_or(0);
        Ok(deleted > 0)
    }
}
