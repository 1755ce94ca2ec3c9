//! The data the mock serves: field configurations per entity type and records per resource.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use serde_json::Value;
use seventime::catalog::Resource;
use seventime::{EntityType, catalog, types};

use crate::generated;
use crate::records::Collection;

/// The records of the spec's documented examples, per resource (generated from the spec).
const DOCUMENTED: &str = include_str!(concat!(env!("OUT_DIR"), "/examples.json"));

/// How many records each paginated list holds unless told otherwise: the documented ones, then
/// generated ones up to this number — enough for a few pages at a small page size.
pub const DEFAULT_RECORDS: usize = 60;

/// The built-in data: invented but realistic configurations for time log, work order, invoice,
/// project, customer and quote, with standard fields, custom fields of every custom field type,
/// Swedish and English names and properties the spec does not name.
const BUILTIN: &str = include_str!("../data/builtin.json");

/// Field configurations by entity type, and records by resource.
///
/// A fixture file is a JSON object with either or both of:
/// - `"customFields"`: an object whose keys name an entity type (its code, `"400"`, or its name,
///   `"invoice"`) and whose values are arrays of field objects as the API returns them;
/// - `"records"`: an object whose keys name a resource (`"customers"`, `"work-order-types"`;
///   `seventime resources` lists them) and whose values are arrays of records as the API
///   returns them. Each record must decode as the resource's generated type.
///
/// What the file gives replaces the built-in data of that part (all field configurations; the
/// records of each resource named); the rest stays built-in. A file with neither key is read
/// as the older form: the `"customFields"` object alone.
///
/// ```json
/// { "customFields": { "400": [ { "_id": "5f0c…", "fieldName": "Er referens", "fieldType": 10100 } ] },
///   "records": { "customers": [ { "_id": "5f0c…", "name": "Anna Andersson" } ] } }
/// ```
///
/// Generated records are not made until they are needed ([`Fixtures::records`], or the first
/// request for the resource): a mock with `--records 100000` holds 100,000 records only of
/// the resources a client asks for, not of all of them.
#[derive(Debug, Clone)]
pub struct Fixtures {
    by_entity: BTreeMap<EntityType, types::CustomFieldList>,
    /// The records given for each resource: documented, or from a fixture file.
    records: BTreeMap<&'static str, Vec<Value>>,
    /// For paginated resources filled with generated records: how many records the list holds
    /// (the given ones first). A resource without an entry holds exactly its given records.
    counts: BTreeMap<&'static str, usize>,
    /// The documented records of each resource: what generated records are made from.
    templates: BTreeMap<&'static str, Vec<Value>>,
    /// The resources whose records a fixture file gave: served exactly as written.
    from_file: BTreeSet<&'static str>,
}

/// A fixture file that cannot be used. The message names the file and the problem.
#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    /// The file could not be read.
    #[error("cannot read fixtures {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid fixture JSON.
    #[error("fixtures {}: {problem}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong and where.
        problem: String,
    },
}

impl Fixtures {
    /// The built-in data set: invented field configurations, and for every resource its
    /// documented records, with paginated lists filled up to [`DEFAULT_RECORDS`].
    pub fn builtin() -> Self {
        // Both built-in files are part of this crate (one generated from the spec) and checked
        // by its tests.
        let by_entity = parse_custom_fields(Path::new("<built-in>"), BUILTIN)
            .expect("built-in field configurations are valid");
        let documented = parse_records(Path::new("<documented examples>"), DOCUMENTED)
            .expect("the spec's documented examples decode as their types");
        let counts = catalog::resources()
            .iter()
            .filter(|resource| resource.list.paginated)
            .map(|resource| {
                let documented = documented.get(resource.name).map_or(0, Vec::len);
                (resource.name, documented.max(DEFAULT_RECORDS))
            })
            .collect();
        Self {
            by_entity,
            templates: documented.clone(),
            records: documented,
            counts,
            from_file: BTreeSet::new(),
        }
    }

    /// The same data with every paginated list holding exactly `count` records: the first ones
    /// kept, generated ones (deterministic, made from the documented records) added.
    pub fn with_records(mut self, count: usize) -> Self {
        for resource in catalog::resources().iter().filter(|r| r.list.paginated) {
            self.counts.insert(resource.name, count);
        }
        self
    }

    /// Reads a fixture file (see [`Fixtures`] for the format).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, FixtureError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| FixtureError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Parses fixture JSON over the built-in data; `path` is only used in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Self, FixtureError> {
        let invalid = |problem: String| FixtureError::Invalid {
            path: path.to_path_buf(),
            problem,
        };
        let raw: serde_json::Map<String, Value> = serde_json::from_str(text).map_err(|error| {
            invalid(format!(
                "{error}; expected an object with \"customFields\" and/or \"records\""
            ))
        })?;
        let mut fixtures = Self::builtin();
        if !(raw.contains_key("customFields") || raw.contains_key("records")) {
            fixtures.by_entity = parse_custom_fields(path, text)?;
            return Ok(fixtures);
        }
        for key in raw.keys() {
            if key != "customFields" && key != "records" {
                return Err(invalid(format!(
                    "unknown key `{key}`; a fixture file has \"customFields\" and/or \"records\""
                )));
            }
        }
        if let Some(fields) = raw.get("customFields") {
            fixtures.by_entity = parse_custom_fields(path, &fields.to_string())?;
        }
        if let Some(records) = raw.get("records") {
            for (name, records) in parse_records(path, &records.to_string())? {
                fixtures.records.insert(name, records);
                fixtures.counts.remove(name);
                fixtures.from_file.insert(name);
            }
        }
        Ok(fixtures)
    }

    /// The records of `resource`, in stored order (generated ones made now).
    pub fn records(&self, resource: &str) -> Vec<Value> {
        catalog::resource(resource).map_or_else(Vec::new, |resource| self.materialize(resource))
    }

    /// What the mock serves for `resource`.
    pub(crate) fn collection(&self, resource: &Resource) -> Collection {
        Collection::new(self.materialize(resource))
    }

    fn materialize(&self, resource: &Resource) -> Vec<Value> {
        let given = self
            .records
            .get(resource.name)
            .map_or(&[][..], Vec::as_slice);
        let count = self
            .counts
            .get(resource.name)
            .copied()
            .unwrap_or(given.len());
        let templates = self
            .templates
            .get(resource.name)
            .map_or(&[][..], Vec::as_slice);
        let mut records = Vec::with_capacity(count);
        records.extend(given.iter().take(count).cloned());
        for index in records.len()..count {
            let configuration = resource.entity_type.and_then(|entity| self.get(entity));
            records.push(generated::record(resource, templates, configuration, index));
        }
        if !self.from_file.contains(resource.name) {
            self.link_to_parents(resource, &mut records);
        }
        records
    }

    /// Makes each record of a list that needs a parent's key (a project's supplement orders)
    /// name a parent record the mock serves, round-robin, unless it names one already: the
    /// documented and generated records would otherwise belong to no parent, and a client
    /// reading the list per parent would find none of them.
    fn link_to_parents(&self, resource: &Resource, records: &mut [Value]) {
        for parameter in resource.list.parameters.iter().filter(|p| p.required) {
            let Some(parent) = parameter.parent.and_then(catalog::resource) else {
                continue;
            };
            let keys: Vec<Value> = self
                .materialize(parent)
                .into_iter()
                .filter_map(|record| record.get(parent.key).cloned())
                .collect();
            if keys.is_empty() {
                continue;
            }
            let known: HashSet<String> = keys.iter().map(Value::to_string).collect();
            for (index, record) in records.iter_mut().enumerate() {
                let Some(record) = record.as_object_mut() else {
                    continue;
                };
                if record
                    .get(parameter.name)
                    .is_some_and(|key| known.contains(&key.to_string()))
                {
                    continue;
                }
                record.insert(parameter.name.into(), keys[index % keys.len()].clone());
            }
        }
    }

    /// The configuration of `entity`, if there is one.
    pub fn get(&self, entity: EntityType) -> Option<&types::CustomFieldList> {
        self.by_entity.get(&entity)
    }

    /// The entity types that have a configuration.
    pub fn entity_types(&self) -> impl Iterator<Item = EntityType> + '_ {
        self.by_entity.keys().copied()
    }
}

impl PartialEq for Fixtures {
    fn eq(&self, other: &Self) -> bool {
        self.by_entity == other.by_entity
            && self.records == other.records
            && self.counts == other.counts
    }
}

impl Default for Fixtures {
    fn default() -> Self {
        Self::builtin()
    }
}

fn parse_custom_fields(
    path: &Path,
    text: &str,
) -> Result<BTreeMap<EntityType, types::CustomFieldList>, FixtureError> {
    let invalid = |problem: String| FixtureError::Invalid {
        path: path.to_path_buf(),
        problem,
    };
    let raw: BTreeMap<String, Vec<types::CustomField>> =
        serde_json::from_str(text).map_err(|error| {
            invalid(format!(
                "{error}; expected an object mapping entity types to arrays of field objects, each with a string `_id`"
            ))
        })?;
    let mut by_entity = BTreeMap::new();
    for (key, data) in raw {
        let entity: EntityType = key
            .parse()
            .map_err(|error| invalid(format!("key `{key}`: {error}")))?;
        if by_entity
            .insert(
                entity,
                types::CustomFieldList::try_from(
                    types::CustomFieldList::builder()
                        .data(data)
                        .extra(serde_json::Map::new()),
                )
                .map_err(|error| invalid(format!("key `{key}`: {error}")))?,
            )
            .is_some()
        {
            return Err(invalid(format!(
                "entity type {} is given twice (key `{key}`)",
                entity.code()
            )));
        }
    }
    Ok(by_entity)
}

/// Records by resource, each checked to decode as its generated type.
fn parse_records(
    path: &Path,
    text: &str,
) -> Result<BTreeMap<&'static str, Vec<Value>>, FixtureError> {
    let invalid = |problem: String| FixtureError::Invalid {
        path: path.to_path_buf(),
        problem,
    };
    let raw: serde_json::Map<String, Value> = serde_json::from_str(text)
        .map_err(|error| invalid(format!("records: {error}; expected an object of arrays")))?;
    let mut all = BTreeMap::new();
    for (name, records) in raw {
        let Some(resource) = catalog::resource(&name) else {
            let known: Vec<&str> = catalog::resources().iter().map(|r| r.name).collect();
            return Err(invalid(format!(
                "records: `{name}` is not a resource; the resources are {}",
                known.join(", ")
            )));
        };
        let Value::Array(records) = records else {
            return Err(invalid(format!(
                "records.{name}: expected an array of records"
            )));
        };
        let mut decoded = Vec::with_capacity(records.len());
        for (index, record) in records.into_iter().enumerate() {
            // Checked against the generated type, but served as written: re-encoding would
            // turn `100` into `100.0` where the spec says `number`.
            if let Err(error) = resource.decode(record.clone()) {
                return Err(invalid(format!(
                    "records.{name}[{index}] is not a valid `{}`: {error}",
                    resource.schema
                )));
            }
            decoded.push(record);
        }
        all.insert(resource.name, decoded);
    }
    Ok(all)
}
