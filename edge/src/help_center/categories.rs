//! `/portals/{slug}/categories` and `/portals/{slug}/categories/{id}`.

use serde_json::{json, Map, Value};
use worker::{Method, Response};

use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use crate::router::App;
use crate::store::{CategoryChanges, CategoryRow, PortalRow};

/// An optional integer: absent keeps it, `null` clears it.
pub(super) fn optional_integer(body: &Map<String, Value>, key: &str) -> ApiResult<Option<Option<i64>>> {
    match body.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(value) => value
            .as_i64()
            .filter(|number| number.abs() < 1 << 53)
            .map(|number| Some(Some(number)))
            .ok_or_else(|| ApiError::invalid(key, format!("{} must be an integer", crate::input::label(key)))),
    }
}

async fn changes(app: &App, portal: &PortalRow, body: &Map<String, Value>) -> ApiResult<CategoryChanges> {
    let fields = Fields::new(body);
    let slug = super::slug(&fields)?;
    let locale = match fields.text("locale", 10)? {
        Some(locale) => Some(super::allowed_locale(portal, &locale)?),
        None => None,
    };
    let mut related = Vec::new();
    for key in ["parent_category_id", "associated_category_id"] {
        let id = optional_integer(body, key)?;
        if let Some(Some(id)) = id {
            if app.store.category(portal.id, id).await?.is_none() {
                return Err(ApiError::invalid(key, "It must be a category of this portal"));
            }
        }
        related.push(id);
    }
    Ok(CategoryChanges {
        name: fields.sent_required_text("name", 255)?,
        slug,
        locale,
        description: fields.sent_text("description", 10_000)?,
        position: optional_integer(body, "position")?,
        parent_category_id: related[0],
        associated_category_id: related[1],
    })
}

/// `?locale=&page=`.
pub async fn list(app: &App, request: &ApiRequest, portal: &PortalRow) -> ApiResult<Response> {
    let locale = request.query("locale");
    let page = super::page(request);
    let categories: Vec<Value> = app
        .store
        .categories(portal.id, locale.as_deref(), page)
        .await?
        .iter()
        .map(CategoryRow::to_json)
        .collect();
    let meta = json!({"categories_count": categories.len(), "current_page": page.max(1)});
    super::listed(categories, meta)
}

/// `{name, slug, locale?, description?, position?, parent_category_id?, associated_category_id?}`.
pub async fn create(app: &App, request: &ApiRequest, portal: &PortalRow) -> ApiResult<Response> {
    let mut new = changes(app, portal, &request.body_object()?).await?;
    if new.name.is_none() {
        return Err(ApiError::invalid("name", "Name can't be blank"));
    }
    if new.slug.is_none() {
        return Err(ApiError::invalid("slug", "Slug can't be blank"));
    }
    new.locale.get_or_insert_with(|| portal.default_locale());
    json(&app.store.create_category(portal, &new).await?.to_json())
}

/// `GET`, `PATCH` and `DELETE` of one category.
pub async fn one(app: &App, request: &ApiRequest, portal: &PortalRow, method: &Method, id: i64) -> ApiResult<Response> {
    let category = app.store.category(portal.id, id).await?.ok_or(ApiError::NotFound)?;
    match method {
        Method::Get => json(&category.to_json()),
        Method::Patch | Method::Put => {
            let changes = changes(app, portal, &request.body_object()?).await?;
            json(&app.store.update_category(&category, &changes).await?.to_json())
        }
        Method::Delete => {
            app.store.delete_category(&category).await?;
            crate::http::empty_object()
        }
        _ => Err(ApiError::NotFound),
    }
}
