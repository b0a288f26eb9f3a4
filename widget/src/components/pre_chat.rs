//! The pre-chat form: what the inbox asks before the first message, when it asks anything.

use leptos::prelude::*;
use nimchat_shared::validation::{is_valid_e164, is_valid_email};
use serde_json::Value;

use crate::chat::Chat;
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

#[component]
pub fn PreChatForm(chat: Chat) -> impl IntoView {
    let t = move |key| chat.locale.get().t(key);
    let options = chat
        .inbox
        .with_untracked(|inbox| inbox.as_ref().map(|inbox| inbox.pre_chat_form_options.clone()));
    let options = options.unwrap_or(Value::Null);
    let intro = options
        .get("pre_chat_message")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let fields = enabled_fields(&options);
    let values: Vec<RwSignal<String>> = fields.iter().map(|_| RwSignal::new(String::new())).collect();
    let problems: Vec<RwSignal<Option<Key>>> = fields.iter().map(|_| RwSignal::new(None)).collect();
    let message = RwSignal::new(String::new());
    let submit = {
        let (fields, values, problems) = (fields.clone(), values.clone(), problems.clone());
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let contact = js_sys::Object::new();
            let mut valid = !message.get_untracked().trim().is_empty();
            for ((field, value), shown) in fields.iter().zip(&values).zip(&problems) {
                let value = value.get_untracked();
                let found = problem(field, &value);
                valid &= found.is_none();
                shown.set(found);
                if !value.trim().is_empty() {
                    let _ = js_sys::Reflect::set(&contact, &field.attribute.into(), &value.trim().into());
                }
            }
            if valid {
                chat.update_contact(contact);
                chat.send(message.get_untracked());
            }
        }
    };
    view! {
        <form class="pre-chat" on:submit=submit novalidate>
            <p>{intro}</p>
            {fields
                .into_iter()
                .zip(values)
                .zip(problems)
                .map(|((field, value), shown)| {
                    let kind = match field.attribute {
                        "email" => "email",
                        "phone_number" => "tel",
                        _ => "text",
                    };
                    view! {
                        <label>
                            {move || t(field.label)}
                            <input
                                type=kind
                                name=field.attribute
                                required=field.required
                                aria-invalid=move || shown.get().is_some().to_string()
                                prop:value=move || value.get()
                                on:input=move |event| value.set(event_target_value(&event))
                            />
                            {move || shown.get().map(|key| view! { <span class="field-error" role="alert">{t(key)}</span> })}
                        </label>
                    }
                })
                .collect_view()}
            <textarea
                aria-label=move || t(Key::TypeMessage)
                placeholder=move || t(Key::TypeMessage)
                prop:value=move || message.get()
                on:input=move |event| message.set(event_target_value(&event))
            ></textarea>
            <button type="submit" class="primary">{move || t(Key::StartChat)}</button>
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
        assert_eq!(problem(&fields[0], ""), Some(Key::Required));
        assert_eq!(problem(&fields[0], "nope"), Some(Key::InvalidEmail));
        assert_eq!(problem(&fields[0], "a@b.co"), None);
        assert_eq!(problem(&fields[1], ""), None, "optional");
        assert_eq!(problem(&fields[1], "0612"), Some(Key::InvalidPhone));
    }
}
