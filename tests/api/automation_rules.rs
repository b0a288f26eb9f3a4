//! Automation rules (contract 7.3): what the routes take and refuse, and rules at work in
//! the requests that fire them.

use std::time::Duration;

use nimchat_tests::webhook_receiver::{Behaviour, Receiver};
use nimchat_tests::{spawn_app, TestAccount, TestApp, TestVisitor};
use serde_json::{json, Value};

use crate::webhooks::assert_signed;

fn condition(key: &str, operator: &str, values: Value) -> Value {
    json!({"attribute_key": key, "filter_operator": operator, "values": values, "query_operator": null})
}

fn action(name: &str, params: Value) -> Value {
    json!({"action_name": name, "action_params": params})
}

fn create_rule(app: &TestApp, account: &TestAccount, event: &str, conditions: Value, actions: Value) -> Value {
    let body = json!({"name": format!("rule {}", nimchat_tests::unique()), "event_name": event,
                      "conditions": conditions, "actions": actions});
    let reply = account.admin_call(app, "POST", "/automation_rules", Some(body));
    assert_eq!(reply.status, 200, "create rule: {}", reply.text);
    reply.body["payload"].clone()
}

fn conversation(app: &TestApp, account: &TestAccount, id: i64) -> Value {
    let shown = account.admin_call(app, "GET", &format!("/conversations/{id}"), None);
    assert_eq!(shown.status, 200, "{}", shown.text);
    shown.body
}

fn labels(app: &TestApp, account: &TestAccount, id: i64) -> Vec<String> {
    conversation(app, account, id)["labels"]
        .as_array()
        .expect("labels")
        .iter()
        .filter_map(|label| label.as_str().map(str::to_string))
        .collect()
}

fn new_visitor<'a>(app: &'a TestApp, inbox: &Value) -> (TestVisitor<'a>, i64) {
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({"name": "Rita"}));
    let conversation = visitor.start_conversation();
    (visitor, conversation)
}

#[test]
fn administrators_keep_rules_and_every_bad_part_is_refused() {
    let app = spawn_app();
    let account = app.create_account();
    let other = app.create_account();
    let foreign_team = other.create_team(app, "Theirs", false);
    let rule = create_rule(
        app,
        &account,
        "message_created",
        json!([condition("content", "contains", json!(["refund"]))]),
        json!([action("add_label", json!(["refund"]))]),
    );
    assert_eq!(rule["active"], true);
    assert_eq!(rule["account_id"], account.id);
    assert!(rule["created_on"].is_i64());
    assert!(rule["secret"]
        .as_str()
        .is_some_and(|secret| secret.starts_with("whsec_")));
    let path = format!("/automation_rules/{}", rule["id"]);

    let listed = account.admin_call(app, "GET", "/automation_rules?page=1", None);
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_eq!(listed.body["payload"][0]["id"], rule["id"]);
    assert!(listed.body["payload"][0].get("secret").is_none());
    assert_eq!(
        account.admin_call(app, "GET", "/automation_rules?page=2", None).body["payload"],
        json!([])
    );
    assert_eq!(
        account.admin_call(app, "GET", &path, None).body["payload"]["secret"],
        rule["secret"]
    );

    let patched = account.admin_call(
        app,
        "PATCH",
        &path,
        Some(json!({"active": false, "actions": [action("add_label", json!(["other"]))]})),
    );
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(patched.body["payload"]["active"], false);
    assert_eq!(
        patched.body["payload"]["actions"],
        json!([action("add_label", json!(["other"]))])
    );
    assert_eq!(
        patched.body["payload"]["conditions"], rule["conditions"],
        "what was not sent stays"
    );

    for (method, route) in [
        ("GET", "/automation_rules".to_string()),
        ("GET", path.clone()),
        ("DELETE", path.clone()),
    ] {
        assert_eq!(
            app.call(method, &account.path(&route), account.agent.auth(), None)
                .status,
            403,
            "agent {method} {route}"
        );
    }
    assert_eq!(
        app.call("GET", &other.path(&path), other.admin.auth(), None).status,
        404
    );

    let good_conditions = json!([condition("status", "equal_to", json!(["open"]))]);
    let good_actions = json!([action("resolve_conversation", json!([]))]);
    let with = |field: &str, value: Value| {
        let mut body = json!({"name": "Bad", "event_name": "conversation_created",
                              "conditions": good_conditions, "actions": good_actions});
        body[field] = value;
        body
    };
    let refused = [
        (with("name", json!("")), "name"),
        (with("event_name", json!("contact_created")), "event_name"),
        (with("conditions", json!([])), "conditions"),
        (
            with(
                "conditions",
                json!([condition("browser_language", "equal_to", json!(["en"]))]),
            ),
            "conditions",
        ),
        (
            with("conditions", json!([condition("status", "contains", json!(["op"]))])),
            "conditions",
        ),
        (
            with(
                "conditions",
                json!([condition("priority", "equal_to", json!(["none"]))]),
            ),
            "conditions",
        ),
        (
            with(
                "conditions",
                json!([
                    condition("status", "equal_to", json!(["open"])),
                    condition("status", "equal_to", json!(["open"]))
                ]),
            ),
            "conditions",
        ),
        (with("actions", json!([])), "actions"),
        (
            with("actions", json!([action("send_email_to_team", json!(["x"]))])),
            "actions",
        ),
        (
            with("actions", json!([action("assign_agent", json!([other.agent.id]))])),
            "actions",
        ),
        (
            with("actions", json!([action("assign_team", json!([foreign_team["id"]]))])),
            "actions",
        ),
        (with("actions", json!([action("send_message", json!([""]))])), "actions"),
        (
            with(
                "actions",
                json!([action("send_webhook_event", json!(["ftp://x.example.com"]))]),
            ),
            "actions",
        ),
    ];
    for (body, field) in refused {
        let reply = account.admin_call(app, "POST", "/automation_rules", Some(body.clone()));
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert!(reply.text.contains(field), "{body} should name {field}: {}", reply.text);
    }
    let bad_patch = account.admin_call(app, "PATCH", &path, Some(json!({"name": "Renamed", "conditions": []})));
    assert_eq!(bad_patch.status, 422);
    assert_eq!(
        account.admin_call(app, "GET", "/automation_rules", None).body["payload"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "nothing added"
    );
    assert_ne!(
        account.admin_call(app, "GET", &path, None).body["payload"]["name"],
        "Renamed",
        "nothing changed"
    );

    assert_eq!(account.admin_call(app, "DELETE", &path, None).status, 200);
    assert_eq!(account.admin_call(app, "GET", &path, None).status, 404);
}

#[test]
fn a_message_rule_labels_prioritises_routes_notes_answers_and_calls_out() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_quiet_inbox(app);
    let team = account.create_team(app, "Billing", false);
    let receiver = Receiver::start(Behaviour::default());
    let rule = create_rule(
        app,
        &account,
        "message_created",
        json!([
            {"attribute_key": "content", "filter_operator": "contains", "values": ["REFUND"], "query_operator": "and"},
            condition("message_type", "equal_to", json!(["incoming"]))
        ]),
        json!([
            action("add_label", json!(["refund"])),
            action("change_priority", json!(["high"])),
            action("assign_team", json!([team["id"]])),
            action("add_private_note", json!(["Refund request: check the order"])),
            action("send_message", json!(["We got your refund request."])),
            action("send_webhook_event", json!([receiver.url]))
        ]),
    );
    let (visitor, id) = new_visitor(app, &inbox);
    assert_eq!(visitor.say(id, "Hello").status, 200);
    assert!(labels(app, &account, id).is_empty(), "conditions not met: nothing done");
    assert_eq!(visitor.say(id, "I want a refund please").status, 200);

    let shown = conversation(app, &account, id);
    assert_eq!(shown["labels"], json!(["refund"]));
    assert_eq!(shown["priority"], "high");
    assert_eq!(shown["meta"]["team"]["id"], team["id"]);
    let messages = shown["messages"].as_array().unwrap();
    let note = messages
        .iter()
        .find(|message| message["content"] == "Refund request: check the order")
        .expect("the note");
    assert_eq!(note["private"], true);
    assert_eq!(note["content_attributes"]["automation_rule_id"], rule["id"]);
    let answer = messages
        .iter()
        .find(|message| message["content"] == "We got your refund request.")
        .expect("the answer");
    assert_eq!(answer["message_type"], 1);
    assert_eq!(answer["sender"], Value::Null);
    let seen = visitor.messages(id);
    assert!(
        seen.iter()
            .any(|message| message["content"] == "We got your refund request."),
        "the visitor receives it"
    );
    assert!(
        seen.iter()
            .all(|message| message["content"] != "Refund request: check the order"),
        "never the note"
    );

    let called = receiver.events("automation_event.message_created", 1, Duration::from_secs(20));
    assert_eq!(called.len(), 1, "{:?}", receiver.received());
    assert_signed(&called[0], rule["secret"].as_str().unwrap());
    assert_eq!(called[0].json()["id"], id);
    // The rule's own answer fired no rule: one note, one answer.
    let notes = messages
        .iter()
        .filter(|message| message["content"] == "Refund request: check the order")
        .count();
    assert_eq!(notes, 1);
}

#[test]
fn status_actions_resolve_open_snooze_and_mute() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_quiet_inbox(app);
    let on_message = |text: &str, name: &str| {
        create_rule(
            app,
            &account,
            "message_created",
            json!([condition("content", "equal_to", json!([text]))]),
            json!([action(name, json!([]))]),
        )
    };
    on_message("close please", "resolve_conversation");
    on_message("later", "snooze_conversation");
    on_message("mute me", "mute_conversation");
    create_rule(
        app,
        &account,
        "conversation_resolved",
        json!([condition("labels", "equal_to", json!(["keep-open"]))]),
        json!([action("open_conversation", json!([]))]),
    );
    let status = |id: i64| conversation(app, &account, id)["status"].clone();

    let (visitor, resolved) = new_visitor(app, &inbox);
    assert_eq!(visitor.say(resolved, "close please").status, 200);
    assert_eq!(status(resolved), "resolved");
    assert!(account
        .activity_messages(app, resolved)
        .iter()
        .any(|text| text.contains("Automation System")));

    let (visitor, snoozed) = new_visitor(app, &inbox);
    assert_eq!(visitor.say(snoozed, "later").status, 200);
    assert_eq!(status(snoozed), "snoozed");
    assert_eq!(visitor.say(snoozed, "back again").status, 200);
    assert_eq!(status(snoozed), "open", "snoozed until the visitor's next message");

    let (visitor, muted) = new_visitor(app, &inbox);
    assert_eq!(visitor.say(muted, "mute me").status, 200);
    assert_eq!(status(muted), "resolved");
    assert_eq!(conversation(app, &account, muted)["muted"], true);
    assert_eq!(visitor.say(muted, "hello?").status, 200);
    assert_eq!(
        status(muted),
        "resolved",
        "a muted conversation is not reopened by the visitor"
    );
    account.set_status(app, muted, "open");
    assert_eq!(
        conversation(app, &account, muted)["muted"],
        false,
        "setting a status unmutes"
    );

    // conversation_resolved with a label condition reopens; without the label, it stays.
    let (_, kept) = new_visitor(app, &inbox);
    let labelled = account.admin_call(
        app,
        "POST",
        &format!("/conversations/{kept}/labels"),
        Some(json!({"labels": ["keep-open"]})),
    );
    assert_eq!(labelled.status, 200);
    account.set_status(app, kept, "resolved");
    assert_eq!(status(kept), "open");
    let (_, plain) = new_visitor(app, &inbox);
    account.set_status(app, plain, "resolved");
    assert_eq!(status(plain), "resolved");
}

#[test]
fn rules_run_in_order_and_before_or_once_per_event_and_only_when_active() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_quiet_inbox(app);
    let outsider = account.add_signed_in_agent(app, "Olga Outsider");
    // content = "x" OR content contains "alpha" AND content contains "beta".
    create_rule(
        app,
        &account,
        "message_created",
        json!([
            {"attribute_key": "content", "filter_operator": "equal_to", "values": ["x"], "query_operator": "OR"},
            {"attribute_key": "content", "filter_operator": "contains", "values": ["alpha"], "query_operator": "AND"},
            {"attribute_key": "content", "filter_operator": "contains", "values": ["beta"], "query_operator": "nil"}
        ]),
        json!([action("add_label", json!(["matched"]))]),
    );
    // Its own note is a message_created: without the loop guard it would note forever.
    create_rule(
        app,
        &account,
        "message_created",
        json!([condition("status", "equal_to", json!(["open", "pending"]))]),
        json!([action("add_private_note", json!(["seen by a rule"]))]),
    );
    // The second sees what the first did (the label), in id order; an agent outside the
    // inbox is skipped, and the rest of the actions still run.
    create_rule(
        app,
        &account,
        "conversation_created",
        json!([condition("inbox_id", "equal_to", json!([inbox["id"]]))]),
        json!([action("add_label", json!(["first"]))]),
    );
    create_rule(
        app,
        &account,
        "conversation_created",
        json!([condition("labels", "equal_to", json!(["first"]))]),
        json!([
            action("assign_agent", json!([outsider.id])),
            action("add_label", json!(["second"]))
        ]),
    );
    let inactive = create_rule(
        app,
        &account,
        "conversation_created",
        json!([condition("inbox_id", "equal_to", json!([inbox["id"]]))]),
        json!([action("add_label", json!(["inactive"]))]),
    );
    let switched_off = account.admin_call(
        app,
        "PATCH",
        &format!("/automation_rules/{}", inactive["id"]),
        Some(json!({"active": false})),
    );
    assert_eq!(switched_off.status, 200);

    for (text, matched) in [("alpha", false), ("alpha and beta", true), ("x", true), ("beta", false)] {
        let (visitor, id) = new_visitor(app, &inbox);
        let start = labels(app, &account, id);
        assert_eq!(
            start,
            ["first", "second"],
            "both creation rules, in order; the inactive one did nothing"
        );
        assert_eq!(
            conversation(app, &account, id)["meta"]["assignee"],
            Value::Null,
            "an outsider is not assigned"
        );
        assert_eq!(visitor.say(id, text).status, 200);
        assert_eq!(
            labels(app, &account, id).contains(&"matched".to_string()),
            matched,
            "{text}"
        );
        let notes = conversation(app, &account, id)["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|message| message["content"] == "seen by a rule")
            .count();
        assert_eq!(notes, 1, "the rule ran once for {text:?}");
    }
}
