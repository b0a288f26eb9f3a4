//! Cost growth: the same requests with 1,000 and with 100,000 stored messages in the
//! account, to show which queries stay flat (indexes) and which do not; and an account on the
//! other shard meanwhile, which a full shard must not slow down.

use std::time::{Duration, Instant};

use nimchat_tests::{TestAccount, TestApp};
use serde_json::json;

use crate::stats::{summarise, Summary};

const SAMPLES: usize = 60;
/// Messages a filler conversation holds.
const MESSAGES_EACH: usize = 100;

pub struct Growth {
    /// (what, with 1,000 messages, with 100,000, an account on the other shard meanwhile)
    pub rows: Vec<(&'static str, Summary, Summary, Summary)>,
}

/// Adds conversations `from..to` of the session, each with `MESSAGES_EACH` messages, in SQL:
/// the API would take hours to write 100,000 messages on 2 cores.
fn fill(app: &TestApp, account: &TestAccount, contact_inbox: i64, from: usize, to: usize) {
    app.execute_sql(
        account.id,
        &format!(
            "WITH RECURSIVE n(i) AS (SELECT {from} UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {to})
         INSERT INTO conversations (account_id, display_id, uuid, inbox_id, contact_id, contact_inbox_id, status)
         SELECT ci_account, 100000 + i, 'bench-{account_id}-' || i, inbox_id, contact_id, {contact_inbox}, 'open'
         FROM n, (SELECT ci.inbox_id, ci.contact_id, c.account_id AS ci_account FROM contact_inboxes ci
                  JOIN contacts c ON c.id = ci.contact_id WHERE ci.id = {contact_inbox})",
            account_id = account.id
        ),
    );
    app.execute_sql(
        account.id,
        &format!(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {MESSAGES_EACH})
         INSERT INTO messages (account_id, inbox_id, conversation_id, message_type, content, sender_type, sender_id)
         SELECT cv.account_id, cv.inbox_id, cv.id, n.i % 2, 'Stored message ' || n.i || ' of ' || cv.display_id,
                CASE n.i % 2 WHEN 0 THEN 'contact' ELSE NULL END, CASE n.i % 2 WHEN 0 THEN cv.contact_id END
         FROM conversations cv, n
         WHERE cv.account_id = {account_id} AND cv.display_id >= {} AND cv.display_id < {}",
            100_000 + from,
            100_000 + to,
            account_id = account.id
        ),
    );
}

/// `SAMPLES` runs of `request` (which says whether it succeeded), one at a time.
pub fn time(request: impl Fn() -> bool) -> Summary {
    let mut samples = Vec::with_capacity(SAMPLES);
    let mut failures = 0;
    let started = Instant::now();
    for _ in 0..SAMPLES {
        let sent = Instant::now();
        if request() {
            samples.push(sent.elapsed());
        } else {
            failures += 1;
        }
    }
    summarise(&samples, failures, started.elapsed())
}

pub fn measure(app: &'static TestApp) -> Growth {
    let account = app.create_account();
    let inbox = account.create_inbox_with(app, json!({"name": "Growth", "channel": {"type": "api"}}));
    let identifier = inbox["inbox_identifier"].as_str().expect("identifier");
    let visitor = app.visitor(
        identifier,
        json!({"name": "Stored visitor", "email": "stored@bench.test"}),
    );
    let conversation = visitor.start_conversation();
    let contact_inbox = app.session_id(account.id, &visitor.source_id);
    fill(app, &account, contact_inbox, 0, 1_000 / MESSAGES_EACH);
    // Let the edge's connection to D1 see the rows written beside it.
    std::thread::sleep(Duration::from_secs(1));
    let small = measure_all(app, &account, conversation);
    println!("bench: growth: measured with 1,000 stored messages");
    fill(
        app,
        &account,
        contact_inbox,
        1_000 / MESSAGES_EACH,
        100_000 / MESSAGES_EACH,
    );
    std::thread::sleep(Duration::from_secs(1));
    let large = measure_all(app, &account, conversation);
    println!("bench: growth: measured with 100,000 stored messages");
    let (neighbour, neighbour_conversation) = on_the_other_shard(app, &account);
    let beside = measure_all(app, &neighbour, neighbour_conversation);
    println!("bench: growth: measured an account on the other shard");
    Growth {
        rows: small
            .into_iter()
            .zip(large)
            .zip(beside)
            .map(|(((what, small), (_, large)), (_, beside))| (what, small, large, beside))
            .collect(),
    }
}

/// An account on another shard than `full`'s, with one conversation.
fn on_the_other_shard(app: &TestApp, full: &TestAccount) -> (TestAccount, i64) {
    let full_shard = app.shard_of(full.id);
    let account = loop {
        let candidate = app.create_account();
        if app.shard_of(candidate.id) != full_shard {
            break candidate;
        }
    };
    let inbox = account.create_inbox_with(app, json!({"name": "Beside", "channel": {"type": "api"}}));
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().expect("identifier"), json!({}));
    (account, visitor.start_conversation())
}

/// The requests measured, for one account's conversation.
fn measure_all(app: &TestApp, account: &TestAccount, conversation: i64) -> Vec<(&'static str, Summary)> {
    let admin = account.admin.auth();
    let messages = account.path(&format!("/conversations/{conversation}/messages"));
    let create = || {
        app.call("POST", &messages, admin, Some(json!({"content": "Measured reply"})))
            .status
            == 200
    };
    let get = |path: String| move || app.call("GET", &path, admin, None).status == 200;
    vec![
        ("create message", time(create)),
        ("list messages of a conversation", time(get(messages.clone()))),
        (
            "list open conversations (page 1, counts)",
            time(get(account.path("/conversations"))),
        ),
        (
            "search conversations `q`",
            time(get(account.path("/conversations?q=needle"))),
        ),
        ("list contacts (page 1)", time(get(account.path("/contacts")))),
    ]
}
