//! The edge's view of HTTP: a request read once, bodies parsed into JSON objects, and
//! responses rendered as JSON.

use serde::Serialize;
use serde_json::{Map, Value};
use worker::js_sys;
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::{web_sys, Headers, Method, Request, Response, Url};

use crate::input::fields_from_pairs;

use crate::error::{ApiError, ApiResult};

/// Far above the largest legal body (a 150,000-character message), far below the platform's.
const MAX_BODY_BYTES: usize = 1 << 20;

/// A multipart body carries files: up to Cloudflare's request limit on most plans (files
/// are limited one by one in `attachments`).
const MAX_MULTIPART_BYTES: usize = 100 << 20;

/// A request body as read, by how it was encoded.
enum Body {
    /// JSON, or nothing.
    Json(Vec<u8>),
    /// `application/x-www-form-urlencoded`.
    Form(Vec<u8>),
    /// `multipart/form-data`: its text fields in order, and its files.
    Multipart(Vec<(String, String)>, Vec<Upload>),
}

/// A file of a multipart body, still held by the runtime (never copied into the Worker's
/// memory whole).
pub struct Upload {
    /// The form field it came in (`attachments[]`).
    pub field: String,
    pub file: web_sys::File,
}

/// How a body is encoded, from its `Content-Type`; `None` for a type no route takes.
fn body_encoding(content_type: Option<&str>) -> Option<&'static str> {
    let media = content_type
        .and_then(|value| value.split(';').next())
        .map(|media| media.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match media.as_str() {
        "" | "application/json" | "text/json" => Some("json"),
        json if json.ends_with("+json") => Some("json"),
        "application/x-www-form-urlencoded" => Some("form"),
        "multipart/form-data" => Some("multipart"),
        _ => None,
    }
}

/// A request with its body already read, so handlers stay synchronous about input.
pub struct ApiRequest {
    pub method: Method,
    url: Url,
    headers: Headers,
    body: Body,
}

impl ApiRequest {
    /// Reads the body in any encoding Chatwoot takes (JSON, urlencoded and multipart forms);
    /// another media type with a body is 415, a malformed multipart body 400.
    pub async fn read(mut request: Request) -> ApiResult<Self> {
        let method = request.method();
        let headers = request.headers().clone();
        let content_type = headers.get("content-type").ok().flatten();
        let encoding = body_encoding(content_type.as_deref());
        let limit = match encoding {
            Some("multipart") => MAX_MULTIPART_BYTES,
            _ => MAX_BODY_BYTES,
        };
        let declared = headers.get("content-length").ok().flatten();
        if declared.and_then(|length| length.parse::<usize>().ok()).unwrap_or(0) > limit {
            return Err(ApiError::PayloadTooLarge);
        }
        let body = match (&method, encoding) {
            (Method::Get | Method::Head | Method::Options, _) => Body::Json(Vec::new()),
            (_, Some("multipart")) => multipart(&mut request).await?,
            (_, encoding) => {
                let bytes = request
                    .bytes()
                    .await
                    .map_err(|_| ApiError::BadRequest("Body could not be read".into()))?;
                if bytes.len() > MAX_BODY_BYTES {
                    return Err(ApiError::PayloadTooLarge);
                }
                match encoding {
                    Some("form") => Body::Form(bytes),
                    Some(_) => Body::Json(bytes),
                    None if bytes.iter().all(u8::is_ascii_whitespace) => Body::Json(Vec::new()),
                    None => return Err(ApiError::UnsupportedMediaType),
                }
            }
        };
        Ok(ApiRequest {
            method,
            url: request.url()?,
            headers,
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

    /// The caller's IP address as Cloudflare saw it, for per-address limits.
    pub fn client_address(&self) -> String {
        self.header("cf-connecting-ip").unwrap_or_else(|| "unknown".into())
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

    /// The body as a JSON object (an absent body is an empty object), whatever its encoding.
    pub fn body_object(&self) -> ApiResult<Map<String, Value>> {
        match &self.body {
            Body::Json(bytes) => parse_object(bytes),
            Body::Form(bytes) => fields_from_pairs(
                form_urlencoded::parse(bytes).map(|(name, value)| (name.into_owned(), value.into_owned())),
            ),
            Body::Multipart(fields, _) => fields_from_pairs(fields.iter().cloned()),
        }
    }

    /// The files of a multipart body (none for other encodings).
    pub fn files(&self) -> &[Upload] {
        match &self.body {
            Body::Multipart(_, files) => files,
            _ => &[],
        }
    }

    /// The body's fields with the query's beside them (the body wins), as Rails merges them.
    pub fn params(&self) -> ApiResult<Map<String, Value>> {
        let mut params = fields_from_pairs(
            self.url
                .query_pairs()
                .map(|(name, value)| (name.into_owned(), value.into_owned())),
        )?;
        params.extend(self.body_object()?);
        Ok(params)
    }

    /// `X-Account-Id`: which of the caller's accounts a route without one in its path means.
    pub fn account_header(&self) -> ApiResult<Option<i64>> {
        self.header("x-account-id")
            .map(|account| crate::router::path_id(account.trim()))
            .transpose()
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

/// A `multipart/form-data` body, parsed by the runtime: text fields in order, and files.
async fn multipart(request: &mut Request) -> ApiResult<Body> {
    let form = request
        .form_data()
        .await
        .map_err(|_| ApiError::BadRequest("Body is not valid multipart/form-data".into()))?;
    let entries = js_sys::try_iter(&JsValue::from(form))
        .ok()
        .flatten()
        .ok_or_else(|| ApiError::Internal("form data is not iterable".into()))?;
    let mut fields = Vec::new();
    let mut files = Vec::new();
    for entry in entries {
        let entry = js_sys::Array::from(&entry.map_err(|_| ApiError::BadRequest("Body could not be read".into()))?);
        let field = entry.get(0).as_string().unwrap_or_default();
        let value = entry.get(1);
        match value.as_string() {
            Some(text) => fields.push((field, text)),
            None => match value.dyn_into::<web_sys::File>() {
                Ok(file) => files.push(Upload { field, file }),
                Err(_) => return Err(ApiError::BadRequest("Body is not valid multipart/form-data".into())),
            },
        }
    }
    Ok(Body::Multipart(fields, files))
}

/// Parses a JSON body into an object.
pub fn parse_object(body: &[u8]) -> ApiResult<Map<String, Value>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
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
    if let ApiError::TooManyRequests { retry_after } | ApiError::Unavailable { retry_after } = error {
        let _ = response.headers_mut().set("Retry-After", &retry_after.to_string());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_bodies_are_empty_objects() {
        assert_eq!(parse_object(b""), Ok(Map::new()));
        assert_eq!(parse_object(b"  \n"), Ok(Map::new()));
    }

    #[test]
    fn non_objects_and_non_json_are_400() {
        for body in [&b"[1,2]"[..], b"\"text\"", b"{", b"nul", b"{\"a\":1}}", &[0xff, 0xfe]] {
            let error = parse_object(body).unwrap_err();
            assert_eq!(error.status(), 400, "{body:?}");
        }
    }

    #[test]
    fn deep_nesting_is_400_not_a_crash() {
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(parse_object(deep.as_bytes()).unwrap_err().status(), 400);
    }

    #[test]
    fn bodies_are_json_forms_or_multipart() {
        for json in [
            None,
            Some("application/json; charset=utf-8"),
            Some("application/vnd.api+json"),
        ] {
            assert_eq!(body_encoding(json), Some("json"), "{json:?}");
        }
        assert_eq!(body_encoding(Some("Application/X-WWW-Form-Urlencoded")), Some("form"));
        assert_eq!(
            body_encoding(Some("multipart/form-data; boundary=x")),
            Some("multipart")
        );
        for other in ["text/plain", "application/xml", "image/png"] {
            assert_eq!(body_encoding(Some(other)), None, "{other}");
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
