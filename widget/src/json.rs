//! JSON through the browser: `JSON.parse` and `JSON.stringify`, and reads of the parsed
//! objects into the shared wire types. serde's derived visitors and serde_json's parser were
//! half of the widget's weight; the browser already has a fast parser.
//!
//! Field names and shapes are those of `nimchat_shared::wire`; `tests/web.rs` decodes what
//! serde writes for each type, so the two cannot drift apart unnoticed.

use js_sys::{Array, Object, Reflect, JSON};
use nimchat_shared::enums::{ConversationStatus, MessageType, ReplyTime, SenderType};
use nimchat_shared::wire::{
    Assignee, Attachment, ContactSession, Conversation, ConversationContact, Message, MessageIds, PublicInbox, Sender,
    WorkingHoursDay,
};
use serde_json::{Map, Number, Value};
use wasm_bindgen::{JsCast, JsValue};

/// A wire object read from its parsed JSON; `None` when a field it cannot do without is
/// missing or of the wrong type.
pub trait FromJs: Sized {
    fn from_js(value: &Fields) -> Option<Self>;
}

/// Parses JSON text into `T`.
pub fn parse<T: FromJs>(text: &str) -> Option<T> {
    JSON::parse(text).ok().as_ref().and_then(decode)
}

/// Parses a JSON array of `T`.
pub fn parse_list<T: FromJs>(text: &str) -> Option<Vec<T>> {
    JSON::parse(text).ok().as_ref().and_then(decode_list)
}

pub fn decode<T: FromJs>(value: &JsValue) -> Option<T> {
    fields(value).as_ref().and_then(T::from_js)
}

/// The fields of a parsed JSON object; `None` for anything else.
pub fn fields(value: &JsValue) -> Option<Fields> {
    value.is_object().then(|| Fields(value.clone()))
}

/// Every element of an array that decodes; `None` when it is no array.
pub fn decode_list<T: FromJs>(value: &JsValue) -> Option<Vec<T>> {
    let array = value.dyn_ref::<Array>()?;
    Some(array.iter().filter_map(|item| decode(&item)).collect())
}

/// `JSON.stringify`, for request bodies and storage.
pub fn stringify(value: &JsValue) -> String {
    JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

/// A JS object from its entries.
pub fn object(entries: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in entries {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object
}

/// The fields of one parsed JSON object.
pub struct Fields(JsValue);

impl Fields {
    pub fn get(&self, key: &str) -> JsValue {
        Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    pub fn string(&self, key: &str) -> Option<String> {
        self.get(key).as_string()
    }

    /// A whole number; JSON numbers arrive as doubles.
    pub fn int(&self, key: &str) -> Option<i64> {
        self.get(key)
            .as_f64()
            .filter(|number| number.fract() == 0.0)
            .map(|number| number as i64)
    }

    /// `false` when absent.
    pub fn flag(&self, key: &str) -> bool {
        self.get(key).as_bool().unwrap_or(false)
    }

    pub fn fields(&self, key: &str) -> Option<Fields> {
        fields(&self.get(key))
    }

    pub fn decode<T: FromJs>(&self, key: &str) -> Option<T> {
        decode(&self.get(key))
    }

    pub fn list<T: FromJs>(&self, key: &str) -> Vec<T> {
        decode_list(&self.get(key)).unwrap_or_default()
    }

    pub fn value(&self, key: &str) -> Value {
        to_value(&self.get(key))
    }

    pub fn map(&self, key: &str) -> Map<String, Value> {
        match self.value(key) {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }
}

/// A parsed JSON value as serde_json's `Value`, for the open-ended maps of the wire types.
pub fn to_value(value: &JsValue) -> Value {
    if let Some(flag) = value.as_bool() {
        Value::Bool(flag)
    } else if let Some(number) = value.as_f64() {
        if number.fract() == 0.0 && number.abs() < 9.0e15 {
            Value::Number((number as i64).into())
        } else {
            Number::from_f64(number).map_or(Value::Null, Value::Number)
        }
    } else if let Some(text) = value.as_string() {
        Value::String(text)
    } else if let Some(array) = value.dyn_ref::<Array>() {
        Value::Array(array.iter().map(|item| to_value(&item)).collect())
    } else if value.is_object() {
        // Inserted one by one: collecting into the map would sort the entries first, and
        // the sort weighs more than 1 KB in the wasm.
        let mut map = Map::new();
        for entry in Object::entries(value.unchecked_ref()).iter() {
            let pair: Array = entry.unchecked_into();
            if let Some(key) = pair.get(0).as_string() {
                map.insert(key, to_value(&pair.get(1)));
            }
        }
        Value::Object(map)
    } else {
        Value::Null
    }
}

impl FromJs for ContactSession {
    fn from_js(fields: &Fields) -> Option<Self> {
        Some(ContactSession {
            source_id: fields.string("source_id")?,
            pubsub_token: fields.string("pubsub_token")?,
            id: fields.int("id")?,
            name: fields.string("name").unwrap_or_default(),
            email: fields.string("email"),
            phone_number: fields.string("phone_number"),
        })
    }
}

impl FromJs for WorkingHoursDay {
    fn from_js(fields: &Fields) -> Option<Self> {
        let small = |key| fields.int(key).and_then(|number| u8::try_from(number).ok());
        Some(WorkingHoursDay {
            day_of_week: small("day_of_week")?,
            closed_all_day: fields.flag("closed_all_day"),
            open_all_day: fields.flag("open_all_day"),
            open_hour: small("open_hour"),
            open_minutes: small("open_minutes"),
            close_hour: small("close_hour"),
            close_minutes: small("close_minutes"),
        })
    }
}

impl FromJs for PublicInbox {
    fn from_js(fields: &Fields) -> Option<Self> {
        Some(PublicInbox {
            identifier: fields.string("identifier")?,
            name: fields.string("name")?,
            timezone: fields.string("timezone").unwrap_or_default(),
            working_hours: fields.list("working_hours"),
            working_hours_enabled: fields.flag("working_hours_enabled"),
            csat_survey_enabled: fields.flag("csat_survey_enabled"),
            greeting_enabled: fields.flag("greeting_enabled"),
            greeting_message: fields.string("greeting_message"),
            out_of_office_message: fields.string("out_of_office_message"),
            identity_validation_enabled: fields.flag("identity_validation_enabled"),
            widget_color: fields.string("widget_color").unwrap_or_default(),
            welcome_title: fields.string("welcome_title"),
            welcome_tagline: fields.string("welcome_tagline"),
            reply_time: fields
                .string("reply_time")
                .and_then(|text| ReplyTime::parse(&text))
                .unwrap_or(ReplyTime::InAFewMinutes),
            pre_chat_form_enabled: fields.flag("pre_chat_form_enabled"),
            pre_chat_form_options: fields.value("pre_chat_form_options"),
            allow_messages_after_resolved: fields.flag("allow_messages_after_resolved"),
            online: fields.flag("online"),
            next_online_at: fields.int("next_online_at"),
        })
    }
}

impl FromJs for Sender {
    fn from_js(fields: &Fields) -> Option<Self> {
        Some(Sender {
            id: fields.int("id")?,
            name: fields.string("name").unwrap_or_default(),
            avatar_url: fields.string("avatar_url").unwrap_or_default(),
            kind: SenderType::parse(&fields.string("type")?)?,
            available_name: fields.string("available_name"),
        })
    }
}

impl FromJs for Message {
    fn from_js(fields: &Fields) -> Option<Self> {
        let kind = u8::try_from(fields.int("message_type")?).ok()?;
        Some(Message {
            id: fields.int("id")?,
            content: fields.string("content"),
            message_type: MessageType::try_from(kind).ok()?,
            content_type: fields.string("content_type").unwrap_or_else(|| "text".into()),
            content_attributes: fields.map("content_attributes"),
            created_at: fields.int("created_at").unwrap_or(0),
            conversation_id: fields.int("conversation_id")?,
            status: fields.string("status").unwrap_or_default(),
            private: fields.flag("private"),
            sender: fields.decode("sender"),
            echo_id: fields.string("echo_id"),
            attachments: fields.list("attachments"),
            ids: MessageIds::default(),
        })
    }
}

impl FromJs for Attachment {
    fn from_js(fields: &Fields) -> Option<Self> {
        Some(Attachment {
            id: fields.int("id")?,
            message_id: fields.int("message_id").unwrap_or(0),
            file_type: fields.string("file_type")?,
            account_id: fields.int("account_id").unwrap_or(0),
            extension: fields.string("extension").unwrap_or_default(),
            data_url: fields.string("data_url")?,
            thumb_url: fields.string("thumb_url").unwrap_or_default(),
            file_size: fields.int("file_size").unwrap_or(0),
            file_name: fields.string("file_name").unwrap_or_default(),
            width: fields.int("width"),
            height: fields.int("height"),
        })
    }
}

impl FromJs for ConversationContact {
    fn from_js(fields: &Fields) -> Option<Self> {
        Some(ConversationContact {
            id: fields.int("id")?,
            name: fields.string("name").unwrap_or_default(),
            email: fields.string("email"),
            phone_number: fields.string("phone_number"),
            avatar_url: fields.string("avatar_url").unwrap_or_default(),
        })
    }
}

impl FromJs for Assignee {
    fn from_js(fields: &Fields) -> Option<Self> {
        Some(Assignee {
            id: fields.int("id")?,
            name: fields.string("name").unwrap_or_default(),
            available_name: fields.string("available_name").unwrap_or_default(),
            avatar_url: fields.string("avatar_url").unwrap_or_default(),
        })
    }
}

impl FromJs for Conversation {
    fn from_js(fields: &Fields) -> Option<Self> {
        Some(Conversation {
            id: fields.int("id")?,
            uuid: fields.string("uuid").unwrap_or_default(),
            inbox_id: fields.int("inbox_id").unwrap_or(0),
            status: ConversationStatus::parse(&fields.string("status")?)?,
            contact_last_seen_at: fields.int("contact_last_seen_at").unwrap_or(0),
            agent_last_seen_at: fields.int("agent_last_seen_at").unwrap_or(0),
            messages: fields.list("messages"),
            contact: fields.decode("contact")?,
            assignee: fields.decode("assignee"),
            custom_attributes: fields.map("custom_attributes"),
            created_at: fields.int("created_at").unwrap_or(0),
            queue_position: fields.int("queue_position").and_then(|place| u32::try_from(place).ok()),
        })
    }
}
