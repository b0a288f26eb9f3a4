//! `GET /inboxes/{inbox_identifier}`: what the widget needs to draw itself.

use nimchat_shared::wire::PublicInbox;
use worker::Response;

use super::Visitor;
use crate::clock;
use crate::domain::working_hours::minutes_until_open;
use crate::error::ApiResult;
use crate::http::json;

pub async fn show(visitor: &Visitor<'_>) -> ApiResult<Response> {
    let inbox = &visitor.inbox;
    // Minutes until the working hours begin: 0 within them, or when they are not used.
    let until_open = match inbox.working_hours_enabled {
        false => Some(0),
        true => clock::local_weekday_and_minute(&inbox.timezone)
            .and_then(|(weekday, minute)| minutes_until_open(&inbox.working_hours, weekday, minute)),
    };
    let online = until_open == Some(0) && visitor.store().has_available_member(inbox).await?;
    let now = clock::now();
    let next_online_at = until_open
        .filter(|minutes| *minutes > 0)
        .map(|minutes| now - now % 60 + i64::from(minutes) * 60);
    json(&PublicInbox {
        identifier: inbox.inbox_identifier.clone(),
        name: inbox.name.clone(),
        timezone: inbox.timezone.clone(),
        working_hours: inbox.working_hours.clone(),
        working_hours_enabled: inbox.working_hours_enabled,
        csat_survey_enabled: inbox.csat_survey_enabled,
        greeting_enabled: inbox.greeting_enabled,
        greeting_message: inbox.greeting_message.clone(),
        out_of_office_message: inbox.out_of_office_message.clone(),
        identity_validation_enabled: inbox.hmac_mandatory,
        widget_color: inbox.widget_color.clone(),
        welcome_title: inbox.welcome_title.clone(),
        welcome_tagline: inbox.welcome_tagline.clone(),
        reply_time: inbox.reply_time,
        pre_chat_form_enabled: inbox.pre_chat_form_enabled,
        pre_chat_form_options: inbox.pre_chat_form_options.clone(),
        allow_messages_after_resolved: inbox.allow_messages_after_resolved,
        online,
        next_online_at,
    })
}
