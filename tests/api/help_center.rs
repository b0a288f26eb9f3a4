//! The help center (contract 7.5): portals, categories and articles, and what the public
//! routes show of them.

use nimchat_tests::{spawn_app, unique, Auth, TestAccount, TestApp};
use serde_json::{json, Value};

fn portal_slug() -> String {
    format!(
        "help-{}",
        unique()
            .to_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "")
    )
}

fn create(app: &TestApp, account: &TestAccount, path: &str, body: Value) -> Value {
    let reply = account.admin_call(app, "POST", path, Some(body));
    assert_eq!(reply.status, 200, "POST {path}: {}", reply.text);
    reply.body
}

fn public(app: &TestApp, path: &str) -> nimchat_tests::Reply {
    app.call_with("GET", path, None, &[("Origin", "https://anywhere.example")])
}

#[test]
fn portals_are_managed_by_administrators_and_their_slugs_are_the_deployments() {
    let app = spawn_app();
    let account = app.create_account();
    let other = app.create_account();
    let slug = portal_slug();
    let domain = format!("{slug}.example.com");
    let portal = create(
        app,
        &account,
        "/portals",
        json!({"name": "Help", "slug": slug, "custom_domain": domain, "color": "#1f93ff"}),
    );
    assert_eq!(portal["config"]["default_locale"], "en");
    assert_eq!(
        portal["config"]["allowed_locales"],
        json!([{"code": "en", "articles_count": 0, "categories_count": 0}])
    );
    assert_eq!(portal["meta"]["all_articles_count"], 0);
    assert_eq!(portal["archived"], false);

    // Slugs and domains are unique in the whole deployment.
    for (body, field) in [
        (json!({"name": "Mine", "slug": slug}), "slug"),
        (
            json!({"name": "Mine", "slug": portal_slug(), "custom_domain": domain}),
            "custom_domain",
        ),
    ] {
        let reply = other.admin_call(app, "POST", "/portals", Some(body.clone()));
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert!(reply.text.contains(field), "{}", reply.text);
    }
    for (body, field) in [
        (json!({"slug": portal_slug()}), "name"),
        (json!({"name": "X"}), "slug"),
        (json!({"name": "X", "slug": "Not A Slug"}), "slug"),
        (json!({"name": "X", "slug": portal_slug(), "color": "blue"}), "color"),
        (
            json!({"name": "X", "slug": portal_slug(), "homepage_link": "javascript:alert(1)"}),
            "homepage_link",
        ),
        (
            json!({"name": "X", "slug": portal_slug(), "custom_domain": "not a host"}),
            "custom_domain",
        ),
        (
            json!({"name": "X", "slug": portal_slug(), "config": {"allowed_locales": ["en"], "default_locale": "fr"}}),
            "config",
        ),
        (
            json!({"name": "X", "slug": portal_slug(), "config": {"allowed_locales": ["English"]}}),
            "config",
        ),
    ] {
        let reply = account.admin_call(app, "POST", "/portals", Some(body.clone()));
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert!(reply.text.contains(field), "{body} should name {field}: {}", reply.text);
    }
    assert_eq!(
        account.admin_call(app, "GET", "/portals", None).body["payload"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // Agents read; only administrators write.
    let by_agent = app.call(
        "GET",
        &account.path(&format!("/portals/{slug}")),
        account.agent.auth(),
        None,
    );
    assert_eq!(by_agent.status, 200, "{}", by_agent.text);
    let agent_write = app.call(
        "POST",
        &account.path("/portals"),
        account.agent.auth(),
        Some(json!({"name": "A", "slug": portal_slug()})),
    );
    assert_eq!(agent_write.status, 403);
    assert_eq!(
        app.call(
            "GET",
            &other.path(&format!("/portals/{slug}")),
            other.admin.auth(),
            None
        )
        .status,
        404
    );

    // A new slug: the portal answers there only, and the old one is free again.
    let renamed = portal_slug();
    let patched = account.admin_call(
        app,
        "PATCH",
        &format!("/portals/{slug}"),
        Some(json!({"slug": renamed, "config": {"allowed_locales": ["en", "de"], "default_locale": "de"}})),
    );
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(patched.body["config"]["default_locale"], "de");
    assert_eq!(
        account.admin_call(app, "GET", &format!("/portals/{slug}"), None).status,
        404
    );
    assert_eq!(
        other
            .admin_call(app, "POST", "/portals", Some(json!({"name": "Freed", "slug": slug})))
            .status,
        200
    );
    assert_eq!(
        account
            .admin_call(app, "DELETE", &format!("/portals/{renamed}"), None)
            .status,
        200
    );
    assert_eq!(
        account
            .admin_call(app, "GET", &format!("/portals/{renamed}"), None)
            .status,
        404
    );
}

#[test]
fn categories_and_articles_are_checked_counted_and_only_published_ones_are_public() {
    let app = spawn_app();
    let account = app.create_account();
    let other = app.create_account();
    let slug = portal_slug();
    create(
        app,
        &account,
        "/portals",
        json!({"name": "Help", "slug": slug, "config": {"allowed_locales": ["en", "fr"]}}),
    );
    let other_slug = portal_slug();
    create(app, &other, "/portals", json!({"name": "Theirs", "slug": other_slug}));
    let foreign_category = create(
        app,
        &other,
        &format!("/portals/{other_slug}/categories"),
        json!({"name": "X", "slug": "x"}),
    );
    let base = format!("/portals/{slug}");

    let setup = create(
        app,
        &account,
        &format!("{base}/categories"),
        json!({"name": "Setup", "slug": "setup", "position": 1}),
    );
    assert_eq!(setup["locale"], "en", "the portal's default locale");
    let french = create(
        app,
        &account,
        &format!("{base}/categories"),
        json!({"name": "Installation", "slug": "setup", "locale": "fr"}),
    );
    assert_eq!(french["locale"], "fr", "a slug is unique per locale");
    for (body, field) in [
        (json!({"name": "Dup", "slug": "setup"}), "slug"),
        (json!({"name": "Bad", "slug": "bad", "locale": "de"}), "locale"),
        (
            json!({"name": "Bad", "slug": "bad", "parent_category_id": foreign_category["id"]}),
            "parent_category_id",
        ),
        (json!({"slug": "nameless"}), "name"),
    ] {
        let reply = account.admin_call(app, "POST", &format!("{base}/categories"), Some(body.clone()));
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert!(reply.text.contains(field), "{}", reply.text);
    }

    let article = |body: Value| create(app, &account, &format!("{base}/articles"), body);
    let first = article(
        json!({"title": "How do I install it?", "content": "Run **the** installer: 100% safe.", "status": "published",
                               "category_id": setup["id"], "position": 2}),
    );
    assert_eq!(first["slug"], "how-do-i-install-it");
    assert_eq!(first["author_id"], account.admin.id, "the caller by default");
    assert_eq!(first["locale"], "en", "the category's locale");
    let second =
        article(json!({"title": "How do I install it?", "status": 1, "position": 1, "description": "The short way"}));
    assert_eq!(second["slug"], "how-do-i-install-it-2");
    assert_eq!(second["status"], "published", "always the word");
    let draft = article(json!({"title": "Secret roadmap", "content": "install nothing yet"}));
    assert_eq!(draft["status"], "draft");
    let archived = article(json!({"title": "Old install guide", "status": "archived"}));
    let french_article = article(json!({"title": "Comment installer", "status": "published", "locale": "fr"}));
    for (body, field) in [
        (json!({"content": "no title"}), "title"),
        (json!({"title": "T", "status": "live"}), "status"),
        (
            json!({"title": "T", "category_id": foreign_category["id"]}),
            "category_id",
        ),
        (json!({"title": "T", "author_id": other.admin.id}), "author_id"),
        (json!({"title": "T", "slug": "how-do-i-install-it"}), "slug"),
        (json!({"title": "T", "locale": "de"}), "locale"),
    ] {
        let reply = account.admin_call(app, "POST", &format!("{base}/articles"), Some(body.clone()));
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert!(reply.text.contains(field), "{}", reply.text);
    }

    let listed = account.admin_call(app, "GET", &format!("{base}/articles?status=published&locale=en"), None);
    assert_eq!(listed.status, 200, "{}", listed.text);
    let ids: Vec<&Value> = listed.body["payload"]
        .as_array()
        .unwrap()
        .iter()
        .map(|article| &article["id"])
        .collect();
    assert_eq!(ids, [&second["id"], &first["id"]], "by position, then id");
    assert_eq!(
        listed.body["meta"],
        json!({"all_articles_count": 5, "published_count": 3, "draft_articles_count": 1,
               "archived_articles_count": 1, "articles_count": 2, "current_page": 1})
    );
    let in_category = account.admin_call(
        app,
        "GET",
        &format!("{base}/articles?category_slug=setup&query=INSTALLER"),
        None,
    );
    assert_eq!(in_category.body["payload"].as_array().map(Vec::len), Some(1));
    let portal = account.admin_call(app, "GET", &base, None).body;
    assert_eq!(portal["meta"]["published_count"], 3);
    assert_eq!(
        portal["config"]["allowed_locales"][1],
        json!({"code": "fr", "articles_count": 1, "categories_count": 1})
    );

    // The public routes: published articles of the portal and locale, searched literally.
    let listed = public(app, &format!("/hc/{slug}/en/articles.json"));
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_eq!(
        listed.header("access-control-allow-origin"),
        Some("https://anywhere.example")
    );
    let titles: Vec<&str> = listed.body["payload"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert_eq!(titles, ["How do I install it?", "How do I install it?"]);
    assert_eq!(listed.body["meta"]["articles_count"], 2);
    let shown = &listed.body["payload"][1];
    assert_eq!(shown["category"]["slug"], "setup");
    assert_eq!(shown["author"], json!({"name": "Ada Admin"}));
    assert!(!listed.text.contains(&account.admin.email), "never an author's e-mail");
    let searched = public(app, &format!("/hc/{slug}/en/articles.json?query=100%25%20SAFE"));
    assert_eq!(
        searched.body["payload"].as_array().map(Vec::len),
        Some(1),
        "{}",
        searched.text
    );
    let wildcard = public(app, &format!("/hc/{slug}/en/articles.json?query=%25"));
    assert_eq!(
        wildcard.body["payload"].as_array().map(Vec::len),
        Some(1),
        "% is a plain character"
    );
    let roadmap = public(app, &format!("/hc/{slug}/en/articles.json?query=roadmap"));
    assert_eq!(roadmap.body["payload"], json!([]), "drafts are never public");
    assert_eq!(
        public(app, &format!("/hc/{slug}/fr/articles.json")).body["payload"][0]["id"],
        french_article["id"]
    );
    assert_eq!(
        public(app, &format!("/hc/{slug}/de/articles.json")).status,
        404,
        "a locale the portal does not allow"
    );

    let article_path = format!("/hc/{slug}/articles/how-do-i-install-it.json");
    assert_eq!(public(app, &article_path).body["views"], 1);
    assert_eq!(public(app, &article_path).body["views"], 2, "each read counts");
    for hidden in [&draft["slug"], &archived["slug"]] {
        let path = format!("/hc/{slug}/articles/{}.json", hidden.as_str().unwrap());
        assert_eq!(public(app, &path).status, 404, "{path}");
    }
    assert_eq!(public(app, "/hc/no-such-portal/en/articles.json").status, 404);
    assert_eq!(
        app.call(
            "POST",
            &format!("/hc/{slug}/en/articles.json"),
            Auth::Anonymous,
            Some(json!({}))
        )
        .status,
        404
    );

    // Deleting a category keeps its articles, without a category.
    assert_eq!(
        account
            .admin_call(app, "DELETE", &format!("{base}/categories/{}", setup["id"]), None)
            .status,
        200
    );
    let kept = account.admin_call(app, "GET", &format!("{base}/articles/{}", first["id"]), None);
    assert_eq!(kept.body["category_id"], Value::Null);
    // An archived portal shows nothing.
    let archived_portal = account.admin_call(app, "PATCH", &base, Some(json!({"archived": true})));
    assert_eq!(archived_portal.status, 200);
    assert_eq!(public(app, &format!("/hc/{slug}/en/articles.json")).status, 404);
    assert_eq!(public(app, &article_path).status, 404);
}
