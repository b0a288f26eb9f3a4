//! The black-box harness: `spawn_app()` gives every test the same running edge (real
//! workerd, D1 and KV through `wrangler dev`, on a free port, with a fresh database), and
//! fixtures that create isolated tenants through the Platform API, as a customer would.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::{json, Value};
use ureq::http::Request;
use xtask::local_edge::{self, EdgeConfig, LocalEdge};

/// A running edge and a client for it.
pub struct TestApp {
    pub base_url: String,
    pub platform_token: String,
    agent: ureq::Agent,
}

/// How a request proves who it is (contract §0.1).
#[derive(Clone, Copy, Debug)]
pub enum Auth<'a> {
    Anonymous,
    /// `api_access_token: <t>` (Chatwoot).
    Chatwoot(&'a str),
    /// `Authorization: Bearer <t>` (SuperOffice).
    Bearer(&'a str),
    /// `X-Auth-Token` + `X-User-Id` (Rocket.Chat).
    RocketChat {
        token: &'a str,
        user_id: &'a str,
    },
    /// `?access_token=<t>` (Engagor).
    Query(&'a str),
}

/// What came back: status, parsed JSON body (`Null` if empty or not JSON), and raw text.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub text: String,
    pub content_type: String,
}

/// The edge outlives every test of this process: its watchdog stops it when we exit.
struct Shared {
    app: TestApp,
    _edge: LocalEdge,
    _state: PathBuf,
}

static SHARED: OnceLock<Shared> = OnceLock::new();

/// Starts the edge on first use (build, fresh migrations, `wrangler dev`) and returns it.
pub fn spawn_app() -> &'static TestApp {
    &SHARED
        .get_or_init(|| start().unwrap_or_else(|error| panic!("cannot start the edge: {error}")))
        .app
}

fn start() -> xtask::Result<Shared> {
    xtask::tools::ensure_build_tools()?;
    local_edge::build()?;
    let state = std::env::temp_dir().join(format!("nimchat-test-{}", xtask::random_hex()?));
    local_edge::apply_migrations(&state)?;
    let platform_token = xtask::random_hex()?;
    let edge = LocalEdge::start(&EdgeConfig {
        port: local_edge::free_port()?,
        persist_to: state.clone(),
        platform_token: platform_token.clone(),
        log: Some(state.with_extension("log")),
    })?;
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let app = TestApp {
        base_url: edge.base_url.clone(),
        platform_token,
        agent,
    };
    Ok(Shared {
        app,
        _edge: edge,
        _state: state,
    })
}

impl TestApp {
    /// Sends `body` as JSON (or nothing for `None`).
    pub fn call(&self, method: &str, path: &str, auth: Auth, body: Option<Value>) -> Reply {
        let bytes = body.map(|body| body.to_string().into_bytes());
        self.send(method, path, auth, bytes, "application/json")
    }

    /// Sends raw bytes with a content type, for malformed-body tests.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        auth: Auth,
        body: Option<Vec<u8>>,
        content_type: &str,
    ) -> Reply {
        let mut url = format!("{}{}", self.base_url, path);
        let mut builder = Request::builder().method(method);
        match auth {
            Auth::Anonymous => {}
            Auth::Chatwoot(token) => builder = builder.header("api_access_token", token),
            Auth::Bearer(token) => {
                builder = builder.header("Authorization", format!("Bearer {token}"))
            }
            Auth::RocketChat { token, user_id } => {
                builder = builder
                    .header("X-Auth-Token", token)
                    .header("X-User-Id", user_id)
            }
            Auth::Query(token) => {
                let separator = if url.contains('?') { '&' } else { '?' };
                url = format!("{url}{separator}access_token={token}");
            }
        }
        let builder = builder.uri(&url);
        let result = match body {
            Some(bytes) => self.agent.run(
                builder
                    .header("Content-Type", content_type)
                    .body(bytes)
                    .expect("request"),
            ),
            None => self.agent.run(builder.body(()).expect("request")),
        };
        let mut response = result.unwrap_or_else(|error| panic!("{method} {path}: {error}"));
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            body,
            text,
            content_type,
        }
    }

    pub fn platform(&self, method: &str, path: &str, body: Option<Value>) -> Reply {
        self.call(
            method,
            &format!("/platform/api/v1{path}"),
            Auth::Chatwoot(&self.platform_token),
            body,
        )
    }

    /// A new user through the Platform API, with a unique email.
    pub fn create_user(&self, name: &str) -> TestUser {
        let email = format!(
            "{}-{}@example.test",
            name.to_lowercase().replace(' ', "."),
            unique()
        );
        let reply = self.platform(
            "POST",
            "/users",
            Some(json!({"name": name, "email": email, "password": "Passw0rd!"})),
        );
        assert_eq!(reply.status, 200, "create user: {}", reply.text);
        TestUser {
            id: reply.body["id"].as_i64().expect("user id"),
            token: reply.body["access_token"]
                .as_str()
                .expect("access token")
                .to_string(),
            email,
        }
    }

    /// A new account with one administrator and one agent.
    pub fn create_account(&self) -> TestAccount {
        let reply = self.platform(
            "POST",
            "/accounts",
            Some(json!({"name": format!("Account {}", unique())})),
        );
        assert_eq!(reply.status, 200, "create account: {}", reply.text);
        let id = reply.body["id"].as_i64().expect("account id");
        let join = |user: &TestUser, role: &str| {
            let reply = self.platform(
                "POST",
                &format!("/accounts/{id}/account_users"),
                Some(json!({"user_id": user.id, "role": role})),
            );
            assert_eq!(reply.status, 200, "join account: {}", reply.text);
        };
        let admin = self.create_user("Ada Admin");
        let agent = self.create_user("Alan Agent");
        join(&admin, "administrator");
        join(&agent, "agent");
        TestAccount { id, admin, agent }
    }
}

pub struct TestUser {
    pub id: i64,
    pub token: String,
    pub email: String,
}

impl TestUser {
    pub fn auth(&self) -> Auth<'_> {
        Auth::Chatwoot(&self.token)
    }
}

pub struct TestAccount {
    pub id: i64,
    pub admin: TestUser,
    pub agent: TestUser,
}

impl TestAccount {
    /// `/api/v1/accounts/{id}{path}`.
    pub fn path(&self, path: &str) -> String {
        format!("/api/v1/accounts/{}{path}", self.id)
    }

    /// A web-widget inbox created by the administrator.
    pub fn create_inbox(&self, app: &TestApp, name: &str) -> Value {
        let reply = app.call(
            "POST",
            &self.path("/inboxes"),
            self.admin.auth(),
            Some(json!({"name": name, "channel": {"type": "web_widget", "website_url": "https://shop.example"}})),
        );
        assert_eq!(reply.status, 200, "create inbox: {}", reply.text);
        reply.body
    }
}

/// A process-unique suffix for names and emails.
pub fn unique() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}
