// One piece on purpose (see the paragraph below the list): the four ways of reading share the
// page write, the store lock and the progress rules, and read best side by side.
//! One sync run: for each resource, a full pass or an incremental read, page by page, each page
//! committed with the resource's progress. `docs/sync.md` has the whole story; in short:
//!
//! - **Keyset** (records with `modifiedDate`, lists with `lastModified` and `sortBy`): always the
//!   first page of `lastModified >= bound` sorted by `modifiedDate`, the bound moved to each
//!   page's newest. Pages cannot shift a record past the reader. Full passes of these resources
//!   are keyset reads from the beginning of time.
//! - **Full pass by page number** (everything else): each row stamped with the pass; a pass
//!   whose total held and that found what it counted is whole, and the stored records it did
//!   not find are asked for by id before any is marked deleted.
//! - **Window** (`lastModified` but no `modifiedDate`): every page since the cursor, read until
//!   two reads agree (one read for a one-page window); the cursor moves to when it began.
//! - **Per parent** (a list that needs a parent's key, `x-parent-resource`): after every other
//!   resource, a full pass over one list per stored parent row in key order, resuming after
//!   the last parent read whole.
//!
//! The cursor committed with a page never passes a record that is not stored.
//!
//! A page is written on a blocking thread while the next one is read; a page's write is
//! settled before the next one starts and before any state is saved, so pages commit in order.
//!
//! One piece on purpose: the four ways of reading share the page write, the store lock and the
//! rule that a committed cursor never passes a row not stored; the argument that a run is exact
//! is easiest to check when every place that moves the cursor is in one file.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use futures_util::{StreamExt, TryStreamExt, stream};
use serde_json::value::RawValue;
use seventime::catalog::{self, Listing, Parameter, Resource};
use seventime::{Client, FieldConfiguration, Timestamp};

use crate::record;
use crate::schema::{ResourceTables, table_name};
use crate::store::{self, Pass, State, Store, Written};
use crate::{Event, Mode, Options, ResourceSummary, SyncError};

/// The property `lastModified` compares, as the vendor's reference and the mock have it.
pub(crate) const MODIFIED: &str = "modifiedDate";

/// Passes a full pass may repeat when records were added or removed while it read.
const FULL_PASS_ATTEMPTS: u32 = 3;

pub(crate) struct Run<'a> {
    pub client: &'a Client,
    pub store: &'a Arc<Mutex<Store>>,
    pub options: &'a Options,
    pub events: &'a (dyn Fn(&Event) + Send + Sync),
}

/// A page being written on a blocking thread ([`Run::start_write`]).
struct Writing {
    task: tokio::task::JoinHandle<Result<Written, store::Error>>,
    page: u64,
    records: u64,
    total: u64,
}

/// How a resource will be read this run.
pub(crate) fn mode(tables: &ResourceTables, state: &State, options: &Options) -> Mode {
    let resource = tables.resource;
    let required: Vec<&Parameter> = resource
        .list
        .parameters
        .iter()
        .filter(|p| p.required)
        .collect();
    match (parent_of(resource), required.as_slice()) {
        (_, []) => {}
        (Some((parameter, parent)), [_]) => {
            return Mode::Full {
                reason: format!(
                    "its list needs `{}`: read once per record of {}",
                    parameter.name, parent.name
                ),
            };
        }
        _ => {
            let names: Vec<&str> = required.iter().map(|p| p.name).collect();
            return Mode::Skipped {
                reason: format!(
                    "its list needs `{}`, which the spec ties to no one parent resource (`x-parent-resource`)",
                    names.join("`, `")
                ),
            };
        }
    }
    if !incremental(resource) {
        return Mode::Full {
            reason: "the API cannot list it by lastModified".into(),
        };
    }
    let due = options
        .full_every
        .is_some_and(|every| state.runs_since_full + 1 >= i64::from(every.get()));
    match (&state.cursor, &state.pass) {
        _ if options.full => Mode::Full {
            reason: "--full".into(),
        },
        (_, Some(_)) => Mode::Full {
            reason: "resuming a full pass that was cut short".into(),
        },
        (None, None) => Mode::Full {
            reason: "first run".into(),
        },
        _ if due => Mode::Full {
            reason: "every Nth run reads all (deletions)".into(),
        },
        (Some(cursor), None) => Mode::Incremental {
            since: options.since.map_or_else(
                || lower_bound(cursor, options.overlap),
                |since| since.to_string(),
            ),
        },
    }
}

/// The required parameter a list takes a parent record's key in (`x-parent-resource`), and the
/// parent resource: such a list is read once per parent record.
pub(crate) fn parent_of(
    resource: &'static Resource,
) -> Option<(&'static Parameter, &'static Resource)> {
    let mut required = resource.list.parameters.iter().filter(|p| p.required);
    let parameter = required.next()?;
    if required.next().is_some() {
        return None;
    }
    Some((parameter, catalog::resource(parameter.parent?)?))
}

/// Whether `resource` can be read by `lastModified`.
pub(crate) fn incremental(resource: &Resource) -> bool {
    resource.list.paginated
        && resource
            .list
            .parameters
            .iter()
            .any(|p| p.name == "lastModified")
}

/// Whether its records carry the modification time `lastModified` compares, and the list
/// sorts by it: then an incremental read moves its lower bound page by page (keyset). Without
/// it (the reference shows no `modifiedDate` on time logs, expenses, work orders and supplier
/// invoices), the read pages through the window since the cursor and checks that the window
/// held still, as a full pass does.
fn keyset(resource: &Resource) -> bool {
    incremental(resource)
        && resource.list.parameters.iter().any(|p| p.name == "sortBy")
        && resource.fields.iter().any(|field| field.name == MODIFIED)
}

/// The store, from the run's task or a page write's thread.
fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    // A panic while the lock was held rolled its transaction back (a transaction dropped
    // unfinished rolls back in both backends), so the database is consistent.
    store.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Run<'_> {
    fn store(&self) -> MutexGuard<'_, Store> {
        lock(self.store)
    }

    pub(crate) async fn resource(
        &self,
        tables: &ResourceTables,
    ) -> Result<ResourceSummary, SyncError> {
        let started = Instant::now();
        let resource = tables.resource;
        let state = self
            .store()
            .state(resource.name)
            .map_err(|e| SyncError::database(resource.name, None, &e))?;
        let mode = mode(tables, &state, self.options);
        (self.events)(&Event::Started {
            resource: resource.name,
            mode: mode.clone(),
        });
        let mut summary = ResourceSummary {
            resource: resource.name,
            table: table_name(resource),
            mode: mode.clone(),
            fetched: 0,
            inserted: 0,
            updated: 0,
            unchanged: 0,
            deleted: 0,
            requests: 0,
            duration: Duration::ZERO,
            notes: Vec::new(),
        };
        let configuration = match (tables.custom_fields, resource.entity_type) {
            (true, Some(entity)) if !matches!(mode, Mode::Skipped { .. }) => Some(
                self.client
                    .field_configuration(entity)
                    .await
                    .map_err(|e| SyncError::api(resource.name, None, e))?,
            ),
            _ => None,
        };
        match &mode {
            Mode::Skipped { .. } => {}
            Mode::Full { .. } => {
                self.full(tables, state, configuration.as_ref(), &mut summary)
                    .await?;
            }
            Mode::Incremental { since } if keyset(resource) => {
                self.incremental(tables, state, since, configuration.as_ref(), &mut summary)
                    .await?;
            }
            Mode::Incremental { since } => {
                self.window(tables, state, since, configuration.as_ref(), &mut summary)
                    .await?;
            }
        }
        summary.duration = started.elapsed();
        (self.events)(&Event::Finished(summary.clone()));
        Ok(summary)
    }

    /// A new full pass of `tables`' resource, begun at `started`.
    fn new_pass(&self, tables: &ResourceTables, started: String) -> store::Result<Pass> {
        let mut store = self.store();
        Ok(Pass {
            id: store.next_pass()?,
            page: 0,
            started,
            total: None,
            page_size: self.options.page_size as i64,
            parent: None,
            began_empty: !store.has_live_rows(&tables.table.name)?,
        })
    }

    async fn full(
        &self,
        tables: &ResourceTables,
        mut state: State,
        configuration: Option<&Arc<FieldConfiguration>>,
        summary: &mut ResourceSummary,
    ) -> Result<(), SyncError> {
        let name = tables.resource.name;
        let db = |e: store::Error| SyncError::database(name, None, &e);
        let page_size = self.options.page_size as i64;
        let mut pass = match state.pass.take() {
            // Pages are numbered by their size: a resume with another size starts over.
            Some(pass) if pass.page_size == page_size => pass,
            _ => self.new_pass(tables, now()).map_err(db)?,
        };
        if let Some((parameter, parent)) = parent_of(tables.resource) {
            return self
                .per_parent(
                    tables,
                    state,
                    pass,
                    (parameter, parent),
                    configuration,
                    summary,
                )
                .await;
        }
        if keyset(tables.resource) {
            return self
                .full_by_keyset(tables, state, pass, configuration, summary)
                .await;
        }
        for attempt in 1..=FULL_PASS_ATTEMPTS {
            // Saved before the first request: a run killed before its first page resumes
            // this pass, not one already found wanting.
            state.pass = Some(pass.clone());
            self.store().save_state(name, &state).map_err(db)?;
            let listing = tables
                .resource
                .list(self.client, &[] as &[(&str, &str)])
                .map_err(|e| SyncError::parameter(name, &e))?;
            let paged = listing.is_paginated();
            let listing = if paged {
                listing
                    .page_size(self.options.page_size)
                    .start_page(pass.page as u64 + 1)
            } else {
                listing
            };
            let mut pages = listing.text_pages();
            let mut steady = true;
            let mut last_total = None;
            let mut writing = None;
            while let Some(page) = pages.next().await {
                summary.requests += 1;
                let page = match page {
                    Ok(page) => page,
                    Err(e) => return self.fail(writing, summary, SyncError::page(name, e)).await,
                };
                let total = page.total_records as i64;
                steady &= *pass.total.get_or_insert(total) == total;
                last_total = Some(total);
                pass.page = page.number as i64;
                state.pass = Some(pass.clone());
                self.settle(writing.take(), summary).await?;
                writing =
                    Some(self.start_write(tables, page, Some(pass.id), configuration, &state));
            }
            self.settle(writing, summary).await?;
            // Resumed pages found records in an earlier run; the count covers the whole pass.
            let seen = self
                .store()
                .seen_in(&tables.table.name, pass.id)
                .map_err(db)?;
            let total = last_total.or(pass.total).unwrap_or(0).max(0) as u64;
            let whole = !paged || (steady && seen >= total);
            let mut finished = State {
                cursor: state.cursor.clone(),
                pass: None,
                runs_since_full: 0,
            };
            if whole {
                if paged {
                    self.confirm_missing(tables, &pass, configuration, &state, summary)
                        .await?;
                }
                if incremental(tables.resource) {
                    // Records changed while the pass read have a modified time after it began;
                    // the next incremental read starts there (less the overlap).
                    finished.cursor = Some(pass.started.clone());
                }
                let deleted = self
                    .store()
                    .finish_pass(tables, pass.id, !pass.began_empty, &finished, &now())
                    .map_err(db)?;
                summary.deleted += deleted;
                return Ok(());
            }
            if attempt == FULL_PASS_ATTEMPTS {
                summary.notes.push(format!(
                    "records were added or removed while it was read ({total} counted, {seen} found) {FULL_PASS_ATTEMPTS} times; nothing is marked deleted and the next run reads it all again"
                ));
                // No cursor: a record skipped by pages shifting must not fall behind one.
                finished.cursor = None;
                self.store()
                    .finish_pass(tables, pass.id, false, &finished, &now())
                    .map_err(db)?;
                return Ok(());
            }
            summary.notes.push(format!(
                "the list changed while it was read ({total} counted, {seen} found); read again"
            ));
            // The rows this attempt wrote make the table non-empty: the next one checks.
            pass = self.new_pass(tables, pass.started).map_err(db)?;
        }
        Ok(())
    }

    /// A full pass of a resource whose records carry `modifiedDate`: a keyset read from the
    /// beginning of time, which pages cannot shift (a record changed moves behind the bound and
    /// is read again, one removed takes no place of another), so the pass is whole when it
    /// ends. Its cursor is the newest `modifiedDate` stored, committed with each page; a pass
    /// cut short resumes from it.
    async fn full_by_keyset(
        &self,
        tables: &ResourceTables,
        mut state: State,
        mut pass: Pass,
        configuration: Option<&Arc<FieldConfiguration>>,
        summary: &mut ResourceSummary,
    ) -> Result<(), SyncError> {
        let name = tables.resource.name;
        let db = |e: store::Error| SyncError::database(name, None, &e);
        let beginning = Timestamp::from_unix_seconds(0);
        let start = if pass.page == 0 {
            // A new pass: the old cursor would let a resume skip what this pass has not read.
            state.cursor = None;
            beginning
        } else {
            state
                .cursor
                .as_deref()
                .and_then(Timestamp::from_record)
                .unwrap_or(beginning)
        };
        state.pass = Some(pass.clone());
        self.store().save_state(name, &state).map_err(db)?;
        self.keyset(
            tables,
            &mut state,
            start,
            true,
            Some(&mut pass),
            configuration,
            summary,
        )
        .await?;
        self.confirm_missing(tables, &pass, configuration, &state, summary)
            .await?;
        let finished = State {
            cursor: state.cursor.clone().or(Some(pass.started.clone())),
            pass: None,
            runs_since_full: 0,
        };
        summary.deleted += self
            .store()
            .finish_pass(tables, pass.id, !pass.began_empty, &finished, &now())
            .map_err(db)?;
        Ok(())
    }

    /// A full pass of a list read once per parent record (a project's supplement orders). The
    /// parents are the mirror's rows of the parent resource not marked deleted, which this run
    /// has just brought up to date (parents are read first), in key order. Each parent's list is
    /// read whole, page by page, each page committed with the pass; then the pass records that
    /// parent as done, so a run cut short resumes after the last parent read whole. The pass
    /// is whole when every parent's list held still while it was read (the same total on each
    /// page, and as many records found as counted); only then are the rows it did not find
    /// marked deleted (a parent removed takes its records with it).
    async fn per_parent(
        &self,
        tables: &ResourceTables,
        mut state: State,
        mut pass: Pass,
        (parameter, parent): (&'static Parameter, &'static Resource),
        configuration: Option<&Arc<FieldConfiguration>>,
        summary: &mut ResourceSummary,
    ) -> Result<(), SyncError> {
        let name = tables.resource.name;
        let db = |e: store::Error| SyncError::database(name, None, &e);
        let mut parents = self
            .store()
            .live_keys(&table_name(parent), parent.key)
            .map_err(db)?;
        // Sorted here, not by the database: PostgreSQL's collation need not be byte order, and
        // the resume compares keys in Rust.
        parents.sort();
        state.pass = Some(pass.clone());
        self.store().save_state(name, &state).map_err(db)?;
        let mut steady = true;
        let resume_after = pass.parent.clone();
        let remaining = parents
            .iter()
            .filter(|key| resume_after.as_ref().is_none_or(|done| *key > done));
        for key in remaining {
            let listing = tables
                .resource
                .list(self.client, &[(parameter.name, key.as_str())])
                .map_err(|e| SyncError::parameter(name, &e))?;
            let paged = listing.is_paginated();
            let listing = if paged {
                listing.page_size(self.options.page_size)
            } else {
                listing
            };
            let mut pages = listing.text_pages();
            let (mut first_total, mut last_total, mut found) = (None, None, 0u64);
            let mut writing = None;
            while let Some(page) = pages.next().await {
                summary.requests += 1;
                let page = match page {
                    Ok(page) => page,
                    Err(e) => return self.fail(writing, summary, SyncError::page(name, e)).await,
                };
                first_total.get_or_insert(page.total_records);
                last_total = Some(page.total_records);
                found += page.items.len() as u64;
                self.settle(writing.take(), summary).await?;
                writing =
                    Some(self.start_write(tables, page, Some(pass.id), configuration, &state));
            }
            // The parent counts as read once its last page is committed.
            self.settle(writing, summary).await?;
            steady &= !paged || (first_total == last_total && found >= last_total.unwrap_or(0));
            pass.parent = Some(key.clone());
            state.pass = Some(pass.clone());
            self.store().save_state(name, &state).map_err(db)?;
        }
        if parents.is_empty() {
            summary.notes.push(format!(
                "the mirror holds no {} records, so there was no list to read",
                parent.name
            ));
        }
        if steady {
            self.confirm_missing(tables, &pass, configuration, &state, summary)
                .await?;
        } else {
            summary.notes.push(format!(
                "a {}'s list changed while it was read; nothing is marked deleted this run",
                parent.name.trim_end_matches('s')
            ));
        }
        let finished = State {
            cursor: None,
            pass: None,
            runs_since_full: 0,
        };
        summary.deleted += self
            .store()
            .finish_pass(
                tables,
                pass.id,
                steady && !pass.began_empty,
                &finished,
                &now(),
            )
            .map_err(db)?;
        Ok(())
    }

    /// Asks for each record a whole full pass did not find by its id: pages that shifted
    /// under the pass (one record removed before the reader and one added after it) hide a
    /// record from the pass without changing the count. A record still there is stored as
    /// found by the pass; only those the service answers `404` for stay candidates for the
    /// deleted mark.
    async fn confirm_missing(
        &self,
        tables: &ResourceTables,
        pass: &Pass,
        configuration: Option<&Arc<FieldConfiguration>>,
        state: &State,
        summary: &mut ResourceSummary,
    ) -> Result<(), SyncError> {
        let name = tables.resource.name;
        if tables.resource.get.is_none() || pass.began_empty {
            return Ok(());
        }
        let missing = self
            .store()
            .unseen(tables, pass.id)
            .map_err(|e| SyncError::database(name, None, &e))?;
        for key in missing {
            summary.requests += 1;
            match tables.resource.get_text(self.client, &key).await {
                Ok(record) => {
                    let written = self
                        .store()
                        .write_page(
                            tables,
                            std::slice::from_ref(&record),
                            Some(pass.id),
                            configuration.map(Arc::as_ref),
                            state,
                            &now(),
                        )
                        .map_err(|e| SyncError::database(name, Some(0), &e))?;
                    summary.fetched += 1;
                    summary.updated += written.updated;
                    summary.unchanged += written.unchanged;
                }
                Err(seventime::ApiError::NotFound(_)) => {}
                Err(error) => return Err(SyncError::api(name, None, error)),
            }
        }
        Ok(())
    }

    async fn incremental(
        &self,
        tables: &ResourceTables,
        mut state: State,
        since: &str,
        configuration: Option<&Arc<FieldConfiguration>>,
        summary: &mut ResourceSummary,
    ) -> Result<(), SyncError> {
        let name = tables.resource.name;
        // With --since later than the cursor, records between the two are not read: the
        // cursor stays where it is, so the next run reads them.
        let advance = may_advance(&state, since);
        state.runs_since_full += 1;
        let Some(bound) = Timestamp::from_record(since) else {
            return Err(SyncError::Usage(format!(
                "{name}: the saved cursor `{since}` is not a moment; run `seventime sync --full --resources {name}` to read it afresh"
            )));
        };
        self.keyset(
            tables,
            &mut state,
            bound,
            advance,
            None,
            configuration,
            summary,
        )
        .await?;
        self.store()
            .save_state(name, &state)
            .map_err(|e| SyncError::database(name, None, &e))
    }

    /// Reads `lastModified >= bound` sorted by `modifiedDate`, always from the first page of a
    /// request whose bound moves to each page's newest `modifiedDate`; each page is written with
    /// `state` (its cursor moved when `advance`), stamped with `pass` when one is given.
    #[allow(clippy::too_many_arguments)]
    async fn keyset(
        &self,
        tables: &ResourceTables,
        state: &mut State,
        mut bound: Timestamp,
        advance: bool,
        mut pass: Option<&mut Pass>,
        configuration: Option<&Arc<FieldConfiguration>>,
        summary: &mut ResourceSummary,
    ) -> Result<(), SyncError> {
        let name = tables.resource.name;
        let mut page_number = 1u64;
        // Set once a page's records all share the bound's second: the pages that follow are
        // numbered (offset) pages of one request, which records changing underneath can shift.
        // The cursor then stays at that second, so the next run reads the group again.
        let mut cap: Option<Timestamp> = None;
        let mut writing = None;
        loop {
            let moment = query_moment(bound);
            let parameters = [
                ("lastModified", moment.as_str()),
                ("sortBy", MODIFIED),
                ("sortDirection", "ascending"),
            ];
            let listing: Listing<'_> = tables
                .resource
                .list(self.client, &parameters)
                .map_err(|e| SyncError::parameter(name, &e))?
                .page_size(self.options.page_size)
                .start_page(page_number);
            summary.requests += 1;
            let page = match listing.text_pages().try_next().await {
                Ok(Some(page)) => page,
                Ok(None) => break,
                Err(e) => return self.fail(writing, summary, SyncError::page(name, e)).await,
            };
            let newest = page
                .items
                .iter()
                .filter_map(|text| record::property(text, MODIFIED).and_then(record::string))
                .filter_map(|modified| Timestamp::from_record(&modified))
                .max();
            if advance && let Some(newest) = newest {
                let reached = cap.map_or(newest, |cap| newest.min(cap));
                if state
                    .cursor
                    .as_deref()
                    .and_then(Timestamp::from_record)
                    .is_none_or(|cursor| reached > cursor)
                {
                    state.cursor = Some(reached.to_string());
                }
            }
            if let Some(pass) = pass.as_deref_mut() {
                pass.page += 1;
                state.pass = Some(pass.clone());
            }
            let stamp = pass.as_deref().map(|pass| pass.id);
            let full = page.items.len() as u64 >= self.options.page_size;
            self.settle(writing.take(), summary).await?;
            writing = Some(self.start_write(tables, page, stamp, configuration, state));
            let Some(newest) = newest.filter(|_| full) else {
                break;
            };
            // Records modified in the newest record's second may not all fit on the page: the
            // next request starts at that second again. The bound only moves forward (a
            // service reading it in another zone must not send the reader back).
            if newest > bound {
                bound = newest;
                page_number = 1;
            } else {
                cap.get_or_insert(bound);
                page_number += 1;
            }
        }
        self.settle(writing, summary).await
    }

    /// An incremental read of a resource whose records do not say when they changed: every
    /// page of `lastModified >= since`. A window of one page cannot shift under the reader;
    /// a longer one is read until two reads in a row see the same records and a steady total
    /// (up to three reads). The cursor then moves to when the read began, which comes before
    /// any change it could have missed.
    async fn window(
        &self,
        tables: &ResourceTables,
        mut state: State,
        since: &str,
        configuration: Option<&Arc<FieldConfiguration>>,
        summary: &mut ResourceSummary,
    ) -> Result<(), SyncError> {
        let name = tables.resource.name;
        let started = now();
        let advance = may_advance(&state, since);
        state.runs_since_full += 1;
        let bound = Timestamp::from_record(since).map_or_else(|| since.to_string(), query_moment);
        let mut previous: Option<std::collections::HashSet<String>> = None;
        for attempt in 1..=FULL_PASS_ATTEMPTS {
            let listing = tables
                .resource
                .list(self.client, &[("lastModified", bound.as_str())])
                .map_err(|e| SyncError::parameter(name, &e))?
                .page_size(self.options.page_size);
            let mut pages = listing.text_pages();
            let (mut first_total, mut last_total, mut requests) = (None, None, 0u32);
            let mut seen = std::collections::HashSet::new();
            let mut writing = None;
            while let Some(page) = pages.next().await {
                summary.requests += 1;
                requests += 1;
                let page = match page {
                    Ok(page) => page,
                    Err(e) => return self.fail(writing, summary, SyncError::page(name, e)).await,
                };
                first_total.get_or_insert(page.total_records);
                last_total = Some(page.total_records);
                for record in &page.items {
                    if let Some(id) = record::property(record, tables.resource.key) {
                        seen.insert(id.get().to_owned());
                    }
                }
                // The cursor stays where it was until the whole window is read.
                self.settle(writing.take(), summary).await?;
                writing = Some(self.start_write(tables, page, None, configuration, &state));
            }
            self.settle(writing, summary).await?;
            let total = last_total.unwrap_or(0);
            let steady = first_total == last_total && seen.len() as u64 >= total;
            if steady && (requests <= 1 || previous.as_ref() == Some(&seen)) {
                if advance {
                    state.cursor = Some(started);
                }
                return self
                    .store()
                    .save_state(name, &state)
                    .map_err(|e| SyncError::database(name, None, &e));
            }
            if !steady {
                summary.notes.push(format!(
                    "records changed while the window since {since} was read ({total} counted, {} found); {}",
                    seen.len(),
                    if attempt == FULL_PASS_ATTEMPTS {
                        "the cursor stays, so the next run reads the window again"
                    } else {
                        "read again"
                    }
                ));
            }
            previous = steady.then_some(seen);
        }
        self.store()
            .save_state(name, &state)
            .map_err(|e| SyncError::database(name, None, &e))
    }

    /// Starts writing `page` in one transaction with `state` (stamped with `pass` when one is
    /// given) on a blocking thread, so that the next page is read while this one is written.
    ///
    /// The caller [settles](Run::settle) the write in flight before it starts another, saves
    /// state of its own, or returns: pages commit in the order they were read, and no state
    /// saved passes a page not yet committed.
    fn start_write(
        &self,
        tables: &ResourceTables,
        page: seventime::Page<Box<RawValue>>,
        pass: Option<i64>,
        configuration: Option<&Arc<FieldConfiguration>>,
        state: &State,
    ) -> Writing {
        let (store, tables, configuration, state) = (
            Arc::clone(self.store),
            tables.clone(),
            configuration.cloned(),
            state.clone(),
        );
        let (number, records, total) = (page.number, page.items.len() as u64, page.total_records);
        let task = tokio::task::spawn_blocking(move || {
            lock(&store).write_page(
                &tables,
                &page.items,
                pass,
                configuration.as_deref(),
                &state,
                &now(),
            )
        });
        Writing {
            task,
            page: number,
            records,
            total,
        }
    }

    /// Waits for the page write in flight, if there is one, and counts it in `summary` (and
    /// tells the listener).
    async fn settle(
        &self,
        writing: Option<Writing>,
        summary: &mut ResourceSummary,
    ) -> Result<(), SyncError> {
        let Some(writing) = writing else {
            return Ok(());
        };
        let name = summary.resource;
        let written = match writing.task.await {
            Ok(written) => {
                written.map_err(|e| SyncError::database(name, Some(writing.page), &e))?
            }
            // The write's panic is the run's, as it was before writes left this thread.
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => {
                return Err(SyncError::Database {
                    message: format!("{name}: the write of page {} stopped: {e}", writing.page),
                });
            }
        };
        self.count(
            summary,
            writing.records,
            written,
            writing.page,
            writing.total,
        );
        Ok(())
    }

    /// Settles the write in flight, then fails with `error`: a page read before the failure
    /// is still committed and counted.
    async fn fail(
        &self,
        writing: Option<Writing>,
        summary: &mut ResourceSummary,
        error: SyncError,
    ) -> Result<(), SyncError> {
        self.settle(writing, summary).await?;
        Err(error)
    }

    fn count(
        &self,
        summary: &mut ResourceSummary,
        records: u64,
        written: Written,
        page: u64,
        total: u64,
    ) {
        summary.fetched += records;
        summary.inserted += written.inserted;
        summary.updated += written.updated;
        summary.unchanged += written.unchanged;
        (self.events)(&Event::Page {
            resource: summary.resource,
            page,
            records,
            fetched: summary.fetched,
            total_records: total,
        });
    }
}

/// Runs every resource of `plan`, up to `options.concurrency` at a time.
pub(crate) async fn all(
    run: &Run<'_>,
    tables: &[ResourceTables],
) -> Vec<Result<ResourceSummary, SyncError>> {
    // The futures are made before the stream (not by a `map` closure inside it), so that the
    // sync's future is `Send`: a closure there hides a lifetime the compiler cannot prove
    // `Send` for any caller's `tokio::spawn`.
    // Lists read per parent record go second: their parents' rows must be current first.
    let (per_parent, direct): (Vec<&ResourceTables>, Vec<&ResourceTables>) = tables
        .iter()
        .partition(|tables| parent_of(tables.resource).is_some());
    let mut outcomes = Vec::new();
    for wave in [direct, per_parent] {
        if outcomes.iter().any(Result::is_err) {
            // A parent not read is not a reason to mark its children deleted.
            break;
        }
        let reads: Vec<_> = wave
            .into_iter()
            .map(|tables| run.resource(tables))
            .collect();
        outcomes.extend(
            stream::iter(reads)
                .buffered(run.options.concurrency.max(1))
                .collect::<Vec<_>>()
                .await,
        );
    }
    outcomes
}

/// Whether a read from `since` may move the cursor: not when `since` (`--since`) is later
/// than the cursor, since the records between the two are not read.
fn may_advance(state: &State, since: &str) -> bool {
    match (&state.cursor, Timestamp::from_record(since)) {
        (Some(cursor), Some(since)) => {
            Timestamp::from_record(cursor).is_none_or(|cursor| since <= cursor)
        }
        _ => true,
    }
}

/// Now, UTC, as the mirror writes moments (`YYYY-MM-DDTHH:MM:SS`).
pub(crate) fn now() -> String {
    Timestamp::from_system_time(SystemTime::now()).to_string()
}

/// `cursor` less `overlap`: where an incremental read starts.
fn lower_bound(cursor: &str, overlap: Duration) -> String {
    match Timestamp::from_record(cursor) {
        Some(moment) => {
            Timestamp::from_unix_seconds(moment.unix_seconds().saturating_sub(overlap.as_secs()))
                .to_string()
        }
        None => cursor.to_string(),
    }
}

/// A moment as the `lastModified` parameter takes it (`YYYY-MM-DD HH:MM:SS`).
fn query_moment(moment: Timestamp) -> String {
    moment.to_string().replacen('T', " ", 1)
}
