//! The contract between the mock and the spec: every response the mock produces — each
//! operation, each status — validates against the schema `openapi/seventime.yaml` gives for it.
//! Every operation of the catalog is covered, not only the custom-fields ones. The schemas are
//! read from the spec at test time, so the mock cannot drift from it.

use jsonschema::Validator;
use serde_json::{Value, json};
use seventime::EntityType;
use seventime::paths::{GET_CUSTOM_FIELDS as PATH, LIST_CUSTOM_FIELDS as QUERY};
use seventime_mock::{Faults, MockConfig, RunningMock};
use seventime_test_support::{KEY, raw_get};

/// The spec as JSON.
fn spec() -> Value {
    seventime_codegen::Spec::load(
        seventime_codegen::spec_path().unwrap_or_else(|error| panic!("{error}")),
    )
    .unwrap_or_else(|error| panic!("{error}"))
    .document()
    .clone()
}

/// Follows a local `$ref` (if any) to its target.
fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => spec
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("unresolved {reference}")),
        None => node,
    }
}

/// The spec's response object for `path` (a key of `paths`) and `status`.
fn response<'a>(spec: &'a Value, path: &str, status: u16) -> &'a Value {
    let operation = &spec["paths"][path]["get"];
    let response = operation["responses"]
        .get(status.to_string())
        .unwrap_or_else(|| panic!("the spec documents no {status} for GET {path}"));
    resolve(spec, response)
}

/// A validator for the JSON body of `path`/`status`, resolving `#/components/...` references
/// against the spec itself.
fn validator(spec: &Value, path: &str, status: u16) -> Validator {
    let schema = &response(spec, path, status)["content"]["application/json"]["schema"];
    let mut root = schema.clone();
    root["components"] = spec["components"].clone();
    nullable_as_json_schema(&mut root);
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&root)
        .unwrap_or_else(|error| {
            panic!("the spec's schema for {status} on {path} is invalid: {error}")
        })
}

/// OpenAPI 3.0's `nullable: true` beside `type: T` is JSON Schema's `type: [T, "null"]`; the
/// validator knows only the latter.
fn nullable_as_json_schema(node: &mut Value) {
    match node {
        Value::Object(fields) => {
            if fields.get("nullable") == Some(&Value::Bool(true))
                && let Some(Value::String(kind)) = fields.get("type")
            {
                let kind = kind.clone();
                fields.insert("type".into(), json!([kind, "null"]));
            }
            fields.values_mut().for_each(nullable_as_json_schema);
        }
        Value::Array(items) => items.iter_mut().for_each(nullable_as_json_schema),
        _ => {}
    }
}

struct Observed {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

async fn fetch(mock: &RunningMock, url_path: &str, key: Option<&str>) -> Observed {
    let raw = raw_get(mock, url_path, key).await;
    let content_type = raw.headers[reqwest::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        content_type.starts_with("application/json"),
        "{url_path}: {content_type}"
    );
    let body = serde_json::from_str(&raw.body)
        .unwrap_or_else(|error| panic!("{url_path}: the body is not JSON ({error}): {}", raw.body));
    Observed {
        status: raw.status,
        headers: raw.headers,
        body,
    }
}

/// Checks an observed response against the spec for both operation paths.
#[track_caller]
fn assert_conforms(spec: &Value, spec_path: &str, observed: &Observed, url_path: &str) {
    let validator = validator(spec, spec_path, observed.status);
    // One line per distinct problem: the same one in every record of a list is one problem.
    let errors: std::collections::BTreeSet<String> = validator
        .iter_errors(&observed.body)
        .map(|error| {
            let at = error.instance_path().to_string();
            let at = at
                .split('/')
                .map(|step| {
                    if step.parse::<usize>().is_ok() {
                        "*"
                    } else {
                        step
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            format!("{error} at {at}")
        })
        .collect();
    assert!(
        errors.is_empty(),
        "{url_path} answered {} with a body the spec does not allow: {errors:#?}",
        observed.status,
    );
    if let Some(headers) = response(spec, spec_path, observed.status).get("headers") {
        for name in headers.as_object().unwrap().keys() {
            assert!(
                observed.headers.contains_key(name.as_str()),
                "{url_path} answered {} without the documented {name} header",
                observed.status
            );
        }
    }
}

/// The query form's URL for entity type `code`.
fn query_url(code: &str) -> String {
    format!("{QUERY}?entityType={code}")
}

/// The path form's URL for entity type `code`.
fn path_url(code: &str) -> String {
    PATH.replace("{entityType}", code)
}

async fn started(configure: impl FnOnce(&mut MockConfig)) -> RunningMock {
    seventime_test_support::mock(configure).await
}

#[tokio::test]
async fn every_success_conforms() {
    let spec = spec();
    let mock = started(|_| {}).await;
    let mut successes = 0;
    for entity in EntityType::KNOWN {
        let code = entity.code();
        for (spec_path, url_path) in [
            (QUERY, query_url(&code.to_string())),
            (PATH, path_url(&code.to_string())),
        ] {
            let observed = fetch(&mock, &url_path, Some(KEY)).await;
            successes += usize::from(observed.status == 200);
            assert_conforms(&spec, spec_path, &observed, &url_path);
        }
    }
    assert!(successes >= 10, "only {successes} successes were checked");
    let observed = fetch(&mock, QUERY, Some(KEY)).await;
    assert_eq!(observed.status, 200);
    assert_conforms(&spec, QUERY, &observed, QUERY);
}

#[tokio::test]
async fn every_error_the_mock_makes_by_itself_conforms() {
    let spec = spec();
    let mock = started(|_| {}).await;
    for (url_path, key, spec_path, status) in [
        (path_url("400"), None, PATH, 401),
        (path_url("400"), Some("wrong"), PATH, 401),
        (query_url("400"), None, QUERY, 401),
        (path_url("150"), Some(KEY), PATH, 400),
        (query_url("x"), Some(KEY), QUERY, 400),
        (path_url("600"), Some(KEY), PATH, 404),
        (query_url("600"), Some(KEY), QUERY, 404),
    ] {
        let observed = fetch(&mock, &url_path, key).await;
        assert_eq!(observed.status, status, "{url_path}");
        assert_conforms(&spec, spec_path, &observed, &url_path);
    }
}

#[tokio::test]
async fn the_rate_limit_response_conforms() {
    let spec = spec();
    let mock = started(|config| config.rate_limit = std::num::NonZeroU32::new(1)).await;
    let url_path = path_url("400");
    let mut observed = fetch(&mock, &url_path, Some(KEY)).await;
    for _ in 0..5 {
        if observed.status == 429 {
            break;
        }
        observed = fetch(&mock, &url_path, Some(KEY)).await;
    }
    assert_eq!(observed.status, 429);
    assert_conforms(&spec, PATH, &observed, &url_path);
}

#[tokio::test]
async fn every_documented_status_conforms() {
    let spec = spec();
    for status in [400u16, 401, 403, 404, 429, 500, 503] {
        let mock = started(|config| {
            config.faults = Faults {
                status: Some(status),
                ..Faults::default()
            }
        })
        .await;
        for (spec_path, url_path) in [(QUERY, query_url("400")), (PATH, path_url("400"))] {
            let observed = fetch(&mock, &url_path, Some(KEY)).await;
            assert_eq!(observed.status, status);
            assert_conforms(&spec, spec_path, &observed, &url_path);
        }
    }
}

#[test]
fn the_validator_rejects_what_the_spec_forbids() {
    // Guards the test itself: a validator that accepted anything would make the others vacuous.
    let spec = spec();
    let fields = validator(&spec, PATH, 200);
    assert!(fields.is_valid(&json!({"data": [{"_id": "a", "extra": true}]})));
    assert!(!fields.is_valid(&json!({"data": [{"fieldName": "no id"}]})));
    assert!(!fields.is_valid(&json!({"data": [{"_id": 7}]})));
    assert!(!fields.is_valid(&json!({"data": [{"_id": "a", "fieldType": "text"}]})));
    assert!(!fields.is_valid(&json!({"fields": []})));
    let customers = validator(&spec, seventime::paths::LIST_CUSTOMERS, 200);
    let customer = |price_list: Value| {
        json!({"meta": {"totalResources": 1, "totalPages": 1, "currentPage": 1},
               "data": [{"_id": "a", "billingSettings": {"priceList": price_list}}]})
    };
    assert!(
        customers.is_valid(&customer(json!(null))),
        "nullable allows null"
    );
    assert!(customers.is_valid(&customer(json!("57bc"))));
    assert!(!customers.is_valid(&customer(json!(7))));
    let error = validator(&spec, PATH, 404);
    assert!(error.is_valid(&json!({"errorMessage": "x", "more": 1})));
    assert!(!error.is_valid(&json!({"errorMessage": 404})));
}

/// A query that satisfies an operation's required filters, with `extra` appended.
fn list_url(operation: &seventime::catalog::Operation, extra: &str) -> String {
    let mut pairs: Vec<String> = operation
        .parameters
        .iter()
        .filter(|parameter| parameter.required)
        .map(|parameter| format!("{}=x", parameter.name))
        .collect();
    if !extra.is_empty() {
        pairs.push(extra.to_string());
    }
    if pairs.is_empty() {
        operation.path.to_string()
    } else {
        format!("{}?{}", operation.path, pairs.join("&"))
    }
}

/// The statuses (besides 200) the spec documents for the GET at `path`.
fn documented_errors(spec: &Value, path: &str) -> Vec<u16> {
    spec["paths"][path]["get"]["responses"]
        .as_object()
        .unwrap()
        .keys()
        .filter_map(|status| status.parse().ok())
        .filter(|&status| status != 200)
        .collect()
}

#[tokio::test]
async fn every_resource_operation_conforms_on_success_and_on_each_error_it_makes() {
    let spec = spec();
    let mock = started(|_| {}).await;
    let fixtures = seventime_mock::Fixtures::builtin();
    let mut checked = 0;
    for resource in seventime::catalog::resources() {
        let list = &resource.list;
        let url = list_url(list, "");
        let observed = fetch(&mock, &url, Some(KEY)).await;
        assert_eq!(observed.status, 200, "{url}: {}", observed.body);
        assert_conforms(&spec, list.path, &observed, &url);

        // Invalid parameters: an out-of-range page size where the list pages, an unknown
        // parameter everywhere.
        let mut bad = vec![list_url(list, "noSuchParameter=1")];
        if list.paginated {
            bad.push(list_url(list, "limit=0"));
            bad.push(list_url(list, "page=zero"));
        }
        for url in bad {
            let observed = fetch(&mock, &url, Some(KEY)).await;
            assert_eq!(observed.status, 400, "{url}: {}", observed.body);
            assert_conforms(&spec, list.path, &observed, &url);
        }
        let observed = fetch(&mock, &list_url(list, ""), None).await;
        assert_eq!(observed.status, 401);
        assert_conforms(&spec, list.path, &observed, list.path);
        checked += 1;

        let Some(get) = &resource.get else { continue };
        let records = fixtures.records(resource.name);
        let id = records[0]["_id"].as_str().unwrap();
        for (id, status) in [(id, 200), ("ffffffffffffffffffffffff", 404)] {
            let url = get.path.replace("{id}", id);
            let observed = fetch(&mock, &url, Some(KEY)).await;
            assert_eq!(observed.status, status, "{url}: {}", observed.body);
            assert_conforms(&spec, get.path, &observed, &url);
        }
        let url = get.path.replace("{id}", id);
        let observed = fetch(&mock, &url, None).await;
        assert_eq!(observed.status, 401);
        assert_conforms(&spec, get.path, &observed, &url);
        checked += 1;
    }
    assert!(checked >= 60, "only {checked} operations were checked");
}

#[tokio::test]
async fn every_resource_operation_conforms_for_every_status_its_spec_documents() {
    let spec = spec();
    let fixtures = seventime_mock::Fixtures::builtin();
    let mut operations = Vec::new();
    for resource in seventime::catalog::resources() {
        operations.push((resource.list.path, list_url(&resource.list, "")));
        if let Some(get) = &resource.get {
            let records = fixtures.records(resource.name);
            let id = records[0]["_id"].as_str().unwrap();
            operations.push((get.path, get.path.replace("{id}", id)));
        }
    }
    for status in [400u16, 401, 403, 404, 429, 500, 503] {
        let mock = started(|config| {
            config.faults = Faults {
                status: Some(status),
                ..Faults::default()
            }
        })
        .await;
        for (spec_path, url) in &operations {
            // The mock makes 400, 401 and 429 by itself for every operation: the spec must
            // document them.
            let documented = documented_errors(&spec, spec_path);
            if [400, 401, 429].contains(&status) {
                assert!(documented.contains(&status), "{spec_path} lacks {status}");
            }
            if !documented.contains(&status) {
                continue;
            }
            let observed = fetch(&mock, url, Some(KEY)).await;
            assert_eq!(observed.status, status, "{url}");
            assert_conforms(&spec, spec_path, &observed, url);
        }
    }
}
