//! The launcher: a round button in the page corner, with the count of unread replies.

use web_sys::Element;

use crate::chat::Chat;
use crate::dom::{add, attr, bind_attr, bind_optional_text, el, icon, on};
use crate::i18n::Key;

pub fn bubble(chat: Chat) -> Element {
    let button = el("button", "bubble");
    attr(&button, "type", "button");
    bind_attr(&button, "aria-label", move || {
        let (open, unread) = chat.with(|state| (state.open, state.unread));
        let action = chat.t(if open { Key::CloseChat } else { Key::OpenChat });
        Some(match unread {
            0 => action.to_string(),
            unread => format!("{action} ({unread})"),
        })
    });
    bind_attr(&button, "aria-expanded", move || {
        Some(chat.with(|state| state.open).to_string())
    });
    bind_attr(&button, "hidden", move || {
        (!chat.with(|state| state.bubble_visible)).then(String::new)
    });
    on(&button, "click", move |_| chat.set_open(!chat.peek(|state| state.open)));
    let badge = el("span", "badge");
    attr(&badge, "aria-hidden", "true");
    bind_optional_text(&badge, move || {
        chat.with(|state| (state.unread > 0 && !state.open).then(|| state.unread.to_string()))
    });
    add(
        &button,
        &[
            &icon("M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z", "28"),
            &badge,
        ],
    );
    button
}
