//! Colour and chattiness, decided once per run: `--color`, `NO_COLOR` and whether each stream
//! is a terminal; `-q` silencing progress and notes. Errors are never silenced.

use std::io::IsTerminal;
use std::sync::OnceLock;

use anstyle::{AnsiColor, Style};
use clap::ValueEnum;

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When the stream is a terminal and NO_COLOR is not set.
    Auto,
    /// Always, even into a pipe.
    Always,
    /// Never.
    Never,
}

struct Decided {
    stdout: bool,
    stderr: bool,
    quiet: bool,
}

static DECIDED: OnceLock<Decided> = OnceLock::new();

/// Decides for the run. `no_color`: the value of NO_COLOR, which any non-empty value turns on
/// (no-color.org), and which `--color always` overrides.
pub fn init(choice: ColorChoice, quiet: bool, no_color: Option<&str>) {
    let auto = |terminal: bool| terminal && no_color.is_none_or(str::is_empty);
    let (stdout, stderr) = match choice {
        ColorChoice::Always => (true, true),
        ColorChoice::Never => (false, false),
        ColorChoice::Auto => (
            auto(std::io::stdout().is_terminal()),
            auto(std::io::stderr().is_terminal()),
        ),
    };
    let _ = DECIDED.set(Decided {
        stdout,
        stderr,
        quiet,
    });
}

fn decided() -> &'static Decided {
    DECIDED.get_or_init(|| Decided {
        stdout: false,
        stderr: false,
        quiet: false,
    })
}

/// Whether stderr is coloured (for the log).
pub fn stderr_color() -> bool {
    decided().stderr
}

/// Whether progress and notes are silenced.
pub fn quiet() -> bool {
    decided().quiet
}

fn paint(on: bool, style: Style, text: &str) -> String {
    if on {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}

/// A table's header line on stdout.
pub fn header(line: &str) -> String {
    paint(decided().stdout, Style::new().bold(), line)
}

/// The `seventime:` that starts an error line on stderr.
pub fn error_prefix() -> String {
    paint(
        decided().stderr,
        Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
        "seventime:",
    )
}

/// A note on stderr (what was done, where a file went), unless -q.
pub fn note(text: &str) {
    if !quiet() {
        eprintln!(
            "{} {text}",
            paint(decided().stderr, Style::new().dimmed(), "seventime:")
        );
    }
}

/// A warning on stderr (an unknown key in the config file), unless -q.
pub fn warning(text: &str) {
    if !quiet() {
        let prefix = paint(
            decided().stderr,
            Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
            "seventime: warning:",
        );
        eprintln!("{prefix} {text}");
    }
}
