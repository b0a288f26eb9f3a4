//! One message: text made safe (links only for http and https), sender, time, and the CSAT
//! card for surveys. Message content is only ever inserted as text.

use leptos::prelude::*;
use nimchat_shared::enums::MessageType;

use super::CsatCard;
use crate::chat::{Chat, Line};
use crate::text::{segments, Segment};

/// `hh:mm` in the visitor's time zone.
fn clock_time(unix: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix as f64 * 1000.0));
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

#[component]
pub fn MessageView(chat: Chat, line: Line) -> impl IntoView {
    let message = line.message;
    let side = if message.message_type == MessageType::Incoming {
        "visitor"
    } else {
        "agent"
    };
    let sender = message.sender.clone().filter(|_| side == "agent");
    let content = message.content.clone().unwrap_or_default();
    let survey = (message.content_type == "input_csat").then(|| message.clone());
    let parts = segments(&content)
        .into_iter()
        .map(|segment| match segment {
            Segment::Text(text) => text.into_any(),
            Segment::Link(href) => {
                let shown = href.clone();
                view! { <a href=href target="_blank" rel="noopener noreferrer nofollow">{shown}</a> }.into_any()
            }
        })
        .collect_view();
    view! {
        <div class="message" data-side=side data-pending=line.pending.to_string()>
            {sender.map(|sender| {
                let name = sender.available_name.clone().unwrap_or(sender.name.clone());
                let initial = name.chars().next().map(|c| c.to_ascii_uppercase().to_string()).unwrap_or_default();
                view! {
                    <span class="avatar" aria-hidden="true">{initial}</span>
                    <span class="sender">{name}</span>
                }
            })}
            <p class="content">{parts}</p>
            <time class="time">{clock_time(message.created_at)}</time>
            {survey.map(|survey| {
                let on_answer = Callback::new(move |(id, response)| chat.rate(id, response));
                view! { <CsatCard message=survey locale=chat.locale on_answer=on_answer /> }
            })}
        </div>
    }
}
