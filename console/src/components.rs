//! The console's screens: sign-in, then the conversation list beside the open conversation.

use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use nimchat_shared::enums::{ConversationStatus, MessageType};
use nimchat_shared::wire::{AgentConversation, Message, Profile};
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

use crate::api::{self, Failure, Tab};
use crate::cable;

/// The statuses the list filters by, as the API names them.
const STATUSES: [&str; 4] = ["open", "pending", "snoozed", "resolved"];

#[component]
pub fn App() -> impl IntoView {
    let token = RwSignal::new(api::stored_token());
    move || match token.get() {
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
                <h1 id="sign-in-title">"Sign in to nimchat"</h1>
                <label>
                    "E-mail"
                    <input type="email" name="email" autocomplete="username" required
                        prop:value=email on:input=move |event| email.set(event_target_value(&event))/>
                </label>
                <label>
                    "Password"
                    <input type="password" name="password" autocomplete="current-password" required
                        prop:value=password on:input=move |event| password.set(event_target_value(&event))/>
                </label>
                {move || error.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
                <button type="submit" disabled=busy>"Sign in"</button>
            </form>
        </main>
    }
}

/// What every part of a signed-in console shares.
#[derive(Clone, Copy)]
struct Session {
    token: StoredValue<String>,
    account: i64,
    /// Bumped by each `/cable` event: whatever shows stored data reads it again.
    revision: RwSignal<u32>,
    fail: Callback<Failure>,
}

impl Session {
    fn token(&self) -> String {
        self.token.get_value()
    }
}

#[component]
fn Console(token: String, signed_in: RwSignal<Option<String>>) -> impl IntoView {
    let profile = RwSignal::new(None::<Profile>);
    let error = RwSignal::new(None::<String>);
    let revision = RwSignal::new(0u32);
    let listening = StoredValue::new(None::<SendWrapper<cable::Listening>>);
    let sign_out = move || {
        api::store_token(None);
        signed_in.set(None);
    };
    let fail = Callback::new(move |failure: Failure| {
        if failure == Failure::SignedOut {
            sign_out();
        } else {
            error.set(Some(failure.explain()));
        }
    });
    {
        let token = token.clone();
        spawn_local(async move {
            match api::profile(&token).await {
                Ok(found) => {
                    if let Some(account) = found.user.accounts.first() {
                        let on_event = move || revision.update(|seen| *seen += 1);
                        let socket = cable::listen(&found.pubsub_token, account.id, found.user.person.id, on_event);
                        listening.set_value(Some(SendWrapper::new(socket)));
                    }
                    profile.set(Some(found));
                }
                Err(failure) => fail.run(failure),
            }
        });
    }
    on_cleanup(move || listening.set_value(None));
    let selected = RwSignal::new(None::<i64>);
    let conversations = RwSignal::new(Vec::<AgentConversation>::new());
    // The tab's title counts the listed conversations with unread messages.
    Effect::new(move |_| {
        let unread = conversations.with(|list| list.iter().filter(|item| item.unread_count > 0).count());
        if let Some(document) = web_sys::window().and_then(|window| window.document()) {
            document.set_title(&if unread > 0 {
                format!("({unread}) nimchat")
            } else {
                "nimchat".into()
            });
        }
    });
    let keys = window_event_listener(leptos::ev::keydown, move |event| {
        shortcut(&event, conversations, selected)
    });
    on_cleanup(move || keys.remove());
    move || {
        let found = profile.get()?;
        let Some(account) = found.user.accounts.first().cloned() else {
            return Some(view! { <p class="error" role="alert">"You are not a member of any account."</p> }.into_any());
        };
        let session = Session {
            token: StoredValue::new(token.clone()),
            account: account.id,
            revision,
            fail,
        };
        Some(
            view! {
                <div class="console">
                    <header class="top">
                        <h1>"nimchat"</h1>
                        <span class="account">{account.name}</span>
                        <span class="me">{found.user.person.available_name.clone()}</span>
                        <button type="button" on:click=move |_| sign_out()>"Sign out"</button>
                    </header>
                    {move || error.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
                    <ConversationList session conversations selected/>
                    <main class="conversation">
                        {move || match selected.get() {
                            Some(id) => view! { <ConversationView session id/> }.into_any(),
                            None => view! { <p class="placeholder">"Choose a conversation."</p> }.into_any(),
                        }}
                    </main>
                </div>
            }
            .into_any(),
        )
    }
}

/// Keyboard first: j and k move through the list, r goes to the reply box, e resolves or
/// reopens. Keys typed into a field are the field's.
fn shortcut(event: &KeyboardEvent, conversations: RwSignal<Vec<AgentConversation>>, selected: RwSignal<Option<i64>>) {
    let in_field = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|element| matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
    if in_field || event.ctrl_key() || event.meta_key() || event.alt_key() {
        return;
    }
    let element = |selector: &str| {
        web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.query_selector(selector).ok().flatten())
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    };
    match event.key().as_str() {
        key @ ("j" | "k") => {
            let ids: Vec<i64> =
                conversations.with_untracked(|list| list.iter().map(|item| item.conversation.id).collect());
            let at = selected
                .get_untracked()
                .and_then(|id| ids.iter().position(|listed| *listed == id));
            let next = match (key, at) {
                (_, None) => 0,
                ("j", Some(at)) => (at + 1).min(ids.len().saturating_sub(1)),
                (_, Some(at)) => at.saturating_sub(1),
            };
            if let Some(id) = ids.get(next) {
                event.prevent_default();
                selected.set(Some(*id));
            }
        }
        "r" => {
            if let Some(reply) = element(".reply textarea") {
                // Otherwise the key would be typed into the box it moved to.
                event.prevent_default();
                let _ = reply.focus();
            }
        }
        "e" => {
            if let Some(toggle) = element(".thread .toggle-status") {
                toggle.click();
            }
        }
        _ => {}
    }
}

#[component]
fn ConversationList(
    session: Session,
    conversations: RwSignal<Vec<AgentConversation>>,
    selected: RwSignal<Option<i64>>,
) -> impl IntoView {
    let tab = RwSignal::new(Tab::All);
    let status = RwSignal::new("open".to_string());
    // Answers can arrive out of order: one older than what shows is dropped.
    let (asked_last, shown_last) = (StoredValue::new(0u32), StoredValue::new(0u32));
    Effect::new(move |_| {
        let (tab, status, _) = (tab.get(), status.get(), session.revision.get());
        let asked = asked_last.get_value() + 1;
        asked_last.set_value(asked);
        spawn_local(async move {
            match api::conversations(&session.token(), session.account, tab, &status).await {
                Ok(found) if asked > shown_last.get_value() => {
                    shown_last.set_value(asked);
                    conversations.set(found);
                }
                Ok(_) => {}
                Err(failure) => session.fail.run(failure),
            }
        });
    });
    view! {
        <nav class="list" aria-label="Conversations">
            <div class="tabs" role="group" aria-label="Whose">
                {Tab::ALL
                    .into_iter()
                    .map(|each| {
                        view! {
                            <button type="button" aria-pressed=move || (tab.get() == each).to_string()
                                on:click=move |_| tab.set(each)>{each.label()}</button>
                        }
                    })
                    .collect_view()}
            </div>
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
        </nav>
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

#[component]
fn ConversationView(session: Session, id: i64) -> impl IntoView {
    let conversation = RwSignal::new(None::<AgentConversation>);
    let messages = RwSignal::new(Vec::<Message>::new());
    let draft = RwSignal::new(String::new());
    let private = RwSignal::new(false);
    let log = NodeRef::<html::Div>::new();
    // The newest message the agent was shown: marking it read is itself an event, so only
    // a newer one is marked.
    let seen_up_to = StoredValue::new(0i64);
    let Session {
        account,
        revision,
        fail,
        ..
    } = session;
    Effect::new(move |_| {
        revision.get();
        spawn_local(async move {
            let token = session.token();
            let shown = api::conversation(&token, account, id).await;
            let listed = api::messages(&token, account, id).await;
            match (shown, listed) {
                (Ok(shown), Ok(listed)) => {
                    let newest = listed.last().map_or(0, |message| message.id);
                    conversation.set(Some(shown));
                    messages.set(listed);
                    if newest > seen_up_to.get_value() {
                        seen_up_to.set_value(newest);
                        if let Err(failure) = api::mark_seen(&token, account, id).await {
                            fail.run(failure);
                        }
                    }
                }
                (Err(failure), _) | (_, Err(failure)) => fail.run(failure),
            }
        });
    });
    // The newest message stays in view.
    Effect::new(move |_| {
        messages.with(Vec::len);
        if let Some(log) = log.get() {
            log.set_scroll_top(log.scroll_height());
        }
    });
    let send = move || {
        let content = draft.get_untracked().trim().to_string();
        if content.is_empty() {
            return;
        }
        spawn_local(async move {
            match api::send(&session.token(), account, id, &content, private.get_untracked()).await {
                Ok(sent) => {
                    draft.set(String::new());
                    messages.update(|shown| {
                        if shown.iter().all(|message| message.id != sent.id) {
                            shown.push(sent);
                        }
                    });
                    // The list shows the last message too; the socket may say so later.
                    revision.update(|seen| *seen += 1);
                }
                Err(failure) => fail.run(failure),
            }
        });
    };
    let toggle = move |_| {
        let next = match conversation.with_untracked(|shown| shown.as_ref().map(|c| c.conversation.status)) {
            Some(ConversationStatus::Resolved) => "open",
            _ => "resolved",
        };
        spawn_local(async move {
            match api::set_status(&session.token(), account, id, next).await {
                Ok(_) => revision.update(|seen| *seen += 1),
                Err(failure) => fail.run(failure),
            }
        });
    };
    let status = move || conversation.with(|shown| shown.as_ref().map(|c| c.conversation.status));
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        send();
    };
    view! {
        <section class="thread" aria-labelledby="thread-title">
            <header>
                <h2 id="thread-title">
                    {move || conversation.with(|shown| shown.as_ref().map(|c| c.conversation.contact.name.clone()))}
                    " #"{id}
                </h2>
                <span class="status">{move || status().map(|status| status.as_str())}</span>
                <button type="button" class="toggle-status" on:click=toggle>
                    {move || if status() == Some(ConversationStatus::Resolved) { "Reopen" } else { "Resolve" }}
                </button>
            </header>
            <div class="messages" role="log" aria-live="polite" aria-label="Messages" node_ref=log>
                <For each=move || messages.get() key=|message| (message.id, message.status.clone()) let:message>
                    <MessageLine message/>
                </For>
            </div>
            <form class="reply" class:note=move || private.get() on:submit=submit>
                <label class="private">
                    <input type="checkbox" prop:checked=private on:change=move |event| private.set(event_target_checked(&event))/>
                    " Private note (the visitor never sees it)"
                </label>
                <textarea aria-label=move || if private.get() { "Private note" } else { "Reply" }
                    placeholder=move || if private.get() { "Write a note for your team" } else { "Write a reply" }
                    prop:value=draft on:input=move |event| draft.set(event_target_value(&event))
                    on:keydown=move |event| {
                        if event.key() == "Enter" && (event.ctrl_key() || event.meta_key()) {
                            event.prevent_default();
                            send();
                        }
                    }></textarea>
                <button type="submit">{move || if private.get() { "Add note" } else { "Send" }}</button>
            </form>
        </section>
    }
}

#[component]
fn MessageLine(message: Message) -> impl IntoView {
    let kind = match (message.message_type, message.private) {
        (_, true) => "note",
        (MessageType::Incoming, _) => "visitor",
        (MessageType::Activity, _) => "activity",
        _ => "agent",
    };
    let sender = message.sender.as_ref().map(|sender| sender.name.clone());
    view! {
        <article class=format!("message {kind}")>
            {(kind == "note").then(|| view! { <span class="tag">"Private note"</span> })}
            {sender.filter(|_| kind != "activity").map(|name| view! { <span class="sender">{name}</span> })}
            <p>{message.content.unwrap_or_default()}</p>
        </article>
    }
}
