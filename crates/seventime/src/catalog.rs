//! The resources of the API by name, for tools that work with any of them: what can be listed
//! and fetched, with which parameters, and a way to do it with parameters given as text and
//! records as JSON.
//!
//! Everything here is generated from the spec's `x-resource` marks: a resource added to the spec
//! appears here, in the `seventime` CLI's `list`/`get` and in the mock, with no code of its own.
//! Records pass through the generated types on the way (decoded, then re-encoded), so what a
//! tool sees is what the typed client would see.
//!
//! ```no_run
//! use futures_util::TryStreamExt;
//! # async fn run(client: seventime::Client) -> Result<(), Box<dyn std::error::Error>> {
//! let customers = seventime::catalog::resource("customers").expect("in the spec");
//! let mut records = customers
//!     .list(&client, &[("city", "Stockholm"), ("sortBy", "name")])?
//!     .items();
//! while let Some(record) = records.try_next().await? {
//!     println!("{}", record["name"]);
//! }
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;

use serde_json::Value;
use serde_json::value::RawValue;

use crate::{ApiError, Client, EntityType};

mod listing;

pub use listing::Listing;

/// A future of a record as JSON text.
pub(crate) type RecordFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Box<RawValue>, ApiError>> + Send + 'a>>;

/// Generated: lists a resource with the given (non-paging) parameters.
pub(crate) type ListFn =
    for<'a> fn(&'a Client, &[(String, String)]) -> Result<Listing<'a>, ParameterError>;
/// Generated: gets a record by `_id`, as JSON text.
pub(crate) type GetFn = for<'a> fn(&'a Client, String) -> RecordFuture<'a>;
/// Generated: decodes a record into its generated type and encodes it again.
pub(crate) type DecodeFn = fn(Value) -> Result<Value, serde_json::Error>;

/// Every resource of the spec, by the path of its list.
pub fn resources() -> &'static [Resource] {
    crate::generated::catalog::RESOURCES
}

/// The resource called `name` (`customers`, `work-order-types`), if the spec has it.
pub fn resource(name: &str) -> Option<&'static Resource> {
    resources().iter().find(|resource| resource.name == name)
}

/// A resource: records that can be listed and, usually, fetched by `_id`.
#[non_exhaustive]
pub struct Resource {
    /// Its name: the collection's path segment in kebab case (`work-order-types`).
    pub name: &'static str,
    /// The tag of its operations: the vendor page it is documented on (`workOrders`).
    pub tag: &'static str,
    /// The generated type of its records, under `seventime::types` (`WorkOrderType`).
    pub schema: &'static str,
    /// The list operation.
    pub list: Operation,
    /// The get-by-id operation, when the API has one.
    pub get: Option<Operation>,
    /// The properties a table of its records shows, as named on the wire.
    pub columns: &'static [&'static str],
    /// Every property its records have in the spec, sorted by name: what a mirror of the
    /// records (a database table, a CSV export) makes a column of.
    pub fields: &'static [Field],
    /// The property that identifies a record: `_id`, or for records without one the property
    /// the spec names with `x-record-key` (`userRoleId`).
    pub key: &'static str,
    /// The entity type whose field configuration describes its records' custom fields.
    pub entity_type: Option<EntityType>,
    pub(crate) list_fn: ListFn,
    pub(crate) get_fn: Option<GetFn>,
    pub(crate) decode_fn: DecodeFn,
}

/// An operation of a [`Resource`].
#[derive(Debug)]
#[non_exhaustive]
pub struct Operation {
    /// The operation id, which is also the client method (`list_customers`).
    pub id: &'static str,
    /// The path as the spec writes it (`/api/2/customers/{id}`).
    pub path: &'static str,
    /// One line on what it returns.
    pub summary: &'static str,
    /// Whether it pages with `limit` and `page`.
    pub paginated: bool,
    /// The largest page size, for paginated lists.
    pub max_page_size: Option<u64>,
    /// Its query parameters, in spec order (`limit` and `page` included).
    pub parameters: &'static [Parameter],
}

/// A property of a [`Resource`]'s records (or of the rows in one of their lists).
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Field {
    /// The wire name (`customerNumber`).
    pub name: &'static str,
    /// The values it holds.
    pub kind: FieldKind,
    /// Whether every record has it.
    pub required: bool,
}

/// The values a [`Field`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldKind {
    /// Text.
    Text,
    /// An ISO 8601 moment as text (`2024-05-01T08:00:00.000Z`), or empty: the spec marks it
    /// `x-value-format: date-time`. The typed client keeps it as a `String`, since the service
    /// sends `""` for "not set".
    Timestamp,
    /// A whole number.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// An object, a list of values, or a value the spec leaves open.
    Json,
    /// A list of objects with these properties, such as an invoice's rows.
    Records(&'static [Field]),
    /// The record's custom-field values, which [`crate::custom_fields`] resolves by name.
    CustomFields,
}

/// A query parameter of an [`Operation`].
#[derive(Debug)]
#[non_exhaustive]
pub struct Parameter {
    /// The wire name (`lastModified`).
    pub name: &'static str,
    /// The values it takes.
    pub kind: ParameterKind,
    /// Whether the request needs it.
    pub required: bool,
    /// What it does.
    pub description: &'static str,
    /// The resource whose records' keys it takes (the spec's `x-parent-resource`), such as
    /// `projects` for supplement orders' `project`: a list that requires it is read once per
    /// record of that resource.
    pub parent: Option<&'static str>,
}

/// The values a [`Parameter`] takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParameterKind {
    /// Any text.
    Text,
    /// A whole number.
    Integer,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// A moment, as [`Timestamp`](crate::Timestamp) reads it.
    Timestamp,
    /// One of the listed values.
    Choice(&'static [&'static str]),
    /// An entity type, by code or name.
    EntityType,
}

impl fmt::Display for ParameterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text => f.write_str("text"),
            Self::Integer => f.write_str("a whole number"),
            Self::Number => f.write_str("a number"),
            Self::Boolean => f.write_str("true or false"),
            Self::Timestamp => f.write_str("a timestamp (YYYY-MM-DD HH:MM[:SS])"),
            Self::Choice(values) => write!(f, "one of {}", values.join(", ")),
            Self::EntityType => f.write_str("an entity type (code or name)"),
        }
    }
}

impl fmt::Debug for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resource")
            .field("name", &self.name)
            .field("tag", &self.tag)
            .field("schema", &self.schema)
            .field("list", &self.list.id)
            .field("get", &self.get.as_ref().map(|get| get.id))
            .field("columns", &self.columns)
            .field("fields", &self.fields.len())
            .field("entity_type", &self.entity_type)
            .finish()
    }
}

/// A parameter that the request cannot carry: an unknown name or a value of the wrong kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParameterError {
    message: String,
}

impl ParameterError {
    pub(crate) fn new(message: String) -> Self {
        Self { message }
    }

    /// `name` is not a parameter of `operation`.
    pub(crate) fn unknown(operation: &Operation, name: &str) -> Self {
        let known: Vec<&str> = operation.parameters.iter().map(|p| p.name).collect();
        Self::new(if known.is_empty() {
            format!(
                "`{}` takes no parameters, but `{name}` was given",
                operation.id
            )
        } else {
            format!(
                "`{name}` is not a parameter of `{}`; it takes {}",
                operation.id,
                known.join(", ")
            )
        })
    }
}

/// Reads a parameter value of type `T` (generated dispatch code calls this).
pub(crate) fn parse<T>(operation: &Operation, name: &str, value: &str) -> Result<T, ParameterError>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    value.trim().parse().map_err(|error| {
        let kind = operation
            .parameters
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.kind.to_string())
            .unwrap_or_default();
        ParameterError::new(format!(
            "`{value}` is not a valid `{name}` for `{}` (expected {kind}): {error}",
            operation.id
        ))
    })
}

/// Decodes `value` as `T` and encodes it again (generated code names `T`).
pub(crate) fn reencode<T>(value: Value) -> Result<Value, serde_json::Error>
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    serde_json::to_value(serde_json::from_value::<T>(value)?)
}

/// A record of `operation` as JSON text (generated get-by-id code calls this).
pub(crate) fn to_text<T: serde::Serialize>(
    operation: &'static str,
    item: T,
) -> Result<Box<RawValue>, ApiError> {
    serde_json::value::to_raw_value(&item).map_err(|error| not_encodable(operation, &error))
}

/// A record the generated type could not encode: a map with keys that are not text, say.
pub(crate) fn not_encodable(operation: &'static str, error: &serde_json::Error) -> ApiError {
    ApiError::InvalidRequest(format!(
        "a record of `{operation}` cannot be encoded as JSON: {error}"
    ))
}

impl Resource {
    /// Lists the records with `parameters` given as text (`("lastModified", "2024-05-01
    /// 08:00")`). For a paginated list, `limit` sets the page size and `page` the first page;
    /// other names are the operation's filters. Unknown names and values of the wrong kind are
    /// an error before anything is sent.
    pub fn list<'a, N, V>(
        &'static self,
        client: &'a Client,
        parameters: &[(N, V)],
    ) -> Result<Listing<'a>, ParameterError>
    where
        N: AsRef<str>,
        V: AsRef<str>,
    {
        let mut page_size = None;
        let mut start_page = None;
        let mut filters = Vec::new();
        for (name, value) in parameters {
            let (name, value) = (name.as_ref(), value.as_ref());
            match name {
                "limit" if self.list.paginated => {
                    page_size = Some(parse::<u64>(&self.list, name, value)?);
                }
                "page" if self.list.paginated => {
                    start_page = Some(parse::<u64>(&self.list, name, value)?);
                }
                _ => filters.push((name.to_string(), value.to_string())),
            }
        }
        if let Some(missing) = self
            .list
            .parameters
            .iter()
            .find(|p| p.required && !filters.iter().any(|(name, _)| name == p.name))
        {
            return Err(ParameterError::new(format!(
                "`{}` needs the parameter `{}`: {}",
                self.list.id, missing.name, missing.description
            )));
        }
        let mut listing = (self.list_fn)(client, &filters)?;
        if let Some(size) = page_size {
            listing = listing.page_size(size);
        }
        if let Some(page) = start_page {
            listing = listing.start_page(page);
        }
        Ok(listing)
    }

    /// Fetches the record `id` as JSON.
    pub async fn get(&'static self, client: &Client, id: &str) -> Result<Value, ApiError> {
        let text = self.get_text(client, id).await?;
        serde_json::from_str(text.get()).map_err(|error| not_encodable(self.get_id(), &error))
    }

    /// Fetches the record `id` as JSON text, encoded as [`Listing::text_pages`] encodes the
    /// records of a list (so a record listed and the same record fetched are the same text).
    pub async fn get_text(
        &'static self,
        client: &Client,
        id: &str,
    ) -> Result<Box<RawValue>, ApiError> {
        let Some(get) = self.get_fn else {
            return Err(ApiError::InvalidRequest(format!(
                "the API has no get-by-id for `{}`; list it and filter instead",
                self.name
            )));
        };
        get(client, id.to_string()).await
    }

    fn get_id(&self) -> &'static str {
        self.get.as_ref().map_or(self.list.id, |get| get.id)
    }

    /// Checks that `record` decodes as this resource's type, and returns it as the type encodes
    /// it (properties the spec does not name are kept).
    pub fn decode(&self, record: Value) -> Result<Value, serde_json::Error> {
        (self.decode_fn)(record)
    }
}
