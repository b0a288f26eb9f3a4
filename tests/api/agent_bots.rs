//! Agent bots (contract 7.2): the account's own bots, the events of the contacts a bot owns
//! delivered to its `outgoing_url`, what its token may do, and the handover to the team.

use std::time::Duration;

use nimchat_tests::cable::{agent_cable, visitor_cable};
use nimchat_tests::webhook_receiver::{Behaviour, Receiver};
use nimchat_tests::{spawn_app, Auth, TestAccount, TestApp};
use serde_json::{json, Value};

use crate::webhooks::assert_signed;

const ARRIVAL: Duration = Duration::from_secs(20);

/// An account bot hearing at `url`, connected to a new web-widget inbox that does not
/// assign by itself; answers the inbox and the bot (with its token and secret).
fn inbox_with_bot(app: &TestApp, account: &TestAccount, url: &str) -> (Value, Value) {
    let inbox = account.create_quiet_inbox(app);
    let bot = account.admin_call(
        app,
        "POST",
        "/agent_bots",
        Some(json!({"name": "Triage", "description": "Answers first", "outgoing_url": url})),
    );
    assert_eq!(bot.status, 200, "{}", bot.text);
    account.connect_bot(app, &inbox, &bot.body["id"]);
    (inbox, bot.body)
}

#[test]
fn administrators_keep_the_accounts_bots_and_agents_only_see_them() {
    let app = spawn_app();
    let account = app.create_account();
    let other = app.create_account();
    let platform_bot = app.platform("POST", "/agent_bots", Some(json!({"name": "Everywhere"})));
    assert_eq!(platform_bot.status, 200);
    let created = account.admin_call(
        app,
        "POST",
        "/agent_bots",
        Some(json!({"name": "Triage", "outgoing_url": "https://bot.example.com/hook"})),
    );
    assert_eq!(created.status, 200, "{}", created.text);
    assert_eq!(created.body["account_id"], account.id);
    assert_eq!(created.body["bot_type"], "webhook");
    assert!(created.body["access_token"].is_string());
    assert!(created.body["secret"]
        .as_str()
        .is_some_and(|secret| secret.starts_with("whsec_")));
    let path = format!("/agent_bots/{}", created.body["id"]);

    let listed = app.call("GET", &account.path("/agent_bots"), account.agent.auth(), None);
    assert_eq!(listed.status, 200, "{}", listed.text);
    let ids: Vec<&Value> = listed
        .body
        .as_array()
        .expect("a bare array")
        .iter()
        .map(|bot| &bot["id"])
        .collect();
    assert!(ids.contains(&&created.body["id"]) && ids.contains(&&platform_bot.body["id"]));
    assert!(listed.text.find("access_token").is_none() && listed.text.find("whsec_").is_none());
    let by_agent = app.call("GET", &account.path(&path), account.agent.auth(), None);
    assert_eq!(by_agent.status, 200);
    assert!(by_agent.body.get("access_token").is_none() && by_agent.body.get("secret").is_none());
    let by_admin = account.admin_call(app, "GET", &path, None);
    assert_eq!(by_admin.body["secret"], created.body["secret"]);
    let platform_shown = account.admin_call(app, "GET", &format!("/agent_bots/{}", platform_bot.body["id"]), None);
    assert_eq!(platform_shown.status, 200);
    assert!(
        platform_shown.body.get("access_token").is_none(),
        "a platform bot's token is not the account's"
    );

    for (method, body) in [
        (
            "POST",
            Some(json!({"name": "X", "outgoing_url": "https://x.example.com/"})),
        ),
        ("PATCH", Some(json!({"name": "Y"}))),
        ("DELETE", None),
    ] {
        let route = if method == "POST" {
            "/agent_bots".to_string()
        } else {
            path.clone()
        };
        let reply = app.call(method, &account.path(&route), account.agent.auth(), body);
        assert_eq!(reply.status, 403, "agent {method}: {}", reply.text);
    }
    for (body, field) in [
        (json!({"name": "No URL"}), "outgoing_url"),
        (
            json!({"name": "Bad URL", "outgoing_url": "ftp://bot.example.com/"}),
            "outgoing_url",
        ),
        (json!({"outgoing_url": "https://bot.example.com/"}), "name"),
    ] {
        let reply = account.admin_call(app, "POST", "/agent_bots", Some(body.clone()));
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert!(reply.text.contains(field), "{}", reply.text);
    }
    let renamed = account.admin_call(app, "PATCH", &path, Some(json!({"name": "Triage 2"})));
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(renamed.body["name"], "Triage 2");
    assert_eq!(renamed.body["outgoing_url"], "https://bot.example.com/hook");

    // Another account neither sees nor connects nor changes it.
    let foreign = app.call("GET", &other.path(&path), other.admin.auth(), None);
    assert_eq!(foreign.status, 404);
    assert_eq!(
        app.call("DELETE", &other.path(&path), other.admin.auth(), None).status,
        404
    );
    let other_inbox = other.create_inbox(app, "Theirs");
    let connect = other.admin_call(
        app,
        "POST",
        &format!("/inboxes/{}/set_agent_bot", other_inbox["id"]),
        Some(json!({"agent_bot": created.body["id"]})),
    );
    assert_eq!(connect.status, 404, "{}", connect.text);
    let platform_delete = account.admin_call(app, "DELETE", &format!("/agent_bots/{}", platform_bot.body["id"]), None);
    assert_eq!(
        platform_delete.status, 404,
        "the platform's bots are not the account's to delete"
    );

    assert_eq!(account.admin_call(app, "DELETE", &path, None).status, 200);
    assert_eq!(account.admin_call(app, "GET", &path, None).status, 404);
}

#[test]
fn a_bot_answers_its_visitor_then_hands_over_and_hears_no_more() {
    let app = spawn_app();
    let account = app.create_account();
    let receiver = Receiver::start(Behaviour::default());
    let (inbox, bot) = inbox_with_bot(app, &account, &receiver.url);
    let token = bot["access_token"].as_str().expect("a token").to_string();
    let secret = bot["secret"].as_str().expect("a secret").to_string();
    let bot_call = |method: &str, path: &str, body: Option<Value>| {
        app.call(method, &account.path(path), Auth::Chatwoot(&token), body)
    };

    let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({"name": "Kim"}));
    assert_eq!(
        visitor
            .call("POST", "/events", Some(json!({"name": "webwidget.triggered"})))
            .status,
        200
    );
    let conversation = visitor.start_conversation();
    let mut socket = visitor_cable(app, &visitor, true);
    assert_eq!(visitor.say(conversation, "I need help with my order").status, 200);

    let heard = receiver.events("message_created", 1, ARRIVAL);
    assert_eq!(heard.len(), 1, "{:?}", receiver.received());
    assert_signed(&heard[0], &secret);
    assert_eq!(heard[0].json()["message_type"], "incoming");
    assert_eq!(heard[0].json()["content"], "I need help with my order");
    assert_eq!(receiver.events("webwidget_triggered", 1, ARRIVAL).len(), 1);

    // The bot reads and answers with its token; the visitor's socket gets the answer.
    assert_eq!(
        bot_call("GET", &format!("/conversations/{conversation}"), None).status,
        200
    );
    let messages = bot_call("GET", &format!("/conversations/{conversation}/messages"), None);
    assert_eq!(messages.status, 200, "{}", messages.text);
    let typing = bot_call(
        "POST",
        &format!("/conversations/{conversation}/toggle_typing_status"),
        Some(json!({"typing_status": "on"})),
    );
    assert_eq!(typing.status, 200, "{}", typing.text);
    let answer = bot_call(
        "POST",
        &format!("/conversations/{conversation}/messages"),
        Some(json!({"content": "Which order number?"})),
    );
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.body["sender"]["type"], "agent_bot");
    let arrived = socket.wait_for("message.created", |data| data["content"] == "Which order number?");
    assert_eq!(arrived["sender"]["type"], "agent_bot");
    let incoming = bot_call(
        "POST",
        &format!("/conversations/{conversation}/messages"),
        Some(json!({"content": "fake", "message_type": "incoming"})),
    );
    assert_eq!(incoming.status, 422, "{}", incoming.text);
    assert_eq!(bot_call("GET", "/contacts", None).status, 403);
    assert_eq!(
        app.call("GET", "/platform/api/v1/agent_bots", Auth::Chatwoot(&token), None)
            .status,
        401
    );

    // The bot hands over by reopening: the conversation waits in the queue for the team.
    let mut agent = agent_cable(app, &account, &account.agent);
    let reopened = bot_call(
        "POST",
        &format!("/conversations/{conversation}/toggle_status"),
        Some(json!({"status": "open"})),
    );
    assert_eq!(reopened.status, 200, "{}", reopened.text);
    agent.wait_for("inquiry.created", |data| nimchat_tests::is_room(data, conversation));
    let shown = account.admin_call(app, "GET", &format!("/conversations/{conversation}"), None);
    assert_eq!(
        (shown.body["status"].clone(), shown.body["meta"]["assignee"].clone()),
        (json!("open"), Value::Null)
    );
    assert!(shown.body["waiting_since"].is_i64(), "in the queue: {}", shown.text);
    let owner = app.call(
        "GET",
        &format!("/{}/inbox/handover/livechat/{}", account.id, visitor.source_id),
        account.admin.auth(),
        None,
    );
    assert_eq!(owner.body["owner"], "nimchat");
    assert_eq!(owner.body["updated_by"], json!({"type": "agent_bot", "id": bot["id"]}));

    // From now on the bot hears nothing of this contact.
    let before = receiver.received().len();
    assert_eq!(visitor.say(conversation, "Order 42").status, 200);
    account.set_status(app, conversation, "resolved");
    std::thread::sleep(Duration::from_secs(4));
    let after = receiver.received();
    assert_eq!(
        after.len(),
        before,
        "nothing after the handover: {:?}",
        after[before..].iter().map(|one| one.event()).collect::<Vec<_>>()
    );
    assert!(
        after
            .iter()
            .all(|one| !(one.event() == "message_created" && one.json()["sender"]["type"] == "agent_bot")),
        "a bot never hears its own messages"
    );
}

#[test]
fn a_bot_that_cannot_be_reached_hands_the_visitor_to_the_team() {
    let app = spawn_app();
    let account = app.create_account();
    let down = Receiver::start(Behaviour {
        failures: usize::MAX,
        ..Behaviour::default()
    });
    let (inbox, _) = inbox_with_bot(app, &account, &down.url);
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({"name": "Noa"}));
    let conversation = visitor.start_conversation();
    assert_eq!(visitor.say(conversation, "anyone?").status, 200);

    // Attempts at about 0, 1 and 6 s; after the third, the team takes over.
    let tried = down.wait_until(Duration::from_secs(30), |received| {
        received.iter().filter(|one| one.event() == "message_created").count() >= 3
    });
    assert!(tried.iter().filter(|one| one.event() == "message_created").count() >= 3);
    let handover_path = format!("/{}/inbox/handover/livechat/{}", account.id, visitor.source_id);
    let mut owner = Value::Null;
    for _ in 0..50 {
        owner = app.call("GET", &handover_path, account.admin.auth(), None).body;
        if owner["owner"] == "nimchat" {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(owner["owner"], "nimchat", "{owner}");
    assert_eq!(owner["updated_by"], Value::Null, "nimchat itself handed over");
    let shown = account.admin_call(app, "GET", &format!("/conversations/{conversation}"), None);
    assert_eq!(shown.body["status"], "open");
    assert_eq!(
        account.activity_messages(app, conversation).last().map(String::as_str),
        Some("Conversation was handed over to the team: the bot could not be reached")
    );
}
