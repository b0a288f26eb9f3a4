//! Links to stored files: `/files/{key}?expires={unix time}&signature={hex}`, where the
//! signature is the HMAC-SHA256 of the expiry and the object key under the edge's
//! `FILE_URL_SECRET`. Whoever may read a message gets a fresh link on every read; a link
//! that expired, or whose key or expiry was altered, opens nothing.

use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::Sha256;

use crate::domain::secrets::to_hex;

/// How long a link opens its file: long enough for a chat left open, short enough that a
/// forwarded link soon stops working.
pub const LINK_LIFETIME_SECONDS: i64 = 6 * 3600;

/// Path characters left as they are; everything else in a key is percent-encoded.
const KEPT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

fn signature(secret: &[u8], key: &str, expires: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(expires.to_string().as_bytes());
    mac.update(b"\n");
    mac.update(key.as_bytes());
    to_hex(&mac.finalize().into_bytes())
}

/// The link to `key` from `origin` (`https://chat.example.com`), valid from `now` on.
pub fn link(origin: &str, secret: &[u8], key: &str, now: i64) -> String {
    let expires = now + LINK_LIFETIME_SECONDS;
    let path: Vec<String> = key
        .split('/')
        .map(|segment| utf8_percent_encode(segment, KEPT).to_string())
        .collect();
    format!(
        "{origin}/files/{}?expires={expires}&signature={}",
        path.join("/"),
        signature(secret, key, expires)
    )
}

/// The object key a link's path segments (after `/files/`) name.
pub fn key_of(segments: &[&str]) -> Option<String> {
    let decoded: Option<Vec<String>> = segments
        .iter()
        .map(|segment| {
            percent_decode_str(segment)
                .decode_utf8()
                .ok()
                .map(|text| text.into_owned())
        })
        .collect();
    let decoded = decoded?;
    decoded
        .iter()
        .all(|segment| !segment.is_empty() && segment != "." && segment != ".." && !segment.contains('/'))
        .then(|| decoded.join("/"))
}

/// Whether a link's expiry and signature let it open `key` at `now`.
pub fn opens(secret: &[u8], key: &str, expires: i64, given_signature: &str, now: i64) -> bool {
    now <= expires
        && crate::auth::secrets_match(&given_signature.to_ascii_lowercase(), &signature(secret, key, expires))
}

/// `Content-Disposition` of a stored file: shown in place (raster images) or downloaded,
/// under its name (an ASCII stand-in for old clients, the exact name in `filename*`).
pub fn disposition(name: &str, inline: bool) -> String {
    let kind = if inline { "inline" } else { "attachment" };
    let ascii: String = name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() || c == ' ') && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "{kind}; filename=\"{ascii}\"; filename*=UTF-8''{}",
        utf8_percent_encode(name, KEPT)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"file-url-secret";
    const NOW: i64 = 1_800_000_000;

    fn parts(link: &str) -> (String, i64, String) {
        let (path, query) = link.split_once('?').unwrap();
        let segments: Vec<&str> = path.split("/files/").nth(1).unwrap().split('/').collect();
        let mut expires = 0;
        let mut signature = String::new();
        for pair in query.split('&') {
            match pair.split_once('=').unwrap() {
                ("expires", value) => expires = value.parse().unwrap(),
                ("signature", value) => signature = value.to_string(),
                _ => {}
            }
        }
        (key_of(&segments).unwrap(), expires, signature)
    }

    #[test]
    fn a_link_opens_its_file_until_it_expires() {
        let key = "7/3f2a/résumé 2026.pdf";
        let link = link("https://chat.example", SECRET, key, NOW);
        assert!(link.starts_with("https://chat.example/files/7/3f2a/r%C3%A9sum%C3%A9%202026.pdf?expires="));
        let (decoded, expires, signature) = parts(&link);
        assert_eq!(decoded, key);
        assert!(opens(SECRET, key, expires, &signature, NOW));
        assert!(opens(SECRET, key, expires, &signature, NOW + LINK_LIFETIME_SECONDS));
        assert!(!opens(
            SECRET,
            key,
            expires,
            &signature,
            NOW + LINK_LIFETIME_SECONDS + 1
        ));
    }

    #[test]
    fn altered_links_open_nothing() {
        let key = "7/3f2a/a.png";
        let (_, expires, signature) = parts(&link("", SECRET, key, NOW));
        assert!(!opens(SECRET, "7/3f2b/a.png", expires, &signature, NOW));
        assert!(!opens(SECRET, key, expires + 3600, &signature, NOW));
        assert!(!opens(b"another secret", key, expires, &signature, NOW));
        assert!(!opens(SECRET, key, expires, "", NOW));
    }

    #[test]
    fn dispositions_name_the_file() {
        assert_eq!(
            disposition("a.png", true),
            "inline; filename=\"a.png\"; filename*=UTF-8''a.png"
        );
        assert_eq!(
            disposition("résumé \"x\".pdf", false),
            "attachment; filename=\"r_sum_ _x_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22x%22.pdf"
        );
    }

    #[test]
    fn keys_never_climb_out() {
        assert_eq!(key_of(&["7", "x", "a.png"]), Some("7/x/a.png".into()));
        assert_eq!(key_of(&["7", "..", "a.png"]), None);
        assert_eq!(key_of(&["7", "a%2Fb"]), None);
        assert_eq!(key_of(&["7", "%FF"]), None);
    }
}
