//! SQL assembled from fixed fragments, for the lists whose conditions vary (filters,
//! search). Values are only ever bound to `?` placeholders, in the order they appear.

use super::Param;
use crate::domain::filters::{Attribute, Condition, CustomKind, FilterValue, Join, Operator, Standard};

pub(super) struct Query<'a> {
    pub text: String,
    pub params: Vec<Param<'a>>,
}

/// The table a filter runs over: its alias and where its labels are kept.
pub(super) struct FilterTarget {
    pub alias: &'static str,
    pub labels_table: &'static str,
    pub labels_owner: &'static str,
}

impl<'a> Query<'a> {
    pub fn new(text: &str) -> Self {
        Query {
            text: text.to_string(),
            params: Vec::new(),
        }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Writes a placeholder for `value`.
    pub fn bind(&mut self, value: impl Into<Param<'a>>) -> &mut Self {
        self.text.push('?');
        self.params.push(value.into());
        self
    }

    /// Writes `(?, ?, ...)` for the values.
    pub fn bind_list<T: Into<Param<'a>> + Copy>(&mut self, values: &[T]) -> &mut Self {
        self.push("(");
        for (index, value) in values.iter().enumerate() {
            if index > 0 {
                self.push(", ");
            }
            self.bind(*value);
        }
        self.push(")")
    }

    /// Writes whether the column contains the text, ignoring ASCII case.
    pub fn contains(&mut self, column: &str, text: impl Into<Param<'a>>) -> &mut Self {
        self.contains_with(|query| query.push(column), text)
    }

    /// Writes `instr(lower(CAST(<haystack> AS TEXT)), lower(?)) > 0`: what LIKE '%text%' does,
    /// but with no pattern to escape and no length limit (D1 refuses LIKE patterns over 50
    /// bytes).
    fn contains_with(
        &mut self,
        haystack: impl FnOnce(&mut Self) -> &mut Self,
        text: impl Into<Param<'a>>,
    ) -> &mut Self {
        self.push("instr(lower(CAST(");
        haystack(self).push(" AS TEXT)), lower(");
        self.bind(text).push(")) > 0")
    }

    /// Writes ` AND (...)` for a filter's conditions, joined as given.
    pub fn conditions(&mut self, conditions: &'a [Condition], target: &FilterTarget) -> &mut Self {
        self.push(" AND (");
        for (index, condition) in conditions.iter().enumerate() {
            if index > 0 {
                self.push(match condition.join {
                    Join::And => " AND ",
                    Join::Or => " OR ",
                });
            }
            self.push("(");
            self.condition(condition, target);
            self.push(")");
        }
        self.push(")")
    }

    fn condition(&mut self, condition: &'a Condition, target: &FilterTarget) {
        if condition.attribute == Attribute::Standard(Standard::Labels) {
            return self.labels(condition, target);
        }
        let attribute = &condition.attribute;
        match condition.operator {
            Operator::EqualTo => self.any_value(attribute, &condition.values, " = ", " COLLATE NOCASE", target),
            Operator::NotEqualTo => {
                self.expression(attribute, target).push(" IS NULL OR NOT ");
                self.any_value(attribute, &condition.values, " = ", " COLLATE NOCASE", target)
            }
            Operator::Contains => self.any_contains(attribute, &condition.values, target),
            Operator::DoesNotContain => {
                self.expression(attribute, target).push(" IS NULL OR NOT ");
                self.any_contains(attribute, &condition.values, target)
            }
            Operator::IsPresent => {
                self.expression(attribute, target).push(" IS NOT NULL AND ");
                self.expression(attribute, target).push(" <> ''")
            }
            Operator::IsNotPresent => {
                self.expression(attribute, target).push(" IS NULL OR ");
                self.expression(attribute, target).push(" = ''")
            }
            Operator::IsGreaterThan => self.any_value(attribute, &condition.values, " > ", "", target),
            Operator::IsLessThan => self.any_value(attribute, &condition.values, " < ", "", target),
            Operator::StartsWith => self.any_of(&condition.values, |query, value| {
                query.push("instr(lower(CAST(");
                query.expression(attribute, target).push(" AS TEXT)), lower(");
                query.bind(value).push(")) = 1");
            }),
        };
    }

    /// `(<the test of one value> OR ...)` over the values.
    fn any_of(&mut self, values: &'a [FilterValue], test: impl Fn(&mut Self, &'a FilterValue)) -> &mut Self {
        self.push("(");
        for (index, value) in values.iter().enumerate() {
            if index > 0 {
                self.push(" OR ");
            }
            test(self, value);
        }
        self.push(")")
    }

    /// `(expr <comparison> ? <suffix> OR ...)` over the values.
    fn any_value(
        &mut self,
        attribute: &'a Attribute,
        values: &'a [FilterValue],
        comparison: &str,
        suffix: &str,
        target: &FilterTarget,
    ) -> &mut Self {
        self.any_of(values, |query, value| {
            query.expression(attribute, target).push(comparison);
            query.bind(value).push(suffix);
        })
    }

    /// `(the attribute contains the first value OR ...)`.
    fn any_contains(
        &mut self,
        attribute: &'a Attribute,
        values: &'a [FilterValue],
        target: &FilterTarget,
    ) -> &mut Self {
        self.any_of(values, |query, value| {
            query.contains_with(|query| query.expression(attribute, target), value);
        })
    }

    fn expression(&mut self, attribute: &'a Attribute, target: &FilterTarget) -> &mut Self {
        let alias = target.alias;
        match attribute {
            Attribute::Standard(Standard::Column { column, .. }) => self.push(column),
            Attribute::Standard(Standard::Additional { path }) => {
                self.push(&format!("json_extract({alias}.additional_attributes, '{path}')"))
            }
            Attribute::Standard(Standard::Labels) => self.push("NULL"),
            Attribute::Custom {
                path,
                kind: CustomKind::Text,
            } => {
                self.push(&format!("json_extract({alias}.custom_attributes, "));
                self.bind(path.as_str()).push(")")
            }
            // Stored as numbers or as numeric strings alike; compared as numbers.
            Attribute::Custom {
                path,
                kind: CustomKind::Number,
            } => {
                self.push(&format!("CAST(json_extract({alias}.custom_attributes, "));
                self.bind(path.as_str()).push(") AS REAL)")
            }
        }
    }

    fn labels(&mut self, condition: &'a Condition, target: &FilterTarget) {
        let negated = matches!(condition.operator, Operator::NotEqualTo | Operator::IsNotPresent);
        let FilterTarget {
            alias,
            labels_table,
            labels_owner,
        } = target;
        self.push(if negated { "NOT EXISTS" } else { "EXISTS" });
        self.push(&format!(
            " (SELECT 1 FROM {labels_table} fl WHERE fl.{labels_owner} = {alias}.id"
        ));
        if !condition.values.is_empty() {
            // Titles are stored in lower case.
            self.push(" AND fl.label IN (");
            for (index, value) in condition.values.iter().enumerate() {
                if index > 0 {
                    self.push(", ");
                }
                self.push("LOWER(");
                match value {
                    FilterValue::Text(text) => self.bind(text.as_str()),
                    FilterValue::Number(number) => self.bind(Param::Real(*number)),
                };
                self.push(")");
            }
            self.push(")");
        }
        self.push(")");
    }
}

impl<'a> From<&'a FilterValue> for Param<'a> {
    fn from(value: &'a FilterValue) -> Self {
        match value {
            FilterValue::Text(text) => Param::Text(text),
            FilterValue::Number(number) => Param::Real(*number),
        }
    }
}
