//! [`CallOptions`]: what one call may set differently from its client's [`Config`]: the
//! deadline, the retry policy, the endpoint and the validation mode.
//!
//! One runtime type that every generated builder holds, rather than a setter per setting in
//! each of them: adding a setting does not grow the generated code.

use std::time::Duration;

#[cfg(doc)]
use super::config::Config;
use super::config::RetryConfig;
use crate::validate::Validation;

/// Settings of one call that override the client's [`Config`]; what is left unset follows the
/// client.
///
/// Give them to a request builder with `.with_options(..)` (or to a raw call with
/// [`RawCall::with_options`](super::RawCall::with_options)):
///
/// ```
/// use std::time::Duration;
/// use alicloud_runtime::client::{CallOptions, RetryConfig};
/// use alicloud_runtime::validate::Validation;
///
/// let options = CallOptions::new()
///     .timeout(Duration::from_secs(5))          // the whole call, retries included
///     .retry(RetryConfig { max_attempts: 5, ..RetryConfig::default() })
///     .endpoint("vpc-vpc.cn-shanghai.aliyuncs.com")
///     .validation(Validation::Strict);
/// assert_eq!(options.get_timeout(), Some(Duration::from_secs(5)));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallOptions {
    timeout: Option<Duration>,
    retry: Option<RetryConfig>,
    endpoint: Option<String>,
    validation: Option<Validation>,
}

impl CallOptions {
    /// Options that change nothing: the call follows its client's configuration.
    pub fn new() -> Self {
        Self::default()
    }

    /// The deadline of the whole call: every attempt, and the waits between them (overrides
    /// [`Config::with_deadline`]). When it passes the call fails with
    /// [`SdkError::Timeout`](crate::SdkError::Timeout). The transport's own per-request timeout
    /// still bounds each attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How this call retries (overrides [`Config::with_retry`]).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// One attempt only: no retry, whatever the failure.
    pub fn no_retry(self) -> Self {
        self.retry(RetryConfig {
            max_attempts: 1,
            ..RetryConfig::default()
        })
    }

    /// The endpoint host (`host` or `host:port`) for this call, instead of the product's rule
    /// or [`Config::with_endpoint`]; the scheme stays the client's.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// What client-side validation refuses for this call (overrides
    /// [`Config::with_validation`] and [`Config::with_strict_validation`]); `false` turns it
    /// off, `true` is [`Validation::Stated`].
    pub fn validation(mut self, validation: impl Into<Validation>) -> Self {
        self.validation = Some(validation.into());
        self
    }

    /// These options, with every setting that `later` sets taken from `later`.
    pub fn merge(self, later: CallOptions) -> Self {
        Self {
            timeout: later.timeout.or(self.timeout),
            retry: later.retry.or(self.retry),
            endpoint: later.endpoint.or(self.endpoint),
            validation: later.validation.or(self.validation),
        }
    }

    /// The deadline set for the call, if any.
    pub fn get_timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The retry policy set for the call, if any.
    pub fn get_retry(&self) -> Option<&RetryConfig> {
        self.retry.as_ref()
    }

    /// The endpoint set for the call, if any.
    pub fn get_endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// The validation mode set for the call, if any.
    pub fn get_validation(&self) -> Option<Validation> {
        self.validation
    }
}
