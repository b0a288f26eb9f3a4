//! `/portals` and `/portals/{slug}`.

use serde_json::{json, Map, Value};
use worker::Response;

use crate::domain::help_center::{is_color, is_host_name, is_locale};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use crate::router::App;
use crate::store::{Membership, PortalChanges, PortalRow};

fn config(given: &Value) -> ApiResult<Value> {
    let bad = || {
        ApiError::invalid(
            "config",
            "Config must be {allowed_locales: [codes], default_locale: one of them}",
        )
    };
    let locales: Vec<String> = given["allowed_locales"]
        .as_array()
        .filter(|locales| !locales.is_empty() && locales.len() <= 50)
        .ok_or_else(bad)?
        .iter()
        .map(|code| code.as_str().filter(|code| is_locale(code)).map(str::to_string))
        .collect::<Option<_>>()
        .ok_or_else(bad)?;
    let default = match given.get("default_locale") {
        None | Some(Value::Null) => locales[0].clone(),
        Some(Value::String(code)) if locales.contains(code) => code.clone(),
        Some(_) => return Err(bad()),
    };
    let mut unique = Vec::new();
    for code in locales {
        if !unique.contains(&code) {
            unique.push(code);
        }
    }
    Ok(json!({"allowed_locales": unique, "default_locale": default}))
}

fn changes(body: &Map<String, Value>) -> ApiResult<PortalChanges> {
    let fields = Fields::new(body);
    let slug = super::slug(&fields)?;
    let custom_domain = fields
        .sent_text("custom_domain", 253)?
        .map(|domain| domain.map(|domain| domain.to_lowercase()));
    if custom_domain
        .as_ref()
        .and_then(Option::as_deref)
        .is_some_and(|domain| !is_host_name(domain))
    {
        return Err(ApiError::invalid("custom_domain", "Custom domain must be a host name"));
    }
    let color = fields.sent_text("color", 7)?;
    if color
        .as_ref()
        .and_then(Option::as_deref)
        .is_some_and(|color| !is_color(color))
    {
        return Err(ApiError::invalid("color", "Color must be #rrggbb or #rgb"));
    }
    let homepage_link = match body.get("homepage_link") {
        None => None,
        Some(_) => Some(fields.url("homepage_link")?),
    };
    Ok(PortalChanges {
        name: fields.sent_required_text("name", 255)?,
        slug,
        custom_domain,
        color,
        header_text: fields.sent_text("header_text", 255)?,
        page_title: fields.sent_text("page_title", 255)?,
        homepage_link,
        archived: fields.bool("archived")?,
        config: body.get("config").map(config).transpose()?,
    })
}

pub async fn list(app: &App, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    let portals: Vec<Value> = app
        .store
        .portals(member.account_id)
        .await?
        .iter()
        .map(PortalRow::to_json)
        .collect();
    let meta = json!({"portals_count": portals.len(), "current_page": super::page(request).max(1)});
    super::listed(portals, meta)
}

/// `{name, slug, custom_domain?, color?, header_text?, page_title?, homepage_link?, archived?, config?}`.
pub async fn create(app: &App, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    let mut new = changes(&request.body_object()?)?;
    if new.name.is_none() {
        return Err(ApiError::invalid("name", "Name can't be blank"));
    }
    if new.slug.is_none() {
        return Err(ApiError::invalid("slug", "Slug can't be blank"));
    }
    new.config
        .get_or_insert_with(|| json!({"allowed_locales": ["en"], "default_locale": "en"}));
    json(&app.store.create_portal(member.account_id, &new).await?.to_json())
}

pub async fn update(app: &App, request: &ApiRequest, portal: &PortalRow) -> ApiResult<Response> {
    let changes = changes(&request.body_object()?)?;
    json(&app.store.update_portal(portal, &changes).await?.to_json())
}

/// With its categories and articles.
pub async fn delete(app: &App, portal: &PortalRow) -> ApiResult<Response> {
    app.store.delete_portal(portal).await?;
    crate::http::empty_object()
}
