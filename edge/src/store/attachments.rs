//! Attachments' rows beyond the message queries: which R2 objects a deletion leaves behind,
//! and how what the store reads links to them.

use serde::Deserialize;
use worker::Env;

use super::{params, Store};
use crate::clock;
use crate::domain::file_links;
use crate::error::{ApiError, ApiResult};

/// Signs attachment links: `FILE_URL_SECRET` and the origin links start with.
pub struct FileLinks {
    pub(super) origin: String,
    secret: Option<Vec<u8>>,
}

impl FileLinks {
    pub fn from_env(env: &Env, origin: String) -> Self {
        FileLinks {
            origin,
            secret: file_url_secret(env),
        }
    }

    /// A fresh signed link to an object.
    pub fn link(&self, object_key: &str) -> ApiResult<String> {
        let secret = self.secret.as_deref().ok_or_else(missing_secret)?;
        Ok(file_links::link(&self.origin, secret, object_key, clock::now()))
    }
}

/// The key that signs file links; without it no file is stored or served.
pub fn file_url_secret(env: &Env) -> Option<Vec<u8>> {
    env.secret("FILE_URL_SECRET")
        .ok()
        .map(|secret| secret.to_string().into_bytes())
        .filter(|secret| !secret.is_empty())
}

pub fn missing_secret() -> ApiError {
    ApiError::Internal("FILE_URL_SECRET is not set: files can be neither stored nor linked".into())
}

/// What is about to be deleted, whose files go with it.
#[derive(Debug, Clone, Copy)]
pub enum FilesOf {
    Message { conversation_id: i64, message_id: i64 },
    Conversation { conversation_id: i64 },
    Contact { account_id: i64, contact_id: i64 },
    Inbox { account_id: i64, inbox_id: i64 },
    Account { account_id: i64 },
}

#[derive(Deserialize)]
struct KeyRow {
    object_key: String,
}

impl Store {
    /// The R2 keys of the files that go when `what` is deleted.
    pub async fn attachment_keys(&self, what: FilesOf) -> ApiResult<Vec<String>> {
        const OF_MESSAGES: &str = "SELECT a.object_key FROM attachments a JOIN messages m ON m.id = a.message_id";
        let rows: Vec<KeyRow> = match what {
            FilesOf::Message {
                conversation_id,
                message_id,
            } => {
                let sql = format!("{OF_MESSAGES} WHERE m.conversation_id = ?1 AND m.id = ?2");
                self.all(&sql, params![conversation_id, message_id]).await?
            }
            FilesOf::Conversation { conversation_id } => {
                let sql = format!("{OF_MESSAGES} WHERE m.conversation_id = ?1");
                self.all(&sql, params![conversation_id]).await?
            }
            FilesOf::Contact { account_id, contact_id } => {
                let sql = format!(
                    "{OF_MESSAGES} JOIN conversations c ON c.id = m.conversation_id
                     WHERE c.account_id = ?1 AND c.contact_id = ?2"
                );
                self.all(&sql, params![account_id, contact_id]).await?
            }
            FilesOf::Inbox { account_id, inbox_id } => {
                let sql = format!("{OF_MESSAGES} WHERE m.account_id = ?1 AND m.inbox_id = ?2");
                self.all(&sql, params![account_id, inbox_id]).await?
            }
            FilesOf::Account { account_id } => {
                self.all(
                    "SELECT object_key FROM attachments WHERE account_id = ?1",
                    params![account_id],
                )
                .await?
            }
        };
        Ok(rows.into_iter().map(|row| row.object_key).collect())
    }
}
