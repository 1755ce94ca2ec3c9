//! What went wrong, as one line for a person and an exit code for a script.

use std::fmt;

use seventime::defaults::RATE_LIMIT;
use seventime::{ApiError, BASE_URL_ENV, ErrorResponse};

/// The exit codes, by class of failure. Shown in `--help`.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success
  1  internal error (for example, the embedded mock could not start)
  2  usage: an invalid option, argument, entity type or config file
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

    /// Classifies an error of an operation.
    pub fn from_api(error: &ApiError, base_url: &str) -> Self {
        let said = |response: &ErrorResponse| response.to_string();
        match error {
            ApiError::Unauthorized(response) if response.status == 401 => Self::new(
                Class::Auth,
                format!(
                    "the service refused the API key ({}); `seventime whoami` shows where the key comes from, `seventime login` stores a new one",
                    said(response)
                ),
            ),
            ApiError::Unauthorized(response) => Self::new(
                Class::Auth,
                format!(
                    "the API key may not read this ({}); check the key's permissions in Seven Time",
                    said(response)
                ),
            ),
            ApiError::RateLimited { response, .. } => Self::new(
                Class::Api,
                format!(
                    "rate limited ({}); the service allows {RATE_LIMIT} requests per second per key, try again shortly",
                    said(response)
                ),
            ),
            ApiError::Api(response) if response.status.is_server_error() => Self::new(
                Class::Api,
                format!("the service failed ({}); try again later", said(response)),
            ),
            ApiError::NotFound(response) | ApiError::Api(response) => Self::new(
                Class::Api,
                format!("the service answered {}", said(response)),
            ),
            ApiError::Decode { .. } | ApiError::BodyTooLarge { .. } | ApiError::Redirect { .. } => {
                Self::new(Class::Api, format!("the service answered {error}"))
            }
            ApiError::Timeout(_) => Self::new(
                Class::Network,
                format!(
                    "no answer in time from {base_url} ({error}); check --base-url / {BASE_URL_ENV} and the network, or raise --timeout"
                ),
            ),
            ApiError::Connection(_) => Self::new(
                Class::Network,
                format!(
                    "cannot reach {base_url} ({error}); check --base-url / {BASE_URL_ENV} and the network"
                ),
            ),
            ApiError::InvalidRequest(reason) => Self::new(Class::Usage, reason.clone()),
            other => Self::new(Class::Internal, other.to_string()),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
