//! Automation rules at work (contract 7.3). The rules themselves (conditions, actions, the
//! `and`-before-`or` rule) are data in `domain::automation`; this runs them inside the
//! request whose change fired their event, after the change is stored and announced.
//! Changes made by rules are announced as usual but fire no rules (the loop guard): they go
//! through a `Broadcaster` without automation.

mod actions;
pub mod routes;

use std::collections::HashMap;

use nimchat_shared::enums::MessageType;
use nimchat_shared::wire::Message;
use worker::{console_error, Env};

use crate::account_cache::AccountCache;
use crate::domain::automation::{conditions_hold, parse_actions, parse_conditions, Facts, RuleEvent};
use crate::domain::filters::CustomKind;
use crate::error::{ApiError, ApiResult};
use crate::realtime::Broadcaster;
use crate::store::{ConversationRecord, RuleRow, Store};
use crate::webhooks::private_urls_allowed;

/// The account's active rules, read once per request that fires an event.
pub struct Automation<'a> {
    env: &'a Env,
    store: &'a Store,
    rules: AccountCache<Vec<RuleRow>>,
}

/// Whether each custom attribute key the account defined compares as a number.
pub async fn custom_kinds(store: &Store, account_id: i64) -> ApiResult<HashMap<String, bool>> {
    Ok(store
        .attribute_definitions(account_id, None)
        .await?
        .into_iter()
        .map(|definition| {
            let numeric = CustomKind::of(definition.attribute_display_type) == CustomKind::Number;
            (definition.attribute_key, numeric)
        })
        .collect())
}

impl<'a> Automation<'a> {
    pub fn new(env: &'a Env, store: &'a Store) -> Self {
        Automation {
            env,
            store,
            rules: AccountCache::default(),
        }
    }

    /// Runs the active rules of `event`, in id order; each sees what the ones before it did.
    pub async fn run(
        &self,
        event: RuleEvent,
        conversation: &ConversationRecord,
        message: Option<&Message>,
    ) -> ApiResult<()> {
        let account_id = conversation.account_id;
        let rules = self
            .rules
            .get(account_id, || self.store.active_automation_rules(account_id))
            .await?;
        let due: Vec<&RuleRow> = rules.iter().filter(|rule| rule.event_name == event.name()).collect();
        if due.is_empty() {
            return Ok(());
        }
        let custom = custom_kinds(self.store, conversation.account_id).await?;
        let broadcaster = Broadcaster::without_automation(self.env, self.store);
        let mut current = conversation.clone();
        for rule in due {
            // A rule whose definitions changed since it was saved no longer applies.
            let Ok(conditions) = parse_conditions(&rule.conditions, |key| custom.get(key).copied()) else {
                continue;
            };
            let Some(subjects) = self.store.conversation_subjects(current.id).await? else {
                return Ok(());
            };
            let message_type = message.map(|message| match message.message_type {
                MessageType::Incoming => "incoming",
                _ => "outgoing",
            });
            let facts = Facts {
                content: message.and_then(|message| message.content.as_deref()),
                message_type,
                status: &current.status,
                assignee_id: current.assignee_id(),
                team_id: current.team_id,
                inbox_id: current.inbox_id,
                priority: current.priority(),
                labels: &current.labels,
                email: subjects.contact_email.as_deref(),
                phone_number: subjects.contact_phone_number.as_deref(),
                conversation_attributes: Some(&current.custom_attributes),
                contact_attributes: Some(&subjects.contact_custom_attributes),
            };
            if !conditions_hold(&conditions, &facts) {
                continue;
            }
            let Ok(rule_actions) = parse_actions(&rule.actions, private_urls_allowed(self.env)) else {
                continue;
            };
            for action in &rule_actions {
                // An action that cannot apply (a team deleted since) is skipped; the rest run.
                let done = actions::perform(self.store, &broadcaster, rule, event, action, &current).await;
                if let Err(error) = done {
                    console_error!("automation rule {} skipped {action:?}: {error:?}", rule.id);
                }
                current = self
                    .store
                    .conversation_by_uuid(&current.uuid)
                    .await?
                    .ok_or(ApiError::NotFound)?;
            }
        }
        Ok(())
    }
}
