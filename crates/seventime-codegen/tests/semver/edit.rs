//! Edits of the spec as JSON, in the words of the table: a schema, a property, an operation's
//! parameters, an enum's codes.

use serde_json::{Value, json};

pub(crate) fn schema<'a>(spec: &'a mut Value, name: &str) -> &'a mut Value {
    &mut spec["components"]["schemas"][name]
}

pub(crate) fn property<'a>(
    spec: &'a mut Value,
    schema_name: &str,
    property: &str,
) -> &'a mut Value {
    &mut schema(spec, schema_name)["properties"][property]
}

pub(crate) fn operation<'a>(spec: &'a mut Value, path: &str) -> &'a mut Value {
    &mut spec["paths"][path]["get"]
}

pub(crate) fn parameters<'a>(spec: &'a mut Value, path: &str) -> &'a mut Vec<Value> {
    operation(spec, path)["parameters"]
        .as_array_mut()
        .expect("the operation has parameters")
}

pub(crate) fn parameter<'a>(spec: &'a mut Value, path: &str, name: &str) -> &'a mut Value {
    parameters(spec, path)
        .iter_mut()
        .find(|p| p["name"] == name)
        .expect("the parameter exists")
}

pub(crate) fn required<'a>(spec: &'a mut Value, schema_name: &str) -> &'a mut Vec<Value> {
    let schema = schema(spec, schema_name);
    if schema.get("required").is_none() {
        schema["required"] = json!([]);
    }
    schema["required"]
        .as_array_mut()
        .expect("required is a list")
}

/// The lists of a named enum that hold one entry per code.
fn code_lists(spec: &mut Value, schema_name: &str, codes: &str) -> Vec<String> {
    let schema = schema(spec, schema_name);
    [codes, "x-enum-varnames", "x-enum-descriptions"]
        .into_iter()
        .filter(|key| schema.get(*key).is_some())
        .map(str::to_string)
        .collect()
}

/// Adds `code` named `name` to a named enum (its labels too, when it has them).
pub(crate) fn add_code(spec: &mut Value, schema_name: &str, codes: &str, code: i64, name: &str) {
    for key in code_lists(spec, schema_name, codes) {
        let value = if key == codes {
            json!(code)
        } else {
            json!(name)
        };
        schema(spec, schema_name)[key.as_str()]
            .as_array_mut()
            .unwrap()
            .push(value);
    }
}

/// Removes the last code of a named enum, with its name and label.
pub(crate) fn remove_last_code(spec: &mut Value, schema_name: &str, codes: &str) {
    for key in code_lists(spec, schema_name, codes) {
        schema(spec, schema_name)[key.as_str()]
            .as_array_mut()
            .unwrap()
            .pop();
    }
}

pub(crate) fn rename_key(object: &mut Value, from: &str, to: &str) {
    let map = object.as_object_mut().expect("an object");
    let value = map.remove(from).expect("the key exists");
    map.insert(to.to_string(), value);
}

pub(crate) const CUSTOMERS: &str = "/api/2/customers";
pub(crate) const CUSTOMER: &str = "/api/2/customers/{id}";
pub(crate) const DISTRIBUTOR_CONTACTS: &str = "/api/2/distributorContactPersons/";
