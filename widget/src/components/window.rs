//! The chat window: who answers, the conversation, and the composer.

use std::cell::Cell;
use std::rc::Rc;

use any_spawner::Executor;
use nimchat_shared::enums::ReplyTime;
use nimchat_shared::wire::PublicInbox;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement, KeyboardEvent, Node};

use super::{message_log, pre_chat_form, say, say_attr};
use crate::chat::{Chat, State};
use crate::dom::{add, attr, bind_attr, bind_optional_text, bind_text, el, icon, on, swap, text};
use crate::i18n::{fill, Key};

/// What the header says about replies: online or not, and how soon; nothing until the inbox
/// has answered (nor when it refused the page).
fn status(state: &State) -> Option<String> {
    let inbox = state.inbox.as_ref()?;
    let reply = match inbox.reply_time {
        ReplyTime::InAFewHours => Key::ReplyInHours,
        ReplyTime::InADay => Key::ReplyInADay,
        _ => Key::ReplyInMinutes,
    };
    let presence = state.t(if inbox.online { Key::Online } else { Key::Offline });
    Some(format!("{presence} · {}", state.t(reply)))
}

/// A paragraph of the header, from the inbox's settings.
fn inbox_text(chat: Chat, tag: &str, class: &str, pick: fn(&PublicInbox) -> Option<String>) -> Element {
    let paragraph = el(tag, class);
    // The owner's words may be in another script than the widget's language.
    attr(&paragraph, "dir", "auto");
    bind_text(&paragraph, move || {
        chat.with(|state| state.inbox.as_ref().and_then(pick))
            .unwrap_or_default()
    });
    paragraph
}

/// Escape closes; Tab stays inside the window while it is open.
fn on_keydown(window: &Element, event: &KeyboardEvent, close: &dyn Fn()) {
    match event.key().as_str() {
        "Escape" => close(),
        "Tab" => {
            let Ok(focusables) = window.query_selector_all("button:not([disabled]), textarea, input, a[href]") else {
                return;
            };
            let first = focusables.get(0);
            let last = focusables.get(focusables.length().saturating_sub(1));
            let active: Option<Node> = window
                .get_root_node()
                .dyn_into::<web_sys::ShadowRoot>()
                .ok()
                .and_then(|root| root.active_element())
                .map(Into::into);
            let wrap_to = match event.shift_key() {
                true if active.is_some() && active == first => last,
                false if active.is_some() && active == last => first,
                _ => None,
            };
            if let Some(target) = wrap_to.and_then(|node| node.dyn_into::<HtmlElement>().ok()) {
                event.prevent_default();
                let _ = target.focus();
            }
        }
        _ => {}
    }
}

/// `bubble` gets the focus back when the window closes.
pub fn chat_window(chat: Chat, bubble: Element) -> Element {
    let window = el("section", "window");
    attr(&window, "role", "dialog");
    let inbox_name = |state: &State| state.inbox.as_ref().map(|inbox| inbox.name.clone()).unwrap_or_default();
    bind_attr(&window, "aria-label", move || Some(chat.with(inbox_name)));
    let close = Rc::new(move || {
        chat.set_open(false);
        let _ = bubble.unchecked_ref::<HtmlElement>().focus();
    });
    let (target, escape) = (window.clone(), close.clone());
    on(&window, "keydown", move |event| {
        on_keydown(&target, event.unchecked_ref(), &*escape)
    });
    // An opened dialog takes the focus (the composer, else its first button), once it is in
    // the page: after the drawing that is under way.
    let opened = window.clone();
    Executor::spawn_local(async move {
        let first = |selector| opened.query_selector(selector).ok().flatten();
        if let Some(target) = first("textarea").or_else(|| first("button")) {
            let _ = target.unchecked_ref::<HtmlElement>().focus();
        }
    });

    let header = el("header", "");
    let about = el("div", "");
    let name = el("h2", "");
    bind_text(&name, move || chat.with(inbox_name));
    let presence = el("p", "status");
    bind_attr(&presence, "data-online", move || {
        Some(
            chat.with(|state| state.inbox.as_ref().is_some_and(|inbox| inbox.online))
                .to_string(),
        )
    });
    bind_optional_text(&presence, move || chat.with(status));
    add(
        &about,
        &[
            &name,
            &inbox_text(chat, "p", "welcome", |inbox| inbox.welcome_title.clone()),
            &inbox_text(chat, "p", "tagline", |inbox| inbox.welcome_tagline.clone()),
            &presence,
        ],
    );
    let close_button = text("button", "close", "×");
    attr(&close_button, "type", "button");
    say_attr(chat, &close_button, "aria-label", Key::CloseChat);
    on(&close_button, "click", move |_| close());
    add(&header, &[&about, &close_button]);

    let away = el("p", "away");
    bind_optional_text(&away, move || {
        chat.with(|state| {
            let inbox = state.inbox.as_ref().filter(|inbox| !inbox.online)?;
            inbox.out_of_office_message.clone()
        })
    });
    let queue = el("p", "queue");
    attr(&queue, "role", "status");
    bind_optional_text(&queue, move || {
        chat.with(|state| {
            let place = state.queue_position()?;
            Some(fill(state.t(Key::QueuePosition), place))
        })
    });

    let log = el("div", "log");
    attr(&log, "role", "log");
    attr(&log, "aria-live", "polite");
    say_attr(chat, &log, "aria-label", Key::Conversation);
    let typing = el("p", "typing");
    bind_optional_text(&typing, move || {
        chat.with(|state| Some(format!("{} {}", state.agent_typing.as_ref()?, state.t(Key::Typing))))
    });
    add(&log, &[&typing]);
    message_log(chat, &log, &typing);

    let error = el("p", "error");
    attr(&error, "role", "alert");
    bind_optional_text(&error, move || {
        chat.with(|state| Some(state.t(state.error?).to_string()))
    });

    add(&window, &[&header, &away, &queue, &log, &error]);
    swap(
        &window,
        move || {
            chat.with(|state| match () {
                _ if state.unavailable => 3,
                _ if state.is_resolved() => 2,
                _ if state.needs_pre_chat() => 1,
                _ => 0,
            })
        },
        move |bottom| {
            Some(
                match bottom {
                    3 => unavailable(chat),
                    2 => resolved(chat),
                    1 => pre_chat_form(chat),
                    _ => composer(chat),
                }
                .into(),
            )
        },
    );
    window
}

/// In place of the composer on a page that the inbox does not allow.
fn unavailable(chat: Chat) -> Element {
    let words = el("p", "unavailable");
    attr(&words, "role", "alert");
    say(chat, &words, Key::NotAvailableHere);
    words
}

fn resolved(chat: Chat) -> Element {
    let panel = el("div", "resolved");
    let words = el("p", "");
    say(chat, &words, Key::Resolved);
    let again = el("button", "primary");
    attr(&again, "type", "button");
    say(chat, &again, Key::StartNew);
    on(&again, "click", move |_| chat.start_new_conversation());
    add(&panel, &[&words, &again]);
    panel
}

/// Enter sends; Shift+Enter is a new line.
fn composer(chat: Chat) -> Element {
    let form = el("form", "composer");
    let draft = el("textarea", "");
    attr(&draft, "rows", "1");
    say_attr(chat, &draft, "aria-label", Key::TypeMessage);
    say_attr(chat, &draft, "placeholder", Key::TypeMessage);
    let send_button = el("button", "send");
    attr(&send_button, "type", "submit");
    say_attr(chat, &send_button, "aria-label", Key::Send);
    add(&send_button, &[&icon("M3 20l18-8L3 4v6l12 2-12 2z", "20")]);
    add(&form, &[&draft, &send_button]);

    let typing = Rc::new(Cell::new(false));
    let send = {
        let (draft, typing) = (draft.clone().unchecked_into::<HtmlTextAreaElement>(), typing.clone());
        move || {
            let content = draft.value();
            if content.trim().is_empty() {
                return;
            }
            draft.set_value("");
            if typing.replace(false) {
                chat.typing(false);
            }
            chat.send(content);
        }
    };
    on(&draft, "input", move |_| {
        if !typing.replace(true) {
            chat.typing(true);
        }
    });
    let enter = send.clone();
    on(&draft, "keydown", move |event| {
        let key: &KeyboardEvent = event.unchecked_ref();
        // Enter that confirms an input method's composition (Japanese, Chinese) is not a send.
        if key.key() == "Enter" && !key.shift_key() && !key.is_composing() {
            event.prevent_default();
            enter();
        }
    });
    on(&form, "submit", move |event| {
        event.prevent_default();
        send();
    });
    form
}
