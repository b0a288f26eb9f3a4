//! `/webhooks` of the Application API (contract 7.1), administrators only.

use serde_json::{json, Map, Value};
use worker::{Env, Response};

use crate::domain::webhook_events::parse_subscriptions;
use crate::domain::{secrets, standard_webhooks};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use crate::store::{Membership, Store, WebhookChanges, WebhookRow};

/// The webhook object; `secret` only in the answers to create and show.
fn render(webhook: &WebhookRow, with_secret: bool) -> Value {
    let mut object = json!({
        "id": webhook.id,
        "account_id": webhook.account_id,
        "name": webhook.name,
        "url": webhook.url,
        "subscriptions": webhook.subscriptions,
        "inbox_id": webhook.inbox_id,
    });
    if with_secret {
        object["secret"] = json!(webhook.secret);
    }
    object
}

/// The fields the body sends, checked; nothing it does not send.
async fn changes(env: &Env, store: &Store, account_id: i64, body: &Map<String, Value>) -> ApiResult<WebhookChanges> {
    let fields = Fields::new(body);
    let url = fields.outgoing_url("url", super::private_urls_allowed(env))?;
    let subscriptions = match body.get("subscriptions") {
        None => None,
        Some(given) => Some(
            parse_subscriptions(given)
                .ok_or_else(|| {
                    ApiError::invalid(
                        "subscriptions",
                        "Subscriptions must be a non-empty list of supported event names",
                    )
                })?
                .into_iter()
                .map(|event| event.name().to_string())
                .collect(),
        ),
    };
    let name = fields.sent_text("name", 255)?;
    let inbox_id = match body.get("inbox_id") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(_) => {
            let id = fields.required_id("inbox_id")?;
            if store.inbox(account_id, id).await?.is_none() {
                return Err(ApiError::invalid("inbox_id", "Inbox must be an inbox of this account"));
            }
            Some(Some(id))
        }
    };
    Ok(WebhookChanges {
        clears_name: matches!(name, Some(None)),
        name: name.flatten(),
        url,
        subscriptions,
        inbox_id,
    })
}

async fn find(store: &Store, member: &Membership, id: i64) -> ApiResult<WebhookRow> {
    store.webhook(member.account_id, id).await?.ok_or(ApiError::NotFound)
}

pub async fn list(store: &Store, member: &Membership) -> ApiResult<Response> {
    member.require_administrator()?;
    let webhooks: Vec<Value> = store
        .webhooks(member.account_id)
        .await?
        .iter()
        .map(|webhook| render(webhook, false))
        .collect();
    json(&webhooks)
}

pub async fn show(store: &Store, member: &Membership, id: i64) -> ApiResult<Response> {
    member.require_administrator()?;
    json(&render(&find(store, member, id).await?, true))
}

/// Creates a webhook from `{url, subscriptions, name?, inbox_id?}` (also the body of an
/// integration hook's settings).
pub async fn create_webhook(
    env: &Env,
    store: &Store,
    member: &Membership,
    body: &Map<String, Value>,
) -> ApiResult<WebhookRow> {
    let new = changes(env, store, member.account_id, body).await?;
    if new.url.is_none() {
        return Err(ApiError::invalid("url", "Url can't be blank"));
    }
    if new.subscriptions.is_none() {
        return Err(ApiError::invalid("subscriptions", "Subscriptions can't be blank"));
    }
    let secret = standard_webhooks::secret(secrets::random_bytes()?);
    store.create_webhook(member.account_id, &new, &secret).await
}

/// Changes the fields `body` sends; answers the webhook as it now is.
pub async fn update_webhook(
    env: &Env,
    store: &Store,
    member: &Membership,
    id: i64,
    body: &Map<String, Value>,
) -> ApiResult<WebhookRow> {
    find(store, member, id).await?;
    let changes = changes(env, store, member.account_id, body).await?;
    if !store.update_webhook(member.account_id, id, &changes).await? {
        return Err(ApiError::NotFound);
    }
    find(store, member, id).await
}

/// Deletes it with the attempts that have not started; answers what it was.
pub async fn delete_webhook(store: &Store, member: &Membership, id: i64) -> ApiResult<WebhookRow> {
    let webhook = find(store, member, id).await?;
    store.delete_webhook(member.account_id, id).await?;
    Ok(webhook)
}

/// `{url, subscriptions, name?, inbox_id?}`.
pub async fn create(env: &Env, store: &Store, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    member.require_administrator()?;
    let created = create_webhook(env, store, member, &request.body_object()?).await?;
    json(&render(&created, true))
}

pub async fn update(
    env: &Env,
    store: &Store,
    member: &Membership,
    request: &ApiRequest,
    id: i64,
) -> ApiResult<Response> {
    member.require_administrator()?;
    let changed = update_webhook(env, store, member, id, &request.body_object()?).await?;
    json(&render(&changed, false))
}

pub async fn delete(store: &Store, member: &Membership, id: i64) -> ApiResult<Response> {
    member.require_administrator()?;
    json(&render(&delete_webhook(store, member, id).await?, false))
}

/// `{"payload": [...]}`: the last 100 finished attempts, newest first.
pub async fn deliveries(store: &Store, member: &Membership, id: i64) -> ApiResult<Response> {
    member.require_administrator()?;
    let webhook = find(store, member, id).await?;
    json(&json!({"payload": store.attempts("webhook", webhook.id).await?}))
}
