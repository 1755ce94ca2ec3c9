//! Where the mirror keeps its rows: one [`Store`] over a [`Backend`] (SQLite or PostgreSQL).
//!
//! The mirror's SQL is written once, in the files beside this one, by concern: `own.rs` (the
//! mirror's own tables: progress, passes, runs), `schema_changes.rs` (tables and columns the
//! plan asks for) and `rows.rs` (the one transaction per page that writes a page's rows
//! together with the resource's progress). A backend only runs statements in transactions and
//! says how its SQL differs ([`Dialect`]): placeholders, column types, reading a property of
//! `raw`. So the transaction boundaries, and the rule that values are bound and identifiers
//! quoted, are the same for both databases and can be checked by reading one place.

mod own;
mod postgres;
mod rows;
mod schema_changes;
mod sqlite;
mod values;

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::schema::Kind;

pub(crate) use own::{Pass, State};
pub(crate) use rows::Written;
pub use schema_changes::SchemaChange;

/// A database failure, as the database worded it.
#[derive(Debug, Clone)]
pub(crate) struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub(crate) type Result<T> = std::result::Result<T, Error>;

/// A value bound to a statement, or read from a row. Text is borrowed where it can be: a page
/// binds every record's `raw` and most of its properties as text, and copying each of them once
/// more on the way to the database was a tenth of a sync's time.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Param<'a> {
    Null,
    Text(Cow<'a, str>),
    Integer(i64),
    Real(f64),
    Boolean(bool),
}

/// A row read back: values that own their text.
pub(crate) type Row = Vec<Param<'static>>;

impl Param<'_> {
    fn text(&self) -> Option<&str> {
        match self {
            Self::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The text, owned (a value read back and kept).
    fn into_text(self) -> Option<String> {
        match self {
            Self::Text(text) => Some(text.into_owned()),
            _ => None,
        }
    }

    fn integer(&self) -> Option<i64> {
        match self {
            Self::Integer(value) => Some(*value),
            _ => None,
        }
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(text: &'a str) -> Self {
        Self::Text(Cow::Borrowed(text))
    }
}

impl From<String> for Param<'_> {
    fn from(text: String) -> Self {
        Self::Text(Cow::Owned(text))
    }
}

impl<'a> From<Cow<'a, str>> for Param<'a> {
    fn from(text: Cow<'a, str>) -> Self {
        Self::Text(text)
    }
}

impl From<i64> for Param<'_> {
    fn from(value: i64) -> Self {
        Self::Integer(value)
    }
}

impl<'a, T: Into<Param<'a>>> From<Option<T>> for Param<'a> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Null, Into::into)
    }
}

/// How a backend's SQL differs. Statements are written with SQLite's numbered placeholders
/// (`?1`); a backend with other placeholders rewrites them.
pub(crate) struct Dialect {
    /// The column type of a property column of `kind`.
    pub column_type: fn(Kind) -> &'static str,
    /// The type of `raw`: it keeps the record's text byte for byte, so that a record received
    /// again compares equal.
    pub raw_type: &'static str,
    /// The type of the mirror's moments (`synced_at`, `deleted_at`).
    pub moment_type: &'static str,
    /// SQL reading property `name` of `raw` as a column of `kind` holds it (as
    /// [`values::bind`] would have bound it): fills a column added to rows already stored.
    pub from_raw: fn(Kind, &str) -> String,
    /// The statements that change `column` of `table` to `kind`, widening it.
    pub widen: fn(&str, &str, Kind) -> Vec<String>,
    /// A query counting the tables named `?1`.
    pub table_exists: &'static str,
    /// The mirror's own tables, created when missing.
    pub own_tables: &'static str,
}

/// A database the mirror can write to.
pub(crate) trait Backend: Send {
    /// How its SQL differs.
    fn dialect(&self) -> &'static Dialect;
    /// Begins a transaction; dropped without [`Tx::commit`], it rolls back.
    fn transaction(&mut self) -> Result<Box<dyn Tx + '_>>;
    /// Takes the database's writer lock for this connection, if the database has one (SQLite's
    /// is a file beside it, taken by the mirror). `false`: another connection holds it.
    fn try_lock(&mut self) -> Result<bool>;
    /// Gives the lock back.
    fn unlock(&mut self) -> Result<()>;
}

/// A transaction.
pub(crate) trait Tx {
    /// Runs one statement; returns the rows it changed.
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64>;
    /// Runs a query; returns its rows.
    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>>;
    /// Runs statements with no parameters, separated by `;`.
    fn batch(&mut self, sql: &str) -> Result<()>;
    /// Makes the transaction's changes durable.
    fn commit(self: Box<Self>) -> Result<()>;
}

/// Where a mirror is.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Location {
    /// A SQLite file, or `:memory:`.
    Sqlite(PathBuf),
    /// A PostgreSQL connection string (`postgres://…`, which may hold a password).
    Postgres(String),
}

impl Location {
    /// The location for messages: a PostgreSQL password is replaced by `***`.
    pub fn display(&self) -> String {
        match self {
            Self::Sqlite(path) => path.display().to_string(),
            Self::Postgres(url) => postgres::redact(url),
        }
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// An open mirror database.
pub(crate) struct Store {
    backend: Box<dyn Backend>,
}

impl Store {
    /// Opens (creating a SQLite file) the database at `location`.
    pub fn open(location: &Location) -> Result<Self> {
        let backend: Box<dyn Backend> = match location {
            Location::Sqlite(path) => Box::new(sqlite::Sqlite::open(path)?),
            Location::Postgres(url) => Box::new(postgres::Postgres::connect(url)?),
        };
        Ok(Self { backend })
    }

    fn dialect(&self) -> &'static Dialect {
        self.backend.dialect()
    }

    /// See [`Backend::try_lock`].
    pub fn try_lock(&mut self) -> Result<bool> {
        self.backend.try_lock()
    }

    /// See [`Backend::unlock`].
    pub fn unlock(&mut self) -> Result<()> {
        self.backend.unlock()
    }
}

/// One row's first value as an integer (a `count(*)`).
fn count(rows: &[Row]) -> i64 {
    rows.first()
        .and_then(|row| row.first())
        .and_then(Param::integer)
        .unwrap_or(0)
}

/// Whether `table` exists, asked inside `tx` in the words of `dialect`.
fn table_exists(tx: &mut dyn Tx, dialect: &Dialect, table: &str) -> Result<bool> {
    Ok(count(&tx.query(dialect.table_exists, &[table.into()])?) > 0)
}

/// `?1, ?2, … ?n`.
fn placeholders(from: usize, n: usize) -> Vec<String> {
    (from..from + n).map(|i| format!("?{i}")).collect()
}

/// A string literal for SQL text that takes no parameters (DDL).
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The path of the lock file that keeps two syncs of the SQLite file `database` apart.
pub(crate) fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}
