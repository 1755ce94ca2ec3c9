//! Edits that do not reach Rust: descriptions, examples, summaries, the server URL, paths, wire
//! names and enum codes.

use serde_json::json;
use seventime_codegen::semver::Impact;

use crate::case::{Case, case};
use crate::edit::{CUSTOMER, CUSTOMERS, operation, property, rename_key, schema};

pub(crate) fn cases() -> Vec<Case> {
    vec![
        case(
            "description only",
            |s| {
                property(s, "Customer", "name")["description"] =
                    json!("The customer's name, as invoiced.");
                operation(s, CUSTOMERS)["description"] = json!("Lists customers.");
            },
            Impact::Patch,
            &[],
        ),
        case(
            "example only",
            |s| {
                let examples = &mut operation(s, CUSTOMER)["responses"]["200"]["content"]["application/json"]
                    ["examples"];
                let first = examples
                    .as_object_mut()
                    .unwrap()
                    .values_mut()
                    .next()
                    .unwrap();
                first["value"]["data"]["name"] = json!("Another name AB");
            },
            Impact::Patch,
            &[],
        ),
        case(
            "summary and tag only",
            |s| {
                operation(s, CUSTOMERS)["summary"] = json!("All customers.");
            },
            Impact::Patch,
            &[],
        ),
        case(
            "server URL",
            |s| {
                s["servers"][0]["url"] = json!("https://api.seventime.se");
            },
            Impact::Patch,
            &["patch: `DEFAULT_BASE_URL` value changed"],
        ),
        case(
            "path renamed, operation kept",
            |s| {
                let paths = &mut s["paths"];
                rename_key(paths, CUSTOMER, "/api/2/clients/{id}");
            },
            Impact::Patch,
            &[
                "patch: `Client::get_customer` request changed on the wire",
                "patch: `paths::GET_CUSTOMER` value changed",
            ],
        ),
        case(
            "property wire name changed, Rust name kept",
            |s| {
                rename_key(
                    &mut schema(s, "Customer")["properties"],
                    "zipCode",
                    "zip_code",
                );
            },
            Impact::Patch,
            &["patch: `types::Customer.zip_code` wire name changed (\"zipCode\" → \"zip_code\")"],
        ),
        case(
            "code of a named enum variant",
            |s| {
                let codes = schema(s, "EntityType")["enum"].as_array_mut().unwrap();
                *codes.last_mut().unwrap() = json!(2150);
            },
            Impact::Patch,
            &[
                "patch: `EntityType::",
                "value on the wire changed (2100 → 2150)",
            ],
        ),
    ]
}
