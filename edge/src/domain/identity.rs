//! Identity validation (contract §3, HMAC): `identifier_hash` is the lowercase hex
//! HMAC-SHA256 of the contact's `identifier`, keyed by the inbox's `hmac_token`.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::domain::secrets::to_hex;
use crate::error::{ApiError, ApiResult};

pub fn identifier_hash(hmac_token: &str, identifier: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(hmac_token.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(identifier.as_bytes());
    to_hex(&mac.finalize().into_bytes())
}

/// What a request proves about the visitor's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdentityClaim<'a> {
    pub mandatory: bool,
    pub already_verified: bool,
    pub identifier: Option<&'a str>,
    pub hash: Option<&'a str>,
}

/// Whether the session is verified after this request; 401 when the hash is wrong, or
/// missing where the inbox makes it mandatory: there every create, show and update proves
/// the identity again (contract 3), a session verified before or not.
pub fn verify(hmac_token: &str, claim: IdentityClaim) -> ApiResult<bool> {
    match (claim.hash, claim.identifier) {
        (Some(hash), Some(identifier)) => {
            let expected = identifier_hash(hmac_token, identifier);
            if crate::auth::secrets_match(&hash.to_ascii_lowercase(), &expected) {
                Ok(true)
            } else {
                Err(ApiError::HmacFailed)
            }
        }
        (Some(_), None) => Err(ApiError::HmacFailed),
        (None, _) if claim.mandatory => Err(ApiError::HmacFailed),
        (None, _) => Ok(claim.already_verified),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "inbox-key";

    fn claim<'a>(identifier: Option<&'a str>, hash: Option<&'a str>) -> IdentityClaim<'a> {
        IdentityClaim {
            mandatory: false,
            already_verified: false,
            identifier,
            hash,
        }
    }

    #[test]
    fn matches_rfc_4231_test_case_2() {
        assert_eq!(
            identifier_hash("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn a_correct_hash_verifies_in_any_case() {
        let hash = identifier_hash(KEY, "user-1");
        assert_eq!(verify(KEY, claim(Some("user-1"), Some(&hash))), Ok(true));
        assert_eq!(verify(KEY, claim(Some("user-1"), Some(&hash.to_uppercase()))), Ok(true));
    }

    #[test]
    fn wrong_blank_foreign_and_orphan_hashes_fail() {
        let foreign = identifier_hash("other-inbox-key", "user-1");
        for hash in ["", "00", foreign.as_str()] {
            assert_eq!(
                verify(KEY, claim(Some("user-1"), Some(hash))),
                Err(ApiError::HmacFailed),
                "{hash:?}"
            );
        }
        let hash = identifier_hash(KEY, "user-1");
        assert_eq!(verify(KEY, claim(None, Some(&hash))), Err(ApiError::HmacFailed));
        assert_eq!(
            verify(KEY, claim(Some("user-2"), Some(&hash))),
            Err(ApiError::HmacFailed)
        );
    }

    #[test]
    fn mandatory_needs_a_hash_every_time() {
        let mandatory = IdentityClaim {
            mandatory: true,
            ..claim(Some("user-1"), None)
        };
        assert_eq!(verify(KEY, mandatory), Err(ApiError::HmacFailed));
        let verified_before = IdentityClaim {
            already_verified: true,
            ..mandatory
        };
        assert_eq!(verify(KEY, verified_before), Err(ApiError::HmacFailed));
        let hash = identifier_hash(KEY, "user-1");
        let proved = IdentityClaim {
            hash: Some(&hash),
            ..mandatory
        };
        assert_eq!(verify(KEY, proved), Ok(true));
        assert_eq!(verify(KEY, claim(Some("user-1"), None)), Ok(false));
        let optional_verified = IdentityClaim {
            already_verified: true,
            ..claim(Some("user-1"), None)
        };
        assert_eq!(verify(KEY, optional_verified), Ok(true));
    }
}
