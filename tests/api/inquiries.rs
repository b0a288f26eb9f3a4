//! Rocket.Chat's livechat inquiries (contract 5.3): agents list the queue of the inboxes they
//! work, take from it (one winner however many try), and read one inquiry.

use nimchat_tests::cable::{agent_cable, visitor_cable};
use nimchat_tests::{is_room, spawn_app, Auth, Reply, TestAccount, TestApp, TestUser, TestVisitor};
use serde_json::{json, Value};

/// A livechat route called with Rocket.Chat's credential: `X-Auth-Token` with `X-User-Id`.
fn livechat(app: &TestApp, user: &TestUser, method: &str, route: &str, body: Option<Value>) -> Reply {
    let user_id = user.id.to_string();
    let auth = Auth::RocketChat {
        token: &user.token,
        user_id: &user_id,
    };
    app.call(method, &format!("/api/v1/livechat/{route}"), auth, body)
}

fn list(app: &TestApp, user: &TestUser, query: &str) -> Reply {
    livechat(app, user, "GET", &format!("inquiries.list{query}"), None)
}

fn take(app: &TestApp, user: &TestUser, body: Value) -> Reply {
    livechat(app, user, "POST", "inquiries.take", Some(body))
}

fn get_one(app: &TestApp, user: &TestUser, room: &str) -> Reply {
    livechat(app, user, "GET", &format!("inquiries.getOne?roomId={room}"), None)
}

/// The `rid`s (conversation ids) of a list answer, in its order.
fn rooms(reply: &Reply) -> Vec<i64> {
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["success"], true);
    reply.body["inquiries"]
        .as_array()
        .unwrap_or_else(|| panic!("inquiries: {}", reply.text))
        .iter()
        .map(|inquiry| inquiry["rid"].as_str().unwrap().parse().unwrap())
        .collect()
}

/// A web-widget inbox that does not assign by itself, worked by the account's agent.
fn queue_inbox(app: &TestApp, account: &TestAccount, name: &str) -> Value {
    let inbox = account.create_inbox_with(
        app,
        json!({"name": name, "enable_auto_assignment": false,
               "channel": {"type": "web_widget", "website_url": "https://shop.example"}}),
    );
    account.add_inbox_members(app, &inbox, &[account.agent.id]);
    inbox
}

/// A visitor of the inbox who says `hello` in a new conversation; answers it with its id.
fn waiting_visitor<'a>(app: &'a TestApp, inbox: &Value, name: &str, hello: &str) -> (TestVisitor<'a>, i64) {
    let visitor = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({"name": name}));
    let conversation = visitor.start_conversation();
    assert_eq!(visitor.say(conversation, hello).status, 200);
    (visitor, conversation)
}

/// The inquiry `_id` of a conversation, from the administrator's list.
fn inquiry_id(app: &TestApp, account: &TestAccount, conversation: i64) -> String {
    let listed = list(app, &account.admin, "?count=100");
    listed.body["inquiries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|inquiry| is_room(inquiry, conversation))
        .unwrap_or_else(|| panic!("{conversation} is not queued: {}", listed.text))["_id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn assignee(app: &TestApp, account: &TestAccount, conversation: i64) -> Value {
    let shown = account.admin_call(app, "GET", &format!("/conversations/{conversation}"), None);
    assert_eq!(shown.status, 200, "{}", shown.text);
    shown.body["meta"]["assignee"]["id"].clone()
}

#[test]
fn agents_list_the_queue_of_the_inboxes_they_work_oldest_first() {
    let app = spawn_app();
    let account = app.create_account();
    let worked = queue_inbox(app, &account, "Worked");
    let elsewhere = account.create_inbox(app, "Not the agent's");
    // Names out of arrival order, so that sorting by name is told apart.
    let (_, first) = waiting_visitor(app, &worked, "Mia", "Where is my parcel?");
    let (_, second) = waiting_visitor(app, &worked, "Ann", "Hi");
    let (_, third) = waiting_visitor(app, &worked, "Zed", "Hello");
    let (_, hidden) = waiting_visitor(app, &elsewhere, "Di", "Anyone?");

    let agent_view = list(app, &account.agent, "");
    assert_eq!(rooms(&agent_view), [first, second, third], "{}", agent_view.text);
    assert_eq!(
        (agent_view.body["count"].clone(), agent_view.body["total"].clone()),
        (json!(3), json!(3))
    );
    assert_eq!(agent_view.body["offset"], 0);
    let oldest = &agent_view.body["inquiries"][0];
    assert_eq!(oldest["name"], "Mia");
    assert_eq!(oldest["status"], "queued");
    assert_eq!(oldest["t"], "l");
    assert_eq!(oldest["department"], Value::Null);
    assert_eq!(oldest["v"]["username"], "Mia");
    let ts = oldest["ts"].as_str().unwrap();
    assert!(
        ts.len() == 24 && ts.ends_with('Z') && ts.as_bytes()[10] == b'T',
        "ISO-8601 UTC: {ts}"
    );
    for secret in ["source_id", "pubsub_token", "token"] {
        assert!(!agent_view.text.contains(secret), "{secret} in {}", agent_view.text);
    }

    // Administrators see every inbox of the account; every dialect of credential works.
    let everything = app.call("GET", "/api/v1/livechat/inquiries.list", account.admin.auth(), None);
    assert_eq!(rooms(&everything), [first, second, third, hidden]);
    let bearer = app.call(
        "GET",
        "/api/v1/livechat/inquiries.list",
        Auth::Bearer(&account.agent.token),
        None,
    );
    assert_eq!(rooms(&bearer), [first, second, third]);

    // Paging and order.
    let page = list(app, &account.agent, "?offset=1&count=1");
    assert_eq!(rooms(&page), [second]);
    assert_eq!(
        (page.body["count"].clone(), page.body["total"].clone()),
        (json!(1), json!(3))
    );
    let newest_first = list(app, &account.agent, "?sort=%7B%22ts%22%3A-1%7D");
    assert_eq!(rooms(&newest_first), [third, second, first]);
    let by_name = list(app, &account.agent, "?sort=%7B%22name%22%3A1%7D");
    assert_eq!(rooms(&by_name), [second, first, third]);

    // A department is a team, by id or by name.
    let team = account.create_team(app, "Returns", false);
    let assigned = account.admin_call(
        app,
        "POST",
        &format!("/conversations/{second}/assignments"),
        Some(json!({"team_id": team["id"]})),
    );
    assert_eq!(assigned.status, 200, "{}", assigned.text);
    let by_id = list(app, &account.agent, &format!("?department={}", team["id"]));
    assert_eq!(rooms(&by_id), [second]);
    assert_eq!(by_id.body["inquiries"][0]["department"], team["id"].to_string());
    assert_eq!(rooms(&list(app, &account.agent, "?department=returns")), [second]);
    assert_eq!(
        rooms(&list(app, &account.agent, "?department=Nobody")),
        Vec::<i64>::new()
    );

    // Bad parameters are 400 in Rocket.Chat's shape.
    for query in ["?sort=%7B%22ts%22%3A0%7D", "?sort=ts", "?count=many", "?offset=-1"] {
        let bad = list(app, &account.agent, query);
        assert_eq!(bad.status, 400, "{query}: {}", bad.text);
        assert_eq!(bad.body["success"], false, "{query}");
        assert!(bad.body["error"].is_string(), "{query}");
    }
    let anonymous = app.call("GET", "/api/v1/livechat/inquiries.list", Auth::Anonymous, None);
    assert_eq!(
        (anonymous.status, anonymous.body["success"].clone()),
        (401, json!(false))
    );
}

#[test]
fn an_inquiry_is_taken_once_and_read_with_its_first_message() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = queue_inbox(app, &account, "Desk");
    let (_, conversation) = waiting_visitor(app, &inbox, "Eve", "My order is late");
    let id = inquiry_id(app, &account, conversation);

    let queued = get_one(app, &account.agent, &conversation.to_string());
    assert_eq!(queued.status, 200, "{}", queued.text);
    assert_eq!(queued.body["inquiry"]["status"], "queued");
    assert_eq!(queued.body["inquiry"]["message"], "My order is late");

    // Nobody but an agent of the inbox may be given it; bad bodies change nothing.
    let outsider = account.add_signed_in_agent(app, "Olga Outside");
    for (body, status) in [
        (json!({}), 400),
        (json!({"inquiryId": ""}), 400),
        (json!({"inquiryId": "nope"}), 404),
        (json!({"inquiryId": 999_999_999}), 404),
        (json!({"inquiryId": id, "userId": outsider.id.to_string()}), 400),
        (json!({"inquiryId": id, "userId": "someone"}), 400),
    ] {
        let refused = take(app, &account.admin, body.clone());
        assert_eq!(refused.status, status, "{body}: {}", refused.text);
        assert_eq!(refused.body["success"], false, "{body}");
    }
    assert_eq!(assignee(app, &account, conversation), Value::Null);
    let not_json = app.send(
        "POST",
        "/api/v1/livechat/inquiries.take",
        account.agent.auth(),
        Some(b"{".to_vec()),
        "application/json",
    );
    assert_eq!(not_json.status, 400);

    // The administrator gives it to the agent (a string id, as Rocket.Chat sends it).
    let taken = take(
        app,
        &account.admin,
        json!({"inquiryId": id, "userId": account.agent.id.to_string()}),
    );
    assert_eq!(taken.status, 200, "{}", taken.text);
    assert_eq!(taken.body["success"], true);
    let inquiry = &taken.body["inquiry"];
    assert_eq!(inquiry["status"], "taken");
    assert_eq!(inquiry["agents"], json!([account.agent.id.to_string()]));
    assert_eq!(inquiry["message"], "My order is late");
    assert_eq!(inquiry["rid"], conversation.to_string());
    assert!(!taken.text.contains("source_id") && !taken.text.contains("pubsub_token"));
    assert_eq!(assignee(app, &account, conversation), account.agent.id);
    assert_eq!(
        rooms(&list(app, &account.agent, "")),
        Vec::<i64>::new(),
        "no longer queued"
    );

    let again = take(app, &account.agent, json!({ "inquiryId": id }));
    assert_eq!(again.status, 400, "{}", again.text);
    assert_eq!(again.body["error"], "Inquiry already taken");
    let read = get_one(app, &account.agent, &conversation.to_string());
    assert_eq!(read.body["inquiry"]["status"], "taken", "{}", read.text);

    // Resolved, it is no inquiry; unknown rooms and missing parameters likewise.
    account.set_status(app, conversation, "resolved");
    let gone = get_one(app, &account.agent, &conversation.to_string());
    assert_eq!((gone.status, gone.body["success"].clone()), (404, json!(false)));
    assert_eq!(get_one(app, &account.agent, "999999").status, 404);
    let missing = livechat(app, &account.agent, "GET", "inquiries.getOne", None);
    assert_eq!(missing.status, 400);
}

#[test]
fn another_accounts_agent_cannot_list_take_or_read_its_inquiries() {
    let app = spawn_app();
    let account = app.create_account();
    let other = app.create_account();
    let inbox = queue_inbox(app, &account, "Ours");
    let (_, conversation) = waiting_visitor(app, &inbox, "Fay", "Hello");
    let id = inquiry_id(app, &account, conversation);
    // Display ids are per account, so the other account may have a conversation with the same
    // number; it never sees this inquiry.
    let theirs = list(app, &other.admin, "?count=100");
    assert_eq!(theirs.status, 200);
    assert!(!theirs.text.contains(&format!("\"_id\":\"{id}\"")), "{}", theirs.text);
    let stolen = take(app, &other.admin, json!({ "inquiryId": id }));
    assert_eq!(stolen.status, 404, "{}", stolen.text);
    assert_eq!(assignee(app, &account, conversation), Value::Null);
    let peek = get_one(app, &other.admin, &conversation.to_string());
    assert_ne!(peek.body["inquiry"]["_id"], json!(id), "{}", peek.text);

    // An agent of the account who does not work the inbox is no better placed.
    let bystander = account.add_signed_in_agent(app, "Ben Bystander");
    assert_eq!(rooms(&list(app, &bystander, "")), Vec::<i64>::new());
    assert_eq!(take(app, &bystander, json!({ "inquiryId": id })).status, 404);
    assert_eq!(get_one(app, &bystander, &conversation.to_string()).status, 404);
}

#[test]
fn twenty_agents_taking_one_inquiry_at_once_leave_one_winner() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = queue_inbox(app, &account, "Rush");
    let agents: Vec<TestUser> = (0..20)
        .map(|n| account.add_signed_in_agent(app, &format!("Racer {n}")))
        .collect();
    let ids: Vec<i64> = agents.iter().map(|agent| agent.id).collect();
    account.add_inbox_members(app, &inbox, &ids);
    let (_, conversation) = waiting_visitor(app, &inbox, "Gil", "First come?");
    let id = inquiry_id(app, &account, conversation);

    let barrier = std::sync::Barrier::new(agents.len());
    let outcomes: Vec<(i64, u16, Value)> = std::thread::scope(|scope| {
        let racers: Vec<_> = agents
            .iter()
            .map(|agent| {
                let (barrier, id) = (&barrier, &id);
                scope.spawn(move || {
                    barrier.wait();
                    let reply = take(app, agent, json!({ "inquiryId": id }));
                    (agent.id, reply.status, reply.body)
                })
            })
            .collect();
        racers.into_iter().map(|racer| racer.join().unwrap()).collect()
    });
    let winners: Vec<i64> = outcomes
        .iter()
        .filter(|(_, status, _)| *status == 200)
        .map(|(agent, _, _)| *agent)
        .collect();
    assert_eq!(winners.len(), 1, "{outcomes:?}");
    for (_, status, body) in outcomes.iter().filter(|(_, status, _)| *status != 200) {
        assert_eq!(*status, 400, "{body}");
        assert_eq!(body["error"], "Inquiry already taken", "{body}");
    }
    assert_eq!(assignee(app, &account, conversation), winners[0]);
}

#[test]
fn the_third_in_the_queue_hears_three_two_one_and_agents_hear_the_queue() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = queue_inbox(app, &account, "Line");
    let (_, first) = waiting_visitor(app, &inbox, "Hal", "One");
    let (_, second) = waiting_visitor(app, &inbox, "Ida", "Two");
    let mut agent = agent_cable(app, &account, &account.agent);
    let third = app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({"name": "Jo"}));
    let mut socket = visitor_cable(app, &third, true);
    let conversation = third.start_conversation();
    let place = |socket: &mut nimchat_tests::cable::Cable| {
        socket.wait_for("conversation.queue_position", |data| {
            data["conversation_id"] == conversation
        })["position"]
            .clone()
    };
    assert_eq!(place(&mut socket), json!(3));
    let created = agent.wait_for("inquiry.created", |data| is_room(data, conversation));
    assert_eq!(created["status"], "queued");
    assert_eq!(created["name"], "Jo");

    for (ahead, expected) in [(first, 2), (second, 1)] {
        let id = inquiry_id(app, &account, ahead);
        assert_eq!(take(app, &account.agent, json!({ "inquiryId": id })).status, 200);
        assert_eq!(place(&mut socket), json!(expected), "after {ahead} was taken");
        let taken = agent.wait_for("inquiry.taken", |data| is_room(data, ahead));
        assert_eq!(taken["agents"], json!([account.agent.id.to_string()]));
    }
    let mine = inquiry_id(app, &account, conversation);
    assert_eq!(take(app, &account.agent, json!({ "inquiryId": mine })).status, 200);
    assert_eq!(place(&mut socket), Value::Null, "taken: no longer waiting");
}
