//! The generated client against the mock: every entity type in both operation forms, and every
//! documented error status reaching the caller typed.

use seventime::{ApiError, Client, EntityType, ErrorResponse, types};
use seventime_mock::{Faults, Fixtures};
use seventime_test_support::{client, client_builder, mock};

/// Both forms, for one entity type: the query form and the path form.
async fn both_forms(
    client: &Client,
    entity: EntityType,
) -> [Result<types::CustomFieldList, ApiError>; 2] {
    let query = client.list_custom_fields().entity_type(entity).send().await;
    let path = client.get_custom_fields().entity_type(entity).send().await;
    [
        query.map(|r| r.into_inner()).map_err(ApiError::from),
        path.map(|r| r.into_inner()).map_err(ApiError::from),
    ]
}

/// The error response of `outcome`, which must be an error with a status.
#[track_caller]
fn response<T: std::fmt::Debug>(outcome: &Result<T, ApiError>) -> &ErrorResponse {
    match outcome {
        Err(error) => error
            .response()
            .unwrap_or_else(|| panic!("expected an error status, got {error}")),
        Ok(value) => panic!("expected an error status, got {value:?}"),
    }
}

#[tokio::test]
async fn every_entity_type_in_both_forms() {
    let mock = mock(|_| {}).await;
    let client = client(&mock);
    let fixtures = Fixtures::builtin();
    for entity in EntityType::KNOWN {
        for outcome in both_forms(&client, *entity).await {
            match (fixtures.get(*entity), outcome) {
                (Some(expected), Ok(fields)) => assert_eq!(&fields, expected, "{entity:?}"),
                (None, Err(ApiError::NotFound(response))) => {
                    assert_eq!(response.status, 404, "{entity:?}");
                    assert!(
                        response
                            .message()
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
    let fields = client(&mock)
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
    let client = client(&mock);
    for outcome in both_forms(&client, EntityType::from(150)).await {
        assert!(matches!(outcome, Err(ApiError::Api(_))), "{outcome:?}");
        let response = response(&outcome);
        assert_eq!(response.status, 400);
        assert_eq!(response.message(), Some("Invalid entity type"));
    }
}

#[tokio::test]
async fn a_wrong_key_is_401_with_the_message() {
    let mock = mock(|_| {}).await;
    let client = client_builder(&mock).api_key("wrong-key").build().unwrap();
    for outcome in both_forms(&client, EntityType::Invoice).await {
        assert!(
            matches!(outcome, Err(ApiError::Unauthorized(_))),
            "{outcome:?}"
        );
        let response = response(&outcome);
        assert_eq!(response.status, 401);
        assert_eq!(response.message(), Some("Invalid client secret"));
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
        let client = client(&mock);
        for outcome in both_forms(&client, EntityType::Invoice).await {
            let response = response(&outcome);
            assert_eq!(response.status, status);
            assert_eq!(response.message(), Some("Fault injected by seventime-mock"));
        }
    }
}

#[tokio::test]
async fn the_rate_limit_reaches_the_caller_as_429() {
    let mock = mock(|config| config.rate_limit = Some(seventime::defaults::RATE_LIMIT)).await;
    let client = client(&mock);
    let mut limited = None;
    for _ in 0..12 {
        let outcome = client
            .list_custom_fields()
            .entity_type(EntityType::Invoice)
            .send()
            .await
            .map_err(ApiError::from);
        if let Err(ApiError::RateLimited {
            response,
            retry_after,
        }) = outcome
        {
            limited = Some((response, retry_after));
            break;
        }
    }
    let (response, retry_after) = limited.expect("12 back-to-back requests exceed 4 per second");
    assert_eq!(response.status, 429);
    assert!(response.headers.contains_key("retry-after"));
    assert!(retry_after.is_some());
}

#[tokio::test]
async fn a_burst_of_40_calls_with_the_default_limiter_meets_no_429() {
    // The mock enforces the documented 4 requests per second per key.
    let mock = mock(|config| config.rate_limit = Some(seventime::defaults::RATE_LIMIT)).await;
    // As shipped, except retries: a 429 must surface here, not be retried away.
    let client = client_builder(&mock)
        .rate_limit(seventime::defaults::RATE_LIMIT)
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
    let client = client_builder(&mock)
        .retry(seventime::RetryPolicy::default())
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
