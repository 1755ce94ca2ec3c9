//! Generates the client from the workspace's OpenAPI spec into `OUT_DIR`. All settings live in
//! `seventime-codegen`.

use seventime_codegen::build_script::{Source, write_to_out_dir};

fn main() -> std::process::ExitCode {
    write_to_out_dir(
        "the Seven Time client",
        &[
            (Source::Client, "codegen.rs"),
            (Source::Httpmock, "httpmock.rs"),
        ],
    )
}
