//! Reports `/api/v2/accounts/{account_id}/reports` (contract 7.4), administrators only:
//! parameters read by `domain::reports`, numbers by the store.

use nimchat_shared::wire::{ReportPoint, ReportSummary};
use worker::{Method, Response};

use crate::domain::reports::{self, BadParameter, GroupBy, Metric, Scope, Window};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::router::App;
use crate::store::Store;

impl From<BadParameter> for ApiError {
    fn from(bad: BadParameter) -> Self {
        ApiError::invalid(bad.parameter, bad.message)
    }
}

/// `path` is what follows `/api/v2/accounts/{account_id}/reports`.
pub async fn route(app: &App, request: &ApiRequest, account_id: i64, path: &[&str]) -> ApiResult<Response> {
    let (member, placement) = crate::auth::member(request, &app.directory, account_id).await?;
    member.require_administrator()?;
    let store = &app.at(Some(placement))?.store;
    match (&request.method, path) {
        (Method::Get, []) => series(store, request, account_id).await,
        (Method::Get, ["summary"]) => summary(store, request, account_id).await,
        (Method::Get, ["conversations"]) => conversations(store, request, account_id).await,
        _ => Err(ApiError::NotFound),
    }
}

/// `type` and `id`, naming something of the account (404 otherwise).
async fn scope(store: &Store, request: &ApiRequest, account_id: i64) -> ApiResult<Scope> {
    let scope = Scope::parse(request.query("type").as_deref(), request.query("id").as_deref())?;
    if !store.report_scope_exists(account_id, &scope).await? {
        return Err(ApiError::NotFound);
    }
    Ok(scope)
}

fn window(request: &ApiRequest) -> ApiResult<Window> {
    Ok(Window::parse(
        request.query("since").as_deref(),
        request.query("until").as_deref(),
    )?)
}

/// `GET reports`: one entry per calendar bucket of the window.
async fn series(store: &Store, request: &ApiRequest, account_id: i64) -> ApiResult<Response> {
    let metric = Metric::parse(request.query("metric").as_deref())?;
    let window = window(request)?;
    let group_by = GroupBy::parse(request.query("group_by").as_deref())?;
    let offset = reports::parse_timezone_offset(request.query("timezone_offset").as_deref())?;
    let scope = scope(store, request, account_id).await?;
    let buckets = reports::buckets(window, group_by, offset);
    let spans: Vec<(i64, i64)> = buckets.iter().map(|bucket| (bucket.from, bucket.to)).collect();
    let tallies = store.report_tallies(account_id, &scope, metric, &spans).await?;
    let points: Vec<ReportPoint> = buckets
        .iter()
        .zip(tallies)
        .map(|(bucket, tally)| metric.point(bucket.timestamp, tally))
        .collect();
    json(&points)
}

/// `GET reports/summary`: the seven metrics over the window and over the one before.
async fn summary(store: &Store, request: &ApiRequest, account_id: i64) -> ApiResult<Response> {
    let window = window(request)?;
    let scope = scope(store, request, account_id).await?;
    let mut totals = store
        .report_totals(account_id, &scope, &[window, window.previous()])
        .await?
        .into_iter()
        .map(reports::metrics);
    let (Some(current), Some(previous)) = (totals.next(), totals.next()) else {
        return Err(ApiError::Internal("a summary needs two windows".into()));
    };
    json(&ReportSummary { current, previous })
}

/// `GET reports/conversations`: open conversations now, for the account or per agent.
async fn conversations(store: &Store, request: &ApiRequest, account_id: i64) -> ApiResult<Response> {
    match request.query("type").as_deref() {
        Some("account") => json(&store.conversation_metrics(account_id).await?),
        Some("agent") => {
            let user_id = request.query_int("user_id")?;
            if let Some(user_id) = user_id {
                if !store.report_scope_exists(account_id, &Scope::Agent(user_id)).await? {
                    return Err(ApiError::NotFound);
                }
            }
            let page = request.query_int("page")?.unwrap_or(1);
            json(&store.agent_conversation_metrics(account_id, user_id, page).await?)
        }
        _ => Err(ApiError::invalid("type", "type must be account or agent")),
    }
}
