//! Every response example documented in the spec decodes into the generated types and encodes
//! back to the same JSON — so the types accept what the vendor shows the service sending, and
//! keep all of it.
//!
//! Two differences are allowed, both documented in `docs/json-round-trip.md`: a property whose value is
//! `null` may come back absent (an optional property decodes to `None`, which is not
//! serialized), and a number may change representation (`0` typed as `number` re-encodes as
//! `0.0`), so numbers compare by value.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use seventime::catalog;
use seventime::types;

/// The spec as JSON.
fn spec() -> Value {
    seventime_codegen::Spec::load(
        seventime_codegen::spec_path().unwrap_or_else(|error| panic!("{error}")),
    )
    .unwrap_or_else(|error| panic!("{error}"))
    .document()
    .clone()
}

/// `value` through `T` and back.
fn through<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|error| error.to_string())?;
    serde_json::to_value(typed).map_err(|error| error.to_string())
}

/// Where `documented` and `encoded` differ beyond what the module docs allow, as JSON pointers.
fn differences(documented: &Value, encoded: &Value, at: &str, found: &mut Vec<String>) {
    match (documented, encoded) {
        (Value::Object(documented), Value::Object(encoded)) => {
            for (key, value) in documented {
                let at = format!("{at}/{key}");
                match encoded.get(key) {
                    Some(other) => differences(value, other, &at, found),
                    None if value.is_null() => {}
                    None => found.push(format!("{at} was dropped")),
                }
            }
            for (key, value) in encoded {
                if !documented.contains_key(key) && !value.is_null() {
                    found.push(format!("{at}/{key} was added as {value}"));
                }
            }
        }
        (Value::Array(documented), Value::Array(encoded)) => {
            if documented.len() != encoded.len() {
                found.push(format!(
                    "{at}: {} items became {}",
                    documented.len(),
                    encoded.len()
                ));
            }
            for (index, (a, b)) in documented.iter().zip(encoded).enumerate() {
                differences(a, b, &format!("{at}/{index}"), found);
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        (a, b) if a == b => {}
        (a, b) => found.push(format!("{at}: {a} became {b}")),
    }
}

/// Decodes one documented body of `path`/`status` and re-encodes it.
fn round_trip(path: &str, status: &str, body: &Value) -> Result<Value, String> {
    if status != "200" {
        return through::<types::Error>(body);
    }
    if path == seventime::paths::LIST_CUSTOM_FIELDS || path == seventime::paths::GET_CUSTOM_FIELDS {
        return through::<types::CustomFieldList>(body);
    }
    let resource = catalog::resources()
        .iter()
        .find(|r| r.list.path == path || r.get.as_ref().is_some_and(|g| g.path == path))
        .ok_or_else(|| format!("no resource of the catalog serves {path}"))?;
    let mut encoded = body.clone();
    let decode = |record: &Value| {
        resource
            .decode(record.clone())
            .map_err(|error| format!("{}: {error}", resource.schema))
    };
    match &body["data"] {
        Value::Array(records) => {
            encoded["data"] = records.iter().map(decode).collect::<Result<_, _>>()?;
        }
        record @ Value::Object(_) => encoded["data"] = decode(record)?,
        other => return Err(format!("`data` is {other}, not a record or a list")),
    }
    if let Some(meta) = body.get("meta") {
        encoded["meta"] = through::<types::PageMeta>(meta)?;
    }
    Ok(encoded)
}

#[test]
fn every_documented_response_example_round_trips_through_the_generated_types() {
    let spec = spec();
    let mut checked = 0;
    let mut records = 0;
    let mut failures = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        let responses = item["get"]["responses"].as_object().unwrap();
        for (status, response) in responses {
            let response = match response.get("$ref").and_then(Value::as_str) {
                Some(reference) => spec.pointer(reference.trim_start_matches('#')).unwrap(),
                None => response,
            };
            let content = &response["content"]["application/json"];
            let mut bodies: Vec<(String, &Value)> = Vec::new();
            if let Some(example) = content.get("example") {
                bodies.push(("example".into(), example));
            }
            for (name, example) in content
                .get("examples")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                bodies.push((name.clone(), &example["value"]));
            }
            for (name, body) in bodies {
                let at = format!("GET {path} {status} example `{name}`");
                match round_trip(path, status, body) {
                    Ok(encoded) => {
                        let mut found = Vec::new();
                        differences(body, &encoded, "", &mut found);
                        if !found.is_empty() {
                            failures.push(format!("{at}: {}", found.join("; ")));
                        }
                    }
                    Err(error) => failures.push(format!("{at} does not decode: {error}")),
                }
                checked += 1;
                records += body["data"].as_array().map_or(1, Vec::len);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every resource documents at least one example; guard against a walk that finds none.
    assert!(
        checked >= catalog::resources().len(),
        "only {checked} examples"
    );
    assert!(records >= checked);
}

#[test]
fn the_comparison_catches_what_a_lossy_type_would_do() {
    // Guards the test itself: a comparison that accepted everything would make it vacuous.
    let documented = serde_json::json!({"a": 1, "b": null, "c": [1, 2], "d": {"e": "x"}});
    let mut found = Vec::new();
    differences(
        &documented,
        &serde_json::json!({"a": 1.0, "c": [1, 2], "d": {"e": "x"}}),
        "",
        &mut found,
    );
    assert!(found.is_empty(), "{found:?}");
    for lossy in [
        serde_json::json!({"a": 1, "c": [1, 2], "d": {}}),
        serde_json::json!({"a": 2, "c": [1, 2], "d": {"e": "x"}}),
        serde_json::json!({"a": 1, "c": [1], "d": {"e": "x"}}),
        serde_json::json!({"a": "1", "c": [1, 2], "d": {"e": "x"}}),
        serde_json::json!({"a": 1, "c": [1, 2], "d": {"e": "x"}, "f": true}),
    ] {
        let mut found = Vec::new();
        differences(&documented, &lossy, "", &mut found);
        assert!(!found.is_empty(), "{lossy} was accepted");
    }
}
