//! The account itself: every member reads it, administrators change it.

use worker::Response;

use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::platform::account_changes;
use crate::router::App;
use crate::store::{GlobalRow, Membership, Store};

pub async fn show(store: &Store, member: &Membership) -> ApiResult<Response> {
    json(&store.account(member.account_id).await?.ok_or(ApiError::NotFound)?)
}

/// `{name, locale, domain, support_email, custom_attributes}`; suspending an account is the
/// Platform API's business, so `status` is ignored here.
pub async fn update(app: &App, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    member.require_administrator()?;
    let mut changes = account_changes(&request.body_object()?)?;
    changes.status = None;
    let changed = app.directory.update_account(member.account_id, &changes).await?;
    json(&app.replicated(changed, GlobalRow::Account(member.account_id)).await?)
}
