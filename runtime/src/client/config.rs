//! Client configuration: credentials, transport, region or endpoint, scheme, retries,
//! deadline, validation and user agent.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::credentials::ProvideCredentials;
use crate::transport::Transport;

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
    pub(super) region_id: Option<String>,
    pub(super) endpoint: Option<String>,
    pub(super) scheme: Scheme,
    pub(super) credentials: Arc<dyn ProvideCredentials>,
    pub(super) transport: Arc<dyn Transport>,
    pub(super) retry: RetryConfig,
    pub(super) deadline: Option<Duration>,
    pub(super) validate: bool,
    pub(super) strict: bool,
    pub(super) user_agent: String,
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
            .field("strict", &self.strict)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// A configuration with `credentials` and `transport`, validation on, three attempts,
    /// HTTPS, endpoint from the product's rule and the request's region.
    pub fn new(credentials: impl ProvideCredentials, transport: impl Transport) -> Self {
        Self::from_arcs(Arc::new(credentials), Arc::new(transport))
    }

    /// A configuration from the environment: credentials from the runtime's [`DefaultChain`]
    /// (environment variables, the CLI profile in modes `AK` and `StsToken`, the ECS instance
    /// metadata service, a credentials URI) and the default
    /// [`ReqwestTransport`](crate::reqwest_transport::ReqwestTransport). Product crates'
    /// `Client::from_env()` use `alicloud_credentials::config_from_env()` instead, whose chain
    /// also assumes roles (RAM role ARN, OIDC/RRSA) and reads every CLI mode and the INI file.
    ///
    /// [`DefaultChain`]: crate::credentials::DefaultChain
    #[cfg(feature = "reqwest")]
    pub fn from_env() -> Result<Self, crate::transport::TransportError> {
        let credentials = crate::credentials::DefaultChain::from_env()?;
        let transport = crate::reqwest_transport::ReqwestTransport::new()?;
        Ok(Self::from_env_with(
            Arc::new(credentials),
            Arc::new(transport),
        ))
    }

    /// A configuration with the given credentials and transport and everything else read from
    /// the environment as [`Config::from_env`] reads it: what a credentials crate with its own
    /// chain builds on.
    pub fn from_env_with(
        credentials: Arc<dyn ProvideCredentials>,
        transport: Arc<dyn Transport>,
    ) -> Self {
        Self::from_arcs(credentials, transport)
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
            strict: false,
            user_agent: format!(
                "alicloud-rust/{} ({}; {})",
                env!("CARGO_PKG_VERSION"),
                std::env::consts::OS,
                std::env::consts::ARCH
            ),
        }
    }

    /// Replaces the credentials provider.
    pub fn with_credentials(mut self, credentials: impl ProvideCredentials) -> Self {
        self.credentials = Arc::new(credentials);
        self
    }

    /// The credentials provider.
    pub fn credentials(&self) -> &Arc<dyn ProvideCredentials> {
        &self.credentials
    }

    /// The transport.
    pub fn transport(&self) -> &Arc<dyn Transport> {
        &self.transport
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

    /// Whether advisories (violations of rules we inferred, not stated by the documentation)
    /// refuse a request too (off by default: they are logged and the request is sent).
    pub fn with_strict_validation(mut self, strict: bool) -> Self {
        self.strict = strict;
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

    /// What validation refuses: off, stated rules only, or advisories too.
    pub fn validation_mode(&self) -> crate::validate::Validation {
        match (self.validate, self.strict) {
            (false, _) => crate::validate::Validation::Off,
            (true, false) => crate::validate::Validation::Stated,
            (true, true) => crate::validate::Validation::Strict,
        }
    }

    /// The retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }
}
