//! `cargo xtask man`: man pages for `seventime` and every subcommand, written by the CLI itself
//! (its hidden `generate-man-pages` command) so that they come from the one clap command the
//! binary parses with. xtask does not link the CLI: it must build when the spec does not.

use std::path::Path;
use std::process::Command;

use crate::run::{cargo, step, target_dir};

/// Builds the CLI and writes its man pages to `target/man/man1`.
pub fn man() -> Result<(), String> {
    let root = seventime_codegen::workspace_root().map_err(|e| e.to_string())?;
    step("building the seventime command");
    cargo(
        &root,
        &["build", "--package", "seventime-cli", "--bin", "seventime"],
    )?;
    let target = target_dir(&root)?;
    let binary = target
        .join("debug")
        .join(format!("seventime{}", std::env::consts::EXE_SUFFIX));
    let dir = target.join("man").join("man1");
    if dir.exists() {
        // Pages of commands that no longer exist must not linger.
        std::fs::remove_dir_all(&dir)
            .map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    step("writing the man pages");
    let status = Command::new(&binary)
        .arg("generate-man-pages")
        .arg(&dir)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    if !status.success() {
        return Err(format!(
            "{} generate-man-pages failed ({status})",
            binary.display()
        ));
    }
    let pages = count_pages(&dir)?;
    println!(
        "{pages} man pages in {}; read one with `man -M {} seventime-list`, install with \
         `cp {}/*.1 ~/.local/share/man/man1/`",
        dir.display(),
        dir.parent().unwrap_or(&dir).display(),
        dir.display()
    );
    Ok(())
}

fn count_pages(dir: &Path) -> Result<usize, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    Ok(entries
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "1"))
        .count())
}
