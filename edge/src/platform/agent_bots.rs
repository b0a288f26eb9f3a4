//! `/agent_bots` and `/agent_bots/{id}`: platform bots, usable by every account.

use worker::Response;

use crate::agent_bot_fields;
use crate::error::{ApiError, ApiResult};
use crate::http::{empty_object, json, ApiRequest};
use crate::router::App;
use crate::store::{AgentBotChanges, BotOwner, GlobalRow, Store};

pub async fn list(store: &Store) -> ApiResult<Response> {
    json(&store.platform_agent_bots().await?)
}

pub async fn create(app: &App, request: &ApiRequest) -> ApiResult<Response> {
    let new = agent_bot_fields::read(&app.env, &request.body_object()?)?;
    require_name(&new)?;
    let bot = app.directory.create_agent_bot(BotOwner::Platform, &new).await?;
    app.replicate(GlobalRow::AgentBot(bot.id)).await?;
    json(&bot)
}

/// A new bot needs a name.
pub fn require_name(new: &AgentBotChanges) -> ApiResult<()> {
    match new.name {
        Some(_) => Ok(()),
        None => Err(ApiError::invalid("name", "Name can't be blank")),
    }
}

pub async fn show(store: &Store, id: i64) -> ApiResult<Response> {
    json(
        &store
            .owned_agent_bot(BotOwner::Platform, id)
            .await?
            .ok_or(ApiError::NotFound)?,
    )
}

pub async fn update(app: &App, request: &ApiRequest, id: i64) -> ApiResult<Response> {
    let changes = agent_bot_fields::read(&app.env, &request.body_object()?)?;
    let changed = app.directory.update_agent_bot(BotOwner::Platform, id, &changes).await?;
    json(&app.replicated(changed, GlobalRow::AgentBot(id)).await?)
}

pub async fn delete(app: &App, id: i64) -> ApiResult<Response> {
    if !app.directory.delete_agent_bot(BotOwner::Platform, id).await? {
        return Err(ApiError::NotFound);
    }
    app.replicate(GlobalRow::AgentBot(id)).await?;
    empty_object()
}
