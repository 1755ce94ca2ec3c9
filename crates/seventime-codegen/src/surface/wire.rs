//! What the surface takes from the spec rather than from the code: each operation's route and
//! where each builder parameter goes on the wire.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use serde_json::Value;

use crate::document::operations;

/// `GET /api/2/customers` by operationId.
pub(super) fn routes(document: &Value) -> BTreeMap<String, String> {
    operations(document)
        .filter_map(|(route, method, operation)| {
            let id = operation.get("operationId")?.as_str()?;
            Some((id.to_string(), format!("{} {route}", method.to_uppercase())))
        })
        .collect()
}

/// `(operationId, snake_case parameter name)` → `query lastModified`, with `$ref`s resolved.
pub(super) fn parameter_wires(document: &Value) -> BTreeMap<(String, String), String> {
    let mut wires = BTreeMap::new();
    for (_, _, operation) in operations(document) {
        let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        for parameter in operation
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let parameter = match parameter.get("$ref").and_then(Value::as_str) {
                Some(reference) => match reference
                    .strip_prefix('#')
                    .and_then(|p| document.pointer(p))
                {
                    Some(target) => target,
                    None => continue,
                },
                None => parameter,
            };
            let (Some(name), Some(location)) = (
                parameter.get("name").and_then(Value::as_str),
                parameter.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            wires.insert(
                (id.to_string(), name.to_snake_case()),
                format!("{location} {name}"),
            );
        }
    }
    wires
}
