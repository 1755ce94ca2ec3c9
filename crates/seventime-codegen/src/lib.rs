//! Generation of the Seven Time client from `openapi/seventime.yaml`.
//!
//! This crate is the one place that knows how the spec becomes Rust: it loads and validates the
//! spec, generates named enums for its integer enums, runs progenitor with the project's
//! settings, formats the output and summarizes the generated surface. The client crate's
//! `build.rs`, `cargo xtask regen` and the snapshot tests all call it, so none of them repeats a
//! setting.
//!
//! ```no_run
//! let spec = seventime_codegen::Spec::load(seventime_codegen::spec_path())?;
//! let generated = seventime_codegen::Generated::from_spec(&spec)?;
//! println!("{}", seventime_codegen::surface_summary(&spec, &generated));
//! # Ok::<(), seventime_codegen::SpecError>(())
//! ```

pub mod build_script;
mod catalog;
mod enums;
mod error;
mod generate;
mod pagination;
mod resources;
mod spec;
mod surface;

use std::path::PathBuf;

pub use enums::{EnumVariant, NamedEnum};
pub use error::SpecError;
pub use generate::{CLIENT_CRATE, Generated};
pub use resources::{Operation, Paginated, Parameter, ParameterKind, Requirement, Resource};
pub use spec::Spec;
pub use surface::surface_summary;

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .and_then(|crates| crates.parent())
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

/// The workspace's spec, `openapi/seventime.yaml`.
pub fn spec_path() -> PathBuf {
    workspace_root().join("openapi").join("seventime.yaml")
}
