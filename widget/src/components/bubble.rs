//! The launcher: a round button in the page corner, with the count of unread replies.

use leptos::html;
use leptos::prelude::*;

use super::{flag, text, Icon};
use crate::chat::{Chat, State};
use crate::i18n::Key;

/// The newest unread reply beside the closed bubble; a click opens the chat.
#[component]
pub fn ReplyPreview(chat: Chat) -> impl IntoView {
    let preview = move || chat.with(State::reply_preview);
    view! {
        <button
            class="preview"
            type="button"
            dir="auto"
            hidden=flag(move || preview().is_none())
            on:click=move |_| chat.set_open(true)
        >
            {text(move || preview().unwrap_or_default())}
        </button>
    }
}

#[component]
pub fn Bubble(chat: Chat, #[prop(optional)] node_ref: NodeRef<html::Button>) -> impl IntoView {
    let label = move || {
        chat.with(|state| {
            let action = match (&state.launcher_title, state.open) {
                (_, true) => state.t(Key::CloseChat),
                (Some(title), false) => title.as_str(),
                (None, false) => state.t(Key::OpenChat),
            };
            match state.unread {
                0 => action.to_string(),
                unread => format!("{action} ({unread})"),
            }
        })
    };
    let badge = move || chat.with(|state| (state.unread > 0 && !state.open).then_some(state.unread));
    view! {
        <button
            class="bubble"
            type="button"
            node_ref=node_ref
            aria-label=text(label)
            aria-expanded=text(move || chat.with(|state| state.open.to_string()))
            hidden=flag(move || !chat.with(|state| state.bubble_visible))
            on:click=move |_| chat.set_open(!chat.peek(|state| state.open))
        >
            <Icon path="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z" size="28" />
            <span class="badge" aria-hidden="true" hidden=flag(move || badge().is_none())>
                {text(move || badge().map(|unread| unread.to_string()).unwrap_or_default())}
            </span>
        </button>
    }
}
