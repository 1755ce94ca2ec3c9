//! The mock's throughput against a minimal hyper server, measured with `wrk`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{CONCURRENCY, MOCK_KEY, Row, Settings, median};
use crate::run::{Server, step};

const THROUGHPUT_METHOD: &str = "Throughput — `wrk -t1`, interleaved runs per server (5 s, three each), against the release `seventime-mock` (rate limit off) and `floor-server` (plain hyper returning the mock's exact bytes).";

/// Requests per second of the release mock against a minimal hyper server.
pub(super) fn throughput(
    release: &Path,
    settings: &Settings,
    rows: &mut Vec<Row>,
) -> Result<(), String> {
    step("throughput: mock vs minimal hyper server (wrk)");
    let wrk = which("wrk")
        .ok_or("wrk is not installed; install it (`apt-get install wrk`) and run again")?;
    let floor = Server::start(&release.join("floor-server"), &["0"], &[], "http://")?;
    let mock = Server::start(
        &release.join("seventime-mock"),
        &["--port", "0", "--no-rate-limit"],
        &[("SEVENTIME_MOCK_CLIENT_SECRET", MOCK_KEY)],
        "SEVENTIME_BASE_URL=",
    )?;
    // The path form of the custom-fields operation for invoices (400), and the key header, as
    // the spec has them.
    let spec =
        seventime_codegen::Spec::load(seventime_codegen::spec_path().map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    let path = spec
        .operation_path("get_custom_fields")
        .ok_or("the spec has no operation get_custom_fields")?
        .replace("{entityType}", "400");
    let key_header = spec.api_key_header();
    for connections in CONCURRENCY {
        let (mut floor_runs, mut mock_runs) = (Vec::new(), Vec::new());
        // Interleaved, so that drift of the machine affects both alike.
        for _ in 0..settings.wrk_repeats {
            floor_runs.push(wrk_rps(
                &wrk,
                &floor.url,
                &path,
                connections,
                settings.wrk_seconds,
                None,
            )?);
            mock_runs.push(wrk_rps(
                &wrk,
                &mock.url,
                &path,
                connections,
                settings.wrk_seconds,
                Some((key_header, MOCK_KEY)),
            )?);
        }
        let (floor_rps, mock_rps) = (median(&mut floor_runs), median(&mut mock_runs));
        let ratio = mock_rps / floor_rps;
        rows.push(Row {
            benchmark: format!(
                "Mock throughput, {connections} keep-alive connection(s), vs hyper floor"
            ),
            measured: format!("{mock_rps:.0} req/s"),
            baseline: format!("{floor_rps:.0} req/s"),
            ratio: Some(ratio),
            goal: "ratio ≥ 0.7",
            met: Some(ratio >= 0.7),
            method: THROUGHPUT_METHOD,
        });
    }
    Ok(())
}

fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|path| path.is_file())
    })
}

/// Requests per second that `wrk` measured: one thread, `connections` keep-alive connections,
/// bounded to `seconds`, loopback only.
fn wrk_rps(
    wrk: &Path,
    url: &str,
    path: &str,
    connections: u32,
    seconds: u32,
    header: Option<(&str, &str)>,
) -> Result<f64, String> {
    if !url.starts_with("http://127.0.0.1:") {
        return Err(format!("refusing to load anything but loopback: {url}"));
    }
    let mut command = Command::new(wrk);
    command.args([
        "-t1",
        &format!("-c{connections}"),
        &format!("-d{seconds}s"),
        "--timeout",
        "5s",
    ]);
    if let Some((name, value)) = header {
        command.args(["-H", &format!("{name}: {value}")]);
    }
    let output = command
        .arg(format!("{url}{path}"))
        .output()
        .map_err(|e| format!("cannot run wrk: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let errors = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "wrk failed against {url} ({}): {errors}{text}",
            output.status
        ));
    }
    if text.contains("Non-2xx or 3xx responses") {
        return Err(format!("wrk saw error responses from {url}:\n{text}"));
    }
    text.lines()
        .find_map(|line| line.strip_prefix("Requests/sec:"))
        .and_then(|rps| rps.trim().parse().ok())
        .ok_or_else(|| format!("wrk printed no Requests/sec:\n{text}{errors}"))
}
