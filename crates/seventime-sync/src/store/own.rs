//! The mirror's own tables: the version of their layout, each resource's progress, the
//! numbers of full passes and the log of runs.

use super::{Param, Result, Store, Tx};

/// The changes to the mirror's own tables since their first layout (version 1, which the
/// dialect's `own_tables` creates), in order: entry `i` takes version `i + 1` to `i + 2`. A new
/// database is created at version 1 and brought up by the same steps as an old one, so there
/// is one layout to reason about per version.
const MIGRATIONS: &[&str] = &[
    // 2: the last parent record a per-parent pass has read whole (supplement orders per project).
    "ALTER TABLE _seventime_state ADD COLUMN pass_parent TEXT",
    // 3: whether the resource's table held no live row when the pass began.
    "ALTER TABLE _seventime_state ADD COLUMN pass_began_empty BIGINT",
];

/// The version of the mirror's own tables; a database written by a newer version is refused.
const SCHEMA_VERSION: i64 = 1 + MIGRATIONS.len() as i64;

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
    /// For a list read once per parent record: the key of the last parent whose records are
    /// all committed (parents are read in key order, so a resume starts after it).
    pub parent: Option<String>,
    /// The resource's table held no row not marked deleted when the pass began: every live
    /// row at its end was written by the pass, so none is left to look for or mark deleted
    /// (each of those is a scan of the whole table). A pass saved by an earlier version,
    /// which did not know, reads as `false`.
    pub began_empty: bool,
}

impl Store {
    /// Whether the database holds a mirror already (its own tables exist).
    pub fn has_own_tables(&mut self) -> Result<bool> {
        let dialect = self.dialect();
        let mut tx = self.backend.transaction()?;
        let exists = super::table_exists(tx.as_mut(), dialect, "_seventime_meta")?;
        tx.commit()?;
        Ok(exists)
    }

    /// Creates the mirror's own tables, and checks the version of an existing database.
    pub fn migrate(&mut self) -> std::result::Result<(), String> {
        let own_tables = self.dialect().own_tables;
        let mut tx = self.backend.transaction().map_err(|e| e.to_string())?;
        tx.batch(own_tables).map_err(|e| e.to_string())?;
        let version = tx
            .query(
                "SELECT value FROM _seventime_meta WHERE key = 'schema_version'",
                &[],
            )
            .map_err(|e| e.to_string())?;
        let version = version
            .first()
            .and_then(|row| row.first())
            .and_then(Param::text)
            .map(str::parse::<i64>);
        let from = match version {
            None => {
                // Created just now, in the first layout.
                tx.execute(
                    "INSERT INTO _seventime_meta (key, value) VALUES ('schema_version', '1')",
                    &[],
                )
                .map_err(|e| e.to_string())?;
                1
            }
            Some(Ok(newer)) if newer > SCHEMA_VERSION => {
                return Err(format!(
                    "the database was written by a newer seventime-sync (its tables are version {newer}, this one knows {SCHEMA_VERSION}); update seventime"
                ));
            }
            Some(Ok(known)) if known >= 1 => known,
            Some(_) => {
                return Err(
                    "the database's _seventime_meta has a schema_version this version cannot read; use a new database".into(),
                );
            }
        };
        for (step, migration) in MIGRATIONS.iter().enumerate().skip(from as usize - 1) {
            tx.batch(migration).map_err(|e| {
                format!(
                    "cannot bring the mirror's own tables to version {}: {e}",
                    step + 2
                )
            })?;
        }
        if from < SCHEMA_VERSION {
            tx.execute(
                "UPDATE _seventime_meta SET value = ?1 WHERE key = 'schema_version'",
                &[SCHEMA_VERSION.to_string().into()],
            )
            .map_err(|e| e.to_string())?;
        }
        tx.commit().map_err(|e| e.to_string())
    }

    /// The progress of `resource`.
    pub fn state(&mut self, resource: &str) -> Result<State> {
        let mut tx = self.backend.transaction()?;
        let rows = tx.query(
            "SELECT cursor, pass, pass_page, pass_started, runs_since_full, pass_total,
                    pass_page_size, pass_parent, pass_began_empty
             FROM _seventime_state WHERE resource = ?1",
            &[resource.into()],
        )?;
        tx.commit()?;
        let Some(row) = rows.into_iter().next() else {
            return Ok(State::default());
        };
        let text = |i: usize| row.get(i).and_then(Param::text).map(str::to_string);
        let integer = |i: usize| row.get(i).and_then(Param::integer);
        Ok(State {
            cursor: text(0),
            pass: integer(1).map(|id| Pass {
                id,
                page: integer(2).unwrap_or(0),
                started: text(3).unwrap_or_default(),
                total: integer(5),
                page_size: integer(6).unwrap_or(0),
                parent: text(7),
                began_empty: integer(8) == Some(1),
            }),
            runs_since_full: integer(4).unwrap_or(0),
        })
    }

    /// A number for a new full pass, never given before in this database.
    pub fn next_pass(&mut self) -> Result<i64> {
        let mut tx = self.backend.transaction()?;
        let last = tx.query(
            "SELECT value FROM _seventime_meta WHERE key = 'last_pass'",
            &[],
        )?;
        let last: i64 = last
            .first()
            .and_then(|row| row.first())
            .and_then(Param::text)
            .and_then(|text| text.parse().ok())
            .unwrap_or(0);
        let next = last + 1;
        tx.execute(
            "INSERT INTO _seventime_meta (key, value) VALUES ('last_pass', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[next.to_string().into()],
        )?;
        tx.commit()?;
        Ok(next)
    }

    /// Records the resource's progress alone (a pass that found nothing to write).
    pub fn save_state(&mut self, resource: &str, state: &State) -> Result<()> {
        let mut tx = self.backend.transaction()?;
        save_state(tx.as_mut(), resource, state)?;
        tx.commit()
    }

    /// Starts a run; returns its number.
    pub fn start_run(&mut self, now: &str) -> Result<i64> {
        let mut tx = self.backend.transaction()?;
        let rows = tx.query(
            "INSERT INTO _seventime_runs (started_at) VALUES (?1) RETURNING id",
            &[now.into()],
        )?;
        tx.commit()?;
        Ok(super::count(&rows))
    }

    /// Ends run `run` with its summary (JSON).
    pub fn finish_run(&mut self, run: i64, now: &str, summary: &str) -> Result<()> {
        let mut tx = self.backend.transaction()?;
        tx.execute(
            "UPDATE _seventime_runs SET finished_at = ?1, summary = ?2 WHERE id = ?3",
            &[now.into(), summary.into(), run.into()],
        )?;
        tx.commit()
    }
}

/// Writes `state` as `resource`'s progress, inside `tx`.
pub(super) fn save_state(tx: &mut dyn Tx, resource: &str, state: &State) -> Result<()> {
    let pass = state.pass.as_ref();
    tx.execute(
        "INSERT INTO _seventime_state (resource, cursor, pass, pass_page, pass_started,
             runs_since_full, pass_total, pass_page_size, pass_parent, pass_began_empty)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (resource) DO UPDATE SET cursor = excluded.cursor, pass = excluded.pass,
             pass_page = excluded.pass_page, pass_started = excluded.pass_started,
             runs_since_full = excluded.runs_since_full, pass_total = excluded.pass_total,
             pass_page_size = excluded.pass_page_size, pass_parent = excluded.pass_parent,
             pass_began_empty = excluded.pass_began_empty",
        &[
            resource.into(),
            state.cursor.clone().into(),
            pass.map(|p| p.id).into(),
            pass.map(|p| p.page).into(),
            pass.map(|p| p.started.clone()).into(),
            state.runs_since_full.into(),
            pass.and_then(|p| p.total).into(),
            pass.map(|p| p.page_size).into(),
            pass.and_then(|p| p.parent.clone()).into(),
            pass.map(|p| i64::from(p.began_empty)).into(),
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Location;

    #[test]
    fn a_database_of_the_first_layout_is_brought_up_to_date_once() {
        let mut store = Store::open(&Location::Sqlite(":memory:".into())).unwrap();
        let first_layout = store.dialect().own_tables;
        let mut tx = store.backend.transaction().unwrap();
        tx.batch(first_layout).unwrap();
        tx.execute(
            "INSERT INTO _seventime_meta (key, value) VALUES ('schema_version', '1')",
            &[],
        )
        .unwrap();
        tx.commit().unwrap();

        store.migrate().unwrap();
        // A second open finds it current and changes nothing (no column added twice).
        store.migrate().unwrap();
        let state = State {
            cursor: None,
            pass: Some(Pass {
                id: 3,
                page: 2,
                started: "2026-12-07T10:00:00".into(),
                total: Some(40),
                page_size: 500,
                parent: Some("5f6b2e6af24d5d7121b".into()),
                began_empty: true,
            }),
            runs_since_full: 1,
        };
        store.save_state("supplement-orders", &state).unwrap();
        assert_eq!(store.state("supplement-orders").unwrap(), state);
        let mut tx = store.backend.transaction().unwrap();
        let version = tx
            .query(
                "SELECT value FROM _seventime_meta WHERE key = 'schema_version'",
                &[],
            )
            .unwrap();
        assert_eq!(
            version[0][0].text(),
            Some(SCHEMA_VERSION.to_string().as_str())
        );
    }
}
