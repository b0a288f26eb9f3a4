//! The fuzzing gate (issue 15): Schemathesis against the running edge, over the operations
//! of Chatwoot's description that nimchat implements and over nimchat's own routes
//! (`edge/openapi.json`), valid and invalid requests alike: no answer may be a 5xx. Before
//! it, every operation of nimchat's own description is checked against the routes.

use std::process::Command;
use std::sync::OnceLock;

use nimchat_tests::{spawn_app, unique, Auth, Multipart, TestAccount, TestApp};
use serde_json::{json, Value};
use xtask::{root, tools};

/// Seconds each description may take; the gate stays near five minutes.
const BUDGET_SECONDS: u64 = 120;

/// The objects the fuzzer's ids name, as the variables `schemathesis.toml` reads.
struct Fixtures {
    variables: Vec<(&'static str, String)>,
    account: TestAccount,
}

impl Fixtures {
    fn get(&self, name: &str) -> &str {
        self.variables
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
            .unwrap_or_else(|| panic!("no fixture {name}"))
    }
}

fn fixtures() -> &'static Fixtures {
    static FIXTURES: OnceLock<Fixtures> = OnceLock::new();
    FIXTURES.get_or_init(|| create(spawn_app()))
}

fn id(value: &Value) -> String {
    value["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {value}"))
        .to_string()
}

fn created(app: &TestApp, account: &TestAccount, path: &str, body: Value) -> Value {
    let reply = account.admin_call(app, "POST", path, Some(body));
    assert_eq!(reply.status, 200, "POST {path}: {}", reply.text);
    reply.body
}

fn platform_created(app: &TestApp, path: &str, body: Value) -> Value {
    let reply = app.platform("POST", path, Some(body));
    assert_eq!(reply.status, 200, "POST {path}: {}", reply.text);
    reply.body
}

fn create(app: &TestApp) -> Fixtures {
    let account = app.create_account();
    let inbox = account.create_inbox(app, "Fuzzed");
    let identifier = inbox["inbox_identifier"].as_str().unwrap().to_string();
    let visitor = app.visitor(&identifier, json!({"name": "Fuzz Visitor"}));
    let conversation = visitor.start_conversation();
    let message = visitor.say(conversation, "Hello from the fuzzer's visitor");
    let spare_conversation = visitor.start_conversation();
    let shown = account.admin_call(app, "GET", &format!("/conversations/{conversation}"), None);
    let uuid = shown.body["uuid"].as_str().unwrap_or_default().to_string();
    // Each kind the fuzzer deletes has a spare, so that the others keep their fixture.
    let team = || account.create_team(app, &format!("Fuzz {}", unique()), false);
    let filter = || {
        created(
            app,
            &account,
            "/custom_filters",
            json!({"name": format!("Open {}", unique()), "type": "conversation",
                   "query": {"payload": [{"attribute_key": "status", "filter_operator": "equal_to",
                                          "values": ["open"]}]}}),
        )
    };
    let canned = || {
        created(
            app,
            &account,
            "/canned_responses",
            json!({"short_code": format!("fuzz{}", unique()), "content": "Thanks!"}),
        )
    };
    let attribute = || {
        let key = format!("plan_{}", unique().replace('-', "_"));
        created(
            app,
            &account,
            "/custom_attribute_definitions",
            json!({"attribute_display_name": key, "attribute_key": key,
                   "attribute_display_type": "text", "attribute_model": 1}),
        )
    };
    let spare_contact = created(
        app,
        &account,
        "/contacts",
        json!({"name": "Spare", "inbox_id": inbox["id"]}),
    );
    let spare_account = platform_created(app, "/accounts", json!({"name": "Spare account"}));
    let spare_user = platform_created(
        app,
        "/users",
        json!({"name": "Spare", "email": format!("spare-{}@example.test", unique()), "password": "Secret123!"}),
    );
    let bot = platform_created(
        app,
        "/agent_bots",
        json!({"name": "Fuzz bot", "outgoing_url": "https://bot.example/hook"}),
    );
    let spare_agent = account.add_agent(app, "Spare Agent", "online");
    let account_bot = || {
        created(
            app,
            &account,
            "/agent_bots",
            json!({"name": "Fuzz account bot", "outgoing_url": "https://bot.example/hook"}),
        )
    };
    let rule = || {
        created(
            app,
            &account,
            "/automation_rules",
            json!({"name": "Fuzz rule", "event_name": "message_created",
                   "conditions": [{"attribute_key": "content", "filter_operator": "contains", "values": ["fuzz-never"]}],
                   "actions": [{"action_name": "add_label", "action_params": ["fuzzed"]}]}),
        )["payload"]
            .clone()
    };
    let portal_slug = format!(
        "fuzz-{}",
        unique()
            .to_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "")
    );
    created(
        app,
        &account,
        "/portals",
        json!({"name": "Fuzzed help", "slug": portal_slug}),
    );
    let category = created(
        app,
        &account,
        &format!("/portals/{portal_slug}/categories"),
        json!({"name": "Start", "slug": "start"}),
    );
    let article = created(
        app,
        &account,
        &format!("/portals/{portal_slug}/articles"),
        json!({"title": "Getting started", "status": "published", "category_id": category["id"]}),
    );
    let webhook = || {
        created(
            app,
            &account,
            "/webhooks",
            json!({"url": format!("https://hooks.example/{}", unique()), "subscriptions": ["contact_created"]}),
        )
    };
    let variables = vec![
        ("NIMCHAT_FUZZ_USER_TOKEN", account.admin.token.clone()),
        ("NIMCHAT_FUZZ_PLATFORM_TOKEN", app.platform_token.clone()),
        ("NIMCHAT_FUZZ_ACCOUNT_ID", account.id.to_string()),
        ("NIMCHAT_FUZZ_INBOX_ID", id(&inbox)),
        ("NIMCHAT_FUZZ_INBOX_IDENTIFIER", identifier),
        ("NIMCHAT_FUZZ_SOURCE_ID", visitor.source_id.clone()),
        ("NIMCHAT_FUZZ_CONTACT_ID", visitor.contact_id.to_string()),
        ("NIMCHAT_FUZZ_CONVERSATION_ID", conversation.to_string()),
        ("NIMCHAT_FUZZ_SPARE_CONVERSATION_ID", spare_conversation.to_string()),
        ("NIMCHAT_FUZZ_CONVERSATION_UUID", uuid),
        ("NIMCHAT_FUZZ_MESSAGE_ID", id(&message.body)),
        ("NIMCHAT_FUZZ_TEAM_ID", id(&team())),
        ("NIMCHAT_FUZZ_SPARE_TEAM_ID", id(&team())),
        ("NIMCHAT_FUZZ_CUSTOM_FILTER_ID", id(&filter())),
        ("NIMCHAT_FUZZ_SPARE_CUSTOM_FILTER_ID", id(&filter())),
        ("NIMCHAT_FUZZ_CANNED_RESPONSE_ID", id(&canned())),
        ("NIMCHAT_FUZZ_SPARE_CANNED_RESPONSE_ID", id(&canned())),
        ("NIMCHAT_FUZZ_ATTRIBUTE_ID", id(&attribute())),
        ("NIMCHAT_FUZZ_SPARE_ATTRIBUTE_ID", id(&attribute())),
        (
            "NIMCHAT_FUZZ_SPARE_CONTACT_ID",
            id(&spare_contact["payload"]["contact"]),
        ),
        ("NIMCHAT_FUZZ_SPARE_ACCOUNT_ID", id(&spare_account)),
        ("NIMCHAT_FUZZ_SPARE_USER_ID", id(&spare_user)),
        ("NIMCHAT_FUZZ_PLATFORM_BOT_ID", id(&bot)),
        ("NIMCHAT_FUZZ_SPARE_AGENT_ID", spare_agent.to_string()),
        ("NIMCHAT_FUZZ_WEBHOOK_ID", id(&webhook())),
        ("NIMCHAT_FUZZ_ACCOUNT_BOT_ID", id(&account_bot())),
        ("NIMCHAT_FUZZ_RULE_ID", id(&rule())),
        ("NIMCHAT_FUZZ_PORTAL_SLUG", portal_slug.clone()),
        ("NIMCHAT_FUZZ_CATEGORY_ID", id(&category)),
        ("NIMCHAT_FUZZ_ARTICLE_ID", id(&article)),
        (
            "NIMCHAT_FUZZ_ARTICLE_SLUG",
            article["slug"].as_str().unwrap_or_default().to_string(),
        ),
        ("NIMCHAT_FUZZ_SPARE_RULE_ID", id(&rule())),
        ("NIMCHAT_FUZZ_SPARE_ACCOUNT_BOT_ID", id(&account_bot())),
        ("NIMCHAT_FUZZ_SPARE_WEBHOOK_ID", id(&webhook())),
        ("NIMCHAT_FUZZ_SPARE_HOOK_ID", id(&webhook())),
    ];
    Fixtures { variables, account }
}

/// The `st` command, installed once for the whole process (the tests run in parallel, and two
/// installs at once would remove each other's files).
fn schemathesis_command() -> &'static std::path::PathBuf {
    static ST: OnceLock<std::path::PathBuf> = OnceLock::new();
    ST.get_or_init(|| {
        tools::ensure_schemathesis().unwrap_or_else(|error| panic!("cannot install schemathesis: {error}"))
    })
}

/// Runs Schemathesis over one description; answers whether it found nothing and its output.
fn schemathesis(description: &str) -> (bool, String) {
    let app = spawn_app();
    let st = schemathesis_command();
    let output = Command::new(st)
        .current_dir(root())
        .arg("--config-file")
        .arg(root().join("tests/fuzz/schemathesis.toml"))
        .args(["--no-color", "run", description, "--url", &app.base_url])
        .args(["--max-time", &BUDGET_SECONDS.to_string(), "--seed", "15"])
        .envs(fixtures().variables.iter().map(|(key, value)| (*key, value)))
        .output()
        .expect("schemathesis runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// A value for each path or required query parameter of `edge/openapi.json`, naming objects
/// that exist, so that a routed operation never answers 404.
fn argument(name: &str, fixtures: &Fixtures, file: &[String]) -> String {
    let app = spawn_app();
    match name {
        "account_id" => fixtures.get("NIMCHAT_FUZZ_ACCOUNT_ID").into(),
        "service" => "livechat".into(),
        "service_id" | "contact_identifier" => fixtures.get("NIMCHAT_FUZZ_SOURCE_ID").into(),
        "inbox_identifier" => fixtures.get("NIMCHAT_FUZZ_INBOX_IDENTIFIER").into(),
        "contact_id" => fixtures.get("NIMCHAT_FUZZ_CONTACT_ID").into(),
        "chatSessionId" | "conversation_id" | "roomId" => fixtures.get("NIMCHAT_FUZZ_CONVERSATION_ID").into(),
        "toAssociate" => fixtures.get("NIMCHAT_FUZZ_SPARE_AGENT_ID").into(),
        "webhook_id" => fixtures.get("NIMCHAT_FUZZ_WEBHOOK_ID").into(),
        "portal_slug" => fixtures.get("NIMCHAT_FUZZ_PORTAL_SLUG").into(),
        "category_id" => fixtures.get("NIMCHAT_FUZZ_CATEGORY_ID").into(),
        "article_id" => fixtures.get("NIMCHAT_FUZZ_ARTICLE_ID").into(),
        "article_slug" => fixtures.get("NIMCHAT_FUZZ_ARTICLE_SLUG").into(),
        "locale" => "en".into(),
        "spare_conversation_id" => {
            let identifier = fixtures.get("NIMCHAT_FUZZ_INBOX_IDENTIFIER");
            app.visitor(identifier, json!({"name": "Routed"}))
                .start_conversation()
                .to_string()
        }
        "account" => file[0].clone(),
        "object" => file[1].clone(),
        "file_name" => file[2].clone(),
        other => panic!("edge/openapi.json has a parameter {other} this check cannot fill"),
    }
}

#[test]
fn every_operation_of_nimchats_description_is_routed() {
    let app = spawn_app();
    let fixtures = fixtures();
    let account = &fixtures.account;
    let conversation = fixtures.get("NIMCHAT_FUZZ_CONVERSATION_ID");
    // A stored file, for the files route.
    let sent = app.send(
        "POST",
        &account.path(&format!("/conversations/{conversation}/messages")),
        account.admin.auth(),
        Some(
            Multipart::new()
                .file("attachments[]", "routed.txt", "text/plain", b"routed")
                .finish(),
        ),
        &Multipart::content_type(),
    );
    assert_eq!(sent.status, 200, "{}", sent.text);
    let link = sent.body["attachments"][0]["data_url"].as_str().unwrap();
    let file: Vec<String> = link
        .split_once("/files/")
        .unwrap()
        .1
        .split('?')
        .next()
        .unwrap()
        .split('/')
        .map(String::from)
        .collect();

    let description: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("edge/openapi.json")).unwrap()).unwrap();
    let shared = &description["components"]["parameters"];
    let mut checked = 0;
    for (template, item) in description["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if method == "parameters" {
                continue;
            }
            let parameters = item["parameters"]
                .as_array()
                .into_iter()
                .chain(operation["parameters"].as_array())
                .flatten()
                .map(|parameter| match parameter["$ref"].as_str() {
                    Some(reference) => &shared[reference.rsplit('/').next().unwrap()],
                    None => parameter,
                });
            let mut path = template.clone();
            let mut query = Vec::new();
            for parameter in parameters {
                let name = parameter["name"].as_str().unwrap();
                match parameter["in"].as_str().unwrap() {
                    "path" => path = path.replace(&format!("{{{name}}}"), &argument(name, fixtures, &file)),
                    "query" if parameter["required"] == true => {
                        query.push(format!("{name}={}", argument(name, fixtures, &file)))
                    }
                    _ => {}
                }
            }
            if !query.is_empty() {
                path = format!("{path}?{}", query.join("&"));
            }
            let content = &operation["requestBody"]["content"];
            let (body, content_type) = if content.get("application/json").is_some() {
                (Some(b"{}".to_vec()), "application/json".to_string())
            } else if content.get("multipart/form-data").is_some() {
                (
                    Some(Multipart::new().text("content", "routed").finish()),
                    Multipart::content_type(),
                )
            } else {
                (None, "application/json".to_string())
            };
            let method = method.to_uppercase();
            let token = match template.starts_with("/platform/") {
                true => &app.platform_token,
                false => &account.admin.token,
            };
            let reply = app.send(&method, &path, Auth::Chatwoot(token), body, &content_type);
            let documented = operation["responses"].get(reply.status.to_string()).is_some();
            assert!(
                reply.status != 404 && documented,
                "{method} {template} answered {} (documented: {}): {}",
                reply.status,
                operation["responses"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
                reply.text
            );
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} operations checked");
}

#[test]
fn chatwoots_operations_never_answer_a_server_error() {
    let (passed, output) = schemathesis("tests/fuzz/chatwoot-swagger.json");
    println!("{output}");
    assert!(passed, "Schemathesis found failures in Chatwoot's operations (above)");
}

#[test]
fn nimchats_own_operations_never_answer_a_server_error() {
    let (passed, output) = schemathesis("edge/openapi.json");
    println!("{output}");
    assert!(
        passed,
        "Schemathesis found failures in nimchat's own operations (above)"
    );
}
