//! Platform API (contract §1).

use nimchat_tests::{spawn_app, unique, Auth};
use serde_json::json;

/// Every Platform route, with ids that exist.
fn routes(account: i64, user: i64, bot: i64) -> Vec<(&'static str, String)> {
    vec![
        ("POST", "/accounts".into()),
        ("GET", format!("/accounts/{account}")),
        ("PATCH", format!("/accounts/{account}")),
        ("DELETE", format!("/accounts/{account}")),
        ("GET", format!("/accounts/{account}/account_users")),
        ("POST", format!("/accounts/{account}/account_users")),
        ("DELETE", format!("/accounts/{account}/account_users")),
        ("POST", "/users".into()),
        ("GET", format!("/users/{user}")),
        ("PATCH", format!("/users/{user}")),
        ("DELETE", format!("/users/{user}")),
        ("GET", "/agent_bots".into()),
        ("POST", "/agent_bots".into()),
        ("GET", format!("/agent_bots/{bot}")),
        ("PATCH", format!("/agent_bots/{bot}")),
        ("DELETE", format!("/agent_bots/{bot}")),
    ]
}

#[test]
fn every_route_needs_the_platform_token() {
    let app = spawn_app();
    let account = app.create_account();
    let bot = app.platform("POST", "/agent_bots", Some(json!({"name": "Bot"})));
    let bot_id = bot.body["id"].as_i64().unwrap();
    let someone_else = account.admin.token.clone();
    for (method, path) in routes(account.id, account.admin.id, bot_id) {
        let path = format!("/platform/api/v1{path}");
        for auth in [
            Auth::Anonymous,
            Auth::Chatwoot("not-the-token"),
            Auth::Chatwoot(&someone_else),
        ] {
            let reply = app.call(method, &path, auth, Some(json!({"name": "x"})));
            assert_eq!(reply.status, 401, "{method} {path} with {auth:?}: {}", reply.text);
            assert_eq!(reply.body, json!({"error": "Invalid Access Token"}));
        }
    }
    // Nothing was changed by the refused calls.
    let still_there = app.platform("GET", &format!("/accounts/{}", account.id), None);
    assert_eq!(still_there.status, 200);
    assert_ne!(still_there.body["name"], "x");
}

#[test]
fn unknown_ids_are_404_on_every_route_that_takes_one() {
    let app = spawn_app();
    for (method, path) in routes(999_999, 999_999, 999_999) {
        if !path.contains("999999") {
            continue;
        }
        let body = json!({"name": "x", "user_id": 1, "role": "agent"});
        let reply = app.platform(method, &path, Some(body));
        assert_eq!(reply.status, 404, "{method} {path}: {}", reply.text);
        assert_eq!(reply.body, json!({"error": "Resource could not be found"}));
    }
}

#[test]
fn accounts_are_created_read_updated_and_deleted() {
    let app = spawn_app();
    let created = app.platform("POST", "/accounts", Some(json!({"name": "Acme"})));
    assert_eq!(created.status, 200, "{}", created.text);
    assert_eq!(created.body["name"], "Acme");
    let id = created.body["id"].as_i64().expect("numeric id");
    let path = format!("/accounts/{id}");

    assert_eq!(app.platform("GET", &path, None).body["name"], "Acme");
    let updated = app.platform("PATCH", &path, Some(json!({"name": "Acme Inc", "locale": ""})));
    assert_eq!(updated.status, 200);
    assert_eq!(updated.body["name"], "Acme Inc");
    assert_eq!(updated.body["locale"], "en", "blank fields leave values unchanged");

    assert_eq!(app.platform("DELETE", &path, None).status, 200);
    assert_eq!(app.platform("GET", &path, None).status, 404);
    assert_eq!(app.platform("DELETE", &path, None).status, 404);
}

#[test]
fn an_account_needs_a_name() {
    let app = spawn_app();
    for body in [json!({}), json!({"name": ""}), json!({"name": null})] {
        let reply = app.platform("POST", "/accounts", Some(body));
        assert_eq!(reply.status, 422);
        assert_eq!(reply.body["attributes"], json!(["name"]));
        assert_eq!(reply.body["message"], "Name can't be blank");
    }
    let wrong_type = app.platform("POST", "/accounts", Some(json!({"name": ["Acme"]})));
    assert_eq!(wrong_type.status, 422);
    assert_eq!(wrong_type.body["attributes"], json!(["name"]));
}

#[test]
fn users_are_created_with_a_token_and_their_accounts() {
    let app = spawn_app();
    let account = app.create_account();
    let reply = app.platform("GET", &format!("/users/{}", account.admin.id), None);
    assert_eq!(reply.status, 200, "{}", reply.text);
    let user = &reply.body;
    assert_eq!(user["email"], account.admin.email.as_str());
    assert_eq!(user["access_token"], account.admin.token.as_str());
    assert_eq!(
        user["accounts"],
        json!([{"id": account.id, "name": user["accounts"][0]["name"], "role": "administrator"}])
    );
    assert_eq!(user["role"], "administrator");
    assert!(user.get("password").is_none() && user.get("password_hash").is_none());
    assert!(account.admin.token.len() >= 32, "tokens carry at least 128 bits");
}

#[test]
fn user_passwords_must_be_strong() {
    let app = spawn_app();
    for weak in [
        "short1!",
        "alllowercase1!",
        "ALLUPPERCASE1!",
        "NoDigitsHere!",
        "NoSpecial123",
    ] {
        let email = format!("weak-{}@example.test", unique());
        let reply = app.platform(
            "POST",
            "/users",
            Some(json!({"name": "W", "email": email, "password": weak})),
        );
        assert_eq!(reply.status, 422, "{weak}: {}", reply.text);
        assert_eq!(reply.body["attributes"], json!(["password"]));
    }
}

#[test]
fn users_need_a_name_a_valid_email_and_a_free_email() {
    let app = spawn_app();
    let email = format!("taken-{}@example.test", unique());
    let ok = json!({"name": "N", "email": email, "password": "Passw0rd!"});
    assert_eq!(app.platform("POST", "/users", Some(ok)).status, 200);
    for (body, field) in [
        (
            json!({"email": format!("a-{}@example.test", unique()), "password": "Passw0rd!"}),
            "name",
        ),
        (
            json!({"name": "N", "email": "not-an-email", "password": "Passw0rd!"}),
            "email",
        ),
        (
            json!({"name": "N", "email": email.to_uppercase(), "password": "Passw0rd!"}),
            "email",
        ),
        (
            json!({"name": "N", "email": format!("b-{}@example.test", unique())}),
            "password",
        ),
    ] {
        let reply = app.platform("POST", "/users", Some(body.clone()));
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.body["attributes"], json!([field]), "{body}");
    }
}

#[test]
fn users_are_updated_and_deleted_with_their_tokens() {
    let app = spawn_app();
    let account = app.create_account();
    let path = format!("/users/{}", account.agent.id);
    let updated = app.platform(
        "PATCH",
        &path,
        Some(json!({"name": "Grace", "display_name": "G.", "custom_attributes": {"team": "blue"}})),
    );
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.body["name"], "Grace");
    assert_eq!(updated.body["available_name"], "G.");
    assert_eq!(updated.body["custom_attributes"], json!({"team": "blue"}));
    let weak = app.platform("PATCH", &path, Some(json!({"password": "weak"})));
    assert_eq!(weak.status, 422);

    assert_eq!(app.platform("DELETE", &path, None).status, 200);
    assert_eq!(app.platform("GET", &path, None).status, 404);
    let with_old_token = app.call("GET", &account.path("/agents"), account.agent.auth(), None);
    assert_eq!(with_old_token.status, 401, "a deleted user's token is dead");
}

#[test]
fn account_users_are_listed_added_and_removed() {
    let app = spawn_app();
    let account = app.create_account();
    let newcomer = app.create_user("Newcomer");
    let path = format!("/accounts/{}/account_users", account.id);

    let added = app.platform("POST", &path, Some(json!({"user_id": newcomer.id, "role": "agent"})));
    assert_eq!(added.status, 200, "{}", added.text);
    assert_eq!(
        added.body,
        json!({"account_id": account.id, "user_id": newcomer.id, "role": "agent"})
    );
    let listed = app.platform("GET", &path, None);
    let ids: Vec<i64> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["user_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [account.admin.id, account.agent.id, newcomer.id]);

    let promoted = app.platform(
        "POST",
        &path,
        Some(json!({"user_id": newcomer.id, "role": "administrator"})),
    );
    assert_eq!(promoted.body["role"], "administrator");

    let bad_role = app.platform("POST", &path, Some(json!({"user_id": newcomer.id, "role": "owner"})));
    assert_eq!(
        (bad_role.status, bad_role.body["attributes"].clone()),
        (422, json!(["role"]))
    );
    let no_user = app.platform("POST", &path, Some(json!({"role": "agent"})));
    assert_eq!(
        (no_user.status, no_user.body["attributes"].clone()),
        (422, json!(["user_id"]))
    );
    let unknown_user = app.platform("POST", &path, Some(json!({"user_id": 999_999, "role": "agent"})));
    assert_eq!(unknown_user.status, 404);

    let removed = app.platform("DELETE", &path, Some(json!({"user_id": newcomer.id})));
    assert_eq!(removed.status, 200);
    assert_eq!(
        app.platform("DELETE", &path, Some(json!({"user_id": newcomer.id})))
            .status,
        404
    );
    let agents = app.call("GET", &account.path("/agents"), newcomer.auth(), None);
    assert_eq!(agents.status, 404, "a removed member no longer sees the account");
}

#[test]
fn agent_bots_are_managed_and_carry_a_token() {
    let app = spawn_app();
    let created = app.platform(
        "POST",
        "/agent_bots",
        Some(json!({"name": "Triage bot", "description": "Sorts", "outgoing_url": "https://bot.example/hook"})),
    );
    assert_eq!(created.status, 200, "{}", created.text);
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(created.body["account_id"], json!(null));
    assert!(created.body["access_token"].as_str().unwrap().len() >= 32);
    let path = format!("/agent_bots/{id}");

    let listed = app.platform("GET", "/agent_bots", None);
    assert!(listed.body.as_array().unwrap().iter().any(|bot| bot["id"] == id));
    assert_eq!(app.platform("GET", &path, None).body["name"], "Triage bot");
    let renamed = app.platform("PATCH", &path, Some(json!({"name": "Router bot"})));
    assert_eq!(
        (renamed.body["name"].clone(), renamed.body["description"].clone()),
        (json!("Router bot"), json!("Sorts"))
    );

    for (body, field) in [
        (json!({"description": "no name"}), "name"),
        (
            json!({"name": "b", "outgoing_url": "ftp://bot.example"}),
            "outgoing_url",
        ),
    ] {
        let reply = app.platform("POST", "/agent_bots", Some(body));
        assert_eq!((reply.status, reply.body["attributes"].clone()), (422, json!([field])));
    }
    assert_eq!(app.platform("DELETE", &path, None).status, 200);
    assert_eq!(app.platform("GET", &path, None).status, 404);
}

#[test]
fn deleting_an_account_removes_what_it_owns() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox(app, "Doomed");
    assert_eq!(
        app.platform("DELETE", &format!("/accounts/{}", account.id), None)
            .status,
        200
    );
    let inbox_path = account.path(&format!("/inboxes/{}", inbox["id"]));
    assert_eq!(app.call("GET", &inbox_path, account.admin.auth(), None).status, 404);
    // The users survive (they may belong to other accounts) but lose the membership.
    let user = app.platform("GET", &format!("/users/{}", account.admin.id), None);
    assert_eq!(user.status, 200);
    assert_eq!(user.body["accounts"], json!([]));
}
