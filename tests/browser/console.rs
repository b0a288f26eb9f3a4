//! The agents' console (issue 16) in Chromium: sign-in, the list and a conversation kept live
//! from `/cable`, replies and private notes, resolving, signing out.

use nimchat_tests::browser::Browser;
use nimchat_tests::{spawn_app, TestApp, TestVisitor};
use serde_json::{json, Value};

use super::{axe_violations_in, screenshot};

/// Sets a field's value as typing does (an `input` event), found by a CSS selector.
const FILL: &str = "const field = document.querySelector(arguments[0]); field.focus(); field.value = arguments[1];
    field.dispatchEvent(new Event('input', {bubbles: true})); return true;";

const CLICK: &str = "document.querySelector(arguments[0]).click(); return true;";

/// True once an element matching the selector has exactly this text.
const HAS_TEXT: &str =
    "return [...document.querySelectorAll(arguments[0])].some(e => e.textContent.trim() === arguments[1]);";

fn sign_in(browser: &Browser, email: &str, password: &str) {
    browser.eval(FILL, json!(["input[type=email]", email]));
    browser.eval(FILL, json!(["input[type=password]", password]));
    browser.eval(CLICK, json!(["form button[type=submit]"]));
}

fn visitor_sees(visitor: &TestVisitor, conversation: i64) -> Vec<String> {
    visitor
        .messages(conversation)
        .iter()
        .filter_map(|message| message["content"].as_str().map(str::to_string))
        .collect()
}

fn status_of(app: &TestApp, account: &nimchat_tests::TestAccount, conversation: i64) -> Value {
    account
        .admin_call(app, "GET", &format!("/conversations/{conversation}"), None)
        .body["status"]
        .clone()
}

#[test]
fn an_agent_signs_in_and_answers_a_visitor_live() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_quiet_inbox(app);
    let identifier = inbox["inbox_identifier"].as_str().unwrap();
    let vera = app.visitor(identifier, json!({"name": "Vera Visitor"}));
    let conversation = vera.start_conversation();
    assert_eq!(vera.say(conversation, "Where is my parcel?").status, 200);

    let browser = Browser::launch(1280, 800);
    browser.goto(&format!("{}/app/", app.base_url));
    browser.wait_for(
        "the sign-in form",
        "return document.querySelector('input[type=email]');",
        json!([]),
    );
    sign_in(&browser, &account.admin.email, "not the password");
    browser.wait_for(
        "the refusal",
        HAS_TEXT,
        json!(["[role=alert]", "Wrong e-mail or password."]),
    );
    assert_eq!(browser.eval("return localStorage.length;", json!([])), json!(0));
    assert_eq!(
        axe_violations_in(&browser, "document"),
        json!([]),
        "axe on the sign-in form"
    );
    browser.screenshot(&screenshot("console-sign-in"));

    sign_in(&browser, &account.admin.email, "Passw0rd!");
    browser.wait_for(
        "the conversation in the list",
        HAS_TEXT,
        json!([".item .name", "Vera Visitor"]),
    );
    browser.wait_for(
        "the unread count in the title",
        "return document.title === '(1) nimchat';",
        json!([]),
    );
    browser.press("j");
    browser.wait_for(
        "the visitor's message",
        HAS_TEXT,
        json!([".message.visitor p", "Where is my parcel?"]),
    );
    browser.wait_for(
        "the conversation read",
        "return document.title === 'nimchat';",
        json!([]),
    );

    // Live: the visitor's next message, and a new visitor's conversation, arrive unasked.
    assert_eq!(vera.say(conversation, "It was due yesterday").status, 200);
    browser.wait_for(
        "the new message",
        HAS_TEXT,
        json!([".message.visitor p", "It was due yesterday"]),
    );
    let sam = app.visitor(identifier, json!({"name": "Sam Second"}));
    let second = sam.start_conversation();
    assert_eq!(sam.say(second, "Hello?").status, 200);
    browser.wait_for("the new conversation", HAS_TEXT, json!([".item .name", "Sam Second"]));

    // r goes to the reply box; a reply with Ctrl+Enter reaches the visitor; a private note
    // never does.
    browser.press("r");
    browser.wait_for(
        "the reply box focused",
        "return document.activeElement.matches('.reply textarea');",
        json!([]),
    );
    assert_eq!(
        browser.eval("return document.activeElement.value;", json!([])),
        json!(""),
        "r is not typed"
    );
    browser.eval(FILL, json!([".reply textarea", "It is on its way"]));
    browser.eval(
        "document.querySelector('.reply textarea').dispatchEvent(new KeyboardEvent('keydown',
            {key: 'Enter', ctrlKey: true, bubbles: true, cancelable: true})); return true;",
        json!([]),
    );
    browser.wait_for("the reply", HAS_TEXT, json!([".message.agent p", "It is on its way"]));
    browser.wait_for(
        "the reply as the list's last message",
        HAS_TEXT,
        json!([".item[aria-current=true] .last", "It is on its way"]),
    );
    assert!(visitor_sees(&vera, conversation).contains(&"It is on its way".to_string()));
    browser.eval(CLICK, json!([".reply .private input"]));
    browser.wait_for("the note mode", HAS_TEXT, json!([".reply button", "Add note"]));
    browser.eval(FILL, json!([".reply textarea", "Courier says Friday"]));
    browser.eval(CLICK, json!([".reply button[type=submit]"]));
    browser.wait_for("the note", HAS_TEXT, json!([".message.note p", "Courier says Friday"]));
    assert!(!visitor_sees(&vera, conversation).contains(&"Courier says Friday".to_string()));
    assert_eq!(
        axe_violations_in(&browser, "document"),
        json!([]),
        "axe on the conversation"
    );
    browser.screenshot(&screenshot("console-conversation"));
    browser.prefer_color_scheme("dark");
    assert_eq!(
        axe_violations_in(&browser, "document"),
        json!([]),
        "axe on the conversation, dark"
    );
    browser.screenshot(&screenshot("console-conversation-dark"));
    browser.prefer_color_scheme("light");

    browser.eval("document.activeElement.blur(); return true;", json!([]));
    browser.press("e");
    browser.wait_for("the resolved status", HAS_TEXT, json!([".thread .status", "resolved"]));
    assert_eq!(status_of(app, &account, conversation), "resolved");
    browser.wait_for(
        "the list without it",
        "return ![...document.querySelectorAll('.item .name')]
        .some(e => e.textContent === 'Vera Visitor');",
        json!([]),
    );

    browser.eval(CLICK, json!([".top button"]));
    browser.wait_for(
        "the sign-in form again",
        "return document.querySelector('input[type=email]');",
        json!([]),
    );
    assert_eq!(
        browser.eval("return localStorage.length;", json!([])),
        json!(0),
        "the token is forgotten"
    );
}
