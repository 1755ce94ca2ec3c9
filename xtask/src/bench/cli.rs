//! The release CLI timed and measured: start-up, `list --all` against the rate-limit floor, and
//! its peak memory.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use super::{MOCK_KEY, Row, Settings, median, millis};
use crate::run::{Server, step};

const START_UP_METHOD: &str = "CLI start-up — wall time of the release binary, median.";

/// Wall time of the CLI's cheapest command.
pub(super) fn cli_start_up(
    release: &Path,
    settings: &Settings,
    rows: &mut Vec<Row>,
) -> Result<(), String> {
    step("CLI start-up: seventime entity-types");
    let seventime = release.join("seventime");
    let mut runs = Vec::new();
    for _ in 0..settings.cli_runs {
        let started = Instant::now();
        let status = Command::new(&seventime)
            .arg("entity-types")
            .stdout(Stdio::null())
            .status()
            .map_err(|e| format!("cannot run {}: {e}", seventime.display()))?;
        if !status.success() {
            return Err(format!("seventime entity-types failed: {status}"));
        }
        runs.push(started.elapsed().as_secs_f64() * 1e9);
    }
    rows.push(Row {
        benchmark: format!(
            "CLI start-up: `seventime entity-types` (median of {})",
            settings.cli_runs
        ),
        measured: millis(median(&mut runs)),
        baseline: "–".into(),
        ratio: None,
        goal: "report",
        met: None,
        method: START_UP_METHOD,
    });
    Ok(())
}

/// What one run of the CLI took, and what it printed.
pub(super) struct CliRun {
    pub(super) seconds: f64,
    /// Lines it printed (one per record with `-o jsonl`).
    pub(super) lines: usize,
    /// Its stdout.
    pub(super) stdout: String,
    /// Peak resident set size, in KiB, as the kernel reports it for the process.
    pub(super) peak_kib: Option<u64>,
}

/// Runs `seventime` with `args` against `mock`, reading its stdout as it flows, and reports its
/// wall time and peak memory; fails with its stderr when it fails.
pub(super) fn run_cli(seventime: &Path, mock: &Server, args: &[&str]) -> Result<CliRun, String> {
    let started = Instant::now();
    let mut child = Command::new(seventime)
        .args(args)
        .env("SEVENTIME_BASE_URL", &mock.url)
        .env("SEVENTIME_CLIENT_SECRET", MOCK_KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", seventime.display()))?;
    let mut stdout = child.stdout.take().ok_or("no stdout")?;
    // Read on a thread of its own, so that memory is sampled while the output flows.
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        stdout
            .read_to_string(&mut text)
            .map(|_| text)
            .map_err(|e| format!("reading seventime's output: {e}"))
    });
    let (success, peak_kib) = wait_with_peak_memory(&mut child)?;
    let stdout = reader
        .join()
        .map_err(|_| "the output reader panicked".to_string())??;
    let seconds = started.elapsed().as_secs_f64();
    if !success {
        let mut errors = String::new();
        if let Some(mut stderr) = child.stderr.take() {
            let _ = stderr.read_to_string(&mut errors);
        }
        return Err(format!("seventime {} failed: {errors}", args.join(" ")));
    }
    Ok(CliRun {
        seconds,
        lines: stdout.lines().count(),
        stdout,
        peak_kib,
    })
}

/// Waits for `child`; whether it succeeded, and its peak RSS where the platform reports it.
///
/// The peak is the kernel's high-water mark (`VmHWM` in `/proc/<pid>/status`), sampled every
/// 5 ms until the process exits; the mark only rises, so the last sample misses at most the
/// last few milliseconds, when the process is tearing down.
pub(super) fn wait_with_peak_memory(child: &mut Child) -> Result<(bool, Option<u64>), String> {
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = None;
    loop {
        let sample = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|status| {
                status
                    .lines()
                    .find_map(|line| line.strip_prefix("VmHWM:"))
                    .and_then(|kib| kib.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            });
        if sample.is_some() {
            peak = sample.max(peak);
        }
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return Ok((status.success(), peak));
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// A release mock holding `records` records in every paginated list, rate limited as documented,
/// with the customers made (they are made on the first request; the benchmarks time the
/// listing, not the mock's start).
pub(super) fn mock_with_records(
    release: &Path,
    records: usize,
    rate_limited: bool,
) -> Result<Server, String> {
    let records = records.to_string();
    let mut args = vec!["--port", "0", "--records", &records];
    if !rate_limited {
        args.push("--no-rate-limit");
    }
    let mock = Server::start(
        &release.join("seventime-mock"),
        &args,
        &[("SEVENTIME_MOCK_CLIENT_SECRET", MOCK_KEY)],
        "SEVENTIME_BASE_URL=",
    )?;
    run_cli(
        &release.join("seventime"),
        &mock,
        &["list", "customers", "--limit", "1", "-o", "jsonl"],
    )?;
    // Let the mock's limiter forget the warm-up request.
    std::thread::sleep(std::time::Duration::from_millis(1_100));
    Ok(mock)
}

const LIST_ALL_METHOD: &str = "Listing — the release `seventime list customers --all -o jsonl` against the release mock with `--records N` and the documented limit of 4 requests per second on both sides; wall time from spawn to exit, stdout read and its lines counted (every record must arrive); median of the runs. The floor is the time the rate limit alone imposes on ⌈N/500⌉ evenly spaced requests at 4 per second: (⌈N/500⌉ − 1) / 4 s (stricter than ⌈N/500⌉ / 4 s, which would flatter the ratio by a quarter second). The mock makes its records on the first request, so a warm-up request comes first.";

/// `seventime list customers --all` over many records against the rate-limit floor.
pub(super) fn list_all(
    release: &Path,
    settings: &Settings,
    rows: &mut Vec<Row>,
) -> Result<(), String> {
    let records = settings.list_records;
    step(&format!(
        "seventime list customers --all over {records} records at 4 req/s"
    ));
    let mock = mock_with_records(release, records, true)?;
    let mut runs = Vec::new();
    for _ in 0..settings.list_repeats {
        let run = run_cli(
            &release.join("seventime"),
            &mock,
            &["list", "customers", "--all", "-o", "jsonl"],
        )?;
        if run.lines != records {
            return Err(format!(
                "seventime list customers --all printed {} records of {records}",
                run.lines
            ));
        }
        runs.push(run.seconds * 1e9);
        std::thread::sleep(std::time::Duration::from_millis(1_100));
    }
    let measured = median(&mut runs);
    // The page size `--all` uses: the largest the spec documents for the operation.
    let spec =
        seventime_codegen::Spec::load(seventime_codegen::spec_path().map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    let page_size = spec
        .paginated()
        .iter()
        .find(|paginated| paginated.operation.id == "list_customers")
        .and_then(|paginated| paginated.operation.max_page_size)
        .ok_or("the spec does not mark list_customers as paginated with a largest page size")?;
    let requests = records.div_ceil(usize::try_from(page_size).map_err(|e| e.to_string())?);
    // The client spaces requests evenly at 4 per second: the first goes at once, the last
    // (requests - 1) / 4 s later. Nothing can finish sooner.
    let floor = (requests - 1) as f64 / 4.0 * 1e9;
    let ratio = measured / floor;
    rows.push(Row {
        benchmark: format!(
            "`seventime list customers --all`, {records} records at 4 req/s, vs the rate-limit floor ({requests} requests)"
        ),
        measured: format!("{:.2} s", measured / 1e9),
        baseline: format!("{:.2} s", floor / 1e9),
        ratio: Some(ratio),
        goal: "ratio ≤ 1.1",
        met: Some(ratio <= 1.1),
        method: LIST_ALL_METHOD,
    });
    Ok(())
}

const PEAK_MEMORY_METHOD: &str = "Peak memory — the CLI's own peak resident set size (the kernel's `VmHWM`, sampled every 5 ms) for `seventime list customers --all -o jsonl` over N and over N/10 records, the rate limit off on both sides (pacing changes the time, not what is held); flat means the larger list costs no more than a few pages more.";

/// Peak memory of the CLI streaming a long list, against a list a tenth as long.
pub(super) fn peak_memory(
    release: &Path,
    settings: &Settings,
    rows: &mut Vec<Row>,
) -> Result<(), String> {
    let large = settings.memory_records;
    let small = large / 10;
    step(&format!(
        "peak memory of seventime list --all: {small} vs {large} records"
    ));
    let mut peaks = Vec::new();
    for records in [small, large] {
        let mock = mock_with_records(release, records, false)?;
        let run = run_cli(
            &release.join("seventime"),
            &mock,
            &["list", "customers", "--all", "-o", "jsonl"],
        )?;
        if run.lines != records {
            return Err(format!("printed {} records of {records}", run.lines));
        }
        let Some(peak) = run.peak_kib else {
            return Ok(()); // The platform does not report it: no row rather than a wrong one.
        };
        peaks.push(peak as f64);
    }
    let ratio = peaks[1] / peaks[0];
    rows.push(Row {
        benchmark: format!(
            "Peak memory of `seventime list customers --all`, {large} vs {small} records"
        ),
        measured: format!("{:.1} MiB", peaks[1] / 1024.0),
        baseline: format!("{:.1} MiB", peaks[0] / 1024.0),
        ratio: Some(ratio),
        goal: "ratio ≤ 1.2 (flat)",
        met: Some(ratio <= 1.2),
        method: PEAK_MEMORY_METHOD,
    });
    Ok(())
}
