//! Testing your own code that calls Seven Time, without the service: the `httpmock` feature
//! adds one typed method per operation to `httpmock::MockServer` (`seventime::mock`).
//!
//! ```sh
//! cargo run -p seventime --features httpmock --example testing_with_httpmock
//! ```
//!
//! In your project: `seventime = { version = "0.1", features = ["httpmock"] }` under
//! `[dev-dependencies]`, and the same code in a `#[tokio::test]`.

use seventime::mock::MockServerExt;
use seventime::{ApiError, Client, EntityType, types};

/// The code under test: the names of an entity type's custom fields.
async fn field_names(client: &Client, entity: EntityType) -> Result<Vec<String>, ApiError> {
    let fields = client
        .get_custom_fields()
        .entity_type(entity)
        .send()
        .await?
        .into_inner();
    Ok(fields
        .data
        .into_iter()
        .filter_map(|f| f.field_name)
        .collect())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = httpmock::MockServer::start_async().await;
    let answer: types::CustomFieldList = serde_json::from_value(serde_json::json!({
        "data": [
            {"_id": "a1", "fieldName": "Reference", "fieldType": 1},
            {"_id": "b2", "fieldName": "Approved", "fieldType": 2}
        ]
    }))?;
    let mock = server.get_custom_fields(|when, then| {
        when.entity_type(&EntityType::Invoice);
        then.ok(&answer);
    });

    let client = Client::builder()
        .base_url(server.base_url())
        .api_key("test-key")
        .build()?;
    let names = field_names(&client, EntityType::Invoice).await?;

    assert_eq!(names, ["Reference", "Approved"]);
    mock.assert_async().await;
    println!("field_names returned {names:?}; the mock saw exactly one matching request");
    Ok(())
}
