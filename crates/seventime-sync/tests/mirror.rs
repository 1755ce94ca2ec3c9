//! The mirror against the mock: the first run copies every record, later runs read only what
//! changed (the mock's data changed between runs through its library API), full passes mark
//! deletions, two syncs do not interleave, and a column the database lacks is added.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde_json::{Value, json};
use seventime::catalog;
use seventime_sync::{Mirror, Mode, Options, ResourceSummary, SchemaChange, Summary, SyncError};
use seventime_test_support::{client, mock};

fn database(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("mirror.db")
}

async fn sync(path: &Path, client: &seventime::Client, options: Options) -> Summary {
    let mirror = Mirror::open(path.to_str().unwrap()).unwrap();
    mirror.sync(client, &options, &|_| {}).await.unwrap()
}

fn of<'s>(summary: &'s Summary, resource: &str) -> &'s ResourceSummary {
    summary
        .resources
        .iter()
        .find(|r| r.resource == resource)
        .unwrap_or_else(|| panic!("{resource} is in the summary"))
}

/// `_id` → (raw, deleted_at) of `table`.
fn rows(path: &Path, table: &str) -> BTreeMap<String, (Value, Option<String>)> {
    let db = Connection::open(path).unwrap();
    let mut statement = db
        .prepare(&format!(
            "SELECT CAST(\"{}\" AS TEXT), raw, deleted_at FROM \"{table}\"",
            key_of(table)
        ))
        .unwrap();
    statement
        .query_map([], |row| {
            let raw: String = row.get(1)?;
            Ok((
                row.get::<_, String>(0)?,
                (serde_json::from_str(&raw).unwrap(), row.get(2)?),
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The `_id`s of the mock's records of `resource`, in stored order.
fn ids_of(records: &seventime_mock::Records, resource: &str) -> Vec<String> {
    records
        .list(resource)
        .unwrap()
        .iter()
        .map(|r| r["_id"].as_str().unwrap().to_string())
        .collect()
}

fn key_of(table: &str) -> &'static str {
    catalog::resources()
        .iter()
        .find(|r| r.name.replace('-', "_") == table)
        .map_or("_id", |r| r.key)
}

#[tokio::test]
async fn the_first_run_copies_every_record_as_the_client_reads_it() {
    let mock = mock(|_| {}).await;
    let client = client(&mock);
    let dir = tempfile::tempdir().unwrap();
    let path = database(&dir);
    let summary = sync(&path, &client, Options::default()).await;
    assert!(summary.schema_changes.iter().any(
        |c| matches!(c, SchemaChange::CreateTable { table } if table == "invoices__invoice_items")
    ));
    for resource in catalog::resources() {
        let done = of(&summary, resource.name);
        if let Mode::Skipped { reason } = &done.mode {
            // Lists that need a parent's id are the ones not mirrored yet.
            assert!(
                resource.list.parameters.iter().any(|p| p.required),
                "{}: skipped ({reason})",
                resource.name
            );
            continue;
        }
        let served = mock.records().list(resource.name).unwrap();
        let stored = rows(&path, &done.table);
        assert_eq!(stored.len(), served.len(), "{}", resource.name);
        assert_eq!(done.inserted, served.len() as u64, "{}", resource.name);
        for record in served {
            let key = match &record[resource.key] {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            let expected = resource.decode(record).unwrap();
            let (raw, deleted) = &stored[&key];
            assert_eq!(raw, &expected, "{} {key}", resource.name);
            assert_eq!(deleted, &None);
        }
    }
    // Columns, child rows and custom fields come from the same records.
    let db = Connection::open(&path).unwrap();
    let (rows, items): (i64, i64) = db
        .query_row(
            "SELECT (SELECT count(*) FROM invoices__invoice_items),
                    (SELECT coalesce(sum(json_array_length(raw, '$.invoiceItems')), 0) FROM invoices)",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert_eq!(rows, items);
    assert!(rows > 0);
    let mismatched: i64 = db
        .query_row(
            "SELECT count(*) FROM customers WHERE name IS NOT raw ->> '$.name'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(mismatched, 0);
    let named: i64 = db
        .query_row(
            "SELECT count(*) FROM custom_field_values
             WHERE resource = 'invoices' AND field_name = 'Rabatt %' AND value_number IS NOT NULL",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(named > 0, "custom-field values are resolved by name");
}

#[tokio::test]
async fn a_second_run_reads_and_writes_only_what_changed() {
    let mock = mock(|_| {}).await;
    let client = client(&mock);
    let dir = tempfile::tempdir().unwrap();
    let path = database(&dir);
    let only = || Options::default().resources(["customers", "time-logs", "departments"]);
    sync(&path, &client, only()).await;

    let records = mock.records();
    let customers = ids_of(&records, "customers");
    for id in &customers[..3] {
        records
            .update("customers", id, |record| {
                record.insert("city".into(), json!("Kiruna"));
            })
            .unwrap();
    }
    records
        .insert(
            "customers",
            json!({ "_id": "64b000000000000000000001", "name": "Ny Kund AB" }),
        )
        .unwrap();

    let before = mock.requests_received();
    let second = sync(&path, &client, only()).await;
    let customers_run = of(&second, "customers");
    assert!(
        matches!(customers_run.mode, Mode::Incremental { .. }),
        "{:?}",
        customers_run.mode
    );
    // The overlap reads the newest records of the first run again: compared, not written.
    assert_eq!(
        (
            customers_run.fetched - customers_run.unchanged,
            customers_run.inserted,
            customers_run.updated
        ),
        (4, 1, 3)
    );
    // ⌈4 / 500⌉ pages: the least a read of four changes can cost.
    assert_eq!(customers_run.requests, 1);
    // Time logs have no `modifiedDate` in the spec: an unchanged window is empty.
    let logs = of(&second, "time-logs");
    assert!(
        matches!(logs.mode, Mode::Incremental { .. }),
        "{:?}",
        logs.mode
    );
    assert_eq!((logs.fetched, logs.inserted, logs.updated), (0, 0, 0));
    // Departments cannot be read by `lastModified`: read whole, nothing changed.
    let departments = of(&second, "departments");
    assert!(matches!(departments.mode, Mode::Full { .. }));
    assert_eq!((departments.inserted, departments.updated), (0, 0));
    // The client fetched the field configurations in the first run and keeps them.
    let sent = mock.requests_received() - before;
    let counted: u64 = second.resources.iter().map(|r| r.requests).sum();
    assert_eq!(sent, counted, "the summary counts every request");

    let stored = rows(&path, "customers");
    for id in &customers[..3] {
        assert_eq!(stored[id].0["city"], "Kiruna");
    }
    assert_eq!(stored["64b000000000000000000001"].0["name"], "Ny Kund AB");
    assert_eq!(stored.len(), customers.len() + 1);
}

#[tokio::test]
async fn deletions_are_marked_by_full_passes_and_rows_stay() {
    let mock = mock(|_| {}).await;
    let client = client(&mock);
    let dir = tempfile::tempdir().unwrap();
    let path = database(&dir);
    let only = || Options::default().resources(["customers", "departments"]);
    sync(&path, &client, only()).await;
    let records = mock.records();
    let gone_customer = records.list("customers").unwrap()[5]["_id"]
        .as_str()
        .unwrap()
        .to_string();
    let gone_department = records.list("departments").unwrap()[7]["_id"]
        .as_str()
        .unwrap()
        .to_string();
    records.delete("customers", &gone_customer).unwrap();
    records.delete("departments", &gone_department).unwrap();

    // Incremental customers cannot see a deletion; departments are read whole every run.
    let second = sync(&path, &client, only()).await;
    assert_eq!(of(&second, "customers").deleted, 0);
    assert_eq!(of(&second, "departments").deleted, 1);
    assert!(rows(&path, "departments")[&gone_department].1.is_some());
    assert!(rows(&path, "customers")[&gone_customer].1.is_none());

    let full = sync(&path, &client, only().full(true)).await;
    assert_eq!(of(&full, "customers").deleted, 1);
    assert_eq!(of(&full, "departments").deleted, 0, "marked once");
    let stored = rows(&path, "customers");
    assert!(stored[&gone_customer].1.is_some(), "marked, not dropped");
    assert_eq!(
        stored
            .values()
            .filter(|(_, deleted)| deleted.is_none())
            .count(),
        records.list("customers").unwrap().len()
    );
}

#[tokio::test]
async fn a_second_sync_of_the_same_database_is_refused() {
    let mock = mock(|_| {}).await;
    let client = client(&mock);
    let dir = tempfile::tempdir().unwrap();
    let path = database(&dir);
    let lock = std::fs::File::create(dir.path().join("mirror.db.lock")).unwrap();
    lock.lock().unwrap();
    let mirror = Mirror::open(path.to_str().unwrap()).unwrap();
    let error = mirror
        .sync(&client, &Options::default(), &|_| {})
        .await
        .unwrap_err();
    assert!(matches!(error, SyncError::Locked { .. }), "{error}");
    assert!(
        error.to_string().contains("another `seventime sync`"),
        "{error}"
    );
    assert_eq!(mock.requests_received(), 0, "nothing was sent");
    lock.unlock().unwrap();
    mirror
        .sync(
            &client,
            &Options::default().resources(["departments"]),
            &|_| {},
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_property_the_database_lacks_becomes_a_column_filled_from_raw() {
    let mock = mock(|_| {}).await;
    let client = client(&mock);
    let dir = tempfile::tempdir().unwrap();
    let path = database(&dir);
    let only = || Options::default().resources(["customers"]);
    sync(&path, &client, only()).await;
    // The database as a version of the spec without `city` would have left it.
    {
        let db = Connection::open(&path).unwrap();
        db.execute_batch(
            "ALTER TABLE customers DROP COLUMN city;
             DELETE FROM _seventime_columns WHERE table_name = 'customers' AND column_name = 'city';",
        )
        .unwrap();
    }
    let second = sync(&path, &client, only()).await;
    assert!(second.schema_changes.contains(&SchemaChange::AddColumn {
        table: "customers".into(),
        column: "city".into(),
    }));
    let db = Connection::open(&path).unwrap();
    let (filled, expected): (i64, i64) = db
        .query_row(
            "SELECT count(city), count(raw ->> '$.city') FROM customers",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert!(expected > 0);
    assert_eq!(
        filled, expected,
        "rows stored before the column came are filled"
    );
}

#[tokio::test]
async fn postgres_urls_and_unknown_resources_are_refused_with_what_to_do() {
    let error = Mirror::open("postgres://localhost/mirror").unwrap_err();
    assert!(error.to_string().contains("SQLite file"), "{error}");
    let dir = tempfile::tempdir().unwrap();
    let mirror = Mirror::open(database(&dir).to_str().unwrap()).unwrap();
    let error = mirror
        .plan(&Options::default().resources(["custmers"]))
        .unwrap_err();
    assert!(error.to_string().contains("customers"), "{error}");
}

#[tokio::test]
async fn records_changed_while_a_run_reads_are_not_missed() {
    let mock = mock(|_| {}).await;
    let client = client(&mock);
    let dir = tempfile::tempdir().unwrap();
    let path = database(&dir);
    let only = || {
        Options::default()
            .resources(["customers", "time-logs"])
            .page_size(10)
            // No overlap: the cursor alone must keep every change in reach.
            .overlap(std::time::Duration::ZERO)
    };
    sync(&path, &client, only()).await;
    let records = mock.records();
    let ids = |resource: &str| ids_of(&records, resource);
    let (customers, logs) = (ids("customers"), ids("time-logs"));
    for (n, id) in customers.iter().take(25).enumerate() {
        records
            .update("customers", id, |r| {
                r.insert("city".into(), json!(format!("Ort {n}")));
            })
            .unwrap();
    }
    for id in logs.iter().take(12) {
        records
            .update("time-logs", id, |r| {
                r.insert("description".into(), json!("ändrad"));
            })
            .unwrap();
    }
    // Another user changes records while the run reads: after each page, one record already
    // read and one not yet read change again, and a record is added.
    let writer = records.clone();
    let changes = std::sync::atomic::AtomicUsize::new(0);
    let mirror = Mirror::open(path.to_str().unwrap()).unwrap();
    mirror
        .sync(&client, &only(), &|event| {
            if let seventime_sync::Event::Page { resource, .. } = event {
                let n = changes.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                if *resource == "customers" {
                    for id in [&customers[n % 25], &customers[40 + n % 15]] {
                        writer
                            .update("customers", id, |r| {
                                r.insert("notes".into(), json!(format!("under the run {n}")));
                            })
                            .unwrap();
                    }
                    writer
                        .insert(
                            "customers",
                            json!({ "_id": format!("64b1000000000000000000{n:02}"), "name": "Ny" }),
                        )
                        .unwrap();
                }
            }
        })
        .await
        .unwrap();
    // What the run could not see of the last changes, the next run reads; after it the
    // mirror is the mock, record for record.
    sync(&path, &client, only()).await;
    for resource in ["customers", "time-logs"] {
        let catalog = catalog::resource(resource).unwrap();
        let stored = rows(&path, &resource.replace('-', "_"));
        let served = records.list(resource).unwrap();
        assert_eq!(stored.len(), served.len(), "{resource}");
        for record in served {
            let id = record["_id"].as_str().unwrap().to_string();
            assert_eq!(
                stored[&id].0,
                catalog.decode(record).unwrap(),
                "{resource} {id}"
            );
        }
    }
}

#[tokio::test]
async fn pages_shifting_under_a_full_pass_hide_nothing_and_mark_nothing_wrongly() {
    let mock = mock(|_| {}).await;
    let client = client(&mock);
    let dir = tempfile::tempdir().unwrap();
    let path = database(&dir);
    let records = mock.records();
    let ids = |resource: &str| ids_of(&records, resource);
    let (departments, customers) = (ids("departments"), ids("customers"));
    let options = Options::default()
        .resources(["departments", "customers"])
        .page_size(10);
    let departments_only = Options::default().resources(["departments"]).page_size(10);
    sync(&path, &client, departments_only.clone()).await;

    // After page 2 of each, a record already read goes and one is added at the end: the
    // total stays, and the record that opened page 3 moves onto page 2, which was read.
    let writer = records.clone();
    let shift = |resource: &'static str, gone: &str, added: &str| {
        writer.delete(resource, gone).unwrap();
        writer
            .insert(resource, json!({ "_id": added, "name": "Ny" }))
            .unwrap();
    };
    // Pages are counted per resource: a keyset read numbers each of its requests page 1.
    let pages = std::sync::Mutex::new(BTreeMap::<&str, u32>::new());
    let mirror = Mirror::open(path.to_str().unwrap()).unwrap();
    mirror
        .sync(&client, &options, &|event| {
            if let seventime_sync::Event::Page { resource, .. } = event {
                let mut pages = pages.lock().unwrap();
                let seen = pages.entry(resource).or_default();
                *seen += 1;
                match (*resource, *seen) {
                    ("departments", 2) => {
                        shift("departments", &departments[0], "64b200000000000000000001");
                    }
                    ("customers", 2) => {
                        shift("customers", &customers[0], "64b200000000000000000002");
                    }
                    _ => {}
                }
            }
        })
        .await
        .unwrap();
    assert_eq!(
        pages
            .lock()
            .unwrap()
            .get("customers")
            .copied()
            .map(|n| n >= 3),
        Some(true)
    );
    // Departments were mirrored before: the record the pass did not see is asked for by id
    // and kept, not marked deleted.
    let stored = rows(&path, "departments");
    assert_eq!(
        stored[&departments[20]].1, None,
        "the hidden department is kept"
    );
    // Customers' first run reads by modification time, which pages cannot shift: the one run
    // holds every customer there is.
    let stored_customers = rows(&path, "customers");
    for id in ids("customers") {
        assert!(stored_customers.contains_key(&id), "customer {id} was read");
    }
    assert!(stored_customers.contains_key(&customers[20]));

    // The next full pass marks the ones that went, and only those.
    let again = sync(&path, &client, options.clone().full(true)).await;
    assert_eq!(of(&again, "departments").deleted, 1);
    assert_eq!(of(&again, "customers").deleted, 1);
    for (resource, table) in [("departments", "departments"), ("customers", "customers")] {
        let stored = rows(&path, table);
        for id in ids(resource) {
            assert_eq!(stored[&id].1, None, "{resource} {id}");
        }
    }
    assert!(rows(&path, "departments")[&departments[0]].1.is_some());
    assert!(rows(&path, "customers")[&customers[0]].1.is_some());
}

#[tokio::test]
async fn a_crowd_of_records_in_one_second_is_read_whole_and_the_read_ends() {
    let customers: Vec<Value> = (0..30)
        .map(|n| {
            json!({
                "_id": format!("64b3000000000000000000{n:02}"),
                "name": format!("Kund {n}"),
                "modifiedDate": "2026-01-01T00:00:00.000Z",
            })
        })
        .collect();
    let fixtures = seventime_mock::Fixtures::parse(
        Path::new("crowd.json"),
        &json!({ "records": { "customers": customers } }).to_string(),
    )
    .unwrap();
    let mock = mock(move |config| config.fixtures = fixtures).await;
    let client = client(&mock);
    let dir = tempfile::tempdir().unwrap();
    let path = database(&dir);
    let only = || Options::default().resources(["customers"]).page_size(10);
    sync(&path, &client, only()).await;
    let since: seventime::Timestamp = "2026-01-01 00:00".parse().unwrap();
    let crowd = sync(&path, &client, only().since(since)).await;
    let customers = of(&crowd, "customers");
    assert!(matches!(customers.mode, Mode::Incremental { .. }));
    // Three full pages of one second, then the empty fourth: the same request paged on.
    assert_eq!((customers.fetched, customers.requests), (30, 4));
    assert_eq!(customers.unchanged, 30);
}
