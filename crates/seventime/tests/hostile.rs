//! The client against a server on 127.0.0.1 that misbehaves on purpose.
//!
//! Every case asserts the exact outcome — a typed error with the right status, or success after
//! a counted number of attempts — and that the key appears in neither the error's `Display` nor
//! its `Debug`. The server is raw TCP so that it can do what no well-behaved framework would:
//! stall, reset, truncate, lie about lengths.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use serde_json::json;
use seventime::{ApiError, Client, EntityType, ErrorBody, RetryPolicy, types};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const KEY: &str = "hostile-key-93af";

/// What the server does with one request.
#[derive(Clone)]
enum Reply {
    /// Writes these bytes and closes the connection.
    Raw(Vec<u8>),
    /// Reads the request and never answers.
    Silence,
    /// Writes these bytes (a head and part of a body), then keeps the connection open, silent.
    StallAfter(Vec<u8>),
    /// Closes the connection with a TCP reset.
    Reset,
}

/// A response with `Content-Length` and `Connection: close`.
fn http(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut head = format!(
        "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    Reply::Raw(bytes)
}

fn json_reply(status: &str, body: &serde_json::Value) -> Reply {
    http(
        status,
        &[("content-type", "application/json")],
        body.to_string().as_bytes(),
    )
}

fn fields() -> serde_json::Value {
    json!({"data": [{"_id": "a1", "fieldName": "Kund", "fieldType": 100}]})
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    at: Instant,
    head: String,
}

/// A scripted server: request *n* gets `replies[n]` (the last reply repeats).
struct Hostile {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Hostile {
    async fn start(replies: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let log = log.clone();
                let replies = replies.clone();
                tokio::spawn(async move { serve(stream, &log, &replies).await });
            }
        });
        Self { url, seen }
    }

    fn attempts(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

async fn serve(mut stream: TcpStream, log: &Mutex<Vec<Seen>>, replies: &[Reply]) {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    let reply = {
        let mut log = log.lock().unwrap();
        log.push(Seen {
            at: Instant::now(),
            head: String::from_utf8_lossy(&head).into_owned(),
        });
        replies[(log.len() - 1).min(replies.len() - 1)].clone()
    };
    match reply {
        Reply::Raw(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Reply::Silence => std::future::pending::<()>().await,
        Reply::StallAfter(bytes) => {
            let _ = stream.write_all(&bytes).await;
            std::future::pending::<()>().await;
        }
        Reply::Reset => {
            let _ = stream.set_zero_linger();
            drop(stream);
        }
    }
}

/// A quick policy for tests: 3 attempts, short waits, long enough to honour a 1 s Retry-After.
fn policy() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .initial_delay(Duration::from_millis(20))
        .max_delay(Duration::from_secs(2))
        .max_elapsed(Duration::from_secs(5))
}

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .api_key(KEY)
        .retry(policy())
        .without_rate_limit()
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap()
}

async fn call(client: &Client) -> Result<types::CustomFieldList, ApiError> {
    Ok(client
        .get_custom_fields()
        .entity_type(EntityType::Invoice)
        .send()
        .await?
        .into_inner())
}

/// The error of a call, with the key checked absent from its renderings.
async fn error_of(client: &Client) -> ApiError {
    let error = call(client).await.expect_err("the server misbehaves");
    for rendering in [error.to_string(), format!("{error:?}")] {
        assert!(!rendering.contains(KEY), "the key leaked: {rendering}");
    }
    error
}

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
async fn truncated_json_is_a_decode_error_with_the_status() {
    let body = fields().to_string();
    let server = Hostile::start(vec![http(
        "200 OK",
        &[("content-type", "application/json")],
        &body.as_bytes()[..body.len() / 2],
    )])
    .await;
    let error = error_of(&client(&server.url)).await;
    let ApiError::Decode { status, body, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*status, 200);
    assert_eq!(body.len(), fields().to_string().len() / 2);
    assert!(
        error
            .to_string()
            .starts_with("200 OK: the body is not the documented JSON (EOF"),
        "{error}"
    );
    assert!(!error.is_retryable());
    assert_eq!(server.attempts(), 1, "a bad body is not retried");
}

#[tokio::test]
async fn wrong_types_are_a_decode_error_with_the_status() {
    let server = Hostile::start(vec![json_reply("200 OK", &json!({"data": [{"_id": 42}]}))]).await;
    let error = error_of(&client(&server.url)).await;
    let ApiError::Decode { status, reason, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*status, 200);
    assert!(reason.contains("expected a string"), "{reason}");
}

#[tokio::test]
async fn a_body_over_the_limit_is_an_error_not_an_allocation() {
    let huge = vec![b' '; 256 * 1024];
    for reply in [
        // Declared too large: refused without reading.
        http("200 OK", &[("content-type", "application/json")], &huge),
        // Not declared (chunked): read up to the limit, then refused.
        Reply::Raw({
            let mut bytes =
                b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
                    .to_vec();
            for _ in 0..64 {
                bytes.extend_from_slice(format!("{:x}\r\n", 4096).as_bytes());
                bytes.extend_from_slice(&[b' '; 4096]);
                bytes.extend_from_slice(b"\r\n");
            }
            bytes.extend_from_slice(b"0\r\n\r\n");
            bytes
        }),
    ] {
        let server = Hostile::start(vec![reply]).await;
        let client = Client::builder()
            .base_url(&server.url)
            .api_key(KEY)
            .max_response_body(64 * 1024)
            .without_rate_limit()
            .build()
            .unwrap();
        let error = error_of(&client).await;
        let ApiError::BodyTooLarge { status, limit } = &error else {
            panic!("{error:?}")
        };
        assert_eq!((status.as_u16(), *limit), (200, 64 * 1024));
    }
}

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

#[tokio::test]
async fn unknown_properties_are_kept_in_success_and_error_bodies() {
    let server = Hostile::start(vec![json_reply(
        "200 OK",
        &json!({"data": [{"_id": "a", "futureFlag": true, "nested": {"x": [1, 2]}}], "paging": {"next": null}}),
    )])
    .await;
    let fields = call(&client(&server.url)).await.unwrap();
    assert_eq!(fields.data[0].extra["futureFlag"], json!(true));
    assert_eq!(fields.data[0].extra["nested"], json!({"x": [1, 2]}));

    let server = Hostile::start(vec![json_reply(
        "404 Not Found",
        &json!({"errorMessage": "No field configuration", "code": "E404", "traceId": "t-1"}),
    )])
    .await;
    let error = error_of(&client(&server.url)).await;
    let ApiError::NotFound(response) = &error else {
        panic!("{error:?}")
    };
    let ErrorBody::Json(body) = &response.body else {
        panic!("{error:?}")
    };
    assert_eq!(
        body.error_message.as_deref(),
        Some("No field configuration")
    );
    assert_eq!(body.extra["code"], json!("E404"));
    assert_eq!(body.extra["traceId"], json!("t-1"));
    assert_eq!(server.attempts(), 1, "404 is not retried");
}

#[tokio::test]
async fn an_error_status_with_an_undocumented_json_body_keeps_it() {
    let server = Hostile::start(vec![json_reply(
        "401 Unauthorized",
        &json!({"errorMessage": 401}),
    )])
    .await;
    let error = error_of(&client(&server.url)).await;
    let ApiError::Unauthorized(response) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(response.status, 401);
    let ErrorBody::Other(body) = &response.body else {
        panic!("{error:?}")
    };
    assert_eq!(&body[..], br#"{"errorMessage":401}"#);
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

#[tokio::test]
async fn a_body_in_many_chunks_is_reassembled() {
    let body = fields().to_string();
    let (a, rest) = body.as_bytes().split_at(5);
    let (b, c) = rest.split_at(rest.len() / 2);
    let mut raw = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n".to_vec();
    for part in [a, b, c] {
        raw.extend_from_slice(format!("{:x}\r\n", part.len()).as_bytes());
        raw.extend_from_slice(part);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    let server = Hostile::start(vec![Reply::Raw(raw)]).await;
    let fields = call(&client(&server.url)).await.unwrap();
    assert_eq!(fields.data[0].id, "a1");
    assert_eq!(fields.data[0].field_name.as_deref(), Some("Kund"));
}
