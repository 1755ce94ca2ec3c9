//! [`Listing`]: a list request of a resource, whatever its generated type, handing its records
//! out as JSON values or as JSON text.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;

use futures_util::stream::{self, StreamExt};
use serde_json::Value;
use serde_json::value::RawValue;

use super::not_encodable;
use crate::ApiError;
use crate::pagination::{Page, PageError, PagedRequest, Pages, Paginator};

/// A list request of a [`Resource`](super::Resource), ready to send: [`Listing::pages`] or [`Listing::items`]
/// for records as JSON values, [`Listing::text_pages`] for records as JSON text.
#[must_use = "a listing does nothing until `pages()` or `items()` is polled"]
pub struct Listing<'a> {
    operation: &'static str,
    source: Box<dyn Source<'a>>,
    page_size: Option<u64>,
    start_page: Option<u64>,
}

/// How the catalog hands out a record: as a JSON tree, or as the JSON text the typed client's
/// encoding writes (no tree built, so a tool that stores records whole pays for neither the
/// tree nor writing it out again).
trait Encoding: Sized + Send {
    fn encode<T: serde::Serialize>(item: &T) -> Result<Self, serde_json::Error>;
}

impl Encoding for Value {
    fn encode<T: serde::Serialize>(item: &T) -> Result<Self, serde_json::Error> {
        serde_json::to_value(item)
    }
}

impl Encoding for Box<RawValue> {
    fn encode<T: serde::Serialize>(item: &T) -> Result<Self, serde_json::Error> {
        serde_json::value::to_raw_value(item)
    }
}

/// Encodes a page's records, naming the operation when one cannot be.
fn encode_all<T: serde::Serialize, E: Encoding>(
    operation: &'static str,
    items: Vec<T>,
) -> Result<Vec<E>, ApiError> {
    items
        .iter()
        .map(|item| E::encode(item).map_err(|error| not_encodable(operation, &error)))
        .collect()
}

/// The records of a list behind one interface, whatever their generated type. A trait object
/// rather than a closure: it hands the pages out in either [`Encoding`].
trait Source<'a>: Send + 'a {
    fn paginated(&self) -> bool;
    fn values(self: Box<Self>, page_size: Option<u64>, start_page: u64) -> Pages<'a, Value>;
    fn texts(self: Box<Self>, page_size: Option<u64>, start_page: u64) -> Pages<'a, Box<RawValue>>;
}

/// A paginated list's request.
struct Paged<R>(R);

impl<'a, R> Paged<R>
where
    R: PagedRequest + 'a,
    R::Item: serde::Serialize + 'a,
{
    fn pages<E: Encoding + 'a>(self, page_size: Option<u64>, start_page: u64) -> Pages<'a, E> {
        let mut paginator = Paginator::new(self.0).start_page(start_page);
        if let Some(size) = page_size {
            paginator = paginator.page_size(size);
        }
        let pages = paginator.pages().map(|page| {
            let page = page?;
            let number = page.number;
            match encode_all(R::OPERATION, page.items) {
                Ok(items) => Ok(Page {
                    number,
                    total_records: page.total_records,
                    total_pages: page.total_pages,
                    items,
                    duplicates_skipped: page.duplicates_skipped,
                }),
                Err(error) => Err(PageError::new(R::OPERATION, number, error)),
            }
        });
        Pages(pages.boxed())
    }
}

impl<'a, R> Source<'a> for Paged<R>
where
    R: PagedRequest + 'a,
    R::Item: serde::Serialize + 'a,
{
    fn paginated(&self) -> bool {
        true
    }

    fn values(self: Box<Self>, page_size: Option<u64>, start_page: u64) -> Pages<'a, Value> {
        self.pages(page_size, start_page)
    }

    fn texts(self: Box<Self>, page_size: Option<u64>, start_page: u64) -> Pages<'a, Box<RawValue>> {
        self.pages(page_size, start_page)
    }
}

/// An unpaginated list's request: one response, one page.
struct Single<T, F> {
    operation: &'static str,
    send: F,
    records: PhantomData<fn() -> T>,
}

impl<'a, T, F> Single<T, F>
where
    T: serde::Serialize + Send + 'a,
    F: Future<Output = Result<Vec<T>, ApiError>> + Send + 'a,
{
    fn pages<E: Encoding + 'a>(self) -> Pages<'a, E> {
        let Self {
            operation, send, ..
        } = self;
        Pages(
            stream::once(async move {
                let items = match send.await {
                    Ok(items) => encode_all(operation, items),
                    Err(error) => Err(error),
                }
                .map_err(|error| PageError::new(operation, 1, error))?;
                Ok(Page {
                    number: 1,
                    total_records: items.len() as u64,
                    total_pages: 1,
                    items,
                    duplicates_skipped: 0,
                })
            })
            .boxed(),
        )
    }
}

impl<'a, T, F> Source<'a> for Single<T, F>
where
    T: serde::Serialize + Send + 'a,
    F: Future<Output = Result<Vec<T>, ApiError>> + Send + 'a,
{
    fn paginated(&self) -> bool {
        false
    }

    fn values(self: Box<Self>, _: Option<u64>, _: u64) -> Pages<'a, Value> {
        self.pages()
    }

    fn texts(self: Box<Self>, _: Option<u64>, _: u64) -> Pages<'a, Box<RawValue>> {
        self.pages()
    }
}

impl<'a> Listing<'a> {
    /// A paginated list (generated dispatch code calls this).
    pub(crate) fn paged<R>(request: R) -> Self
    where
        R: PagedRequest + 'a,
        R::Item: serde::Serialize + 'a,
    {
        Self {
            operation: R::OPERATION,
            source: Box::new(Paged(request)),
            page_size: None,
            start_page: None,
        }
    }

    /// An unpaginated list (generated dispatch code calls this).
    pub(crate) fn single<T, F>(operation: &'static str, send: F) -> Self
    where
        T: serde::Serialize + Send + 'a,
        F: Future<Output = Result<Vec<T>, ApiError>> + Send + 'a,
    {
        Self {
            operation,
            source: Box::new(Single {
                operation,
                send,
                records: PhantomData,
            }),
            page_size: None,
            start_page: None,
        }
    }

    /// The operation that will be sent.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// Whether the list is paginated (otherwise it arrives in one response).
    pub fn is_paginated(&self) -> bool {
        self.source.paginated()
    }

    /// Records per request, for a paginated list (default: the largest).
    pub fn page_size(mut self, records: u64) -> Self {
        self.page_size = Some(records);
        self
    }

    /// The first page to request, for a paginated list (default 1).
    pub fn start_page(mut self, page: u64) -> Self {
        self.start_page = Some(page);
        self
    }

    /// The pages, lazily. An unpaginated list is one page.
    pub fn pages(self) -> Pages<'a, Value> {
        self.source
            .values(self.page_size, self.start_page.unwrap_or(1))
    }

    /// The pages with each record as JSON text, lazily: the same records as [`Listing::pages`]
    /// (decoded into the generated type, then encoded) written straight to text, for a tool
    /// that stores or forwards records whole. Properties come in the type's order, then those
    /// the spec does not name, sorted.
    pub fn text_pages(self) -> Pages<'a, Box<RawValue>> {
        self.source
            .texts(self.page_size, self.start_page.unwrap_or(1))
    }

    /// The records of every page, lazily.
    pub fn items(self) -> crate::pagination::Items<'a, Value> {
        crate::pagination::Items::new(self.pages())
    }
}

impl fmt::Debug for Listing<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Listing")
            .field("operation", &self.operation)
            .field("paginated", &self.is_paginated())
            .field("page_size", &self.page_size)
            .field("start_page", &self.start_page)
            .finish()
    }
}
