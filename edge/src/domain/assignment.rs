//! Who gets a new conversation: the available agent with the fewest open conversations
//! (Chatwoot's round robin evens out the same way).

/// An agent who could take the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub user_id: i64,
    pub open_conversations: i64,
}

/// The least loaded candidate; ties go to the longest-standing user (lowest id), so that a
/// run of new conversations deals them out in turn.
pub fn least_loaded(candidates: &[Candidate]) -> Option<i64> {
    candidates
        .iter()
        .min_by_key(|candidate| (candidate.open_conversations, candidate.user_id))
        .map(|candidate| candidate.user_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_conversations_over_three_agents_are_four_three_three() {
        let mut agents = [(7, 0), (3, 0), (5, 0)];
        for _ in 0..10 {
            let candidates: Vec<Candidate> = agents
                .iter()
                .map(|&(user_id, open_conversations)| Candidate {
                    user_id,
                    open_conversations,
                })
                .collect();
            let chosen = least_loaded(&candidates).unwrap();
            agents.iter_mut().find(|(id, _)| *id == chosen).unwrap().1 += 1;
        }
        assert_eq!(agents, [(7, 3), (3, 4), (5, 3)]);
    }

    #[test]
    fn nobody_available_means_nobody() {
        assert_eq!(least_loaded(&[]), None);
    }
}
