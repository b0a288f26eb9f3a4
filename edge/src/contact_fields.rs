//! The contact fields agents and integrations set (the Application API's contacts, Engagor's
//! contact updates): read and checked once, for both.

use std::borrow::Cow;

use nimchat_shared::enums::AttributeModel;
use serde_json::{Map, Value};

use crate::application::check_custom_attributes;
use crate::client::contact_changes;
use crate::error::{ApiError, ApiResult};
use crate::input::Fields;
use crate::store::{ContactChanges, Store};

/// The fields of a contact an agent sets, beyond what a visitor may.
pub struct AgentContactFields {
    pub changes: ContactChanges,
    pub identifier: Option<String>,
    pub additional_attributes: Option<Map<String, Value>>,
}

pub async fn read(store: &Store, account_id: i64, body: &Map<String, Value>) -> ApiResult<AgentContactFields> {
    let fields = Fields::new(body);
    let read = AgentContactFields {
        changes: contact_changes(fields)?,
        identifier: fields.text("identifier", 255)?,
        additional_attributes: fields.object("additional_attributes")?.map(Cow::into_owned),
    };
    check_custom_attributes(
        store,
        account_id,
        AttributeModel::Contact,
        read.changes.custom_attributes.as_ref(),
    )
    .await?;
    Ok(read)
}

/// 422 when another contact of the account has the identifier, email or phone number.
pub async fn refuse_taken(
    store: &Store,
    account_id: i64,
    except: Option<i64>,
    read: &AgentContactFields,
) -> ApiResult<()> {
    let taken = store
        .taken_contact_field(
            account_id,
            except,
            read.identifier.as_deref(),
            read.changes.email.as_deref(),
            read.changes.phone_number.as_deref(),
        )
        .await?;
    match taken {
        Some(field) => Err(ApiError::invalid(
            field,
            format!("{} has already been taken", crate::input::label(field)),
        )),
        None => Ok(()),
    }
}
