//! Platform API `/platform/api/v1` (contract §1): provisioning accounts, users and bots,
//! guarded by the deployment's `PLATFORM_TOKEN`.

mod account_users;
mod accounts;
mod agent_bots;
mod users;

pub(crate) use accounts::account_changes;

use worker::{Method, Response};

use crate::error::{ApiError, ApiResult};
use crate::http::ApiRequest;
use crate::router::{path_id, App};

/// `path` is what follows `/platform/api/v1`.
pub async fn route(app: &App, request: &ApiRequest, path: &[&str]) -> ApiResult<Response> {
    crate::auth::require_platform(request, &app.env)?;
    // What the Platform API reads is global: the directory's. What it writes there is then
    // copied to every shard (`App::replicate`).
    let store = &app.directory;
    match (&request.method, path) {
        (Method::Post, ["accounts"]) => accounts::create(app, request).await,
        (Method::Get, ["accounts", id]) => accounts::show(store, path_id(id)?).await,
        (Method::Patch | Method::Put, ["accounts", id]) => accounts::update(app, request, path_id(id)?).await,
        (Method::Delete, ["accounts", id]) => accounts::delete(app, path_id(id)?).await,
        (Method::Post, ["accounts", id, "move"]) => accounts::move_to(app, request, path_id(id)?).await,
        (Method::Get, ["accounts", id, "account_users"]) => account_users::list(store, path_id(id)?).await,
        (Method::Post, ["accounts", id, "account_users"]) => account_users::create(app, request, path_id(id)?).await,
        (Method::Delete, ["accounts", id, "account_users"]) => account_users::delete(app, request, path_id(id)?).await,
        (Method::Post, ["users"]) => users::create(app, request).await,
        (Method::Get, ["users", id]) => users::show(store, path_id(id)?).await,
        (Method::Patch | Method::Put, ["users", id]) => users::update(app, request, path_id(id)?).await,
        (Method::Delete, ["users", id]) => users::delete(app, path_id(id)?).await,
        (Method::Get, ["agent_bots"]) => agent_bots::list(store).await,
        (Method::Post, ["agent_bots"]) => agent_bots::create(app, request).await,
        (Method::Get, ["agent_bots", id]) => agent_bots::show(store, path_id(id)?).await,
        (Method::Patch | Method::Put, ["agent_bots", id]) => agent_bots::update(app, request, path_id(id)?).await,
        (Method::Delete, ["agent_bots", id]) => agent_bots::delete(app, path_id(id)?).await,
        _ => Err(ApiError::NotFound),
    }
}
