//! Token dialects and roles (contract §0.1).

use nimchat_tests::{spawn_app, Auth};
use serde_json::{json, Value};

#[test]
fn every_user_token_dialect_is_accepted() {
    let app = spawn_app();
    let account = app.create_account();
    let token = account.agent.token.as_str();
    let user_id = account.agent.id.to_string();
    for auth in [
        Auth::Chatwoot(token),
        Auth::Bearer(token),
        Auth::RocketChat {
            token,
            user_id: &user_id,
        },
        Auth::Query(token),
    ] {
        let reply = app.call("GET", &account.path("/agents"), auth, None);
        assert_eq!(reply.status, 200, "{auth:?}: {}", reply.text);
    }
}

#[test]
fn the_platform_token_works_in_every_dialect() {
    let app = spawn_app();
    let token = app.platform_token.as_str();
    for auth in [Auth::Chatwoot(token), Auth::Bearer(token), Auth::Query(token)] {
        let reply = app.call(
            "POST",
            "/platform/api/v1/accounts",
            auth,
            Some(json!({"name": "Dialects"})),
        );
        assert_eq!(reply.status, 200, "{auth:?}: {}", reply.text);
    }
}

#[test]
fn rocket_chat_dialect_needs_the_matching_user_id() {
    let app = spawn_app();
    let account = app.create_account();
    let someone_else = account.admin.id.to_string();
    for user_id in [someone_else.as_str(), "", "abc"] {
        let auth = Auth::RocketChat {
            token: &account.agent.token,
            user_id,
        };
        let reply = app.call("GET", &account.path("/agents"), auth, None);
        assert_eq!(reply.status, 401, "X-User-Id {user_id:?}");
    }
}

#[test]
fn missing_or_unknown_tokens_are_401() {
    let app = spawn_app();
    let account = app.create_account();
    for auth in [
        Auth::Anonymous,
        Auth::Chatwoot("0123456789abcdef0123456789abcdef"),
        Auth::Bearer(""),
    ] {
        let reply = app.call("GET", &account.path("/inboxes"), auth, None);
        assert_eq!(reply.status, 401, "{auth:?}");
        assert_eq!(reply.body, json!({"error": "Invalid Access Token"}));
    }
}

#[test]
fn the_platform_token_is_not_a_user_token() {
    let app = spawn_app();
    let account = app.create_account();
    let reply = app.call(
        "GET",
        &account.path("/inboxes"),
        Auth::Chatwoot(&app.platform_token),
        None,
    );
    assert_eq!(reply.status, 401);
}

#[test]
fn an_agent_bot_token_cannot_administer_an_account() {
    let app = spawn_app();
    let account = app.create_account();
    let bot = app.platform("POST", "/agent_bots", Some(json!({"name": "Bot"})));
    let bot_token = bot.body["access_token"].as_str().unwrap();
    let reply = app.call("GET", &account.path("/inboxes"), Auth::Chatwoot(bot_token), None);
    assert_eq!(reply.status, 403);
    assert_eq!(reply.body, json!({"error": "You are not authorized to do this action"}));
}

#[test]
fn another_accounts_member_sees_nothing() {
    let app = spawn_app();
    let (mine, theirs) = (app.create_account(), app.create_account());
    let their_inbox = theirs.create_inbox(app, "Theirs");
    let paths = [
        theirs.path("/inboxes"),
        theirs.path(&format!("/inboxes/{}", their_inbox["id"])),
        theirs.path("/agents"),
        mine.path(&format!("/inboxes/{}", their_inbox["id"])),
        mine.path(&format!("/inbox_members/{}", their_inbox["id"])),
    ];
    for path in paths {
        let reply = app.call("GET", &path, mine.admin.auth(), None);
        assert_eq!(reply.status, 404, "{path}: {}", reply.text);
        assert_eq!(reply.body, json!({"error": "Resource could not be found"}));
    }
    let update = app.call(
        "PATCH",
        &mine.path(&format!("/inboxes/{}", their_inbox["id"])),
        mine.admin.auth(),
        Some(json!({"name": "Hijacked"})),
    );
    assert_eq!(update.status, 404);
    let still = app.call(
        "GET",
        &theirs.path(&format!("/inboxes/{}", their_inbox["id"])),
        theirs.admin.auth(),
        None,
    );
    assert_eq!(still.body["name"], "Theirs");
}

#[test]
fn an_agent_bot_works_only_its_inboxes_conversations() {
    let app = spawn_app();
    let account = app.create_account();
    let connect = |name: &str| {
        let inbox = account.create_inbox(app, name);
        let bot = app.platform("POST", "/agent_bots", Some(json!({"name": format!("{name} bot")})));
        let path = account.path(&format!("/inboxes/{}/set_agent_bot", inbox["id"]));
        let set = app.call(
            "POST",
            &path,
            account.admin.auth(),
            Some(json!({"agent_bot": bot.body["id"]})),
        );
        assert_eq!(set.status, 200, "{}", set.text);
        let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({"name": "Vic"}));
        (visitor.start_conversation(), bot.body)
    };
    let (mine, bot) = connect("Front");
    let (theirs, _) = connect("Back");
    let token = bot["access_token"].as_str().unwrap();
    let bot_call =
        |method: &str, path: &str, body: Option<Value>| app.call(method, &account.path(path), Auth::Query(token), body);

    let said = bot_call(
        "POST",
        &format!("/conversations/{mine}/messages"),
        Some(json!({"content": "Hi, I am the bot"})),
    );
    assert_eq!(said.status, 200, "{}", said.text);
    assert_eq!(said.body["sender"]["type"], "agent_bot");
    assert_eq!(said.body["sender"]["id"], bot["id"]);
    let resolved = bot_call(
        "POST",
        &format!("/conversations/{mine}/toggle_status"),
        Some(json!({"status": "resolved"})),
    );
    assert_eq!(resolved.status, 200, "{}", resolved.text);
    let shown = account.admin_call(app, "GET", &format!("/conversations/{mine}"), None);
    assert_eq!(shown.body["status"], "resolved");
    let activity = shown.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .any(|message| message["content"] == "Conversation was marked resolved by Front bot");
    assert!(activity, "{}", shown.text);

    // Another inbox's conversation does not exist for it; other routes are not its.
    for path in [
        format!("/conversations/{theirs}/messages"),
        format!("/conversations/{theirs}/toggle_status"),
    ] {
        let reply = bot_call("POST", &path, Some(json!({"content": "x", "status": "resolved"})));
        assert_eq!(reply.status, 404, "{path}: {}", reply.text);
    }
    let listed = account.admin_call(app, "GET", &format!("/conversations/{theirs}/messages"), None);
    assert!(!listed.text.contains("\"x\""), "nothing written: {}", listed.text);
    // Chatwoot's bot endpoints read its own conversations (contract 7.2); nothing else.
    for path in [
        format!("/conversations/{mine}"),
        format!("/conversations/{mine}/messages"),
    ] {
        assert_eq!(bot_call("GET", &path, None).status, 200, "GET {path}");
    }
    for (method, path) in [
        ("GET", "/conversations".to_string()),
        ("GET", "/inboxes".to_string()),
        ("POST", "/contacts".to_string()),
        ("DELETE", format!("/conversations/{mine}")),
    ] {
        assert_eq!(bot_call(method, &path, None).status, 403, "{method} {path}");
    }
}
