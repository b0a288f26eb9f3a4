//! The widget's view: small components over the `Chat` state.

mod bubble;
mod csat;
mod message;
mod pre_chat;
mod window;

pub use bubble::Bubble;
pub use csat::CsatCard;
pub use message::MessageView;
pub use pre_chat::PreChatForm;
pub use window::ChatWindow;

use leptos::html::Button;
use leptos::prelude::*;

use crate::chat::Chat;
use crate::theme;

/// The widget's style sheet, inside its shadow root.
pub(crate) const STYLE: &str = include_str!("../style.css");

/// Everything inside the shadow root: styles, the window and the bubble.
#[component]
pub fn App(chat: Chat, #[prop(default = "right")] position: &'static str) -> impl IntoView {
    let bubble: NodeRef<Button> = NodeRef::new();
    let accent = move || {
        let color = chat
            .inbox
            .with(|inbox| inbox.as_ref().map(|inbox| inbox.widget_color.clone()));
        format!("--accent: {}", theme::accent(&color.unwrap_or_default()))
    };
    view! {
        <div
            class="nimchat"
            dir=move || chat.locale.get().dir()
            lang=move || chat.locale.get().tag()
            data-scheme=move || chat.scheme.get().as_str()
            data-position=position
            style=accent
        >
            <style>{STYLE}</style>
            <Show when=move || chat.open.get()>
                <ChatWindow chat=chat bubble=bubble />
            </Show>
            <Show when=move || chat.bubble_visible.get()>
                <Bubble chat=chat node=bubble />
            </Show>
        </div>
    }
}
