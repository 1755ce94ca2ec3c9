//! One row of the table: a spec edit, its direction, and the verdict it must get.

use serde_json::Value;
use seventime_codegen::semver::Impact;

/// One spec edit and what it must do to the crate's users.
pub(crate) struct Case {
    pub(crate) name: &'static str,
    pub(crate) edit: fn(&mut Value),
    /// Apply `edit` to the old spec and compare it with the unedited one.
    pub(crate) reverse: bool,
    pub(crate) impact: Impact,
    /// Each must appear in one change line (`impact: `item` reason`); none when empty means
    /// "no change at all".
    pub(crate) reasons: &'static [&'static str],
}

pub(crate) const fn case(
    name: &'static str,
    edit: fn(&mut Value),
    impact: Impact,
    reasons: &'static [&'static str],
) -> Case {
    Case {
        name,
        edit,
        reverse: false,
        impact,
        reasons,
    }
}

pub(crate) const fn reverse(
    name: &'static str,
    edit: fn(&mut Value),
    impact: Impact,
    reasons: &'static [&'static str],
) -> Case {
    Case {
        name,
        edit,
        reverse: true,
        impact,
        reasons,
    }
}
