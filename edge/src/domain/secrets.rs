//! Secrets and random identifiers, from the platform's cryptographic RNG.

use crate::error::{ApiError, ApiResult};

fn random_bytes<const N: usize>() -> ApiResult<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes)
        .map_err(|error| ApiError::Internal(format!("no randomness: {error}")))?;
    Ok(bytes)
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// 128 random bits as 32 hex characters: access, pubsub and HMAC tokens, inbox identifiers.
pub fn token() -> ApiResult<String> {
    Ok(to_hex(&random_bytes::<16>()?))
}

/// A random salt for password hashing.
pub fn salt() -> ApiResult<[u8; 16]> {
    random_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_128_bit_hex_and_distinct() {
        let (a, b) = (token().unwrap(), token().unwrap());
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
