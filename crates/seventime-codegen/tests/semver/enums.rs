//! Edits of enums: codes of named integer enums (closed and open) and values of string enums.

use serde_json::json;
use seventime_codegen::semver::Impact;

use crate::case::{Case, case};
use crate::edit::{add_code, remove_last_code, schema};

pub(crate) fn cases() -> Vec<Case> {
    vec![
        case(
            "code added to a closed enum",
            |s| add_code(s, "EntityType", "enum", 2200, "Widget"),
            Impact::Minor,
            &["minor: `EntityType::Widget` variant added to a #[non_exhaustive] enum"],
        ),
        case(
            "code removed from a closed enum",
            |s| remove_last_code(s, "EntityType", "enum"),
            Impact::Major,
            &["major: `EntityType::", "variant removed"],
        ),
        case(
            "code added to an open enum",
            |s| add_code(s, "FieldType", "x-extensible-enum", 10700, "Signature"),
            Impact::Minor,
            &["minor: `FieldType::Signature` variant added"],
        ),
        case(
            "code removed from an open enum",
            |s| remove_last_code(s, "FieldType", "x-extensible-enum"),
            Impact::Major,
            &["major: `FieldType::MultiSelectList` variant removed"],
        ),
        case(
            "value added to a string enum",
            |s| {
                schema(s, "SortDirection")["enum"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!("random"));
            },
            Impact::Minor,
            &["minor: `types::SortDirection::Random` variant added"],
        ),
        case(
            "value removed from a string enum",
            |s| {
                schema(s, "SortDirection")["enum"]
                    .as_array_mut()
                    .unwrap()
                    .pop();
            },
            Impact::Major,
            &["major: `types::SortDirection::Descending` variant removed"],
        ),
    ]
}
