//! `GET /files/{key}?expires=&signature=`: a stored file for whoever holds a fresh signed
//! link, with headers that never let it run as a page of the edge's origin.

use worker::{Headers, Method, Range, Response, ResponseBody};

use super::BUCKET;
use crate::clock;
use crate::domain::byte_range::{self, RangeAnswer};
use crate::domain::file_links;
use crate::error::{ApiError, ApiResult};
use crate::http::ApiRequest;
use crate::router::App;
use crate::store::{file_url_secret, missing_secret};

pub async fn serve(app: &App, request: &ApiRequest, segments: &[&str]) -> ApiResult<Response> {
    let with_body = match request.method {
        Method::Get => true,
        Method::Head => false,
        _ => return Err(ApiError::NotFound),
    };
    let key = file_links::key_of(segments).ok_or(ApiError::NotFound)?;
    let secret = file_url_secret(&app.env).ok_or_else(missing_secret)?;
    let expires = request
        .query("expires")
        .and_then(|text| text.parse::<i64>().ok())
        .unwrap_or(0);
    let signature = request.query("signature").unwrap_or_default();
    let now = clock::now();
    if !file_links::opens(&secret, &key, expires, &signature, now) {
        return Err(ApiError::Forbidden);
    }

    let bucket = app.env.bucket(BUCKET)?;
    let (object, part) = match request.header("range") {
        None => (bucket.get(&key).execute().await?, None),
        Some(header) => {
            let size = bucket.head(&key).await?.ok_or(ApiError::NotFound)?.size();
            match byte_range::answer(Some(&header), size) {
                RangeAnswer::Whole => (bucket.get(&key).execute().await?, None),
                RangeAnswer::Part { start, end } => {
                    let range = Range::OffsetWithLength {
                        offset: start,
                        length: end - start + 1,
                    };
                    (bucket.get(&key).range(range).execute().await?, Some((start, end, size)))
                }
                RangeAnswer::Unsatisfiable => {
                    let headers = safe_headers()?;
                    headers.set("Content-Range", &format!("bytes */{size}"))?;
                    return Ok(Response::empty()?.with_status(416).with_headers(headers));
                }
            }
        }
    };
    let object = object.ok_or(ApiError::NotFound)?;

    let headers = safe_headers()?;
    let metadata = object.http_metadata();
    headers.set(
        "Content-Type",
        metadata.content_type.as_deref().unwrap_or("application/octet-stream"),
    )?;
    headers.set(
        "Content-Disposition",
        metadata.content_disposition.as_deref().unwrap_or("attachment"),
    )?;
    headers.set("ETag", &object.http_etag())?;
    // Shared caches must not keep what only link holders may read.
    headers.set("Cache-Control", &format!("private, max-age={}", (expires - now).max(0)))?;
    let (status, length) = match part {
        Some((start, end, size)) => {
            headers.set("Content-Range", &format!("bytes {start}-{end}/{size}"))?;
            (206, end - start + 1)
        }
        None => (200, object.size()),
    };
    headers.set("Content-Length", &length.to_string())?;
    let body = match (with_body, object.body()) {
        (true, Some(body)) => body.response_body()?,
        _ => ResponseBody::Empty,
    };
    Ok(Response::from_body(body)?.with_status(status).with_headers(headers))
}

/// What every answer of this route carries: the file is data, never a page or a script.
fn safe_headers() -> ApiResult<Headers> {
    let headers = Headers::new();
    for (name, value) in [
        ("X-Content-Type-Options", "nosniff"),
        ("Content-Security-Policy", "default-src 'none'; sandbox"),
        ("Cross-Origin-Resource-Policy", "cross-origin"),
        ("Access-Control-Allow-Origin", "*"),
        ("Accept-Ranges", "bytes"),
    ] {
        headers.set(name, value)?;
    }
    Ok(headers)
}
