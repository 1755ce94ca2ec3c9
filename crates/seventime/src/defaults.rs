//! Every default of the client, in one place.
//!
//! [`ClientBuilder`](crate::ClientBuilder) and [`RetryPolicy::default`](crate::RetryPolicy) start
//! from these values; the CLI, the mock and the benchmarks read them from here instead of
//! restating them, so that changing one changes it everywhere.

use std::num::NonZeroU32;
use std::time::Duration;

/// Requests per second the client sends per key: the service's documented limit (4).
pub const RATE_LIMIT: NonZeroU32 = NonZeroU32::new(4).expect("4 is not zero");

/// The longest response body the client reads: 32 MiB.
pub const MAX_RESPONSE_BODY: usize = 32 * 1024 * 1024;

/// How long one attempt may take, from sending the request to the end of the body.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// How long connecting may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Attempts per request in all, the first included (so 3 retries).
pub const MAX_ATTEMPTS: u32 = 4;

/// The backoff before the second attempt; it doubles for each further one.
pub const INITIAL_DELAY: Duration = Duration::from_millis(250);

/// The longest single wait between attempts, for backoff and `Retry-After` alike.
pub const MAX_DELAY: Duration = Duration::from_secs(10);

/// The longest time from the first attempt of a request to the start of its last.
pub const MAX_ELAPSED: Duration = Duration::from_secs(30);

/// Redirects followed within the service before the client stops.
pub const MAX_REDIRECTS: usize = 5;
