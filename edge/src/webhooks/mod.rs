//! Events to other servers (contract 7.1): webhooks and an API inbox's `webhook_url`.
//! A request that causes an event stores one delivery per endpoint and enqueues it
//! (`outbox`); the queue's consumer attempts it (`delivery`); `routes` are the webhooks'
//! Application API; `payloads` shape Chatwoot's objects.

mod delivery;
mod outbox;
mod payloads;
pub mod routes;

pub use delivery::consume;
pub use outbox::Outbox;

use worker::{console_error, Env, MessageBuilder};

use crate::error::ApiResult;
use crate::store::DeliveryTicket;

/// The queue binding (`edge/wrangler.toml`), producer and consumer in this Worker.
const QUEUE: &str = "DELIVERIES";

/// The worker variable that lets events go to private addresses (local runs and tests).
pub fn private_urls_allowed(env: &Env) -> bool {
    env.var("WEBHOOKS_ALLOW_PRIVATE_URLS")
        .is_ok_and(|value| value.to_string() == "true")
}

/// An event's webhooks are stored after the change that caused it: failing them must not
/// fail the request (whose client would repeat a change already made), so it is logged.
pub fn hooked(result: ApiResult<()>) {
    if let Err(error) = result {
        console_error!("an event for webhooks was not stored: {error:?}");
    }
}

/// Queues an attempt of each delivery, `delay_seconds` from now.
async fn enqueue(env: &Env, tickets: Vec<DeliveryTicket>, delay_seconds: u32) -> ApiResult<()> {
    let queue = env.queue(QUEUE)?;
    for ticket in tickets {
        queue
            .send(MessageBuilder::new(ticket).delay_seconds(delay_seconds).build())
            .await?;
    }
    Ok(())
}
