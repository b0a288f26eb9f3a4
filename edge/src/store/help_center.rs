//! The help center (contract 7.5): portals, categories and articles of an account, and the
//! published articles the public routes show.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::{flag, json_text, page_offset, params, taken, KeyKind, Store};
use crate::error::{ApiError, ApiResult};

/// Items a page of every help center list holds.
pub const HELP_CENTER_PAGE: i64 = 25;

#[derive(Debug, Deserialize)]
pub struct PortalRow {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub slug: String,
    pub custom_domain: Option<String>,
    pub color: Option<String>,
    pub header_text: Option<String>,
    pub page_title: Option<String>,
    pub homepage_link: Option<String>,
    #[serde(deserialize_with = "flag")]
    pub archived: bool,
    #[serde(deserialize_with = "json_text")]
    pub config: Value,
    all_articles_count: i64,
    published_count: i64,
    draft_articles_count: i64,
    archived_articles_count: i64,
    categories_count: i64,
    #[serde(deserialize_with = "json_text")]
    articles_by_locale: Map<String, Value>,
    #[serde(deserialize_with = "json_text")]
    categories_by_locale: Map<String, Value>,
}

impl PortalRow {
    pub fn allowed_locales(&self) -> Vec<String> {
        self.config["allowed_locales"]
            .as_array()
            .map(|locales| {
                locales
                    .iter()
                    .filter_map(|code| code.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn default_locale(&self) -> String {
        self.config["default_locale"].as_str().unwrap_or("en").to_string()
    }

    /// The swagger's portal object, with its counts.
    pub fn to_json(&self) -> Value {
        let count = |counts: &Map<String, Value>, code: &str| counts.get(code).and_then(Value::as_i64).unwrap_or(0);
        let locales: Vec<Value> = self
            .allowed_locales()
            .iter()
            .map(|code| {
                json!({"code": code, "articles_count": count(&self.articles_by_locale, code),
                       "categories_count": count(&self.categories_by_locale, code)})
            })
            .collect();
        json!({
            "id": self.id,
            "account_id": self.account_id,
            "name": self.name,
            "slug": self.slug,
            "custom_domain": self.custom_domain,
            "color": self.color,
            "header_text": self.header_text,
            "page_title": self.page_title,
            "homepage_link": self.homepage_link,
            "archived": self.archived,
            "config": {"allowed_locales": locales, "default_locale": self.default_locale()},
            "meta": {
                "all_articles_count": self.all_articles_count,
                "published_count": self.published_count,
                "draft_articles_count": self.draft_articles_count,
                "archived_articles_count": self.archived_articles_count,
                "categories_count": self.categories_count,
                "default_locale": self.default_locale(),
            },
        })
    }
}

/// A portal's fields to set; `None` keeps each, `Some(None)` clears an optional one.
#[derive(Debug, Default)]
pub struct PortalChanges {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub custom_domain: Option<Option<String>>,
    pub color: Option<Option<String>>,
    pub header_text: Option<Option<String>>,
    pub page_title: Option<Option<String>>,
    pub homepage_link: Option<Option<String>>,
    pub archived: Option<bool>,
    pub config: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CategoryRow {
    pub id: i64,
    pub account_id: i64,
    pub portal_id: i64,
    pub name: String,
    pub slug: String,
    pub locale: String,
    pub description: Option<String>,
    pub position: Option<i64>,
    pub parent_category_id: Option<i64>,
    pub associated_category_id: Option<i64>,
}

impl CategoryRow {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id, "account_id": self.account_id, "portal_id": self.portal_id, "name": self.name,
            "slug": self.slug, "locale": self.locale, "description": self.description, "position": self.position,
            "parent_category_id": self.parent_category_id, "associated_category_id": self.associated_category_id,
        })
    }
}

#[derive(Debug, Default)]
pub struct CategoryChanges {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub locale: Option<String>,
    pub description: Option<Option<String>>,
    pub position: Option<Option<i64>>,
    pub parent_category_id: Option<Option<i64>>,
    pub associated_category_id: Option<Option<i64>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ArticleRow {
    pub id: i64,
    pub account_id: i64,
    pub portal_id: i64,
    pub category_id: Option<i64>,
    pub author_id: Option<i64>,
    pub title: String,
    pub slug: String,
    pub content: Option<String>,
    pub description: Option<String>,
    pub status: String,
    pub position: Option<i64>,
    pub locale: String,
    #[serde(deserialize_with = "json_text")]
    pub meta: Value,
    pub views: i64,
    pub created_at: i64,
    pub updated_at: i64,
    author_name: Option<String>,
    category_name: Option<String>,
    category_slug: Option<String>,
    category_locale: Option<String>,
}

impl ArticleRow {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id, "account_id": self.account_id, "portal_id": self.portal_id,
            "category_id": self.category_id, "author_id": self.author_id, "title": self.title,
            "slug": self.slug, "content": self.content, "description": self.description,
            "status": self.status, "position": self.position, "locale": self.locale, "meta": self.meta,
            "views": self.views, "created_at": self.created_at, "updated_at": self.updated_at,
        })
    }

    /// What anyone may read: never the author's e-mail.
    pub fn to_public_json(&self) -> Value {
        let category = self.category_id.map(|id| {
            json!({"id": id, "name": self.category_name, "slug": self.category_slug, "locale": self.category_locale})
        });
        json!({
            "id": self.id, "slug": self.slug, "title": self.title, "description": self.description,
            "content": self.content, "locale": self.locale, "category": category,
            "author": {"name": self.author_name}, "views": self.views, "updated_at": self.updated_at,
        })
    }
}

#[derive(Debug, Default)]
pub struct ArticleChanges {
    pub title: Option<String>,
    pub slug: Option<String>,
    pub content: Option<Option<String>>,
    pub description: Option<Option<String>>,
    pub status: Option<&'static str>,
    pub category_id: Option<Option<i64>>,
    pub author_id: Option<i64>,
    pub position: Option<Option<i64>>,
    pub locale: Option<String>,
    pub meta: Option<Value>,
}

/// Which articles a list shows.
#[derive(Debug, Default)]
pub struct ArticleFilter<'a> {
    pub status: Option<&'a str>,
    pub locale: Option<&'a str>,
    pub category_slug: Option<&'a str>,
    pub query: Option<&'a str>,
    pub page: i64,
}

const PORTAL_SELECT: &str = "SELECT p.*,
    (SELECT COUNT(*) FROM portal_articles WHERE portal_id = p.id) AS all_articles_count,
    (SELECT COUNT(*) FROM portal_articles WHERE portal_id = p.id AND status = 'published') AS published_count,
    (SELECT COUNT(*) FROM portal_articles WHERE portal_id = p.id AND status = 'draft') AS draft_articles_count,
    (SELECT COUNT(*) FROM portal_articles WHERE portal_id = p.id AND status = 'archived') AS archived_articles_count,
    (SELECT COUNT(*) FROM portal_categories WHERE portal_id = p.id) AS categories_count,
    (SELECT json_group_object(locale, n) FROM (SELECT locale, COUNT(*) AS n FROM portal_articles
       WHERE portal_id = p.id GROUP BY locale)) AS articles_by_locale,
    (SELECT json_group_object(locale, n) FROM (SELECT locale, COUNT(*) AS n FROM portal_categories
       WHERE portal_id = p.id GROUP BY locale)) AS categories_by_locale
    FROM portals p";

const CATEGORY_SELECT: &str = "SELECT id, account_id, portal_id, name, slug, locale, description, position,
    parent_category_id, associated_category_id FROM portal_categories";

const ARTICLE_SELECT: &str = "SELECT a.id, a.account_id, a.portal_id, a.category_id, a.author_id, a.title, a.slug,
    a.content, a.description, a.status, a.position, a.locale, a.meta, a.views, a.created_at, a.updated_at,
    u.name AS author_name, c.name AS category_name, c.slug AS category_slug, c.locale AS category_locale
    FROM portal_articles a LEFT JOIN users u ON u.id = a.author_id LEFT JOIN portal_categories c ON c.id = a.category_id";

/// The conditions of an article list, as SQL over `a` and `c`; `?2` to `?6` are bound.
const ARTICLE_FILTER: &str = "a.portal_id = ?1 AND (?2 IS NULL OR a.status = ?2) AND (?3 IS NULL OR a.locale = ?3)
    AND (?4 IS NULL OR c.slug = ?4)
    AND (?5 IS NULL OR instr(lower(a.title), lower(?5)) > 0 OR instr(lower(COALESCE(a.description, '')), lower(?5)) > 0
         OR instr(lower(COALESCE(a.content, '')), lower(?5)) > 0)";

#[derive(Deserialize)]
struct ArticleCounts {
    all_articles_count: i64,
    published_count: i64,
    draft_articles_count: i64,
    archived_articles_count: i64,
    articles_count: i64,
}

impl Store {
    pub async fn portals(&self, account_id: i64) -> ApiResult<Vec<PortalRow>> {
        self.all(
            &format!("{PORTAL_SELECT} WHERE p.account_id = ?1 ORDER BY p.id"),
            params![account_id],
        )
        .await
    }

    pub async fn portal(&self, account_id: i64, slug: &str) -> ApiResult<Option<PortalRow>> {
        self.first(
            &format!("{PORTAL_SELECT} WHERE p.account_id = ?1 AND p.slug = ?2"),
            params![account_id, slug],
        )
        .await
    }

    /// A portal the public routes show: not archived.
    pub async fn public_portal(&self, slug: &str) -> ApiResult<Option<PortalRow>> {
        self.first(
            &format!("{PORTAL_SELECT} WHERE p.slug = ?1 AND p.archived = 0"),
            params![slug],
        )
        .await
    }

    /// Claims the portal's slug and custom domain in the directory (422 when another account
    /// holds one), then writes the row.
    async fn claim_portal_keys(&self, account_id: i64, changes: &PortalChanges) -> ApiResult<()> {
        if let Some(slug) = &changes.slug {
            if !self.claim_key(KeyKind::Portal, slug, account_id).await? {
                return Err(ApiError::invalid("slug", "Slug has already been taken"));
            }
        }
        if let Some(Some(domain)) = &changes.custom_domain {
            if !self.claim_key(KeyKind::PortalDomain, domain, account_id).await? {
                return Err(ApiError::invalid(
                    "custom_domain",
                    "Custom domain has already been taken",
                ));
            }
        }
        Ok(())
    }

    pub async fn create_portal(&self, account_id: i64, new: &PortalChanges) -> ApiResult<PortalRow> {
        self.claim_portal_keys(account_id, new).await?;
        let slug = new.slug.as_deref().unwrap_or_default();
        let config = new.config.as_ref().map(Value::to_string);
        self.run(
            "INSERT INTO portals (account_id, name, slug, custom_domain, color, header_text, page_title, homepage_link,
                archived, config)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, COALESCE(?9, 0), ?10)",
            params![
                account_id,
                &new.name,
                slug,
                new.custom_domain.as_ref().and_then(Option::as_deref),
                new.color.as_ref().and_then(Option::as_deref),
                new.header_text.as_ref().and_then(Option::as_deref),
                new.page_title.as_ref().and_then(Option::as_deref),
                new.homepage_link.as_ref().and_then(Option::as_deref),
                new.archived,
                &config,
            ],
        )
        .await
        .map_err(taken("portals.slug", "slug"))
        .map_err(taken("portals.custom_domain", "custom_domain"))?;
        self.portal(account_id, slug)
            .await?
            .ok_or_else(|| ApiError::Internal("the new portal was not read back".into()))
    }

    /// Answers the portal as it now is (under its new slug when that changed).
    pub async fn update_portal(&self, portal: &PortalRow, changes: &PortalChanges) -> ApiResult<PortalRow> {
        self.claim_portal_keys(portal.account_id, changes).await?;
        let set = |field: &Option<Option<String>>| (field.is_some(), field.clone().flatten());
        let (domain_set, domain) = set(&changes.custom_domain);
        let (color_set, color) = set(&changes.color);
        let (header_set, header) = set(&changes.header_text);
        let (title_set, title) = set(&changes.page_title);
        let (link_set, link) = set(&changes.homepage_link);
        let config = changes.config.as_ref().map(Value::to_string);
        self.run(
            "UPDATE portals SET name = COALESCE(?2, name), slug = COALESCE(?3, slug),
                custom_domain = CASE WHEN ?4 THEN ?5 ELSE custom_domain END,
                color = CASE WHEN ?6 THEN ?7 ELSE color END,
                header_text = CASE WHEN ?8 THEN ?9 ELSE header_text END,
                page_title = CASE WHEN ?10 THEN ?11 ELSE page_title END,
                homepage_link = CASE WHEN ?12 THEN ?13 ELSE homepage_link END,
                archived = COALESCE(?14, archived), config = COALESCE(?15, config), updated_at = unixepoch()
             WHERE id = ?1",
            params![
                portal.id,
                &changes.name,
                &changes.slug,
                domain_set,
                &domain,
                color_set,
                &color,
                header_set,
                &header,
                title_set,
                &title,
                link_set,
                &link,
                changes.archived,
                &config,
            ],
        )
        .await
        .map_err(taken("portals.slug", "slug"))
        .map_err(taken("portals.custom_domain", "custom_domain"))?;
        if changes.slug.as_deref().is_some_and(|slug| slug != portal.slug) {
            self.forget_key(KeyKind::Portal, &portal.slug).await?;
        }
        if let (Some(old), true) = (&portal.custom_domain, changes.custom_domain.is_some()) {
            if changes.custom_domain.as_ref().and_then(Option::as_ref) != Some(old) {
                self.forget_key(KeyKind::PortalDomain, old).await?;
            }
        }
        let slug = changes.slug.as_deref().unwrap_or(&portal.slug);
        self.portal(portal.account_id, slug).await?.ok_or(ApiError::NotFound)
    }

    /// With its categories and articles; its keys are given back.
    pub async fn delete_portal(&self, portal: &PortalRow) -> ApiResult<()> {
        self.run("DELETE FROM portals WHERE id = ?1", params![portal.id])
            .await?;
        self.forget_key(KeyKind::Portal, &portal.slug).await?;
        if let Some(domain) = &portal.custom_domain {
            self.forget_key(KeyKind::PortalDomain, domain).await?;
        }
        Ok(())
    }

    pub async fn categories(&self, portal_id: i64, locale: Option<&str>, page: i64) -> ApiResult<Vec<CategoryRow>> {
        self.all(
            &format!(
                "{CATEGORY_SELECT} WHERE portal_id = ?1 AND (?2 IS NULL OR locale = ?2)
                 ORDER BY position IS NULL, position, id LIMIT {HELP_CENTER_PAGE} OFFSET ?3"
            ),
            params![portal_id, locale, page_offset(page, HELP_CENTER_PAGE)],
        )
        .await
    }

    pub async fn category(&self, portal_id: i64, id: i64) -> ApiResult<Option<CategoryRow>> {
        self.first(
            &format!("{CATEGORY_SELECT} WHERE portal_id = ?1 AND id = ?2"),
            params![portal_id, id],
        )
        .await
    }

    pub async fn create_category(&self, portal: &PortalRow, new: &CategoryChanges) -> ApiResult<CategoryRow> {
        let created: Option<CategoryRow> = self
            .first(
                "INSERT INTO portal_categories (account_id, portal_id, name, slug, locale, description, position,
                    parent_category_id, associated_category_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 RETURNING id, account_id, portal_id, name, slug, locale, description, position,
                    parent_category_id, associated_category_id",
                params![
                    portal.account_id,
                    portal.id,
                    &new.name,
                    &new.slug,
                    &new.locale,
                    new.description.as_ref().and_then(Option::as_deref),
                    new.position.flatten(),
                    new.parent_category_id.flatten(),
                    new.associated_category_id.flatten(),
                ],
            )
            .await
            .map_err(taken("portal_categories", "slug"))?;
        created.ok_or_else(|| ApiError::Internal("the new category was not read back".into()))
    }

    pub async fn update_category(&self, category: &CategoryRow, changes: &CategoryChanges) -> ApiResult<CategoryRow> {
        let description = changes.description.clone().flatten();
        self.run(
            "UPDATE portal_categories SET name = COALESCE(?2, name), slug = COALESCE(?3, slug),
                locale = COALESCE(?4, locale),
                description = CASE WHEN ?5 THEN ?6 ELSE description END,
                position = CASE WHEN ?7 THEN ?8 ELSE position END,
                parent_category_id = CASE WHEN ?9 THEN ?10 ELSE parent_category_id END,
                associated_category_id = CASE WHEN ?11 THEN ?12 ELSE associated_category_id END,
                updated_at = unixepoch()
             WHERE id = ?1",
            params![
                category.id,
                &changes.name,
                &changes.slug,
                &changes.locale,
                changes.description.is_some(),
                &description,
                changes.position.is_some(),
                changes.position.flatten(),
                changes.parent_category_id.is_some(),
                changes.parent_category_id.flatten(),
                changes.associated_category_id.is_some(),
                changes.associated_category_id.flatten(),
            ],
        )
        .await
        .map_err(taken("portal_categories", "slug"))?;
        self.category(category.portal_id, category.id)
            .await?
            .ok_or(ApiError::NotFound)
    }

    /// Its articles keep going, without a category; categories naming it forget it.
    pub async fn delete_category(&self, category: &CategoryRow) -> ApiResult<()> {
        let statements = vec![
            self.statement(
                "UPDATE portal_categories SET parent_category_id = NULL WHERE parent_category_id = ?1",
                params![category.id],
            )?,
            self.statement(
                "UPDATE portal_categories SET associated_category_id = NULL WHERE associated_category_id = ?1",
                params![category.id],
            )?,
            self.statement("DELETE FROM portal_categories WHERE id = ?1", params![category.id])?,
        ];
        self.batch(statements).await?;
        Ok(())
    }

    /// A page of the portal's articles, and the list's counts.
    pub async fn articles(&self, portal_id: i64, filter: &ArticleFilter<'_>) -> ApiResult<(Vec<ArticleRow>, Value)> {
        let bound = params![
            portal_id,
            filter.status,
            filter.locale,
            filter.category_slug,
            filter.query,
            page_offset(filter.page, HELP_CENTER_PAGE),
        ];
        let rows: Vec<ArticleRow> = self
            .all(
                &format!(
                    "{ARTICLE_SELECT} WHERE {ARTICLE_FILTER}
                     ORDER BY a.position IS NULL, a.position, a.id LIMIT {HELP_CENTER_PAGE} OFFSET ?6"
                ),
                bound,
            )
            .await?;
        let counts: Option<ArticleCounts> = self
            .first(
                &format!(
                    "SELECT COUNT(*) AS all_articles_count,
                        COALESCE(SUM(status = 'published'), 0) AS published_count,
                        COALESCE(SUM(status = 'draft'), 0) AS draft_articles_count,
                        COALESCE(SUM(status = 'archived'), 0) AS archived_articles_count,
                        (SELECT COUNT(*) FROM portal_articles a LEFT JOIN portal_categories c ON c.id = a.category_id
                          WHERE {ARTICLE_FILTER}) AS articles_count
                     FROM portal_articles WHERE portal_id = ?1 AND ?6 = ?6"
                ),
                bound,
            )
            .await?;
        let counts = counts.ok_or_else(|| ApiError::Internal("no article counts".into()))?;
        let meta = json!({
            "all_articles_count": counts.all_articles_count,
            "published_count": counts.published_count,
            "draft_articles_count": counts.draft_articles_count,
            "archived_articles_count": counts.archived_articles_count,
            "articles_count": counts.articles_count,
            "current_page": filter.page.max(1),
        });
        Ok((rows, meta))
    }

    pub async fn article(&self, portal_id: i64, id: i64) -> ApiResult<Option<ArticleRow>> {
        self.first(
            &format!("{ARTICLE_SELECT} WHERE a.portal_id = ?1 AND a.id = ?2"),
            params![portal_id, id],
        )
        .await
    }

    /// The portal's article slugs that start with `base`, to pick a free one.
    pub async fn article_slugs_like(&self, portal_id: i64, base: &str) -> ApiResult<Vec<String>> {
        #[derive(Deserialize)]
        struct Slug {
            slug: String,
        }
        let rows: Vec<Slug> = self
            .all(
                "SELECT slug FROM portal_articles WHERE portal_id = ?1 AND instr(slug, ?2) = 1",
                params![portal_id, base],
            )
            .await?;
        Ok(rows.into_iter().map(|row| row.slug).collect())
    }

    pub async fn create_article(&self, portal: &PortalRow, new: &ArticleChanges) -> ApiResult<ArticleRow> {
        let meta = new.meta.as_ref().map(Value::to_string);
        #[derive(Deserialize)]
        struct Id {
            id: i64,
        }
        let created: Option<Id> = self
            .first(
                "INSERT INTO portal_articles (account_id, portal_id, category_id, author_id, title, slug, content,
                    description, status, position, locale, meta)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, COALESCE(?9, 'draft'), ?10, ?11, COALESCE(?12, '{}'))
                 RETURNING id",
                params![
                    portal.account_id,
                    portal.id,
                    new.category_id.flatten(),
                    new.author_id,
                    &new.title,
                    &new.slug,
                    new.content.as_ref().and_then(Option::as_deref),
                    new.description.as_ref().and_then(Option::as_deref),
                    new.status,
                    new.position.flatten(),
                    &new.locale,
                    &meta,
                ],
            )
            .await
            .map_err(taken("portal_articles", "slug"))?;
        let id = created.ok_or_else(|| ApiError::Internal("the new article was not read back".into()))?;
        self.article(portal.id, id.id).await?.ok_or(ApiError::NotFound)
    }

    pub async fn update_article(&self, article: &ArticleRow, changes: &ArticleChanges) -> ApiResult<ArticleRow> {
        let meta = changes.meta.as_ref().map(Value::to_string);
        let content = changes.content.clone().flatten();
        let description = changes.description.clone().flatten();
        self.run(
            "UPDATE portal_articles SET title = COALESCE(?2, title), slug = COALESCE(?3, slug),
                content = CASE WHEN ?4 THEN ?5 ELSE content END,
                description = CASE WHEN ?6 THEN ?7 ELSE description END,
                status = COALESCE(?8, status),
                category_id = CASE WHEN ?9 THEN ?10 ELSE category_id END,
                author_id = COALESCE(?11, author_id),
                position = CASE WHEN ?12 THEN ?13 ELSE position END,
                locale = COALESCE(?14, locale), meta = COALESCE(?15, meta), updated_at = unixepoch()
             WHERE id = ?1",
            params![
                article.id,
                &changes.title,
                &changes.slug,
                changes.content.is_some(),
                &content,
                changes.description.is_some(),
                &description,
                changes.status,
                changes.category_id.is_some(),
                changes.category_id.flatten(),
                changes.author_id,
                changes.position.is_some(),
                changes.position.flatten(),
                &changes.locale,
                &meta,
            ],
        )
        .await
        .map_err(taken("portal_articles", "slug"))?;
        self.article(article.portal_id, article.id)
            .await?
            .ok_or(ApiError::NotFound)
    }

    pub async fn delete_article(&self, article: &ArticleRow) -> ApiResult<()> {
        self.run("DELETE FROM portal_articles WHERE id = ?1", params![article.id])
            .await?;
        Ok(())
    }

    /// A published article by its slug, counting this view.
    pub async fn view_published_article(&self, portal_id: i64, slug: &str) -> ApiResult<Option<ArticleRow>> {
        let counted = self
            .run(
                "UPDATE portal_articles SET views = views + 1 WHERE portal_id = ?1 AND slug = ?2 AND status = 'published'",
                params![portal_id, slug],
            )
            .await?;
        if counted == 0 {
            return Ok(None);
        }
        self.first(
            &format!("{ARTICLE_SELECT} WHERE a.portal_id = ?1 AND a.slug = ?2"),
            params![portal_id, slug],
        )
        .await
    }
}
