//! Loading the spec and checking it before progenitor sees it.
//!
//! progenitor reports many spec mistakes with an `assert!` or an `unwrap()` deep inside its
//! generator. Everything it is known to trip on is checked here first, on the raw document, where
//! the place of the mistake is still known and can be named in the message.

mod checks;
mod for_generation;
mod service;

use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde_json::Value;

use checks::{check_operations, check_refs, check_version};
use for_generation::for_generation;
use service::{api_key_header, default_base_url, success_status};

use crate::SpecError;
use crate::document::operations;
use crate::enums::{self, NamedEnum};
use crate::resources::{self, Paginated, Resource};

/// A loaded, validated OpenAPI spec.
#[derive(Debug, Clone)]
pub struct Spec {
    path: PathBuf,
    display_name: String,
    openapi: OpenAPI,
    document: Value,
    named_enums: Vec<NamedEnum>,
    api_key_header: String,
    default_base_url: String,
    success_status: u16,
    resources: Vec<Resource>,
    paginated: Vec<Paginated>,
    hand_written: Vec<(String, String)>,
}

impl Spec {
    /// Reads and validates the spec at `path`.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, SpecError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|error| {
            SpecError::new(
                path,
                None,
                format!("cannot read the spec: {error}"),
                "check the path; the spec lives at openapi/seventime.yaml in the workspace",
            )
        })?;
        Self::parse(path, &text)
    }

    /// Parses and validates spec text. `path` is used in messages and in the generated header.
    pub fn parse(path: impl AsRef<Path>, text: &str) -> Result<Self, SpecError> {
        let path = path.as_ref();
        let raw = parse_yaml(path, text)?;
        if !raw.is_object() {
            return Err(SpecError::new(
                path,
                None,
                "the document is not a mapping",
                "an OpenAPI document starts with `openapi: 3.0.3`, `info:` and `paths:` at the top level",
            ));
        }
        check_version(path, &raw)?;
        check_refs(path, &raw, &raw, "")?;
        check_operations(path, &raw)?;
        let named_enums = enums::collect(path, &raw)?;
        let api_key_header = api_key_header(path, &raw)?;
        let default_base_url = default_base_url(path, &raw)?;
        let success_status = success_status(path, &raw)?;
        let facts = resources::collect(path, &raw, &named_enums)?;

        let openapi: OpenAPI = serde_json::from_value(for_generation(&raw)).map_err(|error| {
            SpecError::new(
                path,
                None,
                format!("the document is not a valid OpenAPI 3.0 description: {error}"),
                "compare the named object with the OpenAPI 3.0.3 specification",
            )
        })?;

        Ok(Self {
            path: path.to_path_buf(),
            display_name: display_name(path),
            openapi,
            document: raw,
            named_enums,
            api_key_header,
            default_base_url,
            success_status,
            resources: facts.resources,
            paginated: facts.paginated,
            hand_written: facts.hand_written,
        })
    }

    /// The file the spec was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The spec's path relative to the workspace root when it lies inside it (stable across
    /// machines, so it can appear in generated files), otherwise its file name.
    pub fn display_name(&self) -> &str {
        &self.display_name
    }

    /// How many operations the spec describes (each method of each path).
    pub fn operation_count(&self) -> usize {
        operations(&self.document).count()
    }

    /// The parsed OpenAPI document.
    pub fn openapi(&self) -> &OpenAPI {
        &self.openapi
    }

    /// The document as JSON, extensions and examples included — for tools that read the spec's
    /// schemas directly (the contract tests validate responses against them).
    pub fn document(&self) -> &Value {
        &self.document
    }

    /// The integer enums that get a named Rust enum (`x-enum-varnames`), in spec order.
    pub fn named_enums(&self) -> &[NamedEnum] {
        &self.named_enums
    }

    /// The header that carries the API key: the `name` of the `apiKey` security scheme.
    pub fn api_key_header(&self) -> &str {
        &self.api_key_header
    }

    /// The production base URL: the first entry of `servers`.
    pub fn default_base_url(&self) -> &str {
        &self.default_base_url
    }

    /// The path of the operation `operation_id`, as the spec writes it (with `{parameter}`
    /// placeholders).
    pub fn operation_path(&self, operation_id: &str) -> Option<&str> {
        operations(&self.document).find_map(|(route, _, operation)| {
            (operation.get("operationId")?.as_str()? == operation_id).then_some(route.as_str())
        })
    }

    /// The one success status every operation documents (200).
    pub fn success_status(&self) -> u16 {
        self.success_status
    }

    /// The resources (`x-resource`), by the path of their list.
    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    /// The paginated lists (`x-paginated`), by path.
    pub fn paginated(&self) -> &[Paginated] {
        &self.paginated
    }

    /// `(schema, hand-written type)` for every schema marked `x-seventime-type`.
    pub fn hand_written_types(&self) -> &[(String, String)] {
        &self.hand_written
    }

    pub(crate) fn error(
        &self,
        location: Option<String>,
        problem: impl Into<String>,
        help: impl Into<String>,
    ) -> SpecError {
        SpecError::new(&self.path, location, problem, help)
    }
}

fn parse_yaml(path: &Path, text: &str) -> Result<Value, SpecError> {
    // The message goes on one line of a build failure; the position is reported separately, so
    // the parser's multi-line source snippet is turned off.
    let mut options = serde_saphyr::Options::default();
    options.with_snippet = false;
    serde_saphyr::from_str_with_options(text, options).map_err(|error| {
        let position = error.location().map(|at| (at.line(), at.column()));
        let location = position.map(|(line, column)| format!("line {line} column {column}"));
        let message = error.to_string();
        let mut message = message.trim_start_matches("error: ");
        if let Some((line, column)) = position {
            message = message
                .trim_start_matches(&format!("line {line} column {column}: "))
                .trim_end_matches(&format!(" at line {line}, column {column}"));
        }
        SpecError::new(
            path,
            location,
            format!("the file is not valid YAML: {}", message.trim()),
            "fix the YAML syntax at that position (indentation, quoting, a missing `:` or bracket)",
        )
    })
}

fn display_name(path: &Path) -> String {
    let absolute = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let workspace = crate::workspace_root()
        .ok()
        .and_then(|root| root.canonicalize().ok())
        .unwrap_or_default();
    match absolute.strip_prefix(&workspace) {
        Ok(relative) => relative.to_string_lossy().replace('\\', "/"),
        Err(_) => path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
    }
}
