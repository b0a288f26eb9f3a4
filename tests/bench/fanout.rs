//! Fan-out: 1,000 visitor sockets and 100 agent sockets open at once; agents' replies go to
//! one visitor each and to every agent. Measures delivery latency from the reply request to
//! the socket, and counts lost and duplicated events.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant};

use nimchat_tests::cable::{identifier, Cable};
use nimchat_tests::{Auth, TestApp};
use serde_json::json;

use crate::stats::{summarise, Summary};

pub const VISITORS: usize = 1000;
pub const AGENTS: usize = 100;
const REPLIES: usize = 200;
/// How long stragglers may take after the last reply.
const SETTLE: Duration = Duration::from_secs(10);

pub struct FanOut {
    pub sockets_subscribed: usize,
    pub replies: usize,
    pub expected: usize,
    pub delivered: usize,
    pub lost: usize,
    pub duplicated: usize,
    pub misdelivered: usize,
    pub latency: Summary,
}

/// Runs `work` over `items` on `threads` threads, keeping the order of the answers.
fn parallel<T: Sync, R: Send>(items: &[T], threads: usize, work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let answers = Mutex::new(Vec::with_capacity(items.len()));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(index) else { break };
                let answer = work(item);
                answers.lock().expect("answers").push((index, answer));
            });
        }
    });
    let mut answers = answers.into_inner().expect("answers");
    answers.sort_by_key(|(index, _)| *index);
    answers.into_iter().map(|(_, answer)| answer).collect()
}

pub fn measure(app: &'static TestApp) -> FanOut {
    let account = app.create_account();
    let inbox = account.create_inbox_with(
        app,
        json!({"name": "Fan-out", "channel": {"type": "api"},
                                                     "enable_auto_assignment": false}),
    );
    let inbox_identifier = inbox["inbox_identifier"].as_str().expect("identifier").to_string();

    // Agents: users of the account working the inbox, each with their own socket credential.
    let names: Vec<usize> = (0..AGENTS).collect();
    let agents: Vec<(i64, String)> = parallel(&names, 8, |index| {
        let user = app.create_user(&format!("Agent {index}"));
        let joined = app.platform(
            "POST",
            &format!("/accounts/{}/account_users", account.id),
            Some(json!({"user_id": user.id, "role": "agent"})),
        );
        assert_eq!(joined.status, 200, "{}", joined.text);
        let profile = app.call("GET", "/api/v1/profile", Auth::Chatwoot(&user.token), None);
        (
            user.id,
            profile.body["pubsub_token"].as_str().expect("pubsub token").to_string(),
        )
    });
    let agent_ids: Vec<i64> = agents.iter().map(|(id, _)| *id).collect();
    account.add_inbox_members(app, &inbox, &agent_ids);

    // Visitors, each with a conversation.
    let slots: Vec<usize> = (0..VISITORS).collect();
    let visitors: Vec<(String, i64)> = parallel(&slots, 16, |_| {
        let visitor = app.visitor(&inbox_identifier, json!({}));
        (visitor.pubsub_token.clone(), visitor.start_conversation())
    });
    println!(
        "bench: fan-out: {} agents and {} visitors ready",
        agents.len(),
        visitors.len()
    );

    // Sockets: one thread each, reporting (socket, message id, arrival) for message.created.
    let stop = AtomicBool::new(false);
    let subscriptions_answered = AtomicUsize::new(0);
    let (arrivals, received) = mpsc::channel::<(usize, i64, Instant)>();
    let mut subscriptions: Vec<String> = visitors
        .iter()
        .map(|(token, _)| identifier(token, None, None))
        .collect();
    subscriptions.extend(
        agents
            .iter()
            .map(|(user_id, token)| identifier(token, Some(account.id), Some(*user_id))),
    );
    let subscribed: Vec<AtomicBool> = subscriptions.iter().map(|_| AtomicBool::new(false)).collect();
    let cable_url = app.cable_url("");
    let mut sent_at: HashMap<i64, (Instant, usize)> = HashMap::new();
    std::thread::scope(|scope| {
        for (socket, subscription) in subscriptions.iter().enumerate() {
            let (stop, answered, subscribed, arrivals, cable_url) = (
                &stop,
                &subscriptions_answered,
                &subscribed,
                arrivals.clone(),
                &cable_url,
            );
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn_scoped(scope, move || {
                    // The harness's client panics when the edge does not answer in time.
                    let opened = std::panic::catch_unwind(|| {
                        let mut cable = Cable::connect(cable_url);
                        let confirmed = cable.subscribe(subscription) == "confirm_subscription";
                        (cable, confirmed)
                    });
                    answered.fetch_add(1, Ordering::Relaxed);
                    let Ok((mut cable, true)) = opened else { return };
                    subscribed[socket].store(true, Ordering::Relaxed);
                    while !stop.load(Ordering::Relaxed) {
                        let Some(frame) = cable.next_frame(Duration::from_millis(200)) else {
                            continue;
                        };
                        let message = &frame["message"];
                        if message["event"] == "message.created" {
                            if let Some(id) = message["data"]["id"].as_i64() {
                                let _ = arrivals.send((socket, id, Instant::now()));
                            }
                        }
                    }
                    cable.close();
                })
                .expect("a socket thread");
            // Visitors arrive over time, not in one instant: at most 50 handshakes in flight.
            let deadline = Instant::now() + Duration::from_secs(30);
            while socket + 1 - subscriptions_answered.load(Ordering::Relaxed) >= 50 && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        drop(arrivals);
        let deadline = Instant::now() + Duration::from_secs(60);
        while subscriptions_answered.load(Ordering::Relaxed) < subscriptions.len() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(200));
        }
        let subscribed_count = subscribed.iter().filter(|flag| flag.load(Ordering::Relaxed)).count();
        println!(
            "bench: fan-out: {subscribed_count} of {} sockets subscribed",
            subscriptions.len()
        );
        // Replies, four at a time, each to a different visitor.
        let targets: Vec<usize> = (0..REPLIES).map(|reply| reply * VISITORS / REPLIES).collect();
        let sent: Vec<Option<(i64, Instant, usize)>> = parallel(&targets, 4, |&visitor| {
            let started = Instant::now();
            let reply = account.reply(app, visitors[visitor].1, json!({"content": "fan-out"}));
            reply.body["id"].as_i64().map(|id| (id, started, visitor))
        });
        for (id, started, visitor) in sent.into_iter().flatten() {
            sent_at.insert(id, (started, visitor));
        }
        std::thread::sleep(SETTLE);
        stop.store(true, Ordering::Relaxed);
    });

    // Each reply is due once on its visitor's socket and once on every agent's (if subscribed).
    let subscribed: Vec<bool> = subscribed.into_iter().map(AtomicBool::into_inner).collect();
    let mut seen: HashMap<(usize, i64), usize> = HashMap::new();
    let mut latencies = Vec::new();
    for (socket, id, arrived) in received.iter() {
        let Some((started, _)) = sent_at.get(&id) else { continue };
        let count = seen.entry((socket, id)).or_insert(0);
        *count += 1;
        if *count == 1 {
            latencies.push(arrived.saturating_duration_since(*started));
        }
    }
    let mut expected = 0;
    let mut lost = 0;
    for (id, (_, visitor)) in &sent_at {
        for socket in std::iter::once(*visitor).chain(VISITORS..VISITORS + AGENTS) {
            if !subscribed[socket] {
                continue;
            }
            expected += 1;
            if !seen.contains_key(&(socket, *id)) {
                lost += 1;
            }
        }
    }
    // A visitor's socket must never carry another visitor's reply.
    let misdelivered = seen
        .keys()
        .filter(|(socket, id)| *socket < VISITORS && sent_at.get(id).is_some_and(|(_, visitor)| visitor != socket))
        .count();
    let duplicated: usize = seen.values().map(|count| count - 1).sum();
    FanOut {
        sockets_subscribed: subscribed.iter().filter(|flag| **flag).count(),
        replies: sent_at.len(),
        expected,
        delivered: seen.len(),
        lost,
        duplicated,
        misdelivered,
        latency: summarise(&latencies, 0, Duration::from_secs(1)),
    }
}
