//! Custom attribute definitions and users' saved filters.

use nimchat_shared::enums::{AttributeDisplayType, AttributeModel, FilterType};
use nimchat_shared::wire::{CustomAttributeDefinition, CustomFilter};
use serde::Deserialize;
use serde_json::Value;

use super::{json_text, params, taken, Store};
use crate::domain::custom_attributes::ValueRule;
use crate::error::{ApiError, ApiResult};

#[derive(Deserialize)]
struct DefinitionRow {
    id: i64,
    attribute_display_name: String,
    attribute_display_type: String,
    attribute_description: Option<String>,
    attribute_key: String,
    #[serde(deserialize_with = "json_text")]
    attribute_values: Vec<String>,
    default_value: Option<String>,
    attribute_model: String,
    account_id: i64,
    created_at: i64,
}

impl DefinitionRow {
    fn into_wire(self) -> ApiResult<CustomAttributeDefinition> {
        let unknown = |what: &str| ApiError::Internal(format!("stored {what} is unknown"));
        Ok(CustomAttributeDefinition {
            id: self.id,
            attribute_display_name: self.attribute_display_name,
            attribute_display_type: AttributeDisplayType::parse(&self.attribute_display_type)
                .ok_or_else(|| unknown("display type"))?,
            attribute_description: self.attribute_description,
            attribute_key: self.attribute_key,
            attribute_values: self.attribute_values,
            default_value: self.default_value,
            attribute_model: AttributeModel::parse(&self.attribute_model).ok_or_else(|| unknown("model"))?,
            account_id: self.account_id,
            created_at: self.created_at,
        })
    }
}

/// A definition's fields to set; `None` keeps each.
#[derive(Debug, Default)]
pub struct DefinitionChanges {
    pub attribute_display_name: Option<String>,
    pub attribute_display_type: Option<AttributeDisplayType>,
    pub attribute_description: Option<String>,
    pub attribute_key: Option<String>,
    pub attribute_values: Option<Vec<String>>,
    pub default_value: Option<String>,
    pub attribute_model: Option<AttributeModel>,
}

/// A saved filter's fields to set; `None` keeps each.
#[derive(Debug, Default)]
pub struct CustomFilterChanges {
    pub name: Option<String>,
    pub filter_type: Option<FilterType>,
    pub query: Option<Value>,
}

#[derive(Deserialize)]
struct FilterRow {
    id: i64,
    name: String,
    filter_type: String,
    #[serde(deserialize_with = "json_text")]
    query: Value,
    created_at: i64,
    updated_at: i64,
}

impl FilterRow {
    fn into_wire(self) -> ApiResult<CustomFilter> {
        let filter_type = FilterType::parse(&self.filter_type)
            .ok_or_else(|| ApiError::Internal("stored filter type is unknown".into()))?;
        Ok(CustomFilter {
            id: self.id,
            name: self.name,
            filter_type,
            kind: filter_type,
            query: self.query,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

#[derive(Deserialize)]
struct Id {
    id: i64,
}

const DEFINITION_SELECT: &str = "SELECT id, attribute_display_name, attribute_display_type, attribute_description,
    attribute_key, attribute_values, default_value, attribute_model, account_id, created_at
    FROM custom_attribute_definitions";
const FILTER_SELECT: &str = "SELECT id, name, filter_type, query, created_at, updated_at FROM custom_filters";

impl Store {
    /// The account's definitions, of one model or of both.
    pub async fn attribute_definitions(
        &self,
        account_id: i64,
        model: Option<AttributeModel>,
    ) -> ApiResult<Vec<CustomAttributeDefinition>> {
        let rows: Vec<DefinitionRow> = self
            .all(
                &format!(
                    "{DEFINITION_SELECT} WHERE account_id = ?1 AND (?2 IS NULL OR attribute_model = ?2) ORDER BY id"
                ),
                params![account_id, model.map(AttributeModel::as_str)],
            )
            .await?;
        rows.into_iter().map(DefinitionRow::into_wire).collect()
    }

    /// What the values of one model's custom attributes are checked against.
    pub async fn attribute_rules(&self, account_id: i64, model: AttributeModel) -> ApiResult<Vec<ValueRule>> {
        Ok(self
            .attribute_definitions(account_id, Some(model))
            .await?
            .into_iter()
            .map(|definition| ValueRule {
                key: definition.attribute_key,
                display_type: definition.attribute_display_type,
                values: definition.attribute_values,
            })
            .collect())
    }

    pub async fn attribute_definition(&self, account_id: i64, id: i64) -> ApiResult<Option<CustomAttributeDefinition>> {
        let row: Option<DefinitionRow> = self
            .first(
                &format!("{DEFINITION_SELECT} WHERE account_id = ?1 AND id = ?2"),
                params![account_id, id],
            )
            .await?;
        row.map(DefinitionRow::into_wire).transpose()
    }

    pub async fn create_attribute_definition(
        &self,
        account_id: i64,
        new: &DefinitionChanges,
    ) -> ApiResult<CustomAttributeDefinition> {
        let values = serde_json::to_string(&new.attribute_values.clone().unwrap_or_default())?;
        let id: Option<Id> = self
            .first(
                "INSERT INTO custom_attribute_definitions (account_id, attribute_display_name, attribute_display_type,
                    attribute_description, attribute_key, attribute_values, default_value, attribute_model)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
                params![
                    account_id,
                    &new.attribute_display_name,
                    new.attribute_display_type.map(AttributeDisplayType::as_str),
                    &new.attribute_description,
                    &new.attribute_key,
                    &values,
                    &new.default_value,
                    new.attribute_model.map(AttributeModel::as_str)
                ],
            )
            .await
            .map_err(taken("custom_attribute_definitions", "attribute_key"))?;
        let id = id
            .ok_or_else(|| ApiError::Internal("definition insert returned no id".into()))?
            .id;
        self.attribute_definition(account_id, id)
            .await?
            .ok_or(ApiError::NotFound)
    }

    pub async fn update_attribute_definition(
        &self,
        account_id: i64,
        id: i64,
        changes: &DefinitionChanges,
    ) -> ApiResult<bool> {
        let values = changes
            .attribute_values
            .as_ref()
            .map(serde_json::to_string)
            .transpose()?;
        let changed = self
            .run(
                "UPDATE custom_attribute_definitions SET
                    attribute_display_name = COALESCE(?3, attribute_display_name),
                    attribute_display_type = COALESCE(?4, attribute_display_type),
                    attribute_description = COALESCE(?5, attribute_description),
                    attribute_key = COALESCE(?6, attribute_key), attribute_values = COALESCE(?7, attribute_values),
                    default_value = COALESCE(?8, default_value), attribute_model = COALESCE(?9, attribute_model)
                 WHERE account_id = ?1 AND id = ?2",
                params![
                    account_id,
                    id,
                    &changes.attribute_display_name,
                    changes.attribute_display_type.map(AttributeDisplayType::as_str),
                    &changes.attribute_description,
                    &changes.attribute_key,
                    &values,
                    &changes.default_value,
                    changes.attribute_model.map(AttributeModel::as_str)
                ],
            )
            .await
            .map_err(taken("custom_attribute_definitions", "attribute_key"))?;
        Ok(changed > 0)
    }

    pub async fn delete_attribute_definition(&self, account_id: i64, id: i64) -> ApiResult<bool> {
        let changed = self
            .run(
                "DELETE FROM custom_attribute_definitions WHERE account_id = ?1 AND id = ?2",
                params![account_id, id],
            )
            .await?;
        Ok(changed > 0)
    }

    /// A user's saved filters in the account, of one type or of all.
    pub async fn custom_filters(
        &self,
        account_id: i64,
        user_id: i64,
        filter_type: Option<FilterType>,
    ) -> ApiResult<Vec<CustomFilter>> {
        let rows: Vec<FilterRow> = self
            .all(
                &format!(
                    "{FILTER_SELECT} WHERE account_id = ?1 AND user_id = ?2 AND (?3 IS NULL OR filter_type = ?3)
                     ORDER BY id"
                ),
                params![account_id, user_id, filter_type.map(FilterType::as_str)],
            )
            .await?;
        rows.into_iter().map(FilterRow::into_wire).collect()
    }

    pub async fn custom_filter(&self, account_id: i64, user_id: i64, id: i64) -> ApiResult<Option<CustomFilter>> {
        let row: Option<FilterRow> = self
            .first(
                &format!("{FILTER_SELECT} WHERE account_id = ?1 AND user_id = ?2 AND id = ?3"),
                params![account_id, user_id, id],
            )
            .await?;
        row.map(FilterRow::into_wire).transpose()
    }

    pub async fn create_custom_filter(
        &self,
        account_id: i64,
        user_id: i64,
        new: &CustomFilterChanges,
    ) -> ApiResult<CustomFilter> {
        let query = serde_json::to_string(&new.query.clone().unwrap_or_else(|| Value::Object(Default::default())))?;
        let id: Option<Id> = self
            .first(
                "INSERT INTO custom_filters (account_id, user_id, name, filter_type, query)
                 VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                params![
                    account_id,
                    user_id,
                    &new.name,
                    new.filter_type.map(FilterType::as_str),
                    &query
                ],
            )
            .await?;
        let id = id
            .ok_or_else(|| ApiError::Internal("filter insert returned no id".into()))?
            .id;
        self.custom_filter(account_id, user_id, id)
            .await?
            .ok_or(ApiError::NotFound)
    }

    pub async fn update_custom_filter(
        &self,
        account_id: i64,
        user_id: i64,
        id: i64,
        changes: &CustomFilterChanges,
    ) -> ApiResult<bool> {
        let query = changes.query.as_ref().map(serde_json::to_string).transpose()?;
        let changed = self
            .run(
                "UPDATE custom_filters SET name = COALESCE(?4, name), filter_type = COALESCE(?5, filter_type),
                    query = COALESCE(?6, query), updated_at = unixepoch()
                 WHERE account_id = ?1 AND user_id = ?2 AND id = ?3",
                params![
                    account_id,
                    user_id,
                    id,
                    &changes.name,
                    changes.filter_type.map(FilterType::as_str),
                    &query
                ],
            )
            .await?;
        Ok(changed > 0)
    }

    pub async fn delete_custom_filter(&self, account_id: i64, user_id: i64, id: i64) -> ApiResult<bool> {
        let changed = self
            .run(
                "DELETE FROM custom_filters WHERE account_id = ?1 AND user_id = ?2 AND id = ?3",
                params![account_id, user_id, id],
            )
            .await?;
        Ok(changed > 0)
    }
}
