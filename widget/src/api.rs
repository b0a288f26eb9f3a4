//! Every call the widget makes to the edge: the Client API over gloo-net.

use gloo_net::http::{Request, RequestBuilder};
use nimchat_shared::wire::{ContactSession, Conversation, Message, PublicInbox};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// Why a call failed, in the terms the visitor is told about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No answer at all: offline, DNS, CORS.
    Network,
    /// 429: slow down.
    TooFast,
    /// Any other refusal.
    Refused(u16),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    base: String,
    inbox: String,
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

    async fn send<T: DeserializeOwned>(request: RequestBuilder, body: Option<&Value>) -> Result<T, Failure> {
        let request = match body {
            Some(body) => request.json(body).map_err(|_| Failure::Network)?,
            None => request.build().map_err(|_| Failure::Network)?,
        };
        let response = request.send().await.map_err(|_| Failure::Network)?;
        match response.status() {
            200..=299 => response.json().await.map_err(|_| Failure::Refused(response.status())),
            429 => Err(Failure::TooFast),
            status => Err(Failure::Refused(status)),
        }
    }

    /// For routes that answer an empty body.
    async fn send_quietly(request: RequestBuilder, body: &Value) -> Result<(), Failure> {
        let response = request
            .json(body)
            .map_err(|_| Failure::Network)?
            .send()
            .await
            .map_err(|_| Failure::Network)?;
        match response.status() {
            200..=299 => Ok(()),
            429 => Err(Failure::TooFast),
            status => Err(Failure::Refused(status)),
        }
    }

    pub async fn inbox(&self) -> Result<PublicInbox, Failure> {
        Self::send(Request::get(&self.url("")), None).await
    }

    pub async fn create_contact(&self, contact: &Value) -> Result<ContactSession, Failure> {
        Self::send(Request::post(&self.url("/contacts")), Some(contact)).await
    }

    pub async fn update_contact(&self, source_id: &str, changes: &Value) -> Result<Value, Failure> {
        Self::send(Request::patch(&self.session_url(source_id, "")), Some(changes)).await
    }

    pub async fn conversations(&self, source_id: &str) -> Result<Vec<Conversation>, Failure> {
        Self::send(Request::get(&self.session_url(source_id, "/conversations")), None).await
    }

    pub async fn create_conversation(&self, source_id: &str, attributes: &Value) -> Result<Conversation, Failure> {
        let body = json!({ "custom_attributes": attributes });
        Self::send(
            Request::post(&self.session_url(source_id, "/conversations")),
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
        let path = format!("/conversations/{conversation}/messages?after={after}");
        Self::send(Request::get(&self.session_url(source_id, &path)), None).await
    }

    pub async fn send_message(
        &self,
        source_id: &str,
        conversation: i64,
        content: &str,
        echo_id: &str,
    ) -> Result<Message, Failure> {
        let path = format!("/conversations/{conversation}/messages");
        let body = json!({ "content": content, "echo_id": echo_id });
        Self::send(Request::post(&self.session_url(source_id, &path)), Some(&body)).await
    }

    pub async fn answer(
        &self,
        source_id: &str,
        conversation: i64,
        message: i64,
        values: &Value,
    ) -> Result<Message, Failure> {
        let path = format!("/conversations/{conversation}/messages/{message}");
        let body = json!({ "submitted_values": values });
        Self::send(Request::patch(&self.session_url(source_id, &path)), Some(&body)).await
    }

    pub async fn typing(&self, source_id: &str, conversation: i64, on: bool) -> Result<(), Failure> {
        let path = format!("/conversations/{conversation}/toggle_typing");
        let body = json!({ "typing_status": if on { "on" } else { "off" } });
        Self::send_quietly(Request::post(&self.session_url(source_id, &path)), &body).await
    }

    pub async fn seen(&self, source_id: &str, conversation: i64) -> Result<(), Failure> {
        let path = format!("/conversations/{conversation}/update_last_seen");
        Self::send_quietly(Request::post(&self.session_url(source_id, &path)), &json!({})).await
    }
}
