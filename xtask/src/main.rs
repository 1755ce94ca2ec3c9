//! `cargo xtask` — project automation (see `cargo xtask --help`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

mod bench;
mod examples;
mod man;
mod run;
mod semver;

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
    /// Build every example of the client crate and run each against the mock.
    Examples,
    /// Write man pages for `seventime` and every subcommand to target/man/man1.
    Man,
    /// The semver verdict of the spec edits since a git ref: what they do to the crate's users.
    Semver {
        /// The git ref to compare with; the last release tag (v*) when left out.
        #[arg(long, value_name = "GIT_REF")]
        since: Option<String>,
        /// Fail when the verdict needs a bigger version bump than Cargo.toml's since that ref.
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
        Task::Examples => examples::examples(),
        Task::Man => man::man(),
        Task::Semver { since, check } => semver::semver(since, check),
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
    let spec = Spec::load(seventime_codegen::spec_path().map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    let generated = Generated::from_spec(&spec).map_err(|e| e.to_string())?;
    let generation_time = started.elapsed();

    let root = seventime_codegen::workspace_root().map_err(|e| e.to_string())?;
    let snapshot_dir = root
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
        .current_dir(&root);
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
    let mut changed = diff_names(&before, &after);

    // The client crate packages a copy of the spec, since a published crate cannot read the
    // workspace (see `seventime_codegen::build_script::spec_for_build`).
    let copy = root
        .join("crates")
        .join(seventime_codegen::CLIENT_CRATE)
        .join(seventime_codegen::SPEC_IN_CLIENT_CRATE);
    let text = std::fs::read_to_string(spec.path())
        .map_err(|e| format!("cannot read {}: {e}", spec.path().display()))?;
    if ensure_file(&copy, &text, check)? {
        changed.push(relative(&copy));
    }

    // What the edits since the last commit do to the crate's users, and the changelog entry.
    // Both need history; a tree without it (a release tarball, an unpacked package, a vendored
    // copy) is checked for everything else.
    let history = semver::history(&root);
    let verdict = match &history {
        Ok(()) => semver::verdict_since(&root, "HEAD"),
        Err(why) => {
            println!(
                "regen: {why}: skipped the semver verdict and the CHANGELOG entry (they compare with HEAD); checked the rest"
            );
            Err(why.clone())
        }
    };
    match &verdict {
        Ok(verdict) => {
            let current = std::fs::read_to_string(root.join(semver::CHANGELOG))
                .map_err(|e| format!("cannot read {}: {e}", semver::CHANGELOG))?;
            let at_head =
                semver::git(&root, &["show", &format!("HEAD:{}", semver::CHANGELOG)]).ok();
            let text = semver::changelog(&current, at_head.as_deref(), verdict)?;
            if ensure_file(&root.join(semver::CHANGELOG), &text, check)? {
                changed.push(semver::CHANGELOG.to_string());
            }
        }
        Err(error) if check && history.is_ok() => {
            return Err(format!("cannot compare the spec with HEAD's: {error}"));
        }
        Err(_) => {}
    }

    if check {
        if !status.success() || !changed.is_empty() {
            return Err(format!(
                "what is derived from the spec is stale: {}.\n  \
                     help: run `cargo xtask regen`, review the diff and commit it",
                if changed.is_empty() {
                    "the snapshot tests failed (see above)".to_string()
                } else {
                    changed.join(", ")
                }
            ));
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
    match verdict {
        Ok(verdict) => print!("\n{verdict}"),
        Err(error) => println!("\nAPI impact: unknown ({error})"),
    }
    Ok(())
}

fn print_summary(
    spec: &Spec,
    generated: &Generated,
    changed: &[String],
    generation_time: std::time::Duration,
) {
    let operations = spec.operation_count();
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
        println!("  derived files:   unchanged");
    } else {
        println!("  derived files changed (review with `git diff`):");
        for name in changed {
            println!("    {name}");
        }
    }
}

/// Makes `path` hold `contents` and says whether it had to change; in check mode it changes
/// nothing and only says whether it would.
fn ensure_file(path: &Path, contents: &str, check: bool) -> Result<bool, String> {
    if std::fs::read_to_string(path).is_ok_and(|current| current == contents) {
        return Ok(false);
    }
    if !check {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(path, contents)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(true)
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
    let root = seventime_codegen::workspace_root().unwrap_or_default();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}
