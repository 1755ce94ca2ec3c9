//! The hostile server's connections: headers never sent, a body that stalls, resets, and
//! redirects within the service and to another host.

mod hostile_server;

use seventime::ApiError;

use hostile_server::{Hostile, KEY, Reply, call, client, error_of, fields, http, json_reply};

#[tokio::test]
async fn headers_never_sent_is_a_timeout_after_retries() {
    let server = Hostile::start(vec![Reply::Silence]).await;
    let error = error_of(&client(&server.url)).await;
    assert!(matches!(error, ApiError::Timeout(_)), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(error.status(), None);
    assert_eq!(server.attempts(), 3);
}

#[tokio::test]
async fn a_body_that_stalls_midway_is_a_timeout() {
    let server = Hostile::start(vec![Reply::StallAfter(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"data\": [".to_vec(),
    )])
    .await;
    let error = error_of(&client(&server.url)).await;
    assert!(matches!(error, ApiError::Timeout(_)), "{error:?}");
    assert_eq!(server.attempts(), 3);
}

#[tokio::test]
async fn a_connection_reset_is_a_connection_error_after_retries() {
    let server = Hostile::start(vec![Reply::Reset]).await;
    let error = error_of(&client(&server.url)).await;
    assert!(matches!(error, ApiError::Connection(_)), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(server.attempts(), 3);
}

#[tokio::test]
async fn a_reset_then_success_recovers() {
    let server = Hostile::start(vec![Reply::Reset, json_reply("200 OK", &fields())]).await;
    call(&client(&server.url)).await.unwrap();
    assert_eq!(server.attempts(), 2);
}

#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed() {
    let elsewhere = Hostile::start(vec![json_reply("200 OK", &fields())]).await;
    let target = format!("{}/api/2/customFields/400", elsewhere.url);
    let server = Hostile::start(vec![http("302 Found", &[("location", &target)], b"")]).await;
    let error = error_of(&client(&server.url)).await;
    let ApiError::Redirect { status, location } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        (status.as_u16(), location.as_deref()),
        (302, Some(target.as_str()))
    );
    assert_eq!(
        elsewhere.attempts(),
        0,
        "the other host must not see the request (or the key)"
    );
}

#[tokio::test]
async fn a_redirect_within_the_service_is_followed_with_the_key() {
    let server = Hostile::start(vec![
        http(
            "301 Moved Permanently",
            &[("location", "/api/2/customFields/400/")],
            b"",
        ),
        json_reply("200 OK", &fields()),
    ])
    .await;
    call(&client(&server.url)).await.unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert!(
        seen[1]
            .head
            .starts_with("GET /api/2/customFields/400/ HTTP/1.1"),
        "{}",
        seen[1].head
    );
    assert!(
        seen[1]
            .head
            .to_lowercase()
            .contains(&format!("client-secret: {KEY}"))
    );
}
