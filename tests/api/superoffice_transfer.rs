//! SuperOffice's chat session transfer (contract 5.4): the agent who holds a chat asks another
//! to take it; the target accepts or rejects, the sender may withdraw; a chat one does not
//! hold is left alone.

use nimchat_tests::cable::agent_cable;
use nimchat_tests::{spawn_app, Auth, Reply, TestAccount, TestApp, TestUser};
use serde_json::{json, Value};

/// SuperOffice's credential: `Authorization: Bearer`.
fn bearer(user: &TestUser) -> Auth<'_> {
    Auth::Bearer(&user.token)
}

fn transfer(app: &TestApp, from: &TestUser, chat: i64, to: &str) -> Reply {
    app.call(
        "POST",
        &format!("/api/v1/ChatSession/{chat}/TransferTo/{to}"),
        bearer(from),
        None,
    )
}

fn answer(app: &TestApp, user: &TestUser, verb: &str, chat: i64) -> Reply {
    let path = format!("/api/v1/Agents/Chat/{verb}ChatSessionTransfer?chatSessionId={chat}");
    app.call("POST", &path, bearer(user), None)
}

fn show(app: &TestApp, user: &TestUser, chat: i64) -> Reply {
    app.call("GET", &format!("/api/v1/ChatSession/{chat}"), bearer(user), None)
}

fn cancel(app: &TestApp, user: &TestUser, chat: i64) -> Reply {
    app.call(
        "POST",
        &format!("/api/v1/ChatSession/{chat}/RejectTransfer"),
        bearer(user),
        None,
    )
}

/// An inbox worked by the account's agent and a second agent; a visitor's conversation,
/// assigned to the account's agent. Answers the second agent and the conversation.
fn held_chat(app: &TestApp, account: &TestAccount) -> (TestUser, i64) {
    let inbox = account.create_inbox_with(
        app,
        json!({"name": "Desk", "enable_auto_assignment": false,
               "channel": {"type": "web_widget", "website_url": "https://shop.example"}}),
    );
    let colleague = account.add_signed_in_agent(app, "Cleo Colleague");
    account.add_inbox_members(app, &inbox, &[account.agent.id, colleague.id]);
    let visitor = app.visitor(
        inbox["inbox_identifier"].as_str().unwrap(),
        json!({"name": "Ruth", "email": "ruth@example.test"}),
    );
    let conversation = visitor.start_conversation();
    assert_eq!(visitor.say(conversation, "I need help with an invoice").status, 200);
    account.assign_to_agent(app, conversation);
    let reply = account.reply(app, conversation, json!({"content": "Looking into it"}));
    assert_eq!(reply.status, 200);
    (colleague, conversation)
}

fn assignee(app: &TestApp, account: &TestAccount, conversation: i64) -> Value {
    let shown = account.admin_call(app, "GET", &format!("/conversations/{conversation}"), None);
    shown.body["meta"]["assignee"]["id"].clone()
}

/// The activity messages a transfer writes.
fn activities(app: &TestApp, account: &TestAccount, conversation: i64) -> Vec<String> {
    account
        .activity_messages(app, conversation)
        .into_iter()
        .filter(|content| content.contains("over the conversation") || content.contains("transfer"))
        .collect()
}

#[test]
fn a_chat_is_transferred_when_the_target_accepts() {
    let app = spawn_app();
    let account = app.create_account();
    let (colleague, chat) = held_chat(app, &account);
    let mut theirs = agent_cable(app, &account, &colleague);
    let mut mine = agent_cable(app, &account, &account.agent);

    let asked = transfer(app, &account.agent, chat, &colleague.email);
    assert_eq!(asked.status, 200, "{}", asked.text);
    let entity = &asked.body;
    assert_eq!(entity["ChatSessionId"], chat);
    assert_eq!(entity["Status"], "Active");
    assert_eq!(entity["User"]["AssociateId"], account.agent.id);
    assert_eq!(entity["TransferTo"]["AssociateId"], colleague.id);
    assert_eq!(entity["TransferTo"]["FullName"], "Cleo Colleague");
    assert_eq!(entity["CustomerName"], "Ruth");
    assert_eq!(entity["CustomerEmail"], "ruth@example.test");
    assert_eq!(entity["FirstMessage"], "I need help with an invoice");
    assert_eq!(entity["LastMessage"], "Looking into it");
    assert_eq!(entity["ChatbotIsActive"], false);
    assert_eq!(entity["Rating"], 0);
    let requested = entity["WhenRequested"].as_str().unwrap();
    assert!(
        requested.ends_with("+00:00") && requested.as_bytes()[10] == b'T',
        "{requested}"
    );
    assert!(entity["WhenStarted"].as_str().is_some_and(|at| at.ends_with("+00:00")));
    assert_eq!(entity["WhenEnded"], Value::Null);
    for secret in ["source_id", "pubsub_token"] {
        assert!(!asked.text.contains(secret), "{secret}");
    }
    let told = theirs.wait_for("conversation.transfer_requested", |data| data["ChatSessionId"] == chat);
    assert_eq!(told["User"]["AssociateId"], account.agent.id);
    let shown = show(app, &colleague, chat);
    assert_eq!(shown.status, 200, "{}", shown.text);
    assert_eq!(shown.body, asked.body, "the target reads the pending transfer");
    assert_eq!(
        assignee(app, &account, chat),
        account.agent.id,
        "still mine until accepted"
    );

    let accepted = answer(app, &colleague, "Accept", chat);
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    assert_eq!(accepted.body["User"]["AssociateId"], colleague.id);
    assert_eq!(accepted.body["TransferTo"], Value::Null);
    assert_eq!(assignee(app, &account, chat), colleague.id);
    let back = mine.wait_for("conversation.transfer_accepted", |data| data["ChatSessionId"] == chat);
    assert_eq!(back["User"]["AssociateId"], colleague.id);
    assert_eq!(
        activities(app, &account, chat),
        [
            "Alan Agent asked Cleo Colleague to take over the conversation",
            "Cleo Colleague took over the conversation from Alan Agent"
        ]
    );
    let twice = answer(app, &colleague, "Accept", chat);
    assert_eq!(twice.status, 422, "nothing pending any more: {}", twice.text);
}

#[test]
fn the_target_may_reject_and_the_sender_may_withdraw() {
    let app = spawn_app();
    let account = app.create_account();
    let (colleague, chat) = held_chat(app, &account);
    let mut mine = agent_cable(app, &account, &account.agent);

    // By user id this time.
    assert_eq!(
        transfer(app, &account.agent, chat, &colleague.id.to_string()).status,
        200
    );
    let rejected = answer(app, &colleague, "Reject", chat);
    assert_eq!(rejected.status, 200, "{}", rejected.text);
    assert_eq!(rejected.body["TransferTo"], Value::Null);
    assert_eq!(rejected.body["User"]["AssociateId"], account.agent.id);
    mine.wait_for("conversation.transfer_rejected", |data| data["ChatSessionId"] == chat);
    assert_eq!(assignee(app, &account, chat), account.agent.id);

    assert_eq!(transfer(app, &account.agent, chat, &colleague.email).status, 200);
    let withdrawn = cancel(app, &account.agent, chat);
    assert_eq!(withdrawn.status, 200, "{}", withdrawn.text);
    assert_eq!(withdrawn.body["TransferTo"], Value::Null);
    let late = answer(app, &colleague, "Accept", chat);
    assert_eq!(late.status, 422, "{}", late.text);
    assert_eq!(late.body["attributes"], json!(["chatSessionId"]));
    assert_eq!(assignee(app, &account, chat), account.agent.id);
    assert_eq!(
        activities(app, &account, chat).len(),
        4,
        "{:?}",
        activities(app, &account, chat)
    );

    // An assignment by other means drops a pending transfer.
    assert_eq!(transfer(app, &account.agent, chat, &colleague.email).status, 200);
    let path = format!("/conversations/{chat}/assignments");
    let reassigned = account.admin_call(app, "POST", &path, Some(json!({"assignee_id": account.admin.id})));
    assert_eq!(reassigned.status, 200, "{}", reassigned.text);
    let dropped = answer(app, &colleague, "Accept", chat);
    assert_eq!(dropped.status, 422, "{}", dropped.text);
    assert_eq!(assignee(app, &account, chat), account.admin.id);
}

#[test]
fn a_chat_one_does_not_hold_or_may_not_see_is_left_alone() {
    let app = spawn_app();
    let account = app.create_account();
    let (colleague, chat) = held_chat(app, &account);

    // The colleague works the inbox but does not hold the chat: nothing happens.
    let not_mine = transfer(app, &colleague, chat, &account.admin.email);
    assert_eq!(not_mine.status, 200, "{}", not_mine.text);
    assert_eq!(not_mine.body["TransferTo"], Value::Null);
    assert_eq!(not_mine.body["User"]["AssociateId"], account.agent.id);
    assert_eq!(assignee(app, &account, chat), account.agent.id);
    assert!(activities(app, &account, chat).is_empty());

    // Another account, or an agent who does not work the inbox: the chat does not exist.
    let other = app.create_account();
    let outsider = account.add_signed_in_agent(app, "Otto Outside");
    for (user, who) in [(&other.admin, "another account"), (&outsider, "not in the inbox")] {
        let reply = transfer(app, user, chat, &colleague.email);
        assert_eq!(reply.status, 404, "{who}: {}", reply.text);
        assert_eq!(answer(app, user, "Accept", chat).status, 404, "{who}");
        assert_eq!(cancel(app, user, chat).status, 404, "{who}");
        assert_eq!(show(app, user, chat).status, 404, "{who}");
    }

    // Targets must be agents of the inbox.
    for target in [
        outsider.email.as_str(),
        "999999",
        "nobody@example.test",
        "nobody",
        &account.agent.email,
    ] {
        let reply = transfer(app, &account.agent, chat, target);
        assert_eq!(reply.status, 422, "{target}: {}", reply.text);
        assert_eq!(reply.body["attributes"], json!(["toAssociate"]));
    }
    assert_eq!(assignee(app, &account, chat), account.agent.id);
    assert!(activities(app, &account, chat).is_empty(), "nothing recorded");

    let xml = app.call_with(
        "POST",
        &format!("/api/v1/ChatSession/{chat}/TransferTo/{}", colleague.id),
        None,
        &[
            ("Authorization", &format!("Bearer {}", account.agent.token)),
            ("Accept", "application/xml"),
        ],
    );
    assert_eq!(xml.status, 406, "{}", xml.text);
    let missing = app.call(
        "POST",
        "/api/v1/Agents/Chat/AcceptChatSessionTransfer",
        bearer(&colleague),
        None,
    );
    assert_eq!(missing.status, 422);
    let anonymous = app.call(
        "POST",
        &format!("/api/v1/ChatSession/{chat}/RejectTransfer"),
        Auth::Anonymous,
        None,
    );
    assert_eq!(anonymous.status, 401);
}

#[test]
fn session_statuses_follow_the_conversation() {
    let app = spawn_app();
    let account = app.create_account();
    let (_, chat) = held_chat(app, &account);
    let status = |app: &TestApp| {
        // A transfer of a chat the administrator does not hold changes nothing and shows it.
        transfer(app, &account.admin, chat, &account.agent.email).body["Status"].clone()
    };
    assert_eq!(status(app), "Active");
    for (to, expected) in [("snoozed", "Idle"), ("pending", "Bot"), ("resolved", "Closed")] {
        account.set_status(app, chat, to);
        assert_eq!(status(app), expected, "{to}");
    }
    let ended = transfer(app, &account.admin, chat, &account.agent.email);
    assert!(ended.body["WhenEnded"]
        .as_str()
        .is_some_and(|at| at.ends_with("+00:00")));
}
