//! Labels and canned responses: short texts the team reuses.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use serde_json::json;

use super::DeleteButton;
use crate::fields::TextField;
use crate::i18n::{fill, t, Key};
use crate::shell::Session;

#[component]
pub fn Labels(session: Session) -> impl IntoView {
    let labels = session.loaded(|client| async move { client.labels().await });
    let (title, color, description) = (
        RwSignal::new(String::new()),
        RwSignal::new("#1f5fd1".to_string()),
        RwSignal::new(String::new()),
    );
    let add = move |event: SubmitEvent| {
        event.prevent_default();
        let body = json!({"title": title.get_untracked(), "color": color.get_untracked(),
                          "description": description.get_untracked()});
        title.set(String::new());
        description.set(String::new());
        session.apply(async move { session.client().post::<serde_json::Value>("/labels", &body).await });
    };
    view! {
        <h2>{t(Key::Labels)}</h2>
        <ul class="rows">
            <For each=move || labels.get() key=|label| (label.id, label.title.clone(), label.color.clone()) let:label>
                {
                    let id = label.id;
                    view! {
                        <li>
                            <span class="swatch" style=format!("background: {}", label.color)></span>
                            <strong>{label.title.clone()}</strong>
                            <span class="muted">{label.description.clone().unwrap_or_default()}</span>
                            <DeleteButton what=label.title session path=format!("/labels/{id}")/>
                        </li>
                    }
                }
            </For>
        </ul>
        <form class="add" on:submit=add aria-label=t(Key::NewLabel)>
            <TextField label=Key::Title value=title/>
            <TextField label=Key::Colour value=color kind="color"/>
            <TextField label=Key::Description value=description/>
            <button type="submit">{t(Key::AddLabel)}</button>
        </form>
    }
}

#[component]
pub fn CannedResponses(session: Session) -> impl IntoView {
    let responses = session.loaded(|client| async move { client.canned_responses("").await });
    let (short_code, content) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    // The response being changed; `None` while the form adds one.
    let changing = RwSignal::new(None::<i64>);
    let add = move |event: SubmitEvent| {
        event.prevent_default();
        let body = json!({"short_code": short_code.get_untracked(), "content": content.get_untracked()});
        short_code.set(String::new());
        content.set(String::new());
        let id = changing.get_untracked();
        changing.set(None);
        session.apply(async move {
            let client = session.client();
            match id {
                Some(id) => client.patch(&format!("/canned_responses/{id}"), &body).await,
                None => client.post::<serde_json::Value>("/canned_responses", &body).await,
            }
        });
    };
    view! {
        <h2>{t(Key::CannedResponses)}</h2>
        <p class="muted">{t(Key::ShortCodeHelp)}</p>
        <ul class="rows">
            <For each=move || responses.get() key=|each| (each.id, each.short_code.clone(), each.content.clone()) let:each>
                {
                    let id = each.id;
                    view! {
                        <li>
                            <strong>"/"{each.short_code.clone()}</strong>
                            <span>{each.content.clone()}</span>
                            <button type="button" class="edit" aria-label=fill(Key::EditNamed, &[&format!("/{}", each.short_code)])
                                on:click={
                                    let (code, text) = (each.short_code.clone(), each.content.clone());
                                    move |_| {
                                        short_code.set(code.clone());
                                        content.set(text.clone());
                                        changing.set(Some(id));
                                    }
                                }>{t(Key::Edit)}</button>
                            <DeleteButton what=format!("/{}", each.short_code) session path=format!("/canned_responses/{id}")/>
                        </li>
                    }
                }
            </For>
        </ul>
        <form class="add" on:submit=add aria-label=t(Key::NewCanned)>
            <TextField label=Key::ShortCode value=short_code/>
            <TextField label=Key::Content value=content/>
            <button type="submit">{move || t(if changing.get().is_some() { Key::Save } else { Key::AddCanned })}</button>
        </form>
    }
}
