//! The mock's rate limit and injected faults, over real HTTP on 127.0.0.1.

mod common;

use std::num::NonZeroU32;
use std::time::Duration;

use serde_json::Value;
use seventime_mock::{Faults, MockConfig};

use common::{error_message, get, mock, mock_with};
use seventime_test_support::KEY;

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
