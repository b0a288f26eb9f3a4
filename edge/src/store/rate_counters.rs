//! Rate-limit counters.

use serde::Deserialize;

use super::{params, Store};
use crate::domain::rate_limit::Limit;
use crate::error::{ApiError, ApiResult};

#[derive(Deserialize)]
struct Hits {
    hits: i64,
}

/// Counters older than this are dead: no limit's window is longer than a day.
const COUNTER_RETENTION_SECONDS: i64 = 2 * 24 * 60 * 60;

impl Store {
    /// Deletes the counters of windows that ended long ago.
    pub async fn delete_expired_rate_counters(&self, now: i64) -> ApiResult<u64> {
        self.run(
            "DELETE FROM rate_counters WHERE window_start < ?1",
            params![now - COUNTER_RETENTION_SECONDS],
        )
        .await
    }

    /// The hits counted in `bucket`'s current window and the one before: a burst across the
    /// edge of two windows still counts together.
    pub async fn recent_hits(&self, bucket: &str, limit: &Limit, now: i64) -> ApiResult<i64> {
        let row: Option<Hits> = self
            .first(
                "SELECT COALESCE(SUM(hits), 0) AS hits FROM rate_counters WHERE bucket = ?1 AND window_start >= ?2",
                params![bucket, limit.window_start(now) - limit.window_seconds],
            )
            .await?;
        Ok(row.map_or(0, |row| row.hits))
    }

    /// Counts one more hit in `bucket`'s current window and answers the window's total.
    pub async fn count_hit(&self, bucket: &str, limit: &Limit, now: i64) -> ApiResult<i64> {
        let row: Option<Hits> = self
            .first(
                "INSERT INTO rate_counters (bucket, window_start, hits) VALUES (?1, ?2, 1)
                 ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1 RETURNING hits",
                params![bucket, limit.window_start(now)],
            )
            .await?;
        row.map(|row| row.hits)
            .ok_or_else(|| ApiError::Internal("rate counter returned nothing".into()))
    }
}
