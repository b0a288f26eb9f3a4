//! `RealtimeRoom`, the one Durable Object class of real time. An object is either a room
//! (`visitor:{pubsub_token}` or `account:{id}`, named) that events are published to, or a
//! connection (unique id) holding a socket whose client named its room only after
//! connecting. Everything it needs after eviction is in socket attachments and storage.

use futures_util::future::join_all;
use serde::{Deserialize, Serialize};
use worker::{
    durable_object, DurableObject, Env, Method, Request, Response, Result, State, WebSocket, WebSocketIncomingMessage,
    WebSocketPair,
};

use super::protocol::{self, ClientFrame};
use super::{subscriber_room, Delivery, SubscriberRoom, PINGS_TAG, PING_INTERVAL_MS};
use crate::clock;

/// What a socket carries through hibernation.
#[derive(Debug, Default, Serialize, Deserialize)]
struct SocketState {
    /// The room this object is, when the socket came with its token.
    host_room: Option<String>,
    subscriptions: Vec<Subscription>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Subscription {
    identifier: String,
    room: String,
    /// For agents: events name the users they are for.
    user_id: Option<i64>,
}

/// Storage key of a connection object registered to receive a room's events.
fn registration_key(subscriber: &str) -> String {
    format!("subscriber:{subscriber}")
}

#[durable_object]
pub struct RealtimeRoom {
    state: State,
    env: Env,
}

impl DurableObject for RealtimeRoom {
    fn new(state: State, env: Env) -> Self {
        // The widget's heartbeat is answered by the runtime without waking the object.
        if let Ok(pair) = worker::worker_sys::WebSocketRequestResponsePair::new("ping", "pong") {
            state.set_websocket_auto_response(&pair);
        }
        RealtimeRoom { state, env }
    }

    async fn fetch(&self, mut request: Request) -> Result<Response> {
        let url = request.url()?;
        match (request.method(), url.path()) {
            (Method::Get, "/connect") => {
                let query = |key: &str| {
                    url.query_pairs()
                        .find(|(name, _)| name == key)
                        .map(|(_, value)| value.into_owned())
                };
                self.accept_socket(query("host_room"), query("pings").is_some(), query("protocol"))
                    .await
            }
            (Method::Post, "/publish") => {
                let delivery: Delivery = request.json().await?;
                self.deliver_here(&delivery);
                self.forward(&delivery).await?;
                Response::empty()
            }
            (Method::Post, "/deliver") => {
                let delivery: Delivery = request.json().await?;
                // 410 tells the room this connection no longer listens, so it forgets it.
                let status = if self.deliver_here(&delivery) { 200 } else { 410 };
                Ok(Response::empty()?.with_status(status))
            }
            (Method::Post, "/register") => {
                let subscriber = request.text().await?;
                self.state.storage().put(&registration_key(&subscriber), true).await?;
                Response::empty()
            }
            _ => Ok(Response::empty()?.with_status(404)),
        }
    }

    async fn websocket_message(&self, socket: WebSocket, message: WebSocketIncomingMessage) -> Result<()> {
        let text = match message {
            WebSocketIncomingMessage::String(text) if text.len() <= protocol::MAX_FRAME_BYTES => text,
            // Binary or oversized: not a client of this protocol.
            _ => return socket.close(Some(1009), Some("frame too large or not text")),
        };
        let Ok(frame) = protocol::parse(&text) else {
            return Ok(());
        };
        let mut socket_state: SocketState = socket.deserialize_attachment()?.unwrap_or_default();
        match frame {
            ClientFrame::Subscribe { identifier, channel } => {
                let resolved = subscriber_room(&self.env, &channel).await.ok().flatten();
                let Some(SubscriberRoom { room, user_id }) = resolved else {
                    return socket.send_with_str(protocol::reject(&identifier));
                };
                if socket_state.host_room.as_deref() != Some(room.as_str()) {
                    self.register_with(&room).await?;
                }
                socket_state
                    .subscriptions
                    .retain(|known| known.identifier != identifier);
                socket_state.subscriptions.push(Subscription {
                    identifier: identifier.clone(),
                    room,
                    user_id,
                });
                socket.serialize_attachment(&socket_state)?;
                socket.send_with_str(protocol::confirm(&identifier))
            }
            ClientFrame::BadSubscribe { identifier } => socket.send_with_str(protocol::reject(&identifier)),
            ClientFrame::Unsubscribe { identifier } => {
                socket_state
                    .subscriptions
                    .retain(|known| known.identifier != identifier);
                socket.serialize_attachment(&socket_state)
            }
            ClientFrame::Perform { identifier, action } => {
                let subscription = socket_state
                    .subscriptions
                    .iter()
                    .find(|known| known.identifier == identifier);
                match (subscription, action.as_str()) {
                    (Some(subscription), "update_presence") => {
                        super::presence(&self.env, &subscription.room, subscription.user_id).await
                    }
                    _ => Ok(()),
                }
            }
        }
    }

    async fn websocket_close(&self, socket: WebSocket, _code: usize, _reason: String, _clean: bool) -> Result<()> {
        // Completes the closing handshake; rooms forget this connection on their next delivery.
        let _ = socket.close(Some(1000), Some("closed"));
        Ok(())
    }

    async fn websocket_error(&self, _socket: WebSocket, _error: worker::Error) -> Result<()> {
        Ok(())
    }

    async fn alarm(&self) -> Result<Response> {
        let sockets = self.state.get_websockets_with_tag(PINGS_TAG);
        let ping = protocol::ping(clock::now());
        for socket in &sockets {
            let _ = socket.send_with_str(&ping);
        }
        if !sockets.is_empty() {
            self.state.storage().set_alarm(PING_INTERVAL_MS).await?;
        }
        Response::empty()
    }
}

impl RealtimeRoom {
    async fn accept_socket(
        &self,
        host_room: Option<String>,
        pings: bool,
        protocol: Option<String>,
    ) -> Result<Response> {
        let pair = WebSocketPair::new()?;
        let tags: &[&str] = if pings { &[PINGS_TAG] } else { &[] };
        self.state.accept_websocket_with_tags(&pair.server, tags);
        pair.server.serialize_attachment(&SocketState {
            host_room,
            subscriptions: Vec::new(),
        })?;
        pair.server.send_with_str(protocol::welcome())?;
        let storage = self.state.storage();
        if pings && storage.get_alarm().await?.is_none() {
            storage.set_alarm(PING_INTERVAL_MS).await?;
        }
        let mut response = Response::from_websocket(pair.client)?;
        if let Some(protocol) = protocol {
            response.headers_mut().set("Sec-WebSocket-Protocol", &protocol)?;
        }
        Ok(response)
    }

    /// Sends to this object's sockets subscribed to the delivery's room; answers whether any were.
    fn deliver_here(&self, delivery: &Delivery) -> bool {
        let mut listening = false;
        for socket in self.state.get_websockets() {
            let Ok(Some(socket_state)) = socket.deserialize_attachment::<SocketState>() else {
                continue;
            };
            for subscription in socket_state
                .subscriptions
                .iter()
                .filter(|known| known.room == delivery.room)
            {
                listening = true;
                if delivery.is_for(subscription.user_id) {
                    let _ = socket.send_with_str(protocol::event(&subscription.identifier, &delivery.event));
                }
            }
        }
        listening
    }

    /// Passes a room's event to the connection objects registered with it, all at once:
    /// one at a time, an account room with 100 agents took 300 ms to reach the last.
    async fn forward(&self, delivery: &Delivery) -> Result<()> {
        let storage = self.state.storage();
        let registrations = storage
            .list_with_options(worker::ListOptions::new().prefix("subscriber:"))
            .await?;
        let namespace = self.env.durable_object(super::BINDING)?;
        let body = serde_json::to_string(delivery)?;
        let keys: Vec<String> = registrations
            .keys()
            .into_iter()
            .filter_map(|key| key.ok().and_then(|key| key.as_string()))
            .collect();
        let sends = keys.iter().map(|key| {
            let (namespace, body) = (&namespace, &body);
            async move {
                let subscriber = key.trim_start_matches("subscriber:");
                let stub = namespace.id_from_string(subscriber)?.get_stub()?;
                let answer = stub
                    .fetch_with_request(super::internal_request("/deliver", body)?)
                    .await;
                // 410: the connection is gone; forget it.
                Ok::<bool, worker::Error>(answer.map(|response| response.status_code() == 410).unwrap_or(false))
            }
        });
        for (key, gone) in keys.iter().zip(join_all(sends).await) {
            if gone? {
                storage.delete(key).await?;
            }
        }
        Ok(())
    }

    async fn register_with(&self, room: &str) -> Result<()> {
        let namespace = self.env.durable_object(super::BINDING)?;
        let stub = namespace.id_from_name(room)?.get_stub()?;
        stub.fetch_with_request(super::internal_request("/register", &self.state.id().to_string())?)
            .await?;
        Ok(())
    }
}
