//! [`ApiError`]: the one error a caller of this crate matches on.
//!
//! Generated operations return progenitor's error; `?` turns it into an [`ApiError`] without
//! losing the status, headers or body. How that works is `response.rs`'s story.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::types;

/// The longest part of a non-JSON body kept for messages.
const SNIPPET_CHARS: usize = 200;

/// An error from a call to the Seven Time API. Its `Display` is one line and never contains the
/// API key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// 401: the key is wrong; 403: the key may not do this.
    #[error("{0}")]
    Unauthorized(Box<ErrorResponse>),
    /// 404: for custom fields, no field configuration exists for the entity type.
    #[error("{0}")]
    NotFound(Box<ErrorResponse>),
    /// 429: more requests than the service allows (4 per second per key). Retried by the client
    /// as its [`RetryPolicy`](crate::RetryPolicy) allows before this is returned.
    #[error("{response}{}", retry_after.map(|d| format!(" (retry after {} s)", d.as_secs())).unwrap_or_default())]
    RateLimited {
        /// The response.
        response: Box<ErrorResponse>,
        /// The server's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
    },
    /// Any other error status (400, 5xx, undocumented statuses).
    #[error("{0}")]
    Api(Box<ErrorResponse>),
    /// A success status whose body is not the documented JSON (truncated, not JSON, wrong types).
    #[error(
        "{status}: the body is not the documented JSON ({reason}): {}",
        snippet(body)
    )]
    Decode {
        /// The status of the response.
        status: StatusCode,
        /// What the decoder said.
        reason: String,
        /// The body as received.
        body: Bytes,
    },
    /// The body was larger than the client's limit and was not read to the end.
    #[error("{status}: the body is larger than the limit of {limit} bytes")]
    BodyTooLarge {
        /// The status of the response.
        status: StatusCode,
        /// The limit, in bytes ([`ClientBuilder::max_response_body`](crate::ClientBuilder::max_response_body)).
        limit: usize,
    },
    /// The service redirected to another host or from https to http. The redirect was not
    /// followed, so that the API key does not leave the service.
    #[error("{status}: redirect to {} not followed: it leaves the service or drops TLS, and would carry the API key", location.as_deref().unwrap_or("an unnamed location"))]
    Redirect {
        /// The redirect status.
        status: StatusCode,
        /// The `Location` header, when present.
        location: Option<String>,
    },
    /// No complete answer in time (connect, headers or body), after retries.
    #[error("timed out: {0}")]
    Timeout(#[source] reqwest::Error),
    /// The service could not be reached, or the connection broke, after retries.
    #[error("connection failed: {}", chain(.0))]
    Connection(#[source] reqwest::Error),
    /// The request could not be built (for example, a parameter that does not convert).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

/// An error response: status, headers and body, nothing dropped.
#[derive(Debug, Clone)]
pub struct ErrorResponse {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: ErrorBody,
}

/// The body of an error response.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ErrorBody {
    /// The documented JSON error object (with any properties the spec does not name).
    Json(types::Error),
    /// Anything else — HTML from a proxy, plain text, a truncated object — as received.
    Other(Bytes),
    /// No body.
    Empty,
}

impl ErrorResponse {
    /// The server's `errorMessage`, when it sent one.
    pub fn message(&self) -> Option<&str> {
        match &self.body {
            ErrorBody::Json(error) => error.error_message.as_deref(),
            _ => None,
        }
    }
}

impl fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status)?;
        match &self.body {
            ErrorBody::Json(error) => match &error.error_message {
                Some(message) => write!(f, ": {message}"),
                None => Ok(()),
            },
            ErrorBody::Other(body) => write!(f, " (body is not JSON: {})", snippet(body)),
            ErrorBody::Empty => write!(f, " (empty body)"),
        }
    }
}

impl ApiError {
    /// The HTTP status, for every error where a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Unauthorized(r) | Self::NotFound(r) | Self::Api(r) => Some(r.status),
            Self::RateLimited { response, .. } => Some(response.status),
            Self::Decode { status, .. }
            | Self::BodyTooLarge { status, .. }
            | Self::Redirect { status, .. } => Some(*status),
            Self::Timeout(_) | Self::Connection(_) | Self::InvalidRequest(_) => None,
        }
    }

    /// The error response, for errors with an error status.
    pub fn response(&self) -> Option<&ErrorResponse> {
        match self {
            Self::Unauthorized(r) | Self::NotFound(r) | Self::Api(r) => Some(r),
            Self::RateLimited { response, .. } => Some(response),
            _ => None,
        }
    }

    /// The server's `errorMessage`, when it sent one.
    pub fn message(&self) -> Option<&str> {
        self.response().and_then(ErrorResponse::message)
    }

    /// Whether trying again later may succeed: timeouts, connection failures, 408, 429, 500,
    /// 502, 503 and 504. The client has already retried these as its policy allows.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Timeout(_) | Self::Connection(_) => true,
            _ => self.status().is_some_and(crate::retry::is_retryable_status),
        }
    }
}

impl ApiError {
    /// The variant for an error status.
    pub(crate) fn from_error_response(response: ErrorResponse) -> Self {
        let response = Box::new(response);
        match response.status.as_u16() {
            401 | 403 => Self::Unauthorized(response),
            404 => Self::NotFound(response),
            429 => Self::RateLimited {
                retry_after: crate::retry::retry_after(&response.headers),
                response,
            },
            _ => Self::Api(response),
        }
    }
}

impl ErrorBody {
    /// The body as received: the documented error JSON when it is that, else the bytes. The
    /// one place an error body is parsed.
    pub(crate) fn from_bytes(body: Bytes) -> Self {
        if body.is_empty() {
            return Self::Empty;
        }
        match serde_json::from_slice::<types::Error>(&body) {
            Ok(error) => Self::Json(error),
            Err(_) => Self::Other(body),
        }
    }
}

/// An error and its causes on one line.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        let cause = inner.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
        source = inner.source();
    }
    text
}

/// The start of a body, on one line.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return "(empty)".to_string();
    }
    match text.char_indices().nth(SNIPPET_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}
