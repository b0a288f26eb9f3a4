//! `/agent_bots` and `/agent_bots/{id}`: platform bots, usable by every account.

use serde_json::{Map, Value};
use worker::Response;

use crate::error::{ApiError, ApiResult};
use crate::http::{empty_object, json, ApiRequest};
use crate::input::Fields;
use crate::store::{AgentBotChanges, Store};

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

pub async fn create(store: &Store, request: &ApiRequest) -> ApiResult<Response> {
    let new = parse(&request.body_object()?)?;
    if new.name.is_none() {
        return Err(ApiError::invalid("name", "Name can't be blank"));
    }
    json(&store.create_agent_bot(None, &new).await?)
}

pub async fn show(store: &Store, id: i64) -> ApiResult<Response> {
    json(&store.platform_agent_bot(id).await?.ok_or(ApiError::NotFound)?)
}

pub async fn update(store: &Store, request: &ApiRequest, id: i64) -> ApiResult<Response> {
    let changes = parse(&request.body_object()?)?;
    json(
        &store
            .update_platform_agent_bot(id, &changes)
            .await?
            .ok_or(ApiError::NotFound)?,
    )
}

pub async fn delete(store: &Store, id: i64) -> ApiResult<Response> {
    if !store.delete_platform_agent_bot(id).await? {
        return Err(ApiError::NotFound);
    }
    empty_object()
}
