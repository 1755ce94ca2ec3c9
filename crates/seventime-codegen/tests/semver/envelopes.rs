//! Edits of envelopes and pagination: an envelope's properties, a replaced envelope, the
//! `x-paginated` mark.

use serde_json::json;
use seventime_codegen::semver::Impact;

use crate::case::{Case, case, reverse};
use crate::edit::{CUSTOMER, CUSTOMERS, operation, property, schema};

pub(crate) fn cases() -> Vec<Case> {
    vec![
        case(
            "envelope gains a property",
            |s| {
                property(s, "CustomerEnvelope", "meta")["$ref"] =
                    json!("#/components/schemas/PageMeta");
            },
            Impact::Minor,
            &["minor: `types::CustomerEnvelope.meta` optional field added"],
        ),
        case(
            "envelope replaced",
            |s| {
                let envelope = schema(s, "CustomerEnvelope").clone();
                s["components"]["schemas"]["CustomerRecord"] = envelope;
                operation(s, CUSTOMER)["responses"]["200"]["content"]["application/json"]["schema"]
                    ["$ref"] = json!("#/components/schemas/CustomerRecord");
            },
            Impact::Major,
            &[
                "major: `Client::get_customer` success type changed (types::CustomerEnvelope → types::CustomerRecord)",
                "minor: `types::CustomerRecord` type added",
            ],
        ),
        case(
            "pagination mark removed",
            |s| {
                operation(s, CUSTOMERS)
                    .as_object_mut()
                    .unwrap()
                    .remove("x-paginated");
            },
            Impact::Major,
            &["major: `Client::list_customers().into_paginator` no longer paginated"],
        ),
        reverse(
            "pagination mark added",
            |s| {
                operation(s, CUSTOMERS)
                    .as_object_mut()
                    .unwrap()
                    .remove("x-paginated");
            },
            Impact::Minor,
            &["minor: `Client::list_customers().into_paginator` now paginated"],
        ),
    ]
}
