//! The call loop: sends the attempts of one call under its span and deadline, decides after
//! each failure whether and when to retry (backoff, `x-acs-retry-after`, clock skew), and
//! decodes the outcome; [`Sending`] is the future a generated builder's `send()` returns.

use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tracing::Instrument as _;

use super::config::RetryConfig;
use super::core::{ClientCore, RawResponse, LOG_TARGET};
use super::options::CallOptions;
use super::origin::Origin;
use super::request::{encode_request, finish_wire, format_acs_date, ToWire};
use super::response::{from_http, BodyOnly, Response, WithMetadata, Yield};
use crate::error::{InvalidResponse, SdkError, ServiceErrorMeta};
use crate::meta::OperationMeta;
use crate::transport::{HttpResponse, TransportErrorKind};
use crate::wire::WireRequest;

/// What to do after a failed attempt.
enum Next {
    Retry(Option<Duration>),
    Stop,
}

/// A failed attempt, with what the response said about retrying.
struct Failure {
    error: SdkError<ServiceErrorMeta>,
    /// The server's `Date` (Unix seconds), when it sent one.
    server_date: Option<i64>,
    /// The server's `x-acs-retry-after`, when positive.
    retry_after: Option<Duration>,
}

impl Failure {
    fn new(error: SdkError<ServiceErrorMeta>) -> Self {
        Self {
            error,
            server_date: None,
            retry_after: None,
        }
    }
}

/// Reads `x-acs-retry-after`.
///
/// Unit: §3.3 of the protocol notes says only that the official Python SDK turns a positive
/// integer in this header into a `ThrottlingException(retry_after=<int>)`; it names no unit, and
/// whether the gateway sends the header at all is unverified. Alibaba's darabonba SDKs (Java,
/// C#, TypeScript) treat the value as **milliseconds**: their retry policies sleep that many
/// milliseconds. We do the same. Only a positive integer counts (`0`, negatives, empty and
/// non-numeric values are ignored, as those SDKs do); the wait is capped at
/// [`RetryConfig::max_backoff`] so that a bogus value cannot stall a call.
fn parse_retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    let ms = headers
        .get("x-acs-retry-after")?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()?;
    (ms > 0).then(|| Duration::from_millis(ms))
}

/// Parses an RFC 7231 HTTP date into Unix seconds.
pub fn parse_http_date(s: &str) -> Option<i64> {
    let fmt = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::PrimitiveDateTime::parse(s.trim(), &fmt)
        .ok()
        .map(|p| p.assume_utc().unix_timestamp())
}

impl ClientCore {
    fn backoff(r: &RetryConfig, attempt: u32) -> Duration {
        let exp = r.initial_backoff.saturating_mul(
            1u32.checked_shl(attempt.saturating_sub(1))
                .unwrap_or(u32::MAX),
        );
        let cap = exp.min(r.max_backoff);
        // Full jitter; uuid's v4 generator is our source of randomness.
        let frac = (uuid::Uuid::new_v4().as_u128() % 1_000_000) as f64 / 1_000_000.0;
        cap.mul_f64(frac)
    }

    fn classify(&self, meta: &OperationMeta, err: &SdkError<ServiceErrorMeta>) -> Next {
        match err {
            SdkError::Transport(t) => match t.kind() {
                TransportErrorKind::Connect => Next::Retry(None),
                // The request may have been applied: retry only when a token makes it safe.
                TransportErrorKind::Timeout | TransportErrorKind::Io
                    if meta.idempotency_token.is_some() =>
                {
                    Next::Retry(None)
                }
                _ => Next::Stop,
            },
            SdkError::Service(e) if crate::error::is_retryable(e, meta) => Next::Retry(None),
            SdkError::InvalidResponse(e) if e.status >= 500 => Next::Retry(None),
            _ => Next::Stop,
        }
    }

    /// Sends one call: fills the idempotency token, then signs and sends attempts until one
    /// succeeds, the error is not retryable, the attempts run out or the deadline passes.
    ///
    /// Retried: connection failures; timeouts and broken connections only when the operation
    /// has an idempotency token (the request may have been applied); throttling codes, 5xx
    /// answers (documented codes too, unless stated not retryable) and codes stated retryable;
    /// any answer carrying a positive `x-acs-retry-after` unless its code is stated not
    /// retryable. Each attempt is
    /// signed afresh (new date and nonce) and carries the same idempotency token. An
    /// `InvalidTimeStamp.Expired` answer with a `Date` header corrects the client's clock offset
    /// and is retried once, even beyond `max_attempts`.
    pub async fn invoke(
        &self,
        meta: &'static OperationMeta,
        mut wire: WireRequest,
    ) -> Result<RawResponse, SdkError<ServiceErrorMeta>> {
        finish_wire(meta, &mut wire);
        self.send_encoded(meta, &wire, &CallOptions::default())
            .await
    }

    /// Sends parameters that [`finish_wire`] has readied: attempts under the call's span and
    /// deadline, with `options` overriding the configuration.
    pub(super) async fn send_encoded(
        &self,
        meta: &'static OperationMeta,
        wire: &WireRequest,
        options: &CallOptions,
    ) -> Result<RawResponse, SdkError<ServiceErrorMeta>> {
        let span = tracing::info_span!(
            target: LOG_TARGET,
            "alicloud.call",
            product = meta.product,
            operation = meta.action
        );
        // Once per call, before any attempt: a call without a host, or with one that cannot be
        // a URL's authority, fails without sending.
        // A per-call endpoint wins over the configuration's and needs no region.
        let origin = match options.get_endpoint() {
            Some(endpoint) => {
                Origin::parse(endpoint.to_owned()).map_err(SdkError::InvalidResponse)?
            }
            None => self.origin(meta, wire)?,
        };
        let made = AtomicU32::new(0);
        let call = self
            .attempts(meta, wire, &origin, &made, options)
            .instrument(span);
        match options.get_timeout().or(self.config.deadline) {
            Some(d) => match tokio::time::timeout(d, call).await {
                Ok(r) => r,
                Err(_) => Err(SdkError::Timeout {
                    attempts: made.load(Ordering::Relaxed),
                }),
            },
            None => call.await,
        }
    }

    async fn attempts(
        &self,
        meta: &'static OperationMeta,
        wire: &WireRequest,
        origin: &Origin,
        made: &AtomicU32,
        options: &CallOptions,
    ) -> Result<RawResponse, SdkError<ServiceErrorMeta>> {
        let retry = options.get_retry().unwrap_or(&self.config.retry);
        let max = retry.max_attempts.max(1);
        let mut clock_fixed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            made.store(attempt, Ordering::Relaxed);
            let outcome = self
                .attempt(meta, wire, origin)
                .instrument(tracing::debug_span!(target: LOG_TARGET, "attempt", n = attempt))
                .await;
            let failure = match outcome {
                Ok(http) => {
                    return Ok(RawResponse {
                        http,
                        attempts: attempt,
                    })
                }
                Err(f) => f,
            };
            if let (SdkError::Service(e), Some(server)) = (&failure.error, failure.server_date) {
                if e.code == "InvalidTimeStamp.Expired" && !clock_fixed {
                    clock_fixed = true;
                    let local = SystemTime::now()
                        .duration_since(UNIX_EPOCH)
                        .map(|d| d.as_secs() as i64)
                        .unwrap_or(0);
                    self.clock_offset.store(server - local, Ordering::Relaxed);
                    tracing::warn!(
                        target: LOG_TARGET,
                        offset_s = server - local,
                        "clock skew corrected from the response Date"
                    );
                    continue;
                }
            }
            let next = match (self.classify(meta, &failure.error), failure.retry_after) {
                (Next::Retry(_), Some(wait)) => Next::Retry(Some(wait)),
                (Next::Stop, Some(wait)) if !documented_final(meta, &failure.error) => {
                    Next::Retry(Some(wait))
                }
                (next, _) => next,
            };
            match next {
                Next::Retry(hint) if attempt < max => {
                    let delay = match hint {
                        Some(wait) => wait.min(retry.max_backoff),
                        None => Self::backoff(retry, attempt),
                    };
                    tracing::debug!(target: LOG_TARGET, attempt, delay_ms = delay.as_millis() as u64, "retrying");
                    tokio::time::sleep(delay).await;
                }
                _ => return Err(failure.error),
            }
        }
    }

    /// One attempt, to `endpoint` when the call overrides it.
    async fn attempt(
        &self,
        meta: &'static OperationMeta,
        wire: &WireRequest,
        origin: &Origin,
    ) -> Result<HttpResponse, Failure> {
        // An anonymous operation needs no credentials: none are asked for, so it works before
        // any provider does (the OIDC provider calls STS this way).
        let creds = if meta.anonymous {
            None
        } else {
            Some(
                self.config
                    .credentials
                    .provide()
                    .await
                    .map_err(|e| Failure::new(SdkError::Credentials(e)))?,
            )
        };
        let date = format_acs_date(self.now());
        let nonce = uuid::Uuid::new_v4().simple().to_string();
        let req = self
            .build_sorted(
                meta,
                wire,
                None,
                origin.clone(),
                creds.as_ref(),
                (&date, &nonce),
            )
            .map_err(|e| Failure::new(SdkError::InvalidResponse(e)))?;
        let resp = self
            .config
            .transport
            .send(req)
            .await
            .map_err(|e| Failure::new(SdkError::Transport(e)))?;
        let status = resp.status().as_u16();
        tracing::debug!(target: LOG_TARGET, status, "response");
        if (200..300).contains(&status) {
            return Ok(resp);
        }
        let server_date = resp
            .headers()
            .get(http::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_http_date);
        let retry_after = parse_retry_after(resp.headers());
        let error = match ServiceErrorMeta::from_response(status, resp.body()) {
            Ok(mut meta_err) => {
                // ROA services may give the request id in a header only.
                if meta_err.request_id.is_none() {
                    meta_err.request_id = crate::roa::request_id_header(resp.headers());
                }
                tracing::debug!(target: LOG_TARGET, code = %meta_err.code, request_id = meta_err.request_id.as_deref().unwrap_or(""), "service error");
                SdkError::Service(meta_err)
            }
            Err(invalid) => SdkError::InvalidResponse(invalid),
        };
        Err(Failure {
            error,
            server_date,
            retry_after,
        })
    }
}

/// Whether `err` is a service error the operation states is not retryable (which even an
/// `x-acs-retry-after` header does not make retryable); a code documented without saying is
/// not final.
fn documented_final(meta: &OperationMeta, err: &SdkError<ServiceErrorMeta>) -> bool {
    match err {
        SdkError::Service(e) => meta
            .errors
            .iter()
            .any(|i| i.code == e.code && i.retryable == Some(false)),
        _ => false,
    }
}

/// Parses a 2xx body into the operation's response type; anything else is an
/// [`InvalidResponse`], never a panic.
pub fn decode_success<T: serde::de::DeserializeOwned>(
    status: u16,
    body: &[u8],
) -> Result<T, InvalidResponse> {
    // No body (a ROA `204`, or a `200` some ROA operations answer with) reads as a unit: a
    // response of fields gets none set, a whole-body response `None`.
    if body.iter().all(u8::is_ascii_whitespace) {
        let unit = serde::de::value::UnitDeserializer::<serde_json::Error>::new();
        return T::deserialize(unit).map_err(|e| {
            InvalidResponse::new(status, format!("success body is empty ({e})"), body)
        });
    }
    // UTF-8 checked once for the whole body: parsing from bytes would check every string
    // again as it is read (5 % of a full call's CPU). Bytes that are not UTF-8 are parsed as
    // bytes, for serde_json's error with its position.
    let parsed = match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    };
    parsed.map_err(|e| {
        InvalidResponse::new(status, format!("success body does not parse ({e})"), body)
    })
}

/// The future a generated builder's `send()` returns: validates, signs and sends the request
/// with retries, then decodes the answer ([`call`] on a request it owns), once `required` (the
/// builder's check of its required parameters) has passed. It yields the typed body, or with
/// `M` = [`WithMetadata`] (`send_with_metadata()`, [`Sending::with_metadata`]) a [`Response`].
///
/// A named type, generic here, instead of an `async fn send` per operation: each such `async
/// fn` made the compiler analyse a state machine per operation, the largest single cost of
/// compiling a generated crate. This one is checked once, here; the call's state machine is
/// boxed on the first poll (one allocation per call, next to a network round trip).
#[must_use = "futures do nothing unless awaited"]
pub struct Sending<Req, Resp, E, M = BodyOnly> {
    meta: &'static OperationMeta,
    start: Option<SendArgs<Req>>,
    running: Option<BoxedCall<Resp, E>>,
    yields: std::marker::PhantomData<fn() -> M>,
}

type SendArgs<Req> = (
    ClientCore,
    Req,
    CallOptions,
    Result<(), crate::error::BuildError>,
);
type BoxedCall<Resp, E> = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<Response<Resp>, SdkError<E>>> + Send>,
>;

impl<Req, Resp, E> Sending<Req, Resp, E> {
    /// The future of one call of `meta` with `request`; `options` override the client's
    /// configuration, `required` is the builder's check.
    pub fn new(
        core: ClientCore,
        meta: &'static OperationMeta,
        request: Req,
        options: CallOptions,
        required: Result<(), crate::error::BuildError>,
    ) -> Self {
        Sending {
            meta,
            start: Some((core, request, options, required)),
            running: None,
            yields: std::marker::PhantomData,
        }
    }

    /// The same call, yielding a [`Response`]: the typed body with the status, headers and
    /// request id of the answer.
    pub fn with_metadata(self) -> Sending<Req, Resp, E, WithMetadata> {
        Sending {
            meta: self.meta,
            start: self.start,
            running: self.running,
            yields: std::marker::PhantomData,
        }
    }
}

impl<Req, Resp, E, M> fmt::Debug for Sending<Req, Resp, E, M> {
    /// The operation only: the request may hold secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sending")
            .field("operation", &self.meta.action)
            .field("started", &self.running.is_some())
            .finish()
    }
}

impl<Req, Resp, E, M> std::future::Future for Sending<Req, Resp, E, M>
where
    Req: crate::validate::Validate + ToWire + Send + Sync + Unpin + 'static,
    Resp: serde::de::DeserializeOwned + Send + 'static,
    E: crate::error::OperationError + Send + 'static,
    M: Yield<Resp>,
{
    type Output = Result<M::Output, SdkError<E>>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let this = &mut *self;
        if let Some((core, request, options, required)) = this.start.take() {
            this.running = Some(Box::pin(send(
                core,
                this.meta,
                request,
                options,
                required,
                M::METADATA,
            )));
        }
        match &mut this.running {
            Some(call) => call.as_mut().poll(cx).map(|r| r.map(M::extract)),
            // `start` is only taken here, where `running` is set.
            None => std::task::Poll::Pending,
        }
    }
}

async fn send<Req, Resp, E>(
    core: ClientCore,
    meta: &'static OperationMeta,
    request: Req,
    options: CallOptions,
    required: Result<(), crate::error::BuildError>,
    with_request_id: bool,
) -> Result<Response<Resp>, SdkError<E>>
where
    Req: crate::validate::Validate + ToWire,
    Resp: serde::de::DeserializeOwned,
    E: crate::error::OperationError,
{
    required?;
    call_response(&core, meta, &request, &options, with_request_id).await
}

/// One whole call of a generated operation: validate (unless switched off), encode, send with
/// retries, then decode the success body or the typed error. `options` override the client's
/// configuration.
pub async fn call<Req, Resp, E>(
    core: &ClientCore,
    meta: &'static OperationMeta,
    request: &Req,
    options: &CallOptions,
) -> Result<Resp, SdkError<E>>
where
    Req: crate::validate::Validate + ToWire,
    Resp: serde::de::DeserializeOwned,
    E: crate::error::OperationError,
{
    call_response(core, meta, request, options, false)
        .await
        .map(Response::into_body)
}

/// [`call`], keeping the status and headers of the answer (and its request id when
/// `with_request_id`).
async fn call_response<Req, Resp, E>(
    core: &ClientCore,
    meta: &'static OperationMeta,
    request: &Req,
    options: &CallOptions,
    with_request_id: bool,
) -> Result<Response<Resp>, SdkError<E>>
where
    Req: crate::validate::Validate + ToWire,
    Resp: serde::de::DeserializeOwned,
    E: crate::error::OperationError,
{
    let mode = options
        .get_validation()
        .unwrap_or_else(|| core.config().validation_mode());
    let wire = encode_request(meta, request, mode)?;
    send_wire(core, meta, &wire, options, with_request_id).await
}

/// Sends parameters that [`finish_wire`] has readied and decodes the answer: the part of a
/// call after validation and encoding, shared with raw calls.
pub(super) async fn send_wire<Resp, E>(
    core: &ClientCore,
    meta: &'static OperationMeta,
    wire: &WireRequest,
    options: &CallOptions,
    with_request_id: bool,
) -> Result<Response<Resp>, SdkError<E>>
where
    Resp: serde::de::DeserializeOwned,
    E: crate::error::OperationError,
{
    let raw = core
        .send_encoded(meta, wire, options)
        .await
        .map_err(|e| e.map_service(|m| E::from_meta(m, meta)))?;
    let body = decode_success(raw.http.status().as_u16(), raw.http.body())
        .map_err(SdkError::InvalidResponse)?;
    Ok(from_http(body, raw.http, raw.attempts, with_request_id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::HeaderValue;

    #[test]
    fn http_dates() {
        assert_eq!(
            parse_http_date("Tue, 02 Jan 2024 03:04:05 GMT"),
            Some(1_704_164_645)
        );
        assert_eq!(parse_http_date("yesterday"), None);
    }

    #[test]
    fn retry_after_is_positive_milliseconds() {
        let mut h = http::HeaderMap::new();
        assert_eq!(parse_retry_after(&h), None);
        h.insert("x-acs-retry-after", HeaderValue::from_static(" 1500 "));
        assert_eq!(parse_retry_after(&h), Some(Duration::from_millis(1500)));
        for bad in ["0", "-1", "1.5", "soon", ""] {
            h.insert("x-acs-retry-after", HeaderValue::from_static(bad));
            assert_eq!(parse_retry_after(&h), None, "{bad:?}");
        }
    }

    #[test]
    fn throttling_codes() {
        use crate::error::is_throttling;
        assert!(is_throttling("Throttling"));
        assert!(is_throttling("Throttling.User"));
        assert!(is_throttling("Throttling.Api"));
        assert!(is_throttling("Throttling.Concurrency"));
        assert!(!is_throttling("ThrottlingX"));
        assert!(!is_throttling("InvalidParameter"));
    }

    #[test]
    fn success_bodies_parse_as_text_and_bad_bytes_are_errors() {
        #[derive(serde::Deserialize, Debug)]
        struct R {
            #[serde(rename = "Name")]
            name: String,
        }
        let r: R = decode_success(200, "{\"Name\": \"é\\u00e9\"}".as_bytes()).unwrap();
        assert_eq!(r.name, "éé");
        // Not UTF-8: an error naming where, never a panic.
        let e = decode_success::<R>(200, b"{\"Name\": \"\xff\"}").unwrap_err();
        assert!(e.to_string().contains("does not parse"), "{e}");
        assert!(e.to_string().contains("column"), "{e}");
    }
}
