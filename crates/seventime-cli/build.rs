//! Generates the CLI's operation commands from the workspace's OpenAPI spec into `OUT_DIR`. All
//! settings live in `seventime-codegen`.

use seventime_codegen::build_script::{Source, write_to_out_dir};

fn main() -> std::process::ExitCode {
    write_to_out_dir("the seventime CLI", &[(Source::Cli, "cli.rs")])
}
