//! The agents' console (issue 16) in Chromium: sign-in, the list and a conversation kept live
//! from `/cable`, replies and private notes, resolving, signing out; two agents and a visitor
//! through the queue, a transfer and the visitor's rating; what a revoked token and another
//! account's user see.

use nimchat_tests::browser::Browser;
use nimchat_tests::{png, spawn_app, Multipart, TestApp, TestVisitor};
use serde_json::{json, Value};

use super::{axe_violations_in, open_and_say, screenshot, storefront, SHOWN};

/// Sets a field's value as typing does (an `input` event), found by a CSS selector.
const FILL: &str = "const field = document.querySelector(arguments[0]); field.focus(); field.value = arguments[1];
    field.dispatchEvent(new Event('input', {bubbles: true})); return true;";

const CLICK: &str = "document.querySelector(arguments[0]).click(); return true;";

/// True once an element matching the selector has exactly this text.
const HAS_TEXT: &str =
    "return [...document.querySelectorAll(arguments[0])].some(e => e.textContent.trim() === arguments[1]);";

/// True once an element matching the selector contains this text.
const CONTAINS: &str =
    "return [...document.querySelectorAll(arguments[0])].some(e => e.textContent.includes(arguments[1]));";

/// Chooses an option of a `<select>` as a person does (a `change` event).
const CHOOSE: &str = "const s = document.querySelector(arguments[0]); s.value = arguments[1];
    s.dispatchEvent(new Event('change', {bubbles: true})); return true;";

/// A console in its own browser, signed in as this user (every test user's password).
fn console_of(app: &TestApp, email: &str) -> Browser {
    let browser = Browser::launch(1280, 800);
    browser.goto(&format!("{}/app/", app.base_url));
    browser.wait_for(
        "the sign-in form",
        "return document.querySelector('input[type=email]');",
        json!([]),
    );
    sign_in(&browser, email, "Passw0rd!");
    browser.wait_for("the console", "return document.querySelector('.top');", json!([]));
    browser
}

/// Writes in the reply box and sends (a reply, or a note in note mode).
fn write(browser: &Browser, text: &str) {
    browser.eval(FILL, json!([".reply textarea", text]));
    browser.eval(CLICK, json!([".reply button[type=submit]"]));
}

/// Records the notifications the page raises, and lets the test hide the tab: Chromium's
/// own notifications and visibility cannot be read from a headless test.
const WATCH_NOTIFICATIONS: &str = "window.__notified = []; window.__hidden = false;
    Object.defineProperty(Document.prototype, 'hidden', {get() { return window.__hidden; }, configurable: true});
    let permission = 'default';
    window.Notification = class {
        constructor(title, options) { window.__notified.push(title + ': ' + (options && options.body)); }
        static get permission() { return permission; }
        static requestPermission() { permission = 'granted'; return Promise.resolve(permission); }
    };";

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
    browser.before_each_page(WATCH_NOTIFICATIONS);
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
    // Notifications are offered, not asked for; once answered, the offer goes.
    browser.eval(CLICK, json!([".top .notifications"]));
    browser.wait_for(
        "the offer gone",
        "return !document.querySelector('.top .notifications') && Notification.permission === 'granted';",
        json!([]),
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
    assert_eq!(
        browser.eval("return window.__notified;", json!([])),
        json!([]),
        "not while looking"
    );

    // While the tab is hidden, a visitor's message raises a notification.
    browser.eval("window.__hidden = true; return true;", json!([]));
    assert_eq!(vera.say(conversation, "Are you there?").status, 200);
    browser.wait_for(
        "the notification",
        "return window.__notified.includes('Vera Visitor: Are you there?');",
        json!([]),
    );
    browser.eval("window.__hidden = false; return true;", json!([]));

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

    // Files both ways: the visitor's photo shows in the thread; the agent's files, pasted
    // into the reply box and dropped on it, reach the visitor.
    let photo = Multipart::new().file("attachments[]", "parcel.png", "image/png", &png(60, 30));
    let sent = vera.send(
        "POST",
        &format!("/conversations/{conversation}/messages"),
        photo.finish(),
        &Multipart::content_type(),
    );
    assert_eq!(sent.status, 200, "{}", sent.text);
    browser.wait_for(
        "the visitor's photo",
        "const img = document.querySelector('.message.visitor .file.image img');
         return img && img.complete && img.naturalWidth === 60 && img.alt === 'parcel.png';",
        json!([]),
    );
    let chosen = browser.eval(
        "const files = (name, type, text) => { const t = new DataTransfer(); t.items.add(new File([text], name, {type})); return t; };
         document.querySelector('.reply textarea').dispatchEvent(new ClipboardEvent('paste',
           {clipboardData: files('label.pdf', 'application/pdf', '%PDF-1.4\\n%%EOF\\n'), bubbles: true, cancelable: true}));
         document.querySelector('.reply').dispatchEvent(new DragEvent('drop',
           {dataTransfer: files('steps.txt', 'text/plain', 'Print, fold, post.'), bubbles: true, cancelable: true}));
         return [...document.querySelector('.reply .attach input').files].map(f => f.name);",
        json!([]),
    );
    assert_eq!(
        chosen,
        json!(["label.pdf", "steps.txt"]),
        "a paste and a drop join the picker's files"
    );
    browser.eval(FILL, json!([".reply textarea", "Your return label"]));
    browser.eval(CLICK, json!([".reply button[type=submit]"]));
    browser.wait_for(
        "the agent's file in the thread",
        "return [...document.querySelectorAll('.message.agent .file')].some(a => a.textContent.startsWith('label.pdf ('));",
        json!([]),
    );
    browser.wait_for(
        "the picker emptied",
        "return document.querySelector('.reply .attach input').files.length === 0;",
        json!([]),
    );
    let label = vera
        .messages(conversation)
        .into_iter()
        .find(|message| message["content"] == "Your return label");
    let names = label.map(|message| {
        let files = message["attachments"].as_array().cloned().unwrap_or_default();
        files.iter().map(|file| file["file_name"].clone()).collect::<Vec<_>>()
    });
    assert_eq!(
        names,
        Some(vec![json!("label.pdf"), json!("steps.txt")]),
        "the visitor gets the files"
    );

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

    // In Arabic the console reads right to left, and stays accessible.
    choose_language(&browser, "ar");
    browser.wait_for(
        "the sign-out button in Arabic",
        HAS_TEXT,
        json!([".top .sign-out", "تسجيل الخروج"]),
    );
    assert_eq!(
        browser.eval("return document.documentElement.dir;", json!([])),
        json!("rtl")
    );
    browser.wait_for("the list in Arabic", HAS_TEXT, json!([".item .name", "Sam Second"]));
    browser.press("j");
    browser.wait_for("a conversation", "return document.querySelector('.thread');", json!([]));
    assert_eq!(axe_violations_in(&browser, "document"), json!([]), "axe in Arabic");
    browser.screenshot(&screenshot("console-conversation-rtl"));
    choose_language(&browser, "en");
    browser.wait_for("English again", HAS_TEXT, json!([".top .sign-out", "Sign out"]));
    assert_eq!(
        browser.eval("return document.documentElement.dir;", json!([])),
        json!("ltr")
    );

    browser.eval(CLICK, json!([".top .sign-out"]));
    browser.wait_for(
        "the sign-in form again",
        "return document.querySelector('input[type=email]');",
        json!([]),
    );
    assert_eq!(
        browser.eval("return localStorage.getItem('nimchat.console.token');", json!([])),
        Value::Null,
        "the token is forgotten"
    );
}

/// Picks the console's language in its header menu.
fn choose_language(browser: &Browser, tag: &str) {
    browser.eval(CHOOSE, json!([".top .language", tag]));
}

#[test]
fn two_agents_and_a_visitor_go_through_the_queue_a_transfer_and_a_rating() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox_with(
        app,
        json!({"name": "Helpdesk", "csat_survey_enabled": true, "enable_auto_assignment": false,
               "channel": {"type": "web_widget", "allowed_domains": "127.0.0.1"}}),
    );
    let bea = account.add_signed_in_agent(app, "Bea Backup");
    account.add_inbox_members(app, &inbox, &[account.agent.id, bea.id]);
    let identifier = inbox["inbox_identifier"].as_str().unwrap();
    let alan = console_of(app, &account.agent.email);
    let backup = console_of(app, &bea.email);
    alan.wait_for("an empty queue", HAS_TEXT, json!([".tab-queue", "Queue (0)"]));

    // The visitor writes from the demo page; it joins the queue, live.
    let visitor = Browser::launch(1280, 800);
    visitor.goto(&storefront(app, "/helpdesk.html", identifier));
    visitor.wait_for("the loader", "return R() && R().querySelector('button');", json!([]));
    let question = "My invoice shows the wrong address";
    let conversation = open_and_say(app, &visitor, identifier, question)["id"]
        .as_i64()
        .unwrap();
    alan.wait_for("the queue", HAS_TEXT, json!([".tab-queue", "Queue (1)"]));
    alan.eval(CLICK, json!([".tab-queue"]));
    alan.wait_for(
        "the visitor waiting",
        HAS_TEXT,
        json!([".inquiry .id", format!("#{conversation}")]),
    );
    assert_eq!(axe_violations_in(&alan, "document"), json!([]), "axe on the queue");
    alan.screenshot(&screenshot("console-queue"));

    // Alan takes it, replies (the visitor sees it) and adds a note (the visitor never does).
    alan.eval(CLICK, json!([".inquiry .take"]));
    alan.wait_for("taken", HAS_TEXT, json!([".thread .assignee", "Assigned to you"]));
    alan.wait_for("the question", HAS_TEXT, json!([".message.visitor p", question]));
    backup.wait_for("the queue emptied", HAS_TEXT, json!([".tab-queue", "Queue (0)"]));
    let answer = "Sorry about that, let me check";
    write(&alan, answer);
    alan.wait_for("the reply", HAS_TEXT, json!([".message.agent p", answer]));
    visitor.wait_for("the reply in the widget", SHOWN, json!([answer, "agent"]));
    let note = "Billing address changed last week";
    alan.eval(CLICK, json!([".reply .private input"]));
    write(&alan, note);
    alan.wait_for("the note", HAS_TEXT, json!([".message.note p", note]));

    // Alan hands it to Bea, who is told live, accepts and resolves.
    alan.wait_for(
        "Bea among the colleagues",
        CONTAINS,
        json!([".transfer select", "Bea Backup"]),
    );
    alan.eval(CHOOSE, json!([".transfer select", bea.id.to_string()]));
    alan.eval(CLICK, json!([".transfer button[type=submit]"]));
    alan.wait_for(
        "the pending transfer",
        CONTAINS,
        json!([".transfer", "Waiting for Bea Backup to accept."]),
    );
    backup.wait_for(
        "the request",
        CONTAINS,
        json!([".request", "Alan Agent asks you to take over the conversation with"]),
    );
    backup.eval(CLICK, json!([".request button"]));
    backup.wait_for(
        "the question to accept",
        CONTAINS,
        json!([".transfer", "Alan Agent asks you to take over this conversation."]),
    );
    backup.wait_for("the note, for the team", HAS_TEXT, json!([".message.note p", note]));
    assert_eq!(
        axe_violations_in(&backup, "document"),
        json!([]),
        "axe on the transfer asked"
    );
    backup.eval(CLICK, json!([".transfer .accept"]));
    backup.wait_for("hers", HAS_TEXT, json!([".thread .assignee", "Assigned to you"]));
    backup.wait_for(
        "the hand-over recorded",
        HAS_TEXT,
        json!([
            ".message.activity p",
            "Bea Backup took over the conversation from Alan Agent"
        ]),
    );
    alan.wait_for(
        "gone to Bea",
        HAS_TEXT,
        json!([".thread .assignee", "Assigned to Bea Backup"]),
    );
    backup.eval(CLICK, json!([".thread .toggle-status"]));
    backup.wait_for("resolved", HAS_TEXT, json!([".thread .status", "resolved"]));

    // The visitor rates it; the rating shows in the console.
    visitor.wait_for(
        "the survey",
        "return R().querySelectorAll('.csat [role=radio]').length === 5;",
        json!([]),
    );
    visitor.eval(
        "R().querySelectorAll('.csat [role=radio]')[3].click(); return true;",
        json!([]),
    );
    visitor.eval(
        "R().querySelector('.csat button[type=submit]').click(); return true;",
        json!([]),
    );
    visitor.wait_for("the thanks", "return R().querySelector('.thanks') !== null;", json!([]));
    backup.wait_for(
        "the rating",
        CONTAINS,
        json!([".message.csat", "The visitor rated this conversation 4 out of 5."]),
    );
    backup.screenshot(&screenshot("console-rated"));
    // Alan makes himself available: with his console open he is online, as the widget's
    // inbox says; then busy.
    let inbox_path = format!("/public/api/v1/inboxes/{identifier}");
    let online = || app.call_with("GET", &inbox_path, None, &[]).body["online"].clone();
    assert_eq!(online(), json!(false), "nobody is available yet");
    alan.eval(CHOOSE, json!([".top .availability", "available"]));
    let availability = |status: &'static str| {
        eventually(app, &account, "/agents", move |body| {
            body.as_array().is_some_and(|all| {
                all.iter()
                    .any(|agent| agent["id"] == account.agent.id && agent["availability_status"] == status)
            })
        })
    };
    availability("available");
    assert_eq!(online(), json!(true), "an available agent has the console open");
    alan.eval(CHOOSE, json!([".top .availability", "busy"]));
    availability("busy");

    let widget_text = visitor.eval("return R().querySelector('.window').textContent;", json!([]));
    assert!(widget_text
        .as_str()
        .is_some_and(|text| text.contains(answer) && !text.contains(note)));
}

#[test]
fn a_revoked_token_and_another_accounts_user_see_nothing() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_quiet_inbox(app);
    let identifier = inbox["inbox_identifier"].as_str().unwrap();
    let vera = app.visitor(identifier, json!({"name": "Vera Private"}));
    let conversation = vera.start_conversation();
    assert_eq!(vera.say(conversation, "My card number ends in 4242").status, 200);

    // Another account's administrator sees their own account's conversation, and only it.
    let other = app.create_account();
    let own_inbox = other.create_quiet_inbox(app);
    let olga = app.visitor(
        own_inbox["inbox_identifier"].as_str().unwrap(),
        json!({"name": "Olga Own"}),
    );
    let own = olga.start_conversation();
    assert_eq!(olga.say(own, "Hello").status, 200);
    let stranger = console_of(app, &other.admin.email);
    stranger.wait_for("their own conversation", HAS_TEXT, json!([".item .name", "Olga Own"]));
    stranger.wait_for("their own queue", HAS_TEXT, json!([".tab-queue", "Queue (1)"]));
    let text = stranger.eval("return document.body.textContent;", json!([]));
    assert!(!text.as_str().unwrap().contains("Vera Private"), "{text}");

    // A member whose user is deleted: the stored token opens nothing and is forgotten.
    let leaver = account.add_signed_in_agent(app, "Lee Leaver");
    account.add_inbox_members(app, &inbox, &[leaver.id]);
    let browser = console_of(app, &leaver.email);
    browser.wait_for("the conversation", HAS_TEXT, json!([".item .name", "Vera Private"]));
    let deleted = app.platform("DELETE", &format!("/users/{}", leaver.id), None);
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    browser.goto(&format!("{}/app/", app.base_url));
    browser.wait_for(
        "the sign-in form",
        "return document.querySelector('input[type=email]');",
        json!([]),
    );
    assert_eq!(browser.eval("return localStorage.length;", json!([])), json!(0));
    let text = browser.eval("return document.body.textContent;", json!([]));
    assert!(!text.as_str().unwrap().contains("Vera Private"), "{text}");
}

/// Types into the reply box as a person does (an `input` event), without sending.
fn type_reply(browser: &Browser, text: &str) {
    browser.eval(FILL, json!([".reply textarea", text]));
}

#[test]
fn an_agent_works_a_conversation_from_its_side_panel_with_canned_responses_and_typing() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_quiet_inbox(app);
    let identifier = inbox["inbox_identifier"].as_str().unwrap();
    let team = account.create_team(app, "Billing", false);
    for (path, body) in [
        ("/labels", json!({"title": "vip", "color": "#d4a017"})),
        (
            "/canned_responses",
            json!({"short_code": "thanks", "content": "Thank you for waiting!"}),
        ),
    ] {
        let made = account.admin_call(app, "POST", path, Some(body));
        assert_eq!(made.status, 200, "{path}: {}", made.text);
    }
    let vera = app.visitor(
        identifier,
        json!({"name": "Vera Visitor", "email": "vera@example.test", "custom_attributes": {"plan": "gold"}}),
    );
    let tagged = account.admin_call(
        app,
        "POST",
        &format!("/contacts/{}/labels", vera.contact_id),
        Some(json!({"labels": ["returning"]})),
    );
    assert_eq!(tagged.status, 200, "{}", tagged.text);
    let earlier = vera.start_conversation();
    assert_eq!(vera.say(earlier, "An old question").status, 200);
    account.set_status(app, earlier, "resolved");
    let conversation = vera.start_conversation();
    assert_eq!(vera.say(conversation, "Can I change my plan?").status, 200);

    let browser = console_of(app, &account.admin.email);
    browser.wait_for("the conversation", HAS_TEXT, json!([".item .name", "Vera Visitor"]));
    browser.press("j");
    browser.wait_for(
        "the question",
        HAS_TEXT,
        json!([".message.visitor p", "Can I change my plan?"]),
    );

    // The contact's panel.
    browser.wait_for("the e-mail", HAS_TEXT, json!([".contact dd", "vera@example.test"]));
    browser.wait_for("the custom attribute", HAS_TEXT, json!([".contact .attribute", "gold"]));
    browser.wait_for("the tags", HAS_TEXT, json!([".contact .tags", "Tags: returning"]));
    browser.wait_for(
        "the earlier conversation",
        HAS_TEXT,
        json!([".contact .others button", format!("#{earlier} · resolved")]),
    );

    // The agent corrects the contact's phone number.
    browser.eval(CLICK, json!([".contact .edit-contact"]));
    browser.eval(FILL_FIELD, json!([".contact-form", "Phone", "+33123456789"]));
    browser.eval(CLICK, json!([".contact-form button[type=submit]"]));
    browser.wait_for("the new number", HAS_TEXT, json!([".contact dd", "+33123456789"]));
    let contact = account.admin_call(app, "GET", &format!("/contacts/{}", vera.contact_id), None);
    assert_eq!(contact.body["payload"]["phone_number"], "+33123456789");
    assert_eq!(
        contact.body["payload"]["email"], "vera@example.test",
        "the rest is kept"
    );

    // Agent, team, priority and labels from the side panel reach the edge.
    let shown = |field: &str| {
        let body = account
            .admin_call(app, "GET", &format!("/conversations/{conversation}"), None)
            .body;
        body.pointer(field).cloned().unwrap_or(Value::Null)
    };
    browser.wait_for(
        "Alan among the agents",
        CONTAINS,
        json!([".assignee-choice", "Alan Agent"]),
    );
    browser.eval(CHOOSE, json!([".assignee-choice", account.agent.id.to_string()]));
    browser.wait_for(
        "assigned",
        HAS_TEXT,
        json!([".thread .assignee", "Assigned to Alan Agent"]),
    );
    assert_eq!(shown("/meta/assignee/id"), account.agent.id);
    browser.wait_for("the team offered", CONTAINS, json!([".team-choice", "Billing"]));
    browser.eval(CHOOSE, json!([".team-choice", team["id"].to_string()]));
    browser.eval(CHOOSE, json!([".priority-choice", "high"]));
    browser.wait_for("the label offered", CONTAINS, json!([".labels", "vip"]));
    browser.eval(CLICK, json!([".label-choice input"]));
    browser.wait_for(
        "the label checked after reading again",
        "return document.querySelector('.label-choice input').checked;",
        json!([]),
    );
    let started = std::time::Instant::now();
    while (shown("/meta/team/id") != team["id"] || shown("/priority") != "high" || shown("/labels") != json!(["vip"]))
        && started.elapsed() < std::time::Duration::from_secs(10)
    {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert_eq!(shown("/meta/team/id"), team["id"]);
    assert_eq!(shown("/priority"), "high");
    assert_eq!(shown("/labels"), json!(["vip"]));

    // The list's filters: another visitor's conversation has no label and no team.
    let otto = app.visitor(identifier, json!({"name": "Otto Other"}));
    let other = otto.start_conversation();
    assert_eq!(otto.say(other, "Hi").status, 200);
    browser.wait_for("the other conversation", HAS_TEXT, json!([".item .name", "Otto Other"]));
    let listed = |browser: &Browser| {
        browser.eval(
            "return [...document.querySelectorAll('.item .name')].map(e => e.textContent).sort();",
            json!([]),
        )
    };
    browser.eval(CHOOSE, json!([".label-filter", "vip"]));
    browser.wait_for(
        "only the labelled one",
        "return document.querySelectorAll('.item').length === 1;",
        json!([]),
    );
    assert_eq!(listed(&browser), json!(["Vera Visitor"]));
    browser.eval(CHOOSE, json!([".label-filter", ""]));
    browser.eval(CHOOSE, json!([".team-filter", team["id"].to_string()]));
    browser.wait_for(
        "only the team's",
        "return document.querySelectorAll('.item').length === 1;",
        json!([]),
    );
    assert_eq!(listed(&browser), json!(["Vera Visitor"]));
    browser.eval(CHOOSE, json!([".team-filter", ""]));
    browser.eval(CHOOSE, json!([".inbox-filter", inbox["id"].to_string()]));
    browser.wait_for(
        "both, in their inbox",
        "return document.querySelectorAll('.item').length === 2;",
        json!([]),
    );
    browser.eval(CHOOSE, json!([".inbox-filter", ""]));

    // Typing both ways: the visitor's shows in the console; the agent's reaches the visitor.
    let mut visitor_cable = nimchat_tests::cable::Cable::connect(&app.cable_url(""));
    visitor_cable.subscribe(&nimchat_tests::cable::identifier(&vera.pubsub_token, None, None));
    let typing = |status: &str| {
        let path = format!("/conversations/{conversation}/toggle_typing");
        assert_eq!(
            vera.call("POST", &path, Some(json!({ "typing_status": status })))
                .status,
            200
        );
    };
    typing("on");
    browser.wait_for(
        "the visitor typing",
        HAS_TEXT,
        json!([".typing", "Vera Visitor is typing…"]),
    );
    typing("off");
    browser.wait_for("the typing gone", HAS_TEXT, json!([".typing", ""]));

    // A canned response by its short code, chosen with the keyboard.
    type_reply(&browser, "/than");
    visitor_cable.wait_for("conversation.typing_on", |data| {
        data["conversation"]["id"] == conversation
    });
    browser.wait_for(
        "the canned response offered",
        CONTAINS,
        json!([".canned li", "Thank you for waiting!"]),
    );
    assert_eq!(
        axe_violations_in(&browser, "document"),
        json!([]),
        "axe with the canned responses"
    );
    browser.screenshot(&screenshot("console-details"));
    browser.eval(
        "document.querySelector('.reply textarea').dispatchEvent(new KeyboardEvent('keydown',
            {key: 'Enter', bubbles: true, cancelable: true})); return document.querySelector('.reply textarea').value;",
        json!([]),
    );
    browser.wait_for(
        "the response in the box",
        "return document.querySelector('.reply textarea').value === 'Thank you for waiting!';",
        json!([]),
    );
    browser.eval(CLICK, json!([".reply button[type=submit]"]));
    visitor_cable.wait_for("conversation.typing_off", |data| {
        data["conversation"]["id"] == conversation
    });
    browser.wait_for("the reply, sent", HAS_TEXT, json!([".message.agent .receipt", "Sent"]));
    assert!(visitor_sees(&vera, conversation).contains(&"Thank you for waiting!".to_string()));

    // Read state: once the visitor has looked, the reply shows as seen.
    let seen = vera.call("POST", &format!("/conversations/{conversation}/update_last_seen"), None);
    assert_eq!(seen.status, 200, "{}", seen.text);
    browser.wait_for("the reply, seen", HAS_TEXT, json!([".message.agent .receipt", "Seen"]));

    // Snoozed for an hour.
    browser.eval(CLICK, json!([".snooze button"]));
    browser.wait_for("snoozed", HAS_TEXT, json!([".thread .status", "snoozed"]));
    let snoozed_until = shown("/snoozed_until").as_i64().expect("a snooze end");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!(
        (now + 3_500..now + 3_700).contains(&snoozed_until),
        "{snoozed_until} vs {now}"
    );
}

/// Sets the input of the field labelled `arguments[1]` inside `arguments[0]`, as typing does.
const FILL_FIELD: &str = "const label = [...document.querySelectorAll(arguments[0] + ' label')]
    .find(l => l.textContent.trim().startsWith(arguments[1]));
    const field = label.querySelector('input'); field.value = arguments[2];
    field.dispatchEvent(new Event(field.type === 'time' ? 'change' : 'input', {bubbles: true})); return true;";

/// Clicks the checkbox of the label `arguments[1]` inside `arguments[0]`.
const TICK: &str = "[...document.querySelectorAll(arguments[0] + ' label')]
    .find(l => l.textContent.trim().startsWith(arguments[1])).querySelector('input').click(); return true;";

/// Opens a settings section by its name.
fn open_section(browser: &Browser, name: &str) {
    browser.eval(
        "[...document.querySelectorAll('.sections button')].find(b => b.textContent === arguments[0]).click(); return true;",
        json!([name]),
    );
    browser.wait_for("the section", HAS_TEXT, json!([".section h2", name]));
}

/// Waits until the administrator's `GET` of `path` satisfies `holds`, and answers it.
fn eventually(
    app: &TestApp,
    account: &nimchat_tests::TestAccount,
    path: &str,
    holds: impl Fn(&Value) -> bool,
) -> Value {
    let started = std::time::Instant::now();
    loop {
        let body = account.admin_call(app, "GET", path, None).body;
        if holds(&body) {
            return body;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "{path}: {body}");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

#[test]
fn an_administrator_sets_up_inboxes_agents_teams_and_texts_and_an_agent_only_texts() {
    let app = spawn_app();
    let account = app.create_account();
    let browser = console_of(app, &account.admin.email);
    browser.eval(
        "[...document.querySelectorAll('.pages button')].find(b => b.textContent === 'Settings').click(); return true;",
        json!([]),
    );
    browser.wait_for("the inboxes", HAS_TEXT, json!([".section h2", "Inboxes"]));

    // A new web-widget inbox, then its snippet.
    browser.eval(CLICK, json!([".new-inbox"]));
    for (label, value) in [
        ("Name", "Storefront"),
        ("Website", "https://shop.example"),
        ("Welcome title", "Hello there"),
        ("Greeting message", "We answer within minutes"),
        ("Allowed domains", "shop.example"),
        ("Time zone", "Europe/Paris"),
        ("Message outside working hours", "We are back at nine"),
    ] {
        browser.eval(FILL_FIELD, json!([".inbox-form", label, value]));
    }
    for toggle in [
        "Ask for a rating",
        "Greet new visitors",
        "Use working hours",
        "Assign new conversations",
    ] {
        browser.eval(TICK, json!([".inbox-form", toggle]));
    }
    browser.eval(CHOOSE, json!([".inbox-form .reply-time", "in_a_few_hours"]));
    browser.eval(
        "const f = document.querySelector('input[aria-label=\"Monday closes\"]'); f.value = '18:30';
         f.dispatchEvent(new Event('change', {bubbles: true})); return true;",
        json!([]),
    );
    browser.eval(CLICK, json!([".inbox-form button[type=submit]"]));
    browser.wait_for(
        "the snippet",
        "return document.querySelector('.snippet code');",
        json!([]),
    );
    let inboxes = eventually(app, &account, "/inboxes", |body| {
        body["payload"].as_array().is_some_and(|all| !all.is_empty())
    });
    let inbox = &inboxes["payload"][0];
    assert_eq!(inbox["name"], "Storefront");
    assert_eq!(inbox["csat_survey_enabled"], true);
    assert_eq!(inbox["greeting_enabled"], true);
    assert_eq!(inbox["greeting_message"], "We answer within minutes");
    assert_eq!(inbox["welcome_title"], "Hello there");
    assert_eq!(inbox["allowed_domains"], "shop.example");
    assert_eq!(inbox["working_hours_enabled"], true);
    assert_eq!(inbox["working_hours"][1]["close_hour"], 18);
    assert_eq!(inbox["working_hours"][1]["close_minutes"], 30);
    assert_eq!(inbox["timezone"], "Europe/Paris");
    assert_eq!(inbox["out_of_office_message"], "We are back at nine");
    assert_eq!(inbox["reply_time"], "in_a_few_hours");
    assert_eq!(inbox["enable_auto_assignment"], false);
    assert_eq!(inbox["allow_messages_after_resolved"], true);
    let snippet = browser.eval("return document.querySelector('.snippet code').textContent;", json!([]));
    assert!(
        snippet
            .as_str()
            .unwrap()
            .contains(inbox["website_token"].as_str().unwrap()),
        "{snippet}"
    );
    assert_eq!(
        axe_violations_in(&browser, "document"),
        json!([]),
        "axe on the inbox form"
    );
    browser.screenshot(&screenshot("console-settings"));
    browser.prefer_color_scheme("dark");
    browser.eval(
        "document.querySelector('.snippet').scrollIntoView(); return true;",
        json!([]),
    );
    assert_eq!(
        axe_violations_in(&browser, "document"),
        json!([]),
        "axe on the inbox form, dark"
    );
    browser.screenshot(&screenshot("console-settings-dark"));
    browser.prefer_color_scheme("light");

    // An agent joins, becomes an administrator, and leaves.
    open_section(&browser, "Agents");
    browser.eval(FILL_FIELD, json!([".add", "Name", "Nora New"]));
    browser.eval(FILL_FIELD, json!([".add", "E-mail", "nora@example.test"]));
    browser.eval(CLICK, json!([".add button[type=submit]"]));
    browser.wait_for("the new agent", HAS_TEXT, json!([".rows strong", "Nora New"]));
    browser.eval(
        CHOOSE,
        json!(["select[aria-label='Role of Nora New']", "administrator"]),
    );
    eventually(app, &account, "/agents", |body| {
        body.as_array().is_some_and(|all| {
            all.iter()
                .any(|agent| agent["email"] == "nora@example.test" && agent["role"] == "administrator")
        })
    });
    browser.eval(CLICK, json!(["button[aria-label='Delete Nora New']"]));
    eventually(app, &account, "/agents", |body| {
        body.as_array()
            .is_some_and(|all| all.iter().all(|agent| agent["email"] != "nora@example.test"))
    });

    // A team with Alan in it.
    open_section(&browser, "Teams");
    browser.eval(FILL_FIELD, json!([".add", "Name", "Sales"]));
    browser.eval(CLICK, json!([".add button[type=submit]"]));
    browser.wait_for("the team", HAS_TEXT, json!([".rows strong", "Sales"]));
    browser.wait_for("Alan offered", CONTAINS, json!([".team .members", "Alan Agent"]));
    browser.eval(TICK, json!([".team .members", "Alan Agent"]));
    let teams = eventually(app, &account, "/teams", |body| {
        body.as_array().is_some_and(|all| all.len() == 1)
    });
    eventually(
        app,
        &account,
        &format!("/teams/{}/team_members", teams[0]["id"]),
        |body| {
            body.as_array()
                .is_some_and(|all| all.iter().any(|agent| agent["id"] == account.agent.id))
        },
    );

    // A label, a webhook and the reports.
    open_section(&browser, "Labels");
    browser.eval(FILL_FIELD, json!([".add", "Title", "refund"]));
    browser.eval(CLICK, json!([".add button[type=submit]"]));
    eventually(app, &account, "/labels", |body| body["payload"][0]["title"] == "refund");
    open_section(&browser, "Webhooks");
    browser.eval(FILL_FIELD, json!([".add", "URL", "https://hooks.example/nimchat"]));
    browser.eval(CLICK, json!([".add button[type=submit]"]));
    eventually(app, &account, "/webhooks", |body| {
        body[0]["url"] == "https://hooks.example/nimchat"
            && body[0]["subscriptions"] == json!(["conversation_created", "message_created"])
    });
    // A rule of one condition and one action, then switched off.
    open_section(&browser, "Automation");
    browser.eval(FILL_FIELD, json!([".add", "Name", "Tag refunds"]));
    for (label, choice) in [
        ("When", "message_created"),
        ("If", "content"),
        ("Comparison", "contains"),
        ("Then", "add_label"),
    ] {
        browser.eval(
            "const label = [...document.querySelectorAll('.add label')].find(l => l.textContent.trim().startsWith(arguments[0]));
             const s = label.querySelector('select'); s.value = arguments[1];
             s.dispatchEvent(new Event('change', {bubbles: true})); return true;",
            json!([label, choice]),
        );
    }
    browser.eval(FILL_FIELD, json!([".add", "Value", "refund"]));
    browser.eval(FILL_FIELD, json!([".add", "With", "refund"]));
    browser.eval(CLICK, json!([".add button[type=submit]"]));
    let rules = eventually(app, &account, "/automation_rules", |body| {
        body["payload"][0]["name"] == "Tag refunds"
    });
    let rule = &rules["payload"][0];
    assert_eq!(rule["event_name"], "message_created");
    assert_eq!(rule["conditions"][0]["attribute_key"], "content");
    assert_eq!(rule["conditions"][0]["filter_operator"], "contains");
    assert_eq!(rule["conditions"][0]["values"], json!(["refund"]));
    assert_eq!(
        rule["actions"],
        json!([{"action_name": "add_label", "action_params": ["refund"]}])
    );
    browser.wait_for("the rule listed", CONTAINS, json!([".rows", "Tag refunds"]));
    browser.eval(TICK, json!([".rows", "Tag refunds"]));
    eventually(app, &account, "/automation_rules", |body| {
        body["payload"][0]["active"] == false
    });

    open_section(&browser, "Reports");
    browser.wait_for("the numbers", HAS_TEXT, json!([".report th", "Conversations"]));

    // An agent sees only the canned responses, and may add one.
    let agent = console_of(app, &account.agent.email);
    agent.eval(
        "[...document.querySelectorAll('.pages button')].find(b => b.textContent === 'Settings').click(); return true;",
        json!([]),
    );
    agent.wait_for(
        "the canned responses",
        HAS_TEXT,
        json!([".section h2", "Canned responses"]),
    );
    assert_eq!(
        agent.eval(
            "return document.querySelectorAll('.sections button').length;",
            json!([])
        ),
        json!(1)
    );
    agent.eval(FILL_FIELD, json!([".add", "Short code", "hours"]));
    agent.eval(FILL_FIELD, json!([".add", "Content", "We are open 9 to 5."]));
    agent.eval(CLICK, json!([".add button[type=submit]"]));
    agent.wait_for("the response", HAS_TEXT, json!([".rows strong", "/hours"]));
    agent.eval(CLICK, json!(["button[aria-label='Edit /hours']"]));
    agent.eval(FILL_FIELD, json!([".add", "Content", "We are open 9 to 6."]));
    agent.eval(CLICK, json!([".add button[type=submit]"]));
    agent.wait_for(
        "the response changed",
        HAS_TEXT,
        json!([".rows span", "We are open 9 to 6."]),
    );
    let responses = account.admin_call(app, "GET", "/canned_responses", None).body;
    assert_eq!(
        responses.as_array().map(Vec::len),
        Some(1),
        "changed, not added: {responses}"
    );
    assert_eq!(responses[0]["content"], "We are open 9 to 6.");

    // The settings in Arabic, right to left.
    choose_language(&browser, "ar");
    browser.wait_for("the settings in Arabic", HAS_TEXT, json!([".pages button", "الإعدادات"]));
    browser.eval(
        "[...document.querySelectorAll('.pages button')][1].click(); return true;",
        json!([]),
    );
    browser.wait_for(
        "the inboxes in Arabic",
        HAS_TEXT,
        json!([".section h2", "صناديق الوارد"]),
    );
    assert_eq!(
        axe_violations_in(&browser, "document"),
        json!([]),
        "axe on the settings in Arabic"
    );
    browser.screenshot(&screenshot("console-settings-rtl"));
}

#[test]
fn an_agent_takes_a_visitor_over_from_the_bot_and_hands_them_back() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_quiet_inbox(app);
    let bot = app.platform("POST", "/agent_bots", Some(json!({"name": "Helpbot"})));
    account.connect_bot(app, &inbox, &bot.body["id"]);
    let vera = app.visitor(
        inbox["inbox_identifier"].as_str().unwrap(),
        json!({"name": "Vera Visitor"}),
    );
    let conversation = vera.start_conversation();
    assert_eq!(vera.say(conversation, "Is a person there?").status, 200);
    assert_eq!(
        status_of(app, &account, conversation),
        "pending",
        "the bot has the visitor first"
    );

    let browser = console_of(app, &account.agent.email);
    browser.eval(CHOOSE, json!([".filters .status select", "pending"]));
    browser.wait_for("the conversation", HAS_TEXT, json!([".item .name", "Vera Visitor"]));
    browser.press("j");
    browser.wait_for(
        "the bot's turn",
        HAS_TEXT,
        json!([".handover p", "The bot answers this visitor."]),
    );
    browser.eval(CLICK, json!([".handover .hand"]));
    browser.wait_for(
        "the team's turn",
        HAS_TEXT,
        json!([".handover p", "Your team answers this visitor."]),
    );
    assert_eq!(status_of(app, &account, conversation), "open");
    browser.eval(CLICK, json!([".handover .hand"]));
    browser.wait_for(
        "the bot's turn again",
        HAS_TEXT,
        json!([".handover p", "The bot answers this visitor."]),
    );
    assert_eq!(status_of(app, &account, conversation), "pending");
}
