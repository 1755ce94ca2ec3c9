//! The databases the mirror's tests run against: a SQLite file in a temporary directory, and a
//! PostgreSQL database created for the one test on the server `SEVENTIME_TEST_POSTGRES`
//! names (`ci/postgres start` starts a throw-away one and prints the variable).
//!
//! Without that variable the PostgreSQL variant of a test says so on stderr and does not run,
//! except under CI (`CI` set), where a missing server fails the test: the CI run must not pass
//! without PostgreSQL.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// The variable naming a PostgreSQL server for the tests: a URL whose role may create
/// databases.
pub const POSTGRES_VARIABLE: &str = "SEVENTIME_TEST_POSTGRES";

/// A database for one test.
pub enum TestDatabase {
    /// A SQLite file.
    Sqlite {
        /// Holds the file; removed with it.
        dir: tempfile::TempDir,
        /// The file.
        path: PathBuf,
    },
    /// A database of its own on the test server, dropped with the value.
    Postgres {
        /// The server's URL the database was created from.
        admin: String,
        /// The database's name.
        name: String,
        /// The URL of the database.
        url: String,
    },
}

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

impl TestDatabase {
    /// A database of `backend`; `None` (said on stderr) when PostgreSQL is not configured
    /// outside CI.
    pub async fn new(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => Some(Self::sqlite()),
            Backend::Postgres => Self::postgres().await,
        }
    }

    /// A new SQLite file.
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("mirror.db");
        Self::Sqlite { dir, path }
    }

    /// A new database on the server [`POSTGRES_VARIABLE`] names.
    pub async fn postgres() -> Option<Self> {
        let Ok(admin) = std::env::var(POSTGRES_VARIABLE) else {
            if std::env::var_os("CI").is_some() {
                panic!(
                    "{POSTGRES_VARIABLE} is not set: CI runs every mirror test against PostgreSQL too (`eval \"$(ci/postgres start)\"` starts a server)"
                );
            }
            eprintln!(
                "PostgreSQL variant not run: set {POSTGRES_VARIABLE} (`eval \"$(ci/postgres start)\"` starts a throw-away server)"
            );
            return None;
        };
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "mirror_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let client = connect(&admin).await;
        // One statement per request: neither may run inside the implicit transaction of a
        // multi-statement request.
        for statement in [
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name}"),
        ] {
            client
                .batch_execute(&statement)
                .await
                .unwrap_or_else(|e| panic!("cannot create the test database {name}: {e:?}"));
        }
        let url = with_database(&admin, &name);
        Some(Self::Postgres { admin, name, url })
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite { .. } => Backend::Sqlite,
            Self::Postgres { .. } => Backend::Postgres,
        }
    }

    /// What to give `Mirror::open` or `--db`.
    pub fn url(&self) -> String {
        match self {
            Self::Sqlite { path, .. } => path.to_str().expect("a UTF-8 path").to_string(),
            Self::Postgres { url, .. } => url.clone(),
        }
    }

    /// The SQLite file, for SQLite.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Self::Sqlite { path, .. } => Some(path),
            Self::Postgres { .. } => None,
        }
    }

    /// `sqlite` or `postgres`, whichever SQL is this database's.
    pub fn pick<'s>(&self, sqlite: &'s str, postgres: &'s str) -> &'s str {
        match self {
            Self::Sqlite { .. } => sqlite,
            Self::Postgres { .. } => postgres,
        }
    }

    /// The rows `sql` returns, each value as text (`None` for NULL).
    pub async fn query(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        self.try_query(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The rows `sql` returns, or why it failed (a table not created yet).
    pub async fn try_query(&self, sql: &str) -> Result<Vec<Vec<Option<String>>>, String> {
        match self {
            Self::Sqlite { path, .. } => {
                let db = rusqlite::Connection::open_with_flags(
                    path,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
                )
                .map_err(|e| e.to_string())?;
                let mut statement = db.prepare(sql).map_err(|e| e.to_string())?;
                let width = statement.column_count();
                let mut rows = statement.query([]).map_err(|e| e.to_string())?;
                let mut out = Vec::new();
                while let Some(row) = rows.next().map_err(|e| e.to_string())? {
                    let mut values = Vec::with_capacity(width);
                    for i in 0..width {
                        use rusqlite::types::ValueRef;
                        values.push(match row.get_ref(i).map_err(|e| e.to_string())? {
                            ValueRef::Null => None,
                            ValueRef::Integer(n) => Some(n.to_string()),
                            ValueRef::Real(n) => Some(n.to_string()),
                            ValueRef::Text(t) | ValueRef::Blob(t) => {
                                Some(String::from_utf8_lossy(t).into_owned())
                            }
                        });
                    }
                    out.push(values);
                }
                Ok(out)
            }
            Self::Postgres { url, .. } => {
                let client = try_connect(url).await.map_err(|e| format!("{e:?}"))?;
                let messages = client
                    .simple_query(sql)
                    .await
                    .map_err(|e| format!("{e:?}"))?;
                Ok(messages
                    .into_iter()
                    .filter_map(|message| match message {
                        tokio_postgres::SimpleQueryMessage::Row(row) => Some(
                            (0..row.len())
                                .map(|i| row.get(i).map(str::to_string))
                                .collect(),
                        ),
                        _ => None,
                    })
                    .collect())
            }
        }
    }

    /// The columns of `table`, in order.
    pub async fn columns(&self, table: &str) -> Vec<String> {
        let sql = match self {
            Self::Sqlite { .. } => format!("SELECT name FROM pragma_table_info('{table}')"),
            Self::Postgres { .. } => format!(
                "SELECT column_name FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = '{table}'
                 ORDER BY ordinal_position"
            ),
        };
        self.query(&sql)
            .await
            .into_iter()
            .filter_map(|row| row.into_iter().next().flatten())
            .collect()
    }

    /// The one integer `sql` returns.
    pub async fn integer(&self, sql: &str) -> i64 {
        let rows = self.query(sql).await;
        rows.first()
            .and_then(|row| row.first())
            .and_then(|value| value.as_deref())
            .unwrap_or_else(|| panic!("{sql} returns a value"))
            .parse()
            .unwrap_or_else(|e| panic!("{sql} returns an integer: {e}"))
    }

    /// Runs statements (no rows).
    pub async fn execute(&self, sql: &str) {
        match self {
            Self::Sqlite { path, .. } => {
                let db = rusqlite::Connection::open(path).expect("the mirror's file opens");
                db.execute_batch(sql)
                    .unwrap_or_else(|e| panic!("{sql}: {e}"));
            }
            Self::Postgres { url, .. } => {
                let client = connect(url).await;
                client
                    .batch_execute(sql)
                    .await
                    .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Self::Postgres { admin, name, .. } = self else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot be blocked on: a thread of its
        // own drops the database (best effort; the throw-away server goes anyway).
        let (admin, database) = (admin.clone(), name.clone());
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let client = try_connect(&admin).await.ok()?;
                client
                    .batch_execute(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
                    .await
                    .ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(()))) {
            eprintln!("the test database {name} was left on the server");
        }
    }
}

async fn try_connect(url: &str) -> Result<tokio_postgres::Client, tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

async fn connect(url: &str) -> tokio_postgres::Client {
    try_connect(url).await.unwrap_or_else(|e| {
        panic!("cannot connect to the test PostgreSQL server ({POSTGRES_VARIABLE}): {e}")
    })
}

/// The PostgreSQL connection string `url` naming database `name` instead of its own (the
/// user, password, host and options kept).
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |at| at + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |at| scheme_end + at);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}
