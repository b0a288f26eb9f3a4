//! `GET /inboxes/{inbox_identifier}`: what the widget needs to draw itself.

use nimchat_shared::wire::PublicInbox;
use worker::Response;

use super::Visitor;
use crate::clock;
use crate::domain::working_hours::is_open;
use crate::error::ApiResult;
use crate::http::json;

pub async fn show(visitor: &Visitor<'_>) -> ApiResult<Response> {
    let inbox = &visitor.inbox;
    let within_hours = !inbox.working_hours_enabled
        || clock::local_weekday_and_minute(&inbox.timezone)
            .is_some_and(|(weekday, minute)| is_open(&inbox.working_hours, weekday, minute));
    let online = within_hours && visitor.store().has_available_member(inbox).await?;
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
    })
}
