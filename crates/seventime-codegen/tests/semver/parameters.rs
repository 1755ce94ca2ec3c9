//! Edits of an operation's parameters: added, removed, renamed, made required or optional,
//! retyped.

use serde_json::json;
use seventime_codegen::semver::Impact;

use crate::case::{Case, case};
use crate::edit::{CUSTOMERS, DISTRIBUTOR_CONTACTS, parameter, parameters};

pub(crate) fn cases() -> Vec<Case> {
    vec![
        case(
            "optional parameter added",
            |s| {
                parameters(s, CUSTOMERS).push(json!({"name": "zipCode", "in": "query", "required": false, "schema": {"type": "string"}}));
            },
            Impact::Minor,
            &["minor: `Client::list_customers().zip_code` optional parameter added"],
        ),
        case(
            "required parameter added",
            |s| {
                parameters(s, CUSTOMERS).push(json!({"name": "zipCode", "in": "query", "required": true, "schema": {"type": "string"}}));
            },
            Impact::Major,
            &["major: `Client::list_customers().zip_code` required parameter added"],
        ),
        case(
            "parameter removed",
            |s| {
                parameters(s, CUSTOMERS).retain(|p| p["name"] != "city");
            },
            Impact::Major,
            &["major: `Client::list_customers().city` parameter removed"],
        ),
        case(
            "parameter renamed",
            |s| {
                parameter(s, CUSTOMERS, "city")["name"] = json!("town");
            },
            Impact::Major,
            &[
                "major: `Client::list_customers().city` parameter removed",
                "minor: `Client::list_customers().town` optional parameter added",
            ],
        ),
        case(
            "parameter made required",
            |s| {
                parameter(s, CUSTOMERS, "city")["required"] = json!(true);
            },
            Impact::Major,
            &["major: `Client::list_customers().city` parameter made required"],
        ),
        case(
            "parameter made optional",
            |s| {
                parameter(s, DISTRIBUTOR_CONTACTS, "distributor")["required"] = json!(false);
            },
            Impact::Minor,
            &[
                "minor: `Client::list_distributor_contact_persons().distributor` parameter made optional",
            ],
        ),
        case(
            "parameter type string → integer",
            |s| {
                parameter(s, CUSTOMERS, "city")["schema"] =
                    json!({"type": "integer", "format": "int64"});
            },
            Impact::Major,
            &["major: `Client::list_customers().city` parameter type changed (String → i64)"],
        ),
    ]
}
