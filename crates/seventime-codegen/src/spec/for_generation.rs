//! The copy of the document that progenitor generates from.

use serde_json::Value;

/// The document progenitor generates from: the spec as written, with one adjustment of how
/// types come out in Rust.
///
/// typify generates an optional array property as `Vec<T>` that is left out when empty, so an
/// empty list the service sent (`"documents": []`) would vanish on re-encoding. Marked
/// `nullable`, the property becomes `Option<Vec<T>>`, which keeps `[]` apart from absent. The
/// contract tests validate against the spec as written, so the service is not assumed to send
/// `null` there; the client merely accepts it.
pub(super) fn for_generation(raw: &Value) -> Value {
    let mut document = raw.clone();
    if let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for schema in schemas.values_mut() {
            keep_empty_arrays(schema);
        }
    }
    document
}

fn keep_empty_arrays(schema: &mut Value) {
    let required: Vec<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        for (name, property) in properties.iter_mut() {
            if property.get("type").and_then(Value::as_str) == Some("array")
                && !required.contains(name)
                && let Some(property) = property.as_object_mut()
            {
                property.insert("nullable".into(), Value::Bool(true));
            }
            keep_empty_arrays(property);
        }
    }
    if let Some(items) = schema.get_mut("items") {
        keep_empty_arrays(items);
    }
}
