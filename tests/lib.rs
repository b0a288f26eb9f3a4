//! The black-box harness: `spawn_app()` gives every test the same running edge (real
//! workerd, D1 and KV through `wrangler dev`, on a free port, with a fresh database), and
//! fixtures that create isolated tenants through the Platform API, as a customer would.

pub mod browser;
pub mod cable;
pub mod host_site;
pub mod http_server;
pub mod webhook_receiver;

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::{json, Value};
use ureq::http::Request;
use xtask::local_edge::{self, TestEdge, TEST_PAGE};

/// A running edge and a client for it.
pub struct TestApp {
    pub base_url: String,
    pub platform_token: String,
    /// The key the edge signs file links with, to make links it did not hand out.
    pub file_url_secret: String,
    agent: ureq::Agent,
    state: PathBuf,
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
    /// The body exactly as received.
    pub bytes: Vec<u8>,
    pub content_type: String,
    pub retry_after: Option<String>,
    pub allow_origin: Option<String>,
    /// Every header, names in lower case.
    pub headers: Vec<(String, String)>,
}

impl Reply {
    /// A header's value, by its name in lower case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// The edge outlives every test of this process: its watchdog stops it when we exit. Under
/// `cargo xtask test` the edge is the xtask's, shared by every suite, and `None` here.
struct Shared {
    app: TestApp,
    _edge: Option<TestEdge>,
}

static SHARED: OnceLock<Shared> = OnceLock::new();

/// The running edge: the one `cargo xtask test` started for every suite, or else one started
/// on first use (build, fresh migrations, `wrangler dev`), for a suite run alone.
pub fn spawn_app() -> &'static TestApp {
    &SHARED
        .get_or_init(|| start().unwrap_or_else(|error| panic!("cannot start the edge: {error}")))
        .app
}

fn start() -> xtask::Result<Shared> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let given = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
    if let (Some(base_url), Some(state), Some(platform_token), Some(file_url_secret)) = (
        given(local_edge::SHARED_EDGE_URL),
        given(local_edge::SHARED_EDGE_STATE),
        given(local_edge::SHARED_EDGE_TOKEN),
        given(local_edge::SHARED_EDGE_FILE_SECRET),
    ) {
        let app = TestApp {
            base_url,
            platform_token,
            file_url_secret,
            agent,
            state: PathBuf::from(state),
        };
        return Ok(Shared { app, _edge: None });
    }
    let edge = TestEdge::start()?;
    let app = TestApp {
        base_url: edge.edge.base_url.clone(),
        platform_token: edge.platform_token.clone(),
        file_url_secret: edge.file_url_secret.clone(),
        agent,
        state: edge.state.clone(),
    };
    Ok(Shared { app, _edge: Some(edge) })
}

impl TestApp {
    /// Sends `body` as JSON (or nothing for `None`).
    pub fn call(&self, method: &str, path: &str, auth: Auth, body: Option<Value>) -> Reply {
        let bytes = body.map(|body| body.to_string().into_bytes());
        self.send(method, path, auth, bytes, "application/json")
    }

    /// Sends raw bytes with a content type, for malformed-body tests.
    pub fn send(&self, method: &str, path: &str, auth: Auth, body: Option<Vec<u8>>, content_type: &str) -> Reply {
        self.send_with(method, path, auth, body, content_type, &[])
    }

    /// Sends `body` as JSON, without credentials, with extra headers (a client IP, an `Origin`).
    pub fn call_with(&self, method: &str, path: &str, body: Option<Value>, headers: &[(&str, &str)]) -> Reply {
        self.call_as(method, path, Auth::Anonymous, body, headers)
    }

    /// Sends `body` as JSON with credentials and extra headers (`X-Account-Id`).
    pub fn call_as(
        &self,
        method: &str,
        path: &str,
        auth: Auth,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let bytes = body.map(|body| body.to_string().into_bytes());
        self.send_with(method, path, auth, bytes, "application/json", headers)
    }

    /// `GET` of an absolute URL of this edge (a file link), with extra headers.
    pub fn fetch(&self, url: &str, headers: &[(&str, &str)]) -> Reply {
        let path = url
            .strip_prefix(&self.base_url)
            .unwrap_or_else(|| panic!("{url} is not a URL of this edge"));
        self.send_with("GET", path, Auth::Anonymous, None, "", headers)
    }

    fn send_with(
        &self,
        method: &str,
        path: &str,
        auth: Auth,
        body: Option<Vec<u8>>,
        content_type: &str,
        headers: &[(&str, &str)],
    ) -> Reply {
        let reply = self.send_once(method, path, auth, body.clone(), content_type, headers);
        // `wrangler dev` now and then reloads workerd under a request and answers this itself
        // (never the edge); it retries only GET and HEAD, so the harness retries the rest once.
        if reply.status == 503 && reply.text.contains("Your worker restarted mid-request") {
            std::thread::sleep(Duration::from_millis(500));
            return self.send_once(method, path, auth, body, content_type, headers);
        }
        reply
    }

    fn send_once(
        &self,
        method: &str,
        path: &str,
        auth: Auth,
        body: Option<Vec<u8>>,
        content_type: &str,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut url = format!("{}{}", self.base_url, path);
        let mut builder = Request::builder().method(method);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        match auth {
            Auth::Anonymous => {}
            Auth::Chatwoot(token) => builder = builder.header("api_access_token", token),
            Auth::Bearer(token) => builder = builder.header("Authorization", format!("Bearer {token}")),
            Auth::RocketChat { token, user_id } => {
                builder = builder.header("X-Auth-Token", token).header("X-User-Id", user_id)
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
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header("content-type").unwrap_or_default();
        let retry_after = header("retry-after");
        let allow_origin = header("access-control-allow-origin");
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_string(),
                    value.to_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_vec()
            .unwrap_or_default();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            body,
            text,
            bytes,
            content_type,
            retry_after,
            allow_origin,
            headers,
        }
    }

    /// Runs SQL on the database of this account (its shard), for states no API can reach (an
    /// old timestamp), and answers the rows it returned.
    pub fn execute_sql(&self, account_id: i64, sql: &str) -> Vec<Value> {
        self.execute_sql_in(&self.shard_of(account_id), sql)
    }

    /// The stored id of a visitor's session (`contact_inboxes`), for tests that write SQL.
    pub fn session_id(&self, account_id: i64, source_id: &str) -> i64 {
        self.execute_sql(
            account_id,
            &format!("SELECT id FROM contact_inboxes WHERE source_id = '{source_id}'"),
        )[0]["id"]
            .as_i64()
            .expect("the session")
    }

    /// The shard (`SHARD_0`, ...) the directory says holds an account.
    pub fn shard_of(&self, account_id: i64) -> String {
        let rows = self.execute_sql_in(
            "DIRECTORY",
            &format!("SELECT shard FROM accounts WHERE id = {account_id}"),
        );
        rows[0]["shard"].as_str().expect("the account's shard").to_string()
    }

    /// Runs SQL on one of this edge's D1 databases (`DIRECTORY`, `SHARD_0`, ...). The edge
    /// holds the same SQLite file, so a busy database (the edge writing at that moment) is
    /// tried again (wrangler says so on either stream).
    pub fn execute_sql_in(&self, database: &str, sql: &str) -> Vec<Value> {
        let run = || {
            std::process::Command::new(xtask::tools::node_bin("wrangler"))
                .args(["d1", "execute", database, "--local", "--json", "--persist-to"])
                .arg(&self.state)
                .args(["--command", sql])
                .current_dir(local_edge::edge_dir())
                .env("WRANGLER_SEND_METRICS", "false")
                .env("CI", "true")
                .output()
                .expect("wrangler runs")
        };
        // Two of this process's tests at once would open the same files: one at a time.
        static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let said = |output: &std::process::Output| {
            format!(
                "{}{}",
                String::from_utf8_lossy(&output.stderr),
                String::from_utf8_lossy(&output.stdout)
            )
        };
        let mut output = run();
        for attempt in 1..=5 {
            if output.status.success() || !said(&output).contains("SQLITE_BUSY") {
                break;
            }
            std::thread::sleep(Duration::from_millis(200 * attempt));
            output = run();
        }
        assert!(output.status.success(), "SQL failed: {sql}: {}", said(&output));
        let answer: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
        answer[0]["results"].as_array().cloned().unwrap_or_default()
    }

    /// Serves the demo page (`index.html`) with this inbox's embed snippet, and answers its URL.
    /// The page exists from the edge's start (wrangler serves no file added later); this
    /// rewrites it and waits until the edge serves the new content.
    pub fn page_for(&self, inbox_identifier: &str) -> String {
        local_edge::publish_page(TEST_PAGE, inbox_identifier).expect("the page");
        let url = format!("{}/{TEST_PAGE}", self.base_url);
        let started = std::time::Instant::now();
        while !self
            .call("GET", &format!("/{TEST_PAGE}"), Auth::Anonymous, None)
            .text
            .contains(inbox_identifier)
        {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the edge did not serve the new page"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        url
    }

    /// `ws://` for this edge's `/cable`.
    pub fn cable_url(&self, query: &str) -> String {
        format!("{}/cable{query}", self.base_url.replacen("http", "ws", 1))
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
        let email = format!("{}-{}@example.test", name.to_lowercase().replace(' ', "."), unique());
        let reply = self.platform(
            "POST",
            "/users",
            Some(json!({"name": name, "email": email, "password": "Passw0rd!"})),
        );
        assert_eq!(reply.status, 200, "create user: {}", reply.text);
        TestUser {
            id: reply.body["id"].as_i64().expect("user id"),
            token: reply.body["access_token"].as_str().expect("access token").to_string(),
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
        let admin = self.join_account(id, "Ada Admin", "administrator");
        let agent = self.join_account(id, "Alan Agent", "agent");
        TestAccount { id, admin, agent }
    }

    /// A new user with a token, made a member of the account through the Platform API.
    fn join_account(&self, account_id: i64, name: &str, role: &str) -> TestUser {
        let user = self.create_user(name);
        let reply = self.platform(
            "POST",
            &format!("/accounts/{account_id}/account_users"),
            Some(json!({"user_id": user.id, "role": role})),
        );
        assert_eq!(reply.status, 200, "join account: {}", reply.text);
        user
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
        self.create_inbox_with(
            app,
            json!({"name": name, "channel": {"type": "web_widget", "website_url": "https://shop.example"}}),
        )
    }

    /// A web-widget inbox that does not assign by itself, worked by the account's agent.
    pub fn create_quiet_inbox(&self, app: &TestApp) -> Value {
        let inbox = self.create_inbox_with(
            app,
            json!({"name": "Support", "enable_auto_assignment": false,
                   "channel": {"type": "web_widget", "website_url": "https://shop.example"}}),
        );
        self.add_inbox_members(app, &inbox, &[self.agent.id]);
        inbox
    }

    /// The administrator connects an agent bot to the inbox.
    pub fn connect_bot(&self, app: &TestApp, inbox: &Value, bot_id: &Value) {
        let path = format!("/inboxes/{}/set_agent_bot", inbox["id"]);
        let connected = self.admin_call(app, "POST", &path, Some(json!({ "agent_bot": bot_id })));
        assert_eq!(connected.status, 200, "{}", connected.text);
        assert_eq!(connected.body, json!({}));
    }

    /// A web-widget inbox's Client API identifier, for tests that only need to visit it.
    pub fn widget_inbox_identifier(&self, app: &TestApp, name: &str) -> String {
        self.create_inbox(app, name)["inbox_identifier"]
            .as_str()
            .expect("an identifier")
            .to_string()
    }

    pub fn create_inbox_with(&self, app: &TestApp, body: Value) -> Value {
        let reply = app.call("POST", &self.path("/inboxes"), self.admin.auth(), Some(body));
        assert_eq!(reply.status, 200, "create inbox: {}", reply.text);
        reply.body
    }

    /// The administrator makes these users members of the inbox.
    pub fn add_inbox_members(&self, app: &TestApp, inbox: &Value, user_ids: &[i64]) {
        let body = json!({"inbox_id": inbox["id"], "user_ids": user_ids});
        let reply = app.call("POST", &self.path("/inbox_members"), self.admin.auth(), Some(body));
        assert_eq!(reply.status, 200, "add inbox members: {}", reply.text);
    }

    /// A new agent of the account who can sign requests (a user with a token).
    pub fn add_signed_in_agent(&self, app: &TestApp, name: &str) -> TestUser {
        app.join_account(self.id, name, "agent")
    }

    /// A team made by the administrator; answers the team object.
    pub fn create_team(&self, app: &TestApp, name: &str, allow_auto_assign: bool) -> Value {
        let body = json!({"name": name, "allow_auto_assign": allow_auto_assign});
        let reply = self.admin_call(app, "POST", "/teams", Some(body));
        assert_eq!(reply.status, 200, "create team: {}", reply.text);
        reply.body
    }

    /// A new agent of the account with this availability, kept without a console open
    /// (`auto_offline` off); answers the user id.
    pub fn add_agent(&self, app: &TestApp, name: &str, availability: &str) -> i64 {
        let email = format!("{}-{}@example.test", name.to_lowercase().replace(' ', "."), unique());
        let body = json!({"name": name, "email": email, "role": "agent", "availability_status": availability,
                          "auto_offline": false});
        let reply = app.call("POST", &self.path("/agents"), self.admin.auth(), Some(body));
        assert_eq!(reply.status, 200, "add agent: {}", reply.text);
        reply.body["id"].as_i64().expect("agent id")
    }

    /// The administrator's call to the account's Application API.
    pub fn admin_call(&self, app: &TestApp, method: &str, path: &str, body: Option<Value>) -> Reply {
        app.call(method, &self.path(path), self.admin.auth(), body)
    }

    /// Gives a conversation to the account's agent, as an administrator does.
    pub fn assign_to_agent(&self, app: &TestApp, conversation: i64) {
        let path = format!("/conversations/{conversation}/assignments");
        let assigned = self.admin_call(app, "POST", &path, Some(json!({"assignee_id": self.agent.id})));
        assert_eq!(assigned.status, 200, "assign: {}", assigned.text);
    }

    /// The administrator defines a custom attribute of contacts (`model` 1) or conversations (0).
    pub fn define_attribute(&self, app: &TestApp, key: &str, display_type: &str, model: u8) {
        let body = json!({"attribute_display_name": key, "attribute_key": key,
                          "attribute_display_type": display_type, "attribute_model": model});
        let reply = self.admin_call(app, "POST", "/custom_attribute_definitions", Some(body));
        assert_eq!(reply.status, 200, "define {key}: {}", reply.text);
    }

    /// The administrator sets a conversation's status.
    pub fn set_status(&self, app: &TestApp, conversation: i64, status: &str) {
        let path = format!("/conversations/{conversation}/toggle_status");
        let changed = self.admin_call(app, "POST", &path, Some(json!({ "status": status })));
        assert_eq!(changed.status, 200, "{status}: {}", changed.text);
    }

    /// The texts of a conversation's activity messages, as agents see them.
    pub fn activity_messages(&self, app: &TestApp, conversation: i64) -> Vec<String> {
        let listed = self.admin_call(app, "GET", &format!("/conversations/{conversation}/messages"), None);
        assert_eq!(listed.status, 200, "{}", listed.text);
        listed.body["payload"]
            .as_array()
            .expect("a payload list")
            .iter()
            .filter(|message| message["message_type"] == 2 || message["message_type"] == "activity")
            .filter_map(|message| message["content"].as_str().map(str::to_string))
            .collect()
    }

    /// An agent's reply (or private note) in a conversation.
    pub fn reply(&self, app: &TestApp, conversation: i64, body: Value) -> Reply {
        let path = self.path(&format!("/conversations/{conversation}/messages"));
        app.call("POST", &path, self.admin.auth(), Some(body))
    }

    /// An agent's message with files: `form` as a multipart body.
    pub fn reply_with_files(&self, app: &TestApp, conversation: i64, form: Multipart) -> Reply {
        let path = self.path(&format!("/conversations/{conversation}/messages"));
        app.send(
            "POST",
            &path,
            self.admin.auth(),
            Some(form.finish()),
            &Multipart::content_type(),
        )
    }
}

/// A visitor of an inbox, speaking the Client API from its own IP address.
pub struct TestVisitor<'a> {
    app: &'a TestApp,
    pub inbox_identifier: String,
    pub source_id: String,
    pub pubsub_token: String,
    pub contact_id: i64,
    pub ip: String,
}

impl TestApp {
    /// `POST /public/api/v1/inboxes/{inbox}/contacts` with `body`, from a fresh IP address.
    pub fn visitor(&self, inbox_identifier: &str, body: Value) -> TestVisitor<'_> {
        let ip = unique_ip();
        let path = format!("/public/api/v1/inboxes/{inbox_identifier}/contacts");
        let reply = self.call_with("POST", &path, Some(body), &[("CF-Connecting-IP", &ip)]);
        assert_eq!(reply.status, 200, "create contact: {}", reply.text);
        TestVisitor {
            app: self,
            inbox_identifier: inbox_identifier.to_string(),
            source_id: reply.body["source_id"].as_str().expect("source_id").to_string(),
            pubsub_token: reply.body["pubsub_token"].as_str().expect("pubsub_token").to_string(),
            contact_id: reply.body["id"].as_i64().expect("contact id"),
            ip,
        }
    }
}

impl TestVisitor<'_> {
    /// `/public/api/v1/inboxes/{inbox}/contacts/{source_id}{path}` from this visitor's IP.
    pub fn call(&self, method: &str, path: &str, body: Option<Value>) -> Reply {
        let full = format!(
            "/public/api/v1/inboxes/{}/contacts/{}{path}",
            self.inbox_identifier, self.source_id
        );
        self.app
            .call_with(method, &full, body, &[("CF-Connecting-IP", &self.ip)])
    }

    /// The display ids of the conversations this visitor sees.
    pub fn conversation_ids(&self) -> Vec<i64> {
        self.call("GET", "/conversations", None)
            .body
            .as_array()
            .expect("a list of conversations")
            .iter()
            .map(|conversation| conversation["id"].as_i64().expect("an id"))
            .collect()
    }

    /// Opens a conversation and answers its display id.
    pub fn start_conversation(&self) -> i64 {
        let reply = self.call("POST", "/conversations", Some(json!({})));
        assert_eq!(reply.status, 200, "create conversation: {}", reply.text);
        reply.body["id"].as_i64().expect("conversation id")
    }

    /// A raw body (a multipart form) to a Client API path of this visitor, from its IP.
    pub fn send(&self, method: &str, path: &str, body: Vec<u8>, content_type: &str) -> Reply {
        let full = format!(
            "/public/api/v1/inboxes/{}/contacts/{}{path}",
            self.inbox_identifier, self.source_id
        );
        let ip = [("CF-Connecting-IP", self.ip.as_str())];
        self.app
            .send_with(method, &full, Auth::Anonymous, Some(body), content_type, &ip)
    }

    pub fn say(&self, conversation: i64, content: &str) -> Reply {
        self.call(
            "POST",
            &format!("/conversations/{conversation}/messages"),
            Some(json!({"content": content})),
        )
    }

    /// The messages the visitor sees in a conversation.
    pub fn messages(&self, conversation: i64) -> Vec<Value> {
        let reply = self.call("GET", &format!("/conversations/{conversation}/messages"), None);
        assert_eq!(reply.status, 200, "list messages: {}", reply.text);
        reply.body.as_array().expect("a bare array").clone()
    }
}

/// Whether a Rocket.Chat inquiry (or its event data) is of this conversation: `rid` is the
/// conversation's id as a string.
pub fn is_room(inquiry: &Value, conversation: i64) -> bool {
    inquiry["rid"].as_str() == Some(conversation.to_string().as_str())
}

/// A text escaped for a query string or a form body (`%XX` for all but unreserved bytes).
pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (byte as char).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// Working hours (UTC) open only three days from today, 09:00 to 17:00, and the Unix time
/// they open at: an inbox with them is outside its hours now, whenever a test runs.
pub fn week_opening_in_three_days() -> (Value, i64) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64;
    let today = now / 86_400;
    let weekday = (today + 4) % 7; // 1 January 1970 was a Thursday
    let week = (0..7)
        .map(|day| match day == (weekday + 3) % 7 {
            true => {
                json!({"day_of_week": day, "open_hour": 9, "open_minutes": 0, "close_hour": 17, "close_minutes": 0})
            }
            false => json!({"day_of_week": day, "closed_all_day": true}),
        })
        .collect();
    (Value::Array(week), (today + 3) * 86_400 + 9 * 3_600)
}

/// An address from the IPv6 documentation range, unique in this process.
pub fn unique_ip() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("2001:db8::{:x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A process-unique suffix for names and emails.
pub fn unique() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!("{}-{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// A `multipart/form-data` body as browsers and SDKs send it: text fields and files.
#[derive(Default)]
pub struct Multipart {
    body: Vec<u8>,
}

impl Multipart {
    pub const BOUNDARY: &'static str = "nimchat-test-boundary";

    pub fn new() -> Self {
        Self::default()
    }

    pub fn text(mut self, name: &str, value: &str) -> Self {
        self.body.extend_from_slice(
            format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n",
                Self::BOUNDARY
            )
            .as_bytes(),
        );
        self
    }

    /// A file under `name` (`attachments[]`), with the type the client claims for it.
    pub fn file(mut self, name: &str, file_name: &str, claimed_type: &str, bytes: &[u8]) -> Self {
        self.body.extend_from_slice(
            format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\n\
                 Content-Type: {claimed_type}\r\n\r\n",
                Self::BOUNDARY
            )
            .as_bytes(),
        );
        self.body.extend_from_slice(bytes);
        self.body.extend_from_slice(b"\r\n");
        self
    }

    /// The body, closed.
    pub fn finish(mut self) -> Vec<u8> {
        self.body
            .extend_from_slice(format!("--{}--\r\n", Self::BOUNDARY).as_bytes());
        self.body
    }

    pub fn content_type() -> String {
        format!("multipart/form-data; boundary={}", Self::BOUNDARY)
    }
}

/// A valid PNG of `width` x `height` pixels of one colour (deflate's stored blocks: no
/// compression library needed).
pub fn png(width: u32, height: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut typed = kind.to_vec();
        typed.extend_from_slice(data);
        png.extend_from_slice(&typed);
        png.extend_from_slice(&crc32(&typed).to_be_bytes());
    }
    // Each row: filter type 0, then the pixels.
    let row: Vec<u8> = std::iter::once(0)
        .chain((0..width).flat_map(|_| [0x1F, 0x6F, 0xEB]))
        .collect();
    let pixels = row.repeat(height as usize);
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = pixels.chunks(65_535).collect();
    for (index, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(index + 1 == blocks.len()));
        let length = block.len() as u16;
        zlib.extend_from_slice(&length.to_le_bytes());
        zlib.extend_from_slice(&(!length).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    let (mut low, mut high) = (1u32, 0u32);
    for &byte in &pixels {
        low = (low + u32::from(byte)) % 65_521;
        high = (high + low) % 65_521;
    }
    zlib.extend_from_slice(&((high << 16) | low).to_be_bytes());
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &header);
    chunk(&mut png, b"IDAT", &zlib);
    chunk(&mut png, b"IEND", &[]);
    png
}
