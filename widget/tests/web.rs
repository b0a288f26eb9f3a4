//! Component tests in a real browser (headless Chromium through wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use any_spawner::Executor;
use nimchat_shared::enums::{ConversationStatus, MessageType, ReplyTime, SenderType};
use nimchat_shared::wire::{
    Assignee, ContactSession, Conversation, ConversationContact, CsatSurveyResponse, Message, MessageIds, PublicInbox,
    Sender, WorkingHoursDay,
};
use nimchat_widget::chat::{Chat, ColorScheme, Line, State};
use nimchat_widget::components::{app, bubble, chat_window, csat_card, message_view};
use nimchat_widget::dom::{add, el};
use nimchat_widget::i18n::{Key, Locale};
use nimchat_widget::json::{self, FromJs};
use reactive_graph::owner::Owner;
use serde_json::{json, Map};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

/// Draws into a fresh element of the test page, under an owner that lives on (as the
/// widget's does), and returns that element.
fn mount(draw: impl FnOnce() -> Element) -> HtmlElement {
    let _ = Executor::init_wasm_bindgen();
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let owner = Owner::new();
    host.append_child(&owner.with(draw)).unwrap();
    std::mem::forget(owner);
    host
}

/// Lets the effects that a change woke redraw.
async fn tick() {
    Executor::tick().await;
}

fn lines(chat: Chat) -> Vec<Line> {
    chat.peek(|state| state.lines.clone())
}

fn is_hidden(host: &HtmlElement, selector: &str) -> bool {
    find(host, selector).has_attribute("hidden")
}

fn find(host: &HtmlElement, selector: &str) -> HtmlElement {
    host.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into()
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

#[wasm_bindgen_test]
async fn the_bubble_is_a_named_button_that_toggles_and_counts_unread() {
    let chat = chat(Locale::En);
    let host = mount(move || bubble(chat));
    let button = find(&host, "button");
    assert_eq!(button.get_attribute("aria-label").as_deref(), Some("Open chat"));
    assert_eq!(button.get_attribute("aria-expanded").as_deref(), Some("false"));
    assert!(is_hidden(&host, ".badge"), "nothing unread");
    chat.update(|state| state.unread = 2);
    tick().await;
    assert_eq!(find(&host, ".badge").text_content().as_deref(), Some("2"));
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
fn each_message_kind_renders_on_its_side_with_its_sender() {
    let chat = chat(Locale::En);
    let visitor = Line {
        message: message(1, MessageType::Incoming, "Hi there"),
        pending: true,
    };
    let agent = Line {
        message: message(2, MessageType::Outgoing, "Hello!"),
        pending: false,
    };
    let host = mount(move || {
        let list = el("div", "");
        add(&list, &[&message_view(chat, &visitor), &message_view(chat, &agent)]);
        list
    });
    let sides: Vec<String> = (0..2)
        .map(|i| {
            host.query_selector_all(".message")
                .unwrap()
                .get(i)
                .unwrap()
                .unchecked_into::<HtmlElement>()
        })
        .map(|el| {
            format!(
                "{}:{}",
                el.get_attribute("data-side").unwrap(),
                el.get_attribute("data-pending").unwrap()
            )
        })
        .collect();
    assert_eq!(sides, ["visitor:true", "agent:false"]);
    assert_eq!(find(&host, ".sender").text_content().as_deref(), Some("Ada"));
    assert_eq!(find(&host, ".avatar").text_content().as_deref(), Some("A"));
    assert!(find(&host, ".time").text_content().unwrap().contains(':'));
}

#[wasm_bindgen_test]
fn hostile_content_is_shown_as_text_and_only_http_links_are_links() {
    let chat = chat(Locale::En);
    let hostile = "<script>window.pwned=1</script> <img src=x onerror=\"window.pwned=2\"> javascript:alert(1) see https://nimchat.dev/help.";
    let line = Line {
        message: message(3, MessageType::Outgoing, hostile),
        pending: false,
    };
    let host = mount(move || message_view(chat, &line));
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
async fn the_csat_card_submits_a_rating_and_feedback() {
    let answered: Rc<RefCell<Option<(i64, CsatSurveyResponse)>>> = Rc::default();
    let mut survey = message(9, MessageType::Template, "Please rate the conversation");
    survey.content_type = "input_csat".into();
    let chat = chat(Locale::En);
    let answer = answered.clone();
    let host = mount(move || {
        csat_card(chat, &survey, move |id, response| {
            answer.replace(Some((id, response)));
        })
    });
    let submit = find(&host, "button[type=submit]");
    assert!(submit.has_attribute("disabled"), "no rating yet");
    let ratings = host.query_selector_all("[role=radio]").unwrap();
    assert_eq!(ratings.length(), 5);
    ratings.get(3).unwrap().unchecked_into::<HtmlElement>().click();
    assert!(!submit.has_attribute("disabled"), "a rating can be sent");
    assert_eq!(
        ratings
            .get(3)
            .unwrap()
            .unchecked_into::<HtmlElement>()
            .get_attribute("aria-checked")
            .as_deref(),
        Some("true")
    );
    let feedback: web_sys::HtmlTextAreaElement = find(&host, "textarea").unchecked_into();
    feedback.set_value("Quick and kind");
    feedback.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    submit.click();
    assert_eq!(
        answered.borrow().clone(),
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
fn an_answered_survey_says_thank_you() {
    let mut survey = message(9, MessageType::Template, "Please rate the conversation");
    survey.content_type = "input_csat".into();
    survey.content_attributes.insert(
        "submitted_values".into(),
        json!({"csat_survey_response": {"rating": 5}}),
    );
    let chat = chat(Locale::Fr);
    let host = mount(move || csat_card(chat, &survey, |_, _| panic!("answered twice")));
    assert!(host.query_selector("form").unwrap().is_none());
    assert_eq!(
        find(&host, ".thanks").text_content().as_deref(),
        Some("Merci pour votre avis !")
    );
}

#[wasm_bindgen_test]
async fn arabic_lays_out_right_to_left() {
    let chat = chat(Locale::Ar);
    let host = mount(move || app(chat, "right"));
    let root = find(&host, ".nimchat");
    assert_eq!(root.get_attribute("dir").as_deref(), Some("rtl"));
    assert_eq!(root.get_attribute("lang").as_deref(), Some("ar"));
    assert_eq!(
        find(&host, ".bubble").get_attribute("aria-label").as_deref(),
        Some("افتح المحادثة")
    );
    chat.update(|state| state.locale = Locale::De);
    tick().await;
    assert_eq!(root.get_attribute("dir").as_deref(), Some("ltr"));
    assert_eq!(
        find(&host, ".bubble").get_attribute("aria-label").as_deref(),
        Some("Chat öffnen")
    );
}

fn focused() -> Option<web_sys::Element> {
    web_sys::window().unwrap().document().unwrap().active_element()
}

#[wasm_bindgen_test]
async fn the_opened_window_takes_the_focus_and_escape_gives_it_back() {
    let chat = chat(Locale::En);
    let host = mount(move || app(chat, "right"));
    let bubble = find(&host, ".bubble");
    bubble.focus().unwrap();
    bubble.click();
    tick().await;
    tick().await;
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
async fn enter_sends_shift_enter_does_not_and_escape_closes() {
    let chat = chat(Locale::En);
    chat.update(|state| state.open = true);
    let host = mount(move || chat_window(chat, el("button", "")));
    assert_eq!(find(&host, ".log").get_attribute("role").as_deref(), Some("log"));
    assert_eq!(
        find(&host, ".log").get_attribute("aria-live").as_deref(),
        Some("polite")
    );
    let composer: web_sys::HtmlTextAreaElement = find(&host, "textarea").unchecked_into();
    composer.set_value("first line");
    composer.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    press(composer.unchecked_ref(), "Enter", true);
    assert!(lines(chat).is_empty(), "Shift+Enter is a new line");
    press_composing(composer.unchecked_ref(), "Enter", false, true);
    assert!(lines(chat).is_empty(), "Enter ending an IME composition sends nothing");
    press(composer.unchecked_ref(), "Enter", false);
    let sent = lines(chat);
    assert_eq!(sent.len(), 1, "Enter sends");
    assert!(sent[0].pending, "shown at once, before the edge answers");
    assert_eq!(sent[0].message.content.as_deref(), Some("first line"));
    assert_eq!(composer.value(), "", "the draft is cleared");
    tick().await;
    let drawn = find(&host, ".log .message");
    assert_eq!(drawn.get_attribute("data-pending").as_deref(), Some("true"));
    assert_eq!(
        find(&host, ".log .content").text_content().as_deref(),
        Some("first line")
    );
    assert_eq!(
        find(&host, ".log .content").get_attribute("dir").as_deref(),
        Some("auto"),
        "mixed-direction text keeps its own order"
    );

    press(&find(&host, ".window"), "Escape", false);
    tick().await;
    assert!(!chat.peek(|state| state.open));
}

#[wasm_bindgen_test]
async fn the_pre_chat_form_checks_fields_before_the_first_message() {
    let chat = chat(Locale::En);
    let inbox: PublicInbox = serde_json::from_value(json!({
        "identifier": "i", "name": "Shop", "timezone": "UTC", "working_hours": [], "working_hours_enabled": false,
        "csat_survey_enabled": false, "greeting_enabled": false, "greeting_message": null, "out_of_office_message": null,
        "identity_validation_enabled": false, "widget_color": "#1f6feb", "welcome_title": null, "welcome_tagline": null,
        "reply_time": "in_a_few_minutes", "pre_chat_form_enabled": true, "allow_messages_after_resolved": true,
        "online": true, "pre_chat_form_options": {"pre_chat_message": "Tell us who you are",
            "pre_chat_fields": [{"name": "emailAddress", "enabled": true, "required": true}]}
    }))
    .unwrap();
    chat.update(|state| {
        state.inbox = Some(inbox);
        state.open = true;
    });
    let host = mount(move || chat_window(chat, el("button", "")));
    let form = find(&host, ".pre-chat");
    assert_eq!(
        find(&host, ".pre-chat p").text_content().as_deref(),
        Some("Tell us who you are")
    );
    let email: web_sys::HtmlInputElement = find(&host, "input[name=email]").unchecked_into();
    let message: web_sys::HtmlTextAreaElement = find(&host, ".pre-chat textarea").unchecked_into();
    message.set_value("Do you ship to Norway?");
    message.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    email.set_value("not-an-email");
    email.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    assert!(
        is_hidden(&host, ".field-error"),
        "nothing is wrong before the form is sent"
    );
    find(&form, "button[type=submit]").click();
    tick().await;
    assert_eq!(
        find(&host, ".field-error").text_content().as_deref(),
        Some("Please enter a valid email address.")
    );
    assert!(!is_hidden(&host, ".field-error"));
    assert_eq!(email.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(lines(chat).is_empty(), "nothing is sent while a field is wrong");
    chat.update(|state| state.locale = Locale::Fr);
    tick().await;
    assert_eq!(
        find(&host, ".field-error").text_content().as_deref(),
        Some(Locale::Fr.t(Key::InvalidEmail)),
        "the problem follows the language"
    );
    chat.update(|state| state.locale = Locale::En);

    email.set_value("kari@example.no");
    email.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    find(&form, "button[type=submit]").click();
    let sent = lines(chat);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].message.content.as_deref(), Some("Do you ship to Norway?"));
    tick().await;
    assert!(
        host.query_selector(".pre-chat").unwrap().is_none(),
        "the composer takes over"
    );
    assert!(host.query_selector(".composer").unwrap().is_some());
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
    chat.update(|state| {
        state.open = true;
        state.conversation = Some(conversation);
    });
    let host = mount(move || chat_window(chat, el("button", "")));
    let place = find(&host, ".queue");
    assert_eq!(place.text_content().as_deref(), Some("You are number 3 in the queue"));
    assert_eq!(place.get_attribute("role").as_deref(), Some("status"));

    assert!(!is_hidden(&host, ".queue"));

    chat.update(|state| {
        state.lines = vec![Line {
            message: message(8, MessageType::Outgoing, "Hi, I am on it"),
            pending: false,
        }]
    });
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

#[wasm_bindgen_test]
async fn a_page_the_inbox_refuses_gets_a_notice_and_no_composer() {
    let chat = chat(Locale::Fr);
    chat.update(|state| state.open = true);
    let host = mount(move || chat_window(chat, el("button", "")));
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
