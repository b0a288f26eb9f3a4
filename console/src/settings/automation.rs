//! Automation rules (contract 7.3): the account's rules, switched on or off, and a new rule
//! of one condition and one action (longer rules come through the API).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use serde_json::{json, Value};

use super::DeleteButton;
use crate::fields::TextField;
use crate::i18n::{t, Key};
use crate::shell::Session;

const EVENTS: [&str; 5] = [
    "conversation_created",
    "conversation_updated",
    "conversation_opened",
    "conversation_resolved",
    "message_created",
];
const ATTRIBUTES: [&str; 8] = [
    "content",
    "message_type",
    "status",
    "inbox_id",
    "priority",
    "labels",
    "email",
    "phone_number",
];
const OPERATORS: [&str; 6] = [
    "equal_to",
    "not_equal_to",
    "contains",
    "does_not_contain",
    "is_present",
    "is_not_present",
];
const ACTIONS: [&str; 11] = [
    "add_label",
    "remove_label",
    "assign_agent",
    "assign_team",
    "change_priority",
    "send_message",
    "add_private_note",
    "send_webhook_event",
    "resolve_conversation",
    "open_conversation",
    "snooze_conversation",
];

/// A `<select>` of names, bound to a signal.
#[component]
fn Choice(label: Key, names: &'static [&'static str], value: RwSignal<String>) -> impl IntoView {
    view! {
        <label class="field">
            {t(label)}
            <select on:change=move |event| value.set(event_target_value(&event))>
                {names.iter().map(|&name| view! { <option value=name selected=move || value.get() == name>{name}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// A rule's conditions or actions as one line of text.
fn summary(rule: &Value) -> String {
    let conditions: Vec<String> = rule["conditions"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|c| {
                    format!(
                        "{} {} {}",
                        c["attribute_key"].as_str().unwrap_or_default(),
                        c["filter_operator"].as_str().unwrap_or_default(),
                        c["values"]
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let actions: Vec<String> = rule["actions"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|a| {
                    format!(
                        "{} {}",
                        a["action_name"].as_str().unwrap_or_default(),
                        a["action_params"]
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    format!("{} → {}", conditions.join(", "), actions.join(", "))
}

#[component]
pub fn Automation(session: Session) -> impl IntoView {
    let rules = session.loaded(|client| async move {
        #[derive(serde::Deserialize)]
        struct Listed {
            payload: Vec<Value>,
        }
        Ok(client.get::<Listed>("/automation_rules").await?.payload)
    });
    let name = RwSignal::new(String::new());
    let event_name = RwSignal::new(EVENTS[0].to_string());
    let attribute = RwSignal::new("content".to_string());
    let operator = RwSignal::new("contains".to_string());
    let value = RwSignal::new(String::new());
    let action = RwSignal::new("add_label".to_string());
    let parameter = RwSignal::new(String::new());
    let add = move |event: SubmitEvent| {
        event.prevent_default();
        let parameter = parameter.get_untracked();
        let body = json!({
            "name": name.get_untracked(), "event_name": event_name.get_untracked(),
            "conditions": [{"attribute_key": attribute.get_untracked(), "filter_operator": operator.get_untracked(),
                            "values": [value.get_untracked()], "query_operator": null}],
            "actions": [{"action_name": action.get_untracked(),
                         "action_params": if parameter.is_empty() { json!([]) } else { json!([parameter]) }}],
        });
        name.set(String::new());
        session.apply(async move { session.client().post::<Value>("/automation_rules", &body).await });
    };
    view! {
        <h2>{t(Key::Automation)}</h2>
        <ul class="rows">
            <For each=move || rules.get() key=|rule| rule.to_string() let:rule>
                {
                    let id = rule["id"].as_i64().unwrap_or_default();
                    let title = rule["name"].as_str().unwrap_or_default().to_string();
                    let active = rule["active"] == true;
                    view! {
                        <li>
                            <label class="toggle">
                                <input type="checkbox" prop:checked=active on:change=move |event| {
                                    let on = event_target_checked(&event);
                                    session.apply(async move {
                                        session.client().patch(&format!("/automation_rules/{id}"), &json!({ "active": on })).await
                                    });
                                }/>
                                " "<strong>{title.clone()}</strong>
                            </label>
                            <span class="muted">{rule["event_name"].as_str().unwrap_or_default().to_string()}</span>
                            <span>{summary(&rule)}</span>
                            <DeleteButton what=title session path=format!("/automation_rules/{id}")/>
                        </li>
                    }
                }
            </For>
        </ul>
        <form class="add" on:submit=add aria-label=t(Key::NewRule)>
            <TextField label=Key::Name value=name/>
            <Choice label=Key::Event names=&EVENTS value=event_name/>
            <Choice label=Key::Condition names=&ATTRIBUTES value=attribute/>
            <Choice label=Key::Operator names=&OPERATORS value=operator/>
            <TextField label=Key::Value value=value/>
            <Choice label=Key::Action names=&ACTIONS value=action/>
            <TextField label=Key::ActionValue value=parameter/>
            <button type="submit">{t(Key::AddRule)}</button>
        </form>
    }
}
