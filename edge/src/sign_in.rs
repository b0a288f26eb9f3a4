//! `POST /auth/sign_in {email, password}`: a person signs in to the console and gets their
//! user with its access token (Chatwoot's devise-token-auth path, answer in `data`). Five
//! failures in this clock minute and the one before, for one e-mail or from one address, lock
//! it out (429 with `Retry-After`, the end of this minute), the right password included.

use serde_json::json;
use worker::Response;

use crate::clock;
use crate::domain::password;
use crate::domain::rate_limit::Limit;
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use crate::router::App;

const FAILURES: Limit = Limit {
    max: 5,
    window_seconds: 60,
};

pub async fn sign_in(app: &App, request: &ApiRequest) -> ApiResult<Response> {
    let body = request.body_object()?;
    let fields = Fields::new(&body);
    let email = fields.text("email", 255)?.unwrap_or_default().to_lowercase();
    let given = fields.text("password", 128)?.unwrap_or_default();
    let address = request.client_address();
    let buckets = [format!("sign_in:email:{email}"), format!("sign_in:ip:{address}")];
    let now = clock::now();
    for bucket in &buckets {
        if app.directory.recent_hits(bucket, &FAILURES, now).await? >= i64::from(FAILURES.max) {
            return Err(ApiError::TooManyRequests {
                retry_after: FAILURES.retry_after(now),
            });
        }
    }
    let known = app.directory.password_of(&email).await?;
    let stored = known.as_ref().and_then(|(_, hash)| hash.as_deref());
    // An unknown e-mail is checked too, against a decoy: the same work, the same answer.
    let matches = password::verify(&given, stored.unwrap_or(password::decoy())) && stored.is_some();
    let user_id = match known {
        Some((user_id, _)) if matches => user_id,
        _ => {
            for bucket in &buckets {
                app.directory.count_hit(bucket, &FAILURES, now).await?;
            }
            return Err(ApiError::BadCredentials);
        }
    };
    let profile = app.directory.profile(user_id).await?.ok_or(ApiError::BadCredentials)?;
    json(&json!({ "data": profile }))
}
