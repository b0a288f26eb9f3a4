//! Typed reading of request bodies. A field of the wrong JSON type is a 422 naming the field;
//! `null` and `""` mean "not given", which on updates leaves the stored value unchanged.

use std::borrow::Cow;

use serde_json::{Map, Value};

use nimchat_shared::validation::is_valid_email;

use crate::domain::outgoing_urls::UrlProblem;
use crate::error::{ApiError, ApiResult};

/// The largest integer a JSON number can carry exactly into D1 (2^53 - 1).
pub const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

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

    /// Where events may be sent (contract 7.1): an absolute http(s) URL without user info,
    /// outside private networks unless `allow_private`.
    pub fn outgoing_url(&self, key: &str, allow_private: bool) -> ApiResult<Option<String>> {
        let Some(value) = self.given(key) else {
            return Ok(None);
        };
        let text = value
            .as_str()
            .ok_or_else(|| ApiError::invalid(key, format!("{} must be a string", label(key))))?;
        match crate::domain::outgoing_urls::check(text.trim(), allow_private) {
            Ok(_) => Ok(Some(text.trim().to_string())),
            Err(UrlProblem::Malformed) => Err(ApiError::invalid(
                key,
                format!("{} must be an absolute http or https URL without user info", label(key)),
            )),
            Err(UrlProblem::Private) => Err(ApiError::invalid(
                key,
                format!("{} must not point into a private network", label(key)),
            )),
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

    /// A text the body may send: `None` when absent; when sent, it may not be blank.
    pub fn sent_required_text(&self, key: &str, max_chars: usize) -> ApiResult<Option<String>> {
        match self.map.contains_key(key) {
            true => self.required_text(key, max_chars).map(Some),
            false => Ok(None),
        }
    }

    /// An optional text the body may send: `None` when absent, `Some(None)` when sent as
    /// `null` or empty (it clears the field).
    pub fn sent_text(&self, key: &str, max_chars: usize) -> ApiResult<Option<Option<String>>> {
        match self.map.contains_key(key) {
            true => self.text(key, max_chars).map(Some),
            false => Ok(None),
        }
    }

    /// `true` or `false`; form bodies send them as the strings `true`/`false` or `1`/`0`.
    pub fn bool(&self, key: &str) -> ApiResult<Option<bool>> {
        match self.given(key) {
            None => Ok(None),
            Some(Value::Bool(flag)) => Ok(Some(*flag)),
            Some(Value::String(text)) if matches!(text.as_str(), "true" | "1") => Ok(Some(true)),
            Some(Value::String(text)) if matches!(text.as_str(), "false" | "0") => Ok(Some(false)),
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
        let wrong = || ApiError::invalid(key, format!("{} must be a list of ids", label(key)));
        let items = match self.map.get(key) {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Array(items)) => Cow::Borrowed(items),
            Some(Value::String(text)) => match structured(text) {
                Some(Value::Array(items)) => Cow::Owned(items),
                _ => return Err(wrong()),
            },
            Some(_) => return Err(wrong()),
        };
        items
            .iter()
            .map(|item| parse_id(key, item))
            .collect::<ApiResult<Vec<i64>>>()
            .map(Some)
    }

    /// An object: a JSON object, or a string holding one (as SDKs send objects in form
    /// bodies, and as Chatwoot parses them).
    pub fn object(&self, key: &str) -> ApiResult<Option<Cow<'a, Map<String, Value>>>> {
        match self.given(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Cow::Borrowed(map))),
            Some(Value::String(text)) => match structured(text) {
                Some(Value::Object(map)) => Ok(Some(Cow::Owned(map))),
                _ => Err(ApiError::invalid(key, format!("{} must be an object", label(key)))),
            },
            Some(_) => Err(ApiError::invalid(key, format!("{} must be an object", label(key)))),
        }
    }

    /// A list: a JSON array, or a string holding one.
    pub fn array(&self, key: &str) -> ApiResult<Option<Cow<'a, [Value]>>> {
        match self.given(key) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(Cow::Borrowed(items.as_slice()))),
            Some(Value::String(text)) => match structured(text) {
                Some(Value::Array(items)) => Ok(Some(Cow::Owned(items))),
                _ => Err(ApiError::invalid(key, format!("{} must be a list", label(key)))),
            },
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

/// The deepest `a[b][c]` a form field name may nest.
const MAX_FIELD_DEPTH: usize = 16;

/// The fields of a form body (`application/x-www-form-urlencoded` or the text fields of
/// `multipart/form-data`) as the same JSON object a JSON body gives, Rails' way: `a[b]=v` is
/// `{"a": {"b": "v"}}`, `a[]=v` appends to the list `a`, a repeated plain name keeps its last
/// value. Values stay strings (`Fields` reads numbers, flags and JSON strings from them).
pub fn fields_from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> ApiResult<Map<String, Value>> {
    let mut fields = Map::new();
    for (name, value) in pairs {
        let (head, path) = split_field_name(&name);
        if path.len() > MAX_FIELD_DEPTH {
            return Err(ApiError::BadRequest(format!("Body field {head} is nested too deeply")));
        }
        if !insert_field(&mut fields, head, &path, value) {
            return Err(ApiError::BadRequest(format!(
                "Body field {head} is given in two different shapes"
            )));
        }
    }
    Ok(fields)
}

/// `a[b][]` -> `("a", ["b", ""])`; a name that is not well bracketed is taken whole.
fn split_field_name(name: &str) -> (&str, Vec<&str>) {
    let whole = (name, Vec::new());
    let Some(open) = name.find('[').filter(|open| *open > 0) else {
        return whole;
    };
    let (head, mut rest) = name.split_at(open);
    let mut path = Vec::new();
    while !rest.is_empty() {
        let Some((segment, after)) = rest.strip_prefix('[').and_then(|inner| inner.split_once(']')) else {
            return whole;
        };
        path.push(segment);
        rest = after;
    }
    (head, path)
}

/// Puts `value` at `path` below `key`; false when the place already holds another shape.
fn insert_field(fields: &mut Map<String, Value>, key: &str, path: &[&str], value: String) -> bool {
    match path.split_first() {
        None => {
            fields.insert(key.to_string(), Value::String(value));
            true
        }
        Some((&"", [])) => match fields.entry(key).or_insert_with(|| Value::Array(Vec::new())) {
            Value::Array(items) => {
                items.push(Value::String(value));
                true
            }
            _ => false,
        },
        // Lists of objects (`a[][b]`) are not taken.
        Some((&"", _)) => false,
        Some((segment, rest)) => match fields.entry(key).or_insert_with(|| Value::Object(Map::new())) {
            Value::Object(inner) => insert_field(inner, segment, rest, value),
            _ => false,
        },
    }
}

/// The object or array a string holds as JSON, if it holds one.
pub fn structured(text: &str) -> Option<Value> {
    let trimmed = text.trim_start();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return None;
    }
    serde_json::from_str(text).ok()
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

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn form_fields_nest_the_rails_way() {
        let fields = fields_from_pairs(pairs(&[
            ("content", "Hi [there]"),
            ("content_attributes[items][title]", "Shoes"),
            ("content_attributes[ref]", "42"),
            ("labels[]", "vip"),
            ("labels[]", "new"),
            ("private", "true"),
            ("weird[", "kept whole"),
        ]))
        .unwrap();
        assert_eq!(
            Value::Object(fields),
            json!({"content": "Hi [there]", "content_attributes": {"items": {"title": "Shoes"}, "ref": "42"},
                   "labels": ["vip", "new"], "private": "true", "weird[": "kept whole"})
        );
    }

    #[test]
    fn clashing_or_too_deep_form_fields_are_400() {
        for bad in [
            vec![("a", "1"), ("a[b]", "2")],
            vec![("a[]", "1"), ("a[b]", "2")],
            vec![("a[b]", "1"), ("a[]", "2")],
            vec![("a[][b]", "1")],
        ] {
            assert_eq!(fields_from_pairs(pairs(&bad)).unwrap_err().status(), 400, "{bad:?}");
        }
        let deep = format!("a{}", "[x]".repeat(MAX_FIELD_DEPTH + 1));
        assert_eq!(fields_from_pairs(vec![(deep, "1".into())]).unwrap_err().status(), 400);
    }

    #[test]
    fn objects_lists_and_flags_may_arrive_as_strings() {
        with(
            json!({"attrs": "{\"a\": 1}", "list": "[1, 2]", "ids": "[3]", "on": "true", "off": "0", "text": "{not json"}),
            |f| {
                assert_eq!(
                    f.object("attrs").unwrap().unwrap().into_owned(),
                    json!({"a": 1}).as_object().unwrap().clone()
                );
                assert_eq!(f.array("list").unwrap().unwrap().len(), 2);
                assert_eq!(f.ids("ids").unwrap(), Some(vec![3]));
                assert_eq!(
                    (f.bool("on").unwrap(), f.bool("off").unwrap()),
                    (Some(true), Some(false))
                );
                assert_eq!(f.object("text").unwrap_err().status(), 422);
                assert_eq!(f.array("attrs").unwrap_err().status(), 422);
            },
        );
    }
}
