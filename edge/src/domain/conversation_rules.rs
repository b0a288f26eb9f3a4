//! How a conversation's status moves (contract §3).

use nimchat_shared::enums::ConversationStatus;

/// A new conversation waits for the bot when a bot owns the visitor, else for humans.
pub fn initial_status(bot_owns_contact: bool) -> ConversationStatus {
    if bot_owns_contact {
        ConversationStatus::Pending
    } else {
        ConversationStatus::Open
    }
}

/// A visitor's message wakes a resolved or snoozed conversation; `None` keeps the status.
/// A muted conversation (automation's `mute_conversation`) stays as it is.
pub fn status_after_visitor_message(
    current: ConversationStatus,
    bot_owns_contact: bool,
    muted: bool,
) -> Option<ConversationStatus> {
    match current {
        _ if muted => None,
        ConversationStatus::Resolved | ConversationStatus::Snoozed => Some(initial_status(bot_owns_contact)),
        ConversationStatus::Open | ConversationStatus::Pending => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConversationStatus::*;

    #[test]
    fn new_conversations_wait_for_their_owner() {
        assert_eq!(initial_status(false), Open);
        assert_eq!(initial_status(true), Pending);
    }

    #[test]
    fn a_visitor_message_reopens_only_what_was_closed() {
        assert_eq!(status_after_visitor_message(Resolved, false, false), Some(Open));
        assert_eq!(status_after_visitor_message(Resolved, true, false), Some(Pending));
        assert_eq!(status_after_visitor_message(Snoozed, false, false), Some(Open));
        assert_eq!(status_after_visitor_message(Open, false, false), None);
        assert_eq!(status_after_visitor_message(Pending, true, false), None);
        assert_eq!(status_after_visitor_message(Resolved, false, true), None, "muted");
    }
}
