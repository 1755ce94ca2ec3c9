//! The field configuration of one entity type, and the resolution of records' values by it.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use super::prepared::{Prepared, typed};
use super::{FieldValue, ResolvedField, Unresolved};
use crate::types::{CustomField, CustomFieldList, CustomFieldValue};
use crate::{EntityType, FieldType};

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
