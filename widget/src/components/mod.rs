//! The widget's view: small drawing functions over the `Chat` state (see `dom`).

mod bubble;
mod csat;
mod message;
mod pre_chat;
mod window;

pub use bubble::bubble;
pub use csat::csat_card;
pub use message::{message_log, message_view};
pub use pre_chat::pre_chat_form;
pub use window::chat_window;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

use crate::chat::Chat;
use crate::dom::{add, attr, bind, bind_attr, bind_text, el, swap};
use crate::i18n::Key;
use crate::theme;

/// The widget's style sheet, adopted by its shadow root (see `crate::adopt_style`).
pub const STYLE: &str = include_str!("../style.css");

/// Keeps `element`'s text at a word in the visitor's language.
fn say(chat: Chat, element: &Element, key: Key) {
    bind_text(element, move || chat.t(key).to_string());
}

/// Keeps an attribute at a word in the visitor's language.
fn say_attr(chat: Chat, element: &Element, name: &'static str, key: Key) {
    bind_attr(element, name, move || Some(chat.t(key).to_string()));
}

/// Everything inside the shadow root: the window while open, and the bubble.
pub fn app(chat: Chat, position: &'static str) -> Element {
    let root = el("div", "nimchat");
    attr(&root, "data-position", position);
    bind_attr(&root, "dir", move || {
        Some(chat.with(|state| state.locale.dir()).to_string())
    });
    bind_attr(&root, "lang", move || {
        Some(chat.with(|state| state.locale.tag()).to_string())
    });
    bind_attr(&root, "data-scheme", move || {
        Some(chat.with(|state| state.scheme.as_str()).to_string())
    });
    // Through the CSSOM, not a `style` attribute: a host page's CSP may forbid inline styles.
    let style = root.unchecked_ref::<HtmlElement>().style();
    bind(move || {
        let color = chat.with(|state| state.inbox.as_ref().map(|inbox| inbox.widget_color.clone()));
        let _ = style.set_property("--accent", &theme::accent(&color.unwrap_or_default()));
    });
    let launcher = bubble(chat);
    let focus_on_close = launcher.clone();
    swap(
        &root,
        move || chat.with(|state| state.open).into(),
        move |open| (open == 1).then(|| chat_window(chat, focus_on_close.clone()).into()),
    );
    add(&root, &[&launcher]);
    root
}
