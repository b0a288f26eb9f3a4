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
    fn salts_make_equal_passwords_differ() {
        let (a, b) = (hash("Passw0rd!").unwrap(), hash("Passw0rd!").unwrap());
        assert_ne!(a, b);
        assert!(a.starts_with("pbkdf2-sha256$100000$"));
    }
}
