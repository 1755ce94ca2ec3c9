//! The methods and trait impls of the crate's types, gathered from every hand-written module so
//! that each type lists them wherever it is shown.

use std::collections::BTreeMap;

use super::attrs::is_hidden;
use super::signatures::signature;
use super::tree::Module;
use crate::rust_text::{is_pub, text};

/// The inherent and trait impls of the crate's hand-written modules, by the name of the type.
#[derive(Default)]
pub(super) struct Impls {
    by_type: BTreeMap<String, Vec<syn::ItemImpl>>,
}

impl Impls {
    pub(super) fn collect(&mut self, module: &Module) {
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
    pub(super) fn lines(&self, name: &str, path: &str, out: &mut Vec<String>) {
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
