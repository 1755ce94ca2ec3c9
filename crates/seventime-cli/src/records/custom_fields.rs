//! The custom fields of records: the field configuration they resolve by, and how a resolved
//! value shows in a table cell and in JSON.

use std::sync::Arc;

use serde_json::Value;

use seventime::catalog::{self, Resource};
use seventime::custom_fields::{FieldValue, ResolvedField};
use seventime::{Client, FieldConfiguration};

use crate::failure::{Class, Failure};
use crate::output;

/// The field configuration for `resource`'s custom fields, if its records have any. `required`:
/// the user asked for custom fields, so a resource without them is a usage error.
pub(super) async fn configuration(
    client: &Client,
    base_url: &str,
    resource: &Resource,
    required: bool,
) -> Result<Option<Arc<FieldConfiguration>>, Failure> {
    let Some(entity) = resource.entity_type else {
        if required {
            let with: Vec<&str> = catalog::resources()
                .iter()
                .filter(|r| r.entity_type.is_some())
                .map(|r| r.name)
                .collect();
            return Err(Failure::new(
                Class::Usage,
                format!(
                    "`{}` records have no custom fields; these do: {}",
                    resource.name,
                    with.join(", ")
                ),
            ));
        }
        return Ok(None);
    };
    client
        .field_configuration(entity)
        .await
        .map(Some)
        .map_err(|error| Failure::from_api(&error, base_url))
}

/// A resolved field's name, or its id when the configuration does not know it.
pub(super) fn label(field: &ResolvedField) -> String {
    field
        .name
        .as_deref()
        .map_or_else(|| format!("? {}", field.field_id), str::to_string)
}

/// A resolved value for a table cell; a value left raw says why.
pub(super) fn show(value: &FieldValue) -> String {
    match value {
        FieldValue::Unresolved { value, reason } => {
            format!("{} (unresolved: {reason})", output::compact(value))
        }
        FieldValue::Empty => "-".to_string(),
        other => other.to_string(),
    }
}

/// Adds `customFieldValues` (field name → typed value) to `record`, and `customFieldIssues`
/// (field name or id → why it stayed raw) when a value could not be resolved. The raw
/// `customFields` stays as the service sent it.
pub(super) fn annotate(record: &mut Value, resolved: &[ResolvedField]) {
    let Some(fields) = record.as_object_mut() else {
        return;
    };
    let mut values = serde_json::Map::new();
    let mut issues = serde_json::Map::new();
    for field in resolved {
        let key = field.name.as_deref().unwrap_or(&field.field_id).to_string();
        if let FieldValue::Unresolved { reason, .. } = &field.value {
            issues.insert(key.clone(), Value::String(reason.to_string()));
        }
        values.insert(key, field.value.to_json());
    }
    fields.insert("customFieldValues".into(), Value::Object(values));
    if !issues.is_empty() {
        fields.insert("customFieldIssues".into(), Value::Object(issues));
    }
}
