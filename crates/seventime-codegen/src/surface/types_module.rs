//! Reading the generated `types` module: its public structs with their fields and its enums with
//! their variants, names of the module qualified as callers write them.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;

use super::model::{FLATTENED, Field, Type, Variant};
use super::type_text::render;
use crate::rust_text::{attribute_value, is_pub, text};

/// The structs and enums of the generated `types` module.
pub(super) fn read_types(items: &[syn::Item], types: &mut BTreeMap<String, Type>) {
    let local: BTreeSet<String> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Enum(e) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect();
    for item in items {
        match item {
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                let non_exhaustive = has_attr(&s.attrs, "non_exhaustive");
                let ty = match &s.fields {
                    syn::Fields::Named(named) => Type::Struct {
                        fields: named
                            .named
                            .iter()
                            .filter(|field| is_pub(&field.vis))
                            .filter_map(|field| {
                                let name = field.ident.as_ref()?.to_string();
                                let rust_type = qualify(&render(&field.ty), &local);
                                let wire = if is_flattened(&field.attrs) {
                                    FLATTENED.to_string()
                                } else {
                                    serde_rename(&field.attrs).unwrap_or_else(|| name.clone())
                                };
                                let required = !rust_type.starts_with("Option<");
                                Some((
                                    name,
                                    Field {
                                        rust_type,
                                        required,
                                        wire,
                                    },
                                ))
                            })
                            .collect(),
                        non_exhaustive,
                    },
                    syn::Fields::Unnamed(unnamed) => Type::Tuple {
                        fields: unnamed
                            .unnamed
                            .iter()
                            .map(|field| {
                                let vis = if is_pub(&field.vis) { "pub " } else { "" };
                                format!("{vis}{}", qualify(&render(&field.ty), &local))
                            })
                            .collect(),
                    },
                    syn::Fields::Unit => Type::Tuple { fields: Vec::new() },
                };
                types.insert(format!("types::{}", s.ident), ty);
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                types.insert(format!("types::{}", e.ident), enum_type(e, &local));
            }
            _ => {}
        }
    }
}

pub(super) fn enum_type(item: &syn::ItemEnum, local: &BTreeSet<String>) -> Type {
    Type::Enum {
        variants: item
            .variants
            .iter()
            .map(|variant| {
                let fields = match &variant.fields {
                    syn::Fields::Unit => String::new(),
                    fields => qualify(&text(fields), local),
                };
                let wire = serde_rename(&variant.attrs).unwrap_or_default();
                (variant.ident.to_string(), Variant { fields, wire })
            })
            .collect(),
        non_exhaustive: has_attr(&item.attrs, "non_exhaustive"),
    }
}

/// `#[serde(rename = "x")]`'s `x`.
fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    attribute_value(attrs, "serde", "rename")
}

/// `#[serde(flatten)]`: the field holds the properties no other field names.
fn is_flattened(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .any(|attr| attr.meta.to_token_stream().to_string().contains("flatten"))
}

fn has_attr(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident(name))
}

/// Names of the `types` module written bare inside it, as callers write them: `types::Name`.
fn qualify(text: &str, local: &BTreeSet<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let qualified = local.contains(word.as_str()) && !out.ends_with("::");
        if qualified {
            out.push_str("types::");
        }
        out.push_str(word);
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}
