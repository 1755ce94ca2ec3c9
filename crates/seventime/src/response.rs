//! How a response travels from the network to an [`ApiError`] without losing anything.
//!
//! progenitor's generated operations decode every body themselves, and when decoding fails they
//! keep the bytes but drop the status and headers. The client must report a `502` with an HTML
//! body from a proxy as a `502`, and must not read a body without a size limit. So every
//! response takes this path:
//!
//! 1. [`read`] (called by the transport for each attempt) reads the whole body, never more
//!    than the client's limit, into a [`Buffered`] response. The retry decision is made on it.
//! 2. [`Buffered::into_response`] rebuilds the `reqwest::Response` the generated code reads.
//!    A success status keeps its body as it arrived: the generated code decodes it, and a body
//!    that does not decode comes back as `InvalidResponsePayload`, which is reported with the one
//!    success status every operation documents ([`crate::SUCCESS_STATUS`]; `seventime-codegen`
//!    refuses a spec that documents any other). For an error status the body is parsed here,
//!    once, into an [`ErrorResponse`] ([`ErrorBody::from_bytes`]); a body over the limit becomes
//!    a [`Failure::TooLarge`]. Either way the generated code gets a body stream that fails with
//!    that [`Failure`] — so it never decodes an error body itself — and the response carries
//!    the same [`Failure`] in its extensions, for statuses the operation does not document
//!    (where progenitor returns the response without reading it). An undocumented success
//!    status (`201`, `204`, …) keeps its bytes there too, as [`Kept`].
//! 3. `From<progenitor_client::Error<types::Error>> for ApiError` (below) reads the [`Failure`]
//!    back, from the error's source chain or the response's extensions, and picks the
//!    [`ApiError`] variant for the status.

use bytes::{Bytes, BytesMut};
use reqwest::header::HeaderMap;
use reqwest::{StatusCode, Url};

use crate::error::{ApiError, ErrorBody, ErrorResponse};
use crate::types;

/// A response with its body read (or refused) by [`read`].
pub(crate) struct Buffered {
    pub(crate) status: StatusCode,
    version: reqwest::Version,
    pub(crate) headers: HeaderMap,
    url: Url,
    /// The body, or why it was not read to the end.
    body: Result<Bytes, Failure>,
}

/// Reads the body, but never more than `limit` bytes of it.
pub(crate) async fn read(
    mut response: reqwest::Response,
    limit: usize,
) -> reqwest::Result<Buffered> {
    let status = response.status();
    let too_large = Failure::TooLarge { status, limit };
    let body = if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        Err(too_large)
    } else {
        // Most bodies arrive as one chunk: keep it as it is (no copy), and copy only when a
        // second one follows, into a buffer sized by Content-Length when there is one.
        let mut first: Option<Bytes> = None;
        let mut rest: Option<BytesMut> = None;
        let mut length = 0usize;
        loop {
            let Some(chunk) = response.chunk().await? else {
                break Ok(match (first, rest) {
                    (_, Some(buffer)) => buffer.freeze(),
                    (Some(only), None) => only,
                    (None, None) => Bytes::new(),
                });
            };
            length += chunk.len();
            if length > limit {
                break Err(too_large);
            }
            match (&mut first, &mut rest) {
                (None, _) => first = Some(chunk),
                (Some(head), None) => {
                    let capacity = response.content_length().map_or(length, |n| n as usize);
                    let mut buffer = BytesMut::with_capacity(capacity.max(length));
                    buffer.extend_from_slice(head);
                    buffer.extend_from_slice(&chunk);
                    rest = Some(buffer);
                }
                (Some(_), Some(buffer)) => buffer.extend_from_slice(&chunk),
            }
        }
    };
    Ok(Buffered {
        status,
        version: response.version(),
        url: response.url().clone(),
        headers: std::mem::take(response.headers_mut()),
        body,
    })
}

impl Buffered {
    /// The response the generated code reads (step 2 of the module docs).
    pub(crate) fn into_response(self) -> reqwest::Response {
        use reqwest::ResponseBuilderExt as _;

        let is_error = self.status.is_client_error() || self.status.is_server_error();
        let failure = match self.body {
            Err(failure) => Err(failure),
            Ok(bytes) if is_error => Err(Failure::Error(Box::new(ErrorResponse {
                status: self.status,
                headers: self.headers.clone(),
                body: ErrorBody::from_bytes(bytes),
            }))),
            Ok(bytes) => Ok(bytes),
        };
        let body = match &failure {
            Ok(bytes) => reqwest::Body::from(bytes.clone()),
            Err(failure) => {
                let failure = failure.clone();
                reqwest::Body::wrap_stream(futures_util::stream::once(async move {
                    Err::<Bytes, _>(failure)
                }))
            }
        };
        let mut response = http::Response::builder()
            .url(self.url)
            .body(body)
            .expect("a builder with only a URL extension cannot fail");
        *response.status_mut() = self.status;
        *response.version_mut() = self.version;
        *response.headers_mut() = self.headers;
        match failure {
            Ok(bytes) => {
                response.extensions_mut().insert(Kept(bytes));
            }
            Err(failure) => {
                response.extensions_mut().insert(failure);
            }
        }
        reqwest::Response::from(response)
    }
}

/// The body of a response that is not an error, kept in the response's extensions for an
/// undocumented success status.
#[derive(Debug, Clone)]
struct Kept(Bytes);

/// A response the generated code must not decode itself, because it would lose the status: the
/// error of the body stream it reads, and an extension of the response.
#[derive(Debug, Clone)]
pub(crate) enum Failure {
    /// An error status, with its body parsed.
    Error(Box<ErrorResponse>),
    /// A body over the limit.
    TooLarge { status: StatusCode, limit: usize },
}

impl Failure {
    fn into_api_error(self) -> ApiError {
        match self {
            Self::Error(response) => ApiError::from_error_response(*response),
            Self::TooLarge { status, limit } => ApiError::BodyTooLarge { status, limit },
        }
    }

    /// The failure in `error`'s source chain, where the body stream put it.
    fn find(error: &reqwest::Error) -> Option<&Self> {
        let mut source = std::error::Error::source(error);
        while let Some(inner) = source {
            if let Some(failure) = inner.downcast_ref::<Self>() {
                return Some(failure);
            }
            source = inner.source();
        }
        None
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Error(response) => write!(f, "{response}"),
            Self::TooLarge { status, limit } => {
                write!(f, "{status} with a body over the limit of {limit} bytes")
            }
        }
    }
}

impl std::error::Error for Failure {}

impl From<progenitor_client::Error<types::Error>> for ApiError {
    /// Step 3 of the module docs.
    fn from(error: progenitor_client::Error<types::Error>) -> Self {
        use progenitor_client::Error as E;
        match error {
            // Error statuses reach the generated code as failing streams (step 2), so this arm
            // is only taken if that changes; it still keeps everything.
            E::ErrorResponse(value) => {
                let status = value.status();
                let headers = value.headers().clone();
                Self::from_error_response(ErrorResponse {
                    status,
                    headers,
                    body: ErrorBody::Json(value.into_inner()),
                })
            }
            E::UnexpectedResponse(response) => unexpected(response),
            E::InvalidResponsePayload(body, error) => Self::Decode {
                status: StatusCode::from_u16(crate::SUCCESS_STATUS).unwrap_or(StatusCode::OK),
                reason: error.to_string(),
                body,
            },
            E::ResponseBodyError(error) | E::CommunicationError(error) => {
                match Failure::find(&error) {
                    Some(failure) => failure.clone().into_api_error(),
                    None if error.is_timeout() => Self::Timeout(error),
                    None => Self::Connection(error),
                }
            }
            E::InvalidRequest(reason) => Self::InvalidRequest(reason),
            E::InvalidUpgrade(error) => Self::Connection(error),
            E::Custom(reason) => Self::InvalidRequest(reason),
        }
    }
}

/// A status the operation does not document, returned by the generated code unread.
fn unexpected(mut response: reqwest::Response) -> ApiError {
    let status = response.status();
    if status.is_redirection() {
        return ApiError::Redirect {
            status,
            location: response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .map(str::to_string),
        };
    }
    if let Some(failure) = response.extensions_mut().remove::<Failure>() {
        return failure.into_api_error();
    }
    let body = match response.extensions_mut().remove::<Kept>() {
        Some(Kept(body)) => ErrorBody::from_bytes(body),
        None => ErrorBody::Empty,
    };
    // An undocumented success status (201, 204, …): not an error of the service, but not what
    // the operation promises either.
    ApiError::Api(Box::new(ErrorResponse {
        status,
        headers: std::mem::take(response.headers_mut()),
        body,
    }))
}
