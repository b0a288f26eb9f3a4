//! The way in: the stored token opens the console, else the sign-in form.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::i18n::{self, t, Key};
use crate::shell::Console;

#[component]
pub fn App() -> impl IntoView {
    let token = RwSignal::new(api::stored_token());
    let language = RwSignal::new(i18n::locale());
    provide_context(language);
    move || match (language.track(), token.get()).1 {
        None => view! { <SignIn token/> }.into_any(),
        Some(value) => view! { <Console token=value signed_in=token/> }.into_any(),
    }
}

#[component]
fn SignIn(token: RwSignal<Option<String>>) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match api::sign_in(&email.get_untracked(), &password.get_untracked()).await {
                Ok(profile) => {
                    api::store_token(profile.user.access_token.as_deref());
                    token.set(profile.user.access_token);
                }
                Err(failure) => error.set(Some(failure.explain())),
            }
            busy.set(false);
        });
    };
    view! {
        <main class="sign-in">
            <form on:submit=submit aria-labelledby="sign-in-title">
                <h1 id="sign-in-title">{t(Key::SignInTitle)}</h1>
                <label>
                    {t(Key::Email)}
                    <input type="email" name="email" autocomplete="username" required
                        prop:value=email on:input=move |event| email.set(event_target_value(&event))/>
                </label>
                <label>
                    {t(Key::Password)}
                    <input type="password" name="password" autocomplete="current-password" required
                        prop:value=password on:input=move |event| password.set(event_target_value(&event))/>
                </label>
                {move || error.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
                <button type="submit" disabled=busy>{t(Key::SignIn)}</button>
            </form>
        </main>
    }
}
