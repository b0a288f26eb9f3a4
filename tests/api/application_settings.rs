//! Application API: the account and its working tools: teams, labels, canned responses,
//! custom attribute definitions and saved filters (seed "Account", "Teams", "Labels",
//! "Canned Responses", "Custom Attributes", "Custom Filters").

use nimchat_tests::{spawn_app, unique, Auth};
use serde_json::{json, Value};

#[test]
fn members_read_the_account_and_administrators_change_it() {
    let app = spawn_app();
    let account = app.create_account();
    let shown = app.call("GET", &account.path(""), account.agent.auth(), None);
    assert_eq!(shown.status, 200, "{}", shown.text);
    assert_eq!(shown.body["id"], account.id);
    let by_agent = app.call(
        "PATCH",
        &account.path(""),
        account.agent.auth(),
        Some(json!({"name": "Mine"})),
    );
    assert_eq!(by_agent.status, 403, "{}", by_agent.text);
    let renamed = account.admin_call(
        app,
        "PATCH",
        "",
        Some(json!({"name": "Renamed", "locale": "fr", "status": "suspended"})),
    );
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(renamed.body["name"], "Renamed");
    assert_eq!(renamed.body["locale"], "fr");
    assert_eq!(
        renamed.body["status"], "active",
        "suspension is the platform's business"
    );
    assert_eq!(
        account
            .admin_call(app, "PATCH", "", Some(json!({"support_email": "nope"})))
            .status,
        422
    );
    assert_eq!(app.call("GET", &account.path(""), Auth::Anonymous, None).status, 401);
    let other = app.create_account();
    assert_eq!(app.call("GET", &account.path(""), other.admin.auth(), None).status, 404);
}

#[test]
fn teams_and_their_members() {
    let app = spawn_app();
    let account = app.create_account();
    let created = account.admin_call(
        app,
        "POST",
        "/teams",
        Some(json!({"name": "Support", "description": "Front line"})),
    );
    assert_eq!(created.status, 200, "{}", created.text);
    assert_eq!(created.body["allow_auto_assign"], true);
    assert_eq!(created.body["is_member"], false);
    let id = created.body["id"].as_i64().unwrap();
    let path = format!("/teams/{id}");
    assert_eq!(
        account
            .admin_call(app, "POST", "/teams", Some(json!({"name": "Support"})))
            .status,
        422,
        "names are unique"
    );
    assert_eq!(
        account
            .admin_call(app, "POST", "/teams", Some(json!({"description": "no name"})))
            .status,
        422
    );
    assert_eq!(
        app.call(
            "POST",
            &account.path("/teams"),
            account.agent.auth(),
            Some(json!({"name": "Rogue"}))
        )
        .status,
        403
    );

    let members = format!("{path}/team_members");
    let second = account.add_agent(app, "Sam Second", "available");
    let added = account.admin_call(
        app,
        "POST",
        &members,
        Some(json!({"user_ids": [account.agent.id, second]})),
    );
    assert_eq!(added.status, 200, "{}", added.text);
    assert_eq!(added.body.as_array().unwrap().len(), 2);
    let replaced = account.admin_call(app, "PATCH", &members, Some(json!({"user_ids": [second]})));
    assert_eq!(
        replaced
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|agent| agent["id"].clone())
            .collect::<Vec<_>>(),
        [json!(second)]
    );
    let removed = account.admin_call(app, "DELETE", &members, Some(json!({"user_ids": [second]})));
    assert_eq!(removed.body, json!([]));
    let stranger = app.create_account();
    assert_eq!(
        account
            .admin_call(app, "POST", &members, Some(json!({"user_ids": [stranger.agent.id]})))
            .status,
        422
    );
    assert_eq!(
        app.call(
            "POST",
            &account.path(&members),
            account.agent.auth(),
            Some(json!({"user_ids": [second]}))
        )
        .status,
        403
    );
    account.admin_call(app, "POST", &members, Some(json!({"user_ids": [account.agent.id]})));

    let listed = app.call("GET", &account.path("/teams"), account.agent.auth(), None);
    assert_eq!(listed.status, 200, "agents read teams: {}", listed.text);
    assert_eq!(listed.body[0]["is_member"], true);
    let updated = account.admin_call(
        app,
        "PATCH",
        &path,
        Some(json!({"allow_auto_assign": false, "name": ""})),
    );
    assert_eq!(updated.body["allow_auto_assign"], false);
    assert_eq!(updated.body["name"], "Support");
    assert_eq!(
        account
            .admin_call(app, "PATCH", &path, Some(json!({"allow_auto_assign": "yes"})))
            .status,
        422
    );
    assert_eq!(stranger.admin_call(app, "GET", &path, None).status, 404);
    assert_eq!(account.admin_call(app, "DELETE", &path, None).status, 200);
    assert_eq!(account.admin_call(app, "GET", &path, None).status, 404);
}

#[test]
fn labels_are_managed_by_administrators() {
    let app = spawn_app();
    let account = app.create_account();
    let created = account.admin_call(
        app,
        "POST",
        "/labels",
        Some(json!({"title": "Billing", "color": "#ff0000"})),
    );
    assert_eq!(created.status, 200, "{}", created.text);
    assert_eq!(created.body["title"], "billing");
    let path = format!("/labels/{}", created.body["id"]);
    for bad in [
        json!({"title": "two words"}),
        json!({"title": "ok", "color": "red"}),
        json!({"color": "#00ff00"}),
    ] {
        assert_eq!(
            account.admin_call(app, "POST", "/labels", Some(bad.clone())).status,
            422,
            "{bad}"
        );
    }
    assert_eq!(
        account
            .admin_call(app, "POST", "/labels", Some(json!({"title": "BILLING"})))
            .status,
        422,
        "taken"
    );
    assert_eq!(
        app.call(
            "POST",
            &account.path("/labels"),
            account.agent.auth(),
            Some(json!({"title": "mine"}))
        )
        .status,
        403
    );
    let listed = app.call("GET", &account.path("/labels"), account.agent.auth(), None);
    assert_eq!(listed.body["payload"][0]["title"], "billing");

    // Renaming a label renames it where it is used.
    let inbox = account.create_inbox(app, "Shop");
    let contact = account
        .admin_call(
            app,
            "POST",
            "/contacts",
            Some(json!({"inbox_id": inbox["id"], "email": format!("l{}@x.test", unique())})),
        )
        .body["payload"]["contact"]["id"]
        .clone();
    account.admin_call(
        app,
        "POST",
        &format!("/contacts/{contact}/labels"),
        Some(json!({"labels": ["billing"]})),
    );
    let renamed = account.admin_call(app, "PATCH", &path, Some(json!({"title": "invoices"})));
    assert_eq!(renamed.body["title"], "invoices");
    assert_eq!(
        account
            .admin_call(app, "GET", &format!("/contacts/{contact}/labels"), None)
            .body["payload"],
        json!(["invoices"])
    );
    assert_eq!(
        app.call("DELETE", &account.path(&path), account.agent.auth(), None)
            .status,
        403
    );
    assert_eq!(account.admin_call(app, "DELETE", &path, None).status, 200);
    assert_eq!(account.admin_call(app, "GET", &path, None).status, 404);
}

#[test]
fn canned_responses_are_shared_by_the_team() {
    let app = spawn_app();
    let account = app.create_account();
    let by_agent = app.call(
        "POST",
        &account.path("/canned_responses"),
        account.agent.auth(),
        Some(json!({"short_code": "thanks", "content": "Thank you for your patience!"})),
    );
    assert_eq!(by_agent.status, 200, "agents write canned responses: {}", by_agent.text);
    account.admin_call(
        app,
        "POST",
        "/canned_responses",
        Some(json!({"short_code": "refund_50%", "content": "Half back"})),
    );
    assert_eq!(
        account
            .admin_call(
                app,
                "POST",
                "/canned_responses",
                Some(json!({"short_code": "thanks", "content": "x"}))
            )
            .status,
        422
    );
    assert_eq!(
        account
            .admin_call(app, "POST", "/canned_responses", Some(json!({"short_code": "empty"})))
            .status,
        422
    );
    let search = |q: &str| {
        account
            .admin_call(app, "GET", &format!("/canned_responses?search={q}"), None)
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|canned| canned["short_code"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(search("patience"), ["thanks"]);
    assert_eq!(search("%25"), ["refund_50%"]);
    assert_eq!(search("").len(), 2);
    let path = format!("/canned_responses/{}", by_agent.body["id"]);
    let updated = account.admin_call(app, "PATCH", &path, Some(json!({"content": "Thanks!"})));
    assert_eq!(updated.body["content"], "Thanks!");
    assert_eq!(updated.body["short_code"], "thanks");
    let stranger = app.create_account();
    assert_eq!(
        stranger
            .admin_call(app, "PATCH", &path, Some(json!({"content": "x"})))
            .status,
        404
    );
    assert_eq!(account.admin_call(app, "DELETE", &path, None).status, 200);
    assert_eq!(search("").len(), 1);
}

#[test]
fn custom_attribute_definitions_check_the_values_they_describe() {
    let app = spawn_app();
    let account = app.create_account();
    let define = |body: Value| account.admin_call(app, "POST", "/custom_attribute_definitions", Some(body));
    let plan = define(
        json!({"attribute_display_name": "Plan", "attribute_key": "plan", "attribute_display_type": 6,
                             "attribute_values": ["free", "pro"], "attribute_model": 1}),
    );
    assert_eq!(plan.status, 200, "{}", plan.text);
    assert_eq!(plan.body["attribute_display_type"], "list");
    assert_eq!(plan.body["attribute_model"], "contact_attribute");
    define(
        json!({"attribute_display_name": "Seats", "attribute_key": "seats", "attribute_display_type": "number", "attribute_model": "1"}),
    );
    define(
        json!({"attribute_display_name": "Order", "attribute_key": "order_total", "attribute_display_type": 2, "attribute_model": 0}),
    );
    let unnamed_model = define(json!({"attribute_display_name": "Ref", "attribute_key": "order_ref"}));
    assert_eq!(unnamed_model.status, 200, "{}", unnamed_model.text);
    assert_eq!(
        unnamed_model.body["attribute_model"], "conversation_attribute",
        "Chatwoot's default model is 0"
    );
    for bad in [
        json!({"attribute_display_name": "X", "attribute_key": "x", "attribute_display_type": 9, "attribute_model": 1}),
        json!({"attribute_display_name": "X", "attribute_key": "x y", "attribute_model": 1}),
        json!({"attribute_display_name": "X", "attribute_key": "x", "attribute_model": 5}),
        json!({"attribute_display_name": "Plan again", "attribute_key": "plan", "attribute_model": 1}),
        json!({"attribute_key": "nameless", "attribute_model": 1}),
    ] {
        assert_eq!(define(bad.clone()).status, 422, "{bad}");
    }
    assert_eq!(
        app.call(
            "POST",
            &account.path("/custom_attribute_definitions"),
            account.agent.auth(),
            Some(json!({"attribute_display_name": "A", "attribute_key": "a", "attribute_model": 1}))
        )
        .status,
        403
    );
    let contacts_only = app.call(
        "GET",
        &account.path("/custom_attribute_definitions?attribute_model=1"),
        account.agent.auth(),
        None,
    );
    assert_eq!(contacts_only.status, 200, "{}", contacts_only.text);
    assert_eq!(contacts_only.body.as_array().unwrap().len(), 2);

    // Values set on contacts and conversations are checked.
    let inbox = account.create_inbox(app, "Shop");
    let create = |attributes: Value| {
        account.admin_call(app, "POST", "/contacts",
        Some(json!({"inbox_id": inbox["id"], "email": format!("v{}@x.test", unique()), "custom_attributes": attributes})))
    };
    assert_eq!(create(json!({"plan": "pro", "seats": 4, "free_text": [1]})).status, 200);
    assert_eq!(create(json!({"plan": "gold"})).status, 422);
    assert_eq!(create(json!({"seats": "four"})).status, 422);
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({}));
    assert_eq!(
        visitor
            .call("PATCH", "", Some(json!({"custom_attributes": {"plan": "gold"}})))
            .status,
        422,
        "the Client API too"
    );
    assert_eq!(
        visitor
            .call(
                "POST",
                "/conversations",
                Some(json!({"custom_attributes": {"order_total": "lots"}}))
            )
            .status,
        422
    );
    let conversation = visitor.start_conversation();
    let set = |value: Value| {
        account.admin_call(
            app,
            "POST",
            &format!("/conversations/{conversation}/custom_attributes"),
            Some(json!({"custom_attributes": {"order_total": value}})),
        )
    };
    assert_eq!(set(json!(99.5)).status, 200);
    assert_eq!(set(json!("99.5")).status, 422);

    let path = format!("/custom_attribute_definitions/{}", plan.body["id"]);
    let updated = account.admin_call(
        app,
        "PATCH",
        &path,
        Some(json!({"attribute_values": ["free", "pro", "gold"]})),
    );
    assert_eq!(updated.body["attribute_values"], json!(["free", "pro", "gold"]));
    assert_eq!(
        create(json!({"plan": "gold"})).status,
        200,
        "the new choice is accepted"
    );
    let stranger = app.create_account();
    assert_eq!(stranger.admin_call(app, "GET", &path, None).status, 404);
    assert_eq!(account.admin_call(app, "DELETE", &path, None).status, 200);
    assert_eq!(account.admin_call(app, "GET", &path, None).status, 404);
}

#[test]
fn saved_filters_belong_to_their_user() {
    let app = spawn_app();
    let account = app.create_account();
    let query = json!({"payload": [{"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"]}]});
    let saved = app.call(
        "POST",
        &account.path("/custom_filters"),
        account.agent.auth(),
        Some(json!({"name": "My open", "type": "conversation", "query": query})),
    );
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(saved.body["type"], "conversation");
    assert_eq!(saved.body["filter_type"], "conversation", "Chatwoot's field name too");
    assert_eq!(saved.body["query"], query);
    let path = format!("/custom_filters/{}", saved.body["id"]);
    app.call(
        "POST",
        &account.path("/custom_filters"),
        account.agent.auth(),
        // Chatwoot's clients name it `filter_type`.
        Some(json!({"name": "VIPs", "filter_type": "contact", "query": {}})),
    );
    let mine = |query: &str| {
        app.call(
            "GET",
            &account.path(&format!("/custom_filters{query}")),
            account.agent.auth(),
            None,
        )
        .body
    };
    assert_eq!(mine("").as_array().unwrap().len(), 2);
    assert_eq!(mine("?filter_type=contact")[0]["name"], "VIPs");
    assert_eq!(
        account
            .admin_call(app, "GET", "/custom_filters?filter_type=invoice", None)
            .status,
        422
    );
    assert_eq!(
        account.admin_call(app, "GET", "/custom_filters", None).body,
        json!([]),
        "the administrator has none"
    );
    assert_eq!(
        account.admin_call(app, "GET", &path, None).status,
        404,
        "nor sees the agent's"
    );
    for bad in [
        json!({"name": "x", "type": "ticket", "query": {}}),
        json!({"type": "contact"}),
        json!({"name": "x", "type": "contact", "query": "all"}),
    ] {
        assert_eq!(
            account
                .admin_call(app, "POST", "/custom_filters", Some(bad.clone()))
                .status,
            422,
            "{bad}"
        );
    }
    let renamed = app.call(
        "PATCH",
        &account.path(&path),
        account.agent.auth(),
        Some(json!({"name": "Open ones"})),
    );
    assert_eq!(renamed.body["name"], "Open ones");
    assert_eq!(renamed.body["query"], query);
    assert_eq!(
        app.call("DELETE", &account.path(&path), account.agent.auth(), None)
            .status,
        200
    );
    assert_eq!(mine("").as_array().unwrap().len(), 1);
}
