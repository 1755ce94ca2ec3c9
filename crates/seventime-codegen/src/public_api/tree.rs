//! Reading a crate's module tree from its files, following `mod` declarations to their files and
//! `include!`s of generated sources to the sources given, test-only items left out.

use std::collections::BTreeMap;
use std::path::Path;

use super::attrs::{attributes, is_test_only};

/// A module of the crate: its items, its child modules and whether it was generated.
pub(super) struct Module {
    pub(super) items: Vec<syn::Item>,
    pub(super) children: BTreeMap<String, Module>,
    pub(super) generated: bool,
}

pub(super) fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))
}

pub(super) fn module(
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
