//! Contacts as account members manage them: listed, searched, filtered, labelled.

use nimchat_shared::enums::ChannelType;
use nimchat_shared::wire::{Contact, ContactInbox, ContactInboxInbox};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::contacts::{ContactChanges, NewContact};
use super::query::{FilterTarget, Query};
use super::{json_text, page_offset, params, Count, KeyKind, Param, Store};
use crate::domain::filters::Condition;
use crate::error::{ApiError, ApiResult};
use worker::d1::D1PreparedStatement;

/// Contacts listed per page, as the seed says.
pub const CONTACTS_PER_PAGE: i64 = 15;

const CONTACT_TARGET: FilterTarget = FilterTarget {
    alias: "c",
    labels_table: "contact_labels",
    labels_owner: "contact_id",
};

/// The seed's "resolved" contacts: those with an identifier, an email or a phone number.
const RESOLVED: &str = " AND (c.identifier IS NOT NULL OR c.email IS NOT NULL OR c.phone_number IS NOT NULL)";

/// The order of a contact list: `name`, `email`, `phone_number` or `last_activity_at`,
/// descending with a leading `-`. Empty values go last either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContactOrder {
    column: &'static str,
    descending: bool,
}

impl ContactOrder {
    pub fn parse(text: &str) -> Option<Self> {
        let (descending, key) = match text.strip_prefix('-') {
            Some(key) => (true, key),
            None => (false, text),
        };
        let column = match key {
            "name" => "c.name",
            "email" => "c.email",
            "phone_number" => "c.phone_number",
            "last_activity_at" => "c.last_activity_at",
            _ => return None,
        };
        Some(ContactOrder { column, descending })
    }

    /// Most recently active first, as Chatwoot lists them by default.
    pub const RECENT_FIRST: ContactOrder = ContactOrder {
        column: "c.last_activity_at",
        descending: true,
    };
}

/// Which contacts to list.
pub enum ContactSelection<'a> {
    /// Every resolved contact.
    All,
    /// Resolved contacts whose name, email, phone or identifier contains this text.
    Search(&'a str),
    /// Contacts meeting a filter's conditions.
    Filter(&'a [Condition]),
}

#[derive(Deserialize)]
struct ContactRow {
    id: i64,
    name: String,
    email: Option<String>,
    phone_number: Option<String>,
    identifier: Option<String>,
    avatar_url: Option<String>,
    #[serde(deserialize_with = "json_text")]
    custom_attributes: Map<String, Value>,
    #[serde(deserialize_with = "json_text")]
    additional_attributes: Map<String, Value>,
    last_activity_at: Option<i64>,
    created_at: i64,
}

#[derive(Deserialize)]
struct ContactInboxRow {
    contact_id: i64,
    source_id: String,
    inbox_id: i64,
    inbox_name: String,
    channel_type: String,
}

const CONTACT_SELECT: &str = "SELECT c.id, c.name, c.email, c.phone_number, c.identifier, c.avatar_url,
    c.custom_attributes, c.additional_attributes, c.last_activity_at, c.created_at FROM contacts c";

/// A contact to create with its first session, for an account member.
pub struct NewAgentContact<'a> {
    pub contact: &'a NewContact,
    pub additional_attributes: &'a Map<String, Value>,
    pub inbox_id: i64,
    pub source_id: &'a str,
    pub pubsub_token: &'a str,
}

/// A change of a contact: `changes` set where given (its custom attributes merged, a `null`
/// removing a key), the identifier set and additional attributes merged where given; custom
/// attributes and labels replaced whole where given (Engagor's edit modes computed them).
pub struct ContactEdit<'a> {
    pub changes: &'a ContactChanges,
    pub identifier: Option<&'a str>,
    pub additional_attributes: Option<&'a Map<String, Value>>,
    pub replace_custom_attributes: Option<&'a Map<String, Value>>,
    pub labels: Option<&'a [String]>,
}

impl<'a> ContactEdit<'a> {
    /// Just `changes`.
    pub fn of(changes: &'a ContactChanges) -> Self {
        ContactEdit {
            changes,
            identifier: None,
            additional_attributes: None,
            replace_custom_attributes: None,
            labels: None,
        }
    }
}

impl Store {
    /// A page (from 1) of the selection, and how many there are in all.
    pub async fn contacts_page(
        &self,
        account_id: i64,
        selection: &ContactSelection<'_>,
        order: ContactOrder,
        page: i64,
    ) -> ApiResult<(Vec<Contact>, i64)> {
        let mut condition = Query::new(" WHERE c.account_id = ");
        condition.bind(account_id);
        match selection {
            ContactSelection::All => {
                condition.push(RESOLVED);
            }
            ContactSelection::Search(pattern) => {
                condition.push(RESOLVED).push(" AND (");
                for (index, column) in ["c.name", "c.email", "c.phone_number", "c.identifier"]
                    .iter()
                    .enumerate()
                {
                    if index > 0 {
                        condition.push(" OR ");
                    }
                    condition.contains(column, *pattern);
                }
                condition.push(")");
            }
            ContactSelection::Filter(conditions) => {
                condition.conditions(conditions, &CONTACT_TARGET);
            }
        }
        let count: Option<Count> = self
            .first(
                &format!("SELECT COUNT(*) AS n FROM contacts c{}", condition.text),
                &condition.params,
            )
            .await?;
        let direction = if order.descending { "DESC" } else { "ASC" };
        let offset = page_offset(page, CONTACTS_PER_PAGE);
        let mut listing = Query::new(CONTACT_SELECT);
        listing.text.push_str(&condition.text);
        listing.params.extend_from_slice(&condition.params);
        listing
            .push(&format!(
                " ORDER BY {column} IS NULL, {column} {direction}, c.id {direction} LIMIT {CONTACTS_PER_PAGE} OFFSET ",
                column = order.column
            ))
            .bind(offset);
        let rows: Vec<ContactRow> = self.all(&listing.text, &listing.params).await?;
        Ok((self.with_inboxes(rows).await?, count.map_or(0, |count| count.n)))
    }

    pub async fn contact(&self, account_id: i64, contact_id: i64) -> ApiResult<Option<Contact>> {
        let row: Option<ContactRow> = self
            .first(
                &format!("{CONTACT_SELECT} WHERE c.account_id = ?1 AND c.id = ?2"),
                params![account_id, contact_id],
            )
            .await?;
        Ok(self.with_inboxes(row.into_iter().collect()).await?.pop())
    }

    async fn with_inboxes(&self, rows: Vec<ContactRow>) -> ApiResult<Vec<Contact>> {
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        let ids = serde_json::to_string(&ids)?;
        let sessions: Vec<ContactInboxRow> = self
            .all(
                "SELECT ci.contact_id, ci.source_id, i.id AS inbox_id, i.name AS inbox_name, i.channel_type
                 FROM contact_inboxes ci JOIN inboxes i ON i.id = ci.inbox_id
                 WHERE ci.contact_id IN (SELECT value FROM json_each(?1)) ORDER BY ci.id",
                params![&ids],
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let avatar_url = row.avatar_url.unwrap_or_default();
                Contact {
                    contact_inboxes: sessions
                        .iter()
                        .filter(|session| session.contact_id == row.id)
                        .map(|session| ContactInbox {
                            source_id: session.source_id.clone(),
                            inbox: ContactInboxInbox {
                                id: session.inbox_id,
                                name: session.inbox_name.clone(),
                                channel_type: ChannelType::parse(&session.channel_type)
                                    .map_or(session.channel_type.clone(), |kind| kind.class_name().to_string()),
                            },
                        })
                        .collect(),
                    id: row.id,
                    name: row.name,
                    email: row.email,
                    phone_number: row.phone_number,
                    identifier: row.identifier,
                    thumbnail: avatar_url.clone(),
                    avatar_url,
                    additional_attributes: row.additional_attributes,
                    custom_attributes: row.custom_attributes,
                    last_activity_at: row.last_activity_at,
                    created_at: row.created_at,
                }
            })
            .collect())
    }

    /// Which of identifier, email and phone number another contact of the account already has.
    pub async fn taken_contact_field(
        &self,
        account_id: i64,
        except: Option<i64>,
        identifier: Option<&str>,
        email: Option<&str>,
        phone_number: Option<&str>,
    ) -> ApiResult<Option<&'static str>> {
        #[derive(Deserialize)]
        struct Taken {
            field: String,
        }
        let taken: Option<Taken> = self
            .first(
                "SELECT CASE WHEN identifier = ?3 THEN 'identifier' WHEN email = ?4 THEN 'email'
                        ELSE 'phone_number' END AS field
                 FROM contacts WHERE account_id = ?1 AND id IS NOT ?2
                   AND (identifier = ?3 OR email = ?4 OR phone_number = ?5) LIMIT 1",
                params![account_id, except, identifier, email, phone_number],
            )
            .await?;
        Ok(taken.map(|taken| match taken.field.as_str() {
            "identifier" => "identifier",
            "email" => "email",
            _ => "phone_number",
        }))
    }

    /// Creates the contact and its session in the inbox, atomically; answers the contact id.
    pub async fn create_agent_contact(&self, account_id: i64, new: &NewAgentContact<'_>) -> ApiResult<i64> {
        let contact = new.contact;
        let custom = serde_json::to_string(&contact.custom_attributes)?;
        let additional = serde_json::to_string(new.additional_attributes)?;
        self.register_key(KeyKind::Session, new.pubsub_token, account_id)
            .await?;
        let results = self
            .batch(vec![
                self.statement(
                    "INSERT INTO contacts (account_id, name, email, phone_number, identifier, avatar_url,
                        custom_attributes, additional_attributes)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![
                        account_id,
                        &contact.name,
                        &contact.email,
                        &contact.phone_number,
                        &contact.identifier,
                        &contact.avatar_url,
                        &custom,
                        &additional
                    ],
                )?,
                self.statement(
                    "INSERT INTO contact_inboxes (contact_id, inbox_id, source_id, pubsub_token)
                     VALUES (last_insert_rowid(), ?1, ?2, ?3) RETURNING contact_id AS id",
                    params![new.inbox_id, new.source_id, new.pubsub_token],
                )?,
            ])
            .await?;
        #[derive(Deserialize)]
        struct Id {
            id: i64,
        }
        results
            .get(1)
            .map(|result| result.results::<Id>())
            .transpose()?
            .and_then(|rows| rows.into_iter().next())
            .map(|row| row.id)
            .ok_or_else(|| ApiError::Internal("contact insert returned no id".into()))
    }

    /// Deletes the contact with its sessions and conversations (the schema cascades).
    pub async fn delete_contact(&self, account_id: i64, contact_id: i64) -> ApiResult<bool> {
        let changed = self
            .run(
                "DELETE FROM contacts WHERE account_id = ?1 AND id = ?2",
                params![account_id, contact_id],
            )
            .await?;
        Ok(changed > 0)
    }

    pub async fn contact_labels(&self, contact_id: i64) -> ApiResult<Vec<String>> {
        self.labels_of("contact_labels", "contact_id", contact_id).await
    }

    /// Replaces the contact's labels, atomically.
    pub async fn set_contact_labels(&self, contact_id: i64, labels: &[String]) -> ApiResult<()> {
        self.replace_labels("contact_labels", "contact_id", contact_id, labels)
            .await
    }

    pub(super) async fn labels_of(&self, table: &str, owner: &str, id: i64) -> ApiResult<Vec<String>> {
        #[derive(Deserialize)]
        struct LabelRow {
            label: String,
        }
        let rows: Vec<LabelRow> = self
            .all(
                &format!("SELECT label FROM {table} WHERE {owner} = ?1 ORDER BY label"),
                params![id],
            )
            .await?;
        Ok(rows.into_iter().map(|row| row.label).collect())
    }

    pub(super) async fn replace_labels(&self, table: &str, owner: &str, id: i64, labels: &[String]) -> ApiResult<()> {
        let statements = self.label_statements(table, owner, id, labels)?;
        self.batch(statements).await?;
        Ok(())
    }

    /// The writes that make `labels` exactly the labels of `id`.
    fn label_statements(
        &self,
        table: &str,
        owner: &str,
        id: i64,
        labels: &[String],
    ) -> ApiResult<Vec<D1PreparedStatement>> {
        let mut statements = vec![self.statement(&format!("DELETE FROM {table} WHERE {owner} = ?1"), params![id])?];
        for label in labels {
            statements.push(self.statement(
                &format!("INSERT INTO {table} ({owner}, label) VALUES (?1, ?2)"),
                &[Param::Int(id), Param::Text(label)],
            )?);
        }
        Ok(statements)
    }

    /// Changes a contact (and its labels), in one batch.
    pub async fn edit_contact(&self, contact_id: i64, edit: &ContactEdit<'_>) -> ApiResult<()> {
        let changes = edit.changes;
        let json = |map: Option<&Map<String, Value>>| map.map(serde_json::to_string).transpose();
        let replaced = json(edit.replace_custom_attributes)?;
        let merged = json(changes.custom_attributes.as_ref())?;
        let additional = json(edit.additional_attributes)?;
        let mut statements = vec![self.statement(
            "UPDATE contacts SET name = COALESCE(?2, name), email = COALESCE(?3, email),
                phone_number = COALESCE(?4, phone_number), avatar_url = COALESCE(?5, avatar_url),
                identifier = COALESCE(?6, identifier),
                custom_attributes = CASE WHEN ?7 IS NOT NULL THEN ?7
                                         WHEN ?8 IS NOT NULL THEN json_patch(custom_attributes, ?8)
                                         ELSE custom_attributes END,
                additional_attributes = CASE WHEN ?9 IS NULL THEN additional_attributes
                                             ELSE json_patch(additional_attributes, ?9) END,
                updated_at = unixepoch(), last_activity_at = unixepoch()
             WHERE id = ?1",
            params![
                contact_id,
                &changes.name,
                &changes.email,
                &changes.phone_number,
                &changes.avatar_url,
                edit.identifier,
                &replaced,
                &merged,
                &additional
            ],
        )?];
        if let Some(labels) = edit.labels {
            statements.extend(self.label_statements("contact_labels", "contact_id", contact_id, labels)?);
        }
        self.batch(statements).await?;
        Ok(())
    }
}
