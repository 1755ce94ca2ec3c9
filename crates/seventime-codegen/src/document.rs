//! Walking the raw document: its operations, which spec loading, resource reading, generation
//! and the surface all visit the same way.

use serde_json::Value;

/// HTTP methods an OpenAPI path item may hold operations for.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every operation of the raw document: its route, method and object, in document order.
pub(crate) fn operations(raw: &Value) -> impl Iterator<Item = (&String, &'static str, &Value)> {
    raw.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(route, item)| {
            METHODS
                .into_iter()
                .filter_map(move |method| Some((route, method, item.get(method)?)))
        })
}
