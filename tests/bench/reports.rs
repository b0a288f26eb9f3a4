//! Reports over 100,000 conversations of one account, a year of them, each with a visitor
//! message, a reply and a first response, half of them resolved: written in SQL (the API
//! would take hours), then each report route timed.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use nimchat_tests::{TestAccount, TestApp};
use serde_json::json;

use crate::growth::time;
use crate::stats::Summary;

pub const CONVERSATIONS: i64 = 100_000;
const YEAR: i64 = 365 * 86_400;

/// The account's year: conversations evenly spread, every tenth labelled, half assigned to
/// the administrator (who answered everything), half resolved an hour after they opened.
fn fill(app: &TestApp, account: &TestAccount, contact_inbox: i64, now: i64) {
    let spacing = YEAR / CONVERSATIONS;
    let admin = account.admin.id;
    let account_id = account.id;
    let conversations = format!(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {CONVERSATIONS})
         INSERT INTO conversations (account_id, display_id, uuid, inbox_id, contact_id, contact_inbox_id, status,
             assignee_id, first_reply_created_at, created_at)
         SELECT ci_account, 100000 + i, 'report-{account_id}-' || i, inbox_id, contact_id, {contact_inbox},
             CASE i % 2 WHEN 0 THEN 'resolved' ELSE 'open' END, CASE i % 2 WHEN 0 THEN {admin} END,
             {now} - i * {spacing} + 60, {now} - i * {spacing}
         FROM n, (SELECT ci.inbox_id, ci.contact_id, c.account_id AS ci_account FROM contact_inboxes ci
                  JOIN contacts c ON c.id = ci.contact_id WHERE ci.id = {contact_inbox})"
    );
    let of_the_fill = format!("cv.account_id = {account_id} AND cv.display_id >= 100000");
    let messages = format!(
        "INSERT INTO messages (account_id, inbox_id, conversation_id, message_type, content, sender_type, sender_id,
             created_at)
         SELECT cv.account_id, cv.inbox_id, cv.id, k.kind, 'Stored', CASE k.kind WHEN 0 THEN 'contact' ELSE 'user' END,
             CASE k.kind WHEN 0 THEN cv.contact_id ELSE {admin} END, cv.created_at + k.kind * 60
         FROM conversations cv, (SELECT 0 AS kind UNION ALL SELECT 1) k WHERE {of_the_fill}"
    );
    let events = format!(
        "INSERT INTO reporting_events (account_id, inbox_id, conversation_id, user_id, name, value, created_at)
         SELECT cv.account_id, cv.inbox_id, cv.id, {admin}, 'first_response', 60, cv.created_at + 60
         FROM conversations cv WHERE {of_the_fill};
         INSERT INTO reporting_events (account_id, inbox_id, conversation_id, user_id, name, value, created_at)
         SELECT cv.account_id, cv.inbox_id, cv.id, {admin}, 'resolution', 3600, cv.created_at + 3600
         FROM conversations cv WHERE {of_the_fill} AND cv.status = 'resolved';
         INSERT INTO conversation_labels (conversation_id, label)
         SELECT cv.id, 'sampled' FROM conversations cv WHERE {of_the_fill} AND cv.display_id % 10 = 0"
    );
    for sql in [conversations, messages, events] {
        app.execute_sql(account.id, &sql);
    }
}

/// `(what, timings)` of each report route.
pub fn measure(app: &'static TestApp) -> Vec<(String, Summary)> {
    let account = app.create_account();
    let inbox = account.create_inbox_with(app, json!({"name": "Reported", "channel": {"type": "api"}}));
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().expect("identifier"), json!({}));
    let contact_inbox = app.session_id(account.id, &visitor.source_id);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64;
    fill(app, &account, contact_inbox, now);
    println!("bench: reports: {CONVERSATIONS} conversations stored");
    std::thread::sleep(Duration::from_secs(1));
    let admin = account.admin.auth();
    let month = format!("since={}&until={now}", now - 30 * 86_400);
    let year = format!("since={}&until={now}", now - YEAR);
    let routes = [
        (
            "summary, account, last 30 days (with the 30 before)",
            format!("/summary?type=account&{month}"),
        ),
        (
            "summary, account, last 365 days",
            format!("/summary?type=account&{year}"),
        ),
        (
            "summary, agent, last 30 days",
            format!("/summary?type=agent&id={}&{month}", account.admin.id),
        ),
        (
            "summary, label on 10 %, last 30 days",
            format!("/summary?type=label&id=sampled&{month}"),
        ),
        (
            "series, conversations by day, 365 days",
            format!("?metric=conversations_count&type=account&{year}"),
        ),
        (
            "series, first response by week, 365 days",
            format!("?metric=avg_first_response_time&type=account&{year}&group_by=week"),
        ),
        (
            "open conversations now, account",
            "/conversations?type=account".to_string(),
        ),
        (
            "open conversations now, per agent",
            "/conversations?type=agent".to_string(),
        ),
    ];
    routes
        .into_iter()
        .map(|(what, rest)| {
            let path = format!("/api/v2/accounts/{}/reports{rest}", account.id);
            let timings = time(|| app.call("GET", &path, admin, None).status == 200);
            (what.to_string(), timings)
        })
        .collect()
}
