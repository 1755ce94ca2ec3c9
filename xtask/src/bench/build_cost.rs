//! What the generated client costs the edit–build loop: its size, its build, and the rebuild
//! after a spec edit.

use std::path::Path;
use std::time::Instant;

use super::Row;
use crate::run::{cargo, step};

const REBUILD_METHOD: &str = "Rebuild — the spec's modification time is renewed and `cargo test --workspace --no-run` is timed.";

/// Every test binary rebuilt after a spec edit.
pub(super) fn rebuild(root: &Path, rows: &mut Vec<Row>) -> Result<(), String> {
    step("spec edit → test binaries rebuilt");
    cargo(root, &["test", "--workspace", "--no-run", "--quiet"])?;
    touch_spec()?;
    let started = Instant::now();
    cargo(root, &["test", "--workspace", "--no-run", "--quiet"])?;
    rows.push(Row {
        benchmark:
            "Spec edit → every test binary rebuilt (`cargo test --workspace --no-run`, dev profile)"
                .into(),
        measured: format!("{:.1} s", started.elapsed().as_secs_f64()),
        baseline: "–".into(),
        ratio: None,
        goal: "report",
        met: None,
        method: REBUILD_METHOD,
    });
    Ok(())
}

/// Renews the spec's modification time, which is what cargo sees of an edit; the content stays.
fn touch_spec() -> Result<(), String> {
    let spec = seventime_codegen::spec_path().map_err(|e| e.to_string())?;
    let file = std::fs::File::options()
        .append(true)
        .open(&spec)
        .map_err(|e| format!("cannot open {}: {e}", spec.display()))?;
    file.set_modified(std::time::SystemTime::now())
        .map_err(|e| format!("cannot touch {}: {e}", spec.display()))
}

const GENERATED_SIZE_METHOD: &str = "Generated size — `Generated::from_spec` on the spec, in process; lines of the formatted client divided by the spec's operations.";

/// How much client code the spec generates, per operation.
pub(super) fn generated_size(rows: &mut Vec<Row>) -> Result<(), String> {
    let spec =
        seventime_codegen::Spec::load(seventime_codegen::spec_path().map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    let generated = seventime_codegen::Generated::from_spec(&spec).map_err(|e| e.to_string())?;
    let operations = spec.document()["paths"].as_object().map_or(0, |paths| {
        paths
            .values()
            .filter(|item| item.get("get").is_some())
            .count()
    });
    let lines = generated.client.lines().count();
    rows.push(Row {
        benchmark: format!(
            "Generated client: lines per operation ({lines} lines, {operations} operations)"
        ),
        measured: format!("{:.0}", lines as f64 / operations.max(1) as f64),
        baseline: "–".into(),
        ratio: None,
        goal: "report",
        met: None,
        method: GENERATED_SIZE_METHOD,
    });
    Ok(())
}

const BUILD_COST_METHOD: &str = "Build cost — dev profile, dependencies already built: `cargo clean -p seventime` then `cargo build -p seventime` (the build script, generation and the generated client compiled from scratch); then the spec's modification time is renewed and `cargo build -p seventime` is timed again.";

/// The cost of the generated client in the edit–build loop.
pub(super) fn build_cost(root: &Path, rows: &mut Vec<Row>) -> Result<(), String> {
    step("build cost of the generated client");
    cargo(root, &["build", "--package", "seventime", "--quiet"])?;
    cargo(root, &["clean", "--package", "seventime", "--quiet"])?;
    let started = Instant::now();
    cargo(root, &["build", "--package", "seventime", "--quiet"])?;
    let clean = started.elapsed().as_secs_f64();
    touch_spec()?;
    let started = Instant::now();
    cargo(root, &["build", "--package", "seventime", "--quiet"])?;
    let edit = started.elapsed().as_secs_f64();
    rows.push(Row {
        benchmark: "Clean build of `seventime` (dev profile, dependencies built)".into(),
        measured: format!("{clean:.1} s"),
        baseline: "–".into(),
        ratio: None,
        goal: "report",
        met: None,
        method: BUILD_COST_METHOD,
    });
    rows.push(Row {
        benchmark: "Spec edit → `cargo build -p seventime` (dev profile)".into(),
        measured: format!("{edit:.1} s"),
        baseline: "–".into(),
        ratio: None,
        goal: "≤ 10 s",
        met: Some(edit <= 10.0),
        method: BUILD_COST_METHOD,
    });
    Ok(())
}
