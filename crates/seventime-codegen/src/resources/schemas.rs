//! What the schemas say: the item a list or get-by-id returns, the item schema's
//! `x-table-columns`, `x-entity-type` and `customFields`, and which schemas stand for a
//! hand-written client type (`x-seventime-type`).

use serde_json::Value;

use super::model::{Field, FieldKind, HAND_WRITTEN_TYPES, Operation, Requirement, Resource};
use super::reader::Reader;
use crate::SpecError;

impl Reader<'_> {
    pub(super) fn hand_written_types(&self) -> Result<Vec<(String, String)>, SpecError> {
        let mut found = Vec::new();
        let schemas = self
            .raw
            .pointer("/components/schemas")
            .and_then(Value::as_object);
        for (name, schema) in schemas.into_iter().flatten() {
            let Some(wanted) = schema.get("x-seventime-type") else {
                continue;
            };
            let location = format!("components.schemas.{name}.x-seventime-type");
            match wanted.as_str() {
                Some(ty) if HAND_WRITTEN_TYPES.contains(&ty) => {
                    if schema.get("type").and_then(Value::as_str) != Some("string") {
                        return Err(self.error(
                            &location,
                            format!(
                                "`{ty}` stands for a string, but `{name}` is not `type: string`"
                            ),
                            "put `x-seventime-type` only on string schemas",
                        ));
                    }
                    found.push((name.clone(), ty.to_string()));
                }
                _ => {
                    return Err(self.error(
                        &location,
                        format!("`x-seventime-type: {wanted}` names no hand-written client type"),
                        format!("use one of: {}", HAND_WRITTEN_TYPES.join(", ")),
                    ));
                }
            }
        }
        Ok(found)
    }

    /// The item schema a list or get operation returns, and whether it is a get-by-id.
    pub(super) fn item_schema(
        &self,
        op: &Operation,
        path_params: usize,
    ) -> Result<(String, bool), SpecError> {
        let body = self
            .raw
            .pointer(&format!("/components/schemas/{}", op.envelope))
            .unwrap_or(&Value::Null);
        let data = body.pointer("/properties/data").unwrap_or(&Value::Null);
        let required_data = body
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|v| v == "data"));
        let (item, is_get) = match (data.get("type").and_then(Value::as_str), path_params) {
            (Some("array"), 0) => (data.get("items").and_then(Self::ref_name), false),
            (None, 1) => (Self::ref_name(data), true),
            _ => (None, false),
        };
        let Some(item) = item.filter(|_| required_data) else {
            return Err(self.error(
                &format!("components.schemas.{}", op.envelope),
                format!(
                    "`{}`, the body of `{}`, is not a {} envelope",
                    op.envelope,
                    op.id,
                    if path_params == 0 {
                        "list (`data: [item]`)"
                    } else {
                        "single-record (`data: item`)"
                    }
                ),
                "a list has no path parameter and `data: {type: array, items: {$ref: <Item>}}`; a get-by-id has one path parameter and `data: {$ref: <Item>}`; `data` is required",
            ));
        };
        let schema = self
            .raw
            .pointer(&format!("/components/schemas/{item}"))
            .unwrap_or(&Value::Null);
        let id_is_string = schema
            .pointer("/properties/_id/type")
            .and_then(Value::as_str)
            == Some("string");
        let id_required = schema
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|v| v == "_id"));
        // Streams skip records by `_id` and a get-by-id fetches one; a lookup that arrives
        // whole needs none (the user roles have none).
        let needs_id = op.paginated || is_get;
        if needs_id && !(id_is_string && id_required) {
            return Err(self.error(
                &format!("components.schemas.{item}"),
                format!("`{item}`, the records of `{}`, has no required string `_id`", op.id),
                "add `_id: {type: string}` to its properties and `required: [_id]`: streams and get-by-id rely on it",
            ));
        }
        Ok((item.to_string(), is_get))
    }

    pub(super) fn item_extensions(&self, resource: &mut Resource) -> Result<(), SpecError> {
        let location = format!("components.schemas.{}", resource.schema);
        let schema = self
            .raw
            .pointer(&format!("/components/schemas/{}", resource.schema))
            .unwrap_or(&Value::Null);
        let properties = schema.get("properties").and_then(Value::as_object);
        resource.fields = self.fields(&location, schema, true)?;
        if let Some(key) = schema.get("x-record-key") {
            let known = key
                .as_str()
                .filter(|k| properties.is_some_and(|p| p.contains_key(*k)));
            let Some(key) = known else {
                return Err(self.error(
                    &format!("{location}.x-record-key"),
                    format!(
                        "`x-record-key: {key}` is not a property of `{}`",
                        resource.schema
                    ),
                    "name the property that identifies a record, as spelled on the wire",
                ));
            };
            resource.key = key.to_string();
        }
        // Without the mark the key is `_id`, which every paginated and get-by-id item must
        // have (checked above); a lookup without one is refused by a mirror, with the mark to
        // add, rather than here: older specs without the mark still load for semver checks.
        if let Some(columns) = schema.get("x-table-columns") {
            let Some(columns) = columns.as_array() else {
                return Err(self.error(
                    &format!("{location}.x-table-columns"),
                    "`x-table-columns` must be a list of property names",
                    "write `x-table-columns: [name, customerNumber]`",
                ));
            };
            for column in columns {
                let known = column
                    .as_str()
                    .filter(|c| properties.is_some_and(|p| p.contains_key(*c)));
                let Some(column) = known else {
                    return Err(self.error(
                        &format!("{location}.x-table-columns"),
                        format!("`{column}` is not a property of `{}`", resource.schema),
                        "name properties the schema defines, spelled as on the wire",
                    ));
                };
                resource.columns.push(column.to_string());
            }
        }
        if let Some(entity) = schema.get("x-entity-type") {
            let known = self
                .named_enums
                .iter()
                .find(|e| e.name == "EntityType")
                .and_then(|e| {
                    e.variants
                        .iter()
                        .find(|v| Some(v.name.as_str()) == entity.as_str())
                });
            let Some(variant) = known else {
                return Err(self.error(
                    &format!("{location}.x-entity-type"),
                    format!("`x-entity-type: {entity}` is not a variant of EntityType"),
                    "use a name from `EntityType`'s `x-enum-varnames`, for example `Customer`",
                ));
            };
            resource.entity_type = Some(variant.name.clone());
            if let Some(custom_fields) = properties.and_then(|p| p.get("customFields")) {
                if custom_fields.get("$ref").and_then(Value::as_str)
                    != Some("#/components/schemas/CustomFieldValues")
                {
                    return Err(self.error(
                        &format!("{location}.properties.customFields"),
                        "`customFields` of a schema with `x-entity-type` is not the shared custom-field values",
                        "write `customFields: {$ref: \"#/components/schemas/CustomFieldValues\"}`: the client resolves values of that shape",
                    ));
                }
                let required = schema
                    .get("required")
                    .and_then(Value::as_array)
                    .is_some_and(|r| r.iter().any(|v| v == "customFields"));
                resource.custom_fields = Some(if required {
                    Requirement::Required
                } else {
                    Requirement::Optional
                });
            }
        }
        Ok(())
    }

    /// The properties of the object schema `schema` (at `location`), sorted by name. Lists of
    /// objects become [`FieldKind::Records`] at the top level only (`top`): deeper ones stay
    /// JSON, as one level of child rows is what a mirror can query without recursion.
    fn fields(&self, location: &str, schema: &Value, top: bool) -> Result<Vec<Field>, SpecError> {
        let schema = self.resolve(schema);
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|names| names.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
            return Ok(Vec::new());
        };
        let mut fields = Vec::with_capacity(properties.len());
        for (name, property) in properties {
            let here = format!("{location}.properties.{name}");
            let kind = self.field_kind(&here, property, top)?;
            fields.push(Field {
                name: name.clone(),
                kind,
                required: required.contains(&name.as_str()),
            });
        }
        Ok(fields)
    }

    fn field_kind(
        &self,
        location: &str,
        property: &Value,
        top: bool,
    ) -> Result<FieldKind, SpecError> {
        if Self::ref_name(property) == Some("CustomFieldValues") {
            return Ok(FieldKind::CustomFields);
        }
        let target = self.resolve(property);
        let kind = target.get("type").and_then(Value::as_str);
        if let Some(format) = property.get("x-value-format") {
            if format.as_str() != Some("date-time") || kind != Some("string") {
                return Err(self.error(
                    &format!("{location}.x-value-format"),
                    format!("`x-value-format: {format}` is only for string properties, with the value `date-time`"),
                    "write `x-value-format: date-time` on a `type: string` property that holds an ISO 8601 moment (or is empty)",
                ));
            }
            return Ok(FieldKind::Timestamp);
        }
        Ok(match kind {
            Some("string") => FieldKind::Text,
            Some("integer") => FieldKind::Integer,
            Some("number") => FieldKind::Number,
            Some("boolean") => FieldKind::Boolean,
            Some("array") if top => {
                let items = target.get("items").unwrap_or(&Value::Null);
                let item = self.resolve(items);
                if item.get("type").and_then(Value::as_str) == Some("object")
                    && item.get("properties").is_some()
                {
                    FieldKind::Records(self.fields(&format!("{location}.items"), items, false)?)
                } else {
                    FieldKind::Json
                }
            }
            _ => FieldKind::Json,
        })
    }
}
