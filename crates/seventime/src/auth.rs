//! The API key.

use std::fmt;

use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::BuildError;

/// A Seven Time API key, created in the product under Settings → Integrations → API.
///
/// The key is held as a [`SecretString`] (zeroed on drop) and never appears in `Debug` output,
/// error messages or logs. It is validated when created: it must be non-empty and consist of
/// visible ASCII characters, the only ones that can be sent unchanged in an HTTP header.
#[derive(Clone)]
pub struct ApiKey(SecretString);

impl ApiKey {
    /// Validates `key`. The error says what is wrong without repeating the key.
    pub fn new(key: impl Into<String>) -> Result<Self, BuildError> {
        let key: String = key.into();
        if key.trim().is_empty() {
            return Err(BuildError::InvalidApiKey(
                "the API key is empty; create one in Seven Time under Settings → Integrations → API".into(),
            ));
        }
        if let Some(position) = key.bytes().position(|b| !b.is_ascii_graphic()) {
            let what = if key.as_bytes()[position].is_ascii_whitespace() {
                "white space"
            } else {
                "a character that cannot be sent in an HTTP header"
            };
            return Err(BuildError::InvalidApiKey(format!(
                "the API key contains {what} at byte {position}; copy the key again, without surrounding spaces or line breaks"
            )));
        }
        Ok(Self(SecretString::from(key)))
    }

    /// The header value, marked sensitive so that reqwest and `http` never print it.
    pub(crate) fn header_value(&self) -> HeaderValue {
        let mut value = HeaderValue::from_str(self.0.expose_secret())
            .expect("validated in ApiKey::new: visible ASCII only");
        value.set_sensitive(true);
        value
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl TryFrom<String> for ApiKey {
    type Error = BuildError;

    fn try_from(key: String) -> Result<Self, Self::Error> {
        Self::new(key)
    }
}

impl TryFrom<&str> for ApiKey {
    type Error = BuildError;

    fn try_from(key: &str) -> Result<Self, Self::Error> {
        Self::new(key)
    }
}
