//! What happens between a generated operation and the network, for every operation alike:
//! rate limiting, attempts and retries, reading the body within a size limit, and handing the
//! generated code a response it can decode without losing the status.

use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use progenitor_client::OperationInfo;
use reqwest::{Method, StatusCode, Url};
use tracing::Instrument;

use crate::error::{BufferedBody, ResponseFailure};
use crate::{Client, types};

/// Sends `request` as the client's policies say, and returns the last response (or error).
pub(crate) async fn execute(
    client: &Client,
    mut request: reqwest::Request,
    info: &OperationInfo,
) -> reqwest::Result<reqwest::Response> {
    let state = &client.inner;
    if request.timeout().is_none() {
        *request.timeout_mut() = state.timeout();
    }
    let policy = state.retry();
    // Only requests that are safe to repeat are retried (every documented operation is a GET).
    let repeatable = is_idempotent(request.method());
    let started = Instant::now();
    let mut attempt = 1;
    loop {
        let next = (repeatable && attempt < policy.attempts())
            .then(|| request.try_clone())
            .flatten();
        if let Some(limiter) = state.limiter() {
            limiter.until_ready().await;
        }

        let span = tracing::debug_span!(
            "seventime.attempt",
            operation = info.operation_id,
            attempt,
            method = %request.method(),
            url = %request.url(),
        );
        let attempt_started = Instant::now();
        let outcome = async {
            let response = client.client.execute(request).await?;
            read(response, state.max_response_body()).await
        }
        .instrument(span.clone())
        .await;
        let elapsed_ms = attempt_started.elapsed().as_millis();

        let (retryable, retry_after) = match &outcome {
            Ok(response) => {
                span.in_scope(|| {
                    tracing::debug!(status = response.status.as_u16(), elapsed_ms, "response")
                });
                (
                    crate::retry::is_retryable_status(response.status),
                    crate::retry::retry_after(&response.headers),
                )
            }
            Err(error) => {
                span.in_scope(|| tracing::debug!(%error, elapsed_ms, "attempt failed"));
                (is_transient(error), None)
            }
        };
        let delay = policy.delay(attempt, started.elapsed(), retry_after);
        match (retryable, next, delay) {
            (true, Some(next), Some(delay)) => {
                span.in_scope(|| {
                    tracing::info!(delay_ms = delay.as_millis(), "retrying");
                });
                tokio::time::sleep(delay).await;
                request = next;
                attempt += 1;
            }
            _ => return outcome.map(Buffered::into_response),
        }
    }
}

/// RFC 9110 §9.2.2: methods whose repetition has the same effect as one request.
fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE | Method::PUT | Method::DELETE
    )
}

/// Failures of the connection or of time, as opposed to a request that cannot work.
fn is_transient(error: &reqwest::Error) -> bool {
    error.is_timeout()
        || error.is_connect()
        || error.is_request()
        || error.is_body()
        || error.is_decode()
}

/// A response with its body read.
struct Buffered {
    status: StatusCode,
    version: reqwest::Version,
    headers: reqwest::header::HeaderMap,
    url: Url,
    /// The body, or why it was not read to the end.
    body: Result<Bytes, ResponseFailure>,
}

/// Reads the body, but never more than `limit` bytes of it.
async fn read(mut response: reqwest::Response, limit: usize) -> reqwest::Result<Buffered> {
    let status = response.status();
    let too_large = ResponseFailure::TooLarge { status, limit };
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
    /// The response the generated code reads. Its body is the one received — unless reading it
    /// would fail in a way that loses the status (an error status whose body is not the
    /// documented error JSON, or a body over the limit): then reading it fails with a
    /// [`ResponseFailure`] that [`crate::ApiError`] turns back into a typed error.
    fn into_response(self) -> reqwest::Response {
        use reqwest::ResponseBuilderExt as _;

        let failing = |failure: ResponseFailure| {
            reqwest::Body::wrap_stream(futures_util::stream::once(std::future::ready(Err::<
                Bytes,
                _,
            >(
                failure
            ))))
        };
        let is_error = self.status.is_client_error() || self.status.is_server_error();
        let (body, kept) = match self.body {
            Err(failure) => (failing(failure), None),
            Ok(bytes) if is_error && serde_json::from_slice::<types::Error>(&bytes).is_err() => (
                failing(ResponseFailure::UndocumentedErrorBody {
                    status: self.status,
                    headers: self.headers.clone(),
                    body: bytes.clone(),
                }),
                Some(bytes),
            ),
            Ok(bytes) => (reqwest::Body::from(bytes.clone()), Some(bytes)),
        };
        let mut response = http::Response::builder()
            .url(self.url)
            .body(body)
            .expect("a builder with only a URL extension cannot fail");
        *response.status_mut() = self.status;
        *response.version_mut() = self.version;
        *response.headers_mut() = self.headers;
        if let Some(body) = kept {
            response.extensions_mut().insert(BufferedBody(body));
        }
        reqwest::Response::from(response)
    }
}

/// The client's redirect policy: follow at most 5 redirects, and only within the origin
/// (scheme, host and port). Anything else — another host, or https to http — is returned to the
/// caller as [`crate::ApiError::Redirect`]: reqwest strips `Authorization` on such redirects, but
/// not `Client-Secret`.
pub(crate) fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .last()
            .is_some_and(|previous| same_origin(previous, attempt.url()));
        if same_origin && attempt.previous().len() <= 5 {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// The default per-attempt timeout of requests.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default connect timeout.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn only_same_origin_redirects_are_followed() {
        let here = url("https://app.seventime.se/api/2/customFields/");
        assert!(same_origin(
            &here,
            &url("https://app.seventime.se/api/2/customFields/400")
        ));
        assert!(same_origin(
            &here,
            &url("https://app.seventime.se:443/other")
        ));
        assert!(!same_origin(
            &here,
            &url("https://evil.example/api/2/customFields/")
        ));
        assert!(!same_origin(&here, &url("https://api.seventime.se/")));
        assert!(!same_origin(
            &here,
            &url("http://app.seventime.se/api/2/customFields/")
        ));
        assert!(!same_origin(&here, &url("https://app.seventime.se:8443/")));
    }

    #[test]
    fn only_idempotent_methods_are_repeated() {
        for method in [Method::GET, Method::HEAD, Method::PUT, Method::DELETE] {
            assert!(is_idempotent(&method), "{method}");
        }
        for method in [Method::POST, Method::PATCH, Method::CONNECT] {
            assert!(!is_idempotent(&method), "{method}");
        }
    }
}
