//! Client API: conversations and messages (contract §3).

use nimchat_tests::{spawn_app, TestAccount, TestApp};
use serde_json::{json, Value};

fn widget_inbox(app: &TestApp, account: &TestAccount, extra: Value) -> String {
    let mut body = json!({"name": "Site", "channel": {"type": "web_widget"}});
    if let (Value::Object(body), Value::Object(extra)) = (&mut body, extra) {
        body.extend(extra);
    }
    account.create_inbox_with(app, body)["inbox_identifier"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_visitor_starts_lists_and_reads_conversations() {
    let app = spawn_app();
    let account = app.create_account();
    let identifier = widget_inbox(app, &account, json!({}));
    let visitor = app.visitor(&identifier, json!({"name": "Vic"}));
    let created = visitor.call(
        "POST",
        "/conversations",
        Some(json!({"custom_attributes": {"page": "/pricing"}, "status": "resolved"})),
    );
    assert_eq!(created.status, 200, "{}", created.text);
    let conversation = &created.body;
    assert_eq!(
        conversation["status"], "open",
        "the status cannot be chosen by the visitor"
    );
    assert_eq!(conversation["custom_attributes"], json!({"page": "/pricing"}));
    assert_eq!(conversation["contact"]["name"], "Vic");
    assert_eq!(conversation["messages"], json!([]));
    assert_eq!(conversation["agent_last_seen_at"], 0);
    assert_eq!(conversation["uuid"].as_str().unwrap().len(), 36);
    let id = conversation["id"].as_i64().unwrap();
    let second = visitor.start_conversation();
    assert_eq!(second, id + 1, "display ids count up per account");

    let listed = visitor.call("GET", "/conversations", None);
    assert_eq!(listed.body.as_array().unwrap().len(), 2);
    let shown = visitor.call("GET", &format!("/conversations/{id}"), None);
    assert_eq!(shown.body["id"], id);
    assert_eq!(visitor.call("GET", "/conversations/999999", None).status, 404);
    assert_eq!(visitor.call("GET", "/conversations/abc", None).status, 404);
}

#[test]
fn display_ids_are_numbered_per_account() {
    let app = spawn_app();
    let (one, two) = (app.create_account(), app.create_account());
    let first = app
        .visitor(&widget_inbox(app, &one, json!({})), json!({}))
        .start_conversation();
    let second = app
        .visitor(&widget_inbox(app, &two, json!({})), json!({}))
        .start_conversation();
    assert_eq!((first, second), (1, 1));
}

#[test]
fn sessions_never_see_each_others_conversations() {
    let app = spawn_app();
    let account = app.create_account();
    let (site_a, site_b) = (
        widget_inbox(app, &account, json!({})),
        widget_inbox(app, &account, json!({})),
    );
    let alice = app.visitor(&site_a, json!({}));
    let bob = app.visitor(&site_a, json!({}));
    let carol = app.visitor(&site_b, json!({}));
    let conversation = alice.start_conversation();
    alice.say(conversation, "private to alice");
    for stranger in [&bob, &carol] {
        for (method, path, body) in [
            ("GET", format!("/conversations/{conversation}"), None),
            ("GET", format!("/conversations/{conversation}/messages"), None),
            (
                "POST",
                format!("/conversations/{conversation}/messages"),
                Some(json!({"content": "hi"})),
            ),
            ("POST", format!("/conversations/{conversation}/toggle_status"), None),
            ("POST", format!("/conversations/{conversation}/update_last_seen"), None),
            (
                "POST",
                format!("/conversations/{conversation}/toggle_typing"),
                Some(json!({"typing_status": "on"})),
            ),
        ] {
            let reply = stranger.call(method, &path, body);
            assert_eq!(reply.status, 404, "{method} {path}");
        }
        assert_eq!(stranger.call("GET", "/conversations", None).body, json!([]));
    }
    assert_eq!(
        alice.messages(conversation).len(),
        1,
        "nothing was added by the refused calls"
    );
}

#[test]
fn lock_to_single_conversation_returns_the_last_one() {
    let app = spawn_app();
    let account = app.create_account();
    let identifier = widget_inbox(app, &account, json!({"lock_to_single_conversation": true}));
    let visitor = app.visitor(&identifier, json!({}));
    let first = visitor.start_conversation();
    assert_eq!(visitor.start_conversation(), first);
    assert_eq!(
        visitor
            .call("GET", "/conversations", None)
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_bot_owned_contact_starts_pending() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox(app, "Bot first");
    let bot = app.platform("POST", "/agent_bots", Some(json!({"name": "Greeter"})));
    let set = account.path(&format!("/inboxes/{}/set_agent_bot", inbox["id"]));
    app.call(
        "POST",
        &set,
        account.admin.auth(),
        Some(json!({"agent_bot": bot.body["id"]})),
    );
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({}));
    let created = visitor.call("POST", "/conversations", Some(json!({})));
    assert_eq!(created.body["status"], "pending");
    let id = created.body["id"].as_i64().unwrap();
    let resolve = account.path(&format!("/conversations/{id}/toggle_status"));
    app.call(
        "POST",
        &resolve,
        account.admin.auth(),
        Some(json!({"status": "resolved"})),
    );
    visitor.say(id, "still there?");
    assert_eq!(
        visitor.call("GET", &format!("/conversations/{id}"), None).body["status"],
        "pending"
    );
}

#[test]
fn the_visitor_resolves_once_and_a_message_reopens() {
    let app = spawn_app();
    let account = app.create_account();
    let visitor = app.visitor(&widget_inbox(app, &account, json!({})), json!({"name": "Rae"}));
    let id = visitor.start_conversation();
    visitor.say(id, "thanks, solved");
    let resolved = visitor.call("POST", &format!("/conversations/{id}/toggle_status"), None);
    assert_eq!(resolved.status, 200, "{}", resolved.text);
    assert_eq!(resolved.body["status"], "resolved");
    let again = visitor.call("POST", &format!("/conversations/{id}/toggle_status"), None);
    assert_eq!(again.body["status"], "resolved", "resolving twice is harmless");
    assert!(
        visitor.messages(id).iter().all(|m| m["message_type"] != 2),
        "activity messages stay agent-side"
    );

    let reopened = visitor.say(id, "one more thing");
    assert_eq!(reopened.status, 200);
    assert_eq!(
        visitor.call("GET", &format!("/conversations/{id}"), None).body["status"],
        "open"
    );
}

#[test]
fn typing_takes_on_or_off() {
    let app = spawn_app();
    let account = app.create_account();
    let visitor = app.visitor(&widget_inbox(app, &account, json!({})), json!({}));
    let id = visitor.start_conversation();
    let path = format!("/conversations/{id}/toggle_typing");
    for state in ["on", "off"] {
        let reply = visitor.call("POST", &path, Some(json!({"typing_status": state})));
        assert_eq!((reply.status, reply.text.as_str()), (200, ""), "{state}");
    }
    for bad in [
        json!({"typing_status": "maybe"}),
        json!({}),
        json!({"typing_status": true}),
    ] {
        let reply = visitor.call("POST", &path, Some(bad.clone()));
        assert_eq!(
            (reply.status, reply.body["attributes"].clone()),
            (422, json!(["typing_status"])),
            "{bad}"
        );
    }
}

#[test]
fn update_last_seen_marks_agent_messages_read() {
    let app = spawn_app();
    let account = app.create_account();
    let visitor = app.visitor(&widget_inbox(app, &account, json!({})), json!({}));
    let id = visitor.start_conversation();
    let reply = account.reply(app, id, json!({"content": "How can I help?"}));
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(visitor.messages(id)[0]["status"], "sent");
    let seen = visitor.call("POST", &format!("/conversations/{id}/update_last_seen"), None);
    assert_eq!((seen.status, seen.text.as_str()), (200, ""));
    assert_eq!(visitor.messages(id)[0]["status"], "read");
    let conversation = visitor.call("GET", &format!("/conversations/{id}"), None).body;
    assert!(conversation["contact_last_seen_at"].as_i64().unwrap() > 0);
}

#[test]
fn messages_are_paged_before_and_after() {
    let app = spawn_app();
    let account = app.create_account();
    let visitor = app.visitor(&widget_inbox(app, &account, json!({})), json!({}));
    let id = visitor.start_conversation();
    let ids: Vec<i64> = (0..25)
        .map(|n| visitor.say(id, &format!("m{n}")).body["id"].as_i64().unwrap())
        .collect();
    let page = |query: &str| -> Vec<i64> {
        let reply = visitor.call("GET", &format!("/conversations/{id}/messages{query}"), None);
        assert_eq!(reply.status, 200, "{query}: {}", reply.text);
        reply
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(page(""), ids[5..]);
    assert_eq!(page(&format!("?before={}", ids[5])), ids[..5]);
    assert_eq!(page(&format!("?before={}", ids[24])), ids[4..24]);
    assert_eq!(page(&format!("?after={}", ids[2])), ids[3..]);
    assert_eq!(page(&format!("?after={}", ids[24])), Vec::<i64>::new());
    let bad = visitor.call("GET", &format!("/conversations/{id}/messages?after=abc"), None);
    assert_eq!(bad.status, 422);
}

#[test]
fn messages_carry_sender_echo_id_and_content_rules() {
    let app = spawn_app();
    let account = app.create_account();
    let visitor = app.visitor(&widget_inbox(app, &account, json!({})), json!({"name": "Ivy"}));
    let id = visitor.start_conversation();
    let sent = visitor.call(
        "POST",
        &format!("/conversations/{id}/messages"),
        Some(json!({"content": "<b>hi</b>", "echo_id": "tmp-1"})),
    );
    assert_eq!(sent.status, 200, "{}", sent.text);
    let message = &sent.body;
    assert_eq!(
        message["content"], "<b>hi</b>",
        "stored as text, rendered safely by clients"
    );
    assert_eq!(message["message_type"], 0);
    assert_eq!(message["content_type"], "text");
    assert_eq!(message["conversation_id"], id);
    assert_eq!(message["echo_id"], "tmp-1");
    assert_eq!(message["sender"]["type"], "contact");
    assert_eq!(message["sender"]["name"], "Ivy");
    assert!(
        visitor.messages(id)[0].get("echo_id").is_none(),
        "echo_id is not stored"
    );

    let too_long = visitor.say(id, &"a".repeat(150_001));
    assert_eq!(too_long.status, 422);
    assert_eq!(
        too_long.body,
        json!({"message": "Content is too long (maximum is 150000 characters)", "attributes": ["content"]})
    );
    assert_eq!(
        visitor.say(id, &"é".repeat(150_000)).status,
        200,
        "the limit counts characters"
    );
    for bad in [json!({}), json!({"content": ""}), json!({"content": 42})] {
        assert_eq!(
            visitor
                .call("POST", &format!("/conversations/{id}/messages"), Some(bad))
                .status,
            422
        );
    }
}

#[test]
fn private_notes_and_activity_never_reach_the_visitor() {
    let app = spawn_app();
    let account = app.create_account();
    let visitor = app.visitor(&widget_inbox(app, &account, json!({})), json!({}));
    let id = visitor.start_conversation();
    let reply = account.reply(app, id, json!({"content": "Public answer"}));
    assert_eq!(reply.body["sender"]["type"], "user");
    assert_eq!(reply.body["sender"]["available_name"], "Ada Admin");
    let note = account.reply(app, id, json!({"content": "Internal: VIP customer", "private": true}));
    assert_eq!((note.status, note.body["private"].clone()), (200, json!(true)));
    let resolve = account.path(&format!("/conversations/{id}/toggle_status"));
    let resolved = app.call("POST", &resolve, account.admin.auth(), None);
    assert_eq!(
        resolved.body["payload"]["current_status"], "resolved",
        "{}",
        resolved.text
    );

    let contents: Vec<String> = visitor
        .messages(id)
        .iter()
        .map(|m| m["content"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(contents, ["Public answer"]);
    let embedded = visitor.call("GET", &format!("/conversations/{id}"), None).body;
    assert_eq!(embedded["messages"].as_array().unwrap().len(), 1);
    assert!(!embedded.to_string().contains("VIP"));
}

#[test]
fn agents_answer_only_conversations_of_their_inboxes() {
    let app = spawn_app();
    let account = app.create_account();
    let visitor = app.visitor(&widget_inbox(app, &account, json!({})), json!({}));
    let id = visitor.start_conversation();
    let path = account.path(&format!("/conversations/{id}/messages"));
    let refused = app.call("POST", &path, account.agent.auth(), Some(json!({"content": "hi"})));
    assert_eq!(refused.status, 404, "the agent is not a member of the inbox");
    let other = app.create_account();
    let foreign = app.call(
        "POST",
        &other.path(&format!("/conversations/{id}/messages")),
        other.admin.auth(),
        Some(json!({"content": "hi"})),
    );
    assert_eq!(foreign.status, 404, "display ids do not cross accounts");
    let bad_type = account.reply(app, id, json!({"content": "x", "message_type": "activity"}));
    assert_eq!(bad_type.status, 422);
    assert_eq!(visitor.messages(id), Vec::<Value>::new());
}

#[test]
fn unread_counts_the_replies_since_the_visitor_last_looked() {
    let app = spawn_app();
    let account = app.create_account();
    let visitor = app.visitor(&widget_inbox(app, &account, json!({})), json!({}));
    let nothing = visitor.call("GET", "/unread", None);
    assert_eq!(nothing.status, 200, "{}", nothing.text);
    assert_eq!(nothing.body, json!({"unread_count": 0, "last_message": null}));

    let id = visitor.start_conversation();
    assert_eq!(visitor.say(id, "Is it in stock?").status, 200);
    for content in ["Let me check.", "Yes, two left."] {
        assert_eq!(account.reply(app, id, json!({ "content": content })).status, 200);
    }
    let note = account.reply(app, id, json!({"content": "call the warehouse", "private": true}));
    assert_eq!(note.status, 200, "{}", note.text);
    let unread = visitor.call("GET", "/unread", None);
    assert_eq!(unread.body["unread_count"], 2, "{}", unread.text);
    assert_eq!(unread.body["last_message"]["content"], "Yes, two left.");
    assert_eq!(unread.body["last_message"]["sender"]["type"], "user");
    assert!(!unread.text.contains("warehouse"), "private notes stay private");

    let seen = visitor.call("POST", &format!("/conversations/{id}/update_last_seen"), None);
    assert_eq!(seen.status, 200);
    assert_eq!(visitor.call("GET", "/unread", None).body["unread_count"], 0);

    let path = format!(
        "/public/api/v1/inboxes/{}/contacts/nobody/unread",
        visitor.inbox_identifier
    );
    assert_eq!(app.call_with("GET", &path, None, &[]).status, 404);
}
