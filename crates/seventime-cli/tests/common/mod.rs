//! The `seventime` binary with a clean environment, a mock to point it at, and what a run of it
//! exited with and printed: shared by the CLI's test files.

// Every test file compiles its own copy of this module and uses only part of it.
#![allow(dead_code)]

use std::time::Duration;

use assert_cmd::Command;
use seventime_mock::MockConfig;
use seventime_test_support::{BlockingMock, KEY};

/// A mock on a runtime of its own (the test thread blocks on the binary).
pub(crate) struct Served(BlockingMock);

impl Served {
    pub(crate) fn start(configure: impl FnOnce(&mut MockConfig)) -> Self {
        Self(BlockingMock::start(configure))
    }

    /// The running mock, for requests made without the binary.
    pub(crate) fn mock(&self) -> &seventime_mock::RunningMock {
        self.0.mock()
    }

    pub(crate) fn url(&self) -> String {
        self.0.url().to_string()
    }

    /// `seventime` pointed at this mock with the right key in the environment.
    pub(crate) fn seventime(&self) -> Command {
        let mut command = seventime();
        command
            .env(seventime::BASE_URL_ENV, self.url())
            .env(seventime::API_KEY_ENV, KEY);
        command
    }

    /// [`Served::seventime`] as a plain process, for a test that must kill it.
    pub(crate) fn process(&self) -> std::process::Command {
        let mut command = seventime_process();
        command
            .env(seventime::BASE_URL_ENV, self.url())
            .env(seventime::API_KEY_ENV, KEY);
        command
    }
}

/// The binary with a clean environment: no key, base URL, profile or setting leaks in from the
/// developer's shell, no config file is read, and the keychain is a directory that does not
/// exist (so no key is found, and the developer's keychain is never touched).
pub(crate) fn seventime() -> Command {
    let mut command = Command::from_std(seventime_process());
    command.timeout(Duration::from_secs(60));
    command
}

/// [`seventime`] as a plain process, for a test that must kill it.
pub(crate) fn seventime_process() -> std::process::Command {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("seventime"));
    for variable in [
        "SEVENTIME_CLIENT_SECRET",
        "SEVENTIME_BASE_URL",
        "SEVENTIME_PROFILE",
        "SEVENTIME_TIMEOUT",
        "SEVENTIME_RETRIES",
        "SEVENTIME_RATE_LIMIT",
        "SEVENTIME_OUTPUT",
        "SEVENTIME_DB",
    ] {
        command.env_remove(variable);
    }
    command
        .env(
            "SEVENTIME_CONFIG",
            "/nonexistent/seventime-test/config.toml",
        )
        .env(
            "SEVENTIME_KEYCHAIN_DIR",
            "/nonexistent/seventime-test/keychain",
        )
        .env("NO_COLOR", "1");
    command
}

/// A config directory of one test's own: a config file path and a keychain stand-in in it.
pub(crate) struct Home {
    pub(crate) dir: tempfile::TempDir,
}

impl Home {
    pub(crate) fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A home whose config file holds `text`.
    pub(crate) fn with_config(text: &str) -> Self {
        let home = Self::new();
        std::fs::write(home.config(), text).unwrap();
        home
    }

    pub(crate) fn config(&self) -> std::path::PathBuf {
        self.dir.path().join("config.toml")
    }

    pub(crate) fn config_text(&self) -> String {
        std::fs::read_to_string(self.config()).unwrap_or_default()
    }

    pub(crate) fn keychain(&self) -> std::path::PathBuf {
        self.dir.path().join("keychain")
    }

    /// `seventime` with this home's config file and keychain.
    pub(crate) fn seventime(&self) -> Command {
        let mut command = seventime();
        command
            .env("SEVENTIME_CONFIG", self.config())
            .env("SEVENTIME_KEYCHAIN_DIR", self.keychain());
        command
    }
}

pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

pub(crate) fn exec(command: &mut Command) -> Run {
    let output = command.output().unwrap();
    Run {
        code: output.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}
