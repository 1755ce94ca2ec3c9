//! Custom-field resolution over a long typed stream, timed by `resolve-stream`.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use super::{Row, Settings};
use crate::run::step;

const RESOLVE_METHOD: &str = "Custom-field resolution — `resolve-stream` (seventime-bench, release): an in-process mock holding N invoices, each with a value for every custom field of the invoice configuration, both rate limits off; the typed stream of every invoice, plain and with `.with_custom_fields(&client)`, alternately, median of the runs. The configuration is fetched before timing, as the client's cache keeps it after the first use.";

/// Resolving custom fields over a long stream, against the same stream unresolved.
pub(super) fn resolve_custom_fields(
    release: &Path,
    settings: &Settings,
    rows: &mut Vec<Row>,
) -> Result<(), String> {
    let records = settings.resolve_records;
    step(&format!("custom-field resolution over {records} records"));
    let program = release.join("resolve-stream");
    let output = Command::new(&program)
        .args([records.to_string(), settings.resolve_runs.to_string()])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    if !output.status.success() {
        return Err(format!(
            "resolve-stream failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let figures: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("resolve-stream printed no JSON: {e}"))?;
    let seconds = |name: &str| {
        figures[name]
            .as_f64()
            .ok_or_else(|| format!("resolve-stream printed no `{name}`"))
    };
    let (plain, resolved) = (seconds("plain")?, seconds("resolved")?);
    let ratio = resolved / plain;
    rows.push(Row {
        benchmark: format!(
            "Stream of {records} invoices with custom fields resolved vs unresolved"
        ),
        measured: format!("{resolved:.2} s"),
        baseline: format!("{plain:.2} s"),
        ratio: Some(ratio),
        goal: "ratio ≤ 1.05",
        met: Some(ratio <= 1.05),
        method: RESOLVE_METHOD,
    });
    Ok(())
}
