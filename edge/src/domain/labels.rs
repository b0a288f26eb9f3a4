//! Label titles: lower case letters, digits, `-` and `_` (Chatwoot's rule), so that a title
//! reads the same in a URL, a filter and a list.

use crate::error::{ApiError, ApiResult};
use crate::input::label;

pub const MAX_TITLE_CHARS: usize = 255;

/// The title as stored (lower case), or a 422 naming `attribute`.
pub fn title(text: &str, attribute: &str) -> ApiResult<String> {
    let title = text.trim().to_lowercase();
    let valid = !title.is_empty()
        && title.chars().count() <= MAX_TITLE_CHARS
        && title
            .chars()
            .all(|character| character.is_alphanumeric() || character == '-' || character == '_');
    if valid {
        Ok(title)
    } else {
        Err(ApiError::invalid(
            attribute,
            "Labels may contain only letters, digits, - and _",
        ))
    }
}

/// A list of titles (each checked, duplicates dropped, order kept), as given to replace the
/// labels of a contact or a conversation; errors name `attribute`.
pub fn titles(values: &[serde_json::Value], attribute: &str) -> ApiResult<Vec<String>> {
    let mut titles: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        let text = value
            .as_str()
            .ok_or_else(|| ApiError::invalid(attribute, format!("{} must be a list of texts", label(attribute))))?;
        let title = title(text, attribute)?;
        if !titles.contains(&title) {
            titles.push(title);
        }
    }
    Ok(titles)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn titles_are_lower_case_words() {
        assert_eq!(title(" Billing-EU ", "title").unwrap(), "billing-eu");
        assert_eq!(title("café_2", "title").unwrap(), "café_2");
        for bad in ["", "two words", "a,b", "<b>", "%"] {
            assert!(title(bad, "title").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn lists_drop_duplicates_and_refuse_non_texts() {
        assert_eq!(
            titles(&[json!("VIP"), json!("vip"), json!("new")], "labels").unwrap(),
            ["vip", "new"]
        );
        assert_eq!(
            titles(&[json!(3)], "tags").unwrap_err(),
            ApiError::invalid("tags", "Tags must be a list of texts")
        );
    }
}
