//! What happens between a generated operation and the network, for every operation alike:
//! rate limiting, attempts and retries, and the redirect policy. Reading the body and handing it
//! to the generated code is `response.rs`'s business.

use std::time::Instant;

use progenitor_client::OperationInfo;
use reqwest::{Method, Url};
use tracing::Instrument;

use crate::Client;
use crate::response::{Buffered, read};

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

/// The client's redirect policy: follow at most [`crate::defaults::MAX_REDIRECTS`] redirects, and only within the origin
/// (scheme, host and port). Anything else — another host, or https to http — is returned to the
/// caller as [`crate::ApiError::Redirect`]: reqwest strips `Authorization` on such redirects, but
/// not `Client-Secret`.
pub(crate) fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .last()
            .is_some_and(|previous| same_origin(previous, attempt.url()));
        if same_origin && attempt.previous().len() <= crate::defaults::MAX_REDIRECTS {
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
