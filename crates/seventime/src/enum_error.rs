//! The error of the generated enums' `FromStr`.

use std::fmt;

/// Text that names no variant of a generated enum (see [`crate::EntityType`]'s `FromStr`).
///
/// Its message lists the valid names, so it can be shown to a person as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseEnumError {
    kind: &'static str,
    input: String,
    valid: &'static str,
}

impl ParseEnumError {
    /// Called by generated code: `kind` is the enum in words ("entity type"), `valid` the
    /// comma-separated valid names.
    pub(crate) fn new(kind: &'static str, input: &str, valid: &'static str) -> Self {
        Self {
            kind,
            input: input.to_string(),
            valid,
        }
    }

    /// The text that failed to parse.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// The valid names, comma-separated, in kebab case.
    pub fn valid_names(&self) -> &'static str {
        self.valid
    }
}

impl fmt::Display for ParseEnumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a known {}; use a documented code or one of: {}",
            self.input, self.kind, self.valid
        )
    }
}

impl std::error::Error for ParseEnumError {}
