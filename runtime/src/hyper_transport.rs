//! The lean HTTP transport: a hyper 1 client (hyper-util's pooled client) over rustls, with the
//! webpki root certificates, keep-alive connections, HTTP and SOCKS5 proxies and timeouts.
//!
//! ```no_run
//! # fn main() -> Result<(), alicloud_runtime::TransportError> {
//! use std::time::Duration;
//! use alicloud_runtime::hyper_transport::HyperTransport;
//!
//! let transport = HyperTransport::builder()
//!     .connect_timeout(Duration::from_secs(3))
//!     .timeout(Duration::from_secs(30))
//!     .proxy("http://proxy.internal:3128")
//!     .build()?;
//! # drop(transport);
//! # Ok(())
//! # }
//! ```
//!
//! Why it exists beside [`reqwest`](crate::reqwest_transport): the client core hands over an
//! `http::Request` whose URI is already parsed and whose headers are already valid; hyper takes
//! it as it is, where reqwest converts it into its own request type, which parses the URL again
//! (with IDNA processing of the host) on every call. `benches/src/bin/e2e.rs` measures the
//! difference (see `benches/RESULTS.md`).
//!
//! A `POST`, `PUT` or `PATCH` without a body is sent with `Content-Length: 0`, as the official
//! SDKs send it: hyper sends no length for an empty body, and some front ends answer
//! `411 Length Required` to a bodiless `POST` without one.
//!
//! Errors never carry the request URL (the query of a call can hold a pre-shared key) nor a
//! proxy's credentials.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderValue, CONTENT_LENGTH, PROXY_AUTHORIZATION};
use http::uri::Scheme;
use http::{Method, Uri};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::proxy::{SocksV5, Tunnel};
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::legacy::Client;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;
use tower_service::Service;

use crate::transport::{
    describe, BoxFuture, HttpRequest, HttpResponse, Scrub, Transport, TransportError,
    TransportErrorKind,
};

/// Default time allowed to open a connection, TLS included (the official SDKs' 5 s).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time allowed for a whole request, response body included (the official SDKs' 10 s
/// read timeout).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time an idle pooled connection is kept (as reqwest keeps it).
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A [`Transport`] over one hyper client and its connection pool. Clones share the pool.
#[derive(Clone)]
pub struct HyperTransport {
    client: Client<Connector, Full<Bytes>>,
    /// Only for plain-HTTP requests through an HTTP proxy, which carry the proxy's credentials
    /// in a header (HTTPS requests tunnel, and the connector authenticates the tunnel).
    proxies: Option<Arc<Matcher>>,
    connect_timeout: Duration,
    timeout: Duration,
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Proxy URLs can hold credentials: only whether there are any is shown.
        f.debug_struct("HyperTransport")
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("proxies", &self.proxies.as_ref().map(|_| "<set>"))
            .finish_non_exhaustive()
    }
}

impl HyperTransport {
    /// A transport with the default settings (see [`HyperTransportBuilder`]).
    pub fn new() -> Result<Self, TransportError> {
        Self::builder().build()
    }

    /// A builder with the default settings.
    pub fn builder() -> HyperTransportBuilder {
        HyperTransportBuilder::default()
    }
}

/// Settings of a [`HyperTransport`].
///
/// Defaults: connect timeout 5 s, whole-request timeout 10 s, proxies from the usual
/// environment variables (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, in either
/// case), the webpki root certificates, idle connections kept 90 s, no redirects followed,
/// HTTP/1.1.
#[derive(Clone)]
pub struct HyperTransportBuilder {
    connect_timeout: Duration,
    timeout: Duration,
    proxy: Option<String>,
    system_proxy: bool,
    root_certificates: Vec<Vec<u8>>,
    pool_idle_timeout: Duration,
}

impl Default for HyperTransportBuilder {
    fn default() -> Self {
        Self {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            proxy: None,
            system_proxy: true,
            root_certificates: Vec::new(),
            pool_idle_timeout: DEFAULT_POOL_IDLE_TIMEOUT,
        }
    }
}

impl fmt::Debug for HyperTransportBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperTransportBuilder")
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

impl HyperTransportBuilder {
    /// Time allowed to open a connection: TCP, the proxy handshake and TLS.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for the whole request, from sending to the last byte of the response body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sends every request through this proxy instead of the environment's: an `http://` URL
    /// (HTTPS requests go through a `CONNECT` tunnel), a `socks5://` (names resolved here) or
    /// `socks5h://` (names resolved by the proxy) URL; optionally with `user:password@`.
    /// `https://` proxy URLs are refused by [`HyperTransportBuilder::build`] (the reqwest
    /// transport supports them).
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Ignores the proxy environment variables (a proxy set with
    /// [`HyperTransportBuilder::proxy`] still applies).
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

    /// How long an idle pooled connection is kept.
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// Builds the transport.
    pub fn build(self) -> Result<HyperTransport, TransportError> {
        let proxies = match &self.proxy {
            Some(url) => Some(explicit_proxy(url)?),
            None if self.system_proxy => Some(Matcher::from_env()),
            None => None,
        }
        .map(Arc::new);
        let tls = TlsConnector::from(Arc::new(self.tls_config()?));
        let mut http = HttpConnector::new();
        // The connector also dials HTTPS hosts and proxies; TLS is added on top of it here.
        http.enforce_http(false);
        // Requests are small and answered at once: no Nagle delay, as reqwest does.
        http.set_nodelay(true);
        http.set_connect_timeout(Some(self.connect_timeout));
        let connector = Connector {
            http,
            tls,
            proxies: proxies.clone(),
            connect_timeout: self.connect_timeout,
        };
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(self.pool_idle_timeout)
            .build(connector);
        Ok(HyperTransport {
            client,
            proxies,
            connect_timeout: self.connect_timeout,
            timeout: self.timeout,
        })
    }

    fn tls_config(&self) -> Result<rustls::ClientConfig, TransportError> {
        let mut roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        for (i, pem) in self.root_certificates.iter().enumerate() {
            let invalid = |why: String| {
                TransportError::new(
                    TransportErrorKind::Other,
                    format!("root certificate #{}: {why}", i + 1),
                )
            };
            let mut found = 0;
            for cert in CertificateDer::pem_slice_iter(pem) {
                let cert = cert.map_err(|e| invalid(format!("not valid PEM: {e}")))?;
                roots
                    .add(cert)
                    .map_err(|e| invalid(format!("not a usable CA certificate: {e}")))?;
                found += 1;
            }
            if found == 0 {
                return Err(invalid("holds no PEM certificate".into()));
            }
        }
        // ring, as the reqwest transport uses: one crypto provider in the build whichever
        // transport is compiled in.
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| TransportError::new(TransportErrorKind::Other, e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(config)
    }
}

/// A matcher sending everything through `url`, after checking the URL (the environment's
/// matcher skips URLs it cannot use; an explicit one that cannot be used is an error).
fn explicit_proxy(url: &str) -> Result<Matcher, TransportError> {
    // The URL is never quoted: it can hold a password.
    let invalid = |why: &str| {
        TransportError::new(
            TransportErrorKind::Other,
            format!("the proxy URL is not valid: {why}"),
        )
    };
    let uri: Uri = url.parse().map_err(|_| invalid("not a URL"))?;
    match uri.scheme_str() {
        Some("http" | "socks5" | "socks5h") => {}
        Some("https") => {
            return Err(invalid(
                "https:// proxies are not supported by this transport (use an http:// proxy, \
                 which tunnels HTTPS, or the reqwest transport)",
            ))
        }
        _ => return Err(invalid("the scheme must be http, socks5 or socks5h")),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(invalid("it has no host"));
    }
    Ok(Matcher::builder().all(url.to_owned()).build())
}

/// Methods that carry a body, and so a length even when the body is empty.
fn expects_body(method: &Method) -> bool {
    *method == Method::POST || *method == Method::PUT || *method == Method::PATCH
}

fn map_client_error(e: hyper_util::client::legacy::Error, scrub: &Scrub) -> TransportError {
    let kind = if e.is_connect() {
        // Includes connect timeouts: the request never left, so it is always safe to retry.
        TransportErrorKind::Connect
    } else {
        TransportErrorKind::Io
    };
    TransportError::new(kind, scrub.apply(describe(&e)))
}

impl Transport for HyperTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let (mut parts, body) = request.into_parts();
        let http = match parts.uri.scheme() {
            Some(s) if *s == Scheme::HTTPS => false,
            Some(s) if *s == Scheme::HTTP => true,
            _ => {
                return Box::pin(async {
                    Err(TransportError::new(
                        TransportErrorKind::Other,
                        "the request URL is not an absolute http:// or https:// URL",
                    ))
                })
            }
        };
        if body.is_empty() && expects_body(&parts.method) {
            parts
                .headers
                .entry(CONTENT_LENGTH)
                .or_insert(HeaderValue::from_static("0"));
        }
        if http {
            // A plain-HTTP request to an HTTP proxy is sent to the proxy as it is, so the
            // proxy's credentials go in a header of the request itself.
            let auth = self
                .proxies
                .as_ref()
                .and_then(|m| m.intercept(&parts.uri))
                .and_then(|i| i.basic_auth().cloned());
            if let Some(auth) = auth {
                parts.headers.insert(PROXY_AUTHORIZATION, auth);
            }
        }
        // Kept for the error path only (cloning a `Uri` shares its bytes).
        let uri = parts.uri.clone();
        let request = http::Request::from_parts(parts, Full::new(Bytes::from(body)));
        let response = self.client.request(request);
        let timeout = self.timeout;
        Box::pin(async move {
            let exchange = async {
                let response = response
                    .await
                    .map_err(|e| map_client_error(e, &Scrub::for_uri(&uri)))?;
                let (parts, body) = response.into_parts();
                let body = body.collect().await.map_err(|e| {
                    TransportError::new(
                        TransportErrorKind::Io,
                        Scrub::for_uri(&uri).apply(describe(&e)),
                    )
                })?;
                Ok(http::Response::from_parts(parts, body.to_bytes().into()))
            };
            match tokio::time::timeout(timeout, exchange).await {
                Ok(result) => result,
                Err(_) => Err(TransportError::new(
                    TransportErrorKind::Timeout,
                    format!("no complete response within {timeout:?}"),
                )),
            }
        })
    }
}

/// Opens connections: TCP, through a proxy if one applies, then TLS for HTTPS.
#[derive(Clone)]
struct Connector {
    http: HttpConnector,
    tls: TlsConnector,
    proxies: Option<Arc<Matcher>>,
    connect_timeout: Duration,
}

impl Service<Uri> for Connector {
    type Response = Conn;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Conn, BoxError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let this = self.clone();
        let limit = self.connect_timeout;
        Box::pin(async move {
            match tokio::time::timeout(limit, this.connect(dst)).await {
                Ok(result) => result,
                Err(_) => {
                    Err(format!("no connection within {limit:?} (TCP, proxy and TLS)").into())
                }
            }
        })
    }
}

/// `uri`'s host (IPv6 brackets removed) and port, the scheme's port if it names none.
fn host_port(uri: &Uri, default_port: u16) -> Result<(String, u16), BoxError> {
    let host = uri.host().filter(|h| !h.is_empty()).ok_or("no host")?;
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    Ok((host.to_owned(), uri.port_u16().unwrap_or(default_port)))
}

/// An `http://host:port` URI, what the TCP connector and the proxy handshakes expect.
fn authority_uri(host: &str, port: u16) -> Result<Uri, BoxError> {
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_owned()
    };
    Ok(format!("http://{host}:{port}/").parse()?)
}

impl Connector {
    async fn connect(mut self, dst: Uri) -> Result<Conn, BoxError> {
        let https = dst.scheme() == Some(&Scheme::HTTPS);
        let (host, port) = host_port(&dst, if https { 443 } else { 80 })?;
        let intercept = self.proxies.as_ref().and_then(|m| m.intercept(&dst));
        let (tcp, proxied) = match intercept {
            None => (self.http.call(dst).await?, false),
            Some(proxy) => {
                let scheme = proxy.uri().scheme_str().unwrap_or("http").to_owned();
                let default_port = if scheme.starts_with("socks") {
                    1080
                } else {
                    80
                };
                let (proxy_host, proxy_port) = host_port(proxy.uri(), default_port)?;
                let proxy_uri = authority_uri(&proxy_host, proxy_port)?;
                let target = authority_uri(&host, port)?;
                match scheme.as_str() {
                    "http" if https => {
                        let mut tunnel = Tunnel::new(proxy_uri, self.http.clone());
                        if let Some(auth) = proxy.basic_auth() {
                            tunnel = tunnel.with_auth(auth.clone());
                        }
                        (tunnel.call(target).await?, false)
                    }
                    // Plain HTTP: the request goes to the proxy in absolute form.
                    "http" => (self.http.call(proxy_uri).await?, true),
                    "socks5" | "socks5h" => {
                        let mut socks = SocksV5::new(proxy_uri, self.http.clone())
                            .local_dns(scheme == "socks5");
                        if let Some((user, password)) = proxy.raw_auth() {
                            socks = socks.with_auth(user.to_owned(), password.to_owned());
                        }
                        // The error's text says which step failed; its details (the
                        // inner connect error) are only in its `Debug`.
                        let tcp = socks
                            .call(target)
                            .await
                            .map_err(|e| -> BoxError { format!("{e} ({e:?})").into() })?;
                        (tcp, false)
                    }
                    other => {
                        return Err(format!(
                            "{other}:// proxies are not supported by this transport"
                        )
                        .into())
                    }
                }
            }
        };
        let tcp = tcp.into_inner();
        if !https {
            return Ok(Conn {
                io: TokioIo::new(Stream::Plain(tcp)),
                proxied,
            });
        }
        let name = ServerName::try_from(host)?;
        let tls = self.tls.connect(name, tcp).await?;
        Ok(Conn {
            io: TokioIo::new(Stream::Tls(Box::new(tls))),
            proxied: false,
        })
    }
}

/// A TCP stream, with or without TLS.
enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Stream::Plain(s) => s.is_write_vectored(),
            Stream::Tls(s) => s.is_write_vectored(),
        }
    }
}

/// One connection as the pool holds it; `proxied` marks a plain-HTTP connection to an HTTP
/// proxy, to which requests are sent in absolute form.
struct Conn {
    io: TokioIo<Stream>,
    proxied: bool,
}

impl Connection for Conn {
    fn connected(&self) -> Connected {
        Connected::new().proxy(self.proxied)
    }
}

impl hyper::rt::Read for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_proxy_credentials() {
        let b = HyperTransport::builder().proxy("http://user:hunter2@127.0.0.1:1");
        assert!(!format!("{b:?}").contains("hunter2"));
        let t = b.build().unwrap();
        assert!(!format!("{t:?}").contains("hunter2"));
    }

    #[test]
    fn explicit_proxy_urls_are_checked_without_quoting_them() {
        for (url, why) in [
            ("https://user:hunter2@proxy.example:443", "https://"),
            ("ftp://user:hunter2@proxy.example", "scheme"),
            ("http://user:hunter2@[not a host", "not a URL"),
        ] {
            let e = HyperTransport::builder().proxy(url).build().unwrap_err();
            assert_eq!(e.kind(), TransportErrorKind::Other);
            let shown = format!("{e} {e:?}");
            assert!(shown.contains(why), "{url}: {shown}");
            assert!(!shown.contains("hunter2"), "{url}: {shown}");
        }
        for url in [
            "http://127.0.0.1:3128",
            "socks5://a:b@127.0.0.1",
            "socks5h://h:1",
        ] {
            assert!(
                HyperTransport::builder().proxy(url).build().is_ok(),
                "{url}"
            );
        }
    }

    #[test]
    fn host_port_strips_brackets_and_defaults_the_port() {
        let uri: Uri = "https://[::1]/x".parse().unwrap();
        assert_eq!(host_port(&uri, 443).unwrap(), ("::1".to_owned(), 443));
        let uri: Uri = "http://h.example:8080/".parse().unwrap();
        assert_eq!(host_port(&uri, 80).unwrap(), ("h.example".to_owned(), 8080));
        assert_eq!(
            authority_uri("::1", 1080).unwrap().to_string(),
            "http://[::1]:1080/"
        );
    }
}
