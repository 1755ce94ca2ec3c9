//! Generation of the Seven Time client from `openapi/seventime.yaml`.
//!
//! This crate is the one place that knows how the spec becomes Rust: it loads and validates the
//! spec, generates named enums for its integer enums, runs progenitor with the project's
//! settings, formats the output and summarizes the generated surface. The client crate's
//! `build.rs`, `cargo xtask regen` and the snapshot tests all call it, so none of them repeats a
//! setting.
//!
//! ```no_run
//! let spec = seventime_codegen::Spec::load(seventime_codegen::spec_path()?)?;
//! let generated = seventime_codegen::Generated::from_spec(&spec)?;
//! println!("{}", seventime_codegen::surface_summary(&spec, &generated));
//! # Ok::<(), seventime_codegen::SpecError>(())
//! ```

pub mod build_script;
mod catalog;
mod document;
mod enums;
mod error;
mod generate;
mod pagination;
pub mod public_api;
mod resources;
mod rust_text;
pub mod semver;
mod spec;
pub mod surface;

use std::path::PathBuf;

pub use enums::{EnumVariant, NamedEnum};
pub use error::SpecError;
pub use generate::Generated;
pub use resources::{
    Field, FieldKind, Operation, Paginated, Parameter, ParameterKind, Requirement, Resource,
};
pub use spec::Spec;
pub use surface::{Surface, surface_summary};

/// Name under which generated code refers to the client crate. The client crate declares
/// `extern crate self as seventime;` so the same path works inside it and in downstream crates
/// (the httpmock helpers, the CLI).
pub const CLIENT_CRATE: &str = "seventime";

/// The workspace spec, relative to the workspace root.
pub const SPEC_IN_WORKSPACE: &str = "openapi/seventime.yaml";

/// The copy of the spec packaged inside the `seventime` crate, relative to that crate: a
/// published crate cannot read the workspace. `cargo xtask regen` writes it.
pub const SPEC_IN_CLIENT_CRATE: &str = "openapi/seventime.yaml";

/// The workspace root, found at run time: the nearest directory, from the package cargo is
/// running (`CARGO_MANIFEST_DIR`, set by `cargo run`, `cargo test` and for build scripts) or else
/// from the current directory, that holds both a `Cargo.toml` and the spec.
///
/// Found at run time rather than compiled in, so that a binary built from one checkout (an
/// `xtask` in a shared `CARGO_TARGET_DIR`) never works on another checkout's spec.
pub fn workspace_root() -> Result<PathBuf, SpecError> {
    let start = match std::env::var_os("CARGO_MANIFEST_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => std::env::current_dir().map_err(|error| {
            SpecError::new(
                std::path::Path::new(SPEC_IN_WORKSPACE),
                None,
                format!("cannot read the current directory: {error}"),
                "run this from inside the seventime-rs workspace",
            )
        })?,
    };
    start
        .ancestors()
        .find(|dir| dir.join("Cargo.toml").is_file() && dir.join(SPEC_IN_WORKSPACE).is_file())
        .map(PathBuf::from)
        .ok_or_else(|| {
            SpecError::new(
                &start.join(SPEC_IN_WORKSPACE),
                None,
                format!(
                    "no directory from {} upwards holds Cargo.toml and {SPEC_IN_WORKSPACE}",
                    start.display()
                ),
                "run this from inside the seventime-rs workspace (or through `cargo xtask`)",
            )
        })
}

/// The workspace's spec, `openapi/seventime.yaml` under [`workspace_root`].
pub fn spec_path() -> Result<PathBuf, SpecError> {
    Ok(workspace_root()?.join(SPEC_IN_WORKSPACE))
}
