//! The reader every part of resource reading shares: the raw document and the named enums, how
//! to follow a `$ref`, and how to report a mistake.

use std::path::Path;

use serde_json::Value;

use crate::SpecError;
use crate::enums::NamedEnum;

pub(super) struct Reader<'a> {
    pub(super) path: &'a Path,
    pub(super) raw: &'a Value,
    pub(super) named_enums: &'a [NamedEnum],
}

impl Reader<'_> {
    pub(super) fn error(
        &self,
        location: &str,
        problem: impl Into<String>,
        help: impl Into<String>,
    ) -> SpecError {
        SpecError::new(self.path, Some(location.to_string()), problem, help)
    }

    /// Follows a local `$ref` (already checked to resolve) to its target.
    pub(super) fn resolve<'v>(&'v self, node: &'v Value) -> &'v Value {
        let mut node = node;
        for _ in 0..8 {
            match node
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
            {
                Some(pointer) => node = self.raw.pointer(pointer).unwrap_or(node),
                None => break,
            }
        }
        node
    }

    pub(super) fn ref_name(node: &Value) -> Option<&str> {
        node.get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
    }

    pub(super) fn success_schema<'v>(&'v self, operation: &'v Value) -> Option<&'v Value> {
        let response = self.resolve(operation.pointer("/responses/200")?);
        response.pointer("/content/application~1json/schema")
    }
}
