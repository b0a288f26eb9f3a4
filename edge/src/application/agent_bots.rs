//! `/agent_bots` of an account (contract 7.2): members list and show the bots the account
//! may connect (its own and the platform's); administrators create, change and delete its
//! own. Tokens and secrets are shown to administrators, of the account's own bots only.

use nimchat_shared::wire::AgentBot;
use worker::Response;

use crate::agent_bot_fields;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::router::App;
use crate::store::{BotOwner, GlobalRow, Membership};

fn present(member: &Membership, mut bot: AgentBot) -> AgentBot {
    if !member.is_administrator() || bot.account_id != Some(member.account_id) {
        bot.access_token = None;
        bot.secret = None;
    }
    bot
}

pub async fn list(app: &App, member: &Membership) -> ApiResult<Response> {
    let bots: Vec<AgentBot> = app
        .store
        .account_agent_bots(member.account_id)
        .await?
        .into_iter()
        .map(|mut bot| {
            bot.access_token = None;
            bot.secret = None;
            bot
        })
        .collect();
    json(&bots)
}

pub async fn show(app: &App, member: &Membership, id: i64) -> ApiResult<Response> {
    let bot = app
        .store
        .agent_bot_for_account(id, member.account_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    json(&present(member, bot))
}

/// `{name, description, outgoing_url}`; `outgoing_url` is required.
pub async fn create(app: &App, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    member.require_administrator()?;
    let new = agent_bot_fields::read(&app.env, &request.body_object()?)?;
    if new.name.is_none() {
        return Err(ApiError::invalid("name", "Name can't be blank"));
    }
    if new.outgoing_url.is_none() {
        return Err(ApiError::invalid("outgoing_url", "Outgoing url can't be blank"));
    }
    let bot = app
        .directory
        .create_agent_bot(BotOwner::Account(member.account_id), &new)
        .await?;
    app.replicate(GlobalRow::AgentBot(bot.id)).await?;
    json(&present(member, bot))
}

pub async fn update(app: &App, member: &Membership, request: &ApiRequest, id: i64) -> ApiResult<Response> {
    member.require_administrator()?;
    let changes = agent_bot_fields::read(&app.env, &request.body_object()?)?;
    let owner = BotOwner::Account(member.account_id);
    let changed = app.directory.update_agent_bot(owner, id, &changes).await?;
    let mut bot = app.replicated(changed, GlobalRow::AgentBot(id)).await?;
    bot.access_token = None;
    bot.secret = None;
    json(&bot)
}

/// Deletes one of the account's own bots; its inboxes are left without a bot.
pub async fn delete(app: &App, member: &Membership, id: i64) -> ApiResult<Response> {
    member.require_administrator()?;
    if !app
        .directory
        .delete_agent_bot(BotOwner::Account(member.account_id), id)
        .await?
    {
        return Err(ApiError::NotFound);
    }
    app.replicate(GlobalRow::AgentBot(id)).await?;
    crate::http::empty_object()
}
