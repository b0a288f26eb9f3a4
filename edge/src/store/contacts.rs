//! Contacts and their sessions in inboxes (`contact_inboxes`): the visitor's side.

use crate::domain::handover::Owner;
use nimchat_shared::wire::{ContactSession, PublicContact};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{flag, json_text, params, KeyKind, Param, Store};
use crate::domain::{names, secrets};
use crate::error::{ApiError, ApiResult};

/// A visitor's session in one inbox, with the contact behind it.
#[derive(Debug, Clone, Deserialize)]
pub struct Session {
    pub contact_inbox_id: i64,
    pub inbox_id: i64,
    pub source_id: String,
    pub pubsub_token: String,
    #[serde(deserialize_with = "flag")]
    pub hmac_verified: bool,
    pub handover_owner: Option<String>,
    pub contact_id: i64,
    pub account_id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub identifier: Option<String>,
    pub avatar_url: Option<String>,
    #[serde(deserialize_with = "json_text")]
    pub custom_attributes: Map<String, Value>,
    #[serde(deserialize_with = "json_text")]
    pub additional_attributes: Map<String, Value>,
    pub created_at: i64,
}

impl Session {
    pub fn to_wire(&self) -> ContactSession {
        ContactSession {
            source_id: self.source_id.clone(),
            pubsub_token: self.pubsub_token.clone(),
            id: self.contact_id,
            name: self.name.clone(),
            email: self.email.clone(),
            phone_number: self.phone_number.clone(),
        }
    }

    pub fn to_public_contact(&self) -> PublicContact {
        PublicContact {
            id: self.contact_id,
            name: self.name.clone(),
            email: self.email.clone(),
            phone_number: self.phone_number.clone(),
            identifier: self.identifier.clone(),
            avatar_url: self.avatar_url.clone().unwrap_or_default(),
            custom_attributes: self.custom_attributes.clone(),
            additional_attributes: self.additional_attributes.clone(),
            created_at: self.created_at,
            source_id: self.source_id.clone(),
            pubsub_token: self.pubsub_token.clone(),
        }
    }

    /// Whether an external bot owns this visitor: explicitly, or by default when the inbox
    /// has a bot connected (contract §5.1).
    pub fn bot_owns(&self, inbox_has_bot: bool) -> bool {
        Owner::of(self.handover_owner.as_deref(), inbox_has_bot) == Owner::External
    }
}

const SESSION_SELECT: &str = "SELECT ci.id AS contact_inbox_id, ci.inbox_id, ci.source_id, ci.pubsub_token,
    ci.hmac_verified, ci.handover_owner, c.id AS contact_id, c.account_id, c.name, c.email, c.phone_number,
    c.identifier, c.avatar_url, c.custom_attributes, c.additional_attributes, c.created_at
    FROM contact_inboxes ci JOIN contacts c ON c.id = ci.contact_id";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PubsubOwner {
    Visitor,
    User {
        user_id: i64,
        first_account_id: Option<i64>,
    },
}

/// A contact to create with its first session.
#[derive(Debug, Default)]
pub struct NewContact {
    pub name: String,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub identifier: Option<String>,
    pub avatar_url: Option<String>,
    pub custom_attributes: Map<String, Value>,
}

impl NewContact {
    /// The contact a request describes; without a name, a readable one is made up.
    pub fn from_changes(changes: ContactChanges, identifier: Option<String>) -> ApiResult<Self> {
        Ok(NewContact {
            name: match changes.name {
                Some(name) => name,
                None => names::readable_name(secrets::name_seed()?),
            },
            email: changes.email,
            phone_number: changes.phone_number,
            identifier,
            avatar_url: changes.avatar_url,
            custom_attributes: changes.custom_attributes.unwrap_or_default(),
        })
    }
}

/// Contact fields to set; `None` keeps each. `custom_attributes` are merged.
#[derive(Debug, Default)]
pub struct ContactChanges {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub avatar_url: Option<String>,
    pub custom_attributes: Option<Map<String, Value>>,
}

#[derive(Deserialize)]
struct IdRow {
    id: i64,
}

impl Store {
    pub async fn session(&self, inbox_id: i64, source_id: &str) -> ApiResult<Option<Session>> {
        let sql = format!("{SESSION_SELECT} WHERE ci.inbox_id = ?1 AND ci.source_id = ?2");
        self.first(&sql, params![inbox_id, source_id]).await
    }

    /// The contact's first session in the inbox.
    pub async fn contact_session(&self, inbox_id: i64, contact_id: i64) -> ApiResult<Option<Session>> {
        let sql = format!("{SESSION_SELECT} WHERE ci.inbox_id = ?1 AND ci.contact_id = ?2 ORDER BY ci.id LIMIT 1");
        self.first(&sql, params![inbox_id, contact_id]).await
    }

    pub async fn session_by_pubsub_token(&self, pubsub_token: &str) -> ApiResult<Option<Session>> {
        let sql = format!("{SESSION_SELECT} WHERE ci.pubsub_token = ?1");
        self.first(&sql, params![pubsub_token]).await
    }

    /// Whose `/cable` credential a pubsub token is (directory: a visitor's is a key there).
    pub async fn pubsub_owner(&self, pubsub_token: &str) -> ApiResult<Option<PubsubOwner>> {
        #[derive(Deserialize)]
        struct Owner {
            user_id: Option<i64>,
            first_account_id: Option<i64>,
        }
        let owner: Option<Owner> = self
            .first(
                "SELECT NULL AS user_id, NULL AS first_account_id FROM directory_keys
                   WHERE kind = 'session' AND key = ?1
                 UNION ALL
                 SELECT u.id, (SELECT MIN(account_id) FROM account_users WHERE user_id = u.id)
                   FROM users u WHERE u.pubsub_token = ?1
                 LIMIT 1",
                params![pubsub_token],
            )
            .await?;
        Ok(owner.map(|owner| match owner.user_id {
            Some(user_id) => PubsubOwner::User {
                user_id,
                first_account_id: owner.first_account_id,
            },
            None => PubsubOwner::Visitor,
        }))
    }

    /// The account's contact with this identifier, else this email (any case), else this phone.
    pub async fn matching_contact(
        &self,
        account_id: i64,
        identifier: Option<&str>,
        email: Option<&str>,
        phone_number: Option<&str>,
    ) -> ApiResult<Option<i64>> {
        let row: Option<IdRow> = self
            .first(
                "SELECT id FROM contacts WHERE account_id = ?1
                   AND ((?2 IS NOT NULL AND identifier = ?2) OR (?3 IS NOT NULL AND email = ?3)
                        OR (?4 IS NOT NULL AND phone_number = ?4))
                 ORDER BY CASE WHEN identifier = ?2 THEN 0 WHEN email = ?3 THEN 1 ELSE 2 END, id
                 LIMIT 1",
                params![account_id, identifier, email, phone_number],
            )
            .await?;
        Ok(row.map(|row| row.id))
    }

    /// Opens a session in the inbox for an existing contact, or for a new one, atomically.
    pub async fn create_session(
        &self,
        account_id: i64,
        inbox_id: i64,
        contact: Result<i64, &NewContact>,
        source_id: &str,
        pubsub_token: &str,
        verified: bool,
    ) -> ApiResult<Session> {
        let mut statements = Vec::with_capacity(2);
        let contact_id = match contact {
            Ok(id) => Param::Int(id),
            Err(new) => {
                let attributes = serde_json::to_string(&new.custom_attributes)?;
                statements.push(self.statement(
                    "INSERT INTO contacts (account_id, name, email, phone_number, identifier, avatar_url,
                        custom_attributes, last_activity_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, unixepoch())",
                    params![
                        account_id,
                        &new.name,
                        &new.email,
                        &new.phone_number,
                        &new.identifier,
                        &new.avatar_url,
                        &attributes
                    ],
                )?);
                Param::Null
            }
        };
        self.register_key(KeyKind::Session, pubsub_token, account_id).await?;
        // With a new contact, the batch's previous insert is the contact.
        statements.push(self.statement(
            "INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, pubsub_token, hmac_verified)
             VALUES (COALESCE(?1, last_insert_rowid()), ?2, ?3, ?4, ?5)",
            params![contact_id, inbox_id, source_id, pubsub_token, verified],
        )?);
        self.batch(statements).await?;
        self.session(inbox_id, source_id)
            .await?
            .ok_or_else(|| ApiError::Internal("session insert left no row".into()))
    }

    pub async fn mark_session_verified(&self, contact_inbox_id: i64) -> ApiResult<()> {
        self.run(
            "UPDATE contact_inboxes SET hmac_verified = 1 WHERE id = ?1",
            params![contact_inbox_id],
        )
        .await?;
        Ok(())
    }

    /// Moves everything of contact `from` to contact `into` and deletes `from`, atomically.
    /// Sessions keep their own conversations: visibility follows the session, not the contact.
    pub async fn merge_contact(&self, from: i64, into: i64) -> ApiResult<()> {
        let moves = [
            "UPDATE contact_inboxes SET contact_id = ?2 WHERE contact_id = ?1",
            "UPDATE conversations SET contact_id = ?2 WHERE contact_id = ?1",
            "UPDATE messages SET sender_id = ?2 WHERE sender_type = 'contact' AND sender_id = ?1",
            "UPDATE contacts SET custom_attributes = json_patch(
                (SELECT custom_attributes FROM contacts WHERE id = ?1), custom_attributes) WHERE id = ?2",
        ];
        let mut statements = moves
            .iter()
            .map(|sql| self.statement(sql, params![from, into]))
            .collect::<ApiResult<Vec<_>>>()?;
        statements.push(self.statement("DELETE FROM contacts WHERE id = ?1", params![from])?);
        self.batch(statements).await?;
        Ok(())
    }
}
