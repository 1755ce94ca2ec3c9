//! The generated surface: everything a caller of the generated code can name or construct, read
//! from the generated code itself — so it shows what callers get, not what the spec intended.
//!
//! [`Surface`] is the model: operations (the `Client` method, its builder's parameters with
//! their Rust types and whether they are required, the success and error types, the pagination
//! stream), every type of `types` with its public fields (Rust name, Rust type, optional or
//! required, wire name) or variants, the named enums with their codes, whether each struct and
//! enum is `#[non_exhaustive]`, and the constants. [`surface_summary`] renders it for the
//! snapshot a reviewer reads; [`crate::semver`] compares two of them.
//!
//! Not listed, because they follow from what is: the `types::builder` struct builders (one
//! setter per field of their struct) and the trait impls every generated type has alike.

mod model;
mod read;
mod render;
mod type_text;
mod types_module;
mod wire;

pub use model::{FLATTENED, Field, Operation, Param, Surface, Type, Variant};

use crate::{Generated, Spec};

/// Renders the surface summary of `generated`, which must come from `spec`. A surface that
/// cannot be read back is rendered as the reason, so that the snapshot shows it.
pub fn surface_summary(spec: &Spec, generated: &Generated) -> String {
    match Surface::of(spec, generated) {
        Ok(surface) => surface.render(spec.display_name()),
        Err(error) => format!("cannot read the generated surface: {error}"),
    }
}
