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

use std::collections::BTreeMap;
use std::fmt;

use crate::surface::{FLATTENED, Field, Operation, Param, Surface, Type};
use crate::{Generated, Spec, SpecError};

/// The verdict on the edit from spec `old` to spec `new`: both generated in memory.
pub fn verdict(old: &Spec, new: &Spec) -> Result<Verdict, SpecError> {
    let old = Surface::from_client(old, &Generated::client_only(old)?)?;
    let new = Surface::from_client(new, &Generated::client_only(new)?)?;
    Ok(compare(&old, &new))
}

/// How much a change breaks, in Cargo's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Impact {
    /// No change callers can see in Rust.
    Patch,
    /// Additions: everything that compiled still compiles and behaves the same.
    Minor,
    /// Code that compiled no longer does, or a call that worked now fails.
    Major,
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Patch => "patch",
            Self::Minor => "minor",
            Self::Major => "major",
        })
    }
}

/// What a change did, for the changelog's sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Something new.
    Added,
    /// Something different.
    Changed,
    /// Something gone.
    Removed,
}

/// One change of the surface.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// How much it breaks.
    pub impact: Impact,
    /// What it did.
    pub kind: Kind,
    /// The item, as callers name it (`types::Customer.name`, `Client::list_customers`).
    pub item: String,
    /// What changed and why that has its impact.
    pub reason: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: `{}` {}", self.impact, self.item, self.reason)
    }
}

/// The verdict on a change of the surface: the largest impact and every change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The largest impact of any change (patch when nothing changed).
    pub impact: Impact,
    /// The changes, most breaking first.
    pub changes: Vec<Change>,
}

impl Verdict {
    /// The verdict on `changes`: their largest impact (patch when there are none), and the
    /// changes sorted most breaking first.
    pub fn from_changes(mut changes: Vec<Change>) -> Self {
        changes.sort_by(|a, b| {
            b.impact
                .cmp(&a.impact)
                .then_with(|| a.item.cmp(&b.item))
                .then_with(|| a.reason.cmp(&b.reason))
        });
        let impact = changes
            .iter()
            .map(|c| c.impact)
            .max()
            .unwrap_or(Impact::Patch);
        Self { impact, changes }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "API impact: {}", self.impact)?;
        if self.changes.is_empty() {
            writeln!(
                f,
                "  - no change to the generated API (descriptions, examples and other facts that do not reach Rust)"
            )?;
        }
        for change in &self.changes {
            writeln!(f, "  - {change}")?;
        }
        Ok(())
    }
}

/// The version bump a verdict needs from `from`, as Cargo reads versions: before 1.0 the minor
/// digit is the breaking one and the patch digit takes additions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// No bump is needed.
    None,
    /// The patch digit.
    Patch,
    /// The minor digit.
    Minor,
    /// The major digit.
    Major,
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::None => "none",
            Self::Patch => "patch",
            Self::Minor => "minor",
            Self::Major => "major",
        })
    }
}

impl Bump {
    /// The smallest bump of a version `major.minor.patch` that Cargo treats as allowed for
    /// `impact`.
    pub fn needed(impact: Impact, major: u64) -> Self {
        match (impact, major) {
            (Impact::Patch, _) => Self::None,
            (Impact::Minor, 0) => Self::Patch,
            (Impact::Minor, _) => Self::Minor,
            (Impact::Major, 0) => Self::Minor,
            (Impact::Major, _) => Self::Major,
        }
    }

    /// The bump from version `old` to `new` (each `[major, minor, patch]`).
    pub fn between(old: [u64; 3], new: [u64; 3]) -> Self {
        if new[0] > old[0] {
            Self::Major
        } else if new[0] == old[0] && new[1] > old[1] {
            Self::Minor
        } else if new[..2] == old[..2] && new[2] > old[2] {
            Self::Patch
        } else {
            Self::None
        }
    }
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

type Push<'a> = dyn FnMut(Impact, Kind, String, String) + 'a;

/// Records `item` (a `what`: operation, type, constant) as added or removed when it is on one
/// side only, and returns both sides when it is on both.
fn presence<'a, V>(
    push: &mut Push<'_>,
    item: String,
    sides: Sides<'a, V>,
    what: &str,
) -> Option<(&'a V, &'a V)> {
    match sides {
        (Some(old), Some(new)) => Some((old, new)),
        (Some(_), None) => {
            push(
                Impact::Major,
                Kind::Removed,
                item,
                format!("{what} removed: code naming it no longer compiles"),
            );
            None
        }
        (None, Some(_)) => {
            push(Impact::Minor, Kind::Added, item, format!("{what} added"));
            None
        }
        (None, None) => None,
    }
}

fn compare_operation(item: &str, old: &Operation, new: &Operation, push: &mut Push<'_>) {
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

fn compare_type(path: &str, old: &Type, new: &Type, push: &mut Push<'_>) {
    match (old, new) {
        (
            Type::Struct {
                fields: old_fields,
                non_exhaustive: old_ne,
            },
            Type::Struct {
                fields: new_fields,
                non_exhaustive: new_ne,
            },
        ) => {
            match (old_ne, new_ne) {
                (false, true) => push(
                    Impact::Major,
                    Kind::Changed,
                    path.to_string(),
                    "made #[non_exhaustive]: struct literals no longer compile".into(),
                ),
                (true, false) => push(
                    Impact::Minor,
                    Kind::Changed,
                    path.to_string(),
                    "no longer #[non_exhaustive]: struct literals become possible".into(),
                ),
                _ => {}
            }
            for (name, change) in pair(old_fields, new_fields) {
                let item = format!("{path}.{name}");
                match change {
                    (Some(_), None) => push(Impact::Major, Kind::Removed, item, "field removed: code reading or setting it no longer compiles".into()),
                    (None, Some(Field { required: true, wire, .. })) if *new_ne && wire == FLATTENED => push(Impact::Major, Kind::Added, item, "field for undeclared properties added (`additionalProperties`): decoding is unaffected, but its builder now fails without it".into()),
                    (None, Some(Field { required: true, .. })) if *new_ne => push(Impact::Major, Kind::Added, item, "required field added: its builder fails without it, and data without it no longer decodes".into()),
                    (None, Some(_)) if !*new_ne => push(Impact::Major, Kind::Added, item, "field added to a struct without #[non_exhaustive]: struct literals no longer compile".into()),
                    (None, Some(_)) => push(Impact::Minor, Kind::Added, item, "optional field added to a #[non_exhaustive] struct".into()),
                    (Some(old), Some(new)) => {
                        if old.rust_type != new.rust_type {
                            let why = match (old.required, new.required) {
                                (true, false) => "made optional",
                                (false, true) => "made required",
                                _ => "type changed",
                            };
                            push(Impact::Major, Kind::Changed, item.clone(), format!("{why} ({} → {}): code using the old type no longer compiles", old.rust_type, new.rust_type));
                        }
                        if old.wire != new.wire {
                            push(Impact::Patch, Kind::Changed, item, format!("wire name changed (\"{}\" → \"{}\"); the Rust field is the same", old.wire, new.wire));
                        }
                    }
                    (None, None) => {}
                }
            }
        }
        (Type::Tuple { fields: old_fields }, Type::Tuple { fields: new_fields }) => {
            if old_fields != new_fields {
                push(
                    Impact::Major,
                    Kind::Changed,
                    path.to_string(),
                    format!(
                        "fields changed (({}) → ({}))",
                        old_fields.join(", "),
                        new_fields.join(", ")
                    ),
                );
            }
        }
        (
            Type::Enum {
                variants: old_variants,
                non_exhaustive: old_ne,
            },
            Type::Enum {
                variants: new_variants,
                non_exhaustive: new_ne,
            },
        ) => {
            match (old_ne, new_ne) {
                (false, true) => push(
                    Impact::Major,
                    Kind::Changed,
                    path.to_string(),
                    "made #[non_exhaustive]: matches without a wildcard arm no longer compile"
                        .into(),
                ),
                (true, false) => push(
                    Impact::Minor,
                    Kind::Changed,
                    path.to_string(),
                    "no longer #[non_exhaustive]".into(),
                ),
                _ => {}
            }
            for (name, change) in pair(old_variants, new_variants) {
                let item = format!("{path}::{name}");
                match change {
                    (Some(_), None) => push(Impact::Major, Kind::Removed, item, "variant removed: code naming it no longer compiles".into()),
                    (None, Some(_)) if *new_ne => push(Impact::Minor, Kind::Added, item, "variant added to a #[non_exhaustive] enum: matches already have a wildcard arm".into()),
                    (None, Some(_)) => push(Impact::Major, Kind::Added, item, "variant added to an exhaustive enum: matches without a wildcard arm no longer compile".into()),
                    (Some(old), Some(new)) => {
                        if old.fields != new.fields {
                            push(Impact::Major, Kind::Changed, item.clone(), format!("fields changed ({} → {})", or_unit(&old.fields), or_unit(&new.fields)));
                        }
                        if old.wire != new.wire {
                            push(Impact::Patch, Kind::Changed, item, format!("value on the wire changed ({} → {}); the Rust variant is the same", or_none(&old.wire), or_none(&new.wire)));
                        }
                    }
                    (None, None) => {}
                }
            }
        }
        _ => push(
            Impact::Major,
            Kind::Changed,
            path.to_string(),
            format!(
                "kind changed ({} → {}): code using it no longer compiles",
                kind(old),
                kind(new)
            ),
        ),
    }
}

fn or_unit(fields: &str) -> &str {
    if fields.is_empty() { "unit" } else { fields }
}

fn or_none(wire: &str) -> &str {
    if wire.is_empty() { "none" } else { wire }
}

fn kind(ty: &Type) -> &'static str {
    match ty {
        Type::Struct { .. } => "struct",
        Type::Tuple { .. } => "tuple struct",
        Type::Enum { .. } => "enum",
    }
}

/// A key's value before and after.
type Sides<'a, V> = (Option<&'a V>, Option<&'a V>);

/// The keys of both maps, each with its value on either side.
fn pair<'a, V>(
    old: &'a BTreeMap<String, V>,
    new: &'a BTreeMap<String, V>,
) -> Vec<(&'a String, Sides<'a, V>)> {
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .map(|key| (key, (old.get(key), new.get(key))))
        .collect()
}
