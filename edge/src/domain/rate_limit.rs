//! Fixed-window rate limits, configured as `max/window_seconds` (e.g. `6/43200`).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u32,
    pub window_seconds: i64,
}

impl Limit {
    pub fn parse(text: &str) -> Option<Limit> {
        let (max, window) = text.trim().split_once('/')?;
        let limit = Limit {
            max: max.trim().parse().ok()?,
            window_seconds: window.trim().parse().ok()?,
        };
        (limit.window_seconds > 0).then_some(limit)
    }

    /// The start of the window `now` falls in.
    pub fn window_start(&self, now: i64) -> i64 {
        now - now.rem_euclid(self.window_seconds)
    }

    /// Seconds until the window of `now` ends (at least 1).
    pub fn retry_after(&self, now: i64) -> u64 {
        (self.window_start(now) + self.window_seconds - now).max(1) as u64
    }

    /// Whether the `hits`-th request of a window is over the limit.
    pub fn exceeded_by(&self, hits: i64) -> bool {
        hits > i64::from(self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_max_per_window() {
        assert_eq!(
            Limit::parse("6/43200"),
            Some(Limit {
                max: 6,
                window_seconds: 43200
            })
        );
        assert_eq!(
            Limit::parse(" 200 / 60 "),
            Some(Limit {
                max: 200,
                window_seconds: 60
            })
        );
        for bad in ["", "6", "6/0", "a/60", "6/-1"] {
            assert_eq!(Limit::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn windows_and_retry_after() {
        let limit = Limit {
            max: 2,
            window_seconds: 60,
        };
        assert_eq!(limit.window_start(125), 120);
        assert_eq!(limit.retry_after(125), 55);
        assert_eq!(limit.retry_after(120), 60);
        assert!(!limit.exceeded_by(2));
        assert!(limit.exceeded_by(3));
    }
}
