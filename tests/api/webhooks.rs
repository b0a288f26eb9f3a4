//! Webhooks (contract 7.1) against a real HTTP receiver on 127.0.0.1: what arrives, signed
//! how, retried when, logged where, and what the routes refuse.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use nimchat_tests::webhook_receiver::{Behaviour, Received, Receiver};
use nimchat_tests::{spawn_app, TestAccount, TestApp};
use serde_json::{json, Value};

const EVERY_EVENT: [&str; 10] = [
    "conversation_created",
    "conversation_status_changed",
    "conversation_updated",
    "message_created",
    "message_updated",
    "webwidget_triggered",
    "contact_created",
    "contact_updated",
    "conversation_typing_on",
    "conversation_typing_off",
];

/// Long enough for the first attempt (due within 3 s) on two busy cores.
const ARRIVAL: Duration = Duration::from_secs(20);

fn create_webhook(app: &TestApp, account: &TestAccount, body: Value) -> Value {
    let reply = account.admin_call(app, "POST", "/webhooks", Some(body));
    assert_eq!(reply.status, 200, "create webhook: {}", reply.text);
    reply.body
}

/// Checks the Standard Webhooks headers of a delivery against the endpoint's secret.
pub(crate) fn assert_signed(received: &Received, secret: &str) {
    let id = received.header("webhook-id");
    assert!(
        id.len() == 36
            && id.starts_with("msg_")
            && id[4..]
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
        "webhook-id {id:?}"
    );
    let timestamp: i64 = received.header("webhook-timestamp").parse().expect("a Unix timestamp");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock")
        .as_secs() as i64;
    assert!(
        (now - timestamp).abs() < 120,
        "timestamp {timestamp} is not now ({now})"
    );
    assert!(
        received.is_signed_with(secret),
        "signature {:?}",
        received.header("webhook-signature")
    );
    assert_eq!(received.header("content-type"), "application/json");
    assert!(!received.body.contains("pubsub_token"), "{}", received.body);
    assert!(!received.body.contains("access_token"), "{}", received.body);
    assert!(!received.body.contains("hmac_token"), "{}", received.body);
    assert!(!received.body.contains(secret), "{}", received.body);
}

fn deliveries(app: &TestApp, account: &TestAccount, webhook: &Value) -> Vec<Value> {
    let reply = account.admin_call(app, "GET", &format!("/webhooks/{}/deliveries", webhook["id"]), None);
    assert_eq!(reply.status, 200, "deliveries: {}", reply.text);
    reply.body["payload"].as_array().expect("a payload list").clone()
}

#[test]
fn administrators_manage_webhooks_and_bad_input_changes_nothing() {
    let app = spawn_app();
    let account = app.create_account();
    let other = app.create_account();
    let inbox = account.create_inbox(app, "Shop");
    let foreign_inbox = other.create_inbox(app, "Elsewhere");

    let created = create_webhook(
        app,
        &account,
        json!({"url": "https://hooks.example.com/a", "subscriptions": ["message_created", "message_created", "contact_created"],
               "name": "CRM"}),
    );
    assert_eq!(created["subscriptions"], json!(["message_created", "contact_created"]));
    assert_eq!(created["account_id"], account.id);
    assert_eq!(created["inbox_id"], Value::Null);
    let secret = created["secret"].as_str().expect("a secret");
    assert!(secret.starts_with("whsec_") && STANDARD.decode(&secret[6..]).map(|key| key.len()) == Ok(32));
    let second = create_webhook(
        app,
        &account,
        json!({"url": "http://hooks.example.com/b", "subscriptions": ["conversation_created"], "inbox_id": inbox["id"]}),
    );
    assert_ne!(second["secret"], created["secret"], "every webhook has its own secret");

    let listed = account.admin_call(app, "GET", "/webhooks", None);
    assert_eq!(listed.status, 200);
    let ids: Vec<&Value> = listed
        .body
        .as_array()
        .expect("a bare array")
        .iter()
        .map(|hook| &hook["id"])
        .collect();
    assert_eq!(ids, [&created["id"], &second["id"]]);
    assert!(listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .all(|hook| hook.get("secret").is_none()));
    let path = format!("/webhooks/{}", created["id"]);
    let shown = account.admin_call(app, "GET", &path, None);
    assert_eq!(shown.body["secret"], created["secret"]);

    let patched = account.admin_call(app, "PATCH", &path, Some(json!({"subscriptions": ["contact_updated"]})));
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(patched.body["subscriptions"], json!(["contact_updated"]));
    assert_eq!(
        patched.body["url"], "https://hooks.example.com/a",
        "PATCH changes only what it sends"
    );
    assert_eq!(patched.body["name"], "CRM");
    assert!(patched.body.get("secret").is_none());

    // Agents see nothing, another account's webhook is not there.
    for (method, route) in [
        ("GET", "/webhooks".to_string()),
        ("GET", path.clone()),
        ("DELETE", path.clone()),
    ] {
        let reply = app.call(method, &account.path(&route), account.agent.auth(), None);
        assert_eq!(reply.status, 403, "agent {method} {route}: {}", reply.text);
    }
    let agent_create = app.call(
        "POST",
        &account.path("/webhooks"),
        account.agent.auth(),
        Some(json!({"url": "https://x.example.com/", "subscriptions": ["message_created"]})),
    );
    assert_eq!(agent_create.status, 403);
    let foreign = app.call("GET", &other.path(&path), other.admin.auth(), None);
    assert_eq!(foreign.status, 404, "{}", foreign.text);

    let refused = [
        (json!({"subscriptions": ["message_created"]}), "url"),
        (
            json!({"url": "ftp://hooks.example.com/", "subscriptions": ["message_created"]}),
            "url",
        ),
        (
            json!({"url": "https://user:pw@hooks.example.com/", "subscriptions": ["message_created"]}),
            "url",
        ),
        (
            json!({"url": format!("https://hooks.example.com/{}", "a".repeat(2048)), "subscriptions": ["message_created"]}),
            "url",
        ),
        (
            json!({"url": "https://hooks.example.com/a", "subscriptions": ["message_created"]}),
            "url",
        ),
        (json!({"url": "https://hooks.example.com/c"}), "subscriptions"),
        (
            json!({"url": "https://hooks.example.com/c", "subscriptions": []}),
            "subscriptions",
        ),
        (
            json!({"url": "https://hooks.example.com/c", "subscriptions": ["inbox_created"]}),
            "subscriptions",
        ),
        (
            json!({"url": "https://hooks.example.com/c", "subscriptions": "message_created"}),
            "subscriptions",
        ),
        (
            json!({"url": "https://hooks.example.com/c", "subscriptions": ["message_created"], "name": "n".repeat(256)}),
            "name",
        ),
        (
            json!({"url": "https://hooks.example.com/c", "subscriptions": ["message_created"], "inbox_id": foreign_inbox["id"]}),
            "inbox_id",
        ),
    ];
    for (body, field) in refused {
        let reply = account.admin_call(app, "POST", "/webhooks", Some(body.clone()));
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert!(reply.text.contains(field), "{body} should name {field}: {}", reply.text);
    }
    let bad_patch = account.admin_call(
        app,
        "PATCH",
        &path,
        Some(json!({"url": "http://hooks.example.com/b", "name": "Taken"})),
    );
    assert_eq!(bad_patch.status, 422, "a URL the account has: {}", bad_patch.text);
    let not_object = app.send(
        "POST",
        &account.path("/webhooks"),
        account.admin.auth(),
        Some(b"[1]".to_vec()),
        "application/json",
    );
    assert_eq!(not_object.status, 400, "{}", not_object.text);
    let after = account.admin_call(app, "GET", "/webhooks", None);
    assert_eq!(after.body.as_array().unwrap().len(), 2, "nothing was added");
    assert_eq!(
        account.admin_call(app, "GET", &path, None).body["name"],
        "CRM",
        "nothing was changed"
    );

    let deleted = account.admin_call(app, "DELETE", &path, None);
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_eq!(account.admin_call(app, "GET", &path, None).status, 404);
    assert_eq!(
        account
            .admin_call(app, "GET", &format!("{path}/deliveries"), None)
            .status,
        404
    );
}

#[test]
fn every_event_arrives_once_per_endpoint_signed_with_its_secret() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox(app, "Shop");
    let quiet_inbox = account.create_inbox(app, "Quiet");
    let identifier = inbox["inbox_identifier"].as_str().expect("an identifier");
    let (first, second, scoped) = (
        Receiver::start(Behaviour::default()),
        Receiver::start(Behaviour::default()),
        Receiver::start(Behaviour::default()),
    );
    let hook_one = create_webhook(app, &account, json!({"url": first.url, "subscriptions": EVERY_EVENT}));
    let hook_two = create_webhook(app, &account, json!({"url": second.url, "subscriptions": EVERY_EVENT}));
    let quiet_hook = create_webhook(
        app,
        &account,
        json!({"url": scoped.url, "subscriptions": EVERY_EVENT, "inbox_id": quiet_inbox["id"]}),
    );

    // A visitor arrives, opens the widget, writes; an agent works the conversation.
    let visitor = app.visitor(
        identifier,
        json!({"name": "Vera Visitor", "email": format!("vera-{}@example.test", nimchat_tests::unique())}),
    );
    let opened = visitor.call(
        "POST",
        "/events",
        Some(json!({"name": "webwidget.triggered", "event_info": {"referer": "https://shop.example/cart"}})),
    );
    assert_eq!(opened.status, 200, "{}", opened.text);
    assert!(opened.text.is_empty(), "an empty body: {:?}", opened.text);
    let conversation = visitor.start_conversation();
    assert_eq!(visitor.say(conversation, "Where is my order?").status, 200);
    let conversation_path = format!("/conversations/{conversation}");
    assert_eq!(
        account
            .reply(app, conversation, json!({"content": "Let me look."}))
            .status,
        200
    );
    assert_eq!(
        account
            .reply(
                app,
                conversation,
                json!({"content": "Order 7 is late", "private": true})
            )
            .status,
        200
    );
    let typing = |status: &str| {
        let path = format!("{conversation_path}/toggle_typing_status");
        let reply = account.admin_call(app, "POST", &path, Some(json!({"typing_status": status})));
        assert_eq!(reply.status, 200, "{}", reply.text);
    };
    typing("on");
    typing("off");
    account.assign_to_agent(app, conversation);
    let labelled = account.admin_call(
        app,
        "POST",
        &format!("{conversation_path}/labels"),
        Some(json!({"labels": ["vip"]})),
    );
    assert_eq!(labelled.status, 200);
    account.set_status(app, conversation, "resolved");
    let renamed = visitor.call("PATCH", "", Some(json!({"name": "Vera V."})));
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    let agent_contact = account.admin_call(
        app,
        "POST",
        "/contacts",
        Some(json!({"inbox_id": inbox["id"], "name": "Carl Caller", "phone_number": "+15550100"})),
    );
    assert_eq!(agent_contact.status, 200, "{}", agent_contact.text);

    // conversation_updated: assignment, labels, status; message_created: visitor, reply,
    // note (the activity messages of assignment and resolution are not sent).
    let expected = [
        ("webwidget_triggered", 1),
        ("contact_created", 2),
        ("contact_updated", 1),
        ("conversation_created", 1),
        ("message_created", 3),
        ("conversation_typing_on", 1),
        ("conversation_typing_off", 1),
        ("conversation_updated", 3),
        ("conversation_status_changed", 1),
    ];
    let total: usize = expected.iter().map(|(_, count)| count).sum();
    for (receiver, hook) in [(&first, &hook_one), (&second, &hook_two)] {
        receiver.wait_until(ARRIVAL, |received| received.len() >= total);
        // Late duplicates would show up meanwhile.
        std::thread::sleep(Duration::from_secs(2));
        let received = receiver.received();
        for (event, count) in expected {
            let of_event: Vec<&Received> = received.iter().filter(|one| one.event() == event).collect();
            assert_eq!(
                of_event.len(),
                count,
                "{event}: {:?}",
                received.iter().map(Received::event).collect::<Vec<_>>()
            );
        }
        assert_eq!(received.len(), total, "nothing else arrived");
        let ids: HashSet<&str> = received.iter().map(|one| one.header("webhook-id")).collect();
        assert_eq!(ids.len(), total, "each event once, with its own id");
        let secret = account
            .admin_call(app, "GET", &format!("/webhooks/{}", hook["id"]), None)
            .body["secret"]
            .as_str()
            .expect("a secret")
            .to_string();
        for one in &received {
            assert_eq!(one.path, "/hook");
            assert_signed(one, &secret);
        }
    }
    let ids = |receiver: &Receiver| -> HashSet<String> {
        receiver
            .received()
            .iter()
            .map(|one| one.header("webhook-id").to_string())
            .collect()
    };
    assert!(ids(&first).is_disjoint(&ids(&second)), "ids are per endpoint");
    std::thread::sleep(Duration::from_secs(1));
    assert!(
        scoped.received().is_empty(),
        "a webhook of another inbox hears nothing: {:?}",
        scoped.received()
    );
    assert!(deliveries(app, &account, &quiet_hook).is_empty());

    // The payloads are Chatwoot's objects.
    let all = first.received();
    let find = |event: &str, test: &dyn Fn(&Value) -> bool| -> Value {
        all.iter()
            .map(Received::json)
            .find(|payload| payload["event"] == event && test(payload))
            .unwrap_or_else(|| panic!("no {event} as expected"))
    };
    let visitor_message = find("message_created", &|payload| payload["message_type"] == "incoming");
    assert_eq!(visitor_message["content"], "Where is my order?");
    assert_eq!(visitor_message["sender"]["type"], "contact");
    assert_eq!(visitor_message["sender"]["id"], visitor.contact_id);
    assert_eq!(visitor_message["private"], false);
    assert_eq!(visitor_message["inbox"], json!({"id": inbox["id"], "name": "Shop"}));
    assert_eq!(visitor_message["account"]["id"], account.id);
    assert_eq!(visitor_message["conversation"]["id"], conversation);
    assert_eq!(
        visitor_message["conversation"]["contact_inbox"]["source_id"],
        visitor.source_id.as_str()
    );
    assert!(visitor_message["created_at"]
        .as_str()
        .is_some_and(|at| at.ends_with('Z') && at.contains('T')));
    let reply = find("message_created", &|payload| {
        payload["message_type"] == "outgoing" && payload["private"] == false
    });
    assert_eq!(
        reply["sender"],
        json!({"id": account.admin.id, "name": "Ada Admin", "email": account.admin.email, "type": "user"})
    );
    let note = find("message_created", &|payload| payload["private"] == true);
    assert_eq!(note["content"], "Order 7 is late");
    let created = find("conversation_created", &|_| true);
    assert_eq!(created["id"], conversation);
    assert_eq!(created["status"], "open");
    assert_eq!(created["meta"]["sender"]["name"], "Vera Visitor");
    assert_eq!(created["meta"]["sender"]["type"], "contact");
    assert_eq!(created["meta"]["assignee"], Value::Null);
    let resolved = find("conversation_status_changed", &|_| true);
    assert_eq!(resolved["status"], "resolved");
    assert_eq!(
        resolved["changed_attributes"],
        json!([{"status": {"previous_value": "open", "current_value": "resolved"}}])
    );
    assert_eq!(resolved["meta"]["assignee"]["id"], account.agent.id);
    assert_eq!(
        resolved["messages"][0]["content"], "Let me look.",
        "the latest public message"
    );
    let labels = find("conversation_updated", &|payload| {
        payload["changed_attributes"][0].get("labels").is_some()
    });
    assert_eq!(
        labels["changed_attributes"][0]["labels"],
        json!({"previous_value": [], "current_value": ["vip"]})
    );
    let assigned = find("conversation_updated", &|payload| {
        payload["changed_attributes"][0].get("assignee_id").is_some()
    });
    assert_eq!(
        assigned["changed_attributes"][0]["assignee_id"]["current_value"],
        account.agent.id
    );
    let typing_on = find("conversation_typing_on", &|_| true);
    assert_eq!(typing_on["user"]["type"], "user");
    assert_eq!(typing_on["is_private"], false);
    assert_eq!(typing_on["conversation"]["id"], conversation);
    let renamed = find("contact_updated", &|_| true);
    assert_eq!(
        renamed["changed_attributes"],
        json!([{"name": {"previous_value": "Vera Visitor", "current_value": "Vera V."}}])
    );
    assert_eq!(renamed["account"]["id"], account.id);
    let carl = find("contact_created", &|payload| payload["name"] == "Carl Caller");
    assert_eq!(carl["phone_number"], "+15550100");
    assert_eq!(carl["type"], "contact");
    let triggered = find("webwidget_triggered", &|_| true);
    assert_eq!(triggered["source_id"], visitor.source_id.as_str());
    assert_eq!(triggered["contact"]["id"], visitor.contact_id);
    assert_eq!(triggered["inbox"]["name"], "Shop");
    assert_eq!(
        triggered["current_conversation"],
        Value::Null,
        "opened before the first conversation"
    );
    assert_eq!(triggered["event_info"]["referer"], "https://shop.example/cart");

    // The log shows each attempt.
    let log = deliveries(app, &account, &hook_one);
    assert_eq!(log.len(), total);
    assert!(log.iter().all(|attempt| attempt["status"] == "success"
        && attempt["attempt"] == 1
        && attempt["response_code"] == 200
        && attempt["error"].is_null()
        && attempt["next_attempt_at"].is_null()));
    assert!(
        log.windows(2)
            .all(|pair| pair[0]["id"].as_i64() > pair[1]["id"].as_i64()),
        "newest first"
    );
}

#[test]
fn a_receiver_that_fails_twice_gets_the_event_on_the_third_try_with_the_same_id() {
    let app = spawn_app();
    let account = app.create_account();
    let identifier = account.widget_inbox_identifier(app, "Shop");
    let receiver = Receiver::start(Behaviour {
        failures: 2,
        ..Behaviour::default()
    });
    let hook = create_webhook(
        app,
        &account,
        json!({"url": receiver.url, "subscriptions": ["message_created"]}),
    );
    let visitor = app.visitor(&identifier, json!({"name": "Rita"}));
    let conversation = visitor.start_conversation();
    assert_eq!(visitor.say(conversation, "hello?").status, 200);

    let started = Instant::now();
    let arrived = receiver.wait_until(Duration::from_secs(40), |received| received.len() >= 3);
    assert_eq!(arrived.len(), 3, "three attempts: {arrived:?}");
    assert_eq!(
        arrived.iter().map(|one| one.answered).collect::<Vec<_>>(),
        [500, 500, 200]
    );
    assert!(arrived
        .iter()
        .all(|one| one.header("webhook-id") == arrived[0].header("webhook-id")));
    assert!(
        arrived.iter().all(|one| one.body == arrived[0].body),
        "the body is byte-identical"
    );
    let secret = account
        .admin_call(app, "GET", &format!("/webhooks/{}", hook["id"]), None)
        .body["secret"]
        .as_str()
        .expect("a secret")
        .to_string();
    for one in &arrived {
        assert_signed(one, &secret);
    }
    std::thread::sleep(Duration::from_secs(8));
    assert_eq!(receiver.received().len(), 3, "a success ends it");

    let log = deliveries(app, &account, &hook);
    let summary: Vec<Value> = log
        .iter()
        .map(|attempt| {
            json!([
                attempt["attempt"],
                attempt["status"],
                attempt["response_code"],
                attempt["error"],
                attempt["next_attempt_at"].is_number()
            ])
        })
        .collect();
    assert_eq!(
        summary,
        [
            json!([3, "success", 200, null, false]),
            json!([2, "failed", 500, "http", true]),
            json!([1, "failed", 500, "http", true]),
        ]
    );
    assert!(log.iter().all(
        |attempt| attempt["message_id"] == arrived[0].header("webhook-id") && attempt["event"] == "message_created"
    ));
    // About 1 s, then about 5 s, between the attempts.
    let times: Vec<i64> = log
        .iter()
        .rev()
        .map(|attempt| attempt["attempted_at"].as_i64().unwrap())
        .collect();
    let second_wait = times[2] - times[1];
    assert!(
        (4..=9).contains(&second_wait),
        "5 s (up to 20 % more) before the third: {times:?}"
    );
    assert_eq!(log[2]["next_attempt_at"].as_i64().map(|at| at - times[0]), Some(1));
    println!("three attempts took {:?}", started.elapsed());
}

#[test]
fn a_slow_receiver_does_not_slow_the_visitor_and_a_deleted_webhook_gets_nothing_more() {
    let app = spawn_app();
    let hooked = app.create_account();
    let plain = app.create_account();
    let slow = Receiver::start(Behaviour {
        delay: Duration::from_secs(5),
        ..Behaviour::default()
    });
    let failing = Receiver::start(Behaviour {
        failures: usize::MAX,
        ..Behaviour::default()
    });
    create_webhook(
        app,
        &hooked,
        json!({"url": slow.url, "subscriptions": ["message_created"]}),
    );
    let doomed = create_webhook(
        app,
        &hooked,
        json!({"url": failing.url, "subscriptions": ["message_created"]}),
    );

    let time_messages = |account: &TestAccount| -> Duration {
        let identifier = account.widget_inbox_identifier(app, "Shop");
        let visitor = app.visitor(&identifier, json!({"name": "Sam"}));
        let conversation = visitor.start_conversation();
        let mut times: Vec<Duration> = (0..3)
            .map(|n| {
                let started = Instant::now();
                assert_eq!(visitor.say(conversation, &format!("message {n}")).status, 200);
                started.elapsed()
            })
            .collect();
        times.sort();
        times[1]
    };
    let with_webhooks = time_messages(&hooked);
    let without = time_messages(&plain);
    println!("visitor message, median of 3: {with_webhooks:?} with a 5 s webhook, {without:?} without");
    assert!(
        with_webhooks < Duration::from_millis(2500) && with_webhooks < without * 4 + Duration::from_millis(500),
        "{with_webhooks:?} with webhooks against {without:?}"
    );
    let slow_arrivals = slow.wait_until(ARRIVAL, |received| received.len() >= 3);
    assert_eq!(slow_arrivals.len(), 3, "the slow receiver got every message");

    // Deleting a webhook drops its attempts that have not started.
    failing.wait_until(ARRIVAL, |received| {
        HashSet::<&str>::from_iter(received.iter().map(|one| one.header("webhook-id"))).len() == 3
            && received.len() >= 6
    });
    let deleted = hooked.admin_call(app, "DELETE", &format!("/webhooks/{}", doomed["id"]), None);
    assert_eq!(deleted.status, 200);
    let at_deletion = failing.received().len();
    // The third attempts were due about 5 s after the second ones.
    std::thread::sleep(Duration::from_secs(12));
    assert_eq!(failing.received().len(), at_deletion, "no attempt after the deletion");
}

#[test]
fn an_api_inbox_hears_its_events_at_its_webhook_url_signed_with_its_own_secret() {
    let app = spawn_app();
    let account = app.create_account();
    let receiver = Receiver::start(Behaviour::default());
    let inbox = account.create_inbox_with(
        app,
        json!({"name": "Custom front end", "channel": {"type": "api", "webhook_url": receiver.url}}),
    );
    let secret = inbox["webhook_secret"]
        .as_str()
        .expect("administrators see the secret")
        .to_string();
    assert!(secret.starts_with("whsec_"));
    account.add_inbox_members(app, &inbox, &[account.agent.id]);
    let agent_view = app.call(
        "GET",
        &account.path(&format!("/inboxes/{}", inbox["id"])),
        account.agent.auth(),
        None,
    );
    assert_eq!(agent_view.status, 200, "{}", agent_view.text);
    assert!(agent_view.body.get("webhook_secret").is_none(), "agents never see it");
    let kept = account.admin_call(
        app,
        "PATCH",
        &format!("/inboxes/{}", inbox["id"]),
        Some(json!({"webhook_url": format!("{}?v=2", receiver.url)})),
    );
    assert_eq!(
        kept.body["webhook_secret"],
        secret.as_str(),
        "made once, when the URL is first set"
    );

    let identifier = inbox["inbox_identifier"].as_str().expect("an identifier");
    let visitor = app.visitor(identifier, json!({"name": "Api Client"}));
    let conversation = visitor.start_conversation();
    assert_eq!(
        account
            .reply(app, conversation, json!({"content": "Hello from an agent"}))
            .status,
        200
    );
    let replies = receiver.events("message_created", 1, ARRIVAL);
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].json()["content"], "Hello from an agent");
    assert_eq!(replies[0].path, "/hook?v=2");
    assert_signed(&replies[0], &secret);
    assert_eq!(receiver.events("conversation_created", 1, ARRIVAL).len(), 1);
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        receiver
            .received()
            .iter()
            .all(|one| !one.event().starts_with("contact_")),
        "contact events go to account webhooks only"
    );
}

#[test]
fn the_widget_event_route_refuses_what_it_does_not_know() {
    let app = spawn_app();
    let account = app.create_account();
    let identifier = account.widget_inbox_identifier(app, "Shop");
    let receiver = Receiver::start(Behaviour::default());
    create_webhook(
        app,
        &account,
        json!({"url": receiver.url, "subscriptions": ["webwidget_triggered"]}),
    );
    let visitor = app.visitor(&identifier, json!({"name": "Eve"}));
    for body in [
        json!({"name": "webwidget.opened"}),
        json!({}),
        json!({"name": "webwidget.triggered", "event_info": "x"}),
        json!({"name": "webwidget.triggered", "event_info": {"pad": "p".repeat(4096)}}),
    ] {
        let reply = visitor.call("POST", "/events", Some(body.clone()));
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
    }
    let conversation = visitor.start_conversation();
    assert_eq!(
        visitor
            .call("POST", "/events", Some(json!({"name": "webwidget.triggered"})))
            .status,
        200
    );
    let unknown = app.call(
        "POST",
        &format!("/public/api/v1/inboxes/{identifier}/contacts/no-such-visitor/events"),
        nimchat_tests::Auth::Anonymous,
        Some(json!({"name": "webwidget.triggered"})),
    );
    assert_eq!(unknown.status, 404);
    let arrived = receiver.events("webwidget_triggered", 1, ARRIVAL);
    assert_eq!(arrived.len(), 1, "only the accepted report");
    assert_eq!(arrived[0].json()["current_conversation"]["id"], conversation);
    assert_eq!(arrived[0].json()["event_info"], json!({}));
}
