//! Generates the client from the workspace's OpenAPI spec into `OUT_DIR`.
//!
//! All settings live in `seventime-codegen`; this script only writes what it returns.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let spec_path = seventime_codegen::spec_path();
    println!("cargo::rerun-if-changed={}", spec_path.display());

    let generated = seventime_codegen::Spec::load(&spec_path)
        .and_then(|spec| seventime_codegen::Generated::from_spec(&spec));
    let generated = match generated {
        Ok(generated) => generated,
        Err(error) => {
            // Cargo prints a failing build script's stderr; one readable message, no backtrace.
            eprintln!("error: cannot generate the Seven Time client\n{error}");
            return ExitCode::FAILURE;
        }
    };

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for (file, source) in [
        ("codegen.rs", &generated.client),
        ("httpmock.rs", &generated.httpmock),
    ] {
        let path = out_dir.join(file);
        if let Err(error) = std::fs::write(&path, source) {
            eprintln!("error: cannot write {}: {error}", path.display());
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
