//! Secrets and random identifiers, from the platform's cryptographic RNG.

use crate::error::{ApiError, ApiResult};

pub(crate) fn random_bytes<const N: usize>() -> ApiResult<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes).map_err(|error| ApiError::Internal(format!("no randomness: {error}")))?;
    Ok(bytes)
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The bytes of an even-length hex string; `None` for anything else.
pub(crate) fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(text.get(at..at + 2)?, 16).ok())
        .collect()
}

/// 128 random bits as 32 hex characters: access, pubsub and HMAC tokens, inbox identifiers.
pub fn token() -> ApiResult<String> {
    Ok(to_hex(&random_bytes::<16>()?))
}

/// A random salt for password hashing.
pub fn salt() -> ApiResult<[u8; 16]> {
    random_bytes()
}

/// The `source_id` a caller chose, else a new random one.
pub fn given_or_new_source_id(given: Option<String>) -> ApiResult<String> {
    match given {
        Some(source_id) => Ok(source_id),
        None => uuid_v4(),
    }
}

/// A random UUID v4 (122 random bits), for `source_id` and conversation `uuid`.
pub fn uuid_v4() -> ApiResult<String> {
    let mut bytes = random_bytes::<16>()?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let text = to_hex(&bytes);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &text[0..8],
        &text[8..12],
        &text[12..16],
        &text[16..20],
        &text[20..32]
    ))
}

/// Two random bytes, enough to pick a readable name.
pub fn name_seed() -> ApiResult<[u8; 2]> {
    random_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_rejects_what_is_not_hex() {
        assert_eq!(from_hex(&to_hex(&[0, 15, 255])), Some(vec![0, 15, 255]));
        assert_eq!(from_hex(""), Some(vec![]));
        for bad in ["0", "zz", "0g", "é0"] {
            assert_eq!(from_hex(bad), None, "{bad}");
        }
    }

    #[test]
    fn tokens_are_128_bit_hex_and_distinct() {
        let (a, b) = (token().unwrap(), token().unwrap());
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn uuids_are_version_4_variant_1() {
        let id = uuid_v4().unwrap();
        let parts: Vec<&str> = id.split('-').collect();
        assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
        assert!(parts[2].starts_with('4'));
        assert!(matches!(parts[3].chars().next(), Some('8' | '9' | 'a' | 'b')));
    }
}
