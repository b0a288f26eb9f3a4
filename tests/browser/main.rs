//! End to end in headless Chromium: the demo page, the loader, the widget and a live agent,
//! against the real edge. Screenshots land in docs/screenshots/.

use std::path::PathBuf;

use nimchat_tests::browser::Browser;
use nimchat_tests::spawn_app;
use serde_json::{json, Value};

fn screenshot(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../docs/screenshots")
        .join(format!("{name}.png"))
}

/// Types into the composer and presses Enter, as a visitor would.
const SEND: &str = "const t = R().querySelector('textarea'); t.value = arguments[0];
    t.dispatchEvent(new Event('input', {bubbles: true}));
    t.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, cancelable: true})); return true;";

/// True once a message with this text, on this side, is confirmed in the window.
const SHOWN: &str =
    "return [...R().querySelectorAll(`.message[data-side=${arguments[1]}][data-pending=false] .content`)]
    .some(e => e.textContent === arguments[0]);";

#[test]
fn a_visitor_chats_with_an_agent_rates_and_comes_back() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox_with(
        app,
        json!({"name": "Northwind support", "csat_survey_enabled": true, "channel": {
            "type": "web_widget", "widget_color": "#1f6feb", "welcome_title": "Hi there!",
            "welcome_tagline": "Ask us anything."}}),
    );
    let identifier = inbox["inbox_identifier"].as_str().unwrap().to_string();
    let page = app.page_for(&identifier);
    let browser = Browser::launch(1280, 800);

    // Before any interaction: only the loader came from the edge; nothing stored.
    browser.goto(&page);
    browser.wait_for(
        "the loader",
        "return window.$nimchat !== undefined && R() && R().querySelector('button');",
        json!([]),
    );
    let fetched: Vec<String> = serde_json::from_value(browser.eval(
        "return performance.getEntriesByType('resource').map(e => e.name);",
        json!([]),
    ))
    .unwrap();
    let from_edge: Vec<&String> = fetched.iter().filter(|url| url.starts_with(&app.base_url)).collect();
    assert_eq!(from_edge, [&format!("{}/widget.js", app.base_url)], "{fetched:?}");
    assert_eq!(
        browser.eval("return localStorage.length + document.cookie.length;", json!([])),
        json!(0)
    );
    browser.screenshot(&screenshot("closed-bubble"));

    // Open, and say hello.
    browser.eval("R().querySelector('button').click(); return true;", json!([]));
    browser.wait_for("the window", "return R().querySelector('.window') !== null;", json!([]));
    browser.wait_for(
        "the inbox name",
        "return R().querySelector('h2').textContent === 'Northwind support';",
        json!([]),
    );
    let inside = browser.eval(
        "const w = R().querySelector('.window').getBoundingClientRect();
         return ['.send', '.close', 'textarea'].every(s => { const r = R().querySelector(s).getBoundingClientRect();
           return r.width > 0 && r.left >= w.left && r.right <= w.right && r.top >= w.top && r.bottom <= w.bottom; });",
        json!([]),
    );
    assert_eq!(inside, json!(true), "the window's controls are laid out inside it");
    browser.eval(SEND, json!(["Hello, is my order shipped?"]));
    browser.wait_for(
        "the sent message",
        SHOWN,
        json!(["Hello, is my order shipped?", "visitor"]),
    );

    // An agent answers through the Application API; the reply appears live.
    let stored: Value = serde_json::from_str(
        browser
            .eval(
                &format!("return localStorage.getItem('nimchat:{identifier}');"),
                json!([]),
            )
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let source_id = stored["source_id"].as_str().unwrap();
    let conversations = app.call_with(
        "GET",
        &format!("/public/api/v1/inboxes/{identifier}/contacts/{source_id}/conversations"),
        None,
        &[],
    );
    let conversation = conversations.body[0]["id"].as_i64().unwrap();
    let reply = account.reply(
        app,
        conversation,
        json!({"content": "Yes! It left our warehouse today: https://track.example/42"}),
    );
    assert_eq!(reply.status, 200);
    browser.wait_for(
        "the agent's reply",
        SHOWN,
        json!(["Yes! It left our warehouse today: https://track.example/42", "agent"]),
    );
    let link = browser.eval(
        "const a = R().querySelector('.message[data-side=agent] a'); return [a.href, a.rel];",
        json!([]),
    );
    assert_eq!(
        link,
        json!(["https://track.example/42", "noopener noreferrer nofollow"])
    );

    // Screenshots of the open window: light, dark, right to left.
    browser.eval("$nimchat.setColorScheme('light'); return true;", json!([]));
    browser.screenshot(&screenshot("open-light"));
    browser.eval("$nimchat.setColorScheme('dark'); return true;", json!([]));
    browser.wait_for(
        "dark mode",
        "return R().querySelector('.nimchat').dataset.scheme === 'dark';",
        json!([]),
    );
    browser.screenshot(&screenshot("open-dark"));
    browser.eval("$nimchat.setLocale('ar'); return true;", json!([]));
    browser.wait_for(
        "Arabic",
        "return R().querySelector('.nimchat').dir === 'rtl';",
        json!([]),
    );
    browser.screenshot(&screenshot("open-rtl"));
    browser.eval(
        "$nimchat.setLocale('en'); $nimchat.setColorScheme('light'); return true;",
        json!([]),
    );

    // The agent resolves; the visitor rates the conversation in the widget.
    let resolve = account.path(&format!("/conversations/{conversation}/toggle_status"));
    assert_eq!(
        app.call(
            "POST",
            &resolve,
            account.admin.auth(),
            Some(json!({"status": "resolved"}))
        )
        .status,
        200
    );
    browser.wait_for(
        "the survey",
        "return R().querySelectorAll('.csat [role=radio]').length === 5;",
        json!([]),
    );
    browser.eval(
        "R().querySelectorAll('.csat [role=radio]')[4].click(); return true;",
        json!([]),
    );
    browser.wait_for(
        "the rating",
        "return R().querySelectorAll('.csat [aria-checked=true]').length === 1;",
        json!([]),
    );
    browser.eval(
        "R().querySelector('.csat button[type=submit]').click(); return true;",
        json!([]),
    );
    browser.wait_for("the thanks", "return R().querySelector('.thanks') !== null;", json!([]));
    assert!(browser.eval("return R().querySelector('.resolved') !== null;", json!([])) == json!(true));
    let survey = app.call_with(
        "GET",
        &format!(
            "/public/api/v1/csat_survey/{}",
            conversations.body[0]["uuid"].as_str().unwrap()
        ),
        None,
        &[],
    );
    assert_eq!(survey.body["csat_survey_response"]["rating"], 5, "{}", survey.text);

    // Reload: the conversation is found again.
    browser.goto(&page);
    browser.wait_for("the loader", "return R() && R().querySelector('button');", json!([]));
    browser.eval("$nimchat.toggle('open'); return true;", json!([]));
    browser.wait_for(
        "the earlier conversation",
        SHOWN,
        json!(["Hello, is my order shipped?", "visitor"]),
    );
    browser.wait_for(
        "the earlier reply",
        SHOWN,
        json!(["Yes! It left our warehouse today: https://track.example/42", "agent"]),
    );

    // On a phone the window takes the whole screen, and no more: nothing under the scrollbar
    // or off the left edge.
    browser.resize(390, 844);
    browser.wait_for(
        "the phone layout",
        "const w = R().querySelector('.window').getBoundingClientRect();
         const visible = document.documentElement.clientWidth;
         return w.width >= visible - 1 && w.left >= 0 && w.right <= visible;",
        json!([]),
    );
    browser.screenshot(&screenshot("mobile"));
}
