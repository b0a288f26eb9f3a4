//! The pre-chat form: what the inbox asks before the first message, when it asks anything.

use std::cell::Cell;
use std::rc::Rc;

use nimchat_shared::validation::{is_valid_e164, is_valid_email};
use reactive_graph::signal::ArcTrigger;
use reactive_graph::traits::{Notify, Track};
use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};

use super::{say, say_attr};
use crate::chat::Chat;
use crate::dom::{add, attr, bind_optional_text, el, on, text};
use crate::i18n::Key;

/// One field of the inbox's `pre_chat_form_options.pre_chat_fields`, switched on.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The contact attribute it fills: `name`, `email` or `phone_number`.
    pub attribute: &'static str,
    pub label: Key,
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
                "fullName" => ("name", Key::FullName),
                "emailAddress" => ("email", Key::Email),
                "phoneNumber" => ("phone_number", Key::Phone),
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
pub fn problem(field: &Field, value: &str) -> Option<Key> {
    let value = value.trim();
    match (value.is_empty(), field.attribute) {
        (true, _) if field.required => Some(Key::Required),
        (true, _) => None,
        (false, "email") if !is_valid_email(value) => Some(Key::InvalidEmail),
        (false, "phone_number") if !is_valid_e164(value) => Some(Key::InvalidPhone),
        _ => None,
    }
}

/// What is wrong with a field, as found when the form was last sent.
type Problem = Rc<Cell<Option<Key>>>;

/// The form, in place of the composer, until the first message is sent.
pub fn pre_chat_form(chat: Chat) -> Element {
    let options = chat
        .peek(|state| state.inbox.as_ref().map(|inbox| inbox.pre_chat_form_options.clone()))
        .unwrap_or(Value::Null);
    let intro = options
        .get("pre_chat_message")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let form = el("form", "pre-chat");
    attr(&form, "novalidate", "");
    add(&form, &[&text("p", "", intro)]);
    // Each field with its input and what is wrong with it, shown in the visitor's language
    // (redrawn when the form is checked, or the language changes).
    let checked = ArcTrigger::new();
    let mut asked: Vec<(Field, HtmlInputElement, Problem)> = Vec::new();
    for field in enabled_fields(&options) {
        let label = el("label", "");
        let caption = el("span", "");
        say(chat, &caption, field.label);
        let input = el("input", "");
        let kind = match field.attribute {
            "email" => "email",
            "phone_number" => "tel",
            _ => "text",
        };
        attr(&input, "type", kind);
        attr(&input, "name", field.attribute);
        if field.required {
            attr(&input, "required", "");
        }
        attr(&input, "aria-invalid", "false");
        let found: Problem = Rc::default();
        let problem_shown = el("span", "field-error");
        attr(&problem_shown, "role", "alert");
        let (checked, shown) = (checked.clone(), found.clone());
        bind_optional_text(&problem_shown, move || {
            checked.track();
            Some(chat.t(shown.get()?).to_string())
        });
        add(&label, &[&caption, &input, &problem_shown]);
        add(&form, &[&label]);
        asked.push((field, input.unchecked_into(), found));
    }
    let message = el("textarea", "");
    say_attr(chat, &message, "aria-label", Key::TypeMessage);
    say_attr(chat, &message, "placeholder", Key::TypeMessage);
    let start = el("button", "primary");
    attr(&start, "type", "submit");
    say(chat, &start, Key::StartChat);
    add(&form, &[&message, &start]);
    let message: HtmlTextAreaElement = message.unchecked_into();
    on(&form, "submit", move |event| {
        event.prevent_default();
        let contact = js_sys::Object::new();
        let first_message = message.value();
        let mut valid = !first_message.trim().is_empty();
        for (field, input, shown) in &asked {
            let value = input.value();
            let found = problem(field, &value);
            valid &= found.is_none();
            attr(input, "aria-invalid", &found.is_some().to_string());
            shown.set(found);
            if !value.trim().is_empty() {
                let _ = js_sys::Reflect::set(&contact, &field.attribute.into(), &value.trim().into());
            }
        }
        checked.notify();
        if valid {
            chat.update_contact(contact);
            chat.send(first_message);
        }
    });
    form
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
        assert_eq!(problem(&fields[0], ""), Some(Key::Required));
        assert_eq!(problem(&fields[0], "nope"), Some(Key::InvalidEmail));
        assert_eq!(problem(&fields[0], "a@b.co"), None);
        assert_eq!(problem(&fields[1], ""), None, "optional");
        assert_eq!(problem(&fields[1], "0612"), Some(Key::InvalidPhone));
    }
}
