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

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use heck::ToSnakeCase;
use quote::ToTokens;
use serde_json::Value;

use crate::rust_text::{attribute_value, is_pub, text};
use crate::{Generated, Spec, SpecError};

/// The wire name shown for a `#[serde(flatten)]` field: the map of the properties the spec does
/// not name (`additionalProperties`).
pub const FLATTENED: &str = "any property the spec does not name";

/// Everything a caller of the generated client can name or construct.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Surface {
    /// Operations by `Client` method name (the operationId).
    pub operations: BTreeMap<String, Operation>,
    /// Types by path: `types::Customer`, or the bare name of a named enum (`EntityType`).
    pub types: BTreeMap<String, Type>,
    /// Constants by path (`API_KEY_HEADER`, `paths::LIST_CUSTOMERS`): their type and value.
    pub constants: BTreeMap<String, String>,
}

/// One operation: a `Client` method that returns a request builder.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Operation {
    /// The HTTP method and path (`GET /api/2/customers`).
    pub route: String,
    /// The builder type (`builder::ListCustomers`).
    pub builder: String,
    /// The builder's parameters by setter name.
    pub params: BTreeMap<String, Param>,
    /// The type `send()` returns on success (`types::CustomerPage`).
    pub ok: String,
    /// The error body type of `send()`'s error.
    pub err: String,
    /// For operations with `into_paginator()`: the item type of the stream.
    pub paginated: Option<String>,
}

/// One parameter of an operation's builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The type the setter takes (`String`, `NonZeroU64`, `EntityType`).
    pub rust_type: String,
    /// Whether `send()` fails when it is not set.
    pub required: bool,
    /// Where it goes on the wire and under which name (`query lastModified`).
    pub wire: String,
}

/// A generated type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    /// A struct with named fields.
    Struct {
        /// Public fields by Rust name.
        fields: BTreeMap<String, Field>,
        /// Whether callers are kept from struct literals (`#[non_exhaustive]`).
        non_exhaustive: bool,
    },
    /// A tuple struct (a newtype such as `types::Documents(Vec<Document>)`).
    Tuple {
        /// The field types, in order.
        fields: Vec<String>,
    },
    /// An enum.
    Enum {
        /// Variants by name.
        variants: BTreeMap<String, Variant>,
        /// Whether matches need a wildcard arm (`#[non_exhaustive]`).
        non_exhaustive: bool,
    },
}

/// One public field of a struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Its Rust type.
    pub rust_type: String,
    /// Whether it is required (its type is not an `Option`).
    pub required: bool,
    /// The property name on the wire.
    pub wire: String,
}

/// One enum variant.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Variant {
    /// Its fields as Rust writes them (`(i32)`), or empty for a unit variant.
    pub fields: String,
    /// The value on the wire: the serde name of a string enum's variant, the code of a named
    /// enum's.
    pub wire: String,
}

impl Surface {
    /// Reads the surface of `generated`, which must come from `spec`.
    pub fn of(spec: &Spec, generated: &Generated) -> Result<Self, SpecError> {
        Self::from_client(spec, &generated.client)
    }

    /// Reads the surface of a generated client source, which must come from `spec`.
    pub fn from_client(spec: &Spec, client: &str) -> Result<Self, SpecError> {
        let file = syn::parse_file(client).map_err(|error| {
            spec.error(
                None,
                format!("the generated client cannot be read back: {error}"),
                "report this as a bug of seventime-codegen",
            )
        })?;
        let mut surface = Self::default();
        let wires = parameter_wires(spec.document());
        let mut builders: BTreeMap<String, (BTreeMap<String, Param>, String, String)> =
            BTreeMap::new();
        let mut methods: BTreeMap<String, String> = BTreeMap::new();
        let mut paginated: BTreeMap<String, String> = BTreeMap::new();

        for item in &file.items {
            match item {
                syn::Item::Const(constant) if is_pub(&constant.vis) => {
                    surface.constants.insert(
                        constant.ident.to_string(),
                        format!("{} = {}", render(&constant.ty), text(&constant.expr)),
                    );
                }
                syn::Item::Mod(module) => {
                    let Some((_, items)) = &module.content else {
                        continue;
                    };
                    match module.ident.to_string().as_str() {
                        "paths" => {
                            for item in items {
                                if let syn::Item::Const(constant) = item {
                                    surface.constants.insert(
                                        format!("paths::{}", constant.ident),
                                        format!(
                                            "{} = {}",
                                            render(&constant.ty),
                                            text(&constant.expr)
                                        ),
                                    );
                                }
                            }
                        }
                        "named_enums" => {
                            for item in items {
                                if let syn::Item::Enum(named) = item {
                                    let codes = spec
                                        .named_enums()
                                        .iter()
                                        .find(|e| named.ident == e.name)
                                        .map(|e| {
                                            e.variants
                                                .iter()
                                                .map(|v| (v.name.clone(), v.code.to_string()))
                                                .collect::<BTreeMap<_, _>>()
                                        })
                                        .unwrap_or_default();
                                    let mut ty = enum_type(named, &BTreeSet::new());
                                    if let Type::Enum { variants, .. } = &mut ty {
                                        for (name, variant) in variants.iter_mut() {
                                            variant.wire =
                                                codes.get(name).cloned().unwrap_or_else(|| {
                                                    if variant.fields.is_empty() {
                                                        String::new()
                                                    } else {
                                                        "any other code".into()
                                                    }
                                                });
                                        }
                                    }
                                    surface.types.insert(named.ident.to_string(), ty);
                                }
                            }
                        }
                        "types" => read_types(items, &mut surface.types),
                        "builder" => {
                            for item in items {
                                match item {
                                    syn::Item::Struct(builder) => {
                                        let params = builder
                                            .fields
                                            .iter()
                                            .filter_map(|field| {
                                                let name = field.ident.as_ref()?.to_string();
                                                (name != "client").then_some((name, field))
                                            })
                                            .map(|(name, field)| {
                                                let inner =
                                                    generic_args(&field.ty).first().map_or_else(
                                                        || render(&field.ty),
                                                        |t| render(t),
                                                    );
                                                let (rust_type, required) =
                                                    match inner.strip_prefix("Option<") {
                                                        Some(rest) => (
                                                            rest.trim_end_matches('>').to_string(),
                                                            false,
                                                        ),
                                                        None => (inner, true),
                                                    };
                                                (
                                                    name,
                                                    Param {
                                                        rust_type,
                                                        required,
                                                        wire: String::new(),
                                                    },
                                                )
                                            })
                                            .collect();
                                        builders.entry(builder.ident.to_string()).or_default().0 =
                                            params;
                                    }
                                    syn::Item::Impl(block) => {
                                        let Some(name) = self_name(&block.self_ty) else {
                                            continue;
                                        };
                                        for member in &block.items {
                                            let syn::ImplItem::Fn(function) = member else {
                                                continue;
                                            };
                                            if function.sig.ident != "send" {
                                                continue;
                                            }
                                            let syn::ReturnType::Type(_, ty) = &function.sig.output
                                            else {
                                                continue;
                                            };
                                            if let [ok, err] = generic_args(ty)[..] {
                                                let entry =
                                                    builders.entry(name.clone()).or_default();
                                                entry.1 = generic_args(ok)
                                                    .first()
                                                    .map_or_else(|| render(ok), |t| render(t));
                                                entry.2 = generic_args(err)
                                                    .first()
                                                    .map_or_else(|| render(err), |t| render(t));
                                            }
                                        }
                                    }
                                    _ => {}
                                }
                            }
                        }
                        _ => {}
                    }
                }
                syn::Item::Impl(block) => {
                    let Some(self_name) = self_name(&block.self_ty) else {
                        continue;
                    };
                    match &block.trait_ {
                        None if self_name == "Client" => {
                            for member in &block.items {
                                let syn::ImplItem::Fn(function) = member else {
                                    continue;
                                };
                                if !is_pub(&function.vis) {
                                    continue;
                                }
                                let syn::ReturnType::Type(_, ty) = &function.sig.output else {
                                    continue;
                                };
                                if let Some(builder) = self_name_of_type(ty) {
                                    methods.insert(function.sig.ident.to_string(), builder);
                                }
                            }
                        }
                        Some((path, _))
                            if path
                                .segments
                                .last()
                                .is_some_and(|s| s.ident == "PagedRequest") =>
                        {
                            for member in &block.items {
                                if let syn::ImplItem::Type(item) = member
                                    && item.ident == "Item"
                                {
                                    paginated.insert(self_name.clone(), render(&item.ty));
                                }
                            }
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }

        let routes = routes(spec.document());
        for (method, builder) in methods {
            let (mut params, ok, err) = builders.remove(&builder).unwrap_or_default();
            for (name, param) in &mut params {
                param.wire = wires
                    .get(&(method.clone(), name.clone()))
                    .cloned()
                    .unwrap_or_else(|| "?".to_string());
            }
            surface.operations.insert(
                method.clone(),
                Operation {
                    route: routes.get(&method).cloned().unwrap_or_default(),
                    paginated: paginated.get(&builder).cloned(),
                    builder: format!("builder::{builder}"),
                    params,
                    ok,
                    err,
                },
            );
        }
        Ok(surface)
    }

    /// The surface as text, for the snapshot a reviewer reads.
    pub fn render(&self, title: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# Generated surface of {title}");
        let _ = writeln!(out, "\n## Operations");
        for (method, operation) in &self.operations {
            let _ = writeln!(
                out,
                "\n{method}: {} ({})",
                operation.route, operation.builder
            );
            for (name, param) in &operation.params {
                let required = if param.required {
                    "required"
                } else {
                    "optional"
                };
                let _ = writeln!(
                    out,
                    "  .{name}({}) {required}, {}",
                    param.rust_type, param.wire
                );
            }
            let _ = writeln!(out, "  ok: {}", operation.ok);
            let _ = writeln!(out, "  err: {}", operation.err);
            if let Some(item) = &operation.paginated {
                let _ = writeln!(out, "  into_paginator(): items of {item}");
            }
        }
        let _ = writeln!(out, "\n## Types");
        for (path, ty) in &self.types {
            match ty {
                Type::Struct {
                    fields,
                    non_exhaustive,
                } => {
                    let _ = writeln!(out, "\n{path}: struct{}", marker(*non_exhaustive));
                    for (name, field) in fields {
                        let required = if field.required {
                            "required"
                        } else {
                            "optional"
                        };
                        let _ = writeln!(
                            out,
                            "  {name}: {} {required}, \"{}\"",
                            field.rust_type, field.wire
                        );
                    }
                }
                Type::Tuple { fields } => {
                    let _ = writeln!(out, "\n{path}: tuple struct ({})", fields.join(", "));
                }
                Type::Enum {
                    variants,
                    non_exhaustive,
                } => {
                    let _ = writeln!(out, "\n{path}: enum{}", marker(*non_exhaustive));
                    for (name, variant) in variants {
                        let wire = if variant.wire.is_empty() {
                            String::new()
                        } else {
                            format!(" = {}", variant.wire)
                        };
                        let _ = writeln!(out, "  {name}{}{wire}", variant.fields);
                    }
                }
            }
        }
        let _ = writeln!(out, "\n## Constants\n");
        for (path, value) in &self.constants {
            let _ = writeln!(out, "{path}: {value}");
        }
        out
    }
}

fn marker(non_exhaustive: bool) -> &'static str {
    if non_exhaustive {
        " #[non_exhaustive]"
    } else {
        ""
    }
}

/// Renders the surface summary of `generated`, which must come from `spec`. A surface that
/// cannot be read back is rendered as the reason, so that the snapshot shows it.
pub fn surface_summary(spec: &Spec, generated: &Generated) -> String {
    match Surface::of(spec, generated) {
        Ok(surface) => surface.render(spec.display_name()),
        Err(error) => format!("cannot read the generated surface: {error}"),
    }
}

/// The structs and enums of the generated `types` module.
fn read_types(items: &[syn::Item], types: &mut BTreeMap<String, Type>) {
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

fn enum_type(item: &syn::ItemEnum, local: &BTreeSet<String>) -> Type {
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

fn self_name(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    path.path.segments.last().map(|s| s.ident.to_string())
}

/// `builder::ListCustomers<'_>` → `ListCustomers`, for a type in the `builder` module.
fn self_name_of_type(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let segments: Vec<_> = path.path.segments.iter().collect();
    match segments.as_slice() {
        [module, name] if module.ident == "builder" => Some(name.ident.to_string()),
        _ => None,
    }
}

/// `GET /api/2/customers` by operationId.
fn routes(document: &Value) -> BTreeMap<String, String> {
    crate::spec::operations(document)
        .filter_map(|(route, method, operation)| {
            let id = operation.get("operationId")?.as_str()?;
            Some((id.to_string(), format!("{} {route}", method.to_uppercase())))
        })
        .collect()
}

/// `(operationId, snake_case parameter name)` → `query lastModified`, with `$ref`s resolved.
fn parameter_wires(document: &Value) -> BTreeMap<(String, String), String> {
    let mut wires = BTreeMap::new();
    for (_, _, operation) in crate::spec::operations(document) {
        let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        for parameter in operation
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let parameter = match parameter.get("$ref").and_then(Value::as_str) {
                Some(reference) => match reference
                    .strip_prefix('#')
                    .and_then(|p| document.pointer(p))
                {
                    Some(target) => target,
                    None => continue,
                },
                None => parameter,
            };
            let (Some(name), Some(location)) = (
                parameter.get("name").and_then(Value::as_str),
                parameter.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            wires.insert(
                (id.to_string(), name.to_snake_case()),
                format!("{location} {name}"),
            );
        }
    }
    wires
}

/// The type arguments of the last path segment of `ty` (`Result<A, B>` → `[A, B]`).
fn generic_args(ty: &syn::Type) -> Vec<&syn::Type> {
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
fn render(ty: &syn::Type) -> String {
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
