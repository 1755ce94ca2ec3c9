//! Rows: a page of records written with the resource's progress in one transaction (the row,
//! its child rows, its custom-field values), and the marks a full pass leaves.

use serde_json::Value;
use seventime::{FieldConfiguration, FieldValue, Timestamp};

use super::own::{State, save_state};
use super::{Param, Result, Store, Tx, count, placeholders};
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
    ) -> Result<Written> {
        let mut transaction = self.backend.transaction()?;
        let tx = transaction.as_mut();
        let mut written = Written::default();
        let key = tables.resource.key;
        let table = &tables.table;
        let select = format!(
            "SELECT CAST({RAW} AS TEXT), CAST({DELETED_AT} AS TEXT) FROM {} WHERE {} = ?1",
            quote(&table.name),
            quote(key)
        );
        for record in records {
            let Some(id) = key_text(record.get(key)) else {
                // The client's stream checks `_id` on paginated lists; an unpaginated list's
                // record without its key has no row to go to, and is counted as received only.
                continue;
            };
            let id = id.as_str();
            let raw = record.to_string();
            let existing = tx.query(&select, &[id.into()])?;
            match existing.first().map(Vec::as_slice) {
                Some([Param::Text(old), Param::Null]) if *old == raw => {
                    // A full pass also rewrites the custom-field values of unchanged records:
                    // a field renamed or a choice relabelled in the configuration shows.
                    if tables.custom_fields && pass.is_some() {
                        write_custom_fields(tx, tables.resource.name, id, record, configuration)?;
                    }
                    if let Some(pass) = pass {
                        tx.execute(
                            &format!(
                                "UPDATE {} SET {SEEN_IN} = ?1 WHERE {} = ?2",
                                quote(&table.name),
                                quote(key)
                            ),
                            &[pass.into(), id.into()],
                        )?;
                    }
                    written.unchanged += 1;
                    continue;
                }
                Some(_) => written.updated += 1,
                None => written.inserted += 1,
            }
            upsert_row(tx, table, record, raw, pass, now)?;
            for child in &tables.children {
                write_children(tx, child, id, record)?;
            }
            if tables.custom_fields {
                write_custom_fields(tx, tables.resource.name, id, record, configuration)?;
            }
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
        Ok(rows
            .into_iter()
            .filter_map(|row| match row.into_iter().next() {
                Some(Param::Text(key)) => Some(key),
                _ => None,
            })
            .collect())
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

/// A property's value as the column of `kind` stores it: the value when it has the column's
/// type, otherwise NULL (`raw` holds every value as received, so nothing is lost). Objects and
/// lists in a text column are kept as JSON text.
pub(crate) fn bind(kind: Kind, value: Option<&Value>) -> Param {
    let Some(value) = value else {
        return Param::Null;
    };
    match (kind, value) {
        (_, Value::Null) => Param::Null,
        (Kind::Json, value) => Param::Text(value.to_string()),
        (Kind::Text, Value::String(text)) => Param::Text(text.clone()),
        (Kind::Text, Value::Number(number)) => Param::Text(number.to_string()),
        (Kind::Text, Value::Bool(flag)) => Param::Text(flag.to_string()),
        (Kind::Text, other) => Param::Text(other.to_string()),
        (Kind::Timestamp, Value::String(text)) if is_moment(text) => Param::Text(text.clone()),
        (Kind::Integer, Value::Number(number)) => {
            number.as_i64().map_or(Param::Null, Param::Integer)
        }
        (Kind::Number, Value::Number(number)) => match number.as_i64() {
            Some(whole) => Param::Integer(whole),
            None => number.as_f64().map_or(Param::Null, Param::Real),
        },
        (Kind::Boolean, Value::Bool(flag)) => Param::Boolean(*flag),
        _ => Param::Null,
    }
}

/// Whether `text` is an ISO 8601 date or moment a timestamp column takes: a valid date and
/// time of day, then optional fractions of a second and an optional zone (`Z`, `+01:00`).
fn is_moment(text: &str) -> bool {
    if text.len() == 10 {
        return Timestamp::from_record(text).is_some();
    }
    if text.len() < 19
        || !text.is_char_boundary(19)
        || Timestamp::from_record(&text[..19]).is_none()
    {
        return false;
    }
    let rest = &text[19..];
    let rest = match rest.strip_prefix('.') {
        Some(fraction) => {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return false;
            }
            &fraction[digits..]
        }
        None => rest,
    };
    match rest.as_bytes() {
        [] | [b'Z'] => true,
        [b'+' | b'-', zone @ ..] => {
            let zone: Vec<u8> = zone.iter().copied().filter(|b| *b != b':').collect();
            matches!(zone.len(), 2 | 4) && zone.iter().all(u8::is_ascii_digit)
        }
        _ => false,
    }
}

fn upsert_row(
    tx: &mut dyn Tx,
    table: &Table,
    record: &Value,
    raw: String,
    pass: Option<i64>,
    now: &str,
) -> Result<()> {
    let mut names: Vec<String> = table.columns.iter().map(|c| quote(c.name)).collect();
    names.extend([RAW, SYNCED_AT, DELETED_AT, SEEN_IN].map(String::from));
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
        placeholders(1, names.len()).join(", "),
        names[0],
        updates.join(", ")
    );
    let mut values: Vec<Param> = table
        .columns
        .iter()
        .map(|column| bind(column.kind, record.get(column.name)))
        .collect();
    values.push(Param::Text(raw));
    values.push(now.into());
    values.push(Param::Null);
    values.push(pass.into());
    tx.execute(&sql, &values)?;
    Ok(())
}

fn write_children(tx: &mut dyn Tx, child: &Table, parent: &str, record: &Value) -> Result<()> {
    tx.execute(
        &format!("DELETE FROM {} WHERE {PARENT} = ?1", quote(&child.name)),
        &[parent.into()],
    )?;
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
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        quote(&child.name),
        names.join(", "),
        placeholders(1, names.len()).join(", ")
    );
    for (position, row) in rows.iter().enumerate() {
        let mut values = vec![parent.into(), Param::Integer(position as i64)];
        values.extend(
            child
                .columns
                .iter()
                .map(|column| bind(column.kind, row.get(column.name))),
        );
        values.push(Param::Text(row.to_string()));
        tx.execute(&sql, &values)?;
    }
    Ok(())
}

fn write_custom_fields(
    tx: &mut dyn Tx,
    resource: &str,
    id: &str,
    record: &Value,
    configuration: Option<&FieldConfiguration>,
) -> Result<()> {
    tx.execute(
        &format!("DELETE FROM {CUSTOM_FIELDS_TABLE} WHERE resource = ?1 AND record_id = ?2"),
        &[resource.into(), id.into()],
    )?;
    let Some(entries) = record.get("customFields").and_then(Value::as_array) else {
        return Ok(());
    };
    let sql = format!(
        "INSERT INTO {CUSTOM_FIELDS_TABLE} (resource, record_id, position, field_id, field_name,
             field_type, value_text, value_number, value_boolean, value_json, problem)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    );
    for (position, entry) in entries.iter().enumerate() {
        let field_id = entry.get("fieldId").and_then(Value::as_str);
        let wire = entry.get("value").unwrap_or(&Value::Null);
        let resolved = configuration.map(|c| c.resolve_one(field_id.unwrap_or_default(), wire));
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
                    number = bind(Kind::Number, Some(wire));
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
            &sql,
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
                (!wire.is_null()).then(|| wire.to_string()).into(),
                problem.into(),
            ],
        )?;
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_value_of_another_type_than_the_column_is_null_there() {
        assert_eq!(bind(Kind::Integer, Some(&json!(7))), Param::Integer(7));
        assert_eq!(bind(Kind::Integer, Some(&json!("7"))), Param::Null);
        assert_eq!(bind(Kind::Integer, Some(&json!(u64::MAX))), Param::Null);
        assert_eq!(bind(Kind::Number, Some(&json!(1.5))), Param::Real(1.5));
        assert_eq!(
            bind(Kind::Boolean, Some(&json!(true))),
            Param::Boolean(true)
        );
        assert_eq!(bind(Kind::Boolean, Some(&json!(1))), Param::Null);
        assert_eq!(
            bind(Kind::Text, Some(&json!({"a": 1}))),
            Param::Text(r#"{"a":1}"#.into())
        );
        assert_eq!(
            bind(Kind::Json, Some(&json!("x"))),
            Param::Text(r#""x""#.into())
        );
        assert_eq!(bind(Kind::Text, None), Param::Null);
    }

    #[test]
    fn timestamp_columns_take_iso_moments_only() {
        for good in [
            "2018-10-01T18:12:06.025Z",
            "2018-10-01T18:12:06",
            "2018-10-01 18:12:06+02:00",
            "2018-10-01T18:12:06-0500",
            "2018-10-01",
        ] {
            assert!(is_moment(good), "{good}");
            assert_eq!(
                bind(Kind::Timestamp, Some(&json!(good))),
                Param::Text(good.into())
            );
        }
        for bad in [
            "",
            "2018-13-01",
            "2018-10-01T18:12:06.Z",
            "2018-10-01T18:12:06 CET",
            "soon",
            "2018-10-01T18:12:0é",
        ] {
            assert!(!is_moment(bad), "{bad}");
        }
    }
}
