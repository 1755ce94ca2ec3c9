//! `cargo xtask bench`: every benchmark of the workspace in one run, and a results table.
//!
//! Ratios are taken within one run (this machine's absolute numbers wander between runs), from
//! medians: criterion's for the in-process benchmarks, the median of repeated runs for the rest.

mod build_cost;
mod cli;
mod criterion;
mod mirror;
mod resolve;
mod table;
mod throughput;

use crate::run::{cargo, step, target_dir};
use build_cost::{build_cost, generated_size, rebuild};
use cli::{cli_start_up, list_all, peak_memory};
use criterion::criterion_benches;
use mirror::mirror;
use resolve::resolve_custom_fields;
use table::render;
use throughput::throughput;

/// Where the full run writes its table (committed); the quick run writes under `target/`.
const RESULTS: &str = "BENCHMARKS.md";
/// Where the one-off measurements start in BENCHMARKS.md (kept by a full run).
const ONE_OFF: &str = "## One-off measurements";
const CONCURRENCY: [u32; 3] = [1, 16, 64];
const MOCK_KEY: &str = "bench-key";

struct Settings {
    quick: bool,
    /// The cargo profile the binaries and criterion benches are built with, and the folder of
    /// the target directory it writes. The quick run uses the dev profile: CI has just built it
    /// for the tests, so the smoke run costs no second build of the workspace (its figures
    /// only show that every benchmark runs; the full run measures release binaries).
    profile: &'static str,
    profile_dir: &'static str,
    criterion_args: &'static [&'static str],
    wrk_seconds: u32,
    wrk_repeats: usize,
    cli_runs: usize,
    /// Records for the `list --all` benchmark, and how often it runs.
    list_records: usize,
    list_repeats: usize,
    /// The larger list of the peak-memory benchmark (the smaller is a tenth).
    memory_records: usize,
    /// Records and runs of the custom-field resolution benchmark.
    resolve_records: usize,
    resolve_runs: usize,
    /// Customers mirrored for rows per second (and peak memory, against a tenth of them),
    /// customers mirrored at 4 req/s, and (customers, changed) for the incremental run.
    mirror_records: usize,
    mirror_paced_records: usize,
    mirror_incremental: (usize, usize),
}

impl Settings {
    fn new(quick: bool) -> Self {
        if quick {
            Self {
                quick,
                profile: "dev",
                profile_dir: "debug",
                // Criterion's least: ten samples after a moment's warm-up (its `--quick` still
                // warms up for seconds and takes a hundred samples, minutes in a dev build).
                criterion_args: &[
                    "--warm-up-time",
                    "0.1",
                    "--measurement-time",
                    "0.3",
                    "--sample-size",
                    "10",
                    "--noplot",
                ],
                wrk_seconds: 1,
                wrk_repeats: 1,
                cli_runs: 5,
                list_records: 2_000,
                list_repeats: 1,
                memory_records: 10_000,
                resolve_records: 5_000,
                resolve_runs: 1,
                mirror_records: 5_000,
                mirror_paced_records: 2_000,
                mirror_incremental: (2_000, 600),
            }
        } else {
            Self {
                quick,
                profile: "release",
                profile_dir: "release",
                criterion_args: &[
                    "--warm-up-time",
                    "3",
                    "--measurement-time",
                    "10",
                    "--noplot",
                ],
                wrk_seconds: 5,
                wrk_repeats: 3,
                cli_runs: 30,
                list_records: 10_000,
                list_repeats: 3,
                memory_records: 100_000,
                resolve_records: 100_000,
                resolve_runs: 3,
                mirror_records: 100_000,
                mirror_paced_records: 10_000,
                mirror_incremental: (10_000, 600),
            }
        }
    }
}

/// One row of the results table.
struct Row {
    benchmark: String,
    measured: String,
    baseline: String,
    ratio: Option<f64>,
    goal: &'static str,
    met: Option<bool>,
    /// How it is measured, for the Methods list under the table; rows measured alike share
    /// the text, which is then printed once.
    method: &'static str,
}

/// Runs every measurement and writes the table: BENCHMARKS.md, or `target/` for `--quick`.
pub fn bench(quick: bool) -> Result<(), String> {
    let settings = Settings::new(quick);
    let root = seventime_codegen::workspace_root().map_err(|e| e.to_string())?;
    let target = target_dir(&root)?;
    let release = target.join(settings.profile_dir);

    step(&format!(
        "building the binaries ({} profile)",
        settings.profile
    ));
    if settings.quick {
        // The build the README's test command makes (CI's has just run): the CLI's and the
        // mock's binaries come with it, with the features the whole workspace unifies to.
        cargo(&root, &["test", "--workspace", "--no-run"])?;
    } else {
        cargo(
            &root,
            &[
                "build",
                "--release",
                "--package",
                "seventime-mock",
                "--package",
                "seventime-cli",
                "--package",
                "seventime-bench",
                "--bins",
            ],
        )?;
    }

    let mut rows = Vec::new();
    criterion_benches(&root, &target, &settings, &mut rows)?;
    throughput(&release, &settings, &mut rows)?;
    cli_start_up(&release, &settings, &mut rows)?;
    list_all(&release, &settings, &mut rows)?;
    peak_memory(&release, &settings, &mut rows)?;
    resolve_custom_fields(&release, &settings, &mut rows)?;
    mirror(&release, &settings, &mut rows)?;
    generated_size(&mut rows)?;
    if !settings.quick {
        rebuild(&root, &mut rows)?;
        build_cost(&root, &mut rows)?;
    }

    let table = render(&rows, &settings);
    let out = if settings.quick {
        target.join("benchmarks-quick.md")
    } else {
        root.join(RESULTS)
    };
    // Measurements made once, by hand, for a change (their method says how to redo them)
    // follow a marker in BENCHMARKS.md; a full run rewrites the table above it and keeps them.
    let table = match std::fs::read_to_string(&out) {
        Ok(current) if !settings.quick => match current.find(ONE_OFF) {
            Some(at) => format!("{table}\n{}", &current[at..]),
            None => table,
        },
        _ => table,
    };
    std::fs::write(&out, &table).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!("\n{table}\nwritten to {}", out.display());
    Ok(())
}

pub(super) fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

pub(super) fn micros(ns: f64) -> String {
    format!("{:.1} µs", ns / 1e3)
}

pub(super) fn millis(ns: f64) -> String {
    format!("{:.2} ms", ns / 1e6)
}
