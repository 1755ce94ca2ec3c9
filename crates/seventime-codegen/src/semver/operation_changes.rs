//! What changed in one operation: its route, builder, parameters, success and error types, and
//! pagination.

use super::change::{Impact, Kind};
use super::pairs::{Push, pair};
use crate::surface::{Operation, Param};

pub(super) fn compare_operation(item: &str, old: &Operation, new: &Operation, push: &mut Push<'_>) {
    if old.route != new.route {
        push(
            Impact::Patch,
            Kind::Changed,
            item.to_string(),
            format!(
                "request changed on the wire ({} → {}); the Rust call is the same",
                old.route, new.route
            ),
        );
    }
    if old.builder != new.builder {
        push(
            Impact::Major,
            Kind::Changed,
            item.to_string(),
            format!(
                "returns another builder ({} → {})",
                old.builder, new.builder
            ),
        );
    }
    for (name, change) in pair(&old.params, &new.params) {
        let item = format!("{item}().{name}");
        match change {
            (Some(_), None) => push(
                Impact::Major,
                Kind::Removed,
                item,
                "parameter removed: calls setting it no longer compile".into(),
            ),
            (None, Some(Param { required: true, .. })) => push(
                Impact::Major,
                Kind::Added,
                item,
                "required parameter added: a call that compiled without it now fails at `send()`"
                    .into(),
            ),
            (None, Some(_)) => push(
                Impact::Minor,
                Kind::Added,
                item,
                "optional parameter added".into(),
            ),
            (Some(old), Some(new)) => {
                if old.rust_type != new.rust_type {
                    push(
                        Impact::Major,
                        Kind::Changed,
                        item.clone(),
                        format!(
                            "parameter type changed ({} → {}): calls passing the old type no longer compile",
                            old.rust_type, new.rust_type
                        ),
                    );
                }
                match (old.required, new.required) {
                    (false, true) => push(Impact::Major, Kind::Changed, item.clone(), "parameter made required: a call that compiled without it now fails at `send()`".into()),
                    (true, false) => push(Impact::Minor, Kind::Changed, item.clone(), "parameter made optional: every call that worked still does".into()),
                    _ => {}
                }
                if old.wire != new.wire {
                    push(
                        Impact::Patch,
                        Kind::Changed,
                        item,
                        format!(
                            "sent differently on the wire ({} → {}); the Rust call is the same",
                            old.wire, new.wire
                        ),
                    );
                }
            }
            (None, None) => {}
        }
    }
    if old.ok != new.ok {
        push(
            Impact::Major,
            Kind::Changed,
            item.to_string(),
            format!(
                "success type changed ({} → {}): code using the response no longer compiles",
                old.ok, new.ok
            ),
        );
    }
    if old.err != new.err {
        push(
            Impact::Major,
            Kind::Changed,
            item.to_string(),
            format!("error body type changed ({} → {})", old.err, new.err),
        );
    }
    match (&old.paginated, &new.paginated) {
        (Some(_), None) => push(
            Impact::Major,
            Kind::Removed,
            format!("{item}().into_paginator"),
            "no longer paginated: calls to `into_paginator()` no longer compile".into(),
        ),
        (None, Some(_)) => push(
            Impact::Minor,
            Kind::Added,
            format!("{item}().into_paginator"),
            "now paginated: `into_paginator()` added".into(),
        ),
        (Some(a), Some(b)) if a != b => push(
            Impact::Major,
            Kind::Changed,
            format!("{item}().into_paginator"),
            format!("streams another item type ({a} → {b})"),
        ),
        _ => {}
    }
}
