//! Page cost in headless Chromium: what the embed costs a host page before the visitor
//! touches it, how fast the window opens, and how fast an agent's reply shows.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use nimchat_tests::browser::Browser;
use nimchat_tests::TestApp;
use serde_json::{json, Value};

/// Cold loads (a new browser profile each, so nothing is cached).
const LOADS: usize = 3;
const REPLIES: usize = 5;

#[derive(Debug, Default)]
pub struct PageCost {
    pub requests_before_interaction: usize,
    pub bytes_before_interaction: u64,
    pub long_tasks_before_interaction: usize,
    pub blocking_ms_before_interaction: f64,
    /// From the click to the open window, on the first cold load (wasm compile, first render).
    pub long_tasks_opening: usize,
    pub blocking_ms_opening: f64,
    /// Whether the long-task observer saw a deliberate 120 ms task (else the counts mean nothing).
    pub long_tasks_observable: bool,
    /// One per cold load.
    pub click_to_interactive_ms: Vec<f64>,
    pub reply_to_dom_ms: Vec<f64>,
    /// A returning visitor's second page view, window opened: the widget's files (loader,
    /// module, wasm) it asked for, how many of those went to the network, and their bytes.
    pub returning_static_files: usize,
    pub returning_static_fetched: usize,
    pub returning_static_bytes: u64,
    /// Client API calls of that view (inbox, conversation), which no cache answers.
    pub returning_api_requests: usize,
}

/// Collects long tasks from the very start of each page.
const WATCH_LONG_TASKS: &str = "window.__longTasks = [];
    new PerformanceObserver(list => window.__longTasks.push(...list.getEntries().map(e => e.duration)))
      .observe({type: 'longtask', buffered: true});";

/// Clicks the bubble and notes when the composer is on screen.
const OPEN_AND_TIME: &str = "window.__interactive = null; const started = performance.now();
    const ready = () => { const t = R().querySelector('textarea');
      if (t && t.getBoundingClientRect().width > 0) { window.__interactive = performance.now() - started; }
      else { requestAnimationFrame(ready); } };
    R().querySelector('button').click(); requestAnimationFrame(ready); return true;";

const SEND: &str = "const t = R().querySelector('textarea'); t.value = arguments[0];
    t.dispatchEvent(new Event('input', {bubbles: true}));
    t.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, cancelable: true})); return true;";

/// Notes the wall-clock time at which an agent message with this text is in the DOM.
const WATCH_REPLY: &str = "window.__shown = null; const want = arguments[0];
    const seen = () => [...R().querySelectorAll('.message[data-side=agent] .content')].some(e => e.textContent === want);
    const observer = new MutationObserver(() => { if (seen()) { window.__shown = Date.now(); observer.disconnect(); } });
    observer.observe(R(), {subtree: true, childList: true, characterData: true}); return true;";

fn durations(list: &Value) -> Vec<f64> {
    list.as_array()
        .map(|tasks| tasks.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

/// Total blocking time: what each long task spent over 50 ms.
fn blocking_ms(long_tasks: &[f64]) -> f64 {
    long_tasks
        .iter()
        .fold(0.0, |total, task| total + (task - 50.0).max(0.0))
}

fn now_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64()
        * 1000.0
}

pub fn measure(app: &'static TestApp) -> PageCost {
    let account = app.create_account();
    let identifier = account.widget_inbox_identifier(app, "Bench shop");
    let page = app.page_for(&identifier);
    let mut cost = PageCost::default();
    for load in 0..LOADS {
        let browser = Browser::launch(1280, 800);
        browser.before_each_page(WATCH_LONG_TASKS);
        browser.goto(&page);
        browser.wait_for("the loader", "return R() && R().querySelector('button');", json!([]));
        // Let the page settle, as a visitor reading it would.
        std::thread::sleep(Duration::from_secs(2));
        if load == 0 {
            let before: Value = browser.eval(
                "return {resources: performance.getEntriesByType('resource').filter(e => e.name.startsWith(arguments[0]))
                           .map(e => e.transferSize),
                         page: performance.getEntriesByType('navigation')[0].transferSize,
                         longTasks: window.__longTasks};",
                json!([app.base_url]),
            );
            let resources = before["resources"].as_array().cloned().unwrap_or_default();
            cost.requests_before_interaction = 1 + resources.len();
            cost.bytes_before_interaction =
                before["page"].as_u64().unwrap_or(0) + resources.iter().filter_map(Value::as_u64).sum::<u64>();
            let long_tasks = durations(&before["longTasks"]);
            cost.long_tasks_before_interaction = long_tasks.len();
            cost.blocking_ms_before_interaction = blocking_ms(&long_tasks);
        }
        browser.eval(OPEN_AND_TIME, json!([]));
        let opened = browser.wait_for("the open window", "return window.__interactive;", json!([]));
        cost.click_to_interactive_ms.push(opened.as_f64().unwrap_or(f64::NAN));
        if load == 0 {
            // Long tasks are reported a moment after they end.
            std::thread::sleep(Duration::from_millis(500));
            let all = durations(&browser.eval("return window.__longTasks;", json!([])));
            let opening = &all[cost.long_tasks_before_interaction.min(all.len())..];
            cost.long_tasks_opening = opening.len();
            cost.blocking_ms_opening = blocking_ms(opening);
            // A task of the page's own event loop, as the widget's would be.
            browser.eval(
                "setTimeout(() => { const started = performance.now(); while (performance.now() - started < 120) {} });
                 return true;",
                json!([]),
            );
            std::thread::sleep(Duration::from_millis(500));
            let after_probe = durations(&browser.eval("return window.__longTasks;", json!([])));
            cost.long_tasks_observable = after_probe.len() > all.len();
        }

        if load == 0 {
            browser.eval(SEND, json!(["Hello from the benchmark"]));
            let stored = browser.wait_for(
                "the session",
                &format!("return localStorage.getItem('nimchat:{identifier}');"),
                json!([]),
            );
            let session: Value = serde_json::from_str(stored.as_str().unwrap_or("{}")).unwrap_or_default();
            let source_id = session["source_id"].as_str().unwrap_or_default();
            let conversation = browser_conversation(app, &identifier, source_id);
            for reply in 0..REPLIES {
                let text = format!("Agent reply {reply}");
                browser.eval(WATCH_REPLY, json!([text]));
                let sent = now_ms();
                account.reply(app, conversation, json!({"content": text}));
                let shown = browser.wait_for("the reply", "return window.__shown;", json!([]));
                cost.reply_to_dom_ms.push(shown.as_f64().unwrap_or(f64::NAN) - sent);
            }
            returning_visit(app, &browser, &page, &mut cost);
        }
    }
    cost
}

/// A second page view by the same visitor, who opens the window again and sees their chat.
fn returning_visit(app: &TestApp, browser: &Browser, page: &str, cost: &mut PageCost) {
    browser.goto(page);
    browser.wait_for("the loader", "return R() && R().querySelector('button');", json!([]));
    browser.eval("$nimchat.toggle('open'); return true;", json!([]));
    browser.wait_for(
        "the conversation",
        "return R().querySelectorAll('.message[data-side=agent]').length > 0;",
        json!([]),
    );
    let entries = browser.eval(
        "return performance.getEntriesByType('resource').filter(e => e.name.startsWith(arguments[0]))
           .map(e => [new URL(e.name).pathname, e.transferSize]);",
        json!([app.base_url]),
    );
    for entry in entries.as_array().cloned().unwrap_or_default() {
        let path = entry[0].as_str().unwrap_or_default();
        let bytes = entry[1].as_u64().unwrap_or(0);
        if path.starts_with("/widget") {
            cost.returning_static_files += 1;
            // A resource answered from the browser's cache transferred nothing.
            cost.returning_static_fetched += usize::from(bytes > 0);
            cost.returning_static_bytes += bytes;
        } else if path.starts_with("/public/") {
            cost.returning_api_requests += 1;
        }
    }
}

/// The conversation the widget opened for this session (it appears with the first message).
fn browser_conversation(app: &TestApp, identifier: &str, source_id: &str) -> i64 {
    let path = format!("/public/api/v1/inboxes/{identifier}/contacts/{source_id}/conversations");
    for _ in 0..100 {
        let reply = app.call_with("GET", &path, None, &[]);
        if let Some(id) = reply.body[0]["id"].as_i64() {
            return id;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the widget opened no conversation")
}
