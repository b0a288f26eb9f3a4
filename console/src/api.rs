//! Every call the console makes to the edge (same origin): sign-in and the Application API
//! with the agent's access token.

use gloo_net::http::{Request, RequestBuilder, Response};
use nimchat_shared::wire::{Agent, AgentConversation, ChatSessionEntity, Inquiry, Message, Profile};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

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
            Failure::Network => "The server cannot be reached. Check your connection.".into(),
            Failure::SignedOut => "Your session has ended. Sign in again.".into(),
            Failure::BadCredentials => "Wrong e-mail or password.".into(),
            Failure::TooMany(Some(seconds)) => format!("Too many attempts. Try again in {seconds} s."),
            Failure::TooMany(None) => "Too many attempts. Try again in a minute.".into(),
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

async fn answer<T: DeserializeOwned>(request: Result<Request, gloo_net::Error>) -> Result<T, Failure> {
    let response = request
        .map_err(|_| Failure::Network)?
        .send()
        .await
        .map_err(|_| Failure::Network)?;
    if !response.ok() {
        return Err(refusal(&response).await);
    }
    response
        .json::<T>()
        .await
        .map_err(|_| Failure::Refused("The server answered something unexpected.".into()))
}

async fn refusal(response: &Response) -> Failure {
    match response.status() {
        401 => Failure::SignedOut,
        429 => Failure::TooMany(response.headers().get("Retry-After").and_then(|text| text.parse().ok())),
        status => {
            let body: Value = response.json().await.unwrap_or_default();
            let message = body["message"].as_str().or(body["error"].as_str());
            Failure::Refused(message.map_or_else(|| format!("The server refused ({status})."), str::to_string))
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

fn account_path(account: i64, path: &str) -> String {
    format!("/api/v1/accounts/{account}{path}")
}

pub async fn conversations(
    token: &str,
    account: i64,
    assignee_type: &str,
    status: &str,
) -> Result<Vec<AgentConversation>, Failure> {
    #[derive(Deserialize)]
    struct Listed {
        data: Page,
    }
    #[derive(Deserialize)]
    struct Page {
        payload: Vec<AgentConversation>,
    }
    let path = account_path(
        account,
        &format!("/conversations?assignee_type={assignee_type}&status={status}"),
    );
    let listed: Listed = answer(authorised(Request::get(&path), token).build()).await?;
    Ok(listed.data.payload)
}

pub async fn conversation(token: &str, account: i64, conversation: i64) -> Result<AgentConversation, Failure> {
    answer(
        authorised(
            Request::get(&account_path(account, &format!("/conversations/{conversation}"))),
            token,
        )
        .build(),
    )
    .await
}

pub async fn messages(token: &str, account: i64, conversation: i64) -> Result<Vec<Message>, Failure> {
    #[derive(Deserialize)]
    struct Listed {
        payload: Vec<Message>,
    }
    let path = account_path(account, &format!("/conversations/{conversation}/messages"));
    let listed: Listed = answer(authorised(Request::get(&path), token).build()).await?;
    Ok(listed.payload)
}

pub async fn send(
    token: &str,
    account: i64,
    conversation: i64,
    content: &str,
    private: bool,
) -> Result<Message, Failure> {
    let path = account_path(account, &format!("/conversations/{conversation}/messages"));
    answer(authorised(Request::post(&path), token).json(&json!({"content": content, "private": private}))).await
}

pub async fn set_status(token: &str, account: i64, conversation: i64, status: &str) -> Result<Value, Failure> {
    let path = account_path(account, &format!("/conversations/{conversation}/toggle_status"));
    answer(authorised(Request::post(&path), token).json(&json!({ "status": status }))).await
}

/// Tells the edge the agent has read the conversation (its unread count goes to 0).
pub async fn mark_seen(token: &str, account: i64, conversation: i64) -> Result<Value, Failure> {
    let path = account_path(account, &format!("/conversations/{conversation}/update_last_seen"));
    answer(authorised(Request::post(&path), token).build()).await
}

/// The inbox's agents, who may take a conversation over.
pub async fn inbox_agents(token: &str, account: i64, inbox: i64) -> Result<Vec<Agent>, Failure> {
    #[derive(Deserialize)]
    struct Listed {
        payload: Vec<Agent>,
    }
    let path = account_path(account, &format!("/inbox_members/{inbox}"));
    let listed: Listed = answer(authorised(Request::get(&path), token).build()).await?;
    Ok(listed.payload)
}

/// The queue (contract 5.3): conversations waiting for an agent, oldest first.
pub async fn inquiries(token: &str) -> Result<Vec<Inquiry>, Failure> {
    #[derive(Deserialize)]
    struct Listed {
        inquiries: Vec<Inquiry>,
    }
    let request = authorised(Request::get("/api/v1/livechat/inquiries.list?count=100"), token).build();
    Ok(answer::<Listed>(request).await?.inquiries)
}

/// Takes a waiting conversation; a colleague may have been quicker (the edge says so).
pub async fn take(token: &str, inquiry: &str) -> Result<Value, Failure> {
    let request = authorised(Request::post("/api/v1/livechat/inquiries.take"), token);
    answer(request.json(&json!({ "inquiryId": inquiry }))).await
}

/// The chat session routes (contract 5.4) name the account in a header.
fn chat_session_request(request: RequestBuilder, token: &str, account: i64) -> RequestBuilder {
    authorised(request, token).header("X-Account-Id", &account.to_string())
}

/// The conversation as a chat session: who holds it, and a transfer waiting for an answer.
pub async fn chat_session(token: &str, account: i64, conversation: i64) -> Result<ChatSessionEntity, Failure> {
    let request = Request::get(&format!("/api/v1/ChatSession/{conversation}"));
    answer(chat_session_request(request, token, account).build()).await
}

/// A step of a transfer, taken by the holder or by the agent asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferStep {
    Ask(i64),
    Accept,
    Decline,
    Withdraw,
}

pub async fn transfer(
    token: &str,
    account: i64,
    conversation: i64,
    step: TransferStep,
) -> Result<ChatSessionEntity, Failure> {
    let path = match step {
        TransferStep::Ask(agent) => format!("/api/v1/ChatSession/{conversation}/TransferTo/{agent}"),
        TransferStep::Accept => format!("/api/v1/Agents/Chat/AcceptChatSessionTransfer?chatSessionId={conversation}"),
        TransferStep::Decline => format!("/api/v1/Agents/Chat/RejectChatSessionTransfer?chatSessionId={conversation}"),
        TransferStep::Withdraw => format!("/api/v1/ChatSession/{conversation}/RejectTransfer"),
    };
    answer(chat_session_request(Request::post(&path), token, account).build()).await
}
