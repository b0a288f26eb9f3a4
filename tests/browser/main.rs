//! End to end in headless Chromium: a site owner's page on its own origin (not the edge's),
//! the loader, the widget and a live agent, against the real edge. Screenshots land in
//! docs/screenshots/.

mod console;

use std::path::PathBuf;
use std::sync::OnceLock;

use nimchat_tests::browser::Browser;
use nimchat_tests::host_site::{snippet, HostSite};
use nimchat_tests::{png, spawn_app, week_opening_in_three_days, Auth, Multipart, TestAccount, TestApp};
use serde_json::{json, Value};

fn screenshot(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../docs/screenshots")
        .join(format!("{name}.png"))
}

/// The customer's web site: one per test process, on another port than the edge.
fn host_site() -> &'static HostSite {
    static SITE: OnceLock<HostSite> = OnceLock::new();
    SITE.get_or_init(HostSite::start)
}

/// The demo storefront (`index.html`) as a page of the customer's site at `path`, with the
/// embed snippet pointing at the edge.
fn storefront(app: &TestApp, path: &str, inbox_identifier: &str) -> String {
    let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../index.html")).expect("index.html");
    let demo_snippet = snippet("", "DEMO_INBOX_IDENTIFIER");
    assert!(html.contains(&demo_snippet), "index.html embeds the widget");
    let html = html
        .replace(&demo_snippet, &snippet(&app.base_url, inbox_identifier))
        .replace(
            "Demo page served by the nimchat edge.",
            "A customer's page on its own origin.",
        );
    host_site().publish(path, html, None)
}

/// Types into the composer and presses Enter, as a visitor would.
const SEND: &str = "const t = R().querySelector('textarea'); t.value = arguments[0];
    t.dispatchEvent(new Event('input', {bubbles: true}));
    t.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, cancelable: true})); return true;";

/// True once a message with this text, on this side, is confirmed in the window.
const SHOWN: &str =
    "return [...R().querySelectorAll(`.message[data-side=${arguments[1]}][data-delivery=confirmed] .content`)]
    .some(e => e.textContent === arguments[0]);";

/// The visitor's `source_id`, from the session the widget in `browser` stored.
fn stored_source_id(browser: &Browser, identifier: &str) -> String {
    let stored: Value = serde_json::from_str(
        browser
            .eval(
                &format!("return localStorage.getItem('nimchat:{identifier}');"),
                json!([]),
            )
            .as_str()
            .expect("the widget stored its session"),
    )
    .unwrap();
    stored["source_id"].as_str().unwrap().to_string()
}

/// The conversations of the visitor in `browser`, found through its stored session.
fn widget_conversations(app: &TestApp, browser: &Browser, identifier: &str) -> Value {
    let source_id = stored_source_id(browser, identifier);
    let path = format!("/public/api/v1/inboxes/{identifier}/contacts/{source_id}/conversations");
    app.call_with("GET", &path, None, &[]).body
}

/// The (first) conversation the widget in `browser` opened.
fn widget_conversation(app: &TestApp, browser: &Browser, identifier: &str) -> Value {
    widget_conversations(app, browser, identifier)[0].clone()
}

/// Opens the widget by its bubble (unless it is open), says `hello`, and answers the
/// conversation it opened.
fn open_and_say(app: &TestApp, browser: &Browser, identifier: &str, hello: &str) -> Value {
    browser.eval(
        "if (!R().querySelector('.window')) R().querySelector('button').click(); return true;",
        json!([]),
    );
    browser.wait_for(
        "the window",
        "return R().querySelector('.window textarea') !== null;",
        json!([]),
    );
    browser.eval(SEND, json!([hello]));
    browser.wait_for("the sent message", SHOWN, json!([hello, "visitor"]));
    widget_conversation(app, browser, identifier)
}

/// An agent answers through the Application API; the reply appears live.
fn agent_replies(app: &TestApp, browser: &Browser, account: &TestAccount, conversation: i64, text: &str) {
    let reply = account.reply(app, conversation, json!({ "content": text }));
    assert_eq!(reply.status, 200, "{}", reply.text);
    browser.wait_for("the agent's reply", SHOWN, json!([text, "agent"]));
}

/// Loads `page` again and finds the conversation in the reopened widget.
fn come_back(browser: &Browser, page: &str, said: &[(&str, &str)]) {
    browser.goto(page);
    browser.wait_for("the loader", "return R() && R().querySelector('button');", json!([]));
    browser.eval("$nimchat.toggle('open'); return true;", json!([]));
    for (text, side) in said {
        browser.wait_for("the earlier conversation", SHOWN, json!([text, side]));
    }
}

#[test]
fn a_visitor_chats_with_an_agent_rates_and_comes_back() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox_with(
        app,
        json!({"name": "Northwind support", "csat_survey_enabled": true, "channel": {
            "type": "web_widget", "widget_color": "#1f6feb", "welcome_title": "Hi there!",
            "welcome_tagline": "Ask us anything.", "allowed_domains": "127.0.0.1"}}),
    );
    let identifier = inbox["inbox_identifier"].as_str().unwrap().to_string();
    let page = storefront(app, "/shop.html", &identifier);
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
    let hello = "Hello, is my order shipped?";
    let conversation = open_and_say(app, &browser, &identifier, hello);
    let conversation_id = conversation["id"].as_i64().unwrap();
    let answer = "Yes! It left our warehouse today: https://track.example/42";
    agent_replies(app, &browser, &account, conversation_id, answer);
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
        "return R().querySelector('.window').dir === 'rtl';",
        json!([]),
    );
    browser.screenshot(&screenshot("open-rtl"));
    browser.eval(
        "$nimchat.setLocale('en'); $nimchat.setColorScheme('light'); return true;",
        json!([]),
    );

    // The agent resolves; the visitor rates the conversation in the widget.
    let resolve = account.path(&format!("/conversations/{conversation_id}/toggle_status"));
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
        &format!("/public/api/v1/csat_survey/{}", conversation["uuid"].as_str().unwrap()),
        None,
        &[],
    );
    assert_eq!(survey.body["csat_survey_response"]["rating"], 5, "{}", survey.text);

    // Reload: the conversation is found again.
    come_back(&browser, &page, &[(hello, "visitor"), (answer, "agent")]);

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
    let close = browser.eval(
        "const c = R().querySelector('.close').getBoundingClientRect(); return [Math.round(c.width), Math.round(c.height)];",
        json!([]),
    );
    assert_eq!(close, json!([44, 44]), "a close button a thumb can hit");
    browser.eval("R().querySelector('.resolved button').click(); return true;", json!([]));
    browser.wait_for(
        "the composer at 16 px, which iOS does not zoom into",
        "const t = R().querySelector('.composer textarea'); return t && getComputedStyle(t).fontSize === '16px';",
        json!([]),
    );

    // A new conversation starts under the earlier one, which stays, read-only, after a reload.
    let earlier =
        "const said = [...R().querySelectorAll('.message[data-delivery=earlier] .content')].map(e => e.textContent);
        return said.includes(arguments[0]) && said.includes(arguments[1]);";
    assert_eq!(browser.eval(earlier, json!([hello, answer])), json!(true));
    assert_eq!(
        browser.eval(
            "const e = R().querySelector('.earlier'); return !e.hidden && e.textContent;",
            json!([])
        ),
        json!("Earlier conversations")
    );
    let again = "And my second order?";
    browser.eval(SEND, json!([again]));
    browser.wait_for("the new conversation's message", SHOWN, json!([again, "visitor"]));
    let conversations = widget_conversations(app, &browser, &identifier);
    assert_eq!(conversations.as_array().map(Vec::len), Some(2), "a new conversation");
    come_back(&browser, &page, &[(again, "visitor")]);
    browser.wait_for("the earlier conversation above", earlier, json!([hello, answer]));
    assert_eq!(
        browser.eval(
            "return R().querySelector('.message[data-delivery=earlier] .csat') === null;",
            json!([])
        ),
        json!(true),
        "an earlier survey is not offered again"
    );
}

/// Every Content-Security-Policy violation of a page, from its very start.
const WATCH_CSP: &str = "window.__violations = [];
    document.addEventListener('securitypolicyviolation', e => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));";

#[test]
fn a_page_with_a_strict_csp_and_only_the_documented_directives_embeds_the_widget() {
    let app = spawn_app();
    let account = app.create_account();
    let identifier = account.widget_inbox_identifier(app, "Strict shop");
    // Nothing allowed but what the README's embedding section tells a site owner to add.
    let edge_socket = app.base_url.replacen("http", "ws", 1);
    let policy = format!(
        "default-src 'none'; script-src {edge} 'wasm-unsafe-eval'; connect-src {edge} {edge_socket}",
        edge = app.base_url
    );
    let html = format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Strict shop</title></head>\
         <body><h1>A shop with a strict CSP</h1>{}</body></html>",
        snippet(&app.base_url, &identifier)
    );
    let page = host_site().publish("/strict.html", html, Some(policy));
    let browser = Browser::launch(1280, 800);
    browser.before_each_page(WATCH_CSP);
    browser.goto(&page);
    browser.wait_for("the loader", "return R() && R().querySelector('button');", json!([]));

    let hello = "Hello from a strict page";
    let conversation = open_and_say(app, &browser, &identifier, hello);
    let answer = "Hello! The policy lets us in.";
    agent_replies(app, &browser, &account, conversation["id"].as_i64().unwrap(), answer);
    let styled = browser.eval(
        "return getComputedStyle(R().querySelector('.nimchat')).position;",
        json!([]),
    );
    assert_eq!(styled, json!("fixed"), "the widget's style sheet applies");
    let violations = browser.eval("return window.__violations;", json!([]));
    assert_eq!(violations, json!([]), "nothing was blocked");

    come_back(&browser, &page, &[(hello, "visitor"), (answer, "agent")]);
    let violations = browser.eval("return window.__violations;", json!([]));
    assert_eq!(violations, json!([]), "nothing was blocked after the reload");
}

#[test]
fn a_site_the_inbox_does_not_allow_gets_a_notice_and_stores_nothing() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox_with(
        app,
        json!({"name": "Locked shop", "channel": {"type": "web_widget", "allowed_domains": "shop.example"}}),
    );
    let identifier = inbox["inbox_identifier"].as_str().unwrap();
    let page = storefront(app, "/not-allowed.html", identifier);
    let browser = Browser::launch(1280, 800);
    browser.goto(&page);
    browser.wait_for("the loader", "return R() && R().querySelector('button');", json!([]));
    browser.eval(
        "$nimchat.setUser('visitor-42', {name: 'Vera Visitor'}); R().querySelector('button').click(); return true;",
        json!([]),
    );
    let notice = browser.wait_for(
        "the notice",
        "const p = R().querySelector('.unavailable'); return p && p.textContent;",
        json!([]),
    );
    assert_eq!(notice, json!("Chat is not available on this website."));
    browser.screenshot(&screenshot("not-allowed"));
    assert_eq!(
        browser.eval("return R().querySelector('textarea');", json!([])),
        Value::Null,
        "nothing to send"
    );
    let contacts = account.admin_call(app, "GET", "/contacts", None);
    assert_eq!(contacts.status, 200, "{}", contacts.text);
    assert_eq!(
        contacts.body["meta"]["count"], 0,
        "no contact, so no conversation: {}",
        contacts.text
    );
    assert_eq!(
        browser.eval("return localStorage.length;", json!([])),
        json!(0),
        "no session kept"
    );
}

#[test]
fn a_bot_answers_then_hands_the_visitor_to_the_team_and_the_widget_shows_the_queue() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox_with(
        app,
        json!({"name": "Northwind support", "enable_auto_assignment": false,
               "channel": {"type": "web_widget", "welcome_title": "Hi there!"}}),
    );
    account.add_inbox_members(app, &inbox, &[account.agent.id]);
    let bot = app.platform("POST", "/agent_bots", Some(json!({"name": "Helpbot"})));
    let connect = account.path(&format!("/inboxes/{}/set_agent_bot", inbox["id"]));
    let connected = app.call(
        "POST",
        &connect,
        account.admin.auth(),
        Some(json!({"agent_bot": bot.body["id"]})),
    );
    assert_eq!(connected.status, 200, "{}", connected.text);
    let bot_token = bot.body["access_token"].as_str().unwrap();
    let identifier = inbox["inbox_identifier"].as_str().unwrap().to_string();
    let page = storefront(app, "/bot-first.html", &identifier);
    let browser = Browser::launch(1280, 800);
    browser.goto(&page);
    browser.wait_for("the loader", "return R() && R().querySelector('button');", json!([]));

    let conversation = open_and_say(app, &browser, &identifier, "Can I talk to a person?");
    assert_eq!(conversation["status"], "pending", "the bot has the visitor first");
    let id = conversation["id"].as_i64().unwrap();

    // The bot answers through the Application API with its own token: shown as a reply.
    let answer = "I am Helpbot. Let me find someone for you.";
    let said = app.call(
        "POST",
        &account.path(&format!("/conversations/{id}/messages")),
        Auth::Chatwoot(bot_token),
        Some(json!({ "content": answer })),
    );
    assert_eq!(said.status, 200, "{}", said.text);
    browser.wait_for("the bot's reply", SHOWN, json!([answer, "agent"]));
    let sender = browser.eval(
        "return [...R().querySelectorAll('.message[data-side=agent] .sender')].map(e => e.textContent);",
        json!([]),
    );
    assert_eq!(sender, json!(["Helpbot"]));
    assert_eq!(
        browser.eval("const q = R().querySelector('.queue'); return q.hidden;", json!([])),
        json!(true),
        "no queue while the bot has the visitor"
    );

    // The bot hands the visitor over: the widget shows their place in the queue.
    let source_id = stored_source_id(&browser, &identifier);
    let handover = app.call(
        "POST",
        &format!("/{}/inbox/handover/livechat/{source_id}", account.id),
        Auth::Chatwoot(bot_token),
        None,
    );
    assert_eq!(handover.status, 200, "{}", handover.text);
    let place = browser.wait_for(
        "the queue place",
        "const q = R().querySelector('.queue'); return !q.hidden && q.textContent;",
        json!([]),
    );
    assert_eq!(place, json!("You are number 1 in the queue"));
    browser.screenshot(&screenshot("handover-queue"));

    // A person answers: the queue line goes.
    let reply = account.reply(app, id, json!({"content": "Hello, I am Alan. How can I help?"}));
    assert_eq!(reply.status, 200);
    browser.wait_for(
        "the agent's reply",
        SHOWN,
        json!(["Hello, I am Alan. How can I help?", "agent"]),
    );
    browser.wait_for(
        "the queue line gone",
        "return R().querySelector('.queue').hidden;",
        json!([]),
    );
}

/// Keeps every WebSocket the page opens in `window.__sockets`, to see whether it was closed.
const WATCH_SOCKETS: &str = "window.__sockets = []; const Native = window.WebSocket;
    window.WebSocket = function (url, protocols) {
      const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
      window.__sockets.push(socket); return socket; };
    window.WebSocket.prototype = Native.prototype;
    Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});";

/// The visitor's answer to message `message` of `conversation`, as agents read it.
fn submitted_values(app: &TestApp, account: &TestAccount, conversation: i64, message: i64) -> Value {
    let messages = app.call(
        "GET",
        &account.path(&format!("/conversations/{conversation}/messages")),
        account.admin.auth(),
        None,
    );
    let answered = messages.body["payload"]
        .as_array()
        .unwrap()
        .iter()
        .find(|listed| listed["id"] == message)
        .cloned()
        .unwrap();
    answered["content_attributes"]["submitted_values"].clone()
}

/// Whether the log's newest message is wholly in view.
const NEWEST_IN_VIEW: &str = "const log = R().querySelector('.log').getBoundingClientRect();
     const messages = R().querySelectorAll('.message');
     const last = messages[messages.length - 1].getBoundingClientRect();
     return last.bottom <= log.bottom + 1 && last.top >= log.top;";

/// How many wasm chunks of the widget the page fetched.
fn chunks_fetched(browser: &Browser) -> i64 {
    let fetched = browser.eval(
        "return performance.getEntriesByType('resource').filter(e => e.name.includes('/split_')).length;",
        json!([]),
    );
    fetched.as_i64().unwrap()
}

#[test]
fn an_agents_markdown_card_and_options_reach_the_visitor_who_answers_by_click() {
    let app = spawn_app();
    let account = app.create_account();
    let identifier = account.widget_inbox_identifier(app, "Trail shop");
    let page = storefront(app, "/rich.html", &identifier);
    let browser = Browser::launch(1280, 800);
    browser.before_each_page(COUNT_TONES);
    browser.goto(&page);
    browser.wait_for("the loader", "return R() && R().querySelector('button');", json!([]));
    browser.eval("R().querySelector('button').click(); return true;", json!([]));
    browser.wait_for(
        "the window",
        "return R().querySelector('.window textarea') !== null;",
        json!([]),
    );
    assert_eq!(
        chunks_fetched(&browser),
        0,
        "the open window needs none of the parts' chunk"
    );
    let conversation = open_and_say(app, &browser, &identifier, "Which shoe for trails?");
    browser.wait_for(
        "the parts' chunk, fetched once the visitor writes",
        "return performance.getEntriesByType('resource').some(e => e.name.includes('/split_'));",
        json!([]),
    );
    let id = conversation["id"].as_i64().unwrap();
    let say = |body: Value| {
        let reply = account.reply(app, id, body);
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.body["id"].as_i64().unwrap()
    };

    say(json!({"content": "**Our pick** for trails:\n- grippy soles\n- light `<b>mesh</b>`"}));
    browser.wait_for(
        "the formatted reply",
        "const c = [...R().querySelectorAll('.message[data-side=agent] .content')].pop();
         return c && c.querySelector('strong')?.textContent === 'Our pick' && c.querySelectorAll('ul > li').length === 2
           && c.querySelector('code').textContent === '<b>mesh</b>' && !c.querySelector('b');",
        json!([]),
    );
    assert_eq!(chunks_fetched(&browser), 1, "one chunk, fetched once");
    say(
        json!({"content": "Trail runner", "content_type": "cards", "content_attributes": {"items": [{
        "title": "Trail runner", "description": "Grippy and light",
        "actions": [{"type": "link", "text": "View the shoe", "uri": "https://shop.example/trail"},
                    {"type": "link", "text": "Evil", "uri": "javascript:alert(1)"},
                    {"type": "postback", "text": "Reserve", "payload": "Reserve the trail runner"}]}]}}),
    );
    browser.wait_for(
        "the card's one link",
        "const links = R().querySelectorAll('nimchat-card a');
         return links.length === 1 && links[0].href === 'https://shop.example/trail' && links[0].textContent === 'View the shoe'
           && links[0].target === '_blank';",
        json!([]),
    );
    // A postback button says its payload for the visitor.
    browser.eval(
        "R().querySelector('nimchat-card button').click(); return true;",
        json!([]),
    );
    browser.wait_for(
        "the postback's message",
        SHOWN,
        json!(["Reserve the trail runner", "visitor"]),
    );
    let ask = say(
        json!({"content": "Which size?", "content_type": "input_select", "content_attributes": {
        "items": [{"title": "EU 42", "value": "42"}, {"title": "EU 43", "value": "43"}]}}),
    );
    browser.wait_for(
        "the options",
        "return R().querySelectorAll('.options button').length === 2;",
        json!([]),
    );
    // Drawn by the parts' chunk, the options keep the log at its end.
    browser.wait_for("the options in view", NEWEST_IN_VIEW, json!([]));
    browser.screenshot(&screenshot("widget-interactive"));
    browser.eval(
        "[...R().querySelectorAll('.options button')].find(b => b.textContent === 'EU 43').click(); return true;",
        json!([]),
    );
    browser.wait_for(
        "the visitor's choice in place of the options",
        "const c = R().querySelector('.chosen'); return !c.hidden && c.textContent === 'EU 43' && R().querySelector('.options').hidden;",
        json!([]),
    );
    // Stored on the message, as Chatwoot's API shows it to agents.
    assert_eq!(
        submitted_values(app, &account, id, ask),
        json!([{"title": "EU 43", "value": "43"}])
    );

    // A form: filled in, checked by the browser, sent once, answered in place and stored.
    let form = say(
        json!({"content": "Where do we send it?", "content_type": "form", "content_attributes": {"items": [
        {"name": "email", "label": "Email", "type": "email", "required": true},
        {"name": "note", "label": "Note", "type": "text_area"},
        {"name": "delivery", "label": "Delivery", "type": "select",
         "options": [{"label": "Post", "value": "post"}, {"label": "Pick-up", "value": "pickup"}]}]}}),
    );
    browser.wait_for(
        "the form",
        "return R().querySelector('form.form select') !== null;",
        json!([]),
    );
    browser.eval(
        "const f = R().querySelector('form.form');
         f.querySelector('[name=email]').value = 'vera@example.com';
         f.querySelector('[name=note]').value = 'Before Friday';
         f.querySelector('[name=delivery]').value = 'pickup'; return true;",
        json!([]),
    );
    browser.screenshot(&screenshot("widget-form"));
    browser.eval(
        "R().querySelector('form.form button[type=submit]').click(); return true;",
        json!([]),
    );
    browser.wait_for(
        "the answers in the form's place",
        "const c = [...R().querySelectorAll('.chosen')].pop();
         return R().querySelector('form.form').hidden && c.textContent === 'Email: vera@example.com\\nNote: Before Friday\\nDelivery: Pick-up';",
        json!([]),
    );
    assert_eq!(
        submitted_values(app, &account, id, form),
        json!([{"name": "email", "value": "vera@example.com"}, {"name": "note", "value": "Before Friday"},
               {"name": "delivery", "value": "pickup"}])
    );

    // With the window closed, a reply sounds once and counts in the page's title.
    assert_eq!(
        browser.eval("return window.__tones;", json!([])),
        json!(0),
        "no tone while looking"
    );
    browser.eval("$nimchat.toggle('close'); return true;", json!([]));
    say(json!({"content": "We have EU 43 in stock"}));
    browser.wait_for(
        "the count in the title",
        "return document.title === '(1) Northwind Outfitters · nimchat demo';",
        json!([]),
    );
    assert_eq!(browser.eval("return window.__tones;", json!([])), json!(1));
    browser.eval("$nimchat.toggle('open'); return true;", json!([]));
    browser.wait_for(
        "the title back",
        "return document.title === 'Northwind Outfitters · nimchat demo';",
        json!([]),
    );
}

/// Gives the widget files as a visitor would: `arguments[0]` is `picker` (the attach
/// button's file picker) or `drop` (dropped on the window); `arguments[1]` the files as
/// `[name, type, bytes]`.
const GIVE_FILES: &str = "const transfer = new DataTransfer();
    for (const [name, type, bytes] of arguments[1]) transfer.items.add(new File([new Uint8Array(bytes)], name, {type}));
    if (arguments[0] === 'picker') {
      const picker = R().querySelector('.composer input[type=file]');
      picker.files = transfer.files;
      picker.dispatchEvent(new Event('change', {bubbles: true}));
    } else {
      R().querySelector('.log').dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
    }
    return true;";

/// Files both ways: the visitor attaches an image by the button (its progress shown on a
/// slow line), drops a PDF on the window and is told in words why a program is refused;
/// the agent's image and file show in the widget, the image inline.
#[test]
fn files_go_both_ways_with_progress_and_a_refusal_in_words() {
    let app = spawn_app();
    let account = app.create_account();
    let identifier = account.widget_inbox_identifier(app, "Trail shop");
    let page = storefront(app, "/files.html", &identifier);
    let browser = Browser::launch(1280, 800);
    browser.goto(&page);
    browser.wait_for("the loader", "return R() && R().querySelector('button');", json!([]));
    let conversation = open_and_say(app, &browser, &identifier, "My receipt, and the broken sole");
    let id = conversation["id"].as_i64().unwrap();

    // 300 KB after the picture's own bytes, sent at 100 KB a second: about three seconds.
    let mut receipt = png(64, 48);
    receipt.resize(receipt.len() + 300_000, 0);
    browser.slow_uploads(100_000);
    browser.eval(GIVE_FILES, json!(["picker", [["receipt.png", "image/png", receipt]]]));
    browser.wait_for(
        "the upload's progress beside its preview",
        "const m = [...R().querySelectorAll('.message[data-side=visitor]')].pop();
         const p = m.querySelector('progress');
         return m.querySelector('.image img').src.startsWith('blob:') && p && !p.hidden && p.value > 0 && p.value < 100;",
        json!([]),
    );
    browser.screenshot(&screenshot("widget-attachment-upload"));
    browser.slow_uploads(-1);
    browser.wait_for(
        "the image as the edge serves it",
        "const img = [...R().querySelectorAll('.message[data-side=visitor][data-delivery=confirmed] .image img')].pop();
         return img && img.src.includes('/files/') && img.complete && img.naturalWidth === 64
           && img.closest('.message').querySelector('progress').hidden;",
        json!([]),
    );

    browser.eval(
        GIVE_FILES,
        json!(["drop", [["sole.pdf", "application/pdf", b"%PDF-1.4\n%%EOF\n".to_vec()]]]),
    );
    browser.wait_for(
        "the dropped PDF as a named link",
        "return [...R().querySelectorAll('.message[data-side=visitor][data-delivery=confirmed] a')]
           .some(a => a.textContent.startsWith('sole.pdf (') && a.href.includes('/files/') && a.target === '_blank');",
        json!([]),
    );
    browser.eval(
        GIVE_FILES,
        json!([
            "picker",
            [[
                "setup.exe",
                "application/octet-stream",
                b"MZ\x90\x00\x03\x00\x00\x00".to_vec()
            ]]
        ]),
    );
    browser.wait_for(
        "the edge's reason in words, and no message for it",
        "const e = R().querySelector('.error');
         return !e.hidden && e.textContent === 'Not sent: setup.exe is a type of file that is not accepted'
           && ![...R().querySelectorAll('.message')].some(m => m.textContent.includes('setup.exe'));",
        json!([]),
    );
    let stored = app.call(
        "GET",
        &account.path(&format!("/conversations/{id}/messages")),
        account.admin.auth(),
        None,
    );
    let names: Vec<&str> = stored.body["payload"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|message| message["attachments"].as_array().into_iter().flatten())
        .map(|file| file["file_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["receipt.png", "sole.pdf"],
        "the agents see both, and not the program"
    );

    let reply = Multipart::new()
        .text("content", "Here is the repair guide")
        .file("attachments[]", "guide.pdf", "application/pdf", b"%PDF-1.4\n%%EOF\n")
        .file("attachments[]", "sole.png", "image/png", &png(80, 40));
    let sent = account.reply_with_files(app, id, reply);
    assert_eq!(sent.status, 200, "{}", sent.text);
    browser.wait_for(
        "the agent's files: the image inline, the PDF as a link",
        "const m = [...R().querySelectorAll('.message[data-side=agent]')].pop();
         const img = m.querySelector('.image img');
         return m.querySelector('.content').textContent === 'Here is the repair guide'
           && img && img.complete && img.naturalWidth === 80 && img.closest('a').target === '_blank'
           && [...m.querySelectorAll('a')].some(a => a.textContent.startsWith('guide.pdf ('));",
        json!([]),
    );
    browser.screenshot(&screenshot("widget-attachments"));
}

#[test]
fn outside_working_hours_a_visitor_leaves_an_email_for_the_team() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox(app, "Night shop");
    let (week, _) = week_opening_in_three_days();
    let hours = app.call(
        "PATCH",
        &account.path(&format!("/inboxes/{}", inbox["id"])),
        account.admin.auth(),
        Some(json!({"working_hours_enabled": true, "timezone": "UTC", "working_hours": week})),
    );
    assert_eq!(hours.status, 200, "{}", hours.text);
    let identifier = inbox["inbox_identifier"].as_str().unwrap().to_string();
    let page = storefront(app, "/night.html", &identifier);
    let browser = Browser::launch(1280, 800);
    browser.goto(&page);
    browser.wait_for("the loader", "return R() && R().querySelector('button');", json!([]));
    open_and_say(app, &browser, &identifier, "Do you ship on Sundays?");
    browser.wait_for(
        "the offer to leave an e-mail",
        "const c = R().querySelector('.capture');
         return !c.hidden && /^We are back .+\\. Leave your e-mail and we will answer you there\\.$/.test(c.querySelector('p').textContent);",
        json!([]),
    );
    browser.eval(
        "const i = R().querySelector('.capture input'); i.focus(); i.value = 'night@example.com';
         i.dispatchEvent(new Event('input', {bubbles: true})); R().querySelector('.capture button').click(); return true;",
        json!([]),
    );
    browser.wait_for(
        "the promise of an answer",
        "return R().querySelector('.captured').textContent === 'We will answer you at night@example.com.';",
        json!([]),
    );
    browser.screenshot(&screenshot("widget-offline-email"));
    // Stored on the visitor's contact, for the team.
    let mut stored = Value::Null;
    for _ in 0..50 {
        stored = widget_conversation(app, &browser, &identifier)["contact"]["email"].clone();
        if stored == "night@example.com" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(stored, "night@example.com");
}

/// A stand-in for the browser's audio that counts the tones the loader plays.
const COUNT_TONES: &str = "window.__tones = 0; window.AudioContext = class {
    constructor() { this.destination = {}; this.currentTime = 0; }
    createOscillator() { return { frequency: {}, connect: node => node, start() { window.__tones++; }, stop() {} }; }
    createGain() { return { gain: {}, connect: node => node }; } };";

#[test]
fn an_agents_reply_reads_as_typed_while_the_widgets_chunk_cannot_load() {
    let app = spawn_app();
    let account = app.create_account();
    let identifier = account.widget_inbox_identifier(app, "Flaky shop");
    let page = storefront(app, "/flaky.html", &identifier);
    let browser = Browser::launch(1280, 800);
    browser.block_urls(&["*/split_*"]);
    browser.goto(&page);
    browser.wait_for("the loader", "return R() && R().querySelector('button');", json!([]));
    let conversation = open_and_say(app, &browser, &identifier, "Anyone there?");
    let id = conversation["id"].as_i64().unwrap();
    agent_replies(app, &browser, &account, id, "**Yes**, right here");
    assert_eq!(
        browser.eval("return R().querySelectorAll('.message strong').length;", json!([])),
        json!(0),
        "as typed, not formatted"
    );

    // The network back, the next reply fetches the chunk and is formatted.
    browser.block_urls(&[]);
    let reply = account.reply(app, id, json!({ "content": "*Glad* to help" }));
    assert_eq!(reply.status, 200, "{}", reply.text);
    browser.wait_for(
        "the formatted reply",
        "return [...R().querySelectorAll('.message em')].some(e => e.textContent === 'Glad');",
        json!([]),
    );
}

#[test]
fn reset_closes_the_old_visitors_socket_at_once() {
    let app = spawn_app();
    let account = app.create_account();
    let identifier = account.widget_inbox_identifier(app, "Shared computer");
    let page = storefront(app, "/reset.html", &identifier);
    let browser = Browser::launch(1280, 800);
    browser.before_each_page(WATCH_SOCKETS);
    browser.goto(&page);
    browser.wait_for("the loader", "return R() && R().querySelector('button');", json!([]));
    open_and_say(app, &browser, &identifier, "Log me out after this");
    browser.wait_for(
        "the visitor's socket",
        "return window.__sockets.some(s => s.readyState === 1);",
        json!([]),
    );
    browser.eval("$nimchat.reset(); return true;", json!([]));
    // Within the wait's 20 s: the widget pings only every 25 s, so a socket left to its next
    // frame or ping would still be open.
    browser.wait_for(
        "every socket closed",
        "return window.__sockets.length > 0 && window.__sockets.every(s => s.readyState >= 2);",
        json!([]),
    );
    assert_eq!(
        browser.eval("return localStorage.length;", json!([])),
        json!(0),
        "the session is forgotten"
    );
}

/// axe-core's WCAG 2 A and AA rules over the widget (its shadow root included): each
/// violation as `rule: elements`.
/// axe's WCAG 2.1 A and AA violations in the widget.
fn axe_violations(browser: &Browser) -> Value {
    axe_violations_in(browser, "[...document.body.children].find(e => e.shadowRoot)")
}

/// axe's WCAG 2.1 A and AA violations in what the JavaScript expression `context` names.
fn axe_violations_in(browser: &Browser, context: &str) -> Value {
    static AXE: OnceLock<String> = OnceLock::new();
    let axe = AXE.get_or_init(|| {
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../node_modules/axe-core/axe.min.js"
        ))
        .expect("axe-core (npm, package.json)")
    });
    browser.eval_async(
        "if (!window.axe) (0, eval)(arguments[0]);
         const context = (0, eval)(arguments[1]);
         axe.run(context, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
           .then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => JSON.stringify(n.target)).join(', '))),
                 e => done(['axe failed: ' + e]));",
        json!([axe, context]),
    )
}

fn assert_no_axe_violations(browser: &Browser, place: &str) {
    for scheme in ["light", "dark"] {
        browser.eval(&format!("$nimchat.setColorScheme('{scheme}'); return true;"), json!([]));
        browser.wait_for(
            "the scheme",
            "return R().querySelector('.nimchat').dataset.scheme === arguments[0];",
            json!([scheme]),
        );
        assert_eq!(axe_violations(browser), json!([]), "axe in {place}, {scheme}");
    }
}

/// How far the widget's bubble is from the right edge of the page.
const FROM_RIGHT: &str = "const b = R().querySelector('button').getBoundingClientRect();
    return Math.round(document.documentElement.clientWidth - b.right);";

#[test]
fn a_keyboard_visitor_in_arabic_chats_through_an_outage_and_axe_finds_nothing() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox_with(
        app,
        json!({"name": "Souk support", "csat_survey_enabled": true, "channel": {
            "type": "web_widget", "widget_color": "#1f6feb", "welcome_title": "مرحبا",
            "welcome_tagline": "Ask us anything.", "allowed_domains": "127.0.0.1"}}),
    );
    let identifier = inbox["inbox_identifier"].as_str().unwrap().to_string();
    let page = host_site().publish(
        "/souk.html",
        format!(
            "<!doctype html><html lang=ar dir=rtl><head><meta charset=utf-8><title>Souk</title></head>
             <body><main><h1>Souk</h1></main><script>window.nimchatSettings = {{locale: 'ar', position: 'right'}};</script>{}</body></html>",
            snippet(&app.base_url, &identifier)
        ),
        None,
    );
    let browser = Browser::launch(1280, 800);
    browser.goto(&page);
    browser.wait_for("the loader", "return R() && R().querySelector('#l button');", json!([]));
    let corner = browser.eval(FROM_RIGHT, json!([]));

    // Keyboard only: Tab reaches the bubble, which loads the chat and keeps the focus in
    // the same corner; Enter opens; the composer has the focus; Enter sends.
    browser.press("\u{E004}");
    browser.wait_for(
        "the chat in the loader's place",
        "return R().querySelector('.bubble') && !R().getElementById('l');",
        json!([]),
    );
    assert_eq!(
        browser.eval(FROM_RIGHT, json!([])),
        corner,
        "the bubble stays in its corner in Arabic"
    );
    assert_eq!(
        browser.eval("return R().activeElement && R().activeElement.className;", json!([])),
        json!("bubble"),
        "the focus stays on the bubble"
    );
    browser.press("\u{E007}");
    browser.wait_for(
        "the composer's focus",
        "return R().activeElement && R().activeElement.tagName === 'TEXTAREA';",
        json!([]),
    );
    assert_no_axe_violations(&browser, "the open window");
    let hello = "Hello from the keyboard";
    browser.press(&format!("{hello}\u{E007}"));
    browser.wait_for("the sent message", SHOWN, json!([hello, "visitor"]));

    // Thirty replies: the newest is in view.
    let conversation = widget_conversation(app, &browser, &identifier);
    let conversation_id = conversation["id"].as_i64().unwrap();
    for n in 1..=30 {
        let reply = account.reply(app, conversation_id, json!({ "content": format!("Reply {n}") }));
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    browser.wait_for("the 30th reply", SHOWN, json!(["Reply 30", "agent"]));
    browser.wait_for("the newest message in view", NEWEST_IN_VIEW, json!([]));
    browser.screenshot(&screenshot("long-chat-rtl"));
    assert_no_axe_violations(&browser, "a conversation");

    // An outage: the message stays with "retry"; back online, retrying sends it.
    browser.offline(true);
    let lost = "Sent during the outage";
    browser.eval(SEND, json!([lost]));
    browser.wait_for(
        "the message kept with retry",
        "return R().querySelector('.message[data-delivery=failed] .retry') !== null;",
        json!([]),
    );
    browser.screenshot(&screenshot("failed-send"));
    browser.offline(false);
    browser.eval(
        "R().querySelector('.message[data-delivery=failed] .retry').click(); return true;",
        json!([]),
    );
    browser.wait_for("the retried message", SHOWN, json!([lost, "visitor"]));
    browser.wait_for("no error left", "return R().querySelector('.error').hidden;", json!([]));

    // Resolved: the survey card.
    let resolve = account.path(&format!("/conversations/{conversation_id}/toggle_status"));
    let resolved = app.call(
        "POST",
        &resolve,
        account.admin.auth(),
        Some(json!({"status": "resolved"})),
    );
    assert_eq!(resolved.status, 200, "{}", resolved.text);
    browser.wait_for(
        "the survey",
        "return R().querySelector('.csat [role=radio]') !== null;",
        json!([]),
    );
    assert_no_axe_violations(&browser, "the survey card");

    // Back on the page: the replies and the survey, drawn once the parts' chunk is there,
    // leave the newest in view.
    browser.slow_network(400);
    come_back(&browser, &page, &[("Reply 30", "agent")]);
    browser.wait_for(
        "the survey again",
        "return R().querySelector('.csat') !== null;",
        json!([]),
    );
    browser.wait_for("the newest message in view after a return", NEWEST_IN_VIEW, json!([]));
}

#[test]
fn two_quick_first_messages_on_a_slow_network_make_one_conversation() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox_with(
        app,
        json!({"name": "Slow line", "channel": {"type": "web_widget", "allowed_domains": "127.0.0.1"}}),
    );
    let identifier = inbox["inbox_identifier"].as_str().unwrap().to_string();
    let page = storefront(app, "/slow.html", &identifier);
    let browser = Browser::launch(1280, 800);
    browser.goto(&page);
    browser.wait_for("the loader", "return R() && R().querySelector('button');", json!([]));
    browser.eval("$nimchat.toggle('open'); return true;", json!([]));
    browser.wait_for(
        "the window",
        "return R().querySelector('.window textarea') !== null;",
        json!([]),
    );
    browser.slow_network(600);
    browser.eval(SEND, json!(["First"]));
    browser.eval(SEND, json!(["Second"]));
    // Each request takes over a second here, and the browser suite runs beside others.
    let slow = std::time::Duration::from_secs(60);
    browser.wait_for_within(slow, "both sent", SHOWN, json!(["Second", "visitor"]));
    browser.wait_for_within(slow, "both sent", SHOWN, json!(["First", "visitor"]));
    let conversations = widget_conversations(app, &browser, &identifier);
    assert_eq!(conversations.as_array().map(Vec::len), Some(1), "{}", conversations);
    browser.slow_network(0);

    // On another page, the team answers: the next page view shows it beside the bubble,
    // before the chat loads, and the chat keeps the count when it does.
    browser.goto(&page);
    browser.wait_for("the loader", "return R() && R().querySelector('button');", json!([]));
    let id = conversations[0]["id"].as_i64().unwrap();
    let answer = "Both arrived, thanks!";
    assert_eq!(account.reply(app, id, json!({ "content": answer })).status, 200);
    browser.goto(&page);
    browser.wait_for(
        "the loader's badge and preview",
        "const b = R().getElementById('b'), p = R().getElementById('p');
         return b && !b.hidden && b.textContent === '1' && !p.hidden && p.textContent.endsWith(arguments[0]);",
        json!([answer]),
    );
    browser.screenshot(&screenshot("returning-visitor-preview"));
    browser.eval(
        "R().getElementById('o').dispatchEvent(new Event('mouseenter')); return true;",
        json!([]),
    );
    browser.wait_for(
        "the chat's badge and preview",
        "return R().querySelector('.badge').textContent === '1' && R().querySelector('.preview').textContent.endsWith(arguments[0]);",
        json!([answer]),
    );
    come_back(
        &browser,
        &page,
        &[("First", "visitor"), ("Second", "visitor"), (answer, "agent")],
    );

    // A reply of a file alone is previewed by the file's name.
    browser.goto(&page);
    browser.wait_for("the loader", "return R() && R().querySelector('button');", json!([]));
    let file = Multipart::new().file(
        "attachments[]",
        "return-label.pdf",
        "application/pdf",
        b"%PDF-1.4\n%%EOF\n",
    );
    let sent = account.reply_with_files(app, id, file);
    assert_eq!(sent.status, 200, "{}", sent.text);
    browser.goto(&page);
    browser.wait_for(
        "the loader's preview of the file",
        "const p = R().getElementById('p'); return !p.hidden && p.textContent.endsWith(': return-label.pdf');",
        json!([]),
    );
}
