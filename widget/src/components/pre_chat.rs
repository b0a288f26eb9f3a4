//! The pre-chat form: what the inbox asks before the first message, when it asks anything.

use leptos::html;
use leptos::prelude::*;
use nimchat_shared::validation::{is_valid_e164, is_valid_email};
use serde_json::Value;
use wasm_bindgen::JsCast;

use super::focus::take_lost_focus;
use super::{flag, say, text};
use crate::chat::Chat;
use crate::i18n::{Key, PartKey};

/// One field of the inbox's `pre_chat_form_options.pre_chat_fields`, switched on.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The contact attribute it fills: `name`, `email` or `phone_number`.
    pub attribute: &'static str,
    pub label: PartKey,
    pub required: bool,
}

/// The enabled standard fields, in the inbox's order (Chatwoot's names).
pub fn enabled_fields(options: &Value) -> Vec<Field> {
    let fields = options
        .get("pre_chat_fields")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    fields
        .iter()
        .filter(|field| field.get("enabled").and_then(Value::as_bool).unwrap_or(false))
        .filter_map(|field| {
            let (attribute, label) = match field.get("name").and_then(Value::as_str)? {
                "fullName" => ("name", PartKey::FullName),
                "emailAddress" => ("email", PartKey::Email),
                "phoneNumber" => ("phone_number", PartKey::Phone),
                _ => return None,
            };
            let required = field.get("required").and_then(Value::as_bool).unwrap_or(false);
            Some(Field {
                attribute,
                label,
                required,
            })
        })
        .collect()
}

/// What is wrong with a field's value, if anything.
pub fn problem_of(field: &Field, value: &str) -> Option<PartKey> {
    let value = value.trim();
    match (value.is_empty(), field.attribute) {
        (true, _) if field.required => Some(PartKey::Required),
        (true, _) => None,
        (false, "email") if !is_valid_email(value) => Some(PartKey::InvalidEmail),
        (false, "phone_number") if !is_valid_e164(value) => Some(PartKey::InvalidPhone),
        _ => None,
    }
}

/// The form, in place of the composer, until the first message is sent.
#[component]
pub fn PreChatForm(chat: Chat) -> impl IntoView {
    let options = chat
        .peek(|state| state.inbox.as_ref().map(|inbox| inbox.pre_chat_form_options.clone()))
        .unwrap_or(Value::Null);
    let intro = options
        .get("pre_chat_message")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let fields = enabled_fields(&options);
    // What is wrong with each field and with the message, as found when the form was last
    // sent (shown in the visitor's language).
    let problems = RwSignal::new(vec![None::<PartKey>; fields.len() + 1]);
    let message_slot = fields.len();
    let problem = move |slot: usize| problems.with(|found| found.get(slot).copied().flatten());
    let asked = fields
        .iter()
        .enumerate()
        .map(|(slot, field)| {
            let kind = match field.attribute {
                "email" => "email",
                "phone_number" => "tel",
                _ => "text",
            };
            let label = field.label;
            let required = field.required;
            view! {
                <label>
                    <span>
                        {say(chat, label)}
                        {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
                    </span>
                    <input
                        type=kind
                        name=field.attribute
                        required=required
                        aria-invalid=text(move || problem(slot).is_some().to_string())
                    />
                    <span class="field-error" role="alert" hidden=flag(move || problem(slot).is_none())>
                        {text(move || problem(slot).map_or("", |key| chat.t(key)).to_string())}
                    </span>
                </label>
            }
        })
        .collect_view();
    let form = NodeRef::<html::Form>::new();
    form.on_load(|form| take_lost_focus(form.into()));
    let submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        let Some(form) = form.get_untracked() else { return };
        let value = |selector: &str| {
            form.query_selector(selector)
                .ok()
                .flatten()
                .and_then(|input| js_sys::Reflect::get(&input, &"value".into()).ok())
                .and_then(|value| value.as_string())
                .unwrap_or_default()
        };
        let contact = js_sys::Object::new();
        let mut found: Vec<Option<PartKey>> = fields
            .iter()
            .map(|field| {
                let entered = value(&format!("input[name={}]", field.attribute));
                if !entered.trim().is_empty() {
                    let _ = js_sys::Reflect::set(&contact, &field.attribute.into(), &entered.trim().into());
                }
                problem_of(field, &entered)
            })
            .collect();
        let first_message = value("textarea");
        found.push(first_message.trim().is_empty().then_some(PartKey::MessageRequired));
        let first_wrong = found.iter().position(Option::is_some);
        problems.set(found);
        match first_wrong {
            None => {
                chat.update_contact(contact);
                chat.send(first_message);
            }
            // The keyboard goes to what needs fixing.
            Some(slot) => {
                let selector = fields.get(slot).map_or("textarea".to_string(), |field| {
                    format!("input[name={}]", field.attribute)
                });
                if let Some(wrong) = form.query_selector(&selector).ok().flatten() {
                    let _ = wrong.unchecked_into::<web_sys::HtmlElement>().focus();
                }
            }
        }
    };
    view! {
        <form class="pre-chat" novalidate node_ref=form on:submit=submit>
            <p dir="auto">{intro}</p>
            {asked}
            <textarea
                aria-label=say(chat, Key::TypeMessage)
                placeholder=say(chat, Key::TypeMessage)
                aria-invalid=text(move || problem(message_slot).is_some().to_string())
            ></textarea>
            <span class="field-error" role="alert" hidden=flag(move || problem(message_slot).is_none())>
                {text(move || problem(message_slot).map_or("", |key| chat.t(key)).to_string())}
            </span>
            <button class="primary" type="submit">{say(chat, PartKey::StartChat)}</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn options() -> Value {
        json!({"pre_chat_message": "Hi", "pre_chat_fields": [
            {"name": "emailAddress", "enabled": true, "required": true},
            {"name": "fullName", "enabled": false},
            {"name": "phoneNumber", "enabled": true, "required": false},
            {"name": "custom", "enabled": true}
        ]})
    }

    #[test]
    fn only_enabled_standard_fields_are_asked() {
        let fields = enabled_fields(&options());
        assert_eq!(
            fields.iter().map(|f| f.attribute).collect::<Vec<_>>(),
            ["email", "phone_number"]
        );
        assert!(fields[0].required && !fields[1].required);
        assert!(enabled_fields(&Value::Null).is_empty());
    }

    #[test]
    fn values_are_checked_by_kind() {
        let fields = enabled_fields(&options());
        assert_eq!(problem_of(&fields[0], ""), Some(PartKey::Required));
        assert_eq!(problem_of(&fields[0], "nope"), Some(PartKey::InvalidEmail));
        assert_eq!(problem_of(&fields[0], "a@b.co"), None);
        assert_eq!(problem_of(&fields[1], ""), None, "optional");
        assert_eq!(problem_of(&fields[1], "0612"), Some(PartKey::InvalidPhone));
    }
}
