//! Input rules of the contract that need no I/O, shared so the widget can check a form
//! before sending it and the edge can reject it with the same words.

/// The longest email address SMTP allows (RFC 5321).
const MAX_EMAIL_LEN: usize = 254;

/// A pragmatic address check: one `@`, a non-empty local part without spaces, and a domain
/// with a dot whose labels are letters, digits or hyphens. Full RFC 5322 is not wanted:
/// quoted local parts are legal but never typed into a chat widget.
pub fn is_valid_email(email: &str) -> bool {
    if email.len() > MAX_EMAIL_LEN {
        return false;
    }
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.chars().all(|c| {
            c.is_ascii_graphic()
                && !matches!(
                    c,
                    '@' | '(' | ')' | ',' | ':' | ';' | '<' | '>' | '[' | ']' | '\\' | '"'
                )
        });
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                // Any non-ASCII character passes (internationalised domains) without Unicode
                // tables, which would weigh ~10 KB in the widget that shares this check.
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || !c.is_ascii())
        });
    local_ok && domain_ok
}

/// Chatwoot's password rule: at least 8 characters with an upper-case letter, a lower-case
/// letter, a digit and a special character. Returns the sentence to show when it fails.
pub fn password_problem(password: &str) -> Option<&'static str> {
    if password.chars().count() < 8 {
        return Some("Password is too short (minimum is 8 characters)");
    }
    let has_upper = password.chars().any(char::is_uppercase);
    let has_lower = password.chars().any(char::is_lowercase);
    let has_digit = password.chars().any(|c| c.is_ascii_digit());
    let has_special = password.chars().any(|c| !c.is_alphanumeric() && !c.is_whitespace());
    if has_upper && has_lower && has_digit && has_special {
        None
    } else {
        Some("Password must contain uppercase, lowercase letters, number and a special character")
    }
}

/// `#rgb` or `#rrggbb`, the forms a colour picker produces.
pub fn is_valid_hex_color(color: &str) -> bool {
    let Some(hex) = color.strip_prefix('#') else {
        return false;
    };
    matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// E.164: a plus sign, a non-zero leading digit, at most 15 digits in all.
pub fn is_valid_e164(phone: &str) -> bool {
    let Some(digits) = phone.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len()) && !digits.starts_with('0') && digits.chars().all(|c| c.is_ascii_digit())
}

/// A domain pattern for `allowed_domains`: a host name, optionally starting with `*.`.
pub fn is_valid_domain_pattern(pattern: &str) -> bool {
    let host = pattern.strip_prefix("*.").unwrap_or(pattern);
    !host.is_empty()
        && host.len() <= 253
        && host
            .split('.')
            .all(|label| !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for good in ["a@b.co", "first.last+tag@example.com", "x@sub.domain.org"] {
            assert!(is_valid_email(good), "{good}");
        }
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@b",
            "a b@c.com",
            "a@b..com",
            "a@-b.com",
            "a@b.com@c.com",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
        assert!(!is_valid_email(&format!("{}@example.com", "a".repeat(250))));
        assert!(is_valid_email("kari@bjørnøy.no"), "internationalised domains");
        assert!(!is_valid_email("a@exa_mple.com"));
    }

    #[test]
    fn passwords() {
        assert_eq!(password_problem("Passw0rd!"), None);
        assert!(password_problem("Pa0!").unwrap().contains("too short"));
        for weak in ["password1!", "PASSWORD1!", "Password!!", "Password12"] {
            assert!(password_problem(weak).unwrap().contains("uppercase"), "{weak}");
        }
    }

    #[test]
    fn colors() {
        assert!(is_valid_hex_color("#1f93ff"));
        assert!(is_valid_hex_color("#FFF"));
        for bad in ["1f93ff", "#1f93f", "#gggggg", "", "#"] {
            assert!(!is_valid_hex_color(bad), "{bad}");
        }
    }

    #[test]
    fn phones() {
        assert!(is_valid_e164("+14155552671"));
        for bad in ["14155552671", "+0123", "+1", "+1415555267123456", "+1 415"] {
            assert!(!is_valid_e164(bad), "{bad}");
        }
    }

    #[test]
    fn domain_patterns() {
        assert!(is_valid_domain_pattern("example.com"));
        assert!(is_valid_domain_pattern("*.example.com"));
        assert!(is_valid_domain_pattern("localhost"));
        for bad in ["", "*.", "exa mple.com", "https://example.com", "a..b"] {
            assert!(!is_valid_domain_pattern(bad), "{bad}");
        }
    }
}
