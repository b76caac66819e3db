//! The HTTP transport: one trait between the client core and the network, so that users and
//! tests can plug in their own (an in-memory transport, a recording proxy, another HTTP stack).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

/// An HTTP request ready to send: URL, headers (signed) and body.
pub type HttpRequest = http::Request<Vec<u8>>;
/// An HTTP response with its whole body.
pub type HttpResponse = http::Response<Vec<u8>>;
/// A boxed, sendable future.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one HTTP request and returns its response.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request`. Errors are failures to get any response; an HTTP error status is a
    /// response, not an error.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>>;
}

/// What kind of transport failure happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// Could not connect (refused, DNS, TLS handshake).
    Connect,
    /// Connected, but the response did not arrive in time.
    Timeout,
    /// The connection broke while sending or receiving.
    Io,
    /// Anything else (a malformed request, a transport configuration error).
    Other,
}

/// A failure to get any HTTP response.
///
/// The message never holds the request URL: a single-tunnel pre-shared key travels in the query
/// string, so transports must strip URLs from the errors they wrap.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
}

impl TransportError {
    /// A new error of `kind`. `message` must not contain the URL or any header value.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// The kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether the failure was a timeout.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            TransportErrorKind::Connect => "connection failed",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Io => "connection broken",
            TransportErrorKind::Other => "transport error",
        };
        write!(f, "{kind}: {}", self.message)
    }
}

impl std::error::Error for TransportError {}

type Handler = dyn Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync;

/// A transport that answers from a function and records every request it saw. For tests and
/// examples; it never touches the network.
#[derive(Clone)]
pub struct InMemoryTransport {
    handler: Arc<Handler>,
    seen: Arc<Mutex<Vec<HttpRequest>>>,
}

impl fmt::Debug for InMemoryTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InMemoryTransport")
            .field("requests_seen", &self.requests().len())
            .finish()
    }
}

impl InMemoryTransport {
    /// A transport answering each request with `handler(request)`.
    pub fn new(
        handler: impl Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync + 'static,
    ) -> Self {
        Self {
            handler: Arc::new(handler),
            seen: Arc::default(),
        }
    }

    /// A transport answering every request with `status` and the JSON `body`.
    pub fn always(status: u16, body: impl Into<String>) -> Self {
        let body = body.into();
        Self::new(move |_| Ok(json_response(status, &body)))
    }

    /// The requests sent so far, in order.
    pub fn requests(&self) -> Vec<HttpRequest> {
        match self.seen.lock() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

/// A response with `status`, `content-type: application/json` and `body`.
pub fn json_response(status: u16, body: &str) -> HttpResponse {
    let mut resp = http::Response::new(body.as_bytes().to_vec());
    *resp.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
    resp.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json;charset=utf-8"),
    );
    resp
}

impl Transport for InMemoryTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let result = (self.handler)(&request);
        match self.seen.lock() {
            Ok(mut g) => g.push(request),
            Err(poisoned) => poisoned.into_inner().push(request),
        }
        Box::pin(async move { result })
    }
}

/// Pieces of a request URL to cut out of any error message, should a source error quote them.
#[derive(Default)]
#[cfg_attr(not(any(feature = "hyper", feature = "reqwest")), allow(dead_code))]
pub(crate) struct Scrub {
    needles: Vec<String>,
}

#[cfg_attr(not(any(feature = "hyper", feature = "reqwest")), allow(dead_code))]
impl Scrub {
    pub(crate) fn for_uri(uri: &http::Uri) -> Self {
        let mut needles = vec![uri.to_string()];
        if let Some(pq) = uri.path_and_query() {
            needles.push(pq.as_str().to_owned());
        }
        if let Some(q) = uri.query() {
            needles.push(q.to_owned());
            needles.push(crate::wire::decode_form_component(q));
        }
        needles.retain(|n| n.len() > 1);
        // Longest first, so that a URL is removed whole before its query.
        needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
        Self { needles }
    }

    pub(crate) fn apply(&self, mut message: String) -> String {
        for n in &self.needles {
            if message.contains(n.as_str()) {
                message = message.replace(n.as_str(), "<url>");
            }
        }
        message
    }
}

/// The error and its sources, `: `-joined, skipping sources its own text already quotes.
#[cfg_attr(not(any(feature = "hyper", feature = "reqwest")), allow(dead_code))]
pub(crate) fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = s.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_removes_url_query_and_decoded_query() {
        let uri: http::Uri = "https://h.example/?IkeConfig=%7B%22Psk%22%3A%22secretvalue%22%7D"
            .parse()
            .unwrap();
        let s = Scrub::for_uri(&uri);
        let out = s.apply(format!(
            "a {uri} b /?IkeConfig=%7B%22Psk%22%3A%22secretvalue%22%7D c IkeConfig={{\"Psk\":\"secretvalue\"}}"
        ));
        assert!(!out.contains("secretvalue"), "{out}");
        assert!(out.starts_with("a <url> b "), "{out}");
    }
}
