//! The listing itself: the lines of every item users can reach, through `pub mod`s and `pub use`
//! re-exports resolved to the items they name.

use super::attrs::{attributes, feature, is_hidden, non_exhaustive};
use super::impls::Impls;
use super::signatures::{fields_text, signature};
use super::tree::Module;
use crate::rust_text::{is_pub, text};

/// Lists the public items of `module`, shown under `prefix` (`""` at the crate root).
pub(super) fn list(
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
