//! `inquiries.list`, `inquiries.take` and `inquiries.getOne`.

use serde_json::{json, Map, Value};
use worker::Response;

use super::success;
use crate::clock;
use crate::domain::inquiries::{parse_page, parse_sort};
use crate::error::{ApiError, ApiResult};
use crate::http::ApiRequest;
use crate::input::Fields;
use crate::realtime::Broadcaster;
use crate::router::{only_one, path_id, App};
use crate::store::{ConversationRecord, InquiryList, KeyKind};

/// `GET inquiries.list?department=&offset=&count=&sort=`: the queue of every inbox the user
/// works, oldest waiting first unless `sort` says otherwise.
pub async fn list(app: &App, request: &ApiRequest, user_id: i64) -> ApiResult<Response> {
    let (offset, count) = parse_page(request.query("offset").as_deref(), request.query("count").as_deref())
        .map_err(ApiError::BadRequest)?;
    let sort = parse_sort(request.query("sort").as_deref()).map_err(ApiError::BadRequest)?;
    let department = request.query("department").filter(|team| !team.trim().is_empty());
    // Each shard gives its first `offset + count`; merged, the page is cut from them all.
    let list = InquiryList {
        user_id,
        department: department.as_deref().map(str::trim),
        sort,
        offset: 0,
        count: offset.saturating_add(count),
    };
    let mut waiting = Vec::new();
    let mut total = 0;
    for shard in app.every_shard()? {
        let (page, count) = shard.store.inquiries(&list).await?;
        waiting.extend(page);
        total += count;
    }
    waiting.sort_by(|one, other| one.inquiry_order(other, sort));
    let waiting: Vec<_> = waiting
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(count).unwrap_or(0))
        .collect();
    let now = clock::now();
    let inquiries = waiting
        .iter()
        .map(|conversation| conversation.to_inquiry(now))
        .filter_map(Result::transpose)
        .collect::<ApiResult<Vec<_>>>()?;
    let mut answer = Map::new();
    answer.insert("count".into(), inquiries.len().into());
    answer.insert("inquiries".into(), json!(inquiries));
    answer.insert("offset".into(), offset.into());
    answer.insert("total".into(), total.into());
    success(answer)
}

/// `POST inquiries.take {inquiryId, userId?}`: gives a waiting conversation to the caller, or
/// to `userId`, an agent of its inbox. Of concurrent takes exactly one wins.
pub async fn take(app: &App, request: &ApiRequest, user_id: i64) -> ApiResult<Response> {
    let body = request.body_object()?;
    let fields = Fields::new(&body);
    let inquiry_id = match body.get("inquiryId") {
        Some(Value::String(id)) if !id.trim().is_empty() => id.trim().to_string(),
        Some(Value::Number(number)) => number.to_string(),
        None | Some(Value::Null | Value::String(_)) => {
            return Err(ApiError::BadRequest("The 'inquiryId' param is required".into()))
        }
        Some(_) => return Err(ApiError::NotFound),
    };
    // The `_id` is the conversation's uuid, which the directory maps to its account.
    let app = &app.for_key(KeyKind::Conversation, &inquiry_id).await?;
    let store = &app.store;
    let before = store
        .worked_conversation(user_id, &inquiry_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !before.is_waiting()? {
        return match before.to_inquiry(clock::now())? {
            Some(_) => Err(ApiError::BadRequest("Inquiry already taken".into())),
            None => Err(ApiError::NotFound),
        };
    }
    let agent = match fields.id("userId").map_err(|_| not_an_agent())? {
        Some(agent) if agent != user_id => {
            if !store.is_inbox_member(before.inbox_id, agent).await? {
                return Err(not_an_agent());
            }
            agent
        }
        _ => user_id,
    };
    if !store.take_inquiry(before.id, agent).await? {
        return Err(ApiError::BadRequest("Inquiry already taken".into()));
    }
    let after = store
        .conversations_by_ids(&[before.id])
        .await?
        .pop()
        .ok_or(ApiError::NotFound)?;
    let broadcaster = Broadcaster::new(&app.env, store);
    broadcaster.assignment_changed(&after, &before).await?;
    broadcaster.queue_moved(Some(&before), &after).await?;
    answer_inquiry(app, &after).await
}

fn not_an_agent() -> ApiError {
    ApiError::BadRequest("The user is not an agent of this inquiry's inbox".into())
}

/// `GET inquiries.getOne?roomId=`: the inquiry of a conversation (its id in the account; a
/// user of several accounts names one with `X-Account-Id`).
pub async fn get_one(app: &App, request: &ApiRequest, user_id: i64) -> ApiResult<Response> {
    let room = request
        .query("roomId")
        .filter(|room| !room.trim().is_empty())
        .ok_or_else(|| ApiError::BadRequest("The 'roomId' param is required".into()))?;
    let display_id = path_id(room.trim())?;
    let account_id = request.account_header()?;
    let mut found = Vec::new();
    for shard in app.every_shard()? {
        let rooms = shard.store.worked_rooms(user_id, display_id, account_id).await?;
        if !rooms.is_empty() {
            found.push((rooms, shard));
        }
    }
    let (rooms, shard) = only_one(found)?;
    answer_inquiry(&shard, &only_one(rooms)?).await
}

/// `{"inquiry": {...}, "success": true}` with the visitor's first message; 404 for a
/// conversation that is no inquiry (not open).
async fn answer_inquiry(app: &App, conversation: &ConversationRecord) -> ApiResult<Response> {
    let mut inquiry = conversation.to_inquiry(clock::now())?.ok_or(ApiError::NotFound)?;
    inquiry.message = Some(
        app.store
            .first_visitor_message(conversation.id)
            .await?
            .unwrap_or_default(),
    );
    let mut answer = Map::new();
    answer.insert("inquiry".into(), json!(inquiry));
    success(answer)
}
