//! Running cargo and server processes, for the tasks that need them.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// The target directory cargo really uses (CARGO_TARGET_DIR and config included).
pub(crate) fn target_dir(root: &Path) -> Result<PathBuf, String> {
    metadata(root)?["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .ok_or_else(|| "cargo metadata names no target_directory".to_string())
}

/// The names of `package`'s benchmark targets, as its manifest declares them.
pub(crate) fn bench_targets(root: &Path, package: &str) -> Result<Vec<String>, String> {
    let metadata = metadata(root)?;
    let package = metadata["packages"]
        .as_array()
        .and_then(|packages| packages.iter().find(|p| p["name"] == package))
        .ok_or_else(|| format!("cargo metadata lists no package `{package}`"))?;
    Ok(package["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|target| {
            target["kind"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k == "bench"))
        })
        .filter_map(|target| target["name"].as_str().map(str::to_string))
        .collect())
}

/// `cargo metadata` of the workspace's own packages.
fn metadata(root: &Path) -> Result<Value, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("cannot parse cargo metadata: {e}"))
}

/// Prints the heading of a step.
pub(crate) fn step(what: &str) {
    println!("\n==> {what}");
}

/// Runs cargo (the one that runs xtask) with `args` in `root`; fails naming the command.
pub(crate) fn cargo(root: &Path, args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(args)
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| format!("`cargo {}` failed ({status})", args.join(" ")))
}

/// A server process on 127.0.0.1, killed when dropped. Its stdout stays open (and unread) for
/// its lifetime: closing it could make a later write of the server fail.
pub(crate) struct Server {
    child: Child,
    pub(crate) url: String,
    _stdout: BufReader<std::process::ChildStdout>,
}

impl Server {
    /// Starts `program` and reads its URL from the first stdout line starting with `marker`.
    pub(crate) fn start(
        program: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        marker: &str,
    ) -> Result<Self, String> {
        let mut child = Command::new(program)
            .args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
        let mut stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        let mut line = String::new();
        loop {
            line.clear();
            let read = stdout.read_line(&mut line).map_err(|e| e.to_string())?;
            if read == 0 {
                let _ = child.kill();
                return Err(format!(
                    "{} exited without printing its URL",
                    program.display()
                ));
            }
            let line = line.trim_end();
            if let Some(rest) = line.strip_prefix(marker) {
                let url = if marker == "http://" { line } else { rest }.to_string();
                return Ok(Self {
                    child,
                    url,
                    _stdout: stdout,
                });
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
