//! The spec's resources: which operations list and get which records, which lists are paginated,
//! and what their query parameters are — read from the vendor extensions the spec uses.
//!
//! | extension | where | meaning |
//! |---|---|---|
//! | `x-resource: <name>` | a `get` operation | the list (no path parameter) or get-by-id (one path parameter) of the resource `<name>` |
//! | `x-paginated: true` | a list operation | pages through `limit` and `page`; the success body is `{meta: PageMeta, data: [item]}` |
//! | `x-table-columns: [..]` | an item schema | the properties a table of the records shows |
//! | `x-entity-type: <Name>` | an item schema | the `EntityType` whose field configuration describes the records' custom fields |
//! | `x-seventime-type: <Name>` | a string schema | generated as the client's hand-written type `<Name>` (only `Timestamp`) |
//!
//! Paginated lists are marked rather than detected: an operation that looks paginated
//! (`limit` + `page` + a `meta` envelope) but is not marked is reported, so a mark is never
//! forgotten silently, and the mark never guesses at an operation that only resembles one.

use std::collections::BTreeMap;
use std::path::Path;

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::Value;

use crate::SpecError;
use crate::enums::NamedEnum;

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
    /// `x-entity-type` of the item schema: a variant name of `EntityType`.
    pub entity_type: Option<String>,
    /// Whether the item schema has `customFields` (a `$ref` to `CustomFieldValues`), and
    /// whether it is required: the records whose values the client resolves.
    pub custom_fields: Option<Requirement>,
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

/// What [`collect`] reads from the spec.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    pub resources: Vec<Resource>,
    pub paginated: Vec<Paginated>,
    /// `(schema, hand-written type)` for `x-seventime-type`.
    pub hand_written: Vec<(String, String)>,
}

struct Reader<'a> {
    path: &'a Path,
    raw: &'a Value,
    named_enums: &'a [NamedEnum],
}

/// Reads and checks the resource extensions of `raw`.
pub(crate) fn collect(
    path: &Path,
    raw: &Value,
    named_enums: &[NamedEnum],
) -> Result<Facts, SpecError> {
    let reader = Reader {
        path,
        raw,
        named_enums,
    };
    let hand_written = reader.hand_written_types()?;
    let mut resources: BTreeMap<String, Resource> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut paginated = Vec::new();

    for (route, method, operation) in crate::spec::operations(raw) {
        let location = format!("paths.{route}.{method}");
        let marked = operation.get("x-paginated");
        let resource = operation.get("x-resource");
        if marked.is_none() && resource.is_none() {
            reader.check_unmarked(route, method, operation, &location)?;
            continue;
        }
        if method != "get" {
            return Err(reader.error(
                &location,
                "`x-resource` and `x-paginated` are only for `get` operations",
                "remove the extension from this operation",
            ));
        }
        let paginated_mark = match marked {
            None | Some(Value::Bool(false)) => false,
            Some(Value::Bool(true)) => true,
            Some(other) => {
                return Err(reader.error(
                    &format!("{location}.x-paginated"),
                    format!("`x-paginated` must be `true` or `false`, found {other}"),
                    "write `x-paginated: true` on operations that page with `limit` and `page`",
                ));
            }
        };
        let op = reader.operation(route, operation, &location, paginated_mark)?;
        let path_params = reader.path_parameters(operation);
        let (item, is_get) = reader.item_schema(&op, path_params.len())?;
        if paginated_mark {
            paginated.push(Paginated {
                operation: op.clone(),
                item: item.clone(),
            });
        }

        let Some(name) = resource else { continue };
        let Some(name) = name.as_str().filter(|n| valid_resource_name(n)) else {
            return Err(reader.error(
                &format!("{location}.x-resource"),
                format!("`x-resource: {name}` is not a resource name"),
                "use the collection's path segment in kebab case, for example `work-order-types`",
            ));
        };
        let tag = operation
            .pointer("/tags/0")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let entry = resources.entry(name.to_string()).or_insert_with(|| {
            order.push(name.to_string());
            Resource {
                name: name.to_string(),
                tag,
                schema: item.clone(),
                list: None,
                get: None,
                columns: Vec::new(),
                entity_type: None,
                custom_fields: None,
            }
        });
        if entry.schema != item {
            return Err(reader.error(
                &location,
                format!(
                    "resource `{name}` returns `{item}` here but `{}` elsewhere",
                    entry.schema
                ),
                "the list and the get-by-id of a resource must return the same item schema",
            ));
        }
        let slot = if is_get {
            &mut entry.get
        } else {
            &mut entry.list
        };
        if let Some(first) = slot {
            return Err(reader.error(
                &location,
                format!(
                    "resource `{name}` already has a {} operation, `{}`",
                    if is_get { "get-by-id" } else { "list" },
                    first.id
                ),
                "give each resource one list and at most one get-by-id; name other lookups as their own resource",
            ));
        }
        *slot = Some(op);
    }

    let mut ordered = Vec::new();
    for name in order {
        let mut resource = resources.remove(&name).expect("every name was inserted");
        if resource.list.is_none() {
            return Err(reader.error(
                &format!("x-resource: {name}"),
                format!("resource `{name}` has a get-by-id operation but no list"),
                "mark the list operation of the collection with the same `x-resource`",
            ));
        }
        reader.item_extensions(&mut resource)?;
        ordered.push(resource);
    }
    Ok(Facts {
        resources: ordered,
        paginated,
        hand_written,
    })
}

fn valid_resource_name(name: &str) -> bool {
    !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl Reader<'_> {
    fn error(
        &self,
        location: &str,
        problem: impl Into<String>,
        help: impl Into<String>,
    ) -> SpecError {
        SpecError::new(self.path, Some(location.to_string()), problem, help)
    }

    /// Follows a local `$ref` (already checked to resolve) to its target.
    fn resolve<'v>(&'v self, node: &'v Value) -> &'v Value {
        let mut node = node;
        for _ in 0..8 {
            match node
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
            {
                Some(pointer) => node = self.raw.pointer(pointer).unwrap_or(node),
                None => break,
            }
        }
        node
    }

    fn ref_name(node: &Value) -> Option<&str> {
        node.get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
    }

    fn hand_written_types(&self) -> Result<Vec<(String, String)>, SpecError> {
        let mut found = Vec::new();
        let schemas = self
            .raw
            .pointer("/components/schemas")
            .and_then(Value::as_object);
        for (name, schema) in schemas.into_iter().flatten() {
            let Some(wanted) = schema.get("x-seventime-type") else {
                continue;
            };
            let location = format!("components.schemas.{name}.x-seventime-type");
            match wanted.as_str() {
                Some(ty) if HAND_WRITTEN_TYPES.contains(&ty) => {
                    if schema.get("type").and_then(Value::as_str) != Some("string") {
                        return Err(self.error(
                            &location,
                            format!(
                                "`{ty}` stands for a string, but `{name}` is not `type: string`"
                            ),
                            "put `x-seventime-type` only on string schemas",
                        ));
                    }
                    found.push((name.clone(), ty.to_string()));
                }
                _ => {
                    return Err(self.error(
                        &location,
                        format!("`x-seventime-type: {wanted}` names no hand-written client type"),
                        format!("use one of: {}", HAND_WRITTEN_TYPES.join(", ")),
                    ));
                }
            }
        }
        Ok(found)
    }

    fn parameters<'v>(&'v self, operation: &'v Value) -> impl Iterator<Item = &'v Value> {
        operation
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| self.resolve(p))
    }

    fn path_parameters<'v>(&'v self, operation: &'v Value) -> Vec<&'v str> {
        self.parameters(operation)
            .filter(|p| p.get("in").and_then(Value::as_str) == Some("path"))
            .filter_map(|p| p.get("name").and_then(Value::as_str))
            .collect()
    }

    fn success_schema<'v>(&'v self, operation: &'v Value) -> Option<&'v Value> {
        let response = self.resolve(operation.pointer("/responses/200")?);
        response.pointer("/content/application~1json/schema")
    }

    fn operation(
        &self,
        route: &str,
        operation: &Value,
        location: &str,
        paginated: bool,
    ) -> Result<Operation, SpecError> {
        let id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let envelope = self
            .success_schema(operation)
            .and_then(Self::ref_name)
            .ok_or_else(|| {
                self.error(
                    &format!("{location}.responses.200"),
                    "the success response does not `$ref` a named envelope schema",
                    "describe the body as `$ref: \"#/components/schemas/<Item>Page\"` (or `<Item>Envelope`, `<Item>List`)",
                )
            })?
            .to_string();
        let mut query = Vec::new();
        for (index, parameter) in self.parameters(operation).enumerate() {
            if parameter.get("in").and_then(Value::as_str) != Some("query") {
                continue;
            }
            let at = format!("{location}.parameters[{index}]");
            let name = parameter
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let schema = parameter.get("schema").unwrap_or(&Value::Null);
            query.push(Parameter {
                kind: self.parameter_kind(schema, &at, &name)?,
                required: parameter.get("required").and_then(Value::as_bool) == Some(true),
                description: parameter
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
                name,
            });
        }
        let max_page_size = if paginated {
            Some(self.check_paginated(operation, location, &query, &envelope)?)
        } else {
            None
        };
        let path_parameter = self
            .path_parameters(operation)
            .first()
            .map(|p| p.to_string());
        Ok(Operation {
            path_parameter,
            id,
            path: route.to_string(),
            summary: operation
                .get("summary")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .trim()
                .trim_end_matches('.')
                .to_string(),
            paginated,
            max_page_size,
            envelope,
            query,
        })
    }

    fn parameter_kind(
        &self,
        schema: &Value,
        location: &str,
        name: &str,
    ) -> Result<ParameterKind, SpecError> {
        if let Some(reference) = Self::ref_name(schema) {
            let target = self.resolve(schema);
            if let Some(ty) = target.get("x-seventime-type").and_then(Value::as_str) {
                return Ok(ParameterKind::HandWritten(ty.to_string()));
            }
            if self.named_enums.iter().any(|e| e.name == reference) {
                return Ok(ParameterKind::NamedEnum(reference.to_string()));
            }
            if let Some(values) = target.get("enum").and_then(Value::as_array)
                && target.get("type").and_then(Value::as_str) == Some("string")
            {
                return Ok(ParameterKind::Choice {
                    schema: reference.to_string(),
                    values: values
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect(),
                });
            }
            return Err(self.error(
                location,
                format!("query parameter `{name}` refers to `{reference}`, which is neither a string enum, a named integer enum nor a hand-written type"),
                "give query parameters a plain type (string, integer, number, boolean), a string enum, or `$ref` a schema with `x-seventime-type`",
            ));
        }
        if schema.get("enum").is_some() {
            return Err(self.error(
                location,
                format!("query parameter `{name}` has an inline enum"),
                "move the enum into a named schema under `components.schemas` and `$ref` it, so that it becomes one Rust type",
            ));
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("string") => Ok(ParameterKind::Text),
            Some("integer") => Ok(ParameterKind::Integer {
                signed: schema
                    .get("minimum")
                    .and_then(Value::as_f64)
                    .is_none_or(|min| min < 0.0),
            }),
            Some("number") => Ok(ParameterKind::Number),
            Some("boolean") => Ok(ParameterKind::Boolean),
            other => Err(self.error(
                location,
                format!(
                    "query parameter `{name}` has type {}, which a query string cannot carry",
                    other.unwrap_or("(none)")
                ),
                "give it `type: string`, `integer`, `number` or `boolean`",
            )),
        }
    }

    fn check_paginated(
        &self,
        operation: &Value,
        location: &str,
        query: &[Parameter],
        envelope: &str,
    ) -> Result<u64, SpecError> {
        for wanted in ["limit", "page"] {
            let Some(parameter) = query.iter().find(|p| p.name == wanted) else {
                return Err(self.error(
                    location,
                    format!("the operation is marked `x-paginated` but has no `{wanted}` query parameter"),
                    "add `- $ref: \"#/components/parameters/Limit\"` and `- $ref: \"#/components/parameters/Page\"`, or remove the mark",
                ));
            };
            if !matches!(parameter.kind, ParameterKind::Integer { .. }) || parameter.required {
                return Err(self.error(
                    location,
                    format!(
                        "the `{wanted}` parameter of a paginated list must be an optional integer"
                    ),
                    "use the shared `Limit` and `Page` parameters",
                ));
            }
        }
        let maximum = self
            .parameters(operation)
            .find(|p| p.get("name").and_then(Value::as_str) == Some("limit"))
            .and_then(|p| p.pointer("/schema/maximum"))
            .and_then(Value::as_u64)
            .filter(|max| *max >= 1)
            .ok_or_else(|| {
                self.error(
                    location,
                    "the `limit` parameter of a paginated list has no `maximum`",
                    "give `limit` the documented bounds, `minimum: 1` and `maximum: 500`",
                )
            })?;
        let body = self
            .raw
            .pointer(&format!("/components/schemas/{envelope}"))
            .unwrap_or(&Value::Null);
        let meta = body.pointer("/properties/meta").and_then(Self::ref_name);
        let data_is_array = body
            .pointer("/properties/data/type")
            .and_then(Value::as_str)
            == Some("array");
        if meta != Some("PageMeta") || !data_is_array {
            return Err(self.error(
                &format!("components.schemas.{envelope}"),
                format!("`{envelope}`, the body of a paginated list, is not `{{meta: PageMeta, data: [item]}}`"),
                "give the envelope `meta: {$ref: \"#/components/schemas/PageMeta\"}` and `data: {type: array, items: {$ref: ...}}`, both required",
            ));
        }
        Ok(maximum)
    }

    /// An operation that pages like a paginated list must say whether it is one.
    fn check_unmarked(
        &self,
        route: &str,
        method: &str,
        operation: &Value,
        location: &str,
    ) -> Result<(), SpecError> {
        if method != "get" {
            return Ok(());
        }
        let has = |wanted: &str| {
            self.parameters(operation)
                .any(|p| p.get("name").and_then(Value::as_str) == Some(wanted))
        };
        let meta = self
            .success_schema(operation)
            .map(|s| self.resolve(s))
            .and_then(|s| s.pointer("/properties/meta"))
            .is_some();
        if has("limit") && has("page") && meta {
            return Err(self.error(
                location,
                format!("GET {route} pages with `limit`, `page` and `meta` but is not marked"),
                "add `x-paginated: true` (and `x-resource`) so that the client can stream all of its records, or `x-paginated: false` if it is not a paginated list",
            ));
        }
        Ok(())
    }

    /// The item schema a list or get operation returns, and whether it is a get-by-id.
    fn item_schema(&self, op: &Operation, path_params: usize) -> Result<(String, bool), SpecError> {
        let body = self
            .raw
            .pointer(&format!("/components/schemas/{}", op.envelope))
            .unwrap_or(&Value::Null);
        let data = body.pointer("/properties/data").unwrap_or(&Value::Null);
        let required_data = body
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|v| v == "data"));
        let (item, is_get) = match (data.get("type").and_then(Value::as_str), path_params) {
            (Some("array"), 0) => (data.get("items").and_then(Self::ref_name), false),
            (None, 1) => (Self::ref_name(data), true),
            _ => (None, false),
        };
        let Some(item) = item.filter(|_| required_data) else {
            return Err(self.error(
                &format!("components.schemas.{}", op.envelope),
                format!(
                    "`{}`, the body of `{}`, is not a {} envelope",
                    op.envelope,
                    op.id,
                    if path_params == 0 {
                        "list (`data: [item]`)"
                    } else {
                        "single-record (`data: item`)"
                    }
                ),
                "a list has no path parameter and `data: {type: array, items: {$ref: <Item>}}`; a get-by-id has one path parameter and `data: {$ref: <Item>}`; `data` is required",
            ));
        };
        let schema = self
            .raw
            .pointer(&format!("/components/schemas/{item}"))
            .unwrap_or(&Value::Null);
        let id_is_string = schema
            .pointer("/properties/_id/type")
            .and_then(Value::as_str)
            == Some("string");
        let id_required = schema
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|v| v == "_id"));
        // Streams skip records by `_id` and a get-by-id fetches one; a lookup that arrives
        // whole needs none (the user roles have none).
        let needs_id = op.paginated || is_get;
        if needs_id && !(id_is_string && id_required) {
            return Err(self.error(
                &format!("components.schemas.{item}"),
                format!("`{item}`, the records of `{}`, has no required string `_id`", op.id),
                "add `_id: {type: string}` to its properties and `required: [_id]`: streams and get-by-id rely on it",
            ));
        }
        Ok((item.to_string(), is_get))
    }

    fn item_extensions(&self, resource: &mut Resource) -> Result<(), SpecError> {
        let location = format!("components.schemas.{}", resource.schema);
        let schema = self
            .raw
            .pointer(&format!("/components/schemas/{}", resource.schema))
            .unwrap_or(&Value::Null);
        let properties = schema.get("properties").and_then(Value::as_object);
        if let Some(columns) = schema.get("x-table-columns") {
            let Some(columns) = columns.as_array() else {
                return Err(self.error(
                    &format!("{location}.x-table-columns"),
                    "`x-table-columns` must be a list of property names",
                    "write `x-table-columns: [name, customerNumber]`",
                ));
            };
            for column in columns {
                let known = column
                    .as_str()
                    .filter(|c| properties.is_some_and(|p| p.contains_key(*c)));
                let Some(column) = known else {
                    return Err(self.error(
                        &format!("{location}.x-table-columns"),
                        format!("`{column}` is not a property of `{}`", resource.schema),
                        "name properties the schema defines, spelled as on the wire",
                    ));
                };
                resource.columns.push(column.to_string());
            }
        }
        if let Some(entity) = schema.get("x-entity-type") {
            let known = self
                .named_enums
                .iter()
                .find(|e| e.name == "EntityType")
                .and_then(|e| {
                    e.variants
                        .iter()
                        .find(|v| Some(v.name.as_str()) == entity.as_str())
                });
            let Some(variant) = known else {
                return Err(self.error(
                    &format!("{location}.x-entity-type"),
                    format!("`x-entity-type: {entity}` is not a variant of EntityType"),
                    "use a name from `EntityType`'s `x-enum-varnames`, for example `Customer`",
                ));
            };
            resource.entity_type = Some(variant.name.clone());
            if let Some(custom_fields) = properties.and_then(|p| p.get("customFields")) {
                if custom_fields.get("$ref").and_then(Value::as_str)
                    != Some("#/components/schemas/CustomFieldValues")
                {
                    return Err(self.error(
                        &format!("{location}.properties.customFields"),
                        "`customFields` of a schema with `x-entity-type` is not the shared custom-field values",
                        "write `customFields: {$ref: \"#/components/schemas/CustomFieldValues\"}`: the client resolves values of that shape",
                    ));
                }
                let required = schema
                    .get("required")
                    .and_then(Value::as_array)
                    .is_some_and(|r| r.iter().any(|v| v == "customFields"));
                resource.custom_fields = Some(if required {
                    Requirement::Required
                } else {
                    Requirement::Optional
                });
            }
        }
        Ok(())
    }
}
