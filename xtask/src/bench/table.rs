//! The results table, as written to BENCHMARKS.md, with the machine it was measured on.

use std::process::Command;

use super::{Row, Settings};

pub(super) fn render(rows: &[Row], settings: &Settings) -> String {
    let mut out = String::new();
    out.push_str("# Benchmarks\n\n");
    out.push_str(if settings.quick {
        "Quick smoke run (`cargo xtask bench --quick`): dev-profile binaries and short runs, so \
         the figures only show that every benchmark runs; see BENCHMARKS.md for real numbers.\n\n"
    } else {
        "Written by `cargo xtask bench` (about ten minutes); reproduce with the same command. \
         Ratios are taken within one run, from medians: absolute numbers on a shared 2-core \
         machine drift by ±10 % between runs, ratios much less.\n\n"
    });
    out.push_str(&format!("Machine: {}\n\n", machine()));
    out.push_str(
        "| benchmark | measured | baseline | ratio | goal | met |\n|---|---|---|---|---|---|\n",
    );
    for row in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            row.benchmark,
            row.measured,
            row.baseline,
            row.ratio.map_or("–".into(), |r| format!("{r:.3}")),
            row.goal,
            match row.met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "–",
            }
        ));
    }
    out.push_str("\nMethods:\n");
    let mut written: Vec<&str> = Vec::new();
    for row in rows {
        if !written.contains(&row.method) {
            written.push(row.method);
            out.push_str(&format!("- {}\n", row.method));
        }
    }
    out
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("model name"))
                .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("MemTotal:"))
                .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or("unknown memory".into(), |kb| {
            format!("{:.0} GiB", kb / 1024.0 / 1024.0)
        });
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!("{cpu}, {cores} cores, {memory}; {rustc}; {date}")
}
