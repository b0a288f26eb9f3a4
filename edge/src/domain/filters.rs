//! The filter payload of `contacts/filter` and `conversations/filter` (seed): conditions of an
//! attribute, an operator and values, joined by `AND` / `OR`. Parsed here into typed
//! conditions over the attributes storage names; storage turns them into SQL with every value
//! bound as a parameter, so no user string ever becomes SQL.

use serde_json::Value;

use nimchat_shared::enums::AttributeDisplayType;

use crate::error::{ApiError, ApiResult};

/// At most this many conditions in one filter, and values in one condition.
const MAX_CONDITIONS: usize = 20;
const MAX_VALUES: usize = 50;

/// How a standard attribute's values are read and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text, compared without regard to case.
    Text,
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
    /// Integers (ids).
    Number,
    /// Unix seconds; given as seconds or as an ISO-8601 day or time (UTC).
    Date,
}

/// An attribute storage knows by name; what the lookup of a filter key answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standard {
    /// A column, as storage writes it.
    Column { column: &'static str, kind: Kind },
    /// A text key of `additional_attributes` (country_code, browser_language...), as a JSON path.
    Additional { path: &'static str },
    /// The record's labels.
    Labels,
}

/// How a custom attribute's values compare, from its definition's display type: numbers,
/// currencies and percentages as numbers (`"40"` is 40), everything else as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomKind {
    Text,
    Number,
}

impl CustomKind {
    pub fn of(display_type: AttributeDisplayType) -> CustomKind {
        match display_type {
            AttributeDisplayType::Number | AttributeDisplayType::Currency | AttributeDisplayType::Percent => {
                CustomKind::Number
            }
            _ => CustomKind::Text,
        }
    }
}

/// What one condition looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attribute {
    Standard(Standard),
    /// A defined custom attribute: one of `custom_attributes`, as a JSON path (`$.key`).
    Custom {
        path: String,
        kind: CustomKind,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    EqualTo,
    NotEqualTo,
    Contains,
    DoesNotContain,
    IsPresent,
    IsNotPresent,
    IsGreaterThan,
    IsLessThan,
    StartsWith,
}

impl Operator {
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "equal_to" => Operator::EqualTo,
            "not_equal_to" => Operator::NotEqualTo,
            "contains" => Operator::Contains,
            "does_not_contain" => Operator::DoesNotContain,
            "is_present" => Operator::IsPresent,
            "is_not_present" => Operator::IsNotPresent,
            "is_greater_than" => Operator::IsGreaterThan,
            "is_less_than" => Operator::IsLessThan,
            "starts_with" => Operator::StartsWith,
            _ => return None,
        })
    }
}

/// How a condition joins the one before it. SQL precedence applies (AND before OR), as in
/// Chatwoot, which also writes the conditions out in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    And,
    Or,
}

/// Whether conditions joined as given hold, each judged by `holds`: AND binds before OR, as
/// SQL reads the filters `store/query.rs` writes and as Chatwoot does, so `a OR b AND c` is
/// `a OR (b AND c)`. `join` is how a condition joins the one before it. Automation rules are
/// evaluated with this, so both follow one rule.
pub fn joined_hold<T>(conditions: &[T], join: impl Fn(&T) -> Join, holds: impl Fn(&T) -> bool) -> bool {
    let mut any_group = false;
    let mut this_group = true;
    for (index, condition) in conditions.iter().enumerate() {
        if index > 0 && join(condition) == Join::Or {
            any_group |= this_group;
            this_group = true;
        }
        this_group = this_group && holds(condition);
    }
    !conditions.is_empty() && (any_group || this_group)
}

/// A value to bind. For `contains` and `does_not_contain` texts are already LIKE patterns.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterValue {
    Text(String),
    Number(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub attribute: Attribute,
    pub operator: Operator,
    pub values: Vec<FilterValue>,
    /// Ignored on the first condition.
    pub join: Join,
}

/// A custom attribute key: letters, digits and underscores, as Chatwoot generates them.
pub fn is_attribute_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= 64 && key.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'_')
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::invalid("payload", message)
}

/// Reads `{"payload": [...]}`'s list; `standard` names the model's own attributes, `custom`
/// the kind of each custom attribute the account defined. Any other key is a 422.
pub fn parse(
    payload: Option<&Value>,
    standard: impl Fn(&str) -> Option<Standard>,
    custom: impl Fn(&str) -> Option<CustomKind>,
) -> ApiResult<Vec<Condition>> {
    let items = match payload {
        Some(Value::Array(items)) if !items.is_empty() => items,
        _ => return Err(invalid("Payload must be a non-empty list of conditions")),
    };
    if items.len() > MAX_CONDITIONS {
        return Err(invalid(format!("A filter has at most {MAX_CONDITIONS} conditions")));
    }
    let mut conditions = Vec::with_capacity(items.len());
    let mut join = Join::And;
    for item in items {
        let item = item
            .as_object()
            .ok_or_else(|| invalid("Each condition must be an object"))?;
        let key = item
            .get("attribute_key")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("Each condition needs an attribute_key"))?;
        let attribute = match (standard(key), custom(key)) {
            (Some(known), _) => Attribute::Standard(known),
            (None, Some(kind)) if is_attribute_key(key) => Attribute::Custom {
                path: format!("$.{key}"),
                kind,
            },
            _ => {
                return Err(invalid(format!(
                    "Attribute {key:?} is unknown: not a standard attribute nor a defined custom one"
                )))
            }
        };
        let operator = item
            .get("filter_operator")
            .and_then(Value::as_str)
            .and_then(Operator::parse)
            .ok_or_else(|| invalid(format!("The filter operator of {key} is unknown")))?;
        check_operator(&attribute, operator, key)?;
        let values = values(item.get("values"), &attribute, operator, key)?;
        conditions.push(Condition {
            attribute,
            operator,
            values,
            join,
        });
        join = match item.get("query_operator") {
            None | Some(Value::Null) => Join::And,
            Some(Value::String(text)) => match text.to_ascii_lowercase().as_str() {
                "and" | "nil" | "" => Join::And,
                "or" => Join::Or,
                _ => return Err(invalid("Query operator must be AND or OR")),
            },
            Some(_) => return Err(invalid("Query operator must be AND or OR")),
        };
    }
    Ok(conditions)
}

fn check_operator(attribute: &Attribute, operator: Operator, key: &str) -> ApiResult<()> {
    use Operator::*;
    let allowed = match attribute {
        Attribute::Custom {
            kind: CustomKind::Number,
            ..
        } => !matches!(operator, StartsWith),
        Attribute::Custom { .. } => true,
        Attribute::Standard(Standard::Labels) => matches!(operator, EqualTo | NotEqualTo | IsPresent | IsNotPresent),
        Attribute::Standard(Standard::Additional { .. }) => !matches!(operator, IsGreaterThan | IsLessThan),
        Attribute::Standard(Standard::Column { kind, .. }) => match kind {
            Kind::Text => !matches!(operator, IsGreaterThan | IsLessThan),
            Kind::Choice(_) => matches!(operator, EqualTo | NotEqualTo | IsPresent | IsNotPresent),
            Kind::Number => !matches!(operator, Contains | DoesNotContain | StartsWith),
            Kind::Date => matches!(operator, IsGreaterThan | IsLessThan | IsPresent | IsNotPresent),
        },
    };
    if allowed {
        Ok(())
    } else {
        Err(invalid(format!("{key} cannot be filtered with that operator")))
    }
}

fn values(given: Option<&Value>, attribute: &Attribute, operator: Operator, key: &str) -> ApiResult<Vec<FilterValue>> {
    if matches!(operator, Operator::IsPresent | Operator::IsNotPresent) {
        return Ok(Vec::new());
    }
    let list: Vec<&Value> = match given {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(single) => vec![single],
    };
    let single = matches!(operator, Operator::IsGreaterThan | Operator::IsLessThan);
    if list.is_empty() || list.len() > MAX_VALUES || (single && list.len() != 1) {
        return Err(invalid(match single {
            true => format!("{key} needs exactly one value to compare with"),
            false => format!("{key} needs between 1 and {MAX_VALUES} values"),
        }));
    }
    list.into_iter().map(|value| typed(value, attribute, key)).collect()
}

fn typed(value: &Value, attribute: &Attribute, key: &str) -> ApiResult<FilterValue> {
    let text = || match value {
        Value::String(text) if text.chars().count() <= 255 => Ok(text.clone()),
        Value::Number(number) => Ok(number.to_string()),
        _ => Err(invalid(format!("The values of {key} must be texts"))),
    };
    let kind = match attribute {
        Attribute::Custom {
            kind: CustomKind::Number,
            ..
        } => {
            return number(value)
                .map(FilterValue::Number)
                .ok_or_else(|| invalid(format!("The values of {key} must be numbers")))
        }
        Attribute::Custom { .. } => {
            return match value {
                Value::Number(number) => number
                    .as_f64()
                    .map(FilterValue::Number)
                    .ok_or_else(|| invalid(format!("The values of {key} are out of range"))),
                Value::Bool(flag) => Ok(FilterValue::Number(f64::from(u8::from(*flag)))),
                _ => text().map(FilterValue::Text),
            }
        }
        Attribute::Standard(Standard::Column { kind, .. }) => *kind,
        Attribute::Standard(_) => Kind::Text,
    };
    match kind {
        Kind::Text => text().map(FilterValue::Text),
        Kind::Choice(words) => match value.as_str() {
            Some(word) if words.contains(&word) => Ok(FilterValue::Text(word.to_string())),
            _ => Err(invalid(format!(
                "The values of {key} must be one of {}",
                words.join(", ")
            ))),
        },
        Kind::Number => integer(value)
            .map(|number| FilterValue::Number(number as f64))
            .ok_or_else(|| invalid(format!("The values of {key} must be whole numbers"))),
        Kind::Date => match value {
            Value::String(text) => unix_seconds(text),
            other => integer(other),
        }
        .map(|seconds| FilterValue::Number(seconds as f64))
        .ok_or_else(|| {
            invalid(format!(
                "The values of {key} must be dates (YYYY-MM-DD) or Unix seconds"
            ))
        }),
    }
}

/// A number, given as one or as a string holding one (`"40"`, `"12.5"`).
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(number) => number.as_f64(),
        Value::String(text) => text.trim().parse::<f64>().ok().filter(|number| number.is_finite()),
        _ => None,
    }
}

fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// `YYYY-MM-DD`, optionally followed by `THH:MM[:SS]` and `Z`, read as UTC.
pub fn unix_seconds(text: &str) -> Option<i64> {
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let bytes = text.as_bytes();
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let rest = text[10..].trim_end_matches('Z');
    let seconds_of_day = match rest.as_bytes() {
        [] => 0,
        [b'T' | b' ', ..] if rest.len() >= 6 && rest.as_bytes()[3] == b':' => {
            let (hour, minute) = (number(11..13)?, number(14..16)?);
            let second = if rest.len() >= 9 { number(17..19)? } else { 0 };
            if hour > 23 || minute > 59 || second > 59 {
                return None;
            }
            hour * 3600 + minute * 60 + second
        }
        _ => return None,
    };
    Some(days_from_civil(year, month, day) * 86_400 + seconds_of_day)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const STATUSES: &[&str] = &["open", "resolved"];

    fn standard(key: &str) -> Option<Standard> {
        Some(match key {
            "name" => Standard::Column {
                column: "c.name",
                kind: Kind::Text,
            },
            "status" => Standard::Column {
                column: "cv.status",
                kind: Kind::Choice(STATUSES),
            },
            "inbox_id" => Standard::Column {
                column: "cv.inbox_id",
                kind: Kind::Number,
            },
            "created_at" => Standard::Column {
                column: "c.created_at",
                kind: Kind::Date,
            },
            "labels" => Standard::Labels,
            _ => return None,
        })
    }

    /// The custom attributes these tests define.
    fn custom(key: &str) -> Option<CustomKind> {
        match key {
            "plan_tier" => Some(CustomKind::Number),
            "plan_name" => Some(CustomKind::Text),
            _ => None,
        }
    }

    fn one(condition: serde_json::Value) -> ApiResult<Condition> {
        parse(Some(&json!([condition])), standard, custom).map(|mut all| all.remove(0))
    }

    #[test]
    fn and_binds_before_or() {
        use super::{joined_hold, Join};
        let judge = |conditions: &[(Join, bool)]| joined_hold(conditions, |c| c.0, |c| c.1);
        // a OR b AND c, with a true and b false: a OR (b AND c) holds.
        assert!(judge(&[(Join::And, true), (Join::Or, false), (Join::And, false)]));
        // a AND b OR c: (a AND b) OR c.
        assert!(judge(&[(Join::And, false), (Join::And, true), (Join::Or, true)]));
        assert!(!judge(&[(Join::And, true), (Join::And, false), (Join::Or, false)]));
        assert!(!judge(&[]));
    }

    #[test]
    fn conditions_are_typed_and_joined() {
        let conditions = parse(
            Some(&json!([
                {"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"], "query_operator": "or"},
                {"attribute_key": "inbox_id", "filter_operator": "is_greater_than", "values": ["3"], "query_operator": null},
            ])),
            standard,
            custom,
        )
        .unwrap();
        assert_eq!(conditions[0].join, Join::And);
        assert_eq!(conditions[1].join, Join::Or);
        assert_eq!(conditions[1].values, [FilterValue::Number(3.0)]);
    }

    #[test]
    fn unknown_or_unsafe_keys_operators_and_values_are_refused() {
        let bad = [
            json!({"attribute_key": "name; DROP TABLE contacts", "filter_operator": "equal_to", "values": ["x"]}),
            json!({"attribute_key": "name", "filter_operator": "like", "values": ["x"]}),
            json!({"attribute_key": "name", "filter_operator": "equal_to", "values": []}),
            json!({"attribute_key": "status", "filter_operator": "equal_to", "values": ["closed"]}),
            json!({"attribute_key": "status", "filter_operator": "contains", "values": ["open"]}),
            json!({"attribute_key": "inbox_id", "filter_operator": "equal_to", "values": ["two"]}),
            json!({"attribute_key": "inbox_id", "filter_operator": "is_less_than", "values": [1, 2]}),
            json!({"attribute_key": "created_at", "filter_operator": "is_less_than", "values": ["yesterday"]}),
            json!({"attribute_key": "labels", "filter_operator": "contains", "values": ["vip"]}),
            json!({"attribute_key": "name", "filter_operator": "equal_to", "values": ["x"], "query_operator": "XOR"}),
        ];
        for condition in bad {
            assert!(one(condition.clone()).is_err(), "{condition}");
        }
        assert!(parse(Some(&json!([])), standard, custom).is_err());
        assert!(parse(Some(&json!({"attribute_key": "name"})), standard, custom).is_err());
    }

    #[test]
    fn defined_custom_attributes_compare_by_their_kind_and_others_are_unknown() {
        let condition =
            one(json!({"attribute_key": "plan_tier", "filter_operator": "is_greater_than", "values": ["40"]})).unwrap();
        assert_eq!(
            condition.attribute,
            Attribute::Custom {
                path: "$.plan_tier".into(),
                kind: CustomKind::Number
            }
        );
        assert_eq!(condition.values, [FilterValue::Number(40.0)], "a number given as text");
        let text = one(json!({"attribute_key": "plan_name", "filter_operator": "equal_to", "values": ["40"]})).unwrap();
        assert_eq!(text.values, [FilterValue::Text("40".into())]);
        for bad in [
            json!({"attribute_key": "plan_tier", "filter_operator": "equal_to", "values": ["forty"]}),
            json!({"attribute_key": "undefined_key", "filter_operator": "equal_to", "values": ["x"]}),
        ] {
            assert_eq!(one(bad.clone()).unwrap_err().status(), 422, "{bad}");
        }
        assert_eq!(CustomKind::of(AttributeDisplayType::Currency), CustomKind::Number);
        assert_eq!(CustomKind::of(AttributeDisplayType::Text), CustomKind::Text);
    }

    #[test]
    fn contains_values_are_kept_as_given() {
        let condition = one(json!({"attribute_key": "name", "filter_operator": "contains", "values": ["50%_off\\"]}));
        assert_eq!(condition.unwrap().values, [FilterValue::Text("50%_off\\".into())]);
    }

    #[test]
    fn presence_needs_no_values() {
        let condition = one(json!({"attribute_key": "labels", "filter_operator": "is_present"})).unwrap();
        assert!(condition.values.is_empty());
    }

    #[test]
    fn dates_read_as_utc_unix_seconds() {
        assert_eq!(unix_seconds("1970-01-01"), Some(0));
        assert_eq!(unix_seconds("2026-11-21"), Some(1_795_219_200));
        assert_eq!(unix_seconds("2026-11-21T10:00:00Z"), Some(1_795_255_200));
        assert_eq!(unix_seconds("2000-02-29T00:01"), Some(951_782_460));
        assert_eq!(unix_seconds("2026-13-01"), None);
        assert_eq!(unix_seconds("21/11/2026"), None);
    }
}
