//! Reading one list or get-by-id operation: its id, summary, envelope, query parameters and,
//! for a paginated list, its largest page size.

use serde_json::Value;

use super::model::{Operation, Parameter};
use super::reader::Reader;
use crate::SpecError;

impl Reader<'_> {
    pub(super) fn operation(
        &self,
        route: &str,
        operation: &Value,
        location: &str,
        paginated: bool,
    ) -> Result<Operation, SpecError> {
        let id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let envelope = self
            .success_schema(operation)
            .and_then(Self::ref_name)
            .ok_or_else(|| {
                self.error(
                    &format!("{location}.responses.200"),
                    "the success response does not `$ref` a named envelope schema",
                    "describe the body as `$ref: \"#/components/schemas/<Item>Page\"` (or `<Item>Envelope`, `<Item>List`)",
                )
            })?
            .to_string();
        let mut query = Vec::new();
        for (index, parameter) in self.parameters(operation).enumerate() {
            if parameter.get("in").and_then(Value::as_str) != Some("query") {
                continue;
            }
            let at = format!("{location}.parameters[{index}]");
            let name = parameter
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let schema = parameter.get("schema").unwrap_or(&Value::Null);
            let parent = match parameter.get("x-parent-resource") {
                None => None,
                Some(Value::String(parent)) => Some(parent.clone()),
                Some(other) => {
                    return Err(self.error(
                        &format!("{at}.x-parent-resource"),
                        format!("`x-parent-resource` must name a resource, found {other}"),
                        "write the `x-resource` name of the records whose keys the parameter takes, for example `x-parent-resource: projects`",
                    ));
                }
            };
            query.push(Parameter {
                parent,
                kind: self.parameter_kind(schema, &at, &name)?,
                required: parameter.get("required").and_then(Value::as_bool) == Some(true),
                description: parameter
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
                name,
            });
        }
        let max_page_size = if paginated {
            Some(self.check_paginated(operation, location, &query, &envelope)?)
        } else {
            None
        };
        let path_parameter = self
            .path_parameters(operation)
            .first()
            .map(|p| p.to_string());
        Ok(Operation {
            path_parameter,
            id,
            path: route.to_string(),
            summary: operation
                .get("summary")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .trim()
                .trim_end_matches('.')
                .to_string(),
            paginated,
            max_page_size,
            envelope,
            query,
        })
    }
}
