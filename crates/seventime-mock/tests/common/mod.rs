//! Mocks on 127.0.0.1 and requests to them, for the mock's test files.

// Every test file compiles its own copy of this module and uses only part of it.
#![allow(dead_code)]

use serde_json::Value;
use seventime::types;
use seventime_mock::{MockConfig, RunningMock, start};

use seventime_test_support::{KEY, raw_get};

pub(crate) async fn mock_with(config: MockConfig) -> RunningMock {
    start(config).await.expect("binds 127.0.0.1:0")
}

pub(crate) async fn mock() -> RunningMock {
    seventime_test_support::mock(|_| {}).await
}

pub(crate) async fn get(
    mock: &RunningMock,
    path: &str,
    key: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, String) {
    let raw = raw_get(mock, path, key).await;
    (raw.status, raw.headers, raw.body)
}

pub(crate) fn error_message(body: &str) -> String {
    let error: types::Error = serde_json::from_str(body).expect("errors are JSON types::Error");
    error.error_message.expect("errors carry errorMessage")
}

/// A list request's body as JSON, asserting it succeeded.
pub(crate) async fn list(mock: &RunningMock, path: &str) -> Value {
    let (status, _, body) = get(mock, path, Some(KEY)).await;
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

pub(crate) fn names(body: &Value) -> Vec<&str> {
    body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|record| record["name"].as_str().unwrap_or("-"))
        .collect()
}
