//! Request bodies as Chatwoot's clients send them (issue 15): JSON, urlencoded forms with
//! Rails' brackets, and multipart forms (with objects as JSON strings), on Application and
//! Client API writes; anything else is a clear 4xx and writes nothing.

use nimchat_tests::{spawn_app, Auth, Multipart, Reply, TestAccount, TestApp};
use serde_json::{json, Value};

/// A multipart body of text fields.
fn multipart(fields: &[(&str, &str)]) -> Vec<u8> {
    fields
        .iter()
        .fold(Multipart::new(), |form, (name, value)| form.text(name, value))
        .finish()
}

/// A conversation of a visitor in a web-widget inbox of the account; answers its id and the
/// Client API path of its messages.
fn conversation(app: &TestApp, account: &TestAccount) -> (i64, String) {
    let identifier = account.widget_inbox_identifier(app, "Forms");
    let visitor = app.visitor(&identifier, json!({"name": "Fran"}));
    let id = visitor.start_conversation();
    let path = format!(
        "/public/api/v1/inboxes/{identifier}/contacts/{}/conversations/{id}/messages",
        visitor.source_id
    );
    (id, path)
}

fn agent_messages(app: &TestApp, account: &TestAccount, conversation: i64) -> Vec<Value> {
    let listed = account.admin_call(app, "GET", &format!("/conversations/{conversation}/messages"), None);
    listed.body["payload"].as_array().unwrap().clone()
}

fn post(app: &TestApp, account: &TestAccount, conversation: i64, body: Vec<u8>, content_type: &str) -> Reply {
    let path = account.path(&format!("/conversations/{conversation}/messages"));
    app.send("POST", &path, account.admin.auth(), Some(body), content_type)
}

#[test]
fn an_agent_replies_with_a_multipart_body_as_chatwoots_sdk_sends_it() {
    let app = spawn_app();
    let account = app.create_account();
    let (conversation, _) = conversation(app, &account);
    let body = multipart(&[
        ("content", "Your order {#42} ships today"),
        ("message_type", "outgoing"),
        ("private", "false"),
        ("content_attributes", r#"{"ref": "A-1", "items": [1, 2]}"#),
        ("echo_id", "sdk-1"),
    ]);
    let reply = post(app, &account, conversation, body, &Multipart::content_type());
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["content"], "Your order {#42} ships today");
    assert_eq!(reply.body["private"], false);
    assert_eq!(reply.body["content_attributes"], json!({"ref": "A-1", "items": [1, 2]}));
    assert_eq!(reply.body["echo_id"], "sdk-1");
}

#[test]
fn urlencoded_bodies_nest_rails_brackets() {
    let app = spawn_app();
    let account = app.create_account();
    let (conversation, _) = conversation(app, &account);
    let body = "content=Checked%20the%20stock&private=1&content_attributes%5Bref%5D=B-2&content_attributes%5Bwhere%5D%5Bshelf%5D=7";
    let reply = post(
        app,
        &account,
        conversation,
        body.as_bytes().to_vec(),
        "application/x-www-form-urlencoded",
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["private"], true);
    assert_eq!(
        reply.body["content_attributes"],
        json!({"ref": "B-2", "where": {"shelf": "7"}})
    );

    // Labels as a bracketed list, on another write route.
    let labels = account.path(&format!("/conversations/{conversation}/labels"));
    let labelled = app.send(
        "POST",
        &labels,
        account.admin.auth(),
        Some(b"labels[]=vip&labels[]=returns".to_vec()),
        "application/x-www-form-urlencoded",
    );
    assert_eq!(labelled.status, 200, "{}", labelled.text);
    assert_eq!(labelled.body["payload"], json!(["returns", "vip"]));
}

#[test]
fn a_visitor_writes_with_a_multipart_body() {
    let app = spawn_app();
    let account = app.create_account();
    let (conversation, path) = conversation(app, &account);
    let body = multipart(&[("content", "Sent from a form"), ("echo_id", "v-1")]);
    let reply = app.send("POST", &path, Auth::Anonymous, Some(body), &Multipart::content_type());
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["content"], "Sent from a form");
    let stored = agent_messages(app, &account, conversation);
    assert!(stored.iter().any(|message| message["content"] == "Sent from a form"));
}

#[test]
fn other_media_types_malformed_forms_and_files_are_4xx_and_write_nothing() {
    let app = spawn_app();
    let account = app.create_account();
    let (conversation, _) = conversation(app, &account);
    let before = agent_messages(app, &account, conversation).len();
    let truncated = {
        let mut body = multipart(&[("content", "cut")]);
        body.truncate(body.len() - 10);
        body
    };
    let cases: Vec<(&str, Vec<u8>, String, u16)> = vec![
        ("plain text", b"content=hi".to_vec(), "text/plain".into(), 415),
        ("xml", b"<message>hi</message>".to_vec(), "application/xml".into(), 415),
        ("truncated multipart", truncated, Multipart::content_type(), 400),
        (
            "wrong boundary",
            multipart(&[("content", "x")]),
            "multipart/form-data; boundary=other".into(),
            400,
        ),
        (
            "a file in a field that takes none",
            Multipart::new()
                .text("content", "with a file")
                .file("document", "note.txt", "text/plain", b"hello")
                .finish(),
            Multipart::content_type(),
            422,
        ),
        (
            "clashing brackets",
            b"content=x&content_attributes=1&content_attributes%5Ba%5D=2".to_vec(),
            "application/x-www-form-urlencoded".into(),
            400,
        ),
        (
            "an object that is not JSON",
            multipart(&[("content", "x"), ("content_attributes", "{not json")]),
            Multipart::content_type(),
            422,
        ),
    ];
    for (what, body, content_type, status) in cases {
        let reply = post(app, &account, conversation, body, &content_type);
        assert_eq!(reply.status, status, "{what}: {}", reply.text);
        assert!(reply.content_type.starts_with("application/json"), "{what}");
    }
    assert_eq!(
        agent_messages(app, &account, conversation).len(),
        before,
        "nothing written"
    );
}
