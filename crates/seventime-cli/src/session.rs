//! The client a command talks through: built from the settings in force, or pointed at the
//! embedded mock with `--mock`.

use std::time::Duration;

use seventime::{ApiKey, Client, RetryPolicy};

use crate::config::Settings;
use crate::failure::{Class, Failure};

/// A connected client, and the mock it talks to when `--mock` started one.
pub struct Session {
    /// The client, configured from the settings.
    pub client: Client,
    /// The base URL it talks to, for messages.
    pub base_url: String,
    /// The embedded mock, kept alive as long as the session.
    pub mock: Option<seventime_mock::RunningMock>,
}

impl Session {
    /// Against the embedded mock with `mock`, otherwise against the settings' base URL with
    /// the settings' key.
    pub async fn connect(settings: &Settings, mock: bool) -> Result<Self, Failure> {
        if !mock {
            let key = settings.read_key()?;
            let base_url = settings.base_url.value.clone();
            let client = client(settings, &base_url, key)?;
            return Ok(Self {
                client,
                base_url,
                mock: None,
            });
        }
        let key = seventime_mock::generate_api_key().map_err(|e| {
            Failure::new(
                Class::Internal,
                format!("cannot generate a key for the mock: {e}"),
            )
        })?;
        let mut config = seventime_mock::MockConfig::new(key.clone());
        // The mock paces as the service does, at the rate the user chose to send at: a demo
        // or a test can go faster than the documented 4 per second, and nothing is refused.
        config.rate_limit = Some(settings.rate_limit.value);
        let running = seventime_mock::start(config).await.map_err(|e| {
            Failure::new(
                Class::Internal,
                format!("cannot start the embedded mock: {e}"),
            )
        })?;
        tracing::info!(url = running.url(), "embedded mock started");
        let base_url = running.url().to_string();
        Ok(Self {
            client: client(settings, &base_url, key)?,
            base_url,
            mock: Some(running),
        })
    }

    /// Stops the embedded mock, if one runs.
    pub async fn close(self) {
        if let Some(mock) = self.mock {
            mock.shutdown().await;
        }
    }
}

/// A client for `base_url` with `key` and the timeouts, retries and rate limit in force.
pub fn client(settings: &Settings, base_url: &str, key: String) -> Result<Client, Failure> {
    let key = ApiKey::new(key).map_err(|e| Failure::new(Class::Auth, e.to_string()))?;
    let timeout = Duration::from_secs(settings.timeout.value);
    Client::builder()
        .base_url(base_url)
        .api_key(key)
        .connect_timeout(timeout.min(seventime::defaults::CONNECT_TIMEOUT))
        .timeout(timeout)
        .retry(RetryPolicy::default().max_attempts(settings.retries.value.saturating_add(1)))
        .rate_limit(settings.rate_limit.value)
        .user_agent_suffix(concat!("seventime-cli/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| {
            Failure::new(
                Class::Usage,
                format!(
                    "{e} (base URL from {})",
                    settings.describe(&settings.base_url.origin)
                ),
            )
        })
}
