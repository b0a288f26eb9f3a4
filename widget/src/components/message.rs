//! Messages: text made safe (links only for http and https), sender, time, delivery, and the
//! CSAT card for surveys. Message content is only ever inserted as text.

use leptos::html;
use leptos::prelude::*;
use nimchat_shared::enums::MessageType;
use nimchat_shared::markdown::{self, is_web_address, Block, Inline};
use nimchat_shared::wire::{Attachment, Message};

use super::csat::{given_rating, CsatCard};
use super::interactive::{cards, Form, Options};
use super::{flag, local_time, moment, say, text};
use crate::chat::{Chat, Delivery, Line, State};
use crate::i18n::{Key, PartKey};
use crate::lazy::{lazy, Part};

/// `hh:mm` today; with the day and month too for older messages.
fn shown_time(unix: i64, locale: &str) -> String {
    let sent = moment(unix);
    let day: &[(&str, &str)] = match sent.to_date_string() == js_sys::Date::new_0().to_date_string() {
        true => &[],
        false => &[("day", "numeric"), ("month", "short")],
    };
    local_time(&sent, locale, day)
}

/// An element of formatted text. One element type for every tag (a custom element of Leptos
/// named at run time): Leptos's drawing code exists once in the wasm, not once per tag (a
/// `view!` per tag weighed 6 KB more).
pub(super) fn element(tag: &'static str, children: AnyView) -> AnyView {
    html::custom(tag).child(children).into_any()
}

/// A link out of the widget, to an `http(s)` address, in a new tab.
pub(super) fn link(text: String, href: String) -> AnyView {
    view! { <a href=href target="_blank" rel="noopener noreferrer nofollow">{text}</a> }.into_any()
}

fn inline_view(inline: Inline) -> AnyView {
    match inline {
        Inline::Text(words) => words.into_any(),
        Inline::Strong(words) => element("strong", words.into_any()),
        Inline::Emphasis(words) => element("em", words.into_any()),
        Inline::Code(words) => element("code", words.into_any()),
        Inline::Link { text, href } => link(text, href),
        Inline::Break => element("br", ().into_any()),
    }
}

fn inlines_view(inlines: Vec<Inline>) -> AnyView {
    inlines.into_iter().map(inline_view).collect_view().into_any()
}

/// The message text as nodes, never as HTML: an agent's or a bot's as Markdown, a
/// visitor's as typed, with `http(s)` addresses as links.
fn content_view(content: &str, formatted: bool) -> AnyView {
    match formatted {
        true => lazy(Part::Markdown(content.to_string())),
        false => as_typed(content),
    }
}

/// Text as typed, with `http(s)` addresses as links.
pub(crate) fn as_typed(content: &str) -> AnyView {
    inlines_view(markdown::links(content))
}

/// Markdown of an agent or a bot, drawn as elements (a part: `crate::lazy`).
pub(crate) fn formatted(content: &str) -> AnyView {
    markdown::parse(content)
        .into_iter()
        .map(|block| match block {
            Block::Paragraph(inlines) => element("p", inlines_view(inlines)),
            Block::List { ordered, items } => {
                let items = items.into_iter().map(|item| element("li", inlines_view(item)));
                element(if ordered { "ol" } else { "ul" }, items.collect_view().into_any())
            }
        })
        .collect_view()
        .into_any()
}

/// A file's size in the visitor's words: "12 kB", "3.4 MB".
fn file_size(attachment: &Attachment, locale: &str) -> String {
    let (amount, unit) = attachment.size_in_units();
    let options = crate::json::object(&[
        ("style", "unit".into()),
        ("unit", unit.into()),
        ("maximumFractionDigits", 1.into()),
    ]);
    let format = js_sys::Intl::NumberFormat::new(&js_sys::Array::of1(&locale.into()), &options).format();
    format
        .call1(&wasm_bindgen::JsValue::NULL, &amount.into())
        .ok()
        .and_then(|words| words.as_string())
        .unwrap_or_default()
}

/// A file of a message: an image inline (a click opens it in a new tab), another file as a
/// link with its name and size. Links only to the edge's `http(s)` addresses, or to the
/// draft's own `blob:` preview while the file is on its way.
fn attachment_view(attachment: &Attachment, locale: &str) -> AnyView {
    let safe = |address: &str| is_web_address(address) || address.starts_with("blob:");
    let href = Some(attachment.data_url.clone()).filter(|address| safe(address));
    let name = attachment.file_name.clone();
    match (attachment.file_type.as_str(), href) {
        ("image", Some(href)) => {
            let source = Some(attachment.thumb_url.clone())
                .filter(|address| safe(address))
                .unwrap_or(href.clone());
            let size = |side: Option<i64>| side.map(|pixels| pixels.to_string());
            view! {
                <a class="image" href=href target="_blank" rel="noopener noreferrer">
                    <img src=source alt=name width=size(attachment.width) height=size(attachment.height) />
                </a>
            }
            .into_any()
        }
        (_, href) => {
            let words = format!("{name} ({})", file_size(attachment, locale));
            match href {
                Some(href) => link(words, href),
                None => element("span", words.into_any()),
            }
        }
    }
}

/// A message's files (a part: `crate::lazy`).
pub(crate) fn files(files: &[Attachment], locale: &str) -> AnyView {
    files
        .iter()
        .map(|file| attachment_view(file, locale))
        .collect_view()
        .into_any()
}

pub(super) fn line_of<'a>(state: &'a State, key: &str) -> Option<&'a Line> {
    state.lines.iter().find(|line| line.key() == key)
}

/// One line of the log, drawn from the state by its key, so that a draft becomes the
/// confirmed message in place.
#[component]
pub fn MessageView(chat: Chat, line: Line) -> impl IntoView {
    let key = line.key();
    let earlier = line.delivery == Delivery::Earlier;
    let message = line.message;
    let watched = key.clone();
    let delivery = text(move || {
        let delivery = chat.with(|state| line_of(state, &watched).map_or(Delivery::Confirmed, |line| line.delivery));
        match delivery {
            Delivery::Queued => "queued",
            Delivery::Failed => "failed",
            Delivery::Confirmed => "confirmed",
            Delivery::Earlier => "earlier",
        }
        .to_string()
    });
    let watched = key.clone();
    let content =
        Memo::new(move |_| chat.with(|state| line_of(state, &watched).and_then(|line| line.message.content.clone())));
    let locale = chat.peek(|state| state.locale.tag());
    // A draft's preview gives way to the edge's link once the file is there.
    let watched = key.clone();
    let files = move || {
        chat.with(|state| {
            line_of(state, &watched).map(|line| {
                let files = line.message.attachments.clone();
                (!files.is_empty()).then(|| lazy(Part::Files(files, locale)))
            })
        })
    };
    let file_draft = message.id == 0 && !message.attachments.is_empty();
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
    let retry_key = key.clone();
    let interactive = is_interactive(&message, earlier).then(|| {
        let (key, message) = (key.clone(), Box::new(message.clone()));
        lazy(Part::Interactive {
            chat,
            key,
            message,
            earlier,
        })
    });
    view! {
        <div
            class="message"
            data-side=side
            data-delivery=delivery
        >
            {sender.map(|name| {
                // Upper case by the style sheet: Rust's case tables weigh kilobytes in the wasm.
                let initial = name.chars().next().map(String::from);
                view! {
                    <span class="avatar" aria-hidden="true">{initial}</span>
                    <span class="sender">{name}</span>
                }
            })}
            // Each message in its own direction: Arabic in an English window, and the other way.
            <div class="content" dir="auto">
                {move || content.with(|words| content_view(words.as_deref().unwrap_or_default(), side == "agent"))}
            </div>
            {files}
            {file_draft.then(|| lazy(Part::Upload { chat, key: key.clone() }))}
            {interactive}
            <time class="time">{shown_time(message.created_at, locale)}</time>
            <p class="not-sent" role="alert" hidden=flag(move || delivery.with(|delivery| delivery != "failed"))>
                {say(chat, Key::NotSent)}
                <button type="button" class="retry" on:click=move |_| chat.retry(&retry_key)>
                    {say(chat, Key::Retry)}
                </button>
            </p>
        </div>
    }
}

/// How much of a file on its way has gone (a part: `crate::lazy`).
pub(crate) fn upload_progress(chat: Chat, key: String) -> AnyView {
    let percent = text(move || {
        chat.with(|state| match &state.upload {
            Some((echo_id, percent)) if *echo_id == key => percent.to_string(),
            _ => String::new(),
        })
    });
    view! {
        <progress
            max="100"
            aria-label=say(chat, PartKey::Uploading)
            value=percent
            hidden=flag(move || percent.with(String::is_empty))
        ></progress>
    }
    .into_any()
}

/// Whether the message asks the visitor something or shows cards. An earlier
/// conversation's survey and options are not answered any more.
fn is_interactive(message: &Message, earlier: bool) -> bool {
    match message.content_type.as_str() {
        "input_csat" | "input_select" | "input_email" | "form" => !earlier,
        "cards" | "article" => true,
        _ => false,
    }
}

/// What a message asks or shows beyond its text (a part: `crate::lazy`).
pub(crate) fn interactive(chat: Chat, key: String, message: Message, earlier: bool) -> AnyView {
    match message.content_type.as_str() {
        "input_csat" => survey(chat, key, &message).into_any(),
        "input_select" | "input_email" => {
            view! { <Options chat key message=message.clone() on_choose=move |id, values| chat.answer(id, values) /> }
                .into_any()
        }
        "form" => {
            view! { <Form chat key message=message.clone() on_answer=move |id, values| chat.answer(id, values) /> }
                .into_any()
        }
        _ => cards((!earlier).then_some(chat), &message).into_any(),
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
