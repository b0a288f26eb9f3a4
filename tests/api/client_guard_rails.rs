//! Client API guard rails: rate limits, CORS, allowed origins and malformed input.

use nimchat_tests::{spawn_app, unique_ip, Auth};
use serde_json::json;

/// The widget's new conversations per address in 12 hours on this local edge (Chatwoot's 6 in
/// production; `RATE_LIMIT_WIDGET_CONVERSATIONS_PER_IP`).
const LIMIT: u32 = xtask::local_edge::LOCAL_WIDGET_CONVERSATIONS_PER_IP;

#[test]
fn a_widget_ip_opens_a_limited_number_of_conversations_per_twelve_hours() {
    let app = spawn_app();
    let account = app.create_account();
    let identifier = account.widget_inbox_identifier(app, "Site");
    let visitor = app.visitor(&identifier, json!({}));
    for _ in 0..LIMIT {
        visitor.start_conversation();
    }
    let one_more = visitor.call("POST", "/conversations", Some(json!({})));
    assert_eq!(one_more.status, 429, "{}", one_more.text);
    assert_eq!(one_more.body, json!({"error": "Too many requests"}));
    let retry_after: u64 = one_more.retry_after.expect("Retry-After").parse().unwrap();
    assert!((1..=43_200).contains(&retry_after));
    assert_eq!(
        visitor
            .call("GET", "/conversations", None)
            .body
            .as_array()
            .unwrap()
            .len(),
        LIMIT as usize
    );

    let elsewhere = app.visitor(&identifier, json!({}));
    assert_eq!(
        elsewhere.call("POST", "/conversations", Some(json!({}))).status,
        200,
        "other visitors are not affected"
    );
}

#[test]
fn an_api_inbox_is_not_held_to_the_browser_limits() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox_with(app, json!({"name": "Backend", "channel": {"type": "api"}}));
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({}));
    for _ in 0..8 {
        visitor.start_conversation();
    }
}

#[test]
fn the_two_hundred_and_first_message_in_a_minute_is_429() {
    let app = spawn_app();
    let account = app.create_account();
    let identifier = account.widget_inbox_identifier(app, "Busy");
    let visitor = app.visitor(&identifier, json!({}));
    let id = visitor.start_conversation();
    // The limit counts per clock minute; start the burst as a minute begins so it fits in one.
    let second = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        % 60;
    std::thread::sleep(std::time::Duration::from_secs(60 - second));
    let mut accepted = 0;
    for n in 0..200 {
        let reply = visitor.say(id, &format!("message {n}"));
        assert_eq!(reply.status, 200, "message {n}: {}", reply.text);
        accepted += 1;
    }
    let over = visitor.say(id, "one too many");
    assert_eq!(over.status, 429, "{}", over.text);
    assert!(over.retry_after.is_some());
    assert_eq!(accepted, 200);
    let stored = visitor.call("GET", &format!("/conversations/{id}/messages?after=0"), None);
    assert_eq!(
        stored.body.as_array().unwrap().len(),
        100,
        "the page of 100 after the first"
    );
    let last = visitor.messages(id);
    assert_eq!(
        last.last().unwrap()["content"],
        "message 199",
        "the refused message was not stored"
    );
}

#[test]
fn preflight_and_responses_carry_cors_headers() {
    let app = spawn_app();
    let account = app.create_account();
    let identifier = account.widget_inbox_identifier(app, "Site");
    let path = format!("/public/api/v1/inboxes/{identifier}/contacts");
    let origin = [
        ("Origin", "https://shop.example"),
        ("Access-Control-Request-Method", "POST"),
    ];
    let preflight = app.call_with("OPTIONS", &path, None, &origin);
    assert_eq!(preflight.status, 204);
    assert_eq!(preflight.allow_origin.as_deref(), Some("https://shop.example"));
    let created = app.call_with(
        "POST",
        &path,
        Some(json!({})),
        &[("Origin", "https://shop.example"), ("CF-Connecting-IP", &unique_ip())],
    );
    assert_eq!(created.allow_origin.as_deref(), Some("https://shop.example"));
    let missing = app.call_with(
        "GET",
        "/public/api/v1/inboxes/nope",
        None,
        &[("Origin", "https://shop.example")],
    );
    assert_eq!(
        (missing.status, missing.allow_origin.as_deref()),
        (404, Some("https://shop.example")),
        "errors are readable cross-origin"
    );
    let private = app.call("GET", &account.path("/inboxes"), account.admin.auth(), None);
    assert_eq!(private.allow_origin, None, "agent routes are not cross-origin");
}

#[test]
fn allowed_domains_are_checked_against_origin() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox_with(
        app,
        json!({"name": "Locked", "channel": {"type": "web_widget", "allowed_domains": "shop.example,*.shop.example"}}),
    );
    let identifier = inbox["inbox_identifier"].as_str().unwrap();
    let path = format!("/public/api/v1/inboxes/{identifier}/contacts");
    for (origin, status) in [
        ("https://shop.example", 200),
        ("https://eu.shop.example", 200),
        ("https://evil.example", 403),
    ] {
        let reply = app.call_with(
            "POST",
            &path,
            Some(json!({})),
            &[("Origin", origin), ("CF-Connecting-IP", &unique_ip())],
        );
        assert_eq!(reply.status, status, "{origin}: {}", reply.text);
        // The preflight grants exactly the origins the inbox allows, so a browser on another
        // site does not even send the write.
        let preflight = app.call_with(
            "OPTIONS",
            &path,
            None,
            &[("Origin", origin), ("Access-Control-Request-Method", "POST")],
        );
        let granted = (status == 200).then_some(origin);
        assert_eq!(
            (preflight.allow_origin.as_deref(), preflight.status == 204),
            (granted, status == 200),
            "preflight from {origin}"
        );
        // A page's refused read is still readable, so the widget can say why it stops.
        let inbox_read = app.call_with(
            "GET",
            &format!("/public/api/v1/inboxes/{identifier}"),
            None,
            &[("Origin", origin)],
        );
        assert_eq!(inbox_read.status, status, "{origin}");
        assert_eq!(inbox_read.allow_origin.as_deref(), Some(origin));
    }
    let server_side = app.call_with("POST", &path, Some(json!({})), &[("CF-Connecting-IP", &unique_ip())]);
    assert_eq!(
        server_side.status, 200,
        "calls without Origin are not from a browser page"
    );
}

#[test]
fn thirty_malformed_bodies_are_4xx_and_store_nothing() {
    let app = spawn_app();
    let account = app.create_account();
    let identifier = account.widget_inbox_identifier(app, "Site");
    let visitor = app.visitor(&identifier, json!({"name": "Mal"}));
    let id = visitor.start_conversation();
    let contacts = format!("/public/api/v1/inboxes/{identifier}/contacts");
    let deep = format!("{{\"content\":{}\"x\"{}}}", "[".repeat(3000), "]".repeat(3000));
    let raw: Vec<Vec<u8>> = vec![
        b"{".to_vec(),
        b"[]".to_vec(),
        b"null".to_vec(),
        b"\"content\"".to_vec(),
        b"17".to_vec(),
        vec![0xff, 0xfe, 0xfd],
        deep.into_bytes(),
        b"{\"content\": \"a\"} trailing".to_vec(),
        b"{\"content\": \"\\ud800\"}".to_vec(),
        b"{\"content\": 1e999}".to_vec(),
    ];
    let typed = vec![
        json!({"content": 12}),
        json!({"content": null}),
        json!({"content": ["hi"]}),
        json!({"content": {"text": "hi"}}),
        json!({"content": true}),
        json!({"content": 1e300}),
        json!({"content": 18446744073709551615u64}),
        json!({"content": "ok", "echo_id": ["x"]}),
        json!({"content": "ok", "echo_id": "x".repeat(300)}),
        json!({"content": ""}),
    ];
    let contact_bodies = vec![
        json!({"email": 5}),
        json!({"email": ["a@b.co"]}),
        json!({"name": {"first": "A"}}),
        json!({"phone_number": 14155550100u64}),
        json!({"custom_attributes": [1, 2]}),
        json!({"source_id": 99}),
        json!({"identifier": {"id": 1}}),
        json!({"identifier_hash": 1}),
        json!({"avatar_url": 3}),
        json!({"name": "x".repeat(256)}),
    ];
    let messages = format!("/conversations/{id}/messages");
    let mut statuses = Vec::new();
    for body in raw {
        statuses.push(("raw", visitor_send(app, &visitor, &messages, body)));
    }
    for body in typed {
        statuses.push(("typed", visitor.call("POST", &messages, Some(body)).status));
    }
    for body in contact_bodies {
        let reply = app.call_with("POST", &contacts, Some(body), &[("CF-Connecting-IP", &unique_ip())]);
        assert!(reply.body.is_object(), "a JSON error: {}", reply.text);
        statuses.push(("contact", reply.status));
    }
    assert_eq!(statuses.len(), 30);
    for (kind, status) in &statuses {
        assert!((400..500).contains(status), "{kind}: {status}");
    }
    assert_eq!(
        visitor.messages(id),
        Vec::<serde_json::Value>::new(),
        "no message was stored"
    );
    assert_eq!(visitor.call("GET", "", None).body["name"], "Mal");
}

fn visitor_send(app: &nimchat_tests::TestApp, visitor: &nimchat_tests::TestVisitor, path: &str, body: Vec<u8>) -> u16 {
    let full = format!(
        "/public/api/v1/inboxes/{}/contacts/{}{path}",
        visitor.inbox_identifier, visitor.source_id
    );
    let reply = app.send("POST", &full, Auth::Anonymous, Some(body), "application/json");
    assert!(reply.body.is_object(), "a JSON error: {}", reply.text);
    reply.status
}
