//! The SQLite side: the mirror's own tables, the resource tables the plan asks for, and the one
//! transaction per page that writes a page's rows together with the resource's progress.
//!
//! Every value is bound as a parameter; identifiers (table and column names, which come from
//! the spec) are double-quoted. The database is opened in WAL mode: a process killed at any
//! moment leaves the last committed page and its progress, never half a page.
//!
//! One piece on purpose: every SQL statement of the mirror is here, so that the transaction
//! boundaries (one per page) and the rule that values are bound and identifiers quoted can be
//! checked by reading one file. Moving a backend in (PostgreSQL) is the point to split it by
//! concern: the mirror's own tables, schema changes, row writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde_json::Value;
use seventime::{FieldConfiguration, FieldValue};

use crate::schema::{
    CUSTOM_FIELDS_TABLE, DELETED_AT, Kind, PARENT, POSITION, Plan, RAW, ResourceTables, SEEN_IN,
    SYNCED_AT, Table, quote,
};

/// The version of the mirror's own tables; a database written by a newer version is refused.
const SCHEMA_VERSION: i64 = 1;

/// An open mirror database.
pub(crate) struct Store {
    connection: Connection,
}

/// What a resource's progress is, as the last committed page left it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct State {
    /// For an incremental read: every record modified before this moment (UTC,
    /// `YYYY-MM-DDTHH:MM:SS`) is stored as it was then or later.
    pub cursor: Option<String>,
    /// An unfinished full pass: its number, the last page committed and when it began.
    pub pass: Option<Pass>,
    /// Runs since the last finished full pass.
    pub runs_since_full: i64,
}

/// A full pass under way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pass {
    pub id: i64,
    /// The last page committed (0: none yet).
    pub page: i64,
    pub started: String,
    /// The total the service counted on the pass's first page: every later page, in this run
    /// or after a restart, must count the same for the pass to be whole.
    pub total: Option<i64>,
    /// The page size the pages were numbered with: a resume with another size restarts.
    pub page_size: i64,
}

/// What writing a page did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Written {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// A change to the tables the plan made, or would make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaChange {
    /// A table to create.
    CreateTable {
        /// The table.
        table: String,
    },
    /// A column the spec added.
    AddColumn {
        /// The table.
        table: String,
        /// The column.
        column: String,
    },
    /// A column whose kind the spec widened (an integer became a number): applied, the
    /// stored values stay valid.
    Widen {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// Its kind before.
        from: Kind,
        /// Its kind now.
        to: Kind,
    },
    /// A change that could lose data, not applied: the column keeps its kind and the values
    /// arrive as received.
    Refused {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// What the spec asks for and what to do.
        problem: String,
    },
}

impl std::fmt::Display for SchemaChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::CreateTable { table } => write!(f, "create table {table}"),
            Self::AddColumn { table, column } => write!(f, "add column {table}.{column}"),
            Self::Widen {
                table,
                column,
                from,
                to,
            } => write!(
                f,
                "widen {table}.{column} from {} to {}",
                from.name(),
                to.name()
            ),
            Self::Refused {
                table,
                column,
                problem,
            } => write!(f, "not applied to {table}.{column}: {problem}"),
        }
    }
}

impl SchemaChange {
    /// Whether the change was left undone (a narrowed type, a column gone).
    pub fn is_refused(&self) -> bool {
        matches!(self, Self::Refused { .. })
    }
}

impl Store {
    /// Opens (creating) the SQLite file `path`, or an in-memory database for `:memory:`.
    pub fn open(path: &Path) -> rusqlite::Result<Self> {
        let connection = if path == Path::new(":memory:") {
            Connection::open_in_memory()?
        } else {
            Connection::open(path)?
        };
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        // WAL: readers (a BI tool) never block the sync, and a kill leaves the last commit.
        // `synchronous = NORMAL` is durable against a killed process in WAL mode; only a
        // power cut can lose the last commits, never consistency.
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        Ok(Self { connection })
    }

    /// Creates the mirror's own tables, and checks the version of an existing database.
    pub fn migrate(&mut self) -> Result<(), String> {
        let tx = self.connection.transaction().map_err(|e| e.to_string())?;
        tx.execute_batch(&format!(
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
             CREATE TABLE IF NOT EXISTS {CUSTOM_FIELDS_TABLE} (
                 resource TEXT NOT NULL, record_id TEXT NOT NULL, position INTEGER NOT NULL,
                 field_id TEXT, field_name TEXT, field_type INTEGER,
                 value_text TEXT, value_number REAL, value_boolean INTEGER, value_json TEXT,
                 problem TEXT,
                 PRIMARY KEY (resource, record_id, position));
             CREATE INDEX IF NOT EXISTS {CUSTOM_FIELDS_TABLE}_by_name
                 ON {CUSTOM_FIELDS_TABLE} (resource, field_name);"
        ))
        .map_err(|e| e.to_string())?;
        let version: Option<String> = tx
            .query_row(
                "SELECT value FROM _seventime_meta WHERE key = 'schema_version'",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| e.to_string())?;
        match version.as_deref().map(str::parse::<i64>) {
            None => {
                tx.execute(
                    "INSERT INTO _seventime_meta (key, value) VALUES ('schema_version', ?1)",
                    params![SCHEMA_VERSION.to_string()],
                )
                .map_err(|e| e.to_string())?;
            }
            Some(Ok(SCHEMA_VERSION)) => {}
            Some(Ok(newer)) if newer > SCHEMA_VERSION => {
                return Err(format!(
                    "the database was written by a newer seventime-sync (its tables are version {newer}, this one knows {SCHEMA_VERSION}); update seventime"
                ));
            }
            Some(_) => {
                return Err(
                    "the database's _seventime_meta has a schema_version this version cannot read; use a new database file".into(),
                );
            }
        }
        tx.commit().map_err(|e| e.to_string())
    }

    /// The changes `plan` needs; with `apply`, makes them (all or none).
    /// A column whose change is refused keeps its stored kind in `plan` too, so that values
    /// go on being stored as the column has them.
    pub fn reconcile(
        &mut self,
        plan: &mut Plan,
        apply: bool,
    ) -> rusqlite::Result<Vec<SchemaChange>> {
        let tx = self.connection.transaction()?;
        let mut changes = Vec::new();
        for resource in &mut plan.resources {
            reconcile_table(&tx, &mut resource.table, false, apply, &mut changes)?;
            for child in &mut resource.children {
                reconcile_table(&tx, child, true, apply, &mut changes)?;
            }
            // Columns the spec no longer has: kept with their data, not filled any more.
            for table in std::iter::once(&resource.table).chain(&resource.children) {
                let known = known_columns(&tx, &table.name)?;
                for (column, _) in known {
                    if !table.columns.iter().any(|c| c.name == column) {
                        changes.push(SchemaChange::Refused {
                            table: table.name.clone(),
                            column: column.clone(),
                            problem: format!(
                                "the spec no longer has this property; the column and its values are kept but no longer filled (drop it with `ALTER TABLE {} DROP COLUMN {}` when nothing reads it)",
                                quote(&table.name),
                                quote(&column)
                            ),
                        });
                    }
                }
            }
        }
        if apply {
            tx.commit()?;
        }
        Ok(changes)
    }

    /// The progress of `resource`.
    pub fn state(&self, resource: &str) -> rusqlite::Result<State> {
        self.connection
            .query_row(
                "SELECT cursor, pass, pass_page, pass_started, runs_since_full, pass_total,
                        pass_page_size
                 FROM _seventime_state WHERE resource = ?1",
                params![resource],
                |row| {
                    let pass: Option<i64> = row.get(1)?;
                    Ok(State {
                        cursor: row.get(0)?,
                        pass: match pass {
                            Some(id) => Some(Pass {
                                id,
                                page: row.get::<_, Option<i64>>(2)?.unwrap_or(0),
                                started: row.get::<_, Option<String>>(3)?.unwrap_or_default(),
                                total: row.get(5)?,
                                page_size: row.get::<_, Option<i64>>(6)?.unwrap_or(0),
                            }),
                            None => None,
                        },
                        runs_since_full: row.get(4)?,
                    })
                },
            )
            .optional()
            .map(Option::unwrap_or_default)
    }

    /// A number for a new full pass, never given before in this database.
    pub fn next_pass(&mut self) -> rusqlite::Result<i64> {
        let tx = self.connection.transaction()?;
        let last: i64 = tx
            .query_row(
                "SELECT value FROM _seventime_meta WHERE key = 'last_pass'",
                [],
                |row| row.get::<_, String>(0),
            )
            .optional()?
            .and_then(|text| text.parse().ok())
            .unwrap_or(0);
        let next = last + 1;
        tx.execute(
            "INSERT INTO _seventime_meta (key, value) VALUES ('last_pass', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![next.to_string()],
        )?;
        tx.commit()?;
        Ok(next)
    }

    /// Writes `records` of `tables` and then `state`, in one transaction. `pass` marks the rows
    /// as found by that full pass.
    pub fn write_page(
        &mut self,
        tables: &ResourceTables,
        records: &[Value],
        pass: Option<i64>,
        configuration: Option<&FieldConfiguration>,
        state: &State,
        now: &str,
    ) -> rusqlite::Result<Written> {
        let tx = self.connection.transaction()?;
        let mut written = Written::default();
        for record in records {
            let key = tables.resource.key;
            let Some(id) = key_text(record.get(key)) else {
                // The client's stream checks `_id` on paginated lists; an unpaginated list's
                // record without its key has no row to go to, and is counted as received only.
                continue;
            };
            let id = id.as_str();
            let raw = record.to_string();
            let table = &tables.table;
            let existing: Option<(String, Option<String>)> = tx
                .prepare_cached(&format!(
                    "SELECT {RAW}, {DELETED_AT} FROM {} WHERE {} = ?1",
                    quote(&table.name),
                    quote(key)
                ))?
                .query_row(params![id], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?;
            match existing {
                Some((old, None)) if old == raw => {
                    // A full pass also rewrites the custom-field values of unchanged records:
                    // a field renamed or a choice relabelled in the configuration shows.
                    if tables.custom_fields && pass.is_some() {
                        write_custom_fields(&tx, tables.resource.name, id, record, configuration)?;
                    }
                    if let Some(pass) = pass {
                        tx.prepare_cached(&format!(
                            "UPDATE {} SET {SEEN_IN} = ?1 WHERE {} = ?2",
                            quote(&table.name),
                            quote(key)
                        ))?
                        .execute(params![pass, id])?;
                    }
                    written.unchanged += 1;
                    continue;
                }
                Some(_) => written.updated += 1,
                None => written.inserted += 1,
            }
            upsert_row(&tx, table, record, &raw, pass, now)?;
            for child in &tables.children {
                write_children(&tx, child, id, record)?;
            }
            if tables.custom_fields {
                write_custom_fields(&tx, tables.resource.name, id, record, configuration)?;
            }
        }
        save_state(&tx, tables.resource.name, state)?;
        tx.commit()?;
        Ok(written)
    }

    /// Records the resource's progress alone (a pass that found nothing to write).
    pub fn save_state(&mut self, resource: &str, state: &State) -> rusqlite::Result<()> {
        let tx = self.connection.transaction()?;
        save_state(&tx, resource, state)?;
        tx.commit()
    }

    /// How many rows of `table` the full pass `pass` found.
    pub fn seen_in(&self, table: &str, pass: i64) -> rusqlite::Result<u64> {
        self.connection.query_row(
            &format!("SELECT count(*) FROM {} WHERE {SEEN_IN} = ?1", quote(table)),
            params![pass],
            |row| row.get::<_, i64>(0).map(|n| n.max(0) as u64),
        )
    }

    /// The keys of the rows of `tables` the full pass `pass` has not found and that are not
    /// marked deleted: the candidates for the mark.
    pub fn unseen(&self, tables: &ResourceTables, pass: i64) -> rusqlite::Result<Vec<String>> {
        let mut statement = self.connection.prepare(&format!(
            "SELECT CAST({key} AS TEXT) FROM {table}
             WHERE {DELETED_AT} IS NULL AND ({SEEN_IN} IS NULL OR {SEEN_IN} <> ?1)",
            key = quote(tables.resource.key),
            table = quote(&tables.table.name),
        ))?;
        let keys = statement.query_map(params![pass], |row| row.get(0))?;
        keys.collect()
    }

    /// Marks the rows the full pass `pass` did not find as deleted, and finishes the pass with
    /// `state`, in one transaction. Returns how many were marked.
    pub fn finish_pass(
        &mut self,
        tables: &ResourceTables,
        pass: i64,
        mark_deleted: bool,
        state: &State,
        now: &str,
    ) -> rusqlite::Result<u64> {
        let tx = self.connection.transaction()?;
        let marked = if mark_deleted {
            tx.execute(
                &format!(
                    "UPDATE {} SET {DELETED_AT} = ?1
                     WHERE {DELETED_AT} IS NULL AND ({SEEN_IN} IS NULL OR {SEEN_IN} <> ?2)",
                    quote(&tables.table.name)
                ),
                params![now, pass],
            )? as u64
        } else {
            0
        };
        save_state(&tx, tables.resource.name, state)?;
        tx.commit()?;
        Ok(marked)
    }

    /// Starts a run; returns its number.
    pub fn start_run(&mut self, now: &str) -> rusqlite::Result<i64> {
        self.connection.execute(
            "INSERT INTO _seventime_runs (started_at) VALUES (?1)",
            params![now],
        )?;
        Ok(self.connection.last_insert_rowid())
    }

    /// Ends run `run` with its summary (JSON).
    pub fn finish_run(&mut self, run: i64, now: &str, summary: &str) -> rusqlite::Result<()> {
        self.connection.execute(
            "UPDATE _seventime_runs SET finished_at = ?1, summary = ?2 WHERE id = ?3",
            params![now, summary, run],
        )?;
        Ok(())
    }
}

fn known_columns(tx: &Transaction<'_>, table: &str) -> rusqlite::Result<BTreeMap<String, String>> {
    let mut statement = tx
        .prepare_cached("SELECT column_name, kind FROM _seventime_columns WHERE table_name = ?1")?;
    let rows = statement.query_map(params![table], |row| Ok((row.get(0)?, row.get(1)?)))?;
    rows.collect()
}

fn reconcile_table(
    tx: &Transaction<'_>,
    table: &mut Table,
    child: bool,
    apply: bool,
    changes: &mut Vec<SchemaChange>,
) -> rusqlite::Result<()> {
    let exists: bool = tx.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
        params![table.name],
        |row| row.get::<_, i64>(0).map(|n| n > 0),
    )?;
    if !exists {
        changes.push(SchemaChange::CreateTable {
            table: table.name.clone(),
        });
        if apply {
            tx.execute_batch(&create_table(table, child))?;
            for column in &table.columns {
                record_column(tx, &table.name, column.name, column.kind)?;
            }
        }
        return Ok(());
    }
    let known = known_columns(tx, &table.name)?;
    for column in &mut table.columns {
        match known.get(column.name).map(|kind| Kind::from_name(kind)) {
            None => {
                changes.push(SchemaChange::AddColumn {
                    table: table.name.clone(),
                    column: column.name.to_string(),
                });
                if apply {
                    tx.execute_batch(&format!(
                        "ALTER TABLE {} ADD COLUMN {} {}",
                        quote(&table.name),
                        quote(column.name),
                        column.kind.sqlite_type()
                    ))?;
                    record_column(tx, &table.name, column.name, column.kind)?;
                    // Rows stored before the column came hold the value in `raw`.
                    tx.execute(
                        &format!(
                            "UPDATE {table} SET {column} = {value}",
                            table = quote(&table.name),
                            column = quote(column.name),
                            value = from_raw(column.kind),
                        ),
                        params![json_path(column.name)],
                    )?;
                }
            }
            Some(Some(kind)) if kind == column.kind => {}
            Some(Some(kind)) if kind.widens_to(column.kind) => {
                changes.push(SchemaChange::Widen {
                    table: table.name.clone(),
                    column: column.name.to_string(),
                    from: kind,
                    to: column.kind,
                });
                // SQLite's columns hold any value; the kind is the mirror's record of what
                // the spec says, used to bind values from now on. JSON is the one kind whose
                // text differs (a string is quoted): stored values are written again from
                // `raw`, so that the whole column reads as JSON.
                if apply {
                    record_column(tx, &table.name, column.name, column.kind)?;
                    if column.kind == Kind::Json {
                        tx.execute(
                            &format!(
                                "UPDATE {} SET {} = {}",
                                quote(&table.name),
                                quote(column.name),
                                from_raw(Kind::Json)
                            ),
                            params![json_path(column.name)],
                        )?;
                    }
                }
            }
            Some(Some(kind)) => {
                let wanted = column.kind;
                column.kind = kind;
                changes.push(SchemaChange::Refused {
                table: table.name.clone(),
                column: column.name.to_string(),
                problem: format!(
                    "the spec now says {} where the column holds {}, which could not keep every stored value; the column stays {} and values go on being stored as it has them. To change it, rename the table (`ALTER TABLE {} RENAME TO ...`) and run `seventime sync --full` to rebuild it",
                    wanted.name(),
                    kind.name(),
                    kind.name(),
                    quote(&table.name)
                ),
                });
            }
            Some(None) => changes.push(SchemaChange::Refused {
                table: table.name.clone(),
                column: column.name.to_string(),
                problem: "the mirror's column catalog names a kind this version does not know; update seventime".into(),
            }),
        }
    }
    Ok(())
}

fn record_column(
    tx: &Transaction<'_>,
    table: &str,
    column: &str,
    kind: Kind,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO _seventime_columns (table_name, column_name, kind) VALUES (?1, ?2, ?3)
         ON CONFLICT (table_name, column_name) DO UPDATE SET kind = excluded.kind",
    )?
    .execute(params![table, column, kind.name()])?;
    Ok(())
}

fn create_table(table: &Table, child: bool) -> String {
    let mut columns: Vec<String> = Vec::new();
    if child {
        columns.push(format!("{PARENT} TEXT NOT NULL"));
        columns.push(format!("{POSITION} INTEGER NOT NULL"));
    }
    for column in &table.columns {
        if !child && column.name == table.columns[0].name {
            columns.push(format!("{} TEXT PRIMARY KEY", quote(column.name)));
        } else {
            columns.push(format!(
                "{} {}",
                quote(column.name),
                column.kind.sqlite_type()
            ));
        }
    }
    columns.push(format!("{RAW} TEXT NOT NULL"));
    if child {
        columns.push(format!("PRIMARY KEY ({PARENT}, {POSITION})"));
    } else {
        columns.push(format!("{SYNCED_AT} TEXT NOT NULL"));
        columns.push(format!("{DELETED_AT} TEXT"));
        columns.push(format!("{SEEN_IN} INTEGER"));
    }
    format!(
        "CREATE TABLE {} (\n  {}\n)",
        quote(&table.name),
        columns.join(",\n  ")
    )
}

/// SQL reading the property at the JSON path `?1` of `raw` as [`bind`] would store it.
fn from_raw(kind: Kind) -> String {
    match kind {
        // `->` keeps JSON (a string stays quoted); `->>` gives the SQL value.
        Kind::Json => format!("{RAW} -> ?1"),
        Kind::Timestamp => format!("NULLIF({RAW} ->> ?1, '')"),
        Kind::Text => format!(
            "CASE json_type({RAW}, ?1) WHEN 'object' THEN {RAW} -> ?1 WHEN 'array' THEN {RAW} -> ?1 ELSE {RAW} ->> ?1 END"
        ),
        Kind::Integer | Kind::Number | Kind::Boolean => format!("{RAW} ->> ?1"),
    }
}

/// The JSON path of a top-level property, quoted so that any name works.
fn json_path(name: &str) -> String {
    format!("$.\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A property's value as the column of `kind` stores it.
pub(crate) fn bind(kind: Kind, value: Option<&Value>) -> Sql {
    match (kind, value) {
        (_, None | Some(Value::Null)) => Sql::Null,
        (Kind::Timestamp, Some(Value::String(text))) if text.is_empty() => Sql::Null,
        (Kind::Json, Some(value)) => Sql::Text(value.to_string()),
        (_, Some(Value::String(text))) => Sql::Text(text.clone()),
        (_, Some(Value::Bool(flag))) => Sql::Integer(i64::from(*flag)),
        (_, Some(Value::Number(number))) => match number.as_i64() {
            Some(whole) => Sql::Integer(whole),
            // Beyond i64 (a u64 id) or a fraction: the f64 the client holds; `raw` has the
            // text.
            None => number.as_f64().map_or(Sql::Null, Sql::Real),
        },
        // An object or array where the spec says a scalar: kept as JSON text, not dropped.
        (_, Some(other)) => Sql::Text(other.to_string()),
    }
}

fn upsert_row(
    tx: &Transaction<'_>,
    table: &Table,
    record: &Value,
    raw: &str,
    pass: Option<i64>,
    now: &str,
) -> rusqlite::Result<()> {
    let mut names: Vec<String> = table.columns.iter().map(|c| quote(c.name)).collect();
    names.extend([RAW, SYNCED_AT, DELETED_AT, SEEN_IN].map(String::from));
    let placeholders: Vec<String> = (1..=names.len()).map(|n| format!("?{n}")).collect();
    let updates: Vec<String> = names
        .iter()
        .skip(1)
        .filter(|name| *name != SEEN_IN || pass.is_some())
        .map(|name| format!("{name} = excluded.{name}"))
        .collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) DO UPDATE SET {}",
        quote(&table.name),
        names.join(", "),
        placeholders.join(", "),
        names[0],
        updates.join(", ")
    );
    let mut values: Vec<Sql> = table
        .columns
        .iter()
        .map(|column| bind(column.kind, record.get(column.name)))
        .collect();
    values.push(Sql::Text(raw.to_string()));
    values.push(Sql::Text(now.to_string()));
    values.push(Sql::Null);
    values.push(pass.map_or(Sql::Null, Sql::Integer));
    tx.prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

fn write_children(
    tx: &Transaction<'_>,
    child: &Table,
    parent: &str,
    record: &Value,
) -> rusqlite::Result<()> {
    tx.prepare_cached(&format!(
        "DELETE FROM {} WHERE {PARENT} = ?1",
        quote(&child.name)
    ))?
    .execute(params![parent])?;
    let Some(rows) = child
        .list
        .and_then(|list| record.get(list))
        .and_then(Value::as_array)
    else {
        return Ok(());
    };
    let mut names = vec![PARENT.to_string(), POSITION.to_string()];
    names.extend(child.columns.iter().map(|c| quote(c.name)));
    names.push(RAW.to_string());
    let placeholders: Vec<String> = (1..=names.len()).map(|n| format!("?{n}")).collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        quote(&child.name),
        names.join(", "),
        placeholders.join(", ")
    );
    let mut statement = tx.prepare_cached(&sql)?;
    for (position, row) in rows.iter().enumerate() {
        let mut values = vec![Sql::Text(parent.to_string()), Sql::Integer(position as i64)];
        values.extend(
            child
                .columns
                .iter()
                .map(|column| bind(column.kind, row.get(column.name))),
        );
        values.push(Sql::Text(row.to_string()));
        statement.execute(rusqlite::params_from_iter(values))?;
    }
    Ok(())
}

fn write_custom_fields(
    tx: &Transaction<'_>,
    resource: &str,
    id: &str,
    record: &Value,
    configuration: Option<&FieldConfiguration>,
) -> rusqlite::Result<()> {
    tx.prepare_cached(&format!(
        "DELETE FROM {CUSTOM_FIELDS_TABLE} WHERE resource = ?1 AND record_id = ?2"
    ))?
    .execute(params![resource, id])?;
    let Some(entries) = record.get("customFields").and_then(Value::as_array) else {
        return Ok(());
    };
    let mut statement = tx.prepare_cached(&format!(
        "INSERT INTO {CUSTOM_FIELDS_TABLE} (resource, record_id, position, field_id, field_name,
             field_type, value_text, value_number, value_boolean, value_json, problem)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    ))?;
    for (position, entry) in entries.iter().enumerate() {
        let field_id = entry.get("fieldId").and_then(Value::as_str);
        let wire = entry.get("value").unwrap_or(&Value::Null);
        let resolved = configuration.map(|c| c.resolve_one(field_id.unwrap_or_default(), wire));
        let (mut text, mut number, mut boolean, mut problem) = (None, None, None, None);
        if let Some(resolved) = &resolved {
            match &resolved.value {
                FieldValue::Text(value) => text = Some(value.clone()),
                FieldValue::YesNo(value) => boolean = Some(i64::from(*value)),
                FieldValue::Date(moment) => text = Some(moment.to_string()),
                // The number as received where it is one (the resolved value is an f64 read
                // from text such as "7,5" too).
                FieldValue::Number(value) => number = Some(wire.as_f64().unwrap_or(*value)),
                FieldValue::Choice(choice) => text = Some(choice.label.to_string()),
                FieldValue::Choices(choices) => {
                    text = Some(
                        choices
                            .iter()
                            .map(|c| c.label.as_ref())
                            .collect::<Vec<_>>()
                            .join(", "),
                    );
                }
                FieldValue::Unresolved { reason, .. } => problem = Some(reason.to_string()),
                _ => {}
            }
        }
        // Two entries for one field (the service does not forbid it) both stay: `position`
        // keys the rows, not the field.
        statement.execute(params![
            resource,
            id,
            position as i64,
            field_id,
            resolved.as_ref().and_then(|r| r.name.as_deref()),
            resolved
                .as_ref()
                .and_then(|r| r.field_type)
                .map(|kind| kind.code()),
            text,
            number,
            boolean,
            (!wire.is_null()).then(|| wire.to_string()),
            problem,
        ])?;
    }
    Ok(())
}

fn save_state(tx: &Transaction<'_>, resource: &str, state: &State) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO _seventime_state (resource, cursor, pass, pass_page, pass_started,
             runs_since_full, pass_total, pass_page_size)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (resource) DO UPDATE SET cursor = excluded.cursor, pass = excluded.pass,
             pass_page = excluded.pass_page, pass_started = excluded.pass_started,
             runs_since_full = excluded.runs_since_full, pass_total = excluded.pass_total,
             pass_page_size = excluded.pass_page_size",
    )?
    .execute(params![
        resource,
        state.cursor,
        state.pass.as_ref().map(|p| p.id),
        state.pass.as_ref().map(|p| p.page),
        state.pass.as_ref().map(|p| p.started.clone()),
        state.runs_since_full,
        state.pass.as_ref().and_then(|p| p.total),
        state.pass.as_ref().map(|p| p.page_size),
    ])?;
    Ok(())
}

/// A record's key as text (an `_id`, or a numeric `x-record-key`); `None` when it has none.
fn key_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) if !text.is_empty() => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// The path of the lock file that keeps two syncs of `database` apart.
pub(crate) fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}
