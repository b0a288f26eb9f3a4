//! Rocket.Chat's livechat routes `/api/v1/livechat` (contract 5.3): the inquiry queue as
//! agents pick work from it. Any credential dialect of contract 0.1 names the user; the
//! answers, errors included, carry Rocket.Chat's `success` flag.

mod inquiries;

use serde_json::{Map, Value};
use worker::{Method, Response};

use crate::auth::{principal, Principal};
use crate::error::{ApiError, ApiResult};
use crate::http::{error_response_with, json, ApiRequest};
use crate::router::App;

/// `path` is what follows `/api/v1/livechat`.
pub async fn route(app: &App, request: &ApiRequest, path: &[&str]) -> Response {
    let answer = async {
        let user_id = match principal(request, &app.directory).await? {
            Principal::User(user_id) => user_id,
            // Inquiries are for human agents: a bot is handed conversations, it does not pick.
            Principal::AgentBot(_) => return Err(ApiError::Forbidden),
        };
        match (&request.method, path) {
            (Method::Get, ["inquiries.list"]) => inquiries::list(app, request, user_id).await,
            (Method::Post, ["inquiries.take"]) => inquiries::take(app, request, user_id).await,
            (Method::Get, ["inquiries.getOne"]) => inquiries::get_one(app, request, user_id).await,
            _ => Err(ApiError::NotFound),
        }
    };
    answer.await.unwrap_or_else(|error| {
        error_response_with(&error, |body| {
            body.insert("success".into(), false.into());
        })
    })
}

/// 200 with `fields` and `"success": true`, Rocket.Chat's envelope.
fn success(mut fields: Map<String, Value>) -> ApiResult<Response> {
    fields.insert("success".into(), true.into());
    json(&fields)
}
