//! Rows: a page of records written with the resource's progress in one transaction (the row,
//! its child rows, its custom-field values), and the marks a full pass leaves.

use std::collections::HashMap;

use serde_json::Value;
use serde_json::value::RawValue;
use seventime::{FieldConfiguration, FieldValue};

use super::own::{State, save_state};
use super::values::bind;
use super::{Param, Result, Row, Store, Tx, count, placeholders};
use crate::record::{self, Record};
use crate::schema::{
    CUSTOM_FIELDS_TABLE, DELETED_AT, Kind, PARENT, POSITION, RAW, ResourceTables, SEEN_IN,
    SYNCED_AT, Table, quote,
};

/// What writing a page did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Written {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl Store {
    /// Writes `records` (JSON text, as the catalog encodes them) of `tables` and then `state`,
    /// in one transaction. `pass` marks the rows as found by that full pass.
    pub fn write_page(
        &mut self,
        tables: &ResourceTables,
        records: &[Box<RawValue>],
        pass: Option<i64>,
        configuration: Option<&FieldConfiguration>,
        state: &State,
        now: &str,
    ) -> Result<Written> {
        let mut transaction = self.backend.transaction()?;
        let tx = transaction.as_mut();
        let mut written = Written::default();
        let key = tables.resource.key;
        let sql = PageSql::new(tables, pass.is_some());
        // The record's key, or none: the client's stream checks `_id` on paginated lists; an
        // unpaginated list's record without its key has no row to go to, and is counted as
        // received only.
        let keyed: Vec<(String, &RawValue, Record<'_>)> = records
            .iter()
            .filter_map(|text| {
                let record = Record::parse(text);
                Some((record::key(record.get(key))?, &**text, record))
            })
            .collect();
        let mut stored = stored_rows(tx, &tables.table, key, &keyed)?;
        for (id, text, record) in &keyed {
            let id = id.as_str();
            let raw = text.get();
            let before = stored.get(id);
            let unchanged = matches!(
                before,
                Some(Stored { raw: Some(old), deleted: false }) if same_json(old, raw)
            );
            if unchanged {
                // A full pass also rewrites the custom-field values of unchanged records:
                // a field renamed or a choice relabelled in the configuration shows.
                if tables.custom_fields && pass.is_some() {
                    write_custom_fields(
                        tx,
                        &sql,
                        tables.resource.name,
                        id,
                        record,
                        configuration,
                        false,
                    )?;
                }
                if let Some(pass) = pass {
                    tx.execute(&sql.seen, &[pass.into(), id.into()])?;
                }
                written.unchanged += 1;
                continue;
            }
            // A record new to the table has no child or custom-field rows to clear.
            let new = before.is_none();
            if new {
                written.inserted += 1;
            } else {
                written.updated += 1;
            }
            upsert_row(tx, &sql.upsert, &tables.table, record, raw, pass, now)?;
            for (child, insert) in tables.children.iter().zip(&sql.children) {
                write_children(tx, child, insert, id, record, new)?;
            }
            if tables.custom_fields {
                write_custom_fields(
                    tx,
                    &sql,
                    tables.resource.name,
                    id,
                    record,
                    configuration,
                    new,
                )?;
            }
            // A page that holds a record twice compares the second with the first.
            stored.insert(
                id.to_string(),
                Stored {
                    raw: Some(raw.to_owned()),
                    deleted: false,
                },
            );
        }
        save_state(tx, tables.resource.name, state)?;
        transaction.commit()?;
        Ok(written)
    }

    /// How many rows of `table` the full pass `pass` found.
    pub fn seen_in(&mut self, table: &str, pass: i64) -> Result<u64> {
        let mut tx = self.backend.transaction()?;
        let rows = tx.query(
            &format!("SELECT count(*) FROM {} WHERE {SEEN_IN} = ?1", quote(table)),
            &[pass.into()],
        )?;
        tx.commit()?;
        Ok(count(&rows).max(0) as u64)
    }

    /// How many rows of `table` are not marked deleted; `None` when there is no such table.
    pub fn live_rows(&mut self, table: &str, key: &str) -> Result<Option<u64>> {
        let dialect = self.dialect();
        let mut tx = self.backend.transaction()?;
        if !super::table_exists(tx.as_mut(), dialect, table)? {
            return Ok(None);
        }
        let rows = tx.query(
            &format!(
                "SELECT count({}) FROM {} WHERE {DELETED_AT} IS NULL",
                quote(key),
                quote(table)
            ),
            &[],
        )?;
        tx.commit()?;
        Ok(Some(count(&rows).max(0) as u64))
    }

    /// The keys of `table`'s rows not marked deleted (`key` is its key column), in no order.
    pub fn live_keys(&mut self, table: &str, key: &str) -> Result<Vec<String>> {
        let mut tx = self.backend.transaction()?;
        let rows = tx.query(
            &format!(
                "SELECT CAST({} AS TEXT) FROM {} WHERE {DELETED_AT} IS NULL",
                quote(key),
                quote(table)
            ),
            &[],
        )?;
        tx.commit()?;
        Ok(first_texts(rows))
    }

    /// Whether `table` holds a row not marked deleted (a full pass that begins without one
    /// has nothing to mark deleted at its end).
    pub fn has_live_rows(&mut self, table: &str) -> Result<bool> {
        let mut tx = self.backend.transaction()?;
        let rows = tx.query(
            &format!(
                "SELECT 1 FROM {} WHERE {DELETED_AT} IS NULL LIMIT 1",
                quote(table)
            ),
            &[],
        )?;
        tx.commit()?;
        Ok(!rows.is_empty())
    }

    /// The keys of the rows of `tables` the full pass `pass` has not found and that are not
    /// marked deleted: the candidates for the mark.
    pub fn unseen(&mut self, tables: &ResourceTables, pass: i64) -> Result<Vec<String>> {
        let mut tx = self.backend.transaction()?;
        let rows = tx.query(
            &format!(
                "SELECT CAST({key} AS TEXT) FROM {table}
                 WHERE {DELETED_AT} IS NULL AND ({SEEN_IN} IS NULL OR {SEEN_IN} <> ?1)",
                key = quote(tables.resource.key),
                table = quote(&tables.table.name),
            ),
            &[pass.into()],
        )?;
        tx.commit()?;
        Ok(first_texts(rows))
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
    ) -> Result<u64> {
        let mut tx = self.backend.transaction()?;
        let marked = if mark_deleted {
            tx.execute(
                &format!(
                    "UPDATE {} SET {DELETED_AT} = ?1
                     WHERE {DELETED_AT} IS NULL AND ({SEEN_IN} IS NULL OR {SEEN_IN} <> ?2)",
                    quote(&tables.table.name)
                ),
                &[now.into(), pass.into()],
            )?
        } else {
            0
        };
        save_state(tx.as_mut(), tables.resource.name, state)?;
        tx.commit()?;
        Ok(marked)
    }
}

/// A stored row, as a page's write compares with it.
struct Stored {
    raw: Option<String>,
    deleted: bool,
}

/// Records per `IN (…)` query: below SQLite's oldest limit on parameters (999).
const KEYS_PER_QUERY: usize = 900;

/// The stored rows of `table` for the keys of `keyed`, by key, in as few queries as fit.
fn stored_rows(
    tx: &mut dyn Tx,
    table: &Table,
    key: &str,
    keyed: &[(String, &RawValue, Record<'_>)],
) -> Result<HashMap<String, Stored>> {
    let mut stored = HashMap::with_capacity(keyed.len());
    for chunk in keyed.chunks(KEYS_PER_QUERY) {
        let sql = format!(
            "SELECT CAST({key} AS TEXT), CAST({RAW} AS TEXT), {DELETED_AT} IS NOT NULL FROM {} WHERE {key} IN ({})",
            quote(&table.name),
            placeholders(1, chunk.len()).join(", "),
            key = quote(key),
        );
        let keys: Vec<Param> = chunk.iter().map(|(id, ..)| id.as_str().into()).collect();
        for row in tx.query(&sql, &keys)? {
            let mut row = row.into_iter();
            let (Some(Param::Text(id)), raw, deleted) = (row.next(), row.next(), row.next()) else {
                continue;
            };
            let raw = raw.and_then(Param::into_text);
            let deleted = match deleted {
                Some(Param::Boolean(flag)) => flag,
                Some(Param::Integer(flag)) => flag != 0,
                _ => false,
            };
            stored.insert(id.into_owned(), Stored { raw, deleted });
        }
    }
    Ok(stored)
}

/// The statements a page's write runs, made once per page rather than once per record.
struct PageSql {
    upsert: String,
    seen: String,
    /// One INSERT per child table, in the order of `ResourceTables::children`.
    children: Vec<String>,
    clear_custom_fields: String,
    insert_custom_field: String,
}

impl PageSql {
    fn new(tables: &ResourceTables, pass: bool) -> Self {
        let table = &tables.table;
        let key = quote(tables.resource.key);
        let mut names: Vec<String> = table.columns.iter().map(|c| quote(c.name)).collect();
        names.extend([RAW, SYNCED_AT, DELETED_AT, SEEN_IN].map(String::from));
        let updates: Vec<String> = names
            .iter()
            .skip(1)
            .filter(|name| *name != SEEN_IN || pass)
            .map(|name| format!("{name} = excluded.{name}"))
            .collect();
        let upsert = format!(
            "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) DO UPDATE SET {}",
            quote(&table.name),
            names.join(", "),
            placeholders(1, names.len()).join(", "),
            names[0],
            updates.join(", ")
        );
        let children = tables
            .children
            .iter()
            .map(|child| {
                let mut names = vec![PARENT.to_string(), POSITION.to_string()];
                names.extend(child.columns.iter().map(|c| quote(c.name)));
                names.push(RAW.to_string());
                format!(
                    "INSERT INTO {} ({}) VALUES ({})",
                    quote(&child.name),
                    names.join(", "),
                    placeholders(1, names.len()).join(", ")
                )
            })
            .collect();
        Self {
            upsert,
            seen: format!(
                "UPDATE {} SET {SEEN_IN} = ?1 WHERE {key} = ?2",
                quote(&table.name)
            ),
            children,
            clear_custom_fields: format!(
                "DELETE FROM {CUSTOM_FIELDS_TABLE} WHERE resource = ?1 AND record_id = ?2"
            ),
            insert_custom_field: format!(
                "INSERT INTO {CUSTOM_FIELDS_TABLE} (resource, record_id, position, field_id, field_name,
                     field_type, value_text, value_number, value_boolean, value_json, problem)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
            ),
        }
    }
}

fn upsert_row(
    tx: &mut dyn Tx,
    sql: &str,
    table: &Table,
    record: &Record<'_>,
    raw: &str,
    pass: Option<i64>,
    now: &str,
) -> Result<()> {
    let mut values = Vec::with_capacity(table.columns.len() + 4);
    let mut properties = record.walk();
    values.extend(
        table
            .columns
            .iter()
            .map(|column| bind(column.kind, properties.get(column.name))),
    );
    values.push(raw.into());
    values.push(now.into());
    values.push(Param::Null);
    values.push(pass.into());
    tx.execute(sql, &values)?;
    Ok(())
}

/// Writes `record`'s rows of `child` with the statement `insert`, after clearing those it had
/// (unless the record is `new` to the mirror, so has none).
fn write_children(
    tx: &mut dyn Tx,
    child: &Table,
    insert: &str,
    parent: &str,
    record: &Record<'_>,
    new: bool,
) -> Result<()> {
    if !new {
        tx.execute(
            &format!("DELETE FROM {} WHERE {PARENT} = ?1", quote(&child.name)),
            &[parent.into()],
        )?;
    }
    let Some(rows) = child
        .list
        .and_then(|list| record.get(list))
        .and_then(record::elements)
    else {
        return Ok(());
    };
    for (position, text) in rows.into_iter().enumerate() {
        let row = Record::parse(text);
        let mut properties = row.walk();
        let mut values = Vec::with_capacity(child.columns.len() + 3);
        values.extend([parent.into(), Param::Integer(position as i64)]);
        values.extend(
            child
                .columns
                .iter()
                .map(|column| bind(column.kind, properties.get(column.name))),
        );
        values.push(text.get().into());
        tx.execute(insert, &values)?;
    }
    Ok(())
}

/// Writes `record`'s custom-field values, after clearing those it had (unless it is `new`).
fn write_custom_fields(
    tx: &mut dyn Tx,
    sql: &PageSql,
    resource: &str,
    id: &str,
    record: &Record<'_>,
    configuration: Option<&FieldConfiguration>,
    new: bool,
) -> Result<()> {
    if !new {
        tx.execute(&sql.clear_custom_fields, &[resource.into(), id.into()])?;
    }
    let Some(entries) = record.get("customFields").and_then(record::elements) else {
        return Ok(());
    };
    for (position, entry) in entries.into_iter().enumerate() {
        let entry = Record::parse(entry);
        let field_id = entry.get("fieldId").and_then(record::string);
        let field_id = field_id.as_deref();
        let wire_text = entry.get("value").filter(|value| !record::is_null(value));
        // The resolver reads a value as a tree: one small value per entry.
        let wire: Value = wire_text
            .and_then(|text| serde_json::from_str(text.get()).ok())
            .unwrap_or(Value::Null);
        let resolved = configuration.map(|c| c.resolve_one(field_id.unwrap_or_default(), &wire));
        let (mut text, mut number, mut boolean, mut problem) =
            (None, Param::Null, Param::Null, None);
        if let Some(resolved) = &resolved {
            match &resolved.value {
                FieldValue::Text(value) => text = Some(value.clone()),
                FieldValue::YesNo(value) => boolean = Param::Boolean(*value),
                FieldValue::Date(moment) => text = Some(moment.to_string()),
                // The number as received where it is one (the resolved value is an f64 read
                // from text such as "7,5" too).
                FieldValue::Number(value) => {
                    number = bind(Kind::Number, wire_text);
                    if number == Param::Null {
                        number = Param::Real(*value);
                    }
                }
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
        tx.execute(
            &sql.insert_custom_field,
            &[
                resource.into(),
                id.into(),
                Param::Integer(position as i64),
                field_id.into(),
                resolved.as_ref().and_then(|r| r.name.as_deref()).into(),
                resolved
                    .as_ref()
                    .and_then(|r| r.field_type)
                    .map(|kind| i64::from(kind.code()))
                    .into(),
                text.into(),
                number,
                boolean,
                wire_text.map(RawValue::get).into(),
                problem.into(),
            ],
        )?;
    }
    Ok(())
}

/// The first value of each row, where it is text (keys read back).
fn first_texts(rows: Vec<Row>) -> Vec<String> {
    rows.into_iter()
        .filter_map(|row| row.into_iter().next()?.into_text())
        .collect()
}

/// Whether two records' texts are the same JSON. Texts the mirror wrote itself compare equal
/// byte for byte; the tree comparison is for a row written by an earlier version, whose text
/// had its properties sorted by name (the record is the same, and must not count as updated).
fn same_json(stored: &str, received: &str) -> bool {
    stored == received
        || matches!(
            (
                serde_json::from_str::<Value>(stored),
                serde_json::from_str::<Value>(received),
            ),
            (Ok(stored), Ok(received)) if stored == received
        )
}
