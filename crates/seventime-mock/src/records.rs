//! The records the mock serves for every resource of the spec, and how a list request selects
//! from them.
//!
//! Where the vendor's pages are silent, the mock chooses, and documents here:
//! - **Text filters** (`name`, `customerNumber`, `city`, …) match the record's property of the
//!   same name, case-insensitively, anywhere in the text ("Stock" matches "Stockholm"). A
//!   number or boolean property matches when its text is equal (`workOrderNumber=5555`). A
//!   record without the property does not match.
//! - **`lastModified`** keeps records whose `modifiedDate` is at or after the moment (records
//!   without one do not match); `modifiedDate` is read to the second, as UTC. A record changed
//!   through [`crate::Records`] matches from the moment of the change, also where its schema
//!   shows no `modifiedDate` (time logs, expenses): the service filters those too.
//! - **`sortBy`** orders by that property: numbers by value, text case-insensitively, records
//!   without it last; the sort is stable. `sortDirection` applies only with `sortBy`, as the
//!   reference says. Without `sortBy`, records come in stored order.
//! - **Paging**: `meta.totalPages` is ⌈matching / limit⌉; a page past the end is empty.
//! - **400** for a parameter the operation does not document, a value its schema does not
//!   admit (numbers and booleans read by JSON's grammar, timestamps in the spec's four forms of
//!   a real moment: see `query_values.rs`), a `limit` outside 1–500, a `page` below 1, or a
//!   missing required parameter: the real service may ignore some of these, but a client that
//!   sends them has a bug worth seeing.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use serde_json::Value;
use seventime::Timestamp;
use seventime::catalog::{Operation, ParameterKind};

use crate::query_values;

/// The property the `lastModified` filter compares.
pub(crate) const MODIFIED: &str = "modifiedDate";

/// One stored record: the JSON to compare with, and the bytes to send.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub value: Value,
    pub json: Bytes,
    modified: Option<Timestamp>,
}

impl Stored {
    pub fn new(value: Value) -> Self {
        // Serializing a `Value` cannot fail.
        let json = Bytes::from(serde_json::to_vec(&value).unwrap_or_default());
        let modified = value
            .get(MODIFIED)
            .and_then(Value::as_str)
            .and_then(Timestamp::from_record);
        Self {
            value,
            json,
            modified,
        }
    }
}

/// The records of one resource, with an index by `_id` and, once a list asked for one, the
/// order of the records by a property.
#[derive(Debug, Clone, Default)]
pub(crate) struct Collection {
    pub records: Vec<Stored>,
    by_id: HashMap<String, usize>,
    sorted: SortedBy,
}

/// Sort orders a collection keeps at most.
const MAX_SORT_ORDERS: usize = 8;

/// Record indices in ascending `sortBy` order, by property, made when a list first sorts by it
/// and forgotten when a record changes. A keyset reader asks for the first page sorted by
/// `modifiedDate` hundreds of times; sorting every time made the mock the slowest part of a
/// large mirror's benchmark.
#[derive(Debug, Default)]
struct SortedBy(Mutex<HashMap<String, Arc<[usize]>>>);

impl Clone for SortedBy {
    fn clone(&self) -> Self {
        // Made again on demand: cheaper to forget than to copy under the lock.
        Self::default()
    }
}

impl SortedBy {
    fn forget(&mut self) {
        self.0
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

impl Collection {
    pub fn new(values: Vec<Value>) -> Self {
        let records: Vec<Stored> = values.into_iter().map(Stored::new).collect();
        let by_id = records
            .iter()
            .enumerate()
            .filter_map(|(index, record)| {
                Some((record.value.get("_id")?.as_str()?.to_string(), index))
            })
            .collect();
        Self {
            records,
            by_id,
            sorted: SortedBy::default(),
        }
    }

    pub fn get(&self, id: &str) -> Option<&Stored> {
        self.by_id.get(id).map(|&index| &self.records[index])
    }

    /// The indices of every record in ascending order of `key` (a stable sort).
    fn sorted_by(&self, key: &str) -> Arc<[usize]> {
        let mut cache = self.sorted.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(order) = cache.get(key) {
            return Arc::clone(order);
        }
        // Each record's value is looked up once, not at every comparison.
        let values: Vec<Option<&Value>> = self.records.iter().map(|r| r.value.get(key)).collect();
        let mut order: Vec<usize> = (0..self.records.len()).collect();
        order.sort_by(|&a, &b| compare(values[a], values[b]));
        let order: Arc<[usize]> = order.into();
        // `sortBy` is free text: a client (or a fuzzer) naming ever new properties must not
        // grow the mock without bound.
        if cache.len() >= MAX_SORT_ORDERS {
            cache.clear();
        }
        cache.insert(key.to_string(), Arc::clone(&order));
        order
    }

    /// Replaces the record with `value`'s `_id`, or appends `value` when there is none, as
    /// changed at `modified`: what `lastModified` compares, whether or not the record shows a
    /// `modifiedDate` (the service keeps the time of a change for every record it filters).
    /// Returns whether it replaced one.
    pub fn put(&mut self, value: Value, modified: Timestamp) -> bool {
        self.sorted.forget();
        let id = value.get("_id").and_then(Value::as_str).map(str::to_string);
        let mut stored = Stored::new(value);
        stored.modified = Some(modified);
        match id.as_ref().and_then(|id| self.by_id.get(id)) {
            Some(&index) => {
                self.records[index] = stored;
                true
            }
            None => {
                if let Some(id) = id {
                    self.by_id.insert(id, self.records.len());
                }
                self.records.push(stored);
                false
            }
        }
    }

    /// Removes the record `id`, keeping the others in order. Returns whether there was one.
    pub fn remove(&mut self, id: &str) -> bool {
        let Some(index) = self.by_id.remove(id) else {
            return false;
        };
        self.sorted.forget();
        self.records.remove(index);
        for position in self.by_id.values_mut() {
            if *position > index {
                *position -= 1;
            }
        }
        true
    }
}

/// A list request, checked against the operation's parameters.
#[derive(Debug, Default)]
pub(crate) struct Query {
    pub limit: Option<u64>,
    pub page: Option<u64>,
    since: Option<Timestamp>,
    sort_by: Option<String>,
    descending: bool,
    filters: Vec<(String, String)>,
}

impl Query {
    /// Reads `pairs` as `operation`'s parameters; the error is the message of a 400.
    pub fn parse(operation: &Operation, pairs: Vec<(String, String)>) -> Result<Self, String> {
        let mut query = Self::default();
        let mut direction = None;
        for (name, value) in pairs {
            let Some(parameter) = operation.parameters.iter().find(|p| p.name == name) else {
                let known: Vec<&str> = operation.parameters.iter().map(|p| p.name).collect();
                return Err(if known.is_empty() {
                    format!("Unknown parameter `{name}`: {} takes none", operation.path)
                } else {
                    format!(
                        "Unknown parameter `{name}`: {} takes {}",
                        operation.path,
                        known.join(", ")
                    )
                });
            };
            let invalid = || {
                format!(
                    "Invalid value `{value}` for `{name}`: expected {}",
                    parameter.kind
                )
            };
            match parameter.kind {
                ParameterKind::Integer => {
                    let number = query_values::integer(&value).ok_or_else(invalid)?;
                    match name.as_str() {
                        "limit" => {
                            let max = operation.max_page_size.unwrap_or(500);
                            match u64::try_from(number) {
                                Ok(limit) if (1..=max).contains(&limit) => {
                                    query.limit = Some(limit);
                                }
                                _ => {
                                    return Err(format!(
                                        "Invalid value `{value}` for `limit`: it must be from 1 to {max}"
                                    ));
                                }
                            }
                        }
                        "page" => match u64::try_from(number) {
                            Ok(page) if page >= 1 => query.page = Some(page),
                            _ => {
                                return Err(format!(
                                    "Invalid value `{value}` for `page`: pages count from 1"
                                ));
                            }
                        },
                        _ => query.filters.push((name, value)),
                    }
                }
                ParameterKind::Timestamp => {
                    let moment = query_values::timestamp(&value)
                        .map_err(|error| format!("Invalid value for `{name}`: {error}"))?;
                    if name == "lastModified" {
                        query.since = Some(moment);
                    } else {
                        // Other timestamp filters (time log from/to) are accepted, not applied:
                        // the reference does not say which property they compare.
                    }
                }
                ParameterKind::Choice(values) => {
                    if !values.contains(&value.as_str()) {
                        return Err(invalid());
                    }
                    if name == "sortDirection" {
                        direction = Some(value == "descending");
                    } else {
                        query.filters.push((name, value));
                    }
                }
                ParameterKind::Boolean => {
                    query_values::boolean(&value).ok_or_else(invalid)?;
                    query.filters.push((name, value));
                }
                ParameterKind::Number => {
                    if !query_values::is_number(&value) {
                        return Err(invalid());
                    }
                    query.filters.push((name, value));
                }
                _ if name == "sortBy" => query.sort_by = Some(value),
                _ => query.filters.push((name, value)),
            }
        }
        if let Some(missing) = operation
            .parameters
            .iter()
            .find(|p| p.required && !query.filters.iter().any(|(name, _)| name == p.name))
        {
            return Err(format!(
                "Missing required parameter `{}` for {}",
                missing.name, operation.path
            ));
        }
        query.descending = query.sort_by.is_some() && direction == Some(true);
        Ok(query)
    }

    /// The indices of the records that match, in the requested order.
    pub fn select(&self, collection: &Collection) -> Vec<usize> {
        let Some(key) = &self.sort_by else {
            return (0..collection.records.len())
                .filter(|&index| self.matches(&collection.records[index]))
                .collect();
        };
        let order = collection.sorted_by(key);
        let matching = |index: &&usize| self.matches(&collection.records[**index]);
        if self.descending {
            // The stable ascending order reversed: equal records in reverse stored order, and
            // records without the property first.
            order.iter().rev().filter(matching).copied().collect()
        } else {
            order.iter().filter(matching).copied().collect()
        }
    }

    fn matches(&self, record: &Stored) -> bool {
        if let Some(since) = &self.since
            && record.modified.is_none_or(|modified| modified < *since)
        {
            return false;
        }
        self.filters
            .iter()
            .all(|(name, wanted)| match record.value.get(name) {
                Some(Value::String(text)) => text.to_lowercase().contains(&wanted.to_lowercase()),
                Some(Value::Number(number)) => match (number.as_f64(), wanted.parse::<f64>()) {
                    (Some(have), Ok(want)) => have == want,
                    _ => false,
                },
                Some(Value::Bool(flag)) => wanted.parse::<bool>().is_ok_and(|want| *flag == want),
                _ => false,
            })
    }
}

fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (None | Some(Value::Null), None | Some(Value::Null)) => Ordering::Equal,
        (None | Some(Value::Null), _) => Ordering::Greater,
        (_, None | Some(Value::Null)) => Ordering::Less,
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        // Compared as they lower-case, without a lower-cased copy of each: sorting compares a
        // record many times.
        (Some(Value::String(x)), Some(Value::String(y))) if x.is_ascii() && y.is_ascii() => x
            .bytes()
            .map(|b| b.to_ascii_lowercase())
            .cmp(y.bytes().map(|b| b.to_ascii_lowercase())),
        (Some(Value::String(x)), Some(Value::String(y))) => x
            .chars()
            .flat_map(char::to_lowercase)
            .cmp(y.chars().flat_map(char::to_lowercase)),
        (Some(x), Some(y)) => x.to_string().cmp(&y.to_string()),
    }
}

/// A list body: `{"meta": …, "data": […]}` for a paginated list, `{"data": […]}` otherwise,
/// written from the stored bytes of each record.
pub(crate) fn list_body(operation: &Operation, collection: &Collection, query: &Query) -> Bytes {
    let selected = query.select(collection);
    let (range, meta) = if operation.paginated {
        let limit = query.limit.unwrap_or(100) as usize;
        let page = query.page.unwrap_or(1) as usize;
        let total_pages = selected.len().div_ceil(limit);
        let start = (page - 1).saturating_mul(limit).min(selected.len());
        let end = start.saturating_add(limit).min(selected.len());
        (
            start..end,
            Some(format!(
                r#""meta":{{"totalResources":{},"totalPages":{},"currentPage":{}}},"#,
                selected.len(),
                total_pages,
                page
            )),
        )
    } else {
        (0..selected.len(), None)
    };
    let records = &selected[range];
    let size: usize = records
        .iter()
        .map(|&i| collection.records[i].json.len() + 1)
        .sum();
    let mut body = Vec::with_capacity(size + 96);
    body.push(b'{');
    if let Some(meta) = meta {
        body.extend_from_slice(meta.as_bytes());
    }
    body.extend_from_slice(b"\"data\":[");
    for (n, &index) in records.iter().enumerate() {
        if n > 0 {
            body.push(b',');
        }
        body.extend_from_slice(&collection.records[index].json);
    }
    body.extend_from_slice(b"]}");
    Bytes::from(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sorted_lists_follow_a_stable_sort_and_a_change_reorders_them() {
        // Ties, missing values, mixed case and letters beyond ASCII.
        let names = [
            "b", "A", "c", "", "a", "B", "b", "C", "a", "Ä", "d", "A", "ä", "b",
        ];
        let record = |i: usize, name: &str| {
            if name.is_empty() {
                json!({ "_id": i.to_string() })
            } else {
                json!({ "_id": i.to_string(), "name": name })
            }
        };
        let values = names.iter().enumerate().map(|(i, name)| record(i, name));
        let mut collection = Collection::new(values.collect());
        let expected = |collection: &Collection, descending: bool| {
            let mut order: Vec<usize> = (0..collection.records.len()).collect();
            order.sort_by(|&a, &b| {
                compare(
                    collection.records[a].value.get("name"),
                    collection.records[b].value.get("name"),
                )
            });
            if descending {
                order.reverse();
            }
            order
        };
        for descending in [false, true] {
            let query = Query {
                sort_by: Some("name".into()),
                descending,
                ..Query::default()
            };
            assert_eq!(query.select(&collection), expected(&collection, descending));
            // Asked again, from the remembered order.
            assert_eq!(query.select(&collection), expected(&collection, descending));
        }
        // Orders by ever new properties are not all kept.
        for n in 0..2 * MAX_SORT_ORDERS {
            let query = Query {
                sort_by: Some(format!("property{n}")),
                ..Query::default()
            };
            assert_eq!(query.select(&collection).len(), names.len());
        }
        assert!(collection.sorted.0.lock().unwrap().len() <= MAX_SORT_ORDERS);
        // A change forgets the order: the renamed record moves.
        collection.put(record(10, "0"), Timestamp::from_unix_seconds(0));
        let query = Query {
            sort_by: Some("name".into()),
            ..Query::default()
        };
        let order = query.select(&collection);
        assert_eq!(order[0], 10, "{order:?}");
        assert_eq!(order, expected(&collection, false));
    }

    #[test]
    fn sorting_puts_missing_values_last_and_compares_numbers_by_value() {
        let values = [
            Some(Value::from(10)),
            None,
            Some(Value::from(9.5)),
            Some(Value::from(-1)),
        ];
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_by(|&a, &b| compare(values[a].as_ref(), values[b].as_ref()));
        assert_eq!(order, [3, 2, 0, 1]);
        assert_eq!(
            compare(Some(&Value::from("b")), Some(&Value::from("A"))),
            Ordering::Greater
        );
    }
}
