//! `/inboxes`: the channels conversations arrive through.

use nimchat_shared::enums::ChannelType;
use nimchat_shared::wire::Inbox;
use serde_json::{json, Value};
use worker::Response;

use crate::attachments;
use crate::domain::inbox_settings::{merge_week, InboxChanges};
use crate::error::{ApiError, ApiResult};
use crate::http::{empty_object, json, ApiRequest};
use crate::input::Fields;
use crate::router::App;
use crate::store::{FilesOf, Membership, Store};

/// What every inbox route needs: storage, the caller, and this deployment's origin.
pub struct Context<'a> {
    pub store: &'a Store,
    pub member: &'a Membership,
    pub origin: String,
}

impl Context<'_> {
    /// Shows the caller what its role may see: the HMAC key only to administrators,
    /// and the embed snippet for web widgets.
    pub fn present(&self, mut inbox: Inbox) -> Inbox {
        if !self.member.is_administrator() {
            inbox.hmac_token = None;
            inbox.webhook_secret = None;
        }
        if inbox.channel_type == ChannelType::WebWidget.class_name() {
            inbox.web_widget_script = Some(format!(
                "<script src=\"{}/widget.js\" data-inbox=\"{}\" async></script>",
                self.origin, inbox.inbox_identifier
            ));
        }
        inbox
    }

    /// The inbox if the caller may see it: administrators see all of the account's,
    /// agents those they are members of. Anything else is absent.
    pub async fn visible_inbox(&self, id: i64) -> ApiResult<Inbox> {
        let inbox = self
            .store
            .inbox(self.member.account_id, id)
            .await?
            .ok_or(ApiError::NotFound)?;
        if self.member.is_administrator() || self.store.is_inbox_member(inbox.id, self.member.user_id).await? {
            Ok(inbox)
        } else {
            Err(ApiError::NotFound)
        }
    }
}

pub async fn list(context: &Context<'_>) -> ApiResult<Response> {
    let member = context.member;
    let only_member_of = (!member.is_administrator()).then_some(member.user_id);
    let inboxes = context.store.inboxes(member.account_id, only_member_of).await?;
    let payload: Vec<Inbox> = inboxes.into_iter().map(|inbox| context.present(inbox)).collect();
    json(&json!({ "payload": payload }))
}

pub async fn show(context: &Context<'_>, id: i64) -> ApiResult<Response> {
    json(&context.present(context.visible_inbox(id).await?))
}

pub async fn create(context: &Context<'_>, request: &ApiRequest) -> ApiResult<Response> {
    context.member.require_administrator()?;
    let changes = InboxChanges::for_create(&request.body_object()?)?;
    let inbox = context.store.create_inbox(context.member.account_id, &changes).await?;
    json(&context.present(inbox))
}

pub async fn update(context: &Context<'_>, request: &ApiRequest, id: i64) -> ApiResult<Response> {
    context.member.require_administrator()?;
    let inbox = context.visible_inbox(id).await?;
    let mut changes = InboxChanges::parse(&request.body_object()?)?;
    if changes
        .channel_type
        .is_some_and(|kind| inbox.channel_type != kind.class_name())
    {
        return Err(ApiError::invalid("channel.type", "Channel type cannot be changed"));
    }
    if let Some(days) = &changes.working_hours {
        changes.working_hours = Some(merge_week(&inbox.working_hours, days));
    }
    json(&context.present(context.store.update_inbox(&inbox, &changes).await?))
}

/// Deletes the inbox with its sessions, conversations and messages (the schema cascades);
/// the account's contacts stay, as in Chatwoot.
pub async fn delete(app: &App, context: &Context<'_>, id: i64) -> ApiResult<Response> {
    context.member.require_administrator()?;
    let inbox = context.visible_inbox(id).await?;
    let files = FilesOf::Inbox {
        account_id: inbox.account_id,
        inbox_id: inbox.id,
    };
    attachments::deleting(app, files, context.store.delete_inbox(inbox.account_id, inbox.id)).await?;
    empty_object()
}

/// The connected agent bot, or `{}` when there is none (as Chatwoot answers).
pub async fn agent_bot(context: &Context<'_>, id: i64) -> ApiResult<Response> {
    let inbox = context.visible_inbox(id).await?;
    let bot = match inbox.agent_bot_id {
        Some(bot_id) => context.store.agent_bot_for_account(bot_id, inbox.account_id).await?,
        None => None,
    };
    match bot {
        Some(mut bot) => {
            bot.access_token = None;
            bot.secret = None;
            json(&bot)
        }
        None => json(&json!({})),
    }
}

/// `{agent_bot: id}` connects a bot of this account or a platform bot; `null` disconnects.
pub async fn set_agent_bot(context: &Context<'_>, request: &ApiRequest, id: i64) -> ApiResult<Response> {
    context.member.require_administrator()?;
    let inbox = context.visible_inbox(id).await?;
    let body = request.body_object()?;
    let fields = Fields::new(&body);
    if !body.contains_key("agent_bot") {
        return Err(ApiError::invalid(
            "agent_bot",
            "Agent bot must be an agent bot id or null",
        ));
    }
    let bot_id = match fields.id("agent_bot")? {
        Some(bot_id) => {
            let bot = context.store.agent_bot_for_account(bot_id, inbox.account_id).await?;
            Some(bot.ok_or(ApiError::NotFound)?.id)
        }
        None => None,
    };
    context.store.set_inbox_agent_bot(inbox.id, bot_id).await?;
    json(&Value::Object(Default::default()))
}
