//! The settings screens: inboxes, agents, teams, labels and canned responses, webhooks and
//! reports. Agents see only the canned responses, which they may write (as in Chatwoot).

mod automation;
mod inboxes;
mod people;
mod reports;
mod webhooks;
mod words;

use leptos::prelude::*;

use crate::i18n::{fill, t, Key};
use crate::shell::Session;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Inboxes,
    Agents,
    Teams,
    Labels,
    CannedResponses,
    Webhooks,
    Automation,
    Reports,
}

impl Section {
    const ADMINISTRATORS: [Section; 8] = [
        Section::Inboxes,
        Section::Agents,
        Section::Teams,
        Section::Labels,
        Section::CannedResponses,
        Section::Webhooks,
        Section::Automation,
        Section::Reports,
    ];

    fn title(self) -> &'static str {
        t(self.key())
    }

    fn key(self) -> Key {
        match self {
            Section::Inboxes => Key::Inboxes,
            Section::Agents => Key::Agents,
            Section::Teams => Key::Teams,
            Section::Labels => Key::Labels,
            Section::CannedResponses => Key::CannedResponses,
            Section::Webhooks => Key::Webhooks,
            Section::Automation => Key::Automation,
            Section::Reports => Key::Reports,
        }
    }
}

#[component]
pub fn Settings(session: Session) -> impl IntoView {
    let sections: &[Section] = if session.admin {
        &Section::ADMINISTRATORS
    } else {
        &[Section::CannedResponses]
    };
    let shown = RwSignal::new(sections[0]);
    view! {
        <div class="settings-page">
            <nav class="sections" aria-label=t(Key::Settings)>
                {sections.iter().map(|&each| view! {
                    <button type="button" aria-current=move || (shown.get() == each).then_some("page")
                        on:click=move |_| shown.set(each)>{each.title()}</button>
                }).collect_view()}
            </nav>
            <main class="section" aria-label=move || shown.get().title()>
                {move || match shown.get() {
                    Section::Inboxes => view! { <inboxes::Inboxes session/> }.into_any(),
                    Section::Agents => view! { <people::Agents session/> }.into_any(),
                    Section::Teams => view! { <people::Teams session/> }.into_any(),
                    Section::Labels => view! { <words::Labels session/> }.into_any(),
                    Section::CannedResponses => view! { <words::CannedResponses session/> }.into_any(),
                    Section::Webhooks => view! { <webhooks::Webhooks session/> }.into_any(),
                    Section::Automation => view! { <automation::Automation session/> }.into_any(),
                    Section::Reports => view! { <reports::Reports session/> }.into_any(),
                }}
            </main>
        </div>
    }
}

/// A row's delete button, named after what it deletes; it deletes `path` in the account.
#[component]
fn DeleteButton(session: Session, what: String, path: String) -> impl IntoView {
    let delete = move |_| {
        let path = path.clone();
        session.apply(async move { session.client().delete(&path).await });
    };
    view! {
        <button type="button" class="delete" aria-label=fill(Key::DeleteNamed, &[&what]) on:click=delete>{t(Key::Delete)}</button>
    }
}
