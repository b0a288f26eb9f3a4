//! Application API: conversations as agents list and read them (contract §2, seed
//! "Conversations").

use nimchat_tests::{spawn_app, Auth};
use serde_json::json;

fn ids(reply: &nimchat_tests::Reply) -> Vec<i64> {
    reply.body["data"]["payload"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn conversations_are_paged_twenty_five_at_a_time_newest_first() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox_with(app, json!({"name": "Backend", "channel": {"type": "api"}}));
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({}));
    let created: Vec<i64> = (0..27).map(|_| visitor.start_conversation()).collect();
    let newest_first: Vec<i64> = created.iter().rev().copied().collect();
    let page = |query: &str| {
        app.call(
            "GET",
            &account.path(&format!("/conversations{query}")),
            account.admin.auth(),
            None,
        )
    };

    let first = page("");
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(ids(&first), newest_first[..25]);
    assert_eq!(
        first.body["data"]["meta"],
        json!({"mine_count": 0, "unassigned_count": 27, "assigned_count": 0, "all_count": 27})
    );
    assert_eq!(ids(&page("?page=2")), newest_first[25..], "the last page");
    assert_eq!(ids(&page("?page=3")), Vec::<i64>::new(), "past the end: an empty page");
    assert_eq!(ids(&page("?page=0")), newest_first[..25], "page 0 reads as 1");
    assert_eq!(ids(&page("?page=-4")), newest_first[..25], "negative pages read as 1");
    for bad in ["?page=two", "?status=closed", "?assignee_type=someone", "?inbox_id=x"] {
        let reply = page(bad);
        assert_eq!(reply.status, 422, "{bad}: {}", reply.text);
    }
}

#[test]
fn filters_by_status_assignment_and_inbox_with_counts() {
    let app = spawn_app();
    let account = app.create_account();
    let first = account.create_inbox(app, "First");
    let second = account.create_inbox(app, "Second");
    let a = app
        .visitor(first["inbox_identifier"].as_str().unwrap(), json!({}))
        .start_conversation();
    let b = app
        .visitor(second["inbox_identifier"].as_str().unwrap(), json!({}))
        .start_conversation();
    let resolve = account.path(&format!("/conversations/{b}/toggle_status"));
    app.call(
        "POST",
        &resolve,
        account.admin.auth(),
        Some(json!({"status": "resolved"})),
    );
    let list = |query: &str| {
        app.call(
            "GET",
            &account.path(&format!("/conversations{query}")),
            account.admin.auth(),
            None,
        )
    };

    assert_eq!(ids(&list("")), [a], "open by default");
    assert_eq!(ids(&list("?status=resolved")), [b]);
    assert_eq!(
        ids(&list(&format!("?status=resolved&inbox_id={}", first["id"]))),
        Vec::<i64>::new()
    );
    assert_eq!(ids(&list("?assignee_type=unassigned")), [a]);
    assert_eq!(ids(&list("?assignee_type=me")), Vec::<i64>::new());
    assert_eq!(ids(&list("?assignee_type=assigned")), Vec::<i64>::new());
    let counts = app.call(
        "GET",
        &account.path("/conversations/meta?status=resolved"),
        account.admin.auth(),
        None,
    );
    assert_eq!(counts.body["meta"]["all_count"], 1, "{}", counts.text);
}

#[test]
fn agents_list_only_the_conversations_of_their_inboxes() {
    let app = spawn_app();
    let account = app.create_account();
    let theirs = account.create_inbox(app, "Theirs");
    let other = account.create_inbox(app, "Other");
    account.add_inbox_members(app, &theirs, &[account.agent.id]);
    let visible = app
        .visitor(theirs["inbox_identifier"].as_str().unwrap(), json!({}))
        .start_conversation();
    let hidden = app
        .visitor(other["inbox_identifier"].as_str().unwrap(), json!({}))
        .start_conversation();

    let listed = app.call("GET", &account.path("/conversations"), account.agent.auth(), None);
    assert_eq!(ids(&listed), [visible]);
    assert_eq!(listed.body["data"]["meta"]["all_count"], 1);
    let shown = app.call(
        "GET",
        &account.path(&format!("/conversations/{hidden}")),
        account.agent.auth(),
        None,
    );
    assert_eq!(shown.status, 404);
    let admin = app.call("GET", &account.path("/conversations"), account.admin.auth(), None);
    assert_eq!(ids(&admin), [hidden, visible]);

    let stranger = app.create_account();
    let foreign = app.call(
        "GET",
        &stranger.path(&format!("/conversations/{visible}")),
        stranger.admin.auth(),
        None,
    );
    assert_eq!(foreign.status, 404);
    assert_eq!(
        app.call("GET", &account.path("/conversations"), Auth::Anonymous, None)
            .status,
        401
    );
}

#[test]
fn agents_read_every_message_with_unread_counts() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox(app, "Support");
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({"name": "Lea"}));
    let id = visitor.start_conversation();
    visitor.say(id, "first");
    visitor.say(id, "second");
    account.reply(app, id, json!({"content": "internal", "private": true}));
    account.reply(app, id, json!({"content": "answer"}));

    let listed = app.call("GET", &account.path("/conversations"), account.admin.auth(), None);
    let row = &listed.body["data"]["payload"][0];
    assert_eq!(row["unread_count"], 2);
    assert_eq!(row["messages"].as_array().unwrap().len(), 1, "the last message only");
    assert_eq!(row["messages"][0]["content"], "answer");
    assert_eq!(row["meta"]["sender"]["name"], "Lea");
    assert_eq!(row["meta"]["assignee"], json!(null));
    assert_eq!(row["account_id"], account.id);

    let shown = app.call(
        "GET",
        &account.path(&format!("/conversations/{id}")),
        account.admin.auth(),
        None,
    );
    let contents: Vec<&str> = shown.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap())
        .collect();
    assert_eq!(
        contents,
        ["first", "second", "internal", "answer"],
        "agents see private notes"
    );

    let page = app.call(
        "GET",
        &account.path(&format!("/conversations/{id}/messages")),
        account.agent.auth(),
        None,
    );
    assert_eq!(page.status, 404, "an agent outside the inbox");
    let page = app.call(
        "GET",
        &account.path(&format!("/conversations/{id}/messages")),
        account.admin.auth(),
        None,
    );
    assert_eq!(page.body["payload"].as_array().unwrap().len(), 4);
    assert_eq!(page.body["meta"]["contact"]["name"], "Lea");
    let first_id = page.body["payload"][1]["id"].as_i64().unwrap();
    let before = app.call(
        "GET",
        &account.path(&format!("/conversations/{id}/messages?before={first_id}")),
        account.admin.auth(),
        None,
    );
    assert_eq!(before.body["payload"].as_array().unwrap().len(), 1);
}
