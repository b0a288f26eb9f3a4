//! `POST /contacts/{source_id}/events` (contract 7.1): the widget says it opened, which
//! webhooks hear as `webwidget_triggered` (Chatwoot's widget event, in nimchat's form).

use nimchat_shared::enums::ConversationStatus;
use serde_json::Value;
use worker::Response;

use super::{Guard, Visitor};
use crate::error::{ApiError, ApiResult};
use crate::webhooks::hooked;

/// The only event the widget reports.
const WIDGET_OPENED: &str = "webwidget.triggered";

/// The largest `event_info` taken, as compact JSON.
const MAX_EVENT_INFO_BYTES: usize = 4096;

/// `{name: "webwidget.triggered", event_info?}`: 200 with an empty body.
pub async fn create(visitor: &Visitor<'_>, source_id: &str) -> ApiResult<Response> {
    let session = visitor.session(source_id).await?;
    let body = visitor.request.body_object()?;
    if body.get("name").and_then(Value::as_str) != Some(WIDGET_OPENED) {
        return Err(ApiError::invalid("name", "Name must be webwidget.triggered"));
    }
    let event_info = match body.get("event_info") {
        None | Some(Value::Null) => Value::Object(Default::default()),
        Some(info @ Value::Object(_)) if info.to_string().len() <= MAX_EVENT_INFO_BYTES => info.clone(),
        Some(_) => {
            return Err(ApiError::invalid(
                "event_info",
                "Event info must be an object of at most 4 KiB",
            ))
        }
    };
    visitor
        .guard(Guard::WidgetEvent {
            contact_inbox_id: session.contact_inbox_id,
        })
        .await?;
    let conversations = visitor.store().visible_conversations(&session).await?;
    let current = conversations.iter().rev().find(|conversation| {
        conversation
            .status()
            .is_ok_and(|status| status != ConversationStatus::Resolved)
    });
    hooked(
        visitor
            .outbox()
            .webwidget_triggered(&session, &visitor.inbox.name, current, event_info)
            .await,
    );
    Ok(Response::empty()?)
}
