//! Application API: opening, filtering, prioritising, assigning and labelling
//! conversations, and deleting messages (seed "Conversations", "Conversation Assignments",
//! "Conversation Labels", "Messages").

use nimchat_tests::{spawn_app, unique, Auth, TestAccount, TestApp};
use serde_json::{json, Value};

fn ids(reply: &nimchat_tests::Reply) -> Vec<i64> {
    let mut ids: Vec<i64> = reply.body["data"]["payload"]
        .as_array()
        .unwrap_or_else(|| panic!("a conversation list: {}", reply.text))
        .iter()
        .map(|conversation| conversation["id"].as_i64().unwrap())
        .collect();
    ids.sort();
    ids
}

/// An API inbox (no per-IP creation limits) and a contact in it.
fn api_inbox_with_contact(app: &TestApp, account: &TestAccount) -> (Value, Value) {
    let inbox = account.create_inbox_with(app, json!({"name": "Backend", "channel": {"type": "api"}}));
    let reply = account.admin_call(
        app,
        "POST",
        "/contacts",
        Some(json!({"inbox_id": inbox["id"], "name": "Dana", "email": format!("dana{}@x.test", unique())})),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    (inbox, reply.body["payload"].clone())
}

fn open(app: &TestApp, account: &TestAccount, body: Value) -> Value {
    let reply = account.admin_call(app, "POST", "/conversations", Some(body));
    assert_eq!(reply.status, 200, "open conversation: {}", reply.text);
    reply.body
}

#[test]
fn agents_open_conversations_for_contacts_with_a_first_message() {
    let app = spawn_app();
    let account = app.create_account();
    let (inbox, created) = api_inbox_with_contact(app, &account);
    let source_id = created["contact_inbox"]["source_id"].clone();
    let team = account.create_team(app, "Sales", false);
    let conversation = open(
        app,
        &account,
        json!({"inbox_id": inbox["id"], "source_id": source_id, "status": "pending", "assignee_id": account.agent.id,
               "team_id": team["id"], "custom_attributes": {"order": "A-1"}, "message": {"content": "We shipped it"}}),
    );
    assert_eq!(conversation["status"], "pending");
    assert_eq!(conversation["meta"]["assignee"]["id"], account.agent.id);
    assert_eq!(conversation["meta"]["team"]["name"], "Sales");
    assert_eq!(conversation["custom_attributes"]["order"], "A-1");
    assert_eq!(conversation["messages"][0]["content"], "We shipped it");
    assert_eq!(conversation["messages"][0]["message_type"], 1);

    let by_contact = open(
        app,
        &account,
        json!({"inbox_id": inbox["id"], "contact_id": created["contact"]["id"]}),
    );
    assert_eq!(by_contact["meta"]["sender"]["id"], created["contact"]["id"]);
    assert_eq!(by_contact["status"], "open");

    let other = app.create_account();
    for bad in [
        json!({"inbox_id": inbox["id"]}),
        json!({"inbox_id": inbox["id"], "source_id": "nobody"}),
        json!({"inbox_id": inbox["id"], "source_id": source_id, "status": "closed"}),
        json!({"inbox_id": inbox["id"], "source_id": source_id, "assignee_id": other.agent.id}),
        json!({"inbox_id": inbox["id"], "source_id": source_id, "team_id": 999_999_999}),
        json!({"inbox_id": inbox["id"], "source_id": source_id, "message": {"content": ""}}),
        json!({"source_id": source_id}),
    ] {
        let reply = account.admin_call(app, "POST", "/conversations", Some(bad.clone()));
        assert_eq!(reply.status, 422, "{bad}: {}", reply.text);
    }
    let foreign = other.admin_call(
        app,
        "POST",
        "/conversations",
        Some(json!({"inbox_id": inbox["id"], "source_id": source_id})),
    );
    assert_eq!(foreign.status, 422, "another account's inbox: {}", foreign.text);
    // An agent who does not work the inbox cannot open conversations in it.
    let outsider = app.call(
        "POST",
        &account.path("/conversations"),
        account.agent.auth(),
        Some(json!({"inbox_id": inbox["id"], "source_id": source_id})),
    );
    assert_eq!(outsider.status, 422, "{}", outsider.text);
}

#[test]
fn lists_search_messages_and_select_by_team_labels_and_filters() {
    let app = spawn_app();
    let account = app.create_account();
    account.define_attribute(app, "amount", "currency", 0);
    let (inbox, created) = api_inbox_with_contact(app, &account);
    let source_id = created["contact_inbox"]["source_id"].clone();
    let team = account.create_team(app, "Billing", false);
    let a = open(
        app,
        &account,
        json!({"inbox_id": inbox["id"], "source_id": source_id, "message": {"content": "Refund of 50% please"}}),
    )["id"]
        .as_i64()
        .unwrap();
    let b = open(
        app,
        &account,
        json!({"inbox_id": inbox["id"], "source_id": source_id, "team_id": team["id"],
                                       "custom_attributes": {"amount": 120}}),
    )["id"]
        .as_i64()
        .unwrap();
    let c = open(
        app,
        &account,
        json!({"inbox_id": inbox["id"], "source_id": source_id, "status": "resolved",
                                       "message": {"content": "All good"}}),
    )["id"]
        .as_i64()
        .unwrap();
    let labelled = account.admin_call(
        app,
        "POST",
        &format!("/conversations/{a}/labels"),
        Some(json!({"labels": ["refund", "urgent-ish"]})),
    );
    assert_eq!(labelled.body["payload"], json!(["refund", "urgent-ish"]));
    account.admin_call(
        app,
        "POST",
        &format!("/conversations/{b}/labels"),
        Some(json!({"labels": ["billing"]})),
    );

    let list = |query: &str| {
        let reply = account.admin_call(app, "GET", &format!("/conversations{query}"), None);
        assert_eq!(reply.status, 200, "{query}: {}", reply.text);
        ids(&reply)
    };
    assert_eq!(list("?q=refund"), [a], "message content");
    assert_eq!(list("?q=50%25"), [a], "a % is literal");
    assert!(list("?q=%25").len() == 1 && list("?q='%20OR%201=1%20--").is_empty());
    assert_eq!(list("?status=resolved&q=good"), [c]);
    assert_eq!(list(&format!("?team_id={}", team["id"])), [b]);
    assert_eq!(list("?labels%5B%5D=refund"), [a]);
    assert_eq!(
        list("?labels%5B%5D=refund&labels%5B%5D=billing"),
        [a, b],
        "any of the labels"
    );
    assert_eq!(list("?labels=billing,nothing"), [b]);
    assert_eq!(
        account
            .admin_call(app, "GET", "/conversations?labels%5B%5D=two%20words", None)
            .status,
        422
    );
    assert_eq!(
        account.admin_call(app, "GET", "/conversations?team_id=x", None).status,
        422
    );
    let shown = account.admin_call(app, "GET", &format!("/conversations/{a}"), None);
    assert_eq!(shown.body["labels"], json!(["refund", "urgent-ish"]));

    let filter = |conditions: Value| {
        let reply = account.admin_call(
            app,
            "POST",
            "/conversations/filter",
            Some(json!({"payload": conditions})),
        );
        assert_eq!(reply.status, 200, "{conditions}: {}", reply.text);
        ids(&reply)
    };
    let one = |key: &str, operator: &str, values: Value| {
        filter(json!([{"attribute_key": key, "filter_operator": operator, "values": values}]))
    };
    assert_eq!(one("status", "equal_to", json!(["open"])), [a, b]);
    assert_eq!(one("status", "not_equal_to", json!(["open"])), [c]);
    assert_eq!(one("team_id", "is_present", json!([])), [b]);
    assert_eq!(one("team_id", "is_not_present", json!([])), [a, c]);
    assert_eq!(one("amount", "is_greater_than", json!([100])), [b]);
    assert!(one("amount", "is_less_than", json!([100])).is_empty());
    assert_eq!(one("labels", "equal_to", json!(["REFUND"])), [a]);
    assert_eq!(one("labels", "not_equal_to", json!(["refund"])), [b, c]);
    assert_eq!(one("display_id", "is_greater_than", json!([a])), [b, c]);
    assert!(one("status", "equal_to", json!(["open"])).len() == 2);
    assert_eq!(one("browser_language", "is_not_present", json!([])), [a, b, c]);
    assert_eq!(
        one("last_activity_at", "is_greater_than", json!(["2020-01-01T00:00:00Z"])),
        [a, b, c]
    );
    for bad in [
        json!([{"attribute_key": "status", "filter_operator": "equal_to", "values": ["closed"]}]),
        json!([{"attribute_key": "priority", "filter_operator": "contains", "values": ["high"]}]),
        json!([{"attribute_key": "team_id", "filter_operator": "equal_to", "values": ["' OR 1=1 --"]}]),
    ] {
        let reply = account.admin_call(app, "POST", "/conversations/filter", Some(json!({"payload": bad})));
        assert_eq!(reply.status, 422, "{bad}: {}", reply.text);
    }
}

#[test]
fn priority_toggles_and_clears() {
    let app = spawn_app();
    let account = app.create_account();
    let (inbox, created) = api_inbox_with_contact(app, &account);
    let id = open(
        app,
        &account,
        json!({"inbox_id": inbox["id"], "source_id": created["contact_inbox"]["source_id"]}),
    )["id"]
        .clone();
    let path = format!("/conversations/{id}/toggle_priority");
    let urgent = account.admin_call(app, "POST", &path, Some(json!({"priority": "urgent"})));
    assert_eq!(urgent.status, 200, "{}", urgent.text);
    assert_eq!(urgent.body["priority"], "urgent");
    let filtered = account.admin_call(
        app,
        "POST",
        "/conversations/filter",
        Some(json!({"payload": [{"attribute_key": "priority", "filter_operator": "equal_to", "values": ["urgent"]}]})),
    );
    assert_eq!(ids(&filtered), [id.as_i64().unwrap()]);
    assert_eq!(
        account
            .admin_call(app, "POST", &path, Some(json!({"priority": "none"})))
            .body["priority"],
        Value::Null
    );
    for bad in [json!({"priority": "critical"}), json!({}), json!({"priority": 3})] {
        assert_eq!(
            account.admin_call(app, "POST", &path, Some(bad.clone())).status,
            422,
            "{bad}"
        );
    }
    let other = app.create_account();
    assert_eq!(
        other
            .admin_call(app, "POST", &path, Some(json!({"priority": "low"})))
            .status,
        404
    );
}

#[test]
fn assignments_go_to_agents_or_teams_and_teams_pick_members() {
    let app = spawn_app();
    let account = app.create_account();
    let (inbox, created) = api_inbox_with_contact(app, &account);
    let source_id = created["contact_inbox"]["source_id"].clone();
    // Auto-assignment off, so that only the assignments below decide.
    account.admin_call(
        app,
        "PATCH",
        &format!("/inboxes/{}", inbox["id"]),
        Some(json!({"enable_auto_assignment": false})),
    );
    let ready = account.add_agent(app, "Rita Ready", "available");
    account.add_inbox_members(app, &inbox, &[account.agent.id, ready]);
    let id = open(app, &account, json!({"inbox_id": inbox["id"], "source_id": source_id}))["id"].clone();
    let path = format!("/conversations/{id}/assignments");

    let to_agent = app.call(
        "POST",
        &account.path(&path),
        account.agent.auth(),
        Some(json!({"assignee_id": account.agent.id})),
    );
    assert_eq!(to_agent.status, 200, "an agent of the inbox assigns: {}", to_agent.text);
    assert_eq!(to_agent.body["id"], account.agent.id);
    let mine = app.call(
        "GET",
        &account.path("/conversations?assignee_type=me"),
        account.agent.auth(),
        None,
    );
    assert_eq!(ids(&mine), [id.as_i64().unwrap()]);

    let team = account.create_team(app, "Tier 2", true);
    account.admin_call(
        app,
        "POST",
        &format!("/teams/{}/team_members", team["id"]),
        Some(json!({"user_ids": [ready]})),
    );
    let to_team = account.admin_call(app, "POST", &path, Some(json!({"team_id": team["id"]})));
    assert_eq!(to_team.status, 200, "{}", to_team.text);
    assert_eq!(to_team.body["name"], "Tier 2");
    let shown = account
        .admin_call(app, "GET", &format!("/conversations/{id}"), None)
        .body;
    assert_eq!(shown["meta"]["team"]["id"], team["id"]);
    assert_eq!(
        shown["meta"]["assignee"]["id"], ready,
        "the team's available member replaces an outsider"
    );

    let unassigned = account.admin_call(app, "POST", &path, Some(json!({"assignee_id": null})));
    assert_eq!(unassigned.status, 200, "{}", unassigned.text);
    let shown = account
        .admin_call(app, "GET", &format!("/conversations/{id}"), None)
        .body;
    assert_eq!(shown["meta"]["assignee"], Value::Null);
    assert_eq!(shown["meta"]["team"]["id"], team["id"], "the team stays");

    let other = app.create_account();
    for bad in [
        json!({"assignee_id": other.agent.id}),
        json!({"team_id": 999_999_999}),
        json!({}),
        json!({"assignee_id": "me"}),
    ] {
        assert_eq!(
            account.admin_call(app, "POST", &path, Some(bad.clone())).status,
            422,
            "{bad}"
        );
    }
    assert_eq!(
        other
            .admin_call(app, "POST", &path, Some(json!({"assignee_id": other.agent.id})))
            .status,
        404
    );
}

#[test]
fn auto_assignment_balances_available_agents_and_skips_offline_ones() {
    let app = spawn_app();
    let account = app.create_account();
    let (inbox, created) = api_inbox_with_contact(app, &account);
    let source_id = created["contact_inbox"]["source_id"].clone();
    let available: Vec<i64> = ["Ana", "Ben", "Cleo"]
        .iter()
        .map(|name| account.add_agent(app, name, "available"))
        .collect();
    let offline = account.add_agent(app, "Otto Offline", "offline");
    let busy = account.add_agent(app, "Bea Busy", "busy");
    let mut members = available.clone();
    members.extend([offline, busy]);
    account.add_inbox_members(app, &inbox, &members);

    let mut counts = std::collections::HashMap::new();
    for _ in 0..10 {
        let conversation = open(app, &account, json!({"inbox_id": inbox["id"], "source_id": source_id}));
        let assignee = conversation["meta"]["assignee"]["id"]
            .as_i64()
            .expect("assigned on creation");
        *counts.entry(assignee).or_insert(0) += 1;
    }
    let mut loads: Vec<i32> = available
        .iter()
        .map(|agent| counts.get(agent).copied().unwrap_or(0))
        .collect();
    loads.sort();
    assert_eq!(loads, [3, 3, 4], "{counts:?}");
    assert!(
        !counts.contains_key(&offline) && !counts.contains_key(&busy),
        "{counts:?}"
    );

    // Visitors' conversations are assigned the same way.
    let widget = account.create_inbox(app, "Site");
    account.add_inbox_members(app, &widget, &[offline, available[0]]);
    let visitor = app.visitor(widget["inbox_identifier"].as_str().unwrap(), json!({}));
    let conversation = visitor.start_conversation();
    let shown = account
        .admin_call(app, "GET", &format!("/conversations/{conversation}"), None)
        .body;
    assert_eq!(shown["meta"]["assignee"]["id"], available[0]);

    account.admin_call(
        app,
        "PATCH",
        &format!("/inboxes/{}", inbox["id"]),
        Some(json!({"enable_auto_assignment": false})),
    );
    let manual = open(app, &account, json!({"inbox_id": inbox["id"], "source_id": source_id}));
    assert_eq!(manual["meta"]["assignee"], Value::Null, "off means off");
}

#[test]
fn deleting_a_message_leaves_the_conversation_consistent_for_the_visitor() {
    let app = spawn_app();
    let account = app.create_account();
    let identifier = account.widget_inbox_identifier(app, "Site");
    let visitor = app.visitor(&identifier, json!({}));
    let conversation = visitor.start_conversation();
    visitor.say(conversation, "my card is 4111 1111 1111 1111");
    let reply = account.reply(
        app,
        conversation,
        json!({"content": "Thanks, please do not share that"}),
    );
    let messages = visitor.messages(conversation);
    let card = messages[0]["id"].as_i64().unwrap();

    let path = format!("/conversations/{conversation}/messages/{card}");
    let deleted = account.admin_call(app, "DELETE", &path, None);
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_eq!(deleted.body["content_attributes"]["deleted"], true);

    let seen = visitor.messages(conversation);
    assert_eq!(seen.len(), 2, "the message keeps its place");
    assert_eq!(seen[0]["id"], card);
    assert_eq!(seen[0]["content"], "This message was deleted");
    assert_eq!(seen[0]["content_attributes"]["deleted"], true);
    assert!(!seen[0].to_string().contains("4111"));
    assert_eq!(seen[1]["id"], reply.body["id"]);
    let agent_view = account.admin_call(app, "GET", &format!("/conversations/{conversation}/messages"), None);
    assert!(!agent_view.text.contains("4111"));
    assert_eq!(
        account.admin_call(app, "DELETE", &path, None).status,
        200,
        "deleting twice is harmless"
    );

    let other = visitor.start_conversation();
    let elsewhere = account.admin_call(app, "DELETE", &format!("/conversations/{other}/messages/{card}"), None);
    assert_eq!(elsewhere.status, 404, "a message of another conversation");
    let stranger = app.create_account();
    assert_eq!(stranger.admin_call(app, "DELETE", &path, None).status, 404);
    assert_eq!(
        app.call("DELETE", &account.path(&path), Auth::Anonymous, None).status,
        401
    );
}
