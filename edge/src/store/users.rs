//! Users (agents and administrators) and their access tokens.

use nimchat_shared::enums::{Availability, Role};
use nimchat_shared::wire::{Person, Profile, User, UserAccount};
use serde::Deserialize;
use serde_json::{Map, Value};

use worker::d1::D1PreparedStatement;

use super::{json_text, params, Store};
use crate::domain::secrets;
use crate::error::{ApiError, ApiResult};

/// A user to create; the tokens are generated here.
#[derive(Debug)]
pub struct NewUser {
    pub name: String,
    pub display_name: Option<String>,
    pub email: String,
    pub password_hash: Option<String>,
    pub custom_attributes: Map<String, Value>,
}

#[derive(Debug, Default)]
pub struct UserChanges {
    pub name: Option<String>,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub password_hash: Option<String>,
    /// Merged into the stored map.
    pub custom_attributes: Option<Map<String, Value>>,
}

/// The `users` columns every view of a person needs.
#[derive(Deserialize)]
pub(super) struct PersonRow {
    id: i64,
    name: String,
    display_name: Option<String>,
    email: String,
    avatar_url: Option<String>,
    #[serde(deserialize_with = "json_text")]
    custom_attributes: Map<String, Value>,
}

/// Columns of [`PersonRow`] from `users u`.
pub(super) const PERSON_COLUMNS: &str = "u.id, u.name, u.display_name, u.email, u.avatar_url, u.custom_attributes";

impl From<PersonRow> for Person {
    fn from(row: PersonRow) -> Self {
        let available_name = available_name(&row.name, row.display_name.as_deref());
        Person {
            id: row.id,
            uid: row.email.clone(),
            name: row.name,
            available_name,
            display_name: row.display_name,
            email: row.email,
            confirmed: true,
            avatar_url: row.avatar_url.unwrap_or_default(),
            custom_attributes: row.custom_attributes,
        }
    }
}

#[derive(Deserialize)]
struct UserRow {
    #[serde(flatten)]
    person: PersonRow,
    access_token: Option<String>,
}

#[derive(Deserialize)]
struct UserAccountRow {
    id: i64,
    name: String,
    role: String,
}

#[derive(Deserialize)]
struct IdRow {
    id: i64,
}

/// What Chatwoot shows for a person: the display name when there is one.
fn available_name(name: &str, display_name: Option<&str>) -> String {
    display_name
        .filter(|shown| !shown.is_empty())
        .unwrap_or(name)
        .to_string()
}

pub(crate) fn parse_role(text: &str) -> ApiResult<Role> {
    Role::parse(text).ok_or_else(|| ApiError::Internal(format!("stored role {text:?} is unknown")))
}

impl Store {
    pub async fn create_user(&self, new: &NewUser) -> ApiResult<User> {
        let (statements, pubsub_token) = self.new_user_statements(new)?;
        self.batch(statements).await?;
        self.user_created_with(&pubsub_token).await
    }

    /// The inserts that create a user and its access token; the pubsub token identifies
    /// the new row for statements that follow in the same batch.
    pub(super) fn new_user_statements(&self, new: &NewUser) -> ApiResult<(Vec<D1PreparedStatement>, String)> {
        let attributes = serde_json::to_string(&new.custom_attributes)?;
        let (pubsub_token, access_token) = (secrets::token()?, secrets::token()?);
        let insert_user = self.statement(
            "INSERT INTO users (name, display_name, email, password_hash, custom_attributes, pubsub_token)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                &new.name,
                &new.display_name,
                &new.email,
                &new.password_hash,
                &attributes,
                &pubsub_token
            ],
        )?;
        let insert_token = self.statement(
            "INSERT INTO access_tokens (token, user_id) VALUES (?1, (SELECT id FROM users WHERE pubsub_token = ?2))",
            params![&access_token, &pubsub_token],
        )?;
        Ok((vec![insert_user, insert_token], pubsub_token))
    }

    pub(super) async fn user_created_with(&self, pubsub_token: &str) -> ApiResult<User> {
        let created: IdRow = self
            .first("SELECT id FROM users WHERE pubsub_token = ?1", params![pubsub_token])
            .await?
            .ok_or_else(|| ApiError::Internal("user insert left no row".into()))?;
        self.user(created.id)
            .await?
            .ok_or_else(|| ApiError::Internal("created user vanished".into()))
    }

    pub async fn user(&self, id: i64) -> ApiResult<Option<User>> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS}, t.token AS access_token
             FROM users u LEFT JOIN access_tokens t ON t.user_id = u.id WHERE u.id = ?1"
        );
        let row: Option<UserRow> = self.first(&sql, params![id]).await?;
        let Some(row) = row else { return Ok(None) };
        let accounts: Vec<UserAccountRow> = self
            .all(
                "SELECT a.id, a.name, au.role FROM account_users au JOIN accounts a ON a.id = au.account_id
                 WHERE au.user_id = ?1 ORDER BY au.created_at, a.id",
                params![id],
            )
            .await?;
        let accounts = accounts
            .into_iter()
            .map(|account| {
                Ok(UserAccount {
                    id: account.id,
                    name: account.name,
                    role: parse_role(&account.role)?,
                })
            })
            .collect::<ApiResult<Vec<_>>>()?;
        Ok(Some(User {
            person: Person::from(row.person),
            account_id: accounts.first().map(|account| account.id),
            role: accounts.first().map(|account| account.role),
            accounts,
            access_token: row.access_token,
        }))
    }

    /// The user as they see themselves: tokens, and availability in their first account.
    pub async fn profile(&self, id: i64) -> ApiResult<Option<Profile>> {
        #[derive(Deserialize)]
        struct Own {
            pubsub_token: String,
            availability: Option<String>,
        }
        let Some(user) = self.user(id).await? else {
            return Ok(None);
        };
        let own: Option<Own> = self
            .first(
                "SELECT u.pubsub_token, (SELECT availability FROM account_users WHERE user_id = u.id
                    ORDER BY created_at, account_id LIMIT 1) AS availability
                 FROM users u WHERE u.id = ?1",
                params![id],
            )
            .await?;
        Ok(own.map(|own| Profile {
            user,
            availability_status: own
                .availability
                .as_deref()
                .and_then(Availability::parse)
                .unwrap_or(Availability::Offline),
            pubsub_token: own.pubsub_token,
        }))
    }

    /// The user with this e-mail (in any case) and their password hash, for signing in.
    pub async fn password_of(&self, email: &str) -> ApiResult<Option<(i64, Option<String>)>> {
        #[derive(Deserialize)]
        struct Row {
            id: i64,
            password_hash: Option<String>,
        }
        let row: Option<Row> = self
            .first(
                "SELECT id, password_hash FROM users WHERE email = ?1 COLLATE NOCASE",
                params![email],
            )
            .await?;
        Ok(row.map(|row| (row.id, row.password_hash)))
    }

    pub async fn user_id_by_email(&self, email: &str) -> ApiResult<Option<i64>> {
        let row: Option<IdRow> = self
            .first("SELECT id FROM users WHERE email = ?1", params![email])
            .await?;
        Ok(row.map(|row| row.id))
    }

    pub async fn update_user(&self, id: i64, changes: &UserChanges) -> ApiResult<Option<User>> {
        let attributes = changes
            .custom_attributes
            .as_ref()
            .map(serde_json::to_string)
            .transpose()?;
        let changed = self
            .run(
                "UPDATE users SET name = COALESCE(?2, name), display_name = COALESCE(?3, display_name),
                    email = COALESCE(?4, email), password_hash = COALESCE(?5, password_hash),
                    custom_attributes = CASE WHEN ?6 IS NULL THEN custom_attributes
                                             ELSE json_patch(custom_attributes, ?6) END,
                    updated_at = unixepoch()
                 WHERE id = ?1",
                params![
                    id,
                    &changes.name,
                    &changes.display_name,
                    &changes.email,
                    &changes.password_hash,
                    &attributes
                ],
            )
            .await?;
        if changed == 0 {
            return Ok(None);
        }
        self.user(id).await
    }

    pub async fn delete_user(&self, id: i64) -> ApiResult<bool> {
        Ok(self.run("DELETE FROM users WHERE id = ?1", params![id]).await? > 0)
    }
}
