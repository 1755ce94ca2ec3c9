//! The checks that stand between a spec mistake and a panic deep inside progenitor: the OpenAPI
//! version, every `$ref`, the operation ids and the schemas of each operation's responses.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::SpecError;
use crate::document::operations;

pub(super) fn check_version(path: &Path, raw: &Value) -> Result<(), SpecError> {
    match raw.get("openapi") {
        Some(Value::String(version)) if version.trim().starts_with("3.0.") => Ok(()),
        Some(Value::String(version)) => Err(SpecError::new(
            path,
            Some("openapi".into()),
            format!("OpenAPI {version} is not supported: progenitor 0.15 reads OpenAPI 3.0.x only"),
            "write `openapi: 3.0.3` and use 3.0 constructs (for example `nullable: true` instead of `type: [T, \"null\"]`)",
        )),
        Some(other) => Err(SpecError::new(
            path,
            Some("openapi".into()),
            format!("`openapi` must be a version string, found {other}"),
            "write `openapi: 3.0.3` (quoted or not)",
        )),
        None => Err(SpecError::new(
            path,
            None,
            "the document has no `openapi` version field",
            "start the document with `openapi: 3.0.3`",
        )),
    }
}

/// Walks the whole document and resolves every `$ref` against it.
pub(super) fn check_refs(
    path: &Path,
    root: &Value,
    node: &Value,
    at: &str,
) -> Result<(), SpecError> {
    match node {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref") {
                let location = Some(if at.is_empty() {
                    "$ref".into()
                } else {
                    at.to_string()
                });
                let Value::String(reference) = reference else {
                    return Err(SpecError::new(
                        path,
                        location,
                        "`$ref` must be a string",
                        "write the reference as a string such as \"#/components/schemas/Name\"",
                    ));
                };
                let Some(pointer) = reference.strip_prefix('#') else {
                    return Err(SpecError::new(
                        path,
                        location,
                        format!("`$ref: {reference}` points outside this file"),
                        "keep the spec in one file: move the target under `components` and use a `#/components/...` reference",
                    ));
                };
                if root.pointer(pointer).is_none() {
                    return Err(SpecError::new(
                        path,
                        location,
                        format!("`$ref: {reference}` does not resolve: nothing is defined there"),
                        "define the target under `components` or correct the reference (names are case-sensitive)",
                    ));
                }
            }
            for (key, value) in map {
                let child = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                check_refs(path, root, value, &child)?;
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(index, item)| check_refs(path, root, item, &format!("{at}[{index}]"))),
        _ => Ok(()),
    }
}

/// Every operation needs a unique `operationId` (it names the Rust method), and its error
/// responses must share one schema, as must its success responses: progenitor 0.15 asserts
/// `response_types.len() <= 1` otherwise.
pub(super) fn check_operations(path: &Path, raw: &Value) -> Result<(), SpecError> {
    if raw.get("paths").and_then(Value::as_object).is_none() {
        return Err(SpecError::new(
            path,
            Some("paths".into()),
            "the document has no `paths` mapping",
            "describe at least one operation under `paths:`",
        ));
    }
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (route, method, operation) in operations(raw) {
        let location = format!("paths.{route}.{method}");
        let operation_id = match operation.get("operationId") {
            Some(Value::String(id)) if !id.trim().is_empty() => id.clone(),
            _ => {
                return Err(SpecError::new(
                    path,
                    Some(location),
                    format!(
                        "operation {} {route} has no `operationId`",
                        method.to_uppercase()
                    ),
                    "add a unique snake_case `operationId`; it becomes the Rust method name (for example `list_custom_fields`)",
                ));
            }
        };
        if let Some(first) = seen.insert(operation_id.clone(), location.clone()) {
            return Err(SpecError::new(
                path,
                Some(location),
                format!("`operationId: {operation_id}` is already used by {first}"),
                "give every operation its own `operationId`; each becomes a distinct Rust method",
            ));
        }
        check_response_schemas(path, raw, operation, &location)?;
    }
    Ok(())
}

fn check_response_schemas(
    path: &Path,
    raw: &Value,
    operation: &Value,
    location: &str,
) -> Result<(), SpecError> {
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
        return Err(SpecError::new(
            path,
            Some(location.to_string()),
            "the operation has no `responses`",
            "describe at least the success response, for example `\"200\"`",
        ));
    };
    let mut success: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut errors: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (status, response) in responses {
        if !valid_status(status) {
            return Err(SpecError::new(
                path,
                Some(format!("{location}.responses.{status}")),
                format!("`{status}` is not an HTTP status code"),
                "use a code from 100 to 599, a range such as `4XX`, or `default`",
            ));
        }
        let schema = response_schema(raw, response);
        let class = if status.starts_with('2') {
            &mut success
        } else if status.starts_with(['4', '5']) || status == "default" {
            &mut errors
        } else {
            continue;
        };
        class.entry(schema).or_default().push(status);
    }
    for (kind, class) in [("success", &success), ("error", &errors)] {
        if class.len() > 1 {
            let described = class
                .iter()
                .map(|(schema, statuses)| format!("{} → {schema}", statuses.join(", ")))
                .collect::<Vec<_>>()
                .join("; ");
            return Err(SpecError::new(
                path,
                Some(format!("{location}.responses")),
                format!("the {kind} responses use different schemas ({described})"),
                format!(
                    "make every {kind} response of the operation use the same schema (for errors: `$ref: \"#/components/schemas/Error\"`); progenitor 0.15 supports one {kind} type per operation"
                ),
            ));
        }
    }
    Ok(())
}

fn valid_status(status: &str) -> bool {
    match status.as_bytes() {
        b"default" => true,
        [class @ b'1'..=b'5', b'X', b'X'] => *class != 0,
        _ => status
            .parse::<u16>()
            .is_ok_and(|code| (100..=599).contains(&code)),
    }
}

/// A name for the JSON schema of a response, following response `$ref`s: the schema's own
/// `$ref` when it has one, `inline schema` otherwise, `no body` when there is no JSON content.
fn response_schema(raw: &Value, response: &Value) -> String {
    let response = match response.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix('#')
            .and_then(|pointer| raw.pointer(pointer))
            .unwrap_or(response),
        None => response,
    };
    match response
        .get("content")
        .and_then(|content| content.get("application/json"))
        .and_then(|media| media.get("schema"))
    {
        Some(schema) => schema
            .get("$ref")
            .and_then(Value::as_str)
            .map_or_else(|| "inline schema".to_string(), str::to_string),
        None => "no body".to_string(),
    }
}
