//! What the build scripts of the client and the CLI run.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::{Generated, Spec};

/// One of the generated sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// [`Generated::client`].
    Client,
    /// [`Generated::httpmock`].
    Httpmock,
    /// [`Generated::cli`].
    Cli,
    /// [`Generated::examples`].
    Examples,
}

impl Source {
    fn of(self, generated: &Generated) -> &str {
        match self {
            Self::Client => &generated.client,
            Self::Httpmock => &generated.httpmock,
            Self::Cli => &generated.cli,
            Self::Examples => &generated.examples,
        }
    }
}

/// Generates from the workspace spec and writes each `(source, file name)` into `OUT_DIR`,
/// telling cargo to rerun when the spec changes. On failure it prints one readable message
/// (the spec problem, file, place and fix) and returns a failing exit code, never a panic.
///
/// ```no_run
/// // build.rs
/// fn main() -> std::process::ExitCode {
///     use seventime_codegen::build_script::{Source, write_to_out_dir};
///     write_to_out_dir("the Seven Time client", &[(Source::Client, "codegen.rs")])
/// }
/// ```
pub fn write_to_out_dir(what: &str, outputs: &[(Source, &str)]) -> ExitCode {
    let spec_path = crate::spec_path();
    println!("cargo::rerun-if-changed={}", spec_path.display());

    let generated = match Spec::load(&spec_path).and_then(|spec| Generated::from_spec(&spec)) {
        Ok(generated) => generated,
        Err(error) => {
            // Cargo prints a failing build script's stderr.
            eprintln!("error: cannot generate {what}\n{error}");
            return ExitCode::FAILURE;
        }
    };
    let Some(out_dir) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        eprintln!("error: OUT_DIR is not set; run this from a cargo build script");
        return ExitCode::FAILURE;
    };
    for (source, file) in outputs {
        let path = out_dir.join(file);
        if let Err(error) = std::fs::write(&path, source.of(&generated)) {
            eprintln!("error: cannot write {}: {error}", path.display());
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
