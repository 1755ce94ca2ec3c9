//! Functions and fields as one line of text: signatures and the fields of structs and variants.

use crate::rust_text::text;

/// `name<generics>(inputs) -> output where …`, with ` (async)` after async functions.
pub(super) fn signature(sig: &syn::Signature) -> String {
    let generics = if sig.generics.params.is_empty() {
        String::new()
    } else {
        text(&sig.generics)
    };
    let inputs = sig.inputs.iter().map(text).collect::<Vec<_>>().join(", ");
    let output = match &sig.output {
        syn::ReturnType::Default => String::new(),
        syn::ReturnType::Type(_, ty) => format!(" -> {}", text(ty)),
    };
    let bounds = sig
        .generics
        .where_clause
        .as_ref()
        .map(|clause| format!(" {}", text(clause).trim_end_matches(',')))
        .unwrap_or_default();
    let asyncness = if sig.asyncness.is_some() {
        " (async)"
    } else {
        ""
    };
    format!(
        "{}{generics}({inputs}){output}{bounds}{asyncness}",
        sig.ident
    )
}

/// A variant's or struct's fields as Rust writes them, without their attributes:
/// `(Box<ErrorResponse>)`, `{ status: StatusCode, limit: usize }`.
pub(crate) fn fields_text(fields: &syn::Fields) -> String {
    match fields {
        syn::Fields::Unit => String::new(),
        syn::Fields::Named(named) => format!(
            " {{ {} }}",
            named
                .named
                .iter()
                .map(|field| {
                    let name = field
                        .ident
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    format!("{name}: {}", text(&field.ty))
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        syn::Fields::Unnamed(unnamed) => format!(
            "({})",
            unnamed
                .unnamed
                .iter()
                .map(|field| text(&field.ty))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
