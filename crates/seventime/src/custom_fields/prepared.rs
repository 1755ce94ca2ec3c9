//! One field of a configuration, prepared for resolving, and a value read as its field's type.

use std::sync::Arc;

use serde_json::Value;

use super::{Choice, FieldValue, Unresolved};
use crate::types::CustomField;
use crate::{FieldType, Timestamp};

/// One field, ready to resolve values with.
#[derive(Debug, Clone)]
pub(super) struct Prepared {
    pub(super) id: Arc<str>,
    pub(super) name: Option<Arc<str>>,
    pub(super) field_type: Option<FieldType>,
    choices: Vec<Choice>,
}

impl Prepared {
    pub(super) fn new(field: &CustomField) -> Self {
        // The shape of a choice is not documented; `{"_id", "value"}` is what configurations
        // show. A bare string is taken as its own label.
        let choices = field
            .select_field_data
            .iter()
            .flat_map(|data| data.iter())
            .filter_map(|choice| {
                let label = choice
                    .get("value")
                    .and_then(Value::as_str)
                    .or_else(|| choice.as_str())?;
                Some(Choice {
                    id: choice.get("_id").and_then(Value::as_str).map(Arc::from),
                    label: Arc::from(label),
                })
            })
            .collect();
        Self {
            id: Arc::from(field.id.as_str()),
            name: field.field_name.as_deref().map(Arc::from),
            field_type: field.field_type,
            choices,
        }
    }

    /// The choice that `given` names: by the choice's `_id`, else by its label.
    fn choice(&self, given: &str) -> Option<Choice> {
        self.choices
            .iter()
            .find(|choice| choice.id.as_deref() == Some(given))
            .or_else(|| self.choices.iter().find(|choice| &*choice.label == given))
            .cloned()
    }
}

/// `value` read as `field`'s type.
pub(super) fn typed(field: &Prepared, value: &Value) -> FieldValue {
    let mismatch = |expected| FieldValue::Unresolved {
        value: value.clone(),
        reason: Unresolved::Mismatch { expected },
    };
    let Some(field_type) = field.field_type else {
        return FieldValue::Raw(value.clone());
    };
    if value.is_null() {
        return FieldValue::Empty;
    }
    match field_type {
        FieldType::Text => match value {
            Value::String(text) => FieldValue::Text(text.clone()),
            Value::Number(number) => FieldValue::Text(number.to_string()),
            _ => mismatch("text"),
        },
        FieldType::YesNo => match value {
            Value::Bool(yes) => FieldValue::YesNo(*yes),
            Value::String(text) if text.is_empty() => FieldValue::Empty,
            Value::String(text) if text.eq_ignore_ascii_case("true") => FieldValue::YesNo(true),
            Value::String(text) if text.eq_ignore_ascii_case("false") => FieldValue::YesNo(false),
            _ => mismatch("a boolean"),
        },
        FieldType::Date => match value {
            Value::String(text) if text.trim().is_empty() => FieldValue::Empty,
            Value::String(text) => date(text).map_or_else(|| mismatch("a date"), FieldValue::Date),
            _ => mismatch("a date"),
        },
        FieldType::Numeric => match value {
            Value::Number(number) => number
                .as_f64()
                .map_or_else(|| mismatch("a number"), FieldValue::Number),
            Value::String(text) if text.trim().is_empty() => FieldValue::Empty,
            Value::String(text) => text
                .trim()
                .replace(',', ".")
                .parse()
                .map_or_else(|_| mismatch("a number"), FieldValue::Number),
            _ => mismatch("a number"),
        },
        FieldType::SelectList => match value {
            Value::String(text) if text.is_empty() => FieldValue::Empty,
            Value::String(text) => field.choice(text).map_or_else(
                || FieldValue::Unresolved {
                    value: value.clone(),
                    reason: Unresolved::UnknownChoice {
                        given: text.clone(),
                    },
                },
                FieldValue::Choice,
            ),
            _ => mismatch("a choice"),
        },
        FieldType::MultiSelectList => {
            let given: Option<Vec<&str>> = match value {
                Value::Array(items) => items.iter().map(Value::as_str).collect(),
                Value::String(text) if text.is_empty() => Some(Vec::new()),
                Value::String(text) => Some(vec![text.as_str()]),
                _ => None,
            };
            let Some(given) = given else {
                return mismatch("a list of choices");
            };
            let mut choices = Vec::with_capacity(given.len());
            for text in given {
                match field.choice(text) {
                    Some(found) => choices.push(found),
                    None => {
                        return FieldValue::Unresolved {
                            value: value.clone(),
                            reason: Unresolved::UnknownChoice {
                                given: text.to_string(),
                            },
                        };
                    }
                }
            }
            FieldValue::Choices(choices)
        }
        // Standard fields and codes this client does not know: nothing says how to read them.
        _ => FieldValue::Raw(value.clone()),
    }
}

/// A date as the service writes it: `YYYY-MM-DD`, with or without a time, with or without
/// fractional seconds and `Z`.
fn date(text: &str) -> Option<Timestamp> {
    Timestamp::from_record(text).or_else(|| text.trim().get(..10)?.parse().ok())
}
