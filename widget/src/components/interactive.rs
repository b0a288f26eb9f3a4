//! Chatwoot's interactive messages: options to choose from (`input_select`), an address to
//! give (`input_email`), a form to fill in (`form`), and cards and articles with links and
//! postback buttons (`cards`, `article`). Every text is shown as text; images and links only
//! for `http(s)` addresses.

use leptos::html;
use leptos::prelude::*;
use nimchat_shared::markdown::is_web_address;
use nimchat_shared::wire::Message;
use serde_json::Value;
use wasm_bindgen::JsValue;

use super::message::{element, line_of, link};
use super::offline::email_form;
use super::{flag, say, text};
use crate::chat::Chat;
use crate::i18n::PartKey;
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

/// What a card's button does: open an `http(s)` address, or (postback) send its payload as
/// the visitor's message, as Chatwoot's widget does.
enum Action {
    Link(String, String),
    Postback(String, String),
}

/// A card: an image, a title, words and its buttons; postback buttons only while `chat` can
/// send (not in an earlier conversation). Built of the same element and link views as
/// formatted text, which cost once in the wasm.
fn card(chat: Option<Chat>, image: String, title: String, words: String, actions: Vec<Action>) -> AnyView {
    let image = is_web_address(&image).then(|| view! { <img src=image alt="" loading="lazy" /> }.into_any());
    let title = (!title.is_empty()).then(|| element("strong", title.into_any()));
    let words = (!words.is_empty()).then(|| element("p", words.into_any()));
    let actions = actions.into_iter().filter_map(move |action| match action {
        Action::Link(label, href) => is_web_address(&href).then(|| link(label, href)),
        Action::Postback(label, payload) => chat.map(|chat| {
            let shown = label.clone();
            let send = move |_| {
                chat.send(if payload.is_empty() {
                    label.clone()
                } else {
                    payload.clone()
                })
            };
            view! { <button type="button" dir="auto" on:click=send>{shown}</button> }.into_any()
        }),
    });
    let parts: Vec<AnyView> = [image, title, words].into_iter().flatten().chain(actions).collect();
    element("nimchat-card", parts.into_any())
}

/// `cards`: items of `{media_url, title, description, actions: [{type: "link", text, uri} |
/// {type: "postback", text, payload}]}`. `article`: items of `{title, description, link}`,
/// the title linking to the article.
pub fn cards(chat: Option<Chat>, message: &Message) -> impl IntoView {
    let article = message.content_type == "article";
    items(message)
        .iter()
        .map(|item| {
            if article {
                let link = Action::Link(field(item, "title"), field(item, "link"));
                return card(
                    None,
                    String::new(),
                    String::new(),
                    field(item, "description"),
                    vec![link],
                );
            }
            let actions = item
                .get("actions")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .filter_map(|action| match action.get("type").and_then(Value::as_str)? {
                    "link" => Some(Action::Link(field(action, "text"), field(action, "uri"))),
                    "postback" => Some(Action::Postback(field(action, "text"), field(action, "payload"))),
                    _ => None,
                })
                .collect();
            card(
                chat,
                field(item, "media_url"),
                field(item, "title"),
                field(item, "description"),
                actions,
            )
        })
        .collect_view()
}

/// The visitor's answers to a `form`, as "label: value" lines (a choice by its option's
/// label).
fn form_answers(message: &Message) -> Option<String> {
    let values = message.content_attributes.get("submitted_values")?.as_array()?;
    let mut answers = String::new();
    for answer in values {
        let (name, value) = (field(answer, "name"), field(answer, "value"));
        let item = items(message).iter().find(|item| field(item, "name") == name);
        let label = item.map(|item| field(item, "label")).filter(|label| !label.is_empty());
        let chosen = item
            .and_then(|item| {
                item.get("options")?
                    .as_array()?
                    .iter()
                    .find(|option| field(option, "value") == value)
            })
            .map(|option| field(option, "label"));
        if !answers.is_empty() {
            answers.push('\n');
        }
        answers.push_str(&label.unwrap_or(name));
        answers.push_str(": ");
        answers.push_str(&chosen.unwrap_or(value));
    }
    Some(answers)
}

/// `form`: items of `{name, label, type ("text", "email", "text_area" or "select" with
/// `options: [{label, value}]`), placeholder, required}`, checked by the browser and sent
/// as `submitted_values: [{name, value}]` to `on_answer` with the message's id; answered,
/// the values show in its place.
#[component]
pub fn Form<F>(chat: Chat, key: String, message: Message, on_answer: F) -> impl IntoView
where
    F: Fn(i64, JsValue) + Copy + Send + Sync + 'static,
{
    let id = message.id;
    // Empty until answered (a text signal: a memo of its own weighed 1 KB more).
    let answered = text(move || {
        chat.with(|state| line_of(state, &key).and_then(|line| form_answers(&line.message)))
            .unwrap_or_default()
    });
    let form = NodeRef::<html::Form>::new();
    let names: Vec<String> = items(&message).iter().map(|item| field(item, "name")).collect();
    let fields = items(&message)
        .iter()
        .map(|item| {
            let kind = field(item, "type");
            let (tag, kind) = match kind.as_str() {
                "text_area" => ("textarea", ""),
                "select" => ("select", ""),
                "email" => ("input", "email"),
                _ => ("input", "text"),
            };
            let options = item
                .get("options")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .map(|option| {
                    html::custom("option")
                        .attr("value", field(option, "value"))
                        .child(field(option, "label"))
                        .into_any()
                })
                .collect::<Vec<_>>();
            // One element type for every kind of field, as for formatted text.
            let control = html::custom(tag)
                .attr("name", field(item, "name"))
                .attr("type", kind)
                .attr("placeholder", field(item, "placeholder"))
                .attr(
                    "required",
                    item.get("required").and_then(Value::as_bool).unwrap_or(false),
                )
                .child(options.into_any())
                .into_any();
            let label = element("span", field(item, "label").into_any());
            element("label", vec![label, control].into_any())
        })
        .collect_view();
    let submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        let Some(form) = form.get_untracked() else { return };
        let values = js_sys::Array::new();
        for name in &names {
            let control = js_sys::Reflect::get(&form, &name.as_str().into()).unwrap_or_default();
            let value = js_sys::Reflect::get(&control, &"value".into()).unwrap_or_default();
            values.push(&object(&[("name", name.as_str().into()), ("value", value)]));
        }
        on_answer(id, values.into());
    };
    view! {
        <form class="form" node_ref=form on:submit=submit hidden=flag(move || !answered.with(String::is_empty))>
            {fields}
            <button class="primary" type="submit">{say(chat, PartKey::Submit)}</button>
        </form>
        <p class="chosen" dir="auto" hidden=flag(move || answered.with(String::is_empty))>
            {answered}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nimchat_shared::enums::MessageType;
    use serde_json::json;

    #[test]
    fn a_forms_answers_read_label_colon_value_in_the_order_answered() {
        let mut message = Message {
            id: 3,
            content: Some("Tell us".into()),
            message_type: MessageType::Template,
            content_type: "form".into(),
            content_attributes: serde_json::Map::new(),
            created_at: 0,
            conversation_id: 1,
            status: "sent".into(),
            private: false,
            sender: None,
            echo_id: None,
            attachments: Vec::new(),
            ids: Default::default(),
        };
        message.content_attributes.insert(
            "items".into(),
            json!([{"name": "email", "label": "Email", "type": "email"},
                   {"name": "size", "type": "select", "options": [{"label": "EU 43", "value": "43"}]},
                   {"name": "note", "type": "text"}]),
        );
        assert_eq!(form_answers(&message), None, "not answered yet");
        message.content_attributes.insert(
            "submitted_values".into(),
            json!([{"name": "email", "value": "vera@example.com"}, {"name": "size", "value": "43"},
                   {"name": "note", "value": "43"}]),
        );
        assert_eq!(
            form_answers(&message).as_deref(),
            Some("Email: vera@example.com\nsize: EU 43\nnote: 43"),
            "a field without a label is named by its name; a choice shows its option's label"
        );
    }
}
