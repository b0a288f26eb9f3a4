//! Engagor's inbox routes `/{account_id}/inbox/...` (contract 5.1, 5.2): a contact named by
//! its `service` (`livechat` for web-widget inboxes, `api` for API inboxes) and
//! `service_id` (its `source_id` there), or by its id.

mod contacts;
mod handover;

use worker::{Method, Response};

use crate::auth::member;
use crate::domain::services::channel_of_service;
use crate::error::{ApiError, ApiResult};
use crate::http::ApiRequest;
use crate::router::{path_id, App};
use crate::store::Membership;
use nimchat_shared::wire::Contact;

/// `path` is what follows `/{account_id}/inbox`.
pub async fn route(app: &App, request: &ApiRequest, account_id: i64, path: &[&str]) -> ApiResult<Response> {
    match path {
        ["handover", service, service_id] => handover::route(app, request, account_id, service, service_id).await,
        ["contact", rest @ ..] => {
            let (caller, placement) = member(request, &app.directory, account_id).await?;
            let app = &app.at(Some(placement))?;
            let contact = contact_named(app, &caller, rest).await?;
            match request.method {
                Method::Get => contacts::show(app, contact).await,
                Method::Post => contacts::update(app, &caller, request, contact).await,
                _ => Err(ApiError::NotFound),
            }
        }
        _ => Err(ApiError::NotFound),
    }
}

/// The contact a path names: `{service}/{service_id}` or `{contact_id}`, in the account.
async fn contact_named(app: &App, caller: &Membership, path: &[&str]) -> ApiResult<Contact> {
    let contact_id = match path {
        [service, service_id] => {
            let channel = channel_of_service(service).ok_or(ApiError::NotFound)?;
            app.store
                .contact_by_source(caller.account_id, channel, service_id)
                .await?
                .ok_or(ApiError::NotFound)?
        }
        [contact_id] => path_id(contact_id)?,
        _ => return Err(ApiError::NotFound),
    };
    app.store
        .contact(caller.account_id, contact_id)
        .await?
        .ok_or(ApiError::NotFound)
}
