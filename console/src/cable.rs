//! The agent's `/cable` subscription: every event of the account the agent may see (new
//! conversations and messages, status and assignee changes, transfers asked of them) is handed
//! to the console, which reads again.
//! The socket reopens 3 s after it closes, until the console stops listening. Every 20 s it
//! says the console is open (`update_presence`), which keeps an `auto_offline` agent online.

use std::cell::Cell;
use std::rc::Rc;

use gloo_timers::callback::{Interval, Timeout};
use serde_json::{json, Value};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// An open subscription; dropping it stops listening.
pub struct Listening {
    stopped: Rc<Cell<bool>>,
    socket: Rc<Cell<Option<web_sys::WebSocket>>>,
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.stopped.set(true);
        if let Some(socket) = self.socket.take() {
            let _ = socket.close();
        }
    }
}

#[derive(Clone)]
struct Subscription {
    url: String,
    subscribe: String,
    presence: String,
    on_event: Rc<dyn Fn(&Value)>,
    stopped: Rc<Cell<bool>>,
    socket: Rc<Cell<Option<web_sys::WebSocket>>>,
}

pub fn listen(pubsub_token: &str, account_id: i64, user_id: i64, on_event: impl Fn(&Value) + 'static) -> Listening {
    let location = web_sys::window().map(|window| window.location());
    let host = location
        .as_ref()
        .and_then(|location| location.host().ok())
        .unwrap_or_default();
    let secure = location.and_then(|location| location.protocol().ok()).as_deref() == Some("https:");
    let scheme = if secure { "wss" } else { "ws" };
    let identifier = json!({"channel": "RoomChannel", "pubsub_token": pubsub_token,
                            "account_id": account_id, "user_id": user_id})
    .to_string();
    let subscription = Subscription {
        url: format!("{scheme}://{host}/cable?pubsub_token={pubsub_token}&heartbeat=client"),
        subscribe: json!({"command": "subscribe", "identifier": identifier}).to_string(),
        presence: json!({"command": "message", "identifier": identifier,
                         "data": json!({"action": "update_presence"}).to_string()})
        .to_string(),
        on_event: Rc::new(on_event),
        stopped: Rc::new(Cell::new(false)),
        socket: Rc::new(Cell::new(None)),
    };
    let listening = Listening {
        stopped: subscription.stopped.clone(),
        socket: subscription.socket.clone(),
    };
    subscription.open();
    listening
}

impl Subscription {
    fn open(self) {
        if self.stopped.get() {
            return;
        }
        let Ok(socket) = web_sys::WebSocket::new(&self.url) else {
            return self.reopen_later();
        };
        let opened = {
            let (socket, subscribe) = (socket.clone(), self.subscribe.clone());
            Closure::<dyn FnMut()>::new(move || {
                let _ = socket.send_with_str(&subscribe);
            })
        };
        let on_event = self.on_event.clone();
        let (confirmed, presence) = (socket.clone(), self.presence.clone());
        let received = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let frame: Value = event
                .data()
                .as_string()
                .and_then(|text| serde_json::from_str(&text).ok())
                .unwrap_or_default();
            // Frames with `message` are events (`{event, data}`); confirming the subscription
            // also catches up on what happened while the socket was closed.
            if let Some(message) = frame.get("message") {
                on_event(message);
            } else if frame["type"] == "confirm_subscription" {
                let _ = confirmed.send_with_str(&presence);
                on_event(&Value::Null);
            }
        });
        // Also keeps the socket open through proxies.
        let ping = {
            let (socket, presence) = (socket.clone(), self.presence.clone());
            Interval::new(20_000, move || {
                if socket.ready_state() == web_sys::WebSocket::OPEN {
                    let _ = socket.send_with_str(&presence);
                }
            })
        };
        let next = self.clone();
        let closed = Closure::<dyn FnMut()>::once(move || {
            drop(ping);
            next.reopen_later();
        });
        socket.set_onopen(Some(opened.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(received.as_ref().unchecked_ref()));
        socket.set_onclose(Some(closed.as_ref().unchecked_ref()));
        // The socket owns its handlers for as long as it lives.
        opened.forget();
        received.forget();
        closed.forget();
        self.socket.set(Some(socket));
    }

    fn reopen_later(self) {
        if !self.stopped.get() {
            Timeout::new(3_000, move || self.open()).forget();
        }
    }
}
