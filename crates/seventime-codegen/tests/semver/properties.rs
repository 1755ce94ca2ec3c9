//! Edits of a schema's properties: added, removed, renamed, made required, optional or nullable,
//! retyped.

use serde_json::json;
use seventime_codegen::semver::Impact;

use crate::case::{Case, case, reverse};
use crate::edit::{property, rename_key, required, schema};

pub(crate) fn cases() -> Vec<Case> {
    vec![
        case(
            "optional property added",
            |s| {
                property(s, "Customer", "website")["type"] = json!("string");
            },
            Impact::Minor,
            &["minor: `types::Customer.website` optional field added"],
        ),
        case(
            "required property added",
            |s| {
                property(s, "Customer", "website")["type"] = json!("string");
                required(s, "Customer").push(json!("website"));
            },
            Impact::Major,
            &["major: `types::Customer.website` required field added"],
        ),
        case(
            "property removed",
            |s| {
                schema(s, "Customer")["properties"]
                    .as_object_mut()
                    .unwrap()
                    .remove("vatNumber");
            },
            Impact::Major,
            &["major: `types::Customer.vat_number` field removed"],
        ),
        case(
            "property renamed",
            |s| {
                rename_key(
                    &mut schema(s, "Customer")["properties"],
                    "vatNumber",
                    "vatNo",
                );
            },
            Impact::Major,
            &[
                "major: `types::Customer.vat_number` field removed",
                "minor: `types::Customer.vat_no` optional field added",
            ],
        ),
        case(
            "property made required",
            |s| {
                required(s, "Customer").push(json!("name"));
            },
            Impact::Major,
            &["major: `types::Customer.name` made required (Option<String> → String)"],
        ),
        reverse(
            "property made optional",
            |s| {
                required(s, "Customer").push(json!("name"));
            },
            Impact::Major,
            &["major: `types::Customer.name` made optional (String → Option<String>)"],
        ),
        case(
            "property type integer → string",
            |s| {
                *property(s, "Customer", "paymentDays") = json!({"type": "string"});
            },
            Impact::Major,
            &["major: `types::Customer.payment_days` type changed (Option<i64> → Option<String>)"],
        ),
        case(
            "property format int64 → int32",
            |s| {
                property(s, "Customer", "paymentDays")["format"] = json!("int32");
            },
            Impact::Major,
            &["major: `types::Customer.payment_days` type changed (Option<i64> → Option<i32>)"],
        ),
        case(
            "required property made nullable",
            |s| {
                property(s, "Customer", "_id")["nullable"] = json!(true);
            },
            Impact::Major,
            &["major: `types::Customer.id` made optional (String → Option<String>)"],
        ),
        case(
            "optional property made nullable",
            |s| {
                property(s, "Customer", "city")["nullable"] = json!(true);
            },
            Impact::Patch,
            &[],
        ),
    ]
}
