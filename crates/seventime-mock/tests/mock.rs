//! The mock over real HTTP on 127.0.0.1: what it answers, and that it answers in JSON.
//!
//! Here the custom-field endpoints, keys, routes and the server itself; the rate limit and
//! faults, fixture files and the record resources have test files of their own (`faults.rs`,
//! `fixtures.rs`, `records.rs`), sharing `common/mod.rs`.

mod common;

use seventime::{EntityType, types};
use seventime_mock::Fixtures;

use common::{error_message, get, mock};
use seventime_test_support::KEY;

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
async fn shutdown_stops_the_server() {
    let mock = mock().await;
    let url = format!("{}/api/2/customFields/400", mock.url());
    mock.shutdown().await;
    let error = reqwest::Client::new().get(url).send().await.unwrap_err();
    assert!(error.is_connect(), "{error}");
}

#[test]
fn generated_keys_are_random_and_header_safe() {
    let first = seventime_mock::generate_api_key().unwrap();
    let second = seventime_mock::generate_api_key().unwrap();
    assert_ne!(first, second);
    assert_eq!(first.len(), "mock-".len() + 32);
    assert!(seventime::ApiKey::new(first).is_ok());
}
