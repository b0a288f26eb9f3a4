//! Reports (contract 7.4) from what happened through the APIs: counts, recorded reply and
//! resolution times, every scope, the conversations now, and what the routes refuse.

use std::thread::sleep;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use nimchat_tests::{spawn_app, Reply, TestAccount, TestApp, TestUser};
use serde_json::{json, Value};

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64
}

/// `GET /api/v2/accounts/{id}/reports{rest}` as `user`.
fn report(app: &TestApp, account: &TestAccount, user: &TestUser, rest: &str) -> Reply {
    app.call(
        "GET",
        &format!("/api/v2/accounts/{}/reports{rest}", account.id),
        user.auth(),
        None,
    )
}

fn summary(app: &TestApp, account: &TestAccount, scope: &str, since: i64, until: i64) -> Value {
    let reply = report(
        app,
        account,
        &account.admin,
        &format!("/summary?{scope}&since={since}&until={until}"),
    );
    assert_eq!(reply.status, 200, "summary {scope}: {}", reply.text);
    reply.body
}

/// The seven metrics' counts of a summary (or its `previous`), averages left out.
fn counts(metrics: &Value) -> [i64; 4] {
    [
        "conversations_count",
        "incoming_messages_count",
        "outgoing_messages_count",
        "resolutions_count",
    ]
    .map(|name| metrics[name].as_i64().unwrap_or_else(|| panic!("{name} in {metrics}")))
}

fn seconds(metrics: &Value, name: &str) -> f64 {
    metrics[name].as_f64().unwrap_or_else(|| panic!("{name} in {metrics}"))
}

fn agent_says(app: &TestApp, user: &TestUser, account: &TestAccount, conversation: i64, body: Value) {
    let path = account.path(&format!("/conversations/{conversation}/messages"));
    let sent = app.call("POST", &path, user.auth(), Some(body));
    assert_eq!(sent.status, 200, "{}", sent.text);
}

fn said(reply: Reply) {
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[test]
fn reports_count_what_happened_and_time_the_replies() {
    let app = spawn_app();
    let account = app.create_account();
    let since = now() - 1;
    let inbox = account.create_quiet_inbox(app);
    let elsewhere = account.create_inbox(app, "Elsewhere");
    let identifier = inbox["inbox_identifier"].as_str().unwrap();
    let team = account.create_team(app, "Billing", false);

    // A: the agent's, answered by the administrator 2 s after it opened, then a reply timed
    // from the first of two visitor messages, a private note, resolved twice.
    let rita = app.visitor(identifier, json!({"name": "Rita"}));
    let a = rita.start_conversation();
    account.assign_to_agent(app, a);
    said(rita.say(a, "Hello?"));
    sleep(Duration::from_secs(2));
    agent_says(app, &account.admin, &account, a, json!({"content": "Hi Rita"}));
    said(rita.say(a, "My order is late"));
    sleep(Duration::from_secs(2));
    said(rita.say(a, "Order 12"));
    agent_says(app, &account.admin, &account, a, json!({"content": "Looking"}));
    agent_says(
        app,
        &account.admin,
        &account,
        a,
        json!({"content": "Courier issue", "private": true}),
    );
    account.set_status(app, a, "resolved");
    account.set_status(app, a, "open");
    account.set_status(app, a, "resolved");
    // B: nobody answers.
    let sam = app.visitor(identifier, json!({"name": "Sam"}));
    let b = sam.start_conversation();
    said(sam.say(b, "Anyone?"));
    // C: the agent's, labelled and in a team, answered by the agent.
    let cleo = app.visitor(identifier, json!({"name": "Cleo"}));
    let c = cleo.start_conversation();
    account.assign_to_agent(app, c);
    let labelled = account.admin_call(
        app,
        "POST",
        &format!("/conversations/{c}/labels"),
        Some(json!({"labels": ["vip"]})),
    );
    assert_eq!(labelled.status, 200, "{}", labelled.text);
    let teamed = account.admin_call(
        app,
        "POST",
        &format!("/conversations/{c}/assignments"),
        Some(json!({"team_id": team["id"]})),
    );
    assert_eq!(teamed.status, 200, "{}", teamed.text);
    said(cleo.say(c, "Invoice please"));
    agent_says(app, &account.agent, &account, c, json!({"content": "Attached"}));
    // D: another inbox.
    let dan = app.visitor(elsewhere["inbox_identifier"].as_str().unwrap(), json!({"name": "Dan"}));
    let d = dan.start_conversation();
    said(dan.say(d, "Hi"));
    let until = now() + 1;

    let whole = summary(app, &account, "type=account", since, until);
    assert_eq!(counts(&whole), [4, 6, 3, 2], "{whole}");
    assert!(seconds(&whole, "avg_first_response_time") >= 1.0, "{whole}");
    assert!(
        seconds(&whole, "reply_time") >= 2.0,
        "from the first waiting message: {whole}"
    );
    assert!(seconds(&whole, "avg_resolution_time") >= 2.0, "{whole}");
    assert_eq!(counts(&whole["previous"]), [0, 0, 0, 0], "{whole}");
    assert_eq!(seconds(&whole["previous"], "reply_time"), 0.0);

    let in_inbox = summary(app, &account, &format!("type=inbox&id={}", inbox["id"]), since, until);
    assert_eq!(counts(&in_inbox), [3, 5, 3, 2], "{in_inbox}");
    let in_elsewhere = summary(
        app,
        &account,
        &format!("type=inbox&id={}", elsewhere["id"]),
        since,
        until,
    );
    assert_eq!(counts(&in_elsewhere), [1, 1, 0, 0], "{in_elsewhere}");
    assert_eq!(seconds(&in_elsewhere, "avg_first_response_time"), 0.0);
    // The agent: A and C are theirs now (with their 4 visitor messages); they sent one reply,
    // C's first response, and A's resolutions are theirs as its assignee.
    let agent = summary(
        app,
        &account,
        &format!("type=agent&id={}", account.agent.id),
        since,
        until,
    );
    assert_eq!(counts(&agent), [2, 4, 1, 2], "{agent}");
    assert_eq!(seconds(&agent, "reply_time"), 0.0, "{agent}");
    let admin = summary(
        app,
        &account,
        &format!("type=agent&id={}", account.admin.id),
        since,
        until,
    );
    assert_eq!(counts(&admin), [0, 0, 2, 0], "{admin}");
    assert!(seconds(&admin, "avg_first_response_time") >= 2.0, "{admin}");
    for scope in ["type=label&id=vip".to_string(), format!("type=team&id={}", team["id"])] {
        let only_c = summary(app, &account, &scope, since, until);
        assert_eq!(counts(&only_c), [1, 1, 1, 0], "{scope}: {only_c}");
    }

    // The series adds up to the summary, bucket by bucket, at the offset's midnights.
    for (offset, midnight) in [("0", 0), ("5.5", 86_400 - 19_800), ("-5", 18_000)] {
        let query = format!(
            "?metric=incoming_messages_count&type=account&since={since}&until={until}&timezone_offset={offset}"
        );
        let series = report(app, &account, &account.admin, &query);
        assert_eq!(series.status, 200, "{}", series.text);
        let points = series.body.as_array().expect("a list");
        assert!(!points.is_empty() && points.len() <= 2, "{}", series.text);
        assert!(points
            .iter()
            .all(|point| point["timestamp"].as_i64().unwrap().rem_euclid(86_400) == midnight));
        let total: i64 = points
            .iter()
            .map(|point| point["value"].as_i64().expect("a count"))
            .sum();
        assert_eq!(total, 6, "{}", series.text);
    }
    let query = format!("?metric=avg_first_response_time&type=account&since={since}&until={until}&group_by=month");
    let firsts = report(app, &account, &account.admin, &query);
    assert_eq!(firsts.status, 200, "{}", firsts.text);
    let counted: i64 = firsts
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|point| point["count"].as_i64().unwrap())
        .sum();
    assert_eq!(counted, 2, "{}", firsts.text);

    // Now: B and D are open, unassigned and unattended; C open and answered; A resolved.
    let open_now = |expected: Value| {
        let reply = report(app, &account, &account.admin, "/conversations?type=account");
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.body, expected);
    };
    open_now(json!({"open": 3, "unattended": 2, "unassigned": 2}));
    said(cleo.say(c, "It is not attached"));
    open_now(json!({"open": 3, "unattended": 3, "unassigned": 2}));
    agent_says(app, &account.agent, &account, c, json!({"content": "Now it is"}));
    open_now(json!({"open": 3, "unattended": 2, "unassigned": 2}));

    let agents = report(app, &account, &account.admin, "/conversations?type=agent");
    assert_eq!(agents.status, 200, "{}", agents.text);
    let listed: Vec<(i64, Value)> = agents
        .body
        .as_array()
        .expect("a list")
        .iter()
        .map(|agent| (agent["id"].as_i64().unwrap(), agent["metric"].clone()))
        .collect();
    assert_eq!(
        listed,
        [
            (account.agent.id, json!({"open": 1, "unattended": 0})),
            (account.admin.id, json!({"open": 0, "unattended": 0})),
        ]
    );
    let first = &agents.body[0];
    assert_eq!(first["email"], account.agent.email.as_str());
    assert!(first["availability"].is_string() && first["thumbnail"].is_string() && first["name"] == "Alan Agent");
    let one = report(
        app,
        &account,
        &account.admin,
        &format!("/conversations?type=agent&user_id={}", account.admin.id),
    );
    assert_eq!(one.status, 200, "{}", one.text);
    assert_eq!(one.body.as_array().map(Vec::len), Some(1), "{}", one.text);
    let beyond = report(app, &account, &account.admin, "/conversations?type=agent&page=2");
    assert_eq!(beyond.body, json!([]));
}

#[test]
fn reports_refuse_bad_parameters_other_tenants_and_agents() {
    let app = spawn_app();
    let account = app.create_account();
    let other = app.create_account();
    let foreign_inbox = other.create_inbox(app, "Theirs");
    let window = format!("since={}&until={}", now() - 3600, now());
    let admin = &account.admin;
    for (rest, parameter) in [
        (format!("?type=account&{window}"), "metric"),
        (format!("?metric=replies&type=account&{window}"), "metric"),
        (format!("?metric=reply_time&{window}"), "type"),
        (format!("?metric=reply_time&type=contact&{window}"), "type"),
        (format!("?metric=reply_time&type=inbox&{window}"), "id"),
        (format!("?metric=reply_time&type=agent&id=me&{window}"), "id"),
        ("?metric=reply_time&type=account&until=5".to_string(), "since"),
        (
            "?metric=reply_time&type=account&since=5&until=soon".to_string(),
            "until",
        ),
        ("?metric=reply_time&type=account&since=9&until=8".to_string(), "until"),
        (
            "?metric=reply_time&type=account&since=0&until=31708800".to_string(),
            "until",
        ),
        (
            format!("?metric=reply_time&type=account&{window}&group_by=year"),
            "group_by",
        ),
        (
            format!("?metric=reply_time&type=account&{window}&timezone_offset=15"),
            "timezone_offset",
        ),
        (
            format!("?metric=reply_time&type=account&{window}&timezone_offset=east"),
            "timezone_offset",
        ),
        (format!("/summary?{window}"), "type"),
        ("/summary?type=account&since=1".to_string(), "until"),
        ("/conversations".to_string(), "type"),
        ("/conversations?type=inbox".to_string(), "type"),
        ("/conversations?type=agent&user_id=ada".to_string(), "user_id"),
        ("/conversations?type=agent&page=first".to_string(), "page"),
    ] {
        let refused = report(app, &account, admin, &rest);
        assert_eq!(refused.status, 422, "{rest}: {}", refused.text);
        assert_eq!(
            refused.body["attributes"],
            json!([parameter]),
            "{rest}: {}",
            refused.text
        );
        assert!(refused.body["message"].is_string(), "{rest}");
    }
    for rest in [
        format!("/summary?type=inbox&id={}&{window}", foreign_inbox["id"]),
        format!("/summary?type=agent&id={}&{window}", other.admin.id),
        format!("/summary?type=team&id=999999999&{window}"),
        format!("/summary?type=label&id=nowhere&{window}"),
        format!("/conversations?type=agent&user_id={}", other.agent.id),
        "/unknown".to_string(),
    ] {
        let hidden = report(app, &account, admin, &rest);
        assert_eq!(hidden.status, 404, "{rest}: {}", hidden.text);
        assert_eq!(hidden.body["error"], "Resource could not be found", "{rest}");
    }
    let summary = format!("/summary?type=account&{window}");
    assert_eq!(report(app, &account, &account.agent, &summary).status, 403);
    assert_eq!(
        report(app, &other, admin, &summary).status,
        404,
        "not a member of that account"
    );
    let anonymous = app.call(
        "GET",
        &format!("/api/v2/accounts/{}/reports{summary}", account.id),
        nimchat_tests::Auth::Anonymous,
        None,
    );
    assert_eq!(anonymous.status, 401, "{}", anonymous.text);
}

#[test]
fn reporting_events_show_what_was_recorded_with_chatwoots_names() {
    let app = spawn_app();
    let account = app.create_account();
    let other = app.create_account();
    let since = now() - 1;
    let inbox = account.create_quiet_inbox(app);
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({"name": "Eve"}));
    let conversation = visitor.start_conversation();
    said(visitor.say(conversation, "Hello"));
    agent_says(app, &account.admin, &account, conversation, json!({"content": "Hi"}));
    said(visitor.say(conversation, "Thanks"));
    agent_says(
        app,
        &account.admin,
        &account,
        conversation,
        json!({"content": "Welcome"}),
    );
    account.set_status(app, conversation, "resolved");
    let until = now() + 1;

    let of_conversation = account.path(&format!("/conversations/{conversation}/reporting_events"));
    let events = app.call("GET", &of_conversation, account.agent.auth(), None);
    assert_eq!(events.status, 200, "an agent of the inbox reads them: {}", events.text);
    let events = events.body.as_array().expect("a bare array").clone();
    let names: Vec<&str> = events.iter().map(|event| event["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["first_response", "reply_time", "conversation_resolved"]);
    for event in &events {
        assert_eq!(event["conversation_id"], conversation, "{event}");
        assert_eq!(event["inbox_id"], inbox["id"], "{event}");
        assert_eq!(event["account_id"], account.id, "{event}");
        let end = event["event_end_time"].as_str().expect("an ISO time");
        let start = event["event_start_time"].as_str().expect("an ISO time");
        assert!(start <= end && end.ends_with('Z'), "{event}");
        assert!(event["value"].as_f64().expect("seconds") >= 0.0, "{event}");
    }
    assert_eq!(events[0]["user_id"], account.admin.id);
    assert_eq!(events[2]["user_id"], Value::Null, "resolved while unassigned");

    let list = |user: &TestUser, query: &str| {
        app.call(
            "GET",
            &account.path(&format!("/reporting_events{query}")),
            user.auth(),
            None,
        )
    };
    let all = list(&account.admin, "");
    assert_eq!(all.status, 200, "{}", all.text);
    assert_eq!(
        all.body["meta"],
        json!({"count": 3, "current_page": 1, "total_pages": 1})
    );
    assert_eq!(all.body["payload"][0]["name"], "conversation_resolved", "newest first");
    for (query, count) in [
        ("?name=reply_time".to_string(), 1),
        (format!("?user_id={}", account.admin.id), 2),
        (format!("?inbox_id={}&since={since}&until={until}", inbox["id"]), 3),
        (format!("?until={}", since - 1), 0),
        ("?page=2".to_string(), 3),
    ] {
        let filtered = list(&account.admin, &query);
        assert_eq!(filtered.status, 200, "{query}: {}", filtered.text);
        assert_eq!(filtered.body["meta"]["count"], count, "{query}: {}", filtered.text);
    }
    assert_eq!(list(&account.admin, "?page=2").body["payload"], json!([]));
    let refused = list(&account.admin, "?name=resolution");
    assert_eq!(
        (refused.status, refused.body["attributes"].clone()),
        (422, json!(["name"])),
        "{}",
        refused.text
    );
    assert_eq!(list(&account.agent, "").status, 403);
    let theirs = app.call("GET", &other.path("/reporting_events"), other.admin.auth(), None);
    assert_eq!(theirs.body["meta"]["count"], 0, "{}", theirs.text);
    let elsewhere = app.call(
        "GET",
        &other.path(&format!("/conversations/{conversation}/reporting_events")),
        other.admin.auth(),
        None,
    );
    assert_eq!(elsewhere.status, 404, "{}", elsewhere.text);
}
