//! The conversation list with Chatwoot's tabs and status filter, and the queue of
//! conversations waiting for an agent (contract 5.3) with "Take".

use leptos::prelude::*;
use leptos::task::spawn_local;
use nimchat_shared::wire::{AgentConversation, Inquiry};

use crate::api::ListQuery;
use crate::i18n::{self, fill, status_name, t, Key};
use crate::shell::Session;

/// The statuses the list filters by, as the API names them.
const STATUSES: [&str; 4] = ["open", "pending", "snoozed", "resolved"];

/// What the list shows: Chatwoot's tabs, then the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Mine,
    Unassigned,
    All,
    Queue,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Mine, Tab::Unassigned, Tab::All, Tab::Queue];

    /// The conversations' `assignee_type`; the queue is not a conversation list.
    fn assignee_type(self) -> Option<&'static str> {
        match self {
            Tab::Mine => Some("me"),
            Tab::Unassigned => Some("unassigned"),
            Tab::All => Some("all"),
            Tab::Queue => None,
        }
    }

    /// The tab's class, for styles and tests: `tab-queue`.
    fn class(self) -> &'static str {
        match self {
            Tab::Mine => "tab-mine",
            Tab::Unassigned => "tab-unassigned",
            Tab::All => "tab-all",
            Tab::Queue => "tab-queue",
        }
    }
}

#[component]
pub fn ConversationList(
    session: Session,
    conversations: RwSignal<Vec<AgentConversation>>,
    selected: RwSignal<Option<i64>>,
) -> impl IntoView {
    let tab = RwSignal::new(Tab::All);
    let status = RwSignal::new("open".to_string());
    let filters = Filters {
        inbox: RwSignal::new(None),
        team: RwSignal::new(None),
        label: RwSignal::new(None),
    };
    let queue = RwSignal::new(Vec::<Inquiry>::new());
    // Answers can arrive out of order: one older than what shows is dropped.
    let (asked_last, shown_last) = (StoredValue::new(0u32), StoredValue::new(0u32));
    Effect::new(move |_| {
        session.revision.track();
        let Some(assignee_type) = tab.get().assignee_type() else {
            return;
        };
        let query = ListQuery {
            assignee_type,
            status: status.get(),
            inbox: filters.inbox.get(),
            team: filters.team.get(),
            label: filters.label.get(),
        };
        let asked = asked_last.get_value() + 1;
        asked_last.set_value(asked);
        spawn_local(async move {
            match session.client().conversations(&query).await {
                Ok(found) if asked > shown_last.get_value() => {
                    shown_last.set_value(asked);
                    conversations.set(found);
                }
                Ok(_) => {}
                Err(failure) => session.fail.run(failure),
            }
        });
    });
    // The queue's length shows on its tab, so it is read whatever the tab.
    Effect::new(move |_| {
        session.revision.get();
        spawn_local(async move {
            match session.client().inquiries().await {
                Ok(found) => queue.set(found),
                Err(failure) => session.fail.run(failure),
            }
        });
    });
    let tab_label = move |each: Tab| match each {
        Tab::Mine => t(Key::Mine).to_string(),
        Tab::Unassigned => t(Key::Unassigned).to_string(),
        Tab::All => t(Key::All).to_string(),
        Tab::Queue => fill(Key::Queue, &[&queue.with(Vec::len).to_string()]),
    };
    let took = move |id: i64| {
        tab.set(Tab::Mine);
        selected.set(Some(id));
    };
    view! {
        <nav class="list" aria-label=t(Key::Conversations)>
            <div class="tabs" role="group" aria-label=t(Key::Whose)>
                {Tab::ALL
                    .into_iter()
                    .map(|each| {
                        view! {
                            <button type="button" class=each.class()
                                aria-pressed=move || (tab.get() == each).to_string()
                                on:click=move |_| tab.set(each)>{move || tab_label(each)}</button>
                        }
                    })
                    .collect_view()}
            </div>
            {move || if tab.get() == Tab::Queue {
                view! { <QueueList session queue took/> }.into_any()
            } else {
                view! { <Conversations session conversations selected status filters/> }.into_any()
            }}
        </nav>
    }
}

/// The list's narrowing beyond its tab and status: an inbox id, a team id, a label title.
#[derive(Clone, Copy)]
struct Filters {
    inbox: RwSignal<Option<String>>,
    team: RwSignal<Option<String>>,
    label: RwSignal<Option<String>>,
}

/// One filter: "any", or one of `choices` (`(value, name)`).
#[component]
fn Filter(
    label: Key,
    class: &'static str,
    choices: Signal<Vec<(String, String)>>,
    chosen: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <label>
            {t(label)}
            <select class=class on:change=move |event| {
                let value = event_target_value(&event);
                chosen.set((!value.is_empty()).then_some(value));
            }>
                <option value="">{t(Key::Any)}</option>
                {move || choices.get().into_iter().map(|(value, name)| {
                    let selected = chosen.get_untracked().as_deref() == Some(value.as_str());
                    view! { <option value=value selected=selected>{name}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

#[component]
fn Conversations(
    session: Session,
    conversations: RwSignal<Vec<AgentConversation>>,
    selected: RwSignal<Option<i64>>,
    status: RwSignal<String>,
    filters: Filters,
) -> impl IntoView {
    let inboxes = session.loaded_once(|client| async move { client.inboxes().await });
    let teams = session.loaded_once(|client| async move { client.teams().await });
    let labels = session.loaded_once(|client| async move { client.labels().await });
    view! {
        <div class="filters">
            <label class="status">
                {t(Key::Status)}
                <select on:change=move |event| status.set(event_target_value(&event))>
                    {STATUSES
                        .into_iter()
                        .map(|each| view! { <option value=each selected=move || status.get() == each>{status_name(each)}</option> })
                        .collect_view()}
                </select>
            </label>
            <Filter label=Key::Inbox class="inbox-filter" chosen=filters.inbox
                choices=Signal::derive(move || inboxes.get().into_iter().map(|each| (each.id.to_string(), each.name)).collect())/>
            <Filter label=Key::Team class="team-filter" chosen=filters.team
                choices=Signal::derive(move || teams.get().into_iter().map(|each| (each.id.to_string(), each.name)).collect())/>
            <Filter label=Key::Label class="label-filter" chosen=filters.label
                choices=Signal::derive(move || labels.get().into_iter().map(|each| (each.title.clone(), each.title)).collect())/>
        </div>
        <ul>
            <For each=move || conversations.get() key=shown_as let:item>
                <ConversationItem item selected/>
            </For>
        </ul>
        {move || conversations.with(Vec::is_empty).then(|| view! { <p class="placeholder">{t(Key::NoConversations)}</p> })}
    }
}

/// What a list item shows changes its key, so that it is drawn again.
fn shown_as(item: &AgentConversation) -> (i64, i64, i64, Option<i64>) {
    let last = item.conversation.messages.last().map(|message| message.id);
    (item.conversation.id, item.timestamp, item.unread_count, last)
}

#[component]
fn ConversationItem(item: AgentConversation, selected: RwSignal<Option<i64>>) -> impl IntoView {
    let id = item.conversation.id;
    let last = item
        .conversation
        .messages
        .last()
        .and_then(|message| message.content.clone())
        .unwrap_or_default();
    let unread = item.unread_count;
    view! {
        <li>
            <button type="button" class="item" aria-current=move || (selected.get() == Some(id)).then_some("true")
                on:click=move |_| selected.set(Some(id))>
                <span class="name" dir="auto">{item.conversation.contact.name.clone()}</span>
                <span class="id">"#"{id}</span>
                {(unread > 0).then(|| view! { <span class="unread" aria-label=fill(Key::Unread, &[&unread.to_string()])>{unread}</span> })}
                <span class="last" dir="auto">{last}</span>
            </button>
        </li>
    }
}

/// The conversations waiting for an agent, oldest first; "Take" makes one the agent's.
#[component]
fn QueueList(
    session: Session,
    queue: RwSignal<Vec<Inquiry>>,
    took: impl Fn(i64) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let take = move |inquiry: Inquiry| {
        spawn_local(async move {
            match session.client().take(&inquiry.id).await {
                Ok(_) => {
                    session.changed();
                    if let Ok(id) = inquiry.rid.parse() {
                        took(id);
                    }
                }
                Err(failure) => {
                    session.changed();
                    session.fail.run(failure);
                }
            }
        });
    };
    view! {
        <ul class="queue">
            <For each=move || queue.get() key=|inquiry| (inquiry.id.clone(), inquiry.ts.clone()) let:inquiry>
                {
                    let waiting = fill(Key::WaitingSince, &[&local_time(&inquiry.ts)]);
                    let (name, rid) = (inquiry.name.clone(), inquiry.rid.clone());
                    view! {
                        <li class="inquiry">
                            <span class="name">{name.clone()}</span>
                            <span class="id">"#"{rid}</span>
                            <span class="last">{waiting}</span>
                            <button type="button" class="take" aria-label=fill(Key::TakeWith, &[&name])
                                on:click=move |_| take(inquiry.clone())>{t(Key::Take)}</button>
                        </li>
                    }
                }
            </For>
        </ul>
        {move || queue.with(Vec::is_empty).then(|| view! { <p class="placeholder">{t(Key::NobodyWaiting)}</p> })}
    }
}

/// An ISO-8601 time as the agent's clock shows it (hours and minutes).
fn local_time(iso: &str) -> String {
    let date = js_sys::Date::new(&iso.into());
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"hour".into(), &"2-digit".into());
    let _ = js_sys::Reflect::set(&options, &"minute".into(), &"2-digit".into());
    date.to_locale_time_string_with_options(i18n::locale().tag(), &options)
        .as_string()
        .unwrap_or_default()
}
