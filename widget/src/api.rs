//! Every call the widget makes to the edge: the Client API over the browser's `fetch`, with
//! JSON parsed and written by the browser (`json`).

use std::future::Future;
use std::pin::Pin;

use nimchat_shared::wire::{ContactSession, Conversation, Message, PublicInbox};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, FormData, ProgressEvent, RequestInit, Response, XmlHttpRequest};

use crate::json::{self, object, FromJs};

/// Why a call failed, in the terms the visitor is told about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No answer at all: offline, DNS, CORS.
    Network,
    /// 429: slow down; `Retry-After` says for how many seconds, when it says.
    TooFast(Option<u32>),
    /// 422: the edge's words for what it did not take (a file too large, of a type it does
    /// not accept).
    Invalid(String),
    /// Any other refusal, or an answer that is not what the contract says.
    Refused(u16),
}

/// A part's chunk that did not load is a failure of the network: what needed it may be
/// tried again.
impl From<leptos::wasm_split::SplitLoaderError> for Failure {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        Failure::Network
    }
}

/// A file on its way (see [`upload`]).
pub type Upload = Pin<Box<dyn Future<Output = Result<Message, Failure>>>>;

part! {
    /// Sends a file as a message of its own: the upload is one of the parts few visitors meet.
    pub fn upload(
        api: Api,
        source_id: String,
        conversation: i64,
        file: File,
        echo_id: String,
        progress: Box<dyn Fn(u8)>,
    ) -> Result<Upload, Failure> {
        Ok(Box::pin(async move { api.send_file(&source_id, conversation, &file, &echo_id, progress).await }))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    base: String,
    inbox: String,
}

/// A call to make: its method and address.
struct Request {
    method: &'static str,
    url: String,
}

impl Request {
    fn new(method: &'static str, url: &str) -> Request {
        Request {
            method,
            url: url.to_string(),
        }
    }
}

/// The edge's JSON error: `{"message": ..., "attributes": [...]}`.
struct Refusal(String);

impl FromJs for Refusal {
    fn from_js(fields: &json::Fields) -> Option<Self> {
        fields.string("message").map(Refusal)
    }
}

/// What a successful call answered: its status and body text.
struct Answer {
    status: u16,
    text: String,
}

impl Api {
    pub fn new(base: &str, inbox: &str) -> Self {
        Api {
            base: base.trim_end_matches('/').to_string(),
            inbox: inbox.to_string(),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str) -> String {
        format!("{}/public/api/v1/inboxes/{}{path}", self.base, self.inbox)
    }

    fn session_url(&self, source_id: &str, path: &str) -> String {
        self.url(&format!("/contacts/{source_id}{path}"))
    }

    fn conversation_url(&self, source_id: &str, conversation: i64, path: &str) -> String {
        self.session_url(source_id, &format!("/conversations/{conversation}{path}"))
    }

    /// Sends the request with `body` as JSON; a 2xx answer gives its text. The browser's
    /// `fetch` itself, not a wrapper crate: gloo-net's request builder weighed 2.3 KB gzip here.
    async fn call(request: Request, body: Option<&JsValue>) -> Result<Answer, Failure> {
        let init = RequestInit::new();
        init.set_method(request.method);
        if let Some(body) = body {
            init.set_body(&json::stringify(body).into());
            init.set_headers(&object(&[("Content-Type", "application/json".into())]));
        }
        let window = web_sys::window().ok_or(Failure::Network)?;
        let response: Response = JsFuture::from(window.fetch_with_str_and_init(&request.url, &init))
            .await
            .map_err(|_| Failure::Network)?
            .unchecked_into();
        let text = response.text().map_err(|_| Failure::Network)?;
        let text = JsFuture::from(text).await.map_err(|_| Failure::Network)?;
        let retry_after = response.headers().get("Retry-After").ok().flatten();
        Self::answer(response.status(), text.as_string().unwrap_or_default(), retry_after)
    }

    /// What an answer of the edge means.
    fn answer(status: u16, text: String, retry_after: Option<String>) -> Result<Answer, Failure> {
        match status {
            200..=299 => Ok(Answer { status, text }),
            429 => Err(Failure::TooFast(
                retry_after.and_then(|seconds| seconds.trim().parse().ok()),
            )),
            422 => Err(match json::parse::<Refusal>(&text) {
                Some(Refusal(words)) => Failure::Invalid(words),
                None => Failure::Refused(status),
            }),
            0 => Err(Failure::Network),
            status => Err(Failure::Refused(status)),
        }
    }

    async fn fetch<T: FromJs>(request: Request, body: Option<&JsValue>) -> Result<T, Failure> {
        Self::parsed(Self::call(request, body).await?)
    }

    /// The object a successful answer carries.
    fn parsed<T: FromJs>(answer: Answer) -> Result<T, Failure> {
        json::parse(&answer.text).ok_or(Failure::Refused(answer.status))
    }

    async fn fetch_list<T: FromJs>(request: Request) -> Result<Vec<T>, Failure> {
        let answer = Self::call(request, None).await?;
        json::parse_list(&answer.text).ok_or(Failure::Refused(answer.status))
    }

    pub async fn inbox(&self) -> Result<PublicInbox, Failure> {
        Self::fetch(Request::new("GET", &self.url("")), None).await
    }

    pub async fn create_contact(&self, contact: &JsValue) -> Result<ContactSession, Failure> {
        Self::fetch(Request::new("POST", &self.url("/contacts")), Some(contact)).await
    }

    pub async fn update_contact(&self, source_id: &str, changes: &JsValue) -> Result<(), Failure> {
        Self::call(Request::new("PATCH", &self.session_url(source_id, "")), Some(changes))
            .await
            .map(drop)
    }

    pub async fn conversations(&self, source_id: &str) -> Result<Vec<Conversation>, Failure> {
        Self::fetch_list(Request::new("GET", &self.session_url(source_id, "/conversations"))).await
    }

    pub async fn create_conversation(&self, source_id: &str, attributes: &JsValue) -> Result<Conversation, Failure> {
        let body = object(&[("custom_attributes", attributes.clone())]);
        Self::fetch(
            Request::new("POST", &self.session_url(source_id, "/conversations")),
            Some(&body),
        )
        .await
    }

    pub async fn messages_after(
        &self,
        source_id: &str,
        conversation: i64,
        after: i64,
    ) -> Result<Vec<Message>, Failure> {
        let url = self.conversation_url(source_id, conversation, &format!("/messages?after={after}"));
        Self::fetch_list(Request::new("GET", &url)).await
    }

    pub async fn send_message(
        &self,
        source_id: &str,
        conversation: i64,
        content: &str,
        echo_id: &str,
    ) -> Result<Message, Failure> {
        let body = object(&[("content", content.into()), ("echo_id", echo_id.into())]);
        let url = self.conversation_url(source_id, conversation, "/messages");
        Self::fetch(Request::new("POST", &url), Some(&body)).await
    }

    /// Sends a file as a message of its own (`attachments[]` of a multipart body), telling
    /// `progress` how much of it has gone, in percent. Through `XMLHttpRequest`: `fetch`
    /// does not tell an upload's progress.
    async fn send_file(
        &self,
        source_id: &str,
        conversation: i64,
        file: &File,
        echo_id: &str,
        progress: Box<dyn Fn(u8)>,
    ) -> Result<Message, Failure> {
        let url = self.conversation_url(source_id, conversation, "/messages");
        let form = FormData::new().map_err(|_| Failure::Network)?;
        let _ = form.append_with_blob_and_filename("attachments[]", file, &file.name());
        let _ = form.append_with_str("echo_id", echo_id);
        let request = XmlHttpRequest::new().map_err(|_| Failure::Network)?;
        request.open("POST", &url).map_err(|_| Failure::Network)?;
        let on_progress = Closure::<dyn Fn(ProgressEvent)>::new(move |event: ProgressEvent| {
            if event.length_computable() && event.total() > 0.0 {
                progress((event.loaded() * 100.0 / event.total()) as u8);
            }
        });
        if let Ok(upload) = request.upload() {
            upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        }
        // Settles when the request ends, however it ends; the status tells how.
        let ended = js_sys::Promise::new(&mut |resolve, _| request.set_onloadend(Some(&resolve)));
        request
            .send_with_opt_form_data(Some(&form))
            .map_err(|_| Failure::Network)?;
        let _ = JsFuture::from(ended).await;
        let text = request.response_text().ok().flatten().unwrap_or_default();
        let retry_after = request.get_response_header("Retry-After").ok().flatten();
        Self::parsed(Self::answer(request.status().unwrap_or(0), text, retry_after)?)
    }

    /// Answers a message that asks for an answer (a survey, options): its `submitted_values`.
    pub async fn submit(
        &self,
        source_id: &str,
        conversation: i64,
        message: i64,
        values: JsValue,
    ) -> Result<Message, Failure> {
        let body = object(&[("submitted_values", values)]);
        let url = self.conversation_url(source_id, conversation, &format!("/messages/{message}"));
        Self::fetch(Request::new("PATCH", &url), Some(&body)).await
    }

    pub async fn typing(&self, source_id: &str, conversation: i64, on: bool) -> Result<(), Failure> {
        let body = object(&[("typing_status", if on { "on" } else { "off" }.into())]);
        let url = self.conversation_url(source_id, conversation, "/toggle_typing");
        Self::call(Request::new("POST", &url), Some(&body)).await.map(drop)
    }

    /// The window opened (webhooks hear `webwidget_triggered`), on the page at `referer`.
    pub async fn opened(&self, source_id: &str, referer: &str) -> Result<(), Failure> {
        let info = object(&[("referer", referer.into())]);
        let body = object(&[("name", "webwidget.triggered".into()), ("event_info", info.into())]);
        Self::call(
            Request::new("POST", &self.session_url(source_id, "/events")),
            Some(&body),
        )
        .await
        .map(drop)
    }

    pub async fn seen(&self, source_id: &str, conversation: i64) -> Result<(), Failure> {
        let url = self.conversation_url(source_id, conversation, "/update_last_seen");
        Self::call(Request::new("POST", &url), Some(&object(&[])))
            .await
            .map(drop)
    }
}
