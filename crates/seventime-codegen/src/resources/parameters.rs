//! The parameters of an operation: all of them with their `$ref`s followed, its path
//! parameters, and what values a query parameter takes.

use serde_json::Value;

use super::model::ParameterKind;
use super::reader::Reader;
use crate::SpecError;

impl Reader<'_> {
    pub(super) fn parameters<'v>(
        &'v self,
        operation: &'v Value,
    ) -> impl Iterator<Item = &'v Value> {
        operation
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| self.resolve(p))
    }

    pub(super) fn path_parameters<'v>(&'v self, operation: &'v Value) -> Vec<&'v str> {
        self.parameters(operation)
            .filter(|p| p.get("in").and_then(Value::as_str) == Some("path"))
            .filter_map(|p| p.get("name").and_then(Value::as_str))
            .collect()
    }

    pub(super) fn parameter_kind(
        &self,
        schema: &Value,
        location: &str,
        name: &str,
    ) -> Result<ParameterKind, SpecError> {
        if let Some(reference) = Self::ref_name(schema) {
            let target = self.resolve(schema);
            if let Some(ty) = target.get("x-seventime-type").and_then(Value::as_str) {
                return Ok(ParameterKind::HandWritten(ty.to_string()));
            }
            if self.named_enums.iter().any(|e| e.name == reference) {
                return Ok(ParameterKind::NamedEnum(reference.to_string()));
            }
            if let Some(values) = target.get("enum").and_then(Value::as_array)
                && target.get("type").and_then(Value::as_str) == Some("string")
            {
                return Ok(ParameterKind::Choice {
                    schema: reference.to_string(),
                    values: values
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect(),
                });
            }
            return Err(self.error(
                location,
                format!("query parameter `{name}` refers to `{reference}`, which is neither a string enum, a named integer enum nor a hand-written type"),
                "give query parameters a plain type (string, integer, number, boolean), a string enum, or `$ref` a schema with `x-seventime-type`",
            ));
        }
        if schema.get("enum").is_some() {
            return Err(self.error(
                location,
                format!("query parameter `{name}` has an inline enum"),
                "move the enum into a named schema under `components.schemas` and `$ref` it, so that it becomes one Rust type",
            ));
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("string") => Ok(ParameterKind::Text),
            Some("integer") => Ok(ParameterKind::Integer {
                signed: schema
                    .get("minimum")
                    .and_then(Value::as_f64)
                    .is_none_or(|min| min < 0.0),
            }),
            Some("number") => Ok(ParameterKind::Number),
            Some("boolean") => Ok(ParameterKind::Boolean),
            other => Err(self.error(
                location,
                format!(
                    "query parameter `{name}` has type {}, which a query string cannot carry",
                    other.unwrap_or("(none)")
                ),
                "give it `type: string`, `integer`, `number` or `boolean`",
            )),
        }
    }
}
