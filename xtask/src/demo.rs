//! The demo tenant of `cargo xtask run`: an account, an administrator, an agent and a
//! web-widget inbox, created through the Platform and Application APIs on first run and
//! reused afterwards.

use std::fs;

use serde_json::{json, Value};
use xtask::{local_edge, random_hex, Result};

use crate::demo_file;

/// A local secret (`PLATFORM_TOKEN`, `FILE_URL_SECRET`), kept in `edge/.dev.vars`
/// (git-ignored), made on first run.
pub fn local_secret(name: &str) -> Result<String> {
    local_var(name, random_hex()?)
}

/// A worker variable of `edge/.dev.vars` (which a bare `wrangler dev` reads too), set to
/// `first_value` unless it is there already; answers its value.
pub fn local_var(name: &str, first_value: String) -> Result<String> {
    let path = local_edge::edge_dir().join(".dev.vars");
    let text = fs::read_to_string(&path).unwrap_or_default();
    let prefix = format!("{name}=");
    if let Some(value) = text.lines().find_map(|line| line.strip_prefix(&prefix)) {
        return Ok(value.trim().trim_matches('"').to_string());
    }
    fs::write(&path, format!("{text}{name}={first_value}\n"))?;
    Ok(first_value)
}

/// The demo as saved, if its account still exists; otherwise a new one.
pub fn ensure(base_url: &str, platform_token: &str) -> Result<Value> {
    if let Ok(text) = fs::read_to_string(demo_file()) {
        let saved: Value = serde_json::from_str(&text)?;
        let account_url = format!("{base_url}/platform/api/v1/accounts/{}", saved["account_id"]);
        let found = ureq::get(&account_url)
            .header("api_access_token", platform_token)
            .call();
        if found.is_ok() {
            return Ok(saved);
        }
    }
    let demo = create(base_url, platform_token)?;
    fs::write(demo_file(), serde_json::to_string_pretty(&demo)?)?;
    Ok(demo)
}

fn post(url: &str, token: &str, body: Value) -> Result<Value> {
    Ok(ureq::post(url)
        .header("api_access_token", token)
        .send_json(body)?
        .body_mut()
        .read_json()?)
}

fn create(base_url: &str, platform_token: &str) -> Result<Value> {
    let platform = format!("{base_url}/platform/api/v1");
    let account = post(
        &format!("{platform}/accounts"),
        platform_token,
        json!({"name": "Demo Company"}),
    )?;
    let account_id = &account["id"];
    let mut people = Vec::new();
    for (name, email, role) in [
        ("Ada Admin", "admin@demo.nimchat.test", "administrator"),
        ("Alan Agent", "agent@demo.nimchat.test", "agent"),
    ] {
        let password = format!("Demo-{}!", &random_hex()?[..12]);
        let user = post(
            &format!("{platform}/users"),
            platform_token,
            json!({"name": name, "email": email, "password": password}),
        )?;
        post(
            &format!("{platform}/accounts/{account_id}/account_users"),
            platform_token,
            json!({"user_id": user["id"], "role": role}),
        )?;
        people.push(
            json!({"id": user["id"], "email": email, "password": password, "access_token": user["access_token"]}),
        );
    }
    let admin_token = people[0]["access_token"].as_str().unwrap_or_default().to_string();
    let application = format!("{base_url}/api/v1/accounts/{account_id}");
    let inbox = post(
        &format!("{application}/inboxes"),
        &admin_token,
        json!({"name": "Demo website", "channel": {
            "type": "web_widget", "website_url": base_url, "widget_color": "#1f6feb",
            "welcome_title": "Hi there!", "welcome_tagline": "Ask us anything. We usually reply in a few minutes."
        }}),
    )?;
    post(
        &format!("{application}/inbox_members"),
        &admin_token,
        json!({"inbox_id": inbox["id"], "user_ids": [people[0]["id"], people[1]["id"]]}),
    )?;
    // Available, and (auto_offline) online while their console is open: the widget says "We
    // are online" exactly then.
    for person in &people {
        post(
            &format!("{base_url}/api/v1/profile/availability"),
            person["access_token"].as_str().unwrap_or_default(),
            json!({"profile": {"availability": "available", "account_id": account_id}}),
        )?;
    }
    Ok(json!({
        "account_id": account_id,
        "inbox_id": inbox["id"],
        "inbox_identifier": inbox["inbox_identifier"],
        "administrator": people[0],
        "agent": people[1],
    }))
}

/// Serves the demo page with the demo inbox in its embed snippet.
pub fn publish_page(demo: &Value) -> Result<()> {
    local_edge::publish_page("index.html", demo["inbox_identifier"].as_str().unwrap_or_default())
}

pub fn print(base_url: &str, platform_token: &str, demo: &Value) {
    let person = |key: &str| {
        format!(
            "{} / {} (access token {})",
            demo[key]["email"].as_str().unwrap_or_default(),
            demo[key]["password"].as_str().unwrap_or_default(),
            demo[key]["access_token"].as_str().unwrap_or_default()
        )
    };
    println!(
        "\nnimchat is running.\n\
         \n  Agents' console:  {base_url}/app/  (sign in as the administrator below)\
         \n  Demo page:        {base_url}/\
         \n  Platform token:   {platform_token}\
         \n  Account id:       {}\
         \n  Inbox identifier: {}\
         \n  Administrator:    {}\
         \n  Agent:            {}\
         \n\nData is kept in edge/.wrangler/. Press Ctrl-C to stop.\n",
        demo["account_id"],
        demo["inbox_identifier"].as_str().unwrap_or_default(),
        person("administrator"),
        person("agent"),
    );
}
