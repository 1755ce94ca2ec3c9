//! Mirroring a tenant into SQLite, then asking the copy a question no single API call answers.
//!
//! ```sh
//! export SEVENTIME_CLIENT_SECRET=…
//! cargo run -p seventime-sync --example mirror
//! ```

use seventime::Client;
use seventime_sync::{Mirror, Options};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let path = std::env::temp_dir().join(format!("seventime-example-{}.db", std::process::id()));
    let mirror = Mirror::open(path.to_string_lossy())?;
    let options = Options::default().resources(["customers", "invoices"]);

    // The first run reads everything; each page is committed with the progress.
    let summary = mirror.sync(&client, &options, &|_event| {}).await?;
    for resource in &summary.resources {
        println!(
            "{}: {} ({} records, {} requests)",
            resource.resource, resource.mode, resource.fetched, resource.requests
        );
    }

    // The copy is plain SQLite: any tool can query it.
    let db = rusqlite::Connection::open(&path)?;
    let mut top = db.prepare(
        "SELECT customerName, count(*), round(sum(totalAmountInclTax), 2)
         FROM invoices WHERE deleted_at IS NULL
         GROUP BY customerName ORDER BY 3 DESC LIMIT 3",
    )?;
    let rows = top.query_map([], |row| {
        Ok((
            row.get::<_, Option<String>>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, Option<f64>>(2)?,
        ))
    })?;
    println!("largest customers by invoiced amount:");
    for row in rows {
        let (customer, invoices, total) = row?;
        println!(
            "  {:<30} {invoices:>3} invoices {:>12.2}",
            customer.unwrap_or_default(),
            total.unwrap_or_default()
        );
    }

    // The second run reads only what changed since the first (customers can be read by
    // lastModified; invoices cannot and are read whole).
    let again = mirror.sync(&client, &options, &|_event| {}).await?;
    for resource in &again.resources {
        println!(
            "again {}: {} ({} new, {} changed)",
            resource.resource, resource.mode, resource.inserted, resource.updated
        );
    }
    drop(mirror);
    for suffix in ["", "-wal", "-shm", ".lock"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    Ok(())
}
