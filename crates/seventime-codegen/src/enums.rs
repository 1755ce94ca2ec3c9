//! Named Rust enums for the spec's integer enums.
//!
//! typify turns an integer enum into a validated newtype (`EntityType(i32)`) and ignores
//! `x-enum-varnames`. This module reads those names itself and generates a real enum per schema,
//! which progenitor then uses in place of its own type (`GenerationSettings::with_replacement`).
//!
//! A schema qualifies when it is `type: integer` and carries `x-enum-varnames`. Its codes come
//! from `enum` (a closed set: the service accepts nothing else) or `x-extensible-enum` (an open set:
//! the named codes are the known ones, others are valid too). Either way the Rust enum has an
//! `Unknown(i32)` variant, so a code the service adds later still decodes.

use std::collections::BTreeSet;
use std::path::Path;

use heck::{ToKebabCase, ToTitleCase};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::SpecError;

/// An integer enum of the spec that becomes a named Rust enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedEnum {
    /// Schema name under `components.schemas`; also the Rust type name.
    pub name: String,
    /// The schema's `description`, used as the type's doc comment.
    pub description: Option<String>,
    /// Whether codes outside `variants` are valid values (`x-extensible-enum`).
    pub open: bool,
    /// The documented codes, in spec order.
    pub variants: Vec<EnumVariant>,
}

/// One documented code of a [`NamedEnum`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    /// Rust variant name, from `x-enum-varnames`.
    pub name: String,
    /// The integer sent on the wire.
    pub code: i32,
    /// The documented label, from `x-enum-descriptions` (the name in title case if absent).
    pub label: String,
}

impl NamedEnum {
    /// The type name in lower-case words (`EntityType` → `entity type`), for messages.
    pub fn human_name(&self) -> String {
        self.name.to_title_case().to_lowercase()
    }
}

/// Finds and checks every named integer enum under `components.schemas`.
pub(crate) fn collect(path: &Path, raw: &Value) -> Result<Vec<NamedEnum>, SpecError> {
    let Some(schemas) = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Ok(Vec::new());
    };
    schemas
        .iter()
        .filter(|(_, schema)| schema.get("x-enum-varnames").is_some())
        .map(|(name, schema)| parse_one(path, name, schema))
        .collect()
}

fn parse_one(path: &Path, name: &str, schema: &Value) -> Result<NamedEnum, SpecError> {
    let location = Some(format!("components.schemas.{name}"));
    let fail = |problem: String, help: &str| SpecError::new(path, location.clone(), problem, help);

    if !is_rust_type_name(name) {
        return Err(fail(
            format!("schema name `{name}` cannot be a Rust enum name"),
            "name the schema in PascalCase (letters and digits, starting with a capital letter)",
        ));
    }
    if schema.get("type").and_then(Value::as_str) != Some("integer") {
        return Err(fail(
            "`x-enum-varnames` is only supported on `type: integer` schemas".into(),
            "add `type: integer` (and `format: int32`), or remove `x-enum-varnames`",
        ));
    }
    let (codes_key, open) = match (schema.get("enum"), schema.get("x-extensible-enum")) {
        (Some(_), None) => ("enum", false),
        (None, Some(_)) => ("x-extensible-enum", true),
        (Some(_), Some(_)) => {
            return Err(fail(
                "the schema has both `enum` and `x-extensible-enum`".into(),
                "use `enum` when the service accepts only the listed codes, `x-extensible-enum` when other codes are valid too — not both",
            ));
        }
        (None, None) => {
            return Err(fail(
                "`x-enum-varnames` names codes, but the schema lists none".into(),
                "list the codes in `enum` (closed set) or `x-extensible-enum` (open set), in the same order as the names",
            ));
        }
    };
    let codes = schema[codes_key]
        .as_array()
        .ok_or_else(|| {
            fail(
                format!("`{codes_key}` must be a list of integers"),
                "write the codes as a YAML list, for example `[100, 200]`",
            )
        })?
        .iter()
        .map(|code| {
            code.as_i64()
                .and_then(|code| i32::try_from(code).ok())
                .ok_or_else(|| {
                    fail(
                        format!("`{codes_key}` holds `{code}`, which is not a 32-bit integer"),
                        "every code must be an integer between -2147483648 and 2147483647",
                    )
                })
        })
        .collect::<Result<Vec<i32>, _>>()?;
    // Names and labels run parallel to the codes: one each, in the same order.
    let parallel = |key: &str, counted: &str, one: &str| -> Result<Vec<String>, SpecError> {
        let list = string_list(schema, key).ok_or_else(|| {
            fail(
                format!("`{key}` must be a list of strings"),
                &format!("write one {one} per code, as a YAML list"),
            )
        })?;
        if list.len() != codes.len() {
            return Err(fail(
                format!(
                    "`{key}` has {} {counted} but `{codes_key}` has {} codes",
                    list.len(),
                    codes.len()
                ),
                &format!("give exactly one {one} per code, in the same order as `{codes_key}`"),
            ));
        }
        Ok(list)
    };
    let names = parallel("x-enum-varnames", "names", "variant name")?;
    let labels = match schema.get("x-enum-descriptions") {
        None => names.iter().map(|name| name.to_title_case()).collect(),
        Some(_) => parallel("x-enum-descriptions", "labels", "label")?,
    };

    let mut seen_codes = BTreeSet::new();
    let mut seen_names = BTreeSet::new();
    for (code, variant) in codes.iter().zip(&names) {
        if !is_rust_type_name(variant) || variant == "Unknown" || variant == "Self" {
            return Err(fail(
                format!("`{variant}` in `x-enum-varnames` cannot be a Rust variant name"),
                "use PascalCase names (letters and digits, starting with a capital); `Unknown` is reserved for codes the spec does not name",
            ));
        }
        if !seen_codes.insert(*code) {
            return Err(fail(
                format!("code `{code}` is listed twice"),
                "list every code once",
            ));
        }
        // Names are matched case- and separator-insensitively when parsed, so they must differ
        // in more than spelling.
        if !seen_names.insert(normalize(variant)) {
            return Err(fail(
                format!(
                    "variant name `{variant}` is used twice (names are compared ignoring case and separators)"
                ),
                "give every code a distinct name",
            ));
        }
    }

    Ok(NamedEnum {
        name: name.to_string(),
        description: schema
            .get("description")
            .and_then(Value::as_str)
            .map(|text| text.trim().to_string()),
        open,
        variants: codes
            .into_iter()
            .zip(names)
            .zip(labels)
            .map(|((code, name), label)| EnumVariant { name, code, label })
            .collect(),
    })
}

fn string_list(schema: &Value, key: &str) -> Option<Vec<String>> {
    schema
        .get(key)?
        .as_array()?
        .iter()
        .map(|item| item.as_str().map(str::to_string))
        .collect()
}

fn is_rust_type_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

/// The form names are compared in when parsing: ASCII letters and digits, lower-cased.
/// The generated `FromStr` applies the same rule at run time.
fn normalize(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Generates the Rust source of one named enum.
pub(crate) fn generate(named: &NamedEnum, spec_name: &str) -> TokenStream {
    let ident = format_ident!("{}", named.name);
    let human = named.human_name();
    let variants: Vec<_> = named
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.name))
        .collect();
    let codes: Vec<_> = named
        .variants
        .iter()
        .map(|v| Literal::i32_unsuffixed(v.code))
        .collect();
    let labels: Vec<_> = named.variants.iter().map(|v| v.label.as_str()).collect();
    let names: Vec<_> = named.variants.iter().map(|v| v.name.as_str()).collect();
    let normalized: Vec<_> = named.variants.iter().map(|v| normalize(&v.name)).collect();
    let kebab_names: Vec<_> = named
        .variants
        .iter()
        .map(|v| v.name.to_kebab_case())
        .collect();
    let variant_docs = named
        .variants
        .iter()
        .map(|v| format!(" {} (`{}`).", v.label, v.code));
    let valid_names = kebab_names.join(", ");
    let schema_name = &named.name;
    // The JSON schema mirrors the spec: a closed set lists its codes, an open one is any int32.
    let schema_enum_values = if named.open {
        quote! { None }
    } else {
        quote! { Some(vec![#(::serde_json::json!(#codes)),*]) }
    };

    let mut type_doc = named.description.clone().unwrap_or_default();
    if !type_doc.is_empty() {
        type_doc.push_str("\n\n");
    }
    type_doc.push_str(&format!(
        "Generated from `components.schemas.{}` in `{spec_name}`. Serialized as the integer code; \
         `Display` writes the code, `FromStr` accepts the code or the name in any spelling \
         (`{}`, `{}`, `{}`).",
        named.name,
        kebab_names.first().map_or("", String::as_str),
        names.first().map_or("", |n| n),
        normalized.first().map_or("", String::as_str),
    ));
    let type_doc = type_doc
        .lines()
        .map(|line| format!(" {line}"))
        .collect::<Vec<_>>();

    let unknown_doc = if named.open {
        format!(
            " A code the spec does not name. The {human} set is open: other codes are valid values."
        )
    } else {
        format!(
            " A code the spec does not name, kept as received so that a {human} the service adds later still decodes."
        )
    };
    // For a closed set the service rejects other codes, so parsing one from text is a mistake
    // worth reporting early; for an open set every integer is a valid value.
    let parse_unknown_code = if named.open {
        quote! { return Ok(Self::from_code(code)); }
    } else {
        quote! {
            let value = Self::from_code(code);
            if value.is_known() {
                return Ok(value);
            }
        }
    };
    let doc_example = format!(
        " The documented {human}s, in spec order. `{}::KNOWN[0]` is `{}::{}`.",
        named.name,
        named.name,
        names.first().copied().unwrap_or_default()
    );

    quote! {
        #(#[doc = #type_doc])*
        #[derive(Clone, Copy, Debug)]
        #[non_exhaustive]
        pub enum #ident {
            #(
                #[doc = #variant_docs]
                #variants,
            )*
            #[doc = #unknown_doc]
            Unknown(i32),
        }

        impl #ident {
            #[doc = #doc_example]
            pub const KNOWN: &'static [Self] = &[#(Self::#variants),*];

            /// The integer code sent on the wire.
            pub const fn code(self) -> i32 {
                match self {
                    #(Self::#variants => #codes,)*
                    Self::Unknown(code) => code,
                }
            }

            /// The variant for `code`; `Unknown(code)` when the spec does not name it.
            pub const fn from_code(code: i32) -> Self {
                match code {
                    #(#codes => Self::#variants,)*
                    other => Self::Unknown(other),
                }
            }

            /// The Rust variant name (`None` for `Unknown`).
            pub const fn name(self) -> Option<&'static str> {
                match self {
                    #(Self::#variants => Some(#names),)*
                    Self::Unknown(_) => None,
                }
            }

            /// The name in kebab case, as the CLI shows it (`None` for `Unknown`).
            pub const fn kebab_name(self) -> Option<&'static str> {
                match self {
                    #(Self::#variants => Some(#kebab_names),)*
                    Self::Unknown(_) => None,
                }
            }

            /// The documented label (`None` for `Unknown`).
            pub const fn label(self) -> Option<&'static str> {
                match self {
                    #(Self::#variants => Some(#labels),)*
                    Self::Unknown(_) => None,
                }
            }

            /// Whether the spec names this code.
            pub const fn is_known(self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        // Equality, order and hash follow the wire code, so `Unknown(c)` built by hand equals the
        // variant that names `c`.
        impl ::std::cmp::PartialEq for #ident {
            fn eq(&self, other: &Self) -> bool {
                self.code() == other.code()
            }
        }

        impl ::std::cmp::Eq for #ident {}

        impl ::std::hash::Hash for #ident {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                self.code().hash(state);
            }
        }

        impl ::std::cmp::PartialOrd for #ident {
            fn partial_cmp(&self, other: &Self) -> ::std::option::Option<::std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl ::std::cmp::Ord for #ident {
            fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                self.code().cmp(&other.code())
            }
        }

        impl ::std::convert::From<i32> for #ident {
            fn from(code: i32) -> Self {
                Self::from_code(code)
            }
        }

        impl ::std::convert::From<#ident> for i32 {
            fn from(value: #ident) -> Self {
                value.code()
            }
        }

        impl ::std::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.code(), f)
            }
        }

        impl ::std::str::FromStr for #ident {
            type Err = crate::ParseEnumError;

            fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                let trimmed = text.trim();
                if let Ok(code) = trimmed.parse::<i32>() {
                    #parse_unknown_code
                } else {
                    let wanted: ::std::string::String = trimmed
                        .chars()
                        .filter(char::is_ascii_alphanumeric)
                        .map(|c| c.to_ascii_lowercase())
                        .collect();
                    match wanted.as_str() {
                        #(#normalized => return Ok(Self::#variants),)*
                        _ => {}
                    }
                }
                Err(crate::ParseEnumError::new(#human, text, #valid_names))
            }
        }

        impl ::serde::Serialize for #ident {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i32(self.code())
            }
        }

        impl ::schemars::JsonSchema for #ident {
            fn schema_name() -> ::std::string::String {
                #schema_name.to_string()
            }

            fn json_schema(_: &mut ::schemars::r#gen::SchemaGenerator) -> ::schemars::schema::Schema {
                ::schemars::schema::SchemaObject {
                    instance_type: Some(::schemars::schema::InstanceType::Integer.into()),
                    format: Some("int32".to_string()),
                    enum_values: #schema_enum_values,
                    ..Default::default()
                }
                .into()
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #ident {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <i32 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from_code)
            }
        }
    }
}
