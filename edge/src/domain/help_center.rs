//! The help center's rules (contract 7.5): slugs, locales, colours, host names, article
//! statuses, and the slug an article gets from its title.

/// `[a-z0-9]+(-[a-z0-9]+)*`, at most 100 characters.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 100
        && text
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// `[a-z]{2}([_-][A-Za-z]{2,4})?`.
pub fn is_locale(text: &str) -> bool {
    let bytes = text.as_bytes();
    let language = bytes.len() >= 2 && bytes[..2].iter().all(u8::is_ascii_lowercase);
    match bytes.get(2) {
        None => language,
        Some(b'_' | b'-') => {
            language && (2..=4).contains(&bytes[3..].len()) && bytes[3..].iter().all(u8::is_ascii_alphabetic)
        }
        Some(_) => false,
    }
}

/// `#rrggbb` or `#rgb`.
pub fn is_color(text: &str) -> bool {
    text.strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A host name: dot-separated labels of letters, digits and inner hyphens.
pub fn is_host_name(text: &str) -> bool {
    text.len() <= 253
        && text.contains('.')
        && text.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// An article's status: the word, or the swagger's 0, 1, 2.
pub fn article_status(given: &serde_json::Value) -> Option<&'static str> {
    const STATUSES: [&str; 3] = ["draft", "published", "archived"];
    match given {
        serde_json::Value::String(word) => STATUSES.iter().find(|status| *status == word).copied(),
        serde_json::Value::Number(number) => number.as_u64().and_then(|index| STATUSES.get(index as usize).copied()),
        _ => None,
    }
}

/// The title lower-cased, each run of other characters replaced by `-`, cut to fit a slug.
pub fn slug_of_title(title: &str) -> String {
    let mut slug = String::new();
    for character in title.to_lowercase().chars() {
        if character.is_ascii_lowercase() || character.is_ascii_digit() {
            slug.push(character);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let mut slug: String = slug.trim_end_matches('-').chars().take(90).collect();
    slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "article".into()
    } else {
        slug
    }
}

/// `base`, else `base-2`, `base-3` ... : the first that `taken` does not hold.
pub fn free_slug(base: &str, taken: &[String]) -> String {
    if !taken.iter().any(|slug| slug == base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| base.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn slugs_locales_colours_and_hosts() {
        for good in ["help", "help-center-2", "a1"] {
            assert!(is_slug(good), "{good}");
        }
        for bad in [
            "",
            "Help",
            "-help",
            "help-",
            "help--center",
            "help_center",
            &"a".repeat(101),
        ] {
            assert!(!is_slug(bad), "{bad}");
        }
        for good in ["en", "pt_BR", "zh-Hant", "de-at"] {
            assert!(is_locale(good), "{good}");
        }
        for bad in ["EN", "e", "english", "pt_", "pt_B", "pt_BRAZI", "pt.BR"] {
            assert!(!is_locale(bad), "{bad}");
        }
        assert!(is_color("#1f93ff") && is_color("#FFF") && !is_color("1f93ff") && !is_color("#12345"));
        assert!(is_host_name("help.example.com") && !is_host_name("localhost") && !is_host_name("-a.example.com"));
        assert!(!is_host_name("https://help.example.com"));
    }

    #[test]
    fn statuses_take_words_and_numbers() {
        assert_eq!(article_status(&json!("published")), Some("published"));
        assert_eq!(article_status(&json!(2)), Some("archived"));
        assert_eq!(article_status(&json!(3)), None);
        assert_eq!(article_status(&json!("live")), None);
    }

    #[test]
    fn titles_make_free_slugs() {
        assert_eq!(
            slug_of_title("How do I reset my password?"),
            "how-do-i-reset-my-password"
        );
        assert_eq!(slug_of_title("  Ünïcode & Co.  "), "n-code-co");
        assert_eq!(slug_of_title("???"), "article");
        let taken = vec!["setup".to_string(), "setup-2".to_string()];
        assert_eq!(free_slug("setup", &taken), "setup-3");
        assert_eq!(free_slug("install", &taken), "install");
    }
}
