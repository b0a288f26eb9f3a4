//! `/accounts/{id}/account_users`: memberships with a role.

use nimchat_shared::enums::Role;
use worker::Response;

use crate::conversation_flow;
use crate::error::{ApiError, ApiResult};
use crate::http::{empty_object, json, ApiRequest};
use crate::input::Fields;
use crate::realtime::Broadcaster;
use crate::router::App;
use crate::store::{GlobalRow, Store};

pub async fn list(store: &Store, account_id: i64) -> ApiResult<Response> {
    store.account(account_id).await?.ok_or(ApiError::NotFound)?;
    json(&store.account_users(account_id).await?)
}

pub async fn create(app: &App, request: &ApiRequest, account_id: i64) -> ApiResult<Response> {
    let store = &app.directory;
    let body = request.body_object()?;
    let fields = Fields::new(&body);
    let user_id = fields.required_id("user_id")?;
    let role = fields
        .choice("role", Role::parse)?
        .ok_or_else(|| ApiError::invalid("role", "Role must be administrator or agent"))?;
    store.account(account_id).await?.ok_or(ApiError::NotFound)?;
    store.user(user_id).await?.ok_or(ApiError::NotFound)?;
    let membership = store.put_account_user(account_id, user_id, role).await?;
    app.replicate(GlobalRow::User(user_id)).await?;
    app.replicate(GlobalRow::Membership { account_id, user_id }).await?;
    json(&membership)
}

pub async fn delete(app: &App, request: &ApiRequest, account_id: i64) -> ApiResult<Response> {
    let body = request.body_object()?;
    let user_id = Fields::new(&body).required_id("user_id")?;
    let shard = app.for_account(account_id).await?;
    let broadcaster = Broadcaster::new(&shard.env, &shard.store);
    if !conversation_flow::remove_agent(&shard.store, &broadcaster, account_id, user_id).await? {
        return Err(ApiError::NotFound);
    }
    app.directory.remove_account_user(account_id, user_id).await?;
    app.replicate(GlobalRow::Membership { account_id, user_id }).await?;
    empty_object()
}
