//! Application API: who may call what. Every route answers 401 without a credential, 404 to
//! a user of another account, and 403 to an agent where administrators alone may act.

use nimchat_tests::{spawn_app, unique, Auth};
use serde_json::{json, Value};

/// (method, path, administrators only); `{x}` names the fixtures made below.
const ROUTES: &[(&str, &str, bool)] = &[
    ("GET", "", false),
    ("PATCH", "", true),
    ("GET", "/contacts", false),
    ("POST", "/contacts", false),
    ("GET", "/contacts/search?q=a", false),
    ("POST", "/contacts/filter", false),
    ("GET", "/contacts/{contact}", false),
    ("PATCH", "/contacts/{contact}", false),
    ("DELETE", "/contacts/{contact}", true),
    ("GET", "/contacts/{contact}/conversations", false),
    ("GET", "/contacts/{contact}/labels", false),
    ("POST", "/contacts/{contact}/labels", false),
    ("GET", "/conversations", false),
    ("POST", "/conversations", false),
    ("GET", "/conversations/meta", false),
    ("POST", "/conversations/filter", false),
    ("GET", "/conversations/{conversation}", false),
    ("POST", "/conversations/{conversation}/toggle_priority", false),
    ("POST", "/conversations/{conversation}/assignments", false),
    ("GET", "/conversations/{conversation}/labels", false),
    ("POST", "/conversations/{conversation}/labels", false),
    ("POST", "/conversations/{conversation}/custom_attributes", false),
    ("DELETE", "/conversations/{conversation}/messages/{message}", false),
    ("GET", "/teams", false),
    ("POST", "/teams", true),
    ("GET", "/teams/{team}", false),
    ("PATCH", "/teams/{team}", true),
    ("DELETE", "/teams/{team}", true),
    ("GET", "/teams/{team}/team_members", false),
    ("POST", "/teams/{team}/team_members", true),
    ("PATCH", "/teams/{team}/team_members", true),
    ("DELETE", "/teams/{team}/team_members", true),
    ("GET", "/labels", false),
    ("POST", "/labels", true),
    ("GET", "/labels/{label}", false),
    ("PATCH", "/labels/{label}", true),
    ("DELETE", "/labels/{label}", true),
    ("GET", "/canned_responses", false),
    ("POST", "/canned_responses", false),
    ("PATCH", "/canned_responses/{canned}", false),
    ("DELETE", "/canned_responses/{canned}", false),
    ("GET", "/custom_attribute_definitions", false),
    ("POST", "/custom_attribute_definitions", true),
    ("GET", "/custom_attribute_definitions/{definition}", false),
    ("PATCH", "/custom_attribute_definitions/{definition}", true),
    ("DELETE", "/custom_attribute_definitions/{definition}", true),
    ("GET", "/custom_filters", false),
    ("POST", "/custom_filters", false),
];

#[test]
fn every_route_checks_credential_tenant_and_role() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox(app, "Access");
    account.add_inbox_members(app, &inbox, &[account.agent.id]);
    let id = |reply: nimchat_tests::Reply| -> String {
        assert_eq!(reply.status, 200, "fixture: {}", reply.text);
        reply.body["id"].to_string()
    };
    let contact = account.admin_call(
        app,
        "POST",
        "/contacts",
        Some(json!({"inbox_id": inbox["id"], "email": format!("access{}@x.test", unique())})),
    );
    let contact_id = contact.body["payload"]["contact"]["id"].to_string();
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({}));
    let conversation = visitor.start_conversation();
    let message = id(visitor.say(conversation, "hello"));
    let fixtures: [(&str, String); 7] = [
        ("{contact}", contact_id),
        ("{conversation}", conversation.to_string()),
        ("{message}", message),
        (
            "{team}",
            id(account.admin_call(app, "POST", "/teams", Some(json!({"name": "A"})))),
        ),
        (
            "{label}",
            id(account.admin_call(app, "POST", "/labels", Some(json!({"title": "a"})))),
        ),
        (
            "{canned}",
            id(account.admin_call(
                app,
                "POST",
                "/canned_responses",
                Some(json!({"short_code": "a", "content": "b"})),
            )),
        ),
        (
            "{definition}",
            id(account.admin_call(
                app,
                "POST",
                "/custom_attribute_definitions",
                Some(json!({"attribute_display_name": "A", "attribute_key": "a", "attribute_model": 1})),
            )),
        ),
    ];
    let other = app.create_account();
    for (method, template, administrators_only) in ROUTES {
        let mut path = template.to_string();
        for (name, value) in &fixtures {
            path = path.replace(name, value);
        }
        let full = account.path(&path);
        let body = Some(Value::Object(Default::default()));
        let anonymous = app.call(method, &full, Auth::Anonymous, body.clone());
        assert_eq!(
            anonymous.status, 401,
            "{method} {path} without a token: {}",
            anonymous.text
        );
        let stranger = app.call(method, &full, other.admin.auth(), body.clone());
        assert_eq!(
            stranger.status, 404,
            "{method} {path} by another account: {}",
            stranger.text
        );
        if *administrators_only {
            let agent = app.call(method, &full, account.agent.auth(), body);
            assert_eq!(agent.status, 403, "{method} {path} by an agent: {}", agent.text);
        }
    }
}
