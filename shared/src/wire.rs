//! The JSON objects of the API contract, exactly as they travel.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::enums::{
    AttributeDisplayType, AttributeModel, Availability, ConversationStatus, FilterType, MessageType, Priority,
    ReplyTime, Role, SenderType,
};

/// A tenant, as the Platform API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: i64,
    pub name: String,
    pub locale: String,
    pub domain: Option<String>,
    pub support_email: Option<String>,
    pub status: String,
    pub custom_attributes: Map<String, Value>,
    pub created_at: i64,
}

/// `{account_id, user_id, role}`: one membership.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountUser {
    pub account_id: i64,
    pub user_id: i64,
    pub role: Role,
}

/// One of a user's accounts, inside the user object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserAccount {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

/// The fields every view of a person shares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: i64,
    pub uid: String,
    pub name: String,
    pub available_name: String,
    pub display_name: Option<String>,
    pub email: String,
    pub confirmed: bool,
    pub avatar_url: String,
    pub custom_attributes: Map<String, Value>,
}

/// A user as the Platform API shows it; `access_token` only where the contract allows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    #[serde(flatten)]
    pub person: Person,
    pub account_id: Option<i64>,
    pub role: Option<Role>,
    pub accounts: Vec<UserAccount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
}

/// The signed-in user (`GET /api/v1/profile`): their own tokens included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    #[serde(flatten)]
    pub user: User,
    pub availability_status: Availability,
    pub pubsub_token: String,
}

/// A user seen as a member of one account (agents list, inbox members).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    #[serde(flatten)]
    pub person: Person,
    pub account_id: i64,
    pub role: Role,
    pub availability_status: Availability,
    pub auto_offline: bool,
}

/// An agent bot; `access_token` only when its owner asks for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentBot {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    pub account_id: Option<i64>,
    pub outgoing_url: Option<String>,
    /// Always `webhook`: nimchat's bots hear events at `outgoing_url`.
    pub bot_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// Signs the events sent to the bot (Standard Webhooks), as a webhook's secret does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// One day of an inbox's business hours; `day_of_week` 0 is Sunday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingHoursDay {
    pub day_of_week: u8,
    pub closed_all_day: bool,
    pub open_all_day: bool,
    pub open_hour: Option<u8>,
    pub open_minutes: Option<u8>,
    pub close_hour: Option<u8>,
    pub close_minutes: Option<u8>,
}

impl WorkingHoursDay {
    /// Chatwoot's default week: Monday to Friday 09:00 to 17:00, closed at the weekend.
    pub fn default_week() -> Vec<WorkingHoursDay> {
        (0..7)
            .map(|day| {
                let weekend = day == 0 || day == 6;
                WorkingHoursDay {
                    day_of_week: day,
                    closed_all_day: weekend,
                    open_all_day: false,
                    open_hour: (!weekend).then_some(9),
                    open_minutes: (!weekend).then_some(0),
                    close_hour: (!weekend).then_some(17),
                    close_minutes: (!weekend).then_some(0),
                }
            })
            .collect()
    }
}

/// An inbox as the Application API shows it. `hmac_token` and `webhook_secret` are for
/// administrators only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inbox {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub channel_type: String,
    pub inbox_identifier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web_widget_script: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hmac_token: Option<String>,
    pub hmac_mandatory: bool,
    pub website_url: Option<String>,
    pub webhook_url: Option<String>,
    /// Signs the events sent to `webhook_url` (Standard Webhooks), made when it is first set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_secret: Option<String>,
    pub avatar_url: String,
    pub widget_color: String,
    pub welcome_title: Option<String>,
    pub welcome_tagline: Option<String>,
    pub reply_time: ReplyTime,
    pub csat_survey_enabled: bool,
    pub greeting_enabled: bool,
    pub greeting_message: Option<String>,
    pub working_hours_enabled: bool,
    pub working_hours: Vec<WorkingHoursDay>,
    pub timezone: String,
    pub out_of_office_message: Option<String>,
    pub enable_auto_assignment: bool,
    pub lock_to_single_conversation: bool,
    pub allow_messages_after_resolved: bool,
    pub allowed_domains: String,
    pub pre_chat_form_enabled: bool,
    pub pre_chat_form_options: Value,
    pub agent_bot_id: Option<i64>,
}

/// An inbox as the Client API shows it to visitors (no secrets).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicInbox {
    pub identifier: String,
    pub name: String,
    pub timezone: String,
    pub working_hours: Vec<WorkingHoursDay>,
    pub working_hours_enabled: bool,
    pub csat_survey_enabled: bool,
    pub greeting_enabled: bool,
    pub greeting_message: Option<String>,
    pub out_of_office_message: Option<String>,
    pub identity_validation_enabled: bool,
    pub widget_color: String,
    pub welcome_title: Option<String>,
    pub welcome_tagline: Option<String>,
    pub reply_time: ReplyTime,
    pub pre_chat_form_enabled: bool,
    pub pre_chat_form_options: Value,
    pub allow_messages_after_resolved: bool,
    /// An agent member is available and, when enabled, it is within working hours.
    pub online: bool,
    /// Outside its working hours: when the inbox opens next (Unix seconds), for the widget's
    /// "back at". nimchat's own field.
    #[serde(default)]
    pub next_online_at: Option<i64>,
}

/// A visitor's session as `POST/GET .../contacts` returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactSession {
    pub source_id: String,
    pub pubsub_token: String,
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone_number: Option<String>,
}

/// The full contact, as `PATCH .../contacts/{c}` returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicContact {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub identifier: Option<String>,
    pub avatar_url: String,
    pub custom_attributes: Map<String, Value>,
    pub additional_attributes: Map<String, Value>,
    pub created_at: i64,
    pub source_id: String,
    pub pubsub_token: String,
}

/// Who wrote a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sender {
    pub id: i64,
    pub name: String,
    pub avatar_url: String,
    #[serde(rename = "type")]
    pub kind: SenderType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub id: i64,
    pub content: Option<String>,
    pub message_type: MessageType,
    pub content_type: String,
    pub content_attributes: Map<String, Value>,
    pub created_at: i64,
    /// The conversation's display id.
    pub conversation_id: i64,
    pub status: String,
    pub private: bool,
    pub sender: Option<Sender>,
    /// The client's id for an optimistic message, echoed back and never stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub echo_id: Option<String>,
    /// Files sent with the message; absent when there are none, as in Chatwoot.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    #[serde(flatten)]
    pub ids: MessageIds,
}

/// A file of a message (Chatwoot's attachment object). `data_url` is a signed link that
/// expires; a fresh one comes with every read of the message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: i64,
    pub message_id: i64,
    /// `image`, `audio`, `video` or `file`.
    pub file_type: String,
    pub account_id: i64,
    pub extension: String,
    pub data_url: String,
    /// The image itself for images (no thumbnails are made), empty for other files.
    pub thumb_url: String,
    pub file_size: i64,
    /// The name the file is offered under (Chatwoot's clients take it from the URL).
    pub file_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<i64>,
}

impl Attachment {
    /// The file's size as an amount of a unit for `Intl.NumberFormat`: megabytes from 1 MiB,
    /// else kilobytes (at least 1).
    pub fn size_in_units(&self) -> (f64, &'static str) {
        match self.file_size >= 1 << 20 {
            true => (self.file_size as f64 / 1048576.0, "megabyte"),
            false => ((self.file_size as f64 / 1024.0).max(1.0), "kilobyte"),
        }
    }
}

/// Where a message belongs and who sent it, flat, as Chatwoot's message objects also carry
/// them (`sender` says who at length). The widget does not read them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MessageIds {
    /// `Contact`, `User` or `AgentBot` (Chatwoot's class names); `null` for activity.
    #[serde(default)]
    pub sender_type: Option<String>,
    #[serde(default)]
    pub sender_id: Option<i64>,
    #[serde(default)]
    pub inbox_id: i64,
    #[serde(default)]
    pub account_id: i64,
    /// An id from outside (mail, integrations); nimchat's messages have none yet.
    #[serde(default)]
    pub source_id: Option<String>,
    #[serde(default)]
    pub updated_at: i64,
}

/// The agent a conversation is assigned to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignee {
    pub id: i64,
    pub name: String,
    pub available_name: String,
    pub avatar_url: String,
}

/// The contact inside a conversation object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationContact {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub avatar_url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    /// The display id, numbered per account.
    pub id: i64,
    pub uuid: String,
    pub inbox_id: i64,
    pub status: ConversationStatus,
    pub contact_last_seen_at: i64,
    pub agent_last_seen_at: i64,
    pub messages: Vec<Message>,
    pub contact: ConversationContact,
    pub assignee: Option<Assignee>,
    pub custom_attributes: Map<String, Value>,
    pub created_at: i64,
    /// Its place in the inquiry queue while it waits for an agent (visitors' view only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_position: Option<u32>,
}

impl Conversation {
    /// The agents' and bots' messages the visitor has not seen: public replies and
    /// templates newer than `contact_last_seen_at`, in order (the loader's badge).
    pub fn unseen_replies(&self) -> impl Iterator<Item = &Message> {
        self.messages.iter().filter(move |message| {
            matches!(message.message_type, MessageType::Outgoing | MessageType::Template)
                && !message.private
                && message.created_at > self.contact_last_seen_at
        })
    }
}

/// Who a conversation is with and who answers it, as the Application API nests them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationMeta {
    pub sender: ConversationContact,
    pub assignee: Option<Assignee>,
    pub team: Option<TeamSummary>,
    /// The inbox's channel, as Chatwoot names its class (`Channel::WebWidget`, `Channel::Api`).
    pub channel: String,
    /// Whether the visitor's session proved its identity.
    pub hmac_verified: bool,
}

/// The team a conversation is assigned to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamSummary {
    pub id: i64,
    pub name: String,
}

/// A conversation as agents see it (Application API): the visitor's view plus counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentConversation {
    #[serde(flatten)]
    pub conversation: Conversation,
    pub account_id: i64,
    /// Unix seconds of the last activity.
    pub timestamp: i64,
    /// Visitor messages since an agent last looked.
    pub unread_count: i64,
    pub priority: Option<Priority>,
    pub labels: Vec<String>,
    pub meta: ConversationMeta,
    /// Whether an agent may reply (always, for nimchat's channels).
    pub can_reply: bool,
    /// Unix seconds, while snoozed.
    pub snoozed_until: Option<i64>,
    /// Unix seconds since when it waits for an agent; `null` while it does not.
    pub waiting_since: Option<i64>,
    /// Unix seconds of the first reply a person sent.
    pub first_reply_created_at: Option<i64>,
    pub last_activity_at: i64,
    pub updated_at: i64,
    pub additional_attributes: Map<String, Value>,
    /// Chatwoot's mute; nimchat has none, so always `false`.
    pub muted: bool,
}

/// A livechat inquiry as Rocket.Chat's routes show it (contract 5.3): a conversation waiting
/// for a human agent, or just taken. Ids are strings, as Rocket.Chat's are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inquiry {
    /// The conversation's storage id: unique across accounts.
    #[serde(rename = "_id")]
    pub id: String,
    /// The conversation's id in its account, as the Application API names it.
    pub rid: String,
    /// The contact's name.
    pub name: String,
    /// When it started waiting, ISO-8601 UTC.
    pub ts: String,
    /// The conversation's team id.
    pub department: Option<String>,
    /// `queued` while it waits, `taken` once an agent has it.
    pub status: String,
    pub v: InquiryVisitor,
    /// Rocket.Chat's room type: `l`, livechat.
    pub t: String,
    #[serde(rename = "_updatedAt")]
    pub updated_at: String,
    #[serde(rename = "accountId")]
    pub account_id: i64,
    /// The visitor's first message (`getOne`, `take`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The agent who has it, once taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agents: Option<Vec<String>>,
}

/// The visitor of an inquiry: never their `source_id` or `pubsub_token`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InquiryVisitor {
    /// The contact's id.
    #[serde(rename = "_id")]
    pub id: String,
    pub username: String,
    /// `online` or `offline`.
    pub status: String,
}

/// One of a contact's sessions as Engagor names it (contract 5.2): the kind of inbox
/// (`livechat`, `api`) and the contact's `source_id` there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SocialProfile {
    #[serde(rename = "type")]
    pub kind: String,
    pub service_id: String,
}

/// Who answers a contact in an inbox (contract 5.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Handover {
    /// `livechat` or `api`.
    pub service: String,
    /// The contact's `source_id` in the inbox.
    pub service_id: String,
    pub contact_id: i64,
    /// `nimchat` (the team) or `external` (the connected bot).
    pub owner: String,
    /// Unix seconds of the last handover; `null` while the default owner holds.
    pub updated_at: Option<i64>,
    pub updated_by: Option<HandoverActor>,
}

/// Who made a handover.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandoverActor {
    /// `user` or `agent_bot`.
    #[serde(rename = "type")]
    pub kind: String,
    pub id: i64,
}

/// A conversation as SuperOffice's chat session entity (contract 5.4); dates are ISO-8601
/// with their offset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChatSessionEntity {
    /// The conversation's id in its account.
    pub chat_session_id: i64,
    /// The inbox.
    pub topic_id: i64,
    /// Who handles it.
    pub user: Option<Associate>,
    pub customer_name: String,
    pub customer_email: Option<String>,
    pub customer_phone: Option<String>,
    /// `Requested`, `Active`, `Closed`, `Idle` or `Bot`.
    pub status: String,
    pub first_message: String,
    pub last_message: String,
    pub when_requested: String,
    pub when_started: Option<String>,
    pub when_ended: Option<String>,
    pub when_idle: String,
    /// The agent asked to take it over, while that is pending.
    pub transfer_to: Option<Associate>,
    pub chatbot_is_active: bool,
    /// The CSAT rating, 0 without one.
    pub rating: i64,
}

/// A user as SuperOffice names its associates: `Name` is the user name (the e-mail).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Associate {
    pub associate_id: i64,
    pub name: String,
    pub full_name: String,
}

/// The counts beside a conversation list, for the current status and inbox filters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationCounts {
    pub mine_count: i64,
    pub unassigned_count: i64,
    pub assigned_count: i64,
    pub all_count: i64,
}

/// A visitor's answer to a CSAT survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CsatSurveyResponse {
    pub rating: u8,
    pub feedback_message: Option<String>,
}

/// The CSAT survey page's view of a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CsatSurvey {
    pub conversation_id: i64,
    pub conversation_uuid: String,
    pub inbox_name: String,
    pub widget_color: String,
    pub survey_created_at: i64,
    pub csat_survey_response: Option<CsatSurveyResponse>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_files_size_is_in_kilobytes_then_megabytes() {
        let sized = |file_size| Attachment {
            file_size,
            ..Attachment::default()
        };
        assert_eq!(sized(16).size_in_units(), (1.0, "kilobyte"), "never 0 kB");
        assert_eq!(sized(2048).size_in_units(), (2.0, "kilobyte"));
        assert_eq!(sized(3 << 20).size_in_units(), (3.0, "megabyte"));
    }

    #[test]
    fn default_week_is_closed_on_the_weekend_only() {
        let week = WorkingHoursDay::default_week();
        assert_eq!(week.len(), 7);
        assert!(week[0].closed_all_day && week[6].closed_all_day);
        assert!(week[1..6]
            .iter()
            .all(|day| !day.closed_all_day && day.open_hour == Some(9)));
    }

    #[test]
    fn unseen_replies_are_the_public_answers_after_the_visitor_last_looked() {
        let message = |id: i64, kind: u8, private: bool, at: i64| {
            serde_json::from_value::<Message>(serde_json::json!({
                "id": id, "content": "m", "message_type": kind, "content_type": "text",
                "content_attributes": {}, "created_at": at, "conversation_id": 1, "status": "sent",
                "private": private, "sender": null
            }))
            .unwrap()
        };
        let conversation: Conversation = serde_json::from_value(serde_json::json!({
            "id": 1, "uuid": "u", "inbox_id": 1, "status": "open", "contact_last_seen_at": 100,
            "agent_last_seen_at": 0, "assignee": null, "custom_attributes": {}, "created_at": 0,
            "contact": {"id": 1, "name": "K", "email": null, "phone_number": null, "avatar_url": ""},
            "messages": [
                message(1, 1, false, 90),
                message(2, 0, false, 110),
                message(3, 1, true, 120),
                message(4, 2, false, 130),
                message(5, 1, false, 140),
                message(6, 3, false, 150)
            ]
        }))
        .unwrap();
        let unseen: Vec<i64> = conversation.unseen_replies().map(|m| m.id).collect();
        assert_eq!(unseen, [5, 6], "not seen, not the visitor's, not private, not activity");
    }

    #[test]
    fn access_token_is_left_out_when_absent() {
        let bot = AgentBot {
            id: 1,
            name: "b".into(),
            description: None,
            account_id: None,
            outgoing_url: None,
            bot_type: "webhook".into(),
            access_token: None,
            secret: None,
        };
        let json = serde_json::to_value(&bot).unwrap();
        assert!(json.get("access_token").is_none());
        assert!(json.get("secret").is_none());
    }
}

/// A contact as account members see it, with its sessions (`source_id` per inbox).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub identifier: Option<String>,
    pub thumbnail: String,
    pub avatar_url: String,
    pub additional_attributes: Map<String, Value>,
    pub custom_attributes: Map<String, Value>,
    pub last_activity_at: Option<i64>,
    pub created_at: i64,
    pub contact_inboxes: Vec<ContactInbox>,
}

/// One of a contact's sessions, as the Application API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactInbox {
    pub source_id: String,
    pub inbox: ContactInboxInbox,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactInboxInbox {
    pub id: i64,
    pub name: String,
    pub channel_type: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    pub allow_auto_assign: bool,
    pub account_id: i64,
    /// Whether the user asking is a member.
    pub is_member: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Label {
    pub id: i64,
    pub title: String,
    pub description: Option<String>,
    pub color: String,
    pub show_on_sidebar: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CannedResponse {
    pub id: i64,
    pub short_code: String,
    pub content: String,
    pub account_id: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomAttributeDefinition {
    pub id: i64,
    pub attribute_display_name: String,
    pub attribute_display_type: AttributeDisplayType,
    pub attribute_description: Option<String>,
    pub attribute_key: String,
    pub attribute_values: Vec<String>,
    pub default_value: Option<String>,
    pub attribute_model: AttributeModel,
    pub account_id: i64,
    pub created_at: i64,
}

/// A user's saved filter; `query` is kept as the client sent it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomFilter {
    pub id: i64,
    pub name: String,
    /// Chatwoot's field; `type` says the same, as the swagger names it.
    pub filter_type: FilterType,
    #[serde(rename = "type")]
    pub kind: FilterType,
    pub query: Value,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One bucket of a report's time series: counts are integers, averages numbers that also carry
/// `count`, how many values were averaged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportPoint {
    pub value: serde_json::Number,
    /// The bucket's start, Unix seconds.
    pub timestamp: i64,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub count: Option<i64>,
}

/// The seven report metrics over one window; averages in seconds, 0 when none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportMetrics {
    pub conversations_count: i64,
    pub incoming_messages_count: i64,
    pub outgoing_messages_count: i64,
    pub avg_first_response_time: f64,
    pub avg_resolution_time: f64,
    pub resolutions_count: i64,
    pub reply_time: f64,
}

/// `reports/summary`: the window asked for, and the one as long just before it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportSummary {
    #[serde(flatten)]
    pub current: ReportMetrics,
    pub previous: ReportMetrics,
}

/// An account's open conversations now (`reports/conversations?type=account`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationMetrics {
    pub open: i64,
    pub unattended: i64,
    pub unassigned: i64,
}

/// A user's open conversations now (`reports/conversations?type=agent`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentConversationMetrics {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub thumbnail: String,
    pub availability: Availability,
    pub metric: AgentOpenConversations,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentOpenConversations {
    pub open: i64,
    pub unattended: i64,
}

/// A recorded report event as Chatwoot's `reporting_events` routes show it; times ISO-8601 UTC.
/// nimchat does not compute business-hours values (`value_in_business_hours` is `null`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportingEvent {
    pub id: i64,
    pub name: String,
    /// Seconds.
    pub value: f64,
    pub value_in_business_hours: Option<f64>,
    pub event_start_time: String,
    pub event_end_time: String,
    pub account_id: i64,
    pub conversation_id: Option<i64>,
    pub inbox_id: Option<i64>,
    pub user_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}
