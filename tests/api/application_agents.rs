//! Application API: agents (contract §2, seed "Agents").

use nimchat_tests::{spawn_app, unique, Auth};
use serde_json::{json, Value};

fn find(list: &Value, id: i64) -> Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|agent| agent["id"] == id)
        .cloned()
        .unwrap_or(Value::Null)
}

#[test]
fn every_member_may_list_the_agents() {
    let app = spawn_app();
    let account = app.create_account();
    for user in [&account.admin, &account.agent] {
        let reply = app.call("GET", &account.path("/agents"), user.auth(), None);
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.body.as_array().unwrap().len(), 2);
    }
    let list = app
        .call("GET", &account.path("/agents"), account.agent.auth(), None)
        .body;
    let admin = find(&list, account.admin.id);
    assert_eq!(admin["role"], "administrator");
    assert_eq!(admin["email"], account.admin.email.as_str());
    assert_eq!(admin["account_id"], account.id);
    assert_eq!(admin["availability_status"], "offline");
    assert_eq!(admin["auto_offline"], true);
    assert!(admin.get("access_token").is_none(), "no one's token is listed");
    assert_eq!(find(&list, account.agent.id)["role"], "agent");
}

#[test]
fn an_administrator_adds_agents_new_or_existing() {
    let app = spawn_app();
    let account = app.create_account();
    let email = format!("new-{}@example.test", unique());
    let reply = app.call(
        "POST",
        &account.path("/agents"),
        account.admin.auth(),
        Some(json!({"name": "Nia New", "email": email, "role": "agent", "availability_status": "available", "auto_offline": false})),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["name"], "Nia New");
    assert_eq!(reply.body["role"], "agent");
    assert_eq!(reply.body["availability_status"], "available");
    assert_eq!(reply.body["auto_offline"], false);

    let elsewhere = app.create_account();
    let joined = app.call(
        "POST",
        &account.path("/agents"),
        account.admin.auth(),
        Some(json!({"name": "ignored", "email": elsewhere.agent.email, "role": "administrator"})),
    );
    assert_eq!(joined.status, 200, "{}", joined.text);
    assert_eq!(
        joined.body["id"], elsewhere.agent.id,
        "an existing user joins instead of being duplicated"
    );
    assert_eq!(joined.body["role"], "administrator");

    let list = app
        .call("GET", &account.path("/agents"), account.admin.auth(), None)
        .body;
    assert_eq!(list.as_array().unwrap().len(), 4);
    let duplicate = app.call(
        "POST",
        &account.path("/agents"),
        account.admin.auth(),
        Some(json!({"name": "Again", "email": email.to_uppercase(), "role": "agent"})),
    );
    assert_eq!(
        (duplicate.status, duplicate.body["attributes"].clone()),
        (422, json!(["email"]))
    );
}

#[test]
fn invalid_agents_are_422_and_nothing_is_created() {
    let app = spawn_app();
    let account = app.create_account();
    let email = || format!("bad-{}@example.test", unique());
    for (body, field) in [
        (json!({"email": email(), "role": "agent"}), "name"),
        (json!({"name": "N", "role": "agent"}), "email"),
        (json!({"name": "N", "email": "nope", "role": "agent"}), "email"),
        (json!({"name": "N", "email": email()}), "role"),
        (json!({"name": "N", "email": email(), "role": "owner"}), "role"),
        (
            json!({"name": "N", "email": email(), "role": "agent", "availability_status": "asleep"}),
            "availability_status",
        ),
        (
            json!({"name": "N", "email": email(), "role": "agent", "auto_offline": "no"}),
            "auto_offline",
        ),
    ] {
        let reply = app.call(
            "POST",
            &account.path("/agents"),
            account.admin.auth(),
            Some(body.clone()),
        );
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.body["attributes"], json!([field]), "{body}");
    }
    let list = app
        .call("GET", &account.path("/agents"), account.admin.auth(), None)
        .body;
    assert_eq!(list.as_array().unwrap().len(), 2);
}

#[test]
fn an_administrator_updates_role_and_availability() {
    let app = spawn_app();
    let account = app.create_account();
    let path = account.path(&format!("/agents/{}", account.agent.id));
    let admin = account.admin.auth();

    let reply = app.call(
        "PATCH",
        &path,
        admin,
        Some(json!({"role": "administrator", "availability": "online", "auto_offline": false})),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["role"], "administrator");
    assert_eq!(
        reply.body["availability_status"], "available",
        "online is a synonym of available"
    );
    assert_eq!(reply.body["auto_offline"], false);

    let busy = app.call("PATCH", &path, admin, Some(json!({"availability": "busy"})));
    assert_eq!(
        (busy.body["availability_status"].clone(), busy.body["role"].clone()),
        (json!("busy"), json!("administrator"))
    );
    for body in [
        json!({"availability": "away"}),
        json!({"role": "root"}),
        json!({"auto_offline": 0}),
    ] {
        assert_eq!(
            app.call("PATCH", &path, admin, Some(body.clone())).status,
            422,
            "{body}"
        );
    }
    let unknown = app.call(
        "PATCH",
        &account.path("/agents/999999"),
        admin,
        Some(json!({"role": "agent"})),
    );
    assert_eq!(unknown.status, 404);
    let other = app.create_account();
    let foreign = app.call(
        "PATCH",
        &account.path(&format!("/agents/{}", other.agent.id)),
        admin,
        Some(json!({"role": "agent"})),
    );
    assert_eq!(foreign.status, 404, "another account's agent is not found");
}

#[test]
fn agents_may_not_manage_agents() {
    let app = spawn_app();
    let account = app.create_account();
    let agent = account.agent.auth();
    let target = account.path(&format!("/agents/{}", account.admin.id));
    for (method, path, body) in [
        (
            "POST",
            account.path("/agents"),
            json!({"name": "N", "email": format!("x-{}@example.test", unique()), "role": "agent"}),
        ),
        ("PATCH", target.clone(), json!({"role": "agent"})),
        ("DELETE", target, json!({})),
    ] {
        let reply = app.call(method, &path, agent, Some(body));
        assert_eq!(reply.status, 403, "{method} {path}: {}", reply.text);
    }
    let list = app
        .call("GET", &account.path("/agents"), account.admin.auth(), None)
        .body;
    assert_eq!(find(&list, account.admin.id)["role"], "administrator");
}

#[test]
fn removing_an_agent_removes_their_memberships_and_hands_back_their_conversations() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox(app, "Support");
    account.add_inbox_members(app, &inbox, &[account.agent.id]);
    let team = account.admin_call(app, "POST", "/teams", Some(json!({"name": "Front line"})));
    let team_members = format!("/teams/{}/team_members", team.body["id"]);
    let joined = account.admin_call(
        app,
        "POST",
        &team_members,
        Some(json!({"user_ids": [account.agent.id]})),
    );
    assert_eq!(joined.status, 200, "{}", joined.text);
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({"name": "Vera"}));
    let conversation = visitor.start_conversation();
    account.assign_to_agent(app, conversation);

    let path = account.path(&format!("/agents/{}", account.agent.id));
    assert_eq!(app.call("DELETE", &path, account.admin.auth(), None).status, 200);
    assert_eq!(app.call("DELETE", &path, account.admin.auth(), None).status, 404);
    let left = app.call(
        "GET",
        &account.path(&format!("/inbox_members/{}", inbox["id"])),
        account.admin.auth(),
        None,
    );
    assert_eq!(left.body["payload"], json!([]));
    let list = app
        .call("GET", &account.path("/agents"), account.admin.auth(), None)
        .body;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let locked_out = app.call("GET", &account.path("/inboxes"), account.agent.auth(), None);
    assert_eq!(locked_out.status, 404);
    let team_left = account.admin_call(app, "GET", &team_members, None);
    assert_eq!(team_left.body, json!([]), "nor in the account's teams");
    let handed_back = account.admin_call(app, "GET", &format!("/conversations/{conversation}"), None);
    assert_eq!(
        handed_back.body["meta"]["assignee"],
        Value::Null,
        "{}",
        handed_back.text
    );
    let waiting = visitor.call("GET", &format!("/conversations/{conversation}"), None);
    assert_eq!(waiting.body["queue_position"], 1, "back in the queue");
}

#[test]
fn an_agent_sets_their_own_availability() {
    let app = spawn_app();
    let account = app.create_account();
    let path = "/api/v1/profile/availability";
    let busy = app.call(
        "POST",
        path,
        account.agent.auth(),
        Some(json!({"profile": {"availability": "busy", "account_id": account.id}})),
    );
    assert_eq!(busy.status, 200, "{}", busy.text);
    assert_eq!(busy.body["availability_status"], "busy");
    assert_eq!(busy.body["id"], account.agent.id, "answers the profile");
    let online = app.call(
        "PUT",
        path,
        account.agent.auth(),
        Some(json!({"availability": "online", "account_id": account.id})),
    );
    assert_eq!(online.status, 200, "{}", online.text);
    assert_eq!(online.body["availability_status"], "available");

    for (body, field) in [
        (
            json!({"profile": {"availability": "asleep", "account_id": account.id}}),
            "availability",
        ),
        (json!({"profile": {"account_id": account.id}}), "availability"),
        (json!({"profile": {"availability": "busy"}}), "account_id"),
    ] {
        let refused = app.call("POST", path, account.agent.auth(), Some(body));
        assert_eq!(refused.status, 422, "{}", refused.text);
        assert_eq!(refused.body["attributes"], json!([field]));
    }
    let other = app.create_account();
    let elsewhere = app.call(
        "POST",
        path,
        account.agent.auth(),
        Some(json!({"availability": "busy", "account_id": other.id})),
    );
    assert_eq!(elsewhere.status, 404, "{}", elsewhere.text);
    let anonymous = app.call(
        "POST",
        path,
        Auth::Anonymous,
        Some(json!({"availability": "busy", "account_id": account.id})),
    );
    assert_eq!(anonymous.status, 401);
}
