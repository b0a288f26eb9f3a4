//! The sending side (contract 7.1): an event of a request becomes one stored delivery per
//! endpoint that hears it, and a queue message naming each. The request does nothing more;
//! the queue's consumer (`delivery`) makes the attempts.

use nimchat_shared::enums::{MessageType, SenderType};
use nimchat_shared::wire::Message;
use serde_json::{json, Map, Value};
use worker::Env;

use super::payloads::{self, ContactView};
use super::AGENT_BOT;
use crate::account_cache::AccountCache;
use crate::domain::handover::Owner;
use crate::domain::webhook_events::{changed_attributes, receives, WebhookEvent, BOT_EVENTS};
use crate::domain::{secrets, standard_webhooks};
use crate::error::ApiResult;
use crate::store::{ConversationRecord, DeliveryTicket, Endpoint, NewDelivery, Session, Store};

/// The contact's fields whose changes `contact_updated` names.
const CONTACT_FIELDS: [&str; 7] = [
    "name",
    "email",
    "phone_number",
    "identifier",
    "avatar",
    "additional_attributes",
    "custom_attributes",
];

/// A conversation's payload and the objects around it, read once per event.
struct Gathered {
    conversation: Value,
    contact: Value,
    inbox: Value,
    account: Value,
}

/// Stores and enqueues the events of one request. Remembers the account's endpoints, so
/// that the several events of one change ask storage once.
pub struct Outbox<'a> {
    env: &'a Env,
    store: &'a Store,
    endpoints: AccountCache<Vec<Endpoint>>,
}

impl<'a> Outbox<'a> {
    pub fn new(env: &'a Env, store: &'a Store) -> Self {
        Outbox {
            env,
            store,
            endpoints: AccountCache::default(),
        }
    }

    /// The endpoints of the account that hear `event` of `inbox_id` (`None`: of no inbox).
    async fn listeners(&self, account_id: i64, inbox_id: Option<i64>, event: WebhookEvent) -> ApiResult<Vec<Endpoint>> {
        let endpoints = self
            .endpoints
            .get(account_id, || async {
                let bot_events: Vec<&str> = BOT_EVENTS.iter().map(|event| event.name()).collect();
                self.store
                    .endpoints(account_id, &serde_json::to_string(&bot_events)?)
                    .await
            })
            .await?;
        Ok(endpoints
            .iter()
            .filter(|endpoint| endpoint.subscribes_to(event.name()) && receives(endpoint.inbox_id, inbox_id))
            .cloned()
            .collect())
    }

    /// The listeners of a conversation's event: a connected bot only while it owns the
    /// contact (contract 7.2), never for what it sent itself.
    async fn conversation_listeners(
        &self,
        conversation: &ConversationRecord,
        event: WebhookEvent,
        sent_by_bot: Option<i64>,
    ) -> ApiResult<Vec<Endpoint>> {
        if conversation.listened == Some(false) {
            return Ok(Vec::new());
        }
        let mut listeners = self
            .listeners(conversation.account_id, Some(conversation.inbox_id), event)
            .await?;
        listeners.retain(|endpoint| !(endpoint.kind == AGENT_BOT && Some(endpoint.id) == sent_by_bot));
        if listeners.iter().any(|endpoint| endpoint.kind == AGENT_BOT) {
            let stored = self.store.conversation_handover_owner(conversation.id).await?;
            if Owner::of(stored.as_deref(), true) != Owner::External {
                listeners.retain(|endpoint| endpoint.kind != AGENT_BOT);
            }
        }
        Ok(listeners)
    }

    /// Stores the body once per listener (each with its own `webhook-id`) and enqueues them.
    async fn post(&self, account_id: i64, listeners: &[Endpoint], event: &str, payload: Value) -> ApiResult<()> {
        let mut body = match payload {
            Value::Object(fields) => fields,
            other => Map::from_iter([("data".to_string(), other)]),
        };
        body.insert("event".into(), event.into());
        let body = serde_json::to_string(&body)?;
        let deliveries = listeners
            .iter()
            .map(|endpoint| {
                Ok(NewDelivery {
                    kind: &endpoint.kind,
                    target_id: endpoint.id,
                    url: &endpoint.url,
                    message_id: standard_webhooks::message_id(secrets::random_bytes()?),
                    event,
                    body: &body,
                })
            })
            .collect::<ApiResult<Vec<_>>>()?;
        let ids = self.store.add_deliveries(account_id, &deliveries).await?;
        let tickets = ids
            .into_iter()
            .map(|delivery_id| DeliveryTicket {
                account_id,
                delivery_id,
            })
            .collect();
        super::enqueue(self.env, tickets, 0).await
    }

    async fn gather(&self, conversation: &ConversationRecord) -> ApiResult<Option<Gathered>> {
        let Some(subjects) = self.store.conversation_subjects(conversation.id).await? else {
            return Ok(None);
        };
        let latest = self.store.latest_public_message(conversation.id).await?;
        let agent_view = conversation.to_agent_wire(Vec::new(), subjects.unread_count)?;
        let account = payloads::named(conversation.account_id, &subjects.account_name);
        Ok(Some(Gathered {
            conversation: payloads::conversation(&agent_view, &subjects, latest.as_ref()),
            contact: payloads::contact((&subjects).into(), &account),
            inbox: payloads::named(conversation.inbox_id, &subjects.inbox_name),
            account,
        }))
    }

    /// `conversation_created`, `conversation_status_changed` or `conversation_updated`;
    /// the last two name what changed since `before`.
    pub async fn conversation_event(
        &self,
        event: WebhookEvent,
        before: Option<&ConversationRecord>,
        conversation: &ConversationRecord,
    ) -> ApiResult<()> {
        let listeners = self.conversation_listeners(conversation, event, None).await?;
        if listeners.is_empty() {
            return Ok(());
        }
        let Some(gathered) = self.gather(conversation).await? else {
            return Ok(());
        };
        let mut payload = gathered.conversation;
        if let Some(before) = before {
            let after = conversation.tracked_attributes();
            let keys: Vec<&str> = after.keys().map(String::as_str).collect();
            let changed = changed_attributes(&before.tracked_attributes(), &after, &keys);
            if changed.is_empty() {
                return Ok(());
            }
            payload["changed_attributes"] = json!(changed);
        }
        self.post(conversation.account_id, &listeners, event.name(), payload)
            .await
    }

    /// `message_created` or `message_updated`; activity messages are not sent.
    pub async fn message_event(
        &self,
        event: WebhookEvent,
        conversation: &ConversationRecord,
        message: &Message,
    ) -> ApiResult<()> {
        if message.message_type == MessageType::Activity {
            return Ok(());
        }
        let sent_by_bot = message
            .sender
            .as_ref()
            .filter(|sender| sender.kind == SenderType::AgentBot)
            .map(|sender| sender.id);
        let listeners = self.conversation_listeners(conversation, event, sent_by_bot).await?;
        if listeners.is_empty() {
            return Ok(());
        }
        let Some(gathered) = self.gather(conversation).await? else {
            return Ok(());
        };
        let user_email = match &message.sender {
            Some(sender) if sender.kind == SenderType::User => self.store.user_email(sender.id).await?,
            _ => None,
        };
        let sender = payloads::sender(message, &gathered.contact, user_email.as_deref());
        let payload = payloads::message(message, sender, gathered.inbox, gathered.conversation, gathered.account);
        self.post(conversation.account_id, &listeners, event.name(), payload)
            .await
    }

    /// `conversation_typing_on` / `_off`; `typist` is `{type: "contact" | "user" |
    /// "agent_bot", id, name}`.
    pub async fn typing(
        &self,
        conversation: &ConversationRecord,
        on: bool,
        typist: &Value,
        private: bool,
    ) -> ApiResult<()> {
        let event = match on {
            true => WebhookEvent::ConversationTypingOn,
            false => WebhookEvent::ConversationTypingOff,
        };
        let listeners = self.conversation_listeners(conversation, event, None).await?;
        if listeners.is_empty() {
            return Ok(());
        }
        let Some(gathered) = self.gather(conversation).await? else {
            return Ok(());
        };
        let name = typist["name"].as_str().unwrap_or_default();
        let user = match (typist["type"].as_str(), typist["id"].as_i64()) {
            (Some("user"), Some(id)) => {
                let email = self.store.user_email(id).await?;
                payloads::user(id, name, email.as_deref())
            }
            (Some("agent_bot"), Some(id)) => payloads::agent_bot(id, name),
            _ => gathered.contact,
        };
        let payload = json!({"conversation": gathered.conversation, "user": user, "is_private": private});
        self.post(conversation.account_id, &listeners, event.name(), payload)
            .await
    }

    /// `contact_created` (no `before`) or `contact_updated` with what changed; nothing when
    /// nothing did.
    pub async fn contact_event(
        &self,
        account_id: i64,
        before: Option<ContactView<'_>>,
        contact: ContactView<'_>,
    ) -> ApiResult<()> {
        let event = match before {
            None => WebhookEvent::ContactCreated,
            Some(_) => WebhookEvent::ContactUpdated,
        };
        let listeners = self.listeners(account_id, None, event).await?;
        if listeners.is_empty() {
            return Ok(());
        }
        let account = payloads::named(account_id, &self.store.account_name(account_id).await?);
        let mut payload = payloads::contact(contact, &account);
        if let Some(before) = before {
            let previous = payloads::contact(before, &account);
            let (Some(previous), Some(current)) = (previous.as_object(), payload.as_object()) else {
                return Ok(());
            };
            let changed = changed_attributes(previous, current, &CONTACT_FIELDS);
            if changed.is_empty() {
                return Ok(());
            }
            payload["changed_attributes"] = json!(changed);
        }
        self.post(account_id, &listeners, event.name(), payload).await
    }

    /// An automation rule's `send_webhook_event`: the conversation, as
    /// `automation_event.<event_name>`, to the rule's URL, signed with the rule's secret.
    pub async fn automation_event(
        &self,
        rule_id: i64,
        url: &str,
        event_name: &str,
        conversation: &ConversationRecord,
    ) -> ApiResult<()> {
        let Some(gathered) = self.gather(conversation).await? else {
            return Ok(());
        };
        let endpoint = Endpoint::single("automation_rule", rule_id, url);
        let event = format!("automation_event.{event_name}");
        self.post(conversation.account_id, &[endpoint], &event, gathered.conversation)
            .await
    }

    /// `webwidget_triggered`: the widget opened for `session`.
    pub async fn webwidget_triggered(
        &self,
        session: &Session,
        inbox_name: &str,
        current: Option<&ConversationRecord>,
        event_info: Value,
    ) -> ApiResult<()> {
        let event = WebhookEvent::WebwidgetTriggered;
        let mut listeners = self
            .listeners(session.account_id, Some(session.inbox_id), event)
            .await?;
        if !session.bot_owns(true) {
            listeners.retain(|endpoint| endpoint.kind != AGENT_BOT);
        }
        if listeners.is_empty() {
            return Ok(());
        }
        let account = payloads::named(session.account_id, &self.store.account_name(session.account_id).await?);
        let current_conversation = match current {
            Some(conversation) => self.gather(conversation).await?.map(|gathered| gathered.conversation),
            None => None,
        };
        let payload = json!({
            "id": session.contact_inbox_id,
            "source_id": session.source_id,
            "contact": payloads::contact(ContactView::from(session), &account),
            "inbox": payloads::named(session.inbox_id, inbox_name),
            "account": account,
            "current_conversation": current_conversation,
            "event_info": event_info,
        });
        self.post(session.account_id, &listeners, event.name(), payload).await
    }
}
