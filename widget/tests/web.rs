//! Component tests in a real browser (headless Chromium through wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use nimchat_shared::enums::{ConversationStatus, MessageType, ReplyTime, SenderType};
use nimchat_shared::wire::{
    Assignee, Attachment, ContactSession, Conversation, ConversationContact, CsatSurveyResponse, Message, MessageIds,
    PublicInbox, Sender, WorkingHoursDay,
};
use nimchat_widget::chat::{Chat, ColorScheme, Delivery, Line, Notice, State};
use nimchat_widget::components::{App, Bubble, ChatWindow, CsatCard, Form, MessageList, Options};
use nimchat_widget::i18n::{part_t, t, Key, Locale, PartKey};
use nimchat_widget::json::{self, FromJs};
use serde_json::{json, Map};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a view into a fresh element of the test page, for the page's life (as the
/// widget's is), and returns that element.
fn mount<V: IntoView + 'static>(draw: impl FnOnce() -> V + 'static) -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(host.clone(), draw).forget();
    host
}

/// The chat window alone, open, with a bubble to give the focus back to.
fn mount_window(chat: Chat) -> HtmlElement {
    chat.update(|state| state.open = true);
    mount(move || {
        let bubble = NodeRef::new();
        view! { <button node_ref=bubble>"page"</button> <ChatWindow chat bubble /> }
    })
}

/// Gives `host` the widget's own style sheet and its parts', as the shadow root adopts them.
fn styled(host: &HtmlElement) {
    let style = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .create_element("style")
        .unwrap();
    style.set_text_content(Some(
        &[nimchat_widget::components::STYLE, nimchat_widget::lazy::PARTS_STYLE].concat(),
    ));
    host.prepend_with_node_1(&style).unwrap();
}

/// Lets the effects that a change woke redraw.
async fn tick() {
    leptos::task::tick().await;
}

/// Lets what waits for the drawing (scrolling, focus) happen too.
async fn settle() {
    tick().await;
    TimeoutFuture::new(30).await;
    tick().await;
}

fn lines(chat: Chat) -> Vec<Line> {
    chat.peek(|state| state.lines.clone())
}

fn is_hidden(host: &HtmlElement, selector: &str) -> bool {
    find(host, selector).has_attribute("hidden")
}

fn is_absent(host: &HtmlElement, selector: &str) -> bool {
    host.query_selector(selector).unwrap().is_none()
}

fn find(host: &HtmlElement, selector: &str) -> HtmlElement {
    host.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into()
}

fn text_of(host: &HtmlElement, selector: &str) -> String {
    find(host, selector).text_content().unwrap_or_default()
}

/// A chat pointed at a closed port: nothing here may reach a server.
fn chat(locale: Locale) -> Chat {
    Chat::new("http://127.0.0.1:9", "test-inbox", locale, ColorScheme::Auto)
}

fn message(id: i64, kind: MessageType, content: &str) -> Message {
    Message {
        id,
        content: Some(content.into()),
        message_type: kind,
        content_type: "text".into(),
        content_attributes: Map::new(),
        created_at: 1_700_000_000,
        conversation_id: 1,
        status: "sent".into(),
        private: false,
        sender: (kind == MessageType::Outgoing).then(|| Sender {
            id: 7,
            name: "Ada".into(),
            avatar_url: String::new(),
            kind: SenderType::User,
            available_name: Some("Ada".into()),
        }),
        echo_id: None,
        attachments: Vec::new(),
        ids: MessageIds::default(),
    }
}

fn inbox(extra: serde_json::Value) -> PublicInbox {
    let mut fields = json!({
        "identifier": "i", "name": "Shop", "timezone": "UTC", "working_hours": [], "working_hours_enabled": false,
        "csat_survey_enabled": false, "greeting_enabled": false, "greeting_message": null, "out_of_office_message": null,
        "identity_validation_enabled": false, "widget_color": "#1f6feb", "welcome_title": null, "welcome_tagline": null,
        "reply_time": "in_a_few_minutes", "pre_chat_form_enabled": false, "allow_messages_after_resolved": true,
        "online": true, "pre_chat_form_options": {}
    });
    for (key, value) in extra.as_object().unwrap() {
        fields[key] = value.clone();
    }
    serde_json::from_value(fields).unwrap()
}

fn press(target: &HtmlElement, key: &str, shift: bool) {
    press_composing(target, key, shift, false);
}

/// A key press, during an input method's composition when `composing`.
fn press_composing(target: &HtmlElement, key: &str, shift: bool, composing: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_is_composing(composing);
    init.set_bubbles(true);
    init.set_cancelable(true);
    target
        .dispatch_event(&KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap())
        .unwrap();
}

fn type_into(field: &HtmlElement, words: &str) {
    js_sys::Reflect::set(field, &"value".into(), &words.into()).unwrap();
    field.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
}

fn focused() -> Option<web_sys::Element> {
    web_sys::window().unwrap().document().unwrap().active_element()
}

#[wasm_bindgen_test]
async fn the_bubble_is_a_named_button_that_toggles_and_counts_unread() {
    let chat = chat(Locale::En);
    let host = mount(move || view! { <Bubble chat /> });
    let button = find(&host, "button");
    assert_eq!(button.get_attribute("aria-label").as_deref(), Some("Open chat"));
    assert_eq!(button.get_attribute("aria-expanded").as_deref(), Some("false"));
    assert!(is_hidden(&host, ".badge"), "nothing unread");
    chat.update(|state| state.unread = 2);
    tick().await;
    assert_eq!(text_of(&host, ".badge"), "2");
    assert!(!is_hidden(&host, ".badge"));
    assert_eq!(button.get_attribute("aria-label").as_deref(), Some("Open chat (2)"));

    button.click();
    tick().await;
    assert!(chat.peek(|state| state.open));
    assert_eq!(chat.peek(|state| state.unread), 0, "opening reads the replies");
    assert!(is_hidden(&host, ".badge"));
    assert_eq!(button.get_attribute("aria-label").as_deref(), Some("Close chat"));
    assert_eq!(button.get_attribute("aria-expanded").as_deref(), Some("true"));
}

#[wasm_bindgen_test]
async fn the_launcher_title_names_the_bubble_after_load() {
    let chat = chat(Locale::En);
    chat.update(|state| state.launcher_title = Some("Chat with Kari's shop".into()));
    let host = mount(move || view! { <Bubble chat /> });
    assert_eq!(
        find(&host, "button").get_attribute("aria-label").as_deref(),
        Some("Chat with Kari's shop")
    );
}

#[wasm_bindgen_test]
async fn unread_replies_show_beside_the_closed_bubble_and_open_the_chat() {
    let chat = chat(Locale::En);
    chat.update(|state| {
        state.lines = vec![
            Line::confirmed(message(1, MessageType::Incoming, "Is it in stock?")),
            Line::confirmed(message(2, MessageType::Outgoing, "Yes, two left.")),
        ];
        state.unread = 1;
    });
    let host = mount(move || view! { <App chat position="right" /> });
    assert_eq!(text_of(&host, ".preview"), "Ada: Yes, two left.");
    assert!(!is_hidden(&host, ".preview"));
    assert_eq!(text_of(&host, ".badge"), "1");
    find(&host, ".preview").click();
    tick().await;
    assert!(chat.peek(|state| state.open), "the preview opens the chat");
    assert!(is_hidden(&host, ".preview"));
    chat.set_open(false);
}

#[wasm_bindgen_test]
async fn each_message_kind_renders_on_its_side_with_its_sender() {
    let chat = chat(Locale::En);
    chat.update(|state| {
        state.lines = vec![
            Line {
                message: message(1, MessageType::Incoming, "Hi there"),
                delivery: Delivery::Queued,
            },
            Line::confirmed(message(2, MessageType::Outgoing, "Hello!")),
        ]
    });
    let host = mount(move || view! { <MessageList chat /> });
    let messages = host.query_selector_all(".message").unwrap();
    let sides: Vec<String> = (0..messages.length())
        .map(|i| messages.get(i).unwrap().unchecked_into::<HtmlElement>())
        .map(|el| {
            format!(
                "{}:{}",
                el.get_attribute("data-side").unwrap(),
                el.get_attribute("data-delivery").unwrap()
            )
        })
        .collect();
    assert_eq!(sides, ["visitor:queued", "agent:confirmed"]);
    assert_eq!(text_of(&host, ".sender"), "Ada");
    assert_eq!(text_of(&host, ".avatar"), "A");
    let time = text_of(&host, ".time");
    assert!(time.contains(':'), "{time}");
    assert!(time.contains("Nov"), "an older message has its date: {time}");
}

#[wasm_bindgen_test]
async fn todays_messages_show_the_time_only() {
    let chat = chat(Locale::En);
    let mut today = message(1, MessageType::Outgoing, "Hi");
    today.created_at = (js_sys::Date::now() / 1000.0) as i64;
    chat.update(|state| state.lines = vec![Line::confirmed(today)]);
    let host = mount(move || view! { <MessageList chat /> });
    assert_eq!(text_of(&host, ".time").len(), 5, "hh:mm");
}

#[wasm_bindgen_test]
async fn hostile_content_is_shown_as_text_and_only_http_links_are_links() {
    let chat = chat(Locale::En);
    let hostile = "<script>window.pwned=1</script> <img src=x onerror=\"window.pwned=2\"> javascript:alert(1) see https://nimchat.dev/help.";
    chat.update(|state| state.lines = vec![Line::confirmed(message(3, MessageType::Outgoing, hostile))]);
    let host = mount(move || view! { <MessageList chat /> });
    let content = find(&host, ".content");
    assert!(content.query_selector("script").unwrap().is_none());
    assert!(content.query_selector("img").unwrap().is_none());
    assert!(content
        .text_content()
        .unwrap()
        .contains("<script>window.pwned=1</script>"));
    let links = content.query_selector_all("a").unwrap();
    assert_eq!(links.length(), 1);
    let link: HtmlElement = links.get(0).unwrap().unchecked_into();
    assert_eq!(link.get_attribute("href").as_deref(), Some("https://nimchat.dev/help"));
    assert_eq!(
        link.get_attribute("rel").as_deref(),
        Some("noopener noreferrer nofollow")
    );
    let pwned = js_sys::Reflect::get(&web_sys::window().unwrap(), &"pwned".into()).unwrap();
    assert!(pwned.is_undefined(), "nothing ran");
}

#[wasm_bindgen_test]
async fn agents_markdown_is_drawn_as_elements_and_hostile_markdown_as_text() {
    let chat = chat(Locale::En);
    let formatted = "**Hello** *there*, see [the guide](https://nimchat.dev/guide)\n\n1. `<b>code</b>`\n2. [click](javascript:alert(1))";
    let hostile = "**<script>window.pwned=3</script>** [x](data:text/html,<b>)";
    chat.update(|state| {
        state.lines = vec![
            Line::confirmed(message(4, MessageType::Outgoing, formatted)),
            Line::confirmed(message(5, MessageType::Template, hostile)),
            Line::confirmed(message(6, MessageType::Incoming, "**not bold** https://x.io")),
        ]
    });
    let host = mount(move || view! { <MessageList chat /> });
    let contents = host.query_selector_all(".content").unwrap();
    let agent: HtmlElement = contents.get(0).unwrap().unchecked_into();
    assert_eq!(text_of(&agent, "strong"), "Hello");
    assert_eq!(text_of(&agent, "em"), "there");
    assert_eq!(
        find(&agent, "a").get_attribute("href").as_deref(),
        Some("https://nimchat.dev/guide")
    );
    assert_eq!(agent.query_selector_all("ol > li").unwrap().length(), 2);
    assert_eq!(text_of(&agent, "li code"), "<b>code</b>", "HTML in code is text");
    assert!(agent.query_selector("b").unwrap().is_none());
    assert_eq!(
        agent.query_selector_all("a").unwrap().length(),
        1,
        "javascript: is no link"
    );
    assert!(agent.text_content().unwrap().contains("[click](javascript:alert(1))"));
    let bot: HtmlElement = contents.get(1).unwrap().unchecked_into();
    assert_eq!(text_of(&bot, "strong"), "<script>window.pwned=3</script>");
    assert!(bot.query_selector("script, a").unwrap().is_none());
    let visitor: HtmlElement = contents.get(2).unwrap().unchecked_into();
    assert!(
        visitor.query_selector("strong").unwrap().is_none(),
        "a visitor's text is shown as typed"
    );
    assert_eq!(
        find(&visitor, "a").get_attribute("href").as_deref(),
        Some("https://x.io")
    );
    let pwned = js_sys::Reflect::get(&web_sys::window().unwrap(), &"pwned".into()).unwrap();
    assert!(pwned.is_undefined(), "nothing ran");
}

fn interactive(id: i64, content_type: &str, attributes: serde_json::Value) -> Message {
    let mut message = message(id, MessageType::Template, "Which topic?");
    message.content_type = content_type.into();
    message.content_attributes = attributes.as_object().unwrap().clone();
    message
}

#[wasm_bindgen_test]
async fn options_are_buttons_that_answer_once_and_the_choice_stays() {
    let chat = chat(Locale::En);
    let ask = interactive(
        8,
        "input_select",
        json!({"items": [{"title": "Pricing", "value": "pricing"}, {"title": "Support", "value": "support"}]}),
    );
    chat.update(|state| state.lines = vec![Line::confirmed(ask.clone())]);
    let chosen = RwSignal::new(None::<(i64, String)>);
    let key = ask.id.to_string();
    let host = mount(move || {
        view! { <Options chat key message=ask on_choose=move |id, values| chosen.set(Some((id, json::stringify(&values)))) /> }
    });
    let buttons = host.query_selector_all(".options button").unwrap();
    assert_eq!(buttons.length(), 2);
    let support: HtmlElement = buttons.get(1).unwrap().unchecked_into();
    assert_eq!(support.text_content().as_deref(), Some("Support"));
    assert!(is_hidden(&host, ".chosen"));
    support.focus().unwrap();
    support.click();
    assert_eq!(
        chosen.get_untracked(),
        Some((8, r#"[{"title":"Support","value":"support"}]"#.to_string()))
    );
    let mut answered = interactive(
        8,
        "input_select",
        json!({"items": [], "submitted_values": [{"title": "Support", "value": "support"}]}),
    );
    answered.content = Some("Which topic?".into());
    chat.update(|state| state.reconcile(answered));
    settle().await;
    assert!(is_hidden(&host, ".options"), "no second answer");
    assert_eq!(text_of(&host, ".chosen"), "Support");
    assert_eq!(
        focused().as_ref(),
        Some(find(&host, ".chosen").unchecked_ref()),
        "the focus is not lost"
    );
}

#[wasm_bindgen_test]
async fn an_email_asked_for_is_checked_sent_stored_on_the_contact_and_shown() {
    let chat = chat(Locale::En);
    let ask = interactive(11, "input_email", json!({}));
    chat.update(|state| {
        state.lines = vec![Line::confirmed(ask.clone())];
        state.conversation = Some(open_conversation());
    });
    let sent = RwSignal::new(None::<String>);
    let key = ask.id.to_string();
    let host = mount(move || {
        view! { <Options chat key message=ask on_choose=move |_, values| sent.set(Some(json::stringify(&values))) /> }
    });
    let address = find(&host, "form.email input");
    type_into(&address, "ada@localhost");
    find(&host, "form.email button").click();
    tick().await;
    assert_eq!(sent.get_untracked(), None, "refused");
    type_into(&address, "ada@example.com");
    address.focus().unwrap();
    find(&host, "form.email button").click();
    assert_eq!(
        sent.get_untracked().as_deref(),
        Some(r#"[{"name":"email","title":"ada@example.com","value":"ada@example.com"}]"#)
    );
    assert_eq!(
        chat.peek(|state| state.conversation.as_ref().unwrap().contact.email.clone()),
        Some("ada@example.com".into()),
        "on the contact"
    );
    let mut answered = interactive(
        11,
        "input_email",
        json!({"submitted_values": [{"name": "email", "title": "ada@example.com", "value": "ada@example.com"}]}),
    );
    answered.content = Some("Which topic?".into());
    chat.update(|state| state.reconcile(answered));
    settle().await;
    assert!(is_hidden(&host, "form.email"), "asked once");
    assert_eq!(text_of(&host, ".chosen"), "ada@example.com");
}

#[wasm_bindgen_test]
async fn cards_and_articles_show_images_titles_and_only_web_links() {
    let chat = chat(Locale::En);
    let cards = interactive(
        9,
        "cards",
        json!({"items": [{
            "media_url": "https://nimchat.dev/shoe.png", "title": "Trail shoe", "description": "<b>Light</b>",
            "actions": [
                {"type": "link", "text": "View", "uri": "https://nimchat.dev/shoe"},
                {"type": "link", "text": "Evil", "uri": "javascript:alert(1)"},
                {"type": "postback", "text": "Buy", "payload": "BUY"}
            ]
        }, {"media_url": "javascript:alert(2)", "title": "Sock"}]}),
    );
    let article = interactive(
        10,
        "article",
        json!({"items": [{"title": "Returns", "description": "How to return", "link": "https://nimchat.dev/returns"}]}),
    );
    chat.update(|state| state.lines = vec![Line::confirmed(cards), Line::confirmed(article)]);
    let host = mount(move || view! { <MessageList chat /> });
    let shown = host.query_selector_all("nimchat-card").unwrap();
    assert_eq!(shown.length(), 3);
    let shoe: HtmlElement = shown.get(0).unwrap().unchecked_into();
    assert_eq!(
        find(&shoe, "img").get_attribute("src").as_deref(),
        Some("https://nimchat.dev/shoe.png")
    );
    assert_eq!(text_of(&shoe, "strong"), "Trail shoe");
    assert_eq!(text_of(&shoe, "p"), "<b>Light</b>", "words are text");
    let links = shoe.query_selector_all("a").unwrap();
    assert_eq!(links.length(), 1, "only the web link");
    assert_eq!(text_of(&shoe, "a"), "View");
    let sock: HtmlElement = shown.get(1).unwrap().unchecked_into();
    assert!(
        sock.query_selector("img").unwrap().is_none(),
        "no image from javascript:"
    );
    let returns: HtmlElement = shown.get(2).unwrap().unchecked_into();
    assert_eq!(
        find(&returns, "a").get_attribute("href").as_deref(),
        Some("https://nimchat.dev/returns")
    );
    assert_eq!(text_of(&returns, "a"), "Returns");
    // A postback button sends its payload as the visitor's message, as Chatwoot's widget does.
    let buy = find(&shoe, "button");
    assert_eq!(buy.text_content().as_deref(), Some("Buy"));
    buy.click();
    let sent = lines(chat).last().unwrap().clone();
    assert_eq!(
        (sent.message.content.as_deref(), sent.message.message_type),
        (Some("BUY"), MessageType::Incoming)
    );
    chat.reset();
}

#[wasm_bindgen_test]
async fn an_earlier_conversations_card_offers_no_postback() {
    let chat = chat(Locale::En);
    let cards = interactive(
        9,
        "cards",
        json!({"items": [{"title": "Trail shoe", "actions": [{"type": "postback", "text": "Buy", "payload": "BUY"}]}]}),
    );
    chat.update(|state| {
        state.lines = vec![Line {
            message: cards,
            delivery: Delivery::Earlier,
        }]
    });
    let host = mount(move || view! { <MessageList chat /> });
    assert_eq!(text_of(&host, "nimchat-card strong"), "Trail shoe");
    assert!(host.query_selector("nimchat-card button").unwrap().is_none());
}

/// A `form` message: its fields by kind, checked by the browser, answered once as
/// `submitted_values: [{name, value}]`, then its answers in its place.
#[wasm_bindgen_test]
async fn a_form_asks_its_fields_sends_their_values_and_then_shows_the_answers() {
    let chat = chat(Locale::En);
    let ask = interactive(
        11,
        "form",
        json!({"items": [
            {"name": "email", "label": "Email", "type": "email", "placeholder": "you@example.com", "required": true},
            {"name": "details", "label": "Details", "type": "text_area"},
            {"name": "size", "label": "Size", "type": "select",
             "options": [{"label": "EU 42", "value": "42"}, {"label": "EU 43", "value": "43"}]}
        ]}),
    );
    chat.update(|state| state.lines = vec![Line::confirmed(ask.clone())]);
    let sent = RwSignal::new(None::<(i64, String)>);
    let key = ask.id.to_string();
    let host = mount(move || {
        view! { <Form chat key message=ask on_answer=move |id, values| sent.set(Some((id, json::stringify(&values)))) /> }
    });
    let email: web_sys::HtmlInputElement = find(&host, "form.form input[name=email]").unchecked_into();
    assert_eq!(email.type_(), "email");
    assert!(email.required());
    assert_eq!(email.placeholder(), "you@example.com");
    assert_eq!(text_of(&host, "form.form label span"), "Email");
    styled(&host);
    let marker = |at: u32| {
        let label = host
            .query_selector_all("form.form label > span")
            .unwrap()
            .get(at)
            .unwrap();
        computed(label.unchecked_ref(), "content", Some("::after"))
    };
    assert_eq!(
        (marker(0), marker(1)),
        ("\" *\"".to_string(), "none".to_string()),
        "required fields are marked"
    );
    assert!(host
        .query_selector("form.form textarea[name=details]")
        .unwrap()
        .is_some());
    assert_eq!(
        host.query_selector_all("form.form select[name=size] option")
            .unwrap()
            .length(),
        2
    );
    let form: web_sys::HtmlFormElement = find(&host, "form.form").unchecked_into();
    form.request_submit().unwrap();
    assert_eq!(
        sent.get_untracked(),
        None,
        "the browser asks for the required address first"
    );
    email.set_value("vera@example.com");
    let select: web_sys::HtmlSelectElement = find(&host, "select[name=size]").unchecked_into();
    select.set_value("43");
    form.request_submit().unwrap();
    assert_eq!(
        sent.get_untracked(),
        Some((
            11,
            r#"[{"name":"email","value":"vera@example.com"},{"name":"details","value":""},{"name":"size","value":"43"}]"#
                .to_string()
        ))
    );
    let mut answered = interactive(
        11,
        "form",
        json!({"items": [{"name": "email", "label": "Email"}, {"name": "size", "label": "Size"}],
               "submitted_values": [{"name": "email", "value": "vera@example.com"}, {"name": "size", "value": "43"}]}),
    );
    answered.content = Some("Which topic?".into());
    chat.update(|state| state.reconcile(answered));
    tick().await;
    assert!(is_hidden(&host, "form.form"), "answered once");
    assert_eq!(text_of(&host, ".chosen"), "Email: vera@example.com\nSize: 43");
}

#[wasm_bindgen_test]
async fn an_earlier_conversation_shows_above_without_its_survey_or_options() {
    let chat = chat(Locale::En);
    let mut survey = message(5, MessageType::Template, "Please rate us");
    survey.content_type = "input_csat".into();
    let options = interactive(6, "input_select", json!({"items": [{"title": "Yes", "value": "y"}]}));
    let earlier = |message: Message| Line {
        message,
        delivery: Delivery::Earlier,
    };
    chat.update(|state| {
        state.lines = vec![
            earlier(message(4, MessageType::Incoming, "First visit")),
            earlier(survey),
            earlier(options),
            Line::confirmed(message(9, MessageType::Incoming, "Back again")),
        ]
    });
    let host = mount(move || view! { <MessageList chat /> });
    let shown = host.query_selector_all(".message[data-delivery=earlier]").unwrap();
    assert_eq!(shown.length(), 3);
    assert!(host.query_selector(".csat, .options").unwrap().is_none(), "read-only");
    assert_eq!(
        text_of(&host, ".message[data-delivery=confirmed] .content"),
        "Back again"
    );
    let window = mount_window(chat);
    assert!(!is_hidden(&window, ".earlier"), "a heading says what they are");
    chat.update(|state| state.lines.retain(|line| line.delivery != Delivery::Earlier));
    tick().await;
    assert!(is_hidden(&window, ".earlier"));
}

#[wasm_bindgen_test]
async fn the_csat_card_submits_a_rating_and_feedback() {
    let answered = RwSignal::new(None::<(i64, CsatSurveyResponse)>);
    let chat = chat(Locale::En);
    let host = mount(move || {
        view! { <CsatCard chat id=9 answered=false on_answer=move |id, response| answered.set(Some((id, response))) /> }
    });
    let submit = find(&host, "button[type=submit]");
    assert!(submit.has_attribute("disabled"), "no rating yet");
    let ratings = host.query_selector_all("[role=radio]").unwrap();
    assert_eq!(ratings.length(), 5);
    let fourth: HtmlElement = ratings.get(3).unwrap().unchecked_into();
    fourth.click();
    tick().await;
    assert!(!submit.has_attribute("disabled"), "a rating can be sent");
    assert_eq!(fourth.get_attribute("aria-checked").as_deref(), Some("true"));
    type_into(&find(&host, "textarea"), "Quick and kind");
    submit.click();
    assert_eq!(
        answered.get_untracked(),
        Some((
            9,
            CsatSurveyResponse {
                rating: 4,
                feedback_message: Some("Quick and kind".into())
            }
        ))
    );
}

#[wasm_bindgen_test]
async fn an_answered_survey_says_thank_you_and_keeps_the_focus() {
    let chat = chat(Locale::Fr);
    let answered = RwSignal::new(false);
    let host = mount(move || view! { <CsatCard chat id=9 answered on_answer=|_, _| {} /> });
    find(&host, "[role=radio]").click();
    tick().await;
    find(&host, "button[type=submit]").focus().unwrap();
    answered.set(true);
    settle().await;
    assert!(host.query_selector("form").unwrap().is_none());
    let thanks = find(&host, ".thanks");
    assert_eq!(thanks.text_content().as_deref(), Some("Merci pour votre avis !"));
    assert_eq!(
        focused().as_ref(),
        Some(thanks.unchecked_ref()),
        "the focus is not lost"
    );
}

#[wasm_bindgen_test]
async fn arabic_lays_out_right_to_left_and_keeps_the_bubble_in_its_corner() {
    let chat = chat(Locale::Ar);
    let host = mount(move || view! { <App chat position="right" /> });
    styled(&host);
    // On a right-to-left page.
    host.set_attribute("dir", "rtl").unwrap();
    let root = find(&host, ".nimchat");
    assert_eq!(root.get_attribute("lang").as_deref(), Some("ar"));
    let bubble = find(&host, ".bubble");
    assert_eq!(bubble.get_attribute("aria-label").as_deref(), Some("افتح المحادثة"));
    let width = web_sys::window().unwrap().inner_width().unwrap().as_f64().unwrap();
    let right = bubble.get_bounding_client_rect().right();
    assert!(
        right > width - 40.0,
        "the bubble is in the right corner: {right} of {width}"
    );
    bubble.click();
    settle().await;
    assert_eq!(find(&host, ".window").get_attribute("dir").as_deref(), Some("rtl"));
    assert!(find(&host, ".window").get_bounding_client_rect().right() > width - 40.0);
    let right = bubble.get_bounding_client_rect().right();
    assert!(right > width - 40.0, "under the open window too: {right} of {width}");
    chat.update(|state| state.locale = Locale::De);
    tick().await;
    assert_eq!(find(&host, ".window").get_attribute("dir").as_deref(), Some("ltr"));
    assert_eq!(bubble.get_attribute("aria-label").as_deref(), Some("Chat schließen"));
    chat.set_open(false);
}

#[wasm_bindgen_test]
async fn the_opened_window_takes_the_focus_and_escape_gives_it_back() {
    let chat = chat(Locale::En);
    let host = mount(move || view! { <App chat position="right" /> });
    let bubble = find(&host, ".bubble");
    bubble.focus().unwrap();
    bubble.click();
    settle().await;
    let composer = find(&host, ".composer textarea");
    assert_eq!(
        focused().as_ref(),
        Some(composer.unchecked_ref()),
        "the composer has the focus"
    );
    press(&composer, "Escape", false);
    tick().await;
    assert!(host.query_selector(".window").unwrap().is_none(), "closed");
    assert_eq!(focused().as_ref(), Some(bubble.unchecked_ref()), "back on the bubble");
}

#[wasm_bindgen_test]
async fn escape_without_a_bubble_gives_the_focus_back_to_the_pages_opener() {
    let chat = chat(Locale::En);
    chat.update(|state| state.bubble_visible = false);
    let host = mount(move || view! { <button class="page-opener">"Help"</button> <App chat position="right" /> });
    let opener = find(&host, ".page-opener");
    opener.focus().unwrap();
    chat.set_open(true);
    settle().await;
    press(&find(&host, ".composer textarea"), "Escape", false);
    tick().await;
    assert_eq!(focused().as_ref(), Some(opener.unchecked_ref()));
}

#[wasm_bindgen_test]
async fn enter_sends_shift_enter_does_not_and_the_box_grows() {
    let chat = chat(Locale::En);
    let host = mount_window(chat);
    assert_eq!(find(&host, ".log").get_attribute("role").as_deref(), Some("log"));
    assert_eq!(
        find(&host, ".log").get_attribute("aria-live").as_deref(),
        Some("polite")
    );
    let composer = find(&host, "textarea");
    let one_line = composer.client_height();
    type_into(&composer, "first line\nsecond line\nthird line");
    assert!(composer.client_height() > one_line, "the composer grows with the draft");
    press(&composer, "Enter", true);
    assert!(lines(chat).is_empty(), "Shift+Enter is a new line");
    press_composing(&composer, "Enter", false, true);
    assert!(lines(chat).is_empty(), "Enter ending an IME composition sends nothing");
    press(&composer, "Enter", false);
    let sent = lines(chat);
    assert_eq!(sent.len(), 1, "Enter sends");
    assert_eq!(
        sent[0].delivery,
        Delivery::Queued,
        "shown at once, before the edge answers"
    );
    assert_eq!(
        sent[0].message.content.as_deref(),
        Some("first line\nsecond line\nthird line")
    );
    assert_eq!(
        js_sys::Reflect::get(&composer, &"value".into()).unwrap(),
        "",
        "the draft is cleared"
    );
    tick().await;
    assert_eq!(
        find(&host, ".log .content").get_attribute("dir").as_deref(),
        Some("auto")
    );

    press(&find(&host, ".window"), "Escape", false);
    tick().await;
    assert!(!chat.peek(|state| state.open));
}

#[wasm_bindgen_test]
async fn a_confirmed_message_is_the_drafts_node_changed_in_place() {
    let chat = chat(Locale::En);
    let mut draft = message(0, MessageType::Incoming, "Hello");
    draft.echo_id = Some("nc-1".into());
    chat.update(|state| {
        state.lines = vec![Line {
            message: draft.clone(),
            delivery: Delivery::Queued,
        }]
    });
    let host = mount(move || view! { <MessageList chat /> });
    let drawn = find(&host, ".message");
    let mut confirmed = draft;
    confirmed.id = 41;
    chat.update(|state| state.reconcile(confirmed));
    tick().await;
    assert!(drawn.is_connected(), "the same node, so a screen reader hears it once");
    assert_eq!(drawn.get_attribute("data-delivery").as_deref(), Some("confirmed"));
    assert_eq!(host.query_selector_all(".message").unwrap().length(), 1);
}

#[wasm_bindgen_test]
async fn a_failed_send_keeps_the_text_with_retry_and_reset_clears_the_error() {
    let chat = chat(Locale::En);
    let host = mount_window(chat);
    let composer = find(&host, "textarea");
    type_into(&composer, "Are you there?");
    press(&composer, "Enter", false);
    for _ in 0..100 {
        if lines(chat)
            .first()
            .is_some_and(|line| line.delivery == Delivery::Failed)
        {
            break;
        }
        TimeoutFuture::new(20).await;
    }
    tick().await;
    let failed = find(&host, ".message");
    assert_eq!(failed.get_attribute("data-delivery").as_deref(), Some("failed"));
    assert_eq!(text_of(&failed, ".content"), "Are you there?", "the text is kept");
    assert!(!is_hidden(&host, ".error"));
    find(&failed, ".retry").click();
    assert_eq!(lines(chat)[0].delivery, Delivery::Queued, "retry sends it again");
    for _ in 0..100 {
        if lines(chat)[0].delivery == Delivery::Failed {
            break;
        }
        TimeoutFuture::new(20).await;
    }
    chat.reset();
    tick().await;
    assert!(is_hidden(&host, ".error"), "no error after reset");
    assert!(host.query_selector(".message").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn too_fast_says_when_the_visitor_can_write_again_and_a_lost_socket_shows() {
    let chat = chat(Locale::En);
    let host = mount_window(chat);
    assert!(is_hidden(&host, ".connection"));
    chat.update(|state| {
        state.error = Some(Notice {
            key: Key::ErrorTooFastWait,
            detail: "12".into(),
        });
        state.socket = nimchat_widget::chat::Socket::Down;
    });
    tick().await;
    assert!(
        text_of(&host, ".error").contains("12 s"),
        "{}",
        text_of(&host, ".error")
    );
    assert!(!is_hidden(&host, ".connection"));
    assert_eq!(text_of(&host, ".connection"), "Connection lost. Reconnecting…");
}

/// Thirty messages in a window: the newest in view; scrolled up, a new one brings a
/// "new messages" button instead of a jump.
#[wasm_bindgen_test]
async fn the_log_follows_new_messages_unless_the_visitor_reads_older_ones() {
    let chat = chat(Locale::En);
    chat.update(|state| {
        state.lines = (1..=30)
            .map(|id| Line::confirmed(message(id, MessageType::Outgoing, &format!("Message {id}"))))
            .collect()
    });
    let host = mount_window(chat);
    styled(&host);
    settle().await;
    let log = find(&host, ".log");
    let at_bottom = |log: &HtmlElement| log.scroll_height() - log.scroll_top() - log.client_height() <= 24;
    assert!(log.scroll_height() > log.client_height(), "the log overflows");
    assert!(at_bottom(&log), "opened at the newest message");
    chat.update(|state| state.reconcile(message(31, MessageType::Outgoing, "Message 31")));
    settle().await;
    assert!(at_bottom(&log), "follows an arrival");
    assert!(is_hidden(&host, ".new-messages"));
    // Drawn larger later (a part once the chunk is there, an image once it loads).
    let newest = host.query_selector_all(".message .content").unwrap();
    let newest: HtmlElement = newest.item(newest.length() - 1).unwrap().unchecked_into();
    newest.style().set_property("height", "400px").unwrap();
    TimeoutFuture::new(100).await;
    assert!(at_bottom(&log), "follows what grows");

    log.set_scroll_top(0);
    log.dispatch_event(&web_sys::Event::new("scroll").unwrap()).unwrap();
    chat.update(|state| state.reconcile(message(32, MessageType::Outgoing, "Message 32")));
    settle().await;
    assert_eq!(log.scroll_top(), 0, "no jump while reading");
    assert!(!is_hidden(&host, ".new-messages"));
    find(&host, ".new-messages").click();
    settle().await;
    assert!(at_bottom(&log));
    assert!(is_hidden(&host, ".new-messages"));
}

#[wasm_bindgen_test]
async fn resolving_moves_the_focus_to_start_new_and_then_to_the_composer() {
    let chat = chat(Locale::En);
    let mut open = open_conversation();
    chat.update(|state| state.conversation = Some(open.clone()));
    let host = mount_window(chat);
    settle().await;
    find(&host, ".composer textarea").focus().unwrap();
    open.status = ConversationStatus::Resolved;
    chat.update(|state| state.conversation = Some(open));
    settle().await;
    let again = find(&host, ".resolved button");
    assert_eq!(
        focused().as_ref(),
        Some(again.unchecked_ref()),
        "resolve keeps the keyboard in the window"
    );
    again.click();
    settle().await;
    assert_eq!(
        focused().as_ref(),
        Some(find(&host, ".composer textarea").unchecked_ref()),
        "a new conversation starts at the composer"
    );
}

#[wasm_bindgen_test]
async fn the_pre_chat_form_checks_fields_and_the_message_before_the_first_message() {
    let chat = chat(Locale::En);
    let host = mount_window(chat);
    settle().await;
    find(&host, ".composer textarea").focus().unwrap();
    chat.update(|state| {
        state.inbox = Some(inbox(json!({"pre_chat_form_enabled": true, "pre_chat_form_options": {
            "pre_chat_message": "Tell us who you are",
            "pre_chat_fields": [{"name": "emailAddress", "enabled": true, "required": true}]}})))
    });
    settle().await;
    let email = find(&host, "input[name=email]");
    assert_eq!(
        focused().as_ref(),
        Some(email.unchecked_ref()),
        "the form takes the composer's focus"
    );
    assert_eq!(text_of(&host, ".pre-chat p"), "Tell us who you are");
    assert_eq!(
        text_of(&host, ".pre-chat .required"),
        " *",
        "required fields are marked"
    );

    find(&host, ".pre-chat button[type=submit]").click();
    tick().await;
    let problems = host.query_selector_all(".field-error:not([hidden])").unwrap();
    assert_eq!(problems.length(), 2, "the email and the missing message are both named");
    assert_eq!(
        find(&host, ".pre-chat textarea")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert!(text_of(&host, ".pre-chat").contains("Please write your message."));

    type_into(&find(&host, ".pre-chat textarea"), "Do you ship to Norway?");
    type_into(&email, "not-an-email");
    find(&host, ".pre-chat button[type=submit]").click();
    tick().await;
    assert_eq!(text_of(&host, ".field-error"), "Please enter a valid email address.");
    assert_eq!(email.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(lines(chat).is_empty(), "nothing is sent while a field is wrong");
    chat.update(|state| state.locale = Locale::Fr);
    tick().await;
    assert_eq!(
        text_of(&host, ".field-error"),
        part_t(Locale::Fr, PartKey::InvalidEmail),
        "the problem follows the language"
    );
    chat.update(|state| state.locale = Locale::En);

    type_into(&email, "kari@example.no");
    find(&host, ".pre-chat button[type=submit]").click();
    let sent = lines(chat);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].message.content.as_deref(), Some("Do you ship to Norway?"));
    settle().await;
    assert!(
        host.query_selector(".pre-chat").unwrap().is_none(),
        "the composer takes over"
    );
    assert_eq!(
        focused().as_ref(),
        Some(find(&host, ".composer textarea").unchecked_ref()),
        "and the focus"
    );
}

#[wasm_bindgen_test]
async fn the_header_says_each_thing_once_and_the_greeting_opens_the_log() {
    let chat = chat(Locale::En);
    chat.update(|state| {
        state.inbox = Some(inbox(
            json!({"welcome_tagline": "We usually reply in a few minutes", "online": false,
            "greeting_enabled": true, "greeting_message": "Hi! Ask us anything."}),
        ))
    });
    let host = mount_window(chat);
    assert_eq!(
        text_of(&host, ".status"),
        "We are away",
        "the tagline already says how soon"
    );
    assert_eq!(text_of(&host, ".tagline"), "We usually reply in a few minutes");
    assert_eq!(text_of(&host, ".log .greeting"), "Hi! Ask us anything.");
    assert!(!is_hidden(&host, ".greeting"));
    chat.update(|state| state.inbox = Some(inbox(json!({}))));
    tick().await;
    assert_eq!(
        text_of(&host, ".status"),
        "We are online · Typically replies in a few minutes"
    );
    assert!(is_hidden(&host, ".greeting"));
}

/// The relative luminance of a computed `rgb(…)` colour.
fn luminance(css: &str) -> f64 {
    let channels: Vec<f64> = css
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|part| !part.is_empty())
        .take(3)
        .map(|part| part.parse::<f64>().unwrap() / 255.0)
        .map(|c| {
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        })
        .collect();
    0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
}

fn contrast(a: &str, b: &str) -> f64 {
    let (a, b) = (luminance(a), luminance(b));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

fn computed(element: &HtmlElement, property: &str, pseudo: Option<&str>) -> String {
    let window = web_sys::window().unwrap();
    let style = match pseudo {
        Some(pseudo) => window.get_computed_style_with_pseudo_elt(element, pseudo),
        None => window.get_computed_style(element),
    };
    style.unwrap().unwrap().get_property_value(property).unwrap()
}

#[wasm_bindgen_test]
async fn header_text_placeholder_and_banners_read_well_in_light_and_dark() {
    let chat = chat(Locale::En);
    chat.update(|state| {
        state.inbox = Some(inbox(
            json!({"welcome_tagline": "Ask us", "online": false, "out_of_office_message": "Back at nine"}),
        ));
        state.open = true;
    });
    let host = mount(move || view! { <App chat position="right" /> });
    settle().await;
    styled(&host);
    for scheme in [ColorScheme::Light, ColorScheme::Dark] {
        chat.update(|state| state.scheme = scheme);
        tick().await;
        let header_bg = computed(&find(&host, "header"), "background-color", None);
        for small in [".status", ".tagline"] {
            let ratio = contrast(&computed(&find(&host, small), "color", None), &header_bg);
            assert!(ratio >= 4.5, "{small} in {scheme:?}: {ratio:.2}");
        }
        let composer = find(&host, ".composer textarea");
        let placeholder = computed(&composer, "color", Some("::placeholder"));
        let ratio = contrast(&placeholder, &computed(&composer, "background-color", None));
        assert!(ratio >= 4.5, "placeholder in {scheme:?}: {ratio:.2}");
        let away = find(&host, ".away");
        let ratio = contrast(
            &computed(&away, "color", None),
            &computed(&away, "background-color", None),
        );
        assert!(ratio >= 4.5, "away banner in {scheme:?}: {ratio:.2}");
    }
    let root = find(&host, ".nimchat");
    assert_eq!(
        computed(&root, "color-scheme", None),
        "dark",
        "dark scrollbars and controls"
    );
    assert!(
        luminance(&computed(&find(&host, ".away"), "background-color", None)) < 0.1,
        "no light banner in the dark"
    );
    let close = find(&host, ".close");
    assert!(
        close.offset_width() >= 36 && close.offset_height() >= 36,
        "a close button big enough to hit"
    );
    chat.set_open(false);
}

/// Conversation 4, open and unassigned, as the edge sends it in events (no queue position).
fn open_conversation() -> Conversation {
    serde_json::from_value(json!({
        "id": 4, "uuid": "u", "inbox_id": 1, "status": "open", "contact_last_seen_at": 0,
        "agent_last_seen_at": 0, "messages": [], "assignee": null, "custom_attributes": {}, "created_at": 0,
        "contact": {"id": 1, "name": "Kari", "email": null, "phone_number": null, "avatar_url": ""}
    }))
    .unwrap()
}

#[wasm_bindgen_test]
async fn a_waiting_visitor_sees_their_place_in_the_queue() {
    let chat = chat(Locale::En);
    let mut waiting = open_conversation();
    waiting.queue_position = Some(3);
    let conversation = waiting.clone();
    chat.update(|state| state.conversation = Some(conversation));
    let host = mount_window(chat);
    let place = find(&host, ".queue");
    assert_eq!(place.text_content().as_deref(), Some("You are number 3 in the queue"));
    assert_eq!(place.get_attribute("role").as_deref(), Some("status"));
    assert!(!is_hidden(&host, ".queue"));

    chat.update(|state| state.lines = vec![Line::confirmed(message(8, MessageType::Outgoing, "Hi, I am on it"))]);
    tick().await;
    assert!(is_hidden(&host, ".queue"), "an agent answered");
    assert_eq!(
        find(&host, ".log .message").get_attribute("data-side").as_deref(),
        Some("agent")
    );
    chat.update(|state| state.lines.clear());
    tick().await;
    assert!(!is_hidden(&host, ".queue"));
    assert!(
        host.query_selector(".log .message").unwrap().is_none(),
        "the message is gone"
    );

    let mut taken = waiting;
    taken.assignee = Some(Assignee {
        id: 7,
        name: "Ada".into(),
        available_name: "Ada".into(),
        avatar_url: String::new(),
    });
    chat.update(|state| state.conversation = Some(taken));
    tick().await;
    assert!(is_hidden(&host, ".queue"), "an agent has it");
}

#[wasm_bindgen_test]
async fn a_reply_the_visitor_is_not_looking_at_chimes_and_counts_in_the_page_title() {
    let document = web_sys::window().unwrap().document().unwrap();
    document.set_title("Shop");
    let chat = chat(Locale::En);
    let tones = std::rc::Rc::new(std::cell::Cell::new(0));
    let counter = tones.clone();
    let tone = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || counter.set(counter.get() + 1));
    chat.set_tone(tone.into_js_value().unchecked_into());
    chat.update(|state| state.conversation = Some(open_conversation()));
    mount(move || view! { <App chat position="right" /> });
    let reply = |id: i64| {
        let mut reply = message(id, MessageType::Outgoing, "On its way");
        reply.conversation_id = 4;
        let data = serde_json::to_value(reply).unwrap();
        json!({"identifier": "{}", "message": {"event": "message.created", "data": data}}).to_string()
    };
    chat.on_frame(&reply(20));
    tick().await;
    assert_eq!((tones.get(), document.title()), (1, "(1) Shop".to_string()));
    chat.on_frame(&reply(20));
    chat.on_frame(&reply(21));
    tick().await;
    assert_eq!(
        (tones.get(), document.title()),
        (2, "(2) Shop".to_string()),
        "a repeat is not new"
    );
    // The page renames itself meanwhile: its new title is kept.
    document.set_title("Checkout");
    chat.on_frame(&reply(22));
    tick().await;
    assert_eq!(document.title(), "(3) Checkout");
    chat.set_open(true);
    tick().await;
    assert_eq!(document.title(), "Checkout", "seen");
    chat.on_frame(&reply(23));
    tick().await;
    assert_eq!(
        (tones.get(), document.title()),
        (3, "Checkout".to_string()),
        "read as it came"
    );
    chat.set_open(false);
    chat.update(|state| state.sound = false);
    chat.on_frame(&reply(24));
    tick().await;
    assert_eq!(
        (tones.get(), document.title()),
        (3, "(1) Checkout".to_string()),
        "sound: false"
    );
}

#[wasm_bindgen_test]
async fn while_nobody_can_answer_a_visitor_who_wrote_leaves_an_email_and_learns_when_the_team_is_back() {
    let chat = chat(Locale::En);
    // Monday 1 December 2025, 09:00 in the visitor's time zone.
    let back = js_sys::Date::new_with_year_month_day_hr_min(2025, 11, 1, 9, 0);
    let next_online_at = (back.get_time() / 1000.0) as i64;
    chat.update(|state| {
        state.inbox = Some(inbox(json!({"online": false, "next_online_at": next_online_at})));
        state.conversation = Some(open_conversation());
    });
    let host = mount_window(chat);
    assert!(is_absent(&host, ".capture"), "not before the visitor writes");
    chat.update(|state| state.lines = vec![Line::confirmed(message(3, MessageType::Incoming, "Anyone?"))]);
    tick().await;
    assert!(!is_absent(&host, ".capture"));
    assert_eq!(
        text_of(&host, ".capture p"),
        "We are back Mon 09:00. Leave your e-mail and we will answer you there."
    );
    let address = find(&host, ".capture input");
    assert_eq!(address.get_attribute("type").as_deref(), Some("email"));
    type_into(&address, "kari@localhost");
    find(&host, ".capture button").click();
    tick().await;
    let refusal = js_sys::Reflect::get(&address, &"validationMessage".into()).unwrap();
    assert_eq!(
        refusal.as_string().as_deref(),
        Some("Please enter a valid email address.")
    );
    assert!(is_hidden(&host, ".captured"), "nothing stored");
    type_into(&address, "kari@example.com");
    find(&host, ".capture button").click();
    tick().await;
    assert!(is_hidden(&host, ".capture form"));
    assert_eq!(text_of(&host, ".captured"), "We will answer you at kari@example.com.");
    assert_eq!(
        chat.peek(|state| state.conversation.as_ref().unwrap().contact.email.clone()),
        Some("kari@example.com".into())
    );
    chat.update(|state| {
        state
            .lines
            .push(Line::confirmed(message(4, MessageType::Outgoing, "Hi Kari")))
    });
    tick().await;
    assert!(is_absent(&host, ".capture"), "answered");
    chat.update(|state| {
        state.lines.pop();
        state.inbox = Some(inbox(json!({"online": true})));
    });
    tick().await;
    assert!(is_absent(&host, ".capture"), "someone is there");
}

#[wasm_bindgen_test]
fn queue_events_move_the_visitor_and_other_events_keep_the_place() {
    let chat = chat(Locale::En);
    let mut waiting = open_conversation();
    waiting.queue_position = Some(3);
    chat.update(|state| state.conversation = Some(waiting));
    let event = |name: &str, data: serde_json::Value| {
        json!({"identifier": "{}", "message": {"event": name, "data": data}}).to_string()
    };
    chat.on_frame(&event(
        "conversation.queue_position",
        json!({"conversation_id": 9, "position": 1}),
    ));
    assert_eq!(
        chat.peek(State::queue_position),
        Some(3),
        "another conversation's place"
    );
    chat.on_frame(&event(
        "conversation.queue_position",
        json!({"conversation_id": 4, "position": 2}),
    ));
    assert_eq!(chat.peek(State::queue_position), Some(2));
    chat.on_frame(&event(
        "conversation.updated",
        serde_json::to_value(open_conversation()).unwrap(),
    ));
    assert_eq!(
        chat.peek(State::queue_position),
        Some(2),
        "status events do not carry the place"
    );
    chat.on_frame(&event(
        "conversation.queue_position",
        json!({"conversation_id": 4, "position": null}),
    ));
    assert_eq!(chat.peek(State::queue_position), None, "no longer waiting");
}

#[wasm_bindgen_test]
async fn a_page_the_inbox_refuses_gets_a_notice_and_no_composer() {
    let chat = chat(Locale::Fr);
    let host = mount_window(chat);
    assert!(
        is_hidden(&host, ".status"),
        "no presence claimed before the inbox answers"
    );
    for owners_words in [".welcome", ".tagline"] {
        assert_eq!(find(&host, owners_words).get_attribute("dir").as_deref(), Some("auto"));
    }
    assert!(host.query_selector(".composer").unwrap().is_some());
    chat.update(|state| state.unavailable = true);
    tick().await;
    assert!(host.query_selector(".composer").unwrap().is_none(), "nothing to send");
    let notice = find(&host, ".unavailable");
    assert_eq!(notice.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(
        notice.text_content().as_deref(),
        Some("Le chat n’est pas disponible sur ce site.")
    );
    assert!(is_hidden(&host, ".status"));
}

/// The loader's bubble had the focus when the chat took its place: the chat's bubble has it.
#[wasm_bindgen_test]
async fn the_loaded_chat_keeps_the_loader_bubbles_focus() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let root = host
        .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
        .unwrap();
    root.set_inner_html("<div id=l><button type=button>Open chat</button></div>");
    root.query_selector("#l button")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .focus()
        .unwrap();
    let _widget = nimchat_widget::start(
        root.clone(),
        "http://127.0.0.1:9".into(),
        "test-inbox".into(),
        js_sys::Object::new().into(),
        wasm_bindgen::JsValue::UNDEFINED,
    );
    assert!(root.get_element_by_id("l").is_none(), "the loader's bubble is gone");
    let active = root.active_element().expect("the focus stayed in the widget");
    assert_eq!(active.class_name(), "bubble");
}

/// What the edge writes with serde, the widget reads back field for field.
fn round_trip<T: serde::Serialize + FromJs + PartialEq + std::fmt::Debug>(value: T) {
    let text = serde_json::to_string(&value).unwrap();
    assert_eq!(json::parse::<T>(&text), Some(value), "{text}");
}

#[wasm_bindgen_test]
fn the_wire_types_decode_what_the_edge_writes() {
    let mut survey = message(9, MessageType::Template, "Rate us");
    survey.content_type = "input_csat".into();
    survey.content_attributes.insert(
        "submitted_values".into(),
        json!({"csat_survey_response": {"rating": 5, "feedback_message": null}, "tags": ["a", 1.5, true]}),
    );
    survey.echo_id = Some("nc-1".into());
    round_trip(message(2, MessageType::Outgoing, "Hello"));
    let mut with_files = message(3, MessageType::Incoming, "");
    with_files.attachments = two_files();
    round_trip(with_files);
    round_trip(survey.clone());
    round_trip(Conversation {
        id: 12,
        uuid: "u-1".into(),
        inbox_id: 3,
        status: ConversationStatus::Snoozed,
        contact_last_seen_at: 1_700_000_100,
        agent_last_seen_at: 0,
        messages: vec![message(1, MessageType::Incoming, "Hi"), survey],
        contact: ConversationContact {
            id: 4,
            name: "Kari".into(),
            email: Some("kari@example.no".into()),
            phone_number: None,
            avatar_url: String::new(),
        },
        assignee: Some(Assignee {
            id: 7,
            name: "Ada".into(),
            available_name: "Ada L".into(),
            avatar_url: "https://example.com/a.png".into(),
        }),
        custom_attributes: Map::from_iter([("plan".to_string(), json!("pro"))]),
        created_at: 1_700_000_000,
        queue_position: Some(2),
    });
    round_trip(PublicInbox {
        identifier: "i".into(),
        name: "Shop".into(),
        timezone: "Europe/Oslo".into(),
        working_hours: WorkingHoursDay::default_week(),
        working_hours_enabled: true,
        csat_survey_enabled: true,
        greeting_enabled: false,
        greeting_message: None,
        out_of_office_message: Some("Back at nine".into()),
        identity_validation_enabled: false,
        widget_color: "#1f6feb".into(),
        welcome_title: Some("Hi".into()),
        welcome_tagline: None,
        reply_time: ReplyTime::InADay,
        pre_chat_form_enabled: true,
        pre_chat_form_options: json!({"pre_chat_message": "Who are you?", "pre_chat_fields": []}),
        allow_messages_after_resolved: true,
        online: false,
        next_online_at: Some(1_700_003_600),
    });
    round_trip(ContactSession {
        source_id: "s".into(),
        pubsub_token: "p".into(),
        id: 5,
        name: "Kari".into(),
        email: None,
        phone_number: Some("+4712345678".into()),
    });
}

#[wasm_bindgen_test]
fn objects_missing_what_they_need_do_not_decode() {
    assert_eq!(
        json::parse::<Message>(r#"{"id": 1, "message_type": 9, "conversation_id": 1}"#),
        None
    );
    assert_eq!(
        json::parse::<Message>(r#"{"id": 1.5, "message_type": 0, "conversation_id": 1}"#),
        None
    );
    assert_eq!(json::parse::<ContactSession>(r#"{"source_id": "s", "id": 1}"#), None);
    assert_eq!(json::parse::<ContactSession>("not json"), None);
    assert_eq!(json::parse::<ContactSession>("[]"), None);
}

/// An image and a PDF, as the edge describes them.
fn two_files() -> Vec<Attachment> {
    vec![
        attachment(
            1,
            "image",
            "https://edge.example/files/1/a/shoe.png?expires=1&signature=ab",
        ),
        attachment(
            2,
            "file",
            "https://edge.example/files/1/b/notes.pdf?expires=1&signature=cd",
        ),
    ]
}

fn attachment(id: i64, file_type: &str, data_url: &str) -> Attachment {
    let image = file_type == "image";
    let file_name = data_url
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    Attachment {
        id,
        message_id: 3,
        file_type: file_type.into(),
        account_id: 1,
        extension: file_name.rsplit('.').next().unwrap().into(),
        data_url: data_url.into(),
        thumb_url: if image { data_url.into() } else { String::new() },
        file_size: 2_500_000,
        file_name,
        width: image.then_some(64),
        height: image.then_some(48),
    }
}

#[wasm_bindgen_test]
async fn images_show_inline_and_files_as_named_links_with_their_size_and_only_web_links() {
    let chat = chat(Locale::En);
    let mut reply = message(5, MessageType::Outgoing, "");
    reply.attachments = two_files();
    reply.attachments.push(attachment(3, "image", "javascript:alert(1)"));
    chat.update(|state| state.lines = vec![Line::confirmed(reply)]);
    let host = mount(move || view! { <MessageList chat /> });
    styled(&host);
    let image = find(&host, ".message a.image");
    assert_eq!(
        image.get_attribute("target").as_deref(),
        Some("_blank"),
        "a click opens it"
    );
    let picture = find(&image, "img");
    assert_eq!(
        picture.get_attribute("src").as_deref(),
        Some("https://edge.example/files/1/a/shoe.png?expires=1&signature=ab")
    );
    assert_eq!(picture.get_attribute("alt").as_deref(), Some("shoe.png"));
    assert_eq!(
        picture.get_attribute("width").as_deref(),
        Some("64"),
        "its place is kept while it loads"
    );
    let links = host.query_selector_all(".message a").unwrap();
    let hrefs: Vec<String> = (0..links.length())
        .map(|at| {
            links
                .get(at)
                .unwrap()
                .unchecked_into::<HtmlElement>()
                .get_attribute("href")
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(hrefs.len(), 2, "no link for a javascript: address: {hrefs:?}");
    assert!(hrefs.iter().all(|href| href.starts_with("https://")), "{hrefs:?}");
    let file = links.get(1).unwrap().unchecked_into::<HtmlElement>();
    assert_eq!(file.text_content().as_deref(), Some("notes.pdf (2.4 MB)"));
    assert!(
        host.query_selector(".message progress").unwrap().is_none(),
        "nothing on its way"
    );
    assert_eq!(
        computed(&find(&host, ".content"), "display", None),
        "none",
        "no empty bubble above the files"
    );
}

fn a_file(name: &str, kind: &str) -> web_sys::File {
    let bytes = js_sys::Array::of1(&js_sys::Uint8Array::from(&b"\x89PNG\r\n\x1a\n"[..]).into());
    let options = web_sys::FilePropertyBag::new();
    options.set_type(kind);
    web_sys::File::new_with_u8_array_sequence_and_options(&bytes, name, &options).unwrap()
}

fn files(list: &[web_sys::File]) -> web_sys::DataTransfer {
    let transfer = web_sys::DataTransfer::new().unwrap();
    for file in list {
        transfer.items().add_with_file(file).unwrap();
    }
    transfer
}

/// The attach button's picker, a paste into the composer and a drop on the window each
/// queue their files as messages of their own, shown at once: an image by its preview.
/// Without an edge to take them, they wait with "retry".
#[wasm_bindgen_test]
async fn files_come_by_the_attach_button_a_paste_and_a_drop_and_show_at_once() {
    let chat = chat(Locale::En);
    let host = mount_window(chat);
    let attach = find(&host, "button.attach");
    assert_eq!(attach.get_attribute("aria-label").as_deref(), Some("Attach a file"));
    let picker: web_sys::HtmlInputElement = find(&host, ".composer input[type=file]").unchecked_into();
    assert!(
        picker.multiple() && picker.hidden(),
        "the button opens it; it is not a stop of its own"
    );
    picker.set_files(files(&[a_file("shoe.png", "image/png")]).files().as_ref());
    picker.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    let paste = web_sys::ClipboardEventInit::new();
    paste.set_bubbles(true);
    paste.set_cancelable(true);
    paste.set_clipboard_data(Some(&files(&[a_file("screenshot.png", "image/png")])));
    let paste = web_sys::ClipboardEvent::new_with_event_init_dict("paste", &paste).unwrap();
    find(&host, "textarea").dispatch_event(&paste).unwrap();
    assert!(paste.default_prevented(), "the file is taken, not pasted as text");
    let drop = web_sys::DragEventInit::new();
    drop.set_bubbles(true);
    drop.set_cancelable(true);
    drop.set_data_transfer(Some(&files(&[a_file("notes.pdf", "application/pdf")])));
    find(&host, ".log")
        .dispatch_event(&web_sys::DragEvent::new_with_event_init_dict("drop", &drop).unwrap())
        .unwrap();
    tick().await;
    let names: Vec<String> = lines(chat)
        .iter()
        .map(|line| line.message.attachments[0].file_name.clone())
        .collect();
    assert_eq!(names, ["shoe.png", "screenshot.png", "notes.pdf"]);
    let previews = host
        .query_selector_all(".message[data-side=visitor] .image img")
        .unwrap();
    assert_eq!(previews.length(), 2, "the two images by their previews");
    let preview = previews.get(0).unwrap().unchecked_into::<HtmlElement>();
    assert!(preview.get_attribute("src").unwrap().starts_with("blob:"));
    assert!(text_of(&host, ".message[data-side=visitor] a:not(.image)").starts_with("notes.pdf ("));
    for _ in 0..100 {
        if lines(chat).iter().all(|line| line.delivery == Delivery::Failed) {
            break;
        }
        TimeoutFuture::new(20).await;
    }
    assert!(
        lines(chat).iter().all(|line| line.delivery == Delivery::Failed),
        "kept to retry"
    );
    assert!(!is_hidden(&host, ".message .not-sent"));
    chat.reset();
    tick().await;
}
