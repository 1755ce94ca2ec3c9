//! Edits of operations: added, removed, renamed.

use serde_json::json;
use seventime_codegen::semver::Impact;

use crate::case::{Case, case};
use crate::edit::{CUSTOMER, DISTRIBUTOR_CONTACTS, operation};

pub(crate) fn cases() -> Vec<Case> {
    vec![
        case(
            "operation added",
            |s| {
                let copy = s["paths"][CUSTOMER].clone();
                s["paths"]["/api/2/customersCopy/{id}"] = copy;
                operation(s, "/api/2/customersCopy/{id}")["operationId"] =
                    json!("get_customer_copy");
                operation(s, "/api/2/customersCopy/{id}")
                    .as_object_mut()
                    .unwrap()
                    .remove("x-resource");
            },
            Impact::Minor,
            &[
                "minor: `Client::get_customer_copy` operation added",
                "minor: `paths::GET_CUSTOMER_COPY` constant added",
            ],
        ),
        case(
            "operation removed",
            |s| {
                s["paths"]
                    .as_object_mut()
                    .unwrap()
                    .remove(DISTRIBUTOR_CONTACTS);
            },
            Impact::Major,
            &[
                "major: `Client::list_distributor_contact_persons` operation removed",
                "major: `paths::LIST_DISTRIBUTOR_CONTACT_PERSONS` constant removed",
            ],
        ),
        case(
            "operation renamed",
            |s| {
                operation(s, CUSTOMER)["operationId"] = json!("fetch_customer");
            },
            Impact::Major,
            &[
                "major: `Client::get_customer` operation removed",
                "minor: `Client::fetch_customer` operation added",
            ],
        ),
    ]
}
