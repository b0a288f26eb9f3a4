//! Chatwoot's interactive messages: options to choose from (`input_select`), an address to
//! give (`input_email`), and cards and articles with links (`cards`, `article`). Every text is shown as text; images and links
//! only for `http(s)` addresses.

use leptos::html;
use leptos::prelude::*;
use nimchat_shared::markdown::is_web_address;
use nimchat_shared::wire::Message;
use serde_json::Value;
use wasm_bindgen::JsValue;

use super::message::{element, line_of, link};
use super::offline::email_form;
use super::{flag, text};
use crate::chat::Chat;
use crate::json::object;

/// The `items` of a message's `content_attributes`.
fn items(message: &Message) -> &[Value] {
    message
        .content_attributes
        .get("items")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn field(item: &Value, key: &str) -> String {
    item.get(key).and_then(Value::as_str).unwrap_or_default().to_string()
}

/// The title of the option already chosen, if any.
pub fn chosen(message: &Message) -> Option<String> {
    let values = message.content_attributes.get("submitted_values")?.as_array()?;
    Some(field(values.first()?, "title"))
}

/// The options as buttons (or, for `input_email`, an address to give) until one is chosen,
/// then the choice as the visitor's answer, which takes the focus from the options.
/// `on_choose` gets the message's id and its `submitted_values`.
#[component]
pub fn Options<F>(chat: Chat, key: String, message: Message, on_choose: F) -> impl IntoView
where
    F: Fn(i64, JsValue) + Copy + Send + Sync + 'static,
{
    let id = message.id;
    let answer = NodeRef::<html::P>::new();
    let chosen_here = StoredValue::new(false);
    let choice = Memo::new(move |_| chat.with(|state| line_of(state, &key).and_then(|line| chosen(&line.message))));
    // The options are hidden, not removed, once answered: the focus on the chosen button
    // moves on to the answer by hand, once the answer is drawn.
    Effect::new(move || {
        if choice.with(Option::is_some) && chosen_here.get_value() {
            leptos::task::spawn_local(async move {
                gloo_timers::future::TimeoutFuture::new(0).await;
                if let Some(answer) = answer.try_get_untracked().flatten() {
                    let _ = answer.focus();
                }
            });
        }
    });
    // `input_email` asks for an address, which also goes on the visitor's contact.
    let email = (message.content_type == "input_email").then(|| {
        let answer = move |email: String| {
            chosen_here.set_value(true);
            let fields = [
                ("name", "email".into()),
                ("title", email.as_str().into()),
                ("value", email.as_str().into()),
            ];
            on_choose(id, js_sys::Array::of1(&object(&fields)).into());
            chat.leave_email(email);
        };
        email_form(chat, flag(move || choice.with(Option::is_some)), Box::new(answer))
    });
    let buttons = items(&message)
        .iter()
        .map(|item| {
            let (title, value) = (field(item, "title"), field(item, "value"));
            let shown = title.clone();
            let choose = move |_| {
                chosen_here.set_value(true);
                let option = object(&[("title", title.as_str().into()), ("value", value.as_str().into())]);
                on_choose(id, js_sys::Array::of1(&option).into());
            };
            view! { <button type="button" dir="auto" on:click=choose>{shown}</button> }
        })
        .collect_view();
    view! {
        <div class="options" role="group" hidden=flag(move || choice.with(Option::is_some))>{buttons}</div>
        {email}
        <p class="chosen" dir="auto" tabindex="-1" node_ref=answer hidden=flag(move || choice.with(Option::is_none))>
            {text(move || choice.get().unwrap_or_default())}
        </p>
    }
}

/// A card: an image, a title, words and link buttons (postback buttons are not offered).
/// Built of the same element and link views as formatted text, which cost once in the wasm.
fn card(image: String, title: String, words: String, links: Vec<(String, String)>) -> AnyView {
    let image = is_web_address(&image).then(|| view! { <img src=image alt="" loading="lazy" /> }.into_any());
    let title = (!title.is_empty()).then(|| element("strong", title.into_any()));
    let words = (!words.is_empty()).then(|| element("p", words.into_any()));
    let links = links
        .into_iter()
        .filter(|(_, href)| is_web_address(href))
        .map(|(label, href)| link(label, href));
    let parts: Vec<AnyView> = [image, title, words].into_iter().flatten().chain(links).collect();
    element("nimchat-card", parts.into_any())
}

/// `cards`: items of `{media_url, title, description, actions: [{type: "link", text, uri}]}`.
/// `article`: items of `{title, description, link}`, the title linking to the article.
pub fn cards(message: &Message) -> impl IntoView {
    let article = message.content_type == "article";
    items(message)
        .iter()
        .map(|item| {
            if article {
                let link = (field(item, "title"), field(item, "link"));
                return card(String::new(), String::new(), field(item, "description"), vec![link]);
            }
            let links = item
                .get("actions")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .filter(|action| action.get("type").and_then(Value::as_str) == Some("link"))
                .map(|action| (field(action, "text"), field(action, "uri")))
                .collect();
            card(
                field(item, "media_url"),
                field(item, "title"),
                field(item, "description"),
                links,
            )
        })
        .collect_view()
}
