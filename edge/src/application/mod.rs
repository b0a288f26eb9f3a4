//! Application API `/api/v1/accounts/{account_id}` (contract §2): what agents and
//! administrators use. Every route first resolves the caller's membership of the account.

mod account;
mod agent_bots;
mod agents;
mod contacts;
mod conversation_actions;
mod conversations;
mod custom_attributes;
mod custom_filters;
mod inbox_members;
mod inboxes;
mod labels;
mod messages;
pub mod profile;
mod reporting_events;
mod teams;

pub use custom_attributes::{check_custom_attributes, parse_filter};

use worker::{Method, Response};

use crate::auth::{AccountCaller, Principal};
use crate::automation::routes as automation_rules;
use crate::error::{ApiError, ApiResult};
use crate::help_center;
use crate::http::ApiRequest;
use crate::integrations;
use crate::router::{path_id, App};
use crate::webhooks::routes as webhooks;

/// What an agent bot's token may do (contract 7.2): Chatwoot's bot endpoints.
enum BotCall {
    ShowConversation,
    ListMessages,
    PostMessage,
    ToggleStatus,
    TogglePriority,
    ToggleTyping,
    Assign,
}

/// An agent bot's calls, in conversations of the inboxes it is connected to (another
/// inbox's conversation is 404); every other route is 403.
async fn bot_route(app: &App, request: &ApiRequest, account_id: i64, bot: i64, path: &[&str]) -> ApiResult<Response> {
    let (display_id, call) = match (&request.method, path) {
        (Method::Get, ["conversations", id]) => (id, BotCall::ShowConversation),
        (Method::Get, ["conversations", id, "messages"]) => (id, BotCall::ListMessages),
        (Method::Post, ["conversations", id, "messages"]) => (id, BotCall::PostMessage),
        (Method::Post, ["conversations", id, "toggle_status"]) => (id, BotCall::ToggleStatus),
        (Method::Post, ["conversations", id, "toggle_priority"]) => (id, BotCall::TogglePriority),
        (Method::Post, ["conversations", id, "toggle_typing_status"]) => (id, BotCall::ToggleTyping),
        (Method::Post, ["conversations", id, "assignments"]) => (id, BotCall::Assign),
        _ => return Err(ApiError::Forbidden),
    };
    let store = &app.store;
    let conversation = store
        .conversation_by_display_id(account_id, path_id(display_id)?)
        .await?
        .ok_or(ApiError::NotFound)?;
    let inbox = store
        .inbox(account_id, conversation.inbox_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if inbox.agent_bot_id != Some(bot) {
        return Err(ApiError::NotFound);
    }
    let author = Principal::AgentBot(bot);
    match call {
        BotCall::ShowConversation => conversations::render(app, &conversation).await,
        BotCall::ListMessages => messages::list_in(app, request, &conversation).await,
        BotCall::PostMessage => messages::post(app, request, &conversation, author).await,
        BotCall::ToggleStatus => conversation_actions::change_status(app, request, &conversation, author).await,
        BotCall::TogglePriority => conversation_actions::change_priority(app, request, &conversation).await,
        BotCall::ToggleTyping => {
            let name = author.name(store, account_id).await?;
            let typist = serde_json::json!({"type": "agent_bot", "id": bot, "name": name});
            conversation_actions::announce_typing(app, request, &conversation, typist).await
        }
        // A bot is no user: no team is "its" team.
        BotCall::Assign => conversation_actions::assign_in(app, request, &conversation, 0).await,
    }
}

/// `path` is what follows `/api/v1/accounts/{account_id}`.
pub async fn route(app: &App, request: &ApiRequest, account_id: i64, path: &[&str]) -> ApiResult<Response> {
    let (caller, placement) = crate::auth::account_caller(request, &app.directory, account_id).await?;
    let app = &app.at(Some(placement))?;
    let store = &app.store;
    let member = match caller {
        AccountCaller::Member(member) => member,
        AccountCaller::AgentBot(bot) => return bot_route(app, request, account_id, bot, path).await,
    };
    let context = inboxes::Context {
        store,
        member: &member,
        origin: request.origin(),
    };
    match (&request.method, path) {
        (Method::Get, ["inboxes"]) => inboxes::list(&context).await,
        (Method::Post, ["inboxes"]) => inboxes::create(&context, request).await,
        (Method::Get, ["inboxes", id]) => inboxes::show(&context, path_id(id)?).await,
        (Method::Patch | Method::Put, ["inboxes", id]) => inboxes::update(&context, request, path_id(id)?).await,
        (Method::Delete, ["inboxes", id]) => inboxes::delete(app, &context, path_id(id)?).await,
        (Method::Get, ["inboxes", id, "agent_bot"]) => inboxes::agent_bot(&context, path_id(id)?).await,
        (Method::Post, ["inboxes", id, "set_agent_bot"]) => {
            inboxes::set_agent_bot(&context, request, path_id(id)?).await
        }
        (Method::Get, ["inbox_members", id]) => inbox_members::list(&context, path_id(id)?).await,
        (Method::Post, ["inbox_members"]) => inbox_members::add(&context, request).await,
        (Method::Patch | Method::Put, ["inbox_members"]) => inbox_members::replace(&context, request).await,
        (Method::Delete, ["inbox_members"]) => inbox_members::remove(&context, request).await,
        (Method::Get, []) => account::show(store, &member).await,
        (Method::Patch | Method::Put, []) => account::update(app, &member, request).await,
        (Method::Get, ["contacts"]) => contacts::list(store, &member, request).await,
        (Method::Post, ["contacts"]) => contacts::create(app, &member, request).await,
        (Method::Get, ["contacts", "search"]) => contacts::search(store, &member, request).await,
        (Method::Post, ["contacts", "filter"]) => contacts::filter(store, &member, request).await,
        (Method::Get, ["contacts", id]) => contacts::show(store, &member, path_id(id)?).await,
        (Method::Patch | Method::Put, ["contacts", id]) => contacts::update(app, &member, request, path_id(id)?).await,
        (Method::Delete, ["contacts", id]) => contacts::delete(app, &member, path_id(id)?).await,
        (Method::Get, ["contacts", id, "conversations"]) => contacts::conversations(store, &member, path_id(id)?).await,
        (Method::Get, ["contacts", id, "labels"]) => contacts::labels(store, &member, path_id(id)?).await,
        (Method::Post, ["contacts", id, "labels"]) => contacts::set_labels(store, &member, request, path_id(id)?).await,
        (Method::Get, ["conversations"]) => conversations::list(app, &member, request).await,
        (Method::Post, ["conversations"]) => conversations::create(app, &member, request).await,
        (Method::Get, ["conversations", "meta"]) => conversations::meta(app, &member, request).await,
        (Method::Post, ["conversations", "filter"]) => conversations::filter(app, &member, request).await,
        (Method::Get, ["conversations", id]) => conversations::show(app, &member, path_id(id)?).await,
        (Method::Delete, ["conversations", id]) => conversations::delete(app, &member, path_id(id)?).await,
        (Method::Get, ["conversations", id, "messages"]) => messages::list(app, &member, request, path_id(id)?).await,
        (Method::Post, ["conversations", id, "messages"]) => {
            messages::create(app, &member, request, path_id(id)?).await
        }
        (Method::Delete, ["conversations", id, "messages", message_id]) => {
            messages::delete(app, &member, path_id(id)?, path_id(message_id)?).await
        }
        (Method::Post, ["conversations", id, "toggle_status"]) => {
            conversation_actions::toggle_status(app, &member, request, path_id(id)?).await
        }
        (Method::Post, ["conversations", id, "toggle_priority"]) => {
            conversation_actions::toggle_priority(app, &member, request, path_id(id)?).await
        }
        (Method::Post, ["conversations", id, "update_last_seen"]) => {
            conversation_actions::update_last_seen(app, &member, path_id(id)?).await
        }
        (Method::Post, ["conversations", id, "toggle_typing_status"]) => {
            conversation_actions::toggle_typing(app, &member, request, path_id(id)?).await
        }
        (Method::Post, ["conversations", id, "assignments"]) => {
            conversation_actions::assign(app, &member, request, path_id(id)?).await
        }
        (Method::Get, ["conversations", id, "reporting_events"]) => {
            reporting_events::of_conversation(app, &member, path_id(id)?).await
        }
        (Method::Get, ["reporting_events"]) => reporting_events::list(app, &member, request).await,
        (Method::Get, ["conversations", id, "labels"]) => {
            conversation_actions::labels(app, &member, path_id(id)?).await
        }
        (Method::Post, ["conversations", id, "labels"]) => {
            conversation_actions::set_labels(app, &member, request, path_id(id)?).await
        }
        (Method::Post, ["conversations", id, "custom_attributes"]) => {
            conversation_actions::set_custom_attributes(app, &member, request, path_id(id)?).await
        }
        (Method::Get, ["agent_bots"]) => agent_bots::list(app, &member).await,
        (Method::Post, ["agent_bots"]) => agent_bots::create(app, &member, request).await,
        (Method::Get, ["agent_bots", id]) => agent_bots::show(app, &member, path_id(id)?).await,
        (Method::Patch | Method::Put, ["agent_bots", id]) => {
            agent_bots::update(app, &member, request, path_id(id)?).await
        }
        (Method::Delete, ["agent_bots", id]) => agent_bots::delete(app, &member, path_id(id)?).await,
        (Method::Get, ["automation_rules"]) => automation_rules::list(app, &member, request).await,
        (Method::Post, ["automation_rules"]) => automation_rules::create(app, &member, request).await,
        (Method::Get, ["automation_rules", id]) => automation_rules::show(app, &member, path_id(id)?).await,
        (Method::Patch | Method::Put, ["automation_rules", id]) => {
            automation_rules::update(app, &member, request, path_id(id)?).await
        }
        (Method::Delete, ["automation_rules", id]) => automation_rules::delete(app, &member, path_id(id)?).await,
        (_, ["portals", rest @ ..]) => help_center::route(app, &member, request, rest).await,
        (Method::Get, ["integrations", "apps"]) => integrations::apps(app, &member).await,
        (Method::Post, ["integrations", "hooks"]) => integrations::create_hook(app, &member, request).await,
        (Method::Patch | Method::Put, ["integrations", "hooks", id]) => {
            integrations::update_hook(app, &member, request, path_id(id)?).await
        }
        (Method::Delete, ["integrations", "hooks", id]) => integrations::delete_hook(app, &member, path_id(id)?).await,
        (Method::Get, ["webhooks"]) => webhooks::list(store, &member).await,
        (Method::Post, ["webhooks"]) => webhooks::create(&app.env, store, &member, request).await,
        (Method::Get, ["webhooks", id]) => webhooks::show(store, &member, path_id(id)?).await,
        (Method::Patch | Method::Put, ["webhooks", id]) => {
            webhooks::update(&app.env, store, &member, request, path_id(id)?).await
        }
        (Method::Delete, ["webhooks", id]) => webhooks::delete(store, &member, path_id(id)?).await,
        (Method::Get, ["webhooks", id, "deliveries"]) => webhooks::deliveries(store, &member, path_id(id)?).await,
        (Method::Get, ["teams"]) => teams::list(store, &member).await,
        (Method::Post, ["teams"]) => teams::create(store, &member, request).await,
        (Method::Get, ["teams", id]) => teams::show(store, &member, path_id(id)?).await,
        (Method::Patch | Method::Put, ["teams", id]) => teams::update(store, &member, request, path_id(id)?).await,
        (Method::Delete, ["teams", id]) => teams::delete(store, &member, path_id(id)?).await,
        (Method::Get, ["teams", id, "team_members"]) => teams::members(store, &member, path_id(id)?).await,
        (method @ (Method::Post | Method::Patch | Method::Put | Method::Delete), ["teams", id, "team_members"]) => {
            let change = match method {
                Method::Post => teams::MembersChange::Add,
                Method::Delete => teams::MembersChange::Remove,
                _ => teams::MembersChange::Replace,
            };
            teams::change_members(store, &member, request, path_id(id)?, change).await
        }
        (Method::Get, ["labels"]) => labels::list(store, &member).await,
        (Method::Post, ["labels"]) => labels::create(store, &member, request).await,
        (Method::Get, ["labels", id]) => labels::show(store, &member, path_id(id)?).await,
        (Method::Patch | Method::Put, ["labels", id]) => labels::update(store, &member, request, path_id(id)?).await,
        (Method::Delete, ["labels", id]) => labels::delete(store, &member, path_id(id)?).await,
        (Method::Get, ["canned_responses"]) => labels::canned_responses(store, &member, request).await,
        (Method::Post, ["canned_responses"]) => labels::create_canned_response(store, &member, request).await,
        (Method::Patch | Method::Put, ["canned_responses", id]) => {
            labels::update_canned_response(store, &member, request, path_id(id)?).await
        }
        (Method::Delete, ["canned_responses", id]) => {
            labels::delete_canned_response(store, &member, path_id(id)?).await
        }
        (Method::Get, ["custom_attribute_definitions"]) => custom_attributes::list(store, &member, request).await,
        (Method::Post, ["custom_attribute_definitions"]) => custom_attributes::create(store, &member, request).await,
        (Method::Get, ["custom_attribute_definitions", id]) => {
            custom_attributes::show(store, &member, path_id(id)?).await
        }
        (Method::Patch | Method::Put, ["custom_attribute_definitions", id]) => {
            custom_attributes::update(store, &member, request, path_id(id)?).await
        }
        (Method::Delete, ["custom_attribute_definitions", id]) => {
            custom_attributes::delete(store, &member, path_id(id)?).await
        }
        (Method::Get, ["custom_filters"]) => custom_filters::list(store, &member, request).await,
        (Method::Post, ["custom_filters"]) => custom_filters::create(store, &member, request).await,
        (Method::Get, ["custom_filters", id]) => custom_filters::show(store, &member, path_id(id)?).await,
        (Method::Patch | Method::Put, ["custom_filters", id]) => {
            custom_filters::update(store, &member, request, path_id(id)?).await
        }
        (Method::Delete, ["custom_filters", id]) => custom_filters::delete(store, &member, path_id(id)?).await,
        (Method::Get, ["agents"]) => agents::list(store, &member).await,
        (Method::Post, ["agents"]) => agents::create(app, &member, request).await,
        (Method::Patch | Method::Put, ["agents", id]) => agents::update(app, &member, request, path_id(id)?).await,
        (Method::Delete, ["agents", id]) => agents::delete(app, &member, path_id(id)?).await,
        _ => Err(ApiError::NotFound),
    }
}
