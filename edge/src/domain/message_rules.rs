//! What a message may contain (contract §3, messages).

use serde_json::{Map, Value};

use crate::domain::csat;
use crate::error::{ApiError, ApiResult};

pub const MAX_CONTENT_CHARS: usize = 150_000;

/// Content of 1 to 150,000 characters; blank is 422 too.
pub fn content(value: Option<&Value>) -> ApiResult<String> {
    content_beside_files(value, false)?.ok_or_else(|| ApiError::invalid("content", "Content can't be blank"))
}

/// A message's text, which may be absent when files come with it.
pub fn content_beside_files(value: Option<&Value>, with_files: bool) -> ApiResult<Option<String>> {
    match value {
        Some(Value::String(text)) if text.chars().count() > MAX_CONTENT_CHARS => Err(ApiError::invalid(
            "content",
            format!("Content is too long (maximum is {MAX_CONTENT_CHARS} characters)"),
        )),
        Some(Value::String(text)) if !text.trim().is_empty() => Ok(Some(text.clone())),
        Some(Value::String(_)) | None | Some(Value::Null) if with_files => Ok(None),
        Some(Value::String(_)) | None | Some(Value::Null) => {
            Err(ApiError::invalid("content", "Content can't be blank"))
        }
        Some(_) => Err(ApiError::invalid("content", "Content must be a string")),
    }
}

/// `submitted_values` checked against the kind of message they answer, ready to store.
pub fn submitted_values(content_type: &str, value: Option<&Value>) -> ApiResult<Value> {
    let value = value.ok_or_else(|| ApiError::invalid("submitted_values", "Submitted values can't be blank"))?;
    match (content_type, value) {
        ("input_csat", Value::Object(map)) => {
            let response = map
                .get("csat_survey_response")
                .ok_or_else(|| ApiError::invalid("csat_survey_response", "Csat survey response can't be blank"))?;
            let answer = csat::parse_response(response)?;
            Ok(serde_json::json!({ "csat_survey_response": answer }))
        }
        ("input_csat", _) => Err(ApiError::invalid(
            "submitted_values",
            "Submitted values must be an object",
        )),
        // Chatwoot's widget answers an `input_select` with the chosen `{title, value}` alone.
        ("input_select", Value::Array(items))
            if !items.is_empty() && items.iter().all(|item| is_answer(item, false)) =>
        {
            Ok(value.clone())
        }
        (kind, Value::Array(items)) if kind != "input_select" && items.iter().all(|item| is_answer(item, true)) => {
            Ok(value.clone())
        }
        _ => Err(ApiError::invalid(
            "submitted_values",
            "Submitted values must be a list of {name, title, value}",
        )),
    }
}

/// `{name, title, value}`, where `name` may be left out of an option's answer.
fn is_answer(item: &Value, named: bool) -> bool {
    let Value::Object(map) = item else {
        return false;
    };
    let text = |key: &str| matches!(map.get(key), None | Some(Value::String(_)) | Some(Value::Null));
    let name = match map.get("name") {
        None => !named,
        Some(name) => name.is_string(),
    };
    name && text("title") && map.contains_key("value")
}

/// Stores `submitted_values` into a message's `content_attributes`.
pub fn with_submitted_values(mut attributes: Map<String, Value>, values: Value) -> Map<String, Value> {
    attributes.insert("submitted_values".into(), values);
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn content_length_is_counted_in_characters() {
        assert_eq!(content(Some(&json!("hi"))), Ok("hi".into()));
        assert!(content(Some(&json!("é".repeat(MAX_CONTENT_CHARS)))).is_ok());
        let error = content(Some(&json!("a".repeat(MAX_CONTENT_CHARS + 1)))).unwrap_err();
        assert_eq!(
            error.body()["message"],
            "Content is too long (maximum is 150000 characters)"
        );
        for blank in [None, Some(json!("")), Some(json!("  ")), Some(json!(null))] {
            assert_eq!(
                content(blank.as_ref()).unwrap_err().body()["attributes"],
                json!(["content"])
            );
        }
        assert_eq!(content(Some(&json!(["x"]))).unwrap_err().status(), 422);
    }

    #[test]
    fn csat_answers_are_normalised() {
        let stored = submitted_values(
            "input_csat",
            Some(&json!({"csat_survey_response": {"rating": 5, "extra": 1}})),
        )
        .unwrap();
        assert_eq!(
            stored,
            json!({"csat_survey_response": {"rating": 5, "feedback_message": null}})
        );
        assert!(submitted_values("input_csat", Some(&json!([]))).is_err());
        assert!(submitted_values("input_csat", Some(&json!({"csat_survey_response": {"rating": 9}}))).is_err());
    }

    #[test]
    fn form_answers_are_name_title_value_lists() {
        let answers = json!([{"name": "email", "title": "Email", "value": "a@b.co"}]);
        assert_eq!(submitted_values("form", Some(&answers)), Ok(answers.clone()));
        for bad in [json!({"name": "x"}), json!([{"title": "no name"}]), json!([1])] {
            assert!(submitted_values("form", Some(&bad)).is_err(), "{bad}");
        }
        let option = json!([{"title": "Pricing", "value": "pricing"}]);
        assert_eq!(submitted_values("input_select", Some(&option)), Ok(option.clone()));
        for bad in [
            json!([]),
            json!([{"title": "no value"}]),
            json!([{"name": 1, "title": "x", "value": "x"}]),
        ] {
            assert!(submitted_values("input_select", Some(&bad)).is_err(), "{bad}");
        }
    }
}
