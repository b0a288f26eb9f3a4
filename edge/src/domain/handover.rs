//! Who owns a contact in an inbox, the bot or the human team (contract 5.1), and what a
//! handover does to the contact's conversations there.

use nimchat_shared::enums::ConversationStatus;

/// `nimchat`: human agents answer; `external`: the connected bot (or application) does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Nimchat,
    External,
}

impl Owner {
    pub fn as_str(self) -> &'static str {
        match self {
            Owner::Nimchat => "nimchat",
            Owner::External => "external",
        }
    }

    /// The stored owner, else the default: a connected agent bot owns the contact.
    pub fn of(stored: Option<&str>, inbox_has_bot: bool) -> Owner {
        match stored {
            Some("external") => Owner::External,
            Some(_) => Owner::Nimchat,
            None if inbox_has_bot => Owner::External,
            None => Owner::Nimchat,
        }
    }
}

/// The status a conversation moves to when the contact passes to `owner`, if it moves: the
/// team takes up what waited for it (`pending` to `open`, so it enters the queue); the bot
/// takes back what was open (to `pending`, out of the queue).
pub fn status_after_handover(status: ConversationStatus, owner: Owner) -> Option<ConversationStatus> {
    match (owner, status) {
        (Owner::Nimchat, ConversationStatus::Pending) => Some(ConversationStatus::Open),
        (Owner::External, ConversationStatus::Open) => Some(ConversationStatus::Pending),
        _ => None,
    }
}

/// The activity message that records a handover, naming who made it.
/// Failed attempts to deliver a visitor's message to the bot after which the team takes the
/// contact over, as Chatwoot does when its bot fails (contract 7.2).
pub const FAILED_BOT_DELIVERIES_BEFORE_HANDOVER: i64 = 3;

/// The activity message of a handover by `by` (`None`: nimchat, for a bot that could not be
/// reached).
pub fn activity(owner: Owner, by: Option<&str>) -> String {
    match (owner, by) {
        (Owner::Nimchat, Some(by)) => format!("Conversation was handed over to the team by {by}"),
        (Owner::Nimchat, None) => "Conversation was handed over to the team: the bot could not be reached".into(),
        (Owner::External, Some(by)) => format!("Conversation was handed back to the bot by {by}"),
        (Owner::External, None) => "Conversation was handed back to the bot".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConversationStatus::*;

    #[test]
    fn the_stored_owner_wins_else_a_connected_bot() {
        assert_eq!(Owner::of(Some("nimchat"), true), Owner::Nimchat);
        assert_eq!(Owner::of(Some("external"), false), Owner::External);
        assert_eq!(Owner::of(None, true), Owner::External);
        assert_eq!(Owner::of(None, false), Owner::Nimchat);
    }

    #[test]
    fn handovers_move_only_what_waits_for_the_other_side() {
        assert_eq!(status_after_handover(Pending, Owner::Nimchat), Some(Open));
        assert_eq!(status_after_handover(Open, Owner::External), Some(Pending));
        for status in [Open, Resolved, Snoozed] {
            assert_eq!(status_after_handover(status, Owner::Nimchat), None, "{status:?}");
        }
        for status in [Pending, Resolved, Snoozed] {
            assert_eq!(status_after_handover(status, Owner::External), None, "{status:?}");
        }
    }

    #[test]
    fn activities_say_who_and_which_way() {
        assert_eq!(
            activity(Owner::Nimchat, Some("Ada")),
            "Conversation was handed over to the team by Ada"
        );
        assert_eq!(
            activity(Owner::External, Some("Helpbot")),
            "Conversation was handed back to the bot by Helpbot"
        );
        assert!(activity(Owner::Nimchat, None).contains("could not be reached"));
    }
}
