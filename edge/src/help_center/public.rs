//! The help center's public routes (contract 7.5): published articles of a portal, for
//! anyone, from any origin.

use serde_json::{json, Value};
use worker::{Method, Response};

use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::router::App;
use crate::store::{ArticleFilter, ArticleRow, KeyKind};

/// `path` is what follows `/hc`: `{portal_slug}/{locale}/articles.json` or
/// `{portal_slug}/articles/{article_slug}.json`.
pub async fn route(app: &App, request: &ApiRequest, path: &[&str]) -> ApiResult<Response> {
    if request.method != Method::Get {
        return Err(ApiError::NotFound);
    }
    let (portal_slug, rest) = path.split_first().ok_or(ApiError::NotFound)?;
    let app = &app.for_key(KeyKind::Portal, portal_slug).await?;
    let portal = app.store.public_portal(portal_slug).await?.ok_or(ApiError::NotFound)?;
    match rest {
        [locale, "articles.json"] => {
            if !portal.allowed_locales().iter().any(|allowed| allowed == locale) {
                return Err(ApiError::NotFound);
            }
            let (category_slug, query) = (request.query("category_slug"), request.query("query"));
            let page = request.query("page").and_then(|page| page.parse().ok()).unwrap_or(1);
            let filter = ArticleFilter {
                status: Some("published"),
                locale: Some(locale),
                category_slug: category_slug.as_deref().filter(|text| !text.is_empty()),
                query: query.as_deref().filter(|text| !text.is_empty()),
                page,
            };
            let (articles, meta) = app.store.articles(portal.id, &filter).await?;
            let payload: Vec<Value> = articles.iter().map(ArticleRow::to_public_json).collect();
            json(&json!({"payload": payload,
                         "meta": {"articles_count": meta["articles_count"], "current_page": meta["current_page"]}}))
        }
        ["articles", file] => {
            let slug = file.strip_suffix(".json").ok_or(ApiError::NotFound)?;
            let article = app
                .store
                .view_published_article(portal.id, slug)
                .await?
                .ok_or(ApiError::NotFound)?;
            json(&article.to_public_json())
        }
        _ => Err(ApiError::NotFound),
    }
}
