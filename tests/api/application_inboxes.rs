//! Application API: inboxes, their members and their agent bot (contract §2).

use nimchat_tests::{spawn_app, TestAccount, TestApp};
use serde_json::{json, Value};

fn create(app: &TestApp, account: &TestAccount, body: Value) -> nimchat_tests::Reply {
    app.call("POST", &account.path("/inboxes"), account.admin.auth(), Some(body))
}

#[test]
fn a_web_widget_inbox_is_created_with_secrets_and_defaults() {
    let app = spawn_app();
    let account = app.create_account();
    let reply = create(
        app,
        &account,
        json!({"name": "Website", "channel": {
            "type": "web_widget", "website_url": "https://shop.example", "widget_color": "#FF6600",
            "welcome_title": "Hello", "welcome_tagline": "Ask away", "hmac_mandatory": true,
            "allowed_domains": "shop.example, *.shop.example", "pre_chat_form_enabled": true
        }}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    let inbox = &reply.body;
    assert_eq!(inbox["channel_type"], "Channel::WebWidget");
    assert_eq!(inbox["name"], "Website");
    let identifier = inbox["inbox_identifier"].as_str().unwrap();
    assert_eq!(identifier.len(), 32);
    assert_eq!(inbox["website_token"], identifier);
    assert_eq!(inbox["hmac_token"].as_str().unwrap().len(), 32);
    assert_ne!(inbox["hmac_token"], inbox["inbox_identifier"]);
    assert!(inbox["web_widget_script"]
        .as_str()
        .unwrap()
        .contains(&format!("data-inbox=\"{identifier}\"")));
    assert_eq!(inbox["widget_color"], "#FF6600");
    assert_eq!(inbox["welcome_title"], "Hello");
    assert_eq!(inbox["hmac_mandatory"], true);
    assert_eq!(inbox["allowed_domains"], "shop.example,*.shop.example");
    assert_eq!(inbox["pre_chat_form_enabled"], true);
    assert_eq!(inbox["reply_time"], "in_a_few_minutes");
    assert_eq!(inbox["enable_auto_assignment"], true);
    assert_eq!(inbox["working_hours"].as_array().unwrap().len(), 7);
    assert_eq!(inbox["timezone"], "UTC");
    for field in [
        "csat_survey_enabled",
        "greeting_enabled",
        "greeting_message",
        "working_hours_enabled",
        "out_of_office_message",
        "lock_to_single_conversation",
        "allow_messages_after_resolved",
    ] {
        assert!(inbox.get(field).is_some(), "{field} is part of the inbox object");
    }
    let other = create(
        app,
        &account,
        json!({"name": "Second", "channel": {"type": "web_widget"}}),
    );
    assert_ne!(other.body["inbox_identifier"], inbox["inbox_identifier"]);
}

#[test]
fn an_api_inbox_has_an_identifier_and_a_webhook_but_no_website_token() {
    let app = spawn_app();
    let account = app.create_account();
    let reply = create(
        app,
        &account,
        json!({"name": "Backend", "channel": {"type": "api", "webhook_url": "https://hooks.example/in"}}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["channel_type"], "Channel::Api");
    assert_eq!(reply.body["webhook_url"], "https://hooks.example/in");
    assert!(reply.body.get("website_token").is_none());
    assert!(reply.body.get("web_widget_script").is_none());
    assert_eq!(reply.body["inbox_identifier"].as_str().unwrap().len(), 32);
}

#[test]
fn invalid_inbox_fields_are_422_naming_the_field() {
    let app = spawn_app();
    let account = app.create_account();
    for (body, field) in [
        (json!({"channel": {"type": "web_widget"}}), "name"),
        (json!({"name": "x"}), "channel.type"),
        (json!({"name": "x", "channel": {"type": "email"}}), "channel.type"),
        (json!({"name": "x", "channel": "web_widget"}), "channel"),
        (json!({"name": 12, "channel": {"type": "api"}}), "name"),
        (
            json!({"name": "x", "channel": {"type": "web_widget", "widget_color": "orange"}}),
            "widget_color",
        ),
        (
            json!({"name": "x", "channel": {"type": "web_widget", "reply_time": "instantly"}}),
            "reply_time",
        ),
        (
            json!({"name": "x", "channel": {"type": "api", "webhook_url": "not a url"}}),
            "webhook_url",
        ),
        (
            json!({"name": "x", "channel": {"type": "api"}, "enable_auto_assignment": "yes"}),
            "enable_auto_assignment",
        ),
        (json!({"name": "x".repeat(256), "channel": {"type": "api"}}), "name"),
    ] {
        let reply = create(app, &account, body.clone());
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.body["attributes"], json!([field]), "{body}");
        assert!(reply.body["message"].is_string());
    }
    let listed = app.call("GET", &account.path("/inboxes"), account.admin.auth(), None);
    assert_eq!(listed.body["payload"], json!([]), "nothing was half-created");
}

#[test]
fn inboxes_are_updated_nested_or_flat_and_blanks_change_nothing() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox(app, "Before");
    let path = account.path(&format!("/inboxes/{}", inbox["id"]));
    let patch = |body: Value| app.call("PATCH", &path, account.admin.auth(), Some(body));

    let reply = patch(json!({
        "name": "After", "enable_auto_assignment": false, "greeting_enabled": true,
        "greeting_message": "Welcome!", "timezone": "Europe/Paris",
        "channel": {"widget_color": "#000000", "welcome_title": "Nested"},
        "working_hours_enabled": true,
        "working_hours": [{"day_of_week": 6, "open_all_day": true}],
    }));
    assert_eq!(reply.status, 200, "{}", reply.text);
    let updated = &reply.body;
    assert_eq!(updated["name"], "After");
    assert_eq!(updated["enable_auto_assignment"], false);
    assert_eq!(updated["greeting_message"], "Welcome!");
    assert_eq!(updated["widget_color"], "#000000");
    assert_eq!(updated["welcome_title"], "Nested");
    assert_eq!(updated["timezone"], "Europe/Paris");
    assert_eq!(updated["working_hours"][6]["open_all_day"], true);
    assert_eq!(
        updated["working_hours"][1], inbox["working_hours"][1],
        "other days are kept"
    );

    let flat = patch(json!({"welcome_tagline": "Flat works too", "name": "", "widget_color": null}));
    assert_eq!(flat.body["welcome_tagline"], "Flat works too");
    assert_eq!(flat.body["name"], "After");
    assert_eq!(flat.body["widget_color"], "#000000");
    assert_eq!(
        flat.body["inbox_identifier"], inbox["inbox_identifier"],
        "secrets never change on update"
    );

    let change_kind = patch(json!({"channel": {"type": "api"}}));
    assert_eq!(
        (change_kind.status, change_kind.body["attributes"].clone()),
        (422, json!(["channel.type"]))
    );
    let bad = patch(json!({"name": "Never", "lock_to_single_conversation": 1}));
    assert_eq!(bad.status, 422);
    let shown = app.call("GET", &path, account.admin.auth(), None);
    assert_eq!(shown.body["name"], "After", "a rejected update changes nothing");
}

#[test]
fn agents_see_only_their_inboxes_and_never_the_hmac_key() {
    let app = spawn_app();
    let account = app.create_account();
    let theirs = account.create_inbox(app, "Agent's");
    let hidden = account.create_inbox(app, "Hidden");
    account.add_inbox_members(app, &theirs, &[account.agent.id]);

    let admin_list = app.call("GET", &account.path("/inboxes"), account.admin.auth(), None);
    assert_eq!(admin_list.body["payload"].as_array().unwrap().len(), 2);
    let agent_list = app.call("GET", &account.path("/inboxes"), account.agent.auth(), None);
    let payload = agent_list.body["payload"].as_array().unwrap();
    assert_eq!(payload.len(), 1);
    assert_eq!(payload[0]["id"], theirs["id"]);
    assert!(payload[0].get("hmac_token").is_none());

    let shown = app.call(
        "GET",
        &account.path(&format!("/inboxes/{}", theirs["id"])),
        account.agent.auth(),
        None,
    );
    assert_eq!(shown.status, 200);
    assert!(shown.body.get("hmac_token").is_none());
    let other = app.call(
        "GET",
        &account.path(&format!("/inboxes/{}", hidden["id"])),
        account.agent.auth(),
        None,
    );
    assert_eq!(other.status, 404);
}

#[test]
fn agents_may_not_create_or_change_inboxes() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox(app, "Mine");
    account.add_inbox_members(app, &inbox, &[account.agent.id]);
    let agent = account.agent.auth();
    let forbidden = [
        (
            "POST",
            account.path("/inboxes"),
            json!({"name": "x", "channel": {"type": "api"}}),
        ),
        (
            "PATCH",
            account.path(&format!("/inboxes/{}", inbox["id"])),
            json!({"name": "x"}),
        ),
        (
            "POST",
            account.path(&format!("/inboxes/{}/set_agent_bot", inbox["id"])),
            json!({"agent_bot": null}),
        ),
        (
            "POST",
            account.path("/inbox_members"),
            json!({"inbox_id": inbox["id"], "user_ids": [account.agent.id]}),
        ),
        (
            "PATCH",
            account.path("/inbox_members"),
            json!({"inbox_id": inbox["id"], "user_ids": []}),
        ),
        (
            "DELETE",
            account.path("/inbox_members"),
            json!({"inbox_id": inbox["id"], "user_ids": [account.agent.id]}),
        ),
    ];
    for (method, path, body) in forbidden {
        let reply = app.call(method, &path, agent, Some(body));
        assert_eq!(reply.status, 403, "{method} {path}: {}", reply.text);
        assert_eq!(reply.body, json!({"error": "You are not authorized to do this action"}));
    }
    let members = app.call(
        "GET",
        &account.path(&format!("/inbox_members/{}", inbox["id"])),
        agent,
        None,
    );
    assert_eq!(members.status, 200, "agents may read the members of their inbox");
    assert_eq!(members.body["payload"].as_array().unwrap().len(), 1);
}

#[test]
fn inbox_members_are_added_replaced_and_removed() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox(app, "Team");
    let members_path = account.path("/inbox_members");
    let ids = |reply: &nimchat_tests::Reply| -> Vec<i64> {
        reply.body["payload"]
            .as_array()
            .unwrap()
            .iter()
            .map(|agent| agent["id"].as_i64().unwrap())
            .collect()
    };
    let call = |method: &str, user_ids: Value| {
        app.call(
            method,
            &members_path,
            account.admin.auth(),
            Some(json!({"inbox_id": inbox["id"], "user_ids": user_ids})),
        )
    };

    let added = call("POST", json!([account.agent.id]));
    assert_eq!(ids(&added), [account.agent.id]);
    assert_eq!(added.body["payload"][0]["role"], "agent");
    let again = call("POST", json!([account.agent.id, account.admin.id]));
    assert_eq!(
        ids(&again),
        [account.admin.id, account.agent.id],
        "adding twice keeps one membership"
    );
    let replaced = call("PATCH", json!([account.admin.id]));
    assert_eq!(ids(&replaced), [account.admin.id]);
    let listed = app.call(
        "GET",
        &account.path(&format!("/inbox_members/{}", inbox["id"])),
        account.admin.auth(),
        None,
    );
    assert_eq!(ids(&listed), [account.admin.id]);
    let removed = call("DELETE", json!([account.admin.id]));
    assert_eq!(ids(&removed), Vec::<i64>::new());

    let stranger = app.create_user("Stranger");
    let refused = call("POST", json!([account.agent.id, stranger.id]));
    assert_eq!(
        (refused.status, refused.body["attributes"].clone()),
        (422, json!(["user_ids"]))
    );
    let after = app.call(
        "GET",
        &account.path(&format!("/inbox_members/{}", inbox["id"])),
        account.admin.auth(),
        None,
    );
    assert_eq!(ids(&after), Vec::<i64>::new(), "a refused request adds nobody");

    for body in [
        json!({"user_ids": [1]}),
        json!({"inbox_id": inbox["id"]}),
        json!({"inbox_id": inbox["id"], "user_ids": "1"}),
    ] {
        let reply = app.call("POST", &members_path, account.admin.auth(), Some(body.clone()));
        assert_eq!(reply.status, 422, "{body}");
    }
    let unknown = app.call(
        "POST",
        &members_path,
        account.admin.auth(),
        Some(json!({"inbox_id": 999_999, "user_ids": []})),
    );
    assert_eq!(unknown.status, 404);
}

#[test]
fn an_agent_bot_is_connected_and_disconnected() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox(app, "Bot-run");
    let bot = app.platform("POST", "/agent_bots", Some(json!({"name": "Helper"})));
    let get_path = account.path(&format!("/inboxes/{}/agent_bot", inbox["id"]));
    let set_path = account.path(&format!("/inboxes/{}/set_agent_bot", inbox["id"]));
    let admin = account.admin.auth();

    assert_eq!(app.call("GET", &get_path, admin, None).body, json!({}));
    let set = app.call("POST", &set_path, admin, Some(json!({"agent_bot": bot.body["id"]})));
    assert_eq!(set.status, 200, "{}", set.text);
    let connected = app.call("GET", &get_path, admin, None);
    assert_eq!(connected.body["id"], bot.body["id"]);
    assert!(
        connected.body.get("access_token").is_none(),
        "the bot's token is not shown to the account"
    );

    let unknown = app.call("POST", &set_path, admin, Some(json!({"agent_bot": 999_999})));
    assert_eq!(unknown.status, 404);
    let missing = app.call("POST", &set_path, admin, Some(json!({})));
    assert_eq!(missing.status, 422);
    assert_eq!(
        app.call("GET", &get_path, admin, None).body["id"],
        bot.body["id"],
        "failed calls change nothing"
    );

    let cleared = app.call("POST", &set_path, admin, Some(json!({"agent_bot": null})));
    assert_eq!(cleared.status, 200);
    assert_eq!(app.call("GET", &get_path, admin, None).body, json!({}));
}
