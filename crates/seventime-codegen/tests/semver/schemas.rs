//! Edits of the schemas themselves: added, renamed.

use serde_json::json;
use seventime_codegen::semver::Impact;

use crate::case::{Case, case};
use crate::edit::rename_key;

pub(crate) fn cases() -> Vec<Case> {
    vec![
        case(
            "schema added",
            |s| {
                s["components"]["schemas"]["Widget"] = json!({"type": "object", "properties": {"name": {"type": "string"}}, "additionalProperties": {}});
            },
            Impact::Minor,
            &["minor: `types::Widget` type added"],
        ),
        case(
            "schema renamed",
            |s| {
                let text = serde_json::to_string(s).unwrap().replace(
                    "#/components/schemas/Documents\"",
                    "#/components/schemas/Attachments\"",
                );
                *s = serde_json::from_str(&text).unwrap();
                rename_key(&mut s["components"]["schemas"], "Documents", "Attachments");
            },
            Impact::Major,
            &[
                "major: `types::Documents` type removed",
                "minor: `types::Attachments` type added",
                "major: `types::Customer.documents` type changed (Option<types::Documents> → Option<types::Attachments>)",
            ],
        ),
    ]
}
