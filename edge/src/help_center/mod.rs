//! The help center (contract 7.5): portals, categories and articles in the Application API
//! (agents read, administrators write), and the published articles on public routes.

mod articles;
mod categories;
mod portals;
pub mod public;

use serde_json::{json, Value};
use worker::{Method, Response};

use crate::domain::help_center::is_slug;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use crate::router::{path_id, App};
use crate::store::{Membership, PortalRow};

/// `path` is what follows `/portals`.
pub async fn route(app: &App, member: &Membership, request: &ApiRequest, path: &[&str]) -> ApiResult<Response> {
    if request.method != Method::Get {
        member.require_administrator()?;
    }
    let Some((slug, rest)) = path.split_first() else {
        return match request.method {
            Method::Get => portals::list(app, member, request).await,
            Method::Post => portals::create(app, member, request).await,
            _ => Err(ApiError::NotFound),
        };
    };
    let portal = app
        .store
        .portal(member.account_id, slug)
        .await?
        .ok_or(ApiError::NotFound)?;
    match (&request.method, rest) {
        (Method::Get, []) => json(&portal.to_json()),
        (Method::Patch | Method::Put, []) => portals::update(app, request, &portal).await,
        (Method::Delete, []) => portals::delete(app, &portal).await,
        (Method::Get, ["categories"]) => categories::list(app, request, &portal).await,
        (Method::Post, ["categories"]) => categories::create(app, request, &portal).await,
        (method, ["categories", id]) => categories::one(app, request, &portal, method, path_id(id)?).await,
        (Method::Get, ["articles"]) => articles::list(app, request, &portal).await,
        (Method::Post, ["articles"]) => articles::create(app, member, request, &portal).await,
        (method, ["articles", id]) => articles::one(app, member, request, &portal, method, path_id(id)?).await,
        _ => Err(ApiError::NotFound),
    }
}

/// `page=`, from 1.
fn page(request: &ApiRequest) -> i64 {
    request.query("page").and_then(|page| page.parse().ok()).unwrap_or(1)
}

/// `{"payload": [...], "meta": {...}}`.
fn listed(payload: Vec<Value>, meta: Value) -> ApiResult<Response> {
    json(&json!({"payload": payload, "meta": meta}))
}

/// A `slug` the body sends, in the slug pattern (sent empty: 422).
fn slug(fields: &Fields) -> ApiResult<Option<String>> {
    match fields.sent_text("slug", 100)? {
        None => Ok(None),
        Some(Some(slug)) if is_slug(&slug) => Ok(Some(slug)),
        Some(_) => Err(ApiError::invalid(
            "slug",
            "Slug must be lower-case letters and digits joined by single hyphens",
        )),
    }
}

/// A locale the portal allows (422 naming `locale` otherwise).
fn allowed_locale(portal: &PortalRow, locale: &str) -> ApiResult<String> {
    if portal.allowed_locales().iter().any(|allowed| allowed == locale) {
        Ok(locale.to_string())
    } else {
        Err(ApiError::invalid(
            "locale",
            "Locale must be one of the portal's allowed locales",
        ))
    }
}
