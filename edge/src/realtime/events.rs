//! The events of contract §4, published from the code paths that cause them. A
//! conversation's events go to its visitor's room and to its account's room, where only the
//! inbox's members and the administrators receive them. Private notes, private typing and
//! activity messages never go to the visitor.

use nimchat_shared::enums::{ConversationStatus, MessageType};
use nimchat_shared::wire::{Handover, Message};
use std::cell::RefCell;

use serde_json::{json, Value};
use worker::Env;

use super::{account_room, publish, visitor_room};
use std::future::Future;
use std::pin::Pin;

use crate::automation::Automation;
use crate::clock;
use crate::domain::automation::RuleEvent;
use crate::domain::queue::{self, QueueMove};
use crate::domain::webhook_events::WebhookEvent;
use crate::error::ApiResult;
use crate::store::{ConversationRecord, Reader, Store};
use crate::webhooks::{hooked, Outbox};

/// How many of those behind are told their new place when a conversation leaves the queue;
/// the rest read it with their conversation.
const QUEUE_ANNOUNCED: usize = 100;

/// Who may see an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Everyone,
    Agents,
}

/// Announces the events of one request. It remembers who works the inbox, so that the
/// several events of one change (status, activity, survey) ask storage once.
pub struct Broadcaster<'a> {
    env: &'a Env,
    store: &'a Store,
    agents: RefCell<Option<(i64, Vec<i64>)>>,
    /// The same events, for webhooks (contract 7.1).
    outbox: Outbox<'a>,
    /// Automation rules the events fire (contract 7.3); `None` for the changes rules make.
    automation: Option<Automation<'a>>,
}

impl<'a> Broadcaster<'a> {
    pub fn new(env: &'a Env, store: &'a Store) -> Self {
        Broadcaster {
            automation: Some(Automation::new(env, store)),
            ..Self::without_automation(env, store)
        }
    }

    /// For the changes automation rules make: announced as usual, firing no rules (the loop
    /// guard of contract 7.3).
    pub fn without_automation(env: &'a Env, store: &'a Store) -> Self {
        Broadcaster {
            env,
            store,
            agents: RefCell::new(None),
            outbox: Outbox::new(env, store),
            automation: None,
        }
    }

    pub fn outbox(&self) -> &Outbox<'a> {
        &self.outbox
    }

    /// Runs the rules of `event`; a failing rule is logged, never the request's failure.
    async fn automate(&self, event: RuleEvent, conversation: &ConversationRecord, message: Option<&Message>) {
        let Some(automation) = &self.automation else {
            return;
        };
        // Boxed: rules announce their changes through a Broadcaster, which may run rules.
        let run: Pin<Box<dyn Future<Output = ApiResult<()>> + '_>> =
            Box::pin(automation.run(event, conversation, message));
        if let Err(error) = run.await {
            worker::console_error!("automation rules of {} failed: {error:?}", event.name());
        }
    }

    /// The inbox's members and the account's administrators, who see its agent-side events.
    async fn agent_ids(&self, conversation: &ConversationRecord) -> ApiResult<Vec<i64>> {
        if let Some(audience) = &conversation.audience {
            return Ok(audience.clone());
        }
        if let Some((inbox_id, agents)) = self.agents.borrow().as_ref() {
            if *inbox_id == conversation.inbox_id {
                return Ok(agents.clone());
            }
        }
        let agents = self
            .store
            .conversation_agent_ids(conversation.account_id, conversation.inbox_id)
            .await?;
        *self.agents.borrow_mut() = Some((conversation.inbox_id, agents.clone()));
        Ok(agents)
    }

    async fn send(
        &self,
        conversation: &ConversationRecord,
        name: &str,
        data: Value,
        audience: Audience,
    ) -> ApiResult<()> {
        let event = json!({"event": name, "data": data});
        let agents = self.agent_ids(conversation).await?;
        let account = account_room(conversation.account_id);
        let to_agents = publish(self.env, &account, event.clone(), Some(agents));
        if audience == Audience::Agents {
            return to_agents.await;
        }
        // The two rooms' sockets are apart, so they are published to at once; each room still
        // receives this request's events in order, as each publish is awaited before the next.
        let visitor = visitor_room(&conversation.visitor_pubsub_token);
        let to_visitor = publish(self.env, &visitor, event, None);
        let (agents_published, visitor_published) = futures_util::future::join(to_agents, to_visitor).await;
        agents_published.and(visitor_published)
    }

    fn message_audience(message: &Message) -> Audience {
        if message.private || message.message_type == MessageType::Activity {
            Audience::Agents
        } else {
            Audience::Everyone
        }
    }

    pub async fn message_created(&self, conversation: &ConversationRecord, message: &Message) -> ApiResult<()> {
        hooked(
            self.outbox
                .message_event(WebhookEvent::MessageCreated, conversation, message)
                .await,
        );
        self.send(
            conversation,
            "message.created",
            json!(message),
            Self::message_audience(message),
        )
        .await?;
        if message.message_type != MessageType::Activity {
            self.automate(RuleEvent::MessageCreated, conversation, Some(message))
                .await;
        }
        Ok(())
    }

    pub async fn message_updated(&self, conversation: &ConversationRecord, message: &Message) -> ApiResult<()> {
        hooked(
            self.outbox
                .message_event(WebhookEvent::MessageUpdated, conversation, message)
                .await,
        );
        self.send(
            conversation,
            "message.updated",
            json!(message),
            Self::message_audience(message),
        )
        .await
    }

    pub async fn conversation_created(&self, conversation: &ConversationRecord) -> ApiResult<()> {
        hooked(
            self.outbox
                .conversation_event(WebhookEvent::ConversationCreated, None, conversation)
                .await,
        );
        self.send(
            conversation,
            "conversation.created",
            json!(conversation.to_wire(Vec::new())?),
            Audience::Everyone,
        )
        .await?;
        self.automate(RuleEvent::ConversationCreated, conversation, None).await;
        Ok(())
    }

    /// The rules of a change from `before`: `conversation_updated` when a tracked attribute
    /// changed, and `conversation_opened` / `conversation_resolved` for those statuses.
    async fn automate_change(&self, before: &ConversationRecord, after: &ConversationRecord) -> ApiResult<()> {
        if before.tracked_attributes() == after.tracked_attributes() {
            return Ok(());
        }
        self.automate(RuleEvent::ConversationUpdated, after, None).await;
        let (was, is) = (before.status()?, after.status()?);
        if was != is && is == ConversationStatus::Open {
            self.automate(RuleEvent::ConversationOpened, after, None).await;
        }
        if was != is && is == ConversationStatus::Resolved {
            self.automate(RuleEvent::ConversationResolved, after, None).await;
        }
        Ok(())
    }

    /// After a status change from `before`: the change itself (as `conversation.status_changed`
    /// and, like every change of status, assignee or team, `conversation.updated`), then the
    /// messages it added (activity, survey).
    pub async fn status_changed(
        &self,
        before: &ConversationRecord,
        conversation: &ConversationRecord,
        added_after: i64,
    ) -> ApiResult<()> {
        for event in [
            WebhookEvent::ConversationStatusChanged,
            WebhookEvent::ConversationUpdated,
        ] {
            hooked(self.outbox.conversation_event(event, Some(before), conversation).await);
        }
        let resolved = ConversationStatus::Resolved;
        if conversation.status()? == resolved && before.status()? != resolved {
            hooked(
                self.outbox
                    .conversation_event(WebhookEvent::ConversationResolved, None, conversation)
                    .await,
            );
        }
        let data = json!(conversation.to_wire(Vec::new())?);
        self.send(
            conversation,
            "conversation.status_changed",
            data.clone(),
            Audience::Everyone,
        )
        .await?;
        self.send(conversation, "conversation.updated", data, Audience::Everyone)
            .await?;
        self.messages_added(conversation, added_after).await?;
        self.automate_change(before, conversation).await
    }

    /// The messages a change added after message `added_after` (activity, survey).
    pub async fn messages_added(&self, conversation: &ConversationRecord, added_after: i64) -> ApiResult<()> {
        for message in self.store.messages_after(conversation.id, added_after).await? {
            self.message_created(conversation, &message).await?;
        }
        Ok(())
    }

    /// An event in the account's room, for `agents` (every agent of the account when `None`).
    async fn to_account(&self, account_id: i64, name: &str, data: Value, agents: Option<Vec<i64>>) -> ApiResult<()> {
        let event = json!({"event": name, "data": data});
        publish(self.env, &account_room(account_id), event, agents).await
    }

    /// An event for one agent of the account (a transfer asked of them, or answered).
    pub async fn to_agent(&self, account_id: i64, user_id: i64, name: &str, data: &Value) -> ApiResult<()> {
        self.to_account(account_id, name, data.clone(), Some(vec![user_id]))
            .await
    }

    /// After an assignment: `assignee.changed` and `team.changed` for what changed, then
    /// `conversation.updated`. Agents only: who answers is the team's business.
    pub async fn assignment_changed(&self, changed: &ConversationRecord, before: &ConversationRecord) -> ApiResult<()> {
        hooked(
            self.outbox
                .conversation_event(WebhookEvent::ConversationUpdated, Some(before), changed)
                .await,
        );
        let data = json!(changed.to_agent_wire(Vec::new(), 0)?);
        if changed.assignee_id() != before.assignee_id() {
            self.send(changed, "assignee.changed", data.clone(), Audience::Agents)
                .await?;
        }
        if changed.team_id != before.team_id {
            self.send(changed, "team.changed", data.clone(), Audience::Agents)
                .await?;
        }
        self.send(changed, "conversation.updated", data, Audience::Agents)
            .await?;
        self.automate_change(before, changed).await
    }

    /// After a change of priority, labels or custom attributes since `before`.
    pub async fn conversation_updated(
        &self,
        before: &ConversationRecord,
        conversation: &ConversationRecord,
    ) -> ApiResult<()> {
        hooked(
            self.outbox
                .conversation_event(WebhookEvent::ConversationUpdated, Some(before), conversation)
                .await,
        );
        let data = json!(conversation.to_agent_wire(Vec::new(), 0)?);
        self.send(conversation, "conversation.updated", data, Audience::Agents)
            .await?;
        self.automate_change(before, conversation).await
    }

    /// `typist` is `{"type": "contact" | "user", "id", "name"}`.
    pub async fn typing(
        &self,
        conversation: &ConversationRecord,
        on: bool,
        typist: Value,
        private: bool,
    ) -> ApiResult<()> {
        let name = if on {
            "conversation.typing_on"
        } else {
            "conversation.typing_off"
        };
        hooked(self.outbox.typing(conversation, on, &typist, private).await);
        let typist_is_contact = typist["type"] == "contact";
        let data = json!({"conversation": {"id": conversation.display_id, "uuid": conversation.uuid},
                          "user": typist, "is_private": private});
        // A visitor's own typing, and typing on a private note, are for agents only.
        let audience = if private || typist_is_contact {
            Audience::Agents
        } else {
            Audience::Everyone
        };
        self.send(conversation, name, data, audience).await
    }

    /// `conversation.read`: a visitor's reading is for agents; an agent's reading also tells
    /// the visitor their messages were read.
    pub async fn conversation_read(&self, conversation: &ConversationRecord, reader: Reader) -> ApiResult<()> {
        let data = json!(conversation.to_wire(Vec::new())?);
        let audience = match reader {
            Reader::Contact => Audience::Agents,
            Reader::Agent => Audience::Everyone,
        };
        self.send(conversation, "conversation.read", data, audience).await
    }

    /// `contact.updated` to the account's agents (a contact belongs to the whole account).
    pub async fn contact_updated(&self, account_id: i64, contact: &Value) -> ApiResult<()> {
        self.to_account(account_id, "contact.updated", contact.clone(), None)
            .await
    }

    /// `handover.changed` to those who work the contact's inbox.
    pub async fn handover_changed(&self, account_id: i64, inbox_id: i64, handover: &Handover) -> ApiResult<()> {
        let agents = self.store.conversation_agent_ids(account_id, inbox_id).await?;
        self.to_account(account_id, "handover.changed", json!(handover), Some(agents))
            .await
    }

    /// After a change that may have moved a conversation into or out of its inbox's queue
    /// (`before` is `None` for a new one): `conversation.queue_position` to the visitors
    /// whose place changed. One that stops waiting is told `position: null`. Agents hear
    /// `inquiry.created` when it joins, `inquiry.taken` when it leaves for an agent.
    pub async fn queue_moved(&self, before: Option<&ConversationRecord>, after: &ConversationRecord) -> ApiResult<()> {
        let was_waiting = match before {
            Some(before) => before.is_waiting()?,
            None => false,
        };
        let queue_move = queue::queue_move(was_waiting, after.is_waiting()?);
        let inquiry_event = match queue_move {
            QueueMove::Joined => Some("inquiry.created"),
            QueueMove::Left if after.assignee_id().is_some() => Some("inquiry.taken"),
            _ => None,
        };
        if let (Some(name), Some(inquiry)) = (inquiry_event, after.to_inquiry(clock::now())?) {
            self.send(after, name, json!(inquiry), Audience::Agents).await?;
        }
        match queue_move {
            QueueMove::Unchanged => Ok(()),
            QueueMove::Joined => {
                let waiting = self.store.waiting_conversations(after.inbox_id).await?;
                let position = queue::position(&waiting, after.id);
                self.queue_position(&after.visitor_pubsub_token, after.display_id, position)
                    .await
            }
            QueueMove::Left => {
                self.queue_position(&after.visitor_pubsub_token, after.display_id, None)
                    .await?;
                // Only a conversation that was waiting leaves, so `before` is always there.
                let left = before.unwrap_or(after);
                let waiting = self.store.waiting_conversations(after.inbox_id).await?;
                for (behind, position) in queue::moved_up(&waiting, (left.waiting_since, left.id), QUEUE_ANNOUNCED) {
                    self.queue_position(&behind.visitor_pubsub_token, behind.display_id, Some(position))
                        .await?;
                }
                Ok(())
            }
        }
    }

    async fn queue_position(&self, pubsub_token: &str, display_id: i64, position: Option<u32>) -> ApiResult<()> {
        let event = json!({"event": "conversation.queue_position",
                           "data": {"conversation_id": display_id, "position": position}});
        publish(self.env, &visitor_room(pubsub_token), event, None).await
    }
}
