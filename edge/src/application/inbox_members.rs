//! `/inbox_members`: which agents work an inbox.

use serde_json::json;
use worker::Response;

use super::inboxes::Context;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use nimchat_shared::wire::Inbox;

pub async fn list(context: &Context<'_>, inbox_id: i64) -> ApiResult<Response> {
    let inbox = context.visible_inbox(inbox_id).await?;
    members(context, &inbox).await
}

async fn members(context: &Context<'_>, inbox: &Inbox) -> ApiResult<Response> {
    json(&json!({ "payload": context.store.inbox_members(inbox).await? }))
}

/// Reads `{inbox_id, user_ids}` for an administrator; every user must belong to the account.
async fn target(context: &Context<'_>, request: &ApiRequest) -> ApiResult<(Inbox, Vec<i64>)> {
    context.member.require_administrator()?;
    let body = request.body_object()?;
    let fields = Fields::new(&body);
    let inbox_id = fields.required_id("inbox_id")?;
    let user_ids = fields
        .ids("user_ids")?
        .ok_or_else(|| ApiError::invalid("user_ids", "User ids can't be blank"))?;
    let inbox = context.visible_inbox(inbox_id).await?;
    let strangers = context.store.non_members(inbox.account_id, &user_ids).await?;
    if !strangers.is_empty() {
        return Err(ApiError::invalid(
            "user_ids",
            format!("Users {strangers:?} are not agents of this account"),
        ));
    }
    Ok((inbox, user_ids))
}

pub async fn add(context: &Context<'_>, request: &ApiRequest) -> ApiResult<Response> {
    let (inbox, user_ids) = target(context, request).await?;
    context.store.put_inbox_members(inbox.id, &user_ids, false).await?;
    members(context, &inbox).await
}

/// All agents except the ones given are removed.
pub async fn replace(context: &Context<'_>, request: &ApiRequest) -> ApiResult<Response> {
    let (inbox, user_ids) = target(context, request).await?;
    context.store.put_inbox_members(inbox.id, &user_ids, true).await?;
    members(context, &inbox).await
}

pub async fn remove(context: &Context<'_>, request: &ApiRequest) -> ApiResult<Response> {
    let (inbox, user_ids) = target(context, request).await?;
    context.store.remove_inbox_members(inbox.id, &user_ids).await?;
    members(context, &inbox).await
}
