//! Bodies that are not what a route needs get a 400 JSON error and change nothing.

use nimchat_tests::{spawn_app, Auth};
use serde_json::json;

fn bad_bodies() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("truncated", b"{\"name\": \"x\"".to_vec()),
        ("not json", b"name=x&y".to_vec()),
        ("an array", b"[{\"name\": \"x\"}]".to_vec()),
        ("a string", b"\"name\"".to_vec()),
        ("a number", b"42".to_vec()),
        ("invalid UTF-8", vec![b'{', b'"', 0xff, 0xfe, b'"', b':', b'1', b'}']),
        (
            "deep nesting",
            format!("{{\"name\":{}1{}}}", "[".repeat(5000), "]".repeat(5000)).into_bytes(),
        ),
        ("trailing garbage", b"{\"name\": \"x\"} {}".to_vec()),
    ]
}

#[test]
fn malformed_platform_bodies_are_400_and_create_nothing() {
    let app = spawn_app();
    let token = app.platform_token.clone();
    for (what, body) in bad_bodies() {
        let reply = app.send(
            "POST",
            "/platform/api/v1/users",
            Auth::Chatwoot(&token),
            Some(body),
            "application/json",
        );
        assert_eq!(reply.status, 400, "{what}: {}", reply.text);
        assert!(reply.content_type.starts_with("application/json"), "{what}");
        assert!(reply.body["error"].is_string(), "{what}: {}", reply.text);
    }
}

#[test]
fn malformed_application_bodies_are_400_and_change_nothing() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox(app, "Stable");
    let inbox_path = account.path(&format!("/inboxes/{}", inbox["id"]));
    for (what, body) in bad_bodies() {
        for (method, path) in [("POST", account.path("/inboxes")), ("PATCH", inbox_path.clone())] {
            let reply = app.send(
                method,
                &path,
                account.admin.auth(),
                Some(body.clone()),
                "application/json",
            );
            assert_eq!(reply.status, 400, "{what} {method} {path}: {}", reply.text);
        }
    }
    let listed = app.call("GET", &account.path("/inboxes"), account.admin.auth(), None);
    assert_eq!(listed.body["payload"].as_array().unwrap().len(), 1);
    assert_eq!(listed.body["payload"][0]["name"], "Stable");
}

#[test]
fn unknown_routes_are_json_404s() {
    let app = spawn_app();
    for path in [
        "/nope",
        "/api/v1/accounts/abc/inboxes",
        "/platform/api/v1/accounts/-1",
        "/platform/api/v1/teapots",
    ] {
        let reply = app.call("GET", path, Auth::Chatwoot(&app.platform_token), None);
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.body, json!({"error": "Resource could not be found"}), "{path}");
    }
}

#[test]
fn oversized_bodies_are_rejected() {
    let app = spawn_app();
    let body = format!("{{\"name\": \"{}\"}}", "x".repeat(2 << 20)).into_bytes();
    let reply = app.send(
        "POST",
        "/platform/api/v1/accounts",
        Auth::Chatwoot(&app.platform_token),
        Some(body),
        "application/json",
    );
    assert_eq!(reply.status, 413);
    assert_eq!(reply.body, json!({"error": "Body is too large"}));
}
