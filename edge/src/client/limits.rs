//! Rate limits of the Client API (contract §0). Browsers (web-widget inboxes) are limited
//! per IP on what they create; server-side integrations (API inboxes) only by a generous
//! per-IP ceiling. Every conversation is limited in messages per minute. Each limit is a
//! Worker variable `max/window_seconds`.

use nimchat_shared::enums::ChannelType;

use super::Visitor;
use crate::clock;
use crate::domain::rate_limit::Limit;
use crate::error::{ApiError, ApiResult};

/// What a request is about to create.
#[derive(Debug, Clone, Copy)]
pub enum Guard {
    NewContact,
    NewConversation,
    Message {
        conversation_id: i64,
    },
    /// The widget reporting that it opened (each report may go to webhooks).
    WidgetEvent {
        contact_inbox_id: i64,
    },
}

/// The variable and its default for each limit.
const WIDGET_CONTACTS_PER_IP: (&str, &str) = ("RATE_LIMIT_WIDGET_CONTACTS_PER_IP", "20/3600");
const WIDGET_CONVERSATIONS_PER_IP: (&str, &str) = ("RATE_LIMIT_WIDGET_CONVERSATIONS_PER_IP", "6/43200");
const API_CREATIONS_PER_IP: (&str, &str) = ("RATE_LIMIT_API_CREATIONS_PER_IP", "6000/60");
const MESSAGES_PER_CONVERSATION: (&str, &str) = ("RATE_LIMIT_MESSAGES_PER_CONVERSATION", "200/60");
const WIDGET_EVENTS_PER_SESSION: (&str, &str) = ("RATE_LIMIT_WIDGET_EVENTS_PER_SESSION", "60/3600");

pub async fn enforce(visitor: &Visitor<'_>, guard: Guard) -> ApiResult<()> {
    let ip = visitor.request.client_address();
    let widget = visitor.inbox.channel_type == ChannelType::WebWidget.class_name();
    let (setting, bucket) = match guard {
        Guard::Message { conversation_id } => (
            MESSAGES_PER_CONVERSATION,
            format!("messages:conversation:{conversation_id}"),
        ),
        Guard::WidgetEvent { contact_inbox_id } => {
            (WIDGET_EVENTS_PER_SESSION, format!("events:session:{contact_inbox_id}"))
        }
        Guard::NewContact if widget => (WIDGET_CONTACTS_PER_IP, format!("contacts:ip:{ip}")),
        Guard::NewConversation if widget => (WIDGET_CONVERSATIONS_PER_IP, format!("conversations:ip:{ip}")),
        Guard::NewContact | Guard::NewConversation => (API_CREATIONS_PER_IP, format!("api:ip:{ip}")),
    };
    let limit = configured(visitor, setting);
    let now = clock::now();
    let hits = visitor.app.directory.count_hit(&bucket, &limit, now).await?;
    if limit.exceeded_by(hits) {
        Err(ApiError::TooManyRequests {
            retry_after: limit.retry_after(now),
        })
    } else {
        Ok(())
    }
}

fn configured(visitor: &Visitor<'_>, (name, default): (&str, &str)) -> Limit {
    let text = visitor.app.env.var(name).map(|var| var.to_string()).ok();
    text.as_deref()
        .and_then(Limit::parse)
        .or_else(|| Limit::parse(default))
        .expect("the default limits parse")
}
