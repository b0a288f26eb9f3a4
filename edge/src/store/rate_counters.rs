//! Rate-limit counters.

use serde::Deserialize;

use super::{params, Store};
use crate::domain::rate_limit::Limit;
use crate::error::{ApiError, ApiResult};

impl Store {
    /// Counts one more hit in `bucket`'s current window and answers the window's total.
    pub async fn count_hit(&self, bucket: &str, limit: &Limit, now: i64) -> ApiResult<i64> {
        #[derive(Deserialize)]
        struct Hits {
            hits: i64,
        }
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
