//! Rocket.Chat's livechat inquiries over nimchat's queue (contract 5.3): what a list asks for
//! (offset, count, sort), and how a conversation reads as an inquiry.

use nimchat_shared::enums::ConversationStatus;
use serde_json::Value;

/// Inquiries listed when `count` is not given, and at most.
pub const DEFAULT_COUNT: i64 = 50;
pub const MAX_COUNT: i64 = 100;

/// What an inquiry list may be ordered by (Rocket.Chat's field names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortField {
    /// `ts`: when the conversation started waiting.
    WaitingSince,
    /// `name`: the contact's name.
    ContactName,
    /// `_updatedAt`.
    UpdatedAt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub field: SortField,
    pub descending: bool,
}

/// The queue's own order: the longest waiting first.
pub const OLDEST_FIRST: Sort = Sort {
    field: SortField::WaitingSince,
    descending: false,
};

/// Rocket.Chat's `sort` parameter: a JSON object of one field and `1` or `-1`
/// (`{"ts": -1}`). Absent or empty: oldest first.
pub fn parse_sort(text: Option<&str>) -> Result<Sort, String> {
    let Some(text) = text.map(str::trim).filter(|text| !text.is_empty()) else {
        return Ok(OLDEST_FIRST);
    };
    let invalid = || format!("Invalid sort parameter: {text}");
    let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(text) else {
        return Err(invalid());
    };
    let mut fields = fields.into_iter();
    let (Some((name, direction)), None) = (fields.next(), fields.next()) else {
        return Err(invalid());
    };
    let field = match name.as_str() {
        "ts" => SortField::WaitingSince,
        "name" => SortField::ContactName,
        "_updatedAt" => SortField::UpdatedAt,
        _ => return Err(invalid()),
    };
    let descending = match direction.as_i64() {
        Some(1) => false,
        Some(-1) => true,
        _ => return Err(invalid()),
    };
    Ok(Sort { field, descending })
}

/// `offset` (default 0) and `count` (default 50, at most 100), as given in the query.
pub fn parse_page(offset: Option<&str>, count: Option<&str>) -> Result<(i64, i64), String> {
    let number = |name: &str, text: Option<&str>, default: i64| match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(default),
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|value| *value >= 0)
            .ok_or_else(|| format!("The '{name}' parameter must be a whole number")),
    };
    let offset = number("offset", offset, 0)?;
    let count = number("count", count, DEFAULT_COUNT)?.min(MAX_COUNT);
    Ok((offset, count))
}

/// How a conversation reads as an inquiry: `queued` while it waits for an agent, `taken`
/// once an agent has it and it is still open; any other conversation is no inquiry.
pub fn inquiry_status(status: ConversationStatus, has_assignee: bool) -> Option<&'static str> {
    match (status, has_assignee) {
        (ConversationStatus::Open, false) => Some("queued"),
        (ConversationStatus::Open, true) => Some("taken"),
        _ => None,
    }
}

/// How long after they last looked at the conversation a visitor still counts as online.
const VISITOR_ONLINE_SECONDS: i64 = 300;

/// The visitor's presence as Rocket.Chat's `v.status` says it, from when they last looked at
/// the conversation (Unix seconds; 0 is never).
pub fn visitor_status(last_seen_at: i64, now: i64) -> &'static str {
    if last_seen_at > 0 && now - last_seen_at <= VISITOR_ONLINE_SECONDS {
        "online"
    } else {
        "offline"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_is_one_known_field_and_a_direction() {
        assert_eq!(parse_sort(None), Ok(OLDEST_FIRST));
        assert_eq!(parse_sort(Some(" ")), Ok(OLDEST_FIRST));
        assert_eq!(
            parse_sort(Some(r#"{"ts": -1}"#)),
            Ok(Sort {
                field: SortField::WaitingSince,
                descending: true
            })
        );
        assert_eq!(
            parse_sort(Some(r#"{"name":1}"#)),
            Ok(Sort {
                field: SortField::ContactName,
                descending: false
            })
        );
        for bad in [
            r#"{"ts": 0}"#,
            r#"{"ts": "asc"}"#,
            r#"{"rid": 1}"#,
            r#"{"ts": 1, "name": 1}"#,
            "{}",
            "ts",
            "[1]",
        ] {
            assert!(parse_sort(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn pages_default_and_cap() {
        assert_eq!(parse_page(None, None), Ok((0, 50)));
        assert_eq!(parse_page(Some("20"), Some("500")), Ok((20, 100)));
        assert_eq!(parse_page(Some(""), Some("0")), Ok((0, 0)));
        assert!(parse_page(Some("-1"), None).is_err());
        assert!(parse_page(None, Some("ten")).is_err());
    }

    #[test]
    fn only_open_conversations_are_inquiries() {
        assert_eq!(inquiry_status(ConversationStatus::Open, false), Some("queued"));
        assert_eq!(inquiry_status(ConversationStatus::Open, true), Some("taken"));
        for status in [
            ConversationStatus::Pending,
            ConversationStatus::Resolved,
            ConversationStatus::Snoozed,
        ] {
            assert_eq!(inquiry_status(status, false), None, "{status:?}");
        }
    }

    #[test]
    fn visitors_are_online_for_five_minutes_after_they_last_looked() {
        assert_eq!(visitor_status(1_000, 1_300), "online");
        assert_eq!(visitor_status(1_000, 1_301), "offline");
        assert_eq!(visitor_status(0, 200), "offline");
    }
}
