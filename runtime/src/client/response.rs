//! [`Response`]: a decoded success body with the status, headers, request id and attempt count
//! of the HTTP answer that carried it; and the markers that choose what a [`Sending`](super::Sending) yields.

use std::fmt;

use crate::transport::HttpResponse;

/// A success response: the typed body, with the HTTP status, headers and request id that came
/// with it. It dereferences to the body, so `response.vpc_id` reads a field.
///
/// Returned by a builder's `send_with_metadata()` (and
/// [`RawCall::send_with_metadata`](super::RawCall::send_with_metadata)).
#[derive(Clone)]
pub struct Response<T> {
    body: T,
    status: http::StatusCode,
    headers: http::HeaderMap,
    request_id: Option<String>,
    attempts: u32,
}

impl<T> Response<T> {
    /// A response from its parts (for tests and transports of your own).
    pub fn new(
        body: T,
        status: http::StatusCode,
        headers: http::HeaderMap,
        request_id: Option<String>,
    ) -> Self {
        Self {
            body,
            status,
            headers,
            request_id,
            attempts: 1,
        }
    }

    /// The HTTP status (a 2xx).
    pub fn status(&self) -> http::StatusCode {
        self.status
    }

    /// The HTTP headers of the answer.
    pub fn headers(&self) -> &http::HeaderMap {
        &self.headers
    }

    /// The request id for support cases: the `x-acs-request-id` header, else the body's
    /// `RequestId` (every RPC answer carries one; the header is not guaranteed).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// How many attempts the call took (1 when the first one succeeded).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The typed body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The typed body, dropping the rest.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The same metadata around `f(body)`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            body: f(self.body),
            status: self.status,
            headers: self.headers,
            request_id: self.request_id,
            attempts: self.attempts,
        }
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    /// Status, request id, attempts and body; the headers' names only (the body is redacted
    /// as its own `Debug` redacts).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status.as_u16())
            .field("request_id", &self.request_id)
            .field("attempts", &self.attempts)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body", &self.body)
            .finish()
    }
}

/// Only the request id of a success body.
#[derive(serde::Deserialize)]
struct RequestIdOnly {
    #[serde(rename = "RequestId", alias = "requestId")]
    request_id: Option<serde_json::Value>,
}

/// The request id of an answer: its `x-acs-request-id` header, else the body's `RequestId`
/// (a second, shallow parse of the body: only for callers who asked for metadata).
fn request_id_of(http: &HttpResponse) -> Option<String> {
    if let Some(id) = http
        .headers()
        .get("x-acs-request-id")
        .and_then(|v| v.to_str().ok())
    {
        return Some(id.to_owned());
    }
    match serde_json::from_slice::<RequestIdOnly>(http.body())
        .ok()?
        .request_id?
    {
        serde_json::Value::String(s) => Some(s),
        _ => None,
    }
}

/// A [`Response`] around `body`, taking over `http`'s headers.
pub(super) fn from_http<T>(
    body: T,
    mut http: HttpResponse,
    attempts: u32,
    with_request_id: bool,
) -> Response<T> {
    let request_id = if with_request_id {
        request_id_of(&http)
    } else {
        None
    };
    Response {
        body,
        status: http.status(),
        headers: std::mem::take(http.headers_mut()),
        request_id,
        attempts,
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::BodyOnly {}
    impl Sealed for super::WithMetadata {}
}

/// What a [`Sending`](super::Sending) yields from the [`Response`] of a call: [`BodyOnly`] or
/// [`WithMetadata`].
pub trait Yield<T>: sealed::Sealed {
    /// The future's success value.
    type Output;
    /// Whether the request id is worth finding.
    const METADATA: bool;
    /// The success value from the response.
    fn extract(response: Response<T>) -> Self::Output;
}

/// A [`Sending`](super::Sending) that yields the typed body (`send()`).
#[derive(Clone, Copy, Debug)]
pub struct BodyOnly;

/// A [`Sending`](super::Sending) that yields a [`Response`] (`send_with_metadata()`).
#[derive(Clone, Copy, Debug)]
pub struct WithMetadata;

impl<T> Yield<T> for BodyOnly {
    type Output = T;
    const METADATA: bool = false;
    fn extract(response: Response<T>) -> T {
        response.body
    }
}

impl<T> Yield<T> for WithMetadata {
    type Output = Response<T>;
    const METADATA: bool = true;
    fn extract(response: Response<T>) -> Response<T> {
        response
    }
}
