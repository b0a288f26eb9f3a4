//! Chatwoot's raw reporting events: `GET /reporting_events` (administrators, newest first, 25
//! a page) and `GET /conversations/{id}/reporting_events` (anyone who works the
//! conversation, oldest first): what the reports average, as recorded.

use serde_json::json;
use worker::Response;

use super::conversations::workable;
use crate::domain::reports::EventName;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::router::App;
use crate::store::{EventFilter, Membership, REPORTING_EVENTS_PER_PAGE};

pub async fn list(app: &App, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    member.require_administrator()?;
    let name = match request.query("name").filter(|name| !name.is_empty()) {
        None => None,
        Some(name) => Some(EventName::from_chatwoot_name(&name).ok_or_else(|| {
            ApiError::invalid(
                "name",
                "name must be first_response, reply_time or conversation_resolved",
            )
        })?),
    };
    let filter = EventFilter {
        since: request.query_int("since")?,
        until: request.query_int("until")?,
        inbox_id: request.query_int("inbox_id")?,
        user_id: request.query_int("user_id")?,
        name,
    };
    let page = request.query_int("page")?.unwrap_or(1).max(1);
    let (events, count) = app.store.reporting_events(member.account_id, &filter, page).await?;
    let total_pages = (count + REPORTING_EVENTS_PER_PAGE - 1) / REPORTING_EVENTS_PER_PAGE;
    json(&json!({
        "meta": {"count": count, "current_page": page, "total_pages": total_pages},
        "payload": events,
    }))
}

pub async fn of_conversation(app: &App, member: &Membership, display_id: i64) -> ApiResult<Response> {
    let conversation = workable(app, member, display_id).await?;
    json(&app.store.conversation_reporting_events(conversation.id).await?)
}
