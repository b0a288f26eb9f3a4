//! Automation rules (contract 7.3) as data: which event a rule waits for, its conditions and
//! its actions, read from a request and judged against what a conversation is. No I/O: the
//! `automation` module gathers the facts and performs the actions.

use serde_json::{Map, Value};

use super::filters::{joined_hold, Join, Operator};
use super::outgoing_urls;
use nimchat_shared::enums::{ConversationStatus, Priority};

/// The longest text a `send_message` or `add_private_note` action sends.
const MAX_TEXT_CHARS: usize = 150_000;
/// At most this many conditions and actions in one rule.
const MAX_ITEMS: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleEvent {
    ConversationCreated,
    ConversationUpdated,
    MessageCreated,
    /// The status became `open` from another status.
    ConversationOpened,
    /// The status became `resolved`.
    ConversationResolved,
}

impl RuleEvent {
    const ALL: [RuleEvent; 5] = [
        RuleEvent::ConversationCreated,
        RuleEvent::ConversationUpdated,
        RuleEvent::MessageCreated,
        RuleEvent::ConversationOpened,
        RuleEvent::ConversationResolved,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RuleEvent::ConversationCreated => "conversation_created",
            RuleEvent::ConversationUpdated => "conversation_updated",
            RuleEvent::MessageCreated => "message_created",
            RuleEvent::ConversationOpened => "conversation_opened",
            RuleEvent::ConversationResolved => "conversation_resolved",
        }
    }

    pub fn parse(name: &str) -> Option<RuleEvent> {
        RuleEvent::ALL.into_iter().find(|event| event.name() == name)
    }
}

/// What a condition looks at.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    Content,
    MessageType,
    Status,
    AssigneeId,
    TeamId,
    InboxId,
    Priority,
    Labels,
    Email,
    PhoneNumber,
    /// A defined custom attribute: the conversation's of that key, else the contact's.
    Custom {
        key: String,
        numeric: bool,
    },
}

impl Subject {
    fn of(key: &str, custom: &impl Fn(&str) -> Option<bool>) -> Option<Subject> {
        Some(match key {
            "content" => Subject::Content,
            "message_type" => Subject::MessageType,
            "status" => Subject::Status,
            "assignee_id" => Subject::AssigneeId,
            "team_id" => Subject::TeamId,
            "inbox_id" => Subject::InboxId,
            "priority" => Subject::Priority,
            "labels" => Subject::Labels,
            "email" => Subject::Email,
            "phone_number" => Subject::PhoneNumber,
            other => Subject::Custom {
                key: other.to_string(),
                numeric: custom(other)?,
            },
        })
    }

    fn allows(&self, operator: Operator) -> bool {
        use Operator::*;
        match self {
            Subject::Content => matches!(operator, EqualTo | NotEqualTo | Contains | DoesNotContain),
            Subject::MessageType | Subject::Status | Subject::InboxId | Subject::Priority => {
                matches!(operator, EqualTo | NotEqualTo)
            }
            Subject::AssigneeId | Subject::TeamId | Subject::Labels => {
                matches!(operator, EqualTo | NotEqualTo | IsPresent | IsNotPresent)
            }
            Subject::Email => matches!(operator, EqualTo | NotEqualTo | Contains | DoesNotContain),
            Subject::PhoneNumber => matches!(operator, EqualTo | NotEqualTo | Contains | DoesNotContain | StartsWith),
            Subject::Custom { numeric: true, .. } => {
                matches!(
                    operator,
                    EqualTo | NotEqualTo | IsGreaterThan | IsLessThan | IsPresent | IsNotPresent
                )
            }
            Subject::Custom { numeric: false, .. } => {
                matches!(
                    operator,
                    EqualTo | NotEqualTo | Contains | DoesNotContain | IsPresent | IsNotPresent
                )
            }
        }
    }

    /// Values an enum subject may be compared with.
    fn choices(&self) -> Option<Vec<&'static str>> {
        match self {
            Subject::MessageType => Some(vec!["incoming", "outgoing"]),
            Subject::Status => Some(ConversationStatus::ALL.iter().map(|status| status.as_str()).collect()),
            Subject::Priority => Some(Priority::ALL.iter().map(|priority| priority.as_str()).collect()),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RuleCondition {
    pub subject: Subject,
    pub operator: Operator,
    /// In lower case; ids and numbers in their decimal form.
    pub values: Vec<String>,
    /// How it joins the condition before it.
    pub join: Join,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    AddLabels(Vec<String>),
    RemoveLabels(Vec<String>),
    /// `None` unassigns.
    AssignAgent(Option<i64>),
    AssignTeam(Option<i64>),
    ChangePriority(Option<Priority>),
    SendMessage(String),
    AddPrivateNote(String),
    SendWebhookEvent(String),
    Resolve,
    Open,
    Snooze,
    Mute,
}

/// Why a rule's part was refused: the field to name in the 422 and what to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub field: &'static str,
    pub message: String,
}

fn refuse(field: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        field,
        message: message.into(),
    }
}

fn items<'a>(given: &'a Value, field: &'static str) -> Result<&'a Vec<Value>, Refusal> {
    match given.as_array() {
        Some(items) if !items.is_empty() && items.len() <= MAX_ITEMS => Ok(items),
        _ => Err(refuse(
            field,
            format!("{field} must be a list of 1 to {MAX_ITEMS} items"),
        )),
    }
}

/// A value of a condition or an action, as text: strings as given, numbers in decimal.
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// `conditions`; `custom` says, for a key of `custom_attribute_definitions`, whether its
/// display type is numeric (`None`: no such definition).
pub fn parse_conditions(given: &Value, custom: impl Fn(&str) -> Option<bool>) -> Result<Vec<RuleCondition>, Refusal> {
    let items = items(given, "conditions")?;
    let bad = |message: String| refuse("conditions", message);
    let mut conditions = Vec::with_capacity(items.len());
    let mut join = Join::And;
    for (index, item) in items.iter().enumerate() {
        let item = item
            .as_object()
            .ok_or_else(|| bad("Each condition must be an object".into()))?;
        let key = item
            .get("attribute_key")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("Each condition needs an attribute_key".into()))?;
        let subject = Subject::of(key, &custom).ok_or_else(|| bad(format!("Attribute {key:?} is unknown")))?;
        let operator = item
            .get("filter_operator")
            .and_then(Value::as_str)
            .and_then(Operator::parse)
            .filter(|operator| subject.allows(*operator))
            .ok_or_else(|| bad(format!("{key} cannot be compared with that filter_operator")))?;
        let values: Vec<String> = match item.get("values") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(values)) => values
                .iter()
                .map(|value| text_of(value).map(|text| text.to_lowercase()))
                .collect::<Option<_>>()
                .ok_or_else(|| bad(format!("The values of {key} must be texts or numbers")))?,
            Some(_) => return Err(bad(format!("The values of {key} must be a list"))),
        };
        let presence = matches!(operator, Operator::IsPresent | Operator::IsNotPresent);
        if values.is_empty() && !presence {
            return Err(bad(format!("{key} needs values to compare with")));
        }
        if let Some(choices) = subject.choices() {
            if let Some(wrong) = values.iter().find(|value| !choices.contains(&value.as_str())) {
                return Err(bad(format!("{wrong:?} is not a {key}: one of {}", choices.join(", "))));
            }
        }
        if matches!(operator, Operator::IsGreaterThan | Operator::IsLessThan)
            && values.first().and_then(|value| value.parse::<f64>().ok()).is_none()
        {
            return Err(bad(format!("{key} is compared with a number")));
        }
        conditions.push(RuleCondition {
            subject,
            operator,
            values,
            join,
        });
        let last = index + 1 == items.len();
        join = match (item.get("query_operator"), last) {
            (None | Some(Value::Null), true) => Join::And,
            (Some(Value::String(text)), _) => match (text.to_ascii_lowercase().as_str(), last) {
                ("and", _) => Join::And,
                ("or", _) => Join::Or,
                ("" | "nil", true) => Join::And,
                _ => return Err(bad("query_operator must be and or or".into())),
            },
            _ => {
                return Err(bad(
                    "Every condition but the last needs a query_operator, and or or".into()
                ))
            }
        };
    }
    Ok(conditions)
}

/// `actions`; `allow_private` is the webhook URL rule's switch.
pub fn parse_actions(given: &Value, allow_private: bool) -> Result<Vec<Action>, Refusal> {
    let items = items(given, "actions")?;
    let bad = |message: String| refuse("actions", message);
    items
        .iter()
        .map(|item| {
            let name = item
                .get("action_name")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("Each action needs an action_name".into()))?;
            let params: &[Value] = match item.get("action_params") {
                None | Some(Value::Null) => &[],
                Some(Value::Array(params)) => params,
                Some(_) => return Err(bad(format!("The action_params of {name} must be a list"))),
            };
            let first = || params.first().and_then(text_of);
            let id_or_nil = || -> Result<Option<i64>, Refusal> {
                match first().as_deref() {
                    Some("nil") => Ok(None),
                    Some(text) => text
                        .parse::<i64>()
                        .ok()
                        .filter(|id| *id > 0)
                        .map(Some)
                        .ok_or_else(|| bad(format!("{name} takes an id or \"nil\""))),
                    None => Err(bad(format!("{name} takes an id or \"nil\""))),
                }
            };
            let labels = || -> Result<Vec<String>, Refusal> {
                let labels: Option<Vec<String>> = params
                    .iter()
                    .map(|label| {
                        label
                            .as_str()
                            .map(str::trim)
                            .filter(|label| !label.is_empty())
                            .map(str::to_lowercase)
                    })
                    .collect();
                labels
                    .filter(|labels| !labels.is_empty())
                    .ok_or_else(|| bad(format!("{name} takes a list of label names")))
            };
            let message = || -> Result<String, Refusal> {
                first()
                    .filter(|text| (1..=MAX_TEXT_CHARS).contains(&text.chars().count()))
                    .ok_or_else(|| bad(format!("{name} takes a text of 1 to {MAX_TEXT_CHARS} characters")))
            };
            Ok(match name {
                "add_label" => Action::AddLabels(labels()?),
                "remove_label" => Action::RemoveLabels(labels()?),
                "assign_agent" => Action::AssignAgent(id_or_nil()?),
                "assign_team" => Action::AssignTeam(id_or_nil()?),
                "change_priority" => Action::ChangePriority(match first().as_deref() {
                    Some("nil") => None,
                    Some(word) => {
                        Some(Priority::parse(word).ok_or_else(|| bad(format!("{word:?} is not a priority")))?)
                    }
                    None => return Err(bad("change_priority takes a priority".into())),
                }),
                "send_message" => Action::SendMessage(message()?),
                "add_private_note" => Action::AddPrivateNote(message()?),
                "send_webhook_event" => {
                    let url = first().unwrap_or_default();
                    outgoing_urls::check(&url, allow_private)
                        .map_err(|_| bad("send_webhook_event takes a public http(s) URL".into()))?;
                    Action::SendWebhookEvent(url)
                }
                "resolve_conversation" => Action::Resolve,
                "open_conversation" => Action::Open,
                "snooze_conversation" => Action::Snooze,
                "mute_conversation" => Action::Mute,
                other => return Err(bad(format!("Action {other:?} is unknown"))),
            })
        })
        .collect()
}

/// What conditions are judged against: the conversation as it is now, its contact, and the
/// message that triggered the rule (for `message_created`).
#[derive(Debug, Clone, Default)]
pub struct Facts<'a> {
    pub content: Option<&'a str>,
    /// `incoming` or `outgoing`.
    pub message_type: Option<&'a str>,
    pub status: &'a str,
    pub assignee_id: Option<i64>,
    pub team_id: Option<i64>,
    pub inbox_id: i64,
    pub priority: Option<&'a str>,
    pub labels: &'a [String],
    pub email: Option<&'a str>,
    pub phone_number: Option<&'a str>,
    pub conversation_attributes: Option<&'a Map<String, Value>>,
    pub contact_attributes: Option<&'a Map<String, Value>>,
}

impl Facts<'_> {
    /// The subject's value as lower-case text (`None` when missing).
    fn value(&self, subject: &Subject) -> Option<String> {
        let id = |id: Option<i64>| id.map(|id| id.to_string());
        match subject {
            Subject::Content => self.content.map(str::to_lowercase),
            Subject::MessageType => self.message_type.map(str::to_string),
            Subject::Status => Some(self.status.to_string()),
            Subject::AssigneeId => id(self.assignee_id),
            Subject::TeamId => id(self.team_id),
            Subject::InboxId => Some(self.inbox_id.to_string()),
            Subject::Priority => self.priority.map(str::to_string),
            Subject::Labels => None,
            Subject::Email => self.email.map(str::to_lowercase),
            Subject::PhoneNumber => self.phone_number.map(str::to_lowercase),
            Subject::Custom { key, .. } => {
                let of_conversation = self.conversation_attributes.and_then(|attributes| attributes.get(key));
                let of_contact = self.contact_attributes.and_then(|attributes| attributes.get(key));
                match of_conversation.filter(|value| !value.is_null()).or(of_contact)? {
                    Value::Bool(flag) => Some(flag.to_string()),
                    other => text_of(other).map(|text| text.to_lowercase()),
                }
            }
        }
    }
}

impl RuleCondition {
    pub fn holds(&self, facts: &Facts) -> bool {
        if self.subject == Subject::Labels {
            let has = |label: &String| facts.labels.iter().any(|own| own.eq_ignore_ascii_case(label));
            return match self.operator {
                Operator::EqualTo => self.values.iter().any(has),
                Operator::NotEqualTo => !self.values.iter().any(has),
                Operator::IsPresent => !facts.labels.is_empty(),
                Operator::IsNotPresent => facts.labels.is_empty(),
                _ => false,
            };
        }
        let value = facts.value(&self.subject).filter(|value| !value.is_empty());
        let any = |test: &dyn Fn(&str, &str) -> bool| match &value {
            Some(value) => self.values.iter().any(|wanted| test(value, wanted)),
            None => false,
        };
        let number = |text: &str| text.parse::<f64>().ok();
        let compare = |ordering: std::cmp::Ordering| match (
            value.as_deref().and_then(number),
            self.values.first().and_then(|v| number(v)),
        ) {
            (Some(own), Some(given)) => own.partial_cmp(&given) == Some(ordering),
            _ => false,
        };
        match self.operator {
            Operator::EqualTo => {
                any(&|value, wanted| value == wanted || number(value).is_some_and(|own| number(wanted) == Some(own)))
            }
            Operator::NotEqualTo => !any(&|value, wanted| value == wanted),
            Operator::Contains => any(&|value, wanted| value.contains(wanted)),
            Operator::DoesNotContain => !any(&|value, wanted| value.contains(wanted)),
            Operator::StartsWith => any(&|value, wanted| value.starts_with(wanted)),
            Operator::IsPresent => value.is_some(),
            Operator::IsNotPresent => value.is_none(),
            Operator::IsGreaterThan => compare(std::cmp::Ordering::Greater),
            Operator::IsLessThan => compare(std::cmp::Ordering::Less),
        }
    }
}

/// Whether a rule's conditions hold, `and` before `or` (the filters' rule).
pub fn conditions_hold(conditions: &[RuleCondition], facts: &Facts) -> bool {
    joined_hold(
        conditions,
        |condition| condition.join,
        |condition| condition.holds(facts),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn no_custom(_: &str) -> Option<bool> {
        None
    }

    fn one(condition: Value) -> RuleCondition {
        let custom = |key: &str| match key {
            "plan" => Some(false),
            "seats" => Some(true),
            _ => None,
        };
        parse_conditions(&json!([condition]), custom).unwrap().remove(0)
    }

    fn facts() -> Facts<'static> {
        static LABELS: [String; 0] = [];
        Facts {
            status: "open",
            inbox_id: 7,
            labels: &LABELS,
            ..Facts::default()
        }
    }

    #[test]
    fn each_operator_judges_as_the_contract_says() {
        let labels = vec!["vip".to_string(), "billing".to_string()];
        let conversation_attributes = json!({"plan": "Gold", "seats": 12});
        let contact_attributes = json!({"plan": "Silver", "seats": "3"});
        let facts = Facts {
            content: Some("Where is my REFUND?"),
            message_type: Some("incoming"),
            assignee_id: Some(4),
            priority: Some("high"),
            labels: &labels,
            email: Some("Ann@Example.com"),
            phone_number: Some("+4930123"),
            conversation_attributes: conversation_attributes.as_object(),
            contact_attributes: contact_attributes.as_object(),
            ..facts()
        };
        let cases = [
            (
                json!({"attribute_key": "content", "filter_operator": "contains", "values": ["refund"]}),
                true,
            ),
            (
                json!({"attribute_key": "content", "filter_operator": "does_not_contain", "values": ["refund"]}),
                false,
            ),
            (
                json!({"attribute_key": "content", "filter_operator": "equal_to", "values": ["where is my refund?"]}),
                true,
            ),
            (
                json!({"attribute_key": "content", "filter_operator": "not_equal_to", "values": ["hi"]}),
                true,
            ),
            (
                json!({"attribute_key": "message_type", "filter_operator": "equal_to", "values": ["incoming"]}),
                true,
            ),
            (
                json!({"attribute_key": "message_type", "filter_operator": "not_equal_to", "values": ["incoming"]}),
                false,
            ),
            (
                json!({"attribute_key": "status", "filter_operator": "equal_to", "values": ["pending", "open"]}),
                true,
            ),
            (
                json!({"attribute_key": "status", "filter_operator": "not_equal_to", "values": ["open"]}),
                false,
            ),
            (
                json!({"attribute_key": "assignee_id", "filter_operator": "equal_to", "values": [4]}),
                true,
            ),
            (
                json!({"attribute_key": "assignee_id", "filter_operator": "is_present", "values": []}),
                true,
            ),
            (
                json!({"attribute_key": "team_id", "filter_operator": "is_not_present"}),
                true,
            ),
            (
                json!({"attribute_key": "team_id", "filter_operator": "not_equal_to", "values": ["2"]}),
                true,
            ),
            (
                json!({"attribute_key": "inbox_id", "filter_operator": "equal_to", "values": ["7"]}),
                true,
            ),
            (
                json!({"attribute_key": "priority", "filter_operator": "equal_to", "values": ["HIGH"]}),
                true,
            ),
            (
                json!({"attribute_key": "labels", "filter_operator": "equal_to", "values": ["VIP", "spam"]}),
                true,
            ),
            (
                json!({"attribute_key": "labels", "filter_operator": "not_equal_to", "values": ["spam"]}),
                true,
            ),
            (
                json!({"attribute_key": "labels", "filter_operator": "is_present"}),
                true,
            ),
            (
                json!({"attribute_key": "labels", "filter_operator": "is_not_present"}),
                false,
            ),
            (
                json!({"attribute_key": "email", "filter_operator": "equal_to", "values": ["ann@example.com"]}),
                true,
            ),
            (
                json!({"attribute_key": "email", "filter_operator": "contains", "values": ["@example."]}),
                true,
            ),
            (
                json!({"attribute_key": "email", "filter_operator": "does_not_contain", "values": ["@example."]}),
                false,
            ),
            (
                json!({"attribute_key": "phone_number", "filter_operator": "starts_with", "values": ["+49"]}),
                true,
            ),
            (
                json!({"attribute_key": "phone_number", "filter_operator": "starts_with", "values": ["+1"]}),
                false,
            ),
            // The conversation's custom attribute wins over the contact's.
            (
                json!({"attribute_key": "plan", "filter_operator": "equal_to", "values": ["gold"]}),
                true,
            ),
            (
                json!({"attribute_key": "plan", "filter_operator": "contains", "values": ["silv"]}),
                false,
            ),
            (json!({"attribute_key": "plan", "filter_operator": "is_present"}), true),
            (
                json!({"attribute_key": "seats", "filter_operator": "is_greater_than", "values": [10]}),
                true,
            ),
            (
                json!({"attribute_key": "seats", "filter_operator": "is_less_than", "values": ["12.5"]}),
                true,
            ),
            (
                json!({"attribute_key": "seats", "filter_operator": "equal_to", "values": ["12.0"]}),
                true,
            ),
        ];
        for (condition, expected) in cases {
            assert_eq!(one(condition.clone()).holds(&facts), expected, "{condition}");
        }
    }

    #[test]
    fn missing_values_are_not_equal_and_contain_nothing() {
        let facts = facts();
        let cases = [
            (
                json!({"attribute_key": "content", "filter_operator": "contains", "values": ["a"]}),
                false,
            ),
            (
                json!({"attribute_key": "content", "filter_operator": "does_not_contain", "values": ["a"]}),
                true,
            ),
            (
                json!({"attribute_key": "email", "filter_operator": "not_equal_to", "values": ["a@b.c"]}),
                true,
            ),
            (
                json!({"attribute_key": "email", "filter_operator": "equal_to", "values": ["a@b.c"]}),
                false,
            ),
            (
                json!({"attribute_key": "seats", "filter_operator": "is_greater_than", "values": [0]}),
                false,
            ),
            (
                json!({"attribute_key": "seats", "filter_operator": "is_less_than", "values": [0]}),
                false,
            ),
            (
                json!({"attribute_key": "plan", "filter_operator": "is_not_present"}),
                true,
            ),
        ];
        for (condition, expected) in cases {
            assert_eq!(one(condition.clone()).holds(&facts), expected, "{condition}");
        }
    }

    #[test]
    fn and_binds_before_or() {
        // status = resolved OR inbox = 7 AND priority = urgent: false OR (true AND false).
        let conditions = parse_conditions(
            &json!([
                {"attribute_key": "status", "filter_operator": "equal_to", "values": ["resolved"], "query_operator": "OR"},
                {"attribute_key": "inbox_id", "filter_operator": "equal_to", "values": [7], "query_operator": "and"},
                {"attribute_key": "priority", "filter_operator": "equal_to", "values": ["urgent"], "query_operator": "nil"}
            ]),
            no_custom,
        )
        .unwrap();
        assert!(!conditions_hold(&conditions, &facts()));
        let urgent = Facts {
            priority: Some("urgent"),
            ..facts()
        };
        assert!(conditions_hold(&conditions, &urgent));
        let resolved = Facts {
            status: "resolved",
            ..facts()
        };
        assert!(conditions_hold(&conditions, &resolved));
    }

    #[test]
    fn malformed_conditions_name_conditions() {
        for bad in [
            json!([]),
            json!({}),
            json!([{"attribute_key": "browser_language", "filter_operator": "equal_to", "values": ["en"]}]),
            json!([{"attribute_key": "status", "filter_operator": "contains", "values": ["op"]}]),
            json!([{"attribute_key": "status", "filter_operator": "equal_to", "values": ["closed"]}]),
            json!([{"attribute_key": "priority", "filter_operator": "equal_to", "values": ["none"]}]),
            json!([{"attribute_key": "message_type", "filter_operator": "equal_to", "values": ["activity"]}]),
            json!([{"attribute_key": "email", "filter_operator": "equal_to", "values": []}]),
            json!([{"attribute_key": "email", "filter_operator": "equal_to", "values": [{"a": 1}]}]),
            json!([{"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"]},
                   {"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"]}]),
            json!([{"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"], "query_operator": "xor"},
                   {"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"]}]),
            json!([{"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"], "query_operator": "maybe"}]),
        ] {
            let refused = parse_conditions(&bad, no_custom).unwrap_err();
            assert_eq!(refused.field, "conditions", "{bad}");
        }
        let not_a_number = parse_conditions(
            &json!([{"attribute_key": "seats", "filter_operator": "is_greater_than", "values": ["many"]}]),
            |_| Some(true),
        );
        assert!(not_a_number.is_err());
    }

    #[test]
    fn actions_are_read_checked_and_written_back() {
        let given = json!([
            {"action_name": "add_label", "action_params": ["VIP", "billing"]},
            {"action_name": "remove_label", "action_params": ["spam"]},
            {"action_name": "assign_agent", "action_params": [3]},
            {"action_name": "assign_team", "action_params": ["nil"]},
            {"action_name": "change_priority", "action_params": ["urgent"]},
            {"action_name": "send_message", "action_params": ["Thanks!"]},
            {"action_name": "add_private_note", "action_params": ["Check this"]},
            {"action_name": "send_webhook_event", "action_params": ["https://hooks.example.com/x"]},
            {"action_name": "resolve_conversation", "action_params": []},
            {"action_name": "open_conversation"},
            {"action_name": "snooze_conversation", "action_params": []},
            {"action_name": "mute_conversation", "action_params": []}
        ]);
        let actions = parse_actions(&given, false).unwrap();
        assert_eq!(actions[0], Action::AddLabels(vec!["vip".into(), "billing".into()]));
        assert_eq!(actions[2], Action::AssignAgent(Some(3)));
        assert_eq!(actions[3], Action::AssignTeam(None));
        assert_eq!(actions[4], Action::ChangePriority(Some(Priority::Urgent)));
        assert_eq!(actions[11], Action::Mute);
        for bad in [
            json!([{"action_name": "send_email_to_team", "action_params": ["x"]}]),
            json!([{"action_name": "add_label", "action_params": [""]}]),
            json!([{"action_name": "add_label", "action_params": []}]),
            json!([{"action_name": "assign_agent", "action_params": ["someone"]}]),
            json!([{"action_name": "change_priority", "action_params": ["none"]}]),
            json!([{"action_name": "send_message", "action_params": [""]}]),
            json!([{"action_name": "send_message", "action_params": ["x".repeat(150_001)]}]),
            json!([{"action_name": "send_webhook_event", "action_params": ["http://127.0.0.1/x"]}]),
            json!([{"action_name": "add_label", "action_params": "vip"}]),
            json!([]),
        ] {
            assert_eq!(parse_actions(&bad, false).unwrap_err().field, "actions", "{bad}");
        }
        assert!(parse_actions(
            &json!([{"action_name": "send_webhook_event", "action_params": ["http://127.0.0.1/x"]}]),
            true
        )
        .is_ok());
    }

    #[test]
    fn rule_events_are_the_contracts_five() {
        for event in RuleEvent::ALL {
            assert_eq!(RuleEvent::parse(event.name()), Some(event));
        }
        assert_eq!(RuleEvent::parse("contact_created"), None);
    }
}
