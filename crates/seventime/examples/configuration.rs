//! Configuring the client: retries, the rate limit, timeouts, the response size limit and the
//! user agent. Every default is a constant in `seventime::defaults`.
//!
//! ```sh
//! export SEVENTIME_CLIENT_SECRET=…
//! cargo run -p seventime --example configuration
//! ```

use std::num::NonZeroU32;
use std::time::Duration;

use seventime::{API_KEY_ENV, ApiError, ApiKey, BASE_URL_ENV, Client, RetryPolicy, defaults};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The key is a secret: `ApiKey` keeps it out of `Debug` output, logs and errors.
    let key = ApiKey::new(std::env::var(API_KEY_ENV)?)?;
    let mut builder = Client::builder()
        .api_key(key)
        // Up to 6 attempts, starting at 100 ms and never waiting more than 5 s at a time or
        // 20 s in all. `RetryPolicy::none()` sends every request once.
        .retry(
            RetryPolicy::default()
                .max_attempts(6)
                .initial_delay(Duration::from_millis(100))
                .max_delay(Duration::from_secs(5))
                .max_elapsed(Duration::from_secs(20)),
        )
        // Share the key's budget with another process: half the documented rate.
        .rate_limit(NonZeroU32::new(2).expect("2 is not zero"))
        .connect_timeout(Duration::from_secs(5))
        .timeout(defaults::TIMEOUT * 2)
        .max_response_body(8 * 1024 * 1024)
        .user_agent_suffix("configuration-example/1.0");
    if let Ok(url) = std::env::var(BASE_URL_ENV) {
        builder = builder.base_url(url);
    }
    println!("{builder:?}");
    let client = builder.build()?;

    let fields = client
        .list_custom_fields()
        .send()
        .await
        .map_err(ApiError::from)?;
    println!(
        "{} time-log fields from {}",
        fields.data.len(),
        client.base_url()
    );
    Ok(())
}
