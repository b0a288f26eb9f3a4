//! The signed-in user's own profile (`/api/v1/profile`), and the availability they choose in
//! an account (Chatwoot's `profile/availability`).

use nimchat_shared::enums::Availability;
use serde_json::{Map, Value};
use worker::Response;

use crate::auth::{principal, Principal};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use crate::router::App;
use crate::store::{AgentSettings, GlobalRow};

async fn user_id(app: &App, request: &ApiRequest) -> ApiResult<i64> {
    match principal(request, &app.directory).await? {
        Principal::User(user_id) => Ok(user_id),
        Principal::AgentBot(_) => Err(ApiError::Forbidden),
    }
}

/// `GET /api/v1/profile`.
pub async fn show(app: &App, request: &ApiRequest) -> ApiResult<Response> {
    profile_of(app, user_id(app, request).await?).await
}

async fn profile_of(app: &App, user_id: i64) -> ApiResult<Response> {
    let profile = app.directory.profile(user_id).await?.ok_or(ApiError::Unauthorized)?;
    json(&profile)
}

/// `POST`/`PUT /api/v1/profile/availability` with `{profile: {availability, account_id}}`
/// (Chatwoot's shape; the fields may also come flat): the user's own setting in one of their
/// accounts. Answers the profile.
pub async fn set_availability(app: &App, request: &ApiRequest) -> ApiResult<Response> {
    let user_id = user_id(app, request).await?;
    let body = request.body_object()?;
    let given: Map<String, Value> = match body.get("profile") {
        Some(Value::Object(nested)) => nested.clone(),
        _ => body,
    };
    let fields = Fields::new(&given);
    let account_id = fields.required_id("account_id")?;
    let availability = fields
        .choice("availability", Availability::parse_input)?
        .ok_or_else(|| ApiError::invalid("availability", "Availability must be online, busy or offline"))?;
    if app.directory.membership(account_id, user_id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    let settings = AgentSettings {
        availability: Some(availability),
        ..AgentSettings::default()
    };
    let changed = app.directory.update_agent(account_id, user_id, &settings).await?;
    app.replicated(changed, GlobalRow::Membership { account_id, user_id })
        .await?;
    profile_of(app, user_id).await
}
