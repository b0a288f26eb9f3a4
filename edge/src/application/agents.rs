//! `/agents`: the account's members, as agents.

use nimchat_shared::enums::{Availability, Role};
use serde_json::{Map, Value};
use worker::Response;

use crate::conversation_flow;
use crate::error::{ApiError, ApiResult};
use crate::http::{empty_object, json, ApiRequest};
use crate::input::Fields;
use crate::realtime::Broadcaster;
use crate::router::App;
use crate::store::{AgentSettings, GlobalRow, Membership, NewUser, Store};

fn settings(body: &Map<String, Value>, availability_key: &str) -> ApiResult<AgentSettings> {
    let fields = Fields::new(body);
    Ok(AgentSettings {
        role: fields.choice("role", Role::parse)?,
        availability: fields.choice(availability_key, Availability::parse_input)?,
        auto_offline: fields.bool("auto_offline")?,
    })
}

pub async fn list(store: &Store, member: &Membership) -> ApiResult<Response> {
    json(&store.agents(member.account_id).await?)
}

/// `{name, email, role, availability_status, auto_offline}`.
pub async fn create(app: &App, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    member.require_administrator()?;
    let body = request.body_object()?;
    let fields = Fields::new(&body);
    let new = NewUser {
        name: fields.required_text("name", 255)?,
        display_name: None,
        email: fields
            .email("email")?
            .ok_or_else(|| ApiError::invalid("email", "Email can't be blank"))?,
        password_hash: None,
        custom_attributes: Map::new(),
    };
    let settings = settings(&body, "availability_status")?;
    if settings.role.is_none() {
        return Err(ApiError::invalid("role", "Role must be administrator or agent"));
    }
    let agent = app.directory.add_agent(member.account_id, &new, &settings).await?;
    app.replicate(GlobalRow::User(agent.person.id)).await?;
    app.replicate(GlobalRow::Membership {
        account_id: member.account_id,
        user_id: agent.person.id,
    })
    .await?;
    json(&agent)
}

/// `{role, availability, auto_offline}`; each optional.
pub async fn update(app: &App, member: &Membership, request: &ApiRequest, user_id: i64) -> ApiResult<Response> {
    member.require_administrator()?;
    let settings = settings(&request.body_object()?, "availability")?;
    let changed = app
        .directory
        .update_agent(member.account_id, user_id, &settings)
        .await?;
    let membership = GlobalRow::Membership {
        account_id: member.account_id,
        user_id,
    };
    app.replicated(changed, membership).await?;
    // As the shard shows it: presence (which `availability_status` reads) lives there.
    json(
        &app.store
            .agent(member.account_id, user_id)
            .await?
            .ok_or(ApiError::NotFound)?,
    )
}

pub async fn delete(app: &App, member: &Membership, user_id: i64) -> ApiResult<Response> {
    member.require_administrator()?;
    let broadcaster = Broadcaster::new(&app.env, &app.store);
    if !conversation_flow::remove_agent(&app.store, &broadcaster, member.account_id, user_id).await? {
        return Err(ApiError::NotFound);
    }
    app.directory.remove_account_user(member.account_id, user_id).await?;
    app.replicate(GlobalRow::Membership {
        account_id: member.account_id,
        user_id,
    })
    .await?;
    empty_object()
}
