//! `/portals/{slug}/articles` and `/portals/{slug}/articles/{id}`.

use std::borrow::Cow;

use serde_json::{Map, Value};
use worker::{Method, Response};

use super::categories::optional_integer;
use crate::domain::help_center::{article_status, free_slug, slug_of_title};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use crate::router::App;
use crate::store::{ArticleChanges, ArticleFilter, ArticleRow, Membership, PortalRow};

async fn changes(
    app: &App,
    member: &Membership,
    portal: &PortalRow,
    body: &Map<String, Value>,
) -> ApiResult<ArticleChanges> {
    let fields = Fields::new(body);
    let slug = super::slug(&fields)?;
    let status = match body.get("status") {
        None => None,
        Some(given) => Some(
            article_status(given)
                .ok_or_else(|| ApiError::invalid("status", "Status must be draft, published or archived (0, 1, 2)"))?,
        ),
    };
    let category_id = optional_integer(body, "category_id")?;
    if let Some(Some(id)) = category_id {
        if app.store.category(portal.id, id).await?.is_none() {
            return Err(ApiError::invalid(
                "category_id",
                "Category must be a category of this portal",
            ));
        }
    }
    let author_id = fields.id("author_id")?;
    if let Some(author) = author_id {
        if !app.store.non_members(member.account_id, &[author]).await?.is_empty() {
            return Err(ApiError::invalid("author_id", "Author must be a user of this account"));
        }
    }
    let locale = match fields.text("locale", 10)? {
        Some(locale) => Some(super::allowed_locale(portal, &locale)?),
        None => None,
    };
    Ok(ArticleChanges {
        title: fields.sent_required_text("title", 255)?,
        slug,
        content: fields.sent_text("content", 1_000_000)?,
        description: fields.sent_text("description", 10_000)?,
        status,
        category_id,
        author_id,
        position: optional_integer(body, "position")?,
        locale,
        meta: fields.object("meta")?.map(Cow::into_owned).map(Value::Object),
    })
}

/// `?status=&locale=&category_slug=&query=&page=`.
pub async fn list(app: &App, request: &ApiRequest, portal: &PortalRow) -> ApiResult<Response> {
    let status = request.query("status");
    let status = match status.as_deref() {
        None | Some("") => None,
        Some(given) => Some(
            article_status(&Value::String(given.to_string()))
                .ok_or_else(|| ApiError::invalid("status", "Status must be draft, published or archived"))?,
        ),
    };
    let (locale, category_slug, query) = (
        request.query("locale"),
        request.query("category_slug"),
        request.query("query"),
    );
    let filter = ArticleFilter {
        status,
        locale: locale.as_deref().filter(|text| !text.is_empty()),
        category_slug: category_slug.as_deref().filter(|text| !text.is_empty()),
        query: query.as_deref().filter(|text| !text.is_empty()),
        page: super::page(request),
    };
    let (articles, meta) = app.store.articles(portal.id, &filter).await?;
    super::listed(articles.iter().map(ArticleRow::to_json).collect(), meta)
}

/// `{title, content?, description?, status?, category_id?, author_id?, slug?, position?, locale?, meta?}`.
pub async fn create(app: &App, member: &Membership, request: &ApiRequest, portal: &PortalRow) -> ApiResult<Response> {
    let mut new = changes(app, member, portal, &request.body_object()?).await?;
    let Some(title) = new.title.clone() else {
        return Err(ApiError::invalid("title", "Title can't be blank"));
    };
    if new.slug.is_none() {
        let base = slug_of_title(&title);
        new.slug = Some(free_slug(&base, &app.store.article_slugs_like(portal.id, &base).await?));
    }
    new.author_id.get_or_insert(member.user_id);
    if new.locale.is_none() {
        let category_locale = match new.category_id.flatten() {
            Some(id) => app.store.category(portal.id, id).await?.map(|category| category.locale),
            None => None,
        };
        new.locale = Some(category_locale.unwrap_or_else(|| portal.default_locale()));
    }
    json(&app.store.create_article(portal, &new).await?.to_json())
}

/// `GET`, `PATCH` and `DELETE` of one article.
pub async fn one(
    app: &App,
    member: &Membership,
    request: &ApiRequest,
    portal: &PortalRow,
    method: &Method,
    id: i64,
) -> ApiResult<Response> {
    let article = app.store.article(portal.id, id).await?.ok_or(ApiError::NotFound)?;
    match method {
        Method::Get => json(&article.to_json()),
        Method::Patch | Method::Put => {
            let changes = changes(app, member, portal, &request.body_object()?).await?;
            json(&app.store.update_article(&article, &changes).await?.to_json())
        }
        Method::Delete => {
            app.store.delete_article(&article).await?;
            crate::http::empty_object()
        }
        _ => Err(ApiError::NotFound),
    }
}
