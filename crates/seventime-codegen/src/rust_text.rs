//! Rust tokens as a person writes them, for the public-API listing and the surface.

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
