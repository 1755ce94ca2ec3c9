//! What changed in one type: a struct's fields, a tuple struct's fields, an enum's variants,
//! `#[non_exhaustive]`, or the kind of type itself.

use super::change::{Impact, Kind};
use super::pairs::{Push, pair};
use crate::surface::{FLATTENED, Field, Type};

pub(super) fn compare_type(path: &str, old: &Type, new: &Type, push: &mut Push<'_>) {
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
