//! Walking two maps side by side: each key with its value before and after, and what is on one
//! side only recorded as added or removed.

use std::collections::BTreeMap;

use super::change::{Impact, Kind};

pub(super) type Push<'a> = dyn FnMut(Impact, Kind, String, String) + 'a;

/// Records `item` (a `what`: operation, type, constant) as added or removed when it is on one
/// side only, and returns both sides when it is on both.
pub(super) fn presence<'a, V>(
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

/// A key's value before and after.
type Sides<'a, V> = (Option<&'a V>, Option<&'a V>);

/// The keys of both maps, each with its value on either side.
pub(super) fn pair<'a, V>(
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
