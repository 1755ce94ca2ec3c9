//! Measurements of the mirror that `cargo xtask bench` cannot take from outside a process:
//!
//! - `mirror-bench floor <database>`: the floor for writing a mirror's rows. Every row of the
//!   mirror's data tables (not `_seventime_*`) is read into memory, then inserted into a copy
//!   of each table (same columns and keys) by a plain loop of one prepared `INSERT` per row, in
//!   transactions of 500 rows (a page); prints `{"rows":…,"seconds":…}` for the inserts alone.
//! - `mirror-bench database <server-url>`: (re)creates the database `mirror_bench` on the
//!   PostgreSQL server the URL names and prints the new database's URL.
//! - `mirror-bench incremental <records> <changed>`: an in-process mock with `records`
//!   customers, a first sync, `changed` of them changed through the mock's records, a second
//!   sync; prints the second run's requests and the least a read of the changes needs
//!   (`⌈changed / 500⌉`), and what it fetched, inserted and updated.

use std::time::Instant;

use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["floor", database] => floor(database),
        ["database", server] => database(server),
        ["incremental", records, changed] => incremental(records.parse()?, changed.parse()?),
        _ => Err("usage: mirror-bench floor <database> | database <server-url> | incremental <records> <changed>".into()),
    }
}

fn database(server: &str) -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(server, tokio_postgres::NoTls).await?;
        tokio::spawn(connection);
        // One statement per request: neither runs inside a multi-statement request. After a
        // round's bulk inserts an autovacuum worker may still be on the old database, and
        // FORCE cannot end a superuser's process for a test role: wait for it to finish.
        let mut tries = 0;
        while let Err(error) = client
            .batch_execute("DROP DATABASE IF EXISTS mirror_bench WITH (FORCE)")
            .await
        {
            tries += 1;
            if tries == DROP_TRIES {
                return Err(format!(
                    "cannot drop mirror_bench after {DROP_TRIES} tries ({error}); is another client connected to it?"
                )
                .into());
            }
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
        client.batch_execute("CREATE DATABASE mirror_bench").await?;
        println!(
            "{}",
            seventime_test_support::databases::with_database(server, "mirror_bench")
        );
        Ok::<_, Box<dyn std::error::Error>>(())
    })
}

/// Attempts at dropping the previous round's database, half a second apart.
const DROP_TRIES: u32 = 60;

/// Rows per transaction, as the mirror commits a page.
const BATCH: usize = 500;

fn floor(database: &str) -> Result<(), Box<dyn std::error::Error>> {
    let (rows, seconds) = if database.starts_with("postgres://") {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime.block_on(postgres_floor(database))?
    } else {
        sqlite_floor(database)?
    };
    println!("{}", json!({ "rows": rows, "seconds": seconds }));
    Ok(())
}

fn sqlite_floor(path: &str) -> Result<(usize, f64), Box<dyn std::error::Error>> {
    use rusqlite::types::Value;
    let mut db = rusqlite::Connection::open(path)?;
    db.pragma_update(None, "journal_mode", "WAL")?;
    db.pragma_update(None, "synchronous", "NORMAL")?;
    let tables: Vec<(String, String)> = db
        .prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
             AND name NOT LIKE '\\_seventime\\_%' ESCAPE '\\' AND name NOT LIKE 'floor\\_%' ESCAPE '\\'",
        )?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut copies = Vec::new();
    for (table, sql) in &tables {
        let copy = format!("floor_{table}");
        db.execute_batch(&format!("DROP TABLE IF EXISTS \"{copy}\""))?;
        // The table's own definition under the copy's name: the same keys to maintain.
        // SQLite keeps the name as it was written, quoted or not.
        let rest = sql
            .strip_prefix("CREATE TABLE ")
            .and_then(|rest| {
                rest.strip_prefix(&format!("\"{table}\""))
                    .or_else(|| rest.strip_prefix(table.as_str()))
            })
            .ok_or_else(|| format!("unexpected definition of {table}: {sql}"))?;
        let create = format!("CREATE TABLE \"{copy}\"{rest}");
        db.execute_batch(&create)?;
        let mut statement = db.prepare(&format!("SELECT * FROM \"{table}\""))?;
        let width = statement.column_count();
        let rows: Vec<Vec<Value>> = statement
            .query_map([], |row| {
                (0..width).map(|i| row.get::<_, Value>(i)).collect()
            })?
            .collect::<Result<_, _>>()?;
        copies.push((copy, width, rows));
    }
    let started = Instant::now();
    let mut written = 0;
    for (copy, width, rows) in &copies {
        let sql = format!(
            "INSERT INTO \"{copy}\" VALUES ({})",
            (1..=*width)
                .map(|i| format!("?{i}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        for batch in rows.chunks(BATCH) {
            let tx = db.transaction()?;
            {
                let mut insert = tx.prepare_cached(&sql)?;
                for row in batch {
                    insert.execute(rusqlite::params_from_iter(row))?;
                }
            }
            tx.commit()?;
            written += batch.len();
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    for (copy, ..) in &copies {
        db.execute_batch(&format!("DROP TABLE \"{copy}\""))?;
    }
    Ok((written, seconds))
}

/// A value sent in PostgreSQL's text format, which the server reads as the column's type.
#[derive(Debug)]
struct Text(Option<String>);

impl tokio_postgres::types::ToSql for Text {
    fn to_sql(
        &self,
        _ty: &tokio_postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> Result<tokio_postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match &self.0 {
            Some(text) => {
                out.extend_from_slice(text.as_bytes());
                Ok(tokio_postgres::types::IsNull::No)
            }
            None => Ok(tokio_postgres::types::IsNull::Yes),
        }
    }

    fn accepts(_ty: &tokio_postgres::types::Type) -> bool {
        true
    }

    fn encode_format(&self, _ty: &tokio_postgres::types::Type) -> tokio_postgres::types::Format {
        tokio_postgres::types::Format::Text
    }

    tokio_postgres::types::to_sql_checked!();
}

async fn postgres_floor(url: &str) -> Result<(usize, f64), Box<dyn std::error::Error>> {
    let (mut client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    tokio::spawn(connection);
    client
        .batch_execute("SET client_min_messages = warning")
        .await?;
    let tables: Vec<String> = client
        .query(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_seventime\\_%'
             AND table_name NOT LIKE 'floor\\_%'",
            &[],
        )
        .await?
        .iter()
        .map(|row| row.get(0))
        .collect();
    let mut copies = Vec::new();
    for table in &tables {
        let copy = format!("floor_{table}");
        client
            .batch_execute(&format!(
                "DROP TABLE IF EXISTS \"{copy}\"; CREATE TABLE \"{copy}\" (LIKE \"{table}\" INCLUDING ALL)"
            ))
            .await?;
        // Every value as its text, as the mirror sends them.
        let mut rows = Vec::new();
        let mut width = 0;
        for message in client
            .simple_query(&format!("SELECT * FROM \"{table}\""))
            .await?
        {
            if let tokio_postgres::SimpleQueryMessage::Row(row) = message {
                width = row.len();
                rows.push(
                    (0..row.len())
                        .map(|i| Text(row.get(i).map(str::to_string)))
                        .collect::<Vec<_>>(),
                );
            }
        }
        copies.push((copy, width, rows));
    }
    let started = Instant::now();
    let mut written = 0;
    for (copy, width, rows) in &copies {
        if rows.is_empty() {
            continue;
        }
        let insert = client
            .prepare(&format!(
                "INSERT INTO \"{copy}\" VALUES ({})",
                (1..=*width)
                    .map(|i| format!("${i}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .await?;
        for batch in rows.chunks(BATCH) {
            let tx = client.transaction().await?;
            for row in batch {
                let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
                    row.iter().map(|v| v as _).collect();
                tx.execute(&insert, &params).await?;
            }
            tx.commit().await?;
            written += batch.len();
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    for (copy, ..) in &copies {
        client
            .batch_execute(&format!("DROP TABLE \"{copy}\""))
            .await?;
    }
    Ok((written, seconds))
}

fn incremental(records: usize, changed: usize) -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut config = seventime_mock::MockConfig::new("mirror-bench-key");
        config.rate_limit = None;
        config.fixtures = seventime_mock::Fixtures::builtin().with_records(records);
        let mock = seventime_mock::start(config).await?;
        let client = seventime::Client::builder()
            .base_url(mock.url())
            .api_key(mock.api_key())
            .retry(seventime::RetryPolicy::none())
            .without_rate_limit()
            .build()?;
        let dir = std::env::temp_dir().join(format!("mirror-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("incremental.db");
        let mirror = seventime_sync::Mirror::open(path.to_str().ok_or("a UTF-8 path")?)?;
        let options = seventime_sync::Options::default().resources(["customers"]);
        mirror.sync(&client, &options, &|_| {}).await?;
        let records_api = mock.records();
        let ids: Vec<String> = records_api
            .list("customers")?
            .iter()
            .filter_map(|r| r["_id"].as_str().map(str::to_string))
            .collect();
        for (n, id) in ids.iter().take(changed).enumerate() {
            records_api.update("customers", id, |record| {
                record.insert("city".into(), json!(format!("Ändrad {n}")));
            })?;
        }
        let second = mirror.sync(&client, &options, &|_| {}).await?;
        let customers = second
            .resources
            .iter()
            .find(|r| r.resource == "customers")
            .ok_or("customers are in the summary")?;
        println!(
            "{}",
            json!({
                "records": records,
                "changed": changed,
                "requests": customers.requests,
                "minimum": changed.div_ceil(500).max(1),
                "fetched": customers.fetched,
                "inserted": customers.inserted,
                "updated": customers.updated,
            })
        );
        drop(mirror);
        std::fs::remove_dir_all(&dir)?;
        mock.shutdown().await;
        Ok(())
    })
}
