//! The one error type of the edge's HTTP layer, rendering the JSON errors of contract §0.

use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// 400: the body is not JSON, or not the JSON object a route needs.
    BadRequest(String),
    /// 401: no credential, or one nobody issued.
    Unauthorized,
    /// 401: a visitor's identity hash is wrong, or missing where the inbox requires one.
    HmacFailed,
    /// 401: sign-in with an e-mail and password that do not match (never saying which).
    BadCredentials,
    /// 403: a known credential that may not do this.
    Forbidden,
    /// 404: unknown, or belonging to another tenant (never say which).
    NotFound,
    /// 406: the client accepts no representation the route has (JSON only).
    NotAcceptable,
    /// 413: a body larger than any route accepts.
    PayloadTooLarge,
    /// 415: a body in a media type no route takes.
    UnsupportedMediaType,
    /// 422: a field is wrong; `attributes` names the fields.
    Invalid { message: String, attributes: Vec<String> },
    /// 429 with `Retry-After` in seconds.
    TooManyRequests { retry_after: u64 },
    /// 503 with `Retry-After` in seconds: the account is moving between databases.
    Unavailable { retry_after: u64 },
    /// 500: a bug or an outage of storage; the detail goes to the log, never to the client.
    Internal(String),
}

impl ApiError {
    /// A 422 about one field.
    pub fn invalid(attribute: &str, message: impl Into<String>) -> Self {
        ApiError::Invalid {
            message: message.into(),
            attributes: vec![attribute.to_string()],
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            ApiError::BadRequest(_) => 400,
            ApiError::Unauthorized | ApiError::HmacFailed | ApiError::BadCredentials => 401,
            ApiError::Forbidden => 403,
            ApiError::NotFound => 404,
            ApiError::NotAcceptable => 406,
            ApiError::PayloadTooLarge => 413,
            ApiError::UnsupportedMediaType => 415,
            ApiError::Invalid { .. } => 422,
            ApiError::TooManyRequests { .. } => 429,
            ApiError::Unavailable { .. } => 503,
            ApiError::Internal(_) => 500,
        }
    }

    pub fn body(&self) -> Value {
        match self {
            ApiError::BadRequest(what) => json!({ "error": what }),
            ApiError::Unauthorized => json!({ "error": "Invalid Access Token" }),
            ApiError::HmacFailed => {
                json!({ "error": "HMAC failed: Invalid Identifier Hash Provided" })
            }
            // devise_token_auth's answer, as Chatwoot's clients read it.
            ApiError::BadCredentials => {
                json!({ "success": false, "errors": ["Invalid login credentials. Please try again."] })
            }
            ApiError::Forbidden => json!({ "error": "You are not authorized to do this action" }),
            ApiError::NotFound => json!({ "error": "Resource could not be found" }),
            ApiError::NotAcceptable => json!({ "error": "Only application/json is served" }),
            ApiError::PayloadTooLarge => json!({ "error": "Body is too large" }),
            ApiError::UnsupportedMediaType => json!({
                "error": "Send JSON, application/x-www-form-urlencoded or multipart/form-data"
            }),
            ApiError::Invalid { message, attributes } => {
                json!({ "message": message, "attributes": attributes })
            }
            ApiError::TooManyRequests { .. } => json!({ "error": "Too many requests" }),
            ApiError::Unavailable { .. } => json!({ "error": "This account is being moved; try again shortly" }),
            ApiError::Internal(_) => json!({ "error": "Internal server error" }),
        }
    }
}

impl From<worker::Error> for ApiError {
    fn from(error: worker::Error) -> Self {
        ApiError::Internal(error.to_string())
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(error: serde_json::Error) -> Self {
        ApiError::Internal(error.to_string())
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_follow_the_contract() {
        assert_eq!(ApiError::Unauthorized.body(), json!({"error": "Invalid Access Token"}));
        assert_eq!(
            ApiError::invalid("name", "Name can't be blank").body(),
            json!({"message": "Name can't be blank", "attributes": ["name"]})
        );
    }

    #[test]
    fn internal_details_stay_private() {
        let error = ApiError::Internal("D1_ERROR: no such table".into());
        assert!(!error.body().to_string().contains("D1_ERROR"));
    }
}
