//! What went wrong, as one line for a person and an exit code for a script.

use std::fmt;

use seventime::{Error, types};

/// The exit codes, by class of failure. Shown in `--help`.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success
  1  internal error (for example, the embedded mock could not start)
  2  usage: an invalid option, argument or entity type
  3  authentication: no API key, an unusable key, or the service refused it (401, 403)
  4  API error: the service answered with another error status or an undocumented body
  5  network: the service could not be reached or did not answer in time";

/// A failure class; its discriminant is the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Internal = 1,
    Usage = 2,
    Auth = 3,
    Api = 4,
    Network = 5,
}

/// A failure to report: one line, and the exit code of its class.
#[derive(Debug)]
pub struct Failure {
    pub class: Class,
    pub message: String,
}

impl Failure {
    pub fn new(class: Class, message: impl Into<String>) -> Self {
        Self {
            class,
            message: message.into(),
        }
    }

    pub fn exit_code(&self) -> u8 {
        self.class as u8
    }

    /// Classifies an error of a generated operation.
    pub fn from_api(error: &Error<types::Error>, base_url: &str) -> Self {
        match error {
            Error::ErrorResponse(body) => {
                let status = body.status();
                Self::from_status(status, body.error_message.as_deref())
            }
            Error::UnexpectedResponse(response) => Self::from_status(response.status(), None),
            Error::CommunicationError(cause) | Error::ResponseBodyError(cause) => {
                Self::network(cause, base_url)
            }
            Error::InvalidResponsePayload(body, cause) => Self::new(
                Class::Api,
                format!(
                    "the service answered with a body that is not the documented JSON ({cause}): {}",
                    snippet(body)
                ),
            ),
            Error::InvalidRequest(reason) => Self::new(Class::Usage, reason.clone()),
            other => Self::new(Class::Internal, other.to_string()),
        }
    }

    fn from_status(status: reqwest::StatusCode, message: Option<&str>) -> Self {
        let said = match message {
            Some(message) => format!("{status}: {message}"),
            None => status.to_string(),
        };
        match status.as_u16() {
            401 => Self::new(
                Class::Auth,
                format!(
                    "the service refused the API key ({said}); check SEVENTIME_CLIENT_SECRET or --client-secret-file"
                ),
            ),
            403 => Self::new(
                Class::Auth,
                format!(
                    "the API key may not read this ({said}); check the key's permissions in Seven Time"
                ),
            ),
            429 => Self::new(
                Class::Api,
                format!(
                    "rate limited ({said}); the service allows 4 requests per second per key, try again shortly"
                ),
            ),
            500..=599 => Self::new(
                Class::Api,
                format!("the service failed ({said}); try again later"),
            ),
            _ => Self::new(Class::Api, format!("the service answered {said}")),
        }
    }

    fn network(cause: &reqwest::Error, base_url: &str) -> Self {
        let mut reason = cause.to_string();
        let mut source = std::error::Error::source(cause);
        while let Some(inner) = source {
            reason.push_str(": ");
            reason.push_str(&inner.to_string());
            source = inner.source();
        }
        let what = if cause.is_timeout() {
            "no answer in time from"
        } else {
            "cannot reach"
        };
        Self::new(
            Class::Network,
            format!(
                "{what} {base_url} ({reason}); check --base-url / SEVENTIME_BASE_URL and the network"
            ),
        )
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The start of a body, on one line, for messages.
fn snippet(body: &[u8]) -> String {
    const LIMIT: usize = 120;
    let text = String::from_utf8_lossy(body);
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return "(empty body)".to_string();
    }
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}
