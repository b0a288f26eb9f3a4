//! Client API: the public inbox object and contacts (contract §3).

use nimchat_tests::{spawn_app, unique, unique_ip, week_opening_in_three_days};
use serde_json::json;

#[test]
fn the_public_inbox_shows_settings_and_online_but_no_secrets() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox_with(
        app,
        json!({"name": "Shop", "channel": {"type": "web_widget", "widget_color": "#123456", "welcome_title": "Hey",
               "pre_chat_form_enabled": true}, "csat_survey_enabled": true}),
    );
    let identifier = inbox["inbox_identifier"].as_str().unwrap();
    let path = format!("/public/api/v1/inboxes/{identifier}");
    let reply = app.call_with("GET", &path, None, &[]);
    assert_eq!(reply.status, 200, "{}", reply.text);
    let public = &reply.body;
    assert_eq!(public["identifier"], identifier);
    assert_eq!(public["name"], "Shop");
    assert_eq!(public["widget_color"], "#123456");
    assert_eq!(public["welcome_title"], "Hey");
    assert_eq!(public["csat_survey_enabled"], true);
    assert_eq!(public["pre_chat_form_enabled"], true);
    assert_eq!(public["working_hours"].as_array().unwrap().len(), 7);
    assert_eq!(public["working_hours"][0]["day_of_week"], 0);
    assert_eq!(public["identity_validation_enabled"], false);
    assert_eq!(public["online"], false, "no agent is available yet");
    assert_eq!(public["next_online_at"], json!(null), "working hours are not used");
    assert!(
        !reply.text.contains(inbox["hmac_token"].as_str().unwrap()),
        "the HMAC key never reaches visitors"
    );

    account.add_inbox_members(app, &inbox, &[account.agent.id]);
    let available = account.path(&format!("/agents/{}", account.agent.id));
    app.call(
        "PATCH",
        &available,
        account.admin.auth(),
        Some(json!({"availability": "available", "auto_offline": false})),
    );
    assert_eq!(app.call_with("GET", &path, None, &[]).body["online"], true);

    let closed_week: Vec<_> = (0..7)
        .map(|day| json!({"day_of_week": day, "closed_all_day": true}))
        .collect();
    let inbox_path = account.path(&format!("/inboxes/{}", inbox["id"]));
    let closed = app.call(
        "PATCH",
        &inbox_path,
        account.admin.auth(),
        Some(json!({"working_hours_enabled": true, "working_hours": closed_week})),
    );
    assert_eq!(closed.status, 200, "{}", closed.text);
    let outside = app.call_with("GET", &path, None, &[]).body;
    assert_eq!(outside["online"], false, "outside working hours");
    assert_eq!(outside["next_online_at"], json!(null), "a week that never opens");

    // Open only three days from now: back then, to the minute.
    let (week, opens_at) = week_opening_in_three_days();
    let later = app.call(
        "PATCH",
        &inbox_path,
        account.admin.auth(),
        Some(json!({"timezone": "UTC", "working_hours": week})),
    );
    assert_eq!(later.status, 200, "{}", later.text);
    let public = app.call_with("GET", &path, None, &[]).body;
    assert_eq!(public["online"], false);
    assert_eq!(public["next_online_at"], opens_at);
}

#[test]
fn an_unknown_inbox_is_404() {
    let app = spawn_app();
    for path in ["/public/api/v1/inboxes/nope", "/public/api/v1/inboxes/nope/contacts"] {
        let reply = app.call_with("GET", path, None, &[]);
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.body, json!({"error": "Resource could not be found"}));
    }
    let create = app.call_with("POST", "/public/api/v1/inboxes/nope/contacts", Some(json!({})), &[]);
    assert_eq!(create.status, 404);
}

#[test]
fn a_new_visitor_gets_a_session_and_a_readable_name() {
    let app = spawn_app();
    let account = app.create_account();
    let identifier = account.widget_inbox_identifier(app, "Site");
    let visitor = app.visitor(&identifier, json!({}));
    assert_eq!(visitor.source_id.len(), 36, "a UUID v4");
    assert_eq!(&visitor.source_id[14..15], "4");
    assert_eq!(visitor.pubsub_token.len(), 32);
    let shown = visitor.call("GET", "", None);
    assert_eq!(shown.status, 200);
    assert_eq!(shown.body["source_id"], visitor.source_id.as_str());
    let name = shown.body["name"].as_str().unwrap();
    assert_eq!(name.split(' ').count(), 2, "{name}");
    assert_eq!(shown.body["email"], json!(null));

    let other = app.visitor(&identifier, json!({}));
    assert_ne!(other.contact_id, visitor.contact_id);
    assert_ne!(other.pubsub_token, visitor.pubsub_token);
}

#[test]
fn a_known_source_id_returns_the_same_session_unchanged() {
    let app = spawn_app();
    let account = app.create_account();
    let identifier = account.widget_inbox_identifier(app, "Site");
    let source_id = format!("device-{}", unique());
    let first = app.visitor(&identifier, json!({"source_id": source_id, "name": "First"}));
    let again = app.visitor(&identifier, json!({"source_id": source_id, "name": "Second"}));
    assert_eq!(again.contact_id, first.contact_id);
    assert_eq!(again.pubsub_token, first.pubsub_token);
    assert_eq!(first.call("GET", "", None).body["name"], "First");
}

#[test]
fn contacts_are_matched_by_identifier_then_email_then_phone() {
    let app = spawn_app();
    let account = app.create_account();
    let identifier = account.widget_inbox_identifier(app, "Site");
    let email = format!("ann-{}@example.test", unique());
    let ann = app.visitor(
        &identifier,
        json!({"identifier": "ann-1", "email": email, "phone_number": "+14155550100", "name": "Ann"}),
    );
    for body in [
        json!({"identifier": "ann-1"}),
        json!({"email": email.to_uppercase()}),
        json!({"phone_number": "+14155550100"}),
    ] {
        let again = app.visitor(&identifier, body.clone());
        assert_eq!(again.contact_id, ann.contact_id, "{body}");
        assert_ne!(again.source_id, ann.source_id, "a new session on another device");
    }
    let stranger = app.visitor(&identifier, json!({"identifier": "bob-2"}));
    assert_ne!(stranger.contact_id, ann.contact_id);
}

#[test]
fn contact_fields_are_validated() {
    let app = spawn_app();
    let account = app.create_account();
    let identifier = account.widget_inbox_identifier(app, "Site");
    let path = format!("/public/api/v1/inboxes/{identifier}/contacts");
    for (body, field) in [
        (json!({"email": "not-an-email"}), "email"),
        (json!({"phone_number": "0612345678"}), "phone_number"),
        (json!({"name": ["x"]}), "name"),
        (json!({"custom_attributes": "plan=pro"}), "custom_attributes"),
        (json!({"avatar_url": "javascript:alert(1)"}), "avatar_url"),
    ] {
        let reply = app.call_with("POST", &path, Some(body.clone()), &[("CF-Connecting-IP", &unique_ip())]);
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.body["attributes"], json!([field]), "{body}");
    }
}

#[test]
fn a_contact_is_updated_with_merged_attributes_and_a_fixed_identifier() {
    let app = spawn_app();
    let account = app.create_account();
    let identifier = account.widget_inbox_identifier(app, "Site");
    let visitor = app.visitor(
        &identifier,
        json!({"name": "Zoe", "identifier": "zoe-9", "custom_attributes": {"plan": "free", "seats": 1}}),
    );
    let reply = visitor.call(
        "PATCH",
        "",
        Some(
            json!({"name": "", "email": format!("zoe-{}@example.test", unique()), "identifier": "someone-else",
                    "custom_attributes": {"plan": "pro"}}),
        ),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    let contact = &reply.body;
    assert_eq!(contact["name"], "Zoe", "blank values are ignored");
    assert_eq!(contact["identifier"], "zoe-9", "the identifier cannot change here");
    assert_eq!(contact["custom_attributes"], json!({"plan": "pro", "seats": 1}));
    assert_eq!(contact["source_id"], visitor.source_id.as_str());
    for field in [
        "id",
        "phone_number",
        "additional_attributes",
        "created_at",
        "pubsub_token",
    ] {
        assert!(contact.get(field).is_some(), "{field}");
    }
    let invalid = visitor.call("PATCH", "", Some(json!({"phone_number": "12"})));
    assert_eq!(invalid.status, 422);
}

/// An email another contact has, or an identifier when the session's contact has none
/// (`setUser` after an anonymous chat), merges the two into the existing contact.
#[test]
fn an_email_or_identifier_another_contact_has_merges_the_two() {
    let app = spawn_app();
    let account = app.create_account();
    let identifier = account.widget_inbox_identifier(app, "Site");
    for field in ["email", "identifier"] {
        let claim = format!("kim-{}@example.test", unique());
        let known = app.visitor(&identifier, json!({ field: claim, "name": "Kim" }));
        let known_conversation = known.start_conversation();
        let anonymous = app.visitor(&identifier, json!({}));
        let own_conversation = anonymous.start_conversation();

        let merged = anonymous.call("PATCH", "", Some(json!({ field: claim })));
        assert_eq!(merged.status, 200, "{}", merged.text);
        assert_eq!(
            merged.body["id"], known.contact_id,
            "the existing contact survives ({field})"
        );
        assert_eq!(merged.body["name"], "Kim");
        assert_eq!(
            anonymous.conversation_ids(),
            [own_conversation],
            "an unverified session still sees only its own conversations ({field})"
        );
        let hidden = anonymous.call("GET", &format!("/conversations/{known_conversation}"), None);
        assert_eq!(hidden.status, 404);
    }
}

#[test]
fn sessions_are_bound_to_their_inbox() {
    let app = spawn_app();
    let account = app.create_account();
    let first = account.widget_inbox_identifier(app, "First");
    let second = account.widget_inbox_identifier(app, "Second");
    let visitor = app.visitor(&first, json!({}));
    let elsewhere = format!("/public/api/v1/inboxes/{second}/contacts/{}", visitor.source_id);
    assert_eq!(app.call_with("GET", &elsewhere, None, &[]).status, 404);
    assert_eq!(
        app.call_with("GET", &format!("{elsewhere}/conversations"), None, &[])
            .status,
        404
    );
    let unknown = format!("/public/api/v1/inboxes/{first}/contacts/no-such-session");
    assert_eq!(app.call_with("GET", &unknown, None, &[]).status, 404);
    assert_eq!(
        app.call_with("PATCH", &unknown, Some(json!({"name": "x"})), &[]).status,
        404
    );
}
