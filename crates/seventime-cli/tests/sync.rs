//! `seventime sync` as a user runs it: into a SQLite file from the embedded mock, a second run
//! incremental, `--dry-run` changing nothing, and a run killed with SIGKILL in the middle of a
//! page sequence resuming to the same database a clean run gives (SQLite and PostgreSQL).

mod common;

use std::num::NonZeroU32;
use std::process::Stdio;
use std::time::{Duration, Instant};

use seventime_mock::Fixtures;
use seventime_test_support::databases::{Backend, TestDatabase};

use common::{Served, exec, seventime};

#[test]
fn mock_sync_fills_a_database_and_the_second_run_is_incremental() {
    let dir = tempfile::tempdir().unwrap();
    // Every resource, supplement orders per project included: at the documented 4 requests per
    // second that is most of a minute per run, so the mock and the client both go faster.
    let first =
        exec(
            seventime()
                .current_dir(dir.path())
                .args(["--mock", "--rate-limit", "50", "sync"]),
        );
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(dir.path().join("seventime.db").exists());
    let header = first.stdout.lines().next().unwrap();
    for column in ["RESOURCE", "FETCHED", "INSERTED", "UPDATED", "DELETED"] {
        assert!(header.contains(column), "{header}");
    }
    assert!(first.stderr.contains("created"), "{}", first.stderr);

    // The embedded mock serves the same data each time: nothing is new the second time, and
    // the resources that can be read by lastModified are.
    let second = exec(seventime().current_dir(dir.path()).args([
        "--mock",
        "--rate-limit",
        "50",
        "sync",
        "-o",
        "json",
    ]));
    assert_eq!(second.code, 0, "{}", second.stderr);
    let summary: serde_json::Value = serde_json::from_str(&second.stdout).unwrap();
    let resources = summary["resources"].as_array().unwrap();
    let customers = resources
        .iter()
        .find(|r| r["resource"] == "customers")
        .unwrap();
    assert!(
        customers["mode"]
            .as_str()
            .unwrap()
            .starts_with("incremental"),
        "{customers}"
    );
    for resource in resources {
        assert_eq!(resource["inserted"], 0, "{resource}");
        assert_eq!(resource["updated"], 0, "{resource}");
    }
}

#[test]
fn dry_run_prints_the_plan_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let run = exec(seventime().current_dir(dir.path()).args([
        "--mock",
        "sync",
        "--dry-run",
        "--resources",
        "invoices",
    ]));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("create table invoices__invoice_items"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("full (the API cannot list it by lastModified)"),
        "{}",
        run.stdout
    );
    assert!(
        !dir.path().join("seventime.db").exists(),
        "a dry run creates no database"
    );
    // Nothing stored to count yet: the estimate says so.
    assert!(
        run.stdout
            .contains("`?` for 1 resource the database holds nothing of yet"),
        "{}",
        run.stdout
    );

    // Against an existing database the plan reads its state: customers are incremental.
    let made = exec(seventime().current_dir(dir.path()).args([
        "--mock",
        "sync",
        "--resources",
        "customers",
    ]));
    assert_eq!(made.code, 0, "{}", made.stderr);
    let planned = exec(seventime().current_dir(dir.path()).args([
        "--mock",
        "sync",
        "--dry-run",
        "--resources",
        "customers",
    ]));
    assert!(
        planned.stdout.contains("tables: up to date"),
        "{}",
        planned.stdout
    );
    assert!(
        planned.stdout.contains("incremental since"),
        "{}",
        planned.stdout
    );
    // The fewest requests, from what the database holds: customers are read from the cursor,
    // one page at least.
    let row = planned
        .stdout
        .lines()
        .find(|line| line.starts_with("customers"))
        .unwrap();
    assert!(row.contains("≥ 1"), "{}", planned.stdout);
    assert!(
        planned
            .stdout
            .contains("At least 1 request (0.2 s at 4 per second)"),
        "{}",
        planned.stdout
    );

    let wrong = exec(seventime().current_dir(dir.path()).args([
        "--mock",
        "sync",
        "--resources",
        "custmers",
    ]));
    assert_eq!(wrong.code, 2, "{}", wrong.stderr);
    assert!(
        wrong.stderr.contains("`custmers` is not a resource"),
        "{}",
        wrong.stderr
    );
}

const TABLES: [&str; 5] = [
    "customers",
    "departments",
    "invoices",
    "invoices__invoice_items",
    "custom_field_values",
];

/// Every row of `table` without the columns that say when it was written, each as its values
/// joined, sorted.
async fn dump(db: &TestDatabase, table: &str) -> Vec<String> {
    let columns: Vec<String> = db
        .columns(table)
        .await
        .into_iter()
        .filter(|name| name != "synced_at" && name != "seen_in_pass")
        .collect();
    let select = columns
        .iter()
        .map(|c| format!("CAST(\"{c}\" AS TEXT)"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut rows: Vec<String> = db
        .query(&format!("SELECT {select} FROM \"{table}\""))
        .await
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|value| value.map_or("NULL".into(), |v| format!("{v:?}")))
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    rows.sort();
    rows
}

/// Pages committed so far (0 before the mirror's tables exist).
async fn pages_committed(db: &TestDatabase) -> i64 {
    db.try_query("SELECT CAST(coalesce(sum(pass_page), 0) AS TEXT) FROM _seventime_state")
        .await
        .ok()
        .and_then(|rows| rows.into_iter().next()?.into_iter().next()?)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[test]
fn a_sync_killed_mid_run_resumes_to_what_one_clean_run_gives() {
    killed_and_resumed(Backend::Sqlite);
}

#[test]
fn a_sync_into_postgres_killed_mid_run_resumes_to_what_one_clean_run_gives() {
    killed_and_resumed(Backend::Postgres);
}

fn killed_and_resumed(backend: Backend) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Some(clean) = runtime.block_on(TestDatabase::new(backend)) else {
        return;
    };
    let killed = runtime.block_on(TestDatabase::new(backend)).unwrap();
    let served = Served::start(|config| {
        config.fixtures = Fixtures::builtin().with_records(200);
        config.rate_limit = NonZeroU32::new(25);
    });
    let args = |db: &TestDatabase| -> Vec<String> {
        [
            "sync",
            "--db",
            &db.url(),
            "--resources",
            "customers,departments,invoices",
            "--page-size",
            "10",
            "--concurrency",
            "2",
        ]
        .map(String::from)
        .to_vec()
    };
    let run = exec(served.seventime().args(args(&clean)));
    assert_eq!(run.code, 0, "{}", run.stderr);

    let mut child = served
        .process()
        .args(args(&killed))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while runtime.block_on(pages_committed(&killed)) < 8 {
        assert!(Instant::now() < deadline, "no pages were committed");
        assert!(
            child.try_wait().unwrap().is_none(),
            "it finished before the kill"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL: no destructor, no rollback handler runs
    let status = child.wait().unwrap();
    assert!(!status.success());
    let partial = runtime.block_on(async {
        dump(&killed, "customers").await.len() + dump(&killed, "invoices").await.len()
    });
    assert!(partial < 400, "killed before the end ({partial} rows)");

    let resumed = exec(served.seventime().args(args(&killed)));
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    for table in TABLES {
        let (want, have) =
            runtime.block_on(async { (dump(&clean, table).await, dump(&killed, table).await) });
        assert!(!want.is_empty(), "{table}");
        assert_eq!(want.len(), have.len(), "{table}: rows");
        assert_eq!(want, have, "{table}");
    }
}
