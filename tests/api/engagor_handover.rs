//! Engagor's handover (contract 5.1): who answers a contact in an inbox, the connected bot or
//! the team; what moving it does to the contact's conversations, the queue and the sockets.

use nimchat_tests::cable::{agent_cable, visitor_cable, Cable};
use nimchat_tests::{is_room, spawn_app, Auth, Reply, TestAccount, TestApp, TestVisitor};
use serde_json::{json, Value};

fn handover_path(account: &TestAccount, visitor: &TestVisitor) -> String {
    format!("/{}/inbox/handover/livechat/{}", account.id, visitor.source_id)
}

fn handover(app: &TestApp, method: &str, account: &TestAccount, visitor: &TestVisitor, auth: Auth) -> Reply {
    app.call(method, &handover_path(account, visitor), auth, None)
}

/// A web-widget inbox that does not assign by itself, worked by the account's agent, with a
/// platform agent bot connected when `with_bot`; answers the inbox and the bot's token.
fn inbox_with(app: &TestApp, account: &TestAccount, with_bot: bool) -> (Value, Option<String>) {
    let inbox = account.create_quiet_inbox(app);
    if !with_bot {
        return (inbox, None);
    }
    let bot = app.platform("POST", "/agent_bots", Some(json!({"name": "Helpbot"})));
    assert_eq!(bot.status, 200, "{}", bot.text);
    account.connect_bot(app, &inbox, &bot.body["id"]);
    (inbox, bot.body["access_token"].as_str().map(str::to_string))
}

fn status_of(app: &TestApp, account: &TestAccount, conversation: i64) -> (Value, Value) {
    let shown = account.admin_call(app, "GET", &format!("/conversations/{conversation}"), None);
    assert_eq!(shown.status, 200, "{}", shown.text);
    (
        shown.body["status"].clone(),
        shown.body["meta"]["assignee"]["id"].clone(),
    )
}

fn place(socket: &mut Cable, conversation: i64) -> Value {
    socket.wait_for("conversation.queue_position", |data| {
        data["conversation_id"] == conversation
    })["position"]
        .clone()
}

#[test]
fn a_bot_owned_contact_is_handed_to_the_team_once_and_waits_in_the_queue() {
    let app = spawn_app();
    let account = app.create_account();
    let (inbox, bot_token) = inbox_with(app, &account, true);
    let bot_token = bot_token.expect("a bot token");
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({"name": "Kai"}));
    let conversation = visitor.start_conversation();
    assert_eq!(status_of(app, &account, conversation).0, "pending", "the bot has it");

    let initial = handover(app, "GET", &account, &visitor, Auth::Query(&account.agent.token));
    assert_eq!(initial.status, 200, "{}", initial.text);
    assert_eq!(
        initial.body,
        json!({"service": "livechat", "service_id": visitor.source_id, "contact_id": visitor.contact_id,
               "owner": "external", "updated_at": null, "updated_by": null})
    );

    let mut agent = agent_cable(app, &account, &account.agent);
    let mut socket = visitor_cable(app, &visitor, true);
    let handed = handover(app, "POST", &account, &visitor, Auth::Query(&bot_token));
    assert_eq!(handed.status, 200, "{}", handed.text);
    assert_eq!(handed.body["owner"], "nimchat");
    assert_eq!(handed.body["updated_by"]["type"], "agent_bot");
    assert!(handed.body["updated_at"].is_i64());
    assert_eq!(status_of(app, &account, conversation), (json!("open"), Value::Null));
    assert_eq!(
        place(&mut socket, conversation),
        json!(1),
        "the visitor now waits for an agent"
    );
    // The moved conversation is announced first, then the handover itself.
    agent.wait_for("inquiry.created", |data| is_room(data, conversation));
    let changed = agent.wait_for("handover.changed", |data| data["contact_id"] == visitor.contact_id);
    assert_eq!(changed["owner"], "nimchat");
    let recorded = account.activity_messages(app, conversation);
    assert_eq!(recorded, ["Conversation was handed over to the team by Helpbot"]);
    let seen_by_visitor = visitor.messages(conversation);
    assert!(
        seen_by_visitor
            .iter()
            .all(|message| !message["content"].as_str().unwrap_or_default().contains("handed over")),
        "visitors never see activity: {seen_by_visitor:?}"
    );

    // Again: nothing moves, nothing is recorded twice.
    let again = handover(app, "POST", &account, &visitor, account.agent.auth());
    assert_eq!(again.status, 200);
    assert_eq!(again.body, handed.body, "idempotent");
    assert_eq!(account.activity_messages(app, conversation).len(), 1);

    // The team owns the contact now: its next conversation starts open, bot or not.
    account.set_status(app, conversation, "resolved");
    let next = visitor.call("POST", "/conversations", Some(json!({})));
    assert_eq!(next.body["status"], "open", "{}", next.text);
}

#[test]
fn handing_back_to_the_bot_takes_the_contact_out_of_the_queue() {
    let app = spawn_app();
    let account = app.create_account();
    let (inbox, _) = inbox_with(app, &account, false);
    let identifier = inbox["inbox_identifier"].as_str().unwrap();
    let first = app.visitor(identifier, json!({"name": "Lea"}));
    let second = app.visitor(identifier, json!({"name": "Max"}));
    let handed_back = first.start_conversation();
    let behind = second.start_conversation();
    let mut second_socket = visitor_cable(app, &second, true);
    let initial = handover(app, "GET", &account, &first, account.admin.auth());
    assert_eq!(initial.body["owner"], "nimchat", "no bot: the team owns the contact");

    // An agent had taken it: handed back, it is pending and nobody's.
    account.assign_to_agent(app, handed_back);
    let back = handover(app, "DELETE", &account, &first, account.admin.auth());
    assert_eq!(back.status, 200, "{}", back.text);
    assert_eq!(
        (back.body["owner"].clone(), back.body["updated_by"].clone()),
        (json!("external"), json!({"type": "user", "id": account.admin.id}))
    );
    assert_eq!(status_of(app, &account, handed_back), (json!("pending"), Value::Null));
    assert_eq!(
        account.activity_messages(app, handed_back).last().map(String::as_str),
        Some("Conversation was handed back to the bot by Ada Admin")
    );
    assert_eq!(
        handover(app, "DELETE", &account, &first, account.admin.auth()).body,
        back.body
    );

    // Handed to the team again: it waits at the end of the queue, behind the one that stayed.
    assert_eq!(status_of(app, &account, behind), (json!("open"), Value::Null));
    let to_team = handover(app, "POST", &account, &first, account.agent.auth());
    assert_eq!(to_team.body["owner"], "nimchat");
    assert_eq!(status_of(app, &account, handed_back), (json!("open"), Value::Null));
    let waiting_place = first.call("GET", &format!("/conversations/{handed_back}"), None);
    assert_eq!(waiting_place.body["queue_position"], 2, "{}", waiting_place.text);
    assert_eq!(
        place(&mut second_socket, behind),
        json!(1),
        "the one behind never moved back"
    );
}

#[test]
fn a_waiting_visitor_behind_moves_up_when_one_ahead_goes_back_to_the_bot() {
    let app = spawn_app();
    let account = app.create_account();
    let (inbox, _) = inbox_with(app, &account, false);
    let identifier = inbox["inbox_identifier"].as_str().unwrap();
    let ahead = app.visitor(identifier, json!({"name": "Nia"}));
    let behind = app.visitor(identifier, json!({"name": "Oli"}));
    ahead.start_conversation();
    let mut socket = visitor_cable(app, &behind, true);
    let waiting = behind.start_conversation();
    assert_eq!(place(&mut socket, waiting), json!(2));
    assert_eq!(
        handover(app, "DELETE", &account, &ahead, account.agent.auth()).status,
        200
    );
    assert_eq!(place(&mut socket, waiting), json!(1));
    // The contact's new conversations start with the bot, as the stored owner says.
    let next = ahead.call("POST", "/conversations", Some(json!({})));
    assert_eq!(next.body["status"], "pending", "{}", next.text);
}

#[test]
fn only_the_account_and_the_inbox_bot_reach_a_handover() {
    let app = spawn_app();
    let account = app.create_account();
    let (inbox, bot_token) = inbox_with(app, &account, true);
    let (_, other_bot) = inbox_with(app, &account, true);
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({"name": "Pia"}));
    let other = app.create_account();
    for (auth, status, who) in [
        (Auth::Query(other_bot.as_deref().unwrap()), 404, "another inbox's bot"),
        (other.admin.auth(), 404, "another account's administrator"),
        (Auth::Anonymous, 401, "nobody"),
        (Auth::Bearer("not-a-token"), 401, "a wrong token"),
    ] {
        for method in ["GET", "POST", "DELETE"] {
            let reply = handover(app, method, &account, &visitor, auth);
            assert_eq!(reply.status, status, "{who} {method}: {}", reply.text);
        }
    }
    let unchanged = handover(
        app,
        "GET",
        &account,
        &visitor,
        Auth::Query(bot_token.as_deref().unwrap()),
    );
    assert_eq!(unchanged.status, 200, "the inbox's own bot reads it");
    assert_eq!(unchanged.body["owner"], "external", "nothing above changed it");
    for path in [
        format!("/{}/inbox/handover/twitter/{}", account.id, visitor.source_id),
        format!("/{}/inbox/handover/api/{}", account.id, visitor.source_id),
        format!("/{}/inbox/handover/livechat/nobody", account.id),
        format!("/{}/inbox/handover/livechat/{}", other.id, visitor.source_id),
    ] {
        let reply = app.call("GET", &path, account.admin.auth(), None);
        assert_eq!(reply.status, 404, "{path}: {}", reply.text);
    }
    // API inboxes are the `api` service.
    let api_inbox = account.create_inbox_with(app, json!({"name": "API", "channel": {"type": "api"}}));
    let api_visitor = app.visitor(api_inbox["inbox_identifier"].as_str().unwrap(), json!({"name": "Q"}));
    let path = format!("/{}/inbox/handover/api/{}", account.id, api_visitor.source_id);
    let read = app.call("GET", &path, account.admin.auth(), None);
    assert_eq!((read.status, read.body["service"].clone()), (200, json!("api")));
}
