//! Typed streams with their custom fields resolved: the record trait, the adapter, its stream.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};

use super::ResolvedField;
use crate::pagination::{Items, PageError};
use crate::types::CustomFieldValue;
use crate::{Client, EntityType};

/// A record type whose `customFields` the resolver reads: implemented (by generated code) for
/// every schema the spec marks with `x-entity-type` that has `customFields`.
pub trait HasCustomFields {
    /// The entity type whose configuration describes the record's custom fields.
    const ENTITY_TYPE: EntityType;

    /// The record's custom-field values.
    fn custom_field_values(&self) -> &[CustomFieldValue];
}

/// A record with its custom fields resolved ([`Items::with_custom_fields`](crate::Items::with_custom_fields)).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WithCustomFields<T> {
    /// The record as received (its raw `customFields` included).
    pub record: T,
    /// Its custom-field values, resolved, in the record's order.
    pub custom_fields: Vec<ResolvedField>,
}

impl<T> std::ops::Deref for WithCustomFields<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.record
    }
}

impl<'a, T> Items<'a, T>
where
    T: HasCustomFields + Send + 'a,
{
    /// The same records, each with its custom fields resolved. The entity type's configuration
    /// is fetched (or taken from the client's cache) before the first page is requested; if it
    /// cannot be fetched, the stream ends with a [`PageError`] for the operation
    /// `get_custom_fields`, before any record.
    pub fn with_custom_fields(self, client: &'a Client) -> ResolvedItems<'a, T> {
        let mut items = Some(self);
        let stream = stream::once(client.field_configuration(T::ENTITY_TYPE)).flat_map(
            move |configuration| -> BoxStream<'a, Result<WithCustomFields<T>, PageError>> {
                let Some(items) = items.take() else {
                    return stream::empty().boxed();
                };
                match configuration {
                    Ok(configuration) => items
                        .map_ok(move |record| {
                            let custom_fields = configuration.resolve(record.custom_field_values());
                            WithCustomFields {
                                record,
                                custom_fields,
                            }
                        })
                        .boxed(),
                    Err(error) => {
                        stream::iter([Err(PageError::new("get_custom_fields", 1, error))]).boxed()
                    }
                }
            },
        );
        ResolvedItems(stream.boxed())
    }
}

/// Records with their custom fields resolved ([`Items::with_custom_fields`]).
pub struct ResolvedItems<'a, T>(BoxStream<'a, Result<WithCustomFields<T>, PageError>>);

impl<T> Stream for ResolvedItems<'_, T> {
    type Item = Result<WithCustomFields<T>, PageError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_next_unpin(cx)
    }
}

impl<T> fmt::Debug for ResolvedItems<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResolvedItems").finish_non_exhaustive()
    }
}
