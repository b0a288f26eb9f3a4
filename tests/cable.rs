//! A real ActionCable client over WebSocket, for the `/cable` tests.

use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tungstenite::client::IntoClientRequest;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use crate::{TestAccount, TestApp, TestUser, TestVisitor};

pub struct Cable {
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
}

/// The `identifier` string of a `RoomChannel` subscription.
pub fn identifier(pubsub_token: &str, account_id: Option<i64>, user_id: Option<i64>) -> String {
    let mut channel = json!({"channel": "RoomChannel", "pubsub_token": pubsub_token});
    if let Some(account_id) = account_id {
        channel["account_id"] = json!(account_id);
    }
    if let Some(user_id) = user_id {
        channel["user_id"] = json!(user_id);
    }
    channel.to_string()
}

impl Cable {
    /// Connects as ActionCable clients do, asking for the `actioncable-v1-json` protocol.
    pub fn connect(url: &str) -> Cable {
        let mut request = url.into_client_request().expect("a ws:// URL");
        request
            .headers_mut()
            .insert("Sec-WebSocket-Protocol", "actioncable-v1-json".parse().unwrap());
        let (socket, response) = tungstenite::connect(request).unwrap_or_else(|error| panic!("connect {url}: {error}"));
        assert_eq!(
            response
                .headers()
                .get("sec-websocket-protocol")
                .and_then(|v| v.to_str().ok()),
            Some("actioncable-v1-json")
        );
        if let MaybeTlsStream::Plain(stream) = socket.get_ref() {
            stream
                .set_read_timeout(Some(Duration::from_millis(100)))
                .expect("a read timeout");
        }
        Cable { socket }
    }

    pub fn send_text(&mut self, text: &str) {
        self.socket.send(Message::text(text)).expect("send a frame");
    }

    /// The next JSON frame within `limit`; `None` on silence or a closed socket.
    pub fn next_frame(&mut self, limit: Duration) -> Option<Value> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            match self.socket.read() {
                Ok(Message::Text(text)) => return serde_json::from_str(&text).ok(),
                Ok(Message::Close(_)) => return None,
                Ok(_) => continue,
                Err(tungstenite::Error::Io(error))
                    if matches!(
                        error.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    continue
                }
                Err(_) => return None,
            }
        }
        None
    }

    /// Subscribes and answers the server's reply type (`confirm_subscription` or `reject_subscription`).
    pub fn subscribe(&mut self, identifier: &str) -> String {
        self.send_text(&json!({"command": "subscribe", "identifier": identifier}).to_string());
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(frame) = self.next_frame(Duration::from_millis(500)) {
                if frame["identifier"] == identifier {
                    return frame["type"].as_str().unwrap_or_default().to_string();
                }
            }
        }
        panic!("no answer to the subscription {identifier}")
    }

    /// The `message` payloads (`{event, data}`) that arrive within `limit`, skipping pings.
    pub fn events_within(&mut self, limit: Duration) -> Vec<Value> {
        let deadline = Instant::now() + limit;
        let mut events = Vec::new();
        while let Some(frame) = self.next_frame(deadline.saturating_duration_since(Instant::now())) {
            if let Some(message) = frame.get("message").filter(|_| frame.get("type").is_none()) {
                events.push(message.clone());
            }
        }
        events
    }

    /// Waits for the first event named `name` whose data satisfies `matches`.
    pub fn wait_for(&mut self, name: &str, matches: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            let Some(frame) = self.next_frame(Duration::from_millis(500)) else {
                continue;
            };
            if frame.get("type").is_some() {
                continue;
            }
            let message = &frame["message"];
            if message["event"] == name && matches(&message["data"]) {
                return message["data"].clone();
            }
        }
        panic!("no {name} event arrived")
    }

    pub fn close(mut self) {
        let _ = self.socket.close(None);
        let _ = self.socket.flush();
    }
}

/// An agent's socket, subscribed the way Chatwoot's dashboard does.
pub fn agent_cable(app: &TestApp, account: &TestAccount, user: &TestUser) -> Cable {
    let profile = app.call("GET", "/api/v1/profile", user.auth(), None);
    assert_eq!(profile.status, 200, "{}", profile.text);
    let token = profile.body["pubsub_token"].as_str().unwrap();
    let mut cable = Cable::connect(&app.cable_url(""));
    assert_eq!(
        cable.subscribe(&identifier(token, Some(account.id), Some(user.id))),
        "confirm_subscription"
    );
    cable
}

/// A visitor's socket: Chatwoot-style (token in the subscription only) or nimchat-style
/// (token in the URL too, so the socket lives in its room).
pub fn visitor_cable(app: &TestApp, visitor: &TestVisitor, direct: bool) -> Cable {
    let query = if direct {
        format!("?pubsub_token={}&heartbeat=client", visitor.pubsub_token)
    } else {
        String::new()
    };
    let mut cable = Cable::connect(&app.cable_url(&query));
    assert_eq!(
        cable.subscribe(&identifier(&visitor.pubsub_token, None, None)),
        "confirm_subscription"
    );
    cable
}
