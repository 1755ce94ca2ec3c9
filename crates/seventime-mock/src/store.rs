//! Changing what a running mock serves, from the process that runs it: what another user of the
//! tenant does between two reads of a client under test (a mirror's incremental run, a cache's
//! refresh). The API's own write operations are not in the spec yet; this is the library side.
//!
//! A change behaves as the service's own would: it moves the record's `modifiedDate` to now
//! (so `lastModified` finds it) and counts up its `__v` where the record has one. Every record
//! put in must still decode as the resource's generated type.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};
use seventime::Timestamp;
use seventime::catalog::{self, Resource};

use crate::routes::Mock;

/// The records of a running mock, to read and change ([`crate::RunningMock::records`]).
/// Clones share the mock; changes are seen by the next request.
#[derive(Clone)]
pub struct Records {
    mock: Arc<Mock>,
}

impl std::fmt::Debug for Records {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Records").finish_non_exhaustive()
    }
}

/// A change the mock refuses. The message says what to give instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordsError {
    /// No resource of the catalog has this name.
    #[error("`{name}` is not a resource; the resources are {known}")]
    UnknownResource {
        /// The name given.
        name: String,
        /// The resource names, comma-separated.
        known: String,
    },
    /// The resource has no record with this `_id`.
    #[error("{resource} has no record with _id {id}")]
    NotFound {
        /// The resource.
        resource: &'static str,
        /// The `_id` given.
        id: String,
    },
    /// The record cannot be stored: no string `_id`, an `_id` already taken, or a shape the
    /// generated type does not decode.
    #[error("cannot store this {resource} record: {problem}")]
    Invalid {
        /// The resource.
        resource: &'static str,
        /// What is wrong.
        problem: String,
    },
}

impl Records {
    pub(crate) fn new(mock: Arc<Mock>) -> Self {
        Self { mock }
    }

    /// Every record of `resource`, in stored order.
    pub fn list(&self, resource: &str) -> Result<Vec<Value>, RecordsError> {
        let (index, _) = find(resource)?;
        let collection = self.mock.collection(index);
        Ok(collection.records.iter().map(|r| r.value.clone()).collect())
    }

    /// The record `id` of `resource`.
    pub fn get(&self, resource: &str, id: &str) -> Result<Value, RecordsError> {
        let (index, resource) = find(resource)?;
        let collection = self.mock.collection(index);
        collection
            .get(id)
            .map(|record| record.value.clone())
            .ok_or_else(|| not_found(resource, id))
    }

    /// Adds `record` (which must have an `_id` of its own) at the end of `resource`, modified
    /// now.
    pub fn insert(&self, resource: &str, mut record: Value) -> Result<(), RecordsError> {
        let (index, resource) = find(resource)?;
        let Some(id) = record
            .get("_id")
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            return Err(invalid(resource, "it has no string `_id`".into()));
        };
        let modified = touch(resource, &mut record);
        check(resource, &record)?;
        let mut collection = self.mock.collection_mut(index);
        if collection.get(&id).is_some() {
            return Err(invalid(
                resource,
                format!("_id {id} is taken; use `update` to change that record"),
            ));
        }
        collection.put(record, modified);
        Ok(())
    }

    /// Changes the record `id` of `resource` with `change`, then moves its `modifiedDate` to now
    /// and counts up its `__v`. Returns the record as stored. The `_id` cannot be changed.
    pub fn update(
        &self,
        resource: &str,
        id: &str,
        change: impl FnOnce(&mut Map<String, Value>),
    ) -> Result<Value, RecordsError> {
        let (index, resource) = find(resource)?;
        let mut collection = self.mock.collection_mut(index);
        let Some(stored) = collection.get(id) else {
            return Err(not_found(resource, id));
        };
        let mut record = stored.value.clone();
        if let Some(fields) = record.as_object_mut() {
            change(fields);
            fields.insert("_id".into(), Value::String(id.to_string()));
            if let Some(Value::Number(version)) = fields.get("__v")
                && let Some(version) = version.as_u64()
            {
                fields.insert("__v".into(), Value::from(version + 1));
            }
        }
        let modified = touch(resource, &mut record);
        check(resource, &record)?;
        collection.put(record.clone(), modified);
        Ok(record)
    }

    /// Removes the record `id` of `resource`.
    pub fn delete(&self, resource: &str, id: &str) -> Result<(), RecordsError> {
        let (index, resource) = find(resource)?;
        if self.mock.collection_mut(index).remove(id) {
            Ok(())
        } else {
            Err(not_found(resource, id))
        }
    }
}

fn find(name: &str) -> Result<(usize, &'static Resource), RecordsError> {
    catalog::resources()
        .iter()
        .enumerate()
        .find(|(_, resource)| resource.name == name)
        .ok_or_else(|| RecordsError::UnknownResource {
            name: name.to_string(),
            known: catalog::resources()
                .iter()
                .map(|r| r.name)
                .collect::<Vec<_>>()
                .join(", "),
        })
}

fn not_found(resource: &'static Resource, id: &str) -> RecordsError {
    RecordsError::NotFound {
        resource: resource.name,
        id: id.to_string(),
    }
}

fn invalid(resource: &'static Resource, problem: String) -> RecordsError {
    RecordsError::Invalid {
        resource: resource.name,
        problem,
    }
}

fn check(resource: &'static Resource, record: &Value) -> Result<(), RecordsError> {
    resource.decode(record.clone()).map(drop).map_err(|error| {
        invalid(
            resource,
            format!("not a valid `{}`: {error}", resource.schema),
        )
    })
}

/// Sets `modifiedDate` to now, in the service's form (milliseconds, UTC), where the resource's
/// records have one; returns now, the time of the change.
fn touch(resource: &Resource, record: &mut Value) -> Timestamp {
    let now = SystemTime::now();
    let moment = Timestamp::from_system_time(now);
    let has_modified = resource
        .fields
        .iter()
        .any(|field| field.name == crate::records::MODIFIED);
    if let (true, Some(fields)) = (has_modified, record.as_object_mut()) {
        let millis = now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.subsec_millis());
        fields.insert(
            crate::records::MODIFIED.into(),
            Value::String(format!("{moment}.{millis:03}Z")),
        );
    }
    moment
}
