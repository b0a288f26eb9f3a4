//! Messages: text made safe (links only for http and https), sender, time, and the CSAT card
//! for surveys. Message content is only ever inserted as text.

use nimchat_shared::enums::MessageType;
use web_sys::{Element, Node};

use super::csat_card;
use crate::chat::{Chat, Line};
use crate::dom::{add, attr, bind, current_owner, el, text, text_node, Drawn};
use crate::text::{segments, Segment};

/// `hh:mm` in the visitor's time zone.
fn clock_time(unix: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix as f64 * 1000.0));
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

pub fn message_view(chat: Chat, line: &Line) -> Element {
    let message = &line.message;
    let side = if message.message_type == MessageType::Incoming {
        "visitor"
    } else {
        "agent"
    };
    let view = el("div", "message");
    attr(&view, "data-side", side);
    attr(&view, "data-pending", &line.pending.to_string());
    if let Some(sender) = message.sender.as_ref().filter(|_| side == "agent") {
        let name = sender.available_name.clone().unwrap_or(sender.name.clone());
        let initial = name
            .chars()
            .next()
            .map(|c| c.to_ascii_uppercase().to_string())
            .unwrap_or_default();
        let avatar = text("span", "avatar", &initial);
        attr(&avatar, "aria-hidden", "true");
        add(&view, &[&avatar, &text("span", "sender", &name)]);
    }
    let content = el("p", "content");
    // Each message in its own direction: Arabic in an English window, and the other way.
    attr(&content, "dir", "auto");
    for segment in segments(message.content.as_deref().unwrap_or_default()) {
        let part: Node = match segment {
            Segment::Text(words) => text_node(&words),
            Segment::Link(href) => {
                let link = text("a", "", &href);
                attr(&link, "href", &href);
                attr(&link, "target", "_blank");
                attr(&link, "rel", "noopener noreferrer nofollow");
                link.into()
            }
        };
        add(&content, &[&part]);
    }
    add(
        &view,
        &[&content, &text("time", "time", &clock_time(message.created_at))],
    );
    if message.content_type == "input_csat" {
        add(
            &view,
            &[&csat_card(chat, message, move |id, response| chat.rate(id, response))],
        );
    }
    view
}

/// What makes a drawn message out of date: it was confirmed, or its survey answered.
type LineKey = (i64, Option<String>, usize);

fn line_key(line: &Line) -> LineKey {
    (
        line.message.id,
        line.message.echo_id.clone(),
        line.message.content_attributes.len(),
    )
}

/// Keeps the messages drawn in `log`, in order, before `end`: a message is drawn once and
/// kept while its key stays, so a live region announces only what is new.
pub fn message_log(chat: Chat, log: &Element, end: &Node) {
    let (log, end) = (log.clone(), end.clone());
    let owner = current_owner();
    let mut shown: Vec<(LineKey, Drawn)> = Vec::new();
    bind(move || {
        let keys: Vec<LineKey> = chat.with(|state| state.lines.iter().map(line_key).collect());
        if keys.len() == shown.len() && keys.iter().zip(&shown).all(|(key, (drawn, _))| key == drawn) {
            return;
        }
        let mut old = std::mem::take(&mut shown);
        // The node that should come next, as the messages are walked in order.
        let mut cursor = log.first_child();
        for (index, key) in keys.into_iter().enumerate() {
            let drawn = match old.iter().position(|(drawn, _)| *drawn == key) {
                Some(at) => old.swap_remove(at).1,
                None => {
                    let line = chat.peek(|state| state.lines[index].clone());
                    Drawn::new(&owner, || message_view(chat, &line).into())
                }
            };
            if cursor.as_ref() == Some(&drawn.node) {
                cursor = drawn.node.next_sibling();
            } else {
                let _ = log.insert_before(&drawn.node, Some(cursor.as_ref().unwrap_or(&end)));
            }
            shown.push((key, drawn));
        }
        old.into_iter().for_each(|(_, drawn)| drawn.remove());
    });
}
