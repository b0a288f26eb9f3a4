//! `/accounts` and `/accounts/{id}`.

use std::borrow::Cow;

use serde_json::{Map, Value};
use worker::Response;

use crate::attachments;
use crate::error::{ApiError, ApiResult};
use crate::http::{empty_object, json, ApiRequest};
use crate::input::Fields;
use crate::router::{App, MOVE_RETRY_SECONDS};
use crate::store::{shard_names, AccountChanges, FilesOf, GlobalRow, Store};

/// The account fields a request sets.
pub(crate) fn account_changes(body: &Map<String, Value>) -> ApiResult<AccountChanges> {
    let fields = Fields::new(body);
    Ok(AccountChanges {
        name: fields.text("name", 255)?,
        locale: fields.text("locale", 16)?,
        domain: fields.text("domain", 255)?,
        support_email: fields.email("support_email")?,
        status: fields.choice("status", |text| {
            matches!(text, "active" | "suspended").then(|| text.to_string())
        })?,
        custom_attributes: fields.object("custom_attributes")?.map(Cow::into_owned),
    })
}

/// A new account goes to the shard `NEW_ACCOUNT_SHARD` names, else to the one with the
/// fewest accounts.
pub async fn create(app: &App, request: &ApiRequest) -> ApiResult<Response> {
    let new = account_changes(&request.body_object()?)?;
    if new.name.is_none() {
        return Err(ApiError::invalid("name", "Name can't be blank"));
    }
    let shards = shard_names(&app.env);
    let configured = app
        .env
        .var("NEW_ACCOUNT_SHARD")
        .map(|shard| shard.to_string())
        .ok()
        .filter(|shard| shards.contains(shard));
    let shard = match configured {
        Some(shard) => shard,
        None => app.directory.least_used_shard(&shards).await?,
    };
    let account = app.directory.create_account(&new, &shard).await?;
    app.replicate(GlobalRow::Account(account.id)).await?;
    json(&account)
}

pub async fn show(store: &Store, id: i64) -> ApiResult<Response> {
    json(&store.account(id).await?.ok_or(ApiError::NotFound)?)
}

pub async fn update(app: &App, request: &ApiRequest, id: i64) -> ApiResult<Response> {
    let changes = account_changes(&request.body_object()?)?;
    let changed = app.directory.update_account(id, &changes).await?;
    json(&app.replicated(changed, GlobalRow::Account(id)).await?)
}

/// Deletes the account from the directory, then from every shard (its own cascades to all it
/// holds), then its files.
pub async fn delete(app: &App, id: i64) -> ApiResult<Response> {
    let shard = app.for_account(id).await?;
    let files = FilesOf::Account { account_id: id };
    let deletion = async {
        let deleted = app.directory.delete_account(id).await?;
        app.replicate(GlobalRow::Account(id)).await?;
        Ok(deleted)
    };
    if !attachments::deleting(&shard, files, deletion).await? {
        return Err(ApiError::NotFound);
    }
    empty_object()
}

/// `POST /accounts/{id}/move {shard}`: the account's rows go to another shard, ids, tokens and
/// file keys unchanged (docs/architecture.md, "Moving an account"). Its writes answer 503
/// meanwhile; a failed copy leaves it where it was.
pub async fn move_to(app: &App, request: &ApiRequest, id: i64) -> ApiResult<Response> {
    let body = request.body_object()?;
    let shards = shard_names(&app.env);
    let target = Fields::new(&body)
        .choice("shard", |name| shards.iter().find(|shard| *shard == name).cloned())?
        .ok_or_else(|| ApiError::invalid("shard", "Shard can't be blank"))?;
    let placement = app.directory.placement(id).await?.ok_or(ApiError::NotFound)?;
    if placement.shard != target {
        if !app.directory.set_moving(id, true).await? {
            return Err(ApiError::Unavailable {
                retry_after: MOVE_RETRY_SECONDS,
            });
        }
        let (from, to) = (Store::on(&app.env, &placement.shard)?, Store::on(&app.env, &target)?);
        let copied = async {
            // Leftovers of an earlier failed move go first.
            to.drop_account_rows(id).await?;
            from.copy_account(&to, id).await
        };
        let copied = copied.await;
        if let Err(error) = copied {
            to.drop_account_rows(id).await?;
            app.directory.set_moving(id, false).await?;
            return Err(error);
        }
        app.directory.place_account(id, &target).await?;
        app.replicate(GlobalRow::Account(id)).await?;
        from.drop_account_rows(id).await?;
    }
    json(&serde_json::json!({"id": id, "shard": target}))
}
