//! Every D1 query of the edge lives under this module, one file per group of tables.
//! Handlers call `Store` methods and never see SQL.

mod account_users;
mod accounts;
mod agent_bots;
mod attachments;
mod automation_rules;
mod chat_sessions;
mod contact_directory;
mod contacts;
mod conversations;
mod custom_attributes;
mod directory;
mod handover;
mod help_center;
mod inboxes;
mod inquiries;
mod labels;
mod messages;
mod moves;
mod query;
mod rate_counters;
mod reports;
mod social_profiles;
mod teams;
mod users;
mod webhooks;

pub use account_users::{AgentSettings, Membership, TokenOwner};
pub use accounts::AccountChanges;
pub use agent_bots::{AgentBotChanges, BotOwner};
pub use attachments::{file_url_secret, missing_secret, FileLinks, FilesOf};
pub use automation_rules::{RuleChanges, RuleRow};
pub use chat_sessions::ChatSessionRecord;
pub use contact_directory::{ContactEdit, ContactOrder, ContactSelection, NewAgentContact};
pub use contacts::{ContactChanges, NewContact, PubsubOwner, Session};
pub use conversations::{ConversationFilter, ConversationRecord, NewConversation, Reader, StatusChange};
pub use custom_attributes::{CustomFilterChanges, DefinitionChanges};
pub use directory::{shard_names, GlobalRow, KeyKind, Placement, DIRECTORY};
pub use handover::HandoverRecord;
pub use help_center::{
    ArticleChanges, ArticleFilter, ArticleRow, CategoryChanges, CategoryRow, PortalChanges, PortalRow,
};
pub use inquiries::InquiryList;
pub use labels::{CannedResponseChanges, LabelChanges};
pub use messages::{MessagePage, NewAttachment, NewMessage, Viewer};
pub use reports::{EventFilter, REPORTING_EVENTS_PER_PAGE};
pub use teams::TeamChanges;
pub use users::{NewUser, UserChanges};
pub use webhooks::{
    Attempt, ConversationSubjects, DeliveryTicket, Endpoint, NewDelivery, PendingDelivery, WebhookChanges, WebhookRow,
};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use worker::d1::{D1Database, D1PreparedStatement, D1Result};
use worker::wasm_bindgen::JsValue;
use worker::Env;

use crate::error::{ApiError, ApiResult};

/// One database: the directory or a shard (see `directory`).
pub struct Store {
    db: D1Database,
    /// The directory, where keys of public routes are registered (for the directory's own
    /// store, the same database).
    directory: D1Database,
    files: FileLinks,
}

/// A value bound to a `?` placeholder. D1 takes no BigInt, so integers travel as f64,
/// exact up to 2^53, which ids and Unix times never reach.
#[derive(Debug, Clone, Copy)]
pub enum Param<'a> {
    Int(i64),
    Real(f64),
    Text(&'a str),
    Null,
}

impl From<i64> for Param<'_> {
    fn from(value: i64) -> Self {
        Param::Int(value)
    }
}

impl From<bool> for Param<'_> {
    fn from(value: bool) -> Self {
        Param::Int(i64::from(value))
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(value: &'a str) -> Self {
        Param::Text(value)
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(value: &'a String) -> Self {
        Param::Text(value)
    }
}

impl<'a> From<&'a Option<String>> for Param<'a> {
    fn from(value: &'a Option<String>) -> Self {
        value.as_deref().into()
    }
}

impl<'a, T: Into<Param<'a>>> From<Option<T>> for Param<'a> {
    fn from(value: Option<T>) -> Self {
        value.map(Into::into).unwrap_or(Param::Null)
    }
}

impl Param<'_> {
    fn to_js(self) -> JsValue {
        match self {
            Param::Int(value) => JsValue::from_f64(value as f64),
            Param::Real(value) => JsValue::from_f64(value),
            Param::Text(value) => JsValue::from_str(value),
            Param::Null => JsValue::null(),
        }
    }
}

/// Builds a `[Param]` from values of mixed types.
macro_rules! params {
    ($($value:expr),* $(,)?) => { &[$($crate::store::Param::from($value)),*] };
}
pub(crate) use params;

impl Store {
    /// The store of the database bound as `binding`, linking files relative to the site (see
    /// `serving_files_from`).
    pub fn on(env: &Env, binding: &str) -> ApiResult<Self> {
        Ok(Store {
            db: env.d1(binding)?,
            directory: env.d1(DIRECTORY)?,
            files: FileLinks::from_env(env, String::new()),
        })
    }

    /// The directory's store.
    pub fn directory(env: &Env) -> ApiResult<Self> {
        Store::on(env, DIRECTORY)
    }

    /// Attachment links in what this store reads start with `origin` (this deployment's,
    /// as the request reached it).
    pub fn serving_files_from(mut self, origin: String) -> Self {
        self.files.origin = origin;
        self
    }

    fn statement(&self, sql: &str, params: &[Param]) -> ApiResult<D1PreparedStatement> {
        let values: Vec<JsValue> = params.iter().map(|param| param.to_js()).collect();
        Ok(self.db.prepare(sql).bind(&values)?)
    }

    async fn all<T: DeserializeOwned>(&self, sql: &str, params: &[Param<'_>]) -> ApiResult<Vec<T>> {
        let result = self.statement(sql, params)?.all().await.map_err(storage_error)?;
        Ok(result.results()?)
    }

    async fn first<T: DeserializeOwned>(&self, sql: &str, params: &[Param<'_>]) -> ApiResult<Option<T>> {
        self.statement(sql, params)?.first(None).await.map_err(storage_error)
    }

    /// Runs a write and answers how many rows it changed.
    async fn run(&self, sql: &str, params: &[Param<'_>]) -> ApiResult<u64> {
        let result = self.statement(sql, params)?.run().await.map_err(storage_error)?;
        Ok(result.meta()?.and_then(|meta| meta.changes).unwrap_or(0) as u64)
    }

    /// Runs writes in one transaction: all of them or none (none at all is no call: D1
    /// refuses an empty batch).
    async fn batch(&self, statements: Vec<D1PreparedStatement>) -> ApiResult<Vec<D1Result>> {
        if statements.is_empty() {
            return Ok(Vec::new());
        }
        self.db.batch(statements).await.map_err(storage_error)
    }
}

/// Uniqueness violations are the client's fault (a taken email); anything else is ours.
fn storage_error(error: worker::Error) -> ApiError {
    let text = error.to_string();
    if text.contains("UNIQUE constraint failed: users.email") {
        ApiError::invalid("email", "Email has already been taken")
    } else if text.contains("UNIQUE constraint failed: contact_inboxes") {
        ApiError::invalid("source_id", "Source id has already been taken")
    } else {
        ApiError::Internal(text)
    }
}

/// A taken unique name of `table` is the client's fault: 422 on `attribute`.
fn taken(table: &'static str, attribute: &'static str) -> impl Fn(ApiError) -> ApiError {
    move |error| match &error {
        ApiError::Internal(text) if text.contains(&format!("UNIQUE constraint failed: {table}")) => ApiError::invalid(
            attribute,
            format!("{} has already been taken", crate::input::label(attribute)),
        ),
        _ => error,
    }
}

/// How many rows come before page `page` (from 1; lower pages read as 1). A page past any
/// real list stays a number D1 takes exactly (at most 2^53 - 1), and lists nothing.
fn page_offset(page: i64, per_page: i64) -> i64 {
    (page.max(1) - 1)
        .saturating_mul(per_page)
        .min(crate::input::MAX_SAFE_INTEGER)
}

/// The row of a `SELECT COUNT(*) AS n`.
#[derive(Deserialize)]
struct Count {
    n: i64,
}

/// SQLite keeps booleans as 0/1.
fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Ok(i64::deserialize(deserializer)? != 0)
}

/// JSON maps and lists are kept as TEXT.
fn json_text<'de, D: Deserializer<'de>, T: DeserializeOwned>(deserializer: D) -> Result<T, D::Error> {
    let text = String::deserialize(deserializer)?;
    serde_json::from_str(&text).map_err(serde::de::Error::custom)
}

/// A 0/1 column that only some queries select.
fn flag_if_selected<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    flag(deserializer).map(Some)
}

/// A JSON TEXT column that only some queries select.
fn json_text_if_selected<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    json_text(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::page_offset;

    #[test]
    fn page_offsets_stay_exact_numbers() {
        assert_eq!(page_offset(1, 25), 0);
        assert_eq!(page_offset(-4, 25), 0);
        assert_eq!(page_offset(3, 15), 30);
        assert_eq!(page_offset(i64::MAX, 25), (1 << 53) - 1);
    }
}
