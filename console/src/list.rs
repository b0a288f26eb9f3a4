//! The conversation list with Chatwoot's tabs and status filter, and the queue of
//! conversations waiting for an agent (contract 5.3) with "Take".

use leptos::prelude::*;
use leptos::task::spawn_local;
use nimchat_shared::wire::{AgentConversation, Inquiry};

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

    fn label(self) -> &'static str {
        match self {
            Tab::Mine => "Mine",
            Tab::Unassigned => "Unassigned",
            Tab::All => "All",
            Tab::Queue => "Queue",
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
    let queue = RwSignal::new(Vec::<Inquiry>::new());
    // Answers can arrive out of order: one older than what shows is dropped.
    let (asked_last, shown_last) = (StoredValue::new(0u32), StoredValue::new(0u32));
    Effect::new(move |_| {
        let (status, _) = (status.get(), session.revision.get());
        let Some(assignee_type) = tab.get().assignee_type() else {
            return;
        };
        let asked = asked_last.get_value() + 1;
        asked_last.set_value(asked);
        spawn_local(async move {
            match session.client().conversations(assignee_type, &status).await {
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
        Tab::Queue => format!("Queue ({})", queue.with(Vec::len)),
        _ => each.label().to_string(),
    };
    let took = move |id: i64| {
        tab.set(Tab::Mine);
        selected.set(Some(id));
    };
    view! {
        <nav class="list" aria-label="Conversations">
            <div class="tabs" role="group" aria-label="Whose">
                {Tab::ALL
                    .into_iter()
                    .map(|each| {
                        view! {
                            <button type="button" class=format!("tab-{}", each.label().to_lowercase())
                                aria-pressed=move || (tab.get() == each).to_string()
                                on:click=move |_| tab.set(each)>{move || tab_label(each)}</button>
                        }
                    })
                    .collect_view()}
            </div>
            {move || if tab.get() == Tab::Queue {
                view! { <QueueList session queue took/> }.into_any()
            } else {
                view! { <Conversations conversations selected status/> }.into_any()
            }}
        </nav>
    }
}

#[component]
fn Conversations(
    conversations: RwSignal<Vec<AgentConversation>>,
    selected: RwSignal<Option<i64>>,
    status: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label class="status">
            "Status "
            <select on:change=move |event| status.set(event_target_value(&event))>
                {STATUSES
                    .into_iter()
                    .map(|each| view! { <option value=each selected=move || status.get() == each>{each}</option> })
                    .collect_view()}
            </select>
        </label>
        <ul>
            <For each=move || conversations.get() key=shown_as let:item>
                <ConversationItem item selected/>
            </For>
        </ul>
        {move || conversations.with(Vec::is_empty).then(|| view! { <p class="placeholder">"No conversations here."</p> })}
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
                <span class="name">{item.conversation.contact.name.clone()}</span>
                <span class="id">"#"{id}</span>
                {(unread > 0).then(|| view! { <span class="unread" aria-label=format!("{unread} unread")>{unread}</span> })}
                <span class="last">{last}</span>
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
                    let waiting = format!("Waiting since {}", local_time(&inquiry.ts));
                    let (name, rid) = (inquiry.name.clone(), inquiry.rid.clone());
                    view! {
                        <li class="inquiry">
                            <span class="name">{name.clone()}</span>
                            <span class="id">"#"{rid}</span>
                            <span class="last">{waiting}</span>
                            <button type="button" class="take" aria-label=format!("Take the conversation with {name}")
                                on:click=move |_| take(inquiry.clone())>"Take"</button>
                        </li>
                    }
                }
            </For>
        </ul>
        {move || queue.with(Vec::is_empty).then(|| view! { <p class="placeholder">"Nobody is waiting."</p> })}
    }
}

/// An ISO-8601 time as the agent's clock shows it (hours and minutes).
fn local_time(iso: &str) -> String {
    let date = js_sys::Date::new(&iso.into());
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"hour".into(), &"2-digit".into());
    let _ = js_sys::Reflect::set(&options, &"minute".into(), &"2-digit".into());
    date.to_locale_time_string_with_options("default", &options)
        .as_string()
        .unwrap_or_default()
}
