//! Maps a request to its API area. Each area matches its own paths; errors from anywhere
//! become the contract's JSON errors here, once.

use worker::{Env, Method, Request, Response};

use crate::error::{ApiError, ApiResult};
use crate::help_center;
use crate::http::{error_response, json, with_cors, ApiRequest};
use crate::store::{shard_names, GlobalRow, KeyKind, Placement, Store};
use crate::{application, attachments, client, engagor, livechat, platform, realtime, reports, sign_in, superoffice};

/// What handlers share for one request: the directory (what is global), and `store`, the
/// database of the request's account: its shard once the route has named the account
/// (`for_account`), the directory before.
pub struct App {
    pub env: Env,
    pub directory: Store,
    pub store: Store,
    origin: String,
    /// The request may write (any method but GET, HEAD and OPTIONS).
    writes: bool,
}

/// How long a client waits before writing to an account that is moving between shards.
pub const MOVE_RETRY_SECONDS: u64 = 30;

impl App {
    fn new(env: Env, origin: String, method: &Method) -> ApiResult<App> {
        Ok(App {
            directory: Store::directory(&env)?.serving_files_from(origin.clone()),
            store: Store::directory(&env)?.serving_files_from(origin.clone()),
            env,
            origin,
            writes: !matches!(method, Method::Get | Method::Head | Method::Options),
        })
    }

    /// This request narrowed to an account: `store` is its shard. 404 for no such account;
    /// 503 for a write while the account moves to another shard.
    pub async fn for_account(&self, account_id: i64) -> ApiResult<App> {
        self.at(self.directory.placement(account_id).await?)
    }

    /// This request narrowed to the account a public route's key belongs to.
    pub async fn for_key(&self, kind: KeyKind, key: &str) -> ApiResult<App> {
        self.at(self.directory.placement_of_key(kind, key).await?)
    }

    /// This request narrowed to an account the directory placed (see `for_account`).
    pub fn at(&self, placement: Option<Placement>) -> ApiResult<App> {
        let placement = placement.ok_or(ApiError::NotFound)?;
        if placement.moving && self.writes {
            return Err(ApiError::Unavailable {
                retry_after: MOVE_RETRY_SECONDS,
            });
        }
        self.on_shard(&placement.shard)
    }

    fn on_shard(&self, shard: &str) -> ApiResult<App> {
        Ok(App {
            env: self.env.clone(),
            directory: Store::directory(&self.env)?.serving_files_from(self.origin.clone()),
            store: Store::on(&self.env, shard)?.serving_files_from(self.origin.clone()),
            origin: self.origin.clone(),
            writes: self.writes,
        })
    }

    /// This request on every shard, for what spans accounts (a user of several accounts).
    pub fn every_shard(&self) -> ApiResult<Vec<App>> {
        shard_names(&self.env)
            .iter()
            .map(|shard| self.on_shard(shard))
            .collect()
    }

    /// A global row the directory just changed (`None`: there was none, 404), once copied to
    /// every shard.
    pub async fn replicated<T>(&self, changed: Option<T>, row: GlobalRow) -> ApiResult<T> {
        let changed = changed.ok_or(ApiError::NotFound)?;
        self.replicate(row).await?;
        Ok(changed)
    }

    /// Copies a global row, just written in the directory, to every shard.
    pub async fn replicate(&self, row: GlobalRow) -> ApiResult<()> {
        for shard in shard_names(&self.env) {
            self.directory.copy_to(&Store::on(&self.env, &shard)?, row).await?;
        }
        Ok(())
    }
}

pub async fn handle(request: Request, env: Env) -> Response {
    if request.path() == "/cable" {
        return realtime::connect(request, &env)
            .await
            .unwrap_or_else(|error| error_response(&error));
    }
    let cross_origin = request.path().starts_with("/public/") || request.path().starts_with("/hc/");
    let preflight = request.method() == Method::Options;
    let origin = request.headers().get("origin").ok().flatten();
    let response = match respond(request, env).await {
        Ok(response) => response,
        // A refused preflight grants nothing, so the browser sends no request. Other errors
        // stay readable: a widget on a page its inbox does not allow can say why it stops.
        Err(error) if preflight => return error_response(&error),
        Err(error) => error_response(&error),
    };
    if cross_origin {
        with_cors(response, origin.as_deref())
    } else {
        response
    }
}

async fn respond(request: Request, env: Env) -> ApiResult<Response> {
    let request = ApiRequest::read(request).await?;
    let segments = request.segments();
    let path: Vec<&str> = segments.iter().map(String::as_str).collect();
    if let (Method::Get, ["health"]) = (&request.method, path.as_slice()) {
        return json(&serde_json::json!({ "status": "ok" }));
    }
    let app = App::new(env, request.origin(), &request.method)?;
    match path.as_slice() {
        ["public", "api", "v1", rest @ ..] if request.method == Method::Options => {
            client::preflight(&app, &request, rest).await
        }
        ["public", "api", "v1", rest @ ..] => client::route(&app, &request, rest).await,
        ["files", rest @ ..] => attachments::serve(&app, &request, rest).await,
        ["hc", rest @ ..] => help_center::public::route(&app, &request, rest).await,
        ["platform", "api", "v1", rest @ ..] => platform::route(&app, &request, rest).await,
        ["api", "v1", "profile"] if request.method == Method::Get => application::profile::show(&app, &request).await,
        ["api", "v1", "profile", "availability"] if matches!(request.method, Method::Post | Method::Put) => {
            application::profile::set_availability(&app, &request).await
        }
        ["auth", "sign_in"] if request.method == Method::Post => sign_in::sign_in(&app, &request).await,
        ["api", "v1", "livechat", rest @ ..] => Ok(livechat::route(&app, &request, rest).await),
        ["api", "v1", "ChatSession" | "Agents", ..] => superoffice::route(&app, &request, &path[2..]).await,
        ["api", "v1", "accounts", account_id, rest @ ..] => {
            application::route(&app, &request, path_id(account_id)?, rest).await
        }
        ["api", "v2", "accounts", account_id, "reports", rest @ ..] => {
            reports::route(&app, &request, path_id(account_id)?, rest).await
        }
        [account_id, "inbox", rest @ ..] => engagor::route(&app, &request, path_id(account_id)?, rest).await,
        _ => Err(ApiError::NotFound),
    }
}

/// An id in a path; anything but a positive integer names nothing.
pub fn path_id(segment: &str) -> ApiResult<i64> {
    if segment.is_empty() || segment.len() > 15 || !segment.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::NotFound);
    }
    segment.parse().ok().filter(|id| *id > 0).ok_or(ApiError::NotFound)
}

/// The one conversation a display id names among a user's accounts (`X-Account-Id` narrows
/// them): 404 for none, 400 when several accounts have one.
pub fn only_one<T>(mut found: Vec<T>) -> ApiResult<T> {
    if found.len() > 1 {
        return Err(ApiError::BadRequest(
            "This id names a conversation in several of your accounts: name one with X-Account-Id".into(),
        ));
    }
    found.pop().ok_or(ApiError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_ids_are_positive_integers() {
        assert_eq!(path_id("42"), Ok(42));
        for bad in ["0", "-1", "4a", "", "1e3", "9999999999999999", " 1"] {
            assert_eq!(path_id(bad), Err(ApiError::NotFound), "{bad:?}");
        }
    }
}
