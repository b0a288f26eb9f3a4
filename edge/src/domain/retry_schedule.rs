//! When an event is tried again after a failed delivery (contract 7.1): about 1 s, 5 s,
//! 30 s, 2 min, 10 min and 1 h later, each up to 20 % later; seven attempts at most.

/// Seconds before the attempt after attempt `n` (index `n - 1`).
const DELAYS: [u32; 6] = [1, 5, 30, 120, 600, 3600];

/// The wait after attempt `attempt` (1-based) failed, with `jitter` in [0, 1) stretching it
/// by up to a fifth; `None` when that was the last attempt.
pub fn next_delay(attempt: u32, jitter: f64) -> Option<u32> {
    let base = *DELAYS.get(attempt.checked_sub(1)? as usize)?;
    let stretch = (base as f64 * 0.2 * jitter.clamp(0.0, 1.0)) as u32;
    Some(base + stretch)
}

#[cfg(test)]
mod tests {
    use super::next_delay;

    #[test]
    fn the_schedule_backs_off_then_stops_after_seven_attempts() {
        let plain: Vec<Option<u32>> = (1..=7).map(|attempt| next_delay(attempt, 0.0)).collect();
        assert_eq!(
            plain,
            [Some(1), Some(5), Some(30), Some(120), Some(600), Some(3600), None]
        );
        assert_eq!(next_delay(0, 0.0), None);
    }

    #[test]
    fn jitter_adds_at_most_a_fifth() {
        assert_eq!(next_delay(6, 0.999_999), Some(4319));
        assert_eq!(next_delay(5, 0.5), Some(660));
        assert_eq!(next_delay(3, 7.0), Some(36));
        assert_eq!(next_delay(1, 0.99), Some(1));
    }
}
