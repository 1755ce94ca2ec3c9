//! The tables a mirror holds, planned from the catalog (and so from the spec): one table per
//! resource, a child table per list of objects in its records, and one table of custom-field
//! values for all of them. Nothing here is written per resource.

use heck::ToSnakeCase;
use seventime::catalog::{self, FieldKind, Resource};

/// The column holding the record as the client read it (JSON text).
pub const RAW: &str = "raw";
/// The column set when a full pass no longer finds the record.
pub const DELETED_AT: &str = "deleted_at";
/// The column with the moment the row was last written.
pub const SYNCED_AT: &str = "synced_at";
/// The column with the number of the last full pass that found the record.
pub const SEEN_IN: &str = "seen_in_pass";
/// A child row's parent `_id`.
pub const PARENT: &str = "parent_id";
/// A child row's position in its list, from 0.
pub const POSITION: &str = "position";
/// The table of custom-field values.
pub const CUSTOM_FIELDS_TABLE: &str = "custom_field_values";

/// What a column holds, and so its SQL type and how values are bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text.
    Text,
    /// An ISO 8601 moment as text (empty values are stored as NULL; `raw` keeps them).
    Timestamp,
    /// A whole number.
    Integer,
    /// A number.
    Number,
    /// A boolean (0 or 1 in SQLite).
    Boolean,
    /// JSON text.
    Json,
}

impl Kind {
    /// The name stored in the mirror's column catalog.
    pub fn name(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Timestamp => "timestamp",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::Boolean => "boolean",
            Self::Json => "json",
        }
    }

    /// The kind called `name` in the column catalog.
    pub fn from_name(name: &str) -> Option<Self> {
        [
            Self::Text,
            Self::Timestamp,
            Self::Integer,
            Self::Number,
            Self::Boolean,
            Self::Json,
        ]
        .into_iter()
        .find(|kind| kind.name() == name)
    }

    /// SQLite's declared type: its type affinity keeps text as text (a JSON `"5"` stays text)
    /// and numbers as numbers.
    pub fn sqlite_type(self) -> &'static str {
        match self {
            Self::Text | Self::Timestamp | Self::Json => "TEXT",
            Self::Integer | Self::Boolean => "INTEGER",
            Self::Number => "REAL",
        }
    }

    /// Whether a column of kind `self` can hold every value a column of kind `to` holds, so
    /// that changing the column's kind to `to` loses nothing already stored.
    pub fn widens_to(self, to: Self) -> bool {
        self == to
            || matches!(
                (self, to),
                (Self::Integer, Self::Number)
                    | (Self::Boolean, Self::Integer | Self::Number)
                    | (_, Self::Json)
                    | (Self::Timestamp, Self::Text)
            )
    }
}

/// A column filled from a record's property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The property's wire name, which is also the column's name (`customerNumber`).
    pub name: &'static str,
    /// What it holds.
    pub kind: Kind,
}

/// A table of the mirror.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Its SQL name (`work_order_types`, `invoices__invoice_items`).
    pub name: String,
    /// The columns filled from properties, sorted by name (the key first for a resource
    /// table).
    pub columns: Vec<Column>,
    /// For a child table: the record property whose list it holds.
    pub list: Option<&'static str>,
}

/// The tables of one resource.
#[derive(Debug, Clone)]
pub struct ResourceTables {
    /// The resource.
    pub resource: &'static Resource,
    /// Its table.
    pub table: Table,
    /// A table per list of objects in its records.
    pub children: Vec<Table>,
    /// Whether its records carry custom-field values.
    pub custom_fields: bool,
}

/// The mirror's plan: the tables of every resource mirrored.
#[derive(Debug)]
pub struct Plan {
    /// Per resource, in catalog order.
    pub resources: Vec<ResourceTables>,
}

/// The SQL table name of `resource`.
pub fn table_name(resource: &Resource) -> String {
    resource.name.to_snake_case()
}

impl Plan {
    /// The tables of `resources` (every resource of the catalog when `None`). A name that is
    /// not a resource is an error listing the names.
    pub fn new(resources: Option<&[String]>) -> Result<Self, String> {
        let chosen: Vec<&'static Resource> = match resources {
            None => catalog::resources().iter().collect(),
            Some(names) => names
                .iter()
                .map(|name| {
                    catalog::resource(name.trim()).ok_or_else(|| {
                        format!(
                            "`{name}` is not a resource; the resources are {}",
                            catalog::resources()
                                .iter()
                                .map(|r| r.name)
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        // A list read per parent record needs its parent's rows: the parent comes along.
        let mut chosen = chosen;
        for resource in chosen.clone() {
            if let Some((_, parent)) = crate::run::parent_of(resource)
                && !chosen.iter().any(|r| r.name == parent.name)
            {
                chosen.push(parent);
            }
        }
        // The order a run reads them in: lists read per parent record last (stable, so the
        // catalog's order otherwise).
        chosen.sort_by_key(|resource| crate::run::parent_of(resource).is_some());
        let resources = chosen
            .into_iter()
            .map(ResourceTables::new)
            .collect::<Result<_, _>>()?;
        Ok(Self { resources })
    }
}

impl ResourceTables {
    fn new(resource: &'static Resource) -> Result<Self, String> {
        let name = table_name(resource);
        let mut columns = Vec::new();
        let mut children = Vec::new();
        let mut custom_fields = false;
        for field in resource.fields {
            check_name(resource, field.name)?;
            let kind = match field.kind {
                FieldKind::Records(rows) => {
                    let mut child = Vec::new();
                    for row in rows {
                        if [PARENT, POSITION, RAW].contains(&row.name) {
                            return Err(format!(
                                "`{}` of `{}` rows is a column name the mirror uses itself",
                                row.name, field.name
                            ));
                        }
                        child.push(Column {
                            name: row.name,
                            kind: kind_of(row.kind),
                        });
                    }
                    children.push(Table {
                        name: format!("{name}__{}", field.name.to_snake_case()),
                        columns: child,
                        list: Some(field.name),
                    });
                    Kind::Json
                }
                FieldKind::CustomFields => {
                    custom_fields = resource.entity_type.is_some();
                    Kind::Json
                }
                other => kind_of(other),
            };
            columns.push(Column {
                name: field.name,
                kind,
            });
        }
        // The key first: the primary key (`_id`, or the spec's `x-record-key`).
        match columns.iter().position(|c| c.name == resource.key) {
            Some(0) => {}
            Some(at) => {
                let id = columns.remove(at);
                columns.insert(0, id);
            }
            None => {
                return Err(format!(
                    "`{}` records have no `{}` in the spec; a mirror needs a key: mark the property that identifies a record with `x-record-key` on `{}`",
                    resource.name, resource.key, resource.schema
                ));
            }
        }
        Ok(Self {
            resource,
            table: Table {
                name,
                columns,
                list: None,
            },
            children,
            custom_fields,
        })
    }
}

fn check_name(resource: &Resource, name: &str) -> Result<(), String> {
    if [RAW, DELETED_AT, SYNCED_AT, SEEN_IN].contains(&name) {
        return Err(format!(
            "`{name}` of `{}` is a column name the mirror uses itself",
            resource.name
        ));
    }
    Ok(())
}

fn kind_of(kind: FieldKind) -> Kind {
    match kind {
        FieldKind::Text => Kind::Text,
        FieldKind::Timestamp => Kind::Timestamp,
        FieldKind::Integer => Kind::Integer,
        FieldKind::Number => Kind::Number,
        FieldKind::Boolean => Kind::Boolean,
        _ => Kind::Json,
    }
}

/// Double-quotes an SQL identifier: wire names keep their case (`customerNumber`).
pub fn quote(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_resource_of_the_spec_plans() {
        let plan = Plan::new(None).expect("the spec's resources plan");
        assert_eq!(plan.resources.len(), catalog::resources().len());
        let invoices = plan
            .resources
            .iter()
            .find(|r| r.resource.name == "invoices")
            .unwrap();
        assert_eq!(invoices.table.columns[0].name, "_id");
        let items = invoices
            .children
            .iter()
            .find(|t| t.list == Some("invoiceItems"))
            .expect("invoice rows are a child table");
        assert_eq!(items.name, "invoices__invoice_items");
        assert!(invoices.custom_fields);
        let modified = invoices
            .table
            .columns
            .iter()
            .find(|c| c.name == "invoiceDate")
            .unwrap();
        assert_eq!(modified.kind, Kind::Timestamp);
    }

    #[test]
    fn an_unknown_resource_names_the_known_ones() {
        let error = Plan::new(Some(&["custmers".to_string()])).unwrap_err();
        assert!(error.contains("`custmers` is not a resource"), "{error}");
        assert!(error.contains("customers"), "{error}");
    }

    #[test]
    fn kinds_widen_but_never_narrow() {
        assert!(Kind::Integer.widens_to(Kind::Number));
        assert!(Kind::Text.widens_to(Kind::Json));
        assert!(!Kind::Number.widens_to(Kind::Integer));
        assert!(!Kind::Text.widens_to(Kind::Integer));
        for kind in [Kind::Text, Kind::Json, Kind::Number] {
            assert_eq!(Kind::from_name(kind.name()), Some(kind));
        }
    }
}
