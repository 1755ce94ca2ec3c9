//! The generated client against the mock: every entity type in both operation forms, and every
//! documented error status reaching the caller typed.

use seventime::{ApiError, Client, EntityType, Error, RetryPolicy, types};
use seventime_mock::{Faults, Fixtures, MockConfig, RunningMock};

const KEY: &str = "e2e-key-31c9";

async fn mock(configure: impl FnOnce(&mut MockConfig)) -> RunningMock {
    let mut config = MockConfig::new(KEY);
    config.rate_limit = None;
    configure(&mut config);
    seventime_mock::start(config).await.unwrap()
}

/// One attempt per request, unpaced: these tests look at what each status becomes.
fn client(mock: &RunningMock, key: &str) -> Client {
    Client::builder()
        .base_url(mock.url())
        .api_key(key)
        .retry(RetryPolicy::none())
        .without_rate_limit()
        .build()
        .unwrap()
}

/// Both forms, for one entity type: the query form and the path form.
async fn both_forms(
    client: &Client,
    entity: EntityType,
) -> [Result<types::CustomFieldList, Error<types::Error>>; 2] {
    let query = client.list_custom_fields().entity_type(entity).send().await;
    let path = client.get_custom_fields().entity_type(entity).send().await;
    [query.map(|r| r.into_inner()), path.map(|r| r.into_inner())]
}

#[tokio::test]
async fn every_entity_type_in_both_forms() {
    let mock = mock(|_| {}).await;
    let client = client(&mock, KEY);
    let fixtures = Fixtures::builtin();
    for entity in EntityType::KNOWN {
        for outcome in both_forms(&client, *entity).await {
            match (fixtures.get(*entity), outcome) {
                (Some(expected), Ok(fields)) => assert_eq!(&fields, expected, "{entity:?}"),
                (None, Err(Error::ErrorResponse(body))) => {
                    assert_eq!(body.status(), 404, "{entity:?}");
                    assert!(
                        body.error_message
                            .as_deref()
                            .unwrap()
                            .contains(&entity.code().to_string())
                    );
                }
                (expected, outcome) => panic!("{entity:?}: expected {expected:?}, got {outcome:?}"),
            }
        }
    }
}

#[tokio::test]
async fn the_query_form_defaults_to_time_log() {
    let mock = mock(|_| {}).await;
    let fields = client(&mock, KEY)
        .list_custom_fields()
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(Some(&fields), Fixtures::builtin().get(EntityType::TimeLog));
}

#[tokio::test]
async fn an_undocumented_entity_type_is_400() {
    let mock = mock(|_| {}).await;
    let client = client(&mock, KEY);
    for outcome in both_forms(&client, EntityType::from(150)).await {
        let Err(Error::ErrorResponse(body)) = outcome else {
            panic!("expected 400, got {outcome:?}");
        };
        assert_eq!(body.status(), 400);
        assert_eq!(body.error_message.as_deref(), Some("Invalid entity type"));
    }
}

#[tokio::test]
async fn a_wrong_key_is_401_with_the_message() {
    let mock = mock(|_| {}).await;
    let client = client(&mock, "wrong-key");
    for outcome in both_forms(&client, EntityType::Invoice).await {
        let Err(Error::ErrorResponse(body)) = outcome else {
            panic!("expected 401, got {outcome:?}");
        };
        assert_eq!(body.status(), 401);
        assert_eq!(body.error_message.as_deref(), Some("Invalid client secret"));
    }
}

#[tokio::test]
async fn every_documented_error_status_reaches_the_caller_typed() {
    for status in [400u16, 401, 403, 404, 429, 500, 503] {
        let mock = mock(|config| {
            config.faults = Faults {
                status: Some(status),
                ..Faults::default()
            }
        })
        .await;
        let client = client(&mock, KEY);
        for outcome in both_forms(&client, EntityType::Invoice).await {
            let Err(Error::ErrorResponse(body)) = outcome else {
                panic!("{status}: expected the documented error body, got {outcome:?}");
            };
            assert_eq!(body.status(), status);
            assert_eq!(
                body.error_message.as_deref(),
                Some("Fault injected by seventime-mock")
            );
        }
    }
}

#[tokio::test]
async fn the_rate_limit_reaches_the_caller_as_429() {
    let mock = mock(|config| config.rate_limit = seventime_mock::DEFAULT_RATE_LIMIT.into()).await;
    let client = client(&mock, KEY);
    let mut limited = None;
    for _ in 0..12 {
        if let Err(Error::ErrorResponse(body)) = client
            .list_custom_fields()
            .entity_type(EntityType::Invoice)
            .send()
            .await
        {
            limited = Some(body);
            break;
        }
    }
    let body = limited.expect("12 back-to-back requests exceed 4 per second");
    assert_eq!(body.status(), 429);
    assert!(body.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn a_burst_of_40_calls_with_the_default_limiter_meets_no_429() {
    // The mock enforces the documented 4 requests per second per key.
    let mock = mock(|config| config.rate_limit = Some(seventime_mock::DEFAULT_RATE_LIMIT)).await;
    // As shipped, except retries: a 429 must surface here, not be retried away.
    let client = Client::builder()
        .base_url(mock.url())
        .api_key(KEY)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let calls = (0..40).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .list_custom_fields()
                .entity_type(EntityType::Invoice)
                .send()
                .await
                .map_err(ApiError::from)
        })
    });
    let mut rate_limited = 0;
    for call in calls.collect::<Vec<_>>() {
        match call.await.unwrap() {
            Ok(_) => {}
            Err(ApiError::RateLimited { .. }) => rate_limited += 1,
            Err(other) => panic!("{other}"),
        }
    }
    assert_eq!(rate_limited, 0);
}

#[tokio::test]
async fn the_default_client_rides_out_the_rate_limit_with_retries() {
    let mock = mock(|config| config.rate_limit = std::num::NonZeroU32::new(2)).await;
    // Pacing off, retries on: the service's 429 + Retry-After is what slows it down.
    let client = Client::builder()
        .base_url(mock.url())
        .api_key(KEY)
        .without_rate_limit()
        .build()
        .unwrap();
    for _ in 0..6 {
        client
            .list_custom_fields()
            .entity_type(EntityType::Invoice)
            .send()
            .await
            .unwrap();
    }
}
