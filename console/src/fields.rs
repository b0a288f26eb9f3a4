//! Form fields bound to signals, for the settings and the contact's panel.

use leptos::prelude::*;

use crate::i18n::{t, Key};

/// A text field bound to a signal.
#[component]
pub fn TextField(label: Key, value: RwSignal<String>, #[prop(optional)] kind: Option<&'static str>) -> impl IntoView {
    view! {
        <label class="field">
            {t(label)}
            <input type=kind.unwrap_or("text") prop:value=value on:input=move |event| value.set(event_target_value(&event))/>
        </label>
    }
}

/// A checkbox bound to a signal.
#[component]
pub fn Toggle(label: Key, value: RwSignal<bool>) -> impl IntoView {
    view! {
        <label class="toggle">
            <input type="checkbox" prop:checked=value on:change=move |event| value.set(event_target_checked(&event))/>
            " "{t(label)}
        </label>
    }
}
