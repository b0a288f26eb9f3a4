//! The edge's view of HTTP: a request read once, bodies parsed into JSON objects, and
//! responses rendered as JSON.

use serde::Serialize;
use serde_json::{Map, Value};
use worker::{Headers, Method, Request, Response, Url};

use crate::error::{ApiError, ApiResult};

/// Far above the largest legal body (a 150,000-character message), far below the platform's.
const MAX_BODY_BYTES: usize = 1 << 20;

/// A request with its body already read, so handlers stay synchronous about input.
pub struct ApiRequest {
    pub method: Method,
    url: Url,
    headers: Headers,
    body: Vec<u8>,
}

impl ApiRequest {
    pub async fn read(mut request: Request) -> ApiResult<Self> {
        let body = match request.method() {
            Method::Get | Method::Head | Method::Options => Vec::new(),
            _ => request
                .bytes()
                .await
                .map_err(|_| ApiError::BadRequest("Body could not be read".into()))?,
        };
        if body.len() > MAX_BODY_BYTES {
            return Err(ApiError::PayloadTooLarge);
        }
        Ok(ApiRequest {
            method: request.method(),
            url: request.url()?,
            headers: request.headers().clone(),
            body,
        })
    }

    /// The path split into its non-empty segments.
    pub fn segments(&self) -> Vec<String> {
        split_path(self.url.path())
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).ok().flatten()
    }

    pub fn query(&self, key: &str) -> Option<String> {
        self.url
            .query_pairs()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.into_owned())
    }

    /// Every value of a repeated parameter (`labels[]=a&labels[]=b`), and of comma-separated
    /// ones (`labels=a,b`).
    pub fn query_list(&self, key: &str) -> Vec<String> {
        let repeated = format!("{key}[]");
        self.url
            .query_pairs()
            .filter(|(name, _)| name == key || *name == repeated)
            .flat_map(|(_, value)| value.split(',').map(|part| part.trim().to_string()).collect::<Vec<_>>())
            .filter(|value| !value.is_empty())
            .collect()
    }

    /// An integer query parameter; anything but digits (with an optional minus) is a 422.
    pub fn query_int(&self, key: &str) -> ApiResult<Option<i64>> {
        match self.query(key).filter(|text| !text.is_empty()) {
            None => Ok(None),
            Some(text) => text
                .parse::<i64>()
                .map(Some)
                .map_err(|_| ApiError::invalid(key, format!("{key} must be an integer"))),
        }
    }

    /// The body as a JSON object (an absent body is an empty object).
    pub fn body_object(&self) -> ApiResult<Map<String, Value>> {
        parse_object(&self.body, self.header("content-type").as_deref())
    }

    /// `scheme://host[:port]` of this deployment, for links such as the embed snippet.
    pub fn origin(&self) -> String {
        self.url.origin().ascii_serialization()
    }
}

pub fn split_path(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|segment| !segment.is_empty())
        .map(str::to_string)
        .collect()
}

/// Parses a body into an object: JSON, or form fields as strings.
pub fn parse_object(body: &[u8], content_type: Option<&str>) -> ApiResult<Map<String, Value>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    let is_form = content_type
        .map(|value| {
            value
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        })
        .unwrap_or(false);
    if is_form {
        return Ok(form_urlencoded::parse(body)
            .map(|(key, value)| (key.into_owned(), Value::String(value.into_owned())))
            .collect());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::BadRequest("Body must be a JSON object".into())),
        Err(_) => Err(ApiError::BadRequest("Body is not valid JSON".into())),
    }
}

/// Whether an `Accept` header lets the answer be JSON: any JSON type or a wildcard in it.
pub fn accepts_json(accept: &str) -> bool {
    accept.split(',').any(|range| {
        let media = range.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        media.is_empty() || media == "*/*" || media == "application/*" || media.contains("json")
    })
}

/// 200 with a JSON body.
pub fn json<T: Serialize>(value: &T) -> ApiResult<Response> {
    Ok(Response::from_json(value)?)
}

/// 200 with `{}`, Chatwoot's answer to deletions.
pub fn empty_object() -> ApiResult<Response> {
    json(&Map::new())
}

/// Lets any page call a cross-origin route (the Client API is embedded everywhere; an inbox
/// narrows this with `allowed_domains`, checked per request).
pub fn with_cors(mut response: Response, origin: Option<&str>) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        ("Access-Control-Allow-Origin", origin.unwrap_or("*")),
        ("Access-Control-Allow-Methods", "GET, POST, PATCH, PUT, DELETE, OPTIONS"),
        (
            "Access-Control-Allow-Headers",
            "Content-Type, api_access_token, Authorization",
        ),
        ("Access-Control-Expose-Headers", "Retry-After"),
        ("Access-Control-Max-Age", "86400"),
        ("Vary", "Origin"),
    ] {
        let _ = headers.set(name, value);
    }
    response
}

pub fn error_response(error: &ApiError) -> Response {
    error_response_with(error, |_| ())
}

/// An error whose body a seed's dialect adds to (Rocket.Chat's `"success": false`).
pub fn error_response_with(error: &ApiError, dialect: impl FnOnce(&mut Map<String, Value>)) -> Response {
    if let ApiError::Internal(detail) = error {
        worker::console_error!("internal error: {detail}");
    }
    let mut body = error.body();
    if let Value::Object(fields) = &mut body {
        dialect(fields);
    }
    let mut response = Response::from_json(&body)
        .unwrap_or_else(|_| Response::empty().expect("an empty response can always be built"))
        .with_status(error.status());
    if let ApiError::TooManyRequests { retry_after } = error {
        let _ = response.headers_mut().set("Retry-After", &retry_after.to_string());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_bodies_are_empty_objects() {
        assert_eq!(parse_object(b"", None), Ok(Map::new()));
        assert_eq!(parse_object(b"  \n", Some("application/json")), Ok(Map::new()));
    }

    #[test]
    fn non_objects_and_non_json_are_400() {
        for body in [&b"[1,2]"[..], b"\"text\"", b"{", b"nul", b"{\"a\":1}}", &[0xff, 0xfe]] {
            let error = parse_object(body, Some("application/json")).unwrap_err();
            assert_eq!(error.status(), 400, "{body:?}");
        }
    }

    #[test]
    fn deep_nesting_is_400_not_a_crash() {
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(parse_object(deep.as_bytes(), None).unwrap_err().status(), 400);
    }

    #[test]
    fn form_bodies_become_string_fields() {
        let map = parse_object(
            b"updates=%7B%22a%22%3A1%7D&x=y",
            Some("application/x-www-form-urlencoded"),
        )
        .unwrap();
        assert_eq!(map["updates"], Value::String("{\"a\":1}".into()));
        assert_eq!(map["x"], Value::String("y".into()));
    }

    #[test]
    fn json_is_acceptable_unless_only_other_types_are() {
        for yes in [
            "application/json",
            "text/json",
            "*/*",
            "application/xml, application/json;q=0.5",
            "application/*",
        ] {
            assert!(accepts_json(yes), "{yes}");
        }
        for no in ["application/xml", "text/xml, text/html"] {
            assert!(!accepts_json(no), "{no}");
        }
    }

    #[test]
    fn paths_split_into_segments() {
        assert_eq!(
            split_path("/platform/api/v1/accounts/"),
            ["platform", "api", "v1", "accounts"]
        );
        assert!(split_path("/").is_empty());
    }
}
