//! Standard Webhooks 1.0, symmetric (contract 7.1): the secret's form, the message id and
//! the signature over `{id}.{timestamp}.{body}`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

const SECRET_PREFIX: &str = "whsec_";

/// `whsec_` and the base64 of 32 random bytes.
pub fn secret(random: [u8; 32]) -> String {
    format!("{SECRET_PREFIX}{}", STANDARD.encode(random))
}

/// `webhook-id`: `msg_` and 32 lowercase hex characters, one per event and endpoint.
pub fn message_id(random: [u8; 16]) -> String {
    format!("msg_{}", crate::domain::secrets::to_hex(&random))
}

/// `webhook-signature`: `v1,` and the base64 of HMAC-SHA256 keyed with the secret's decoded
/// bytes. `None` for a secret not of that form (none is stored).
pub fn signature(secret: &str, message_id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = STANDARD.decode(secret.strip_prefix(SECRET_PREFIX)?).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{message_id}.{timestamp}.").as_bytes());
    mac.update(body.as_bytes());
    Some(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

#[cfg(test)]
mod tests {
    use super::{message_id, secret, signature};

    #[test]
    fn signs_as_the_standard_webhooks_reference_does() {
        // The example of the Standard Webhooks reference libraries' test suites.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            signature(secret, id, 1614265330, body).unwrap(),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        assert_ne!(
            signature(secret, id, 1614265331, body),
            signature(secret, id, 1614265330, body)
        );
    }

    #[test]
    fn secrets_and_ids_have_their_forms() {
        let made = secret([7; 32]);
        assert!(made.starts_with("whsec_") && made.len() == 6 + 44);
        assert!(signature(&made, "msg_x", 1, "{}").is_some());
        assert_eq!(signature("not-a-secret", "msg_x", 1, "{}"), None);
        let id = message_id([0xab; 16]);
        assert_eq!(id, format!("msg_{}", "ab".repeat(16)));
    }
}
