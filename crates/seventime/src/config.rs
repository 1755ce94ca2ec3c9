//! Building a [`Client`]: where it talks to, with which key, and how carefully.

use std::fmt;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use reqwest::header::{HeaderName, HeaderValue};

use crate::defaults;
use crate::transport::redirect_policy;
use crate::{API_KEY_HEADER, ApiKey, Client, DEFAULT_BASE_URL, RetryPolicy};

/// The environment variable [`Client::from_env`] reads the API key from.
pub const API_KEY_ENV: &str = "SEVENTIME_CLIENT_SECRET";
/// The environment variable [`Client::from_env`] reads the base URL from (optional).
pub const BASE_URL_ENV: &str = "SEVENTIME_BASE_URL";

/// Why a [`Client`] could not be built. Messages never contain the API key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// No API key was given.
    #[error(
        "no API key was given; pass one to `ClientBuilder::api_key`, or set {API_KEY_ENV} for `Client::from_env` (keys are created in Seven Time under Settings → Integrations → API)"
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
    /// The user agent suffix cannot be sent in a header.
    #[error("invalid user agent suffix: {0}")]
    InvalidUserAgent(String),
    /// reqwest could not build its HTTP client (for example, TLS could not be initialised).
    #[error("cannot build the HTTP client: {0}")]
    Http(#[from] reqwest::Error),
}

impl From<std::convert::Infallible> for BuildError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}

/// What every generated operation reaches through its hooks: the key, the headers sent with
/// every request and the policies of the transport. Clones of a [`Client`] share it, and so
/// share one rate limiter.
#[derive(Clone)]
pub struct ClientState(Arc<State>);

struct State {
    api_key: ApiKey,
    /// `API_KEY_HEADER`, parsed once instead of on every request.
    api_key_header: HeaderName,
    user_agent: HeaderValue,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    limiter: Option<DefaultDirectRateLimiter>,
    max_response_body: usize,
    /// Field configurations fetched for resolving custom-field values, shared by clones.
    field_configurations: crate::custom_fields::ConfigurationCache,
}

impl ClientState {
    pub(crate) fn field_configurations(&self) -> &crate::custom_fields::ConfigurationCache {
        &self.0.field_configurations
    }

    pub(crate) fn api_key(&self) -> &ApiKey {
        &self.0.api_key
    }

    pub(crate) fn api_key_header(&self) -> &HeaderName {
        &self.0.api_key_header
    }

    pub(crate) fn user_agent(&self) -> &HeaderValue {
        &self.0.user_agent
    }

    pub(crate) fn timeout(&self) -> Option<Duration> {
        self.0.timeout
    }

    pub(crate) fn retry(&self) -> &RetryPolicy {
        &self.0.retry
    }

    pub(crate) fn limiter(&self) -> Option<&DefaultDirectRateLimiter> {
        self.0.limiter.as_ref()
    }

    pub(crate) fn max_response_body(&self) -> usize {
        self.0.max_response_body
    }
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientState")
            .field("api_key", &self.0.api_key)
            .field("user_agent", &self.0.user_agent)
            .field("timeout", &self.0.timeout)
            .field("retry", &self.0.retry)
            .field("rate_limited", &self.0.limiter.is_some())
            .field("max_response_body", &self.0.max_response_body)
            .finish()
    }
}

/// Configures and builds a [`Client`]. Start from [`Client::builder`].
///
/// Defaults: the production service, 10 s to connect, 30 s per attempt, the default
/// [`RetryPolicy`], at most 4 requests per second (shared by the client's clones), response
/// bodies up to 32 MiB, redirects followed only within the service.
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    api_key: Option<Result<ApiKey, BuildError>>,
    http: Option<reqwest::Client>,
    connect_timeout: Duration,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    rate_limit: Option<NonZeroU32>,
    user_agent_suffix: Option<String>,
    max_response_body: usize,
    allow_insecure_http: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: None,
            api_key: None,
            http: None,
            connect_timeout: defaults::CONNECT_TIMEOUT,
            timeout: Some(defaults::TIMEOUT),
            retry: RetryPolicy::default(),
            rate_limit: Some(defaults::RATE_LIMIT),
            user_agent_suffix: None,
            max_response_body: defaults::MAX_RESPONSE_BODY,
            allow_insecure_http: false,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("http", &self.http.as_ref().map(|_| "custom"))
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("max_response_body", &self.max_response_body)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .finish()
    }
}

impl ClientBuilder {
    /// The service to talk to; defaults to [`DEFAULT_BASE_URL`]. A path stem is allowed
    /// (`https://proxy.example/seventime`); a trailing slash is ignored. `http://` is accepted
    /// only for loopback hosts unless [`allow_insecure_http`](Self::allow_insecure_http).
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

    /// Reads the key from `SEVENTIME_CLIENT_SECRET` and, when set, the base URL from
    /// `SEVENTIME_BASE_URL`.
    pub fn from_env(mut self) -> Self {
        match std::env::var(API_KEY_ENV) {
            Ok(key) => self = self.api_key(key),
            Err(_) => self.api_key = None,
        }
        if let Ok(url) = std::env::var(BASE_URL_ENV) {
            self = self.base_url(url);
        }
        self
    }

    /// Time allowed to establish a connection (default 10 s). Not applied to a client given with
    /// [`http_client`](Self::http_client), which keeps its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for each attempt, from sending the request to the end of the body
    /// (default 30 s). The retry policy bounds the time of all attempts together.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How failed requests are retried ([`RetryPolicy::none`] switches retries off).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Requests per second this client (and its clones) may start; default 4, the documented
    /// limit. Requests are spaced evenly, so the service's own limit is never hit.
    pub fn rate_limit(mut self, per_second: NonZeroU32) -> Self {
        self.rate_limit = Some(per_second);
        self
    }

    /// No client-side rate limit (for example, when requests are already paced elsewhere).
    pub fn without_rate_limit(mut self) -> Self {
        self.rate_limit = None;
        self
    }

    /// Appended to the user agent: `seventime-rs/<version> <suffix>`, for example your
    /// application's name and version.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// The largest response body read, in bytes (default 32 MiB). A larger body is an
    /// [`ApiError::BodyTooLarge`](crate::ApiError::BodyTooLarge), not an out-of-memory.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = bytes;
        self
    }

    /// Accepts an `http://` base URL for hosts other than loopback. The API key then crosses the
    /// network unencrypted: only for trusted networks.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Uses `client` for HTTP instead of one built with this crate's defaults, for control over
    /// proxies or TLS roots. The API key, standard headers, timeout, retries and rate limit still
    /// apply to every request.
    ///
    /// **Redirects:** reqwest strips `Authorization` when a redirect leaves the host, but not
    /// `Client-Secret`. Build `client` with `redirect(reqwest::redirect::Policy::none())` (or a
    /// same-host policy), or a redirecting server could receive your key.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Validates the configuration and builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let api_key = self.api_key.ok_or(BuildError::MissingApiKey)??;
        let base_url = normalize_base_url(
            self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL),
            self.allow_insecure_http,
        )?;
        let user_agent = user_agent(self.user_agent_suffix.as_deref())?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .redirect(redirect_policy())
                .build()?,
        };
        let api_key_header = HeaderName::from_bytes(API_KEY_HEADER.as_bytes()).map_err(|e| {
            BuildError::InvalidApiKey(format!("the spec's key header `{API_KEY_HEADER}`: {e}"))
        })?;
        let state = ClientState(Arc::new(State {
            api_key,
            api_key_header,
            user_agent,
            timeout: self.timeout,
            retry: self.retry,
            // Evenly spaced (a burst of one): a client that never bunches requests cannot trip
            // the service's limit, even when arrivals jitter.
            limiter: self
                .rate_limit
                .map(|n| RateLimiter::direct(Quota::per_second(n).allow_burst(NonZeroU32::MIN))),
            max_response_body: self.max_response_body,
            field_configurations: Default::default(),
        }));
        Ok(Client::new_with_client(&base_url, http, state))
    }
}

impl Client {
    /// Starts configuring a client. An API key is required; everything else has defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client with the key from `SEVENTIME_CLIENT_SECRET` and, when set, the base URL from
    /// `SEVENTIME_BASE_URL`; everything else as [`ClientBuilder`]'s defaults.
    pub fn from_env() -> Result<Client, BuildError> {
        Self::builder().from_env().build()
    }

    /// The service this client talks to, as given to [`ClientBuilder::base_url`] (or
    /// [`DEFAULT_BASE_URL`]), without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.baseurl
    }
}

fn user_agent(suffix: Option<&str>) -> Result<HeaderValue, BuildError> {
    let base = concat!("seventime-rs/", env!("CARGO_PKG_VERSION"));
    let Some(suffix) = suffix.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(HeaderValue::from_static(base));
    };
    if !suffix.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
        return Err(BuildError::InvalidUserAgent(format!(
            "`{suffix}` has characters that cannot be sent in a header; use printable ASCII"
        )));
    }
    HeaderValue::from_str(&format!("{base} {suffix}"))
        .map_err(|e| BuildError::InvalidUserAgent(e.to_string()))
}

/// Checks `url` and removes trailing slashes: generated operations append `/api/2/...`, so
/// `https://host/` would otherwise produce `https://host//api/2/...`.
fn normalize_base_url(url: &str, allow_insecure_http: bool) -> Result<String, BuildError> {
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
    let Some(host) = parsed.host() else {
        return Err(invalid("the URL has no host"));
    };
    if parsed.scheme() == "http" && !allow_insecure_http && !is_loopback(&host) {
        return Err(invalid(
            "plain http would send the API key unencrypted; use https, or call `allow_insecure_http(true)` for a trusted network",
        ));
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

fn is_loopback(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        url::Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
    }
}
