//! The hostile server's bodies: truncated, mistyped, oversized, chunked, undocumented, or with
//! properties the spec does not name.

mod hostile_server;

use serde_json::json;
use seventime::{ApiError, Client, ErrorBody};

use hostile_server::{Hostile, KEY, Reply, call, client, error_of, fields, http, json_reply};

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
