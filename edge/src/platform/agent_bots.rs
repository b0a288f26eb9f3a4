//! `/agent_bots` and `/agent_bots/{id}`: platform bots, usable by every account.

use serde_json::{Map, Value};
use worker::Response;

use crate::error::{ApiError, ApiResult};
use crate::http::{empty_object, json, ApiRequest};
use crate::input::Fields;
use crate::router::App;
use crate::store::{AgentBotChanges, GlobalRow, Store};

fn parse(body: &Map<String, Value>) -> ApiResult<AgentBotChanges> {
    let fields = Fields::new(body);
    Ok(AgentBotChanges {
        name: fields.text("name", 255)?,
        description: fields.text("description", 10_000)?,
        outgoing_url: fields.url("outgoing_url")?,
    })
}

pub async fn list(store: &Store) -> ApiResult<Response> {
    json(&store.platform_agent_bots().await?)
}

pub async fn create(app: &App, request: &ApiRequest) -> ApiResult<Response> {
    let new = parse(&request.body_object()?)?;
    if new.name.is_none() {
        return Err(ApiError::invalid("name", "Name can't be blank"));
    }
    let bot = app.directory.create_agent_bot(None, &new).await?;
    app.replicate(GlobalRow::AgentBot(bot.id)).await?;
    json(&bot)
}

pub async fn show(store: &Store, id: i64) -> ApiResult<Response> {
    json(&store.platform_agent_bot(id).await?.ok_or(ApiError::NotFound)?)
}

pub async fn update(app: &App, request: &ApiRequest, id: i64) -> ApiResult<Response> {
    let changes = parse(&request.body_object()?)?;
    let changed = app.directory.update_platform_agent_bot(id, &changes).await?;
    json(&app.replicated(changed, GlobalRow::AgentBot(id)).await?)
}

pub async fn delete(app: &App, id: i64) -> ApiResult<Response> {
    if !app.directory.delete_platform_agent_bot(id).await? {
        return Err(ApiError::NotFound);
    }
    app.replicate(GlobalRow::AgentBot(id)).await?;
    empty_object()
}
