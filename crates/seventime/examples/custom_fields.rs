//! Every invoice with its custom fields by name and typed value.
//!
//! Against the mock (no key or network needed):
//!
//! ```sh
//! cargo run -p seventime-mock -- --port 8080 &   # prints the two variables to export
//! export SEVENTIME_BASE_URL=http://127.0.0.1:8080 SEVENTIME_CLIENT_SECRET=mock-…
//! cargo run -p seventime --example custom_fields
//! ```
//!
//! Against Seven Time, export only `SEVENTIME_CLIENT_SECRET`.

use futures_util::TryStreamExt;
use seventime::{Client, FieldValue};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;

    // One request for the invoice field configuration, then one per page of 500 invoices.
    let mut invoices = client
        .list_invoices()
        .into_paginator()
        .items()
        .with_custom_fields(&client);
    while let Some(invoice) = invoices.try_next().await? {
        println!("invoice {}", invoice.id);
        for field in &invoice.custom_fields {
            let name = field.name.as_deref().unwrap_or(&field.field_id);
            match &field.value {
                FieldValue::Unresolved { value, reason } => {
                    println!("  {name}: {value} (left raw: {reason})");
                }
                value => println!("  {name}: {value}"),
            }
        }
    }
    Ok(())
}
