//! A compact, reviewable summary of the generated surface.
//!
//! The full generated source is snapshotted too, but a reviewer of a spec change reads this: one
//! block per operation (id, method, path, parameters with their Rust types, success and error
//! types) and one per named enum (variants and codes). Rust types are read from the generated
//! code itself, so the summary shows what callers get, not what the spec intended.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use heck::ToUpperCamelCase;
use quote::ToTokens;

use crate::{Generated, Spec};

/// Renders the surface summary of `generated`, which must come from `spec`.
pub fn surface_summary(spec: &Spec, generated: &Generated) -> String {
    let builders = builder_signatures(&generated.client);
    let mut out = String::new();
    let _ = writeln!(out, "# Generated surface of {}", spec.display_name());

    let _ = writeln!(out, "\n## Operations");
    for (route, item) in spec.openapi().paths.iter() {
        let Some(item) = item.as_item() else { continue };
        for (method, operation) in item.iter() {
            let id = operation.operation_id.as_deref().unwrap_or("?");
            let verb = method.to_uppercase();
            let _ = writeln!(out, "\n{id}: {verb} {route}");
            let signature = builders.get(&id.to_upper_camel_case());
            for parameter in operation.parameters.iter().filter_map(|p| p.as_item()) {
                let location = match parameter {
                    openapiv3::Parameter::Path { .. } => "path",
                    openapiv3::Parameter::Query { .. } => "query",
                    openapiv3::Parameter::Header { .. } => "header",
                    openapiv3::Parameter::Cookie { .. } => "cookie",
                };
                let data = parameter.parameter_data_ref();
                let rust = signature
                    .and_then(|s| s.params.get(&heck::AsSnakeCase(&data.name).to_string()))
                    .map_or("?", String::as_str);
                let required = if data.required {
                    "required"
                } else {
                    "optional"
                };
                let _ = writeln!(out, "  {location} {} ({required}): {rust}", data.name);
            }
            let (mut success, mut errors) = (Vec::new(), Vec::new());
            for status in operation.responses.responses.keys() {
                let status = status.to_string();
                if status.starts_with('2') {
                    success.push(status);
                } else {
                    errors.push(status);
                }
            }
            if operation.responses.default.is_some() {
                errors.push("default".into());
            }
            let (ok, err) = signature.map_or(("?", "?"), |s| (s.ok.as_str(), s.err.as_str()));
            let _ = writeln!(out, "  ok {}: {ok}", success.join(", "));
            let _ = writeln!(out, "  err {}: {err}", errors.join(", "));
        }
    }

    let _ = writeln!(out, "\n## Named enums");
    for named in spec.named_enums() {
        let set = if named.open { "open" } else { "closed" };
        let _ = writeln!(
            out,
            "\n{} ({set}, {} codes, plus Unknown(i32))",
            named.name,
            named.variants.len()
        );
        for variant in &named.variants {
            let _ = writeln!(
                out,
                "  {:>6} {} \"{}\"",
                variant.code, variant.name, variant.label
            );
        }
    }

    let _ = writeln!(out, "\n## Schemas");
    if let Some(components) = &spec.openapi().components {
        for name in components.schemas.keys() {
            let rust = if spec.named_enums().iter().any(|e| &e.name == name) {
                format!("{}::{name} (named enum)", crate::CLIENT_CRATE)
            } else {
                format!("types::{name}")
            };
            let _ = writeln!(out, "  {name}: {rust}");
        }
    }
    out
}

/// Parameter and response types of one operation's builder, as generated.
#[derive(Default)]
struct BuilderSignature {
    /// Parameter name (snake case) → Rust type.
    params: BTreeMap<String, String>,
    ok: String,
    err: String,
}

/// Reads every operation builder in the generated `builder` module: its fields are the
/// parameters (each wrapped in `Result<T, String>`), and `send()` returns
/// `Result<ResponseValue<Ok>, Error<Err>>`.
fn builder_signatures(client_source: &str) -> BTreeMap<String, BuilderSignature> {
    let mut found = BTreeMap::new();
    let Ok(file) = syn::parse_file(client_source) else {
        return found;
    };
    let Some(items) = file.items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "builder" => {
            module.content.as_ref().map(|(_, items)| items)
        }
        _ => None,
    }) else {
        return found;
    };
    for item in items {
        match item {
            syn::Item::Struct(builder) => {
                let entry: &mut BuilderSignature =
                    found.entry(builder.ident.to_string()).or_default();
                for field in &builder.fields {
                    let Some(name) = &field.ident else { continue };
                    if name == "client" {
                        continue;
                    }
                    let ty = generic_args(&field.ty)
                        .first()
                        .map_or_else(|| render(&field.ty), |inner| render(inner));
                    entry.params.insert(name.to_string(), ty);
                }
            }
            syn::Item::Impl(block) => {
                let syn::Type::Path(self_ty) = block.self_ty.as_ref() else {
                    continue;
                };
                let Some(segment) = self_ty.path.segments.last() else {
                    continue;
                };
                let entry = found.entry(segment.ident.to_string()).or_default();
                for impl_item in &block.items {
                    let syn::ImplItem::Fn(function) = impl_item else {
                        continue;
                    };
                    if function.sig.ident != "send" {
                        continue;
                    }
                    let syn::ReturnType::Type(_, ty) = &function.sig.output else {
                        continue;
                    };
                    if let [ok, err] = generic_args(ty)[..] {
                        entry.ok = generic_args(ok)
                            .first()
                            .map_or_else(|| render(ok), |t| render(t));
                        entry.err = generic_args(err)
                            .first()
                            .map_or_else(|| render(err), |t| render(t));
                    }
                }
            }
            _ => {}
        }
    }
    found
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

/// A type as a Rust programmer writes it (`Option<seventime::EntityType>`).
fn render(ty: &syn::Type) -> String {
    ty.to_token_stream()
        .to_string()
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" <", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
}
