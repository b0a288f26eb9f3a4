//! `/cable` (contract §4) with real WebSocket clients.

use std::time::Duration;

use nimchat_tests::cable::{agent_cable, identifier, visitor_cable, Cable};
use nimchat_tests::{spawn_app, TestAccount, TestApp, TestVisitor};
use serde_json::{json, Value};

/// An account whose agent works a web-widget inbox, and a visitor with a conversation.
fn scene(app: &TestApp) -> (TestAccount, TestVisitor<'_>, i64) {
    let account = app.create_account();
    let inbox = account.create_inbox(app, "Live");
    account.add_inbox_members(app, &inbox, &[account.agent.id]);
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({"name": "Vera"}));
    let conversation = visitor.start_conversation();
    (account, visitor, conversation)
}

fn contents(events: &[Value], name: &str) -> Vec<String> {
    events
        .iter()
        .filter(|event| event["event"] == name)
        .map(|event| event["data"]["content"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn clients_are_welcomed_and_actioncable_clients_pinged() {
    let app = spawn_app();
    let (_, visitor, _) = scene(app);
    let mut chatwoot_style = Cable::connect(&app.cable_url(""));
    assert_eq!(
        chatwoot_style.next_frame(Duration::from_secs(5)),
        Some(json!({"type": "welcome"}))
    );
    let ping = chatwoot_style
        .next_frame(Duration::from_secs(5))
        .expect("a ping within 3 seconds or so");
    assert_eq!(ping["type"], "ping");
    assert!(ping["message"].as_i64().unwrap() > 1_700_000_000);

    let query = format!("?pubsub_token={}&heartbeat=client", visitor.pubsub_token);
    let mut widget_style = Cable::connect(&app.cable_url(&query));
    assert_eq!(
        widget_style.next_frame(Duration::from_secs(5)),
        Some(json!({"type": "welcome"}))
    );
    assert_eq!(
        widget_style.next_frame(Duration::from_secs(4)),
        None,
        "no server pings for a client heartbeat"
    );
}

#[test]
fn valid_tokens_are_confirmed_and_unknown_ones_rejected() {
    let app = spawn_app();
    let (account, visitor, _) = scene(app);
    let mut cable = Cable::connect(&app.cable_url(""));
    assert_eq!(
        cable.subscribe(&identifier("0123456789abcdef0123456789abcdef", None, None)),
        "reject_subscription"
    );
    assert_eq!(
        cable.subscribe(&identifier(&visitor.pubsub_token, None, None)),
        "confirm_subscription"
    );
    let other = app.create_account();
    let agent_token = app.call("GET", "/api/v1/profile", other.agent.auth(), None).body["pubsub_token"].clone();
    let foreign = identifier(agent_token.as_str().unwrap(), Some(account.id), Some(other.agent.id));
    assert_eq!(
        cable.subscribe(&foreign),
        "reject_subscription",
        "an agent of another account"
    );
    let bad_url = tungstenite::connect(app.cable_url("?pubsub_token=unknown"));
    assert!(
        bad_url.is_err(),
        "an unknown token in the URL is refused at the handshake"
    );
}

#[test]
fn a_visitor_message_reaches_agents_and_the_visitor_with_its_echo_id() {
    let app = spawn_app();
    let (account, visitor, conversation) = scene(app);
    let mut agent = agent_cable(app, &account, &account.agent);
    let mut admin = agent_cable(app, &account, &account.admin);
    let mut own = visitor_cable(app, &visitor, false);
    let sent = visitor.call(
        "POST",
        &format!("/conversations/{conversation}/messages"),
        Some(json!({"content": "Hello?", "echo_id": "echo-7"})),
    );
    assert_eq!(sent.status, 200);
    for cable in [&mut agent, &mut admin, &mut own] {
        let data = cable.wait_for("message.created", |data| data["content"] == "Hello?");
        assert_eq!(data["echo_id"], "echo-7");
        assert_eq!(data["conversation_id"], conversation);
        assert_eq!(data["sender"]["type"], "contact");
    }
}

#[test]
fn agent_replies_reach_the_visitor_and_notes_only_agents() {
    let app = spawn_app();
    let (account, visitor, conversation) = scene(app);
    let mut agent = agent_cable(app, &account, &account.agent);
    let mut direct = visitor_cable(app, &visitor, true);
    assert_eq!(
        account
            .reply(app, conversation, json!({"content": "Internal only", "private": true}))
            .status,
        200
    );
    assert_eq!(
        account
            .reply(app, conversation, json!({"content": "We are on it"}))
            .status,
        200
    );

    let data = direct.wait_for("message.created", |data| data["content"] == "We are on it");
    assert_eq!(data["message_type"], 1);
    assert_eq!(data["sender"]["type"], "user");
    agent.wait_for("message.created", |data| {
        data["content"] == "Internal only" && data["private"] == true
    });
    let visitor_events = direct.events_within(Duration::from_secs(1));
    assert!(!visitor_events
        .iter()
        .any(|event| event.to_string().contains("Internal only")));
}

#[test]
fn typing_travels_both_ways_but_private_typing_stays_with_agents() {
    let app = spawn_app();
    let (account, visitor, conversation) = scene(app);
    let mut agent = agent_cable(app, &account, &account.agent);
    let mut own = visitor_cable(app, &visitor, true);

    let typing = |status: &str| json!({"typing_status": status});
    let path = format!("/conversations/{conversation}/toggle_typing");
    assert_eq!(visitor.call("POST", &path, Some(typing("on"))).status, 200);
    let data = agent.wait_for("conversation.typing_on", |data| {
        data["conversation"]["id"] == conversation
    });
    assert_eq!(data["user"]["type"], "contact");
    visitor.call("POST", &path, Some(typing("off")));
    agent.wait_for("conversation.typing_off", |_| true);

    let agent_path = account.path(&format!("/conversations/{conversation}/toggle_typing_status"));
    let private = app.call(
        "POST",
        &agent_path,
        account.agent.auth(),
        Some(json!({"typing_status": "on", "is_private": true})),
    );
    assert_eq!(private.status, 200, "{}", private.text);
    let public = app.call("POST", &agent_path, account.agent.auth(), Some(typing("on")));
    assert_eq!(public.status, 200);
    let seen = own.wait_for("conversation.typing_on", |_| true);
    assert_eq!(seen["user"]["type"], "user");
    assert_eq!(
        seen["is_private"], false,
        "the private typing never reached the visitor"
    );
    let bad = app.call("POST", &agent_path, account.agent.auth(), Some(typing("maybe")));
    assert_eq!(bad.status, 422);
}

#[test]
fn resolving_announces_the_status_and_the_read_receipt_goes_to_agents() {
    let app = spawn_app();
    let (account, visitor, conversation) = scene(app);
    let mut agent = agent_cable(app, &account, &account.agent);
    let mut own = visitor_cable(app, &visitor, true);
    visitor.call("POST", &format!("/conversations/{conversation}/update_last_seen"), None);
    agent.wait_for("conversation.read", |data| data["id"] == conversation);

    let resolve = account.path(&format!("/conversations/{conversation}/toggle_status"));
    assert_eq!(
        app.call(
            "POST",
            &resolve,
            account.agent.auth(),
            Some(json!({"status": "resolved"}))
        )
        .status,
        200
    );
    let data = own.wait_for("conversation.status_changed", |data| data["status"] == "resolved");
    assert_eq!(data["id"], conversation);
    own.wait_for("conversation.updated", |data| data["status"] == "resolved");
    agent.wait_for("conversation.status_changed", |data| data["status"] == "resolved");
    agent.wait_for("conversation.updated", |data| data["status"] == "resolved");
    agent.wait_for("message.created", |data| data["message_type"] == 2);
    let visitor_events = own.events_within(Duration::from_secs(1));
    assert!(
        visitor_events.iter().all(|event| event["data"]["message_type"] != 2),
        "no activity messages"
    );
    assert!(!visitor_events.iter().any(|event| event["event"] == "conversation.read"));
}

#[test]
fn two_visitors_never_see_each_others_events() {
    let app = spawn_app();
    let (account, alice, alice_conversation) = scene(app);
    let inbox_identifier = alice.inbox_identifier.clone();
    let bob = app.visitor(&inbox_identifier, json!({}));
    let bob_conversation = bob.start_conversation();
    let mut alice_socket = visitor_cable(app, &alice, false);
    let mut bob_socket = visitor_cable(app, &bob, true);
    alice.say(alice_conversation, "alice's secret");
    account.reply(app, bob_conversation, json!({"content": "for bob"}));
    alice_socket.wait_for("message.created", |data| data["content"] == "alice's secret");
    bob_socket.wait_for("message.created", |data| data["content"] == "for bob");
    let (alice_rest, bob_rest) = (
        alice_socket.events_within(Duration::from_secs(1)),
        bob_socket.events_within(Duration::from_secs(1)),
    );
    assert!(!alice_rest.iter().chain(bob_rest.iter()).any(|event| {
        let text = event.to_string();
        (text.contains("for bob") && text.contains("alice")) || text.contains("alice's secret") && text.contains("bob")
    }));
    assert!(!bob_rest
        .iter()
        .any(|event| event.to_string().contains("alice's secret")));
    assert!(!alice_rest.iter().any(|event| event.to_string().contains("for bob")));
}

#[test]
fn fifty_quick_messages_arrive_in_order() {
    let app = spawn_app();
    let (account, visitor, conversation) = scene(app);
    let mut agent = agent_cable(app, &account, &account.agent);
    let mut own = visitor_cable(app, &visitor, true);
    let sent: Vec<String> = (0..50).map(|n| format!("quick {n}")).collect();
    for content in &sent {
        assert_eq!(visitor.say(conversation, content).status, 200);
    }
    for cable in [&mut agent, &mut own] {
        let mut received = Vec::new();
        while received.len() < 50 {
            let events = cable.events_within(Duration::from_secs(2));
            assert!(!events.is_empty(), "stalled after {} messages", received.len());
            received.extend(
                contents(&events, "message.created")
                    .into_iter()
                    .filter(|c| c.starts_with("quick")),
            );
        }
        assert_eq!(received, sent);
    }
}

#[test]
fn a_client_that_reconnects_and_catches_up_has_every_message_once() {
    let app = spawn_app();
    let (account, visitor, conversation) = scene(app);
    let mut first = visitor_cable(app, &visitor, true);
    let mut seen: Vec<i64> = Vec::new();
    for n in 0..3 {
        account.reply(app, conversation, json!({"content": format!("before {n}")}));
        seen.push(
            first.wait_for("message.created", |data| data["content"] == format!("before {n}"))["id"]
                .as_i64()
                .unwrap(),
        );
    }
    first.close();
    for n in 0..4 {
        account.reply(app, conversation, json!({"content": format!("missed {n}")}));
    }
    let mut again = visitor_cable(app, &visitor, true);
    let last = *seen.last().unwrap();
    let caught_up = visitor.call(
        "GET",
        &format!("/conversations/{conversation}/messages?after={last}"),
        None,
    );
    seen.extend(
        caught_up
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_i64().unwrap()),
    );
    account.reply(app, conversation, json!({"content": "after"}));
    seen.push(
        again.wait_for("message.created", |data| data["content"] == "after")["id"]
            .as_i64()
            .unwrap(),
    );

    let all: Vec<i64> = visitor
        .messages(conversation)
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect();
    assert_eq!(all.len(), 8);
    assert_eq!(seen, all, "every message exactly once, in order");
}

#[test]
fn malformed_frames_are_ignored_or_closed_without_harming_others() {
    let app = spawn_app();
    let (account, visitor, conversation) = scene(app);
    let mut bystander = visitor_cable(app, &visitor, false);
    let mut rude = Cable::connect(&app.cable_url(""));
    for frame in [
        "not json",
        "[]",
        r#"{"command":"dance","identifier":"x"}"#,
        r#"{"command":"subscribe"}"#,
        r#"{"command":"subscribe","identifier":"{broken"}"#,
        r#"{"command":"message","identifier":"x","data":"not json"}"#,
    ] {
        rude.send_text(frame);
    }
    assert_eq!(
        rude.subscribe(&identifier(&visitor.pubsub_token, None, None)),
        "confirm_subscription",
        "still served"
    );
    rude.send_text(&"x".repeat(64 * 1024));
    assert_eq!(rude.events_within(Duration::from_secs(2)), Vec::<Value>::new());
    account.reply(app, conversation, json!({"content": "still flowing"}));
    bystander.wait_for("message.created", |data| data["content"] == "still flowing");
    let presence = json!({"command": "message", "identifier": identifier(&visitor.pubsub_token, None, None),
                          "data": "{\"action\":\"update_presence\"}"});
    bystander.send_text(&presence.to_string());
    let mut agent = agent_cable(app, &account, &account.agent);
    bystander.send_text(&presence.to_string());
    agent.wait_for("presence.update", |data| data["contact_id"] == visitor.contact_id);
}

#[test]
fn waiting_visitors_learn_their_place_in_the_queue() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox_with(
        app,
        json!({"name": "Queue", "enable_auto_assignment": false,
               "channel": {"type": "web_widget", "website_url": "https://shop.example"}}),
    );
    account.add_inbox_members(app, &inbox, &[account.agent.id]);
    let identifier = inbox["inbox_identifier"].as_str().unwrap();
    let visitors: Vec<TestVisitor> = ["Ann", "Bo", "Cy"]
        .into_iter()
        .map(|name| app.visitor(identifier, json!({"name": name})))
        .collect();
    let conversations: Vec<i64> = visitors.iter().map(TestVisitor::start_conversation).collect();
    let place = |who: usize| {
        let reply = visitors[who].call("GET", &format!("/conversations/{}", conversations[who]), None);
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.body["queue_position"].clone()
    };
    assert_eq!([place(0), place(1), place(2)], [json!(1), json!(2), json!(3)]);
    let mut cables: Vec<Cable> = visitors
        .iter()
        .map(|visitor| visitor_cable(app, visitor, true))
        .collect();
    let announced = |cable: &mut Cable, conversation: i64| {
        cable.wait_for("conversation.queue_position", |data| {
            data["conversation_id"] == conversation
        })["position"]
            .clone()
    };

    // An agent takes the first: the others move up, and the first stops waiting.
    account.assign_to_agent(app, conversations[0]);
    assert_eq!(announced(&mut cables[0], conversations[0]), Value::Null);
    assert_eq!(announced(&mut cables[1], conversations[1]), json!(1));
    assert_eq!(announced(&mut cables[2], conversations[2]), json!(2));
    assert_eq!(place(0), Value::Null, "assigned conversations do not wait");

    // The second visitor resolves, then writes again: back in the queue, at the end.
    let resolved = visitors[1].call(
        "POST",
        &format!("/conversations/{}/toggle_status", conversations[1]),
        None,
    );
    assert_eq!(resolved.status, 200, "{}", resolved.text);
    assert_eq!(announced(&mut cables[1], conversations[1]), Value::Null);
    assert_eq!(announced(&mut cables[2], conversations[2]), json!(1));
    assert_eq!(visitors[1].say(conversations[1], "One more thing").status, 200);
    assert_eq!(announced(&mut cables[1], conversations[1]), json!(2));
    assert_eq!([place(1), place(2)], [json!(2), json!(1)]);
    for cable in cables {
        cable.close();
    }
}

#[test]
fn agents_hear_only_the_inboxes_they_work_and_administrators_hear_all() {
    let app = spawn_app();
    let (account, visitor, conversation) = scene(app);
    let elsewhere = account.create_inbox(app, "Elsewhere");
    let stranger = app.visitor(elsewhere["inbox_identifier"].as_str().unwrap(), json!({"name": "Sam"}));
    let unseen = stranger.start_conversation();
    let mut agent = agent_cable(app, &account, &account.agent);
    let mut admin = agent_cable(app, &account, &account.admin);

    assert_eq!(stranger.say(unseen, "Anyone in the other inbox?").status, 200);
    assert_eq!(visitor.say(conversation, "Hello from the agent's inbox").status, 200);
    let heard = |cable: &mut Cable| contents(&cable.events_within(Duration::from_secs(3)), "message.created");
    assert_eq!(heard(&mut agent), ["Hello from the agent's inbox"]);
    assert_eq!(
        heard(&mut admin),
        ["Anyone in the other inbox?", "Hello from the agent's inbox"]
    );
    agent.close();
    admin.close();
}

#[test]
fn a_removed_agents_conversations_are_announced_as_handed_back() {
    let app = spawn_app();
    let (account, visitor, conversation) = scene(app);
    account.assign_to_agent(app, conversation);
    let mut admin = agent_cable(app, &account, &account.admin);
    let mut vera = visitor_cable(app, &visitor, true);

    let path = account.path(&format!("/agents/{}", account.agent.id));
    let removed = app.call("DELETE", &path, account.admin.auth(), None);
    assert_eq!(removed.status, 200, "{}", removed.text);
    let change = admin.wait_for("assignee.changed", |data| data["id"] == conversation);
    assert_eq!(change["meta"]["assignee"], Value::Null, "{change}");
    let place = vera.wait_for("conversation.queue_position", |data| {
        data["conversation_id"] == conversation
    });
    assert_eq!(place["position"], 1, "waiting again, first in line");
}

#[test]
fn subscriptions_naming_no_room_or_the_wrong_stream_are_rejected() {
    let app = spawn_app();
    let (account, visitor, _) = scene(app);
    let mut cable = Cable::connect(&app.cable_url(""));
    for refused in [
        r#"{"channel":"RoomChannel"}"#.to_string(),
        r#"{"channel":"RoomChannel","pubsub_token":""}"#.to_string(),
        "not json".to_string(),
        identifier(&visitor.pubsub_token, Some(account.id), Some(account.agent.id)),
        identifier(&visitor.pubsub_token, Some(account.id), None),
    ] {
        assert_eq!(cable.subscribe(&refused), "reject_subscription", "{refused}");
    }
    assert_eq!(
        cable.subscribe(&identifier(&visitor.pubsub_token, None, None)),
        "confirm_subscription"
    );
}
