//! Latency samples summarised as percentiles.

use std::time::Duration;

/// Percentiles in milliseconds, and how many samples and failures they came from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    pub count: usize,
    pub failures: usize,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    /// Successful requests a second over the run.
    pub throughput: f64,
}

/// Nearest-rank percentile of sorted samples.
fn percentile(sorted: &[f64], fraction: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((fraction * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

pub fn summarise(samples: &[Duration], failures: usize, elapsed: Duration) -> Summary {
    let mut millis: Vec<f64> = samples.iter().map(|sample| sample.as_secs_f64() * 1000.0).collect();
    millis.sort_by(f64::total_cmp);
    Summary {
        count: millis.len(),
        failures,
        p50: percentile(&millis, 0.50),
        p95: percentile(&millis, 0.95),
        p99: percentile(&millis, 0.99),
        throughput: millis.len() as f64 / elapsed.as_secs_f64().max(f64::EPSILON),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank() {
        let sorted: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&sorted, 0.5), 50.0);
        assert_eq!(percentile(&sorted, 0.99), 99.0);
        assert_eq!(percentile(&[7.0], 0.99), 7.0);
        assert!(percentile(&[], 0.5).is_nan());
    }
}
