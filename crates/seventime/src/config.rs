//! Building a [`Client`]: base URL, API key and the HTTP client underneath.

use std::fmt;
use std::sync::Arc;

use reqwest::header::HeaderValue;

use crate::{ApiKey, Client, DEFAULT_BASE_URL};

/// Why a [`Client`] could not be built. Messages never contain the API key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// No API key was given.
    #[error(
        "no API key was given; pass one to `ClientBuilder::api_key` (keys are created in Seven Time under Settings → Integrations → API)"
    )]
    MissingApiKey,
    /// The API key cannot be used; the message says why.
    #[error("{0}")]
    InvalidApiKey(String),
    /// The base URL cannot be used.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// reqwest could not build its HTTP client (for example, TLS could not be initialised).
    #[error("cannot build the HTTP client: {0}")]
    Http(#[from] reqwest::Error),
}

impl From<std::convert::Infallible> for BuildError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}

/// State every generated operation can reach through its hooks: the API key and the headers
/// sent with every request. Cheap to clone; clones of a [`Client`] share it.
#[derive(Clone)]
pub struct ClientState(Arc<State>);

struct State {
    api_key: ApiKey,
    user_agent: HeaderValue,
}

impl ClientState {
    pub(crate) fn api_key(&self) -> &ApiKey {
        &self.0.api_key
    }

    pub(crate) fn user_agent(&self) -> &HeaderValue {
        &self.0.user_agent
    }
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientState")
            .field("api_key", &self.0.api_key)
            .field("user_agent", &self.0.user_agent)
            .finish()
    }
}

/// Configures and builds a [`Client`]. Start from [`Client::builder`].
#[derive(Default)]
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    api_key: Option<Result<ApiKey, BuildError>>,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("http", &self.http.as_ref().map(|_| "custom"))
            .finish()
    }
}

impl ClientBuilder {
    /// The service to talk to; defaults to [`DEFAULT_BASE_URL`]. A path stem is allowed
    /// (`https://proxy.example/seventime`); a trailing slash is ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The API key, sent as the `Client-Secret` header of every request. Required.
    ///
    /// Accepts an [`ApiKey`] or a string; a string is validated when the client is built.
    pub fn api_key<K>(mut self, key: K) -> Self
    where
        K: TryInto<ApiKey>,
        K::Error: Into<BuildError>,
    {
        self.api_key = Some(key.try_into().map_err(Into::into));
        self
    }

    /// Uses `client` for HTTP instead of one built with this crate's defaults, for control over
    /// proxies, TLS roots or timeouts. The API key and standard headers are still added to every
    /// request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Validates the configuration and builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let api_key = self.api_key.ok_or(BuildError::MissingApiKey)??;
        let base_url = normalize_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder().build()?,
        };
        let user_agent =
            HeaderValue::from_static(concat!("seventime-rs/", env!("CARGO_PKG_VERSION")));
        let state = ClientState(Arc::new(State {
            api_key,
            user_agent,
        }));
        Ok(Client::new_with_client(&base_url, http, state))
    }
}

impl Client {
    /// Starts configuring a client. An API key is required; everything else has defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }
}

/// Checks `url` and removes trailing slashes: generated operations append `/api/2/...`, so
/// `https://host/` would otherwise produce `https://host//api/2/...`.
fn normalize_base_url(url: &str) -> Result<String, BuildError> {
    let invalid = |reason: &str| BuildError::InvalidBaseUrl {
        url: url.to_string(),
        reason: reason.to_string(),
    };
    let parsed = reqwest::Url::parse(url.trim()).map_err(|error| {
        invalid(&format!(
            "{error}; write an absolute URL such as {DEFAULT_BASE_URL}"
        ))
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid(
            "the scheme must be https (or http for a local server)",
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid("the URL has no host"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid(
            "the URL must not have a query or fragment; give only scheme, host, port and path stem",
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid(
            "the URL must not contain credentials; the API key is given with `api_key`",
        ));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}
