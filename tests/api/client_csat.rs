//! Client API: CSAT surveys (contract §3, CSAT) and other answers to messages that ask.

use nimchat_tests::{spawn_app, TestAccount, TestApp, TestVisitor};
use serde_json::{json, Value};

fn survey_inbox(app: &TestApp, account: &TestAccount) -> String {
    let inbox = account.create_inbox_with(
        app,
        json!({"name": "Rated", "channel": {"type": "web_widget"}, "csat_survey_enabled": true}),
    );
    inbox["inbox_identifier"].as_str().unwrap().to_string()
}

fn surveys(visitor: &TestVisitor, id: i64) -> Vec<Value> {
    visitor
        .messages(id)
        .into_iter()
        .filter(|m| m["content_type"] == "input_csat")
        .collect()
}

#[test]
fn resolving_sends_one_survey_ever() {
    let app = spawn_app();
    let account = app.create_account();
    let visitor = app.visitor(&survey_inbox(app, &account), json!({}));
    let id = visitor.start_conversation();
    let resolved = visitor.call("POST", &format!("/conversations/{id}/toggle_status"), None);
    let in_reply: Vec<&Value> = resolved.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["content_type"] == "input_csat")
        .collect();
    assert_eq!(
        in_reply.len(),
        1,
        "the visitor sees the survey at once: {}",
        resolved.text
    );
    assert_eq!(in_reply[0]["message_type"], 3);

    visitor.say(id, "reopening");
    let agent_resolve = account.path(&format!("/conversations/{id}/toggle_status"));
    assert_eq!(
        app.call(
            "POST",
            &agent_resolve,
            account.admin.auth(),
            Some(json!({"status": "resolved"}))
        )
        .status,
        200
    );
    assert_eq!(surveys(&visitor, id).len(), 1, "at most one survey per conversation");

    let quiet = account.widget_inbox_identifier(app, "No survey");
    let other = app.visitor(&quiet, json!({}));
    let other_id = other.start_conversation();
    other.call("POST", &format!("/conversations/{other_id}/toggle_status"), None);
    assert_eq!(
        surveys(&other, other_id).len(),
        0,
        "only inboxes with csat_survey_enabled send one"
    );
}

#[test]
fn ratings_are_one_to_five_and_resubmission_overwrites() {
    let app = spawn_app();
    let account = app.create_account();
    let visitor = app.visitor(&survey_inbox(app, &account), json!({}));
    let id = visitor.start_conversation();
    visitor.call("POST", &format!("/conversations/{id}/toggle_status"), None);
    let survey_id = surveys(&visitor, id)[0]["id"].as_i64().unwrap();
    let path = format!("/conversations/{id}/messages/{survey_id}");
    let answer = |rating: Value| {
        visitor.call(
            "PATCH",
            &path,
            Some(json!({"submitted_values": {"csat_survey_response": {"rating": rating, "feedback_message": "ok"}}})),
        )
    };

    for bad in [json!(0), json!(6), json!(4.5), json!("5"), json!(null)] {
        let reply = answer(bad.clone());
        assert_eq!(reply.status, 422, "{bad}: {}", reply.text);
    }
    let first = answer(json!(2));
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(
        first.body["content_attributes"]["submitted_values"]["csat_survey_response"]["rating"],
        2
    );
    let second = answer(json!(5));
    assert_eq!(
        second.body["content_attributes"]["submitted_values"]["csat_survey_response"],
        json!({"rating": 5, "feedback_message": "ok"})
    );

    let text_message = visitor.say(id, "plain").body["id"].as_i64().unwrap();
    let on_text = visitor.call(
        "PATCH",
        &format!("/conversations/{id}/messages/{text_message}"),
        Some(json!({"submitted_values": []})),
    );
    assert_eq!(on_text.status, 422, "a text message takes no answers");
    let unknown = visitor.call(
        "PATCH",
        &format!("/conversations/{id}/messages/999999"),
        Some(json!({"submitted_values": []})),
    );
    assert_eq!(unknown.status, 404);
}

#[test]
fn the_survey_page_api_works_by_conversation_uuid() {
    let app = spawn_app();
    let account = app.create_account();
    let visitor = app.visitor(&survey_inbox(app, &account), json!({}));
    let id = visitor.start_conversation();
    let uuid = visitor.call("GET", &format!("/conversations/{id}"), None).body["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let page = format!("/public/api/v1/csat_survey/{uuid}");
    assert_eq!(
        app.call_with("GET", &page, None, &[]).status,
        404,
        "no survey was sent yet"
    );

    visitor.call("POST", &format!("/conversations/{id}/toggle_status"), None);
    let shown = app.call_with("GET", &page, None, &[]);
    assert_eq!(shown.status, 200, "{}", shown.text);
    assert_eq!(shown.body["conversation_id"], id);
    assert_eq!(shown.body["inbox_name"], "Rated");
    assert_eq!(shown.body["csat_survey_response"], json!(null));

    let rated = app.call_with("PATCH", &page, Some(json!({"message": {"submitted_values": {"csat_survey_response": {"rating": 4, "feedback_message": "Nice"}}}})), &[]);
    assert_eq!(rated.status, 200, "{}", rated.text);
    assert_eq!(
        rated.body["csat_survey_response"],
        json!({"rating": 4, "feedback_message": "Nice"})
    );
    let bad = app.call_with(
        "PATCH",
        &page,
        Some(json!({"message": {"submitted_values": {"csat_survey_response": {"rating": 9}}}})),
        &[],
    );
    assert_eq!(bad.status, 422);
    assert_eq!(app.call_with("PATCH", &page, Some(json!({})), &[]).status, 422);
    assert_eq!(
        app.call_with("GET", "/public/api/v1/csat_survey/no-such-uuid", None, &[])
            .status,
        404
    );
    let survey = surveys(&visitor, id);
    assert_eq!(
        survey[0]["content_attributes"]["submitted_values"]["csat_survey_response"]["rating"], 4,
        "one answer, two ways in"
    );
}

#[test]
fn a_visitor_answers_options_with_the_chosen_title_and_value() {
    let app = spawn_app();
    let account = app.create_account();
    let visitor = app.visitor(&account.widget_inbox_identifier(app, "Options"), json!({}));
    let id = visitor.start_conversation();
    let asked = account.reply(
        app,
        id,
        json!({"content": "Which size?", "content_type": "input_select",
               "content_attributes": {"items": [{"title": "EU 42", "value": "42"}, {"title": "EU 43", "value": "43"}]}}),
    );
    assert_eq!(asked.status, 200, "{}", asked.text);
    let message = asked.body["id"].as_i64().unwrap();
    let path = format!("/conversations/{id}/messages/{message}");
    for refused in [
        json!([]),
        json!([{"title": "EU 42"}]),
        json!({"title": "EU 42", "value": "42"}),
    ] {
        let reply = visitor.call("PATCH", &path, Some(json!({ "submitted_values": refused })));
        assert_eq!(reply.status, 422, "{refused}: {}", reply.text);
    }
    let chosen = json!([{"title": "EU 43", "value": "43"}]);
    let reply = visitor.call("PATCH", &path, Some(json!({ "submitted_values": chosen })));
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["content_attributes"]["submitted_values"], chosen);
    assert_eq!(
        reply.body["content_attributes"]["items"][1]["value"], "43",
        "the options stay"
    );
    let seen = visitor.messages(id).into_iter().find(|m| m["id"] == message).unwrap();
    assert_eq!(seen["content_attributes"]["submitted_values"], chosen);
}
