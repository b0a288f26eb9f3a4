//! The events webhooks subscribe to (contract 7.1), who receives each, and the
//! `changed_attributes` of an update.

use serde_json::{json, Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookEvent {
    ConversationCreated,
    ConversationStatusChanged,
    ConversationUpdated,
    MessageCreated,
    MessageUpdated,
    WebwidgetTriggered,
    ContactCreated,
    ContactUpdated,
    ConversationTypingOn,
    ConversationTypingOff,
    /// For agent bots only (Chatwoot's bot event); webhooks cannot subscribe to it.
    ConversationResolved,
}

impl WebhookEvent {
    pub const ALL: [WebhookEvent; 11] = [
        WebhookEvent::ConversationCreated,
        WebhookEvent::ConversationStatusChanged,
        WebhookEvent::ConversationUpdated,
        WebhookEvent::MessageCreated,
        WebhookEvent::MessageUpdated,
        WebhookEvent::WebwidgetTriggered,
        WebhookEvent::ContactCreated,
        WebhookEvent::ContactUpdated,
        WebhookEvent::ConversationTypingOn,
        WebhookEvent::ConversationTypingOff,
        WebhookEvent::ConversationResolved,
    ];

    pub fn name(self) -> &'static str {
        match self {
            WebhookEvent::ConversationCreated => "conversation_created",
            WebhookEvent::ConversationStatusChanged => "conversation_status_changed",
            WebhookEvent::ConversationUpdated => "conversation_updated",
            WebhookEvent::MessageCreated => "message_created",
            WebhookEvent::MessageUpdated => "message_updated",
            WebhookEvent::WebwidgetTriggered => "webwidget_triggered",
            WebhookEvent::ContactCreated => "contact_created",
            WebhookEvent::ContactUpdated => "contact_updated",
            WebhookEvent::ConversationTypingOn => "conversation_typing_on",
            WebhookEvent::ConversationTypingOff => "conversation_typing_off",
            WebhookEvent::ConversationResolved => "conversation_resolved",
        }
    }

    pub fn parse(name: &str) -> Option<WebhookEvent> {
        WebhookEvent::ALL.into_iter().find(|event| event.name() == name)
    }
}

/// What an agent bot hears of the contacts it owns (contract 7.2).
pub const BOT_EVENTS: [WebhookEvent; 4] = [
    WebhookEvent::MessageCreated,
    WebhookEvent::MessageUpdated,
    WebhookEvent::ConversationResolved,
    WebhookEvent::WebwidgetTriggered,
];

/// A webhook's `subscriptions`: a non-empty array of event names, each kept once in the
/// order first given. `None` for anything else.
pub fn parse_subscriptions(given: &Value) -> Option<Vec<WebhookEvent>> {
    let names = given.as_array().filter(|names| !names.is_empty())?;
    let mut events = Vec::new();
    for name in names {
        let event = WebhookEvent::parse(name.as_str()?).filter(|event| *event != WebhookEvent::ConversationResolved)?;
        if !events.contains(&event) {
            events.push(event);
        }
    }
    Some(events)
}

/// Whether a webhook limited to `webhook_inbox` (or to none) receives an event of
/// `event_inbox` (`None` for contact events).
pub fn receives(webhook_inbox: Option<i64>, event_inbox: Option<i64>) -> bool {
    match (webhook_inbox, event_inbox) {
        (None, _) => true,
        (Some(wanted), Some(inbox)) => wanted == inbox,
        (Some(_), None) => false,
    }
}

/// `[{"<attribute>": {"previous_value", "current_value"}}]` for each of `keys` whose value
/// differs between the two objects, in the order of `keys`.
pub fn changed_attributes(before: &Map<String, Value>, after: &Map<String, Value>, keys: &[&str]) -> Vec<Value> {
    keys.iter()
        .filter_map(|key| {
            let previous = before.get(*key).unwrap_or(&Value::Null);
            let current = after.get(*key).unwrap_or(&Value::Null);
            (previous != current).then(|| json!({ *key: {"previous_value": previous, "current_value": current} }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{changed_attributes, parse_subscriptions, receives, WebhookEvent};
    use serde_json::json;

    #[test]
    fn every_name_round_trips() {
        for event in WebhookEvent::ALL {
            assert_eq!(WebhookEvent::parse(event.name()), Some(event));
        }
        assert_eq!(WebhookEvent::parse("inbox_created"), None);
    }

    #[test]
    fn subscriptions_are_known_names_kept_once() {
        assert_eq!(
            parse_subscriptions(&json!(["message_created", "contact_created", "message_created"])),
            Some(vec![WebhookEvent::MessageCreated, WebhookEvent::ContactCreated])
        );
        for bad in [
            json!([]),
            json!("message_created"),
            json!(["inbox_created"]),
            json!([1]),
            json!(null),
        ] {
            assert_eq!(parse_subscriptions(&bad), None, "{bad}");
        }
    }

    #[test]
    fn inbox_webhooks_get_their_inbox_and_no_contact_events() {
        assert!(receives(None, Some(3)));
        assert!(receives(None, None));
        assert!(receives(Some(3), Some(3)));
        assert!(!receives(Some(3), Some(4)));
        assert!(!receives(Some(3), None));
    }

    #[test]
    fn changed_attributes_name_what_changed_in_key_order() {
        let before = json!({"status": "open", "priority": null, "labels": ["a"]});
        let after = json!({"status": "resolved", "labels": ["a"], "team_id": 4});
        let changed = changed_attributes(
            before.as_object().unwrap(),
            after.as_object().unwrap(),
            &["team_id", "status", "priority", "labels"],
        );
        assert_eq!(
            changed,
            vec![
                json!({"team_id": {"previous_value": null, "current_value": 4}}),
                json!({"status": {"previous_value": "open", "current_value": "resolved"}}),
            ]
        );
    }
}
