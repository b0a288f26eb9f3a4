//! What a create or update request asks to change on an inbox, validated. Channel fields may
//! come nested under `channel` (Chatwoot's form) or flat; nested wins when both are sent.

use nimchat_shared::enums::{ChannelType, ReplyTime};
use nimchat_shared::validation::{is_valid_domain_pattern, is_valid_hex_color};
use nimchat_shared::wire::WorkingHoursDay;
use serde_json::{json, Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::input::Fields;

const SHORT_TEXT: usize = 255;
const LONG_TEXT: usize = 10_000;

/// Every settable inbox field; `None` leaves the stored value as it is.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct InboxChanges {
    pub name: Option<String>,
    pub channel_type: Option<ChannelType>,
    pub website_url: Option<String>,
    pub webhook_url: Option<String>,
    pub widget_color: Option<String>,
    pub welcome_title: Option<String>,
    pub welcome_tagline: Option<String>,
    pub reply_time: Option<ReplyTime>,
    pub hmac_mandatory: Option<bool>,
    pub csat_survey_enabled: Option<bool>,
    pub greeting_enabled: Option<bool>,
    pub greeting_message: Option<String>,
    pub working_hours_enabled: Option<bool>,
    pub working_hours: Option<Vec<WorkingHoursDay>>,
    pub timezone: Option<String>,
    pub out_of_office_message: Option<String>,
    pub enable_auto_assignment: Option<bool>,
    pub lock_to_single_conversation: Option<bool>,
    pub allow_messages_after_resolved: Option<bool>,
    /// Normalised: patterns joined by commas; `Some("")` clears the restriction.
    pub allowed_domains: Option<String>,
    pub pre_chat_form_enabled: Option<bool>,
    pub pre_chat_form_options: Option<Value>,
}

/// Reads a field from `channel` when it is there, else from the top level.
struct Source<'a> {
    top: Fields<'a>,
    channel: Option<Fields<'a>>,
}

impl<'a> Source<'a> {
    fn pick(&self, key: &str) -> Fields<'a> {
        match self.channel {
            Some(channel) if channel.has(key) => channel,
            _ => self.top,
        }
    }
}

impl InboxChanges {
    pub fn parse(body: &Map<String, Value>) -> ApiResult<Self> {
        let top = Fields::new(body);
        let channel_fields = top.object("channel")?;
        let channel = channel_fields.as_deref().map(Fields::new);
        let source = Source { top, channel };
        let text = |key: &str, max: usize| source.pick(key).text(key, max);
        let flag = |key: &str| source.pick(key).bool(key);

        let channel_type = match channel {
            Some(channel) => channel
                .choice("type", ChannelType::parse)
                .map_err(|_| ApiError::invalid("channel.type", "Channel type must be web_widget or api"))?,
            None => None,
        };
        let widget_color = text("widget_color", 16)?;
        if let Some(color) = &widget_color {
            if !is_valid_hex_color(color) {
                return Err(ApiError::invalid(
                    "widget_color",
                    "Widget color must be a hex colour like #1f93ff",
                ));
            }
        }
        let webhook_url = source.pick("webhook_url").url("webhook_url")?;
        let timezone = text("timezone", 64)?;
        if let Some(zone) = &timezone {
            if !zone.chars().all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c)) {
                return Err(ApiError::invalid(
                    "timezone",
                    "Timezone must be an IANA zone name such as Europe/Paris",
                ));
            }
        }
        let working_hours = source
            .pick("working_hours")
            .array("working_hours")?
            .map(|days| parse_working_hours(&days))
            .transpose()?;

        Ok(InboxChanges {
            name: top.text("name", SHORT_TEXT)?,
            channel_type,
            website_url: text("website_url", 2048)?,
            webhook_url,
            widget_color,
            welcome_title: text("welcome_title", SHORT_TEXT)?,
            welcome_tagline: text("welcome_tagline", SHORT_TEXT)?,
            reply_time: source.pick("reply_time").choice("reply_time", ReplyTime::parse)?,
            hmac_mandatory: flag("hmac_mandatory")?,
            csat_survey_enabled: flag("csat_survey_enabled")?,
            greeting_enabled: flag("greeting_enabled")?,
            greeting_message: text("greeting_message", LONG_TEXT)?,
            working_hours_enabled: flag("working_hours_enabled")?,
            working_hours,
            timezone,
            out_of_office_message: text("out_of_office_message", LONG_TEXT)?,
            enable_auto_assignment: flag("enable_auto_assignment")?,
            lock_to_single_conversation: flag("lock_to_single_conversation")?,
            allow_messages_after_resolved: flag("allow_messages_after_resolved")?,
            allowed_domains: parse_allowed_domains(source.pick("allowed_domains"))?,
            pre_chat_form_enabled: flag("pre_chat_form_enabled")?,
            pre_chat_form_options: source
                .pick("pre_chat_form_options")
                .object("pre_chat_form_options")?
                .map(|options| Value::Object(options.into_owned())),
        })
    }

    /// The changes of a create request, with what a new inbox cannot do without.
    pub fn for_create(body: &Map<String, Value>) -> ApiResult<Self> {
        let changes = Self::parse(body)?;
        if changes.name.is_none() {
            return Err(ApiError::invalid("name", "Name can't be blank"));
        }
        if changes.channel_type.is_none() {
            return Err(ApiError::invalid(
                "channel.type",
                "Channel type must be web_widget or api",
            ));
        }
        Ok(changes)
    }
}

/// Chatwoot's default pre-chat form: the fields exist but are switched off.
pub fn default_pre_chat_form_options() -> Value {
    let field = |label: &str, name: &str, kind: &str| {
        json!({"field_type": "standard", "label": label, "name": name, "type": kind,
               "required": false, "enabled": false})
    };
    json!({
        "pre_chat_message": "Share your queries or comments here.",
        "pre_chat_fields": [
            field("Email Id", "emailAddress", "email"),
            field("Full name", "fullName", "text"),
            field("Phone number", "phoneNumber", "text"),
        ]
    })
}

/// Replaces the days that were given and keeps the others.
pub fn merge_week(current: &[WorkingHoursDay], given: &[WorkingHoursDay]) -> Vec<WorkingHoursDay> {
    let mut week = current.to_vec();
    for day in given {
        match week.iter_mut().find(|known| known.day_of_week == day.day_of_week) {
            Some(known) => *known = *day,
            None => week.push(*day),
        }
    }
    week.sort_by_key(|day| day.day_of_week);
    week
}

fn parse_allowed_domains(fields: Fields) -> ApiResult<Option<String>> {
    let invalid = || {
        ApiError::invalid(
            "allowed_domains",
            "Allowed domains must be host names such as example.com or *.example.com",
        )
    };
    let patterns: Vec<String> = if let Some(items) = fields.array("allowed_domains").ok().flatten() {
        items
            .iter()
            .map(|item| item.as_str().map(str::to_string).ok_or_else(invalid))
            .collect::<ApiResult<_>>()?
    } else {
        match fields.text("allowed_domains", 4096)? {
            Some(list) => list.split([',', '\n', ' ']).map(str::to_string).collect(),
            None => return Ok(None),
        }
    };
    let patterns: Vec<String> = patterns
        .iter()
        .map(|pattern| pattern.trim().to_ascii_lowercase())
        .filter(|pattern| !pattern.is_empty())
        .collect();
    if patterns.iter().all(|pattern| is_valid_domain_pattern(pattern)) {
        Ok(Some(patterns.join(",")))
    } else {
        Err(invalid())
    }
}

fn parse_working_hours(days: &[Value]) -> ApiResult<Vec<WorkingHoursDay>> {
    let invalid = |why: &str| ApiError::invalid("working_hours", format!("Working hours {why}"));
    let mut parsed: Vec<WorkingHoursDay> = Vec::with_capacity(days.len());
    for value in days {
        let day: WorkingHoursDay = serde_json::from_value(with_defaults(value)?)
            .map_err(|_| invalid("must be a list of days with day_of_week 0 to 6, hours and minutes"))?;
        if day.day_of_week > 6 {
            return Err(invalid("have a day_of_week outside 0 (Sunday) to 6 (Saturday)"));
        }
        if parsed.iter().any(|seen| seen.day_of_week == day.day_of_week) {
            return Err(invalid("list a day twice"));
        }
        if !day.closed_all_day && !day.open_all_day {
            let minute_of = |hour: Option<u8>, minutes: Option<u8>| match (hour, minutes.unwrap_or(0)) {
                (Some(hour), minutes) if hour <= 23 && minutes <= 59 => Some(u16::from(hour) * 60 + u16::from(minutes)),
                _ => None,
            };
            let open = minute_of(day.open_hour, day.open_minutes);
            let close = minute_of(day.close_hour, day.close_minutes);
            match (open, close) {
                (Some(open), Some(close)) if open < close => {}
                _ => return Err(invalid("need an opening time before the closing time on open days")),
            }
        }
        parsed.push(day);
    }
    Ok(parsed)
}

/// Chatwoot clients omit the flags and times that do not apply; fill them in as false/null.
fn with_defaults(value: &Value) -> ApiResult<Value> {
    let Value::Object(map) = value else {
        return Err(ApiError::invalid(
            "working_hours",
            "Working hours must be a list of objects",
        ));
    };
    let mut filled = map.clone();
    for flag in ["closed_all_day", "open_all_day"] {
        filled.entry(flag).or_insert(Value::Bool(false));
    }
    for time in ["open_hour", "open_minutes", "close_hour", "close_minutes"] {
        filled.entry(time).or_insert(Value::Null);
    }
    Ok(Value::Object(filled))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(value: Value) -> ApiResult<InboxChanges> {
        InboxChanges::parse(value.as_object().unwrap())
    }

    #[test]
    fn nested_channel_fields_win_over_flat_ones() {
        let changes = parse(json!({"widget_color": "#000000", "channel": {"widget_color": "#ffffff"}})).unwrap();
        assert_eq!(changes.widget_color.as_deref(), Some("#ffffff"));
        let flat = parse(json!({"welcome_title": "Hi", "channel": {}})).unwrap();
        assert_eq!(flat.welcome_title.as_deref(), Some("Hi"));
    }

    #[test]
    fn create_needs_a_name_and_a_channel_type() {
        let no_name = InboxChanges::for_create(json!({"channel": {"type": "api"}}).as_object().unwrap());
        assert_eq!(no_name.unwrap_err(), ApiError::invalid("name", "Name can't be blank"));
        let no_type = InboxChanges::for_create(json!({"name": "x"}).as_object().unwrap());
        assert_eq!(no_type.unwrap_err().body()["attributes"], json!(["channel.type"]));
        let bad_type = parse(json!({"name": "x", "channel": {"type": "email"}}));
        assert_eq!(bad_type.unwrap_err().status(), 422);
    }

    #[test]
    fn rejects_bad_values_naming_the_field() {
        for (body, field) in [
            (json!({"widget_color": "blue"}), "widget_color"),
            (json!({"webhook_url": "javascript:alert(1)"}), "webhook_url"),
            (json!({"reply_time": "soon"}), "reply_time"),
            (json!({"hmac_mandatory": "yes"}), "hmac_mandatory"),
            (json!({"allowed_domains": "https://x.com"}), "allowed_domains"),
            (json!({"allowed_domains": [1]}), "allowed_domains"),
            (json!({"timezone": "Europe/Paris; DROP"}), "timezone"),
            (json!({"pre_chat_form_options": []}), "pre_chat_form_options"),
            (
                json!({"working_hours": [{"day_of_week": 9, "closed_all_day": true}]}),
                "working_hours",
            ),
            (
                json!({"working_hours": [{"day_of_week": 1, "open_hour": 18, "close_hour": 9}]}),
                "working_hours",
            ),
            (json!({"working_hours": "always"}), "working_hours"),
        ] {
            let error = parse(body.clone()).unwrap_err();
            assert_eq!(error.body()["attributes"], json!([field]), "{body}");
        }
    }

    #[test]
    fn allowed_domains_are_normalised() {
        let from_text = parse(json!({"allowed_domains": "Example.com, *.shop.io"})).unwrap();
        assert_eq!(from_text.allowed_domains.as_deref(), Some("example.com,*.shop.io"));
        let cleared = parse(json!({"allowed_domains": []})).unwrap();
        assert_eq!(cleared.allowed_domains.as_deref(), Some(""));
        assert_eq!(parse(json!({})).unwrap().allowed_domains, None);
    }

    #[test]
    fn working_hours_merge_by_day() {
        let week = WorkingHoursDay::default_week();
        let changes = parse(json!({"working_hours": [{"day_of_week": 6, "open_all_day": true}]})).unwrap();
        let merged = merge_week(&week, &changes.working_hours.unwrap());
        assert_eq!(merged.len(), 7);
        assert!(merged[6].open_all_day && !merged[6].closed_all_day);
        assert_eq!(merged[1], week[1]);
    }
}
