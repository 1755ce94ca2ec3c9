//! The public API of a crate, read from its source: one line per item a user can name, for a
//! snapshot test that makes every change to it visible in review.
//!
//! rustdoc's JSON output (and `cargo public-api`, built on it) needs a nightly toolchain; this
//! reads the sources with `syn` instead. It follows what users can reach — `pub` items of
//! `pub mod`s and `pub use` re-exports, resolved through private modules — and skips
//! `#[doc(hidden)]` and `#[cfg(test)]` items. Hand-written items are listed with their
//! signatures, fields, variants, methods and trait impls. Modules generated from the spec are
//! listed by item name only: their members are pinned by the surface snapshot
//! ([`crate::surface_summary`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use quote::ToTokens;

use crate::rust_text::{attribute_value, is_pub, text};

/// A module of the crate: its items, its child modules and whether it was generated.
struct Module {
    items: Vec<syn::Item>,
    children: BTreeMap<String, Module>,
    generated: bool,
}

/// The public items of the crate whose root is `lib_rs`, sorted, one per line.
///
/// `generated` maps the file name a module `include!`s from `OUT_DIR` (`"codegen.rs"`) to the
/// generated source, so that the listing needs no build.
pub fn public_items(lib_rs: &Path, generated: &[(&str, &str)]) -> Result<Vec<String>, String> {
    let source = read(lib_rs)?;
    let dir = lib_rs.parent().map(Path::to_path_buf).unwrap_or_default();
    let root = module(&source, &dir, false, generated, lib_rs)?;
    let mut impls = Impls::default();
    impls.collect(&root);
    let mut lines = Vec::new();
    list(&root, &root, &[], "", &impls, &mut lines)?;
    lines.sort();
    lines.dedup();
    Ok(lines)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))
}

fn module(
    source: &str,
    dir: &Path,
    is_generated: bool,
    generated: &[(&str, &str)],
    file: &Path,
) -> Result<Module, String> {
    let parsed = syn::parse_file(source).map_err(|error| format!("{}: {error}", file.display()))?;
    build(parsed.items, dir, is_generated, generated, file)
}

fn build(
    items: Vec<syn::Item>,
    dir: &Path,
    is_generated: bool,
    generated: &[(&str, &str)],
    file: &Path,
) -> Result<Module, String> {
    let mut children = BTreeMap::new();
    let mut kept = Vec::new();
    for item in items {
        if is_test_only(attributes(&item)) {
            continue;
        }
        if let syn::Item::Mod(module_item) = &item {
            let name = module_item.ident.to_string();
            let child = match &module_item.content {
                Some((_, inner)) => match included(inner, generated) {
                    Some(source) => module(source, dir, true, generated, file)?,
                    None => build(
                        inner.clone(),
                        &dir.join(&name),
                        is_generated,
                        generated,
                        file,
                    )?,
                },
                None => {
                    let path = [
                        dir.join(format!("{name}.rs")),
                        dir.join(&name).join("mod.rs"),
                    ]
                    .into_iter()
                    .find(|path| path.is_file())
                    .ok_or_else(|| format!("{}: module `{name}` has no file", file.display()))?;
                    module(
                        &read(&path)?,
                        &dir.join(&name),
                        is_generated,
                        generated,
                        &path,
                    )?
                }
            };
            children.insert(name, child);
        }
        kept.push(item);
    }
    Ok(Module {
        items: kept,
        children,
        generated: is_generated,
    })
}

/// The generated source a module body of one `include!(concat!(env!("OUT_DIR"), "/x.rs"))` stands for.
fn included<'a>(items: &[syn::Item], generated: &[(&'a str, &'a str)]) -> Option<&'a str> {
    let [syn::Item::Macro(call)] = items else {
        return None;
    };
    if !call.mac.path.is_ident("include") {
        return None;
    }
    let tokens = call.mac.tokens.to_string();
    generated
        .iter()
        .find(|(name, _)| tokens.contains(&format!("\"/{name}\"")))
        .map(|(_, source)| *source)
}

fn attributes(item: &syn::Item) -> &[syn::Attribute] {
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

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg") && {
            let text = attr.meta.to_token_stream().to_string();
            text == "cfg (test)" || text == "cfg (doctest)"
        }
    })
}

fn is_hidden(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("doc") && attr.meta.to_token_stream().to_string().contains("hidden")
    })
}

/// `#[cfg(feature = "x")]` as ` (feature x)`.
fn feature(attrs: &[syn::Attribute]) -> String {
    attribute_value(attrs, "cfg", "feature")
        .map(|feature| format!(" (feature {feature})"))
        .unwrap_or_default()
}

/// The inherent and trait impls of the crate's hand-written modules, by the name of the type.
#[derive(Default)]
struct Impls {
    by_type: BTreeMap<String, Vec<syn::ItemImpl>>,
}

impl Impls {
    fn collect(&mut self, module: &Module) {
        if !module.generated {
            for item in &module.items {
                if let syn::Item::Impl(block) = item
                    && let syn::Type::Path(path) = &*block.self_ty
                    && let Some(last) = path.path.segments.last()
                {
                    self.by_type
                        .entry(last.ident.to_string())
                        .or_default()
                        .push(block.clone());
                }
            }
        }
        for child in module.children.values() {
            self.collect(child);
        }
    }

    /// The lines for the methods and trait impls of the type `name`, shown at `path`.
    fn lines(&self, name: &str, path: &str, out: &mut Vec<String>) {
        for block in self.by_type.get(name).into_iter().flatten() {
            match &block.trait_ {
                Some((trait_path, _)) => {
                    let trait_name = trait_path.segments.last().map(text).unwrap_or_default();
                    out.push(format!("impl {trait_name} for {path}"));
                }
                None => {
                    for member in &block.items {
                        match member {
                            syn::ImplItem::Fn(function)
                                if is_pub(&function.vis) && !is_hidden(&function.attrs) =>
                            {
                                out.push(format!("fn {path}::{}", signature(&function.sig)));
                            }
                            syn::ImplItem::Const(constant) if is_pub(&constant.vis) => {
                                out.push(format!(
                                    "const {path}::{}: {}",
                                    constant.ident,
                                    text(&constant.ty)
                                ));
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
    }
}

/// `name<generics>(inputs) -> output where …`, with ` (async)` after async functions.
fn signature(sig: &syn::Signature) -> String {
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

/// Lists the public items of `module`, shown under `prefix` (`""` at the crate root).
fn list(
    root: &Module,
    module: &Module,
    at: &[String],
    prefix: &str,
    impls: &Impls,
    out: &mut Vec<String>,
) -> Result<(), String> {
    for item in &module.items {
        let attrs = attributes(item);
        if is_hidden(attrs) {
            continue;
        }
        let feature = feature(attrs);
        match item {
            syn::Item::Use(using) if is_pub(&using.vis) => {
                let mut leaves = Vec::new();
                leaves_of(&using.tree, Vec::new(), &mut leaves);
                for (path, alias) in leaves {
                    reexport(
                        root,
                        at,
                        &path,
                        alias.as_deref(),
                        prefix,
                        &feature,
                        impls,
                        out,
                    )?;
                }
            }
            _ => item_lines(root, module, item, at, prefix, &feature, None, impls, out)?,
        }
    }
    Ok(())
}

/// The lines of one item, named `rename` (a `pub use … as`) or by its own name, under `prefix`.
#[allow(clippy::too_many_arguments)]
fn item_lines(
    root: &Module,
    module: &Module,
    item: &syn::Item,
    at: &[String],
    prefix: &str,
    feature: &str,
    rename: Option<&str>,
    impls: &Impls,
    out: &mut Vec<String>,
) -> Result<(), String> {
    let name_of = |ident: &syn::Ident| {
        let name = rename.map_or_else(|| ident.to_string(), str::to_string);
        format!("{prefix}{name}")
    };
    let hand_written = !module.generated;
    match item {
        syn::Item::Struct(s) if is_pub(&s.vis) => {
            let path = name_of(&s.ident);
            out.push(format!(
                "struct {path}{}{feature}",
                non_exhaustive(&s.attrs)
            ));
            if hand_written {
                for field in &s.fields {
                    if is_pub(&field.vis)
                        && let Some(ident) = &field.ident
                    {
                        out.push(format!("field {path}.{ident}: {}", text(&field.ty)));
                    }
                }
            }
            // Hand-written impls of generated types (`Client::builder`) belong to the API too.
            impls.lines(&s.ident.to_string(), &path, out);
        }
        syn::Item::Enum(e) if is_pub(&e.vis) => {
            let path = name_of(&e.ident);
            out.push(format!("enum {path}{}{feature}", non_exhaustive(&e.attrs)));
            if hand_written {
                for variant in &e.variants {
                    let fields = fields_text(&variant.fields);
                    out.push(format!("variant {path}::{}{fields}", variant.ident));
                }
                impls.lines(&e.ident.to_string(), &path, out);
            }
        }
        syn::Item::Fn(f) if is_pub(&f.vis) => {
            if hand_written {
                out.push(format!("fn {prefix}{}{feature}", signature(&f.sig)));
            } else {
                out.push(format!("fn {}{feature}", name_of(&f.sig.ident)));
            }
        }
        syn::Item::Const(c) if is_pub(&c.vis) => {
            out.push(format!(
                "const {}: {}{feature}",
                name_of(&c.ident),
                text(&c.ty)
            ));
        }
        syn::Item::Static(s) if is_pub(&s.vis) => {
            out.push(format!(
                "static {}: {}{feature}",
                name_of(&s.ident),
                text(&s.ty)
            ));
        }
        syn::Item::Type(t) if is_pub(&t.vis) => {
            out.push(format!("type {}{feature}", name_of(&t.ident)));
        }
        syn::Item::Trait(t) if is_pub(&t.vis) => {
            let path = name_of(&t.ident);
            let sealed = t
                .supertraits
                .iter()
                .any(|bound| text(bound).contains("Sealed"));
            out.push(format!(
                "trait {path}{}{feature}",
                if sealed { " (sealed)" } else { "" }
            ));
            if hand_written {
                for member in &t.items {
                    match member {
                        syn::TraitItem::Fn(function) => {
                            out.push(format!("fn {path}::{}", signature(&function.sig)))
                        }
                        syn::TraitItem::Type(ty) => out.push(format!("type {path}::{}", ty.ident)),
                        syn::TraitItem::Const(c) => {
                            out.push(format!("const {path}::{}: {}", c.ident, text(&c.ty)))
                        }
                        _ => {}
                    }
                }
            }
        }
        syn::Item::Mod(m) if is_pub(&m.vis) => {
            let name = rename.map_or_else(|| m.ident.to_string(), str::to_string);
            let path = format!("{prefix}{name}");
            out.push(format!("mod {path}{feature}"));
            let child = module
                .children
                .get(&m.ident.to_string())
                .ok_or_else(|| format!("module `{path}` was not read"))?;
            let mut child_at = at.to_vec();
            child_at.push(m.ident.to_string());
            list(root, child, &child_at, &format!("{path}::"), impls, out)?;
        }
        _ => {}
    }
    Ok(())
}

fn non_exhaustive(attrs: &[syn::Attribute]) -> &'static str {
    if attrs
        .iter()
        .any(|attr| attr.path().is_ident("non_exhaustive"))
    {
        " (non_exhaustive)"
    } else {
        ""
    }
}

/// The leaves of a `use` tree: each full path and its `as` name.
fn leaves_of(
    tree: &syn::UseTree,
    mut path: Vec<String>,
    out: &mut Vec<(Vec<String>, Option<String>)>,
) {
    match tree {
        syn::UseTree::Path(p) => {
            path.push(p.ident.to_string());
            leaves_of(&p.tree, path, out);
        }
        syn::UseTree::Name(n) => {
            path.push(n.ident.to_string());
            out.push((path, None));
        }
        syn::UseTree::Rename(r) => {
            path.push(r.ident.to_string());
            out.push((path, Some(r.rename.to_string())));
        }
        syn::UseTree::Glob(_) => {
            path.push("*".to_string());
            out.push((path, None));
        }
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                leaves_of(tree, path.clone(), out);
            }
        }
    }
}

/// Lists what a `pub use` of `path` (seen from module `at`) makes public under `prefix`.
#[allow(clippy::too_many_arguments)]
fn reexport(
    root: &Module,
    at: &[String],
    path: &[String],
    alias: Option<&str>,
    prefix: &str,
    feature: &str,
    impls: &Impls,
    out: &mut Vec<String>,
) -> Result<(), String> {
    let Some((last, parents)) = path.split_last() else {
        return Ok(());
    };
    // Resolve the module the path names, relative to `at`.
    let mut current: Vec<String> = at.to_vec();
    let mut segments = parents.iter().peekable();
    match segments.peek().map(|s| s.as_str()) {
        Some("crate") | Some("seventime") => {
            current.clear();
            segments.next();
        }
        Some("self") => {
            segments.next();
        }
        _ => {}
    }
    for segment in segments {
        if segment == "super" {
            current.pop();
        } else {
            current.push(segment.clone());
        }
    }
    let Some(module) = find(root, &current) else {
        // A re-export of another crate's item.
        let shown = alias.unwrap_or(last);
        out.push(format!(
            "use {prefix}{shown} = {}{feature}",
            path.join("::")
        ));
        return Ok(());
    };
    for item in &module.items {
        if matches!(item, syn::Item::Use(_)) {
            continue;
        }
        let name = match item {
            syn::Item::Struct(i) => &i.ident,
            syn::Item::Enum(i) => &i.ident,
            syn::Item::Fn(i) => &i.sig.ident,
            syn::Item::Const(i) => &i.ident,
            syn::Item::Static(i) => &i.ident,
            syn::Item::Type(i) => &i.ident,
            syn::Item::Trait(i) => &i.ident,
            syn::Item::Mod(i) => &i.ident,
            _ => continue,
        };
        if last == "*" || name == last {
            item_lines(
                root, module, item, &current, prefix, feature, alias, impls, out,
            )?;
        }
    }
    // A `pub use` of a name the module itself re-exports from elsewhere.
    for item in &module.items {
        if let syn::Item::Use(using) = item
            && is_pub(&using.vis)
        {
            let mut leaves = Vec::new();
            leaves_of(&using.tree, Vec::new(), &mut leaves);
            for (inner, inner_alias) in leaves {
                let shown = inner_alias
                    .clone()
                    .or_else(|| inner.last().cloned())
                    .unwrap_or_default();
                if last == "*" || shown == *last {
                    reexport(
                        root,
                        &current,
                        &inner,
                        alias.or(inner_alias.as_deref()),
                        prefix,
                        feature,
                        impls,
                        out,
                    )?;
                }
            }
        }
    }
    Ok(())
}

fn find<'a>(root: &'a Module, path: &[String]) -> Option<&'a Module> {
    let mut module = root;
    for segment in path {
        module = module.children.get(segment)?;
    }
    Some(module)
}

/// The `src/lib.rs` of a crate directory.
pub fn lib_rs(crate_dir: &Path) -> PathBuf {
    crate_dir.join("src").join("lib.rs")
}
