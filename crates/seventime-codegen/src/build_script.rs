//! What the build scripts of the client, the CLI and the mock run.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::{CLIENT_CRATE, Generated, SPEC_IN_CLIENT_CRATE, SPEC_IN_WORKSPACE, Spec};

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

/// Generates from the spec and writes each `(source, file name)` into `OUT_DIR`, telling cargo
/// to rerun when the spec changes. On failure it prints one readable message (the spec problem,
/// file, place and fix) and returns a failing exit code, never a panic.
///
/// The spec is found as [`spec_for_build`] says. Run by the client crate, it also passes the
/// path on to the build scripts of the crates that depend on it (`links = "seventime"` in its
/// manifest makes cargo hand them `DEP_SEVENTIME_SPEC`).
///
/// ```no_run
/// // build.rs
/// fn main() -> std::process::ExitCode {
///     use seventime_codegen::build_script::{Source, write_to_out_dir};
///     write_to_out_dir("the Seven Time client", &[(Source::Client, "codegen.rs")])
/// }
/// ```
pub fn write_to_out_dir(what: &str, outputs: &[(Source, &str)]) -> ExitCode {
    let spec_path = match spec_for_build() {
        Ok(path) => path,
        Err(message) => {
            eprintln!("error: cannot generate {what}: {message}");
            return ExitCode::FAILURE;
        }
    };
    println!("cargo::rerun-if-changed={}", spec_path.display());
    if std::env::var("CARGO_PKG_NAME").as_deref() == Ok(CLIENT_CRATE) {
        println!("cargo::metadata=spec={}", spec_path.display());
    }

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

/// The spec a build script generates from, first found of:
///
/// 1. the workspace's [`SPEC_IN_WORKSPACE`], when the package being built sits two levels
///    below a directory holding it and a `Cargo.toml` (`crates/<name>` of a seventime-rs
///    checkout, a clone or a git dependency alike), so that an edit builds at once;
/// 2. the copy packaged in the client crate ([`SPEC_IN_CLIENT_CRATE`]): its own, when the client
///    crate is built from its package (crates.io, `cargo package`);
/// 3. the copy the client crate's build script announced (`DEP_SEVENTIME_SPEC`), for the
///    packaged CLI and mock, which depend on the client crate.
///
/// Cases 1 and 2 cannot disagree: `cargo xtask regen` writes the copy, and `cargo test` fails
/// when it differs.
pub fn spec_for_build() -> Result<PathBuf, String> {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .ok_or("CARGO_MANIFEST_DIR is not set; run this from a cargo build script")?;
    if let Some(root) = manifest_dir.parent().and_then(Path::parent)
        && root.join("Cargo.toml").is_file()
        && root.join(SPEC_IN_WORKSPACE).is_file()
    {
        return Ok(root.join(SPEC_IN_WORKSPACE));
    }
    let packaged = manifest_dir.join(SPEC_IN_CLIENT_CRATE);
    if std::env::var("CARGO_PKG_NAME").as_deref() == Ok(CLIENT_CRATE) && packaged.is_file() {
        return Ok(packaged);
    }
    if let Some(announced) = std::env::var_os("DEP_SEVENTIME_SPEC") {
        return Ok(PathBuf::from(announced));
    }
    Err(format!(
        "no spec found: neither {SPEC_IN_WORKSPACE} two levels above {} nor the spec the \
         `{CLIENT_CRATE}` crate packages; depend on `{CLIENT_CRATE}` directly (it passes its spec \
         on through `links`), or build inside the seventime-rs workspace",
        manifest_dir.display()
    ))
}
