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
use crate::store::{shard_names, DeliveryTicket, Store};

/// The kind of endpoint (and delivery target) a connected agent bot is.
const AGENT_BOT: &str = "agent_bot";

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

/// How long past its time an attempt may be before the housekeeping queues it again.
const OVERDUE_SECONDS: i64 = 15 * 60;

/// Queues again, in every shard, the deliveries whose attempt is long overdue: at least once
/// even when a queue message was lost. Answers how many.
pub async fn requeue_overdue(env: &Env, now: i64) -> ApiResult<usize> {
    let mut requeued = 0;
    for shard in shard_names(env) {
        let tickets = Store::on(env, &shard)?
            .take_overdue_deliveries(now - OVERDUE_SECONDS, now)
            .await?;
        requeued += tickets.len();
        enqueue(env, tickets, 0).await?;
    }
    Ok(requeued)
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
