//! The chat window: who answers, the conversation, and the composer.

use leptos::html::{Button, Section};
use leptos::prelude::*;
use nimchat_shared::enums::ReplyTime;
use wasm_bindgen::JsCast;

use super::{MessageView, PreChatForm};
use crate::chat::Chat;
use crate::i18n::Key;

#[component]
pub fn ChatWindow(chat: Chat, bubble: NodeRef<Button>) -> impl IntoView {
    let window: NodeRef<Section> = NodeRef::new();
    let t = move |key| chat.locale.get().t(key);
    let inbox_name = move || {
        chat.inbox
            .with(|inbox| inbox.as_ref().map(|inbox| inbox.name.clone()).unwrap_or_default())
    };
    let online = move || {
        chat.inbox
            .with(|inbox| inbox.as_ref().is_some_and(|inbox| inbox.online))
    };
    let status = move || {
        let reply = match chat.inbox.with(|inbox| inbox.as_ref().map(|inbox| inbox.reply_time)) {
            Some(ReplyTime::InAFewHours) => Key::ReplyInHours,
            Some(ReplyTime::InADay) => Key::ReplyInADay,
            _ => Key::ReplyInMinutes,
        };
        format!(
            "{} · {}",
            t(if online() { Key::Online } else { Key::Offline }),
            t(reply)
        )
    };
    let text = move |pick: fn(&nimchat_shared::wire::PublicInbox) -> Option<String>| {
        move || chat.inbox.with(|inbox| inbox.as_ref().and_then(pick))
    };
    let welcome_title = text(|inbox| inbox.welcome_title.clone());
    let welcome_tagline = text(|inbox| inbox.welcome_tagline.clone());
    let away_message = move || text(|inbox| inbox.out_of_office_message.clone())().filter(|_| !online());

    let close = move || {
        chat.set_open(false);
        if let Some(button) = bubble.get_untracked() {
            let _ = button.focus();
        }
    };
    // Escape closes; Tab stays inside the window while it is open.
    let on_keydown = move |event: leptos::ev::KeyboardEvent| match event.key().as_str() {
        "Escape" => close(),
        "Tab" => {
            let Some(section) = window.get_untracked() else { return };
            let Ok(focusables) = section.query_selector_all("button:not([disabled]), textarea, a[href]") else {
                return;
            };
            let first = focusables.get(0);
            let last = focusables.get(focusables.length().saturating_sub(1));
            let active = section
                .get_root_node()
                .unchecked_into::<web_sys::ShadowRoot>()
                .active_element();
            let wrap_to = match (event.shift_key(), active) {
                (true, Some(active))
                    if first
                        .as_ref()
                        .is_some_and(|first| first == active.unchecked_ref::<web_sys::Node>()) =>
                {
                    last
                }
                (false, Some(active))
                    if last
                        .as_ref()
                        .is_some_and(|last| last == active.unchecked_ref::<web_sys::Node>()) =>
                {
                    first
                }
                _ => None,
            };
            if let Some(target) = wrap_to.and_then(|node| node.dyn_into::<web_sys::HtmlElement>().ok()) {
                event.prevent_default();
                let _ = target.focus();
            }
        }
        _ => {}
    };

    view! {
        <section class="window" role="dialog" aria-label=inbox_name node_ref=window on:keydown=on_keydown>
            <header>
                <div>
                    <h2>{inbox_name}</h2>
                    <p class="welcome">{welcome_title}</p>
                    <p class="tagline">{welcome_tagline}</p>
                    <p class="status" data-online=move || online().to_string()>{status}</p>
                </div>
                <button type="button" class="close" aria-label=move || t(Key::CloseChat) on:click=move |_| close()>
                    "×"
                </button>
            </header>
            {move || away_message().map(|message| view! { <p class="away">{message}</p> })}
            {move || {
                chat.queue_position().map(|place| {
                    let text = t(Key::QueuePosition).replace("{n}", &place.to_string());
                    view! { <p class="queue" role="status">{text}</p> }
                })
            }}
            <div class="log" role="log" aria-live="polite" aria-label=move || t(Key::Conversation)>
                <For
                    each=move || chat.lines.get()
                    key=|line| (line.message.id, line.message.echo_id.clone(), line.message.content_attributes.len())
                    children=move |line| view! { <MessageView chat=chat line=line /> }
                />
                {move || chat.agent_typing.get().map(|name| view! { <p class="typing">{name} " " {t(Key::Typing)}</p> })}
            </div>
            {move || chat.error.get().map(|key| view! { <p class="error" role="alert">{t(key)}</p> })}
            {move || {
                if chat.is_resolved() {
                    view! { <Resolved chat=chat /> }.into_any()
                } else if chat.needs_pre_chat() {
                    view! { <PreChatForm chat=chat /> }.into_any()
                } else {
                    view! { <Composer chat=chat /> }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn Resolved(chat: Chat) -> impl IntoView {
    let t = move |key| chat.locale.get().t(key);
    view! {
        <div class="resolved">
            <p>{move || t(Key::Resolved)}</p>
            <button type="button" class="primary" on:click=move |_| chat.start_new_conversation()>
                {move || t(Key::StartNew)}
            </button>
        </div>
    }
}

/// Enter sends; Shift+Enter is a new line.
#[component]
fn Composer(chat: Chat) -> impl IntoView {
    let draft = RwSignal::new(String::new());
    let typing = RwSignal::new(false);
    let t = move |key| chat.locale.get().t(key);
    let send = move || {
        let content = draft.get_untracked();
        if content.trim().is_empty() {
            return;
        }
        draft.set(String::new());
        if typing.get_untracked() {
            typing.set(false);
            chat.typing(false);
        }
        chat.send(content);
    };
    view! {
        <form class="composer" on:submit=move |event| { event.prevent_default(); send(); }>
            <textarea
                rows="1"
                aria-label=move || t(Key::TypeMessage)
                placeholder=move || t(Key::TypeMessage)
                prop:value=move || draft.get()
                on:input=move |event| {
                    draft.set(event_target_value(&event));
                    if !typing.get_untracked() {
                        typing.set(true);
                        chat.typing(true);
                    }
                }
                on:keydown=move |event: leptos::ev::KeyboardEvent| {
                    if event.key() == "Enter" && !event.shift_key() {
                        event.prevent_default();
                        send();
                    }
                }
            ></textarea>
            <button type="submit" class="send" aria-label=move || t(Key::Send)>
                <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
                    <path fill="currentColor" d="M3 20l18-8L3 4v6l12 2-12 2z" />
                </svg>
            </button>
        </form>
    }
}
