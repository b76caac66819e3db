//! The client core: configuration, and one call from wire parameters to a 2xx response or an
//! error envelope, with signing, retries and tracing.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::header::{HeaderName, HeaderValue};
use tracing::Instrument as _;

use crate::credentials::ProvideCredentials;
use crate::error::{InvalidResponse, SdkError, ServiceErrorMeta};
use crate::sign;
use crate::transport::{HttpRequest, HttpResponse, Transport, TransportErrorKind};
use crate::wire::WireRequest;

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
}

const THROTTLING: [&str; 3] = ["Throttling", "Throttling.User", "Throttling.Api"];

/// What to do after a failed attempt.
enum Next {
    Retry(Option<Duration>),
    Stop,
}

impl ClientCore {
    /// A core over `config`.
    pub fn new(config: Config) -> Self {
        Self {
            config: Arc::new(config),
            clock_offset: Arc::default(),
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
        meta.endpoint_pattern.replace("{region_id}", region)
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
        let host = self.host(meta, wire);
        let query = wire.query.encoded();
        let body = if wire.body.is_empty() {
            Vec::new()
        } else {
            wire.body.encoded().into_bytes()
        };
        let payload_hash = sign::sha256_hex(&body);
        let mut headers: Vec<(&str, &str)> = Vec::with_capacity(10);
        headers.push(("host", &host));
        headers.push(("x-acs-action", meta.action));
        headers.push(("x-acs-version", meta.version));
        headers.push(("x-acs-date", date));
        headers.push(("x-acs-signature-nonce", nonce));
        headers.push(("x-acs-content-sha256", &payload_hash));
        if !body.is_empty() {
            headers.push(("content-type", "application/x-www-form-urlencoded"));
        }
        if let Some(token) = credentials.security_token() {
            headers.push(("x-acs-security-token", token.expose()));
        }
        let signature = sign::sign(
            meta.method,
            &query,
            &headers,
            &payload_hash,
            credentials.access_key_secret().expose(),
        );
        let authorization = signature.authorization(credentials.access_key_id());
        let scheme = match self.config.scheme {
            Scheme::Https => "https",
            Scheme::Http => "http",
        };
        let url = if query.is_empty() {
            format!("{scheme}://{host}/")
        } else {
            format!("{scheme}://{host}/?{query}")
        };
        let mut req = http::Request::new(body);
        *req.method_mut() = if meta.method.eq_ignore_ascii_case("GET") {
            http::Method::GET
        } else {
            http::Method::POST
        };
        *req.uri_mut() = url.parse().map_err(|_| {
            InvalidResponse::new(0, format!("endpoint `{host}` does not make a valid URL"), b"")
        })?;
        let h = req.headers_mut();
        for (name, value) in headers
            .iter()
            .copied()
            .chain([("authorization", authorization.as_str()), ("accept", "application/json")])
            .chain([("user-agent", self.config.user_agent.as_str())])
        {
            let (Ok(n), Ok(v)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) else {
                return Err(InvalidResponse::new(
                    0,
                    format!("header `{name}` holds characters HTTP does not allow"),
                    b"",
                ));
            };
            h.append(n, v);
        }
        Ok(req)
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let r = &self.config.retry;
        let exp = r
            .initial_backoff
            .saturating_mul(1u32.checked_shl(attempt.saturating_sub(1)).unwrap_or(u32::MAX));
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
            SdkError::Service(e) => {
                if let Some(info) = meta.errors.iter().find(|i| i.code == e.code) {
                    return if info.retryable { Next::Retry(None) } else { Next::Stop };
                }
                if THROTTLING.contains(&e.code.as_str()) || e.status >= 500 {
                    Next::Retry(None)
                } else {
                    Next::Stop
                }
            }
            SdkError::InvalidResponse(e) if e.status >= 500 => Next::Retry(None),
            _ => Next::Stop,
        }
    }

    /// Sends one call: fills the idempotency token, then signs and sends attempts until one
    /// succeeds, the error is not retryable, the attempts run out or the deadline passes.
    pub async fn invoke(
        &self,
        meta: &'static OperationMeta,
        mut wire: WireRequest,
    ) -> Result<RawResponse, SdkError<ServiceErrorMeta>> {
        if let Some(token) = meta.idempotency_token {
            if wire.query.get(token).is_none_or(str::is_empty) && wire.body.get(token).is_none() {
                // Once per logical call, so that every retry carries the same token.
                wire.query
                    .push_raw(token, &uuid::Uuid::new_v4().to_string());
            }
        }
        wire.sort();
        let span = tracing::info_span!("alicloud.call", product = meta.product, operation = meta.action);
        let call = self.attempts(meta, &wire).instrument(span);
        match self.config.deadline {
            Some(d) => match tokio::time::timeout(d, call).await {
                Ok(r) => r,
                Err(_) => Err(SdkError::Timeout { attempts: 0 }),
            },
            None => call.await,
        }
    }

    async fn attempts(
        &self,
        meta: &'static OperationMeta,
        wire: &WireRequest,
    ) -> Result<RawResponse, SdkError<ServiceErrorMeta>> {
        let max = self.config.retry.max_attempts.max(1);
        let mut clock_fixed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let outcome = self
                .attempt(meta, wire)
                .instrument(tracing::debug_span!("attempt", n = attempt))
                .await;
            let err = match outcome {
                Ok(http) => {
                    return Ok(RawResponse {
                        http,
                        attempts: attempt,
                    })
                }
                Err((err, date)) => {
                    if let (SdkError::Service(e), Some(server)) = (&err, date) {
                        if e.code == "InvalidTimeStamp.Expired" && !clock_fixed {
                            clock_fixed = true;
                            let local = SystemTime::now()
                                .duration_since(UNIX_EPOCH)
                                .map(|d| d.as_secs() as i64)
                                .unwrap_or(0);
                            self.clock_offset.store(server - local, Ordering::Relaxed);
                            tracing::warn!(offset_s = server - local, "clock skew corrected from the response Date");
                            continue;
                        }
                    }
                    err
                }
            };
            match self.classify(meta, &err) {
                Next::Retry(hint) if attempt < max => {
                    let delay = hint.unwrap_or_else(|| self.backoff(attempt));
                    tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, "retrying");
                    tokio::time::sleep(delay).await;
                }
                _ => return Err(err),
            }
        }
    }

    /// One attempt. On failure also returns the server's `Date` (Unix seconds) when present.
    async fn attempt(
        &self,
        meta: &'static OperationMeta,
        wire: &WireRequest,
    ) -> Result<HttpResponse, (SdkError<ServiceErrorMeta>, Option<i64>)> {
        let creds = self
            .config
            .credentials
            .provide()
            .await
            .map_err(|e| (SdkError::Credentials(e), None))?;
        let date = format_acs_date(self.now());
        let nonce = uuid::Uuid::new_v4().simple().to_string();
        let req = self
            .build_request(meta, wire, &creds, &date, &nonce)
            .map_err(|e| (SdkError::InvalidResponse(e), None))?;
        let resp = self
            .config
            .transport
            .send(req)
            .await
            .map_err(|e| (SdkError::Transport(e), None))?;
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
        let retry_after = resp
            .headers()
            .get("x-acs-retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let err = match ServiceErrorMeta::from_response(status, resp.body()) {
            Ok(meta_err) => {
                tracing::debug!(code = %meta_err.code, request_id = meta_err.request_id.as_deref().unwrap_or(""), "service error");
                SdkError::Service(meta_err)
            }
            Err(invalid) => SdkError::InvalidResponse(invalid),
        };
        if let Some(ms) = retry_after {
            // Honoured by sleeping here, before the caller's own backoff decision.
            let wait = Duration::from_millis(ms).min(self.config.retry.max_backoff);
            if !matches!(self.classify(meta, &err), Next::Stop) {
                tokio::time::sleep(wait).await;
            }
        }
        Err((err, server_date))
    }
}

/// `x-acs-date`: UTC, `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_acs_date(t: SystemTime) -> String {
    let dt = time::OffsetDateTime::from(t);
    let fmt = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
    );
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
}

/// Requests that can be turned into wire parameters (generated for every operation).
pub trait ToWire {
    /// The query and body parameters, unsorted.
    fn to_wire(&self) -> WireRequest;
}

/// Validates `request`, returning every violation.
pub fn validate_request<R: crate::validate::Validate>(request: &R) -> Result<(), crate::Violations> {
    let mut v = crate::Validator::new();
    request.validate_at(&crate::Path::ROOT, &mut v);
    v.finish()
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
    if validate.unwrap_or(core.config().validation()) {
        validate_request(request)?;
    }
    let raw = core
        .invoke(meta, request.to_wire())
        .await
        .map_err(|e| e.map_service(E::from_meta))?;
    decode_success(raw.http.status().as_u16(), raw.http.body()).map_err(SdkError::InvalidResponse)
}
