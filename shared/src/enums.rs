//! The contract's enums, with the exact strings used on the wire and in storage.

use serde::{Deserialize, Serialize};

/// Declares a string enum whose wire form is `snake_case`, with a strict parser so that
/// handlers can answer 422 for unknown values instead of guessing.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum!(
    /// A user's role inside one account.
    Role { Administrator => "administrator", Agent => "agent" }
);

wire_enum!(
    /// Whether an agent takes conversations; only `Available` counts for assignment.
    Availability { Available => "available", Busy => "busy", Offline => "offline" }
);

impl Availability {
    /// Parses input, accepting `online` as the contract's synonym of `available`.
    pub fn parse_input(text: &str) -> Option<Self> {
        match text {
            "online" => Some(Availability::Available),
            other => Availability::parse(other),
        }
    }
}

wire_enum!(
    /// The kind of channel behind an inbox, as sent in `channel.type`.
    ChannelType { WebWidget => "web_widget", Api => "api" }
);

impl ChannelType {
    /// Chatwoot's class name, shown as the inbox's `channel_type`.
    pub fn class_name(self) -> &'static str {
        match self {
            ChannelType::WebWidget => "Channel::WebWidget",
            ChannelType::Api => "Channel::Api",
        }
    }
}

wire_enum!(
    /// The expected reply time a widget shows to visitors.
    ReplyTime {
        InAFewMinutes => "in_a_few_minutes",
        InAFewHours => "in_a_few_hours",
        InADay => "in_a_day",
    }
);

wire_enum!(
    /// Where a conversation stands.
    ConversationStatus { Open => "open", Resolved => "resolved", Pending => "pending", Snoozed => "snoozed" }
);

impl ConversationStatus {
    /// Whether a conversation in this status waits in the inquiry queue: open means humans own
    /// it (a bot's conversations are pending), and nobody has taken it yet.
    pub fn waits_in_queue(self, assigned: bool) -> bool {
        self == ConversationStatus::Open && !assigned
    }
}

wire_enum!(
    /// Which conversations an agent lists, by assignment.
    AssigneeType { Me => "me", Unassigned => "unassigned", Assigned => "assigned", All => "all" }
);

wire_enum!(
    /// Who a message's `sender` is.
    SenderType { Contact => "contact", User => "user", AgentBot => "agent_bot" }
);

impl SenderType {
    /// Chatwoot's class name, as its messages' flat `sender_type` says it.
    pub fn class_name(self) -> &'static str {
        match self {
            SenderType::Contact => "Contact",
            SenderType::User => "User",
            SenderType::AgentBot => "AgentBot",
        }
    }
}

wire_enum!(
    /// A visitor's typing state, as the Client API takes it.
    TypingStatus { On => "on", Off => "off" }
);

wire_enum!(
    /// How urgent a conversation is; no priority is `null` on the wire ("none" on input).
    Priority { Urgent => "urgent", High => "high", Medium => "medium", Low => "low" }
);

wire_enum!(
    /// What a saved custom filter lists.
    FilterType { Conversation => "conversation", Contact => "contact", Report => "report" }
);

wire_enum!(
    /// What a custom attribute definition describes (input also takes Chatwoot's 0 and 1).
    AttributeModel { Conversation => "conversation_attribute", Contact => "contact_attribute" }
);

wire_enum!(
    /// How a custom attribute is shown, and so which values it takes (input also takes the
    /// seed's numbers 0 to 7, in this order).
    AttributeDisplayType {
        Text => "text",
        Number => "number",
        Currency => "currency",
        Percent => "percent",
        Link => "link",
        Date => "date",
        List => "list",
        Checkbox => "checkbox",
    }
);

/// A message's direction; the wire carries the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "u8", try_from = "u8")]
pub enum MessageType {
    Incoming = 0,
    Outgoing = 1,
    Activity = 2,
    Template = 3,
}

impl From<MessageType> for u8 {
    fn from(kind: MessageType) -> u8 {
        kind as u8
    }
}

impl TryFrom<u8> for MessageType {
    type Error = String;

    fn try_from(number: u8) -> Result<Self, String> {
        match number {
            0 => Ok(MessageType::Incoming),
            1 => Ok(MessageType::Outgoing),
            2 => Ok(MessageType::Activity),
            3 => Ok(MessageType::Template),
            other => Err(format!("message type {other} is unknown")),
        }
    }
}

impl MessageType {
    /// The Application API's names for the kinds an agent may create.
    pub fn parse_agent_input(text: &str) -> Option<Self> {
        match text {
            "incoming" => Some(MessageType::Incoming),
            "outgoing" => Some(MessageType::Outgoing),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_is_the_inverse_of_as_str() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(*role));
        }
        for status in Availability::ALL {
            assert_eq!(Availability::parse(status.as_str()), Some(*status));
        }
    }

    #[test]
    fn unknown_values_are_rejected() {
        assert_eq!(Role::parse("owner"), None);
        assert_eq!(Role::parse("Administrator"), None);
        assert_eq!(ChannelType::parse("email"), None);
    }

    #[test]
    fn only_open_unassigned_conversations_wait_in_the_queue() {
        assert!(ConversationStatus::Open.waits_in_queue(false));
        assert!(!ConversationStatus::Open.waits_in_queue(true));
        assert!(!ConversationStatus::Pending.waits_in_queue(false), "a bot owns it");
        assert!(!ConversationStatus::Resolved.waits_in_queue(false));
        assert!(!ConversationStatus::Snoozed.waits_in_queue(false));
    }

    #[test]
    fn online_is_a_synonym_of_available_on_input_only() {
        assert_eq!(Availability::parse_input("online"), Some(Availability::Available));
        assert_eq!(Availability::parse("online"), None);
    }

    #[test]
    fn message_types_travel_as_numbers() {
        assert_eq!(serde_json::to_string(&MessageType::Template).unwrap(), "3");
        assert_eq!(serde_json::from_str::<MessageType>("1").unwrap(), MessageType::Outgoing);
        assert!(serde_json::from_str::<MessageType>("7").is_err());
        assert_eq!(MessageType::parse_agent_input("outgoing"), Some(MessageType::Outgoing));
        assert_eq!(MessageType::parse_agent_input("activity"), None);
    }

    #[test]
    fn serde_uses_the_wire_strings() {
        assert_eq!(serde_json::to_string(&ReplyTime::InADay).unwrap(), "\"in_a_day\"");
        assert_eq!(ChannelType::WebWidget.class_name(), "Channel::WebWidget");
    }
}
