//! The account's labels, and canned responses: the small lists agents pick from.

use nimchat_shared::wire::{CannedResponse, Label};
use serde::Deserialize;

use super::{flag, params, taken, Store};
use crate::error::{ApiError, ApiResult};

#[derive(Deserialize)]
struct LabelRow {
    id: i64,
    title: String,
    description: Option<String>,
    color: String,
    #[serde(deserialize_with = "flag")]
    show_on_sidebar: bool,
}

impl From<LabelRow> for Label {
    fn from(row: LabelRow) -> Self {
        Label {
            id: row.id,
            title: row.title,
            description: row.description,
            color: row.color,
            show_on_sidebar: row.show_on_sidebar,
        }
    }
}

/// A label's fields to set; `None` keeps each.
#[derive(Debug, Default)]
pub struct LabelChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub color: Option<String>,
    pub show_on_sidebar: Option<bool>,
}

/// A canned response's fields to set; `None` keeps each.
#[derive(Debug, Default)]
pub struct CannedResponseChanges {
    pub short_code: Option<String>,
    pub content: Option<String>,
}

#[derive(Deserialize)]
struct Id {
    id: i64,
}

const LABEL_SELECT: &str = "SELECT id, title, description, color, show_on_sidebar FROM labels";
const CANNED_SELECT: &str = "SELECT id, short_code, content, account_id FROM canned_responses";

impl Store {
    pub async fn labels(&self, account_id: i64) -> ApiResult<Vec<Label>> {
        let rows: Vec<LabelRow> = self
            .all(
                &format!("{LABEL_SELECT} WHERE account_id = ?1 ORDER BY title"),
                params![account_id],
            )
            .await?;
        Ok(rows.into_iter().map(Label::from).collect())
    }

    pub async fn label(&self, account_id: i64, id: i64) -> ApiResult<Option<Label>> {
        let row: Option<LabelRow> = self
            .first(
                &format!("{LABEL_SELECT} WHERE account_id = ?1 AND id = ?2"),
                params![account_id, id],
            )
            .await?;
        Ok(row.map(Label::from))
    }

    pub async fn create_label(&self, account_id: i64, new: &LabelChanges) -> ApiResult<Label> {
        let id: Option<Id> = self
            .first(
                "INSERT INTO labels (account_id, title, description, color, show_on_sidebar)
                 VALUES (?1, ?2, ?3, COALESCE(?4, '#1f93ff'), COALESCE(?5, 1)) RETURNING id",
                params![
                    account_id,
                    &new.title,
                    &new.description,
                    &new.color,
                    new.show_on_sidebar
                ],
            )
            .await
            .map_err(taken("labels", "title"))?;
        let id = id
            .ok_or_else(|| ApiError::Internal("label insert returned no id".into()))?
            .id;
        self.label(account_id, id).await?.ok_or(ApiError::NotFound)
    }

    /// Renaming a label renames it on every contact and conversation, atomically.
    pub async fn update_label(&self, account_id: i64, id: i64, changes: &LabelChanges) -> ApiResult<bool> {
        let old = match self.label(account_id, id).await? {
            Some(label) => label.title,
            None => return Ok(false),
        };
        let mut statements = vec![self.statement(
            "UPDATE labels SET title = COALESCE(?3, title), description = COALESCE(?4, description),
                color = COALESCE(?5, color), show_on_sidebar = COALESCE(?6, show_on_sidebar)
             WHERE account_id = ?1 AND id = ?2",
            params![
                account_id,
                id,
                &changes.title,
                &changes.description,
                &changes.color,
                changes.show_on_sidebar
            ],
        )?];
        if let Some(title) = changes.title.as_ref().filter(|title| **title != old) {
            for (table, owner, parent) in [
                ("conversation_labels", "conversation_id", "conversations"),
                ("contact_labels", "contact_id", "contacts"),
            ] {
                statements.push(self.statement(
                    &format!(
                        "UPDATE OR REPLACE {table} SET label = ?3 WHERE label = ?2
                           AND {owner} IN (SELECT id FROM {parent} WHERE account_id = ?1)"
                    ),
                    params![account_id, &old, title],
                )?);
            }
        }
        self.batch(statements).await.map_err(taken("labels", "title"))?;
        Ok(true)
    }

    pub async fn delete_label(&self, account_id: i64, id: i64) -> ApiResult<bool> {
        let changed = self
            .run(
                "DELETE FROM labels WHERE account_id = ?1 AND id = ?2",
                params![account_id, id],
            )
            .await?;
        Ok(changed > 0)
    }

    /// The account's canned responses; with `search`, those whose short code or content
    /// contains it (ignoring ASCII case).
    pub async fn canned_responses(&self, account_id: i64, search: Option<&str>) -> ApiResult<Vec<CannedResponse>> {
        self.all(
            &format!(
                "{CANNED_SELECT} WHERE account_id = ?1
                   AND (?2 IS NULL OR instr(lower(short_code), lower(?2)) > 0
                        OR instr(lower(content), lower(?2)) > 0)
                 ORDER BY short_code"
            ),
            params![account_id, search],
        )
        .await
    }

    pub async fn canned_response(&self, account_id: i64, id: i64) -> ApiResult<Option<CannedResponse>> {
        self.first(
            &format!("{CANNED_SELECT} WHERE account_id = ?1 AND id = ?2"),
            params![account_id, id],
        )
        .await
    }

    pub async fn create_canned_response(
        &self,
        account_id: i64,
        new: &CannedResponseChanges,
    ) -> ApiResult<CannedResponse> {
        let id: Option<Id> = self
            .first(
                "INSERT INTO canned_responses (account_id, short_code, content) VALUES (?1, ?2, ?3) RETURNING id",
                params![account_id, &new.short_code, &new.content],
            )
            .await
            .map_err(taken("canned_responses", "short_code"))?;
        let id = id
            .ok_or_else(|| ApiError::Internal("canned response insert returned no id".into()))?
            .id;
        self.canned_response(account_id, id).await?.ok_or(ApiError::NotFound)
    }

    pub async fn update_canned_response(
        &self,
        account_id: i64,
        id: i64,
        changes: &CannedResponseChanges,
    ) -> ApiResult<bool> {
        let changed = self
            .run(
                "UPDATE canned_responses SET short_code = COALESCE(?3, short_code), content = COALESCE(?4, content)
                 WHERE account_id = ?1 AND id = ?2",
                params![account_id, id, &changes.short_code, &changes.content],
            )
            .await
            .map_err(taken("canned_responses", "short_code"))?;
        Ok(changed > 0)
    }

    pub async fn delete_canned_response(&self, account_id: i64, id: i64) -> ApiResult<bool> {
        let changed = self
            .run(
                "DELETE FROM canned_responses WHERE account_id = ?1 AND id = ?2",
                params![account_id, id],
            )
            .await?;
        Ok(changed > 0)
    }
}
