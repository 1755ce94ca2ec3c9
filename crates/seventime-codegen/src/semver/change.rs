//! One change of the surface, and the verdict on all of them: how much each breaks and what it
//! did.

use std::fmt;

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
