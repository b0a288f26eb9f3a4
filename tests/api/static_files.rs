//! The widget's files as a site on another origin loads them: CORS and CORP on each, content
//! hashes in the names with a year's cache, and a loader that is revalidated by its ETag.

use nimchat_tests::{spawn_app, Auth, Reply};

/// The widget file that the loader names with this extension (`"/widget/…"` in its source).
fn loaded_file(loader: &str, extension: &str) -> String {
    loader
        .split('"')
        .find(|part| part.starts_with("/widget/") && part.ends_with(extension))
        .unwrap_or_else(|| panic!("the loader names no {extension} file"))
        .to_string()
}

fn assert_embeddable(reply: &Reply, what: &str) {
    assert_eq!(reply.status, 200, "{what}");
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"), "{what}");
    assert_eq!(
        reply.header("cross-origin-resource-policy"),
        Some("cross-origin"),
        "{what}"
    );
}

#[test]
fn widget_files_are_embeddable_from_any_origin_and_cached_by_content() {
    let app = spawn_app();
    let loader = app.call("GET", "/widget.js", Auth::Anonymous, None);
    assert_embeddable(&loader, "the loader");
    assert_eq!(loader.header("cache-control"), Some("public, max-age=300"));
    assert!(loader.content_type.contains("javascript"), "{}", loader.content_type);

    for (extension, content_type) in [(".js", "javascript"), (".wasm", "application/wasm")] {
        let path = loaded_file(&loader.text, extension);
        let hash = path
            .trim_start_matches("/widget/nimchat_widget")
            .trim_start_matches("_bg")
            .trim_end_matches(extension)
            .trim_start_matches('.');
        assert!(
            hash.len() == 12 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
            "{path} carries a content hash"
        );
        let file = app.call("GET", &path, Auth::Anonymous, None);
        assert_embeddable(&file, &path);
        assert_eq!(
            file.header("cache-control"),
            Some("public, max-age=31536000, immutable"),
            "{path}"
        );
        assert!(
            file.content_type.contains(content_type),
            "{path}: {}",
            file.content_type
        );
    }
    let unhashed = app.call("GET", "/widget/nimchat_widget.js", Auth::Anonymous, None);
    assert_eq!(unhashed.status, 404, "only the hashed names are served");
}

#[test]
fn the_loader_is_revalidated_by_its_etag() {
    let app = spawn_app();
    let first = app.call("GET", "/widget.js", Auth::Anonymous, None);
    let etag = first.header("etag").expect("the loader has an ETag").to_string();
    let again = app.call_with("GET", "/widget.js", None, &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304, "an unchanged loader is not sent again");
    assert!(again.text.is_empty());
    let stale = app.call_with("GET", "/widget.js", None, &[("If-None-Match", "\"not-this-one\"")]);
    assert_eq!(stale.status, 200);
    assert_eq!(stale.text, first.text);
}
