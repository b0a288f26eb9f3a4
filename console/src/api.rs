//! Every call the console makes to the edge (same origin): sign-in and the Application API
//! with the agent's access token.

use gloo_net::http::{Request, RequestBuilder, Response};
use nimchat_shared::enums::{Availability, Priority};
use nimchat_shared::wire::{
    Agent, AgentConversation, CannedResponse, ChatSessionEntity, Contact, Inbox, Inquiry, Label, Message, Profile,
    ReportSummary, Team,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use web_sys::{File, FormData};

use crate::i18n::{fill, t, Key};

/// Where the signed-in agent's token is kept between visits.
const TOKEN_KEY: &str = "nimchat.console.token";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No answer: offline, or the edge is down.
    Network,
    /// The token is not (or no longer) valid: sign in again.
    SignedOut,
    /// Wrong e-mail or password.
    BadCredentials,
    /// Too many failed sign-ins: wait this many seconds.
    TooMany(Option<u32>),
    /// Any other refusal, with the edge's message when it gave one.
    Refused(String),
}

impl Failure {
    pub fn explain(&self) -> String {
        match self {
            Failure::Network => t(Key::ErrorNetwork).into(),
            Failure::SignedOut => t(Key::ErrorSignedOut).into(),
            Failure::BadCredentials => t(Key::ErrorCredentials).into(),
            Failure::TooMany(Some(seconds)) => fill(Key::ErrorTooManyWait, &[&seconds.to_string()]),
            Failure::TooMany(None) => t(Key::ErrorTooMany).into(),
            Failure::Refused(message) => message.clone(),
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn stored_token() -> Option<String> {
    storage()?.get_item(TOKEN_KEY).ok()?
}

pub fn store_token(token: Option<&str>) {
    if let Some(storage) = storage() {
        let _ = match token {
            Some(token) => storage.set_item(TOKEN_KEY, token),
            None => storage.remove_item(TOKEN_KEY),
        };
    }
}

/// The edge's answer when it accepted the request, else why not.
async fn accepted(request: Result<Request, gloo_net::Error>) -> Result<Response, Failure> {
    let response = request
        .map_err(|_| Failure::Network)?
        .send()
        .await
        .map_err(|_| Failure::Network)?;
    if response.ok() {
        Ok(response)
    } else {
        Err(refusal(&response).await)
    }
}

async fn answer<T: DeserializeOwned>(request: Result<Request, gloo_net::Error>) -> Result<T, Failure> {
    accepted(request)
        .await?
        .json::<T>()
        .await
        .map_err(|_| Failure::Refused(t(Key::ErrorUnexpected).into()))
}

/// For answers whose body does not matter (some are empty).
async fn done(request: Result<Request, gloo_net::Error>) -> Result<(), Failure> {
    accepted(request).await.map(drop)
}

async fn refusal(response: &Response) -> Failure {
    match response.status() {
        401 => Failure::SignedOut,
        429 => Failure::TooMany(response.headers().get("Retry-After").and_then(|text| text.parse().ok())),
        status => {
            let body: Value = response.json().await.unwrap_or_default();
            let message = body["message"].as_str().or(body["error"].as_str());
            Failure::Refused(message.map_or_else(|| fill(Key::ErrorRefused, &[&status.to_string()]), str::to_string))
        }
    }
}

fn authorised(request: RequestBuilder, token: &str) -> RequestBuilder {
    request.header("api_access_token", token)
}

pub async fn sign_in(email: &str, password: &str) -> Result<Profile, Failure> {
    #[derive(Deserialize)]
    struct SignedIn {
        data: Profile,
    }
    let request = Request::post("/auth/sign_in").json(&json!({"email": email, "password": password}));
    match answer::<SignedIn>(request).await {
        Ok(signed_in) => Ok(signed_in.data),
        // Here a 401 is the e-mail and password, not a session.
        Err(Failure::SignedOut) => Err(Failure::BadCredentials),
        Err(failure) => Err(failure),
    }
}

pub async fn profile(token: &str) -> Result<Profile, Failure> {
    answer(authorised(Request::get("/api/v1/profile"), token).build()).await
}

/// Chatwoot's `{payload: [...]}` lists.
#[derive(Deserialize)]
struct Payload<T> {
    payload: T,
}

/// How long a snooze lasts, as Chatwoot's console offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snooze {
    AnHour,
    Tomorrow,
    NextWeek,
}

impl Snooze {
    pub const ALL: [Snooze; 3] = [Snooze::AnHour, Snooze::Tomorrow, Snooze::NextWeek];

    fn seconds(self) -> f64 {
        match self {
            Snooze::AnHour => 3_600.0,
            Snooze::Tomorrow => 86_400.0,
            Snooze::NextWeek => 7.0 * 86_400.0,
        }
    }
}

/// A step of a transfer, taken by the holder or by the agent asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferStep {
    Ask(i64),
    Accept,
    Decline,
    Withdraw,
}

/// Which conversations a list shows: Chatwoot's tab and status, and the inbox, team and label
/// filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub assignee_type: &'static str,
    pub status: String,
    pub inbox: Option<String>,
    pub team: Option<String>,
    pub label: Option<String>,
}

/// The signed-in agent's calls in their account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub token: String,
    pub account: i64,
}

impl Client {
    fn path(&self, path: &str) -> String {
        format!("/api/v1/accounts/{}{path}", self.account)
    }

    /// `GET` of a path in the account.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, Failure> {
        answer(authorised(Request::get(&self.path(path)), &self.token).build()).await
    }

    pub async fn post<T: DeserializeOwned>(&self, path: &str, body: &Value) -> Result<T, Failure> {
        answer(authorised(Request::post(&self.path(path)), &self.token).json(body)).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Result<Value, Failure> {
        answer(authorised(Request::patch(&self.path(path)), &self.token).json(body)).await
    }

    pub async fn delete(&self, path: &str) -> Result<(), Failure> {
        done(authorised(Request::delete(&self.path(path)), &self.token).build()).await
    }

    pub async fn conversations(&self, list: &ListQuery) -> Result<Vec<AgentConversation>, Failure> {
        #[derive(Deserialize)]
        struct Listed {
            data: Payload<Vec<AgentConversation>>,
        }
        let mut path = format!(
            "/conversations?assignee_type={}&status={}",
            list.assignee_type, list.status
        );
        for (name, value) in [
            ("inbox_id", &list.inbox),
            ("team_id", &list.team),
            ("labels[]", &list.label),
        ] {
            if let Some(value) = value {
                path.push_str(&format!(
                    "&{name}={}",
                    String::from(js_sys::encode_uri_component(value))
                ));
            }
        }
        Ok(self.get::<Listed>(&path).await?.data.payload)
    }

    pub async fn conversation(&self, id: i64) -> Result<AgentConversation, Failure> {
        self.get(&format!("/conversations/{id}")).await
    }

    pub async fn messages(&self, conversation: i64) -> Result<Vec<Message>, Failure> {
        let listed: Payload<_> = self.get(&format!("/conversations/{conversation}/messages")).await?;
        Ok(listed.payload)
    }

    /// A reply or a private note; with files, as `attachments[]` of a multipart body.
    pub async fn send(
        &self,
        conversation: i64,
        content: &str,
        private: bool,
        files: &[File],
    ) -> Result<Message, Failure> {
        let path = format!("/conversations/{conversation}/messages");
        if files.is_empty() {
            return self.post(&path, &json!({"content": content, "private": private})).await;
        }
        let form = FormData::new().map_err(|_| Failure::Refused(t(Key::ErrorUnexpected).into()))?;
        let _ = form.append_with_str("content", content);
        let _ = form.append_with_str("private", if private { "true" } else { "false" });
        for file in files {
            let _ = form.append_with_blob_and_filename("attachments[]", file, &file.name());
        }
        answer(authorised(Request::post(&self.path(&path)), &self.token).body(form)).await
    }

    pub async fn set_status(&self, conversation: i64, status: &str) -> Result<Value, Failure> {
        self.post(
            &format!("/conversations/{conversation}/toggle_status"),
            &json!({ "status": status }),
        )
        .await
    }

    pub async fn snooze(&self, conversation: i64, snooze: Snooze) -> Result<Value, Failure> {
        let until = ((js_sys::Date::now() / 1000.0) + snooze.seconds()) as i64;
        let body = json!({"status": "snoozed", "snoozed_until": until});
        self.post(&format!("/conversations/{conversation}/toggle_status"), &body)
            .await
    }

    pub async fn set_priority(&self, conversation: i64, priority: Option<Priority>) -> Result<Value, Failure> {
        let body = json!({ "priority": priority.map_or("none", Priority::as_str) });
        self.post(&format!("/conversations/{conversation}/toggle_priority"), &body)
            .await
    }

    /// `{assignee_id}` or `{team_id}`; 0 clears.
    pub async fn assign(&self, conversation: i64, field: &str, id: i64) -> Result<Value, Failure> {
        self.post(
            &format!("/conversations/{conversation}/assignments"),
            &json!({ field: id }),
        )
        .await
    }

    pub async fn set_labels(&self, conversation: i64, labels: &[String]) -> Result<Value, Failure> {
        self.post(
            &format!("/conversations/{conversation}/labels"),
            &json!({ "labels": labels }),
        )
        .await
    }

    /// Tells the visitor (or, on a note, the team) that the agent is typing.
    pub async fn typing(&self, conversation: i64, on: bool, private: bool) -> Result<(), Failure> {
        let body = json!({"typing_status": if on { "on" } else { "off" }, "is_private": private});
        let path = self.path(&format!("/conversations/{conversation}/toggle_typing_status"));
        done(authorised(Request::post(&path), &self.token).json(&body)).await
    }

    /// Tells the edge the agent has read the conversation (its unread count goes to 0).
    pub async fn mark_seen(&self, conversation: i64) -> Result<Value, Failure> {
        self.post(&format!("/conversations/{conversation}/update_last_seen"), &json!({}))
            .await
    }

    /// The inbox's agents, who may take a conversation over.
    pub async fn inbox_agents(&self, inbox: i64) -> Result<Vec<Agent>, Failure> {
        let listed: Payload<_> = self.get(&format!("/inbox_members/{inbox}")).await?;
        Ok(listed.payload)
    }

    pub async fn agents(&self) -> Result<Vec<Agent>, Failure> {
        self.get("/agents").await
    }

    pub async fn inboxes(&self) -> Result<Vec<Inbox>, Failure> {
        let listed: Payload<_> = self.get("/inboxes").await?;
        Ok(listed.payload)
    }

    pub async fn teams(&self) -> Result<Vec<Team>, Failure> {
        self.get("/teams").await
    }

    pub async fn labels(&self) -> Result<Vec<Label>, Failure> {
        let listed: Payload<_> = self.get("/labels").await?;
        Ok(listed.payload)
    }

    pub async fn canned_responses(&self, search: &str) -> Result<Vec<CannedResponse>, Failure> {
        let search = String::from(js_sys::encode_uri_component(search));
        self.get(&format!("/canned_responses?search={search}")).await
    }

    pub async fn contact(&self, id: i64) -> Result<Contact, Failure> {
        let shown: Payload<_> = self.get(&format!("/contacts/{id}")).await?;
        Ok(shown.payload)
    }

    pub async fn contact_labels(&self, id: i64) -> Result<Vec<String>, Failure> {
        let listed: Payload<_> = self.get(&format!("/contacts/{id}/labels")).await?;
        Ok(listed.payload)
    }

    pub async fn contact_conversations(&self, id: i64) -> Result<Vec<AgentConversation>, Failure> {
        let listed: Payload<_> = self.get(&format!("/contacts/{id}/conversations")).await?;
        Ok(listed.payload)
    }

    /// Who answers a contact in an inbox (contract 5.1): `{owner: "nimchat" | "external"}`.
    /// `Some(true)` hands the contact to the team, `Some(false)` back to the bot.
    pub async fn handover(&self, service: &str, source_id: &str, to_team: Option<bool>) -> Result<Value, Failure> {
        let path = format!("/{}/inbox/handover/{service}/{source_id}", self.account);
        let request = match to_team {
            None => Request::get(&path),
            Some(true) => Request::post(&path),
            Some(false) => Request::delete(&path),
        };
        answer(authorised(request, &self.token).build()).await
    }

    /// The agent's own availability in this account.
    pub async fn set_availability(&self, availability: Availability) -> Result<Profile, Failure> {
        let body = json!({"profile": {"availability": availability.as_str(), "account_id": self.account}});
        let request = authorised(Request::post("/api/v1/profile/availability"), &self.token);
        answer(request.json(&body)).await
    }

    /// The queue (contract 5.3): conversations waiting for an agent, oldest first.
    pub async fn inquiries(&self) -> Result<Vec<Inquiry>, Failure> {
        #[derive(Deserialize)]
        struct Listed {
            inquiries: Vec<Inquiry>,
        }
        let request = authorised(Request::get("/api/v1/livechat/inquiries.list?count=100"), &self.token);
        Ok(answer::<Listed>(request.build()).await?.inquiries)
    }

    /// Takes a waiting conversation; a colleague may have been quicker (the edge says so).
    pub async fn take(&self, inquiry: &str) -> Result<Value, Failure> {
        let request = authorised(Request::post("/api/v1/livechat/inquiries.take"), &self.token);
        answer(request.json(&json!({ "inquiryId": inquiry }))).await
    }

    /// The chat session routes (contract 5.4) name the account in a header.
    fn chat_session_request(&self, request: RequestBuilder) -> RequestBuilder {
        authorised(request, &self.token).header("X-Account-Id", &self.account.to_string())
    }

    /// The conversation as a chat session: who holds it, and a transfer waiting for an answer.
    pub async fn chat_session(&self, conversation: i64) -> Result<ChatSessionEntity, Failure> {
        let request = Request::get(&format!("/api/v1/ChatSession/{conversation}"));
        answer(self.chat_session_request(request).build()).await
    }

    pub async fn transfer(&self, conversation: i64, step: TransferStep) -> Result<ChatSessionEntity, Failure> {
        let path = match step {
            TransferStep::Ask(agent) => format!("/api/v1/ChatSession/{conversation}/TransferTo/{agent}"),
            TransferStep::Accept => {
                format!("/api/v1/Agents/Chat/AcceptChatSessionTransfer?chatSessionId={conversation}")
            }
            TransferStep::Decline => {
                format!("/api/v1/Agents/Chat/RejectChatSessionTransfer?chatSessionId={conversation}")
            }
            TransferStep::Withdraw => format!("/api/v1/ChatSession/{conversation}/RejectTransfer"),
        };
        answer(self.chat_session_request(Request::post(&path)).build()).await
    }
}

impl Client {
    /// The account's numbers over the last `days` days, and the days before them.
    pub async fn summary(&self, days: i64) -> Result<ReportSummary, Failure> {
        let until = (js_sys::Date::now() / 1000.0) as i64;
        let since = until - days * 86_400;
        let path = format!(
            "/api/v2/accounts/{}/reports/summary?type=account&since={since}&until={until}",
            self.account
        );
        answer(authorised(Request::get(&path), &self.token).build()).await
    }
}
