//! [`ClientCore`], the shared state of every generated client, and [`RawResponse`].

use crate::transport::HttpResponse;
use http::header::HeaderValue;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::config::Config;
use super::origin::{Origin, OriginKey};

/// The `tracing` target of the call span and its events: the module they were logged from
/// before the client core got submodules, so existing log filters keep matching exactly.
pub(super) const LOG_TARGET: &str = "alicloud_runtime::client";

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
    pub(super) config: Arc<Config>,
    /// Seconds to add to the local clock, learnt from `InvalidTimeStamp.Expired` answers.
    pub(super) clock_offset: Arc<AtomicI64>,
    /// The `User-Agent` header value, checked once (`None` when the configured text is not a
    /// valid header value, which every request then reports).
    pub(super) user_agent: Option<HeaderValue>,
    /// The origin of the last call's host and what it was made from ([`ClientCore::origin`]).
    pub(super) origin_cache: Arc<Mutex<Option<(OriginKey, Origin)>>>,
}

impl ClientCore {
    /// A core over `config`.
    pub fn new(config: Config) -> Self {
        let user_agent = HeaderValue::from_str(&config.user_agent).ok();
        Self {
            config: Arc::new(config),
            clock_offset: Arc::default(),
            user_agent,
            origin_cache: Arc::default(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    pub(super) fn now(&self) -> SystemTime {
        let offset = self.clock_offset.load(Ordering::Relaxed);
        let now = SystemTime::now();
        if offset >= 0 {
            now + Duration::from_secs(offset as u64)
        } else {
            now - Duration::from_secs(offset.unsigned_abs())
        }
    }
}
