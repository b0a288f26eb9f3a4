//! Chatwoot's webhook objects (contract 7.1), built from what storage answered. Pure: the
//! outbox gathers the records, these shape them. No payload carries a `pubsub_token`, an
//! access token, an `hmac_token` or a secret.

use nimchat_shared::enums::{MessageType, SenderType};
use nimchat_shared::wire::{AgentConversation, Contact, Message};
use serde_json::{json, Map, Value};

use crate::domain::timestamps::iso_utc_millis;
use crate::store::{ConversationSubjects, Session};

pub fn named(id: i64, name: &str) -> Value {
    json!({"id": id, "name": name})
}

pub fn user(id: i64, name: &str, email: Option<&str>) -> Value {
    json!({"id": id, "name": name, "email": email, "type": "user"})
}

pub fn agent_bot(id: i64, name: &str) -> Value {
    json!({"id": id, "name": name, "type": "agent_bot"})
}

/// A contact's fields, from whichever record holds them.
pub struct ContactView<'a> {
    pub id: i64,
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub phone_number: Option<&'a str>,
    pub identifier: Option<&'a str>,
    pub avatar: &'a str,
    pub additional_attributes: &'a Map<String, Value>,
    pub custom_attributes: &'a Map<String, Value>,
}

impl<'a> From<&'a Contact> for ContactView<'a> {
    fn from(contact: &'a Contact) -> Self {
        ContactView {
            id: contact.id,
            name: &contact.name,
            email: contact.email.as_deref(),
            phone_number: contact.phone_number.as_deref(),
            identifier: contact.identifier.as_deref(),
            avatar: &contact.avatar_url,
            additional_attributes: &contact.additional_attributes,
            custom_attributes: &contact.custom_attributes,
        }
    }
}

impl<'a> From<&'a Session> for ContactView<'a> {
    fn from(session: &'a Session) -> Self {
        ContactView {
            id: session.contact_id,
            name: &session.name,
            email: session.email.as_deref(),
            phone_number: session.phone_number.as_deref(),
            identifier: session.identifier.as_deref(),
            avatar: session.avatar_url.as_deref().unwrap_or_default(),
            additional_attributes: &session.additional_attributes,
            custom_attributes: &session.custom_attributes,
        }
    }
}

impl<'a> From<&'a ConversationSubjects> for ContactView<'a> {
    fn from(subjects: &'a ConversationSubjects) -> Self {
        ContactView {
            id: subjects.contact_id,
            name: &subjects.contact_name,
            email: subjects.contact_email.as_deref(),
            phone_number: subjects.contact_phone_number.as_deref(),
            identifier: subjects.contact_identifier.as_deref(),
            avatar: subjects.contact_avatar_url.as_deref().unwrap_or_default(),
            additional_attributes: &subjects.contact_additional_attributes,
            custom_attributes: &subjects.contact_custom_attributes,
        }
    }
}

pub fn contact(contact: ContactView, account: &Value) -> Value {
    json!({
        "id": contact.id,
        "name": contact.name,
        "email": contact.email,
        "phone_number": contact.phone_number,
        "identifier": contact.identifier,
        "avatar": contact.avatar,
        "thumbnail": contact.avatar,
        "additional_attributes": contact.additional_attributes,
        "custom_attributes": contact.custom_attributes,
        "type": "contact",
        "account": account,
    })
}

/// The conversation with its contact, assignee, team and latest public message.
pub fn conversation(agent: &AgentConversation, subjects: &ConversationSubjects, latest: Option<&Message>) -> Value {
    let account = named(agent.account_id, &subjects.account_name);
    let assignee = agent
        .conversation
        .assignee
        .as_ref()
        .map(|assignee| user(assignee.id, &assignee.name, subjects.assignee_email.as_deref()));
    let team = agent.meta.team.as_ref().map(|team| named(team.id, &team.name));
    json!({
        "id": agent.conversation.id,
        "account_id": agent.account_id,
        "inbox_id": agent.conversation.inbox_id,
        "status": agent.conversation.status,
        "priority": agent.priority,
        "channel": agent.meta.channel,
        "can_reply": agent.can_reply,
        "labels": agent.labels,
        "custom_attributes": agent.conversation.custom_attributes,
        "additional_attributes": agent.additional_attributes,
        "snoozed_until": agent.snoozed_until,
        "unread_count": subjects.unread_count,
        "agent_last_seen_at": agent.conversation.agent_last_seen_at,
        "contact_last_seen_at": agent.conversation.contact_last_seen_at,
        "first_reply_created_at": agent.first_reply_created_at,
        "waiting_since": agent.waiting_since,
        "created_at": agent.conversation.created_at,
        "timestamp": agent.timestamp,
        "contact_inbox": {
            "contact_id": subjects.contact_id,
            "inbox_id": agent.conversation.inbox_id,
            "source_id": subjects.source_id,
            "hmac_verified": subjects.hmac_verified,
        },
        "meta": {
            "sender": contact(subjects.into(), &account),
            "assignee": assignee,
            "team": team,
        },
        "messages": latest.into_iter().collect::<Vec<_>>(),
    })
}

/// `message_type` as webhooks name it.
fn message_type(kind: MessageType) -> &'static str {
    match kind {
        MessageType::Incoming => "incoming",
        MessageType::Outgoing => "outgoing",
        MessageType::Activity => "activity",
        MessageType::Template => "template",
    }
}

/// Who sent a message, as a webhook object: `contact` for the conversation's contact,
/// `user_email` for a user sender.
pub fn sender(message: &Message, contact: &Value, user_email: Option<&str>) -> Value {
    match &message.sender {
        None => Value::Null,
        Some(sender) => match sender.kind {
            SenderType::Contact => contact.clone(),
            SenderType::User => user(sender.id, &sender.name, user_email),
            SenderType::AgentBot => agent_bot(sender.id, &sender.name),
        },
    }
}

/// A message with its sender, inbox, conversation and account.
pub fn message(message: &Message, sender: Value, inbox: Value, conversation: Value, account: Value) -> Value {
    json!({
        "id": message.id,
        "content": message.content,
        "content_type": message.content_type,
        "content_attributes": message.content_attributes,
        "message_type": message_type(message.message_type),
        "private": message.private,
        "source_id": null,
        "created_at": iso_utc_millis(message.created_at * 1000),
        "sender": sender,
        "inbox": inbox,
        "conversation": conversation,
        "account": account,
        "attachments": message.attachments,
    })
}

#[cfg(test)]
mod tests {
    use super::{contact, message, sender, user};
    use nimchat_shared::enums::{MessageType, SenderType};
    use nimchat_shared::wire::{Contact, Message, Sender};
    use serde_json::{json, Map};

    fn visitor_message() -> Message {
        serde_json::from_value(json!({
            "id": 9, "content": "hi", "message_type": 0, "content_type": "text",
            "content_attributes": {}, "created_at": 1_700_000_000, "conversation_id": 3,
            "status": "sent", "private": false,
            "sender": {"id": 5, "name": "Ann", "avatar_url": "", "type": "contact"}
        }))
        .unwrap()
    }

    #[test]
    fn a_message_names_its_type_and_time_as_chatwoot_does() {
        let visitor = visitor_message();
        let account = json!({"id": 1, "name": "Acme"});
        let ann = json!({"id": 5, "type": "contact"});
        let payload = message(&visitor, sender(&visitor, &ann, None), json!({}), json!({}), account);
        assert_eq!(payload["message_type"], "incoming");
        assert_eq!(payload["created_at"], "2023-11-14T22:13:20.000Z");
        assert_eq!(payload["sender"], ann);
        assert!(payload.get("attachments").unwrap().as_array().unwrap().is_empty());
    }

    #[test]
    fn user_and_bot_senders_say_what_they_are() {
        let mut reply = visitor_message();
        reply.message_type = MessageType::Outgoing;
        reply.sender = Some(Sender {
            id: 2,
            name: "Bo".into(),
            avatar_url: String::new(),
            kind: SenderType::User,
            available_name: None,
        });
        assert_eq!(
            sender(&reply, &json!({}), Some("bo@example.com")),
            user(2, "Bo", Some("bo@example.com"))
        );
        reply.sender.as_mut().unwrap().kind = SenderType::AgentBot;
        assert_eq!(sender(&reply, &json!({}), None)["type"], "agent_bot");
        reply.sender = None;
        assert!(sender(&reply, &json!({}), None).is_null());
    }

    #[test]
    fn a_contact_carries_no_token() {
        let stored = Contact {
            id: 5,
            name: "Ann".into(),
            email: Some("ann@example.com".into()),
            phone_number: None,
            identifier: Some("u-5".into()),
            thumbnail: String::new(),
            avatar_url: String::new(),
            additional_attributes: Map::new(),
            custom_attributes: Map::new(),
            last_activity_at: None,
            created_at: 0,
            contact_inboxes: Vec::new(),
        };
        let payload = contact((&stored).into(), &json!({"id": 1, "name": "Acme"}));
        assert_eq!(payload["type"], "contact");
        assert_eq!(payload["identifier"], "u-5");
        assert!(!payload.to_string().contains("pubsub_token"));
    }
}
