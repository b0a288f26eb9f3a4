//! `/automation_rules` of the Application API (contract 7.3), administrators only.

use serde_json::{json, Map, Value};
use worker::Response;

use super::custom_kinds;
use crate::domain::automation::{parse_actions, parse_conditions, Action, Refusal, RuleEvent};
use crate::domain::{secrets, standard_webhooks};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use crate::router::App;
use crate::store::{Membership, RuleChanges, RuleRow};
use crate::webhooks::private_urls_allowed;

fn refused(refusal: Refusal) -> ApiError {
    ApiError::invalid(refusal.field, refusal.message)
}

/// The fields the body sends, each checked; ids of users and teams must be the account's.
async fn changes(app: &App, member: &Membership, body: &Map<String, Value>) -> ApiResult<RuleChanges> {
    let fields = Fields::new(body);
    let name = fields.sent_required_text("name", 255)?;
    let description = fields.sent_text("description", 10_000)?;
    let event_name = match body.get("event_name") {
        None => None,
        Some(given) => Some(
            given
                .as_str()
                .and_then(RuleEvent::parse)
                .ok_or_else(|| {
                    ApiError::invalid(
                        "event_name",
                        "Event name must be conversation_created, conversation_updated, message_created, \
                         conversation_opened or conversation_resolved",
                    )
                })?
                .name()
                .to_string(),
        ),
    };
    let conditions = match body.get("conditions") {
        None => None,
        Some(given) => {
            let custom = custom_kinds(&app.store, member.account_id).await?;
            parse_conditions(given, |key| custom.get(key).copied()).map_err(refused)?;
            Some(given.clone())
        }
    };
    let actions = match body.get("actions") {
        None => None,
        Some(given) => {
            let parsed = parse_actions(given, private_urls_allowed(&app.env)).map_err(refused)?;
            for action in &parsed {
                let known = match action {
                    Action::AssignAgent(Some(user)) => {
                        app.store.non_members(member.account_id, &[*user]).await?.is_empty()
                    }
                    Action::AssignTeam(Some(team)) => app.store.team(member.account_id, *team, 0).await?.is_some(),
                    _ => true,
                };
                if !known {
                    return Err(ApiError::invalid(
                        "actions",
                        "Users and teams of actions must be the account's",
                    ));
                }
            }
            Some(given.clone())
        }
    };
    Ok(RuleChanges {
        name,
        description,
        event_name,
        active: fields.bool("active")?,
        conditions,
        actions,
    })
}

async fn find(app: &App, member: &Membership, id: i64) -> ApiResult<RuleRow> {
    app.store
        .automation_rule(member.account_id, id)
        .await?
        .ok_or(ApiError::NotFound)
}

/// `?page=`: 25 a page, ascending id.
pub async fn list(app: &App, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    member.require_administrator()?;
    let page = request.query("page").and_then(|page| page.parse().ok()).unwrap_or(1);
    let rules: Vec<Value> = app
        .store
        .automation_rules(member.account_id, page)
        .await?
        .iter()
        .map(|rule| rule.to_json(false))
        .collect();
    json(&json!({ "payload": rules }))
}

pub async fn show(app: &App, member: &Membership, id: i64) -> ApiResult<Response> {
    member.require_administrator()?;
    json(&json!({"payload": find(app, member, id).await?.to_json(true)}))
}

/// `{name, description?, event_name, active?, conditions, actions}`.
pub async fn create(app: &App, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    member.require_administrator()?;
    let new = changes(app, member, &request.body_object()?).await?;
    for (missing, field) in [
        (new.name.is_none(), "name"),
        (new.event_name.is_none(), "event_name"),
        (new.conditions.is_none(), "conditions"),
        (new.actions.is_none(), "actions"),
    ] {
        if missing {
            return Err(ApiError::invalid(
                field,
                format!("{} can't be blank", crate::input::label(field)),
            ));
        }
    }
    let secret = standard_webhooks::secret(secrets::random_bytes()?);
    let rule = app
        .store
        .create_automation_rule(member.account_id, &new, &secret)
        .await?;
    json(&json!({"payload": rule.to_json(true)}))
}

/// Replaces each field it sends, whole arrays included.
pub async fn update(app: &App, member: &Membership, request: &ApiRequest, id: i64) -> ApiResult<Response> {
    member.require_administrator()?;
    find(app, member, id).await?;
    let changes = changes(app, member, &request.body_object()?).await?;
    app.store
        .update_automation_rule(member.account_id, id, &changes)
        .await?;
    json(&json!({"payload": find(app, member, id).await?.to_json(false)}))
}

pub async fn delete(app: &App, member: &Membership, id: i64) -> ApiResult<Response> {
    member.require_administrator()?;
    if !app.store.delete_automation_rule(member.account_id, id).await? {
        return Err(ApiError::NotFound);
    }
    crate::http::empty_object()
}
