//! The default HTTP transport: [`reqwest`] over rustls, one connection pool per transport.
//!
//! ```no_run
//! # fn main() -> Result<(), alicloud_runtime::TransportError> {
//! use std::time::Duration;
//! use alicloud_runtime::reqwest_transport::ReqwestTransport;
//!
//! let transport = ReqwestTransport::builder()
//!     .connect_timeout(Duration::from_secs(3))
//!     .timeout(Duration::from_secs(30))
//!     .proxy("http://proxy.internal:3128")
//!     .build()?;
//! # drop(transport);
//! # Ok(())
//! # }
//! ```
//!
//! Errors never carry the request URL: reqwest puts it in its error messages, and the query of
//! an Alibaba Cloud call can hold a pre-shared key.

use std::fmt;
use std::time::Duration;

use crate::transport::{
    describe, BoxFuture, HttpRequest, HttpResponse, Scrub, Transport, TransportError,
    TransportErrorKind,
};

/// Default time allowed to open a connection (the official SDKs' 5 s).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time allowed for a whole request, response body included (the official SDKs' 10 s
/// read timeout).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// A [`Transport`] over one [`reqwest::Client`]. Clones share its connection pool.
#[derive(Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
}

impl fmt::Debug for ReqwestTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // reqwest's own Debug lists proxies, whose URLs can hold credentials.
        f.debug_struct("ReqwestTransport")
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl ReqwestTransport {
    /// A transport with the default settings (see [`ReqwestTransportBuilder`]).
    pub fn new() -> Result<Self, TransportError> {
        Self::builder().build()
    }

    /// A builder with the default settings.
    pub fn builder() -> ReqwestTransportBuilder {
        ReqwestTransportBuilder::default()
    }

    /// Wraps a client configured elsewhere (its timeouts, proxies and TLS settings apply).
    pub fn from_client(client: reqwest::Client) -> Self {
        Self {
            client,
            connect_timeout: None,
            timeout: None,
        }
    }

    /// The underlying client.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }
}

/// Settings of a [`ReqwestTransport`].
///
/// Defaults: connect timeout 5 s, whole-request timeout 10 s, proxies from the usual
/// environment variables (`HTTPS_PROXY`, `NO_PROXY`, …), the webpki root certificates, no
/// redirects followed.
#[derive(Clone)]
pub struct ReqwestTransportBuilder {
    connect_timeout: Duration,
    timeout: Duration,
    proxy: Option<String>,
    system_proxy: bool,
    root_certificates: Vec<Vec<u8>>,
    pool_idle_timeout: Option<Duration>,
}

impl Default for ReqwestTransportBuilder {
    fn default() -> Self {
        Self {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            proxy: None,
            system_proxy: true,
            root_certificates: Vec::new(),
            pool_idle_timeout: None,
        }
    }
}

impl fmt::Debug for ReqwestTransportBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestTransportBuilder")
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            // A proxy URL can carry a user and password.
            .field("proxy", &self.proxy.as_ref().map(|_| "<set>"))
            .field("system_proxy", &self.system_proxy)
            .field("root_certificates", &self.root_certificates.len())
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .finish()
    }
}

impl ReqwestTransportBuilder {
    /// Time allowed to open a connection (TCP and TLS).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for the whole request, from sending to the last byte of the response body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sends every request through this proxy: an `http://` or `https://` URL, or with the
    /// `socks` feature a `socks5://` (names resolved here) or `socks5h://` (names resolved by
    /// the proxy) URL; optionally with `user:password@`. Without the `socks` feature a SOCKS URL
    /// makes [`ReqwestTransportBuilder::build`] fail.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Ignores the proxy environment variables (a proxy set with
    /// [`ReqwestTransportBuilder::proxy`] still applies).
    pub fn no_proxy(mut self) -> Self {
        self.system_proxy = false;
        self
    }

    /// Also trusts the CA certificate(s) in `pem` (one or more `BEGIN CERTIFICATE` blocks), e.g.
    /// for a TLS-intercepting proxy or a private endpoint.
    pub fn add_root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.root_certificates.push(pem.into());
        self
    }

    /// How long an idle pooled connection is kept (reqwest's default otherwise).
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = Some(timeout);
        self
    }

    /// Builds the transport.
    pub fn build(self) -> Result<ReqwestTransport, TransportError> {
        let mut builder = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            // A redirect would re-send a signed request elsewhere; the API never redirects.
            .redirect(reqwest::redirect::Policy::none());
        if !self.system_proxy {
            builder = builder.no_proxy();
        }
        if let Some(url) = &self.proxy {
            // reqwest's message would quote the URL, credentials included.
            let proxy = reqwest::Proxy::all(url.as_str()).map_err(|_| {
                TransportError::new(TransportErrorKind::Other, "the proxy URL is not valid")
            })?;
            builder = builder.proxy(proxy);
        }
        for (i, pem) in self.root_certificates.iter().enumerate() {
            let certs = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
                TransportError::new(
                    TransportErrorKind::Other,
                    format!(
                        "root certificate #{} is not valid PEM: {}",
                        i + 1,
                        describe(&e)
                    ),
                )
            })?;
            if certs.is_empty() {
                return Err(TransportError::new(
                    TransportErrorKind::Other,
                    format!("root certificate #{} holds no PEM certificate", i + 1),
                ));
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        if let Some(idle) = self.pool_idle_timeout {
            builder = builder.pool_idle_timeout(idle);
        }
        let client = builder
            .build()
            .map_err(|e| map_error(e, &Scrub::default()))?;
        Ok(ReqwestTransport {
            client,
            connect_timeout: Some(self.connect_timeout),
            timeout: Some(self.timeout),
        })
    }
}

fn map_error(e: reqwest::Error, scrub: &Scrub) -> TransportError {
    let kind = if e.is_builder() {
        TransportErrorKind::Other
    } else if e.is_connect() {
        // Includes connect timeouts: the request never left, so it is always safe to retry.
        TransportErrorKind::Connect
    } else if e.is_timeout() {
        TransportErrorKind::Timeout
    } else if e.is_request() || e.is_body() || e.is_decode() {
        TransportErrorKind::Io
    } else {
        TransportErrorKind::Other
    };
    let e = e.without_url();
    TransportError::new(kind, scrub.apply(describe(&e)))
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let scrub = Scrub::for_uri(request.uri());
        let request = reqwest::Request::try_from(request);
        Box::pin(async move {
            let request = request.map_err(|e| map_error(e, &scrub))?;
            let response = self
                .client
                .execute(request)
                .await
                .map_err(|e| map_error(e, &scrub))?;
            let status = response.status();
            let version = response.version();
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(|e| map_error(e, &scrub))?;
            let mut out = http::Response::new(body.to_vec());
            *out.status_mut() = status;
            *out.version_mut() = version;
            *out.headers_mut() = headers;
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_proxy_credentials() {
        let b = ReqwestTransport::builder().proxy("http://user:hunter2@127.0.0.1:1");
        assert!(!format!("{b:?}").contains("hunter2"));
        let t = b.build().unwrap();
        assert!(!format!("{t:?}").contains("hunter2"));
    }
}
