//! Application API `/api/v1/accounts/{account_id}` (contract §2): what agents and
//! administrators use. Every route first resolves the caller's membership of the account.

mod agents;
mod conversations;
mod inbox_members;
mod inboxes;

use worker::{Method, Response};

use crate::error::{ApiError, ApiResult};
use crate::http::ApiRequest;
use crate::router::{path_id, App};

/// `GET /api/v1/profile`: the signed-in user, with the `pubsub_token` for `/cable`.
pub async fn profile(app: &App, request: &ApiRequest) -> ApiResult<Response> {
    let user_id = match crate::auth::principal(request, &app.store).await? {
        crate::auth::Principal::User(user_id) => user_id,
        crate::auth::Principal::AgentBot(_) => return Err(ApiError::Forbidden),
    };
    let profile = app.store.profile(user_id).await?.ok_or(ApiError::Unauthorized)?;
    crate::http::json(&profile)
}

/// `path` is what follows `/api/v1/accounts/{account_id}`.
pub async fn route(app: &App, request: &ApiRequest, account_id: i64, path: &[&str]) -> ApiResult<Response> {
    let store = &app.store;
    let member = crate::auth::member(request, store, account_id).await?;
    let context = inboxes::Context {
        store,
        member: &member,
        origin: request.origin(),
    };
    match (&request.method, path) {
        (Method::Get, ["inboxes"]) => inboxes::list(&context).await,
        (Method::Post, ["inboxes"]) => inboxes::create(&context, request).await,
        (Method::Get, ["inboxes", id]) => inboxes::show(&context, path_id(id)?).await,
        (Method::Patch | Method::Put, ["inboxes", id]) => inboxes::update(&context, request, path_id(id)?).await,
        (Method::Get, ["inboxes", id, "agent_bot"]) => inboxes::agent_bot(&context, path_id(id)?).await,
        (Method::Post, ["inboxes", id, "set_agent_bot"]) => {
            inboxes::set_agent_bot(&context, request, path_id(id)?).await
        }
        (Method::Get, ["inbox_members", id]) => inbox_members::list(&context, path_id(id)?).await,
        (Method::Post, ["inbox_members"]) => inbox_members::add(&context, request).await,
        (Method::Patch | Method::Put, ["inbox_members"]) => inbox_members::replace(&context, request).await,
        (Method::Delete, ["inbox_members"]) => inbox_members::remove(&context, request).await,
        (Method::Get, ["conversations"]) => conversations::list(app, &member, request).await,
        (Method::Get, ["conversations", "meta"]) => conversations::meta(app, &member, request).await,
        (Method::Get, ["conversations", id]) => conversations::show(app, &member, path_id(id)?).await,
        (Method::Get, ["conversations", id, "messages"]) => {
            conversations::messages(app, &member, request, path_id(id)?).await
        }
        (Method::Post, ["conversations", id, "messages"]) => {
            conversations::create_message(app, &member, request, path_id(id)?).await
        }
        (Method::Post, ["conversations", id, "toggle_status"]) => {
            conversations::toggle_status(app, &member, request, path_id(id)?).await
        }
        (Method::Post, ["conversations", id, "toggle_typing_status"]) => {
            conversations::toggle_typing(app, &member, request, path_id(id)?).await
        }
        (Method::Get, ["agents"]) => agents::list(store, &member).await,
        (Method::Post, ["agents"]) => agents::create(store, &member, request).await,
        (Method::Patch | Method::Put, ["agents", id]) => agents::update(store, &member, request, path_id(id)?).await,
        (Method::Delete, ["agents", id]) => agents::delete(store, &member, path_id(id)?).await,
        _ => Err(ApiError::NotFound),
    }
}
