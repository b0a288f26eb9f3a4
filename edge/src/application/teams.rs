//! `/teams` and `/teams/{id}/team_members`: administrators shape teams; everyone reads them.

use serde_json::{Map, Value};
use worker::Response;

use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use crate::store::{Membership, Store, TeamChanges};

fn changes(body: &Map<String, Value>) -> ApiResult<TeamChanges> {
    let fields = Fields::new(body);
    Ok(TeamChanges {
        name: fields.text("name", 255)?,
        description: fields.text("description", 1000)?,
        allow_auto_assign: fields.bool("allow_auto_assign")?,
    })
}

pub async fn list(store: &Store, member: &Membership) -> ApiResult<Response> {
    json(&store.teams(member.account_id, member.user_id).await?)
}

pub async fn show(store: &Store, member: &Membership, id: i64) -> ApiResult<Response> {
    json(
        &store
            .team(member.account_id, id, member.user_id)
            .await?
            .ok_or(ApiError::NotFound)?,
    )
}

/// `{name, description, allow_auto_assign}`.
pub async fn create(store: &Store, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    member.require_administrator()?;
    let new = changes(&request.body_object()?)?;
    if new.name.is_none() {
        return Err(ApiError::invalid("name", "Name can't be blank"));
    }
    json(&store.create_team(member.account_id, &new, member.user_id).await?)
}

pub async fn update(store: &Store, member: &Membership, request: &ApiRequest, id: i64) -> ApiResult<Response> {
    member.require_administrator()?;
    let changes = changes(&request.body_object()?)?;
    if !store.update_team(member.account_id, id, &changes).await? {
        return Err(ApiError::NotFound);
    }
    show(store, member, id).await
}

/// Conversations of the team keep their assignee and lose the team.
pub async fn delete(store: &Store, member: &Membership, id: i64) -> ApiResult<Response> {
    member.require_administrator()?;
    let team = store
        .team(member.account_id, id, member.user_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    store.delete_team(member.account_id, id).await?;
    json(&team)
}

pub async fn members(store: &Store, member: &Membership, team_id: i64) -> ApiResult<Response> {
    store
        .team(member.account_id, team_id, member.user_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    json(&store.team_members(member.account_id, team_id).await?)
}

/// What a change of members does with `{user_ids}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembersChange {
    Add,
    Replace,
    Remove,
}

/// `{user_ids}`: every user must be an agent of the account. Answers the members after.
pub async fn change_members(
    store: &Store,
    member: &Membership,
    request: &ApiRequest,
    team_id: i64,
    change: MembersChange,
) -> ApiResult<Response> {
    member.require_administrator()?;
    store
        .team(member.account_id, team_id, member.user_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let body = request.body_object()?;
    let user_ids = Fields::new(&body)
        .ids("user_ids")?
        .ok_or_else(|| ApiError::invalid("user_ids", "User ids can't be blank"))?;
    let strangers = store.non_members(member.account_id, &user_ids).await?;
    if !strangers.is_empty() {
        return Err(ApiError::invalid(
            "user_ids",
            format!("Users {strangers:?} are not agents of this account"),
        ));
    }
    match change {
        MembersChange::Add => store.put_team_members(team_id, &user_ids, false).await?,
        MembersChange::Replace => store.put_team_members(team_id, &user_ids, true).await?,
        MembersChange::Remove => store.remove_team_members(team_id, &user_ids).await?,
    }
    members(store, member, team_id).await
}
