//! What a spec edit does to the crate's users: two [`Surface`]s compared under Rust's semver
//! rules, as the Cargo book's "SemVer Compatibility" chapter states them, applied to the
//! generated code rather than to the wire.
//!
//! The rules, by what changed in the generated code:
//!
//! | change | impact | why |
//! |---|---|---|
//! | operation, type, field, variant, parameter or constant removed (or renamed) | major | code naming it no longer compiles |
//! | a Rust type changed (field, parameter, success or error type, tuple field) | major | code using the old type no longer compiles |
//! | required parameter added, or a parameter made required | major | a call that compiled now fails at `send()` |
//! | required field added to a `#[non_exhaustive]` struct | major | its builder without the field fails, and data without it no longer decodes |
//! | any field added to a struct without `#[non_exhaustive]` | major | struct literals no longer compile |
//! | variant added to an enum without `#[non_exhaustive]` | major | exhaustive matches no longer compile |
//! | `#[non_exhaustive]` added | major | struct literals, or matches without a wildcard, no longer compile |
//! | `into_paginator()` removed | major | code calling it no longer compiles |
//! | operation, type, optional parameter or constant added | minor | new API, nothing breaks |
//! | optional field added to a `#[non_exhaustive]` struct | minor | callers cannot have listed every field |
//! | variant added to a `#[non_exhaustive]` enum | minor | matches already have a wildcard arm |
//! | a parameter made optional, `#[non_exhaustive]` removed, `into_paginator()` added | minor | everything that compiled still does |
//! | wire-only change (path, wire name, a constant's value, an enum code) | patch | no Rust signature changes |
//! | no change to the surface (descriptions, examples, …) | patch | |
//!
//! Every generated struct with named fields and every generated enum is `#[non_exhaustive]`
//! (see `generate.rs`), so that adding an optional property or an enum value to the spec stays
//! a minor change in Rust.

mod bump;
mod change;
mod operation_changes;
mod pairs;
mod type_changes;

pub use bump::Bump;
pub use change::{Change, Impact, Kind, Verdict};

use operation_changes::compare_operation;
use pairs::{pair, presence};
use type_changes::compare_type;

use crate::surface::Surface;
use crate::{Generated, Spec, SpecError};

/// The verdict on the edit from spec `old` to spec `new`: both generated in memory.
pub fn verdict(old: &Spec, new: &Spec) -> Result<Verdict, SpecError> {
    let old = Surface::from_client(old, &Generated::client_only(old)?)?;
    let new = Surface::from_client(new, &Generated::client_only(new)?)?;
    Ok(compare(&old, &new))
}

/// Compares the surface before an edit with the surface after it.
pub fn compare(old: &Surface, new: &Surface) -> Verdict {
    let mut changes = Vec::new();
    let mut push = |impact, kind, item: String, reason: String| {
        changes.push(Change {
            impact,
            kind,
            item,
            reason,
        });
    };

    for (name, sides) in pair(&old.operations, &new.operations) {
        let item = format!("Client::{name}");
        if let Some((old, new)) = presence(&mut push, item.clone(), sides, "operation") {
            compare_operation(&item, old, new, &mut push);
        }
    }
    for (path, sides) in pair(&old.types, &new.types) {
        if let Some((old, new)) = presence(&mut push, path.clone(), sides, "type") {
            compare_type(path, old, new, &mut push);
        }
    }
    for (path, sides) in pair(&old.constants, &new.constants) {
        let Some((old, new)) = presence(&mut push, path.clone(), sides, "constant") else {
            continue;
        };
        if old == new {
            continue;
        }
        let (old_ty, _) = old.split_once(" = ").unwrap_or((old, ""));
        let (new_ty, _) = new.split_once(" = ").unwrap_or((new, ""));
        if old_ty == new_ty {
            push(
                Impact::Patch,
                Kind::Changed,
                path.clone(),
                format!("value changed ({old} → {new}); its type is the same"),
            );
        } else {
            push(
                Impact::Major,
                Kind::Changed,
                path.clone(),
                format!("type changed ({old_ty} → {new_ty})"),
            );
        }
    }

    Verdict::from_changes(changes)
}
