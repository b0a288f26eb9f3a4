//! Real time (contract §4): `/cable`, an ActionCable endpoint on hibernating Durable
//! Objects, and the events the APIs publish to it. See docs/architecture.md.

mod events;
mod protocol;
mod room;

pub use events::Broadcaster;
pub use room::RealtimeRoom;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use worker::{Env, Headers, Method, Request, RequestInit, Response};

use crate::error::{ApiError, ApiResult};
use crate::store::{KeyKind, PubsubOwner, Session, Store};
use protocol::ChannelIdentifier;

/// The Durable Object namespace binding in wrangler.toml.
pub const BINDING: &str = "REALTIME";
/// Sockets of ActionCable clients, which drop a connection that has not pinged for 6 s.
const PINGS_TAG: &str = "pings";
const PING_INTERVAL_MS: i64 = 3_000;

pub fn visitor_room(pubsub_token: &str) -> String {
    format!("visitor:{pubsub_token}")
}

pub fn account_room(account_id: i64) -> String {
    format!("account:{account_id}")
}

/// An event on its way to the sockets subscribed to `room`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivery {
    pub room: String,
    pub event: Value,
    /// For agent rooms: the users allowed to see it (`None`: everyone subscribed).
    pub user_ids: Option<Vec<i64>>,
}

impl Delivery {
    fn is_for(&self, user_id: Option<i64>) -> bool {
        match (&self.user_ids, user_id) {
            (None, _) => true,
            (Some(allowed), Some(user_id)) => allowed.contains(&user_id),
            (Some(_), None) => false,
        }
    }
}

/// The room a subscription's token opens, and the agent it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriberRoom {
    pub room: String,
    pub user_id: Option<i64>,
}

/// A visitor's token opens its session's room; a user's token the account's room, if the
/// user is a member (the account from the identifier, else the user's first).
pub async fn subscriber_room(env: &Env, channel: &ChannelIdentifier) -> ApiResult<Option<SubscriberRoom>> {
    let store = &Store::directory(env)?;
    Ok(match store.pubsub_owner(&channel.pubsub_token).await? {
        // A visitor's token claiming to be an agent's stream is refused, not read as the
        // visitor's.
        Some(PubsubOwner::Visitor) if channel.account_id.is_some() || channel.user_id.is_some() => None,
        Some(PubsubOwner::Visitor) => visitor_session(env, &channel.pubsub_token)
            .await?
            .map(|_| SubscriberRoom {
                room: visitor_room(&channel.pubsub_token),
                user_id: None,
            }),
        Some(PubsubOwner::User {
            user_id,
            first_account_id,
        }) => {
            let account_id = channel.account_id.or(first_account_id);
            let member = match account_id {
                Some(account_id) => store.membership(account_id, user_id).await?,
                None => None,
            };
            let claimed_user_matches = channel.user_id.is_none_or(|claimed| claimed == user_id);
            member.filter(|_| claimed_user_matches).map(|member| SubscriberRoom {
                room: account_room(member.account_id),
                user_id: Some(user_id),
            })
        }
        None => None,
    })
}

/// The visitor session a pubsub token opens: the directory names its account, the account's
/// shard holds it.
async fn visitor_session(env: &Env, pubsub_token: &str) -> ApiResult<Option<Session>> {
    let directory = Store::directory(env)?;
    let Some(placement) = directory.placement_of_key(KeyKind::Session, pubsub_token).await? else {
        return Ok(None);
    };
    Store::on(env, &placement.shard)?
        .session_by_pubsub_token(pubsub_token)
        .await
}

/// `GET /cable`: hands the WebSocket to the object that will hold it. With
/// `?pubsub_token=`, that is the token's room itself; without (ActionCable clients name the
/// token only after connecting), a fresh connection object. `?heartbeat=client` (the
/// widget) opts out of server pings.
pub async fn connect(request: Request, env: &Env) -> ApiResult<Response> {
    let upgrade = request.headers().get("upgrade").ok().flatten().unwrap_or_default();
    if !upgrade.eq_ignore_ascii_case("websocket") {
        return Err(ApiError::BadRequest("Expected a WebSocket upgrade".into()));
    }
    let url = request.url()?;
    let query = |key: &str| {
        url.query_pairs()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.into_owned())
    };
    let namespace = env.durable_object(BINDING)?;
    let (stub, host_room) = match query("pubsub_token") {
        Some(token) => {
            let channel = ChannelIdentifier {
                channel: "RoomChannel".into(),
                pubsub_token: token,
                account_id: query("account_id").and_then(|id| id.parse().ok()),
                user_id: None,
            };
            let room = subscriber_room(env, &channel)
                .await?
                .ok_or(ApiError::Unauthorized)?
                .room;
            (namespace.id_from_name(&room)?.get_stub()?, Some(room))
        }
        None => (namespace.unique_id()?.get_stub()?, None),
    };
    let protocols = request
        .headers()
        .get("sec-websocket-protocol")
        .ok()
        .flatten()
        .unwrap_or_default();
    let mut target = form_urlencoded::Serializer::new(String::from("https://realtime/connect?"));
    if let Some(room) = &host_room {
        target.append_pair("host_room", room);
    }
    if query("heartbeat").as_deref() != Some("client") {
        target.append_pair("pings", "1");
    }
    if protocols
        .split(',')
        .any(|protocol| protocol.trim() == "actioncable-v1-json")
    {
        target.append_pair("protocol", "actioncable-v1-json");
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Get).with_headers(request.headers().clone());
    Ok(stub
        .fetch_with_request(Request::new_with_init(&target.finish(), &init)?)
        .await?)
}

/// A request between the Worker and the objects (never reachable from outside).
fn internal_request(path: &str, body: &str) -> worker::Result<Request> {
    let mut init = RequestInit::new();
    let headers = Headers::new();
    headers.set("content-type", "application/json")?;
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(body.into()));
    Request::new_with_init(&format!("https://realtime{path}"), &init)
}

/// Sends an event to a room and waits until the room has passed it on, so that events
/// leave in the order their requests committed.
pub async fn publish(env: &Env, room: &str, event: Value, user_ids: Option<Vec<i64>>) -> ApiResult<()> {
    let delivery = Delivery {
        room: room.to_string(),
        event,
        user_ids,
    };
    let stub = env.durable_object(BINDING)?.id_from_name(room)?.get_stub()?;
    let response = stub
        .fetch_with_request(internal_request("/publish", &serde_json::to_string(&delivery)?)?)
        .await?;
    if response.status_code() >= 400 {
        return Err(ApiError::Internal(format!(
            "publishing to {room} answered {}",
            response.status_code()
        )));
    }
    Ok(())
}

/// Keeps an agent present on their account's shard (what `auto_offline` reads).
async fn record_presence(env: &Env, account_id: i64, user_id: i64) -> ApiResult<()> {
    let Some(placement) = Store::directory(env)?.placement(account_id).await? else {
        return Ok(());
    };
    Store::on(env, &placement.shard)?
        .record_presence(account_id, user_id)
        .await
}

/// `update_presence`: keeps an agent present, and tells the account's agents who is online.
async fn presence(env: &Env, room: &str, user_id: Option<i64>) -> worker::Result<()> {
    let (account_id, data) = match (room.strip_prefix("visitor:"), room.strip_prefix("account:"), user_id) {
        (Some(token), _, _) => match visitor_session(env, token).await {
            Ok(Some(session)) => (
                session.account_id,
                json!({"contact_id": session.contact_id, "status": "online"}),
            ),
            _ => return Ok(()),
        },
        (_, Some(account), Some(user_id)) => match account.parse::<i64>() {
            Ok(account_id) => {
                record_presence(env, account_id, user_id)
                    .await
                    .map_err(|error| worker::Error::RustError(format!("{error:?}")))?;
                (account_id, json!({"user_id": user_id, "status": "online"}))
            }
            Err(_) => return Ok(()),
        },
        _ => return Ok(()),
    };
    let event = json!({"event": "presence.update", "data": data});
    publish(env, &account_room(account_id), event, None)
        .await
        .map_err(|error| worker::Error::RustError(format!("{error:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agent_deliveries_reach_only_the_named_users() {
        let delivery = |user_ids| Delivery {
            room: account_room(1),
            event: json!({}),
            user_ids,
        };
        assert!(delivery(None).is_for(None));
        assert!(delivery(None).is_for(Some(4)));
        assert!(delivery(Some(vec![4, 5])).is_for(Some(5)));
        assert!(!delivery(Some(vec![4, 5])).is_for(Some(6)));
        assert!(!delivery(Some(vec![4])).is_for(None));
    }

    #[test]
    fn room_names() {
        assert_eq!(visitor_room("abc"), "visitor:abc");
        assert_eq!(account_room(7), "account:7");
    }
}
