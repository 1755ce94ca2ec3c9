//! The surface model: operations, types and constants as callers of the generated code see them.

use std::collections::BTreeMap;

/// The wire name shown for a `#[serde(flatten)]` field: the map of the properties the spec does
/// not name (`additionalProperties`).
pub const FLATTENED: &str = "any property the spec does not name";

/// Everything a caller of the generated client can name or construct.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Surface {
    /// Operations by `Client` method name (the operationId).
    pub operations: BTreeMap<String, Operation>,
    /// Types by path: `types::Customer`, or the bare name of a named enum (`EntityType`).
    pub types: BTreeMap<String, Type>,
    /// Constants by path (`API_KEY_HEADER`, `paths::LIST_CUSTOMERS`): their type and value.
    pub constants: BTreeMap<String, String>,
}

/// One operation: a `Client` method that returns a request builder.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Operation {
    /// The HTTP method and path (`GET /api/2/customers`).
    pub route: String,
    /// The builder type (`builder::ListCustomers`).
    pub builder: String,
    /// The builder's parameters by setter name.
    pub params: BTreeMap<String, Param>,
    /// The type `send()` returns on success (`types::CustomerPage`).
    pub ok: String,
    /// The error body type of `send()`'s error.
    pub err: String,
    /// For operations with `into_paginator()`: the item type of the stream.
    pub paginated: Option<String>,
}

/// One parameter of an operation's builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The type the setter takes (`String`, `NonZeroU64`, `EntityType`).
    pub rust_type: String,
    /// Whether `send()` fails when it is not set.
    pub required: bool,
    /// Where it goes on the wire and under which name (`query lastModified`).
    pub wire: String,
}

/// A generated type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    /// A struct with named fields.
    Struct {
        /// Public fields by Rust name.
        fields: BTreeMap<String, Field>,
        /// Whether callers are kept from struct literals (`#[non_exhaustive]`).
        non_exhaustive: bool,
    },
    /// A tuple struct (a newtype such as `types::Documents(Vec<Document>)`).
    Tuple {
        /// The field types, in order.
        fields: Vec<String>,
    },
    /// An enum.
    Enum {
        /// Variants by name.
        variants: BTreeMap<String, Variant>,
        /// Whether matches need a wildcard arm (`#[non_exhaustive]`).
        non_exhaustive: bool,
    },
}

/// One public field of a struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Its Rust type.
    pub rust_type: String,
    /// Whether it is required (its type is not an `Option`).
    pub required: bool,
    /// The property name on the wire.
    pub wire: String,
}

/// One enum variant.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Variant {
    /// Its fields as Rust writes them (`(i32)`), or empty for a unit variant.
    pub fields: String,
    /// The value on the wire: the serde name of a string enum's variant, the code of a named
    /// enum's.
    pub wire: String,
}
