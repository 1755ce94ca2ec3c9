//! The `x-paginated` mark: what a marked list must have (`limit`, `page`, a largest page size,
//! a `{meta, data}` envelope), and that a list which pages like one does not go unmarked.

use serde_json::Value;

use super::model::{Parameter, ParameterKind};
use super::reader::Reader;
use crate::SpecError;

impl Reader<'_> {
    pub(super) fn check_paginated(
        &self,
        operation: &Value,
        location: &str,
        query: &[Parameter],
        envelope: &str,
    ) -> Result<u64, SpecError> {
        for wanted in ["limit", "page"] {
            let Some(parameter) = query.iter().find(|p| p.name == wanted) else {
                return Err(self.error(
                    location,
                    format!("the operation is marked `x-paginated` but has no `{wanted}` query parameter"),
                    "add `- $ref: \"#/components/parameters/Limit\"` and `- $ref: \"#/components/parameters/Page\"`, or remove the mark",
                ));
            };
            if !matches!(parameter.kind, ParameterKind::Integer { .. }) || parameter.required {
                return Err(self.error(
                    location,
                    format!(
                        "the `{wanted}` parameter of a paginated list must be an optional integer"
                    ),
                    "use the shared `Limit` and `Page` parameters",
                ));
            }
        }
        let maximum = self
            .parameters(operation)
            .find(|p| p.get("name").and_then(Value::as_str) == Some("limit"))
            .and_then(|p| p.pointer("/schema/maximum"))
            .and_then(Value::as_u64)
            .filter(|max| *max >= 1)
            .ok_or_else(|| {
                self.error(
                    location,
                    "the `limit` parameter of a paginated list has no `maximum`",
                    "give `limit` the documented bounds, `minimum: 1` and `maximum: 500`",
                )
            })?;
        let body = self
            .raw
            .pointer(&format!("/components/schemas/{envelope}"))
            .unwrap_or(&Value::Null);
        let meta = body.pointer("/properties/meta").and_then(Self::ref_name);
        let data_is_array = body
            .pointer("/properties/data/type")
            .and_then(Value::as_str)
            == Some("array");
        if meta != Some("PageMeta") || !data_is_array {
            return Err(self.error(
                &format!("components.schemas.{envelope}"),
                format!("`{envelope}`, the body of a paginated list, is not `{{meta: PageMeta, data: [item]}}`"),
                "give the envelope `meta: {$ref: \"#/components/schemas/PageMeta\"}` and `data: {type: array, items: {$ref: ...}}`, both required",
            ));
        }
        Ok(maximum)
    }

    /// An operation that pages like a paginated list must say whether it is one.
    pub(super) fn check_unmarked(
        &self,
        route: &str,
        method: &str,
        operation: &Value,
        location: &str,
    ) -> Result<(), SpecError> {
        if method != "get" {
            return Ok(());
        }
        let has = |wanted: &str| {
            self.parameters(operation)
                .any(|p| p.get("name").and_then(Value::as_str) == Some(wanted))
        };
        let meta = self
            .success_schema(operation)
            .map(|s| self.resolve(s))
            .and_then(|s| s.pointer("/properties/meta"))
            .is_some();
        if has("limit") && has("page") && meta {
            return Err(self.error(
                location,
                format!("GET {route} pages with `limit`, `page` and `meta` but is not marked"),
                "add `x-paginated: true` (and `x-resource`) so that the client can stream all of its records, or `x-paginated: false` if it is not a paginated list",
            ));
        }
        Ok(())
    }
}
