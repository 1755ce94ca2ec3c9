//! The one error type of spec loading and generation.
//!
//! A build script's failure is read by a person who just edited the spec, so every error says
//! which file, where in it, what is wrong and what to do — never a bare generator assertion.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem with the OpenAPI spec, or a failure to generate code from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    file: PathBuf,
    location: Option<String>,
    problem: String,
    help: String,
}

impl SpecError {
    pub(crate) fn new(
        file: &Path,
        location: Option<String>,
        problem: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Self {
            file: file.to_path_buf(),
            location,
            problem: problem.into(),
            help: help.into(),
        }
    }

    /// The spec file the error is about.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Where in the spec the problem is, as a dotted path such as
    /// `paths./api/2/customFields/.get` or `components.schemas.EntityType`, or a
    /// `line L column C` position for YAML syntax errors. `None` when it concerns the whole file.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// What is wrong.
    pub fn problem(&self) -> &str {
        &self.problem
    }

    /// What to do about it.
    pub fn help(&self) -> &str {
        &self.help
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(location) = &self.location {
            write!(f, ": {location}")?;
        }
        write!(f, ": {}\n  help: {}", self.problem, self.help)
    }
}

impl std::error::Error for SpecError {}
