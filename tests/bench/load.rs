//! The edge under load: latency and throughput of three routes with 1, 16 and 128
//! concurrent clients, beside the trivial `/health` route as the machine's ceiling; and
//! message writes of two accounts on one shard beside two accounts on two shards.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use nimchat_tests::{unique_ip, Auth, TestAccount, TestApp};
use serde_json::json;

use crate::stats::{summarise, Summary};

pub const CONCURRENCY: [usize; 3] = [1, 16, 128];
/// Each (route, concurrency) run stops at whichever comes first.
const RUN_LIMIT: Duration = Duration::from_secs(6);
const REQUEST_LIMIT: usize = 3000;

pub struct RouteLoad {
    pub route: &'static str,
    pub runs: Vec<(usize, Summary)>,
}

/// Runs `request` (answering whether it succeeded) from `clients` threads.
fn run(clients: usize, request: &(dyn Fn(usize) -> bool + Sync)) -> Summary {
    let issued = AtomicUsize::new(0);
    let samples = Mutex::new(Vec::new());
    let failures = AtomicUsize::new(0);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for client in 0..clients {
            let (issued, samples, failures) = (&issued, &samples, &failures);
            scope.spawn(move || {
                let mut mine = Vec::new();
                while started.elapsed() < RUN_LIMIT && issued.fetch_add(1, Ordering::Relaxed) < REQUEST_LIMIT {
                    let sent = Instant::now();
                    // The harness panics on a transport error (a timeout): that is a failure here.
                    let succeeded = std::panic::catch_unwind(AssertUnwindSafe(|| request(client))).unwrap_or(false);
                    if succeeded {
                        mine.push(sent.elapsed());
                    } else {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
                samples.lock().expect("samples").extend(mine);
            });
        }
    });
    let samples = samples.into_inner().expect("samples");
    summarise(&samples, failures.into_inner(), started.elapsed())
}

/// An account with an API inbox and one conversation per client of the largest run, each with
/// a first page of messages; answers the account, its inbox identifier and the conversations.
fn loaded_account(app: &TestApp) -> (TestAccount, String, Vec<i64>) {
    let account: TestAccount = app.create_account();
    let inbox = account.create_inbox_with(app, json!({"name": "Load", "channel": {"type": "api"}}));
    let identifier = inbox["inbox_identifier"].as_str().expect("identifier").to_string();
    let conversations: Vec<i64> = (0..CONCURRENCY[2])
        .map(|_| app.visitor(&identifier, json!({})).start_conversation())
        .collect();
    for conversation in &conversations {
        for _ in 0..3 {
            account.reply(app, *conversation, json!({"content": "warming up"}));
        }
    }
    (account, identifier, conversations)
}

/// A loaded account on `shard` (or, with `same: false`, on another). New accounts go to the
/// shard with the fewest: an empty probe shows where the next one lands, and is deleted.
fn loaded_account_where(app: &TestApp, shard: &str, same: bool) -> (TestAccount, Vec<i64>) {
    loop {
        let probe = app.create_account();
        let lands_right = (app.shard_of(probe.id) == shard) == same;
        if lands_right {
            app.platform("DELETE", &format!("/accounts/{}", probe.id), None);
            let (account, _, conversations) = loaded_account(app);
            if (app.shard_of(account.id) == shard) == same {
                return (account, conversations);
            }
        }
    }
}

pub fn measure(app: &'static TestApp) -> Vec<RouteLoad> {
    let (account, identifier, conversations) = loaded_account(app);
    let admin = account.admin.auth();
    let message_path = |client: usize| account.path(&format!("/conversations/{}/messages", conversations[client]));
    // Two more accounts: one on the first one's shard, one on another.
    let shard = app.shard_of(account.id);
    let (same_shard, same_conversations) = loaded_account_where(app, &shard, true);
    let (other_shard, other_conversations) = loaded_account_where(app, &shard, false);
    // Even clients write to the first account, odd ones to the second of the pair.
    let write_pair = |second: &TestAccount, theirs: &[i64], client: usize| {
        let body = json!({"content": "How can I help?", "message_type": "outgoing"});
        let (writer, path) = if client.is_multiple_of(2) {
            (&account, message_path(client))
        } else {
            (
                second,
                second.path(&format!("/conversations/{}/messages", theirs[client])),
            )
        };
        app.call("POST", &path, writer.admin.auth(), Some(body)).status == 200
    };
    let one_shard = |client| write_pair(&same_shard, &same_conversations, client);
    let two_shards = |client| write_pair(&other_shard, &other_conversations, client);

    let health = |_| app.call("GET", "/health", Auth::Anonymous, None).status == 200;
    let create_message = |client| {
        let body = json!({"content": "How can I help?", "message_type": "outgoing"});
        app.call("POST", &message_path(client), admin, Some(body)).status == 200
    };
    let list_messages = |client| app.call("GET", &message_path(client), admin, None).status == 200;
    let contacts = format!("/public/api/v1/inboxes/{identifier}/contacts");
    // Every new visitor comes from its own address, as real ones do.
    let create_contact = |_| {
        let ip = unique_ip();
        let body = json!({"name": "Load visitor"});
        app.call_with("POST", &contacts, Some(body), &[("CF-Connecting-IP", &ip)])
            .status
            == 200
    };
    let routes: [(&'static str, &(dyn Fn(usize) -> bool + Sync)); 6] = [
        ("`GET /health` (trivial)", &health),
        ("create message", &create_message),
        ("list messages", &list_messages),
        ("create contact", &create_contact),
        ("create message, two accounts on one shard", &one_shard),
        ("create message, two accounts on two shards", &two_shards),
    ];
    routes
        .iter()
        .map(|(route, request)| RouteLoad {
            route,
            runs: CONCURRENCY
                .iter()
                .map(|&clients| {
                    let summary = run(clients, *request);
                    println!(
                        "bench: {route} x{clients}: p50 {:.1} ms, p99 {:.1} ms, {:.0}/s, {} failed",
                        summary.p50, summary.p99, summary.throughput, summary.failures
                    );
                    (clients, summary)
                })
                .collect(),
        })
        .collect()
}
