//! The directory of accounts over databases (docs/architecture.md, "Storage beyond one D1
//! database"): which shard holds an account, the keys public routes start from, and the
//! copies of global rows (accounts, users, memberships, agent bots) that every shard keeps so
//! that its queries can join them.

use serde::Deserialize;
use serde_json::{Map, Value};
use worker::wasm_bindgen::JsValue;
use worker::Env;

use super::{params, Param, Store};
use crate::error::{ApiError, ApiResult};

/// The directory's binding.
pub const DIRECTORY: &str = "DIRECTORY";

/// The shards' bindings, from the `SHARDS` variable (`SHARD_0,SHARD_1`).
pub fn shard_names(env: &Env) -> Vec<String> {
    env.var("SHARDS")
        .map(|names| names.to_string())
        .unwrap_or_else(|_| "SHARD_0".into())
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_string)
        .collect()
}

/// What a key of a public route names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// An inbox identifier (Client API).
    Inbox,
    /// A visitor's pubsub token (`/cable`).
    Session,
    /// A conversation's uuid (CSAT links).
    Conversation,
    /// A help center portal's slug (public routes; unique in the deployment).
    Portal,
    /// A portal's custom domain (unique in the deployment).
    PortalDomain,
}

impl KeyKind {
    fn as_str(self) -> &'static str {
        match self {
            KeyKind::Inbox => "inbox",
            KeyKind::Session => "session",
            KeyKind::Conversation => "conversation",
            KeyKind::Portal => "portal",
            KeyKind::PortalDomain => "portal_domain",
        }
    }
}

/// A global row: written in the directory, copied to every shard.
#[derive(Debug, Clone, Copy)]
pub enum GlobalRow {
    Account(i64),
    User(i64),
    Membership { account_id: i64, user_id: i64 },
    AgentBot(i64),
}

impl GlobalRow {
    /// The table, its key columns and the condition naming the row.
    fn place(self) -> (&'static str, &'static str, &'static str, [i64; 2]) {
        match self {
            GlobalRow::Account(id) => ("accounts", "id", "id = ?1 AND ?2 = ?2", [id, 0]),
            GlobalRow::User(id) => ("users", "id", "id = ?1 AND ?2 = ?2", [id, 0]),
            GlobalRow::Membership { account_id, user_id } => (
                "account_users",
                "account_id, user_id",
                "account_id = ?1 AND user_id = ?2",
                [account_id, user_id],
            ),
            GlobalRow::AgentBot(id) => ("agent_bots", "id", "id = ?1 AND ?2 = ?2", [id, 0]),
        }
    }
}

/// Where an account lives, from the directory.
#[derive(Debug, Deserialize)]
pub struct Placement {
    pub shard: String,
    /// Moving to another shard: writes wait.
    #[serde(deserialize_with = "super::flag")]
    pub moving: bool,
}

#[derive(Deserialize)]
struct ShardCount {
    shard: String,
    n: i64,
}

impl Store {
    /// Where an account lives (directory).
    pub async fn placement(&self, account_id: i64) -> ApiResult<Option<Placement>> {
        self.first("SELECT shard, moving FROM accounts WHERE id = ?1", params![account_id])
            .await
    }

    /// Marks the account as moving (`true`) or places it on `shard` and ends the move; false
    /// when the account does not exist or is moving already (directory).
    pub async fn set_moving(&self, account_id: i64, moving: bool) -> ApiResult<bool> {
        Ok(self
            .run(
                "UPDATE accounts SET moving = ?2 WHERE id = ?1 AND moving <> ?2",
                params![account_id, moving],
            )
            .await?
            > 0)
    }

    pub async fn place_account(&self, account_id: i64, shard: &str) -> ApiResult<()> {
        self.run(
            "UPDATE accounts SET shard = ?2, moving = 0, updated_at = unixepoch() WHERE id = ?1",
            params![account_id, shard],
        )
        .await?;
        Ok(())
    }

    /// The shard with the fewest accounts among `shards` (directory).
    pub async fn least_used_shard(&self, shards: &[String]) -> ApiResult<String> {
        let counts: Vec<ShardCount> = self
            .all("SELECT shard, COUNT(*) AS n FROM accounts GROUP BY shard", &[])
            .await?;
        let used = |shard: &String| {
            counts
                .iter()
                .find(|count| &count.shard == shard)
                .map_or(0, |count| count.n)
        };
        shards
            .iter()
            .min_by_key(|shard| used(shard))
            .cloned()
            .ok_or_else(|| ApiError::Internal("SHARDS names no shard".into()))
    }

    /// Where the account a public route's key belongs to lives (directory).
    pub async fn placement_of_key(&self, kind: KeyKind, key: &str) -> ApiResult<Option<Placement>> {
        self.first(
            "SELECT a.shard, a.moving FROM directory_keys k JOIN accounts a ON a.id = k.account_id
             WHERE k.kind = ?1 AND k.key = ?2",
            params![kind.as_str(), key],
        )
        .await
    }

    /// Records in the directory that `key` belongs to the account, before the row it names is
    /// written to the shard: a key whose row never came names nothing (404), while a row
    /// without its key could never be reached.
    pub(super) async fn register_key(&self, kind: KeyKind, key: &str, account_id: i64) -> ApiResult<()> {
        self.write_directory(
            "INSERT OR IGNORE INTO directory_keys (kind, key, account_id) VALUES (?1, ?2, ?3)",
            params![kind.as_str(), key, account_id],
        )
        .await
    }

    /// Takes `key` for the account unless another account holds it; `false` when one does.
    pub(super) async fn claim_key(&self, kind: KeyKind, key: &str, account_id: i64) -> ApiResult<bool> {
        #[derive(Deserialize)]
        struct Holder {
            account_id: i64,
        }
        self.register_key(kind, key, account_id).await?;
        let holder: Option<Holder> = self
            .directory
            .prepare("SELECT account_id FROM directory_keys WHERE kind = ?1 AND key = ?2")
            .bind(&[JsValue::from_str(kind.as_str()), JsValue::from_str(key)])?
            .first(None)
            .await
            .map_err(super::storage_error)?;
        Ok(holder.is_some_and(|holder| holder.account_id == account_id))
    }

    pub(super) async fn forget_key(&self, kind: KeyKind, key: &str) -> ApiResult<()> {
        self.write_directory(
            "DELETE FROM directory_keys WHERE kind = ?1 AND key = ?2",
            params![kind.as_str(), key],
        )
        .await
    }

    /// A write to the directory from a shard's store.
    async fn write_directory(&self, sql: &str, params: &[Param<'_>]) -> ApiResult<()> {
        let values: Vec<JsValue> = params.iter().map(|param| param.to_js()).collect();
        self.directory
            .prepare(sql)
            .bind(&values)?
            .run()
            .await
            .map_err(super::storage_error)?;
        Ok(())
    }

    /// Makes `shard`'s copy of a global row what the directory (`self`) has: written by upsert
    /// (a replace would cascade), or deleted when the directory has it no more.
    pub async fn copy_to(&self, shard: &Store, row: GlobalRow) -> ApiResult<()> {
        let (table, keys, condition, [first, second]) = row.place();
        let found: Vec<Map<String, Value>> = self
            .all(
                &format!("SELECT * FROM {table} WHERE {condition}"),
                params![first, second],
            )
            .await?;
        let Some(values) = found.into_iter().next() else {
            shard
                .run(
                    &format!("DELETE FROM {table} WHERE {condition}"),
                    params![first, second],
                )
                .await?;
            return Ok(());
        };
        let columns: Vec<&str> = values.keys().map(String::as_str).collect();
        let placeholders: Vec<String> = (1..=columns.len()).map(|index| format!("?{index}")).collect();
        let updates: Vec<String> = columns
            .iter()
            .filter(|column| !keys.split(", ").any(|key| key == **column))
            .map(|column| format!("{column} = excluded.{column}"))
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT ({keys}) DO UPDATE SET {}",
            columns.join(", "),
            placeholders.join(", "),
            updates.join(", ")
        );
        let params: Vec<Param> = values.values().map(param_of).collect();
        shard.run(&sql, &params).await?;
        Ok(())
    }
}

/// A value read from D1 as a parameter again (integers come back as JSON numbers).
fn param_of(value: &Value) -> Param<'_> {
    match value {
        Value::Number(number) => match number.as_i64() {
            Some(integer) => Param::Int(integer),
            None => Param::Real(number.as_f64().unwrap_or_default()),
        },
        Value::String(text) => Param::Text(text),
        Value::Bool(flag) => Param::Int(i64::from(*flag)),
        _ => Param::Null,
    }
}
