//! `/custom_filters`: each user's saved filters, invisible to everyone else.

use nimchat_shared::enums::FilterType;
use serde_json::{Map, Value};
use worker::Response;

use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use crate::store::{CustomFilterChanges, Membership, Store};

fn changes(body: &Map<String, Value>) -> ApiResult<CustomFilterChanges> {
    let fields = Fields::new(body);
    let query = match body.get("query") {
        None | Some(Value::Null) => None,
        Some(value @ Value::Object(_)) if value.to_string().len() <= 16 * 1024 => Some(value.clone()),
        Some(_) => return Err(ApiError::invalid("query", "Query must be an object of at most 16 KB")),
    };
    Ok(CustomFilterChanges {
        name: fields.text("name", 255)?,
        // Chatwoot's real clients send `filter_type`; the swagger says `type`.
        filter_type: match fields.choice("filter_type", FilterType::parse)? {
            Some(filter_type) => Some(filter_type),
            None => fields.choice("type", FilterType::parse)?,
        },
        query,
    })
}

/// `?filter_type=conversation|contact|report`; without it, all of the user's filters.
pub async fn list(store: &Store, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    let filter_type =
        match request.query("filter_type").filter(|text| !text.is_empty()) {
            None => None,
            Some(text) => Some(FilterType::parse(&text).ok_or_else(|| {
                ApiError::invalid("filter_type", "Filter type must be conversation, contact or report")
            })?),
        };
    json(
        &store
            .custom_filters(member.account_id, member.user_id, filter_type)
            .await?,
    )
}

pub async fn show(store: &Store, member: &Membership, id: i64) -> ApiResult<Response> {
    json(
        &store
            .custom_filter(member.account_id, member.user_id, id)
            .await?
            .ok_or(ApiError::NotFound)?,
    )
}

/// `{name, type, query}`.
pub async fn create(store: &Store, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    let new = changes(&request.body_object()?)?;
    if new.name.is_none() {
        return Err(ApiError::invalid("name", "Name can't be blank"));
    }
    if new.filter_type.is_none() {
        return Err(ApiError::invalid(
            "type",
            "Type must be conversation, contact or report",
        ));
    }
    json(
        &store
            .create_custom_filter(member.account_id, member.user_id, &new)
            .await?,
    )
}

pub async fn update(store: &Store, member: &Membership, request: &ApiRequest, id: i64) -> ApiResult<Response> {
    let changes = changes(&request.body_object()?)?;
    if !store
        .update_custom_filter(member.account_id, member.user_id, id, &changes)
        .await?
    {
        return Err(ApiError::NotFound);
    }
    show(store, member, id).await
}

pub async fn delete(store: &Store, member: &Membership, id: i64) -> ApiResult<Response> {
    let filter = store
        .custom_filter(member.account_id, member.user_id, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    store
        .delete_custom_filter(member.account_id, member.user_id, id)
        .await?;
    json(&filter)
}
