//! A typed client for the [Seven Time](https://seventime.se) API.
//!
//! Everything about the API — operations, parameters, response types, the entity-type and
//! field-type enums — is generated at build time from the workspace's hand-written OpenAPI spec,
//! `openapi/seventime.yaml`. The hand-written modules beside it add what generation cannot: the
//! API key ([`ApiKey`], sent as `Client-Secret` on every request), construction
//! ([`ClientBuilder`]), and the hooks every operation passes through — rate limiting, retries
//! ([`RetryPolicy`]), timeouts, a response size limit, a redirect policy that keeps the key on
//! the service — and one error type, [`ApiError`].
//!
//! ```no_run
//! use seventime::{ApiError, Client, EntityType};
//!
//! # async fn run() -> Result<(), ApiError> {
//! // The key from SEVENTIME_CLIENT_SECRET; retries, rate limit and timeouts as documented.
//! let client = Client::from_env().expect("SEVENTIME_CLIENT_SECRET is set");
//!
//! let fields = client
//!     .get_custom_fields()
//!     .entity_type(EntityType::Invoice)
//!     .send()
//!     .await? // progenitor's error becomes an ApiError
//!     .into_inner();
//! for field in &fields.data {
//!     println!("{} {:?} {:?}", field.id, field.field_name, field.field_type);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Entity types parse from their code or their name in any spelling:
//!
//! ```
//! use seventime::EntityType;
//!
//! assert_eq!("invoice".parse::<EntityType>().unwrap(), EntityType::Invoice);
//! assert_eq!("time-log".parse::<EntityType>().unwrap(), EntityType::TimeLog);
//! assert_eq!("400".parse::<EntityType>().unwrap(), EntityType::Invoice);
//! assert_eq!(EntityType::Invoice.to_string(), "400");
//! assert_eq!(EntityType::Invoice.label(), Some("Invoice"));
//! ```
//!
//! # Guides
//!
//! The repository's `docs/` folder has the rest ([index]):
//!
//! - [Using the library][library]: streams, custom fields, configuration, retries, the rate
//!   limit, errors, security.
//! - [The `seventime` command][cli], [mirroring into a database][sync], [the mock on its own][mock],
//!   [how JSON round-trips][json-round-trip].
//! - [The workspace][workspace], [changing the spec][changing-the-spec],
//!   [vendor extensions][vendor-extensions], [deviations from the vendor docs][deviations].
//! - [Benchmarks][benchmarks], [CI][ci].
//!
//! [index]: https://github.com/seventime-rs/seventime-rs/blob/main/docs/README.md
//! [library]: https://github.com/seventime-rs/seventime-rs/blob/main/docs/library.md
//! [cli]: https://github.com/seventime-rs/seventime-rs/blob/main/docs/cli.md
//! [sync]: https://github.com/seventime-rs/seventime-rs/blob/main/docs/sync.md
//! [mock]: https://github.com/seventime-rs/seventime-rs/blob/main/docs/mock.md
//! [json-round-trip]: https://github.com/seventime-rs/seventime-rs/blob/main/docs/json-round-trip.md
//! [workspace]: https://github.com/seventime-rs/seventime-rs/blob/main/docs/workspace.md
//! [changing-the-spec]: https://github.com/seventime-rs/seventime-rs/blob/main/docs/changing-the-spec.md
//! [vendor-extensions]: https://github.com/seventime-rs/seventime-rs/blob/main/docs/vendor-extensions.md
//! [deviations]: https://github.com/seventime-rs/seventime-rs/blob/main/docs/deviations.md
//! [benchmarks]: https://github.com/seventime-rs/seventime-rs/blob/main/docs/benchmarks.md
//! [ci]: https://github.com/seventime-rs/seventime-rs/blob/main/docs/ci.md

// Generated code names this crate `seventime::…` so that the same paths resolve here and in
// downstream crates that include generated code (the httpmock helpers, the CLI).
extern crate self as seventime;

mod auth;
pub mod catalog;
mod config;
pub mod custom_fields;
pub mod defaults;
mod enum_error;
mod error;
mod hooks;
pub mod pagination;
mod response;
mod retry;
mod timestamp;
mod transport;

/// The code generated from `openapi/seventime.yaml` by `build.rs`. Never edited by hand.
#[allow(missing_docs, clippy::all, clippy::pedantic, unused_qualifications)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/codegen.rs"));
}

// The public API, item by item: what is not named here stays inside the crate (progenitor's
// `Error`, `ClientInfo`, `ByteStream` and `prelude`, the `SUCCESS_STATUS` the error layer relies
// on, the `ClientState` every operation reaches through its hooks). `tests/public_api.rs` pins
// the list.
pub use auth::ApiKey;
pub(crate) use config::ClientState;
pub use config::{API_KEY_ENV, BASE_URL_ENV, BuildError, ClientBuilder};
pub use custom_fields::{FieldConfiguration, FieldValue, ResolvedField, WithCustomFields};
pub use enum_error::ParseEnumError;
pub use error::{ApiError, ErrorBody, ErrorResponse};
pub(crate) use generated::SUCCESS_STATUS;
/// Every named enum of the spec, such as [`EntityType`] and [`FieldType`].
pub use generated::named_enums::*;
pub use generated::{
    API_KEY_HEADER, Client, DEFAULT_BASE_URL, ResponseValue, builder, paths, types,
};
pub use pagination::{Items, Page, PageError, PagedRequest, Pages, Paginator, RawPage};
pub use retry::RetryPolicy;
pub use timestamp::{Timestamp, TimestampError};

/// progenitor's typed [httpmock](https://docs.rs/httpmock) helpers: `MockServerExt` adds one
/// method per operation to `httpmock::MockServer`, with typed request matchers and responses.
#[cfg(feature = "httpmock")]
#[allow(missing_docs, clippy::all, clippy::pedantic)]
pub mod mock {
    include!(concat!(env!("OUT_DIR"), "/httpmock.rs"));
}

// The README's examples are compiled as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;

// The examples of the library guide, compiled as doctests for the same reason.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/library.md")]
struct LibraryDoctests;
