//! The chat's state and everything that changes it. Nothing here touches the network or
//! storage until the visitor sends a message or the page calls `$nimchat`.
//!
//! The state is one plain struct in one Leptos signal: components read it with
//! [`Chat::with`] and are redrawn after [`Chat::update`]. One coarse signal instead of one per
//! field keeps the reactive graph's generic code to a single copy (BENCHMARKS.md, Weight).

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Mutex;

use gloo_timers::callback::Interval;
use gloo_timers::future::TimeoutFuture;
use js_sys::{Object, Reflect};
use leptos::prelude::{ArcRwSignal, ReadUntracked, Track, Write};
use leptos::task::spawn_local;
use nimchat_shared::enums::{ConversationStatus, MessageType, SenderType};
use nimchat_shared::wire::{Attachment, Conversation, CsatSurveyResponse, Message, MessageIds, PublicInbox};
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{File, Url};

use crate::api::{upload, Api, Failure};
use crate::i18n::{fill_in, Key, Locale, Words};
use crate::json::{self, object};
use crate::reconnect::Backoff;
use crate::session_store::{self, StoredSession};

/// Where a message shown in the log stands with the edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Typed by the visitor, waiting its turn or on its way.
    Queued,
    /// Not sent: kept with a "retry" button.
    Failed,
    /// The edge has it.
    Confirmed,
    /// A message of the visitor's earlier conversation in this inbox, shown read-only above
    /// the current one.
    Earlier,
}

/// A message as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub message: Message,
    pub delivery: Delivery,
}

impl Line {
    /// A message as the edge has it.
    pub fn confirmed(message: Message) -> Line {
        Line {
            message,
            delivery: Delivery::Confirmed,
        }
    }

    pub fn is_confirmed(&self) -> bool {
        self.delivery == Delivery::Confirmed
    }

    /// What identifies the line on screen from draft to confirmation: its `echo_id` while it
    /// has one, so that confirming a draft changes it in place (a screen reader announces it
    /// once). An earlier conversation's line has a key of its own, so that it is drawn again,
    /// read-only, when its conversation becomes an earlier one.
    pub fn key(&self) -> String {
        match (&self.message.echo_id, self.delivery) {
            (_, Delivery::Earlier) => format!("earlier-{}", self.message.id),
            (Some(echo_id), _) => echo_id.clone(),
            (None, _) => self.message.id.to_string(),
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

/// The live connection of a visitor who has a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Socket {
    /// No session, or not tried yet.
    Idle,
    /// Subscribed: events arrive.
    Live,
    /// Lost or refused: reconnecting.
    Down,
}

/// What went wrong, as the visitor is told: a sentence, with the seconds to wait in it when
/// the edge said how long, or the edge's reason for refusing a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub key: Key,
    pub detail: String,
}

impl Notice {
    pub fn of(failure: &Failure) -> Notice {
        let (key, detail) = match failure {
            Failure::Network => (Key::ErrorNetwork, String::new()),
            Failure::TooFast(Some(seconds)) => (Key::ErrorTooFastWait, seconds.to_string()),
            Failure::TooFast(None) => (Key::ErrorTooFast, String::new()),
            Failure::Invalid(reason) => (Key::FileRefused, reason.clone()),
            Failure::Refused(_) => (Key::ErrorGeneric, String::new()),
        };
        Notice { key, detail }
    }

    pub fn words(&self, locale: Locale) -> String {
        fill_in(crate::i18n::t(locale, self.key), &self.detail)
    }
}

/// What the widget shows, and the session it speaks for.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub open: bool,
    pub bubble_visible: bool,
    pub locale: Locale,
    pub scheme: ColorScheme,
    /// The page's `launcherTitle`: the bubble's name in place of "Open chat".
    pub launcher_title: Option<String>,
    pub inbox: Option<PublicInbox>,
    /// The visitor's session; `None` until their first message (or a stored one).
    pub session: Option<StoredSession>,
    pub conversation: Option<Conversation>,
    pub lines: Vec<Line>,
    /// The name of the agent typing, while they type.
    pub agent_typing: Option<String>,
    /// Replies the visitor has not seen: while the window is closed or the page hidden.
    pub unread: u32,
    /// The page's `nimchatSettings.sound`: a tone for a reply the visitor is not looking at.
    pub sound: bool,
    pub error: Option<Notice>,
    /// The file on its way to the edge (by its line's `echo_id`) and how much has gone, in
    /// percent. Files go one at a time, in the queue with the texts.
    pub upload: Option<(String, u8)>,
    pub socket: Socket,
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
            launcher_title: None,
            inbox: None,
            session,
            conversation: None,
            lines: Vec::new(),
            agent_typing: None,
            unread: 0,
            sound: true,
            error: None,
            upload: None,
            socket: Socket::Idle,
            unavailable: false,
        }
    }

    /// A word in the visitor's language.
    pub fn t(&self, key: impl Words) -> &'static str {
        key.in_language(self.locale)
    }

    /// Puts a confirmed message in place of its draft, or in order among the others.
    pub fn reconcile(&mut self, message: Message) {
        let same = |line: &Line| {
            line.message.id == message.id
                || (!line.is_confirmed() && line.message.echo_id.is_some() && line.message.echo_id == message.echo_id)
        };
        match self.lines.iter().position(same) {
            Some(at) => {
                let mut message = message;
                // The line keeps the key it is drawn under (see `Line::key`).
                if message.echo_id.is_none() {
                    message.echo_id = self.lines[at].message.echo_id.take();
                }
                self.lines[at] = Line::confirmed(message);
            }
            None => {
                let at = self
                    .lines
                    .iter()
                    .position(|line| line.is_confirmed() && line.message.id > message.id)
                    .unwrap_or(self.lines.len());
                self.lines.insert(at, Line::confirmed(message));
            }
        }
    }

    /// The newest message the edge has confirmed, for catching up after a reconnect.
    pub fn last_confirmed(&self) -> i64 {
        self.lines
            .iter()
            .filter(|line| line.is_confirmed())
            .map(|line| line.message.id)
            .max()
            .unwrap_or(0)
    }

    /// The oldest message waiting to be sent: its `echo_id` and text.
    pub fn next_queued(&self) -> Option<(String, String)> {
        let line = self.lines.iter().find(|line| line.delivery == Delivery::Queued)?;
        Some((
            line.message.echo_id.clone()?,
            line.message.content.clone().unwrap_or_default(),
        ))
    }

    /// A send failed: it and everything queued behind it wait for the visitor's "retry".
    pub fn fail_queued(&mut self) {
        for line in &mut self.lines {
            if line.delivery == Delivery::Queued {
                line.delivery = Delivery::Failed;
            }
        }
    }

    /// The visitor asked to send a failed message again; those after it follow it.
    pub fn requeue(&mut self, echo_id: &str) {
        let Some(from) = self
            .lines
            .iter()
            .position(|line| line.message.echo_id.as_deref() == Some(echo_id))
        else {
            return;
        };
        for line in &mut self.lines[from..] {
            if line.delivery == Delivery::Failed {
                line.delivery = Delivery::Queued;
            }
        }
    }

    /// The newest reply, as "name: text", while the window is closed and replies are unread:
    /// shown beside the bubble.
    pub fn reply_preview(&self) -> Option<String> {
        if self.open || self.unread == 0 {
            return None;
        }
        let reply = self.lines.iter().rev().map(|line| &line.message).find(|message| {
            matches!(message.message_type, MessageType::Outgoing | MessageType::Template) && !message.private
        })?;
        // A reply of files alone is previewed by the first file's name.
        let content = reply
            .content
            .as_deref()
            .filter(|content| !content.is_empty())
            .or_else(|| Some(reply.attachments.first()?.file_name.as_str()))?;
        Some(match &reply.sender {
            Some(sender) => format!("{}: {content}", sender.available_name.as_ref().unwrap_or(&sender.name)),
            None => content.to_string(),
        })
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
        let answered = self.current_lines().any(|line| {
            line.message.message_type == MessageType::Outgoing
                && line.message.sender.as_ref().map(|sender| sender.kind) != Some(SenderType::AgentBot)
        });
        self.conversation
            .as_ref()
            .filter(|c| c.status.waits_in_queue(c.assignee.is_some()) && !answered)
            .and_then(|c| c.queue_position)
    }

    /// A queued line the edge will never take (a refused file): it leaves the log.
    pub fn drop_line(&mut self, echo_id: &str) {
        self.lines
            .retain(|line| line.is_confirmed() || line.message.echo_id.as_deref() != Some(echo_id));
    }

    /// The current conversation becomes an earlier one: its messages stay, read-only, and
    /// the next message opens a new conversation.
    pub fn close_conversation(&mut self) {
        self.conversation = None;
        self.lines
            .retain(|line| matches!(line.delivery, Delivery::Confirmed | Delivery::Earlier));
        self.lines.iter_mut().for_each(|line| line.delivery = Delivery::Earlier);
    }

    /// The lines of the current conversation, without the earlier ones.
    pub fn current_lines(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter().filter(|line| line.delivery != Delivery::Earlier)
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

    /// What the bottom of the window offers.
    pub fn footer(&self) -> Footer {
        match () {
            _ if self.unavailable => Footer::Unavailable,
            _ if self.is_resolved() => Footer::Resolved,
            _ if self.needs_pre_chat() => Footer::PreChat,
            _ => Footer::Composer,
        }
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

/// The bottom of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Footer {
    Composer,
    PreChat,
    Resolved,
    Unavailable,
}

/// What does not change, or is not drawn. The widget runs on the page's one thread: the
/// atomics, the mutexes and the wrapper are there for Leptos's `Send` bounds, not for threads.
struct Fixed {
    api: Api,
    inbox_identifier: String,
    /// Contact fields set by the page before the visitor has a session, as a JS object.
    pending_contact: SendWrapper<RefCell<Object>>,
    /// Bumped to stop the socket loop of a previous session.
    socket_generation: AtomicU32,
    /// The socket of the current session, closed at once by `reset`.
    socket: SendWrapper<RefCell<Option<LiveSocket>>>,
    backoff: Mutex<Backoff>,
    /// A task is sending the queued messages, one after the other.
    sending: AtomicBool,
    /// Plays a short tone: the loader's, in plain JavaScript (WebAudio through web-sys weighed
    /// 1.1 KB gzip in the wasm).
    tone: SendWrapper<RefCell<Option<js_sys::Function>>>,
    /// The files of queued lines, until the edge has them.
    files: SendWrapper<RefCell<Vec<PendingFile>>>,
}

/// A file the visitor attached, waiting in the queue under its line's `echo_id`.
struct PendingFile {
    echo_id: String,
    file: File,
    /// The file's `blob:` address the draft shows until the edge's own link replaces it.
    preview: String,
}

impl Fixed {
    fn generation(&self) -> u32 {
        self.socket_generation.load(Ordering::Relaxed)
    }

    /// A new socket generation: the loops of older ones stop.
    fn next_generation(&self) -> u32 {
        self.socket_generation.fetch_add(1, Ordering::Relaxed) + 1
    }

    fn set_backoff(&self, backoff: Backoff) {
        if let Ok(mut current) = self.backoff.lock() {
            *current = backoff;
        }
    }

    /// The step to wait on now; the next failure waits on the one after.
    fn take_backoff(&self) -> Backoff {
        let current = self.backoff.lock().map(|step| *step).unwrap_or_default();
        self.set_backoff(current.next());
        current
    }

    fn stop_socket(&self) {
        if let Some(live) = self.socket.borrow_mut().take() {
            live.close();
        }
    }
}

/// An open socket and what listens to it; dropping it stops them.
struct LiveSocket {
    socket: web_sys::WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_close: Closure<dyn FnMut()>,
    _ping: Interval,
}

impl LiveSocket {
    /// Closes the socket; its handlers are unset first, as they are dropped with `self`.
    fn close(self) {
        self.socket.set_onopen(None);
        self.socket.set_onmessage(None);
        self.socket.set_onclose(None);
        let _ = self.socket.close();
    }
}

struct Shared {
    state: ArcRwSignal<State>,
    fixed: Fixed,
}

/// A handle on the chat: `Copy`, so every event handler and component can hold one. A chat
/// lives as long as the page, so it is allocated once and never freed.
#[derive(Clone, Copy)]
pub struct Chat {
    shared: &'static Shared,
}

impl Chat {
    pub fn new(base: &str, inbox_identifier: &str, locale: Locale, scheme: ColorScheme) -> Chat {
        let fixed = Fixed {
            api: Api::new(base, inbox_identifier),
            inbox_identifier: inbox_identifier.to_string(),
            pending_contact: SendWrapper::new(RefCell::new(Object::new())),
            socket_generation: AtomicU32::new(0),
            socket: SendWrapper::new(RefCell::new(None)),
            backoff: Mutex::new(Backoff::default()),
            sending: AtomicBool::new(false),
            tone: SendWrapper::new(RefCell::new(None)),
            files: SendWrapper::new(RefCell::new(Vec::new())),
        };
        let state = State::new(locale, scheme, session_store::load(inbox_identifier));
        let shared = Shared {
            state: ArcRwSignal::new(state),
            fixed,
        };
        Chat {
            shared: Box::leak(Box::new(shared)),
        }
    }

    // The three accessors below call the signal's non-generic methods and then the closure,
    // rather than handing the closure to the signal: Leptos's generic code then exists once
    // in the wasm, not once per closure.

    /// Reads the state; a view that reads is redrawn when it changes.
    pub fn with<R>(self, read: impl FnOnce(&State) -> R) -> R {
        self.shared.state.track();
        self.peek(read)
    }

    /// Reads the state without asking to be redrawn.
    pub fn peek<R>(self, read: impl FnOnce(&State) -> R) -> R {
        read(&self.reading())
    }

    /// Changes the state and redraws what read it (when the guard is dropped).
    pub fn update(self, change: impl FnOnce(&mut State)) {
        change(&mut self.writing());
    }

    #[inline(never)]
    fn reading(self) -> impl std::ops::Deref<Target = State> {
        self.shared.state.read_untracked()
    }

    #[inline(never)]
    fn writing(self) -> impl std::ops::DerefMut<Target = State> {
        self.shared.state.write()
    }

    fn fixed(self) -> &'static Fixed {
        &self.shared.fixed
    }

    /// A word in the visitor's language, redrawn when the language changes.
    pub fn t(self, key: impl Words) -> &'static str {
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
        spawn_local(async move {
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
            self.report_opened();
        }
    }

    /// Tells the edge the window opened, for a visitor who has a session.
    fn report_opened(self) {
        let Some(session) = self.peek(|state| state.session.clone()) else {
            return;
        };
        let referer = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.url().ok())
            .unwrap_or_default();
        spawn_local(async move {
            let _ = self.api().opened(&session.source_id, &referer).await;
        });
    }

    async fn resume(self, session: StoredSession) {
        let mut conversations = match self.api().conversations(&session.source_id).await {
            Ok(conversations) => conversations,
            // The session is gone (another device reset it, or the inbox changed): start afresh.
            Err(Failure::Refused(404)) => {
                self.update(|state| state.session = None);
                session_store::forget(self.inbox_identifier());
                return;
            }
            Err(failure) => return self.fail(failure),
        };
        if let Some(mut last) = conversations.pop() {
            // Replies that came while the visitor was away (on another page) count as unread.
            let unseen = u32::try_from(last.unseen_replies().count()).unwrap_or(u32::MAX);
            let earlier = conversations.into_iter().flat_map(|conversation| conversation.messages);
            let earlier = earlier.map(|message| Line {
                message,
                delivery: Delivery::Earlier,
            });
            let current = std::mem::take(&mut last.messages).into_iter().map(Line::confirmed);
            self.update(|state| {
                state.lines = earlier.chain(current).collect();
                state.conversation = Some(last);
                if !state.open {
                    state.unread = unseen;
                }
            });
        }
        self.connect(session);
    }

    /// Shows a message at once and queues it; messages go to the edge one after the other,
    /// so the first creates the visitor and the conversation and the next wait for them.
    pub fn send(self, content: String) {
        self.queue(Some(content), Vec::new());
        self.send_queued();
        crate::lazy::prefetch();
    }

    /// Files the visitor chose, dropped or pasted, queued by the parts' chunk
    /// ([`crate::lazy::attach`]); if it does not load, the network's error shows.
    pub fn attach(self, files: Vec<File>) {
        spawn_local(async move {
            if loaded!(crate::lazy::attach(self, files)).is_err() {
                self.fail(Failure::Network);
            }
        });
    }

    /// Each file a message of its own, shown at once (an image by its preview) and queued
    /// like a text.
    pub(crate) fn queue_files(self, files: Vec<File>) {
        for file in files {
            let image = file.type_().starts_with("image/");
            let preview = Url::create_object_url_with_blob(&file).unwrap_or_default();
            let attachment = Attachment {
                file_type: if image { "image" } else { "file" }.into(),
                data_url: preview.clone(),
                thumb_url: if image { preview.clone() } else { String::new() },
                file_size: file.size() as i64,
                file_name: file.name(),
                ..Attachment::default()
            };
            let echo_id = self.queue(None, vec![attachment]);
            self.fixed()
                .files
                .borrow_mut()
                .push(PendingFile { echo_id, file, preview });
        }
        self.send_queued();
    }

    /// The file of a queued line, if it is one.
    fn pending_file(self, echo_id: &str) -> Option<File> {
        let files = self.fixed().files.borrow();
        files
            .iter()
            .find(|pending| pending.echo_id == echo_id)
            .map(|pending| pending.file.clone())
    }

    /// A queued file is done with (sent, or refused for good): its preview goes too.
    fn forget_file(self, echo_id: &str) {
        let mut files = self.fixed().files.borrow_mut();
        if let Some(at) = files.iter().position(|pending| pending.echo_id == echo_id) {
            let _ = Url::revoke_object_url(&files.remove(at).preview);
        }
    }

    /// Shows a draft of the visitor's and queues it: its `echo_id`.
    fn queue(self, content: Option<String>, attachments: Vec<Attachment>) -> String {
        let echo_id = format!(
            "nc-{}-{}",
            js_sys::Date::now() as u64,
            (js_sys::Math::random() * 1e9) as u64
        );
        let draft = Message {
            id: 0,
            content,
            message_type: MessageType::Incoming,
            content_type: "text".into(),
            content_attributes: serde_json::Map::new(),
            created_at: (js_sys::Date::now() / 1000.0) as i64,
            conversation_id: 0,
            status: "sent".into(),
            private: false,
            sender: None,
            echo_id: Some(echo_id.clone()),
            attachments,
            ids: MessageIds::default(),
        };
        self.update(|state| {
            state.lines.push(Line {
                message: draft,
                delivery: Delivery::Queued,
            })
        });
        echo_id
    }

    /// "Retry" on a message that was not sent.
    pub fn retry(self, echo_id: &str) {
        self.update(|state| state.requeue(echo_id));
        self.send_queued();
    }

    /// Sends what is queued, in order, unless a task does already.
    fn send_queued(self) {
        if self.fixed().sending.swap(true, Ordering::Relaxed) {
            return;
        }
        spawn_local(async move {
            while let Some((echo_id, content)) = self.peek(State::next_queued) {
                let file = self.pending_file(&echo_id);
                let sent = async {
                    let session = self.ensure_session().await?;
                    let conversation = self.ensure_conversation(&session).await?;
                    let api = self.api();
                    match &file {
                        Some(file) => {
                            let uploading = echo_id.clone();
                            let progress =
                                move |percent| self.update(|state| state.upload = Some((uploading.clone(), percent)));
                            let (source_id, file, echo_id) = (session.source_id.clone(), file.clone(), echo_id.clone());
                            loaded!(upload(
                                api.clone(),
                                source_id,
                                conversation,
                                file,
                                echo_id,
                                Box::new(progress)
                            ))?
                            .await
                        }
                        None => {
                            api.send_message(&session.source_id, conversation, &content, &echo_id)
                                .await
                        }
                    }
                };
                let sent = sent.await;
                self.update(|state| state.upload = None);
                match sent {
                    Ok(message) => {
                        self.forget_file(&echo_id);
                        self.update(|state| {
                            state.reconcile(message);
                            state.error = None;
                        })
                    }
                    // A file the edge does not take (too large, of a type it refuses) will
                    // not be taken on a retry either: it leaves, and the edge's reason shows.
                    Err(failure @ Failure::Invalid(_)) if file.is_some() => {
                        self.forget_file(&echo_id);
                        self.update(|state| state.drop_line(&echo_id));
                        self.fail(failure);
                    }
                    Err(failure) => {
                        self.update(State::fail_queued);
                        self.fail(failure);
                        break;
                    }
                }
            }
            self.fixed().sending.store(false, Ordering::Relaxed);
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

    /// The visitor's e-mail address, left while nobody could answer: stored on their contact.
    pub fn leave_email(self, email: String) {
        self.update_contact(object(&[("email", email.as_str().into())]));
        self.update(|state| {
            if let Some(conversation) = &mut state.conversation {
                conversation.contact.email = Some(email);
            }
        });
    }

    /// What plays the tone for a reply the visitor is not looking at.
    pub fn set_tone(self, tone: js_sys::Function) {
        *self.fixed().tone.borrow_mut() = Some(tone);
    }

    fn chime(self) {
        if let Some(tone) = self.fixed().tone.borrow().as_ref() {
            let _ = tone.call0(&JsValue::NULL);
        }
    }

    /// Answers a CSAT survey.
    pub fn rate(self, message_id: i64, response: CsatSurveyResponse) {
        let feedback = response
            .feedback_message
            .as_deref()
            .map_or(JsValue::NULL, JsValue::from_str);
        let survey = object(&[
            ("rating", JsValue::from(response.rating)),
            ("feedback_message", feedback),
        ]);
        self.answer(message_id, object(&[("csat_survey_response", survey.into())]).into());
    }

    /// Answers a message that asks for an answer with its `submitted_values`.
    pub fn answer(self, message_id: i64, values: JsValue) {
        let Some((session, conversation)) = self.peek(State::session_and_conversation) else {
            return;
        };
        spawn_local(async move {
            match self
                .api()
                .submit(&session.source_id, conversation, message_id, values)
                .await
            {
                Ok(message) => self.update(|state| state.reconcile(message)),
                Err(failure) => self.fail(failure),
            }
        });
    }

    /// After a resolved conversation: the next message opens a new one, under the earlier.
    pub fn start_new_conversation(self) {
        self.update(State::close_conversation);
    }

    pub fn typing(self, on: bool) {
        let Some((session, conversation)) = self.peek(State::session_and_conversation) else {
            return;
        };
        spawn_local(async move {
            let _ = self.api().typing(&session.source_id, conversation, on).await;
        });
    }

    fn mark_seen(self) {
        let Some((session, conversation)) = self.peek(State::session_and_conversation) else {
            return;
        };
        spawn_local(async move {
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
            spawn_local(async move {
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
        fixed.next_generation();
        // The old visitor's socket closes now, not at its next frame or ping.
        fixed.stop_socket();
        fixed.pending_contact.replace(Object::new());
        self.update(|state| {
            state.session = None;
            state.conversation = None;
            state.lines.clear();
            state.unread = 0;
            state.error = None;
            state.upload = None;
            state.socket = Socket::Idle;
        });
        for pending in fixed.files.replace(Vec::new()) {
            let _ = Url::revoke_object_url(&pending.preview);
        }
    }

    fn fail(self, failure: Failure) {
        let notice = Notice::of(&failure);
        emit(
            "nimchat:error",
            JsValue::from_str(&self.peek(|state| notice.words(state.locale))),
        );
        self.update(|state| state.error = Some(notice.clone()));
        // "Too fast" holds until the time the edge gave is over.
        if let Failure::TooFast(Some(seconds)) = failure {
            spawn_local(async move {
                TimeoutFuture::new(seconds.saturating_mul(1000)).await;
                if self.peek(|state| state.error.as_ref() == Some(&notice)) {
                    self.update(|state| state.error = None);
                }
            });
        }
    }

    /// Whether the socket loop of `generation` should go on (not after `reset` or unmount).
    fn is_live(self, generation: u32) -> bool {
        self.fixed().generation() == generation
    }

    /// Keeps a socket open for the session, reconnecting with back-off (reset only once a
    /// subscription is confirmed) and catching up on what was missed; a newer session (after
    /// `reset`) stops it.
    fn connect(self, session: StoredSession) {
        let generation = self.fixed().next_generation();
        self.fixed().set_backoff(Backoff::default());
        let api = self.api();
        // http://… becomes ws://…, https://… wss://….
        let base = format!("ws{}", api.base().strip_prefix("http").unwrap_or(api.base()));
        let url = format!("{base}/cable?pubsub_token={}&heartbeat=client", session.pubsub_token);
        let identifier = json::stringify(&object(&[
            ("channel", "RoomChannel".into()),
            ("pubsub_token", session.pubsub_token.as_str().into()),
        ]));
        let subscribe = json::stringify(&object(&[
            ("command", "subscribe".into()),
            ("identifier", identifier.as_str().into()),
        ]));
        self.open_socket(generation, url, subscribe);
    }

    /// One socket of a session's `generation`; when it closes, the next one after a wait.
    fn open_socket(self, generation: u32, url: String, subscribe: String) {
        let Ok(socket) = web_sys::WebSocket::new(&url) else {
            return self.reopen_later(generation, url, subscribe);
        };
        let opened = {
            let (socket, subscribe) = (socket.clone(), subscribe.clone());
            Closure::<dyn FnMut()>::new(move || {
                let _ = socket.send_with_str(&subscribe);
            })
        };
        let received = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            if let (true, Some(text)) = (self.is_live(generation), event.data().as_string()) {
                self.on_frame(&text);
            }
        });
        let closed = Closure::<dyn FnMut()>::once(move || self.reopen_later(generation, url, subscribe));
        socket.set_onopen(Some(opened.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(received.as_ref().unchecked_ref()));
        socket.set_onclose(Some(closed.as_ref().unchecked_ref()));
        // Every 25 s: the runtime answers a ping without waking the room's object.
        let ping = {
            let socket = socket.clone();
            Interval::new(25_000, move || {
                if socket.ready_state() == web_sys::WebSocket::OPEN {
                    let _ = socket.send_with_str("ping");
                }
            })
        };
        let live = LiveSocket {
            socket,
            _on_open: opened,
            _on_message: received,
            _on_close: closed,
            _ping: ping,
        };
        let replaced = self.fixed().socket.borrow_mut().replace(live);
        if let Some(old) = replaced {
            old.close();
        }
    }

    /// After a socket of `generation` closed: says so, waits its turn and tries again.
    fn reopen_later(self, generation: u32, url: String, subscribe: String) {
        if !self.is_live(generation) {
            return;
        }
        self.update(|state| state.socket = Socket::Down);
        let wait = self.fixed().take_backoff().wait_ms(js_sys::Math::random());
        spawn_local(async move {
            TimeoutFuture::new(wait).await;
            if self.is_live(generation) {
                self.open_socket(generation, url, subscribe);
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

    /// One frame from `/cable`: a confirmed subscription, or an event of this conversation.
    pub fn on_frame(self, text: &str) {
        let Some(frame) = js_sys::JSON::parse(text).ok().as_ref().and_then(json::fields) else {
            return;
        };
        // Frames with a `type` are the protocol's own: welcome, ping, confirmations.
        if let Some(kind) = frame.string("type") {
            if kind == "confirm_subscription" {
                self.fixed().set_backoff(Backoff::default());
                self.update(|state| {
                    state.socket = Socket::Live;
                    if state
                        .error
                        .as_ref()
                        .is_some_and(|notice| notice.key == Key::ErrorNetwork)
                    {
                        state.error = None;
                    }
                });
                spawn_local(self.catch_up());
            }
            return;
        }
        let Some(event) = frame.fields("message") else {
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
                // The visitor is not looking: the window is closed, or the page is hidden.
                let away = !open || page_hidden();
                if new_reply {
                    emit(
                        "nimchat:on-message",
                        JsValue::from_str(message.content.as_deref().unwrap_or_default()),
                    );
                    if open {
                        self.mark_seen();
                    }
                    if away && self.peek(|state| state.sound) {
                        self.chime();
                    }
                }
                self.update(|state| {
                    if new_reply {
                        state.agent_typing = None;
                        if away {
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

/// Whether the page is in a hidden tab or a minimised window.
pub fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|window| window.document())
        .is_some_and(|document| document.hidden())
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
        let delivery = if pending { Delivery::Queued } else { Delivery::Confirmed };
        Line { message, delivery }
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
        let ids: Vec<(i64, bool)> = state.lines.iter().map(|l| (l.message.id, l.is_confirmed())).collect();
        assert_eq!(ids, [(1, true), (2, true)]);
        assert_eq!(state.last_confirmed(), 2);
    }

    #[test]
    fn a_draft_keeps_its_key_when_the_confirmation_has_no_echo_id() {
        let mut state = state();
        state.lines = vec![line(message(0, MessageType::Incoming, Some("nc-7")), true)];
        let key = state.lines[0].key();
        state.reconcile(message(3, MessageType::Incoming, Some("nc-7")));
        state.reconcile(message(3, MessageType::Incoming, None));
        assert_eq!(state.lines.len(), 1);
        assert_eq!(state.lines[0].key(), key, "drawn in place, announced once");
        assert!(state.lines[0].is_confirmed());
    }

    #[test]
    fn messages_queue_in_order_and_fail_and_retry_together() {
        let mut state = state();
        state.lines = vec![
            line(message(0, MessageType::Incoming, Some("a")), true),
            line(message(0, MessageType::Incoming, Some("b")), true),
        ];
        assert_eq!(state.next_queued().map(|(echo, _)| echo).as_deref(), Some("a"));
        state.fail_queued();
        assert!(state.lines.iter().all(|l| l.delivery == Delivery::Failed));
        assert_eq!(state.next_queued(), None, "nothing goes without the visitor's retry");
        state.requeue("a");
        assert_eq!(
            state.lines.iter().map(|l| l.delivery).collect::<Vec<_>>(),
            [Delivery::Queued, Delivery::Queued],
            "those behind follow"
        );
        state.reconcile(message(5, MessageType::Incoming, Some("a")));
        assert_eq!(state.next_queued().map(|(echo, _)| echo).as_deref(), Some("b"));
        assert_eq!(
            state.lines[1].message.content.as_deref(),
            Some("message 0"),
            "the text is kept"
        );
    }

    #[test]
    fn a_reply_of_files_alone_is_previewed_by_its_first_files_name() {
        let mut state = state();
        let mut reply = message(5, MessageType::Outgoing, None);
        reply.content = None;
        reply.attachments = vec![Attachment {
            file_name: "guide.pdf".into(),
            ..Attachment::default()
        }];
        state.lines = vec![line(reply, false)];
        state.unread = 1;
        assert_eq!(state.reply_preview().as_deref(), Some("guide.pdf"));
        state.lines[0].message.content = Some("Here it is".into());
        assert_eq!(state.reply_preview().as_deref(), Some("Here it is"), "words first");
    }

    #[test]
    fn a_refused_file_leaves_the_log_and_the_rest_stays() {
        let mut state = state();
        state.lines = vec![
            line(message(1, MessageType::Incoming, None), false),
            line(message(0, MessageType::Incoming, Some("nc-file")), true),
            line(message(0, MessageType::Incoming, Some("nc-text")), true),
        ];
        state.drop_line("nc-file");
        let left: Vec<Option<&str>> = state.lines.iter().map(|line| line.message.echo_id.as_deref()).collect();
        assert_eq!(left, [None, Some("nc-text")]);
        state.drop_line("nc-unknown");
        assert_eq!(state.lines.len(), 2);
    }

    #[test]
    fn too_fast_says_when_the_visitor_can_write_again() {
        let notice = Notice::of(&Failure::TooFast(Some(12)));
        assert_eq!(
            notice.words(Locale::En),
            "You are sending messages too fast. You can write again in 12 s."
        );
        assert_eq!(Notice::of(&Failure::TooFast(None)).key, Key::ErrorTooFast);
        assert_eq!(
            Notice::of(&Failure::Invalid(
                "run.exe is a type of file that is not accepted".into()
            ))
            .words(Locale::Fr),
            "Non envoyé : run.exe is a type of file that is not accepted",
            "the edge's reason, in the visitor's sentence"
        );
        assert_eq!(Notice::of(&Failure::Network).key, Key::ErrorNetwork);
    }

    #[test]
    fn the_footer_follows_the_conversation() {
        let mut state = state();
        assert_eq!(state.footer(), Footer::Composer);
        let mut resolved = waiting_conversation(1);
        resolved.status = ConversationStatus::Resolved;
        state.conversation = Some(resolved);
        assert_eq!(state.footer(), Footer::Resolved);
        state.unavailable = true;
        assert_eq!(state.footer(), Footer::Unavailable);
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
    fn a_closed_conversation_stays_read_only_above_the_next() {
        let mut state = state();
        state.conversation = Some(waiting_conversation(2));
        state.lines = vec![
            line(message(8, MessageType::Outgoing, None), false),
            line(message(0, MessageType::Incoming, Some("nc-1")), true),
        ];
        let before = state.lines[0].key();
        state.close_conversation();
        assert_eq!(state.conversation, None);
        assert_eq!(state.lines.len(), 1, "an unsent draft does not stay");
        assert_eq!(state.lines[0].delivery, Delivery::Earlier);
        assert_ne!(state.lines[0].key(), before, "drawn again, read-only");
        state.conversation = Some(waiting_conversation(3));
        assert_eq!(state.queue_position(), Some(3), "an earlier answer is no answer now");
        assert_eq!(
            state.last_confirmed(),
            0,
            "catching up reads the new conversation from its start"
        );
        state.reconcile(message(9, MessageType::Incoming, None));
        assert_eq!(state.current_lines().count(), 1);
        assert_eq!(
            state.lines.last().map(|line| line.message.id),
            Some(9),
            "under the earlier"
        );
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
