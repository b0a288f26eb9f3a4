//! Custom attribute definitions: how their enums read on input, and which values each
//! display type takes when a contact's or a conversation's `custom_attributes` are set.

use nimchat_shared::enums::{AttributeDisplayType, AttributeModel};
use serde_json::{Map, Value};

use super::filters::unix_seconds;
use crate::error::{ApiError, ApiResult};

/// `"contact_attribute"`, or the seed's number (0 conversation, 1 contact) as number or text.
pub fn parse_model(value: &Value) -> Option<AttributeModel> {
    match value {
        Value::String(text) => AttributeModel::parse(text).or_else(|| model_from_index(text.parse().ok()?)),
        Value::Number(number) => model_from_index(number.as_u64()?),
        _ => None,
    }
}

fn model_from_index(index: u64) -> Option<AttributeModel> {
    AttributeModel::ALL.get(usize::try_from(index).ok()?).copied()
}

/// `"list"`, or the seed's number (text 0 ... checkbox 7) as number or text.
pub fn parse_display_type(value: &Value) -> Option<AttributeDisplayType> {
    let index = |index: u64| AttributeDisplayType::ALL.get(usize::try_from(index).ok()?).copied();
    match value {
        Value::String(text) => AttributeDisplayType::parse(text).or_else(|| index(text.parse().ok()?)),
        Value::Number(number) => index(number.as_u64()?),
        _ => None,
    }
}

/// A definition as far as checking values goes.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueRule {
    pub key: String,
    pub display_type: AttributeDisplayType,
    /// The choices of a list.
    pub values: Vec<String>,
}

/// Whether `value` suits the display type; `null` always does (it clears the value).
pub fn accepts(rule: &ValueRule, value: &Value) -> bool {
    use AttributeDisplayType::*;
    match (rule.display_type, value) {
        (_, Value::Null) => true,
        (Text, Value::String(_)) => true,
        (Number | Currency, Value::Number(_)) => true,
        (Percent, Value::Number(number)) => number.as_f64().is_some_and(|percent| (0.0..=100.0).contains(&percent)),
        (Link, Value::String(text)) => text.starts_with("https://") || text.starts_with("http://"),
        (Date, Value::String(text)) => unix_seconds(text).is_some(),
        (List, Value::String(text)) => rule.values.iter().any(|choice| choice == text),
        (Checkbox, Value::Bool(_)) => true,
        _ => false,
    }
}

/// Checks every defined key of `attributes`; keys without a definition are free, as in Chatwoot.
pub fn check(rules: &[ValueRule], attributes: &Map<String, Value>) -> ApiResult<()> {
    for (key, value) in attributes {
        if let Some(rule) = rules.iter().find(|rule| &rule.key == key) {
            if !accepts(rule, value) {
                return Err(ApiError::invalid(
                    "custom_attributes",
                    format!("{key} must be a valid {} value", rule.display_type),
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(display_type: AttributeDisplayType) -> ValueRule {
        ValueRule {
            key: "k".into(),
            display_type,
            values: vec!["gold".into(), "silver".into()],
        }
    }

    #[test]
    fn enums_read_names_and_the_seeds_numbers() {
        assert_eq!(parse_model(&json!(1)), Some(AttributeModel::Contact));
        assert_eq!(parse_model(&json!("0")), Some(AttributeModel::Conversation));
        assert_eq!(parse_model(&json!("contact_attribute")), Some(AttributeModel::Contact));
        assert_eq!(parse_model(&json!(2)), None);
        assert_eq!(parse_display_type(&json!(6)), Some(AttributeDisplayType::List));
        assert_eq!(
            parse_display_type(&json!("checkbox")),
            Some(AttributeDisplayType::Checkbox)
        );
        assert_eq!(parse_display_type(&json!(8)), None);
        assert_eq!(parse_display_type(&json!(true)), None);
    }

    #[test]
    fn values_must_suit_the_display_type() {
        use AttributeDisplayType::*;
        let cases = [
            (Text, json!("hi"), true),
            (Text, json!(3), false),
            (Number, json!(3.5), true),
            (Number, json!("3"), false),
            (Percent, json!(101), false),
            (Link, json!("javascript:alert(1)"), false),
            (Link, json!("https://example.com"), true),
            (Date, json!("2026-11-21"), true),
            (Date, json!("soon"), false),
            (List, json!("gold"), true),
            (List, json!("bronze"), false),
            (Checkbox, json!(true), true),
            (Checkbox, json!("yes"), false),
            (Checkbox, json!(null), true),
        ];
        for (display_type, value, expected) in cases {
            assert_eq!(accepts(&rule(display_type), &value), expected, "{display_type} {value}");
        }
    }

    #[test]
    fn undefined_keys_pass_and_defined_ones_are_checked() {
        let rules = [rule(AttributeDisplayType::Number)];
        let free = json!({"other": "anything"});
        assert!(check(&rules, free.as_object().unwrap()).is_ok());
        let wrong = json!({"k": "seven"});
        assert!(check(&rules, wrong.as_object().unwrap()).is_err());
    }
}
