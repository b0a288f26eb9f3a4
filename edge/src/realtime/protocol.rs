//! The ActionCable wire protocol (JSON), parsed and built without I/O (contract §4).

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Frames larger than this close the socket: no legitimate client frame comes near it.
pub const MAX_FRAME_BYTES: usize = 16 * 1024;

/// The JSON inside a subscription's `identifier` string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelIdentifier {
    pub channel: String,
    pub pubsub_token: String,
    #[serde(default)]
    pub account_id: Option<i64>,
    #[serde(default)]
    pub user_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientFrame {
    /// `identifier` is kept as sent: replies must echo it byte for byte.
    Subscribe {
        identifier: String,
        channel: ChannelIdentifier,
    },
    /// A subscription that names no room (no or an empty `pubsub_token`, another channel, an
    /// identifier that is not JSON): refused with `reject_subscription`, not left unanswered.
    BadSubscribe {
        identifier: String,
    },
    Unsubscribe {
        identifier: String,
    },
    /// A `message` command; `action` comes from the JSON in `data`.
    Perform {
        identifier: String,
        action: String,
    },
}

/// Why a frame was not understood; the socket ignores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    NotJson,
    UnknownCommand,
    MissingIdentifier,
}

pub fn parse(text: &str) -> Result<ClientFrame, FrameError> {
    let frame: Value = serde_json::from_str(text).map_err(|_| FrameError::NotJson)?;
    let command = frame
        .get("command")
        .and_then(Value::as_str)
        .ok_or(FrameError::UnknownCommand)?;
    let identifier = frame
        .get("identifier")
        .and_then(Value::as_str)
        .filter(|identifier| !identifier.is_empty())
        .ok_or(FrameError::MissingIdentifier)?
        .to_string();
    match command {
        "subscribe" => match serde_json::from_str::<ChannelIdentifier>(&identifier) {
            Ok(channel) if channel.channel == "RoomChannel" && !channel.pubsub_token.is_empty() => {
                Ok(ClientFrame::Subscribe { identifier, channel })
            }
            _ => Ok(ClientFrame::BadSubscribe { identifier }),
        },
        "unsubscribe" => Ok(ClientFrame::Unsubscribe { identifier }),
        "message" => {
            let data = frame.get("data").and_then(Value::as_str).unwrap_or("{}");
            let data: Value = serde_json::from_str(data).map_err(|_| FrameError::NotJson)?;
            let action = data
                .get("action")
                .and_then(Value::as_str)
                .ok_or(FrameError::UnknownCommand)?;
            Ok(ClientFrame::Perform {
                identifier,
                action: action.to_string(),
            })
        }
        _ => Err(FrameError::UnknownCommand),
    }
}

pub fn welcome() -> String {
    json!({"type": "welcome"}).to_string()
}

pub fn ping(now: i64) -> String {
    json!({"type": "ping", "message": now}).to_string()
}

pub fn confirm(identifier: &str) -> String {
    json!({"identifier": identifier, "type": "confirm_subscription"}).to_string()
}

pub fn reject(identifier: &str) -> String {
    json!({"identifier": identifier, "type": "reject_subscription"}).to_string()
}

/// `{"identifier", "message": {"event", "data"}}`.
pub fn event(identifier: &str, event: &Value) -> String {
    json!({"identifier": identifier, "message": event}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subscribe(identifier: &str) -> String {
        json!({"command": "subscribe", "identifier": identifier}).to_string()
    }

    #[test]
    fn subscribe_keeps_the_identifier_as_sent() {
        let identifier = r#"{"channel":"RoomChannel","pubsub_token":"abc","account_id":1,"user_id":2}"#;
        match parse(&subscribe(identifier)).unwrap() {
            ClientFrame::Subscribe {
                identifier: kept,
                channel,
            } => {
                assert_eq!(kept, identifier);
                assert_eq!(channel.pubsub_token, "abc");
                assert_eq!((channel.account_id, channel.user_id), (Some(1), Some(2)));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn perform_reads_the_action_from_data() {
        let frame = json!({"command": "message", "identifier": "x", "data": "{\"action\":\"update_presence\"}"});
        assert_eq!(
            parse(&frame.to_string()),
            Ok(ClientFrame::Perform {
                identifier: "x".into(),
                action: "update_presence".into()
            })
        );
    }

    #[test]
    fn malformed_frames_are_errors_not_panics() {
        assert_eq!(parse("not json"), Err(FrameError::NotJson));
        assert_eq!(parse("[]"), Err(FrameError::UnknownCommand));
        assert_eq!(
            parse(r#"{"command":"dance","identifier":"x"}"#),
            Err(FrameError::UnknownCommand)
        );
        assert_eq!(parse(r#"{"command":"subscribe"}"#), Err(FrameError::MissingIdentifier));
        for refused in [
            "not json",
            r#"{"channel":"Other","pubsub_token":"a"}"#,
            r#"{"channel":"RoomChannel","pubsub_token":""}"#,
            r#"{"channel":"RoomChannel"}"#,
        ] {
            assert_eq!(
                parse(&subscribe(refused)),
                Ok(ClientFrame::BadSubscribe {
                    identifier: refused.to_string()
                }),
                "{refused}"
            );
        }
        let no_action = json!({"command": "message", "identifier": "x", "data": "{}"});
        assert_eq!(parse(&no_action.to_string()), Err(FrameError::UnknownCommand));
    }

    #[test]
    fn server_frames() {
        assert_eq!(welcome(), r#"{"type":"welcome"}"#);
        assert_eq!(ping(5), r#"{"message":5,"type":"ping"}"#);
        let event = event("id", &json!({"event": "message.created", "data": {}}));
        assert!(event.contains("\"identifier\":\"id\"") && event.contains("message.created"));
    }
}
