//! `POST /auth/sign_in`: e-mail and password for the console (issue 16).

use nimchat_tests::{spawn_app, unique, unique_ip, Auth, TestApp};
use serde_json::{json, Value};

const PASSWORD: &str = "Trail-runner-42";

/// A user with a password, member of a new account: their e-mail.
fn user_with_password(app: &TestApp) -> String {
    let account = app.create_account();
    let email = format!("Signer-{}@Example.test", unique());
    let created = app.platform(
        "POST",
        "/users",
        Some(json!({"name": "Signe", "email": email, "password": PASSWORD})),
    );
    assert_eq!(created.status, 200, "{}", created.text);
    let user_id = created.body["id"].as_i64().unwrap();
    let joined = app.platform(
        "POST",
        &format!("/accounts/{}/account_users", account.id),
        Some(json!({"user_id": user_id, "role": "agent"})),
    );
    assert_eq!(joined.status, 200, "{}", joined.text);
    email
}

fn sign_in(app: &TestApp, ip: &str, body: Value) -> nimchat_tests::Reply {
    app.call_with("POST", "/auth/sign_in", Some(body), &[("CF-Connecting-IP", ip)])
}

#[test]
fn the_right_password_answers_the_user_with_a_token_that_works() {
    let app = spawn_app();
    let email = user_with_password(app);
    let signed = sign_in(
        app,
        &unique_ip(),
        json!({"email": email.to_lowercase(), "password": PASSWORD}),
    );
    assert_eq!(signed.status, 200, "{}", signed.text);
    let user = &signed.body["data"];
    assert_eq!(
        user["email"].as_str().map(str::to_lowercase),
        Some(email.to_lowercase())
    );
    assert!(user["accounts"].as_array().is_some_and(|accounts| accounts.len() == 1));
    let token = user["access_token"].as_str().expect("the access token");
    let profile = app.call("GET", "/api/v1/profile", Auth::Chatwoot(token), None);
    assert_eq!(profile.status, 200, "{}", profile.text);
    assert_eq!(profile.body["id"], user["id"]);
    assert!(!signed.text.contains("pbkdf2"), "no password hash leaves the edge");
}

#[test]
fn wrong_credentials_are_401_without_saying_which_part() {
    let app = spawn_app();
    let email = user_with_password(app);
    let wrong_password = sign_in(app, &unique_ip(), json!({"email": email, "password": "nope"}));
    let unknown_email = sign_in(
        app,
        &unique_ip(),
        json!({"email": format!("nobody-{}@example.test", unique()), "password": PASSWORD}),
    );
    let nothing = sign_in(app, &unique_ip(), json!({}));
    for reply in [&wrong_password, &unknown_email, &nothing] {
        assert_eq!(reply.status, 401, "{}", reply.text);
        assert_eq!(
            reply.body,
            json!({"success": false, "errors": ["Invalid login credentials. Please try again."]})
        );
    }
    let not_an_object = sign_in(app, &unique_ip(), json!(["email"]));
    assert_eq!(not_an_object.status, 400, "{}", not_an_object.text);
}

#[test]
fn five_failures_a_minute_lock_the_email_and_the_address_out() {
    let app = spawn_app();
    let email = user_with_password(app);
    for _ in 0..5 {
        let failed = sign_in(app, &unique_ip(), json!({"email": email, "password": "guess"}));
        assert_eq!(failed.status, 401, "{}", failed.text);
    }
    let locked = sign_in(app, &unique_ip(), json!({"email": email, "password": PASSWORD}));
    assert_eq!(locked.status, 429, "even the right password waits: {}", locked.text);
    let wait: u64 = locked
        .header("retry-after")
        .and_then(|s| s.parse().ok())
        .expect("Retry-After");
    assert!((1..=60).contains(&wait), "{wait}");

    // One address trying many e-mails.
    let address = unique_ip();
    for n in 0..5 {
        let failed = sign_in(
            app,
            &address,
            json!({"email": format!("x{n}-{}@example.test", unique()), "password": "guess"}),
        );
        assert_eq!(failed.status, 401, "{}", failed.text);
    }
    let other = user_with_password(app);
    let from_there = sign_in(app, &address, json!({"email": other, "password": PASSWORD}));
    assert_eq!(from_there.status, 429, "{}", from_there.text);
    let elsewhere = sign_in(app, &unique_ip(), json!({"email": other, "password": PASSWORD}));
    assert_eq!(
        elsewhere.status, 200,
        "another address is not locked: {}",
        elsewhere.text
    );
}
