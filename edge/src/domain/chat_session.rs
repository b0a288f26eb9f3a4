//! SuperOffice's chat sessions over nimchat's conversations (contract 5.4): how a
//! conversation's state reads as a session status, whom a transfer names, and the activity
//! that records each step of a transfer.

use nimchat_shared::enums::ConversationStatus;

/// `Requested` while it waits for an agent, `Active` once one has it, `Closed` resolved,
/// `Idle` snoozed, `Bot` while the bot has it (pending).
pub fn session_status(status: ConversationStatus, has_assignee: bool) -> &'static str {
    match status {
        ConversationStatus::Open if has_assignee => "Active",
        ConversationStatus::Open => "Requested",
        ConversationStatus::Resolved => "Closed",
        ConversationStatus::Snoozed => "Idle",
        ConversationStatus::Pending => "Bot",
    }
}

/// `toAssociate`: a user's id, or their e-mail address (nimchat's user name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Associate {
    Id(i64),
    Email(String),
}

impl Associate {
    pub fn parse(text: &str) -> Option<Associate> {
        let text = text.trim();
        if !text.is_empty() && text.len() <= 15 && text.bytes().all(|b| b.is_ascii_digit()) {
            return text.parse().ok().filter(|id| *id > 0).map(Associate::Id);
        }
        (text.contains('@') && text.len() <= 255).then(|| Associate::Email(text.to_string()))
    }
}

/// The steps of a transfer, each recorded as an activity message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferStep {
    Requested,
    Accepted,
    Rejected,
    Cancelled,
}

/// The activity message of a step between agents `from` (who holds it) and `to`.
pub fn transfer_activity(step: TransferStep, from: &str, to: &str) -> String {
    match step {
        TransferStep::Requested => format!("{from} asked {to} to take over the conversation"),
        TransferStep::Accepted => format!("{to} took over the conversation from {from}"),
        TransferStep::Rejected => format!("{to} declined to take over the conversation from {from}"),
        TransferStep::Cancelled => format!("{from} withdrew the transfer to {to}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConversationStatus::*;

    #[test]
    fn statuses_map_as_the_contract_says() {
        assert_eq!(session_status(Open, false), "Requested");
        assert_eq!(session_status(Open, true), "Active");
        assert_eq!(session_status(Resolved, true), "Closed");
        assert_eq!(session_status(Snoozed, false), "Idle");
        assert_eq!(session_status(Pending, false), "Bot");
    }

    #[test]
    fn associates_are_ids_or_emails() {
        assert_eq!(Associate::parse("42"), Some(Associate::Id(42)));
        assert_eq!(
            Associate::parse(" ada@example.test "),
            Some(Associate::Email("ada@example.test".into()))
        );
        for bad in ["", "0", "-3", "ada", "99999999999999999999"] {
            assert_eq!(Associate::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn each_step_reads_differently() {
        let texts: Vec<String> = [
            TransferStep::Requested,
            TransferStep::Accepted,
            TransferStep::Rejected,
            TransferStep::Cancelled,
        ]
        .into_iter()
        .map(|step| transfer_activity(step, "Ada", "Alan"))
        .collect();
        assert_eq!(texts[0], "Ada asked Alan to take over the conversation");
        assert_eq!(texts[1], "Alan took over the conversation from Ada");
        for (i, text) in texts.iter().enumerate() {
            assert!(texts.iter().skip(i + 1).all(|other| other != text));
        }
    }
}
