//! Reading Rust tokens, for the public-API listing and the surface: tokens as a person writes
//! them, visibility, and the values of attributes.

use quote::ToTokens;

/// Tokens as compact text: `Option < & 'a str >` → `Option<&'a str>`.
pub(crate) fn text(tokens: &impl ToTokens) -> String {
    let mut text = tokens.to_token_stream().to_string();
    for (from, to) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" < ", "<"),
        ("< ", "<"),
        (" <", "<"),
        (" >", ">"),
        ("& ", "&"),
        ("' ", "'"),
        (" ,", ","),
        ("( ", "("),
        (" )", ")"),
        ("[ ", "["),
        (" ]", "]"),
        (" ;", ";"),
        (" (", "("),
        ("crate::", ""),
        (" :", ":"),
        ("# ", "#"),
        ("! ", "!"),
    ] {
        text = text.replace(from, to);
    }
    text
}

/// Whether an item is plainly `pub` (not `pub(crate)`).
pub(crate) fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// The string `value` of the first `key = "value"` inside an attribute named `name`
/// (`#[serde(rename = "x")]`, `#[cfg(feature = "x")]`).
pub(crate) fn attribute_value(attrs: &[syn::Attribute], name: &str, key: &str) -> Option<String> {
    let needle = format!("{key} = \"");
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident(name))
        .find_map(|attr| {
            let text = attr.meta.to_token_stream().to_string();
            let start = text.find(&needle)? + needle.len();
            let end = text[start..].find('"')? + start;
            Some(text[start..end].to_string())
        })
}
