//! Reading the surface back from the generated client: the walk over its items, which finds the
//! constants, the named enums, the `types` module, the builders and the `Client` methods.

use std::collections::{BTreeMap, BTreeSet};

use super::model::{Operation, Param, Surface, Type};
use super::type_text::{generic_args, render};
use super::types_module::{enum_type, read_types};
use super::wire::{parameter_wires, routes};
use crate::rust_text::{is_pub, text};
use crate::{Generated, Spec, SpecError};

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
