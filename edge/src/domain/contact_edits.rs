//! Engagor's edit modes for a contact's custom attributes and tags (contract 5.2): how the
//! given values combine with the stored ones.

use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};

/// `customattributes_edit_mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AttributesMode {
    /// Set the given keys, keep the others.
    #[default]
    Update,
    /// The map becomes exactly the given one.
    Overwrite,
    /// Remove the given keys.
    Delete,
}

/// `tags_edit_mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TagsMode {
    /// Add the given tags to the contact's.
    Add,
    /// The tags become exactly the given ones.
    #[default]
    Update,
    /// Remove the given tags.
    Delete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EditOptions {
    pub attributes: AttributesMode,
    pub tags: TagsMode,
}

/// The `options` object; an unknown mode is a 422 naming it, an absent one the default.
pub fn parse_options(options: &Map<String, Value>) -> ApiResult<EditOptions> {
    let mode = |key: &str| -> ApiResult<Option<&str>> {
        match options.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(mode)) if mode.is_empty() => Ok(None),
            Some(Value::String(mode)) => Ok(Some(mode.as_str())),
            Some(_) => Err(ApiError::invalid(key, format!("{key} must be a string"))),
        }
    };
    let unknown = |key: &str, allowed: &str| ApiError::invalid(key, format!("{key} must be {allowed}"));
    let attributes = match mode("customattributes_edit_mode")? {
        None | Some("update") => AttributesMode::Update,
        Some("overwrite") => AttributesMode::Overwrite,
        Some("delete") => AttributesMode::Delete,
        Some(_) => return Err(unknown("customattributes_edit_mode", "update, overwrite or delete")),
    };
    let tags = match mode("tags_edit_mode")? {
        Some("add") => TagsMode::Add,
        None | Some("update") => TagsMode::Update,
        Some("delete") => TagsMode::Delete,
        Some(_) => return Err(unknown("tags_edit_mode", "add, update or delete")),
    };
    Ok(EditOptions { attributes, tags })
}

/// The custom attributes after the edit. For `Delete`, `given`'s keys are removed whatever
/// their values.
pub fn edit_attributes(
    stored: &Map<String, Value>,
    given: &Map<String, Value>,
    mode: AttributesMode,
) -> Map<String, Value> {
    match mode {
        AttributesMode::Update => {
            let mut edited = stored.clone();
            edited.extend(given.iter().map(|(key, value)| (key.clone(), value.clone())));
            edited
        }
        AttributesMode::Overwrite => given.clone(),
        AttributesMode::Delete => stored
            .iter()
            .filter(|(key, _)| !given.contains_key(*key))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect(),
    }
}

/// The tags after the edit, in order: the stored ones first, then new ones as given.
pub fn edit_tags(stored: &[String], given: &[String], mode: TagsMode) -> Vec<String> {
    match mode {
        TagsMode::Add => {
            let mut edited = stored.to_vec();
            edited.extend(given.iter().filter(|tag| !stored.contains(tag)).cloned());
            edited
        }
        TagsMode::Update => given.to_vec(),
        TagsMode::Delete => stored.iter().filter(|tag| !given.contains(tag)).cloned().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    fn tags(list: &[&str]) -> Vec<String> {
        list.iter().map(|tag| tag.to_string()).collect()
    }

    #[test]
    fn options_default_to_update_and_refuse_unknown_modes() {
        assert_eq!(parse_options(&Map::new()), Ok(EditOptions::default()));
        let given = parse_options(&map(
            json!({"customattributes_edit_mode": "delete", "tags_edit_mode": "add"}),
        ));
        assert_eq!(
            given,
            Ok(EditOptions {
                attributes: AttributesMode::Delete,
                tags: TagsMode::Add
            })
        );
        for bad in [
            json!({"customattributes_edit_mode": "merge"}),
            json!({"tags_edit_mode": "overwrite"}),
            json!({"tags_edit_mode": 1}),
        ] {
            assert_eq!(parse_options(&map(bad.clone())).unwrap_err().status(), 422, "{bad}");
        }
    }

    #[test]
    fn each_attribute_mode_is_told_apart() {
        let stored = map(json!({"plan": "free", "seats": 3}));
        let given = map(json!({"plan": "pro", "region": "eu"}));
        assert_eq!(
            edit_attributes(&stored, &given, AttributesMode::Update),
            map(json!({"plan": "pro", "seats": 3, "region": "eu"}))
        );
        assert_eq!(
            edit_attributes(&stored, &given, AttributesMode::Overwrite),
            map(json!({"plan": "pro", "region": "eu"}))
        );
        assert_eq!(
            edit_attributes(&stored, &given, AttributesMode::Delete),
            map(json!({"seats": 3}))
        );
    }

    #[test]
    fn each_tag_mode_is_told_apart() {
        let stored = tags(&["vip", "eu"]);
        let given = tags(&["eu", "new"]);
        assert_eq!(edit_tags(&stored, &given, TagsMode::Add), tags(&["vip", "eu", "new"]));
        assert_eq!(edit_tags(&stored, &given, TagsMode::Update), tags(&["eu", "new"]));
        assert_eq!(edit_tags(&stored, &given, TagsMode::Delete), tags(&["vip"]));
    }
}
