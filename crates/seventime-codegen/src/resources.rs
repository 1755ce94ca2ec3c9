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
//! | `x-record-key: <property>` | an item schema without `_id` | the property that identifies a record (a mirror's primary key) |
//! | `x-parent-resource: <name>` | a query parameter | it takes the keys of `<name>`'s records: a list that requires it is read once per parent record |
//! | `x-value-format: date-time` | a string property | holds an ISO 8601 moment or is empty: generated as text (it may be empty), stored as a timestamp by a mirror |
//!
//! Paginated lists are marked rather than detected: an operation that looks paginated
//! (`limit` + `page` + a `meta` envelope) but is not marked is reported, so a mark is never
//! forgotten silently, and the mark never guesses at an operation that only resembles one.

mod model;
mod operation;
mod paginated;
mod parameters;
mod reader;
mod schemas;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

pub use model::{
    Field, FieldKind, Operation, Paginated, Parameter, ParameterKind, Requirement, Resource,
};
use reader::Reader;

use crate::SpecError;
use crate::document::operations;
use crate::enums::NamedEnum;

/// What [`collect`] reads from the spec.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    pub resources: Vec<Resource>,
    pub paginated: Vec<Paginated>,
    /// `(schema, hand-written type)` for `x-seventime-type`.
    pub hand_written: Vec<(String, String)>,
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

    for (route, method, operation) in operations(raw) {
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
                fields: Vec::new(),
                key: "_id".to_string(),
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
    check_parents(&reader, &ordered)?;
    Ok(Facts {
        resources: ordered,
        paginated,
        hand_written,
    })
}

/// Every `x-parent-resource` names another resource of the spec.
fn check_parents(reader: &Reader<'_>, resources: &[Resource]) -> Result<(), SpecError> {
    for resource in resources {
        let Some(list) = &resource.list else { continue };
        for parameter in &list.query {
            let Some(parent) = &parameter.parent else {
                continue;
            };
            if parent == &resource.name || !resources.iter().any(|r| &r.name == parent) {
                return Err(reader.error(
                    &format!("paths.{}.get.parameters.{}.x-parent-resource", list.path, parameter.name),
                    format!(
                        "`x-parent-resource: {parent}` on `{}` of resource `{}` is not another resource of the spec",
                        parameter.name, resource.name
                    ),
                    "name the `x-resource` of the records whose keys the parameter takes",
                ));
            }
        }
    }
    Ok(())
}

fn valid_resource_name(name: &str) -> bool {
    !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
