//! Token dialects and roles (contract §0.1).

use nimchat_tests::{spawn_app, Auth};
use serde_json::json;

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
