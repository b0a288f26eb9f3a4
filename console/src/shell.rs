//! The signed-in console: the header, the list beside the open conversation, what `/cable`
//! says, and the keyboard.

use std::future::Future;

use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use nimchat_shared::enums::{Availability, Role};
use nimchat_shared::locale::Locale;
use nimchat_shared::wire::{AgentConversation, ChatSessionEntity, Profile};
use send_wrapper::SendWrapper;
use serde_json::Value;
use wasm_bindgen::JsCast;

use crate::api::{self, Client, Failure, ListQuery};
use crate::conversation::ConversationView;
use crate::i18n::{fill, t, Key};
use crate::list::ConversationList;
use crate::settings::Settings;
use crate::{cable, i18n, notify};

/// What every part of a signed-in console shares.
#[derive(Clone, Copy)]
pub struct Session {
    client: StoredValue<Client>,
    /// The signed-in user's id.
    pub me: i64,
    /// Whether they administer the account (the settings beyond canned responses).
    pub admin: bool,
    /// Bumped by each `/cable` event that changes stored data: whatever shows it reads again.
    pub revision: RwSignal<u32>,
    /// Who is typing where (visitors, and colleagues on notes or replies), as `/cable` says.
    pub typing: RwSignal<Vec<Typist>>,
    pub fail: Callback<Failure>,
}

impl Session {
    pub fn client(&self) -> Client {
        self.client.get_value()
    }

    /// Stored data changed here: read it again (the socket may say so later).
    pub fn changed(&self) {
        self.revision.update(|seen| *seen += 1);
    }

    /// Runs a change, then has everything read again (or says why it failed).
    pub fn apply<T: 'static>(self, call: impl Future<Output = Result<T, Failure>> + 'static) {
        spawn_local(async move {
            match call.await {
                Ok(_) => self.changed(),
                Err(failure) => self.fail.run(failure),
            }
        });
    }

    /// A list read from the edge, and again after every change.
    pub fn loaded<T, Found>(self, fetch: impl Fn(Client) -> Found + 'static) -> RwSignal<Vec<T>>
    where
        T: Send + Sync + 'static,
        Found: Future<Output = Result<Vec<T>, Failure>> + 'static,
    {
        self.load(fetch, true)
    }

    /// A list read from the edge once, for choices that events do not change (the list's
    /// filters; they are read again when the list is drawn again).
    pub fn loaded_once<T, Found>(self, fetch: impl Fn(Client) -> Found + 'static) -> RwSignal<Vec<T>>
    where
        T: Send + Sync + 'static,
        Found: Future<Output = Result<Vec<T>, Failure>> + 'static,
    {
        self.load(fetch, false)
    }

    fn load<T, Found>(self, fetch: impl Fn(Client) -> Found + 'static, after_every_change: bool) -> RwSignal<Vec<T>>
    where
        T: Send + Sync + 'static,
        Found: Future<Output = Result<Vec<T>, Failure>> + 'static,
    {
        let items = RwSignal::new(Vec::new());
        Effect::new(move |_| {
            if after_every_change {
                self.revision.track();
            }
            let found = fetch(self.client());
            spawn_local(async move {
                match found.await {
                    Ok(found) => items.set(found),
                    Err(failure) => self.fail.run(failure),
                }
            });
        });
        items
    }
}

/// What the console shows below its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Page {
    Conversations,
    Settings,
}

/// Someone typing in a conversation: a visitor (`contact`) or another agent (`user`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typist {
    pub conversation: i64,
    kind: String,
    id: i64,
    pub name: String,
}

impl Typist {
    fn from_event(data: &Value) -> Option<Typist> {
        let user = &data["user"];
        Some(Typist {
            conversation: data["conversation"]["id"].as_i64()?,
            kind: user["type"].as_str()?.to_string(),
            id: user["id"].as_i64()?,
            name: user["name"].as_str().unwrap_or_default().to_string(),
        })
    }
}

/// What a `/cable` event means here: transfers asked of this agent are listed, typing shows
/// where it happens (never one's own), and anything else that changes stored data has it read
/// again. Presence changes nothing shown.
fn heard(message: &Value, me: i64, asked: RwSignal<Vec<ChatSessionEntity>>, typing: RwSignal<Vec<Typist>>) -> bool {
    let data = &message["data"];
    match message["event"].as_str().unwrap_or_default() {
        "conversation.transfer_requested" => {
            if let Ok(session) = serde_json::from_value(data.clone()) {
                asked.update(|shown| shown.push(session));
            }
            true
        }
        event @ ("conversation.typing_on" | "conversation.typing_off") => {
            if let Some(typist) = Typist::from_event(data).filter(|typist| !(typist.kind == "user" && typist.id == me))
            {
                typing.update(|typists| {
                    typists.retain(|each| *each != typist);
                    if event == "conversation.typing_on" {
                        typists.push(typist);
                    }
                });
            }
            false
        }
        "conversation.created" => {
            let from = data["meta"]["sender"]["name"]
                .as_str()
                .or(data["contact"]["name"].as_str());
            notify::alert(t(Key::NewConversation), from.unwrap_or_default());
            true
        }
        "message.created" => {
            if data["message_type"] == 0 && data["private"] != true {
                let from = data["sender"]["name"].as_str().unwrap_or_default();
                notify::alert(from, data["content"].as_str().unwrap_or_default());
            }
            // A visitor's message ends their typing.
            if let Some(conversation) = data["conversation_id"].as_i64() {
                typing.update(|typists| {
                    typists.retain(|each| each.conversation != conversation || each.kind != "contact")
                });
            }
            true
        }
        "presence.update" => false,
        _ => true,
    }
}

#[component]
pub fn Console(token: String, signed_in: RwSignal<Option<String>>) -> impl IntoView {
    let profile = RwSignal::new(None::<Profile>);
    let error = RwSignal::new(None::<String>);
    let revision = RwSignal::new(0u32);
    let typing = RwSignal::new(Vec::<Typist>::new());
    // Transfers asked of this agent while the console is open, newest last.
    let asked = RwSignal::new(Vec::<ChatSessionEntity>::new());
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
                        let me = found.user.person.id;
                        let on_event = move |message: &Value| {
                            if heard(message, me, asked, typing) {
                                revision.update(|seen| *seen += 1);
                            }
                        };
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
    let page = RwSignal::new(Page::Conversations);
    let conversations = RwSignal::new(Vec::<AgentConversation>::new());
    // The tab's title counts the open conversations with unread messages, whatever the list
    // shows (among the 25 most recently active: those a visitor has just written in).
    {
        let token = token.clone();
        Effect::new(move |_| {
            revision.track();
            let Some(account) =
                profile.with(|found| found.as_ref().and_then(|f| f.user.accounts.first().map(|a| a.id)))
            else {
                return;
            };
            let client = Client {
                token: token.clone(),
                account,
            };
            spawn_local(async move {
                let all_open = ListQuery {
                    assignee_type: "all",
                    status: "open".into(),
                    inbox: None,
                    team: None,
                    label: None,
                };
                if let Ok(found) = client.conversations(&all_open).await {
                    show_unread_in_title(found.iter().filter(|item| item.unread_count > 0).count());
                }
            });
        });
    }
    let keys = window_event_listener(leptos::ev::keydown, move |event| {
        shortcut(&event, conversations, selected)
    });
    on_cleanup(move || keys.remove());
    move || {
        let found = profile.get()?;
        let Some(account) = found.user.accounts.first().cloned() else {
            return Some(view! { <p class="error" role="alert">{t(Key::NoAccount)}</p> }.into_any());
        };
        let session = Session {
            client: StoredValue::new(Client {
                token: token.clone(),
                account: account.id,
            }),
            me: found.user.person.id,
            admin: account.role == Role::Administrator,
            revision,
            typing,
            fail,
        };
        Some(
            view! {
                <div class="console">
                    <header class="top">
                        <h1>"nimchat"</h1>
                        <span class="account">{account.name}</span>
                        <nav class="pages" aria-label=t(Key::Pages)>
                            {[(Page::Conversations, t(Key::Conversations)), (Page::Settings, t(Key::Settings))].into_iter().map(|(each, name)| view! {
                                <button type="button" aria-current=move || (page.get() == each).then_some("page")
                                    on:click=move |_| page.set(each)>{name}</button>
                            }).collect_view()}
                        </nav>
                        <span class="me">{found.user.person.available_name.clone()}</span>
                        <AvailabilityChoice session chosen=found.availability_status/>
                        <NotificationsChoice/>
                        <LanguageChoice/>
                        <button type="button" class="sign-out" on:click=move |_| sign_out()>{t(Key::SignOut)}</button>
                    </header>
                    {move || error.get().map(|text| view! {
                        <p class="error" role="alert">
                            {text}" "
                            <button type="button" on:click=move |_| error.set(None)>{t(Key::Dismiss)}</button>
                        </p>
                    })}
                    <TransferRequests asked selected page/>
                    {move || match page.get() {
                        Page::Conversations => view! {
                            <ConversationList session conversations selected/>
                            <main class="conversation">
                                {move || match selected.get() {
                                    Some(id) => view! { <ConversationView session id selected/> }.into_any(),
                                    None => view! { <p class="placeholder">{t(Key::ChooseConversation)}</p> }.into_any(),
                                }}
                            </main>
                        }
                        .into_any(),
                        Page::Settings => view! { <Settings session/> }.into_any(),
                    }}
                </div>
            }
            .into_any(),
        )
    }
}

/// The agent's own availability (available, busy, offline), sent to the edge.
#[component]
fn AvailabilityChoice(session: Session, chosen: Availability) -> impl IntoView {
    let choose = move |value: String| {
        if let Some(availability) = Availability::parse(&value) {
            session.apply(async move { session.client().set_availability(availability).await });
        }
    };
    view! {
        <select class="availability" aria-label=t(Key::Availability) on:change=move |event| choose(event_target_value(&event))>
            {[(Availability::Available, Key::Available), (Availability::Busy, Key::Busy), (Availability::Offline, Key::Offline)]
                .into_iter()
                .map(|(each, name)| view! { <option value=each.as_str() selected=each == chosen>{t(name)}</option> })
                .collect_view()}
        </select>
    }
}

/// Offers notifications until the agent has said yes or no, once.
#[component]
fn NotificationsChoice() -> impl IntoView {
    let unasked = RwSignal::new(notify::unasked());
    move || {
        unasked.get().then(|| view! {
            <button type="button" class="notifications" on:click=move |_| notify::ask(move || unasked.set(notify::unasked()))>
                {t(Key::EnableNotifications)}
            </button>
        })
    }
}

/// The agent's language; choosing one draws the console again in it.
#[component]
fn LanguageChoice() -> impl IntoView {
    let language = expect_context::<RwSignal<Locale>>();
    view! {
        <select class="language" aria-label=t(Key::Language) on:change=move |event| {
            let chosen = Locale::parse(&event_target_value(&event));
            i18n::choose(chosen);
            language.set(chosen);
        }>
            {Locale::ALL.into_iter().map(|each| view! {
                <option value=each.tag() lang=each.tag() selected=each == i18n::locale()>{each.name()}</option>
            }).collect_view()}
        </select>
    }
}

/// Colleagues asking this agent to take a conversation over; opening one shows where to
/// accept or decline.
#[component]
fn TransferRequests(
    asked: RwSignal<Vec<ChatSessionEntity>>,
    selected: RwSignal<Option<i64>>,
    page: RwSignal<Page>,
) -> impl IntoView {
    view! {
        <div class="requests" role="status">
            <For each=move || asked.get() key=|session| session.chat_session_id let:session>
                {
                    let id = session.chat_session_id;
                    let from = session.user.map(|user| user.full_name).unwrap_or_default();
                    let open = move |_| {
                        asked.update(|shown| shown.retain(|each| each.chat_session_id != id));
                        page.set(Page::Conversations);
                        selected.set(Some(id));
                    };
                    view! {
                        <p class="request">
                            {fill(Key::TransferAsked, &[&from, &session.customer_name, &id.to_string()])}" "
                            <button type="button" on:click=open>{t(Key::Open)}</button>
                        </p>
                    }
                }
            </For>
        </div>
    }
}

fn show_unread_in_title(unread: usize) {
    if let Some(document) = web_sys::window().and_then(|window| window.document()) {
        document.set_title(&if unread > 0 {
            format!("({unread}) nimchat")
        } else {
            "nimchat".into()
        });
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
