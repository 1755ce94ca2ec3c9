//! SQLite, compiled into the binary. The database is opened in WAL mode: readers (a BI tool)
//! never block the sync, and a process killed at any moment leaves the last committed page.

use std::borrow::Cow;
use std::path::Path;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, Transaction};

use super::{Backend, Dialect, Error, Param, Result, Row, Tx, literal};
use crate::schema::{Kind, RAW, quote};

pub(crate) struct Sqlite {
    connection: Connection,
}

fn error(e: rusqlite::Error) -> Error {
    Error(e.to_string())
}

impl Sqlite {
    /// Opens (creating) the file `path`, or an in-memory database for `:memory:`.
    pub fn open(path: &Path) -> Result<Self> {
        let connection = if path == Path::new(":memory:") {
            Connection::open_in_memory()
        } else {
            Connection::open(path)
        }
        .map_err(error)?;
        let setup = || -> rusqlite::Result<()> {
            connection.busy_timeout(std::time::Duration::from_secs(5))?;
            // `synchronous = NORMAL` is durable against a killed process in WAL mode; only a
            // power cut can lose the last commits, never consistency.
            connection.pragma_update(None, "journal_mode", "WAL")?;
            connection.pragma_update(None, "synchronous", "NORMAL")?;
            // A page's upserts land all over the key index (ids are not in page order): with
            // SQLite's default 2 MiB cache a large mirror rereads its own pages from the file
            // at every page. 64 MiB holds the index of a few hundred thousand records.
            connection.pragma_update(None, "cache_size", -65_536)?;
            connection.pragma_update(None, "foreign_keys", "ON")
        };
        setup().map_err(error)?;
        Ok(Self { connection })
    }
}

static DIALECT: Dialect = Dialect {
    column_type: Kind::sqlite_type,
    raw_type: "TEXT",
    moment_type: "TEXT",
    from_raw,
    widen,
    table_exists: "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
    own_tables: OWN_TABLES,
};

/// The mirror's own tables in SQLite's words (the custom-field table's name is
/// `schema::CUSTOM_FIELDS_TABLE`: a test in `store` keeps the two in step).
const OWN_TABLES: &str =
    "CREATE TABLE IF NOT EXISTS _seventime_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS _seventime_columns (
             table_name TEXT NOT NULL, column_name TEXT NOT NULL, kind TEXT NOT NULL,
             PRIMARY KEY (table_name, column_name));
         CREATE TABLE IF NOT EXISTS _seventime_state (
             resource TEXT PRIMARY KEY, cursor TEXT, pass INTEGER, pass_page INTEGER,
             pass_started TEXT, pass_total INTEGER, pass_page_size INTEGER,
             runs_since_full INTEGER NOT NULL DEFAULT 0);
         CREATE TABLE IF NOT EXISTS _seventime_runs (
             id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL,
             finished_at TEXT, summary TEXT);
         CREATE TABLE IF NOT EXISTS custom_field_values (
             resource TEXT NOT NULL, record_id TEXT NOT NULL, position INTEGER NOT NULL,
             field_id TEXT, field_name TEXT, field_type INTEGER,
             value_text TEXT, value_number REAL, value_boolean INTEGER, value_json TEXT,
             problem TEXT,
             PRIMARY KEY (resource, record_id, position));
         CREATE INDEX IF NOT EXISTS custom_field_values_by_name
             ON custom_field_values (resource, field_name);";

/// SQL reading property `name` of `raw` as [`super::values::bind`] stores it.
fn from_raw(kind: Kind, name: &str) -> String {
    let path = literal(&format!(
        "$.\"{}\"",
        name.replace('\\', "\\\\").replace('"', "\\\"")
    ));
    let of_type = |types: &str, value: String| {
        format!("CASE WHEN json_type({RAW}, {path}) IN ({types}) THEN {value} END")
    };
    match kind {
        // `->` keeps JSON (a string stays quoted); `->>` gives the SQL value.
        Kind::Json => format!("{RAW} -> {path}"),
        Kind::Text => format!(
            "CASE WHEN json_type({RAW}, {path}) IN ('object', 'array') THEN {RAW} -> {path} ELSE {RAW} ->> {path} END"
        ),
        Kind::Timestamp => of_type(
            "'text'",
            format!(
                "CASE WHEN {RAW} ->> {path} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' THEN {RAW} ->> {path} END"
            ),
        ),
        Kind::Integer => of_type("'integer'", format!("{RAW} ->> {path}")),
        Kind::Number => of_type("'integer', 'real'", format!("{RAW} ->> {path}")),
        Kind::Boolean => of_type("'true', 'false'", format!("{RAW} ->> {path}")),
    }
}

/// SQLite's columns hold any value: the kind recorded in the column catalog decides how values
/// are bound from now on, and the stored values are written again from `raw` so that the whole
/// column reads as the new kind (a JSON string is quoted, a text one is not).
fn widen(table: &str, column: &str, kind: Kind) -> Vec<String> {
    vec![format!(
        "UPDATE {} SET {} = {}",
        quote(table),
        quote(column),
        from_raw(kind, column)
    )]
}

impl Backend for Sqlite {
    fn dialect(&self) -> &'static Dialect {
        &DIALECT
    }

    fn transaction(&mut self) -> Result<Box<dyn Tx + '_>> {
        let transaction = self.connection.transaction().map_err(error)?;
        Ok(Box::new(SqliteTx(transaction)))
    }

    fn try_lock(&mut self) -> Result<bool> {
        Ok(true)
    }

    fn unlock(&mut self) -> Result<()> {
        Ok(())
    }
}

struct SqliteTx<'c>(Transaction<'c>);

/// The value as SQLite binds it, text borrowed (SQLite copies it while binding).
fn to_sql<'p>(param: &'p Param<'_>) -> ToSqlOutput<'p> {
    ToSqlOutput::Borrowed(match param {
        Param::Null => ValueRef::Null,
        Param::Text(text) => ValueRef::Text(text.as_bytes()),
        Param::Integer(value) => ValueRef::Integer(*value),
        Param::Real(value) => ValueRef::Real(*value),
        Param::Boolean(flag) => ValueRef::Integer(i64::from(*flag)),
    })
}

impl Tx for SqliteTx<'_> {
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64> {
        let mut statement = self.0.prepare_cached(sql).map_err(error)?;
        let changed = statement
            .execute(rusqlite::params_from_iter(params.iter().map(to_sql)))
            .map_err(error)?;
        Ok(changed as u64)
    }

    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>> {
        let mut statement = self.0.prepare_cached(sql).map_err(error)?;
        let width = statement.column_count();
        let mut rows = statement
            .query(rusqlite::params_from_iter(params.iter().map(to_sql)))
            .map_err(error)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(error)? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(match row.get_ref(i).map_err(error)? {
                    ValueRef::Null => Param::Null,
                    ValueRef::Integer(value) => Param::Integer(value),
                    ValueRef::Real(value) => Param::Real(value),
                    ValueRef::Text(text) | ValueRef::Blob(text) => {
                        Param::Text(Cow::Owned(String::from_utf8_lossy(text).into_owned()))
                    }
                });
            }
            out.push(values);
        }
        Ok(out)
    }

    fn batch(&mut self, sql: &str) -> Result<()> {
        self.0.execute_batch(sql).map_err(error)
    }

    fn commit(self: Box<Self>) -> Result<()> {
        self.0.commit().map_err(error)
    }
}
