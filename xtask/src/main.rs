//! `cargo xtask` — project automation (see `cargo xtask --help`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

mod bench;

use clap::{Parser, Subcommand};
use seventime_codegen::{Generated, Spec};

#[derive(Parser)]
#[command(about = "Project automation for seventime-rs")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Validate openapi/seventime.yaml, regenerate from it and update the snapshots that pin
    /// the generated surface. Run after every spec edit, then review the snapshot diff.
    Regen {
        /// Change nothing; fail if anything derived from the spec is stale.
        #[arg(long)]
        check: bool,
    },
    /// Run every benchmark (criterion, wrk, CLI start-up, rebuild) and write BENCHMARKS.md.
    /// Needs `wrk` (`apt-get install wrk`).
    Bench {
        /// A short smoke run that checks the benchmarks still build and run; writes
        /// target/benchmarks-quick.md and leaves BENCHMARKS.md alone.
        #[arg(long)]
        quick: bool,
    },
}

fn main() -> ExitCode {
    let Cli { task } = Cli::parse();
    let outcome = match task {
        Task::Regen { check } => regen(check),
        Task::Bench { quick } => bench::bench(quick),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The package whose tests own the snapshots, and the test target that writes them (the only
/// test target of that name in the workspace).
const SNAPSHOT_PACKAGE: &str = "seventime-codegen";
const SNAPSHOT_TEST: &str = "snapshots";

fn regen(check: bool) -> Result<(), String> {
    let started = Instant::now();
    let spec = Spec::load(seventime_codegen::spec_path()).map_err(|e| e.to_string())?;
    let generated = Generated::from_spec(&spec).map_err(|e| e.to_string())?;
    let generation_time = started.elapsed();

    let snapshot_dir = seventime_codegen::workspace_root()
        .join("crates")
        .join(SNAPSHOT_PACKAGE)
        .join("tests")
        .join("snapshots");
    let before = read_snapshots(&snapshot_dir)?;

    // The snapshot tests are the one definition of what is pinned and how: run them, in update
    // mode for regen and in strict mode for --check, rather than re-implementing insta's format.
    let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cargo
        .args([
            "test",
            "--quiet",
            "--package",
            SNAPSHOT_PACKAGE,
            "--test",
            SNAPSHOT_TEST,
        ])
        .current_dir(seventime_codegen::workspace_root());
    if check {
        cargo
            .env("INSTA_UPDATE", "no")
            .env_remove("INSTA_FORCE_PASS");
    } else {
        cargo
            .env("INSTA_UPDATE", "always")
            .env("INSTA_FORCE_PASS", "1");
    }
    let status = cargo
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;

    let after = read_snapshots(&snapshot_dir)?;
    let changed = diff_names(&before, &after);

    if check {
        if !status.success() || !changed.is_empty() {
            return Err(
                "the snapshots of the generated surface are stale (the diff is above).\n  \
                 help: run `cargo xtask regen`, review the snapshot diff and commit it"
                    .into(),
            );
        }
        println!(
            "regen --check: everything derived from {} is up to date",
            spec.display_name()
        );
        return Ok(());
    }
    if !status.success() {
        return Err("the snapshot tests failed for a reason other than drift (see above)".into());
    }
    remove_pending(&snapshot_dir)?;
    print_summary(&spec, &generated, &changed, generation_time);
    Ok(())
}

fn print_summary(
    spec: &Spec,
    generated: &Generated,
    changed: &[String],
    generation_time: std::time::Duration,
) {
    let operations = spec
        .openapi()
        .paths
        .iter()
        .filter_map(|(_, item)| item.as_item())
        .map(|item| item.iter().count())
        .sum::<usize>();
    let schemas = spec
        .openapi()
        .components
        .as_ref()
        .map_or(0, |c| c.schemas.len());
    let variants = spec
        .named_enums()
        .iter()
        .map(|e| format!("{} {}", e.name, e.variants.len()))
        .collect::<Vec<_>>()
        .join(", ");
    println!("regenerated from {}", spec.display_name());
    println!("  operations:      {operations}");
    println!("  schemas:         {schemas}");
    println!("  enum variants:   {variants}");
    println!(
        "  generated:       {} lines of client, {} of httpmock helpers, {} of CLI in {:.0?}",
        generated.client.lines().count(),
        generated.httpmock.lines().count(),
        generated.cli.lines().count(),
        generation_time
    );
    if changed.is_empty() {
        println!("  snapshots:       unchanged");
    } else {
        println!("  snapshots changed (review with `git diff`):");
        for name in changed {
            println!("    {name}");
        }
    }
}

/// Snapshot file name → content, for every `.snap` file in `dir`.
fn read_snapshots(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut snapshots = BTreeMap::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(snapshots),
        Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
    };
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|ext| ext == "snap") {
            let content = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            snapshots.insert(relative(&path), content);
        }
    }
    Ok(snapshots)
}

/// Names of the snapshots that were added, removed or changed.
fn diff_names(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> Vec<String> {
    let names: std::collections::BTreeSet<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|name| before.get(*name) != after.get(*name))
        .collect();
    names.into_iter().cloned().collect()
}

/// Removes `.snap.new` / `.pending-snap` leftovers of earlier interrupted runs.
fn remove_pending(dir: &Path) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let path: PathBuf = entry.map_err(|e| e.to_string())?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.ends_with(".snap.new") || name.ends_with(".pending-snap") {
            std::fs::remove_file(&path)
                .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

fn relative(path: &Path) -> String {
    path.strip_prefix(seventime_codegen::workspace_root())
        .unwrap_or(path)
        .display()
        .to_string()
}
