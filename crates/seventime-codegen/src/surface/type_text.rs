//! Rust types of the generated code as text, the way a caller writes them.

use crate::rust_text::text;

/// The type arguments of the last path segment of `ty` (`Result<A, B>` → `[A, B]`).
pub(super) fn generic_args(ty: &syn::Type) -> Vec<&syn::Type> {
    let syn::Type::Path(path) = ty else {
        return Vec::new();
    };
    let Some(segment) = path.path.segments.last() else {
        return Vec::new();
    };
    let syn::PathArguments::AngleBracketed(args) = &segment.arguments else {
        return Vec::new();
    };
    args.args
        .iter()
        .filter_map(|arg| match arg {
            syn::GenericArgument::Type(ty) => Some(ty),
            _ => None,
        })
        .collect()
}

/// A type as a Rust programmer writes it: `Option<String>`, `types::SortDirection`,
/// `EntityType`, `serde_json::Value`.
pub(super) fn render(ty: &syn::Type) -> String {
    let mut text = text(ty);
    for prefix in [
        "::std::option::",
        "::std::string::",
        "::std::vec::",
        "::std::num::",
        "::std::collections::",
        "::std::boxed::",
        "seventime::",
        "crate::",
        "super::",
    ] {
        text = text.replace(prefix, "");
    }
    text.replace("::serde_json::", "serde_json::")
        .replace(",", ", ")
        .replace(",  ", ", ")
}
