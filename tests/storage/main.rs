//! Tests that set up a state no API can reach by writing to D1 directly. They run in their
//! own test binary, so their own edge, and one at a time: an outside writer holds SQLite's
//! lock, and requests of tests running beside it would fail with SQLITE_BUSY.

use std::sync::Mutex;

use nimchat_tests::cable::visitor_cable;
use nimchat_tests::{spawn_app, Auth, Multipart, TestAccount, TestApp};
use serde_json::{json, Value};

/// Held by each test: the tests of this binary run one at a time.
static ALONE: Mutex<()> = Mutex::new(());

#[test]
fn the_survey_closes_after_fourteen_days() {
    let _alone = ALONE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox_with(
        app,
        json!({"name": "Rated", "channel": {"type": "web_widget"}, "csat_survey_enabled": true}),
    );
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({}));
    let id = visitor.start_conversation();
    visitor.call("POST", &format!("/conversations/{id}/toggle_status"), None);
    let messages = visitor.messages(id);
    let survey = messages
        .iter()
        .find(|m| m["content_type"] == "input_csat")
        .expect("a survey");
    let survey_id = survey["id"].as_i64().unwrap();
    app.execute_sql(
        account.id,
        &format!("UPDATE messages SET created_at = unixepoch() - 15 * 86400 WHERE id = {survey_id}"),
    );
    let late = visitor.call(
        "PATCH",
        &format!("/conversations/{id}/messages/{survey_id}"),
        Some(json!({"submitted_values": {"csat_survey_response": {"rating": 5}}})),
    );
    assert_eq!(late.status, 422, "{}", late.text);
    assert_eq!(late.body["message"], "You cannot update the CSAT survey after 14 days");
    app.execute_sql(
        account.id,
        &format!("UPDATE messages SET created_at = unixepoch() - 13 * 86400 WHERE id = {survey_id}"),
    );
    let in_time = visitor.call(
        "PATCH",
        &format!("/conversations/{id}/messages/{survey_id}"),
        Some(json!({"submitted_values": {"csat_survey_response": {"rating": 5}}})),
    );
    assert_eq!(in_time.status, 200, "{}", in_time.text);
}

#[test]
fn housekeeping_deletes_expired_rate_counters_only() {
    let _alone = ALONE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox(app, "Counted");
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({}));
    visitor.start_conversation();
    let count = |app: &nimchat_tests::TestApp| {
        app.execute_sql_in("DIRECTORY", "SELECT COUNT(*) AS n FROM rate_counters")[0]["n"].clone()
    };
    let before = count(app).as_i64().unwrap();
    assert!(before >= 2, "a contact and a conversation were counted");
    app.execute_sql_in(
        "DIRECTORY",
        "UPDATE rate_counters SET window_start = window_start - 3 * 86400 WHERE bucket LIKE 'contacts:%'",
    );

    let run = app.call(
        "GET",
        "/__scheduled?cron=17+*+*+*+*",
        nimchat_tests::Auth::Anonymous,
        None,
    );
    assert_eq!(run.status, 200, "{}", run.text);
    let left = app.execute_sql_in("DIRECTORY", "SELECT bucket FROM rate_counters");
    assert!(
        left.iter()
            .all(|row| !row["bucket"].as_str().unwrap().starts_with("contacts:")),
        "{left:?}"
    );
    assert!(
        left.iter()
            .any(|row| row["bucket"].as_str().unwrap().starts_with("conversations:")),
        "current windows stay"
    );
}

/// Moves the id sequences of both shards to the same next value, so that the next inbox,
/// contact, session, conversation and message of each get the same ids.
fn align_sequences(app: &TestApp, shards: [&str; 2]) {
    const TABLES: [&str; 5] = ["inboxes", "contacts", "contact_inboxes", "conversations", "messages"];
    let names = TABLES.map(|table| format!("'{table}'")).join(", ");
    let highest = shards
        .iter()
        .flat_map(|shard| {
            app.execute_sql_in(
                shard,
                &format!("SELECT seq FROM sqlite_sequence WHERE name IN ({names})"),
            )
        })
        .filter_map(|row| row["seq"].as_i64())
        .max()
        .unwrap_or(0);
    // A table that never had a row has no sequence yet: write each anew.
    let rows = TABLES
        .map(|table| format!("('{table}', {})", highest + 1000))
        .join(", ");
    for shard in shards {
        app.execute_sql_in(
            shard,
            &format!("DELETE FROM sqlite_sequence WHERE name IN ({names}); INSERT INTO sqlite_sequence (name, seq) VALUES {rows}"),
        );
    }
}

#[test]
fn accounts_on_different_shards_with_the_same_ids_never_see_each_other() {
    let _alone = ALONE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let app = spawn_app();
    // New accounts alternate between the two shards (the one with fewer accounts first).
    let first = app.create_account();
    let second = loop {
        let candidate = app.create_account();
        if app.shard_of(candidate.id) != app.shard_of(first.id) {
            break candidate;
        }
    };
    let (first_shard, second_shard) = (app.shard_of(first.id), app.shard_of(second.id));
    align_sequences(app, [&first_shard, &second_shard]);

    let chat = |account: &TestAccount, name: &str| {
        let inbox = account.create_inbox(app, name);
        let identifier = inbox["inbox_identifier"].as_str().unwrap().to_string();
        let visitor = app.visitor(&identifier, json!({"name": format!("{name} visitor")}));
        let conversation = visitor.start_conversation();
        let said = visitor.say(conversation, &format!("Hello {name}"));
        assert_eq!(said.status, 200, "{}", said.text);
        (inbox, visitor, conversation, said.body)
    };
    let (first_inbox, first_visitor, first_conversation, first_message) = chat(&first, "First");
    let (second_inbox, second_visitor, second_conversation, second_message) = chat(&second, "Second");

    // The same ids in both shards.
    assert_eq!(first_inbox["id"], second_inbox["id"]);
    assert_eq!(first_visitor.contact_id, second_visitor.contact_id);
    assert_eq!(first_message["id"], second_message["id"]);
    assert_eq!(first_conversation, second_conversation, "display ids are per account");

    // Each account reaches only its own rows through every route.
    for (account, inbox, visitor, conversation, name) in [
        (&first, &first_inbox, &first_visitor, first_conversation, "First"),
        (&second, &second_inbox, &second_visitor, second_conversation, "Second"),
    ] {
        let shown = account.admin_call(app, "GET", &format!("/inboxes/{}", inbox["id"]), None);
        assert_eq!(shown.body["name"], name, "{}", shown.text);
        let contact = account.admin_call(app, "GET", &format!("/contacts/{}", visitor.contact_id), None);
        assert_eq!(
            contact.body["payload"]["name"],
            format!("{name} visitor"),
            "{}",
            contact.text
        );
        let messages = account.admin_call(app, "GET", &format!("/conversations/{conversation}/messages"), None);
        let contents: Vec<&str> = messages.body["payload"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|message| message["content"].as_str())
            .collect();
        assert_eq!(contents, [format!("Hello {name}")], "{}", messages.text);
        // The Client API finds the shard from the inbox identifier.
        let seen = visitor.messages(conversation);
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0]["content"], format!("Hello {name}"));
        // And the Engagor route from the account in its path.
        let by_service = app.call(
            "GET",
            &format!("/{}/inbox/contact/livechat/{}", account.id, visitor.source_id),
            account.admin.auth(),
            None,
        );
        assert_eq!(
            by_service.body["name"],
            format!("{name} visitor"),
            "{}",
            by_service.text
        );
    }
    // One account's session is unknown to the other's inbox.
    let crossed = app.call(
        "GET",
        &format!(
            "/public/api/v1/inboxes/{}/contacts/{}",
            second_inbox["inbox_identifier"].as_str().unwrap(),
            first_visitor.source_id
        ),
        Auth::Anonymous,
        None,
    );
    assert_eq!(crossed.status, 404, "{}", crossed.text);

    // A user of both accounts: the same display id in each needs X-Account-Id.
    let both = app.create_user("Both Accounts");
    for account in [&first, &second] {
        let joined = app.platform(
            "POST",
            &format!("/accounts/{}/account_users", account.id),
            Some(json!({"user_id": both.id, "role": "administrator"})),
        );
        assert_eq!(joined.status, 200, "{}", joined.text);
    }
    let room = format!("/api/v1/livechat/inquiries.getOne?roomId={first_conversation}");
    let ambiguous = app.call("GET", &room, both.auth(), None);
    assert_eq!(ambiguous.status, 400, "{}", ambiguous.text);
    let named = app.call_as(
        "GET",
        &room,
        both.auth(),
        None,
        &[("X-Account-Id", &second.id.to_string())],
    );
    assert_eq!(named.status, 200, "{}", named.text);
    assert_eq!(named.body["inquiry"]["message"], "Hello Second", "{}", named.text);

    // Set the shards' ids apart again, as the xtask does, for the tests after this one.
    app.execute_sql_in(
        &second_shard,
        "UPDATE sqlite_sequence SET seq = seq + 100000000000 WHERE name IN \
         ('inboxes', 'contacts', 'contact_inboxes', 'conversations', 'messages')",
    );
}

fn count_in(app: &TestApp, shard: &str, table: &str, account: &TestAccount) -> i64 {
    let rows = app.execute_sql_in(
        shard,
        &format!("SELECT COUNT(*) AS n FROM {table} WHERE account_id = {}", account.id),
    );
    rows[0]["n"].as_i64().unwrap()
}

/// A file link without its signature and expiry: the object it names.
fn object_of(link: &str) -> &str {
    link.split('?').next().unwrap()
}

#[test]
fn an_account_moved_to_another_shard_keeps_its_conversations_messages_files_and_tokens() {
    let _alone = ALONE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let app = spawn_app();
    let account = app.create_account();
    let from = app.shard_of(account.id);
    let to = if from == "SHARD_0" { "SHARD_1" } else { "SHARD_0" };
    let inbox = account.create_inbox(app, "Moving");
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({"name": "Mo"}));
    let conversation = visitor.start_conversation();
    assert_eq!(visitor.say(conversation, "Before the move").status, 200);
    let messages_path = account.path(&format!("/conversations/{conversation}/messages"));
    let sent = app.send(
        "POST",
        &messages_path,
        account.admin.auth(),
        Some(
            Multipart::new()
                .text("content", "Here is the file")
                .file("attachments[]", "note.txt", "text/plain", b"moved bytes")
                .finish(),
        ),
        &Multipart::content_type(),
    );
    assert_eq!(sent.status, 200, "{}", sent.text);
    let file_before = sent.body["attachments"][0]["data_url"].as_str().unwrap().to_string();
    let listed = |app: &TestApp| {
        let reply = app.call("GET", &messages_path, account.admin.auth(), None);
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.body["payload"].as_array().unwrap().clone()
    };
    let before = listed(app);

    // While an account moves, its writes wait and its reads go on.
    let moving = |flag: u8| {
        app.execute_sql_in(
            "DIRECTORY",
            &format!("UPDATE accounts SET moving = {flag} WHERE id = {}", account.id),
        );
    };
    moving(1);
    let refused = visitor.say(conversation, "During the move");
    assert_eq!(refused.status, 503, "{}", refused.text);
    assert_eq!(refused.retry_after.as_deref(), Some("30"));
    assert_eq!(visitor.messages(conversation).len(), 2);
    moving(0);

    let moved = app.platform(
        "POST",
        &format!("/accounts/{}/move", account.id),
        Some(json!({"shard": to})),
    );
    assert_eq!(moved.status, 200, "{}", moved.text);
    assert_eq!(app.shard_of(account.id), to);
    for table in ["inboxes", "contacts", "conversations", "messages", "attachments"] {
        assert_eq!(count_in(app, &from, table, &account), 0, "{table} left behind");
        assert!(count_in(app, to, table, &account) > 0, "{table} arrived");
    }

    // The same conversation, messages (ids included) and file.
    let after = listed(app);
    let summary = |messages: &[Value]| -> Vec<(Value, Value)> {
        messages
            .iter()
            .map(|message| (message["id"].clone(), message["content"].clone()))
            .collect()
    };
    assert_eq!(summary(&after), summary(&before));
    let file_after = after
        .iter()
        .find_map(|message| message["attachments"][0]["data_url"].as_str())
        .unwrap();
    assert_eq!(object_of(file_after), object_of(&file_before));
    assert_eq!(app.fetch(file_after, &[]).bytes, b"moved bytes");

    // The visitor's session, socket and the agent's token go on working.
    let mut socket = visitor_cable(app, &visitor, true);
    assert_eq!(visitor.say(conversation, "After the move").status, 200);
    let reply = app.call(
        "POST",
        &messages_path,
        account.admin.auth(),
        Some(json!({"content": "Welcome to the new shard"})),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    socket.wait_for("message.created", |data| data["content"] == "Welcome to the new shard");
    assert_eq!(visitor.messages(conversation).len(), 4);

    // Bad moves.
    let nowhere = app.platform(
        "POST",
        &format!("/accounts/{}/move", account.id),
        Some(json!({"shard": "SHARD_9"})),
    );
    assert_eq!(nowhere.status, 422, "{}", nowhere.text);
    let nobody = app.platform("POST", "/accounts/999999999/move", Some(json!({"shard": from})));
    assert_eq!(nobody.status, 404, "{}", nobody.text);
}

/// A delivery whose queue message was lost (written here as the request would have, but
/// never enqueued) is sent by the hourly housekeeping, once it is long overdue.
#[test]
fn housekeeping_sends_a_delivery_whose_queue_message_was_lost() {
    let _alone = ALONE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let app = spawn_app();
    let account = app.create_account();
    let receiver = nimchat_tests::webhook_receiver::Receiver::start(Default::default());
    let created = account.admin_call(
        app,
        "POST",
        "/webhooks",
        Some(json!({"url": receiver.url, "subscriptions": ["message_created"]})),
    );
    assert_eq!(created.status, 200, "{}", created.text);
    let (webhook_id, secret) = (&created.body["id"], created.body["secret"].as_str().unwrap());
    let message_id = format!("msg_{}", "ab".repeat(16));
    let body = r#"{"event":"message_created","id":7}"#;
    for (label, due) in [("overdue", "unixepoch() - 3600"), ("due now", "unixepoch()")] {
        app.execute_sql(
            account.id,
            &format!(
                "INSERT INTO webhook_deliveries (account_id, target_kind, target_id, url, message_id, event, body, due_at)
                 VALUES ({}, 'webhook', {webhook_id}, '{}', '{message_id}{}', 'message_created', '{body}', {due})",
                account.id,
                receiver.url,
                if label == "overdue" { "" } else { "-not-yet" },
            ),
        );
    }
    let run = app.call("GET", "/__scheduled?cron=17+*+*+*+*", Auth::Anonymous, None);
    assert_eq!(run.status, 200, "{}", run.text);
    let arrived = receiver.wait_until(std::time::Duration::from_secs(20), |received| !received.is_empty());
    std::thread::sleep(std::time::Duration::from_secs(2));
    let arrived_now = receiver.received();
    assert_eq!(arrived_now.len(), 1, "only the overdue one: {arrived:?}");
    assert_eq!(arrived_now[0].header("webhook-id"), message_id);
    assert_eq!(arrived_now[0].body, body, "the stored body, byte for byte");
    assert!(arrived_now[0].is_signed_with(secret));
    let left = app.execute_sql(
        account.id,
        "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE message_id = 'msg_abababababababababababababababab'",
    );
    assert_eq!(left[0]["n"], 0, "delivered, so no longer waiting");
}

/// Monday 2026-01-05 00:00 UTC.
const MONDAY: i64 = 1_767_571_200;
const HOUR: i64 = 3600;
const DAY: i64 = 86_400;

fn report_of(app: &TestApp, account: &TestAccount, rest: &str) -> Value {
    let reply = app.call(
        "GET",
        &format!("/api/v2/accounts/{}/reports{rest}", account.id),
        account.admin.auth(),
        None,
    );
    assert_eq!(reply.status, 200, "{rest}: {}", reply.text);
    reply.body
}

/// `(timestamp, value)` of each entry of a time series.
fn series_of(app: &TestApp, account: &TestAccount, query: &str) -> Vec<(i64, Value)> {
    report_of(app, account, &format!("?type=account&{query}"))
        .as_array()
        .expect("a series")
        .iter()
        .map(|point| {
            (
                point["timestamp"].as_i64().expect("a timestamp"),
                point["value"].clone(),
            )
        })
        .collect()
}

#[test]
fn reports_match_a_fixture_with_known_counts_at_known_times() {
    let _alone = ALONE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_quiet_inbox(app);
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({}));
    let session = &app.execute_sql(
        account.id,
        &format!(
            "SELECT id, contact_id, inbox_id FROM contact_inboxes WHERE source_id = '{}'",
            visitor.source_id
        ),
    )[0];
    // Conversations (each with one visitor message) on Monday 01:00 and 02:00, Tuesday 02:00
    // (Monday 23:00 at UTC-3), the next Tuesday, and 5 February.
    let created = [HOUR, 2 * HOUR, DAY + 2 * HOUR, 8 * DAY + HOUR, 31 * DAY + HOUR].map(|at| MONDAY + at);
    for (n, at) in created.iter().enumerate() {
        app.execute_sql(
            account.id,
            &format!(
                "INSERT INTO conversations (account_id, display_id, uuid, inbox_id, contact_id, contact_inbox_id,
                    status, created_at)
                 VALUES ({account}, {display}, 'fixture-{account}-{n}', {inbox}, {contact}, {session}, 'open', {at});
                 INSERT INTO messages (account_id, inbox_id, conversation_id, message_type, content, created_at)
                 VALUES ({account}, {inbox}, last_insert_rowid(), 0, 'Fixture', {at})",
                account = account.id,
                display = 1000 + n,
                inbox = session["inbox_id"],
                contact = session["contact_id"],
                session = session["id"],
            ),
        );
    }
    // First responses of 60 s and 120 s on Monday, a resolution after an hour on Tuesday.
    for (n, name, value) in [
        (0, "first_response", 60),
        (1, "first_response", 120),
        (2, "resolution", 3600),
    ] {
        app.execute_sql(
            account.id,
            &format!(
                "INSERT INTO reporting_events (account_id, inbox_id, conversation_id, name, value, created_at)
                 SELECT account_id, inbox_id, id, '{name}', {value}, created_at + {value}
                 FROM conversations WHERE account_id = {} AND display_id = {}",
                account.id,
                1000 + n
            ),
        );
    }
    std::thread::sleep(std::time::Duration::from_secs(1));

    let three_days = format!("since={MONDAY}&until={}", MONDAY + 3 * DAY - 1);
    assert_eq!(
        series_of(app, &account, &format!("metric=conversations_count&{three_days}")),
        [
            (MONDAY, json!(2)),
            (MONDAY + DAY, json!(1)),
            (MONDAY + 2 * DAY, json!(0))
        ]
    );
    // At UTC-3 the window starts on Sunday evening, local time, and ends on Wednesday.
    assert_eq!(
        series_of(
            app,
            &account,
            &format!("metric=incoming_messages_count&{three_days}&timezone_offset=-3")
        ),
        [
            (MONDAY - 21 * HOUR, json!(2)),
            (MONDAY + 3 * HOUR, json!(1)),
            (MONDAY + 27 * HOUR, json!(0)),
            (MONDAY + 51 * HOUR, json!(0)),
        ]
    );
    assert_eq!(
        series_of(
            app,
            &account,
            &format!(
                "metric=conversations_count&since={MONDAY}&until={}&group_by=week",
                MONDAY + 14 * DAY - 1
            )
        ),
        [(MONDAY, json!(3)), (MONDAY + 7 * DAY, json!(1))]
    );
    let january_1 = MONDAY - 4 * DAY;
    assert_eq!(
        series_of(
            app,
            &account,
            &format!(
                "metric=conversations_count&since={MONDAY}&until={}&group_by=month",
                MONDAY + 40 * DAY
            )
        ),
        [(january_1, json!(4)), (january_1 + 31 * DAY, json!(1))]
    );
    let firsts = report_of(
        app,
        &account,
        &format!("?type=account&metric=avg_first_response_time&{three_days}"),
    );
    assert_eq!(
        firsts,
        json!([
            {"timestamp": MONDAY, "value": 90.0, "count": 2},
            {"timestamp": MONDAY + DAY, "value": 0.0, "count": 0},
            {"timestamp": MONDAY + 2 * DAY, "value": 0.0, "count": 0},
        ])
    );

    // The second week, and the week before it.
    let summary = report_of(
        app,
        &account,
        &format!(
            "/summary?type=account&since={}&until={}",
            MONDAY + 7 * DAY,
            MONDAY + 14 * DAY - 1
        ),
    );
    assert_eq!(
        summary,
        json!({
            "conversations_count": 1, "incoming_messages_count": 1, "outgoing_messages_count": 0,
            "avg_first_response_time": 0.0, "avg_resolution_time": 0.0, "resolutions_count": 0, "reply_time": 0.0,
            "previous": {
                "conversations_count": 3, "incoming_messages_count": 3, "outgoing_messages_count": 0,
                "avg_first_response_time": 90.0, "avg_resolution_time": 3600.0, "resolutions_count": 1,
                "reply_time": 0.0,
            },
        })
    );
}

#[test]
fn a_first_response_counts_from_the_handover_to_people_when_it_is_later() {
    let _alone = ALONE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let app = spawn_app();
    let account = app.create_account();
    let first_response_in = |handed_over_ago: Option<i64>| {
        let inbox = account.create_quiet_inbox(app);
        let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({}));
        let conversation = visitor.start_conversation();
        let handover = match handed_over_ago {
            Some(ago) => format!("'nimchat', handover_updated_at = unixepoch() - {ago}"),
            None => "NULL".into(),
        };
        app.execute_sql(
            account.id,
            &format!(
                "UPDATE conversations SET created_at = unixepoch() - 600
                 WHERE account_id = {} AND display_id = {conversation};
                 UPDATE contact_inboxes SET handover_owner = {handover} WHERE source_id = '{}'",
                account.id, visitor.source_id
            ),
        );
        std::thread::sleep(std::time::Duration::from_secs(1));
        let replied = account.reply(app, conversation, json!({"content": "Hello"}));
        assert_eq!(replied.status, 200, "{}", replied.text);
        let summary = report_of(
            app,
            &account,
            &format!(
                "/summary?type=inbox&id={}&since={}&until={}",
                inbox["id"],
                now() - 60,
                now() + 5
            ),
        );
        summary["avg_first_response_time"].as_f64().expect("a number")
    };
    let from_creation = first_response_in(None);
    assert!((600.0..620.0).contains(&from_creation), "{from_creation}");
    let from_handover = first_response_in(Some(30));
    assert!((30.0..50.0).contains(&from_handover), "{from_handover}");
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64
}

/// The inbox's `online` as the widget reads it.
fn inbox_online(app: &TestApp, inbox: &Value) -> Value {
    let path = format!("/public/api/v1/inboxes/{}", inbox["inbox_identifier"].as_str().unwrap());
    app.call_with("GET", &path, None, &[]).body["online"].clone()
}

fn availability_of(app: &TestApp, account: &TestAccount, user_id: i64) -> Value {
    let agents = account.admin_call(app, "GET", "/agents", None).body;
    agents
        .as_array()
        .unwrap()
        .iter()
        .find(|agent| agent["id"] == user_id)
        .map_or(Value::Null, |agent| agent["availability_status"].clone())
}

#[test]
fn an_auto_offline_agent_is_online_only_while_a_console_says_so() {
    let _alone = ALONE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox(app, "Presence");
    account.add_inbox_members(app, &inbox, &[account.agent.id]);
    let path = account.path(&format!("/agents/{}", account.agent.id));
    let set = app.call(
        "PATCH",
        &path,
        account.admin.auth(),
        Some(json!({"availability": "available"})),
    );
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(set.body["auto_offline"], true, "Chatwoot's default");

    // Available by choice, but no console is open: offline for the widget and for assignment.
    assert_eq!(availability_of(app, &account, account.agent.id), "offline");
    assert_eq!(inbox_online(app, &inbox), false);
    let profile = app.call("GET", "/api/v1/profile", account.agent.auth(), None);
    assert_eq!(
        profile.body["availability_status"], "available",
        "the profile shows the choice"
    );
    let identifier = inbox["inbox_identifier"].as_str().unwrap();
    let early = app.visitor(identifier, json!({"name": "Early"}));
    let unassigned = early.start_conversation();
    assert_eq!(early.say(unassigned, "Anyone?").status, 200);
    let shown = account.admin_call(app, "GET", &format!("/conversations/{unassigned}"), None);
    assert_eq!(shown.body["meta"]["assignee"], Value::Null);

    // A console says it is open: online, and conversations come to the agent.
    let mut console = nimchat_tests::cable::agent_cable(app, &account, &account.agent);
    let profile_token = profile.body["pubsub_token"].as_str().unwrap();
    let presence = json!({"command": "message",
        "identifier": nimchat_tests::cable::identifier(profile_token, Some(account.id), Some(account.agent.id)),
        "data": "{\"action\":\"update_presence\"}"});
    console.send_text(&presence.to_string());
    console.wait_for("presence.update", |data| data["user_id"] == account.agent.id);
    assert_eq!(availability_of(app, &account, account.agent.id), "available");
    assert_eq!(inbox_online(app, &inbox), true);
    let again = app.call(
        "PATCH",
        &path,
        account.admin.auth(),
        Some(json!({"availability": "available"})),
    );
    assert_eq!(
        again.body["availability_status"], "available",
        "the answer reads presence too"
    );
    let later = app.visitor(identifier, json!({"name": "Later"}));
    let assigned = later.start_conversation();
    assert_eq!(later.say(assigned, "Hello").status, 200);
    let shown = account.admin_call(app, "GET", &format!("/conversations/{assigned}"), None);
    assert_eq!(shown.body["meta"]["assignee"]["id"], account.agent.id);

    // A minute after the console's last word, offline again.
    app.execute_sql(
        account.id,
        &format!(
            "UPDATE agent_presence SET seen_at = seen_at - 61 WHERE account_id = {} AND user_id = {}",
            account.id, account.agent.id
        ),
    );
    assert_eq!(availability_of(app, &account, account.agent.id), "offline");
    assert_eq!(inbox_online(app, &inbox), false);
}
