//! `GET | POST /{account_id}/inbox/contact/...` (contract 5.2): the contact item, and updates
//! whose custom attributes and tags follow Engagor's edit modes.

use serde_json::{json, Map, Value};
use worker::Response;

use crate::application::check_custom_attributes;
use crate::contact_fields;
use crate::domain::contact_edits::{edit_attributes, edit_tags, parse_options, AttributesMode};
use crate::domain::labels;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use crate::realtime::Broadcaster;
use crate::router::App;
use crate::store::{ContactEdit, Membership, Store};
use crate::webhooks::{hooked, Outbox};
use nimchat_shared::enums::AttributeModel;
use nimchat_shared::wire::Contact;

/// The contact item: the Application API's contact, its `tags` (labels) and its
/// `socialprofiles` (its sessions in livechat and API inboxes).
async fn item(store: &Store, contact: Contact) -> ApiResult<Value> {
    let id = contact.id;
    let mut item = serde_json::to_value(contact)?;
    item["tags"] = json!(store.contact_labels(id).await?);
    item["socialprofiles"] = json!(store.social_profiles(id).await?);
    Ok(item)
}

pub async fn show(app: &App, contact: Contact) -> ApiResult<Response> {
    json(&item(&app.store, contact).await?)
}

/// The custom attributes an update names: an object (its keys, for `delete`), or for
/// `delete` a list of keys.
fn given_attributes(value: Option<Value>, mode: AttributesMode) -> ApiResult<Option<Map<String, Value>>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(attributes)) => Ok(Some(attributes)),
        Some(Value::Array(keys)) if mode == AttributesMode::Delete => keys
            .iter()
            .map(|key| key.as_str().map(|key| (key.to_string(), Value::Null)))
            .collect::<Option<Map<String, Value>>>()
            .map(Some)
            .ok_or_else(|| {
                ApiError::invalid(
                    "custom_attributes",
                    "Custom attributes to delete are named by text keys",
                )
            }),
        Some(_) => Err(ApiError::invalid(
            "custom_attributes",
            "Custom attributes must be an object",
        )),
    }
}

/// The tags an update names, each a label title.
fn given_tags(value: Option<Value>) -> ApiResult<Option<Vec<String>>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(tags)) => labels::titles(&tags, "tags").map(Some),
        Some(_) => Err(ApiError::invalid("tags", "Tags must be a list of texts")),
    }
}

/// `POST` with `updates` (the contact's fields to change) and `options` (the edit modes), each
/// a JSON object or a form field holding one. Everything is checked before anything is
/// written, and written at once.
pub async fn update(app: &App, caller: &Membership, request: &ApiRequest, stored: Contact) -> ApiResult<Response> {
    let store = &app.store;
    let contact_id = stored.id;
    let body = request.body_object()?;
    let fields = Fields::new(&body);
    let mut updates = fields
        .object("updates")?
        .ok_or_else(|| ApiError::invalid("updates", "Updates can't be blank"))?
        .into_owned();
    let options = parse_options(&fields.object("options")?.unwrap_or_default())?;
    if updates.contains_key("socialprofiles") {
        return Err(ApiError::invalid("socialprofiles", "Socialprofiles can't be updated"));
    }
    // The edit modes decide these two; every other field is set as given.
    let attributes = given_attributes(updates.remove("custom_attributes"), options.attributes)?;
    let tags = given_tags(updates.remove("tags"))?;
    let read = contact_fields::read(store, caller.account_id, &updates).await?;
    contact_fields::refuse_taken(store, caller.account_id, Some(contact_id), &read).await?;
    if options.attributes != AttributesMode::Delete {
        check_custom_attributes(store, caller.account_id, AttributeModel::Contact, attributes.as_ref()).await?;
    }
    let attributes = attributes.map(|given| edit_attributes(&stored.custom_attributes, &given, options.attributes));
    let tags = match tags {
        Some(given) => Some(edit_tags(
            &store.contact_labels(contact_id).await?,
            &given,
            options.tags,
        )),
        None => None,
    };
    let edit = ContactEdit {
        identifier: read.identifier.as_deref(),
        additional_attributes: read.additional_attributes.as_ref(),
        replace_custom_attributes: attributes.as_ref(),
        labels: tags.as_deref(),
        ..ContactEdit::of(&read.changes)
    };
    store.edit_contact(contact_id, &edit).await?;
    let edited = store
        .contact(caller.account_id, contact_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    hooked(
        Outbox::new(&app.env, store)
            .contact_event(caller.account_id, Some((&stored).into()), (&edited).into())
            .await,
    );
    let item = item(store, edited).await?;
    Broadcaster::new(&app.env, store)
        .contact_updated(caller.account_id, &item)
        .await?;
    json(&item)
}
