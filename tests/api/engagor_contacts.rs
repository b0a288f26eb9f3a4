//! Engagor's contact routes (contract 5.2): a contact named by service and service id, or by
//! id, read and updated with the edit modes for tags and custom attributes.

use nimchat_tests::cable::agent_cable;
use nimchat_tests::{spawn_app, urlencode, Auth, Reply, TestAccount, TestApp};
use serde_json::{json, Value};

/// `/{account_id}/inbox/contact/{rest}` with Engagor's `?access_token=`.
fn contact_path(account: &TestAccount, rest: &str) -> String {
    format!("/{}/inbox/contact/{rest}", account.id)
}

/// POSTs `updates` and `options` as Engagor's clients do: form fields holding JSON.
fn post_form(app: &TestApp, account: &TestAccount, rest: &str, updates: Value, options: Value) -> Reply {
    let body = format!(
        "updates={}&options={}",
        urlencode(&updates.to_string()),
        urlencode(&options.to_string())
    );
    app.send(
        "POST",
        &contact_path(account, rest),
        Auth::Query(&account.agent.token),
        Some(body.into_bytes()),
        "application/x-www-form-urlencoded",
    )
}

/// The same as a JSON body.
fn post_json(app: &TestApp, account: &TestAccount, rest: &str, body: Value) -> Reply {
    app.call(
        "POST",
        &contact_path(account, rest),
        Auth::Query(&account.agent.token),
        Some(body),
    )
}

/// An account whose web-widget inbox has one visitor; answers the `livechat/{source_id}` path
/// part and the contact id.
fn visitor_contact(app: &TestApp, account: &TestAccount) -> (String, i64) {
    let identifier = account.widget_inbox_identifier(app, "Chat");
    let visitor = app.visitor(&identifier, json!({"name": "Nora"}));
    (format!("livechat/{}", visitor.source_id), visitor.contact_id)
}

#[test]
fn a_contact_is_found_by_service_and_by_id() {
    let app = spawn_app();
    let account = app.create_account();
    let (by_service, contact_id) = visitor_contact(app, &account);
    let source_id = by_service.trim_start_matches("livechat/");
    let read = app.call(
        "GET",
        &contact_path(&account, &by_service),
        Auth::Query(&account.agent.token),
        None,
    );
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.body["id"], contact_id);
    assert_eq!(read.body["name"], "Nora");
    assert_eq!(read.body["tags"], json!([]));
    assert_eq!(
        read.body["socialprofiles"],
        json!([{"type": "livechat", "service_id": source_id}])
    );
    let by_id = app.call(
        "GET",
        &contact_path(&account, &format!("{contact_id}?topic_ids=1,2")),
        account.agent.auth(),
        None,
    );
    assert_eq!(by_id.status, 200, "{}", by_id.text);
    assert_eq!(by_id.body, read.body);

    // An API inbox's contact is the `api` service.
    let api_inbox = account.create_inbox_with(app, json!({"name": "Bot API", "channel": {"type": "api"}}));
    let api_visitor = app.visitor(api_inbox["inbox_identifier"].as_str().unwrap(), json!({"name": "Otto"}));
    let api_path = contact_path(&account, &format!("api/{}", api_visitor.source_id));
    assert_eq!(
        app.call("GET", &api_path, account.agent.auth(), None).body["name"],
        "Otto"
    );

    for missing in [
        format!("api/{source_id}"),
        format!("twitter/{source_id}"),
        "livechat/no-such-visitor".to_string(),
        "999999999".to_string(),
        "abc".to_string(),
    ] {
        let reply = app.call("GET", &contact_path(&account, &missing), account.agent.auth(), None);
        assert_eq!(reply.status, 404, "{missing}: {}", reply.text);
    }
    let other = app.create_account();
    let foreign = app.call("GET", &contact_path(&account, &by_service), other.admin.auth(), None);
    assert_eq!(foreign.status, 404, "another tenant's contact is invisible");
    let theirs = app.call(
        "GET",
        &format!("/{}/inbox/contact/{by_service}", other.id),
        other.admin.auth(),
        None,
    );
    assert_eq!(theirs.status, 404, "a source id of another account names nothing here");
    let anonymous = app.call("GET", &contact_path(&account, &by_service), Auth::Anonymous, None);
    assert_eq!(anonymous.status, 401);
}

#[test]
fn every_tag_edit_mode_does_its_own_thing() {
    let app = spawn_app();
    let account = app.create_account();
    let (path, _) = visitor_contact(app, &account);
    let mut agent = agent_cable(app, &account, &account.agent);
    // Tags are listed in alphabetical order, as labels are.
    let steps = [
        (json!(["VIP", "eu"]), json!({}), json!(["eu", "vip"])),
        (
            json!(["eu", "new"]),
            json!({"tags_edit_mode": "add"}),
            json!(["eu", "new", "vip"]),
        ),
        (
            json!(["eu"]),
            json!({"tags_edit_mode": "delete"}),
            json!(["new", "vip"]),
        ),
        (json!(["solo"]), json!({"tags_edit_mode": "update"}), json!(["solo"])),
    ];
    for (tags, options, expected) in steps {
        let reply = post_form(app, &account, &path, json!({ "tags": tags }), options.clone());
        assert_eq!(reply.status, 200, "{options}: {}", reply.text);
        assert_eq!(reply.body["tags"], expected, "{options}");
    }
    let event = agent.wait_for("contact.updated", |data| data["tags"] == json!(["solo"]));
    assert_eq!(event["name"], "Nora");
    let labels = account.admin_call(app, "GET", &format!("/contacts/{}/labels", event["id"]), None);
    assert_eq!(labels.body["payload"], json!(["solo"]), "tags are the contact's labels");
}

#[test]
fn every_custom_attribute_edit_mode_does_its_own_thing() {
    let app = spawn_app();
    let account = app.create_account();
    let (path, contact_id) = visitor_contact(app, &account);
    let steps = [
        (
            json!({"plan": "free", "seats": 3}),
            json!({}),
            json!({"plan": "free", "seats": 3}),
        ),
        (
            json!({"plan": "pro", "region": "eu"}),
            json!({"customattributes_edit_mode": "update"}),
            json!({"plan": "pro", "seats": 3, "region": "eu"}),
        ),
        (
            json!({"tier": "gold", "seats": 5}),
            json!({"customattributes_edit_mode": "overwrite"}),
            json!({"tier": "gold", "seats": 5}),
        ),
        (
            json!(["tier"]),
            json!({"customattributes_edit_mode": "delete"}),
            json!({"seats": 5}),
        ),
        (
            json!({"seats": null}),
            json!({"customattributes_edit_mode": "delete"}),
            json!({}),
        ),
    ];
    for (attributes, options, expected) in steps {
        // Plain JSON objects this time, which the routes take as well.
        let body = json!({"updates": {"custom_attributes": attributes}, "options": options});
        let reply = post_json(app, &account, &path, body);
        assert_eq!(reply.status, 200, "{options}: {}", reply.text);
        assert_eq!(reply.body["custom_attributes"], expected, "{options}");
    }
    let renamed = post_form(
        app,
        &account,
        &contact_id.to_string(),
        json!({"name": "Nora Quinn", "email": "nora@example.test"}),
        json!({}),
    );
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(
        (renamed.body["name"].clone(), renamed.body["email"].clone()),
        (json!("Nora Quinn"), json!("nora@example.test"))
    );
}

#[test]
fn invalid_updates_are_422_and_change_nothing() {
    let app = spawn_app();
    let account = app.create_account();
    let (path, _) = visitor_contact(app, &account);
    let seeded = post_json(
        app,
        &account,
        &path,
        json!({"updates": {"tags": ["keep"], "custom_attributes": {"plan": "free"}}}),
    );
    assert_eq!(seeded.status, 200, "{}", seeded.text);
    let before = app
        .call("GET", &contact_path(&account, &path), account.agent.auth(), None)
        .body;
    let with_tags = |extra: Value| {
        let mut updates = json!({"tags": ["lost"], "custom_attributes": {"plan": "gone"}, "name": "Changed"});
        updates
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        updates
    };
    for (updates, options, field) in [
        (
            with_tags(json!({"socialprofiles": [{"type": "livechat"}]})),
            json!({}),
            "socialprofiles",
        ),
        (
            with_tags(json!({})),
            json!({"tags_edit_mode": "replace"}),
            "tags_edit_mode",
        ),
        (
            with_tags(json!({})),
            json!({"customattributes_edit_mode": "merge"}),
            "customattributes_edit_mode",
        ),
        (with_tags(json!({"email": "not an email"})), json!({}), "email"),
        (with_tags(json!({"tags": ["not a tag!"]})), json!({}), "tags"),
        (
            with_tags(json!({"custom_attributes": ["plan"]})),
            json!({}),
            "custom_attributes",
        ),
    ] {
        let reply = post_form(app, &account, &path, updates, options);
        assert_eq!(reply.status, 422, "{field}: {}", reply.text);
        assert_eq!(reply.body["attributes"], json!([field]), "{}", reply.text);
    }
    for body in [json!({}), json!({"updates": "not json"}), json!({"updates": "[1, 2]"})] {
        let reply = post_json(app, &account, &path, body.clone());
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.body["attributes"], json!(["updates"]));
    }
    let after = app
        .call("GET", &contact_path(&account, &path), account.agent.auth(), None)
        .body;
    assert_eq!(after, before, "nothing changed");
}
