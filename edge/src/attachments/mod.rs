//! Files sent with messages (Chatwoot's `attachments[]`), for the Client and Application
//! APIs alike: checked from their first bytes, streamed from the request to R2, recorded
//! with their message, and deleted with whatever holds them. `serve` hands them out.

mod serve;

pub use serve::serve;

use std::future::Future;

use worker::js_sys::Uint8Array;
use worker::wasm_bindgen_futures::JsFuture;
use worker::{web_sys, Bucket, Data, Env, HttpMetadata};

use crate::domain::file_kinds::{self, FileKind};
use crate::domain::{file_links, secrets};
use crate::error::{ApiError, ApiResult};
use crate::http::{ApiRequest, Upload};
use crate::router::App;
use crate::store::{file_url_secret, missing_secret, FilesOf, NewAttachment};

/// The R2 bucket binding.
const BUCKET: &str = "FILES";

/// The form field files come in, as `attachments[]` (Chatwoot's name).
const FIELD: &str = "attachments";

/// What a message may carry; each is a Worker variable with Chatwoot's default.
struct Limits {
    max_bytes: u64,
    max_files: usize,
    allowed_types: String,
}

impl Limits {
    fn from_env(env: &Env) -> Self {
        let var = |name: &str| {
            env.var(name)
                .ok()
                .map(|value| value.to_string().trim().to_string())
                .filter(|text| !text.is_empty())
        };
        Limits {
            max_bytes: var("ATTACHMENT_MAX_BYTES")
                .and_then(|text| text.parse().ok())
                .unwrap_or(40 << 20),
            max_files: var("ATTACHMENT_MAX_FILES")
                .and_then(|text| text.parse().ok())
                .unwrap_or(15),
            allowed_types: var("ATTACHMENT_TYPES").unwrap_or_else(|| file_kinds::DEFAULT_ALLOWED_TYPES.into()),
        }
    }
}

/// A file of the request that passed every check, ready to store.
pub struct Checked<'a> {
    file: &'a web_sys::File,
    kind: &'static FileKind,
    name: String,
    size: u64,
    dimensions: Option<(u32, u32)>,
}

/// The request's `attachments[]`, checked: how many, how large, and what their bytes say
/// they are. Nothing is stored yet, so a refusal leaves nothing behind.
pub async fn check<'a>(env: &Env, request: &'a ApiRequest) -> ApiResult<Vec<Checked<'a>>> {
    let uploads = request.files();
    if let Some(other) = uploads.iter().find(|upload| !is_attachment_field(&upload.field)) {
        return Err(ApiError::invalid(
            &other.field,
            format!("Files are taken as {FIELD}[] only"),
        ));
    }
    let limits = Limits::from_env(env);
    if uploads.len() > limits.max_files {
        return Err(invalid(format!(
            "Attachments are too many (maximum is {} files a message)",
            limits.max_files
        )));
    }
    let mut checked = Vec::with_capacity(uploads.len());
    for upload in uploads {
        checked.push(check_one(upload, &limits).await?);
    }
    Ok(checked)
}

/// `attachments`, `attachments[]` or `attachments[0]`.
fn is_attachment_field(field: &str) -> bool {
    field == FIELD
        || field
            .strip_prefix(FIELD)
            .and_then(|rest| rest.strip_prefix('['))
            .and_then(|rest| rest.strip_suffix(']'))
            .is_some_and(|index| index.bytes().all(|byte| byte.is_ascii_digit()))
}

async fn check_one<'a>(upload: &'a Upload, limits: &Limits) -> ApiResult<Checked<'a>> {
    let file = &upload.file;
    let given_name = file.name();
    let size = file.size() as u64;
    if size == 0 {
        return Err(invalid(format!("{given_name} is empty")));
    }
    if size > limits.max_bytes {
        return Err(invalid(format!(
            "{given_name} is too large (maximum is {} MB)",
            limits.max_bytes >> 20
        )));
    }
    let head = first_bytes(file).await?;
    let kind = file_kinds::sniff(&head, &given_name)
        .filter(|kind| file_kinds::allowed(kind.mime, &limits.allowed_types))
        .ok_or_else(|| invalid(format!("{given_name} is a type of file that is not accepted")))?;
    Ok(Checked {
        file,
        kind,
        name: file_kinds::stored_name(&given_name, kind),
        size,
        dimensions: file_kinds::image_size(&head, kind),
    })
}

/// The file's first bytes, the only ones the Worker reads.
async fn first_bytes(file: &web_sys::File) -> ApiResult<Vec<u8>> {
    let unreadable = |_| ApiError::BadRequest(format!("{} could not be read", file.name()));
    let head = file
        .slice_with_f64_and_f64(0.0, file_kinds::HEAD_BYTES as f64)
        .map_err(unreadable)?;
    let buffer = JsFuture::from(head.array_buffer()).await.map_err(unreadable)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

fn invalid(message: String) -> ApiError {
    ApiError::invalid(FIELD, message)
}

/// Puts the files in R2 under the account, then calls `record` with their rows; when
/// recording fails the objects are removed again: a message and its files are stored
/// together or not at all.
pub async fn stored_with<T, F, Fut>(env: &Env, account_id: i64, files: &[Checked<'_>], record: F) -> ApiResult<T>
where
    F: FnOnce(Vec<NewAttachment>) -> Fut,
    Fut: Future<Output = ApiResult<T>>,
{
    if files.is_empty() {
        return record(Vec::new()).await;
    }
    // A file nobody could be given a link to is not stored.
    file_url_secret(env).ok_or_else(missing_secret)?;
    let bucket = env.bucket(BUCKET)?;
    let mut rows = Vec::with_capacity(files.len());
    for file in files {
        match put(&bucket, account_id, file).await {
            Ok(row) => rows.push(row),
            Err(error) => {
                delete_objects(env, keys(&rows)).await;
                return Err(error);
            }
        }
    }
    let stored = keys(&rows);
    let result = record(rows).await;
    if result.is_err() {
        delete_objects(env, stored).await;
    }
    result
}

fn keys(rows: &[NewAttachment]) -> Vec<String> {
    rows.iter().map(|row| row.object_key.clone()).collect()
}

/// Streams one file from the request into R2.
async fn put(bucket: &Bucket, account_id: i64, file: &Checked<'_>) -> ApiResult<NewAttachment> {
    let object_key = format!("{account_id}/{}/{}", secrets::token()?, file.name);
    let metadata = HttpMetadata {
        content_type: Some(file.kind.mime.into()),
        content_disposition: Some(file_links::disposition(&file.name, file.kind.inline())),
        ..HttpMetadata::default()
    };
    bucket
        .put(&object_key, Data::ReadableStream(file.file.stream()))
        .http_metadata(metadata)
        .execute()
        .await?;
    let (width, height) = file.dimensions.map_or((None, None), |(width, height)| {
        (Some(i64::from(width)), Some(i64::from(height)))
    });
    Ok(NewAttachment {
        object_key,
        file_type: file.kind.file_type.as_str(),
        content_type: file.kind.mime,
        extension: file.kind.extension(),
        file_name: file.name.clone(),
        file_size: file.size as i64,
        width,
        height,
    })
}

/// Runs a deletion of `what`, then removes the files that went with it.
pub async fn deleting<T>(app: &App, what: FilesOf, deletion: impl Future<Output = ApiResult<T>>) -> ApiResult<T> {
    let keys = app.store.attachment_keys(what).await?;
    let done = deletion.await?;
    delete_objects(&app.env, keys).await;
    Ok(done)
}

/// Removes objects whose rows are gone. A failure is logged and otherwise harmless: without
/// a row, nobody is given a link to the object.
async fn delete_objects(env: &Env, keys: Vec<String>) {
    if keys.is_empty() {
        return;
    }
    let deleted = async {
        let bucket = env.bucket(BUCKET)?;
        for chunk in keys.chunks(1000) {
            bucket.delete_multiple(chunk.to_vec()).await?;
        }
        Ok::<(), worker::Error>(())
    };
    if let Err(error) = deleted.await {
        worker::console_error!("deleting {} stored files failed: {error}", keys.len());
    }
}
