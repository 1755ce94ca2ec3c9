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
}

/// The binary with a clean environment: no key or base URL leaks in from the developer's shell.
pub(crate) fn seventime() -> Command {
    let mut command = Command::cargo_bin("seventime").unwrap();
    command
        .env_remove("SEVENTIME_CLIENT_SECRET")
        .env_remove("SEVENTIME_BASE_URL")
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(60));
    command
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
