//! The widget's view: Leptos components over the one `Chat` state.

mod bubble;
mod csat;
mod focus;
mod interactive;
mod message;
mod offline;
mod pre_chat;
mod window;

pub use bubble::{Bubble, ReplyPreview};
pub use csat::CsatCard;
pub use interactive::{Form, Options};
pub(crate) use message::{as_typed, files, formatted, interactive, upload_progress};
pub use message::{MessageList, MessageView};
pub use offline::EmailCapture;
pub use pre_chat::PreChatForm;
pub use window::ChatWindow;

use leptos::html;
use leptos::prelude::*;

use crate::chat::Chat;
use crate::i18n::Words;
use crate::theme;

/// The widget's style sheet, adopted by its shadow root (see `crate::add_style`), as
/// `build.rs` compacts `src/style.css`.
pub const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/style.css"));

/// Reactive text: every reactive text and attribute of the widget is one of these, a boxed
/// closure of one type, so that Leptos's rendering code for it exists once in the wasm
/// instead of once per closure (BENCHMARKS.md, Weight).
fn text(read: impl Fn() -> String + Send + Sync + 'static) -> Signal<String> {
    boxed_text(Box::new(read))
}

fn boxed_text(read: Box<dyn Fn() -> String + Send + Sync>) -> Signal<String> {
    Signal::derive(read)
}

/// A reactive yes or no (boolean attributes such as `hidden`), as [`text`].
fn flag(read: impl Fn() -> bool + Send + Sync + 'static) -> Signal<bool> {
    boxed_flag(Box::new(read))
}

fn boxed_flag(read: Box<dyn Fn() -> bool + Send + Sync>) -> Signal<bool> {
    Signal::derive(read)
}

/// A word in the visitor's language, as [`text`].
fn say(chat: Chat, key: impl Words) -> Signal<String> {
    text(move || chat.t(key).to_string())
}

/// The moment of a Unix time, for the browser's `Intl`.
fn moment(unix: i64) -> js_sys::Date {
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix as f64 * 1000.0))
}

/// `hh:mm` of `moment` with the `day` parts of `Intl`'s options (a weekday, a day and
/// month), in the visitor's language and time zone.
fn local_time(moment: &js_sys::Date, locale: &str, day: &[(&str, &str)]) -> String {
    let options = crate::json::object(&[
        ("hour", "2-digit".into()),
        ("minute", "2-digit".into()),
        ("hourCycle", "h23".into()),
    ]);
    for (part, style) in day {
        let _ = js_sys::Reflect::set(&options, &(*part).into(), &(*style).into());
    }
    moment.to_locale_string(locale, &options).into()
}

/// A single-path icon, hidden from assistive technology (its button carries the name).
#[component]
fn Icon(path: &'static str, size: &'static str) -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" width=size height=size aria-hidden="true" focusable="false">
            <path fill="currentColor" d=path></path>
        </svg>
    }
}

/// Everything inside the shadow root: the window while open, and the bubble. `position`
/// (`left` or `right`) decides the corner in every language; only the window's content
/// follows the language's direction.
#[component]
pub fn App(chat: Chat, position: &'static str) -> impl IntoView {
    let bubble = NodeRef::<html::Button>::new();
    let accent = move || {
        let color = chat.with(|state| state.inbox.as_ref().map(|inbox| inbox.widget_color.clone()));
        theme::accent(&color.unwrap_or_default())
    };
    Effect::new(move || crate::page_title::show_unread(chat.with(|state| state.unread)));
    let open = Memo::new(move |_| chat.with(|state| state.open));
    view! {
        <div
            class="nimchat"
            data-position=position
            lang=text(move || chat.with(|state| state.locale.tag().to_string()))
            data-scheme=text(move || chat.with(|state| state.scheme.as_str().to_string()))
            style:--accent=text(accent)
        >
            {move || open.get().then(|| view! { <ChatWindow chat bubble /> })}
            <Bubble chat node_ref=bubble />
            <ReplyPreview chat />
        </div>
    }
}
