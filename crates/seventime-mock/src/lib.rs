//! A mock of the Seven Time API that behaves as `openapi/seventime.yaml` describes.
//!
//! It serves every operation of the spec: both forms of the custom-fields operation, and the
//! list and get-by-id of every resource in `seventime::catalog`, with paging, filters,
//! `lastModified`, sorting and `404` for unknown ids. Its data ([`Fixtures`]) are the spec's
//! documented examples plus generated records, each checked against the generated
//! `seventime::types` — so the mock and the client cannot disagree on a shape. Like the real service it checks the `Client-Secret` header (in constant
//! time), limits each key to a number of requests per second (4 by default) and answers every
//! error with a JSON `{"errorMessage": ...}` body. [`Faults`] can make it slow or broken on
//! purpose, for tests of error handling.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let mock = seventime_mock::start(seventime_mock::MockConfig::new("test-key")).await?;
//! let client = seventime::Client::builder()
//!     .base_url(mock.url())
//!     .api_key(mock.api_key())
//!     .build()
//!     .unwrap();
//! let fields = client.list_custom_fields().send().await.unwrap();
//! mock.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod fixtures;
mod generated;
mod query_values;
mod records;
mod routes;
mod store;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use fixtures::{DEFAULT_RECORDS, FixtureError, Fixtures};
pub use routes::router;
pub use store::{Records, RecordsError};

/// How the mock behaves.
#[derive(Clone)]
pub struct MockConfig {
    /// Address to listen on; port 0 picks a free port. Defaults to `127.0.0.1:0`.
    pub bind: SocketAddr,
    /// The one API key the mock accepts.
    pub api_key: String,
    /// The field configurations served.
    pub fixtures: Fixtures,
    /// Requests per second allowed per key (`None`: unlimited).
    pub rate_limit: Option<NonZeroU32>,
    /// Deliberate misbehaviour, off by default.
    pub faults: Faults,
}

impl MockConfig {
    /// The built-in data on `127.0.0.1` (free port), accepting `api_key`, rate-limited as
    /// documented, without faults.
    pub fn new(api_key: impl Into<String>) -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            api_key: api_key.into(),
            fixtures: Fixtures::builtin(),
            rate_limit: Some(seventime::defaults::RATE_LIMIT),
            faults: Faults::default(),
        }
    }
}

impl std::fmt::Debug for MockConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockConfig")
            .field("bind", &self.bind)
            .field("api_key", &"<redacted>")
            .field("rate_limit", &self.rate_limit)
            .field("faults", &self.faults)
            .finish_non_exhaustive()
    }
}

/// Deliberate misbehaviour for tests. Applied to the API routes before anything else.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Wait this long before answering.
    pub latency: Option<Duration>,
    /// Answer every request with this status (and a JSON error body).
    pub status: Option<u16>,
    /// Answer successful requests with a truncated JSON body.
    pub malformed_body: bool,
    /// Answer these requests — numbered from 1 in the order they reach the API routes, as
    /// [`RunningMock::requests_received`] counts them — with the given status, once each. A
    /// `429` carries `Retry-After: 1`. For tests of a fault in the middle of a sequence, such as
    /// one page of a paginated stream.
    pub fail_requests: BTreeMap<u64, u16>,
}

/// A running mock. Dropping it stops the server; [`RunningMock::shutdown`] also waits for it.
#[derive(Debug)]
pub struct RunningMock {
    url: String,
    addr: SocketAddr,
    api_key: String,
    received: Arc<AtomicU64>,
    records: Records,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl RunningMock {
    /// The base URL to give a client, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The API key the mock accepts.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// How many requests have reached the API routes so far, whatever their answer (refused
    /// ones included; requests for paths the API does not have are not counted).
    pub fn requests_received(&self) -> u64 {
        self.received.load(Ordering::SeqCst)
    }

    /// The records it serves, to change between requests as another user of the tenant would.
    pub fn records(&self) -> Records {
        self.records.clone()
    }

    /// Stops accepting connections, lets requests in flight finish, and waits for the server.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            match task.await {
                Ok(Ok(())) => {}
                Ok(Err(error)) => tracing::warn!(%error, "mock server stopped with an error"),
                Err(error) => tracing::warn!(%error, "mock server task failed"),
            }
        }
    }
}

impl Drop for RunningMock {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Binds `config.bind` and serves the mock in a background task.
pub async fn start(config: MockConfig) -> std::io::Result<RunningMock> {
    let listener = TcpListener::bind(config.bind).await?;
    let addr = listener.local_addr()?;
    let api_key = config.api_key.clone();
    let received = Arc::new(AtomicU64::new(0));
    let state = routes::state(config, Arc::clone(&received));
    let records = Records::new(Arc::clone(&state));
    let app = routes::app(state);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    Ok(RunningMock {
        url: format!("http://{addr}"),
        addr,
        api_key,
        received,
        records,
        stop: Some(stop),
        task: Some(task),
    })
}

/// A fresh random API key for a mock (`mock-` and 32 hex digits).
pub fn generate_api_key() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(std::io::Error::other)?;
    Ok(bytes.iter().fold(String::from("mock-"), |mut key, byte| {
        key.push_str(&format!("{byte:02x}"));
        key
    }))
}
