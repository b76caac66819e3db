//! The client core: configuration, and one call from wire parameters to a 2xx response or an
//! error envelope, with signing, retries and tracing.
//!
//! - `config`: [`Config`], [`RetryConfig`], [`Scheme`];
//! - `request`: request assembly, from a request to the signed HTTP request of one attempt;
//! - `call`: the call loop, its retry decisions, and [`Sending`];
//! - here: [`ClientCore`], the shared state of every generated client.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::header::HeaderValue;

use crate::transport::HttpResponse;

mod call;
mod config;
mod request;

pub use crate::meta::{ErrorInfo, OperationMeta};
pub use call::{call, decode_success, parse_http_date, Sending};
pub use config::{Config, RetryConfig, Scheme};
pub use request::{encode_request, format_acs_date, validate_request, ToWire};

/// The `tracing` target of the call span and its events: the module they were logged from
/// before the client core got submodules, so existing log filters keep matching exactly.
const LOG_TARGET: &str = "alicloud_runtime::client";

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

    fn now(&self) -> SystemTime {
        let offset = self.clock_offset.load(Ordering::Relaxed);
        let now = SystemTime::now();
        if offset >= 0 {
            now + Duration::from_secs(offset as u64)
        } else {
            now - Duration::from_secs(offset.unsigned_abs())
        }
    }
}
