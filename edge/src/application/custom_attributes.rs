//! `/custom_attribute_definitions` (administrators change them; everyone reads them), and
//! the check of custom attribute values against them.

use nimchat_shared::enums::AttributeModel;
use serde_json::{Map, Value};
use worker::Response;

use crate::domain::custom_attributes::{self, parse_display_type, parse_model};
use crate::domain::filters::{self, is_attribute_key, Condition, CustomKind, Standard};
use crate::error::{ApiError, ApiResult};
use crate::http::{json, ApiRequest};
use crate::input::Fields;
use crate::store::{DefinitionChanges, Membership, Store};

/// Checks values being set on a contact or a conversation against the account's definitions.
pub async fn check_custom_attributes(
    store: &Store,
    account_id: i64,
    model: AttributeModel,
    attributes: Option<&Map<String, Value>>,
) -> ApiResult<()> {
    match attributes {
        Some(attributes) if !attributes.is_empty() => {
            custom_attributes::check(&store.attribute_rules(account_id, model).await?, attributes)
        }
        _ => Ok(()),
    }
}

/// Filter conditions over `model` as the account defined its custom attributes: only defined
/// keys, each compared by its kind.
pub async fn parse_filter(
    store: &Store,
    account_id: i64,
    model: AttributeModel,
    payload: Option<&Value>,
    standard: impl Fn(&str) -> Option<Standard>,
) -> ApiResult<Vec<Condition>> {
    let rules = store.attribute_rules(account_id, model).await?;
    let custom = |key: &str| {
        rules
            .iter()
            .find(|rule| rule.key == key)
            .map(|rule| CustomKind::of(rule.display_type))
    };
    filters::parse(payload, standard, custom)
}

fn changes(body: &Map<String, Value>) -> ApiResult<DefinitionChanges> {
    let fields = Fields::new(body);
    let key = fields.text("attribute_key", 64)?;
    if key.as_deref().is_some_and(|key| !is_attribute_key(key)) {
        return Err(ApiError::invalid(
            "attribute_key",
            "Attribute key may contain only letters, digits and _",
        ));
    }
    let values = match fields.array("attribute_values")? {
        None => None,
        Some(items) => Some(
            items
                .iter()
                .map(|item| item.as_str().map(str::to_string))
                .collect::<Option<Vec<String>>>()
                .ok_or_else(|| ApiError::invalid("attribute_values", "Attribute values must be a list of texts"))?,
        ),
    };
    let display_type = match body.get("attribute_display_type") {
        None | Some(Value::Null) => None,
        Some(value) => Some(parse_display_type(value).ok_or_else(|| {
            ApiError::invalid(
                "attribute_display_type",
                "Attribute display type must be text, number, currency, percent, link, date, list or checkbox",
            )
        })?),
    };
    Ok(DefinitionChanges {
        attribute_display_name: fields.text("attribute_display_name", 255)?,
        attribute_display_type: display_type,
        attribute_description: fields.text("attribute_description", 1000)?,
        attribute_key: key,
        attribute_values: values,
        default_value: fields.text("default_value", 255)?,
        attribute_model: match body.get("attribute_model") {
            None | Some(Value::Null) => None,
            Some(value) => Some(
                parse_model(value)
                    .ok_or_else(|| ApiError::invalid("attribute_model", "Attribute model must be 0 or 1"))?,
            ),
        },
    })
}

/// `?attribute_model=0|1|conversation_attribute|contact_attribute`; without it, both.
pub async fn list(store: &Store, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    let model = match request.query("attribute_model").filter(|text| !text.is_empty()) {
        None => None,
        Some(text) => Some(
            parse_model(&Value::String(text))
                .ok_or_else(|| ApiError::invalid("attribute_model", "Attribute model must be 0 or 1"))?,
        ),
    };
    json(&store.attribute_definitions(member.account_id, model).await?)
}

pub async fn show(store: &Store, member: &Membership, id: i64) -> ApiResult<Response> {
    json(
        &store
            .attribute_definition(member.account_id, id)
            .await?
            .ok_or(ApiError::NotFound)?,
    )
}

pub async fn create(store: &Store, member: &Membership, request: &ApiRequest) -> ApiResult<Response> {
    member.require_administrator()?;
    let mut new = changes(&request.body_object()?)?;
    for (present, attribute) in [
        (new.attribute_display_name.is_some(), "attribute_display_name"),
        (new.attribute_key.is_some(), "attribute_key"),
    ] {
        if !present {
            return Err(ApiError::invalid(
                attribute,
                format!("{} can't be blank", crate::input::label(attribute)),
            ));
        }
    }
    new.attribute_display_type
        .get_or_insert(nimchat_shared::enums::AttributeDisplayType::Text);
    // Chatwoot's default model is 0, conversations.
    new.attribute_model.get_or_insert(AttributeModel::Conversation);
    json(&store.create_attribute_definition(member.account_id, &new).await?)
}

pub async fn update(store: &Store, member: &Membership, request: &ApiRequest, id: i64) -> ApiResult<Response> {
    member.require_administrator()?;
    let changes = changes(&request.body_object()?)?;
    if !store
        .update_attribute_definition(member.account_id, id, &changes)
        .await?
    {
        return Err(ApiError::NotFound);
    }
    show(store, member, id).await
}

pub async fn delete(store: &Store, member: &Membership, id: i64) -> ApiResult<Response> {
    member.require_administrator()?;
    let definition = store
        .attribute_definition(member.account_id, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    store.delete_attribute_definition(member.account_id, id).await?;
    json(&definition)
}
