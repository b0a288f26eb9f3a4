//! The launcher: a round button in the page corner that opens and closes the chat.

use leptos::prelude::*;

/// A `<button>` whose accessible name and `aria-expanded` follow `open`; a click flips it.
#[component]
pub fn Bubble(open: RwSignal<bool>) -> impl IntoView {
    let label = move || {
        if open.get() {
            "Close chat"
        } else {
            "Open chat"
        }
    };
    view! {
        <button
            type="button"
            class="nimchat-bubble"
            aria-label=label
            aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|open| *open = !*open)
        >
            <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
                <path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/>
            </svg>
        </button>
    }
}
