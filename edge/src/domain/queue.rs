//! The inquiry queue (contract 5.3): conversations waiting for a human agent, the one that
//! has waited longest first. Each waiting visitor is told their place. Who waits is
//! `ConversationStatus::waits_in_queue`, shared with the widget.

use serde::Deserialize;

/// One waiting conversation, and where its visitor listens.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Waiting {
    pub id: i64,
    pub display_id: i64,
    /// Unix milliseconds; ties go to the older conversation (lower id).
    pub waiting_since: i64,
    pub visitor_pubsub_token: String,
}

impl Waiting {
    fn place(&self) -> (i64, i64) {
        (self.waiting_since, self.id)
    }
}

/// The waiting conversations in queue order.
pub fn in_queue_order(mut waiting: Vec<Waiting>) -> Vec<Waiting> {
    waiting.sort_by_key(Waiting::place);
    waiting
}

/// The 1-based place of conversation `id` in a queue in order.
pub fn position(queue: &[Waiting], id: i64) -> Option<u32> {
    let index = queue.iter().position(|waiting| waiting.id == id)?;
    u32::try_from(index + 1).ok()
}

/// How a change moved a conversation relative to the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueMove {
    /// It started waiting: it joins at the end, nobody else moves.
    Joined,
    /// It stopped waiting (taken, resolved, snoozed, handed to a bot): everyone behind moves up.
    Left,
    Unchanged,
}

pub fn queue_move(was_waiting: bool, is_waiting: bool) -> QueueMove {
    match (was_waiting, is_waiting) {
        (false, true) => QueueMove::Joined,
        (true, false) => QueueMove::Left,
        _ => QueueMove::Unchanged,
    }
}

/// Those behind the place `(waiting_since, id)` of a conversation that left the queue (at
/// most `limit`), with their new places in the queue as it now is.
pub fn moved_up(queue: &[Waiting], left: (i64, i64), limit: usize) -> Vec<(&Waiting, u32)> {
    queue
        .iter()
        .zip(1u32..)
        .filter(|(waiting, _)| waiting.place() > left)
        .take(limit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting(id: i64, since: i64) -> Waiting {
        Waiting {
            id,
            display_id: id + 100,
            waiting_since: since,
            visitor_pubsub_token: format!("t{id}"),
        }
    }

    #[test]
    fn who_waited_longest_comes_first_and_ties_go_to_the_older_conversation() {
        let queue = in_queue_order(vec![waiting(3, 50), waiting(1, 90), waiting(2, 50)]);
        let ids: Vec<i64> = queue.iter().map(|w| w.id).collect();
        assert_eq!(ids, [2, 3, 1]);
        assert_eq!(position(&queue, 2), Some(1));
        assert_eq!(position(&queue, 1), Some(3));
        assert_eq!(position(&queue, 9), None);
    }

    #[test]
    fn joining_moves_nobody_and_leaving_moves_those_behind() {
        assert_eq!(queue_move(false, true), QueueMove::Joined);
        assert_eq!(queue_move(true, false), QueueMove::Left);
        assert_eq!(queue_move(true, true), QueueMove::Unchanged);
        assert_eq!(queue_move(false, false), QueueMove::Unchanged);
        // 2 waited since 50 and was taken; 3 (also since 50, but newer) and 1 move up.
        let queue = in_queue_order(vec![waiting(4, 10), waiting(3, 50), waiting(1, 90)]);
        let moved: Vec<(i64, u32)> = moved_up(&queue, (50, 2), 10)
            .into_iter()
            .map(|(w, place)| (w.id, place))
            .collect();
        assert_eq!(moved, [(3, 2), (1, 3)]);
        assert_eq!(moved_up(&queue, (50, 2), 1).len(), 1, "bounded");
    }
}
