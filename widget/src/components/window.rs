//! The chat window: who answers, the conversation, and what the visitor can do next.

use leptos::html;
use leptos::prelude::*;
use nimchat_shared::enums::ReplyTime;
use nimchat_shared::wire::PublicInbox;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, File, FileList, HtmlElement, KeyboardEvent, Node};

use super::focus::{active_in_widget, first_focusable, take_lost_focus};
use super::offline::asks;
use super::{flag, say, text, Icon, MessageList};
use crate::chat::{Chat, Delivery, Footer, Socket, State};
use crate::i18n::{fill, Key};
use crate::lazy::{lazy, Part};

/// How far from the end of the log still counts as reading the newest message.
const AT_BOTTOM_PX: i32 = 24;

/// What the header says about replies: online or not, and how soon unless the owner's
/// tagline says it already; nothing until the inbox has answered (nor when it refused).
fn status(state: &State) -> Option<String> {
    let inbox = state.inbox.as_ref()?;
    let presence = state.t(if inbox.online { Key::Online } else { Key::Offline });
    if inbox
        .welcome_tagline
        .as_deref()
        .is_some_and(|tagline| !tagline.trim().is_empty())
    {
        return Some(presence.to_string());
    }
    let reply = match inbox.reply_time {
        ReplyTime::InAFewHours => Key::ReplyInHours,
        ReplyTime::InADay => Key::ReplyInADay,
        _ => Key::ReplyInMinutes,
    };
    Some(format!("{presence} · {}", state.t(reply)))
}

/// A text of the inbox's settings, hidden while it has none.
fn inbox_text(chat: Chat, class: &'static str, pick: fn(&PublicInbox) -> Option<&String>) -> impl IntoView {
    let words = move || chat.with(|state| state.inbox.as_ref().and_then(pick).cloned());
    // The owner's words may be in another script than the widget's language.
    view! {
        <p class=class dir="auto" hidden=flag(move || words().is_none())>
            {text(move || words().unwrap_or_default())}
        </p>
    }
}

/// Tab stays inside the window while it is open.
fn keep_tab_inside(window: &Element, event: &KeyboardEvent) {
    let Ok(focusables) = window.query_selector_all("button:not([disabled]), textarea, input, a[href]") else {
        return;
    };
    let first = focusables.get(0);
    let last = focusables.get(focusables.length().saturating_sub(1));
    let active: Option<Node> = active_in_widget(window)
        .or_else(|| web_sys::window()?.document()?.active_element())
        .map(Into::into);
    let wrap_to = match event.shift_key() {
        true if active.is_some() && active == first => last,
        false if active.is_some() && active == last => first,
        _ => None,
    };
    if let Some(target) = wrap_to.and_then(|node| node.dyn_into::<HtmlElement>().ok()) {
        event.prevent_default();
        let _ = target.focus();
    }
}

/// The files of a picker, a drop or a paste.
fn files_of(list: Option<FileList>) -> Vec<File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|at| list.get(at)).collect()
}

fn is_at_bottom(log: &Element) -> bool {
    log.scroll_height() - log.scroll_top() - log.client_height() <= AT_BOTTOM_PX
}

/// The open window. Closing gives the focus back to the bubble, or, when the page hides
/// the bubble, to what had it before the window opened.
#[component]
pub fn ChatWindow(chat: Chat, bubble: NodeRef<html::Button>) -> impl IntoView {
    let opener = StoredValue::new(SendWrapper::new(
        web_sys::window().and_then(|window| window.document()?.active_element()),
    ));
    let close = move || {
        chat.set_open(false);
        let bubble_shown = chat.peek(|state| state.bubble_visible);
        match (bubble.get_untracked(), opener.get_value().take()) {
            (Some(bubble), _) if bubble_shown => {
                let _ = bubble.focus();
            }
            (_, Some(opener)) if opener.is_connected() && !opener.has_attribute("data-nimchat-host") => {
                let _ = opener.unchecked_ref::<HtmlElement>().focus();
            }
            _ => {}
        }
    };
    let window = NodeRef::<html::Section>::new();
    let footer = NodeRef::<html::Div>::new();
    // An opened dialog takes the focus (the first thing of its footer, else its close
    // button), once it is in the page.
    window.on_load(move |window| {
        let target = footer
            .get_untracked()
            .and_then(|footer| first_focusable(&footer))
            .or_else(|| window.query_selector(".close").ok().flatten()?.dyn_into().ok());
        if let Some(target) = target {
            let _ = target.focus();
        }
    });
    let inbox_name =
        move || chat.with(|state| state.inbox.as_ref().map(|inbox| inbox.name.clone()).unwrap_or_default());
    let online = move || chat.with(|state| state.inbox.as_ref().is_some_and(|inbox| inbox.online));
    let away = move || {
        chat.with(|state| {
            let inbox = state.inbox.as_ref().filter(|inbox| !inbox.online)?;
            inbox.out_of_office_message.clone()
        })
    };
    let place = move || chat.with(|state| Some(fill(state.t(Key::QueuePosition), state.queue_position()?)));
    let error = move || chat.with(|state| Some(state.error.as_ref()?.words(state.locale)));
    let down = move || chat.with(|state| state.socket == Socket::Down);
    view! {
        <section
            class="window"
            role="dialog"
            node_ref=window
            dir=text(move || chat.with(|state| state.locale.dir().to_string()))
            aria-label=text(inbox_name)
            // Files dropped anywhere on the window are sent, while the visitor can write.
            on:dragover=move |event| {
                if chat.peek(State::footer) == Footer::Composer {
                    event.prevent_default();
                }
            }
            on:drop=move |event| {
                if chat.peek(State::footer) == Footer::Composer {
                    event.prevent_default();
                    chat.attach(files_of(event.data_transfer().and_then(|data| data.files())));
                }
            }
            on:keydown=move |event| match event.key().as_str() {
                "Escape" => close(),
                "Tab" => {
                    if let Some(window) = window.get_untracked() {
                        keep_tab_inside(&window, &event);
                    }
                }
                _ => {}
            }
        >
            <header>
                <div>
                    <h2>{text(inbox_name)}</h2>
                    {inbox_text(chat, "welcome", |inbox| inbox.welcome_title.as_ref())}
                    {inbox_text(chat, "tagline", |inbox| inbox.welcome_tagline.as_ref())}
                    <p class="status" data-online=text(move || online().to_string()) hidden=flag(move || chat.with(status).is_none())>
                        {text(move || chat.with(status).unwrap_or_default())}
                    </p>
                </div>
                <button class="close" type="button" aria-label=say(chat, Key::CloseChat) on:click=move |_| close()>
                    <Icon path="M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z" size="20" />
                </button>
            </header>
            <p class="away" dir="auto" hidden=flag(move || away().is_none())>{text(move || away().unwrap_or_default())}</p>
            <p class="queue" role="status" hidden=flag(move || place().is_none())>{text(move || place().unwrap_or_default())}</p>
            <p class="connection" role="status" hidden=flag(move || !down())>
                {text(move || if down() { chat.t(Key::Reconnecting) } else { "" }.to_string())}
            </p>
            <Log chat />
            <p class="error" role="alert" hidden=flag(move || error().is_none())>{text(move || error().unwrap_or_default())}</p>
            <div class="footer" node_ref=footer>
                <WindowFooter chat footer />
            </div>
        </section>
    }
}

/// The conversation: the inbox's greeting, the messages, who is typing. It follows new
/// messages while the visitor reads the newest; scrolled up to read older ones, they get a
/// "new messages" button instead of a jump.
#[component]
fn Log(chat: Chat) -> impl IntoView {
    let log = NodeRef::<html::Div>::new();
    let following = StoredValue::new(true);
    // Where the widget last scrolled to: a scroll event above it is the visitor's own.
    let scrolled_to = StoredValue::new(0);
    let unseen = RwSignal::new(false);
    let asks_for_email = Memo::new(move |_| chat.with(asks));
    // Also called after a wait, when the window may have closed: `try_` reads.
    let to_bottom = move || {
        if let Some(log) = log.try_get_untracked().flatten() {
            log.set_scroll_top(log.scroll_height());
            scrolled_to.try_set_value(log.scroll_top());
        }
        following.try_set_value(true);
        unseen.try_set(false);
    };
    // After every change of the messages, once they are drawn.
    Effect::new(move |seen: Option<usize>| {
        let (count, sent_now) = chat.with(|state| {
            let sent_now = state.lines.last().is_some_and(|line| line.delivery == Delivery::Queued);
            (state.lines.len() + usize::from(state.agent_typing.is_some()), sent_now)
        });
        let arrived = seen.is_some_and(|seen| count > seen);
        leptos::task::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(0).await;
            // The visitor's own message brings them to the end.
            if following.try_get_value() == Some(true) || (arrived && sent_now) {
                to_bottom();
            } else if arrived {
                unseen.try_set(true);
            }
        });
        count
    });
    let greeting = move || {
        chat.with(|state| {
            let inbox = state.inbox.as_ref().filter(|inbox| inbox.greeting_enabled)?;
            inbox.greeting_message.clone().filter(|words| !words.trim().is_empty())
        })
    };
    let typing = move || chat.with(|state| Some(format!("{} {}", state.agent_typing.as_ref()?, state.t(Key::Typing))));
    // What grows after it is drawn (a part once the chunk is there, an image once loaded)
    // keeps the end in view while the visitor follows.
    let content = NodeRef::<html::Div>::new();
    content.on_load(move |content| {
        // Given to the browser: freed with the observer once the window is gone.
        let follow = Closure::<dyn Fn()>::new(move || {
            if following.try_get_value() == Some(true) {
                to_bottom();
            }
        })
        .into_js_value();
        if let Ok(observer) = web_sys::ResizeObserver::new(follow.unchecked_ref()) {
            observer.observe(&content);
        }
    });
    view! {
        <div class="log-frame">
            <div
                class="log"
                role="log"
                aria-live="polite"
                // Reachable by keyboard, so that it scrolls with the arrow keys.
                tabindex="0"
                aria-label=say(chat, Key::Conversation)
                node_ref=log
                on:scroll=move |_| {
                    let Some(log) = log.get_untracked() else { return };
                    // Messages drawn after the widget scrolled leave it above the end
                    // without the visitor moving: only scrolling up stops following.
                    if log.scroll_top() < scrolled_to.get_value() {
                        following.set_value(false);
                    }
                    scrolled_to.set_value(log.scroll_top());
                    if is_at_bottom(&log) {
                        following.set_value(true);
                        unseen.set(false);
                    }
                }
            >
                <div class="log-content" node_ref=content>
                <p class="greeting" dir="auto" hidden=flag(move || greeting().is_none())>
                    {text(move || greeting().unwrap_or_default())}
                </p>
                <p class="earlier" hidden=flag(move || !chat.with(|state| state.lines.iter().any(|line| line.delivery == Delivery::Earlier)))>
                    {say(chat, Key::EarlierConversations)}
                </p>
                <MessageList chat />
                {move || asks_for_email.get().then(|| lazy(Part::EmailCapture(chat)))}
                <p class="typing" hidden=flag(move || typing().is_none())>{text(move || typing().unwrap_or_default())}</p>
                </div>
            </div>
            <button class="new-messages" type="button" hidden=flag(move || !unseen.get()) on:click=move |_| to_bottom()>
                {say(chat, Key::NewMessages)}
            </button>
        </div>
    }
}

/// What the bottom of the window offers now. A footer that replaces the one that had the
/// focus takes it.
#[component]
fn WindowFooter(chat: Chat, footer: NodeRef<html::Div>) -> impl IntoView {
    let shown = Memo::new(move |_| chat.with(State::footer));
    Effect::new(move |before: Option<Footer>| {
        let now = shown.get();
        if before.is_some_and(|before| before != now) {
            if let Some(footer) = footer.get_untracked() {
                take_lost_focus(footer.into());
            }
        }
        now
    });
    move || match shown.get() {
        Footer::Unavailable => view! {
            <p class="unavailable" role="alert">{say(chat, Key::NotAvailableHere)}</p>
        }
        .into_any(),
        Footer::Resolved => view! {
            <div class="resolved">
                <p>{say(chat, Key::Resolved)}</p>
                <button class="primary" type="button" on:click=move |_| chat.start_new_conversation()>
                    {say(chat, Key::StartNew)}
                </button>
            </div>
        }
        .into_any(),
        Footer::PreChat => lazy(Part::PreChat(chat)),
        Footer::Composer => view! { <Composer chat /> }.into_any(),
    }
}

/// Enter sends; Shift+Enter is a new line. The box grows with the draft. Files come by the
/// attach button, or pasted (a screenshot), or dropped on the window.
#[component]
fn Composer(chat: Chat) -> impl IntoView {
    let draft = NodeRef::<html::Textarea>::new();
    let picker = NodeRef::<html::Input>::new();
    let typing = StoredValue::new(false);
    let fit = move |draft: &web_sys::HtmlTextAreaElement| {
        let style = draft.unchecked_ref::<HtmlElement>().style();
        let _ = style.set_property("height", "auto");
        let _ = style.set_property("height", &format!("{}px", draft.scroll_height() + 2));
    };
    let send = move || {
        let Some(draft) = draft.get_untracked() else { return };
        let content = draft.value();
        if content.trim().is_empty() {
            return;
        }
        draft.set_value("");
        fit(&draft);
        if typing.get_value() {
            typing.set_value(false);
            chat.typing(false);
        }
        chat.send(content);
    };
    view! {
        <form class="composer" on:submit=move |event| {
            event.prevent_default();
            send();
        }>
            <textarea
                rows="1"
                node_ref=draft
                aria-label=say(chat, Key::TypeMessage)
                placeholder=say(chat, Key::TypeMessage)
                on:input=move |_| {
                    if let Some(draft) = draft.get_untracked() {
                        fit(&draft);
                    }
                    if !typing.get_value() {
                        typing.set_value(true);
                        chat.typing(true);
                    }
                }
                on:keydown=move |event| {
                    // Enter that confirms an input method's composition (Japanese, Chinese) is not a send.
                    if event.key() == "Enter" && !event.shift_key() && !event.is_composing() {
                        event.prevent_default();
                        send();
                    }
                }
                on:paste=move |event| {
                    let files = files_of(event.clipboard_data().and_then(|data| data.files()));
                    if !files.is_empty() {
                        event.prevent_default();
                        chat.attach(files);
                    }
                }
            ></textarea>
            <input
                type="file"
                multiple
                hidden
                node_ref=picker
                on:change=move |_| {
                    if let Some(picker) = picker.get_untracked() {
                        chat.attach(files_of(picker.files()));
                        picker.set_value("");
                    }
                }
            />
            <button class="attach" type="button" aria-label=say(chat, Key::AttachFile) on:click=move |_| {
                if let Some(picker) = picker.get_untracked() {
                    picker.click();
                }
            }>
                <Icon path="M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6z" size="20" />
            </button>
            <button class="send" type="submit" aria-label=say(chat, Key::Send)>
                <Icon path="M3 20l18-8L3 4v6l12 2-12 2z" size="20" />
            </button>
        </form>
    }
}
