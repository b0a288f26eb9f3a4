//! The chat's state and everything that changes it. Nothing here touches the network or
//! storage until the visitor sends a message or the page calls `$nimchat`.
//!
//! The state is one plain struct behind one Leptos trigger (`ArcTrigger`): drawings read it with
//! [`Chat::with`] and are redrawn after [`Chat::update`]. One signal instead of one per field
//! keeps the reactive graph's generic code to a single copy (the drawings compare before they
//! touch the DOM, so redrawing all of them is cheap).

use std::cell::{Cell, RefCell};

use any_spawner::Executor;
use futures::channel::oneshot;
use futures::{FutureExt, SinkExt, StreamExt};
use gloo_net::websocket::{futures::WebSocket, Message as Frame};
use gloo_timers::future::TimeoutFuture;
use js_sys::{Object, Reflect};
use nimchat_shared::enums::{ConversationStatus, MessageType, SenderType};
use nimchat_shared::wire::{Conversation, CsatSurveyResponse, Message, MessageIds, PublicInbox};
use reactive_graph::signal::ArcTrigger;
use reactive_graph::traits::{Notify, Track};
use wasm_bindgen::JsValue;

use crate::api::{Api, Failure};
use crate::i18n::{Key, Locale};
use crate::json::{self, object};
use crate::session_store::{self, StoredSession};

/// A message as shown: `pending` until the edge has confirmed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub message: Message,
    pub pending: bool,
}

impl Line {
    /// A message as the edge has it.
    pub fn confirmed(message: Message) -> Line {
        Line {
            message,
            pending: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorScheme {
    Light,
    Dark,
    Auto,
}

impl ColorScheme {
    pub fn parse(text: &str) -> ColorScheme {
        match text {
            "light" => ColorScheme::Light,
            "dark" => ColorScheme::Dark,
            _ => ColorScheme::Auto,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ColorScheme::Light => "light",
            ColorScheme::Dark => "dark",
            ColorScheme::Auto => "auto",
        }
    }
}

/// What the widget shows, and the session it speaks for.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub open: bool,
    pub bubble_visible: bool,
    pub locale: Locale,
    pub scheme: ColorScheme,
    pub inbox: Option<PublicInbox>,
    /// The visitor's session; `None` until their first message (or a stored one).
    pub session: Option<StoredSession>,
    pub conversation: Option<Conversation>,
    pub lines: Vec<Line>,
    /// The name of the agent typing, while they type.
    pub agent_typing: Option<String>,
    pub unread: u32,
    pub error: Option<Key>,
    /// The inbox refused this page (its `allowed_domains` does not list the page's origin):
    /// the window says so and offers nothing to send.
    pub unavailable: bool,
}

impl State {
    pub fn new(locale: Locale, scheme: ColorScheme, session: Option<StoredSession>) -> State {
        State {
            open: false,
            bubble_visible: true,
            locale,
            scheme,
            inbox: None,
            session,
            conversation: None,
            lines: Vec::new(),
            agent_typing: None,
            unread: 0,
            error: None,
            unavailable: false,
        }
    }

    /// A word in the visitor's language.
    pub fn t(&self, key: Key) -> &'static str {
        self.locale.t(key)
    }

    /// Puts a confirmed message in place of its draft, or in order among the others.
    pub fn reconcile(&mut self, message: Message) {
        let same = |line: &Line| {
            line.message.id == message.id
                || (line.pending && line.message.echo_id.is_some() && line.message.echo_id == message.echo_id)
        };
        match self.lines.iter().position(same) {
            Some(at) => self.lines[at] = Line::confirmed(message),
            None => {
                let at = self
                    .lines
                    .iter()
                    .position(|line| !line.pending && line.message.id > message.id)
                    .unwrap_or(self.lines.len());
                self.lines.insert(at, Line::confirmed(message));
            }
        }
    }

    /// The newest message the edge has confirmed, for catching up after a reconnect.
    pub fn last_confirmed(&self) -> i64 {
        self.lines
            .iter()
            .filter(|line| !line.pending)
            .map(|line| line.message.id)
            .max()
            .unwrap_or(0)
    }

    /// The visitor's session and conversation, once both exist.
    pub fn session_and_conversation(&self) -> Option<(StoredSession, i64)> {
        Some((self.session.clone()?, self.conversation.as_ref()?.id))
    }

    fn is_current(&self, conversation: Option<i64>) -> bool {
        self.conversation
            .as_ref()
            .is_some_and(|current| Some(current.id) == conversation)
    }

    /// The visitor's place in the queue while nobody has taken the conversation, until a
    /// person answers (an agent may reply without taking it). A bot's replies, from before it
    /// handed the visitor over, do not count.
    pub fn queue_position(&self) -> Option<u32> {
        let answered = self.lines.iter().any(|line| {
            line.message.message_type == MessageType::Outgoing
                && line.message.sender.as_ref().map(|sender| sender.kind) != Some(SenderType::AgentBot)
        });
        self.conversation
            .as_ref()
            .filter(|c| c.status.waits_in_queue(c.assignee.is_some()) && !answered)
            .and_then(|c| c.queue_position)
    }

    /// A first-time visitor of an inbox that asks questions before the first message.
    pub fn needs_pre_chat(&self) -> bool {
        let asks = self.inbox.as_ref().is_some_and(|inbox| inbox.pre_chat_form_enabled);
        asks && self.session.is_none() && self.lines.is_empty()
    }

    pub fn is_resolved(&self) -> bool {
        self.conversation
            .as_ref()
            .is_some_and(|c| c.status == ConversationStatus::Resolved)
    }

    /// Status and assignee from an event; the queue position, which such events do not
    /// carry, comes from `conversation.queue_position` and is kept.
    fn update_conversation(&mut self, mut changed: Conversation) {
        changed.queue_position = changed
            .queue_position
            .or(self.conversation.as_ref().and_then(|c| c.queue_position));
        self.conversation = Some(changed);
    }
}

/// What does not change, or is not drawn.
struct Fixed {
    api: Api,
    inbox_identifier: String,
    /// Contact fields set by the page before the visitor has a session, as a JS object.
    pending_contact: RefCell<Object>,
    /// Bumped to stop the socket loop of a previous session.
    socket_generation: Cell<u32>,
    /// Closes the open socket at once (`reset`, a newer session).
    socket_stop: RefCell<Option<oneshot::Sender<()>>>,
}

struct Shared {
    state: RefCell<State>,
    /// Notified after every change of `state`.
    changed: ArcTrigger,
    fixed: Fixed,
}

/// A handle on the chat: `Copy`, so every event handler and drawing can hold one. A chat lives
/// as long as the page, so it is allocated once and never freed.
#[derive(Clone, Copy)]
pub struct Chat {
    shared: &'static Shared,
}

impl Chat {
    pub fn new(base: &str, inbox_identifier: &str, locale: Locale, scheme: ColorScheme) -> Chat {
        let fixed = Fixed {
            api: Api::new(base, inbox_identifier),
            inbox_identifier: inbox_identifier.to_string(),
            pending_contact: RefCell::new(Object::new()),
            socket_generation: Cell::new(0),
            socket_stop: RefCell::new(None),
        };
        let state = State::new(locale, scheme, session_store::load(inbox_identifier));
        let shared = Shared {
            state: RefCell::new(state),
            changed: ArcTrigger::new(),
            fixed,
        };
        Chat {
            shared: Box::leak(Box::new(shared)),
        }
    }

    /// Reads the state; a drawing that reads is redrawn when it changes.
    pub fn with<R>(self, read: impl FnOnce(&State) -> R) -> R {
        self.shared.changed.track();
        self.peek(read)
    }

    /// Reads the state without asking to be redrawn.
    pub fn peek<R>(self, read: impl FnOnce(&State) -> R) -> R {
        read(&self.shared.state.borrow())
    }

    /// Changes the state and redraws what read it.
    pub fn update(self, change: impl FnOnce(&mut State)) {
        change(&mut self.shared.state.borrow_mut());
        self.shared.changed.notify();
    }

    fn fixed(self) -> &'static Fixed {
        &self.shared.fixed
    }

    /// A word in the visitor's language, redrawn when the language changes.
    pub fn t(self, key: Key) -> &'static str {
        self.with(|state| state.t(key))
    }

    fn api(self) -> &'static Api {
        &self.fixed().api
    }

    fn inbox_identifier(self) -> &'static str {
        &self.fixed().inbox_identifier
    }

    /// Loads the inbox and, for a returning visitor, their conversation and live updates.
    pub fn start(self) {
        Executor::spawn_local(async move {
            match self.api().inbox().await {
                Ok(inbox) => self.update(|state| state.inbox = Some(inbox)),
                Err(Failure::Refused(403)) => {
                    self.update(|state| state.unavailable = true);
                    emit(
                        "nimchat:error",
                        JsValue::from_str(self.peek(|state| state.t(Key::NotAvailableHere))),
                    );
                    return;
                }
                Err(failure) => self.fail(failure),
            }
            if let Some(session) = self.peek(|state| state.session.clone()) {
                self.resume(session).await;
            }
        });
    }

    pub fn set_open(self, open: bool) {
        if self.peek(|state| state.open) == open {
            return;
        }
        self.update(|state| {
            state.open = open;
            if open {
                state.unread = 0;
            }
        });
        emit(if open { "nimchat:opened" } else { "nimchat:closed" }, JsValue::NULL);
        if open {
            self.mark_seen();
        }
    }

    async fn resume(self, session: StoredSession) {
        let conversations = match self.api().conversations(&session.source_id).await {
            Ok(conversations) => conversations,
            // The session is gone (another device reset it, or the inbox changed): start afresh.
            Err(Failure::Refused(404)) => {
                self.update(|state| state.session = None);
                session_store::forget(self.inbox_identifier());
                return;
            }
            Err(failure) => return self.fail(failure),
        };
        if let Some(mut last) = conversations.into_iter().last() {
            let messages = std::mem::take(&mut last.messages);
            self.update(|state| {
                state.lines = messages.into_iter().map(Line::confirmed).collect();
                state.conversation = Some(last);
            });
        }
        self.connect(session);
    }

    /// Sends a message at once on screen, then through the edge, creating the visitor and
    /// the conversation on the first one.
    pub fn send(self, content: String) {
        let echo_id = format!(
            "nc-{}-{}",
            js_sys::Date::now() as u64,
            (js_sys::Math::random() * 1e9) as u64
        );
        let draft = Message {
            id: 0,
            content: Some(content.clone()),
            message_type: MessageType::Incoming,
            content_type: "text".into(),
            content_attributes: serde_json::Map::new(),
            created_at: (js_sys::Date::now() / 1000.0) as i64,
            conversation_id: 0,
            status: "sent".into(),
            private: false,
            sender: None,
            echo_id: Some(echo_id.clone()),
            attachments: Vec::new(),
            ids: MessageIds::default(),
        };
        self.update(|state| {
            state.lines.push(Line {
                message: draft,
                pending: true,
            });
            state.error = None;
        });
        Executor::spawn_local(async move {
            let sent = async {
                let session = self.ensure_session().await?;
                let conversation = self.ensure_conversation(&session).await?;
                self.api()
                    .send_message(&session.source_id, conversation, &content, &echo_id)
                    .await
            };
            match sent.await {
                Ok(message) => self.update(|state| state.reconcile(message)),
                Err(failure) => {
                    self.update(|state| {
                        state
                            .lines
                            .retain(|line| line.message.echo_id.as_deref() != Some(echo_id.as_str()))
                    });
                    self.fail(failure);
                }
            }
        });
    }

    async fn ensure_session(self) -> Result<StoredSession, Failure> {
        if let Some(session) = self.peek(|state| state.session.clone()) {
            return Ok(session);
        }
        let contact = self.fixed().pending_contact.borrow().clone();
        let created = self.api().create_contact(&contact).await?;
        let session = StoredSession::from(&created);
        session_store::save(self.inbox_identifier(), &session);
        self.update(|state| state.session = Some(session.clone()));
        self.connect(session.clone());
        Ok(session)
    }

    async fn ensure_conversation(self, session: &StoredSession) -> Result<i64, Failure> {
        if let Some(id) = self.peek(|state| state.conversation.as_ref().map(|c| c.id)) {
            return Ok(id);
        }
        let attributes = Reflect::get(&self.fixed().pending_contact.borrow(), &"custom_attributes".into())
            .ok()
            .filter(JsValue::is_object)
            .unwrap_or_else(|| Object::new().into());
        let created = self.api().create_conversation(&session.source_id, &attributes).await?;
        let id = created.id;
        self.update(|state| state.conversation = Some(created));
        Ok(id)
    }

    /// Answers a CSAT survey.
    pub fn rate(self, message_id: i64, response: CsatSurveyResponse) {
        let Some((session, conversation)) = self.peek(State::session_and_conversation) else {
            return;
        };
        Executor::spawn_local(async move {
            match self
                .api()
                .rate(&session.source_id, conversation, message_id, &response)
                .await
            {
                Ok(message) => self.update(|state| state.reconcile(message)),
                Err(failure) => self.fail(failure),
            }
        });
    }

    /// After a resolved conversation: the next message opens a new one.
    pub fn start_new_conversation(self) {
        self.update(|state| {
            state.conversation = None;
            state.lines.clear();
        });
    }

    pub fn typing(self, on: bool) {
        let Some((session, conversation)) = self.peek(State::session_and_conversation) else {
            return;
        };
        Executor::spawn_local(async move {
            let _ = self.api().typing(&session.source_id, conversation, on).await;
        });
    }

    fn mark_seen(self) {
        let Some((session, conversation)) = self.peek(State::session_and_conversation) else {
            return;
        };
        Executor::spawn_local(async move {
            let _ = self.api().seen(&session.source_id, conversation).await;
        });
    }

    /// `setUser`, `setCustomAttributes`: kept until the visitor has a session, then sent.
    /// Every update carries the `identifier_hash` `setUser` gave: an inbox that makes it
    /// mandatory asks for it each time.
    pub fn update_contact(self, changes: Object) {
        let pending = self.fixed().pending_contact.borrow();
        Object::assign(&pending, &changes);
        let key = JsValue::from_str("identifier_hash");
        if let Some(hash) = Reflect::get(&pending, &key).ok().filter(JsValue::is_string) {
            let _ = Reflect::set(&changes, &key, &hash);
        }
        drop(pending);
        if let Some(session) = self.peek(|state| state.session.clone()) {
            Executor::spawn_local(async move {
                if let Err(failure) = self.api().update_contact(&session.source_id, &changes).await {
                    self.fail(failure);
                }
            });
        }
    }

    /// `reset()`: forgets the visitor on this device.
    pub fn reset(self) {
        session_store::forget(self.inbox_identifier());
        let fixed = self.fixed();
        fixed.socket_generation.set(fixed.socket_generation.get() + 1);
        // The old visitor's socket closes now, not at its next frame or ping.
        if let Some(stop) = fixed.socket_stop.take() {
            let _ = stop.send(());
        }
        fixed.pending_contact.replace(Object::new());
        self.update(|state| {
            state.session = None;
            state.conversation = None;
            state.lines.clear();
            state.unread = 0;
        });
    }

    fn fail(self, failure: Failure) {
        let key = match failure {
            Failure::Network => Key::ErrorNetwork,
            Failure::TooFast => Key::ErrorTooFast,
            Failure::Refused(_) => Key::ErrorGeneric,
        };
        self.update(|state| state.error = Some(key));
        emit("nimchat:error", JsValue::from_str(self.peek(|state| state.t(key))));
    }

    /// Whether the socket loop of `generation` should go on (not after `reset` or unmount).
    fn is_live(self, generation: u32) -> bool {
        self.fixed().socket_generation.get() == generation
    }

    /// Keeps a socket open for the session, reconnecting with back-off and catching up on
    /// what was missed; a newer session (after `reset`) stops it.
    fn connect(self, session: StoredSession) {
        let generation = self.fixed().socket_generation.get() + 1;
        self.fixed().socket_generation.set(generation);
        let api = self.api();
        // http://… becomes ws://…, https://… wss://….
        let base = format!("ws{}", api.base().strip_prefix("http").unwrap_or(api.base()));
        let url = format!("{base}/cable?pubsub_token={}&heartbeat=client", session.pubsub_token);
        let identifier = json::stringify(&object(&[
            ("channel", "RoomChannel".into()),
            ("pubsub_token", session.pubsub_token.as_str().into()),
        ]));
        Executor::spawn_local(async move {
            let mut backoff_ms = 1_000;
            while self.is_live(generation) {
                if let Ok(socket) = WebSocket::open(&url) {
                    let (mut writer, mut reader) = socket.split();
                    let subscribe = json::stringify(&object(&[
                        ("command", "subscribe".into()),
                        ("identifier", identifier.as_str().into()),
                    ]));
                    if writer.send(Frame::Text(subscribe)).await.is_ok() {
                        backoff_ms = 1_000;
                        self.catch_up().await;
                        let (stop, mut stopped) = oneshot::channel();
                        self.fixed().socket_stop.replace(Some(stop));
                        loop {
                            // Biased (in this order): a fair `select!` brings a random
                            // number generator into the wasm.
                            futures::select_biased! {
                                _ = stopped => {
                                    let _ = writer.close().await;
                                    return;
                                }
                                frame = reader.next().fuse() => match frame {
                                    Some(Ok(Frame::Text(text))) => self.on_frame(&text),
                                    Some(Ok(_)) => {}
                                    _ => break,
                                },
                                // Idle for 25 s: the runtime answers a ping without waking the
                                // room's object.
                                () = TimeoutFuture::new(25_000).fuse() => {
                                    if writer.send(Frame::Text("ping".into())).await.is_err() {
                                        break;
                                    }
                                }
                            }
                        }
                    }
                }
                TimeoutFuture::new(backoff_ms).await;
                backoff_ms = (backoff_ms * 2).min(30_000);
            }
        });
    }

    /// Fetches what arrived while the socket was away.
    async fn catch_up(self) {
        let Some((session, conversation)) = self.peek(State::session_and_conversation) else {
            return;
        };
        let last = self.peek(State::last_confirmed);
        if let Ok(missed) = self.api().messages_after(&session.source_id, conversation, last).await {
            self.update(|state| missed.into_iter().for_each(|message| state.reconcile(message)));
        }
    }

    /// One frame from `/cable`: events of this conversation change the state.
    pub fn on_frame(self, text: &str) {
        let Some(frame) = js_sys::JSON::parse(text).ok().as_ref().and_then(json::fields) else {
            return;
        };
        // Frames with a `type` are the protocol's own: welcome, ping, confirmations.
        let Some(event) = frame.fields("message").filter(|_| frame.get("type").is_undefined()) else {
            return;
        };
        let data = event.get("data");
        match event.string("event").unwrap_or_default().as_str() {
            "message.created" | "message.updated" => {
                let Some(message) = json::decode::<Message>(&data) else {
                    return;
                };
                let (current, new, open) = self.peek(|state| {
                    let new = state.lines.iter().all(|line| line.message.id != message.id);
                    (state.is_current(Some(message.conversation_id)), new, state.open)
                });
                if !current {
                    return;
                }
                let new_reply = new && message.message_type != MessageType::Incoming;
                if new_reply {
                    emit(
                        "nimchat:on-message",
                        JsValue::from_str(message.content.as_deref().unwrap_or_default()),
                    );
                    if open {
                        self.mark_seen();
                    }
                }
                self.update(|state| {
                    if new_reply {
                        state.agent_typing = None;
                        if !open {
                            state.unread += 1;
                        }
                    }
                    state.reconcile(message);
                });
            }
            "conversation.status_changed" | "conversation.updated" => {
                let Some(conversation) = json::decode::<Conversation>(&data) else {
                    return;
                };
                if self.peek(|state| state.is_current(Some(conversation.id))) {
                    self.update(|state| state.update_conversation(conversation));
                }
            }
            "conversation.queue_position" => {
                let Some(data) = json::fields(&data) else { return };
                if self.peek(|state| state.is_current(data.int("conversation_id"))) {
                    let position = data.int("position").and_then(|place| u32::try_from(place).ok());
                    self.update(|state| state.conversation.iter_mut().for_each(|c| c.queue_position = position));
                }
            }
            name @ ("conversation.typing_on" | "conversation.typing_off") => {
                let Some(data) = json::fields(&data) else { return };
                let conversation = data.fields("conversation").and_then(|c| c.int("id"));
                if self.peek(|state| state.is_current(conversation)) {
                    let typist = data.fields("user").and_then(|user| user.string("name"));
                    let typing = (name == "conversation.typing_on").then(|| typist.unwrap_or_default());
                    self.update(|state| state.agent_typing = typing);
                }
            }
            _ => {}
        }
    }
}

/// A `CustomEvent` on `window`, for the host page.
pub fn emit(name: &str, detail: JsValue) {
    let Some(window) = web_sys::window() else { return };
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&detail);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = window.dispatch_event(&event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nimchat_shared::wire::{Assignee, Sender};

    fn message(id: i64, kind: MessageType, echo_id: Option<&str>) -> Message {
        Message {
            id,
            content: Some(format!("message {id}")),
            message_type: kind,
            content_type: "text".into(),
            content_attributes: serde_json::Map::new(),
            created_at: 0,
            conversation_id: 4,
            status: "sent".into(),
            private: false,
            sender: None,
            echo_id: echo_id.map(Into::into),
            attachments: Vec::new(),
            ids: MessageIds::default(),
        }
    }

    fn line(message: Message, pending: bool) -> Line {
        Line { message, pending }
    }

    fn state() -> State {
        State::new(Locale::En, ColorScheme::Auto, None)
    }

    fn waiting_conversation(place: u32) -> Conversation {
        serde_json::from_value(serde_json::json!({
            "id": 4, "uuid": "u", "inbox_id": 1, "status": "open", "contact_last_seen_at": 0,
            "agent_last_seen_at": 0, "messages": [], "assignee": null, "custom_attributes": {},
            "created_at": 0, "queue_position": place,
            "contact": {"id": 1, "name": "Kari", "email": null, "phone_number": null, "avatar_url": ""}
        }))
        .expect("a conversation")
    }

    #[test]
    fn a_confirmed_message_replaces_its_draft_by_echo_id() {
        let mut state = state();
        state.lines = vec![
            line(message(1, MessageType::Outgoing, None), false),
            line(message(0, MessageType::Incoming, Some("nc-1")), true),
        ];
        state.reconcile(message(2, MessageType::Incoming, Some("nc-1")));
        let ids: Vec<(i64, bool)> = state.lines.iter().map(|l| (l.message.id, l.pending)).collect();
        assert_eq!(ids, [(1, false), (2, false)]);
        assert_eq!(state.last_confirmed(), 2);
    }

    #[test]
    fn messages_arriving_late_go_in_order_and_repeats_replace() {
        let mut state = state();
        state.reconcile(message(5, MessageType::Outgoing, None));
        state.reconcile(message(3, MessageType::Outgoing, None));
        state.reconcile(message(5, MessageType::Outgoing, None));
        let ids: Vec<i64> = state.lines.iter().map(|l| l.message.id).collect();
        assert_eq!(ids, [3, 5]);
    }

    #[test]
    fn the_queue_place_shows_until_an_agent_takes_or_answers() {
        let mut state = state();
        assert_eq!(state.queue_position(), None, "no conversation yet");
        state.conversation = Some(waiting_conversation(2));
        assert_eq!(state.queue_position(), Some(2));
        state.lines = vec![line(message(8, MessageType::Outgoing, None), false)];
        assert_eq!(state.queue_position(), None, "answered");
        state.lines.clear();
        if let Some(conversation) = state.conversation.as_mut() {
            conversation.assignee = Some(Assignee {
                id: 7,
                name: "Ada".into(),
                available_name: "Ada".into(),
                avatar_url: String::new(),
            });
        }
        assert_eq!(state.queue_position(), None, "taken");
    }

    #[test]
    fn a_bots_replies_before_the_handover_do_not_hide_the_queue_place() {
        let mut state = state();
        state.conversation = Some(waiting_conversation(1));
        let sent_by = |kind: SenderType| {
            let mut reply = message(9, MessageType::Outgoing, None);
            reply.sender = Some(Sender {
                id: 3,
                name: "Helpbot".into(),
                avatar_url: String::new(),
                kind,
                available_name: None,
            });
            line(reply, false)
        };
        state.lines = vec![sent_by(SenderType::AgentBot)];
        assert_eq!(state.queue_position(), Some(1), "the bot does not count as an answer");
        state.lines.push(sent_by(SenderType::User));
        assert_eq!(state.queue_position(), None, "a person answered");
    }

    #[test]
    fn an_event_without_a_place_keeps_the_known_one() {
        let mut state = state();
        state.conversation = Some(waiting_conversation(3));
        let mut changed = waiting_conversation(1);
        changed.queue_position = None;
        state.update_conversation(changed);
        assert_eq!(state.queue_position(), Some(3));
    }

    #[test]
    fn the_pre_chat_form_is_for_first_time_visitors_only() {
        let mut state = state();
        let mut inbox: PublicInbox = serde_json::from_value(serde_json::json!({
            "identifier": "i", "name": "Shop", "timezone": "UTC", "working_hours": [],
            "working_hours_enabled": false, "csat_survey_enabled": false, "greeting_enabled": false,
            "greeting_message": null, "out_of_office_message": null, "identity_validation_enabled": false,
            "widget_color": "#1f6feb", "welcome_title": null, "welcome_tagline": null,
            "reply_time": "in_a_few_minutes", "pre_chat_form_enabled": true,
            "allow_messages_after_resolved": true, "online": true, "pre_chat_form_options": {}
        }))
        .expect("an inbox");
        state.inbox = Some(inbox.clone());
        assert!(state.needs_pre_chat());
        state.session = Some(StoredSession {
            source_id: "s".into(),
            pubsub_token: "p".into(),
        });
        assert!(!state.needs_pre_chat(), "a returning visitor");
        state.session = None;
        inbox.pre_chat_form_enabled = false;
        state.inbox = Some(inbox);
        assert!(!state.needs_pre_chat(), "the inbox does not ask");
    }
}
