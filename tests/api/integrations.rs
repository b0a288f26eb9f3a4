//! Integrations (contract 7.6): the `webhook` app, whose hooks are webhooks.

use std::time::Duration;

use nimchat_tests::spawn_app;
use nimchat_tests::webhook_receiver::{Behaviour, Receiver};
use serde_json::{json, Value};

use crate::webhooks::assert_signed;

#[test]
fn webhook_hooks_are_webhooks_seen_from_the_integrations_side() {
    let app = spawn_app();
    let account = app.create_account();
    let other = app.create_account();
    let inbox = account.create_inbox(app, "Shop");
    let foreign_inbox = other.create_inbox(app, "Theirs");
    let apps = account.admin_call(app, "GET", "/integrations/apps", None);
    assert_eq!(apps.status, 200, "{}", apps.text);
    assert_eq!(
        apps.body["payload"].as_array().map(Vec::len),
        Some(1),
        "only what nimchat has"
    );
    let webhook_app = &apps.body["payload"][0];
    assert_eq!(
        (webhook_app["id"].clone(), webhook_app["enabled"].clone()),
        (json!("webhook"), json!(false))
    );
    assert_eq!(webhook_app["allow_multiple_hooks"], true);

    let receiver = Receiver::start(Behaviour::default());
    let created = account.admin_call(
        app,
        "POST",
        "/integrations/hooks",
        Some(json!({"app_id": "webhook", "status": false,
                    "settings": {"url": receiver.url, "subscriptions": ["message_created"], "name": "CRM"}})),
    );
    assert_eq!(created.status, 200, "{}", created.text);
    assert_eq!(created.body["app_id"], "webhook");
    assert_eq!(created.body["hook_type"], "account");
    assert_eq!(created.body["status"], true, "a status sent is ignored");
    assert_eq!(created.body["settings"]["subscriptions"], json!(["message_created"]));
    let secret = created.body["secret"].as_str().expect("a secret").to_string();
    let hook_path = format!("/integrations/hooks/{}", created.body["id"]);

    // The hook is the webhook of 7.1.
    let webhook = account.admin_call(app, "GET", &format!("/webhooks/{}", created.body["id"]), None);
    assert_eq!(webhook.status, 200);
    assert_eq!(webhook.body["url"], receiver.url.as_str());
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({"name": "Ines"}));
    let conversation = visitor.start_conversation();
    assert_eq!(visitor.say(conversation, "hello hooks").status, 200);
    let heard = receiver.events("message_created", 1, Duration::from_secs(20));
    assert_eq!(heard.len(), 1);
    assert_signed(&heard[0], &secret);

    let listed = account.admin_call(app, "GET", "/integrations/apps", None);
    assert_eq!(listed.body["payload"][0]["enabled"], true);
    let hooks = listed.body["payload"][0]["hooks"].as_array().expect("hooks").clone();
    assert_eq!(hooks.len(), 1);
    assert!(hooks[0].get("secret").is_none());
    let by_agent = app.call("GET", &account.path("/integrations/apps"), account.agent.auth(), None);
    assert_eq!(by_agent.status, 200);
    assert_eq!(
        by_agent.body["payload"][0]["hooks"],
        json!([]),
        "webhooks are for administrators"
    );

    let patched = account.admin_call(
        app,
        "PATCH",
        &hook_path,
        Some(json!({"settings": {"name": "CRM 2"}, "inbox_id": inbox["id"], "status": false})),
    );
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(patched.body["settings"]["name"], "CRM 2");
    assert_eq!(
        patched.body["settings"]["url"],
        receiver.url.as_str(),
        "settings not sent stay"
    );
    assert_eq!(patched.body["hook_type"], "inbox");
    assert!(patched.body.get("secret").is_none());

    let refused = [
        (
            json!({"settings": {"url": "https://x.example.com/", "subscriptions": ["message_created"]}}),
            "app_id",
        ),
        (
            json!({"app_id": "slack", "settings": {"url": "https://x.example.com/", "subscriptions": ["message_created"]}}),
            "app_id",
        ),
        (json!({"app_id": "webhook"}), "settings"),
        (
            json!({"app_id": "webhook", "settings": "https://x.example.com/"}),
            "settings",
        ),
        (
            json!({"app_id": "webhook", "settings": {"url": "ftp://x.example.com/", "subscriptions": ["message_created"]}}),
            "settings",
        ),
        (
            json!({"app_id": "webhook", "settings": {"url": "https://x.example.com/", "subscriptions": ["inbox_created"]}}),
            "settings",
        ),
        (
            json!({"app_id": "webhook", "settings": {"url": "https://x.example.com/"}}),
            "settings",
        ),
        (
            json!({"app_id": "webhook", "inbox_id": foreign_inbox["id"],
                "settings": {"url": "https://x.example.com/", "subscriptions": ["message_created"]}}),
            "inbox_id",
        ),
    ];
    for (body, field) in refused {
        let reply = account.admin_call(app, "POST", "/integrations/hooks", Some(body.clone()));
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert!(reply.text.contains(field), "{body} should name {field}: {}", reply.text);
    }
    let bad_patch = account.admin_call(
        app,
        "PATCH",
        &hook_path,
        Some(json!({"settings": {"subscriptions": []}})),
    );
    assert_eq!(bad_patch.status, 422);
    assert_eq!(
        account
            .admin_call(app, "GET", "/webhooks", None)
            .body
            .as_array()
            .map(Vec::len),
        Some(1),
        "nothing added"
    );
    let agent_post = app.call(
        "POST",
        &account.path("/integrations/hooks"),
        account.agent.auth(),
        Some(json!({"app_id": "webhook", "settings": {"url": "https://x.example.com/", "subscriptions": ["message_created"]}})),
    );
    assert_eq!(agent_post.status, 403);
    assert_eq!(
        app.call("DELETE", &other.path(&hook_path), other.admin.auth(), None)
            .status,
        404
    );
    assert_eq!(
        account
            .admin_call(app, "PATCH", "/integrations/hooks/999999999", Some(json!({})))
            .status,
        404
    );

    assert_eq!(account.admin_call(app, "DELETE", &hook_path, None).status, 200);
    let after = account.admin_call(app, "GET", "/integrations/apps", None);
    assert_eq!(after.body["payload"][0]["hooks"], Value::Array(Vec::new()));
    assert_eq!(after.body["payload"][0]["enabled"], false);
}
