//! The client against a server on 127.0.0.1 that misbehaves on purpose.
//!
//! Every case asserts the exact outcome — a typed error with the right status, or success after
//! a counted number of attempts — and that the key appears in neither the error's `Display` nor
//! its `Debug`. The server is raw TCP so that it can do what no well-behaved framework would:
//! stall, reset, truncate, lie about lengths.
//!
//! The matrix spans three files: statuses and retries here, bodies in `hostile_bodies.rs`,
//! stalls, resets and redirects in `hostile_connections.rs`; the server is in
//! `hostile_server/mod.rs`.

mod hostile_server;

use std::time::{Duration, Instant, SystemTime};

use serde_json::json;
use seventime::{ApiError, Client, ErrorBody, RetryPolicy};

use hostile_server::{Hostile, KEY, call, client, error_of, fields, http, json_reply};

#[tokio::test]
async fn html_500_keeps_the_status_and_a_snippet() {
    let server = Hostile::start(vec![http(
        "500 Internal Server Error",
        &[("content-type", "text/html")],
        b"<html><body><h1>Bad gateway of doom</h1></body></html>",
    )])
    .await;
    let error = error_of(&client(&server.url)).await;
    let ApiError::Api(response) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(response.status, 500);
    let ErrorBody::Other(body) = &response.body else {
        panic!("{error:?}")
    };
    assert!(body.starts_with(b"<html>"));
    assert!(
        error
            .to_string()
            .contains("body is not JSON: <html><body><h1>Bad gateway of doom"),
        "{error}"
    );
    assert!(error.is_retryable());
    assert_eq!(
        server.attempts(),
        3,
        "500 is retried up to the policy's attempts"
    );
}

#[tokio::test]
async fn empty_502_keeps_the_status() {
    let server = Hostile::start(vec![http("502 Bad Gateway", &[], b"")]).await;
    let error = error_of(&client(&server.url)).await;
    let ApiError::Api(response) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(response.status, 502);
    assert!(matches!(response.body, ErrorBody::Empty));
    assert_eq!(error.to_string(), "502 Bad Gateway (empty body)");
    assert_eq!(server.attempts(), 3);
}

#[tokio::test]
async fn two_503s_then_200_succeeds_on_the_third_attempt() {
    let unavailable = json_reply(
        "503 Service Unavailable",
        &json!({"errorMessage": "maintenance"}),
    );
    let server = Hostile::start(vec![
        unavailable.clone(),
        unavailable,
        json_reply("200 OK", &fields()),
    ])
    .await;
    let fields = call(&client(&server.url)).await.unwrap();
    assert_eq!(fields.data[0].id, "a1");
    assert_eq!(server.attempts(), 3);
}

/// A 429 with this `Retry-After`, then 200: the retry comes no earlier than a second later.
async fn assert_retry_after_is_honoured(retry_after: &str) {
    let server = Hostile::start(vec![
        http(
            "429 Too Many Requests",
            &[("retry-after", retry_after)],
            b"",
        ),
        json_reply("200 OK", &fields()),
    ])
    .await;
    call(&client(&server.url)).await.unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    let waited = seen[1].at - seen[0].at;
    assert!(
        waited >= Duration::from_millis(950),
        "Retry-After: {retry_after}, but retried after {waited:?}"
    );
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    assert_retry_after_is_honoured("1").await;
}

#[tokio::test]
async fn retry_after_http_date_is_honoured() {
    // Whole-second resolution: two seconds ahead is at least one second of waiting.
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    assert_retry_after_is_honoured(&date).await;
}

#[tokio::test]
async fn endless_429_gives_up_within_the_policy() {
    let server = Hostile::start(vec![json_reply(
        "429 Too Many Requests",
        &json!({"errorMessage": "Too many requests"}),
    )])
    .await;
    // 429 without Retry-After: backoff only. With it (below): capped by max_delay.
    let error = error_of(&client(&server.url)).await;
    let ApiError::RateLimited {
        response,
        retry_after,
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!((response.status.as_u16(), *retry_after), (429, None));
    assert_eq!(error.message(), Some("Too many requests"));
    assert_eq!(server.attempts(), 3);

    let server = Hostile::start(vec![http(
        "429 Too Many Requests",
        &[("retry-after", "3600")],
        br#"{"errorMessage":"slow down"}"#,
    )])
    .await;
    let started = Instant::now();
    let error = error_of(&client(&server.url)).await;
    let ApiError::RateLimited { retry_after, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*retry_after, Some(Duration::from_secs(3600)));
    // Retry-After: 3600 is capped by max_delay (2 s); the next wait would pass max_elapsed (5 s).
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    assert!(seen[2].at - seen[0].at <= Duration::from_secs(5));
    assert!(started.elapsed() < Duration::from_secs(3600));
}

#[tokio::test]
async fn a_forbidden_key_is_unauthorized_and_not_retried() {
    let server = Hostile::start(vec![json_reply(
        "403 Forbidden",
        &json!({"errorMessage": "nope"}),
    )])
    .await;
    let error = error_of(&client(&server.url)).await;
    assert!(matches!(error, ApiError::Unauthorized(_)), "{error:?}");
    assert_eq!(
        (error.status().map(|s| s.as_u16()), error.message()),
        (Some(403), Some("nope"))
    );
    assert!(!error.is_retryable());
    assert_eq!(server.attempts(), 1);
}

#[tokio::test]
async fn retries_can_be_switched_off() {
    let server = Hostile::start(vec![http("503 Service Unavailable", &[], b"")]).await;
    let client = Client::builder()
        .base_url(&server.url)
        .api_key(KEY)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let error = error_of(&client).await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.attempts(), 1);
}
