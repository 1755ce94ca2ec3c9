//! Streaming a paginated list: records arrive one by one while pages are requested as needed,
//! each page under the client's rate limit and retries.
//!
//! ```sh
//! export SEVENTIME_CLIENT_SECRET=…
//! cargo run -p seventime --example pagination
//! ```

use futures_util::{StreamExt, TryStreamExt};
use seventime::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;

    // Every customer, lazily: one request per 500 records.
    let mut customers = client.list_customers().into_paginator().items();
    let mut count = 0;
    while let Some(customer) = customers.try_next().await? {
        count += 1;
        if count <= 3 {
            println!("{} {}", customer.id, customer.name.as_deref().unwrap_or(""));
        }
    }
    println!("{count} customers");

    // Filters go with every page; `take` stops the requests once it has enough.
    let first_ten: Vec<_> = client
        .list_projects()
        .into_paginator()
        .page_size(5)
        .items()
        .take(10)
        .try_collect()
        .await?;
    println!("first {} projects, in pages of 5", first_ten.len());
    Ok(())
}
