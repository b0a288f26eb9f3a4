//! The queue's consumer (contract 7.1): one attempt per queue message. It signs the stored
//! body with the endpoint's secret, POSTs it with a 15 s limit and no redirects, logs the
//! attempt, and enqueues the next one on the back-off schedule until one succeeds or seven
//! have failed.

use std::time::Duration;

use futures_util::future::{join_all, select, Either};
use worker::js_sys::{Date, Math};
use worker::wasm_bindgen::JsValue;
use worker::{
    console_error, AbortController, Delay, Env, Fetch, Headers, MessageBatch, MessageExt, Method, Request, RequestInit,
    RequestRedirect,
};

use serde_json::Value;

use crate::clock;
use crate::conversation_flow;
use crate::domain::handover::{Owner, FAILED_BOT_DELIVERIES_BEFORE_HANDOVER};
use crate::domain::webhook_events::WebhookEvent;
use crate::domain::{outgoing_urls, retry_schedule, standard_webhooks};
use crate::error::{ApiError, ApiResult};
use crate::realtime::Broadcaster;
use crate::router::MOVE_RETRY_SECONDS;
use crate::store::{Attempt, DeliveryTicket, PendingDelivery, Store};

const TIMEOUT: Duration = Duration::from_secs(15);

/// Attempts the batch's deliveries side by side, so a slow endpoint holds up no other.
/// A delivery that storage failed on goes back to the queue as it was.
pub async fn consume(batch: MessageBatch<DeliveryTicket>, env: Env) -> worker::Result<()> {
    let messages = batch.messages()?;
    let results = join_all(messages.iter().map(|message| attempt(&env, *message.body()))).await;
    for (message, result) in messages.iter().zip(results) {
        match result {
            Ok(()) => message.ack(),
            Err(error) => {
                console_error!("delivery {:?} failed in storage: {error:?}", message.body());
                message.retry();
            }
        }
    }
    Ok(())
}

/// How an attempt ended: `error` is `None` on a 2xx answer.
struct Outcome {
    response_code: Option<i64>,
    error: Option<&'static str>,
}

impl Outcome {
    fn failed(error: &'static str) -> Self {
        Outcome {
            response_code: None,
            error: Some(error),
        }
    }
}

async fn attempt(env: &Env, ticket: DeliveryTicket) -> ApiResult<()> {
    let Some(placement) = Store::directory(env)?.placement(ticket.account_id).await? else {
        return Ok(()); // the account is gone, and its deliveries with it
    };
    if placement.moving {
        // Its rows are being copied: an attempt logged now could be lost with the old shard.
        return super::enqueue(env, vec![ticket], MOVE_RETRY_SECONDS as u32).await;
    }
    let store = Store::on(env, &placement.shard)?;
    let Some(delivery) = store.pending_delivery(ticket.delivery_id).await? else {
        return Ok(()); // already finished, or its endpoint deleted
    };
    let Some(secret) = delivery.secret.as_deref() else {
        return store.drop_delivery(delivery.id).await;
    };
    let attempt = delivery.attempts + 1;
    let started = Date::now();
    let outcome = match outgoing_urls::check(&delivery.url, super::private_urls_allowed(env)) {
        Ok(url) => post(url.as_str(), &delivery, secret).await?,
        Err(_) => Outcome::failed("blocked"),
    };
    let now = clock::now();
    let next_delay = match outcome.error {
        None => None,
        Some(_) => retry_schedule::next_delay(attempt as u32, Math::random()),
    };
    let logged = Attempt {
        id: 0,
        message_id: delivery.message_id.clone(),
        event: delivery.event.clone(),
        attempt,
        status: if outcome.error.is_none() { "success" } else { "failed" }.into(),
        response_code: outcome.response_code,
        error: outcome.error.map(str::to_string),
        attempted_at: now,
        duration_ms: (Date::now() - started) as i64,
        next_attempt_at: next_delay.map(|delay| now + i64::from(delay)),
    };
    store.finish_attempt(&delivery, &logged).await?;
    if outcome.error.is_some()
        && attempt == FAILED_BOT_DELIVERIES_BEFORE_HANDOVER
        && delivery.target_kind == super::AGENT_BOT
    {
        hand_over_from_silent_bot(env, &store, &delivery).await?;
    }
    match next_delay {
        Some(delay) => super::enqueue(env, vec![ticket], delay).await,
        None => Ok(()),
    }
}

/// A visitor's message the bot could not be given: the team takes the contact over, so the
/// visitor is not left waiting for a bot that is down.
async fn hand_over_from_silent_bot(env: &Env, store: &Store, delivery: &PendingDelivery) -> ApiResult<()> {
    let payload: Value = serde_json::from_str(&delivery.body)?;
    if delivery.event != WebhookEvent::MessageCreated.name() || payload["message_type"] != "incoming" {
        return Ok(());
    }
    let session_of = &payload["conversation"]["contact_inbox"];
    let (Some(inbox_id), Some(source_id)) = (session_of["inbox_id"].as_i64(), session_of["source_id"].as_str()) else {
        return Ok(());
    };
    let Some(session) = store.session(inbox_id, source_id).await? else {
        return Ok(());
    };
    let Some(record) = store.handover_of_session(session.contact_inbox_id).await? else {
        return Ok(());
    };
    if record.owner() == Owner::External {
        let broadcaster = Broadcaster::new(env, store);
        conversation_flow::hand_over(store, &broadcaster, &record, Owner::Nimchat, None).await?;
    }
    Ok(())
}

/// One POST of the stored body with this attempt's timestamp and signature.
async fn post(url: &str, delivery: &PendingDelivery, secret: &str) -> ApiResult<Outcome> {
    let timestamp = clock::now();
    let signature = standard_webhooks::signature(secret, &delivery.message_id, timestamp, &delivery.body)
        .ok_or_else(|| ApiError::Internal(format!("the secret of delivery {} is malformed", delivery.id)))?;
    let headers = Headers::new();
    for (name, value) in [
        ("content-type", "application/json"),
        ("user-agent", "nimchat-webhooks/1"),
        ("webhook-id", delivery.message_id.as_str()),
        ("webhook-timestamp", timestamp.to_string().as_str()),
        ("webhook-signature", signature.as_str()),
    ] {
        headers.set(name, value)?;
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(JsValue::from_str(&delivery.body)))
        .with_redirect(RequestRedirect::Manual);
    let Ok(request) = Request::new_with_init(url, &init) else {
        return Ok(Outcome::failed("connection"));
    };
    let controller = AbortController::default();
    let signal = controller.signal();
    let fetch = Fetch::Request(request);
    let sent = fetch.send_with_signal(&signal);
    let timeout = Delay::from(TIMEOUT);
    futures_util::pin_mut!(sent);
    Ok(match select(sent, timeout).await {
        Either::Left((Ok(response), _)) => {
            let code = response.status_code();
            Outcome {
                response_code: Some(i64::from(code)),
                error: (!(200..300).contains(&code)).then_some("http"),
            }
        }
        Either::Left((Err(_), _)) => Outcome::failed("connection"),
        Either::Right(_) => {
            controller.abort();
            Outcome::failed("timeout")
        }
    })
}
