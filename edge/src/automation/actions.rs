//! What each action of a rule does, through the same flows people's changes take.

use nimchat_shared::enums::{ConversationStatus, MessageType};
use serde_json::{json, Map};

use crate::conversation_flow;
use crate::domain::automation::{Action, RuleEvent};
use crate::error::{ApiError, ApiResult};
use crate::realtime::Broadcaster;
use crate::store::{ConversationRecord, NewMessage, RuleRow, StatusChange, Store};

/// Who the activity messages of rules name.
const AUTOMATION: &str = "Automation System";

pub async fn perform(
    store: &Store,
    broadcaster: &Broadcaster<'_>,
    rule: &RuleRow,
    event: RuleEvent,
    action: &Action,
    conversation: &ConversationRecord,
) -> ApiResult<()> {
    let account_id = conversation.account_id;
    match action {
        Action::AddLabels(labels) | Action::RemoveLabels(labels) => {
            let adding = matches!(action, Action::AddLabels(_));
            let mut changed: Vec<String> = conversation
                .labels
                .iter()
                .filter(|own| adding || !labels.contains(own))
                .cloned()
                .collect();
            if adding {
                changed.extend(
                    labels
                        .iter()
                        .filter(|label| !conversation.labels.contains(label))
                        .cloned(),
                );
            }
            if changed != conversation.labels {
                store.set_conversation_labels(conversation.id, &changed).await?;
                broadcaster
                    .conversation_updated(conversation, &reread(store, conversation).await?)
                    .await?;
            }
            Ok(())
        }
        Action::AssignAgent(agent) => {
            if let Some(agent) = agent {
                let agent_record = store.agent(account_id, *agent).await?.ok_or(ApiError::NotFound)?;
                let administrator = agent_record.role == nimchat_shared::enums::Role::Administrator;
                if !administrator && !store.is_inbox_member(conversation.inbox_id, *agent).await? {
                    return Err(ApiError::Forbidden);
                }
            }
            let team = conversation.team_id.map(|team| (team, false));
            conversation_flow::assign(store, broadcaster, conversation, *agent, team).await?;
            Ok(())
        }
        Action::AssignTeam(team) => {
            if let Some(team) = team {
                store.team(account_id, *team, 0).await?.ok_or(ApiError::NotFound)?;
            }
            let team = team.map(|team| (team, false));
            conversation_flow::assign(store, broadcaster, conversation, conversation.assignee_id(), team).await?;
            Ok(())
        }
        Action::ChangePriority(priority) => {
            store.set_priority(conversation.id, *priority).await?;
            broadcaster
                .conversation_updated(conversation, &reread(store, conversation).await?)
                .await
        }
        Action::SendMessage(text) | Action::AddPrivateNote(text) => {
            let attributes = Map::from_iter([("automation_rule_id".to_string(), json!(rule.id))]);
            let new = NewMessage {
                message_type: MessageType::Outgoing,
                content_type: "text",
                content: Some(text),
                content_attributes: &attributes,
                private: matches!(action, Action::AddPrivateNote(_)),
                sender: None,
                attachments: &[],
            };
            conversation_flow::add_message(store, broadcaster, conversation, &new, None, None).await?;
            Ok(())
        }
        Action::SendWebhookEvent(url) => {
            broadcaster
                .outbox()
                .automation_event(rule.id, url, event.name(), conversation)
                .await
        }
        Action::Resolve | Action::Mute => {
            change_status(
                store,
                broadcaster,
                conversation,
                ConversationStatus::Resolved,
                matches!(action, Action::Mute),
            )
            .await
        }
        Action::Open => change_status(store, broadcaster, conversation, ConversationStatus::Open, false).await,
        Action::Snooze => change_status(store, broadcaster, conversation, ConversationStatus::Snoozed, false).await,
    }
}

async fn reread(store: &Store, conversation: &ConversationRecord) -> ApiResult<ConversationRecord> {
    store
        .conversation_by_uuid(&conversation.uuid)
        .await?
        .ok_or(ApiError::NotFound)
}

/// A status set by a rule; snoozed means until the visitor's next message.
async fn change_status(
    store: &Store,
    broadcaster: &Broadcaster<'_>,
    conversation: &ConversationRecord,
    status: ConversationStatus,
    mute: bool,
) -> ApiResult<()> {
    if conversation.status()? == status && conversation.muted == mute {
        return Ok(());
    }
    let inbox = store
        .inbox(conversation.account_id, conversation.inbox_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let activity = match status {
        ConversationStatus::Resolved => format!("Conversation was marked resolved by {AUTOMATION}"),
        ConversationStatus::Open => format!("Conversation was reopened by {AUTOMATION}"),
        ConversationStatus::Snoozed => format!("Conversation was snoozed by {AUTOMATION}"),
        ConversationStatus::Pending => format!("Conversation was marked as pending by {AUTOMATION}"),
    };
    let change = StatusChange {
        status,
        snoozed_until: None,
        activity: Some(activity),
        send_survey: status == ConversationStatus::Resolved && inbox.csat_survey_enabled,
        mute,
    };
    conversation_flow::change_status(store, broadcaster, conversation, &change).await?;
    Ok(())
}
