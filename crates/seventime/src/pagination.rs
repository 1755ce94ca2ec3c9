//! Streams over paginated lists.
//!
//! Every operation the spec marks `x-paginated` gets `into_paginator()` on its request builder
//! (generated). A [`Paginator`] turns the request — with whatever filters were set on it — into
//! a lazy stream of pages ([`Paginator::pages`]) or of records ([`Paginator::items`]):
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! # async fn run(client: seventime::Client) -> Result<(), seventime::PageError> {
//! let mut customers = client.list_customers().city("Stockholm").into_paginator().items();
//! while let Some(customer) = customers.try_next().await? {
//!     println!("{} {:?}", customer.id, customer.name);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! What a stream promises:
//! - **Lazy.** A page is requested when the consumer asks for an item the previous pages did not
//!   hold; dropping the stream requests nothing more. At most one page is held at a time.
//! - **Largest pages.** It asks for the operation's largest documented page size (500) unless
//!   [`Paginator::page_size`] says otherwise; a size outside `1..=max` is an error before any
//!   request is sent.
//! - **Same transport.** Each page is an ordinary request: rate limited, retried as the client's
//!   [`RetryPolicy`](crate::RetryPolicy) allows, with the client's typed errors.
//! - **No duplicates.** When records move between pages while the stream runs (a record added
//!   ahead of the cursor pushes one from page *n* onto page *n + 1*), a record whose `_id` was
//!   already yielded is skipped. The ids seen so far are kept compactly (12 bytes per MongoDB
//!   object id), the only state that grows with the number of records.
//! - **Ends.** After page `meta.totalPages`, or after an empty or short page.
//! - **Errors name the page.** A page that still fails after retries ends the stream with a
//!   [`PageError`] naming the operation and the page; the records yielded before stay valid,
//!   and the caller can resume from that page with [`Paginator::start_page`].

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::Stream;
use futures_util::stream::{self, BoxStream, StreamExt};

use crate::ApiError;

/// A list request that can be paged: implemented (by generated code) for the request builder
/// of every operation the spec marks `x-paginated`. Not meant to be implemented elsewhere.
pub trait PagedRequest: Clone + Send + Sized + sealed::Sealed {
    /// The record type.
    type Item: Send;
    /// The operation's id, for errors and logs.
    const OPERATION: &'static str;
    /// The largest page size the operation documents.
    const MAX_PAGE_SIZE: u64;

    /// Requests page `page` (from 1) with `limit` records per page.
    fn fetch_page(
        self,
        page: u64,
        limit: u64,
    ) -> impl Future<Output = Result<RawPage<Self::Item>, ApiError>> + Send;

    /// The record's `_id`.
    fn item_id(item: &Self::Item) -> &str;
}

pub(crate) mod sealed {
    /// Keeps [`super::PagedRequest`] implemented by generated code only.
    pub trait Sealed {}
}

/// One page as the service sent it, before the paginator looks at it.
#[derive(Debug, Clone, PartialEq)]
pub struct RawPage<T> {
    /// The service's `meta`.
    pub meta: crate::types::PageMeta,
    /// The records.
    pub data: Vec<T>,
}

/// One page of a paginated list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The page number (from 1).
    pub number: u64,
    /// Records matching the request over all pages, as the service counted them for this page.
    pub total_records: u64,
    /// Pages at this page size, as the service counted them for this page.
    pub total_pages: u64,
    /// The records of this page, in the service's order, without any already yielded.
    pub items: Vec<T>,
    /// Records of this page that were skipped because an earlier page held the same `_id`.
    pub duplicates_skipped: usize,
}

impl<T> Page<T> {
    /// The same page with each record converted.
    pub fn map<U>(self, convert: impl FnMut(T) -> U) -> Page<U> {
        Page {
            number: self.number,
            total_records: self.total_records,
            total_pages: self.total_pages,
            items: self.items.into_iter().map(convert).collect(),
            duplicates_skipped: self.duplicates_skipped,
        }
    }
}

/// A page that could not be fetched; it ends the stream.
#[derive(Debug, thiserror::Error)]
#[error("{operation}, page {page}: {error}")]
pub struct PageError {
    operation: &'static str,
    page: u64,
    #[source]
    error: ApiError,
}

impl PageError {
    pub(crate) fn new(operation: &'static str, page: u64, error: ApiError) -> Self {
        Self {
            operation,
            page,
            error,
        }
    }

    /// The operation being paged (`list_customers`).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The page that failed (from 1). [`Paginator::start_page`] resumes there.
    pub fn page(&self) -> u64 {
        self.page
    }

    /// Why it failed.
    pub fn error(&self) -> &ApiError {
        &self.error
    }

    /// Why it failed, by value.
    pub fn into_error(self) -> ApiError {
        self.error
    }
}

/// Pages through a list request: see the [module documentation](crate::pagination).
#[derive(Debug, Clone)]
#[must_use = "a paginator does nothing until `pages()` or `items()` is polled"]
pub struct Paginator<R> {
    request: R,
    page_size: Option<u64>,
    start_page: u64,
}

impl<R: PagedRequest> Paginator<R> {
    /// Pages through `request`; the `limit` and `page` set on it are replaced.
    pub fn new(request: R) -> Self {
        Self {
            request,
            page_size: None,
            start_page: 1,
        }
    }

    /// Records per request, from 1 to the operation's maximum (500). Defaults to the maximum:
    /// the fewest requests, which is what the rate limit makes expensive.
    pub fn page_size(mut self, records: u64) -> Self {
        self.page_size = Some(records);
        self
    }

    /// The first page to request (default 1), for resuming after a [`PageError`].
    pub fn start_page(mut self, page: u64) -> Self {
        self.start_page = page;
        self
    }

    /// The pages, lazily: see the [module documentation](crate::pagination).
    pub fn pages<'a>(self) -> Pages<'a, R::Item>
    where
        R: 'a,
    {
        let limit = self.page_size.unwrap_or(R::MAX_PAGE_SIZE);
        let first = self.start_page;
        if !(1..=R::MAX_PAGE_SIZE).contains(&limit) || first == 0 {
            let problem = if first == 0 {
                "the start page is 0; pages count from 1".to_string()
            } else {
                format!(
                    "page size {limit} is outside 1..={}; pass a page size in that range, or none for the largest",
                    R::MAX_PAGE_SIZE
                )
            };
            let error = PageError {
                operation: R::OPERATION,
                page: first,
                error: ApiError::InvalidRequest(problem),
            };
            return Pages(stream::once(async move { Err(error) }).boxed());
        }
        let state = State {
            request: self.request,
            next: Some(first),
            limit,
            seen: SeenIds::default(),
        };
        Pages(stream::unfold(state, State::next_page).boxed())
    }

    /// The records of every page, lazily: see the [module documentation](crate::pagination).
    pub fn items<'a>(self) -> Items<'a, R::Item>
    where
        R: 'a,
        R::Item: 'a,
    {
        Items::new(self.pages())
    }
}

struct State<R> {
    request: R,
    /// The page to request next; `None` once the list has ended.
    next: Option<u64>,
    limit: u64,
    seen: SeenIds,
}

impl<R: PagedRequest> State<R> {
    async fn next_page(mut self) -> Option<(Result<Page<R::Item>, PageError>, Self)> {
        let number = self.next.take()?;
        let raw = match self.request.clone().fetch_page(number, self.limit).await {
            Ok(raw) => raw,
            Err(error) => {
                let error = PageError {
                    operation: R::OPERATION,
                    page: number,
                    error,
                };
                return Some((Err(error), self));
            }
        };
        let received = raw.data.len();
        let total_pages = u64::try_from(raw.meta.total_pages).unwrap_or(0);
        let total_records = u64::try_from(raw.meta.total_resources).unwrap_or(0);
        let mut items = raw.data;
        items.retain(|item| self.seen.insert(R::item_id(item)));
        let duplicates_skipped = received - items.len();
        if duplicates_skipped > 0 {
            tracing::debug!(
                operation = R::OPERATION,
                page = number,
                duplicates_skipped,
                "records moved between pages; skipped those already yielded"
            );
        }
        let short = (received as u64) < self.limit;
        if received > 0 && !short && number < total_pages {
            self.next = Some(number + 1);
        }
        let page = Page {
            number,
            total_records,
            total_pages,
            items,
            duplicates_skipped,
        };
        Some((Ok(page), self))
    }
}

/// The ids a stream has yielded. A MongoDB object id (24 hex digits, every id the service is
/// known to issue) is kept as its 12 bytes; any other id as text.
#[derive(Default)]
struct SeenIds {
    object_ids: HashSet<[u8; 12]>,
    other: HashSet<Box<str>>,
}

impl SeenIds {
    /// Records `id`; false if it was there already.
    fn insert(&mut self, id: &str) -> bool {
        match object_id(id) {
            Some(bytes) => self.object_ids.insert(bytes),
            None => self.other.insert(id.into()),
        }
    }
}

fn object_id(id: &str) -> Option<[u8; 12]> {
    let hex = id.as_bytes();
    if hex.len() != 24 {
        return None;
    }
    let digit = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    };
    let mut bytes = [0u8; 12];
    for (byte, pair) in bytes.iter_mut().zip(hex.chunks_exact(2)) {
        *byte = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(bytes)
}

/// A stream of pages ([`Paginator::pages`]).
pub struct Pages<'a, T>(pub(crate) BoxStream<'a, Result<Page<T>, PageError>>);

impl<T> Stream for Pages<'_, T> {
    type Item = Result<Page<T>, PageError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_next_unpin(cx)
    }
}

impl<T> fmt::Debug for Pages<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

/// A stream of records ([`Paginator::items`]).
pub struct Items<'a, T> {
    pages: Pages<'a, T>,
    current: std::vec::IntoIter<T>,
    done: bool,
}

impl<'a, T> Items<'a, T> {
    pub(crate) fn new(pages: Pages<'a, T>) -> Self {
        Self {
            pages,
            current: Vec::new().into_iter(),
            done: false,
        }
    }

    /// Records of the current page not yet yielded; with the page being fetched, all the stream
    /// holds.
    pub fn buffered(&self) -> usize {
        self.current.len()
    }
}

// Nothing in `Items` is ever pinned in place: the page stream is boxed and the records are
// moved out of the vector one by one.
impl<T> Unpin for Items<'_, T> {}

impl<T> Stream for Items<'_, T> {
    type Item = Result<T, PageError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            match this.pages.poll_next_unpin(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    this.done = true;
                    return Poll::Ready(None);
                }
                Poll::Ready(Some(Err(error))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(Some(Ok(page))) => this.current = page.items.into_iter(),
            }
        }
    }
}

impl<T> fmt::Debug for Items<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("buffered", &self.current.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_ids_are_kept_as_bytes_and_other_ids_as_text() {
        assert_eq!(
            object_id("5f0c1e2d3a4b5c6d7e8f9a0b"),
            Some([
                0x5f, 0x0c, 0x1e, 0x2d, 0x3a, 0x4b, 0x5c, 0x6d, 0x7e, 0x8f, 0x9a, 0x0b
            ])
        );
        // The vendor's examples use shortened ids; uppercase is not what the service issues.
        assert_eq!(object_id("571f61330c7f498a2d5812"), None);
        assert_eq!(object_id("5F0C1E2D3A4B5C6D7E8F9A0B"), None);
        assert_eq!(object_id("5f0c1e2d3a4b5c6d7e8f9a0g"), None);

        let mut seen = SeenIds::default();
        assert!(seen.insert("5f0c1e2d3a4b5c6d7e8f9a0b"));
        assert!(!seen.insert("5f0c1e2d3a4b5c6d7e8f9a0b"));
        assert!(seen.insert("571f61330c7f498a2d5812"));
        assert!(!seen.insert("571f61330c7f498a2d5812"));
        assert!(seen.insert("5F0C1E2D3A4B5C6D7E8F9A0B"));
    }
}
