//! Custom-field values a person can read.
//!
//! Records of several resources (projects, invoices, work orders, time logs, machines, …) carry
//! `customFields: [{"_id", "fieldId", "value"}]`: a bare field id and an untyped value. What the
//! field is called and how its value reads is in the field configuration of the record's
//! entity type (`GET /api/2/customFields/{entityType}`). A [`FieldConfiguration`] turns the
//! values into [`ResolvedField`]s — the field's name, its [`FieldType`](crate::FieldType), and
//! the value typed by it ([`FieldValue`]).
//!
//! Resolution never fails a record. A value that does not fit its field's type, a choice the
//! field does not offer, or a field the configuration does not know (a deleted field) comes back
//! as [`FieldValue::Unresolved`] with the raw JSON and the reason; the other fields of the
//! record resolve as usual.
//!
//! [`Client::field_configuration`](crate::Client::field_configuration) fetches a configuration
//! once per entity type and keeps it for the life of the client (and its clones), so resolving a
//! stream of any length costs one request per entity type. For a typed stream,
//! [`Items::with_custom_fields`](crate::Items::with_custom_fields) is the one adapter needed:
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! # async fn run(client: seventime::Client) -> Result<(), seventime::PageError> {
//! let mut projects = client.list_projects().into_paginator().items().with_custom_fields(&client);
//! while let Some(project) = projects.try_next().await? {
//!     for field in &project.custom_fields {
//!         println!("{}: {}", field.name.as_deref().unwrap_or(&field.field_id), field.value);
//!     }
//! }
//! # Ok(())
//! # }
//! ```

mod cache;
mod configuration;
mod prepared;
mod stream;
#[cfg(test)]
mod tests;
mod value;

pub(crate) use cache::ConfigurationCache;
pub use configuration::FieldConfiguration;
pub use stream::{HasCustomFields, ResolvedItems, WithCustomFields};
pub use value::{Choice, FieldValue, ResolvedField, Unresolved};
