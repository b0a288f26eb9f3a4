//! Accounts: the tenants.

use nimchat_shared::wire::Account;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{json_text, params, Store};
use crate::error::ApiResult;

#[derive(Deserialize)]
struct AccountRow {
    id: i64,
    name: String,
    locale: String,
    domain: Option<String>,
    support_email: Option<String>,
    status: String,
    #[serde(deserialize_with = "json_text")]
    custom_attributes: Map<String, Value>,
    created_at: i64,
}

impl From<AccountRow> for Account {
    fn from(row: AccountRow) -> Self {
        Account {
            id: row.id,
            name: row.name,
            locale: row.locale,
            domain: row.domain,
            support_email: row.support_email,
            status: row.status,
            custom_attributes: row.custom_attributes,
            created_at: row.created_at,
        }
    }
}

/// Fields of an account to set; `None` keeps the stored value.
#[derive(Debug, Default)]
pub struct AccountChanges {
    pub name: Option<String>,
    pub locale: Option<String>,
    pub domain: Option<String>,
    pub support_email: Option<String>,
    pub status: Option<String>,
    /// Merged into the stored map.
    pub custom_attributes: Option<Map<String, Value>>,
}

const COLUMNS: &str = "id, name, locale, domain, support_email, status, custom_attributes, created_at";

impl Store {
    /// Creates the account (directory), held by `shard`.
    pub async fn create_account(&self, new: &AccountChanges, shard: &str) -> ApiResult<Account> {
        let attributes = serde_json::to_string(&new.custom_attributes.clone().unwrap_or_default())?;
        let sql = format!(
            "INSERT INTO accounts (name, locale, domain, support_email, status, custom_attributes, shard)
             VALUES (?1, COALESCE(?2, 'en'), ?3, ?4, COALESCE(?5, 'active'), ?6, ?7) RETURNING {COLUMNS}"
        );
        let params = params![
            &new.name,
            &new.locale,
            &new.domain,
            &new.support_email,
            &new.status,
            &attributes,
            shard
        ];
        let row: Option<AccountRow> = self.first(&sql, params).await?;
        row.map(Account::from)
            .ok_or_else(|| crate::error::ApiError::Internal("account insert returned no row".into()))
    }

    pub async fn account(&self, id: i64) -> ApiResult<Option<Account>> {
        let sql = format!("SELECT {COLUMNS} FROM accounts WHERE id = ?1");
        Ok(self.first::<AccountRow>(&sql, params![id]).await?.map(Account::from))
    }

    pub async fn update_account(&self, id: i64, changes: &AccountChanges) -> ApiResult<Option<Account>> {
        let attributes = changes
            .custom_attributes
            .as_ref()
            .map(serde_json::to_string)
            .transpose()?;
        let sql = format!(
            "UPDATE accounts SET name = COALESCE(?2, name), locale = COALESCE(?3, locale),
                domain = COALESCE(?4, domain), support_email = COALESCE(?5, support_email),
                status = COALESCE(?6, status),
                custom_attributes = CASE WHEN ?7 IS NULL THEN custom_attributes
                                         ELSE json_patch(custom_attributes, ?7) END,
                updated_at = unixepoch()
             WHERE id = ?1 RETURNING {COLUMNS}"
        );
        let params = params![
            id,
            &changes.name,
            &changes.locale,
            &changes.domain,
            &changes.support_email,
            &changes.status,
            &attributes
        ];
        Ok(self.first::<AccountRow>(&sql, params).await?.map(Account::from))
    }

    /// Deletes the account and, through foreign keys, everything it owns.
    pub async fn delete_account(&self, id: i64) -> ApiResult<bool> {
        Ok(self.run("DELETE FROM accounts WHERE id = ?1", params![id]).await? > 0)
    }
}
