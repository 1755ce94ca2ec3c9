//! The tables and columns a plan asks for: created when missing, a column the spec added
//! filled from `raw`, a widened column changed, and a change that could lose data reported
//! and left undone.

use std::collections::BTreeMap;

use super::{Dialect, Param, Result, Store, Tx};
use crate::schema::{
    DELETED_AT, Kind, PARENT, POSITION, Plan, RAW, SEEN_IN, SYNCED_AT, Table, quote,
};

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
    /// The changes `plan` needs; with `apply`, makes them (all or none).
    /// A column whose change is refused keeps its stored kind in `plan` too, so that values
    /// go on being stored as the column has them.
    pub fn reconcile(&mut self, plan: &mut Plan, apply: bool) -> Result<Vec<SchemaChange>> {
        let dialect = self.dialect();
        let mut tx = self.backend.transaction()?;
        let mut changes = Vec::new();
        for resource in &mut plan.resources {
            reconcile_table(
                dialect,
                tx.as_mut(),
                &mut resource.table,
                false,
                apply,
                &mut changes,
            )?;
            for child in &mut resource.children {
                reconcile_table(dialect, tx.as_mut(), child, true, apply, &mut changes)?;
            }
            // Columns the spec no longer has: kept with their data, not filled any more.
            for table in std::iter::once(&resource.table).chain(&resource.children) {
                let known = known_columns(tx.as_mut(), &table.name)?;
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
}

fn known_columns(tx: &mut dyn Tx, table: &str) -> Result<BTreeMap<String, String>> {
    let rows = tx.query(
        "SELECT column_name, kind FROM _seventime_columns WHERE table_name = ?1",
        &[table.into()],
    )?;
    Ok(rows
        .into_iter()
        .filter_map(|row| match <[Param; 2]>::try_from(row) {
            Ok([Param::Text(column), Param::Text(kind)]) => {
                Some((column.into_owned(), kind.into_owned()))
            }
            _ => None,
        })
        .collect())
}

fn reconcile_table(
    dialect: &Dialect,
    tx: &mut dyn Tx,
    table: &mut Table,
    child: bool,
    apply: bool,
    changes: &mut Vec<SchemaChange>,
) -> Result<()> {
    let exists = super::table_exists(tx, dialect, &table.name)?;
    if !exists {
        changes.push(SchemaChange::CreateTable {
            table: table.name.clone(),
        });
        if apply {
            tx.batch(&create_table(dialect, table, child))?;
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
                    tx.batch(&format!(
                        "ALTER TABLE {} ADD COLUMN {} {}",
                        quote(&table.name),
                        quote(column.name),
                        (dialect.column_type)(column.kind)
                    ))?;
                    record_column(tx, &table.name, column.name, column.kind)?;
                    // Rows stored before the column came hold the value in `raw`.
                    tx.batch(&format!(
                        "UPDATE {} SET {} = {}",
                        quote(&table.name),
                        quote(column.name),
                        (dialect.from_raw)(column.kind, column.name),
                    ))?;
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
                if apply {
                    record_column(tx, &table.name, column.name, column.kind)?;
                    for statement in (dialect.widen)(&table.name, column.name, column.kind) {
                        tx.batch(&statement)?;
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

fn record_column(tx: &mut dyn Tx, table: &str, column: &str, kind: Kind) -> Result<()> {
    tx.execute(
        "INSERT INTO _seventime_columns (table_name, column_name, kind) VALUES (?1, ?2, ?3)
         ON CONFLICT (table_name, column_name) DO UPDATE SET kind = excluded.kind",
        &[table.into(), column.into(), kind.name().into()],
    )?;
    Ok(())
}

fn create_table(dialect: &Dialect, table: &Table, child: bool) -> String {
    let mut columns: Vec<String> = Vec::new();
    if child {
        columns.push(format!("{PARENT} TEXT NOT NULL"));
        columns.push(format!("{POSITION} INTEGER NOT NULL"));
    }
    for (at, column) in table.columns.iter().enumerate() {
        if !child && at == 0 {
            columns.push(format!("{} TEXT PRIMARY KEY", quote(column.name)));
        } else {
            columns.push(format!(
                "{} {}",
                quote(column.name),
                (dialect.column_type)(column.kind)
            ));
        }
    }
    columns.push(format!("{RAW} {} NOT NULL", dialect.raw_type));
    if child {
        columns.push(format!("PRIMARY KEY ({PARENT}, {POSITION})"));
    } else {
        columns.push(format!("{SYNCED_AT} {} NOT NULL", dialect.moment_type));
        columns.push(format!("{DELETED_AT} {}", dialect.moment_type));
        columns.push(format!("{SEEN_IN} INTEGER"));
    }
    format!(
        "CREATE TABLE {} (\n  {}\n)",
        quote(&table.name),
        columns.join(",\n  ")
    )
}
