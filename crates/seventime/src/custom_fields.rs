//! Custom-field values a person can read.
//!
//! Records of several resources (projects, invoices, work orders, time logs, machines, …) carry
//! `customFields: [{"_id", "fieldId", "value"}]`: a bare field id and an untyped value. What the
//! field is called and how its value reads is in the field configuration of the record's
//! entity type (`GET /api/2/customFields/{entityType}`). A [`FieldConfiguration`] turns the
//! values into [`ResolvedField`]s — the field's name, its [`FieldType`], and the value typed by
//! it ([`FieldValue`]).
//!
//! Resolution never fails a record. A value that does not fit its field's type, a choice the
//! field does not offer, or a field the configuration does not know (a deleted field) comes back
//! as [`FieldValue::Unresolved`] with the raw JSON and the reason; the other fields of the
//! record resolve as usual.
//!
//! [`Client::field_configuration`](crate::Client::field_configuration) fetches a configuration
//! once per entity type and keeps it for the life of the client (and its clones), so resolving a
//! stream of any length costs one request per entity type. For a typed stream,
//! [`Items::with_custom_fields`](crate::Items::with_custom_fields) is the one adapter needed:
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! # async fn run(client: seventime::Client) -> Result<(), seventime::PageError> {
//! let mut projects = client.list_projects().into_paginator().items().with_custom_fields(&client);
//! while let Some(project) = projects.try_next().await? {
//!     for field in &project.custom_fields {
//!         println!("{}: {}", field.name.as_deref().unwrap_or(&field.field_id), field.value);
//!     }
//! }
//! # Ok(())
//! # }
//! ```

use std::collections::HashMap;
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use futures_util::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};
use serde_json::Value;

use crate::pagination::{Items, PageError};
use crate::types::{CustomField, CustomFieldList, CustomFieldValue};
use crate::{ApiError, Client, EntityType, FieldType, Timestamp};

/// The field configuration of one entity type, indexed for resolving values.
///
/// What every resolved value repeats — the field's id, name and choices — is prepared once here
/// and shared (`Arc<str>`), so resolving a record allocates only for the values themselves.
#[derive(Debug, Clone)]
pub struct FieldConfiguration {
    entity_type: EntityType,
    fields: Vec<CustomField>,
    prepared: Vec<Prepared>,
    by_id: HashMap<Arc<str>, usize>,
}

/// One field, ready to resolve values with.
#[derive(Debug, Clone)]
struct Prepared {
    id: Arc<str>,
    name: Option<Arc<str>>,
    field_type: Option<FieldType>,
    choices: Vec<Choice>,
}

impl Prepared {
    fn new(field: &CustomField) -> Self {
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

impl FieldConfiguration {
    /// Indexes `list`, the configuration of `entity_type` as the API returns it.
    pub fn new(entity_type: EntityType, list: CustomFieldList) -> Self {
        let fields = list.data;
        let prepared: Vec<Prepared> = fields.iter().map(Prepared::new).collect();
        let by_id = prepared
            .iter()
            .enumerate()
            .map(|(index, field)| (Arc::clone(&field.id), index))
            .collect();
        Self {
            entity_type,
            fields,
            prepared,
            by_id,
        }
    }

    /// A configuration without fields: every value resolves as an unknown field.
    pub fn empty(entity_type: EntityType) -> Self {
        Self::new(
            entity_type,
            CustomFieldList {
                data: Vec::new(),
                extra: Default::default(),
            },
        )
    }

    /// The entity type it describes.
    pub fn entity_type(&self) -> EntityType {
        self.entity_type
    }

    /// Every field, standard and custom, in the service's order.
    pub fn fields(&self) -> &[CustomField] {
        &self.fields
    }

    /// The custom fields — those of the six custom types, whose values records carry in
    /// `customFields` — in the service's order. Standard fields are the records' own properties.
    pub fn custom_fields(&self) -> impl Iterator<Item = &CustomField> {
        self.fields.iter().filter(|field| {
            matches!(
                field.field_type,
                Some(
                    FieldType::Text
                        | FieldType::YesNo
                        | FieldType::Date
                        | FieldType::Numeric
                        | FieldType::SelectList
                        | FieldType::MultiSelectList
                )
            )
        })
    }

    /// The field with `_id` `id`.
    pub fn field(&self, id: &str) -> Option<&CustomField> {
        self.by_id.get(id).map(|&index| &self.fields[index])
    }

    /// The field named `name` (as `fieldName`, ignoring case).
    pub fn field_named(&self, name: &str) -> Option<&CustomField> {
        self.fields.iter().find(|field| {
            field
                .field_name
                .as_deref()
                .is_some_and(|field_name| field_name.eq_ignore_ascii_case(name))
        })
    }

    /// Resolves a record's custom-field values, in the record's order.
    pub fn resolve(&self, values: &[CustomFieldValue]) -> Vec<ResolvedField> {
        values
            .iter()
            .map(|value| {
                self.resolve_one(
                    value.field_id.as_deref().unwrap_or_default(),
                    value.value.as_ref().unwrap_or(&Value::Null),
                )
            })
            .collect()
    }

    /// Resolves a record's `customFields` given as JSON (a record from
    /// [`catalog`](crate::catalog), for instance). Entries that are not objects, and a
    /// `customFields` that is not an array, resolve to nothing: there is no field to name.
    pub fn resolve_json(&self, custom_fields: &Value) -> Vec<ResolvedField> {
        custom_fields
            .as_array()
            .map(|values| {
                values
                    .iter()
                    .filter_map(Value::as_object)
                    .map(|entry| {
                        self.resolve_one(
                            entry
                                .get("fieldId")
                                .and_then(Value::as_str)
                                .unwrap_or_default(),
                            entry.get("value").unwrap_or(&Value::Null),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The prepared field with `_id` `field_id`. Configurations are small (a dozen fields is
    /// typical): comparing ids one by one is quicker there than hashing one.
    fn prepared_field(&self, field_id: &str) -> Option<&Prepared> {
        if self.prepared.len() <= 32 {
            self.prepared.iter().find(|field| &*field.id == field_id)
        } else {
            self.by_id.get(field_id).map(|&index| &self.prepared[index])
        }
    }

    /// Resolves one value of the field with `_id` `field_id`.
    pub fn resolve_one(&self, field_id: &str, value: &Value) -> ResolvedField {
        let Some(field) = self.prepared_field(field_id) else {
            return ResolvedField {
                field_id: Arc::from(field_id),
                name: None,
                field_type: None,
                value: FieldValue::Unresolved {
                    value: value.clone(),
                    reason: Unresolved::UnknownField,
                },
            };
        };
        ResolvedField {
            field_id: Arc::clone(&field.id),
            name: field.name.clone(),
            field_type: field.field_type,
            value: typed(field, value),
        }
    }
}

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
    /// [`Client::forget_field_configurations`]).
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

/// `value` read as `field`'s type.
fn typed(field: &Prepared, value: &Value) -> FieldValue {
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

/// The configurations a client has fetched, shared by its clones.
#[derive(Default)]
pub(crate) struct ConfigurationCache {
    by_entity: Mutex<HashMap<EntityType, Arc<FieldConfiguration>>>,
    /// Held while a configuration is fetched, so that concurrent first uses of one entity type
    /// send one request, not several.
    fetching: tokio::sync::Mutex<()>,
}

impl ConfigurationCache {
    fn cached(&self, entity: EntityType) -> Option<Arc<FieldConfiguration>> {
        self.by_entity
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&entity)
            .cloned()
    }

    fn clear(&self) {
        self.by_entity
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

impl fmt::Debug for ConfigurationCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self
            .by_entity
            .lock()
            .map(|by_entity| by_entity.len())
            .unwrap_or_default();
        f.debug_struct("ConfigurationCache")
            .field("cached", &cached)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The field configuration of `entity`: fetched on first use, then kept for the life of
    /// this client and its clones. An entity type without a configuration (`404`) is an empty
    /// configuration, so that its values resolve as unknown fields instead of failing.
    pub async fn field_configuration(
        &self,
        entity: EntityType,
    ) -> Result<Arc<FieldConfiguration>, ApiError> {
        let cache = self.inner.field_configurations();
        if let Some(found) = cache.cached(entity) {
            return Ok(found);
        }
        let _fetching = cache.fetching.lock().await;
        if let Some(found) = cache.cached(entity) {
            return Ok(found);
        }
        let configuration = match self.get_custom_fields().entity_type(entity).send().await {
            Ok(response) => FieldConfiguration::new(entity, response.into_inner()),
            Err(error) => match ApiError::from(error) {
                ApiError::NotFound(_) => FieldConfiguration::empty(entity),
                error => return Err(error),
            },
        };
        let configuration = Arc::new(configuration);
        cache
            .by_entity
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(entity, Arc::clone(&configuration));
        Ok(configuration)
    }

    /// Forgets the fetched field configurations: the next use fetches again. For a long-lived
    /// client after fields were added or renamed in Seven Time.
    pub fn forget_field_configurations(&self) {
        self.inner.field_configurations().clear();
    }
}

/// A record type whose `customFields` the resolver reads: implemented (by generated code) for
/// every schema the spec marks with `x-entity-type` that has `customFields`.
pub trait HasCustomFields {
    /// The entity type whose configuration describes the record's custom fields.
    const ENTITY_TYPE: EntityType;

    /// The record's custom-field values.
    fn custom_field_values(&self) -> &[CustomFieldValue];
}

/// A record with its custom fields resolved ([`Items::with_custom_fields`](crate::Items::with_custom_fields)).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WithCustomFields<T> {
    /// The record as received (its raw `customFields` included).
    pub record: T,
    /// Its custom-field values, resolved, in the record's order.
    pub custom_fields: Vec<ResolvedField>,
}

impl<T> std::ops::Deref for WithCustomFields<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.record
    }
}

impl<'a, T> Items<'a, T>
where
    T: HasCustomFields + Send + 'a,
{
    /// The same records, each with its custom fields resolved. The entity type's configuration
    /// is fetched (or taken from the client's cache) before the first page is requested; if it
    /// cannot be fetched, the stream ends with a [`PageError`] for the operation
    /// `get_custom_fields`, before any record.
    pub fn with_custom_fields(self, client: &'a Client) -> ResolvedItems<'a, T> {
        let mut items = Some(self);
        let stream = stream::once(client.field_configuration(T::ENTITY_TYPE)).flat_map(
            move |configuration| -> BoxStream<'a, Result<WithCustomFields<T>, PageError>> {
                let Some(items) = items.take() else {
                    return stream::empty().boxed();
                };
                match configuration {
                    Ok(configuration) => items
                        .map_ok(move |record| {
                            let custom_fields = configuration.resolve(record.custom_field_values());
                            WithCustomFields {
                                record,
                                custom_fields,
                            }
                        })
                        .boxed(),
                    Err(error) => {
                        stream::iter([Err(PageError::new("get_custom_fields", 1, error))]).boxed()
                    }
                }
            },
        );
        ResolvedItems(stream.boxed())
    }
}

/// Records with their custom fields resolved ([`Items::with_custom_fields`]).
pub struct ResolvedItems<'a, T>(BoxStream<'a, Result<WithCustomFields<T>, PageError>>);

impl<T> Stream for ResolvedItems<'_, T> {
    type Item = Result<WithCustomFields<T>, PageError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_next_unpin(cx)
    }
}

impl<T> fmt::Debug for ResolvedItems<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResolvedItems").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn configuration() -> FieldConfiguration {
        let list: CustomFieldList = serde_json::from_value(json!({"data": [
            {"_id": "std", "fieldName": "Kund", "fieldType": 100},
            {"_id": "text", "fieldName": "Er referens", "fieldType": 10100},
            {"_id": "yes", "fieldName": "Omvänd byggmoms", "fieldType": 10200},
            {"_id": "date", "fieldName": "Leveransdatum", "fieldType": 10300},
            {"_id": "num", "fieldName": "Rabatt %", "fieldType": 10400},
            {"_id": "one", "fieldName": "Betalningsvillkor", "fieldType": 10500,
             "selectFieldData": [{"_id": "c10", "value": "10 dagar"}, {"_id": "c30", "value": "30 dagar"}]},
            {"_id": "many", "fieldName": "Kompetenser", "fieldType": 10600,
             "selectFieldData": [{"_id": "el", "value": "El"}, {"_id": "vvs", "value": "VVS"}]},
            {"_id": "new", "fieldName": "Framtida", "fieldType": 12345}
        ]}))
        .unwrap();
        FieldConfiguration::new(EntityType::Invoice, list)
    }

    fn resolve(field: &str, value: Value) -> FieldValue {
        configuration().resolve_one(field, &value).value
    }

    fn choice(id: &str, label: &str) -> Choice {
        Choice {
            id: Some(id.into()),
            label: label.into(),
        }
    }

    #[test]
    fn every_custom_type_resolves() {
        assert_eq!(
            resolve("text", json!("Anna")),
            FieldValue::Text("Anna".into())
        );
        assert_eq!(resolve("yes", json!(true)), FieldValue::YesNo(true));
        assert_eq!(resolve("yes", json!("false")), FieldValue::YesNo(false));
        assert_eq!(
            resolve("date", json!("2026-11-30T00:00:00.000Z")),
            FieldValue::Date("2026-11-30".parse().unwrap())
        );
        assert_eq!(
            resolve("date", json!("2026-11-30")),
            FieldValue::Date("2026-11-30".parse().unwrap())
        );
        assert_eq!(resolve("num", json!(12.5)), FieldValue::Number(12.5));
        assert_eq!(resolve("num", json!("7,5")), FieldValue::Number(7.5));
        assert_eq!(
            resolve("one", json!("c30")),
            FieldValue::Choice(choice("c30", "30 dagar"))
        );
        assert_eq!(
            resolve("one", json!("10 dagar")),
            FieldValue::Choice(choice("c10", "10 dagar"))
        );
        assert_eq!(
            resolve("many", json!(["vvs", "El"])),
            FieldValue::Choices(vec![choice("vvs", "VVS"), choice("el", "El")])
        );
        assert_eq!(
            resolve("std", json!({"a": 1})),
            FieldValue::Raw(json!({"a": 1}))
        );
        assert_eq!(resolve("new", json!([1])), FieldValue::Raw(json!([1])));
        assert_eq!(resolve("num", Value::Null), FieldValue::Empty);
        assert_eq!(resolve("date", json!("")), FieldValue::Empty);
    }

    #[test]
    fn odd_values_come_back_raw_with_a_reason() {
        let unresolved = |value: Value, reason| FieldValue::Unresolved { value, reason };
        assert_eq!(
            resolve("yes", json!("kanske")),
            unresolved(
                json!("kanske"),
                Unresolved::Mismatch {
                    expected: "a boolean"
                }
            )
        );
        assert_eq!(
            resolve("num", json!("många")),
            unresolved(
                json!("många"),
                Unresolved::Mismatch {
                    expected: "a number"
                }
            )
        );
        assert_eq!(
            resolve("date", json!("30/11/2026")),
            unresolved(
                json!("30/11/2026"),
                Unresolved::Mismatch { expected: "a date" }
            )
        );
        assert_eq!(
            resolve("one", json!("90 dagar")),
            unresolved(
                json!("90 dagar"),
                Unresolved::UnknownChoice {
                    given: "90 dagar".into()
                }
            )
        );
        assert_eq!(
            resolve("many", json!(["el", "snickeri"])),
            unresolved(
                json!(["el", "snickeri"]),
                Unresolved::UnknownChoice {
                    given: "snickeri".into()
                }
            )
        );
        assert_eq!(
            resolve("deleted", json!("x")),
            unresolved(json!("x"), Unresolved::UnknownField)
        );
        let deleted = configuration().resolve_one("deleted", &json!("x"));
        assert_eq!((deleted.name, deleted.field_type), (None, None));
    }

    #[test]
    fn a_record_resolves_in_order_with_names_and_types() {
        let values = json!([
            {"_id": "v1", "fieldId": "num", "value": 3},
            {"_id": "v2", "fieldId": "gone", "value": "x"},
            {"_id": "v3", "fieldId": "text", "value": "Ref 7"},
            "not an object"
        ]);
        let resolved = configuration().resolve_json(&values);
        let names: Vec<Option<&str>> = resolved.iter().map(|f| f.name.as_deref()).collect();
        assert_eq!(names, [Some("Rabatt %"), None, Some("Er referens")]);
        assert_eq!(resolved[0].field_type, Some(FieldType::Numeric));
        let typed: Vec<CustomFieldValue> =
            serde_json::from_value(Value::Array(values.as_array().unwrap()[..3].to_vec())).unwrap();
        assert_eq!(configuration().resolve(&typed), resolved);
    }

    #[test]
    fn values_print_for_people_and_as_json() {
        let many = resolve("many", json!(["el", "vvs"]));
        assert_eq!(many.to_string(), "El, VVS");
        assert_eq!(many.to_json(), json!(["El", "VVS"]));
        assert_eq!(resolve("yes", json!(false)).to_string(), "no");
        assert_eq!(
            resolve("date", json!("2026-11-30")).to_json(),
            json!("2026-11-30T00:00:00")
        );
        assert_eq!(resolve("one", json!("nope")).to_json(), json!("nope"));
    }
}
