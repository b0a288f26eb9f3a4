//! One conversation: its messages live, the reply box (replies and private notes), resolving,
//! taking it, and handing it to a colleague who accepts or declines.

use gloo_timers::callback::Timeout;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use nimchat_shared::enums::{ConversationStatus, MessageType};
use nimchat_shared::markdown::is_web_address;
use nimchat_shared::wire::{AgentConversation, Attachment, CannedResponse, ChatSessionEntity, Message};
use send_wrapper::SendWrapper;
use wasm_bindgen::JsValue;
use web_sys::{DataTransfer, File, FileList};

use crate::api::TransferStep;
use crate::details::Details;
use crate::i18n::{fill, status_name, t, Key};
use crate::shell::Session;

#[component]
pub fn ConversationView(session: Session, id: i64, selected: RwSignal<Option<i64>>) -> impl IntoView {
    let conversation = RwSignal::new(None::<AgentConversation>);
    let chat = RwSignal::new(None::<ChatSessionEntity>);
    let messages = RwSignal::new(Vec::<Message>::new());
    let log = NodeRef::<html::Div>::new();
    // The newest message the agent was shown: marking it read is itself an event, so only
    // a newer one is marked.
    let seen_up_to = StoredValue::new(0i64);
    let Session { revision, fail, .. } = session;
    Effect::new(move |_| {
        revision.get();
        spawn_local(async move {
            let client = session.client();
            // Three reads at once: each event waits for one round trip, not three.
            let (shown, listed, as_chat) =
                futures::join!(client.conversation(id), client.messages(id), client.chat_session(id));
            match (shown, listed, as_chat) {
                (Ok(shown), Ok(listed), Ok(as_chat)) => {
                    let newest = listed.last().map_or(0, |message| message.id);
                    conversation.set(Some(shown));
                    messages.set(listed);
                    chat.set(Some(as_chat));
                    if newest > seen_up_to.get_value() {
                        seen_up_to.set_value(newest);
                        if let Err(failure) = client.mark_seen(id).await {
                            fail.run(failure);
                        }
                    }
                }
                (Err(failure), ..) | (_, Err(failure), _) | (.., Err(failure)) => fail.run(failure),
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
    let toggle = move |_| {
        let next = match conversation.with_untracked(|shown| shown.as_ref().map(|c| c.conversation.status)) {
            Some(ConversationStatus::Resolved) => "open",
            _ => "resolved",
        };
        spawn_local(async move {
            match session.client().set_status(id, next).await {
                Ok(_) => session.changed(),
                Err(failure) => fail.run(failure),
            }
        });
    };
    let status = move || conversation.with(|shown| shown.as_ref().map(|c| c.conversation.status));
    let assignee = move || {
        conversation.with(|shown| {
            shown.as_ref().and_then(|c| {
                c.conversation
                    .assignee
                    .as_ref()
                    .map(|a| (a.id, a.available_name.clone()))
            })
        })
    };
    let assignee_text = move || match assignee() {
        Some((who, _)) if who == session.me => t(Key::AssignedToYou).to_string(),
        Some((_, name)) => fill(Key::AssignedTo, &[&name]),
        None => t(Key::Unassigned).to_string(),
    };
    let takeable = move || assignee().is_none() && status() == Some(ConversationStatus::Open);
    let take = move |_| {
        let Some(uuid) = conversation.with_untracked(|shown| shown.as_ref().map(|c| c.conversation.uuid.clone()))
        else {
            return;
        };
        spawn_local(async move {
            if let Err(failure) = session.client().take(&uuid).await {
                fail.run(failure);
            }
            session.changed();
        });
    };
    let inbox = move || conversation.with(|shown| shown.as_ref().map(|c| c.conversation.inbox_id));
    // Drawn again only when the session or the inbox changes: every event re-reads both, and
    // redrawing on each read would reset a colleague being chosen for a transfer.
    let handover = Memo::new(move |_| chat.get().map(|entity| (entity, inbox())));
    // When the visitor last looked: the agent's messages up to then were seen.
    let seen_until = Signal::derive(move || {
        conversation.with(|shown| shown.as_ref().map_or(0, |c| c.conversation.contact_last_seen_at))
    });
    let typing = move || {
        session.typing.with(|typists| {
            let names: Vec<&str> = typists
                .iter()
                .filter(|typist| typist.conversation == id)
                .map(|typist| typist.name.as_str())
                .collect();
            (!names.is_empty()).then(|| fill(Key::IsTyping, &[&names.join(", ")]))
        })
    };
    view! {
        <section class="thread" aria-labelledby="thread-title">
            <header>
                <h2 id="thread-title">
                    {move || conversation.with(|shown| shown.as_ref().map(|c| c.conversation.contact.name.clone()))}
                    " #"{id}
                </h2>
                <span class="status">{move || status().map(|status| status_name(status.as_str()))}</span>
                <span class="assignee">{assignee_text}</span>
                {move || takeable().then(|| view! { <button type="button" class="take" on:click=take>{t(Key::Take)}</button> })}
                <button type="button" class="toggle-status" on:click=toggle>
                    {move || t(if status() == Some(ConversationStatus::Resolved) { Key::Reopen } else { Key::Resolve })}
                </button>
            </header>
            {move || handover.get().map(|(entity, inbox)| view! { <TransferBar session entity inbox chat/> })}
            <div class="messages" role="log" tabindex="0" aria-live="polite" aria-label=t(Key::Messages) node_ref=log>
                <For each=move || messages.get() key=|message| (message.id, message.status.clone(), message.content_attributes.len()) let:message>
                    <MessageLine message seen_until/>
                </For>
            </div>
            <p class="typing" aria-live="polite">{typing}</p>
            <Reply session id messages/>
        </section>
        <Details session conversation selected/>
    }
}

/// The reply box: a reply reaches the visitor, a private note only the team. Typing `/` and
/// a short code offers the canned responses; while the agent types, the visitor (or, on a
/// note, the team) is told.
#[component]
fn Reply(session: Session, id: i64, messages: RwSignal<Vec<Message>>) -> impl IntoView {
    let draft = RwSignal::new(String::new());
    let private = RwSignal::new(false);
    let typing = Typing::new(session, id);
    let canned = RwSignal::new(Vec::<CannedResponse>::new());
    let highlighted = RwSignal::new(0usize);
    let box_ref = NodeRef::<html::Textarea>::new();
    // The files chosen to go with the next reply stay in their picker, which names them.
    let picker = NodeRef::<html::Input>::new();
    let chosen_files = move || files_in(picker.get_untracked().and_then(|picker| picker.files()));
    // Files pasted into the box (a screenshot) or dropped on the form join the chosen ones.
    let add_files = move |given: Option<FileList>| {
        let given = files_in(given);
        if given.is_empty() {
            return false;
        }
        let (Some(picker), Ok(transfer)) = (picker.get_untracked(), DataTransfer::new()) else {
            return false;
        };
        for file in chosen_files().iter().chain(&given) {
            let _ = transfer.items().add_with_file(file);
        }
        picker.set_files(transfer.files().as_ref());
        true
    };
    let send = move || {
        let content = draft.get_untracked().trim().to_string();
        let files = chosen_files();
        if content.is_empty() && files.is_empty() {
            return;
        }
        typing.stop(private.get_untracked());
        spawn_local(async move {
            match session
                .client()
                .send(id, &content, private.get_untracked(), &files)
                .await
            {
                Ok(sent) => {
                    draft.set(String::new());
                    if let Some(picker) = picker.get_untracked() {
                        picker.set_value("");
                    }
                    messages.update(|shown| {
                        if shown.iter().all(|message| message.id != sent.id) {
                            shown.push(sent);
                        }
                    });
                    session.changed();
                }
                Err(failure) => session.fail.run(failure),
            }
        });
    };
    // `/code` alone in the box looks canned responses up.
    let typed = move |text: String| {
        draft.set(text.clone());
        typing.start(private.get_untracked());
        match short_code(&text) {
            Some(code) => {
                let code = code.to_string();
                spawn_local(async move {
                    match session.client().canned_responses(&code).await {
                        Ok(found) if short_code(&draft.get_untracked()) == Some(code.as_str()) => {
                            highlighted.set(0);
                            canned.set(found);
                        }
                        Ok(_) => {}
                        Err(failure) => session.fail.run(failure),
                    }
                });
            }
            None => canned.set(Vec::new()),
        }
    };
    let insert = move |at: usize| {
        if let Some(chosen) = canned.with_untracked(|found| found.get(at).cloned()) {
            draft.set(chosen.content);
            canned.set(Vec::new());
            if let Some(field) = box_ref.get_untracked() {
                let _ = field.focus();
            }
        }
    };
    let keydown = move |event: leptos::ev::KeyboardEvent| {
        let offered = canned.with_untracked(Vec::len);
        match event.key().as_str() {
            "Enter" if event.ctrl_key() || event.meta_key() => {
                event.prevent_default();
                send();
            }
            "ArrowDown" | "ArrowUp" if offered > 0 => {
                event.prevent_default();
                let step = if event.key() == "ArrowDown" { 1 } else { offered - 1 };
                highlighted.update(|at| *at = (*at + step) % offered);
            }
            "Enter" | "Tab" if offered > 0 => {
                event.prevent_default();
                insert(highlighted.get_untracked());
            }
            "Escape" if offered > 0 => canned.set(Vec::new()),
            _ => {}
        }
    };
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        send();
    };
    view! {
        <form class="reply" class:note=move || private.get() on:submit=submit
            on:dragover=|event| event.prevent_default()
            on:drop=move |event| {
                event.prevent_default();
                add_files(event.data_transfer().and_then(|data| data.files()));
            }>
            <label class="private">
                <input type="checkbox" prop:checked=private on:change=move |event| private.set(event_target_checked(&event))/>
                {t(Key::PrivateNoteToggle)}
            </label>
            {move || (!canned.with(Vec::is_empty)).then(|| view! {
                <ul class="canned" role="listbox" id="canned" aria-label=t(Key::CannedResponses)>
                    {canned.get().into_iter().enumerate().map(|(at, each)| view! {
                        <li role="option" id=format!("canned-{at}") aria-selected=move || (highlighted.get() == at).to_string()
                            on:mousedown=move |event| { event.prevent_default(); insert(at); }>
                            <strong>"/"{each.short_code}</strong>" "{each.content}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            <textarea node_ref=box_ref aria-label=move || t(if private.get() { Key::PrivateNote } else { Key::Reply })
                aria-controls=move || (!canned.with(Vec::is_empty)).then_some("canned") aria-autocomplete="list"
                aria-activedescendant=move || (!canned.with(Vec::is_empty)).then(|| format!("canned-{}", highlighted.get()))
                placeholder=move || t(if private.get() { Key::WriteNote } else { Key::WriteReply })
                prop:value=draft on:input=move |event| typed(event_target_value(&event))
                on:keydown=keydown on:blur=move |_| typing.stop(private.get_untracked())
                on:paste=move |event| {
                    if add_files(event.clipboard_data().and_then(|data| data.files())) {
                        event.prevent_default();
                    }
                }></textarea>
            <label class="attach">
                {t(Key::AttachFiles)}
                <input type="file" multiple node_ref=picker/>
            </label>
            <button type="submit">{move || t(if private.get() { Key::AddNote } else { Key::Send })}</button>
        </form>
    }
}

/// The files of a picker, a paste or a drop.
fn files_in(list: Option<FileList>) -> Vec<File> {
    list.map_or_else(Vec::new, |list| {
        (0..list.length()).filter_map(|at| list.get(at)).collect()
    })
}

/// The short code being typed: the whole draft is `/` and letters, digits, `-` or `_`.
fn short_code(draft: &str) -> Option<&str> {
    draft
        .strip_prefix('/')
        .filter(|code| code.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_'))
}

/// The agent's typing as the edge hears it: on at the first key, off after 3 s without one,
/// on sending and on leaving the box.
#[derive(Clone, Copy)]
struct Typing {
    session: Session,
    conversation: i64,
    on: StoredValue<bool>,
    quiet: StoredValue<Option<SendWrapper<Timeout>>>,
}

impl Typing {
    fn new(session: Session, conversation: i64) -> Typing {
        Typing {
            session,
            conversation,
            on: StoredValue::new(false),
            quiet: StoredValue::new(None),
        }
    }

    fn start(self, private: bool) {
        if !self.on.get_value() {
            self.on.set_value(true);
            self.tell(true, private);
        }
        let quiet = Timeout::new(3_000, move || self.stop(private));
        self.quiet.set_value(Some(SendWrapper::new(quiet)));
    }

    fn stop(self, private: bool) {
        self.quiet.set_value(None);
        if self.on.get_value() {
            self.on.set_value(false);
            self.tell(false, private);
        }
    }

    fn tell(self, on: bool, private: bool) {
        let (session, conversation) = (self.session, self.conversation);
        spawn_local(async move {
            if let Err(failure) = session.client().typing(conversation, on, private).await {
                session.fail.run(failure);
            }
        });
    }
}

/// Handing the conversation over: the holder asks a colleague of the inbox, who accepts or
/// declines; until then the holder may withdraw.
#[component]
fn TransferBar(
    session: Session,
    entity: ChatSessionEntity,
    inbox: Option<i64>,
    chat: RwSignal<Option<ChatSessionEntity>>,
) -> impl IntoView {
    let id = entity.chat_session_id;
    let step = move |step: TransferStep| {
        spawn_local(async move {
            match session.client().transfer(id, step).await {
                Ok(after) => {
                    chat.set(Some(after));
                    session.changed();
                }
                Err(failure) => session.fail.run(failure),
            }
        });
    };
    let holder = entity.user.as_ref().map(|user| user.associate_id);
    match (entity.transfer_to, entity.user) {
        (Some(target), Some(from)) if target.associate_id == session.me => view! {
            <p class="transfer" role="status">
                {fill(Key::TransferAskedHere, &[&from.full_name])}" "
                <button type="button" class="accept" on:click=move |_| step(TransferStep::Accept)>{t(Key::Accept)}</button>
                <button type="button" class="decline" on:click=move |_| step(TransferStep::Decline)>{t(Key::Decline)}</button>
            </p>
        }
        .into_any(),
        (Some(target), _) if holder == Some(session.me) => view! {
            <p class="transfer" role="status">
                {fill(Key::WaitingFor, &[&target.full_name])}" "
                <button type="button" on:click=move |_| step(TransferStep::Withdraw)>{t(Key::Withdraw)}</button>
            </p>
        }
        .into_any(),
        // A resolved conversation is nobody's to hand over.
        (None, _) if holder == Some(session.me) && entity.status != "Closed" => match inbox {
            Some(inbox) => {
                view! { <TransferTo session inbox ask=move |agent| step(TransferStep::Ask(agent))/> }.into_any()
            }
            None => ().into_any(),
        },
        _ => ().into_any(),
    }
}

/// The holder's choice of a colleague from the inbox's agents.
#[component]
fn TransferTo(session: Session, inbox: i64, ask: impl Fn(i64) + Copy + Send + Sync + 'static) -> impl IntoView {
    let me = session.me;
    let agents = session.loaded_once(move |client| async move {
        let found = client.inbox_agents(inbox).await?;
        Ok(found.into_iter().filter(|agent| agent.person.id != me).collect())
    });
    let chosen = RwSignal::new(None::<i64>);
    view! {
        <form class="transfer" on:submit=move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(agent) = chosen.get_untracked() {
                ask(agent);
            }
        }>
            <label>
                {t(Key::TransferTo)}" "
                <select on:change=move |event| chosen.set(event_target_value(&event).parse().ok())>
                    <option value="">{t(Key::ChooseColleague)}</option>
                    {move || agents.get().into_iter().map(|agent| view! {
                        <option value=agent.person.id.to_string()>{agent.person.available_name}</option>
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" disabled=move || chosen.get().is_none()>{t(Key::Transfer)}</button>
        </form>
    }
}

#[component]
fn MessageLine(message: Message, seen_until: Signal<i64>) -> impl IntoView {
    if message.content_type == "input_csat" {
        return view! { <CsatResult message/> }.into_any();
    }
    let sent_at = message.created_at;
    let to_visitor = matches!(message.message_type, MessageType::Outgoing | MessageType::Template) && !message.private;
    let receipt = move || {
        to_visitor
            .then(|| view! { <span class="receipt">{t(if seen_until.get() >= sent_at { Key::Seen } else { Key::Sent })}</span> })
    };
    let kind = match (message.message_type, message.private) {
        (_, true) => "note",
        (MessageType::Incoming, _) => "visitor",
        (MessageType::Activity, _) => "activity",
        _ => "agent",
    };
    let sender = message.sender.as_ref().map(|sender| sender.name.clone());
    view! {
        <article class=format!("message {kind}")>
            {(kind == "note").then(|| view! { <span class="tag">{t(Key::PrivateNote)}</span> })}
            {sender.filter(|_| kind != "activity").map(|name| view! { <span class="sender">{name}</span> })}
            <p dir="auto">{message.content.unwrap_or_default()}</p>
            {message.attachments.iter().map(attachment).collect_view()}
            {receipt}
        </article>
    }
    .into_any()
}

/// A file of a message: an image inline (a click opens it), another file as a link with its
/// name and size; only the edge's `http(s)` links.
fn attachment(file: &Attachment) -> Option<AnyView> {
    let href = Some(file.data_url.clone()).filter(|href| is_web_address(href))?;
    if file.file_type == "image" {
        let size = |side: Option<i64>| side.map(|pixels| pixels.to_string());
        return Some(
            view! {
                <a class="file image" href=href target="_blank" rel="noopener noreferrer">
                    <img src=file.data_url.clone() alt=file.file_name.clone() width=size(file.width) height=size(file.height)/>
                </a>
            }
            .into_any(),
        );
    }
    Some(
        view! {
            <a class="file" href=href target="_blank" rel="noopener noreferrer">
                <span dir="auto">{file.file_name.clone()}</span>" ("{size_words(file)}")"
            </a>
        }
        .into_any(),
    )
}

/// A file's size in the agent's language: "12 kB", "3.4 MB".
fn size_words(file: &Attachment) -> String {
    let (amount, unit) = file.size_in_units();
    let options = js_sys::Object::new();
    for (key, value) in [
        ("style", "unit".into()),
        ("unit", unit.into()),
        ("maximumFractionDigits", 1.into()),
    ] {
        let _ = js_sys::Reflect::set(&options, &JsValue::from_str(key), &value);
    }
    let locales = js_sys::Array::of1(&crate::i18n::locale().tag().into());
    js_sys::Intl::NumberFormat::new(&locales, &options)
        .format()
        .call1(&JsValue::NULL, &amount.into())
        .ok()
        .and_then(|words| words.as_string())
        .unwrap_or_default()
}

/// The satisfaction survey sent on resolve, and the visitor's rating once they answer.
#[component]
fn CsatResult(message: Message) -> impl IntoView {
    let answer = &message
        .content_attributes
        .get("submitted_values")
        .cloned()
        .unwrap_or_default()["csat_survey_response"];
    let rating = answer["rating"].as_i64();
    let feedback = answer["feedback_message"]
        .as_str()
        .filter(|text| !text.is_empty())
        .map(str::to_string);
    let text = match rating {
        Some(rating) => fill(Key::Rated, &[&rating.to_string()]),
        None => t(Key::SurveySent).to_string(),
    };
    view! {
        <article class="message csat">
            <span class="tag">{t(Key::Satisfaction)}</span>
            {rating.map(|rating| view! { <span class="stars" aria-hidden="true">{"★".repeat(rating.clamp(0, 5) as usize)}</span> })}
            <p>{text}</p>
            {feedback.map(|text| view! { <p class="feedback">"“"{text}"”"</p> })}
        </article>
    }
}
