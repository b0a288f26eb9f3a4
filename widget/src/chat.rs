//! The chat's state, as signals, and everything that changes it. Nothing here touches the
//! network or storage until the visitor sends a message or the page calls `$nimchat`.

use futures::{SinkExt, StreamExt};
use gloo_net::websocket::{futures::WebSocket, Message as Frame};
use gloo_timers::future::TimeoutFuture;
use js_sys::{Object, Reflect};
use leptos::prelude::*;
use leptos::task::spawn_local;
use nimchat_shared::enums::{ConversationStatus, MessageType};
use nimchat_shared::wire::{Conversation, CsatSurveyResponse, Message, PublicInbox};
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

#[derive(Clone, Copy)]
pub struct Chat {
    pub open: RwSignal<bool>,
    pub bubble_visible: RwSignal<bool>,
    pub locale: RwSignal<Locale>,
    pub scheme: RwSignal<ColorScheme>,
    pub inbox: RwSignal<Option<PublicInbox>>,
    pub conversation: RwSignal<Option<Conversation>>,
    pub lines: RwSignal<Vec<Line>>,
    /// The name of the agent typing, while they type.
    pub agent_typing: RwSignal<Option<String>>,
    pub unread: RwSignal<u32>,
    pub error: RwSignal<Option<Key>>,
    api: StoredValue<Api>,
    inbox_identifier: StoredValue<String>,
    session: StoredValue<Option<StoredSession>>,
    /// Contact fields set by the page before the visitor has a session, as a JS object.
    pending_contact: StoredValue<Object, LocalStorage>,
    /// Bumped to stop the socket loop of a previous session.
    socket_generation: StoredValue<u32>,
}

impl Chat {
    pub fn new(base: &str, inbox_identifier: &str, locale: Locale, scheme: ColorScheme) -> Chat {
        Chat {
            open: RwSignal::new(false),
            bubble_visible: RwSignal::new(true),
            locale: RwSignal::new(locale),
            scheme: RwSignal::new(scheme),
            inbox: RwSignal::new(None),
            conversation: RwSignal::new(None),
            lines: RwSignal::new(Vec::new()),
            agent_typing: RwSignal::new(None),
            unread: RwSignal::new(0),
            error: RwSignal::new(None),
            api: StoredValue::new(Api::new(base, inbox_identifier)),
            inbox_identifier: StoredValue::new(inbox_identifier.to_string()),
            session: StoredValue::new(session_store::load(inbox_identifier)),
            pending_contact: StoredValue::new_local(Object::new()),
            socket_generation: StoredValue::new(0),
        }
    }

    fn api(self) -> Api {
        self.api.get_value()
    }

    /// Loads the inbox and, for a returning visitor, their conversation and live updates.
    pub fn start(self) {
        spawn_local(async move {
            match self.api().inbox().await {
                Ok(inbox) => self.inbox.set(Some(inbox)),
                Err(failure) => self.fail(failure),
            }
            if let Some(session) = self.session.get_value() {
                self.resume(session).await;
            }
        });
    }

    pub fn set_open(self, open: bool) {
        if self.open.get_untracked() == open {
            return;
        }
        self.open.set(open);
        emit(if open { "nimchat:opened" } else { "nimchat:closed" }, JsValue::NULL);
        if open {
            self.unread.set(0);
            self.mark_seen();
        }
    }

    async fn resume(self, session: StoredSession) {
        let conversations = match self.api().conversations(&session.source_id).await {
            Ok(conversations) => conversations,
            // The session is gone (another device reset it, or the inbox changed): start afresh.
            Err(Failure::Refused(404)) => {
                self.session.set_value(None);
                session_store::forget(&self.inbox_identifier.get_value());
                return;
            }
            Err(failure) => return self.fail(failure),
        };
        if let Some(mut last) = conversations.into_iter().last() {
            let messages = std::mem::take(&mut last.messages);
            self.lines.set(
                messages
                    .into_iter()
                    .map(|message| Line {
                        message,
                        pending: false,
                    })
                    .collect(),
            );
            self.conversation.set(Some(last));
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
        };
        self.lines.update(|lines| {
            lines.push(Line {
                message: draft,
                pending: true,
            })
        });
        self.error.set(None);
        spawn_local(async move {
            let sent = async {
                let session = self.ensure_session().await?;
                let conversation = self.ensure_conversation(&session).await?;
                self.api()
                    .send_message(&session.source_id, conversation, &content, &echo_id)
                    .await
            };
            match sent.await {
                Ok(message) => self.reconcile(message),
                Err(failure) => {
                    self.lines
                        .update(|lines| lines.retain(|line| line.message.echo_id.as_deref() != Some(echo_id.as_str())));
                    self.fail(failure);
                }
            }
        });
    }

    async fn ensure_session(self) -> Result<StoredSession, Failure> {
        if let Some(session) = self.session.get_value() {
            return Ok(session);
        }
        let created = self.api().create_contact(&self.pending_contact.get_value()).await?;
        let session = StoredSession::from(&created);
        session_store::save(&self.inbox_identifier.get_value(), &session);
        self.session.set_value(Some(session.clone()));
        self.connect(session.clone());
        Ok(session)
    }

    async fn ensure_conversation(self, session: &StoredSession) -> Result<i64, Failure> {
        if let Some(conversation) = self.conversation.get_untracked() {
            return Ok(conversation.id);
        }
        let attributes = self
            .pending_contact
            .with_value(|contact| Reflect::get(contact, &"custom_attributes".into()).ok())
            .filter(JsValue::is_object)
            .unwrap_or_else(|| Object::new().into());
        let created = self.api().create_conversation(&session.source_id, &attributes).await?;
        let id = created.id;
        self.conversation.set(Some(created));
        Ok(id)
    }

    /// Puts a confirmed message in place of its draft, or in order among the others.
    fn reconcile(self, message: Message) {
        self.lines.update(|lines| {
            let same = |line: &Line| {
                line.message.id == message.id
                    || (line.pending && line.message.echo_id.is_some() && line.message.echo_id == message.echo_id)
            };
            match lines.iter_mut().find(|line| same(line)) {
                Some(line) => {
                    *line = Line {
                        message: message.clone(),
                        pending: false,
                    }
                }
                None => {
                    let at = lines
                        .iter()
                        .position(|line| !line.pending && line.message.id > message.id)
                        .unwrap_or(lines.len());
                    lines.insert(
                        at,
                        Line {
                            message: message.clone(),
                            pending: false,
                        },
                    );
                }
            }
        });
    }

    /// Answers a CSAT survey.
    pub fn rate(self, message_id: i64, response: CsatSurveyResponse) {
        let (Some(session), Some(conversation)) = (self.session.get_value(), self.conversation.get_untracked()) else {
            return;
        };
        spawn_local(async move {
            match self
                .api()
                .rate(&session.source_id, conversation.id, message_id, &response)
                .await
            {
                Ok(message) => self.reconcile(message),
                Err(failure) => self.fail(failure),
            }
        });
    }

    /// After a resolved conversation: the next message opens a new one.
    pub fn start_new_conversation(self) {
        self.conversation.set(None);
        self.lines.set(Vec::new());
    }

    pub fn typing(self, on: bool) {
        let (Some(session), Some(conversation)) = (self.session.get_value(), self.conversation.get_untracked()) else {
            return;
        };
        spawn_local(async move {
            let _ = self.api().typing(&session.source_id, conversation.id, on).await;
        });
    }

    fn mark_seen(self) {
        let (Some(session), Some(conversation)) = (self.session.get_value(), self.conversation.get_untracked()) else {
            return;
        };
        spawn_local(async move {
            let _ = self.api().seen(&session.source_id, conversation.id).await;
        });
    }

    /// `setUser`, `setCustomAttributes`: kept until the visitor has a session, then sent.
    pub fn update_contact(self, changes: Object) {
        self.pending_contact
            .with_value(|pending| Object::assign(pending, &changes));
        if let Some(session) = self.session.get_value() {
            spawn_local(async move {
                if let Err(failure) = self.api().update_contact(&session.source_id, &changes).await {
                    self.fail(failure);
                }
            });
        }
    }

    /// `reset()`: forgets the visitor on this device.
    pub fn reset(self) {
        session_store::forget(&self.inbox_identifier.get_value());
        self.session.set_value(None);
        self.socket_generation.update_value(|generation| *generation += 1);
        self.pending_contact.set_value(Object::new());
        self.start_new_conversation();
        self.unread.set(0);
    }

    fn fail(self, failure: Failure) {
        let key = match failure {
            Failure::Network => Key::ErrorNetwork,
            Failure::TooFast => Key::ErrorTooFast,
            Failure::Refused(_) => Key::ErrorGeneric,
        };
        self.error.set(Some(key));
        emit("nimchat:error", JsValue::from_str(self.locale.get_untracked().t(key)));
    }

    /// Keeps a socket open for the session, reconnecting with back-off and catching up on
    /// what was missed; a newer session (after `reset`) stops it.
    fn connect(self, session: StoredSession) {
        self.socket_generation.update_value(|generation| *generation += 1);
        let generation = self.socket_generation.get_value();
        let base = self.api().base().replacen("http", "ws", 1);
        let url = format!("{base}/cable?pubsub_token={}&heartbeat=client", session.pubsub_token);
        let identifier = json::stringify(&object(&[
            ("channel", "RoomChannel".into()),
            ("pubsub_token", session.pubsub_token.as_str().into()),
        ]));
        spawn_local(async move {
            let mut backoff_ms = 1_000;
            while self.socket_generation.try_get_value() == Some(generation) {
                if let Ok(socket) = WebSocket::open(&url) {
                    let (mut writer, mut reader) = socket.split();
                    let subscribe = json::stringify(&object(&[
                        ("command", "subscribe".into()),
                        ("identifier", identifier.as_str().into()),
                    ]));
                    if writer.send(Frame::Text(subscribe)).await.is_ok() {
                        backoff_ms = 1_000;
                        self.catch_up().await;
                        spawn_local(async move {
                            // The runtime answers this without waking the room's object.
                            while writer.send(Frame::Text("ping".into())).await.is_ok() {
                                TimeoutFuture::new(25_000).await;
                            }
                        });
                        while let Some(Ok(frame)) = reader.next().await {
                            if self.socket_generation.try_get_value() != Some(generation) {
                                return;
                            }
                            if let Frame::Text(text) = frame {
                                self.on_frame(&text);
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
        let (Some(session), Some(conversation)) = (self.session.get_value(), self.conversation.get_untracked()) else {
            return;
        };
        let last = self.lines.with_untracked(|lines| {
            lines
                .iter()
                .filter(|line| !line.pending)
                .map(|line| line.message.id)
                .max()
        });
        if let Ok(missed) = self
            .api()
            .messages_after(&session.source_id, conversation.id, last.unwrap_or(0))
            .await
        {
            for message in missed {
                self.reconcile(message);
            }
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
        let in_this_conversation = |id: Option<i64>| {
            self.conversation
                .with_untracked(|conversation| conversation.as_ref().is_some_and(|c| Some(c.id) == id))
        };
        match event.string("event").unwrap_or_default().as_str() {
            "message.created" | "message.updated" => {
                let Some(message) = json::decode::<Message>(&data) else {
                    return;
                };
                if !in_this_conversation(Some(message.conversation_id)) {
                    return;
                }
                let from_agent = message.message_type != MessageType::Incoming;
                if from_agent
                    && self
                        .lines
                        .with_untracked(|lines| lines.iter().all(|line| line.message.id != message.id))
                {
                    emit(
                        "nimchat:on-message",
                        JsValue::from_str(message.content.as_deref().unwrap_or_default()),
                    );
                    if self.open.get_untracked() {
                        self.mark_seen();
                    } else {
                        self.unread.update(|unread| *unread += 1);
                    }
                    self.agent_typing.set(None);
                }
                self.reconcile(message);
            }
            "conversation.status_changed" | "conversation.updated" => {
                let Some(conversation) = json::decode::<Conversation>(&data) else {
                    return;
                };
                if in_this_conversation(Some(conversation.id)) {
                    self.update_conversation(conversation);
                }
            }
            "conversation.queue_position" => {
                let Some(data) = json::fields(&data) else { return };
                if in_this_conversation(data.int("conversation_id")) {
                    let position = data.int("position").and_then(|place| u32::try_from(place).ok());
                    self.conversation
                        .update(|conversation| conversation.iter_mut().for_each(|c| c.queue_position = position));
                }
            }
            name @ ("conversation.typing_on" | "conversation.typing_off") => {
                let Some(data) = json::fields(&data) else { return };
                if in_this_conversation(data.fields("conversation").and_then(|c| c.int("id"))) {
                    let typist = data.fields("user").and_then(|user| user.string("name"));
                    self.agent_typing
                        .set((name == "conversation.typing_on").then(|| typist.unwrap_or_default()));
                }
            }
            _ => {}
        }
    }

    /// Status and assignee from an event; the queue position, which such events do not
    /// carry, comes from `conversation.queue_position` and is kept.
    fn update_conversation(self, mut changed: Conversation) {
        self.conversation.update(|conversation| {
            changed.queue_position = changed
                .queue_position
                .or(conversation.as_ref().and_then(|c| c.queue_position));
            *conversation = Some(changed);
        });
    }

    /// The visitor's place in the queue while nobody has taken the conversation, until an
    /// agent answers (an agent may reply without taking it).
    pub fn queue_position(self) -> Option<u32> {
        let answered = self.lines.with(|lines| {
            lines
                .iter()
                .any(|line| line.message.message_type == MessageType::Outgoing)
        });
        self.conversation.with(|conversation| {
            conversation
                .as_ref()
                .filter(|c| c.status.waits_in_queue(c.assignee.is_some()) && !answered)
                .and_then(|c| c.queue_position)
        })
    }

    /// A first-time visitor of an inbox that asks questions before the first message.
    pub fn needs_pre_chat(self) -> bool {
        let asks = self
            .inbox
            .with(|inbox| inbox.as_ref().is_some_and(|inbox| inbox.pre_chat_form_enabled));
        asks && self.session.with_value(Option::is_none) && self.lines.with(Vec::is_empty)
    }

    pub fn is_resolved(self) -> bool {
        self.conversation.with(|conversation| {
            conversation
                .as_ref()
                .is_some_and(|c| c.status == ConversationStatus::Resolved)
        })
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
