//! Tests that set up a state no API can reach by writing to D1 directly. They run in their
//! own test binary, so their own edge, and one at a time: an outside writer holds SQLite's
//! lock, and requests of tests running beside it would fail with SQLITE_BUSY.

use std::sync::Mutex;

use nimchat_tests::spawn_app;
use serde_json::json;

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
    app.execute_sql(&format!(
        "UPDATE messages SET created_at = unixepoch() - 15 * 86400 WHERE id = {survey_id}"
    ));
    let late = visitor.call(
        "PATCH",
        &format!("/conversations/{id}/messages/{survey_id}"),
        Some(json!({"submitted_values": {"csat_survey_response": {"rating": 5}}})),
    );
    assert_eq!(late.status, 422, "{}", late.text);
    assert_eq!(late.body["message"], "You cannot update the CSAT survey after 14 days");
    app.execute_sql(&format!(
        "UPDATE messages SET created_at = unixepoch() - 13 * 86400 WHERE id = {survey_id}"
    ));
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
    let count =
        |app: &nimchat_tests::TestApp| app.execute_sql("SELECT COUNT(*) AS n FROM rate_counters")[0]["n"].clone();
    let before = count(app).as_i64().unwrap();
    assert!(before >= 2, "a contact and a conversation were counted");
    app.execute_sql("UPDATE rate_counters SET window_start = window_start - 3 * 86400 WHERE bucket LIKE 'contacts:%'");

    let run = app.call(
        "GET",
        "/__scheduled?cron=17+*+*+*+*",
        nimchat_tests::Auth::Anonymous,
        None,
    );
    assert_eq!(run.status, 200, "{}", run.text);
    let left = app.execute_sql("SELECT bucket FROM rate_counters");
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
