//! Messages: text made safe (links only for http and https), sender, time, delivery, and the
//! CSAT card for surveys. Message content is only ever inserted as text.

use leptos::prelude::*;
use nimchat_shared::enums::MessageType;
use nimchat_shared::wire::Message;

use super::csat::{given_rating, CsatCard};
use super::{flag, say, text};
use crate::chat::{Chat, Delivery, Line, State};
use crate::i18n::Key;
use crate::text::{segments, Segment};

/// `hh:mm` today; with the day and month before, for older messages (in the visitor's
/// language and time zone).
fn shown_time(unix: i64, locale: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix as f64 * 1000.0));
    let clock = format!("{:02}:{:02}", date.get_hours(), date.get_minutes());
    if date.to_date_string() == js_sys::Date::new_0().to_date_string() {
        return clock;
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"day".into(), &"numeric".into());
    let _ = js_sys::Reflect::set(&options, &"month".into(), &"short".into());
    let day: String = date.to_locale_date_string(locale, &options).into();
    format!("{day} {clock}")
}

/// The message text as nodes: text, and links for `http(s)` addresses.
fn content_view(content: &str) -> impl IntoView {
    segments(content)
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(words) => words.into_any(),
            Segment::Link(href) => {
                let shown = href.clone();
                view! { <a href=href target="_blank" rel="noopener noreferrer nofollow">{shown}</a> }.into_any()
            }
        })
        .collect_view()
}

fn line_of<'a>(state: &'a State, key: &str) -> Option<&'a Line> {
    state.lines.iter().find(|line| line.key() == key)
}

/// One line of the log, drawn from the state by its key, so that a draft becomes the
/// confirmed message in place.
#[component]
pub fn MessageView(chat: Chat, line: Line) -> impl IntoView {
    let key = line.key();
    let message = line.message;
    let watched = key.clone();
    let delivery = text(move || {
        let delivery = chat.with(|state| line_of(state, &watched).map_or(Delivery::Confirmed, |line| line.delivery));
        match delivery {
            Delivery::Queued => "queued",
            Delivery::Failed => "failed",
            Delivery::Confirmed => "confirmed",
        }
        .to_string()
    });
    let watched = key.clone();
    let content =
        Memo::new(move |_| chat.with(|state| line_of(state, &watched).and_then(|line| line.message.content.clone())));
    let side = if message.message_type == MessageType::Incoming {
        "visitor"
    } else {
        "agent"
    };
    let sender = message
        .sender
        .as_ref()
        .filter(|_| side == "agent")
        .map(|sender| sender.available_name.clone().unwrap_or(sender.name.clone()));
    let locale = chat.peek(|state| state.locale.tag());
    let retry_key = key.clone();
    view! {
        <div
            class="message"
            data-side=side
            data-delivery=delivery
        >
            {sender.map(|name| {
                let initial = name.chars().next().map(|c| c.to_uppercase().collect::<String>());
                view! {
                    <span class="avatar" aria-hidden="true">{initial}</span>
                    <span class="sender">{name}</span>
                }
            })}
            // Each message in its own direction: Arabic in an English window, and the other way.
            <p class="content" dir="auto">
                {move || content.with(|words| content_view(words.as_deref().unwrap_or_default()))}
            </p>
            <time class="time">{shown_time(message.created_at, locale)}</time>
            <p class="not-sent" role="alert" hidden=flag(move || delivery.with(|delivery| delivery != "failed"))>
                {say(chat, Key::NotSent)}
                <button type="button" class="retry" on:click=move |_| chat.retry(&retry_key)>
                    {say(chat, Key::Retry)}
                </button>
            </p>
            {(message.content_type == "input_csat").then(|| survey(chat, key, &message))}
        </div>
    }
}

/// A CSAT survey's card, which turns into thanks once answered.
fn survey(chat: Chat, key: String, message: &Message) -> impl IntoView {
    let rated = Memo::new(move |_| {
        chat.with(|state| {
            line_of(state, &key)
                .and_then(|line| given_rating(&line.message))
                .is_some()
        })
    });
    view! { <CsatCard chat id=message.id answered=rated on_answer=move |id, response| chat.rate(id, response) /> }
}

/// The messages in order, each drawn once and kept while it stays (a live region announces
/// only what is new).
#[component]
pub fn MessageList(chat: Chat) -> impl IntoView {
    view! {
        <For each=move || chat.with(|state| state.lines.clone()) key=Line::key let:line>
            <MessageView chat line />
        </For>
    }
}
