//! `/csat_survey/{conversation_uuid}`: the survey page, reached by a link in email.

use nimchat_shared::wire::{CsatSurvey, CsatSurveyResponse};
use worker::Response;

use super::messages::submit;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use crate::realtime::Broadcaster;
use crate::router::App;
use crate::store::{ConversationRecord, Store};

async fn survey(store: &Store, uuid: &str) -> ApiResult<(ConversationRecord, nimchat_shared::wire::Message)> {
    let conversation = store.conversation_by_uuid(uuid).await?.ok_or(ApiError::NotFound)?;
    let message = store.survey_message(conversation.id).await?.ok_or(ApiError::NotFound)?;
    Ok((conversation, message))
}

async fn render(
    store: &Store,
    conversation: &ConversationRecord,
    message: &nimchat_shared::wire::Message,
) -> ApiResult<Response> {
    let inbox = store
        .inbox(conversation.account_id, conversation.inbox_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let response = message
        .content_attributes
        .get("submitted_values")
        .and_then(|values| values.get("csat_survey_response"))
        .and_then(|answer| serde_json::from_value::<CsatSurveyResponse>(answer.clone()).ok());
    json(&CsatSurvey {
        conversation_id: conversation.display_id,
        conversation_uuid: conversation.uuid.clone(),
        inbox_name: inbox.name,
        widget_color: inbox.widget_color,
        survey_created_at: message.created_at,
        csat_survey_response: response,
    })
}

pub async fn show(store: &Store, uuid: &str) -> ApiResult<Response> {
    let (conversation, message) = survey(store, uuid).await?;
    render(store, &conversation, &message).await
}

/// `{message: {submitted_values: {csat_survey_response: {rating, feedback_message}}}}`.
pub async fn update(app: &App, request: &ApiRequest, uuid: &str) -> ApiResult<Response> {
    let store = &app.store;
    let (conversation, message) = survey(store, uuid).await?;
    let body = request.body_object()?;
    let wrapper = Fields::new(&body)
        .object("message")?
        .ok_or_else(|| ApiError::invalid("message", "Message can't be blank"))?;
    let broadcaster = Broadcaster::new(&app.env, store);
    let answered = submit(
        store,
        &broadcaster,
        &conversation,
        message,
        wrapper.get("submitted_values"),
    )
    .await?;
    render(store, &conversation, &answered).await
}
