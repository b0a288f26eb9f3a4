//! `/contacts`: the account's contacts as agents manage them (seed "Contacts").

use nimchat_shared::enums::AttributeModel;
use serde_json::json;
use worker::Response;

use super::parse_filter;
use crate::attachments;
use crate::contact_fields;
use crate::domain::filters::{Kind, Standard};
use crate::domain::{labels, secrets};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use crate::router::App;
use crate::store::{
    ContactEdit, ContactOrder, ContactSelection, FilesOf, Membership, NewAgentContact, NewContact, Store,
};
use crate::webhooks::{hooked, Outbox};

/// The contact attributes a filter may name besides custom attributes.
fn contact_attribute(key: &str) -> Option<Standard> {
    let column = |column, kind| Some(Standard::Column { column, kind });
    match key {
        "name" => column("c.name", Kind::Text),
        "email" => column("c.email", Kind::Text),
        "phone_number" => column("c.phone_number", Kind::Text),
        "identifier" => column("c.identifier", Kind::Text),
        "created_at" => column("c.created_at", Kind::Date),
        "last_activity_at" => column("c.last_activity_at", Kind::Date),
        "country_code" => Some(Standard::Additional { path: "$.country_code" }),
        "city" => Some(Standard::Additional { path: "$.city" }),
        "company" => Some(Standard::Additional { path: "$.company_name" }),
        "labels" => Some(Standard::Labels),
        _ => None,
    }
}

fn order(request: &ApiRequest) -> ApiResult<ContactOrder> {
    match request.query("sort").filter(|text| !text.is_empty()) {
        None => Ok(ContactOrder::RECENT_FIRST),
        Some(text) => ContactOrder::parse(&text).ok_or_else(|| {
            ApiError::invalid(
                "sort",
                "Sort must be name, email, phone_number or last_activity_at, with - for descending",
            )
        }),
    }
}

async fn page(
    store: &Store,
    member: &Membership,
    request: &ApiRequest,
    selection: ContactSelection<'_>,
) -> ApiResult<Response> {
    let page = request.query_int("page")?.unwrap_or(1);
    let (contacts, count) = store
        .contacts_page(member.account_id, &selection, order(request)?, page)
        .await?;
    json(&json!({"meta": {"count": count, "current_page": page.max(1)}, "payload": contacts}))
}

/// `GET /contacts?sort=&page=`: resolved contacts, 15 a page.
pub async fn list(store: &Store, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    page(store, member, request, ContactSelection::All).await
}

/// `GET /contacts/search?q=`: resolved contacts whose name, email, phone or identifier
/// contains `q`, literally.
pub async fn search(store: &Store, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    let query = request
        .query("q")
        .map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty())
        .ok_or_else(|| ApiError::invalid("q", "Q can't be blank"))?;
    if query.chars().count() > 255 {
        return Err(ApiError::invalid("q", "Q is too long (maximum is 255 characters)"));
    }
    page(store, member, request, ContactSelection::Search(&query)).await
}

/// `POST /contacts/filter?page=` with `{payload: [conditions]}`.
pub async fn filter(store: &Store, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    let body = request.body_object()?;
    let conditions = parse_filter(
        store,
        member.account_id,
        AttributeModel::Contact,
        body.get("payload"),
        contact_attribute,
    )
    .await?;
    page(store, member, request, ContactSelection::Filter(&conditions)).await
}

/// `POST /contacts {inbox_id, name, email, phone_number, identifier, avatar_url,
/// custom_attributes, additional_attributes, source_id?}`: the contact and its session in
/// the inbox.
pub async fn create(app: &App, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    let store = &app.store;
    let body = request.body_object()?;
    let fields = Fields::new(&body);
    let inbox_id = fields.required_id("inbox_id")?;
    let source_id = fields.text("source_id", 255)?;
    let read = contact_fields::read(store, member.account_id, &body).await?;
    let inbox = store
        .inbox(member.account_id, inbox_id)
        .await?
        .ok_or_else(|| ApiError::invalid("inbox_id", "Inbox must be an inbox of this account"))?;
    contact_fields::refuse_taken(store, member.account_id, None, &read).await?;
    let new = NewContact::from_changes(read.changes, read.identifier)?;
    let source_id = secrets::given_or_new_source_id(source_id)?;
    let contact_id = store
        .create_agent_contact(
            member.account_id,
            &NewAgentContact {
                contact: &new,
                additional_attributes: &read.additional_attributes.unwrap_or_default(),
                inbox_id: inbox.id,
                source_id: &source_id,
                pubsub_token: &secrets::token()?,
            },
        )
        .await?;
    let contact = store
        .contact(member.account_id, contact_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    hooked(
        Outbox::new(&app.env, store)
            .contact_event(member.account_id, None, (&contact).into())
            .await,
    );
    json(&json!({"payload": {"contact": contact, "contact_inbox": {
        "source_id": source_id, "inbox": {"id": inbox.id, "name": inbox.name}
    }}}))
}

async fn existing(store: &Store, member: &Membership, id: i64) -> ApiResult<nimchat_shared::wire::Contact> {
    store.contact(member.account_id, id).await?.ok_or(ApiError::NotFound)
}

pub async fn show(store: &Store, member: &Membership, id: i64) -> ApiResult<Response> {
    json(&json!({"payload": existing(store, member, id).await?}))
}

/// `PATCH /contacts/{id}`: blank fields are left alone; attributes are merged.
pub async fn update(app: &App, member: &Membership, request: &ApiRequest, id: i64) -> ApiResult<Response> {
    let store = &app.store;
    let before = existing(store, member, id).await?;
    let read = contact_fields::read(store, member.account_id, &request.body_object()?).await?;
    contact_fields::refuse_taken(store, member.account_id, Some(id), &read).await?;
    let edit = ContactEdit {
        identifier: read.identifier.as_deref(),
        additional_attributes: read.additional_attributes.as_ref(),
        ..ContactEdit::of(&read.changes)
    };
    store.edit_contact(id, &edit).await?;
    let after = existing(store, member, id).await?;
    hooked(
        Outbox::new(&app.env, store)
            .contact_event(member.account_id, Some((&before).into()), (&after).into())
            .await,
    );
    json(&json!({"payload": after}))
}

/// Deletes the contact with its conversations (administrators only, as in Chatwoot).
pub async fn delete(app: &App, member: &Membership, id: i64) -> ApiResult<Response> {
    member.require_administrator()?;
    let files = FilesOf::Contact {
        account_id: member.account_id,
        contact_id: id,
    };
    if !attachments::deleting(app, files, app.store.delete_contact(member.account_id, id)).await? {
        return Err(ApiError::NotFound);
    }
    crate::http::empty_object()
}

/// `GET /contacts/{id}/conversations`: those the caller may see.
pub async fn conversations(store: &Store, member: &Membership, id: i64) -> ApiResult<Response> {
    existing(store, member, id).await?;
    let viewer = (!member.is_administrator()).then_some(member.user_id);
    let records = store.contact_conversations(member.account_id, id, viewer).await?;
    let ids: Vec<i64> = records.iter().map(|record| record.id).collect();
    let last_messages = store.last_messages(&ids).await?;
    let payload = records
        .iter()
        .map(|record| {
            let last = last_messages
                .iter()
                .filter(|message| message.conversation_id == record.display_id)
                .cloned()
                .collect();
            record.to_agent_wire(last, 0)
        })
        .collect::<ApiResult<Vec<_>>>()?;
    json(&json!({ "payload": payload }))
}

pub async fn labels(store: &Store, member: &Membership, id: i64) -> ApiResult<Response> {
    existing(store, member, id).await?;
    json(&json!({"payload": store.contact_labels(id).await?}))
}

/// `POST /contacts/{id}/labels {labels: [...]}`: replaces them.
pub async fn set_labels(store: &Store, member: &Membership, request: &ApiRequest, id: i64) -> ApiResult<Response> {
    existing(store, member, id).await?;
    let body = request.body_object()?;
    let given = Fields::new(&body)
        .array("labels")?
        .ok_or_else(|| ApiError::invalid("labels", "Labels must be a list"))?;
    let titles = labels::titles(&given, "labels")?;
    store.set_contact_labels(id, &titles).await?;
    json(&json!({"payload": store.contact_labels(id).await?}))
}
