//! The field configurations the mock serves.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use seventime::{EntityType, types};

/// The built-in data: invented but realistic configurations for time log, work order, invoice,
/// project, customer and quote, with standard fields, custom fields of every custom field type,
/// Swedish and English names and properties the spec does not name.
const BUILTIN: &str = include_str!("../data/builtin.json");

/// Field configurations by entity type.
///
/// The file format is a JSON object whose keys name an entity type (its code, `"400"`, or its
/// name, `"invoice"`) and whose values are arrays of field objects as the API returns them:
///
/// ```json
/// { "400": [ { "_id": "5f0c…", "fieldName": "Er referens", "fieldType": 10100 } ] }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Fixtures {
    by_entity: BTreeMap<EntityType, types::CustomFieldList>,
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
    /// The built-in data set.
    pub fn builtin() -> Self {
        // The built-in file is part of this crate and checked by its tests.
        Self::parse(Path::new("<built-in>"), BUILTIN).expect("built-in fixtures are valid")
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

    /// Parses fixture JSON; `path` is only used in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Self, FixtureError> {
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
                .insert(entity, types::CustomFieldList { data })
                .is_some()
            {
                return Err(invalid(format!(
                    "entity type {} is given twice (key `{key}`)",
                    entity.code()
                )));
            }
        }
        Ok(Self { by_entity })
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

impl Default for Fixtures {
    fn default() -> Self {
        Self::builtin()
    }
}
