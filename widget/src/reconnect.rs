//! How long the widget waits before it opens the socket again: doubling from 1 s to 30 s,
//! each wait drawn between half and all of its step ("equal jitter"), so that the visitors
//! of a page that lost the edge together do not all come back in the same second.

const FIRST_MS: u32 = 1_000;
const LAST_MS: u32 = 30_000;

/// The step the next wait is drawn from. Back to the first step only once a subscription
/// is confirmed: a socket that opens and is dropped at once keeps backing off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    step_ms: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff { step_ms: FIRST_MS }
    }
}

impl Backoff {
    /// The step after this one.
    pub fn next(self) -> Backoff {
        Backoff {
            step_ms: self.step_ms.saturating_mul(2).min(LAST_MS),
        }
    }

    /// The wait for a `random` number in `[0, 1)`.
    pub fn wait_ms(self, random: f64) -> u32 {
        let half = self.step_ms / 2;
        half + (f64::from(half) * random.clamp(0.0, 1.0)) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_double_from_one_second_to_thirty() {
        let steps: Vec<u32> = std::iter::successors(Some(Backoff::default()), |b| Some(b.next()))
            .take(8)
            .map(|b| b.step_ms)
            .collect();
        assert_eq!(steps, [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    }

    #[test]
    fn waits_fall_between_half_and_all_of_the_step() {
        let step = Backoff::default().next().next();
        assert_eq!(step.wait_ms(0.0), 2_000);
        assert_eq!(step.wait_ms(0.5), 3_000);
        assert!(step.wait_ms(0.999_999) < 4_000);
        assert_eq!(step.wait_ms(7.0), 4_000, "out of range is clamped");
    }
}
