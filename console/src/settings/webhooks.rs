//! Webhooks (contract 7.1): where the account's events are sent, and which.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use serde_json::{json, Value};

use super::DeleteButton;
use crate::fields::TextField;
use crate::i18n::{t, Key};
use crate::shell::Session;

/// The events a webhook may subscribe to, as the edge names them.
const EVENTS: [&str; 10] = [
    "conversation_created",
    "conversation_status_changed",
    "conversation_updated",
    "conversation_resolved",
    "message_created",
    "message_updated",
    "contact_created",
    "contact_updated",
    "webwidget_triggered",
    "conversation_typing_on",
];

#[component]
pub fn Webhooks(session: Session) -> impl IntoView {
    let webhooks = session.loaded(|client| async move { client.get::<Vec<Value>>("/webhooks").await });
    let url = RwSignal::new(String::new());
    let chosen = RwSignal::new(vec!["conversation_created", "message_created"]);
    let add = move |event: SubmitEvent| {
        event.prevent_default();
        let body = json!({"url": url.get_untracked(), "subscriptions": chosen.get_untracked()});
        url.set(String::new());
        session.apply(async move { session.client().post::<Value>("/webhooks", &body).await });
    };
    view! {
        <h2>{t(Key::Webhooks)}</h2>
        <p class="muted">{t(Key::WebhooksHelp)}</p>
        <ul class="rows">
            <For each=move || webhooks.get() key=|hook| hook.to_string() let:hook>
                {
                    let id = hook["id"].as_i64().unwrap_or_default();
                    let target = hook["url"].as_str().unwrap_or_default().to_string();
                    let events: Vec<&str> = hook["subscriptions"].as_array().map(|all| all.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
                    view! {
                        <li>
                            <strong class="url">{target.clone()}</strong>
                            <span class="muted">{events.join(", ")}</span>
                            <DeleteButton what=target session path=format!("/webhooks/{id}")/>
                        </li>
                    }
                }
            </For>
        </ul>
        <form class="add" on:submit=add aria-label=t(Key::NewWebhook)>
            <TextField label=Key::Url value=url kind="url"/>
            <fieldset class="events">
                <legend>{t(Key::Events)}</legend>
                {EVENTS.into_iter().map(|name| view! {
                    <label class="toggle">
                        <input type="checkbox" prop:checked=move || chosen.with(|all| all.contains(&name))
                            on:change=move |event| {
                                let on = event_target_checked(&event);
                                chosen.update(|all| {
                                    all.retain(|each| *each != name);
                                    if on {
                                        all.push(name);
                                    }
                                });
                            }/>
                        " "{name}
                    </label>
                }).collect_view()}
            </fieldset>
            <button type="submit">{t(Key::AddWebhook)}</button>
        </form>
    }
}
