//! `cargo xtask examples`: builds every example of the client crate and of the mirror crate and
//! runs each against the mock, as a user would run it against the service — the key and base URL from the
//! environment. An example that fails, or that the mock cannot serve, fails the task.

use std::path::Path;
use std::process::Command;

use crate::run::{Server, cargo, step, target_dir};

/// The crates whose `examples/` are run.
const EXAMPLES_OF: [&str; 2] = ["seventime", "seventime-sync"];
/// The key the mock is started with and the examples are given.
const KEY: &str = "examples-key-2c7e";

/// Runs every example in `crates/seventime/examples` and `crates/seventime-sync/examples`
/// against a freshly started mock.
pub fn examples() -> Result<(), String> {
    let root = seventime_codegen::workspace_root().map_err(|e| e.to_string())?;
    let target = target_dir(&root)?.join("debug");
    let mut names = Vec::new();
    for krate in EXAMPLES_OF {
        let found = example_names(&root.join("crates").join(krate).join("examples"))?;
        if found.is_empty() {
            return Err(format!("crates/{krate}/examples holds no examples"));
        }
        names.extend(found);
    }

    step("building the examples and the mock");
    let mut args = vec!["build"];
    for krate in EXAMPLES_OF {
        args.extend(["--package", krate]);
    }
    args.extend([
        "--examples",
        "--features",
        "seventime/httpmock",
        "--package",
        "seventime-mock",
        "--bin",
        "seventime-mock",
    ]);
    cargo(&root, &args)?;
    let mock = Server::start(
        &target.join("seventime-mock"),
        &["--port", "0"],
        &[("SEVENTIME_MOCK_CLIENT_SECRET", KEY)],
        &format!("{}=", seventime_env::BASE_URL),
    )?;

    let mut failed = Vec::new();
    for name in &names {
        step(&format!("example {name}"));
        let program = target.join("examples").join(name);
        let output = Command::new(&program)
            .env(seventime_env::BASE_URL, &mock.url)
            .env(seventime_env::API_KEY, KEY)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
        print!("{}", String::from_utf8_lossy(&output.stdout));
        if !output.status.success() {
            eprint!("{}", String::from_utf8_lossy(&output.stderr));
            failed.push(format!("{name} ({})", output.status));
        }
    }
    if failed.is_empty() {
        println!("\nall {} examples ran against the mock", names.len());
        Ok(())
    } else {
        Err(format!(
            "examples failed against the mock: {}",
            failed.join(", ")
        ))
    }
}

/// The environment variables the client reads (`seventime::API_KEY_ENV`, `BASE_URL_ENV`), as
/// the mock prints them at start. xtask does not depend on the client, so that it still runs
/// when the spec does not generate.
mod seventime_env {
    /// The API key.
    pub const API_KEY: &str = "SEVENTIME_CLIENT_SECRET";
    /// The base URL.
    pub const BASE_URL: &str = "SEVENTIME_BASE_URL";
}

/// The example names (file stems of `*.rs`), sorted.
fn example_names(dir: &Path) -> Result<Vec<String>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|ext| ext == "rs")
            && let Some(stem) = path.file_stem()
        {
            names.push(stem.to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}
