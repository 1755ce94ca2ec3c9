//! The hooks every generated operation passes through (`progenitor_client::ClientHooks`).
//!
//! The spec is generated with `HooksMode::Expected`, so this impl is mandatory: no operation can
//! reach the network without going through [`Client::pre`] and [`Client::exec`]. That makes
//! this the place for behaviour that must apply to every operation, including ones added to
//! the spec later: the API key and standard headers in `pre`; rate limiting, retries, timeouts
//! and the body limit in `exec` (see `transport.rs`).

use progenitor_client::{ClientHooks, Error, OperationInfo};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue, USER_AGENT};

use crate::{Client, ClientState};

impl ClientHooks<ClientState> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        let headers = request.headers_mut();
        // progenitor adds `api-version: <info.version>` for Dropshot servers. Seven Time versions
        // its API in the path (`/api/2/`) and documents no such header, so it is removed: every
        // request carries only headers the vendor documents, none it might one day read
        // differently.
        headers.remove("api-version");
        headers.insert(
            self.inner.api_key_header().clone(),
            self.inner.api_key().header_value(),
        );
        // The published examples send both; the service is documented only with them.
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, self.inner.user_agent().clone());
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        crate::transport::execute(self, request, info).await
    }
}
