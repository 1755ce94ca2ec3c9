//! The mock over real HTTP on 127.0.0.1: what it answers, and that it answers in JSON.

use std::num::NonZeroU32;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use seventime::{EntityType, FieldType, types};
use seventime_mock::{Faults, Fixtures, MockConfig, RunningMock, start};

use seventime_test_support::{KEY, raw_get};

async fn mock_with(config: MockConfig) -> RunningMock {
    start(config).await.expect("binds 127.0.0.1:0")
}

async fn mock() -> RunningMock {
    seventime_test_support::mock(|_| {}).await
}

async fn get(
    mock: &RunningMock,
    path: &str,
    key: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, String) {
    let raw = raw_get(mock, path, key).await;
    (raw.status, raw.headers, raw.body)
}

fn error_message(body: &str) -> String {
    let error: types::Error = serde_json::from_str(body).expect("errors are JSON types::Error");
    error.error_message.expect("errors carry errorMessage")
}

#[tokio::test]
async fn serves_both_forms_from_the_fixtures() {
    let mock = mock().await;
    let builtin = Fixtures::builtin();
    for (path, entity) in [
        ("/api/2/customFields/?entityType=400", EntityType::Invoice),
        ("/api/2/customFields/400", EntityType::Invoice),
        ("/api/2/customFields/1100", EntityType::Customer),
        // The documented default of the query form.
        ("/api/2/customFields/", EntityType::TimeLog),
    ] {
        let (status, headers, body) = get(&mock, path, Some(KEY)).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
        let list: types::CustomFieldList = serde_json::from_str(&body).unwrap();
        assert_eq!(Some(&list), builtin.get(entity), "{path}");
    }
}

#[tokio::test]
async fn builtin_data_covers_the_documented_shapes() {
    let builtin = Fixtures::builtin();
    let entities: Vec<EntityType> = builtin.entity_types().collect();
    for required in [
        EntityType::TimeLog,
        EntityType::WorkOrder,
        EntityType::Invoice,
        EntityType::Project,
        EntityType::Customer,
    ] {
        assert!(entities.contains(&required), "{required:?} missing");
    }
    let fields: Vec<&types::CustomField> = entities
        .iter()
        .flat_map(|e| &builtin.get(*e).unwrap().data)
        .collect();
    for custom in FieldType::KNOWN {
        assert!(
            fields.iter().any(|f| f.field_type == Some(*custom)),
            "no {custom:?} field"
        );
    }
    assert!(
        fields
            .iter()
            .any(|f| matches!(f.field_type, Some(FieldType::Unknown(_))))
    );
    assert!(
        fields
            .iter()
            .any(|f| f.select_field_data.as_ref().is_some_and(|c| !c.is_empty()))
    );
    assert!(
        fields
            .iter()
            .any(|f| f.extra.contains_key("quoteCategoryName"))
    );
    assert!(
        fields
            .iter()
            .any(|f| f.field_name.as_deref().is_some_and(|n| n.contains('ö')))
    );
}

#[tokio::test]
async fn a_missing_or_wrong_key_is_401_with_a_message() {
    let mock = mock().await;
    let (status, _, body) = get(&mock, "/api/2/customFields/400", None).await;
    assert_eq!(
        (status, error_message(&body).as_str()),
        (401, "Missing Client-Secret header")
    );
    for wrong in ["mock-test-kez", "mock-test-key-longer", ""] {
        let (status, _, body) = get(&mock, "/api/2/customFields/400", Some(wrong)).await;
        assert_eq!(
            (status, error_message(&body).as_str()),
            (401, "Invalid client secret"),
            "{wrong:?}"
        );
    }
}

#[tokio::test]
async fn entity_types_outside_the_table_are_400() {
    let mock = mock().await;
    for path in [
        "/api/2/customFields/150",
        "/api/2/customFields/invoice",
        "/api/2/customFields/%FF",
        "/api/2/customFields/99999999999999",
        "/api/2/customFields/?entityType=abc",
        "/api/2/customFields/?entityType=2200",
    ] {
        let (status, _, body) = get(&mock, path, Some(KEY)).await;
        assert_eq!(
            (status, error_message(&body).as_str()),
            (400, "Invalid entity type"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn entity_types_without_a_configuration_are_404() {
    let mock = mock().await;
    let (status, _, body) = get(&mock, "/api/2/customFields/600", Some(KEY)).await;
    assert_eq!(status, 404);
    assert_eq!(
        error_message(&body),
        "No field configuration for entity type 600 (Expense)"
    );
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_json() {
    let mock = mock().await;
    for path in [
        "/",
        "/api/2/customFields",
        "/api/2/customFields/400/extra",
        "/api/3/customFields/",
    ] {
        let (status, _, body) = get(&mock, path, Some(KEY)).await;
        assert_eq!(status, 404, "{path}");
        assert!(
            error_message(&body).starts_with("No endpoint GET "),
            "{path}"
        );
    }
    let client = reqwest::Client::new();
    for method in [
        reqwest::Method::POST,
        reqwest::Method::DELETE,
        reqwest::Method::PATCH,
    ] {
        let response = client
            .request(
                method.clone(),
                format!("{}/api/2/customFields/", mock.url()),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405, "{method}");
        assert_eq!(response.headers()["allow"], "GET, HEAD");
        assert!(error_message(&response.text().await.unwrap()).contains("read-only"));
    }
}

#[tokio::test]
async fn a_huge_header_does_not_bring_the_server_down() {
    let mock = mock().await;
    let response = reqwest::Client::new()
        .get(format!("{}/api/2/customFields/400", mock.url()))
        .header(seventime::API_KEY_HEADER, KEY)
        .header("X-Padding", "x".repeat(1 << 20))
        .send()
        .await;
    // hyper refuses the request before it reaches the mock (431, or a closed connection).
    if let Ok(response) = response {
        assert!(response.status().is_client_error());
    }
    let (status, _, _) = get(&mock, "/api/2/customFields/400", Some(KEY)).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after() {
    let mut config = MockConfig::new(KEY);
    config.rate_limit = Some(NonZeroU32::new(2).unwrap());
    let mock = mock_with(config).await;
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for _ in 0..5 {
        let (status, headers, body) = get(&mock, "/api/2/customFields/400", Some(KEY)).await;
        if status == 429 {
            assert_eq!(error_message(&body), "Too many requests");
            retry_after = headers.get("retry-after").cloned();
        }
        statuses.push(status);
    }
    // A burst of 2 is allowed at once; of 5 back-to-back requests, at least the last ones are
    // refused (some may pass as the bucket refills at 2 per second).
    assert_eq!(&statuses[..2], [200, 200]);
    assert!(statuses.contains(&429), "{statuses:?}");
    let seconds: u64 = retry_after.unwrap().to_str().unwrap().parse().unwrap();
    assert!(seconds >= 1);
}

#[tokio::test]
async fn without_a_rate_limit_bursts_pass() {
    let mock = mock().await;
    for _ in 0..20 {
        assert_eq!(
            get(&mock, "/api/2/customFields/400", Some(KEY)).await.0,
            200
        );
    }
}

#[tokio::test]
async fn faults_force_a_status_or_break_the_body() {
    let mut config = MockConfig::new(KEY);
    config.faults = Faults {
        status: Some(503),
        ..Faults::default()
    };
    let mock = mock_with(config).await;
    let (status, _, body) = get(&mock, "/api/2/customFields/400", Some(KEY)).await;
    assert_eq!(status, 503);
    assert_eq!(error_message(&body), "Fault injected by seventime-mock");

    let mut config = MockConfig::new(KEY);
    config.faults = Faults {
        malformed_body: true,
        ..Faults::default()
    };
    let mock = mock_with(config).await;
    let (status, _, body) = get(&mock, "/api/2/customFields/400", Some(KEY)).await;
    assert_eq!(status, 200);
    assert!(serde_json::from_str::<Value>(&body).is_err(), "{body}");
}

#[tokio::test]
async fn latency_makes_a_short_client_timeout_expire() {
    let mut config = MockConfig::new(KEY);
    config.faults = Faults {
        latency: Some(Duration::from_secs(5)),
        ..Faults::default()
    };
    let mock = mock_with(config).await;
    let error = reqwest::Client::new()
        .get(format!("{}/api/2/customFields/400", mock.url()))
        .header(seventime::API_KEY_HEADER, KEY)
        .timeout(Duration::from_millis(200))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error}");
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let mock = mock().await;
    let url = format!("{}/api/2/customFields/400", mock.url());
    mock.shutdown().await;
    let error = reqwest::Client::new().get(url).send().await.unwrap_err();
    assert!(error.is_connect(), "{error}");
}

#[test]
fn fixture_files_with_problems_name_the_file_and_the_problem() {
    let path = Path::new("fixtures.json");
    let error = Fixtures::parse(path, "{ \"400\": [ { \"fieldName\": \"x\" } ] }").unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with("fixtures fixtures.json: missing field `_id`"),
        "{message}"
    );

    let error = Fixtures::parse(path, "{ \"invoices\": [] }").unwrap_err();
    assert!(
        error
            .to_string()
            .contains("key `invoices`: `invoices` is not a known entity type"),
        "{error}"
    );
    assert!(error.to_string().contains("payment-plan"), "{error}");

    let error = Fixtures::parse(path, "{ \"400\": [], \"invoice\": [] }").unwrap_err();
    assert!(
        error.to_string().contains("entity type 400 is given twice"),
        "{error}"
    );

    let error = Fixtures::parse(path, "[1, 2").unwrap_err();
    assert!(
        error.to_string().starts_with("fixtures fixtures.json: "),
        "{error}"
    );

    let error = Fixtures::from_path("/nonexistent/fixtures.json").unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("cannot read fixtures /nonexistent/fixtures.json: "),
        "{error}"
    );
}

#[test]
fn fixture_files_accept_codes_and_names() {
    let fixtures = Fixtures::parse(
        Path::new("f.json"),
        r#"{ "invoice": [ { "_id": "a", "custom": 1 } ], "1100": [] }"#,
    )
    .unwrap();
    let invoice = fixtures.get(EntityType::Invoice).unwrap();
    assert_eq!(invoice.data[0].extra["custom"], 1);
    assert_eq!(fixtures.get(EntityType::Customer).unwrap().data.len(), 0);
    assert!(fixtures.get(EntityType::TimeLog).is_none());
}

#[test]
fn generated_keys_are_random_and_header_safe() {
    let first = seventime_mock::generate_api_key().unwrap();
    let second = seventime_mock::generate_api_key().unwrap();
    assert_ne!(first, second);
    assert_eq!(first.len(), "mock-".len() + 32);
    assert!(seventime::ApiKey::new(first).is_ok());
}

/// A list request's body as JSON, asserting it succeeded.
async fn list(mock: &RunningMock, path: &str) -> Value {
    let (status, _, body) = get(mock, path, Some(KEY)).await;
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn names(body: &Value) -> Vec<&str> {
    body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|record| record["name"].as_str().unwrap_or("-"))
        .collect()
}

#[tokio::test]
async fn lists_page_with_limit_and_page_and_count_in_meta() {
    let mut config = MockConfig::new(KEY);
    config.rate_limit = None;
    config.fixtures = Fixtures::builtin().with_records(23);
    let mock = mock_with(config).await;
    let first = list(&mock, "/api/2/customers?limit=10").await;
    assert_eq!(
        first["meta"],
        serde_json::json!({"totalResources": 23, "totalPages": 3, "currentPage": 1})
    );
    assert_eq!(first["data"].as_array().unwrap().len(), 10);
    let last = list(&mock, "/api/2/customers?limit=10&page=3").await;
    assert_eq!(last["data"].as_array().unwrap().len(), 3);
    assert_eq!(last["meta"]["currentPage"], 3);
    let past = list(&mock, "/api/2/customers?limit=10&page=4").await;
    assert_eq!(past["data"], serde_json::json!([]));
    // The documented default page size is 100.
    let default = list(&mock, "/api/2/customers").await;
    assert_eq!(default["meta"]["totalPages"], 1);
    assert_eq!(default["data"].as_array().unwrap().len(), 23);
}

#[tokio::test]
async fn text_filters_match_anywhere_ignoring_case() {
    let mock = mock().await;
    let body = list(&mock, "/api/2/customers?name=KARIN&limit=500").await;
    let found = names(&body);
    assert!(!found.is_empty());
    assert!(found.iter().all(|name| name.contains("Karin")), "{found:?}");
    let expected = Fixtures::builtin()
        .records("customers")
        .iter()
        .filter(|r| r["name"].as_str().unwrap().to_lowercase().contains("karin"))
        .count();
    assert_eq!(found.len(), expected);
    assert_eq!(body["meta"]["totalResources"], expected);

    let none = list(&mock, "/api/2/customers?city=Uppsala").await;
    assert_eq!(none["data"], serde_json::json!([]));
    assert_eq!(none["meta"]["totalPages"], 0);
}

#[tokio::test]
async fn last_modified_keeps_records_changed_at_or_after_the_moment() {
    let mock = mock().await;
    let body = list(
        &mock,
        "/api/2/customers?lastModified=2024-01-02%2007:13&limit=500",
    )
    .await;
    let dates: Vec<&str> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["modifiedDate"].as_str().unwrap())
        .collect();
    assert!(!dates.is_empty());
    assert!(dates.iter().all(|d| *d >= "2024-01-02T07:13"), "{dates:?}");
    assert!(
        dates.contains(&"2024-01-02T07:13:00.000Z"),
        "at the moment is included"
    );
    let (status, _, body) = get(&mock, "/api/2/customers?lastModified=yesterday", Some(KEY)).await;
    assert_eq!(status, 400);
    assert!(error_message(&body).contains("lastModified"), "{body}");
}

#[tokio::test]
async fn sort_by_orders_both_ways_and_sort_direction_alone_changes_nothing() {
    let mock = mock().await;
    let numbers = |body: &Value| -> Vec<String> {
        body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["customerNumber"].as_str().unwrap().to_string())
            .collect()
    };
    let up = numbers(&list(&mock, "/api/2/customers?sortBy=customerNumber&limit=500").await);
    let mut sorted = up.clone();
    sorted.sort();
    assert_eq!(up, sorted);
    let down = numbers(
        &list(
            &mock,
            "/api/2/customers?sortBy=customerNumber&sortDirection=descending&limit=500",
        )
        .await,
    );
    sorted.reverse();
    assert_eq!(down, sorted);
    let stored = numbers(&list(&mock, "/api/2/customers?limit=500").await);
    let direction_only =
        numbers(&list(&mock, "/api/2/customers?sortDirection=descending&limit=500").await);
    assert_eq!(stored, direction_only);
}

#[tokio::test]
async fn invalid_list_parameters_are_400_naming_the_parameter() {
    let mock = mock().await;
    for (query, named) in [
        ("/api/2/customers?limit=0", "limit"),
        ("/api/2/customers?limit=501", "limit"),
        ("/api/2/customers?page=0", "page"),
        ("/api/2/customers?page=two", "page"),
        ("/api/2/customers?colour=red", "colour"),
        ("/api/2/customers?sortDirection=up", "sortDirection"),
        ("/api/2/supplementOrders/", "project"),
    ] {
        let (status, _, body) = get(&mock, query, Some(KEY)).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert!(error_message(&body).contains(named), "{query}: {body}");
    }
}

#[tokio::test]
async fn get_by_id_finds_each_record_and_404s_an_unknown_one() {
    let mock = mock().await;
    let fixtures = Fixtures::builtin();
    for record in fixtures.records("projects").iter().take(5) {
        let id = record["_id"].as_str().unwrap();
        let (status, _, body) = get(&mock, &format!("/api/2/projects/{id}"), Some(KEY)).await;
        assert_eq!(status, 200, "{body}");
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(&body["data"], record);
    }
    let (status, _, body) = get(&mock, "/api/2/projects/5bb2683d3a0f0000", Some(KEY)).await;
    assert_eq!(status, 404);
    assert!(error_message(&body).contains("5bb2683d3a0f0000"), "{body}");
}

#[tokio::test]
async fn fixture_files_replace_the_records_they_name() {
    let fixtures = Fixtures::parse(
        Path::new("f.json"),
        r#"{ "records": { "customers": [ { "_id": "c1", "name": "Only One", "vendorOnly": [1] } ] } }"#,
    )
    .unwrap();
    assert_eq!(fixtures.records("customers").len(), 1);
    assert_eq!(
        fixtures.records("projects").len(),
        Fixtures::builtin().records("projects").len()
    );
    let mut config = MockConfig::new(KEY);
    config.rate_limit = None;
    config.fixtures = fixtures;
    let mock = mock_with(config).await;
    let body = list(&mock, "/api/2/customers").await;
    assert_eq!(names(&body), ["Only One"]);
    assert_eq!(
        body["data"][0]["vendorOnly"],
        serde_json::json!([1]),
        "kept as written"
    );
}

#[test]
fn fixture_records_that_do_not_fit_their_type_name_the_resource_and_record() {
    let path = Path::new("f.json");
    let error = Fixtures::parse(path, r#"{ "records": { "customers": [ { "_id": 5 } ] } }"#)
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("fixtures f.json: "), "{error}");
    assert!(error.contains("customers"), "{error}");
    let error = Fixtures::parse(path, r#"{ "records": { "clients": [] } }"#)
        .unwrap_err()
        .to_string();
    assert!(error.contains("clients"), "{error}");
    assert!(error.contains("customers"), "lists the resources: {error}");
    let error = Fixtures::parse(path, r#"{ "records": {}, "extra": 1 }"#)
        .unwrap_err()
        .to_string();
    assert!(error.contains("unknown key `extra`"), "{error}");
}
