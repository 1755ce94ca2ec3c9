//! What an item's attributes say about its place in the API: test-only, hidden, behind a
//! feature, `#[non_exhaustive]`.

use quote::ToTokens;

use crate::rust_text::attribute_value;

pub(super) fn attributes(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        _ => &[],
    }
}

pub(super) fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg") && {
            let text = attr.meta.to_token_stream().to_string();
            text == "cfg (test)" || text == "cfg (doctest)"
        }
    })
}

pub(super) fn is_hidden(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("doc") && attr.meta.to_token_stream().to_string().contains("hidden")
    })
}

/// `#[cfg(feature = "x")]` as ` (feature x)`.
pub(super) fn feature(attrs: &[syn::Attribute]) -> String {
    attribute_value(attrs, "cfg", "feature")
        .map(|feature| format!(" (feature {feature})"))
        .unwrap_or_default()
}

pub(super) fn non_exhaustive(attrs: &[syn::Attribute]) -> &'static str {
    if attrs
        .iter()
        .any(|attr| attr.path().is_ident("non_exhaustive"))
    {
        " (non_exhaustive)"
    } else {
        ""
    }
}
