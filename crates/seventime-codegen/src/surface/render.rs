//! The surface as the text of its snapshot.

use std::fmt::Write as _;

use super::model::{Surface, Type};

impl Surface {
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
