//! Streams every invoice of an in-process mock twice over, alternately plain and with custom
//! fields resolved, and prints the median seconds of each as JSON:
//! `resolve-stream <records> <runs>` → `{"records":…,"plain":…,"resolved":…}`.
//! Run by `cargo xtask bench`; the mock's and the client's rate limits are off, so the figures
//! are the client's work (decoding, de-duplication, resolution) and loopback HTTP.

use std::time::Instant;

use futures_util::TryStreamExt;
use seventime::{Client, RetryPolicy};
use seventime_mock::{Fixtures, MockConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: resolve-stream <records> <runs>";
    let records: usize = args.next().ok_or(usage)?.parse()?;
    let runs: usize = args.next().ok_or(usage)?.parse()?;

    let mut config = MockConfig::new("resolve-bench-key");
    config.rate_limit = None;
    config.fixtures = Fixtures::builtin().with_records(records);
    let mock = seventime_mock::start(config).await?;
    let client = Client::builder()
        .base_url(mock.url())
        .api_key(mock.api_key())
        .retry(RetryPolicy::none())
        .without_rate_limit()
        .build()?;
    // The mock makes its records on the first request, and the client caches the
    // configuration: neither belongs in the figures.
    client.list_invoices().limit(1).send().await?;
    client
        .field_configuration(seventime::EntityType::Invoice)
        .await?;

    let (mut plain, mut resolved) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let started = Instant::now();
        let count = client
            .list_invoices()
            .into_paginator()
            .items()
            .try_fold(0usize, |n, invoice| async move {
                std::hint::black_box(&invoice);
                Ok(n + 1)
            })
            .await?;
        plain.push(started.elapsed().as_secs_f64());
        assert_eq!(count, records, "the plain stream lost records");

        let started = Instant::now();
        let count = client
            .list_invoices()
            .into_paginator()
            .items()
            .with_custom_fields(&client)
            .try_fold(0usize, |n, invoice| async move {
                std::hint::black_box(&invoice);
                Ok(n + 1)
            })
            .await?;
        resolved.push(started.elapsed().as_secs_f64());
        assert_eq!(count, records, "the resolved stream lost records");
    }
    println!(
        "{}",
        serde_json::json!({"records": records, "plain": median(&mut plain), "resolved": median(&mut resolved)})
    );
    mock.shutdown().await;
    Ok(())
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
