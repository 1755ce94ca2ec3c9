//! The mirror against the mock: the first run copies every record, later runs read only what
//! changed (the mock's data changed between runs through its library API), full passes mark
//! deletions, two syncs do not interleave, and a column the database lacks is added.
//!
//! Every test runs twice, against SQLite (`sqlite::…`) and against PostgreSQL
//! (`postgres::…`, on the server `SEVENTIME_TEST_POSTGRES` names; see
//! `seventime_test_support::databases`). One file on purpose: one suite, generated once per
//! database by `on_both_databases!`, over helpers every test shares.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Value, json};
use seventime::catalog;
use seventime_sync::{
    Event, Mirror, Mode, Options, ResourceSummary, SchemaChange, Summary, SyncError,
};
use seventime_test_support::databases::TestDatabase;
use seventime_test_support::{client, mock};

/// A `#[tokio::test]` per backend for each test function, which takes the database.
macro_rules! on_both_databases {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test(super::TestDatabase::sqlite()).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    if let Some(db) = super::TestDatabase::postgres().await {
                        super::$test(db).await;
                    }
                }
            )*
        }
    };
}

on_both_databases!(
    the_first_run_copies_every_record_as_the_client_reads_it,
    a_second_run_reads_and_writes_only_what_changed,
    a_changed_record_replaces_its_child_rows_and_custom_field_values,
    deletions_are_marked_by_full_passes_and_rows_stay,
    a_second_sync_of_the_same_database_is_refused,
    a_property_the_database_lacks_becomes_a_column_filled_from_raw,
    unknown_resources_are_refused_with_what_to_do,
    records_changed_while_a_run_reads_are_not_missed,
    pages_shifting_under_a_full_pass_hide_nothing_and_mark_nothing_wrongly,
    a_first_pass_the_list_changed_under_is_read_again_and_marks_what_went,
    a_crowd_of_records_in_one_second_is_read_whole_and_the_read_ends,
    a_list_read_per_parent_resumes_after_its_last_parent_and_marks_the_removed,
    a_page_that_fails_leaves_every_page_before_it_committed_and_counted,
    a_row_an_earlier_version_wrote_with_sorted_properties_is_unchanged,
);

async fn sync(db: &TestDatabase, client: &seventime::Client, options: Options) -> Summary {
    let mirror = Mirror::open(db.url()).unwrap();
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
async fn rows(db: &TestDatabase, table: &str) -> BTreeMap<String, (Value, Option<String>)> {
    db.query(&format!(
        "SELECT CAST(\"{}\" AS TEXT), CAST(raw AS TEXT), CAST(deleted_at AS TEXT) FROM \"{table}\"",
        key_of(table)
    ))
    .await
    .into_iter()
    .map(|row| {
        let mut row = row.into_iter();
        let key = row.next().flatten().expect("a key");
        let raw = row.next().flatten().expect("raw");
        let deleted = row.next().flatten();
        (key, (serde_json::from_str(&raw).unwrap(), deleted))
    })
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

async fn the_first_run_copies_every_record_as_the_client_reads_it(db: TestDatabase) {
    let mock = mock(|_| {}).await;
    let client = client(&mock);
    let summary = sync(&db, &client, Options::default()).await;
    assert!(summary.schema_changes.iter().any(
        |c| matches!(c, SchemaChange::CreateTable { table } if table == "invoices__invoice_items")
    ));
    for resource in catalog::resources() {
        let done = of(&summary, resource.name);
        // Lists that need a parent's key are read per parent record: none is left out.
        assert!(
            !matches!(done.mode, Mode::Skipped { .. }),
            "{}: {}",
            resource.name,
            done.mode
        );
        let served = mock.records().list(resource.name).unwrap();
        let stored = rows(&db, &done.table).await;
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
    let rows = db
        .integer("SELECT count(*) FROM invoices__invoice_items")
        .await;
    let items = db
        .integer(db.pick(
            "SELECT coalesce(sum(json_array_length(raw, '$.invoiceItems')), 0) FROM invoices",
            "SELECT coalesce(sum(json_array_length(raw -> 'invoiceItems')), 0) FROM invoices",
        ))
        .await;
    assert_eq!(rows, items);
    assert!(rows > 0);
    let mismatched = db
        .integer(db.pick(
            "SELECT count(*) FROM customers WHERE name IS NOT raw ->> '$.name'",
            "SELECT count(*) FROM customers WHERE name IS DISTINCT FROM raw ->> 'name'",
        ))
        .await;
    assert_eq!(mismatched, 0);
    // Typed columns hold what the records say: moments as moments, numbers as numbers.
    let moments = db
        .integer(db.pick(
            "SELECT count(*) FROM invoices
             WHERE \"invoiceDate\" IS NOT NULL AND julianday(\"invoiceDate\") IS NULL",
            "SELECT count(*) FROM invoices
             WHERE \"invoiceDate\" IS DISTINCT FROM NULLIF(raw ->> 'invoiceDate', '')::timestamptz",
        ))
        .await;
    assert_eq!(moments, 0, "every invoice date is a moment");
    let named = db
        .integer(
            "SELECT count(*) FROM custom_field_values
             WHERE resource = 'invoices' AND field_name = 'Rabatt %' AND value_number IS NOT NULL",
        )
        .await;
    assert!(named > 0, "custom-field values are resolved by name");
}

async fn a_second_run_reads_and_writes_only_what_changed(db: TestDatabase) {
    let mock = mock(|_| {}).await;
    let client = client(&mock);
    let only = || Options::default().resources(["customers", "time-logs", "departments"]);
    sync(&db, &client, only()).await;

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
    let second = sync(&db, &client, only()).await;
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

    let stored = rows(&db, "customers").await;
    for id in &customers[..3] {
        assert_eq!(stored[id].0["city"], "Kiruna");
    }
    assert_eq!(stored["64b000000000000000000001"].0["name"], "Ny Kund AB");
    assert_eq!(stored.len(), customers.len() + 1);
}

async fn a_changed_record_replaces_its_child_rows_and_custom_field_values(db: TestDatabase) {
    let mock = mock(|_| {}).await;
    let client = client(&mock);
    let only = || Options::default().resources(["invoices"]);
    let records = mock.records();
    let invoice = records
        .list("invoices")
        .unwrap()
        .into_iter()
        .find(|invoice| {
            invoice["invoiceItems"]
                .as_array()
                .is_some_and(|items| !items.is_empty())
                && invoice["customFields"]
                    .as_array()
                    .is_some_and(|fields| !fields.is_empty())
        })
        .expect("the mock has an invoice with rows and custom fields");
    let id = invoice["_id"].as_str().unwrap().to_string();
    let item = invoice["invoiceItems"][0].clone();
    records
        .update("invoices", &id, |record| {
            record.insert("invoiceItems".into(), json!([item, item, item]));
        })
        .unwrap();
    sync(&db, &client, only()).await;

    records
        .update("invoices", &id, |record| {
            record.insert("invoiceItems".into(), json!([item]));
            record.insert("customFields".into(), json!([]));
        })
        .unwrap();
    let second = sync(&db, &client, only().full(true)).await;
    assert_eq!(of(&second, "invoices").updated, 1);

    // `_id`s are hex: safe to write into the query.
    let rows = db
        .integer(&format!(
            "SELECT count(*) FROM invoices__invoice_items WHERE parent_id = '{id}'"
        ))
        .await;
    assert_eq!(
        rows, 1,
        "the rows the invoice lost are gone, the one kept is there once"
    );
    let values = db
        .integer(&format!(
            "SELECT count(*) FROM custom_field_values
             WHERE resource = 'invoices' AND record_id = '{id}'"
        ))
        .await;
    assert_eq!(values, 0, "the custom-field values it lost are gone");
    // The other invoices' rows stay as they were.
    let items = db
        .integer(db.pick(
            "SELECT coalesce(sum(json_array_length(raw, '$.invoiceItems')), 0) FROM invoices",
            "SELECT coalesce(sum(json_array_length(raw -> 'invoiceItems')), 0) FROM invoices",
        ))
        .await;
    assert_eq!(
        db.integer("SELECT count(*) FROM invoices__invoice_items")
            .await,
        items
    );
}

async fn deletions_are_marked_by_full_passes_and_rows_stay(db: TestDatabase) {
    let mock = mock(|_| {}).await;
    let client = client(&mock);
    let only = || Options::default().resources(["customers", "departments"]);
    sync(&db, &client, only()).await;
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
    let second = sync(&db, &client, only()).await;
    assert_eq!(of(&second, "customers").deleted, 0);
    assert_eq!(of(&second, "departments").deleted, 1);
    assert!(rows(&db, "departments").await[&gone_department].1.is_some());
    assert!(rows(&db, "customers").await[&gone_customer].1.is_none());

    let full = sync(&db, &client, only().full(true)).await;
    assert_eq!(of(&full, "customers").deleted, 1);
    assert_eq!(of(&full, "departments").deleted, 0, "marked once");
    let stored = rows(&db, "customers").await;
    assert!(stored[&gone_customer].1.is_some(), "marked, not dropped");
    assert_eq!(
        stored
            .values()
            .filter(|(_, deleted)| deleted.is_none())
            .count(),
        records.list("customers").unwrap().len()
    );
}

async fn a_second_sync_of_the_same_database_is_refused(db: TestDatabase) {
    let mock = mock(|_| {}).await;
    let client = client(&mock);
    // The first sync stops on its first page until the second has tried.
    let first = Arc::new(Mirror::open(db.url()).unwrap());
    let (reached, wait_for_first) = std::sync::mpsc::channel::<()>();
    let (release, wait_for_release) = std::sync::mpsc::channel::<()>();
    let wait_for_release = std::sync::Mutex::new(wait_for_release);
    let paused = AtomicBool::new(false);
    let running = tokio::spawn({
        let (first, client) = (first.clone(), client.clone());
        async move {
            let options = Options::default().resources(["departments"]).page_size(5);
            first
                .sync(&client, &options, &move |event: &Event| {
                    if matches!(event, Event::Page { .. }) && !paused.swap(true, Ordering::SeqCst) {
                        reached.send(()).unwrap();
                        wait_for_release.lock().unwrap().recv().unwrap();
                    }
                })
                .await
        }
    });
    tokio::task::spawn_blocking(move || wait_for_first.recv())
        .await
        .unwrap()
        .expect("the first sync reached its first page");

    let second = Mirror::open(db.url()).unwrap();
    let before = mock.requests_received();
    let error = second
        .sync(&client, &Options::default(), &|_| {})
        .await
        .unwrap_err();
    assert!(matches!(error, SyncError::Locked { .. }), "{error}");
    assert!(
        error.to_string().contains("another `seventime sync`"),
        "{error}"
    );
    assert_eq!(mock.requests_received(), before, "nothing was sent");

    release.send(()).unwrap();
    let summary = running.await.unwrap().expect("the first sync finishes");
    assert!(of(&summary, "departments").inserted > 0);
    // The lock went with the first sync.
    second
        .sync(
            &client,
            &Options::default().resources(["departments"]),
            &|_| {},
        )
        .await
        .unwrap();
}

async fn a_property_the_database_lacks_becomes_a_column_filled_from_raw(db: TestDatabase) {
    let mock = mock(|_| {}).await;
    let client = client(&mock);
    let only = || Options::default().resources(["customers"]);
    sync(&db, &client, only()).await;
    // The database as a version of the spec without `city` would have left it.
    db.execute(
        "ALTER TABLE customers DROP COLUMN city;
         DELETE FROM _seventime_columns WHERE table_name = 'customers' AND column_name = 'city';",
    )
    .await;
    let second = sync(&db, &client, only()).await;
    assert!(second.schema_changes.contains(&SchemaChange::AddColumn {
        table: "customers".into(),
        column: "city".into(),
    }));
    let filled = db.integer("SELECT count(city) FROM customers").await;
    let expected = db
        .integer(db.pick(
            "SELECT count(raw ->> '$.city') FROM customers",
            "SELECT count(raw ->> 'city') FROM customers",
        ))
        .await;
    assert!(expected > 0);
    assert_eq!(
        filled, expected,
        "rows stored before the column came are filled"
    );
}

async fn unknown_resources_are_refused_with_what_to_do(db: TestDatabase) {
    let mirror = Mirror::open(db.url()).unwrap();
    let error = mirror
        .plan(&Options::default().resources(["custmers"]))
        .unwrap_err();
    assert!(error.to_string().contains("customers"), "{error}");
}

async fn records_changed_while_a_run_reads_are_not_missed(db: TestDatabase) {
    let mock = mock(|_| {}).await;
    let client = client(&mock);
    let only = || {
        Options::default()
            .resources(["customers", "time-logs"])
            .page_size(10)
            // No overlap: the cursor alone must keep every change in reach.
            .overlap(std::time::Duration::ZERO)
    };
    sync(&db, &client, only()).await;
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
    let mirror = Mirror::open(db.url()).unwrap();
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
    sync(&db, &client, only()).await;
    for resource in ["customers", "time-logs"] {
        let catalog = catalog::resource(resource).unwrap();
        let stored = rows(&db, &resource.replace('-', "_")).await;
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

async fn pages_shifting_under_a_full_pass_hide_nothing_and_mark_nothing_wrongly(db: TestDatabase) {
    let mock = mock(|_| {}).await;
    let client = client(&mock);
    let records = mock.records();
    let ids = |resource: &str| ids_of(&records, resource);
    let (departments, customers) = (ids("departments"), ids("customers"));
    let options = Options::default()
        .resources(["departments", "customers"])
        .page_size(10);
    let departments_only = Options::default().resources(["departments"]).page_size(10);
    sync(&db, &client, departments_only.clone()).await;

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
    let mirror = Mirror::open(db.url()).unwrap();
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
    let stored = rows(&db, "departments").await;
    assert_eq!(
        stored[&departments[20]].1, None,
        "the hidden department is kept"
    );
    // Customers' first run reads by modification time, which pages cannot shift: the one run
    // holds every customer there is.
    let stored_customers = rows(&db, "customers").await;
    for id in ids("customers") {
        assert!(stored_customers.contains_key(&id), "customer {id} was read");
    }
    assert!(stored_customers.contains_key(&customers[20]));

    // The next full pass marks the ones that went, and only those.
    let again = sync(&db, &client, options.clone().full(true)).await;
    assert_eq!(of(&again, "departments").deleted, 1);
    assert_eq!(of(&again, "customers").deleted, 1);
    for (resource, table) in [("departments", "departments"), ("customers", "customers")] {
        let stored = rows(&db, table).await;
        for id in ids(resource) {
            assert_eq!(stored[&id].1, None, "{resource} {id}");
        }
    }
    assert!(rows(&db, "departments").await[&departments[0]].1.is_some());
    assert!(rows(&db, "customers").await[&customers[0]].1.is_some());
}

/// The first pass over an empty table writes rows while a record goes: the count changes, so
/// the pass is read again. The second attempt begins on a table that is not empty any more, so
/// it looks for the rows it did not find (here the one that went) and marks them.
async fn a_first_pass_the_list_changed_under_is_read_again_and_marks_what_went(db: TestDatabase) {
    let mock = mock(|_| {}).await;
    let client = client(&mock);
    let records = mock.records();
    let departments = ids_of(&records, "departments");
    let options = Options::default().resources(["departments"]).page_size(10);
    let pages = std::sync::atomic::AtomicU32::new(0);
    let mirror = Mirror::open(db.url()).unwrap();
    let summary = mirror
        .sync(&client, &options, &|event| {
            if matches!(event, Event::Page { .. }) && pages.fetch_add(1, Ordering::SeqCst) + 1 == 2
            {
                records.delete("departments", &departments[0]).unwrap();
            }
        })
        .await
        .unwrap();
    let read = of(&summary, "departments");
    assert!(
        read.notes.iter().any(|note| note.contains("read again")),
        "{:?}",
        read.notes
    );
    assert_eq!(read.deleted, 1, "the department that went is marked");
    let stored = rows(&db, "departments").await;
    assert!(stored[&departments[0]].1.is_some());
    for id in ids_of(&records, "departments") {
        assert_eq!(stored[&id].1, None, "department {id} is live");
    }
}

async fn a_crowd_of_records_in_one_second_is_read_whole_and_the_read_ends(db: TestDatabase) {
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
    let only = || Options::default().resources(["customers"]).page_size(10);
    sync(&db, &client, only()).await;
    let since: seventime::Timestamp = "2026-01-01 00:00".parse().unwrap();
    let crowd = sync(&db, &client, only().since(since)).await;
    let customers = of(&crowd, "customers");
    assert!(matches!(customers.mode, Mode::Incremental { .. }));
    // Three full pages of one second, then the empty fourth: the same request paged on.
    assert_eq!((customers.fetched, customers.requests), (30, 4));
    assert_eq!(customers.unchanged, 30);
}

#[test]
fn databases_it_cannot_write_to_are_refused_with_what_to_do() {
    let error = Mirror::open("mysql://localhost/mirror").unwrap_err();
    assert!(error.to_string().contains("postgres://"), "{error}");
    // Nothing listens on port 9 of 127.0.0.1; the password is not in the message.
    let error = Mirror::open("postgres://mirror:s3cret@127.0.0.1:9/mirror").unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("cannot open the database postgres://mirror:***@127.0.0.1:9/mirror"),
        "{message}"
    );
    assert!(!message.contains("s3cret"), "{message}");
}

async fn a_list_read_per_parent_resumes_after_its_last_parent_and_marks_the_removed(
    db: TestDatabase,
) {
    let mock = seventime_test_support::mock_with_records(12, |_| {}).await;
    let client = client(&mock);
    let records = mock.records();
    let projects = ids_of(&records, "projects");
    // Supplement orders alone: their parents, the projects, come along and are read first.
    let only = || Options::default().resources(["supplement-orders"]);

    // A run cut short (its listener panics) after the fourth project's supplement orders are
    // committed, before that project is recorded as read.
    let cut = tokio::spawn({
        let (url, client) = (db.url(), client.clone());
        async move {
            let pages = std::sync::atomic::AtomicU32::new(0);
            let mirror = Mirror::open(url).unwrap();
            mirror
                .sync(&client, &only(), &move |event: &Event| {
                    if let Event::Page {
                        resource: "supplement-orders",
                        ..
                    } = event
                        && pages.fetch_add(1, Ordering::SeqCst) == 3
                    {
                        panic!("cut short on purpose");
                    }
                })
                .await
        }
    });
    assert!(cut.await.is_err(), "the first run was cut short");
    let before = mock.requests_received();
    let resumed = sync(&db, &client, only()).await;
    let orders = of(&resumed, "supplement-orders");
    assert!(
        orders
            .mode
            .to_string()
            .contains("read once per record of projects"),
        "{}",
        orders.mode
    );
    // One list per project not yet read whole: the fourth again, then the rest.
    assert_eq!(orders.requests, projects.len() as u64 - 3);
    let sent = mock.requests_received() - before;
    let counted: u64 = resumed.resources.iter().map(|r| r.requests).sum();
    assert_eq!(sent, counted, "the summary counts every request");
    let served = records.list("supplement-orders").unwrap();
    let stored = rows(&db, "supplement_orders").await;
    assert_eq!(stored.len(), served.len());
    for record in &served {
        let (raw, deleted) = &stored[record["_id"].as_str().unwrap()];
        assert_eq!(raw["project"], record["project"]);
        assert_eq!(deleted, &None);
    }

    // The plan of the next run counts one list per project the mirror holds, and reads the
    // projects first.
    let plan = Mirror::open(db.url()).unwrap().plan(&only()).unwrap();
    let order: Vec<&str> = plan.resources.iter().map(|read| read.resource).collect();
    assert_eq!(order, ["projects", "supplement-orders"]);
    assert_eq!(plan.resources[1].requests, Some(projects.len() as u64));

    // A project removed with its supplement orders: no project's list has them any more, and
    // asked for by id they are gone, so the next full pass marks them deleted (and keeps them).
    let gone = &projects[0];
    let orphans: Vec<String> = served
        .iter()
        .filter(|order| order["project"] == gone.as_str())
        .map(|order| order["_id"].as_str().unwrap().to_string())
        .collect();
    assert!(
        !orphans.is_empty(),
        "the mock links supplement orders to projects"
    );
    records.delete("projects", gone).unwrap();
    for id in &orphans {
        records.delete("supplement-orders", id).unwrap();
    }
    let full = sync(&db, &client, only().full(true)).await;
    assert_eq!(of(&full, "projects").deleted, 1);
    assert_eq!(of(&full, "supplement-orders").deleted, orphans.len() as u64);
    let stored = rows(&db, "supplement_orders").await;
    for id in &orphans {
        assert!(stored[id].1.is_some(), "{id} is marked deleted");
    }
    assert_eq!(stored.len(), served.len());
}

async fn a_page_that_fails_leaves_every_page_before_it_committed_and_counted(db: TestDatabase) {
    // 100 time logs in pages of 10 (a full pass by page number: no page reads a record twice);
    // the fourth request the mock receives, a page, is answered 400, which is not retried.
    let faulty = seventime_test_support::mock_with_records(100, |config| {
        config.faults.fail_requests = BTreeMap::from([(4, 400)]);
    })
    .await;
    let options = || Options::default().resources(["time-logs"]).page_size(10);
    let told = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let error = Mirror::open(db.url())
        .unwrap()
        .sync(&client(&faulty), &options(), &{
            let told = Arc::clone(&told);
            move |event: &Event| {
                if let Event::Page { fetched, .. } = event {
                    told.store(*fetched, Ordering::SeqCst);
                }
            }
        })
        .await
        .expect_err("a page failed");
    assert!(error.to_string().contains("time-logs"), "{error}");
    // Pages are written beside the next read: the one written while the failing page was
    // asked for is committed and counted before the error returns, and nothing more is.
    let committed = rows(&db, "time_logs").await.len() as u64;
    assert_eq!(committed, told.load(Ordering::SeqCst));
    assert!(committed >= 10, "a page was committed before the failure");
    assert!(committed < 100);

    // The same data without the fault: the next run inserts exactly the rest.
    let mock = seventime_test_support::mock_with_records(100, |_| {}).await;
    let resumed = sync(&db, &client(&mock), options()).await;
    assert_eq!(of(&resumed, "time-logs").inserted, 100 - committed);
    assert_eq!(rows(&db, "time_logs").await.len(), 100);
}

async fn a_row_an_earlier_version_wrote_with_sorted_properties_is_unchanged(db: TestDatabase) {
    let mock = mock(|_| {}).await;
    let client = client(&mock);
    let only = || Options::default().resources(["customers"]);
    let first = sync(&db, &client, only()).await;
    let stored = db
        .query("SELECT _id, CAST(raw AS TEXT) FROM customers")
        .await;
    // Before records were kept as the client's text, `raw` was a JSON tree written out: its
    // properties sorted by name.
    let mut rewrite = String::new();
    let mut reordered = 0;
    for row in &stored {
        let (Some(id), Some(raw)) = (&row[0], &row[1]) else {
            panic!("a row without _id or raw: {row:?}");
        };
        let sorted = serde_json::from_str::<Value>(raw).unwrap().to_string();
        reordered += usize::from(sorted != *raw);
        rewrite.push_str(&format!(
            "UPDATE customers SET raw = '{}' WHERE _id = '{id}';",
            sorted.replace('\'', "''")
        ));
    }
    assert!(reordered > 0, "the client's text is not sorted by name");
    db.execute(&rewrite).await;
    let second = sync(&db, &client, only().full(true)).await;
    let customers = of(&second, "customers");
    assert_eq!(customers.fetched, of(&first, "customers").inserted);
    assert_eq!(
        (customers.inserted, customers.updated, customers.unchanged),
        (0, 0, customers.fetched)
    );
}
