//! The version bump a verdict needs, in Cargo's reading of versions.

use std::fmt;

use super::change::Impact;

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
