//! Moving an account between shards (docs/architecture.md, "Moving an account"): its rows,
//! table by table with their ids, from one shard to another, then gone from the first.

use serde_json::{Map, Value};

use super::{params, Store};
use crate::error::ApiResult;

/// The tables holding an account's rows in its shard, parents before children, each with the
/// condition selecting the account's rows (`?1` is the account). Global tables (accounts,
/// users, memberships, bots: every shard has them) and the directory's are not here.
pub const ACCOUNT_TABLES: [(&str, &str); 24] = [
    ("inboxes", "account_id = ?1"),
    ("teams", "account_id = ?1"),
    ("labels", "account_id = ?1"),
    ("canned_responses", "account_id = ?1"),
    ("custom_attribute_definitions", "account_id = ?1"),
    ("custom_filters", "account_id = ?1"),
    ("contacts", "account_id = ?1"),
    (
        "contact_inboxes",
        "contact_id IN (SELECT id FROM contacts WHERE account_id = ?1)",
    ),
    (
        "inbox_members",
        "inbox_id IN (SELECT id FROM inboxes WHERE account_id = ?1)",
    ),
    (
        "team_members",
        "team_id IN (SELECT id FROM teams WHERE account_id = ?1)",
    ),
    ("conversations", "account_id = ?1"),
    (
        "conversation_labels",
        "conversation_id IN (SELECT id FROM conversations WHERE account_id = ?1)",
    ),
    (
        "contact_labels",
        "contact_id IN (SELECT id FROM contacts WHERE account_id = ?1)",
    ),
    ("messages", "account_id = ?1"),
    ("attachments", "account_id = ?1"),
    ("reporting_events", "account_id = ?1"),
    ("webhooks", "account_id = ?1"),
    ("webhook_deliveries", "account_id = ?1"),
    ("webhook_attempts", "account_id = ?1"),
    ("automation_rules", "account_id = ?1"),
    ("portals", "account_id = ?1"),
    ("portal_categories", "account_id = ?1"),
    ("portal_articles", "account_id = ?1"),
    ("agent_presence", "account_id = ?1"),
];

/// Columns that insert triggers set (when a conversation started waiting, when it was first
/// assigned): written again from the copy after the insert.
const SET_BY_TRIGGERS: [(&str, &[&str]); 1] = [("conversations", &["waiting_since", "assigned_at"])];

/// Rows per insert: one JSON parameter each, far below D1's limits.
const ROWS_PER_STATEMENT: usize = 200;

impl Store {
    /// Copies every row of the account from this shard to `to`, ids unchanged, in one batch
    /// per table. Fails (a uniqueness error) when `to` already has a row with one of the ids.
    pub async fn copy_account(&self, to: &Store, account_id: i64) -> ApiResult<()> {
        for (table, condition) in ACCOUNT_TABLES {
            let rows: Vec<Map<String, Value>> = self
                .all(&format!("SELECT * FROM {table} WHERE {condition}"), params![account_id])
                .await?;
            let Some(first) = rows.first() else { continue };
            let columns: Vec<&str> = first.keys().map(String::as_str).collect();
            let extracted: Vec<String> = columns
                .iter()
                .map(|column| format!("json_extract(value, '$.{column}')"))
                .collect();
            let insert = format!(
                "INSERT INTO {table} ({}) SELECT {} FROM json_each(?1)",
                columns.join(", "),
                extracted.join(", ")
            );
            let mut statements = Vec::new();
            for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                let json = serde_json::to_string(chunk)?;
                statements.push(to.statement(&insert, params![&json])?);
                if let Some((_, restored)) = SET_BY_TRIGGERS.iter().find(|(name, _)| *name == table) {
                    let sets: Vec<String> = restored
                        .iter()
                        .map(|column| format!("{column} = json_extract(j.value, '$.{column}')"))
                        .collect();
                    let restore = format!(
                        "UPDATE {table} SET {} FROM json_each(?1) j WHERE {table}.id = json_extract(j.value, '$.id')",
                        sets.join(", ")
                    );
                    statements.push(to.statement(&restore, params![&json])?);
                }
            }
            to.batch(statements).await?;
        }
        Ok(())
    }

    /// Deletes every row of the account from this shard, children first (the account's own
    /// row stays: it is a copy every shard keeps).
    pub async fn drop_account_rows(&self, account_id: i64) -> ApiResult<()> {
        let statements = ACCOUNT_TABLES
            .iter()
            .rev()
            .map(|(table, condition)| {
                self.statement(&format!("DELETE FROM {table} WHERE {condition}"), params![account_id])
            })
            .collect::<ApiResult<Vec<_>>>()?;
        self.batch(statements).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::ACCOUNT_TABLES;

    /// Tables every shard keeps whole (global) or only the directory uses.
    const NOT_OF_ONE_ACCOUNT: [&str; 8] = [
        "accounts",
        "users",
        "account_users",
        "agent_bots",
        "access_tokens",
        "rate_counters",
        "directory_keys",
        // directory_keys rebuilt with a wider CHECK (migration 0012), renamed back at once.
        "directory_keys_widened",
    ];

    #[test]
    fn every_table_is_moved_with_its_account_or_kept_whole() {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");
        let migrations: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
            .collect();
        assert!(migrations.len() >= 8);
        for migration in &migrations {
            for line in migration.lines() {
                let Some(rest) = line.strip_prefix("CREATE TABLE ") else {
                    continue;
                };
                let table = rest.split_whitespace().next().unwrap();
                let moved = ACCOUNT_TABLES.iter().any(|(name, _)| *name == table);
                assert!(
                    moved != NOT_OF_ONE_ACCOUNT.contains(&table),
                    "{table} must be either moved with its account or kept whole"
                );
            }
        }
    }
}
