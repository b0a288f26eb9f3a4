//! Client API: identity validation with `identifier_hash` (contract §3, HMAC).

use hmac::{Hmac, Mac};
use nimchat_tests::{spawn_app, unique, unique_ip, TestAccount, TestApp};
use serde_json::{json, Value};
use sha2::Sha256;

fn hash(key: &str, identifier: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(identifier.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn inbox(app: &TestApp, account: &TestAccount, mandatory: bool) -> (String, String) {
    let inbox = account.create_inbox_with(
        app,
        json!({"name": "Secure", "channel": {"type": "web_widget", "hmac_mandatory": mandatory}}),
    );
    (
        inbox["inbox_identifier"].as_str().unwrap().into(),
        inbox["hmac_token"].as_str().unwrap().into(),
    )
}

fn create_contact(app: &TestApp, identifier: &str, body: Value) -> nimchat_tests::Reply {
    let path = format!("/public/api/v1/inboxes/{identifier}/contacts");
    app.call_with("POST", &path, Some(body), &[("CF-Connecting-IP", &unique_ip())])
}

const HMAC_FAILED: &str = "HMAC failed: Invalid Identifier Hash Provided";

#[test]
fn wrong_blank_and_foreign_hashes_are_401() {
    let app = spawn_app();
    let account = app.create_account();
    let (identifier, _key) = inbox(app, &account, false);
    let (_, other_key) = inbox(app, &account, false);
    let user = format!("user-{}", unique());
    for bad in [
        "deadbeef".to_string(),
        " ".to_string(),
        "0".repeat(64),
        hash(&other_key, &user),
    ] {
        let reply = create_contact(app, &identifier, json!({"identifier": user, "identifier_hash": bad}));
        assert_eq!(reply.status, 401, "{bad:?}: {}", reply.text);
        assert_eq!(reply.body, json!({"error": HMAC_FAILED}));
    }
    let orphan = create_contact(app, &identifier, json!({"identifier_hash": hash(&other_key, &user)}));
    assert_eq!(orphan.status, 401, "a hash without an identifier proves nothing");
}

#[test]
fn a_mandatory_inbox_needs_the_hash() {
    let app = spawn_app();
    let account = app.create_account();
    let (identifier, key) = inbox(app, &account, true);
    let public = app.call_with("GET", &format!("/public/api/v1/inboxes/{identifier}"), None, &[]);
    assert_eq!(public.body["identity_validation_enabled"], true);
    for body in [
        json!({}),
        json!({"identifier": "u-1"}),
        json!({"identifier": "u-1", "identifier_hash": ""}),
    ] {
        let reply = create_contact(app, &identifier, body.clone());
        assert_eq!(reply.status, 401, "{body}");
        assert_eq!(reply.body, json!({"error": HMAC_FAILED}));
    }
    let ok = create_contact(
        app,
        &identifier,
        json!({"identifier": "u-1", "identifier_hash": hash(&key, "u-1")}),
    );
    assert_eq!(ok.status, 200, "{}", ok.text);
    let source_id = ok.body["source_id"].as_str().unwrap();
    let contact = format!("/public/api/v1/inboxes/{identifier}/contacts/{source_id}");
    // Every show and update proves the identity again (contract 3).
    let shown = app.call_with("GET", &contact, None, &[]);
    assert_eq!(shown.status, 401, "show without the hash: {}", shown.text);
    let proved = app.call_with(
        "GET",
        &format!("{contact}?identifier_hash={}", hash(&key, "u-1")),
        None,
        &[],
    );
    assert_eq!(proved.status, 200, "{}", proved.text);
    let unproved = app.call_with("PATCH", &contact, Some(json!({"name": "Mallory"})), &[]);
    assert_eq!(unproved.status, 401, "update without the hash: {}", unproved.text);
    let updated = app.call_with(
        "PATCH",
        &contact,
        Some(json!({"name": "Uma", "identifier_hash": hash(&key, "u-1")})),
        &[],
    );
    assert_eq!(
        (updated.status, updated.body["name"].clone()),
        (200, json!("Uma")),
        "{}",
        updated.text
    );
}

#[test]
fn a_verified_session_sees_the_contacts_other_conversations() {
    let app = spawn_app();
    let account = app.create_account();
    let (identifier, key) = inbox(app, &account, false);
    let user = format!("user-{}", unique());
    let proof = hash(&key, &user);

    let laptop = app.visitor(&identifier, json!({"identifier": user, "identifier_hash": proof}));
    let laptop_conversation = laptop.start_conversation();
    let phone = app.visitor(&identifier, json!({"identifier": user, "identifier_hash": proof}));
    assert_eq!(phone.contact_id, laptop.contact_id);
    let phone_conversation = phone.start_conversation();
    assert_eq!(phone.conversation_ids(), [laptop_conversation, phone_conversation]);
    assert_eq!(
        phone
            .call("GET", &format!("/conversations/{laptop_conversation}"), None)
            .status,
        200
    );

    // Claiming the identifier without the hash attaches to the contact but proves nothing.
    let impostor = app.visitor(&identifier, json!({"identifier": user}));
    assert_eq!(impostor.contact_id, laptop.contact_id);
    assert_eq!(impostor.conversation_ids(), Vec::<i64>::new());
    assert_eq!(
        impostor
            .call("GET", &format!("/conversations/{laptop_conversation}"), None)
            .status,
        404
    );
    assert_eq!(
        impostor
            .call("GET", &format!("/conversations/{laptop_conversation}/messages"), None)
            .status,
        404
    );

    // Proving it later, on show, widens what the session sees.
    let proven = impostor.call("GET", &format!("?identifier_hash={proof}"), None);
    assert_eq!(proven.status, 200);
    assert_eq!(impostor.conversation_ids(), [laptop_conversation, phone_conversation]);
    let wrong = impostor.call("PATCH", "", Some(json!({"identifier_hash": "00"})));
    assert_eq!(wrong.status, 401);
}

/// The contact's identifier, as the account's members see it.
fn stored_identifier(app: &TestApp, account: &TestAccount, contact_id: i64) -> Value {
    let shown = account.admin_call(app, "GET", &format!("/contacts/{contact_id}"), None);
    assert_eq!(shown.status, 200, "{}", shown.text);
    shown.body["payload"]["identifier"].clone()
}

/// `setUser` after an anonymous chat: the contact takes the identifier it lacked (a hash
/// sent with it must prove it), and keeps it.
#[test]
fn an_anonymous_contact_takes_an_identifier_once_and_with_its_hash() {
    let app = spawn_app();
    let account = app.create_account();
    let (identifier, key) = inbox(app, &account, false);
    let user = format!("kari-{}", unique());
    let anonymous = app.visitor(&identifier, json!({}));
    let unproven = anonymous.call(
        "PATCH",
        "",
        Some(json!({"identifier": user, "identifier_hash": hash(&key, "someone-else")})),
    );
    assert_eq!(unproven.status, 401, "{}", unproven.text);
    assert_eq!(unproven.body["error"], HMAC_FAILED);
    assert_eq!(
        stored_identifier(app, &account, anonymous.contact_id),
        Value::Null,
        "nothing changed"
    );

    let linked = anonymous.call(
        "PATCH",
        "",
        Some(json!({"identifier": user, "identifier_hash": hash(&key, &user), "name": "Kari"})),
    );
    assert_eq!(linked.status, 200, "{}", linked.text);
    assert_eq!(linked.body["identifier"], user.as_str());
    assert_eq!(stored_identifier(app, &account, anonymous.contact_id), user.as_str());

    let other = format!("other-{}", unique());
    let again = anonymous.call(
        "PATCH",
        "",
        Some(json!({"identifier": other, "identifier_hash": hash(&key, &user)})),
    );
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.body["identifier"], user.as_str(), "an identifier never changes");
}
