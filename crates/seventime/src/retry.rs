//! When and how long to wait before trying a request again.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How the client retries requests that are safe to repeat (every documented operation is a
/// `GET`).
///
/// Connection failures, timeouts and the statuses 408, 429, 500, 502, 503 and 504 are retried
/// with exponential backoff and full jitter: before attempt *n + 1* the client waits a random time
/// between zero and `min(max_delay, initial_delay × 2ⁿ⁻¹)`. A `Retry-After` header (seconds or an
/// HTTP date) replaces that wait, capped by `max_delay`. Retrying stops after `max_attempts`
/// attempts, or when the next wait would end more than `max_elapsed` after the first attempt
/// began; the last outcome is then returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_delay: Duration,
    max_delay: Duration,
    max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// The values of [`crate::defaults`]: 4 attempts, 250 ms initial delay, 10 s maximum delay,
    /// 30 s in all.
    fn default() -> Self {
        use crate::defaults;
        Self {
            max_attempts: defaults::MAX_ATTEMPTS,
            initial_delay: defaults::INITIAL_DELAY,
            max_delay: defaults::MAX_DELAY,
            max_elapsed: defaults::MAX_ELAPSED,
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is attempted once.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Attempts in all, including the first (at least 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the second attempt (doubled for each further one).
    #[must_use]
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// The longest single wait, for backoff and for `Retry-After` alike.
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest time from the first attempt to the start of the last.
    #[must_use]
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// The number of attempts in all.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// How long to wait before attempt `attempt + 1`, after `attempt` attempts (from 1) have
    /// failed and `elapsed` has passed since the first began; `None` when retrying must stop.
    /// `retry_after` is the server's `Retry-After`, when it sent one.
    pub(crate) fn delay(
        &self,
        attempt: u32,
        elapsed: Duration,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let delay = match retry_after {
            Some(wait) => wait.min(self.max_delay),
            None => {
                let ceiling = self
                    .initial_delay
                    .saturating_mul(2u32.saturating_pow(attempt - 1))
                    .min(self.max_delay);
                // Full jitter: spreads retries of many clients over the whole window.
                ceiling.mul_f64(fastrand::f64())
            }
        };
        (elapsed + delay <= self.max_elapsed).then_some(delay)
    }
}

/// The statuses worth another attempt.
pub(crate) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

/// `Retry-After` as a duration from now: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(retry_after(&headers("3")), Some(Duration::from_secs(3)));
        assert_eq!(retry_after(&headers(" 0 ")), Some(Duration::ZERO));
        let in_a_minute = SystemTime::now() + Duration::from_secs(60);
        let wait = retry_after(&headers(&httpdate::fmt_http_date(in_a_minute))).unwrap();
        assert!((55..=60).contains(&wait.as_secs()), "{wait:?}");
        assert_eq!(
            retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn backoff_grows_within_its_ceiling_and_stops_at_the_bounds() {
        let policy = RetryPolicy::default()
            .max_attempts(5)
            .initial_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(300))
            .max_elapsed(Duration::from_secs(60));
        for _ in 0..200 {
            assert!(policy.delay(1, Duration::ZERO, None).unwrap() <= Duration::from_millis(100));
            assert!(policy.delay(2, Duration::ZERO, None).unwrap() <= Duration::from_millis(200));
            assert!(policy.delay(4, Duration::ZERO, None).unwrap() <= Duration::from_millis(300));
        }
        assert_eq!(policy.delay(5, Duration::ZERO, None), None);
        // Full jitter really spreads: not every draw is at the ceiling.
        let draws: Vec<_> = (0..50)
            .map(|_| policy.delay(3, Duration::ZERO, None).unwrap())
            .collect();
        assert!(
            draws.iter().any(|d| *d < Duration::from_millis(150)),
            "{draws:?}"
        );
    }

    #[test]
    fn retry_after_replaces_backoff_capped_by_max_delay() {
        let policy = RetryPolicy::default().max_delay(Duration::from_secs(2));
        assert_eq!(
            policy.delay(1, Duration::ZERO, Some(Duration::from_secs(1))),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            policy.delay(1, Duration::ZERO, Some(Duration::from_secs(3600))),
            Some(Duration::from_secs(2))
        );
    }

    #[test]
    fn the_total_time_bounds_retries() {
        let policy = RetryPolicy::default().max_elapsed(Duration::from_secs(5));
        assert_eq!(
            policy.delay(1, Duration::from_secs(4), Some(Duration::from_secs(2))),
            None
        );
        assert!(RetryPolicy::none().delay(1, Duration::ZERO, None).is_none());
    }

    #[test]
    fn only_transient_statuses_are_retryable() {
        for code in [408, 429, 500, 502, 503, 504] {
            assert!(
                is_retryable_status(StatusCode::from_u16(code).unwrap()),
                "{code}"
            );
        }
        for code in [200, 301, 400, 401, 403, 404, 409, 422, 501, 505] {
            assert!(
                !is_retryable_status(StatusCode::from_u16(code).unwrap()),
                "{code}"
            );
        }
    }
}
