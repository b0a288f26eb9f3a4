//! Application API: contacts as agents manage them (seed "Contacts").

use nimchat_tests::{spawn_app, unique, urlencode, Auth, TestAccount, TestApp};
use serde_json::{json, Value};

fn names(reply: &nimchat_tests::Reply) -> Vec<String> {
    reply.body["payload"]
        .as_array()
        .unwrap_or_else(|| panic!("a payload list: {}", reply.text))
        .iter()
        .map(|contact| contact["name"].as_str().unwrap().to_string())
        .collect()
}

/// A contact created by the administrator in a fresh inbox of the account.
fn create(app: &TestApp, account: &TestAccount, inbox_id: &Value, body: Value) -> Value {
    let mut body = body;
    body["inbox_id"] = inbox_id.clone();
    let reply = account.admin_call(app, "POST", "/contacts", Some(body));
    assert_eq!(reply.status, 200, "create contact: {}", reply.text);
    reply.body["payload"]["contact"].clone()
}

#[test]
fn contacts_are_created_into_an_inbox_shown_updated_and_deleted() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox(app, "Shop");
    let email = format!("grace-{}@example.test", unique());
    let reply = account.admin_call(
        app,
        "POST",
        "/contacts",
        Some(
            json!({"inbox_id": inbox["id"], "name": "Grace", "email": email, "phone_number": "+14155550100",
                    "identifier": "crm-1", "custom_attributes": {"plan": "pro"},
                    "additional_attributes": {"city": "Paris"}}),
        ),
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    let contact = &reply.body["payload"]["contact"];
    let id = contact["id"].as_i64().unwrap();
    assert_eq!(contact["email"], email.as_str());
    assert_eq!(contact["identifier"], "crm-1");
    assert_eq!(contact["additional_attributes"]["city"], "Paris");
    let source_id = reply.body["payload"]["contact_inbox"]["source_id"].as_str().unwrap();
    assert_eq!(contact["contact_inboxes"][0]["source_id"], source_id);
    assert_eq!(contact["contact_inboxes"][0]["inbox"]["id"], inbox["id"]);

    // The session works in the Client API.
    let visitor_path = format!(
        "/public/api/v1/inboxes/{}/contacts/{source_id}",
        inbox["inbox_identifier"].as_str().unwrap()
    );
    assert_eq!(app.call("GET", &visitor_path, Auth::Anonymous, None).body["id"], id);

    let path = format!("/contacts/{id}");
    let shown = app.call("GET", &account.path(&path), account.agent.auth(), None);
    assert_eq!(shown.status, 200, "agents read contacts: {}", shown.text);
    assert_eq!(shown.body["payload"]["name"], "Grace");

    let updated = account.admin_call(
        app,
        "PATCH",
        &path,
        Some(json!({"name": "Grace H", "email": "", "custom_attributes": {"seats": 3}})),
    );
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.body["payload"]["name"], "Grace H");
    assert_eq!(
        updated.body["payload"]["email"],
        email.as_str(),
        "a blank field is left alone"
    );
    assert_eq!(
        updated.body["payload"]["custom_attributes"],
        json!({"plan": "pro", "seats": 3})
    );

    let twin = account.admin_call(
        app,
        "POST",
        "/contacts",
        Some(json!({"inbox_id": inbox["id"], "name": "Twin", "email": email.to_uppercase()})),
    );
    assert_eq!(twin.status, 422, "{}", twin.text);
    assert_eq!(twin.body["attributes"], json!(["email"]));
    for bad in [
        json!({"name": "No inbox"}),
        json!({"inbox_id": 999_999_999, "name": "Nowhere"}),
        json!({"inbox_id": inbox["id"], "email": "not-an-email"}),
        json!({"inbox_id": inbox["id"], "custom_attributes": "plan"}),
    ] {
        let reply = account.admin_call(app, "POST", "/contacts", Some(bad.clone()));
        assert_eq!(reply.status, 422, "{bad}: {}", reply.text);
    }

    let other = app.create_account();
    let hidden = app.call("GET", &account.path(&path), other.admin.auth(), None);
    assert_eq!(hidden.status, 404, "another account's administrator: {}", hidden.text);
    assert_eq!(
        other.admin_call(app, "GET", &path, None).status,
        404,
        "not in their account"
    );
    assert_eq!(app.call("GET", &account.path(&path), Auth::Anonymous, None).status, 401);

    let by_agent = app.call("DELETE", &account.path(&path), account.agent.auth(), None);
    assert_eq!(by_agent.status, 403, "{}", by_agent.text);
    assert_eq!(account.admin_call(app, "DELETE", &path, None).status, 200);
    assert_eq!(account.admin_call(app, "GET", &path, None).status, 404);
    assert_eq!(
        app.call("GET", &visitor_path, Auth::Anonymous, None).status,
        404,
        "its session is gone too"
    );
}

#[test]
fn lists_hold_resolved_contacts_fifteen_a_page_in_every_order() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox(app, "Shop");
    // An anonymous visitor is not a resolved contact.
    app.visitor(inbox["inbox_identifier"].as_str().unwrap(), json!({}));
    let letters: Vec<char> = ('a'..='q').collect();
    for (index, letter) in letters.iter().enumerate() {
        let phone = (index % 2 == 0).then(|| format!("+1415555{:04}", 100 - index));
        create(
            app,
            &account,
            &inbox["id"],
            json!({"name": format!("{letter} contact"), "email": format!("{}{}@example.test", letters[16 - index], unique()),
                   "phone_number": phone}),
        );
    }
    let list = |query: &str| account.admin_call(app, "GET", &format!("/contacts{query}"), None);
    let first = list("?sort=name");
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.body["meta"], json!({"count": 17, "current_page": 1}));
    let alphabet: Vec<String> = letters.iter().map(|letter| format!("{letter} contact")).collect();
    assert_eq!(names(&first), alphabet[..15]);
    assert_eq!(names(&list("?sort=name&page=2")), alphabet[15..], "the last page");
    assert!(names(&list("?sort=name&page=3")).is_empty(), "past the end");
    assert_eq!(names(&list("?sort=name&page=0")), alphabet[..15], "page 0 reads as 1");
    assert_eq!(
        names(&list("?sort=name&page=-2")),
        alphabet[..15],
        "negative pages read as 1"
    );
    let reversed: Vec<String> = alphabet.iter().rev().cloned().collect();
    assert_eq!(names(&list("?sort=-name")), reversed[..15]);
    assert_eq!(names(&list("?sort=email")), reversed[..15], "emails run the other way");
    assert_eq!(names(&list("?sort=-email")), alphabet[..15]);
    // Phones fall as letters rise; contacts without one come last either way.
    let with_phone: Vec<String> = alphabet.iter().step_by(2).cloned().collect();
    assert_eq!(
        names(&list("?sort=phone_number"))[..9],
        with_phone.iter().rev().cloned().collect::<Vec<_>>()[..]
    );
    assert_eq!(names(&list("?sort=-phone_number"))[..9], with_phone[..]);
    assert_eq!(names(&list("?sort=-last_activity_at")).len(), 15);
    for bad in ["?sort=age", "?sort=--name", "?page=x"] {
        assert_eq!(list(bad).status, 422, "{bad}");
    }
}

#[test]
fn search_matches_name_email_phone_and_identifier_literally() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox(app, "Shop");
    let tag = unique();
    create(
        app,
        &account,
        &inbox["id"],
        json!({"name": "Marie Curie", "email": format!("marie{tag}@lab.test")}),
    );
    create(
        app,
        &account,
        &inbox["id"],
        json!({"name": "Pierre", "phone_number": "+33612345678"}),
    );
    create(
        app,
        &account,
        &inbox["id"],
        json!({"name": "Irène", "identifier": format!("ID-{tag}")}),
    );
    create(
        app,
        &account,
        &inbox["id"],
        json!({"name": "100% Sure", "identifier": format!("pct-{tag}")}),
    );
    create(
        app,
        &account,
        &inbox["id"],
        json!({"name": "' OR 1=1 --", "identifier": format!("q-{tag}")}),
    );
    let search = |q: &str| {
        let path = format!("/contacts/search?q={}", urlencode(q));
        let reply = account.admin_call(app, "GET", &path, None);
        assert_eq!(reply.status, 200, "{q}: {}", reply.text);
        let mut found = names(&reply);
        found.sort();
        found
    };
    assert_eq!(search("curie"), ["Marie Curie"], "name, any case");
    assert_eq!(search(&format!("marie{tag}@")), ["Marie Curie"], "email");
    assert_eq!(search("+3361234"), ["Pierre"], "phone");
    assert_eq!(search(&format!("id-{tag}")), ["Irène"], "identifier");
    assert_eq!(search("%"), ["100% Sure"], "% is a character, not a wildcard");
    assert_eq!(search("' OR 1=1 --"), ["' OR 1=1 --"], "only the literal match");
    assert!(search("_").is_empty(), "_ is a character too");
    assert_eq!(account.admin_call(app, "GET", "/contacts/search?q=", None).status, 422);
}

#[test]
fn filters_apply_every_operator() {
    let app = spawn_app();
    let account = app.create_account();
    account.define_attribute(app, "seats", "number", 1);
    account.define_attribute(app, "tier", "text", 1);
    let inbox = account.create_inbox(app, "Shop");
    let tag = unique();
    let ann = create(
        app,
        &account,
        &inbox["id"],
        json!({"name": "Ann", "email": format!("ann{tag}@a.test"), "custom_attributes": {"seats": 5, "tier": "gold"},
               "additional_attributes": {"country_code": "fr"}}),
    );
    create(
        app,
        &account,
        &inbox["id"],
        json!({"name": "Bob", "email": format!("bob{tag}@b.test"), "custom_attributes": {"seats": 12},
               "additional_attributes": {"country_code": "de"}}),
    );
    create(
        app,
        &account,
        &inbox["id"],
        json!({"name": "Cy 50%", "phone_number": "+14155550123"}),
    );
    let labelled = account.admin_call(
        app,
        "POST",
        &format!("/contacts/{}/labels", ann["id"]),
        Some(json!({"labels": ["VIP"]})),
    );
    assert_eq!(labelled.status, 200, "{}", labelled.text);
    assert_eq!(labelled.body["payload"], json!(["vip"]));

    let filter = |conditions: Value| {
        let reply = account.admin_call(app, "POST", "/contacts/filter", Some(json!({"payload": conditions})));
        assert_eq!(reply.status, 200, "{conditions}: {}", reply.text);
        let mut found = names(&reply);
        found.sort();
        found
    };
    let one = |key: &str, operator: &str, values: Value| {
        filter(json!([{"attribute_key": key, "filter_operator": operator, "values": values, "query_operator": null}]))
    };
    assert_eq!(one("name", "equal_to", json!(["ann", "BOB"])), ["Ann", "Bob"]);
    assert_eq!(one("name", "not_equal_to", json!(["Ann"])), ["Bob", "Cy 50%"]);
    assert_eq!(one("name", "starts_with", json!(["b", "CY"])), ["Bob", "Cy 50%"]);
    assert_eq!(one("name", "starts_with", json!(["nn"])), Vec::<String>::new());
    assert_eq!(one("email", "contains", json!([format!("{tag}@b.")])), ["Bob"]);
    assert_eq!(
        one("email", "does_not_contain", json!([format!("{tag}@a.")])),
        ["Bob", "Cy 50%"]
    );
    assert_eq!(one("phone_number", "is_present", json!([])), ["Cy 50%"]);
    assert_eq!(one("phone_number", "is_not_present", json!([])), ["Ann", "Bob"]);
    assert_eq!(one("seats", "is_greater_than", json!([6])), ["Bob"]);
    assert_eq!(one("seats", "is_less_than", json!([6])), ["Ann"]);
    assert_eq!(one("tier", "equal_to", json!(["gold"])), ["Ann"]);
    assert_eq!(one("country_code", "equal_to", json!(["de"])), ["Bob"]);
    assert_eq!(one("labels", "equal_to", json!(["vip"])), ["Ann"]);
    assert_eq!(one("labels", "is_not_present", json!([])), ["Bob", "Cy 50%"]);
    assert_eq!(one("created_at", "is_greater_than", json!(["2020-01-01"])).len(), 3);
    assert!(one("created_at", "is_less_than", json!(["2020-01-01"])).is_empty());
    assert_eq!(
        one("name", "contains", json!(["%"])),
        ["Cy 50%"],
        "% matches only itself"
    );
    assert!(
        one("name", "equal_to", json!(["' OR 1=1 --"])).is_empty(),
        "no injection"
    );
    assert!(
        one("name", "contains", json!(["' OR 1=1 --"])).is_empty(),
        "no injection"
    );
    assert_eq!(
        filter(json!([
            {"attribute_key": "name", "filter_operator": "equal_to", "values": ["Ann"], "query_operator": "OR"},
            {"attribute_key": "seats", "filter_operator": "is_greater_than", "values": [10], "query_operator": "AND"},
            {"attribute_key": "country_code", "filter_operator": "equal_to", "values": ["de"]},
        ])),
        ["Ann", "Bob"],
        "AND binds tighter than OR"
    );
    for bad in [
        json!([{"attribute_key": "name; DROP TABLE contacts", "filter_operator": "equal_to", "values": ["x"]}]),
        json!([{"attribute_key": "name", "filter_operator": "ends_with", "values": ["A"]}]),
        json!([{"attribute_key": "name", "filter_operator": "equal_to", "values": []}]),
        json!([{"attribute_key": "created_at", "filter_operator": "is_greater_than", "values": ["soon"]}]),
        json!([{"attribute_key": "name", "filter_operator": "equal_to", "values": ["x"], "query_operator": "XOR"}]),
        json!([]),
        json!("name = 'x'"),
    ] {
        let reply = account.admin_call(app, "POST", "/contacts/filter", Some(json!({"payload": bad})));
        assert_eq!(reply.status, 422, "{bad}: {}", reply.text);
    }
}

#[test]
fn contact_labels_are_replaced_and_checked() {
    let app = spawn_app();
    let account = app.create_account();
    let inbox = account.create_inbox(app, "Shop");
    let contact = create(
        app,
        &account,
        &inbox["id"],
        json!({"name": "Lab", "email": format!("lab{}@x.test", unique())}),
    );
    let path = format!("/contacts/{}/labels", contact["id"]);
    account.admin_call(app, "POST", &path, Some(json!({"labels": ["a", "b"]})));
    let replaced = account.admin_call(app, "POST", &path, Some(json!({"labels": ["c", "B"]})));
    assert_eq!(replaced.body["payload"], json!(["b", "c"]));
    assert_eq!(
        account.admin_call(app, "GET", &path, None).body["payload"],
        json!(["b", "c"])
    );
    for bad in [
        json!({"labels": ["two words"]}),
        json!({"labels": "a"}),
        json!({"labels": [1]}),
    ] {
        assert_eq!(
            account.admin_call(app, "POST", &path, Some(bad.clone())).status,
            422,
            "{bad}"
        );
    }
    assert_eq!(
        account.admin_call(app, "GET", &path, None).body["payload"],
        json!(["b", "c"]),
        "unchanged by refusals"
    );
    let conversations = account.admin_call(app, "GET", &format!("/contacts/{}/conversations", contact["id"]), None);
    assert_eq!(conversations.status, 200, "{}", conversations.text);
    assert_eq!(conversations.body["payload"], json!([]));
}
