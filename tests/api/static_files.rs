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

/// A file of the widget's directory named by content: embeddable, of `content_type`, kept
/// for a year. Answers its text.
fn assert_cached_by_content(app: &nimchat_tests::TestApp, path: &str, content_type: &str) -> String {
    let file = app.call("GET", path, Auth::Anonymous, None);
    assert_embeddable(&file, path);
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
    file.text
}

#[test]
fn widget_files_are_embeddable_from_any_origin_and_cached_by_content() {
    let app = spawn_app();
    let loader = app.call("GET", "/widget.js", Auth::Anonymous, None);
    assert_embeddable(&loader, "the loader");
    assert_eq!(loader.header("cache-control"), Some("public, max-age=300"));
    assert!(loader.content_type.contains("javascript"), "{}", loader.content_type);

    let module = loaded_file(&loader.text, ".js");
    let (directory, _) = module.rsplit_once('/').unwrap();
    let hash = directory.trim_start_matches("/widget/");
    assert!(
        hash.len() == 12 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "{module} is in a directory named by content"
    );
    assert_eq!(
        loaded_file(&loader.text, ".wasm"),
        format!("{directory}/nimchat_widget_bg.wasm")
    );
    assert_cached_by_content(app, &module, "javascript");
    assert_cached_by_content(app, &format!("{directory}/nimchat_widget_bg.wasm"), "application/wasm");
    // The parts few visitors meet, in chunks the module's chunk loader fetches beside it.
    let chunk_loader = assert_cached_by_content(app, &format!("{directory}/__wasm_split.js"), "javascript");
    let chunk = chunk_loader
        .split('"')
        .find(|part| part.starts_with("./split_") && part.ends_with(".wasm"))
        .expect("the chunk loader names a chunk");
    assert_cached_by_content(app, &format!("{directory}/{}", &chunk[2..]), "application/wasm");

    for unnamed in ["/widget/nimchat_widget.js", "/widget/__wasm_split.js"] {
        let file = app.call("GET", unnamed, Auth::Anonymous, None);
        assert_eq!(
            file.status, 404,
            "only the files named by content are served: {unnamed}"
        );
    }
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
