//! The semver verdict of `cargo xtask regen`, on a table of spec edits: each edit is applied to
//! the workspace spec, both versions are generated, and the verdict and its reasons must be the
//! ones a Rust user would see (the Cargo book's "SemVer Compatibility" rules, applied to the
//! generated code). Cases marked `reverse` apply the edit to the *old* spec instead, to test the
//! opposite direction of an edit the spec loader would refuse on the new side.

use serde_json::{Value, json};
use seventime_codegen::semver::{self, Impact, Verdict};
use seventime_codegen::{Spec, Surface, spec_path};

/// One spec edit and what it must do to the crate's users.
struct Case {
    name: &'static str,
    edit: fn(&mut Value),
    /// Apply `edit` to the old spec and compare it with the unedited one.
    reverse: bool,
    impact: Impact,
    /// Each must appear in one change line (`impact: `item` reason`); none when empty means
    /// "no change at all".
    reasons: &'static [&'static str],
}

const fn case(
    name: &'static str,
    edit: fn(&mut Value),
    impact: Impact,
    reasons: &'static [&'static str],
) -> Case {
    Case {
        name,
        edit,
        reverse: false,
        impact,
        reasons,
    }
}

const fn reverse(
    name: &'static str,
    edit: fn(&mut Value),
    impact: Impact,
    reasons: &'static [&'static str],
) -> Case {
    Case {
        name,
        edit,
        reverse: true,
        impact,
        reasons,
    }
}

fn schema<'a>(spec: &'a mut Value, name: &str) -> &'a mut Value {
    &mut spec["components"]["schemas"][name]
}

fn property<'a>(spec: &'a mut Value, schema_name: &str, property: &str) -> &'a mut Value {
    &mut schema(spec, schema_name)["properties"][property]
}

fn operation<'a>(spec: &'a mut Value, path: &str) -> &'a mut Value {
    &mut spec["paths"][path]["get"]
}

fn parameters<'a>(spec: &'a mut Value, path: &str) -> &'a mut Vec<Value> {
    operation(spec, path)["parameters"]
        .as_array_mut()
        .expect("the operation has parameters")
}

fn parameter<'a>(spec: &'a mut Value, path: &str, name: &str) -> &'a mut Value {
    parameters(spec, path)
        .iter_mut()
        .find(|p| p["name"] == name)
        .expect("the parameter exists")
}

fn required<'a>(spec: &'a mut Value, schema_name: &str) -> &'a mut Vec<Value> {
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
fn add_code(spec: &mut Value, schema_name: &str, codes: &str, code: i64, name: &str) {
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
fn remove_last_code(spec: &mut Value, schema_name: &str, codes: &str) {
    for key in code_lists(spec, schema_name, codes) {
        schema(spec, schema_name)[key.as_str()]
            .as_array_mut()
            .unwrap()
            .pop();
    }
}

fn rename_key(object: &mut Value, from: &str, to: &str) {
    let map = object.as_object_mut().expect("an object");
    let value = map.remove(from).expect("the key exists");
    map.insert(to.to_string(), value);
}

const CUSTOMERS: &str = "/api/2/customers";
const CUSTOMER: &str = "/api/2/customers/{id}";
const DISTRIBUTOR_CONTACTS: &str = "/api/2/distributorContactPersons/";

fn cases() -> Vec<Case> {
    vec![
        // Edits that do not reach Rust.
        case(
            "description only",
            |s| {
                property(s, "Customer", "name")["description"] =
                    json!("The customer's name, as invoiced.");
                operation(s, CUSTOMERS)["description"] = json!("Lists customers.");
            },
            Impact::Patch,
            &[],
        ),
        case(
            "example only",
            |s| {
                let examples = &mut operation(s, CUSTOMER)["responses"]["200"]["content"]["application/json"]
                    ["examples"];
                let first = examples
                    .as_object_mut()
                    .unwrap()
                    .values_mut()
                    .next()
                    .unwrap();
                first["value"]["data"]["name"] = json!("Another name AB");
            },
            Impact::Patch,
            &[],
        ),
        case(
            "summary and tag only",
            |s| {
                operation(s, CUSTOMERS)["summary"] = json!("All customers.");
            },
            Impact::Patch,
            &[],
        ),
        case(
            "server URL",
            |s| {
                s["servers"][0]["url"] = json!("https://api.seventime.se");
            },
            Impact::Patch,
            &["patch: `DEFAULT_BASE_URL` value changed"],
        ),
        case(
            "path renamed, operation kept",
            |s| {
                let paths = &mut s["paths"];
                rename_key(paths, CUSTOMER, "/api/2/clients/{id}");
            },
            Impact::Patch,
            &[
                "patch: `Client::get_customer` request changed on the wire",
                "patch: `paths::GET_CUSTOMER` value changed",
            ],
        ),
        case(
            "property wire name changed, Rust name kept",
            |s| {
                rename_key(
                    &mut schema(s, "Customer")["properties"],
                    "zipCode",
                    "zip_code",
                );
            },
            Impact::Patch,
            &["patch: `types::Customer.zip_code` wire name changed (\"zipCode\" → \"zip_code\")"],
        ),
        case(
            "code of a named enum variant",
            |s| {
                let codes = schema(s, "EntityType")["enum"].as_array_mut().unwrap();
                *codes.last_mut().unwrap() = json!(2150);
            },
            Impact::Patch,
            &[
                "patch: `EntityType::",
                "value on the wire changed (2100 → 2150)",
            ],
        ),
        // Operations.
        case(
            "operation added",
            |s| {
                let copy = s["paths"][CUSTOMER].clone();
                s["paths"]["/api/2/customersCopy/{id}"] = copy;
                operation(s, "/api/2/customersCopy/{id}")["operationId"] =
                    json!("get_customer_copy");
                operation(s, "/api/2/customersCopy/{id}")
                    .as_object_mut()
                    .unwrap()
                    .remove("x-resource");
            },
            Impact::Minor,
            &[
                "minor: `Client::get_customer_copy` operation added",
                "minor: `paths::GET_CUSTOMER_COPY` constant added",
            ],
        ),
        case(
            "operation removed",
            |s| {
                s["paths"]
                    .as_object_mut()
                    .unwrap()
                    .remove(DISTRIBUTOR_CONTACTS);
            },
            Impact::Major,
            &[
                "major: `Client::list_distributor_contact_persons` operation removed",
                "major: `paths::LIST_DISTRIBUTOR_CONTACT_PERSONS` constant removed",
            ],
        ),
        case(
            "operation renamed",
            |s| {
                operation(s, CUSTOMER)["operationId"] = json!("fetch_customer");
            },
            Impact::Major,
            &[
                "major: `Client::get_customer` operation removed",
                "minor: `Client::fetch_customer` operation added",
            ],
        ),
        // Parameters.
        case(
            "optional parameter added",
            |s| {
                parameters(s, CUSTOMERS).push(json!({"name": "zipCode", "in": "query", "required": false, "schema": {"type": "string"}}));
            },
            Impact::Minor,
            &["minor: `Client::list_customers().zip_code` optional parameter added"],
        ),
        case(
            "required parameter added",
            |s| {
                parameters(s, CUSTOMERS).push(json!({"name": "zipCode", "in": "query", "required": true, "schema": {"type": "string"}}));
            },
            Impact::Major,
            &["major: `Client::list_customers().zip_code` required parameter added"],
        ),
        case(
            "parameter removed",
            |s| {
                parameters(s, CUSTOMERS).retain(|p| p["name"] != "city");
            },
            Impact::Major,
            &["major: `Client::list_customers().city` parameter removed"],
        ),
        case(
            "parameter renamed",
            |s| {
                parameter(s, CUSTOMERS, "city")["name"] = json!("town");
            },
            Impact::Major,
            &[
                "major: `Client::list_customers().city` parameter removed",
                "minor: `Client::list_customers().town` optional parameter added",
            ],
        ),
        case(
            "parameter made required",
            |s| {
                parameter(s, CUSTOMERS, "city")["required"] = json!(true);
            },
            Impact::Major,
            &["major: `Client::list_customers().city` parameter made required"],
        ),
        case(
            "parameter made optional",
            |s| {
                parameter(s, DISTRIBUTOR_CONTACTS, "distributor")["required"] = json!(false);
            },
            Impact::Minor,
            &[
                "minor: `Client::list_distributor_contact_persons().distributor` parameter made optional",
            ],
        ),
        case(
            "parameter type string → integer",
            |s| {
                parameter(s, CUSTOMERS, "city")["schema"] =
                    json!({"type": "integer", "format": "int64"});
            },
            Impact::Major,
            &["major: `Client::list_customers().city` parameter type changed (String → i64)"],
        ),
        // Properties.
        case(
            "optional property added",
            |s| {
                property(s, "Customer", "website")["type"] = json!("string");
            },
            Impact::Minor,
            &["minor: `types::Customer.website` optional field added"],
        ),
        case(
            "required property added",
            |s| {
                property(s, "Customer", "website")["type"] = json!("string");
                required(s, "Customer").push(json!("website"));
            },
            Impact::Major,
            &["major: `types::Customer.website` required field added"],
        ),
        case(
            "property removed",
            |s| {
                schema(s, "Customer")["properties"]
                    .as_object_mut()
                    .unwrap()
                    .remove("vatNumber");
            },
            Impact::Major,
            &["major: `types::Customer.vat_number` field removed"],
        ),
        case(
            "property renamed",
            |s| {
                rename_key(
                    &mut schema(s, "Customer")["properties"],
                    "vatNumber",
                    "vatNo",
                );
            },
            Impact::Major,
            &[
                "major: `types::Customer.vat_number` field removed",
                "minor: `types::Customer.vat_no` optional field added",
            ],
        ),
        case(
            "property made required",
            |s| {
                required(s, "Customer").push(json!("name"));
            },
            Impact::Major,
            &["major: `types::Customer.name` made required (Option<String> → String)"],
        ),
        reverse(
            "property made optional",
            |s| {
                required(s, "Customer").push(json!("name"));
            },
            Impact::Major,
            &["major: `types::Customer.name` made optional (String → Option<String>)"],
        ),
        case(
            "property type integer → string",
            |s| {
                *property(s, "Customer", "paymentDays") = json!({"type": "string"});
            },
            Impact::Major,
            &["major: `types::Customer.payment_days` type changed (Option<i64> → Option<String>)"],
        ),
        case(
            "property format int64 → int32",
            |s| {
                property(s, "Customer", "paymentDays")["format"] = json!("int32");
            },
            Impact::Major,
            &["major: `types::Customer.payment_days` type changed (Option<i64> → Option<i32>)"],
        ),
        case(
            "required property made nullable",
            |s| {
                property(s, "Customer", "_id")["nullable"] = json!(true);
            },
            Impact::Major,
            &["major: `types::Customer.id` made optional (String → Option<String>)"],
        ),
        case(
            "optional property made nullable",
            |s| {
                property(s, "Customer", "city")["nullable"] = json!(true);
            },
            Impact::Patch,
            &[],
        ),
        // Schemas.
        case(
            "schema added",
            |s| {
                s["components"]["schemas"]["Widget"] = json!({"type": "object", "properties": {"name": {"type": "string"}}, "additionalProperties": {}});
            },
            Impact::Minor,
            &["minor: `types::Widget` type added"],
        ),
        case(
            "schema renamed",
            |s| {
                let text = serde_json::to_string(s).unwrap().replace(
                    "#/components/schemas/Documents\"",
                    "#/components/schemas/Attachments\"",
                );
                *s = serde_json::from_str(&text).unwrap();
                rename_key(&mut s["components"]["schemas"], "Documents", "Attachments");
            },
            Impact::Major,
            &[
                "major: `types::Documents` type removed",
                "minor: `types::Attachments` type added",
                "major: `types::Customer.documents` type changed (Option<types::Documents> → Option<types::Attachments>)",
            ],
        ),
        // Enums.
        case(
            "code added to a closed enum",
            |s| add_code(s, "EntityType", "enum", 2200, "Widget"),
            Impact::Minor,
            &["minor: `EntityType::Widget` variant added to a #[non_exhaustive] enum"],
        ),
        case(
            "code removed from a closed enum",
            |s| remove_last_code(s, "EntityType", "enum"),
            Impact::Major,
            &["major: `EntityType::", "variant removed"],
        ),
        case(
            "code added to an open enum",
            |s| add_code(s, "FieldType", "x-extensible-enum", 10700, "Signature"),
            Impact::Minor,
            &["minor: `FieldType::Signature` variant added"],
        ),
        case(
            "code removed from an open enum",
            |s| remove_last_code(s, "FieldType", "x-extensible-enum"),
            Impact::Major,
            &["major: `FieldType::MultiSelectList` variant removed"],
        ),
        case(
            "value added to a string enum",
            |s| {
                schema(s, "SortDirection")["enum"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!("random"));
            },
            Impact::Minor,
            &["minor: `types::SortDirection::Random` variant added"],
        ),
        case(
            "value removed from a string enum",
            |s| {
                schema(s, "SortDirection")["enum"]
                    .as_array_mut()
                    .unwrap()
                    .pop();
            },
            Impact::Major,
            &["major: `types::SortDirection::Descending` variant removed"],
        ),
        // Envelopes and pagination.
        case(
            "envelope gains a property",
            |s| {
                property(s, "CustomerEnvelope", "meta")["$ref"] =
                    json!("#/components/schemas/PageMeta");
            },
            Impact::Minor,
            &["minor: `types::CustomerEnvelope.meta` optional field added"],
        ),
        case(
            "envelope replaced",
            |s| {
                let envelope = schema(s, "CustomerEnvelope").clone();
                s["components"]["schemas"]["CustomerRecord"] = envelope;
                operation(s, CUSTOMER)["responses"]["200"]["content"]["application/json"]["schema"]
                    ["$ref"] = json!("#/components/schemas/CustomerRecord");
            },
            Impact::Major,
            &[
                "major: `Client::get_customer` success type changed (types::CustomerEnvelope → types::CustomerRecord)",
                "minor: `types::CustomerRecord` type added",
            ],
        ),
        case(
            "pagination mark removed",
            |s| {
                operation(s, CUSTOMERS)
                    .as_object_mut()
                    .unwrap()
                    .remove("x-paginated");
            },
            Impact::Major,
            &["major: `Client::list_customers().into_paginator` no longer paginated"],
        ),
        reverse(
            "pagination mark added",
            |s| {
                operation(s, CUSTOMERS)
                    .as_object_mut()
                    .unwrap()
                    .remove("x-paginated");
            },
            Impact::Minor,
            &["minor: `Client::list_customers().into_paginator` now paginated"],
        ),
    ]
}

/// The spec as JSON, edited by `edit`, loaded under the workspace spec's path.
fn load(original: &Value, edit: Option<fn(&mut Value)>) -> Result<Spec, String> {
    let mut document = original.clone();
    if let Some(edit) = edit {
        edit(&mut document);
    }
    let path = spec_path().map_err(|e| e.to_string())?;
    // JSON is YAML: the loader reads the edited document as it reads the file.
    Spec::parse(path, &document.to_string()).map_err(|e| e.to_string())
}

fn surface(spec: &Spec) -> Result<Surface, String> {
    let client = seventime_codegen::Generated::client_only(spec).map_err(|e| e.to_string())?;
    Surface::from_client(spec, &client).map_err(|e| e.to_string())
}

/// What went wrong with one case, if anything.
fn check(case: &Case, original: &Value, unedited: &Surface) -> Option<String> {
    let edited = match load(original, Some(case.edit)).and_then(|spec| surface(&spec)) {
        Ok(surface) => surface,
        Err(error) => return Some(format!("the edited spec does not generate: {error}")),
    };
    let verdict: Verdict = if case.reverse {
        semver::compare(&edited, unedited)
    } else {
        semver::compare(unedited, &edited)
    };
    let lines: Vec<String> = verdict.changes.iter().map(ToString::to_string).collect();
    let mut problems = Vec::new();
    if verdict.impact != case.impact {
        problems.push(format!(
            "impact {} instead of {}",
            verdict.impact, case.impact
        ));
    }
    if case.reasons.is_empty() && !lines.is_empty() {
        problems.push("changes where none were expected".to_string());
    }
    for reason in case.reasons {
        if !lines.iter().any(|line| line.contains(reason)) {
            problems.push(format!("no change says `{reason}`"));
        }
    }
    (!problems.is_empty()).then(|| format!("{}\n{verdict}", problems.join("; ")))
}

#[test]
fn every_spec_edit_of_the_table_gets_its_verdict_and_reasons() {
    let path = spec_path().unwrap_or_else(|error| panic!("{error}"));
    let original = Spec::load(&path)
        .unwrap_or_else(|error| panic!("{error}"))
        .document()
        .clone();
    let unedited = load(&original, None)
        .and_then(|spec| surface(&spec))
        .unwrap_or_else(|error| panic!("{error}"));
    let cases = cases();
    assert!(cases.len() >= 30, "the table must hold at least 30 edits");

    // Generation dominates; two threads halve the wall time on this 2-core machine.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let halves = cases.chunks(cases.len().div_ceil(2));
        let workers: Vec<_> = halves
            .map(|half| {
                let (original, unedited) = (&original, &unedited);
                scope.spawn(move || {
                    half.iter()
                        .filter_map(|case| {
                            check(case, original, unedited)
                                .map(|problem| format!("{}: {problem}", case.name))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|_| vec!["a worker panicked".to_string()])
            })
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} edits got the wrong verdict:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn an_unchanged_spec_is_a_patch_with_no_changes() {
    let path = spec_path().unwrap_or_else(|error| panic!("{error}"));
    let spec = Spec::load(&path).unwrap_or_else(|error| panic!("{error}"));
    let surface = surface(&spec).unwrap_or_else(|error| panic!("{error}"));
    let verdict = semver::compare(&surface, &surface);
    assert_eq!(verdict.impact, Impact::Patch);
    assert!(verdict.changes.is_empty(), "{verdict}");
}
