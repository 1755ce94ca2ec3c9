//! The resource model: what a spec's resources, their operations and query parameters are, as
//! the catalog and pagination code generate from them.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// The hand-written client types a string schema may stand for (`x-seventime-type`).
pub const HAND_WRITTEN_TYPES: [&str; 1] = ["Timestamp"];

/// A resource: records that can be listed and, usually, fetched by `_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// The name used on the command line and in the catalog (`customers`, `work-order-types`).
    pub name: String,
    /// The tag of its operations (the vendor page it comes from).
    pub tag: String,
    /// The item schema (`Customer`).
    pub schema: String,
    /// The list operation.
    pub list: Option<Operation>,
    /// The get-by-id operation.
    pub get: Option<Operation>,
    /// `x-table-columns` of the item schema.
    pub columns: Vec<String>,
    /// The item schema's properties, sorted by name, as a mirror of the records stores them.
    pub fields: Vec<Field>,
    /// The property that identifies a record: `_id`, or the schema's `x-record-key`.
    pub key: String,
    /// `x-entity-type` of the item schema: a variant name of `EntityType`.
    pub entity_type: Option<String>,
    /// Whether the item schema has `customFields` (a `$ref` to `CustomFieldValues`), and
    /// whether it is required: the records whose values the client resolves.
    pub custom_fields: Option<Requirement>,
}

/// A property of an item schema (or of the rows of one of its lists of records).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The wire name (`customerNumber`).
    pub name: String,
    /// What values it holds.
    pub kind: FieldKind,
    /// Whether the schema lists it in `required`.
    pub required: bool,
}

/// The values a [`Field`] holds, as far as storing them needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// A string.
    Text,
    /// A string marked `x-value-format: date-time`: an ISO 8601 moment, or empty.
    Timestamp,
    /// A whole number (integer enums included).
    Integer,
    /// A number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// An object, a list of scalars, or a value the spec leaves open: kept as JSON.
    Json,
    /// A list of objects with these properties (invoice rows): rows of their own.
    Records(Vec<Field>),
    /// The shared custom-field values (`CustomFieldValues`).
    CustomFields,
}

/// Whether a property is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// Listed in the schema's `required`.
    Required,
    /// May be absent.
    Optional,
}

/// An operation of a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The operationId (`list_customers`), which is also the client method.
    pub id: String,
    /// The path as the spec writes it.
    pub path: String,
    /// The summary line.
    pub summary: String,
    /// Whether it is marked `x-paginated`.
    pub paginated: bool,
    /// The largest page size (`maximum` of `limit`), for paginated lists.
    pub max_page_size: Option<u64>,
    /// The envelope schema of the success body.
    pub envelope: String,
    /// The query parameters, in spec order.
    pub query: Vec<Parameter>,
    /// The path parameter of a get-by-id (`id`).
    pub path_parameter: Option<String>,
}

impl Operation {
    /// The progenitor builder type (`ListCustomers`).
    pub fn builder(&self) -> String {
        self.id.to_upper_camel_case()
    }
}

/// A query parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// The wire name (`lastModified`).
    pub name: String,
    /// What values it takes.
    pub kind: ParameterKind,
    /// Whether the spec requires it.
    pub required: bool,
    /// Its description.
    pub description: String,
    /// The resource whose records' keys it takes (`x-parent-resource`): a list that requires
    /// it is read once per record of that resource.
    pub parent: Option<String>,
}

impl Parameter {
    /// The builder method that sets it (`last_modified`).
    pub fn method(&self) -> String {
        self.name.to_snake_case()
    }
}

/// The values a query parameter takes, as far as generation needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParameterKind {
    /// Any string.
    Text,
    /// A whole number; `signed` when the spec allows negative values.
    Integer {
        /// Whether negative values are allowed.
        signed: bool,
    },
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// One of a string enum's values; `schema` is the named schema (a generated type).
    Choice {
        /// The schema name.
        schema: String,
        /// The allowed values.
        values: Vec<String>,
    },
    /// A named integer enum of the client (`EntityType`).
    NamedEnum(String),
    /// A hand-written client type (`x-seventime-type`).
    HandWritten(String),
}

/// A paginated operation, with what the pagination code needs to know of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paginated {
    /// The operation.
    pub operation: Operation,
    /// The item schema.
    pub item: String,
}
