//! Writes the records of the spec's documented examples into `OUT_DIR`: the mock's built-in
//! data. All settings live in `seventime-codegen`.

use seventime_codegen::build_script::{Source, write_to_out_dir};

fn main() -> std::process::ExitCode {
    write_to_out_dir(
        "the mock's documented records",
        &[(Source::Examples, "examples.json")],
    )
}
