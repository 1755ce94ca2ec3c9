//! The public API of a crate, read from its source: one line per item a user can name, for a
//! snapshot test that makes every change to it visible in review.
//!
//! rustdoc's JSON output (and `cargo public-api`, built on it) needs a nightly toolchain; this
//! reads the sources with `syn` instead. It follows what users can reach — `pub` items of
//! `pub mod`s and `pub use` re-exports, resolved through private modules — and skips
//! `#[doc(hidden)]` and `#[cfg(test)]` items. Hand-written items are listed with their
//! signatures, fields, variants, methods and trait impls. Modules generated from the spec are
//! listed by item name only: their members are pinned by the surface snapshot
//! ([`crate::surface_summary`]).

mod attrs;
mod impls;
mod listing;
mod signatures;
mod tree;

use std::path::{Path, PathBuf};

use impls::Impls;
use listing::list;
use tree::{module, read};

/// The public items of the crate whose root is `lib_rs`, sorted, one per line.
///
/// `generated` maps the file name a module `include!`s from `OUT_DIR` (`"codegen.rs"`) to the
/// generated source, so that the listing needs no build.
pub fn public_items(lib_rs: &Path, generated: &[(&str, &str)]) -> Result<Vec<String>, String> {
    let source = read(lib_rs)?;
    let dir = lib_rs.parent().map(Path::to_path_buf).unwrap_or_default();
    let root = module(&source, &dir, false, generated, lib_rs)?;
    let mut impls = Impls::default();
    impls.collect(&root);
    let mut lines = Vec::new();
    list(&root, &root, &[], "", &impls, &mut lines)?;
    lines.sort();
    lines.dedup();
    Ok(lines)
}

/// The `src/lib.rs` of a crate directory.
pub fn lib_rs(crate_dir: &Path) -> PathBuf {
    crate_dir.join("src").join("lib.rs")
}
