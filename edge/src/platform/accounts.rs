//! `/accounts` and `/accounts/{id}`.

use std::borrow::Cow;

use serde_json::{Map, Value};
use worker::Response;

use crate::attachments;
use crate::error::{ApiError, ApiResult};
use crate::http::{empty_object, json, ApiRequest};
use crate::input::Fields;
use crate::router::App;
use crate::store::{AccountChanges, FilesOf, Store};

/// The account fields a request sets.
pub(crate) fn account_changes(body: &Map<String, Value>) -> ApiResult<AccountChanges> {
    let fields = Fields::new(body);
    Ok(AccountChanges {
        name: fields.text("name", 255)?,
        locale: fields.text("locale", 16)?,
        domain: fields.text("domain", 255)?,
        support_email: fields.email("support_email")?,
        status: fields.choice("status", |text| {
            matches!(text, "active" | "suspended").then(|| text.to_string())
        })?,
        custom_attributes: fields.object("custom_attributes")?.map(Cow::into_owned),
    })
}

pub async fn create(store: &Store, request: &ApiRequest) -> ApiResult<Response> {
    let new = account_changes(&request.body_object()?)?;
    if new.name.is_none() {
        return Err(ApiError::invalid("name", "Name can't be blank"));
    }
    json(&store.create_account(&new).await?)
}

pub async fn show(store: &Store, id: i64) -> ApiResult<Response> {
    json(&store.account(id).await?.ok_or(ApiError::NotFound)?)
}

pub async fn update(store: &Store, request: &ApiRequest, id: i64) -> ApiResult<Response> {
    let changes = account_changes(&request.body_object()?)?;
    json(&store.update_account(id, &changes).await?.ok_or(ApiError::NotFound)?)
}

pub async fn delete(app: &App, id: i64) -> ApiResult<Response> {
    let files = FilesOf::Account { account_id: id };
    if !attachments::deleting(app, files, app.store.delete_account(id)).await? {
        return Err(ApiError::NotFound);
    }
    empty_object()
}
