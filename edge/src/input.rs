//! Typed reading of request bodies. A field of the wrong JSON type is a 422 naming the field;
//! `null` and `""` mean "not given", which on updates leaves the stored value unchanged.

use serde_json::{Map, Value};

use nimchat_shared::validation::is_valid_email;

use crate::error::{ApiError, ApiResult};

/// The largest integer a JSON number can carry exactly into D1 (2^53 - 1).
const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// A JSON object read field by field.
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a> {
    map: &'a Map<String, Value>,
}

impl<'a> Fields<'a> {
    pub fn new(map: &'a Map<String, Value>) -> Self {
        Fields { map }
    }

    /// The value of `key` unless absent, `null` or the empty string.
    fn given(&self, key: &str) -> Option<&'a Value> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) if text.is_empty() => None,
            Some(value) => Some(value),
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.given(key).is_some()
    }

    /// A string of at most `max_chars` characters, trimmed of surrounding white space.
    pub fn text(&self, key: &str, max_chars: usize) -> ApiResult<Option<String>> {
        match self.given(key) {
            None => Ok(None),
            Some(Value::String(text)) => {
                let text = text.trim();
                if text.chars().count() > max_chars {
                    Err(ApiError::invalid(
                        key,
                        format!("{} is too long (maximum is {max_chars} characters)", label(key)),
                    ))
                } else if text.is_empty() {
                    Ok(None)
                } else {
                    Ok(Some(text.to_string()))
                }
            }
            Some(_) => Err(ApiError::invalid(key, format!("{} must be a string", label(key)))),
        }
    }

    /// An absolute http or https URL.
    pub fn url(&self, key: &str) -> ApiResult<Option<String>> {
        let url = self.text(key, 2048)?;
        match &url {
            Some(text) if !is_http_url(text) => Err(ApiError::invalid(
                key,
                format!("{} must be an http or https URL", label(key)),
            )),
            _ => Ok(url),
        }
    }

    /// An email address, compared case-insensitively wherever it is stored.
    pub fn email(&self, key: &str) -> ApiResult<Option<String>> {
        let email = self.text(key, 254)?;
        match &email {
            Some(text) if !is_valid_email(text) => Err(ApiError::invalid(key, format!("{} is invalid", label(key)))),
            _ => Ok(email),
        }
    }

    /// Like [`Fields::text`], but absence is a 422.
    pub fn required_text(&self, key: &str, max_chars: usize) -> ApiResult<String> {
        self.text(key, max_chars)?
            .ok_or_else(|| ApiError::invalid(key, format!("{} can't be blank", label(key))))
    }

    pub fn bool(&self, key: &str) -> ApiResult<Option<bool>> {
        match self.given(key) {
            None => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(*flag)),
            Some(_) => Err(ApiError::invalid(key, format!("{} must be true or false", label(key)))),
        }
    }

    /// A positive id: a JSON integer, or a string of digits as some Chatwoot clients send.
    pub fn id(&self, key: &str) -> ApiResult<Option<i64>> {
        self.given(key).map(|value| parse_id(key, value)).transpose()
    }

    pub fn required_id(&self, key: &str) -> ApiResult<i64> {
        self.id(key)?
            .ok_or_else(|| ApiError::invalid(key, format!("{} can't be blank", label(key))))
    }

    /// A list of positive ids (an empty list is given, not absent).
    pub fn ids(&self, key: &str) -> ApiResult<Option<Vec<i64>>> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| parse_id(key, item))
                .collect::<ApiResult<Vec<i64>>>()
                .map(Some),
            Some(_) => Err(ApiError::invalid(key, format!("{} must be a list of ids", label(key)))),
        }
    }

    pub fn object(&self, key: &str) -> ApiResult<Option<&'a Map<String, Value>>> {
        match self.given(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map)),
            Some(_) => Err(ApiError::invalid(key, format!("{} must be an object", label(key)))),
        }
    }

    pub fn array(&self, key: &str) -> ApiResult<Option<&'a Vec<Value>>> {
        match self.given(key) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(_) => Err(ApiError::invalid(key, format!("{} must be a list", label(key)))),
        }
    }

    /// A string that must be one of an enum's values.
    pub fn choice<T>(&self, key: &str, parse: impl Fn(&str) -> Option<T>) -> ApiResult<Option<T>> {
        match self.text(key, 64)? {
            None => Ok(None),
            Some(text) => parse(&text)
                .map(Some)
                .ok_or_else(|| ApiError::invalid(key, format!("{} is not included in the list", label(key)))),
        }
    }
}

fn is_http_url(text: &str) -> bool {
    worker::Url::parse(text)
        .map(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some())
        .unwrap_or(false)
}

fn parse_id(key: &str, value: &Value) -> ApiResult<i64> {
    let id = match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) if text.bytes().all(|b| b.is_ascii_digit()) => text.parse().ok(),
        _ => None,
    };
    id.filter(|id| (1..=MAX_SAFE_INTEGER).contains(id))
        .ok_or_else(|| ApiError::invalid(key, format!("{} must be a positive integer", label(key))))
}

/// `custom_attributes` -> `Custom attributes`, as Rails words its messages.
pub fn label(key: &str) -> String {
    let spaced = key.replace(['_', '.'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn with<T>(value: Value, read: impl FnOnce(Fields) -> T) -> T {
        let map = value.as_object().unwrap().clone();
        read(Fields::new(&map))
    }

    #[test]
    fn blank_and_null_mean_absent() {
        with(json!({"a": null, "b": "", "c": "  "}), |f| {
            assert_eq!(f.text("a", 10), Ok(None));
            assert_eq!(f.text("b", 10), Ok(None));
            assert_eq!(f.text("c", 10), Ok(None));
            assert_eq!(f.text("missing", 10), Ok(None));
        });
    }

    #[test]
    fn wrong_types_name_the_field() {
        with(json!({"name": 5, "flag": "yes", "ids": "1,2"}), |f| {
            let error = f.text("name", 10).unwrap_err();
            assert_eq!(error, ApiError::invalid("name", "Name must be a string"));
            assert_eq!(f.bool("flag").unwrap_err().status(), 422);
            assert_eq!(f.ids("ids").unwrap_err().status(), 422);
        });
    }

    #[test]
    fn required_text_reports_blank() {
        with(json!({"name": ""}), |f| {
            assert_eq!(
                f.required_text("name", 10).unwrap_err(),
                ApiError::invalid("name", "Name can't be blank")
            );
        });
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        with(json!({"name": "ééé"}), |f| {
            assert_eq!(f.text("name", 3), Ok(Some("ééé".into())));
            assert!(f.text("name", 2).is_err());
        });
    }

    #[test]
    fn ids_accept_digit_strings_and_reject_the_rest() {
        with(
            json!({"a": 7, "b": "12", "c": -1, "d": 1.5, "e": 1e300, "f": "12a", "g": 9007199254740993u64}),
            |f| {
                assert_eq!(f.id("a"), Ok(Some(7)));
                assert_eq!(f.id("b"), Ok(Some(12)));
                for key in ["c", "d", "e", "f", "g"] {
                    assert_eq!(f.id(key).unwrap_err().status(), 422, "{key}");
                }
            },
        );
    }

    #[test]
    fn urls_and_emails_are_checked() {
        with(
            json!({"hook": "https://x.io/a", "bad": "javascript:alert(1)", "mail": "a@b.co", "nomail": "a@"}),
            |f| {
                assert_eq!(f.url("hook"), Ok(Some("https://x.io/a".into())));
                assert_eq!(f.url("bad").unwrap_err().status(), 422);
                assert_eq!(f.email("mail"), Ok(Some("a@b.co".into())));
                assert_eq!(
                    f.email("nomail").unwrap_err(),
                    ApiError::invalid("nomail", "Nomail is invalid")
                );
            },
        );
    }

    #[test]
    fn choices_are_strict() {
        use nimchat_shared::enums::Role;
        with(json!({"role": "agent", "bad": "owner"}), |f| {
            assert_eq!(f.choice("role", Role::parse), Ok(Some(Role::Agent)));
            assert_eq!(
                f.choice("bad", Role::parse).unwrap_err(),
                ApiError::invalid("bad", "Bad is not included in the list")
            );
        });
    }
}
