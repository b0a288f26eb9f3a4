//! The inquiry queue as Rocket.Chat's livechat routes see it (contract 5.3): the open,
//! unassigned conversations of the inboxes a user works, across every account they are in.

use super::conversations::{CONVERSATION_COLUMNS, CONVERSATION_FROM};
use std::cmp::Ordering;

use super::{params, ConversationRecord, Count, Store};
use crate::domain::inquiries::{Sort, SortField};
use crate::error::ApiResult;

/// Conversations user `?1` works: of inboxes they are a member of, or of any inbox of an
/// account they administer.
pub(super) const WORKED_BY_USER: &str = "EXISTS (SELECT 1 FROM account_users au WHERE au.account_id = cv.account_id
    AND au.user_id = ?1 AND (au.role = 'administrator'
        OR cv.inbox_id IN (SELECT inbox_id FROM inbox_members WHERE user_id = ?1)))";

/// With `WORKED_BY_USER`: display id `?2`, in account `?3` or, when NULL, in any of the user's
/// (one per account at most).
pub(super) const WITH_DISPLAY_ID: &str = "cv.display_id = ?2 AND (?3 IS NULL OR cv.account_id = ?3)";

/// Waiting for an agent (`ConversationStatus::waits_in_queue`).
const WAITING: &str = "cv.status = 'open' AND cv.assignee_id IS NULL";

/// `?2`: a team's id or its name (any case), or NULL for every team and none.
const IN_DEPARTMENT: &str = "(?2 IS NULL OR cv.team_id IN (SELECT id FROM teams
    WHERE account_id = cv.account_id AND (CAST(id AS TEXT) = ?2 OR name = ?2 COLLATE NOCASE)))";

/// Which inquiries a user lists.
pub struct InquiryList<'a> {
    pub user_id: i64,
    pub department: Option<&'a str>,
    pub sort: Sort,
    pub offset: i64,
    pub count: i64,
}

impl Store {
    /// A page of the inquiries the user may take, in the asked order, and how many there are.
    pub async fn inquiries(&self, list: &InquiryList<'_>) -> ApiResult<(Vec<ConversationRecord>, i64)> {
        let column = match list.sort.field {
            SortField::WaitingSince => "COALESCE(cv.waiting_since, cv.created_at * 1000)",
            SortField::ContactName => "c.name COLLATE NOCASE",
            SortField::UpdatedAt => "cv.last_activity_at",
        };
        let direction = if list.sort.descending { "DESC" } else { "ASC" };
        let condition = format!("{WORKED_BY_USER} AND {WAITING} AND {IN_DEPARTMENT}");
        let page = self
            .all(
                &format!(
                    "SELECT {CONVERSATION_COLUMNS} {CONVERSATION_FROM} WHERE {condition}
                     ORDER BY {column} {direction}, cv.id {direction} LIMIT ?3 OFFSET ?4"
                ),
                params![list.user_id, list.department, list.count, list.offset],
            )
            .await?;
        let total: Option<Count> = self
            .first(
                &format!("SELECT COUNT(*) AS n FROM conversations cv WHERE {condition}"),
                params![list.user_id, list.department],
            )
            .await?;
        Ok((page, total.map_or(0, |count| count.n)))
    }

    /// A conversation the user works, by its uuid (an inquiry's `_id`), whatever its state.
    pub async fn worked_conversation(&self, user_id: i64, uuid: &str) -> ApiResult<Option<ConversationRecord>> {
        self.first(
            &format!("SELECT {CONVERSATION_COLUMNS} {CONVERSATION_FROM} WHERE {WORKED_BY_USER} AND cv.uuid = ?2"),
            params![user_id, uuid],
        )
        .await
    }

    /// The conversations the user works with this display id (an inquiry's `rid`): one per
    /// account they are in at most; `account_id` narrows to one account.
    pub async fn worked_rooms(
        &self,
        user_id: i64,
        display_id: i64,
        account_id: Option<i64>,
    ) -> ApiResult<Vec<ConversationRecord>> {
        self.all(
            &format!(
                "SELECT {CONVERSATION_COLUMNS} {CONVERSATION_FROM}
                 WHERE {WORKED_BY_USER} AND {WITH_DISPLAY_ID} LIMIT 10"
            ),
            params![user_id, display_id, account_id],
        )
        .await
    }

    /// Gives a waiting conversation to `assignee_id`. The condition decides, in one statement:
    /// of concurrent takes exactly one changes the row; false for the others.
    pub async fn take_inquiry(&self, conversation_id: i64, assignee_id: i64) -> ApiResult<bool> {
        let changed = self
            .run(
                "UPDATE conversations SET assignee_id = ?2, updated_at = unixepoch()
                 WHERE id = ?1 AND status = 'open' AND assignee_id IS NULL",
                params![conversation_id, assignee_id],
            )
            .await?;
        Ok(changed > 0)
    }

    /// The visitor's first message of a conversation, as an inquiry shows it.
    pub async fn first_visitor_message(&self, conversation_id: i64) -> ApiResult<Option<String>> {
        #[derive(serde::Deserialize)]
        struct Content {
            content: Option<String>,
        }
        let first: Option<Content> = self
            .first(
                "SELECT content FROM messages WHERE conversation_id = ?1 AND message_type = 0
                 ORDER BY id LIMIT 1",
                params![conversation_id],
            )
            .await?;
        Ok(first.and_then(|message| message.content))
    }
}

impl ConversationRecord {
    /// The order of inquiries under `sort`, as `Store::inquiries` sorts them, so that pages
    /// of several shards merge into one list (ties: account, then id).
    pub fn inquiry_order(&self, other: &ConversationRecord, sort: Sort) -> Ordering {
        let by_field = match sort.field {
            SortField::WaitingSince => self.waiting_since.cmp(&other.waiting_since),
            SortField::ContactName => self.contact_name.to_lowercase().cmp(&other.contact_name.to_lowercase()),
            SortField::UpdatedAt => self.last_activity_at.cmp(&other.last_activity_at),
        };
        let order = by_field.then((self.account_id, self.id).cmp(&(other.account_id, other.id)));
        if sort.descending {
            order.reverse()
        } else {
            order
        }
    }
}
