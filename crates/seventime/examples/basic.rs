//! The smallest useful program: a client from the environment, one call, typed fields.
//!
//! ```sh
//! export SEVENTIME_CLIENT_SECRET=…        # Settings → Integrations → API in Seven Time
//! cargo run -p seventime --example basic
//! ```
//!
//! Without a key, run it against the mock: `cargo xtask examples` does, or start
//! `cargo run -p seventime-mock` and export the two variables it prints.

use seventime::{ApiError, Client, EntityType};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // SEVENTIME_CLIENT_SECRET, and SEVENTIME_BASE_URL when set; retries, the documented rate
    // limit and timeouts as `seventime::defaults` says.
    let client = Client::from_env()?;

    let fields = client
        .get_custom_fields()
        .entity_type(EntityType::Invoice)
        .send()
        .await
        .map_err(ApiError::from)?
        .into_inner();

    println!("{} custom fields on invoices", fields.data.len());
    for field in &fields.data {
        let name = field.field_name.as_deref().unwrap_or("(no name)");
        let kind = field
            .field_type
            .map_or_else(|| "untyped".to_string(), |kind| format!("{kind:?}"));
        println!("  {name}: {kind}");
    }
    Ok(())
}
