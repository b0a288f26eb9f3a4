//! Password storage: PBKDF2-HMAC-SHA256 with a random salt, in a self-describing string so
//! the cost can be raised later without a migration.

use pbkdf2::pbkdf2_hmac;
use sha2::Sha256;

use crate::domain::secrets;
use crate::error::ApiResult;

/// Bounded by the Worker's CPU budget per request; raise it together with the plan's limits.
const ITERATIONS: u32 = 100_000;

/// `pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>`.
pub fn hash(password: &str) -> ApiResult<String> {
    Ok(hash_with(password, &secrets::salt()?, ITERATIONS))
}

/// Whether `password` is the one `stored` (as [`hash`] writes it) was made from. The hashes
/// are compared in constant time; a malformed `stored` matches nothing.
pub fn verify(password: &str, stored: &str) -> bool {
    let mut parts = stored.split('$');
    let (Some("pbkdf2-sha256"), Some(iterations), Some(salt), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Ok(iterations), Some(salt)) = (iterations.parse::<u32>(), secrets::from_hex(salt)) else {
        return false;
    };
    if iterations == 0 || iterations > 10 * ITERATIONS {
        return false;
    }
    let computed = hash_with(password, &salt, iterations);
    computed.len() == stored.len()
        && computed
            .bytes()
            .zip(stored.bytes())
            .fold(0u8, |difference, (a, b)| difference | (a ^ b))
            == 0
}

/// What an unknown e-mail is checked against, so that it costs the same time as a known one
/// and the answer cannot tell which part was wrong.
pub fn decoy() -> &'static str {
    "pbkdf2-sha256$100000$00000000000000000000000000000000$0000000000000000000000000000000000000000000000000000000000000000"
}

fn hash_with(password: &str, salt: &[u8], iterations: u32) -> String {
    let mut derived = [0u8; 32];
    pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, iterations, &mut derived);
    format!(
        "pbkdf2-sha256${iterations}${}${}",
        secrets::to_hex(salt),
        secrets::to_hex(&derived)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_rfc_7914_test_vector() {
        // RFC 7914 §11: PBKDF2-HMAC-SHA256("passwd", "salt", 1, 64); we keep the first 32 bytes.
        let hashed = hash_with("passwd", b"salt", 1);
        assert!(hashed.ends_with("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"));
    }

    #[test]
    fn the_right_password_verifies_and_nothing_else_does() {
        let stored = hash_with("Passw0rd!", b"0123456789abcdef", 1_000);
        assert!(verify("Passw0rd!", &stored));
        assert!(!verify("passw0rd!", &stored));
        assert!(!verify("", &stored));
        assert!(
            !verify("Passw0rd!", &stored.replace("$1000$", "$999$")),
            "cost is part of it"
        );
        for malformed in [
            "",
            "plain",
            "pbkdf2-sha256$x$00$00",
            "md5$1$00$00",
            &format!("{stored}$extra"),
        ] {
            assert!(!verify("Passw0rd!", malformed), "{malformed}");
        }
        assert!(!verify("anything", decoy()));
    }

    #[test]
    fn salts_make_equal_passwords_differ() {
        let (a, b) = (hash("Passw0rd!").unwrap(), hash("Passw0rd!").unwrap());
        assert_ne!(a, b);
        assert!(a.starts_with("pbkdf2-sha256$100000$"));
    }
}
