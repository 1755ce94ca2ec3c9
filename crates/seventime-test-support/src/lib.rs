//! Setup shared by the workspace's tests (the end-to-end tests, the CLI's and the mock's): start
//! the mock, build a client for it, send a raw request, know which records the mock serves.
//! Each test file used to rewrite these; here they are written once, from the crates' own
//! constants (the key header, the defaults), never from retyped facts. [`databases`] gives
//! the mirror's tests a SQLite file or a PostgreSQL database each.

pub mod databases;

use std::time::Duration;

use seventime::{Client, ClientBuilder, RetryPolicy};
use seventime_mock::{Fixtures, MockConfig, RunningMock};

/// The API key every test mock accepts.
pub const KEY: &str = "test-key-5f3a91";

/// A mock configuration with [`KEY`], the built-in data and no rate limit (tests of pacing set
/// one).
pub fn mock_config() -> MockConfig {
    let mut config = MockConfig::new(KEY);
    config.rate_limit = None;
    config
}

/// Starts a mock from [`mock_config`] changed by `configure`.
pub async fn mock(configure: impl FnOnce(&mut MockConfig)) -> RunningMock {
    let mut config = mock_config();
    configure(&mut config);
    start(config).await
}

/// Starts a mock whose paginated lists hold exactly `records` records.
pub async fn mock_with_records(
    records: usize,
    configure: impl FnOnce(&mut MockConfig),
) -> RunningMock {
    mock(|config| {
        config.fixtures = Fixtures::builtin().with_records(records);
        configure(config);
    })
    .await
}

/// Starts a mock from `config`, panicking with the reason when it cannot bind.
pub async fn start(config: MockConfig) -> RunningMock {
    seventime_mock::start(config)
        .await
        .unwrap_or_else(|error| panic!("the mock cannot start on 127.0.0.1: {error}"))
}

/// A builder for a client of `mock` with [`KEY`]: one attempt per request and no pacing, so that
/// a test sees each response as it is. Tests that exercise retries or the rate limit set them.
pub fn client_builder(mock: &RunningMock) -> ClientBuilder {
    Client::builder()
        .base_url(mock.url())
        .api_key(KEY)
        .retry(RetryPolicy::none())
        .without_rate_limit()
}

/// A client of `mock` as [`client_builder`] configures it.
pub fn client(mock: &RunningMock) -> Client {
    client_builder(mock)
        .build()
        .unwrap_or_else(|error| panic!("a client for the mock builds: {error}"))
}

/// Retries as the defaults do, but with a short first delay, so that tests of retrying run fast.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy::default().initial_delay(Duration::from_millis(5))
}

/// The ids of a resource's records in the order the mock serves them, with `records` records.
pub fn fixture_ids(records: usize, resource: &str) -> Vec<String> {
    Fixtures::builtin()
        .with_records(records)
        .records(resource)
        .iter()
        .map(|record| {
            record["_id"]
                .as_str()
                .unwrap_or_else(|| panic!("a {resource} record without a string `_id`: {record}"))
                .to_string()
        })
        .collect()
}

/// A response as it came over the wire.
#[derive(Debug)]
pub struct Raw {
    /// The status code.
    pub status: u16,
    /// The headers.
    pub headers: reqwest::header::HeaderMap,
    /// The body, as text.
    pub body: String,
}

/// Sends `GET {mock}{path_and_query}` without the client, with `key` in the API key header
/// (none when `None`).
pub async fn raw_get(mock: &RunningMock, path_and_query: &str, key: Option<&str>) -> Raw {
    let mut request = reqwest::Client::new().get(format!("{}{path_and_query}", mock.url()));
    if let Some(key) = key {
        request = request.header(seventime::API_KEY_HEADER, key);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|error| panic!("the mock answers {path_and_query}: {error}"));
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response
        .text()
        .await
        .unwrap_or_else(|error| panic!("the body of {path_and_query} arrives: {error}"));
    Raw {
        status,
        headers,
        body,
    }
}

/// A mock served on a runtime of its own, for tests that block (on a child process, say)
/// rather than run async. It shuts down when dropped.
pub struct BlockingMock {
    mock: Option<RunningMock>,
    runtime: tokio::runtime::Runtime,
}

impl BlockingMock {
    /// Starts a mock from [`mock_config`] changed by `configure`.
    pub fn start(configure: impl FnOnce(&mut MockConfig)) -> Self {
        let runtime = tokio::runtime::Runtime::new()
            .unwrap_or_else(|error| panic!("a tokio runtime starts: {error}"));
        let mock = runtime.block_on(mock(configure));
        Self {
            mock: Some(mock),
            runtime,
        }
    }

    /// The running mock.
    pub fn mock(&self) -> &RunningMock {
        self.mock.as_ref().expect("present until dropped")
    }

    /// The mock's base URL.
    pub fn url(&self) -> &str {
        self.mock().url()
    }
}

impl Drop for BlockingMock {
    fn drop(&mut self) {
        if let Some(mock) = self.mock.take() {
            self.runtime.block_on(mock.shutdown());
        }
    }
}
