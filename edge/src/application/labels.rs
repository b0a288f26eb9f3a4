//! `/labels` (administrators change them) and `/canned_responses` (every member may).

use serde_json::{Map, Value};
use worker::Response;

use crate::domain::labels;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use crate::store::{CannedResponseChanges, LabelChanges, Membership, Store};

fn label_changes(body: &Map<String, Value>) -> ApiResult<LabelChanges> {
    let fields = Fields::new(body);
    let color = fields.text("color", 7)?;
    if color.as_deref().is_some_and(|color| {
        !(color.len() == 7 && color.starts_with('#') && color[1..].bytes().all(|b| b.is_ascii_hexdigit()))
    }) {
        return Err(ApiError::invalid("color", "Color must be a hex colour like #1f93ff"));
    }
    Ok(LabelChanges {
        title: fields
            .text("title", labels::MAX_TITLE_CHARS)?
            .map(|title| labels::title(&title, "title"))
            .transpose()?,
        description: fields.text("description", 1000)?,
        color,
        show_on_sidebar: fields.bool("show_on_sidebar")?,
    })
}

pub async fn list(store: &Store, member: &Membership) -> ApiResult<Response> {
    json(&serde_json::json!({"payload": store.labels(member.account_id).await?}))
}

pub async fn show(store: &Store, member: &Membership, id: i64) -> ApiResult<Response> {
    json(&store.label(member.account_id, id).await?.ok_or(ApiError::NotFound)?)
}

/// `{title, description, color, show_on_sidebar}`.
pub async fn create(store: &Store, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    member.require_administrator()?;
    let new = label_changes(&request.body_object()?)?;
    if new.title.is_none() {
        return Err(ApiError::invalid("title", "Title can't be blank"));
    }
    json(&store.create_label(member.account_id, &new).await?)
}

pub async fn update(store: &Store, member: &Membership, request: &ApiRequest, id: i64) -> ApiResult<Response> {
    member.require_administrator()?;
    let changes = label_changes(&request.body_object()?)?;
    if !store.update_label(member.account_id, id, &changes).await? {
        return Err(ApiError::NotFound);
    }
    show(store, member, id).await
}

/// Deleting a label leaves it on the contacts and conversations that carry it, as Chatwoot does.
pub async fn delete(store: &Store, member: &Membership, id: i64) -> ApiResult<Response> {
    member.require_administrator()?;
    let label = store.label(member.account_id, id).await?.ok_or(ApiError::NotFound)?;
    store.delete_label(member.account_id, id).await?;
    json(&label)
}

fn canned_changes(body: &Map<String, Value>) -> ApiResult<CannedResponseChanges> {
    let fields = Fields::new(body);
    Ok(CannedResponseChanges {
        short_code: fields.text("short_code", 100)?,
        content: fields.text("content", 10_000)?,
    })
}

/// `?search=`: those whose short code or content contains it.
pub async fn canned_responses(store: &Store, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    let search = request.query("search").filter(|text| !text.is_empty());
    json(&store.canned_responses(member.account_id, search.as_deref()).await?)
}

/// `{short_code, content}`.
pub async fn create_canned_response(store: &Store, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    let new = canned_changes(&request.body_object()?)?;
    for (present, attribute) in [
        (new.short_code.is_some(), "short_code"),
        (new.content.is_some(), "content"),
    ] {
        if !present {
            return Err(ApiError::invalid(
                attribute,
                format!("{} can't be blank", crate::input::label(attribute)),
            ));
        }
    }
    json(&store.create_canned_response(member.account_id, &new).await?)
}

pub async fn update_canned_response(
    store: &Store,
    member: &Membership,
    request: &ApiRequest,
    id: i64,
) -> ApiResult<Response> {
    let changes = canned_changes(&request.body_object()?)?;
    if !store.update_canned_response(member.account_id, id, &changes).await? {
        return Err(ApiError::NotFound);
    }
    json(
        &store
            .canned_response(member.account_id, id)
            .await?
            .ok_or(ApiError::NotFound)?,
    )
}

pub async fn delete_canned_response(store: &Store, member: &Membership, id: i64) -> ApiResult<Response> {
    let canned = store
        .canned_response(member.account_id, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    store.delete_canned_response(member.account_id, id).await?;
    json(&canned)
}
