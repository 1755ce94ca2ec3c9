//! The generated client against a server on 127.0.0.1, driven through the generated httpmock
//! helpers: request shape, headers, decoding of the documented examples, unknown properties and
//! error bodies.

use httpmock::MockServer;
use serde_json::{Value, json};
use seventime::mock::MockServerExt;
use seventime::{
    ApiError, BuildError, Client, EntityType, ErrorBody, FieldType, RetryPolicy, types,
};

const KEY: &str = "test-key-5f0c2a91";

fn client_for(server: &MockServer) -> Client {
    client_at(&server.base_url())
}

/// Retries and pacing have tests of their own (`hostile.rs`); here every request is one attempt.
fn client_at(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .api_key(KEY)
        .retry(RetryPolicy::none())
        .without_rate_limit()
        .build()
        .expect("valid configuration")
}

/// The draft API page's example body.
fn draft_example() -> Value {
    json!({"data": [{
        "_id": "58a678badc33073a42e02802",
        "isActive": true,
        "__v": 0,
        "quoteCategoryName": "Utbildning"
    }]})
}

/// The published reference's example body.
fn published_example() -> Value {
    json!({"data": [{
        "_id": "572cc7advab059725982b",
        "selectFieldData": [],
        "fieldType": 100,
        "fieldName": "Kund",
        "include": true,
        "required": false
    }]})
}

fn decode(body: Value) -> types::CustomFieldList {
    serde_json::from_value(body).expect("documented example decodes")
}

#[tokio::test]
async fn query_form_sends_path_query_and_documented_headers() {
    let server = MockServer::start_async().await;
    let body = decode(published_example());
    let mock = server.list_custom_fields(|when, then| {
        let when = when.entity_type(&EntityType::Invoice).into_inner();
        when.header("client-secret", KEY)
            .header("accept", "application/json")
            .header("content-type", "application/json")
            .header(
                "user-agent",
                format!("seventime-rs/{}", env!("CARGO_PKG_VERSION")),
            )
            .header_missing("api-version");
        then.ok(&body);
    });

    let response = client_for(&server)
        .list_custom_fields()
        .entity_type(EntityType::Invoice)
        .send()
        .await
        .expect("the mock answers 200");

    mock.assert_async().await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.into_inner(), body);
}

#[tokio::test]
async fn query_form_without_entity_type_leaves_the_default_to_the_server() {
    let server = MockServer::start_async().await;
    let mock = server.list_custom_fields(|when, then| {
        when.entity_type(None)
            .into_inner()
            .header("client-secret", KEY);
        then.ok(&decode(draft_example()));
    });

    client_for(&server)
        .list_custom_fields()
        .send()
        .await
        .expect("the mock answers 200");
    mock.assert_async().await;
}

#[tokio::test]
async fn path_form_puts_the_code_in_the_path() {
    let server = MockServer::start_async().await;
    let mock = server.get_custom_fields(|when, then| {
        when.entity_type(&EntityType::WorkOrder)
            .into_inner()
            .path("/api/2/customFields/200")
            .header("client-secret", KEY);
        then.ok(&decode(draft_example()));
    });

    let fields = client_for(&server)
        .get_custom_fields()
        .entity_type(EntityType::WorkOrder)
        .send()
        .await
        .expect("the mock answers 200")
        .into_inner();
    mock.assert_async().await;
    assert_eq!(fields.data[0].id, "58a678badc33073a42e02802");
}

#[tokio::test]
async fn a_base_url_with_trailing_slashes_does_not_double_the_slash() {
    let server = MockServer::start_async().await;
    // The generated matcher is anchored (`^/api/2/customFields/$`): `//api` would not match.
    let mock = server.list_custom_fields(|_, then| {
        then.ok(&decode(draft_example()));
    });
    let client = client_at(&format!("{}//", server.base_url()));
    client.list_custom_fields().send().await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn a_base_url_path_stem_is_kept() {
    let server = MockServer::start_async().await;
    let mock = server.mock(|when, then| {
        when.path("/proxy/seventime/api/2/customFields/");
        then.status(200).json_body(draft_example());
    });
    let client = client_at(&format!("{}/proxy/seventime/", server.base_url()));
    client.list_custom_fields().send().await.unwrap();
    mock.assert_async().await;
}

#[test]
fn both_documented_examples_decode() {
    let draft = &decode(draft_example()).data[0];
    assert_eq!(draft.id, "58a678badc33073a42e02802");
    assert_eq!(draft.is_active, Some(true));
    assert_eq!(draft.v, Some(0));
    assert_eq!(
        draft.extra.get("quoteCategoryName"),
        Some(&json!("Utbildning"))
    );

    let published = &decode(published_example()).data[0];
    assert_eq!(published.id, "572cc7advab059725982b");
    assert_eq!(published.field_name.as_deref(), Some("Kund"));
    assert_eq!(published.field_type, Some(FieldType::Unknown(100)));
    assert_eq!(published.include, Some(true));
    assert_eq!(published.required, Some(false));
    assert_eq!(published.select_field_data.as_deref(), Some(&Vec::new()));
    assert_eq!(draft.select_field_data, None);
    assert!(published.extra.is_empty());
}

#[test]
fn unknown_properties_survive_decode_and_encode() {
    let mut original = json!({"data": [
        {
            "_id": "58a678badc33073a42e02802",
            "isActive": true,
            "__v": 0,
            "quoteCategoryName": "Utbildning",
            "sortOrder": 3,
            "translations": {"en": "Training", "sv": "Utbildning"}
        },
        {
            "_id": "5a1",
            "fieldName": "Färg",
            "fieldType": 10500,
            "selectFieldData": [{"value": "röd"}, "blå", 3],
            "include": true,
            "required": true
        }
    ]});
    // The published example: an empty list is kept apart from an absent one.
    original["data"]
        .as_array_mut()
        .unwrap()
        .push(published_example()["data"][0].clone());
    let decoded = decode(original.clone());
    assert_eq!(decoded.data[1].field_type, Some(FieldType::SelectList));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), original);
}

#[tokio::test]
async fn an_unauthorized_body_reaches_the_caller() {
    let server = MockServer::start_async().await;
    server.list_custom_fields(|_, then| {
        then.into_inner()
            .status(401)
            .header("content-type", "application/json")
            .json_body(json!({"errorMessage": "Invalid client secret", "requestId": "r-17"}));
    });

    let error = ApiError::from(
        client_for(&server)
            .list_custom_fields()
            .send()
            .await
            .expect_err("401 is an error"),
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    let ApiError::Unauthorized(response) = &error else {
        panic!("expected Unauthorized, got {error:?}");
    };
    let ErrorBody::Json(body) = &response.body else {
        panic!("expected the documented error body, got {error:?}");
    };
    assert_eq!(body.error_message.as_deref(), Some("Invalid client secret"));
    assert_eq!(body.extra.get("requestId"), Some(&json!("r-17")));
    assert!(!format!("{error} {error:?}").contains(KEY));
}

#[tokio::test]
async fn every_documented_error_status_decodes_its_body() {
    let server = MockServer::start_async().await;
    let statuses = [400u16, 401, 403, 404, 429, 500, 503];
    for status in statuses {
        server.mock(|when, then| {
            when.query_param("entityType", (status as i32 * 10).to_string());
            then.status(status)
                .header("content-type", "application/json")
                .json_body(json!({"errorMessage": format!("status {status}")}));
        });
    }
    let client = client_for(&server);
    for status in statuses {
        // Codes the client does not know are still sent: only the programmatic route allows them.
        let error = ApiError::from(
            client
                .list_custom_fields()
                .entity_type(EntityType::from(status as i32 * 10))
                .send()
                .await
                .expect_err("an error status"),
        );
        let response = error
            .response()
            .unwrap_or_else(|| panic!("{status}: expected an error response, got {error:?}"));
        let ErrorBody::Json(body) = &response.body else {
            panic!("{status}: expected the documented error body, got {error:?}");
        };
        assert_eq!(response.status.as_u16(), status);
        assert_eq!(body.error_message, Some(format!("status {status}")));
    }
}

#[test]
fn the_key_never_shows_in_debug_output() {
    let client = Client::builder().api_key(KEY).build().unwrap();
    let builder = Client::builder().api_key(KEY);
    for debug in [format!("{client:?}"), format!("{builder:?}")] {
        assert!(!debug.contains(KEY), "{debug}");
        assert!(debug.contains("redacted"), "{debug}");
    }
}

#[test]
fn the_default_base_url_is_the_production_service() {
    let client = Client::builder().api_key(KEY).build().unwrap();
    assert_eq!(client.base_url(), "https://app.seventime.se");
}

#[test]
fn bad_configuration_is_rejected_with_a_reason() {
    let err = |builder: seventime::ClientBuilder| builder.build().unwrap_err();

    assert!(matches!(err(Client::builder()), BuildError::MissingApiKey));
    for empty in ["", "   ", "\n"] {
        let error = err(Client::builder().api_key(empty));
        assert!(
            error.to_string().contains("the API key is empty"),
            "{error}"
        );
    }
    let error = err(Client::builder().api_key("abc def"));
    assert!(
        error.to_string().contains("white space at byte 3"),
        "{error}"
    );
    let error = err(Client::builder().api_key("abc\u{7f}"));
    assert!(
        error
            .to_string()
            .contains("cannot be sent in an HTTP header"),
        "{error}"
    );
    let error = err(Client::builder().api_key(format!("{KEY}\n")));
    assert!(!error.to_string().contains(KEY), "{error}");

    for (url, reason) in [
        ("app.seventime.se", "relative URL without a base"),
        ("ftp://app.seventime.se", "the scheme must be https"),
        ("https://app.seventime.se/?x=1", "must not have a query"),
        (
            "https://user:pw@app.seventime.se",
            "must not contain credentials",
        ),
    ] {
        let error = err(Client::builder().api_key(KEY).base_url(url));
        let message = error.to_string();
        assert!(matches!(error, BuildError::InvalidBaseUrl { .. }), "{url}");
        assert!(message.contains(reason), "{url}: {message}");
    }
}
