//! Integrations of the Application API (contract 7.6): the one app nimchat has, `webhook`,
//! whose hooks are the webhooks of 7.1 seen from the integrations side.

use serde_json::{json, Map, Value};
use worker::Response;

use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::router::App;
use crate::store::{Membership, WebhookRow};
use crate::webhooks::routes as webhooks;

const APP_ID: &str = "webhook";

/// The hook object of a webhook; `secret` only in the answer to its creation.
fn hook(webhook: &WebhookRow, with_secret: bool) -> Value {
    let mut object = json!({
        "id": webhook.id,
        "app_id": APP_ID,
        "account_id": webhook.account_id,
        "inbox_id": webhook.inbox_id,
        "hook_type": if webhook.inbox_id.is_some() { "inbox" } else { "account" },
        "status": true,
        "settings": {"url": webhook.url, "subscriptions": webhook.subscriptions, "name": webhook.name},
    });
    if with_secret {
        object["secret"] = json!(webhook.secret);
    }
    object
}

/// `GET integrations/apps`: every member; agents see no hooks.
pub async fn apps(app: &App, member: &Membership) -> ApiResult<Response> {
    let webhooks = app.store.webhooks(member.account_id).await?;
    let hooks: Vec<Value> = match member.is_administrator() {
        true => webhooks.iter().map(|webhook| hook(webhook, false)).collect(),
        false => Vec::new(),
    };
    json(&json!({"payload": [{
        "id": APP_ID,
        "name": "Webhooks",
        "description": "Send the account's events to your own servers, signed (Standard Webhooks).",
        "hook_type": "account",
        "enabled": !webhooks.is_empty(),
        "allow_multiple_hooks": true,
        "hooks": hooks,
    }]}))
}

/// The webhook fields a hook body names: `settings` flattened, with `inbox_id` beside it.
/// A problem with a setting is a 422 naming `settings`.
fn webhook_body(body: &Map<String, Value>, creating: bool) -> ApiResult<Map<String, Value>> {
    let mut fields = match body.get("settings") {
        Some(Value::Object(settings)) => settings.clone(),
        None if !creating => Map::new(),
        _ => {
            return Err(ApiError::invalid(
                "settings",
                "Settings must be an object with url and subscriptions",
            ))
        }
    };
    fields.retain(|key, _| matches!(key.as_str(), "url" | "subscriptions" | "name"));
    if let Some(inbox) = body.get("inbox_id") {
        fields.insert("inbox_id".into(), inbox.clone());
    }
    Ok(fields)
}

/// Errors of the webhook's own fields are errors of `settings` here.
fn as_settings(error: ApiError) -> ApiError {
    match error {
        ApiError::Invalid { message, attributes } if attributes.iter().any(|field| field != "inbox_id") => {
            ApiError::Invalid {
                message,
                attributes: vec!["settings".into()],
            }
        }
        other => other,
    }
}

/// `POST integrations/hooks {app_id: "webhook", inbox_id?, settings: {url, subscriptions, name?}}`.
pub async fn create_hook(app: &App, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    member.require_administrator()?;
    let body = request.body_object()?;
    if body.get("app_id").and_then(Value::as_str) != Some(APP_ID) {
        return Err(ApiError::invalid("app_id", "App must be webhook, the one nimchat has"));
    }
    let fields = webhook_body(&body, true)?;
    let created = webhooks::create_webhook(&app.env, &app.store, member, &fields)
        .await
        .map_err(as_settings)?;
    json(&hook(&created, true))
}

/// `PATCH integrations/hooks/{id} {settings?, inbox_id?}`; a `status` sent is ignored.
pub async fn update_hook(app: &App, member: &Membership, request: &ApiRequest, id: i64) -> ApiResult<Response> {
    member.require_administrator()?;
    let fields = webhook_body(&request.body_object()?, false)?;
    let changed = webhooks::update_webhook(&app.env, &app.store, member, id, &fields)
        .await
        .map_err(as_settings)?;
    json(&hook(&changed, false))
}

pub async fn delete_hook(app: &App, member: &Membership, id: i64) -> ApiResult<Response> {
    member.require_administrator()?;
    webhooks::delete_webhook(&app.store, member, id).await?;
    crate::http::empty_object()
}
