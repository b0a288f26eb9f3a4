//! The nimchat edge: one Cloudflare Worker serving the Client, Application and Platform
//! APIs from D1. `router` picks the API area; each area's handlers parse, authorise, call
//! the domain rules and storage, and render.

mod account_cache;
mod agent_bot_fields;
mod application;
mod attachments;
mod auth;
mod automation;
mod client;
mod clock;
mod contact_fields;
mod conversation_flow;
mod domain;
mod engagor;
mod error;
mod help_center;
mod http;
mod input;
mod integrations;
mod livechat;
mod platform;
mod realtime;
mod reports;
mod router;
mod sign_in;
mod store;
mod superoffice;
mod webhooks;

pub use realtime::RealtimeRoom;
use worker::{event, Context, Env, MessageBatch, Request, Response, Result, ScheduleContext, ScheduledEvent};

/// Hourly housekeeping (see `[triggers]` in wrangler.toml): expired rate counters, and
/// event deliveries whose queue message was lost.
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _context: ScheduleContext) {
    let cleaned = match store::Store::directory(&env) {
        Ok(store) => store.delete_expired_rate_counters(clock::now()).await,
        Err(error) => Err(error),
    };
    if let Err(error) = cleaned {
        worker::console_error!("housekeeping failed: {error:?}");
    }
    if let Err(error) = webhooks::requeue_overdue(&env, clock::now()).await {
        worker::console_error!("requeueing overdue deliveries failed: {error:?}");
    }
}

#[event(fetch)]
async fn fetch(request: Request, env: Env, _context: Context) -> Result<Response> {
    Ok(router::handle(request, env).await)
}

/// Event deliveries to other servers (contract 7.1; `[[queues.consumers]]` in wrangler.toml).
#[event(queue)]
async fn queue(batch: MessageBatch<store::DeliveryTicket>, env: Env, _context: Context) -> Result<()> {
    webhooks::consume(batch, env).await
}
