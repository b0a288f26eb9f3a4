//! The launcher: a round button in the page corner, with the count of unread replies.

use leptos::html::Button;
use leptos::prelude::*;

use crate::chat::Chat;
use crate::i18n::Key;

#[component]
pub fn Bubble(chat: Chat, node: NodeRef<Button>) -> impl IntoView {
    let label = move || {
        let locale = chat.locale.get();
        let action = locale.t(if chat.open.get() { Key::CloseChat } else { Key::OpenChat });
        match chat.unread.get() {
            0 => action.to_string(),
            unread => format!("{action} ({unread})"),
        }
    };
    view! {
        <button
            type="button"
            class="bubble"
            node_ref=node
            aria-label=label
            aria-expanded=move || chat.open.get().to_string()
            on:click=move |_| chat.set_open(!chat.open.get_untracked())
        >
            <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
                <path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z" />
            </svg>
            <Show when=move || { chat.unread.get() > 0 && !chat.open.get() }>
                <span class="badge" aria-hidden="true">{move || chat.unread.get()}</span>
            </Show>
        </button>
    }
}
