//! A resolved custom-field value: its field, its typed value, and why a value stayed raw.

use std::fmt;
use std::sync::Arc;

use serde_json::Value;

use crate::{FieldType, Timestamp};

/// One custom-field value with its field's name and type.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ResolvedField {
    /// The field's `_id` (the value's `fieldId`).
    pub field_id: Arc<str>,
    /// The field's `fieldName`; `None` when the configuration does not know the field.
    pub name: Option<Arc<str>>,
    /// The field's type; `None` when the configuration does not know the field or gives none.
    pub field_type: Option<FieldType>,
    /// The value, typed by the field's type.
    pub value: FieldValue,
}

/// A custom-field value, typed by its field's [`FieldType`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FieldValue {
    /// No value: `null`, or an empty string for a field that is not text.
    Empty,
    /// A `Text` field.
    Text(String),
    /// A `Yes/No` field.
    YesNo(bool),
    /// A `Date` field (midnight when the value has no time).
    Date(Timestamp),
    /// A `Numeric` field.
    Number(f64),
    /// A `Select list` field: the chosen choice.
    Choice(Choice),
    /// A `Multi select list` field: the chosen choices, in the value's order.
    Choices(Vec<Choice>),
    /// A standard field or a field type this client does not know: the value as sent.
    Raw(Value),
    /// A value that could not be read as its field's type: the value as sent, and why.
    Unresolved {
        /// The value as sent.
        value: Value,
        /// Why it was not resolved.
        reason: Unresolved,
    },
}

/// A choice of a select-list field.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Choice {
    /// The choice's `_id` in `selectFieldData`, when it has one.
    pub id: Option<Arc<str>>,
    /// What the choice says (its `value` in `selectFieldData`).
    pub label: Arc<str>,
}

/// Why a value was left as raw JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unresolved {
    /// The configuration has no field with the value's `fieldId` (a deleted field, or a
    /// configuration fetched before the field was added: see
    /// [`Client::forget_field_configurations`](crate::Client::forget_field_configurations)).
    UnknownField,
    /// The value's JSON type does not fit the field's type.
    Mismatch {
        /// What the field's type needs (`"a boolean"`).
        expected: &'static str,
    },
    /// A select-list value names no choice of the field's `selectFieldData`.
    UnknownChoice {
        /// The value that matched no choice.
        given: String,
    },
}

impl fmt::Display for Unresolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownField => f.write_str("the field configuration has no such field"),
            Self::Mismatch { expected } => write!(f, "expected {expected}"),
            Self::UnknownChoice { given } => write!(f, "`{given}` is not a choice of the field"),
        }
    }
}

impl FieldValue {
    /// The value as JSON for output: the typed value (a date as `YYYY-MM-DDTHH:MM:SS`, a choice
    /// as its label, several as a list of labels), or the raw value where it was not resolved.
    pub fn to_json(&self) -> Value {
        match self {
            Self::Empty => Value::Null,
            Self::Text(text) => Value::String(text.clone()),
            Self::YesNo(yes) => Value::Bool(*yes),
            Self::Date(moment) => Value::String(moment.to_string()),
            Self::Number(number) => {
                serde_json::Number::from_f64(*number).map_or(Value::Null, Value::Number)
            }
            Self::Choice(choice) => Value::String(choice.label.to_string()),
            Self::Choices(choices) => choices
                .iter()
                .map(|choice| Value::String(choice.label.to_string()))
                .collect(),
            Self::Raw(value) | Self::Unresolved { value, .. } => value.clone(),
        }
    }
}

impl fmt::Display for FieldValue {
    /// For people: a yes/no as `yes`/`no`, choices joined with `, `, an unresolved value as its
    /// JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => Ok(()),
            Self::Text(text) => f.write_str(text),
            Self::YesNo(yes) => f.write_str(if *yes { "yes" } else { "no" }),
            Self::Date(moment) => write!(f, "{moment}"),
            Self::Number(number) => write!(f, "{number}"),
            Self::Choice(choice) => f.write_str(&choice.label),
            Self::Choices(choices) => {
                for (index, choice) in choices.iter().enumerate() {
                    if index > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(&choice.label)?;
                }
                Ok(())
            }
            Self::Raw(Value::String(text)) => f.write_str(text),
            Self::Raw(value) | Self::Unresolved { value, .. } => write!(f, "{value}"),
        }
    }
}
