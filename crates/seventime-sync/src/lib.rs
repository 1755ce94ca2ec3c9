// One piece on purpose (see the end of the crate docs): this file is the crate's whole public
// surface, so the types its documentation names read in one place; the work is in run.rs,
// schema.rs and store/.
//! Mirrors a Seven Time tenant into a database and keeps the copy current: the job every
//! integration with payroll, invoicing or BI starts with, generated from the spec like the rest
//! of the workspace.
//!
//! - **Tables from the spec.** One table per resource of [`seventime::catalog`] (named in snake
//!   case: `work_order_types`), a column per property of its records with an SQL type from the
//!   spec (in SQLite ISO 8601 moments as text, which its date functions read, and objects and
//!   lists as JSON text; in PostgreSQL `timestamptz` and `jsonb`), `raw` with the whole record as JSON (properties the spec does not name
//!   included), and `synced_at`, `deleted_at`, `seen_in_pass`. Lists of objects in a record
//!   (invoice rows) are child tables `parent__child` keyed by `parent_id` and `position`;
//!   custom-field values are rows of `custom_field_values` with the field's name, type and the
//!   value typed by the field configuration. A property added to the spec becomes a column on
//!   the next run; a change that could lose data is reported and not applied.
//! - **Incremental and exact.** Resources the API lists by `lastModified` are read from the
//!   saved cursor (less an overlap) after the first run; where records carry `modifiedDate`,
//!   sorted by it with a lower bound that moves page by page, so pages cannot shift a record
//!   past the reader. Every page is written together with the resource's progress in one
//!   transaction, so a process killed at any moment resumes with no duplicate and no cursor
//!   past a row not stored. Records are upserted by key. Full passes (the first run,
//!   [`Options::full`], every [`Options::full_every`] runs, and every run of a resource without
//!   `lastModified`) mark the records they no longer find with `deleted_at`, each confirmed
//!   missing by id first. `docs/sync.md` in the repository says what page numbers cannot show.
//!   Lists the API serves only per parent record (a project's supplement orders: the spec's
//!   `x-parent-resource`) are read after the rest, once per parent row the mirror holds, and
//!   a pass cut short resumes after the last parent it read whole.
//! - **One rate limit.** Every request of a run goes through the one [`seventime::Client`], so
//!   its rate limiter paces them all; resources are read concurrently up to
//!   [`Options::concurrency`].
//! - **One writer.** A lock file beside a SQLite database, an advisory lock on a PostgreSQL
//!   one, keeps two syncs apart; either goes when its process dies.
//!
//! The database is SQLite, compiled into the binary (no system library is needed), or
//! PostgreSQL ([`Mirror::open`] with a `postgres://` URL): the same tables with PostgreSQL's
//! types (`timestamptz`, `numeric`, `jsonb`), written through the same statements.
//!
//! ```no_run
//! # async fn run(client: seventime::Client) -> Result<(), seventime_sync::SyncError> {
//! let mirror = seventime_sync::Mirror::open("seventime.db")?;
//! let summary = mirror
//!     .sync(&client, &seventime_sync::Options::default(), &|_event| {})
//!     .await?;
//! for resource in &summary.resources {
//!     println!("{}: {} new, {} changed", resource.resource, resource.inserted, resource.updated);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! This file is the crate's whole public surface (options, summaries, errors, `Mirror`), kept
//! together so that the types this page names read in one place; the work is in `run.rs`
//! (how a run reads), `schema.rs` (the tables planned from the catalog) and `store/` (the SQL,
//! by concern, over the two databases).

mod record;
mod run;
mod schema;
mod store;

use std::fs::File;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use seventime::{Client, Timestamp};

pub use schema::{Kind, Plan};
pub use store::SchemaChange;

use store::{Location, Store};

/// What a run reads, and how.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// The resources to mirror, by catalog name (`None`: all of them).
    pub resources: Option<Vec<String>>,
    /// Read every resource whole and mark what is gone, even where a cursor is saved.
    pub full: bool,
    /// Read incremental resources from this moment instead of the saved cursor. When it is
    /// later than the cursor, the cursor is not moved (the records between would be skipped).
    pub since: Option<Timestamp>,
    /// How far before the saved cursor an incremental read starts: covers a service that
    /// stamps a record's modification time a moment before it is visible in lists, and clock
    /// differences. Records read again are compared, not written twice.
    pub overlap: Duration,
    /// Make every Nth run of an incremental resource a full pass (which finds deletions).
    pub full_every: Option<NonZeroU32>,
    /// Records per request (the API allows at most 500).
    pub page_size: u64,
    /// Resources read at the same time. The client's rate limit paces them together.
    pub concurrency: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            resources: None,
            full: false,
            since: None,
            overlap: Duration::from_secs(600),
            full_every: None,
            page_size: 500,
            concurrency: 4,
        }
    }
}

impl Options {
    /// Only `resources` (catalog names).
    pub fn resources(mut self, resources: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.resources = Some(resources.into_iter().map(Into::into).collect());
        self
    }

    /// Sets [`Options::full`].
    pub fn full(mut self, full: bool) -> Self {
        self.full = full;
        self
    }

    /// Sets [`Options::since`].
    pub fn since(mut self, since: Timestamp) -> Self {
        self.since = Some(since);
        self
    }

    /// Sets [`Options::overlap`].
    pub fn overlap(mut self, overlap: Duration) -> Self {
        self.overlap = overlap;
        self
    }

    /// Sets [`Options::full_every`].
    pub fn full_every(mut self, runs: Option<NonZeroU32>) -> Self {
        self.full_every = runs;
        self
    }

    /// Sets [`Options::page_size`] (1–500).
    pub fn page_size(mut self, records: u64) -> Self {
        self.page_size = records.clamp(1, 500);
        self
    }

    /// Sets [`Options::concurrency`] (at least 1).
    pub fn concurrency(mut self, resources: usize) -> Self {
        self.concurrency = resources.max(1);
        self
    }
}

/// How a resource is read in a run.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mode {
    /// Every record; records no longer found are marked deleted.
    Full {
        /// Why (first run, `--full`, no `lastModified`, …).
        reason: String,
    },
    /// Records modified at or after `since`.
    Incremental {
        /// The lower bound, UTC (`YYYY-MM-DDTHH:MM:SS`).
        since: String,
    },
    /// Not read.
    Skipped {
        /// Why.
        reason: String,
    },
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Full { reason } => write!(f, "full ({reason})"),
            Self::Incremental { since } => write!(f, "incremental since {since}"),
            Self::Skipped { reason } => write!(f, "skipped: {reason}"),
        }
    }
}

/// What a run is doing, for a progress display.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Event {
    /// A resource's read begins.
    Started {
        /// The resource.
        resource: &'static str,
        /// How it is read.
        mode: Mode,
    },
    /// A page was written.
    Page {
        /// The resource.
        resource: &'static str,
        /// The page number in its request.
        page: u64,
        /// Records on the page.
        records: u64,
        /// Records of the resource so far in this run.
        fetched: u64,
        /// Records the service counted for the request.
        total_records: u64,
    },
    /// A resource is done.
    Finished(ResourceSummary),
}

/// What a run did to one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResourceSummary {
    /// The resource.
    pub resource: &'static str,
    /// Its table.
    pub table: String,
    /// How it was read.
    pub mode: Mode,
    /// Records received.
    pub fetched: u64,
    /// Rows added.
    pub inserted: u64,
    /// Rows whose record had changed (or had been marked deleted and came back).
    pub updated: u64,
    /// Records received again as they were stored.
    pub unchanged: u64,
    /// Rows newly marked deleted.
    pub deleted: u64,
    /// Pages requested. A resource with custom fields also needs its entity type's field
    /// configuration, fetched once per client and not counted here.
    pub requests: u64,
    /// How long it took.
    pub duration: Duration,
    /// Anything the user should know (a pass read again, a resource not mirrored).
    pub notes: Vec<String>,
}

/// What a run did.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Summary {
    /// The run's number in the database (`_seventime_runs.id`).
    pub run: i64,
    /// The changes made to the tables before reading.
    pub schema_changes: Vec<SchemaChange>,
    /// Per resource, in catalog order.
    pub resources: Vec<ResourceSummary>,
}

/// What a run would do ([`Mirror::plan`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RunPlan {
    /// The changes it would make to the tables.
    pub schema_changes: Vec<SchemaChange>,
    /// Per resource, in the order a run reads them: how it would be read.
    pub resources: Vec<PlannedRead>,
}

/// How a run would read one resource ([`RunPlan::resources`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PlannedRead {
    /// The resource.
    pub resource: &'static str,
    /// How it would be read.
    pub mode: Mode,
    /// The fewest requests the read can take, from what the mirror holds: one page per
    /// [`Options::page_size`] stored records for a full pass, one for an incremental read,
    /// one per stored parent for a list read per parent, and one for the field configuration
    /// of a resource with custom fields. `None` when the mirror holds nothing to tell from
    /// (a first run).
    pub requests: Option<u64>,
}

/// A sync that could not finish. The database holds every page committed before it, and the
/// next run resumes from there.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// The database cannot be opened, read or written.
    #[error("{message}")]
    Database {
        /// What failed, with the resource and page where there is one.
        message: String,
    },
    /// Another sync holds the database.
    #[error(
        "another `seventime sync` is writing to {database} (it holds {lock}); wait for it to finish, or use another database"
    )]
    Locked {
        /// The database (a PostgreSQL URL without its password).
        database: String,
        /// The lock: SQLite's lock file beside the database, or PostgreSQL's advisory lock.
        lock: String,
    },
    /// A request failed.
    #[error("{resource}{}: {message}", page.map(|p| format!(", page {p}")).unwrap_or_default())]
    Api {
        /// The resource being read.
        resource: &'static str,
        /// The page, when the failure was a page's.
        page: Option<u64>,
        /// What the client said.
        message: String,
        /// The client's error.
        #[source]
        source: Option<seventime::ApiError>,
    },
    /// The options cannot be used (an unknown resource, a database URL this version does not
    /// write to).
    #[error("{0}")]
    Usage(String),
}

impl SyncError {
    fn database(resource: &str, page: Option<u64>, error: &store::Error) -> Self {
        Self::Database {
            message: match page {
                Some(page) => format!(
                    "{resource}, page {page}: the database refused the page ({error}); nothing of it was written"
                ),
                None => format!("{resource}: database error: {error}"),
            },
        }
    }

    fn api(resource: &'static str, page: Option<u64>, error: seventime::ApiError) -> Self {
        Self::Api {
            resource,
            page,
            message: error.to_string(),
            source: Some(error),
        }
    }

    fn page(resource: &'static str, error: seventime::PageError) -> Self {
        let page = error.page();
        let message = error.to_string();
        Self::Api {
            resource,
            page: Some(page),
            message,
            source: Some(error.into_error()),
        }
    }

    /// The client's error, for a failed request.
    pub fn api_error(&self) -> Option<&seventime::ApiError> {
        match self {
            Self::Api { source, .. } => source.as_ref(),
            _ => None,
        }
    }

    fn parameter(resource: &'static str, error: &seventime::catalog::ParameterError) -> Self {
        Self::Api {
            resource,
            page: None,
            message: error.to_string(),
            source: None,
        }
    }
}

/// A mirror database.
pub struct Mirror {
    location: Location,
    /// Opened in memory for a plan of a database that does not exist yet.
    in_memory: bool,
    /// Shared with the blocking threads that write pages ([`run`]).
    store: Arc<Mutex<Store>>,
}

impl std::fmt::Debug for Mirror {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mirror")
            .field("database", &self.location)
            .finish_non_exhaustive()
    }
}

impl Mirror {
    /// Opens the mirror at `database`: a SQLite file path (created when missing), `sqlite:PATH`,
    /// `:memory:`, or a PostgreSQL URL (`postgres://USER:PASSWORD@HOST:PORT/DATABASE`, whose
    /// database must exist; the mirror creates its tables in the connection's current schema).
    pub fn open(database: impl AsRef<str>) -> Result<Self, SyncError> {
        let location = location(database.as_ref())?;
        let in_memory = location == Location::Sqlite(PathBuf::from(":memory:"));
        Self::open_at(location, in_memory)
    }

    /// Opens the mirror at `database` to [plan](Mirror::plan) a run: an existing mirror as
    /// [`Mirror::open`] does; a SQLite file that does not exist, or a PostgreSQL database
    /// without the mirror's tables, as an empty mirror in memory, so that nothing is created.
    pub fn open_for_plan(database: impl AsRef<str>) -> Result<Self, SyncError> {
        let location = location(database.as_ref())?;
        let exists = match &location {
            Location::Sqlite(path) => path.exists() || path == Path::new(":memory:"),
            Location::Postgres(_) => {
                let mut store = Self::connect(&location)?;
                store
                    .has_own_tables()
                    .map_err(|e| SyncError::database("schema", None, &e))?
            }
        };
        if exists {
            return Self::open_at(location, false);
        }
        let mut mirror = Self::open_at(Location::Sqlite(PathBuf::from(":memory:")), true)?;
        mirror.location = location;
        Ok(mirror)
    }

    fn connect(location: &Location) -> Result<Store, SyncError> {
        Store::open(location).map_err(|e| SyncError::Database {
            message: format!("cannot open the database {}: {e}", location.display()),
        })
    }

    fn open_at(location: Location, in_memory: bool) -> Result<Self, SyncError> {
        let mut store = Self::connect(&location)?;
        store.migrate().map_err(|message| SyncError::Database {
            message: format!("{}: {message}", location.display()),
        })?;
        Ok(Self {
            location,
            in_memory,
            store: Arc::new(Mutex::new(store)),
        })
    }
}

/// The database a `--db` argument names.
fn location(database: &str) -> Result<Location, SyncError> {
    let database = database.trim();
    if database.starts_with("postgres://") || database.starts_with("postgresql://") {
        return Ok(Location::Postgres(database.to_string()));
    }
    if let Some((scheme, _)) = database.split_once("://") {
        return Err(SyncError::Usage(format!(
            "`{scheme}://` is not a database the mirror writes to; give a SQLite file path (or `sqlite:PATH`) or a `postgres://` URL"
        )));
    }
    let path = PathBuf::from(database.strip_prefix("sqlite:").unwrap_or(database));
    if path.as_os_str().is_empty() {
        return Err(SyncError::Usage(
            "the database path is empty; give a file such as seventime.db".into(),
        ));
    }
    Ok(Location::Sqlite(path))
}

impl Mirror {
    /// The database, for messages: the SQLite file, or the PostgreSQL URL without its
    /// password.
    pub fn database(&self) -> String {
        self.location.display()
    }

    /// The SQLite file, for a mirror in SQLite.
    pub fn path(&self) -> Option<&Path> {
        match &self.location {
            Location::Sqlite(path) => Some(path),
            Location::Postgres(_) => None,
        }
    }

    /// What [`Mirror::sync`] would do with `options`, sending nothing and changing no table
    /// (open with [`Mirror::open_for_plan`] to create no file either).
    pub fn plan(&self, options: &Options) -> Result<RunPlan, SyncError> {
        let mut plan = Plan::new(options.resources.as_deref()).map_err(SyncError::Usage)?;
        let mut store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        let schema_changes = store
            .reconcile(&mut plan, false)
            .map_err(|e| SyncError::database("schema", None, &e))?;
        let mut resources = Vec::new();
        for tables in &plan.resources {
            let name = tables.resource.name;
            let db = |e: store::Error| SyncError::database(name, None, &e);
            let state = store.state(name).map_err(db)?;
            let mode = run::mode(tables, &state, options);
            let page = options.page_size.max(1);
            let rows = |store: &mut Store, resource: &seventime::catalog::Resource| {
                store.live_rows(&schema::table_name(resource), resource.key)
            };
            let lists = match &mode {
                Mode::Skipped { .. } => Some(0),
                Mode::Incremental { .. } => Some(1),
                Mode::Full { .. } => match run::parent_of(tables.resource) {
                    Some((_, parent)) => rows(&mut store, parent).map_err(db)?,
                    None => rows(&mut store, tables.resource)
                        .map_err(db)?
                        .map(|stored| stored.div_ceil(page).max(1)),
                },
            };
            let configuration = u64::from(
                tables.custom_fields
                    && tables.resource.entity_type.is_some()
                    && !matches!(mode, Mode::Skipped { .. }),
            );
            resources.push(PlannedRead {
                resource: name,
                mode,
                requests: lists.map(|lists| lists + configuration),
            });
        }
        Ok(RunPlan {
            schema_changes,
            resources,
        })
    }

    /// Brings the mirror up to date with the tenant `client` reads. `events` hears of each
    /// resource and page as they are written.
    pub async fn sync(
        &self,
        client: &Client,
        options: &Options,
        events: &(dyn Fn(&Event) + Send + Sync),
    ) -> Result<Summary, SyncError> {
        let _lock = self.lock()?;
        let mut plan = Plan::new(options.resources.as_deref()).map_err(SyncError::Usage)?;
        let (schema_changes, run_id) = {
            let mut store = self.store.lock().unwrap_or_else(|e| e.into_inner());
            let changes = store
                .reconcile(&mut plan, true)
                .map_err(|e| SyncError::database("schema", None, &e))?;
            let run = store
                .start_run(&run::now())
                .map_err(|e| SyncError::database("runs", None, &e))?;
            (changes, run)
        };
        let runner = run::Run {
            client,
            store: &self.store,
            options,
            events,
        };
        let mut resources = Vec::new();
        let mut first_error = None;
        for outcome in run::all(&runner, &plan.resources).await {
            match outcome {
                Ok(summary) => resources.push(summary),
                Err(error) => {
                    first_error.get_or_insert(error);
                }
            }
        }
        if let Some(error) = first_error {
            return Err(error);
        }
        let summary = Summary {
            run: run_id,
            schema_changes,
            resources,
        };
        let mut store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        store
            .finish_run(run_id, &run::now(), &summary_json(&summary))
            .map_err(|e| SyncError::database("runs", None, &e))?;
        Ok(summary)
    }

    /// Holds the database's writer lock for the life of the returned guard: a lock file beside
    /// a SQLite database (the operating system releases it when the process dies), an
    /// advisory lock on a PostgreSQL one (released when the connection ends).
    fn lock(&self) -> Result<Lock<'_>, SyncError> {
        match &self.location {
            _ if self.in_memory => Ok(Lock::None),
            Location::Sqlite(path) => {
                let lock = store::lock_path(path);
                let file = File::options()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(&lock)
                    .map_err(|e| SyncError::Database {
                        message: format!("cannot create the lock file {}: {e}", lock.display()),
                    })?;
                match file.try_lock() {
                    Ok(()) => Ok(Lock::File(file)),
                    Err(std::fs::TryLockError::WouldBlock) => Err(SyncError::Locked {
                        database: self.database(),
                        lock: format!("its lock file {}", lock.display()),
                    }),
                    Err(std::fs::TryLockError::Error(e)) => Err(SyncError::Database {
                        message: format!("cannot lock {}: {e}", lock.display()),
                    }),
                }
            }
            Location::Postgres(_) => {
                let mut store = self.store.lock().unwrap_or_else(PoisonError::into_inner);
                match store.try_lock() {
                    Ok(true) => Ok(Lock::Advisory(&self.store)),
                    Ok(false) => Err(SyncError::Locked {
                        database: self.database(),
                        lock: "the mirror's advisory lock (pg_locks, locktype advisory)".into(),
                    }),
                    Err(e) => Err(SyncError::database("lock", None, &e)),
                }
            }
        }
    }
}

/// A held writer lock.
enum Lock<'m> {
    None,
    File(#[allow(dead_code, reason = "held for its lock")] File),
    Advisory(&'m Mutex<Store>),
}

impl Drop for Lock<'_> {
    fn drop(&mut self) {
        if let Self::Advisory(store) = self {
            let mut store = store.lock().unwrap_or_else(PoisonError::into_inner);
            if let Err(e) = store.unlock() {
                // The connection ending releases it too.
                tracing::warn!("cannot release the mirror's advisory lock: {e}");
            }
        }
    }
}

/// The summary as JSON, as `_seventime_runs.summary` keeps it and `-o json` prints it.
pub fn summary_json(summary: &Summary) -> String {
    serde_json::json!({
        "run": summary.run,
        "schemaChanges": summary.schema_changes.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "resources": summary.resources.iter().map(|r| serde_json::json!({
            "resource": r.resource,
            "table": r.table,
            "mode": r.mode.to_string(),
            "fetched": r.fetched,
            "inserted": r.inserted,
            "updated": r.updated,
            "unchanged": r.unchanged,
            "deleted": r.deleted,
            "requests": r.requests,
            "durationMs": r.duration.as_millis() as u64,
            "notes": r.notes,
        })).collect::<Vec<_>>(),
    })
    .to_string()
}
