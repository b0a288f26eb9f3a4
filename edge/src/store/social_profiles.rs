//! A contact's sessions as Engagor names them (contract 5.1, 5.2): by `service` and
//! `service_id`, its `source_id` in an inbox of that kind.

use nimchat_shared::wire::SocialProfile;
use serde::Deserialize;

use super::{params, Store};
use crate::domain::services::service_of_channel;
use crate::error::ApiResult;

impl Store {
    /// The contact whose session in an inbox of `channel_type` has this `source_id`.
    pub async fn contact_by_source(
        &self,
        account_id: i64,
        channel_type: &str,
        source_id: &str,
    ) -> ApiResult<Option<i64>> {
        #[derive(Deserialize)]
        struct ContactId {
            contact_id: i64,
        }
        let found: Option<ContactId> = self
            .first(
                "SELECT ci.contact_id FROM contact_inboxes ci JOIN inboxes i ON i.id = ci.inbox_id
                 WHERE i.account_id = ?1 AND i.channel_type = ?2 AND ci.source_id = ?3",
                params![account_id, channel_type, source_id],
            )
            .await?;
        Ok(found.map(|row| row.contact_id))
    }

    /// The contact's sessions, oldest first, each as `{type, service_id}`.
    pub async fn social_profiles(&self, contact_id: i64) -> ApiResult<Vec<SocialProfile>> {
        #[derive(Deserialize)]
        struct Session {
            channel_type: String,
            source_id: String,
        }
        let sessions: Vec<Session> = self
            .all(
                "SELECT i.channel_type, ci.source_id FROM contact_inboxes ci JOIN inboxes i ON i.id = ci.inbox_id
                 WHERE ci.contact_id = ?1 ORDER BY ci.id",
                params![contact_id],
            )
            .await?;
        Ok(sessions
            .into_iter()
            .filter_map(|session| {
                Some(SocialProfile {
                    kind: service_of_channel(&session.channel_type)?.to_string(),
                    service_id: session.source_id,
                })
            })
            .collect())
    }
}
