//! `/users` and `/users/{id}`.

use std::borrow::Cow;

use nimchat_shared::validation::password_problem;
use serde_json::{Map, Value};
use worker::Response;

use crate::domain::password;
use crate::error::{ApiError, ApiResult};
use crate::http::{empty_object, json, ApiRequest};
use crate::input::Fields;
use crate::router::App;
use crate::store::{GlobalRow, NewUser, Store, UserChanges};

fn parse(body: &Map<String, Value>) -> ApiResult<UserChanges> {
    let fields = Fields::new(body);
    let password_hash = match fields.text("password", 128)? {
        Some(password) => {
            if let Some(problem) = password_problem(&password) {
                return Err(ApiError::invalid("password", problem));
            }
            Some(password::hash(&password)?)
        }
        None => None,
    };
    Ok(UserChanges {
        name: fields.text("name", 255)?,
        display_name: fields.text("display_name", 255)?,
        email: fields.email("email")?,
        password_hash,
        custom_attributes: fields.object("custom_attributes")?.map(Cow::into_owned),
    })
}

pub async fn create(app: &App, request: &ApiRequest) -> ApiResult<Response> {
    let changes = parse(&request.body_object()?)?;
    let blank = |field: &str, label: &str| ApiError::invalid(field, format!("{label} can't be blank"));
    let new = NewUser {
        name: changes.name.ok_or_else(|| blank("name", "Name"))?,
        email: changes.email.ok_or_else(|| blank("email", "Email"))?,
        password_hash: Some(changes.password_hash.ok_or_else(|| blank("password", "Password"))?),
        display_name: changes.display_name,
        custom_attributes: changes.custom_attributes.unwrap_or_default(),
    };
    let user = app.directory.create_user(&new).await?;
    app.replicate(GlobalRow::User(user.person.id)).await?;
    json(&user)
}

pub async fn show(store: &Store, id: i64) -> ApiResult<Response> {
    json(&store.user(id).await?.ok_or(ApiError::NotFound)?)
}

pub async fn update(app: &App, request: &ApiRequest, id: i64) -> ApiResult<Response> {
    let changes = parse(&request.body_object()?)?;
    let changed = app.directory.update_user(id, &changes).await?;
    json(&app.replicated(changed, GlobalRow::User(id)).await?)
}

pub async fn delete(app: &App, id: i64) -> ApiResult<Response> {
    if !app.directory.delete_user(id).await? {
        return Err(ApiError::NotFound);
    }
    app.replicate(GlobalRow::User(id)).await?;
    empty_object()
}
