//! Handling errors by class: every call's error converts into one [`seventime::ApiError`],
//! whose variant says what to do — fix the key, fix the request, wait, or try again later.
//!
//! ```sh
//! export SEVENTIME_CLIENT_SECRET=…
//! cargo run -p seventime --example errors
//! ```

use seventime::{ApiError, Client, EntityType};

/// What a program should do about an error, by class.
fn advice(error: &ApiError) -> String {
    match error {
        ApiError::Unauthorized(response) => format!(
            "the key was refused ({}): check SEVENTIME_CLIENT_SECRET",
            response.status
        ),
        ApiError::NotFound(response) => format!(
            "nothing there: {}",
            response.message().unwrap_or("no message")
        ),
        ApiError::RateLimited { retry_after, .. } => format!(
            "rate limited even after retries; wait {} s",
            retry_after.map_or(1, |wait| wait.as_secs())
        ),
        ApiError::Timeout(_) | ApiError::Connection(_) => {
            "the service could not be reached; try again later".to_string()
        }
        error if error.is_retryable() => format!("the service failed ({error}); try again later"),
        // 400 and any other status, bodies that do not decode, redirects off the service:
        // retrying will not help. `ApiError` is non-exhaustive, so this arm is required.
        error => format!("the request cannot succeed as it is: {error}"),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;

    // 150 is not an entity type the service documents: it answers 400.
    let outcome = client
        .get_custom_fields()
        .entity_type(EntityType::from(150))
        .send()
        .await
        .map_err(ApiError::from);
    match outcome {
        Ok(fields) => println!("unexpectedly, {} fields", fields.data.len()),
        Err(error) => {
            println!("status {:?}: {}", error.status(), advice(&error));
            // The whole response is kept: status, headers and the body as the service sent it.
            if let Some(response) = error.response() {
                println!("  body: {:?}", response.body);
            }
        }
    }

    // A wrong key: 401, never retried, and the key does not appear in the message.
    let wrong_key = Client::builder()
        .base_url(client.base_url())
        .api_key("not-the-key")
        .build()?;
    if let Err(error) = wrong_key.list_custom_fields().send().await {
        let error = ApiError::from(error);
        println!("status {:?}: {}", error.status(), advice(&error));
    }
    Ok(())
}
