//! The client core: configuration, and one call from wire parameters to a 2xx response or an
//! error envelope, with signing, retries and tracing.

use std::fmt;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::header::{HeaderName, HeaderValue};
use tracing::Instrument as _;

use crate::credentials::ProvideCredentials;
use crate::error::{InvalidResponse, SdkError, ServiceErrorMeta};
use crate::sign;
use crate::transport::{HttpRequest, HttpResponse, Transport, TransportErrorKind};
use crate::wire::{ParamList, WireRequest};

/// A documented error code of an operation, and whether a retry can help.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorInfo {
    /// The code.
    pub code: &'static str,
    /// Whether retrying the same request later can succeed.
    pub retryable: bool,
}

/// What the client core needs to know about an operation; generated as a `static`.
#[derive(Clone, Copy, Debug)]
pub struct OperationMeta {
    /// Product code, e.g. `Vpc`.
    pub product: &'static str,
    /// API version, e.g. `2016-04-28`.
    pub version: &'static str,
    /// Action, e.g. `ModifyVpnConnectionAttribute`.
    pub action: &'static str,
    /// Endpoint pattern with a `{region_id}` placeholder, e.g. `vpc.{region_id}.aliyuncs.com`.
    pub endpoint_pattern: &'static str,
    /// HTTP method: `POST` or `GET`.
    pub method: &'static str,
    /// The wire name of the idempotency token parameter, if the operation has one.
    pub idempotency_token: Option<&'static str>,
    /// The documented error codes.
    pub errors: &'static [ErrorInfo],
}

/// URL scheme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scheme {
    /// HTTPS (the default).
    #[default]
    Https,
    /// Plain HTTP: only when explicitly configured, e.g. for a local emulator.
    Http,
}

/// How failed attempts are retried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    /// Attempts in all, the first included (1 disables retries).
    pub max_attempts: u32,
    /// Backoff before the second attempt; doubles each time, with full jitter.
    pub initial_backoff: Duration,
    /// Upper bound of one backoff.
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
        }
    }
}

/// Client configuration.
#[derive(Clone)]
pub struct Config {
    region_id: Option<String>,
    endpoint: Option<String>,
    scheme: Scheme,
    credentials: Arc<dyn ProvideCredentials>,
    transport: Arc<dyn Transport>,
    retry: RetryConfig,
    deadline: Option<Duration>,
    validate: bool,
    user_agent: String,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region_id", &self.region_id)
            .field("endpoint", &self.endpoint)
            .field("scheme", &self.scheme)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("deadline", &self.deadline)
            .field("validate", &self.validate)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// A configuration with `credentials` and `transport`, validation on, three attempts,
    /// HTTPS, endpoint from the product's rule and the request's region.
    pub fn new(credentials: impl ProvideCredentials, transport: impl Transport) -> Self {
        Self::from_arcs(Arc::new(credentials), Arc::new(transport))
    }

    /// A configuration from the environment: credentials from the [`DefaultChain`]
    /// (environment variables, the CLI profile, the ECS instance metadata service) and the
    /// default [`ReqwestTransport`](crate::reqwest_transport::ReqwestTransport).
    ///
    /// [`DefaultChain`]: crate::credentials::DefaultChain
    #[cfg(feature = "reqwest")]
    pub fn from_env() -> Result<Self, crate::transport::TransportError> {
        let credentials = crate::credentials::DefaultChain::from_env()?;
        let transport = crate::reqwest_transport::ReqwestTransport::new()?;
        Ok(Self::new(credentials, transport))
    }

    /// As [`Config::new`], from shared handles.
    pub fn from_arcs(
        credentials: Arc<dyn ProvideCredentials>,
        transport: Arc<dyn Transport>,
    ) -> Self {
        Self {
            region_id: None,
            endpoint: None,
            scheme: Scheme::Https,
            credentials,
            transport,
            retry: RetryConfig::default(),
            deadline: None,
            validate: true,
            user_agent: format!(
                "alicloud-rust/{} ({}; {})",
                env!("CARGO_PKG_VERSION"),
                std::env::consts::OS,
                std::env::consts::ARCH
            ),
        }
    }

    /// Region used for the endpoint (otherwise the request's `RegionId`).
    pub fn with_region(mut self, region_id: impl Into<String>) -> Self {
        self.region_id = Some(region_id.into());
        self
    }

    /// An explicit endpoint host (`host` or `host:port`), overriding the product's rule.
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// The URL scheme; plain HTTP is only for local emulators and proxies you control.
    pub fn with_scheme(mut self, scheme: Scheme) -> Self {
        self.scheme = scheme;
        self
    }

    /// How to retry.
    pub fn with_retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// An overall deadline for each call, retries and backoff included.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Whether requests are validated before sending (on by default). Turn it off only when
    /// the service accepts something the spec's rules refuse.
    pub fn with_validation(mut self, validate: bool) -> Self {
        self.validate = validate;
        self
    }

    /// Appends `suffix` to the user agent.
    pub fn with_user_agent_suffix(mut self, suffix: &str) -> Self {
        self.user_agent.push(' ');
        self.user_agent.push_str(suffix);
        self
    }

    /// Whether client-side validation is on.
    pub fn validation(&self) -> bool {
        self.validate
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }
}

/// The raw successful response of a call: status, headers, body.
#[derive(Debug)]
pub struct RawResponse {
    /// The HTTP response.
    pub http: HttpResponse,
    /// Attempts it took.
    pub attempts: u32,
}

impl RawResponse {
    /// The request id from the `x-acs-request-id` header, if present.
    pub fn request_id_header(&self) -> Option<&str> {
        self.http
            .headers()
            .get("x-acs-request-id")
            .and_then(|v| v.to_str().ok())
    }
}

/// The shared core of every generated client.
#[derive(Clone, Debug)]
pub struct ClientCore {
    config: Arc<Config>,
    /// Seconds to add to the local clock, learnt from `InvalidTimeStamp.Expired` answers.
    clock_offset: Arc<AtomicI64>,
    /// The `User-Agent` header value, checked once (`None` when the configured text is not a
    /// valid header value, which every request then reports).
    user_agent: Option<HeaderValue>,
}

const X_ACS_ACTION: HeaderName = HeaderName::from_static("x-acs-action");
const X_ACS_VERSION: HeaderName = HeaderName::from_static("x-acs-version");
const X_ACS_DATE: HeaderName = HeaderName::from_static("x-acs-date");
const X_ACS_SIGNATURE_NONCE: HeaderName = HeaderName::from_static("x-acs-signature-nonce");
const X_ACS_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-acs-content-sha256");
const X_ACS_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-acs-security-token");
const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// A header value from static text, without copying it when it is visible ASCII.
fn static_header_value(text: &'static str) -> Option<HeaderValue> {
    if text
        .bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
    {
        Some(HeaderValue::from_static(text))
    } else {
        HeaderValue::from_str(text).ok()
    }
}

/// A header value that takes over `text`'s buffer.
fn owned_header_value(text: String) -> Option<HeaderValue> {
    HeaderValue::try_from(text).ok()
}

/// The error for a header whose value HTTP does not allow.
fn bad_header(name: &str) -> InvalidResponse {
    InvalidResponse::new(
        0,
        format!("header `{name}` holds characters HTTP does not allow"),
        b"",
    )
}

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

impl ClientCore {
    /// A core over `config`.
    pub fn new(config: Config) -> Self {
        let user_agent = HeaderValue::from_str(&config.user_agent).ok();
        Self {
            config: Arc::new(config),
            clock_offset: Arc::default(),
            user_agent,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    fn host(&self, meta: &OperationMeta, wire: &WireRequest) -> String {
        if let Some(ep) = &self.config.endpoint {
            return ep.clone();
        }
        let region = self
            .config
            .region_id
            .as_deref()
            .or_else(|| wire.query.get("RegionId"))
            .unwrap_or("cn-hangzhou");
        // `replace`, into a string of exactly the right size (it becomes the `Host` header
        // without a copy), finding `{` with a byte search rather than a substring searcher.
        const PLACEHOLDER: &str = "{region_id}";
        let placeholders = |pattern: &'static str| {
            let mut at = 0;
            std::iter::from_fn(move || {
                while let Some(i) = pattern[at..].find('{') {
                    let start = at + i;
                    at = start + 1;
                    if pattern[start..].starts_with(PLACEHOLDER) {
                        at = start + PLACEHOLDER.len();
                        return Some(start);
                    }
                }
                None
            })
        };
        let pattern = meta.endpoint_pattern;
        let n = placeholders(pattern).count();
        let mut host =
            String::with_capacity(pattern.len() - n * PLACEHOLDER.len() + n * region.len());
        let mut copied = 0;
        for start in placeholders(pattern) {
            host.push_str(&pattern[copied..start]);
            host.push_str(region);
            copied = start + PLACEHOLDER.len();
        }
        host.push_str(&pattern[copied..]);
        host
    }

    fn now(&self) -> SystemTime {
        let offset = self.clock_offset.load(Ordering::Relaxed);
        let now = SystemTime::now();
        if offset >= 0 {
            now + Duration::from_secs(offset as u64)
        } else {
            now - Duration::from_secs(offset.unsigned_abs())
        }
    }

    /// Builds the signed HTTP request of one attempt.
    pub fn build_request(
        &self,
        meta: &OperationMeta,
        wire: &WireRequest,
        credentials: &crate::Credentials,
        date: &str,
        nonce: &str,
    ) -> Result<HttpRequest, InvalidResponse> {
        // The canonical query must be sorted; `invoke` sorts, but this is public.
        if is_sorted(&wire.query) && is_sorted(&wire.body) {
            self.build_sorted(meta, wire, credentials, date, nonce)
        } else {
            let mut sorted = wire.clone();
            sorted.sort();
            self.build_sorted(meta, &sorted, credentials, date, nonce)
        }
    }

    /// [`ClientCore::build_request`] of parameters sorted already ([`finish_wire`] sorts).
    fn build_sorted(
        &self,
        meta: &OperationMeta,
        wire: &WireRequest,
        credentials: &crate::Credentials,
        date: &str,
        nonce: &str,
    ) -> Result<HttpRequest, InvalidResponse> {
        let host = self.host(meta, wire);
        let scheme = match self.config.scheme {
            Scheme::Https => "https",
            Scheme::Http => "http",
        };
        // The URL, with the canonical query encoded once, in place: the signer reads it there.
        let mut url = String::with_capacity(
            scheme.len() + 3 + host.len() + 2 + wire.query.encoded_len_hint(),
        );
        url.push_str(scheme);
        url.push_str("://");
        url.push_str(&host);
        url.push('/');
        if !wire.query.is_empty() {
            url.push('?');
        }
        let query_start = url.len();
        wire.query.write_encoded(&mut url);
        let body = if wire.body.is_empty() {
            Vec::new()
        } else {
            wire.body.encoded().into_bytes()
        };
        let payload_hash = sign::sha256_hex(&body);
        let token = credentials.security_token().map(|t| t.expose());
        let mut headers = [("", ""); 8];
        let mut n = 0;
        for header in [
            Some(("host", host.as_str())),
            Some(("x-acs-action", meta.action)),
            Some(("x-acs-version", meta.version)),
            Some(("x-acs-date", date)),
            Some(("x-acs-signature-nonce", nonce)),
            Some(("x-acs-content-sha256", payload_hash.as_str())),
            (!body.is_empty()).then_some(("content-type", FORM_CONTENT_TYPE)),
            token.map(|t| ("x-acs-security-token", t)),
        ]
        .into_iter()
        .flatten()
        {
            headers[n] = header;
            n += 1;
        }
        // As `sign::sign(..).authorization(..)`, hashing the canonical request as it is
        // written instead of keeping it.
        let authorization = sign::authorization(
            meta.method,
            &url[query_start..],
            &headers[..n],
            &payload_hash,
            credentials.access_key_id(),
            credentials.access_key_secret().expose(),
        );
        let mut req = http::Request::new(body);
        *req.method_mut() = if meta.method.eq_ignore_ascii_case("GET") {
            http::Method::GET
        } else {
            http::Method::POST
        };
        *req.uri_mut() = http::Uri::try_from(url).map_err(|_| {
            InvalidResponse::new(
                0,
                format!("endpoint `{host}` does not make a valid URL"),
                b"",
            )
        })?;
        // The same headers, in the same order, as values HTTP accepts; owned text is moved
        // into its value, static text is not copied.
        let mut h = http::HeaderMap::with_capacity(n + 3);
        let is_form = !req.body().is_empty();
        let value = |v: Option<HeaderValue>, name: &str| v.ok_or_else(|| bad_header(name));
        h.append(http::header::HOST, value(owned_header_value(host), "host")?);
        h.append(
            X_ACS_ACTION,
            value(static_header_value(meta.action), "x-acs-action")?,
        );
        h.append(
            X_ACS_VERSION,
            value(static_header_value(meta.version), "x-acs-version")?,
        );
        h.append(
            X_ACS_DATE,
            value(HeaderValue::from_str(date).ok(), "x-acs-date")?,
        );
        h.append(
            X_ACS_SIGNATURE_NONCE,
            value(HeaderValue::from_str(nonce).ok(), "x-acs-signature-nonce")?,
        );
        h.append(
            X_ACS_CONTENT_SHA256,
            value(owned_header_value(payload_hash), "x-acs-content-sha256")?,
        );
        if is_form {
            h.append(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static(FORM_CONTENT_TYPE),
            );
        }
        if let Some(token) = token {
            h.append(
                X_ACS_SECURITY_TOKEN,
                value(HeaderValue::from_str(token).ok(), "x-acs-security-token")?,
            );
        }
        h.append(
            http::header::AUTHORIZATION,
            value(owned_header_value(authorization), "authorization")?,
        );
        h.append(
            http::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        h.append(
            http::header::USER_AGENT,
            value(self.user_agent.clone(), "user-agent")?,
        );
        *req.headers_mut() = h;
        Ok(req)
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let r = &self.config.retry;
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
    /// answers and documented retryable codes; any answer carrying a positive
    /// `x-acs-retry-after` unless its code is documented as not retryable. Each attempt is
    /// signed afresh (new date and nonce) and carries the same idempotency token. An
    /// `InvalidTimeStamp.Expired` answer with a `Date` header corrects the client's clock offset
    /// and is retried once, even beyond `max_attempts`.
    pub async fn invoke(
        &self,
        meta: &'static OperationMeta,
        mut wire: WireRequest,
    ) -> Result<RawResponse, SdkError<ServiceErrorMeta>> {
        finish_wire(meta, &mut wire);
        self.send_encoded(meta, &wire).await
    }

    /// Validates (when `validate`), encodes and signs `request` into the HTTP request of one
    /// attempt, with the given credentials, `x-acs-date` and nonce: everything a call does
    /// before the network, through the same code as a call ([`encode_request`], then what
    /// [`ClientCore::build_request`] does for sorted parameters). For benchmarks, tests and
    /// callers that send requests themselves. An idempotency token left unset is filled with a
    /// random one.
    ///
    /// Fails with [`SdkError::Validation`] when validation refuses the request, or
    /// [`SdkError::InvalidResponse`] when the endpoint or a header value is not valid HTTP; no
    /// service is called, so there is no service error.
    pub fn prepare_request<Req>(
        &self,
        meta: &OperationMeta,
        request: &Req,
        validate: bool,
        credentials: &crate::Credentials,
        date: &str,
        nonce: &str,
    ) -> Result<HttpRequest, SdkError<std::convert::Infallible>>
    where
        Req: crate::validate::Validate + ToWire,
    {
        let wire = encode_request(meta, request, validate)?;
        self.build_sorted(meta, &wire, credentials, date, nonce)
            .map_err(SdkError::InvalidResponse)
    }

    /// Sends parameters that [`finish_wire`] has readied: attempts under the call's span and
    /// deadline.
    async fn send_encoded(
        &self,
        meta: &'static OperationMeta,
        wire: &WireRequest,
    ) -> Result<RawResponse, SdkError<ServiceErrorMeta>> {
        let span = tracing::info_span!(
            "alicloud.call",
            product = meta.product,
            operation = meta.action
        );
        let made = AtomicU32::new(0);
        let call = self.attempts(meta, wire, &made).instrument(span);
        match self.config.deadline {
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
        made: &AtomicU32,
    ) -> Result<RawResponse, SdkError<ServiceErrorMeta>> {
        let max = self.config.retry.max_attempts.max(1);
        let mut clock_fixed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            made.store(attempt, Ordering::Relaxed);
            let outcome = self
                .attempt(meta, wire)
                .instrument(tracing::debug_span!("attempt", n = attempt))
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
                        Some(wait) => wait.min(self.config.retry.max_backoff),
                        None => self.backoff(attempt),
                    };
                    tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, "retrying");
                    tokio::time::sleep(delay).await;
                }
                _ => return Err(failure.error),
            }
        }
    }

    /// One attempt.
    async fn attempt(
        &self,
        meta: &'static OperationMeta,
        wire: &WireRequest,
    ) -> Result<HttpResponse, Failure> {
        let creds = self
            .config
            .credentials
            .provide()
            .await
            .map_err(|e| Failure::new(SdkError::Credentials(e)))?;
        let date = format_acs_date(self.now());
        let nonce = uuid::Uuid::new_v4().simple().to_string();
        let req = self
            .build_sorted(meta, wire, &creds, &date, &nonce)
            .map_err(|e| Failure::new(SdkError::InvalidResponse(e)))?;
        let resp = self
            .config
            .transport
            .send(req)
            .await
            .map_err(|e| Failure::new(SdkError::Transport(e)))?;
        let status = resp.status().as_u16();
        tracing::debug!(status, "response");
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
            Ok(meta_err) => {
                tracing::debug!(code = %meta_err.code, request_id = meta_err.request_id.as_deref().unwrap_or(""), "service error");
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

/// Readies encoded parameters for signing, once per logical call: fills the idempotency token
/// when the caller left it unset (so that every retry carries the same one), then sorts both
/// lists.
fn finish_wire(meta: &OperationMeta, wire: &mut WireRequest) {
    if let Some(token) = meta.idempotency_token {
        let set = |l: &ParamList| l.iter().any(|(k, v)| k == token && !v.is_empty());
        if !set(&wire.query) && !set(&wire.body) {
            // An empty placeholder would otherwise be sent beside the generated token.
            remove_key(&mut wire.query, token);
            remove_key(&mut wire.body, token);
            wire.query
                .push_raw(token, &uuid::Uuid::new_v4().to_string());
        }
    }
    wire.sort();
}

/// Whether `err` is a service error the operation documents as not retryable (which even an
/// `x-acs-retry-after` header does not make retryable).
fn documented_final(meta: &OperationMeta, err: &SdkError<ServiceErrorMeta>) -> bool {
    match err {
        SdkError::Service(e) => meta.errors.iter().any(|i| i.code == e.code && !i.retryable),
        _ => false,
    }
}

/// Whether `list`'s keys are in signing order.
fn is_sorted(list: &ParamList) -> bool {
    let mut keys = list.iter().map(|(k, _)| k);
    let Some(mut prev) = keys.next() else {
        return true;
    };
    for k in keys {
        if k < prev {
            return false;
        }
        prev = k;
    }
    true
}

/// Removes every parameter named `key`.
fn remove_key(list: &mut ParamList, key: &str) {
    if list.iter().all(|(k, _)| k != key) {
        return;
    }
    let mut kept = ParamList::with_capacity(list.len(), 0);
    for (k, v) in list.iter().filter(|(k, _)| *k != key) {
        kept.push_raw(k, v);
    }
    *list = kept;
}

/// `x-acs-date`: UTC, `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_acs_date(t: SystemTime) -> String {
    let dt = time::OffsetDateTime::from(t);
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    dt.format(&fmt).unwrap_or_default()
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

/// Requests that can be turned into wire parameters (generated for every operation).
pub trait ToWire {
    /// The query and body parameters, unsorted.
    fn to_wire(&self) -> WireRequest;
}

/// Validates `request`, returning every violation.
pub fn validate_request<R: crate::validate::Validate>(
    request: &R,
) -> Result<(), crate::Violations> {
    let mut v = crate::Validator::new();
    request.validate_at(&crate::Path::ROOT, &mut v);
    v.finish()
}

/// Validates `request` (when `validate`) and encodes it into the parameters a call sends: the
/// idempotency token filled when left unset, both lists sorted by key, ready for
/// [`ClientCore::build_request`]. Done once per call, before its attempts.
pub fn encode_request<Req>(
    meta: &OperationMeta,
    request: &Req,
    validate: bool,
) -> Result<WireRequest, crate::Violations>
where
    Req: crate::validate::Validate + ToWire,
{
    if validate {
        validate_request(request)?;
    }
    let mut wire = request.to_wire();
    finish_wire(meta, &mut wire);
    Ok(wire)
}

/// Parses a 2xx body into the operation's response type; anything else is an
/// [`InvalidResponse`], never a panic.
pub fn decode_success<T: serde::de::DeserializeOwned>(
    status: u16,
    body: &[u8],
) -> Result<T, InvalidResponse> {
    serde_json::from_slice(body).map_err(|e| {
        InvalidResponse::new(status, format!("success body does not parse ({e})"), body)
    })
}

/// The future a generated builder's `send()` returns: validates, signs and sends the request
/// with retries, then decodes the answer ([`call`] on a request it owns), once `required` (the
/// builder's check of its required parameters) has passed.
///
/// A named type, generic here, instead of an `async fn send` per operation: each such `async
/// fn` made the compiler analyse a state machine per operation, the largest single cost of
/// compiling a generated crate. This one is checked once, here; the call's state machine is
/// boxed on the first poll (one allocation per call, next to a network round trip).
#[must_use = "futures do nothing unless awaited"]
pub struct Sending<Req, Resp, E> {
    meta: &'static OperationMeta,
    start: Option<SendArgs<Req>>,
    running: Option<BoxedCall<Resp, E>>,
}

type SendArgs<Req> = (
    ClientCore,
    Req,
    Option<bool>,
    Result<(), crate::error::BuildError>,
);
type BoxedCall<Resp, E> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Resp, SdkError<E>>> + Send>>;

impl<Req, Resp, E> Sending<Req, Resp, E> {
    /// The future of one call of `meta` with `request`; `validate` overrides the client's
    /// setting, `required` is the builder's check.
    pub fn new(
        core: ClientCore,
        meta: &'static OperationMeta,
        request: Req,
        validate: Option<bool>,
        required: Result<(), crate::error::BuildError>,
    ) -> Self {
        Sending {
            meta,
            start: Some((core, request, validate, required)),
            running: None,
        }
    }
}

impl<Req, Resp, E> fmt::Debug for Sending<Req, Resp, E> {
    /// The operation only: the request may hold secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sending")
            .field("operation", &self.meta.action)
            .field("started", &self.running.is_some())
            .finish()
    }
}

impl<Req, Resp, E> std::future::Future for Sending<Req, Resp, E>
where
    Req: crate::validate::Validate + ToWire + Send + Sync + Unpin + 'static,
    Resp: serde::de::DeserializeOwned + Send + 'static,
    E: crate::error::OperationError + Send + 'static,
{
    type Output = Result<Resp, SdkError<E>>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let this = &mut *self;
        if let Some((core, request, validate, required)) = this.start.take() {
            this.running = Some(Box::pin(send(core, this.meta, request, validate, required)));
        }
        match &mut this.running {
            Some(call) => call.as_mut().poll(cx),
            // `start` is only taken here, where `running` is set.
            None => std::task::Poll::Pending,
        }
    }
}

async fn send<Req, Resp, E>(
    core: ClientCore,
    meta: &'static OperationMeta,
    request: Req,
    validate: Option<bool>,
    required: Result<(), crate::error::BuildError>,
) -> Result<Resp, SdkError<E>>
where
    Req: crate::validate::Validate + ToWire,
    Resp: serde::de::DeserializeOwned,
    E: crate::error::OperationError,
{
    required?;
    call(&core, meta, &request, validate).await
}

/// One whole call of a generated operation: validate (unless switched off), encode, send with
/// retries, then decode the success body or the typed error.
pub async fn call<Req, Resp, E>(
    core: &ClientCore,
    meta: &'static OperationMeta,
    request: &Req,
    validate: Option<bool>,
) -> Result<Resp, SdkError<E>>
where
    Req: crate::validate::Validate + ToWire,
    Resp: serde::de::DeserializeOwned,
    E: crate::error::OperationError,
{
    let wire = encode_request(
        meta,
        request,
        validate.unwrap_or(core.config().validation()),
    )?;
    let raw = core
        .send_encoded(meta, &wire)
        .await
        .map_err(|e| e.map_service(|m| E::from_meta(m, meta)))?;
    decode_success(raw.http.status().as_u16(), raw.http.body()).map_err(SdkError::InvalidResponse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let t = UNIX_EPOCH + Duration::from_secs(1_704_164_645);
        assert_eq!(format_acs_date(t), "2024-01-02T03:04:05Z");
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
    fn hosts_replace_every_region_placeholder() {
        let core = ClientCore::new(Config::new(
            crate::Credentials::new("id", "secret"),
            crate::transport::InMemoryTransport::always(200, "{}"),
        ));
        let mut wire = WireRequest::default();
        wire.query.push_raw("RegionId", "cn-shanghai");
        for pattern in [
            "vpc.{region_id}.aliyuncs.com",
            "{region_id}",
            "vpc.aliyuncs.com",
            "{{region_id}}.{region_id}{region_id",
            "a{b}{region_id}{",
        ] {
            let meta = OperationMeta {
                product: "Vpc",
                version: "2016-04-28",
                action: "X",
                endpoint_pattern: Box::leak(pattern.to_owned().into_boxed_str()),
                method: "POST",
                idempotency_token: None,
                errors: &[],
            };
            let host = core.host(&meta, &wire);
            assert_eq!(host, pattern.replace("{region_id}", "cn-shanghai"));
            assert_eq!(host.len(), host.capacity(), "{pattern}");
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
    fn sorting_and_key_removal() {
        let mut l = ParamList::new();
        assert!(is_sorted(&l));
        l.push_raw("B", "1");
        l.push_raw("A", "2");
        l.push_raw("B", "3");
        assert!(!is_sorted(&l));
        remove_key(&mut l, "B");
        assert_eq!(l.to_pairs(), [("A".to_owned(), "2".to_owned())]);
        assert!(is_sorted(&l));
    }
}
