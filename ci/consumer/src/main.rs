//! Calls the client against the mock, as a user's program would: a field list, an error by
//! class and a paginated stream. Exits non-zero when anything is not as documented.

use futures_util::TryStreamExt;
use seventime::{ApiError, Client, EntityType};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = seventime_mock::start(seventime_mock::MockConfig::new("consumer-key")).await?;
    let client = Client::builder()
        .base_url(mock.url())
        .api_key(mock.api_key())
        .build()?;

    let fields = client
        .get_custom_fields()
        .entity_type(EntityType::Invoice)
        .send()
        .await
        .map_err(ApiError::from)?
        .into_inner();
    if fields.data.is_empty() {
        return Err("the mock served no invoice fields".into());
    }

    let error = client
        .get_custom_fields()
        .entity_type(EntityType::from(150))
        .send()
        .await
        .map(|_| ())
        .map_err(ApiError::from)
        .expect_err("150 is not a documented entity type");
    if error.status().map(|status| status.as_u16()) != Some(400) {
        return Err(format!("expected 400, got {error}").into());
    }

    let customers: Vec<_> = client
        .list_customers()
        .into_paginator()
        .items()
        .try_collect()
        .await?;
    if customers.is_empty() {
        return Err("the mock served no customers".into());
    }

    println!(
        "seventime from outside the workspace: {} invoice fields, `{error}`, {} customers",
        fields.data.len(),
        customers.len()
    );
    mock.shutdown().await;
    Ok(())
}
