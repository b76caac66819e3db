//! Client configuration: credentials, transport, region, network or endpoint, scheme,
//! retries, deadline, validation and user agent.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::endpoint::Network;
use super::region::{ClientRegion, RegionSource};
use crate::credentials::{EnvLookup, ProvideCredentials};
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
    pub(super) region: ClientRegion,
    pub(super) network: Network,
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
            .field("region", &self.region.id)
            .field("network", &self.network)
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
    /// HTTPS, the public network, endpoint from the product's map or pattern and the request's
    /// region; no region of its own (see [`Config::with_region`] and
    /// [`Config::with_region_from_env`]).
    pub fn new(credentials: impl ProvideCredentials, transport: impl Transport) -> Self {
        Self::from_arcs(Arc::new(credentials), Arc::new(transport))
    }

    /// A configuration from the environment: credentials from the runtime's [`DefaultChain`]
    /// (environment variables, the CLI profile in modes `AK` and `StsToken`, the ECS instance
    /// metadata service, a credentials URI), the region from `ALIBABA_CLOUD_REGION_ID` or the
    /// CLI profile's `region_id` ([`Config::with_region_from_env`]) and the
    /// [`DefaultTransport`](crate::default_transport::DefaultTransport). Product crates'
    /// `Client::from_env()` use `alicloud_credentials::config_from_env()` instead, whose chain
    /// also assumes roles (RAM role ARN, OIDC/RRSA) and reads every CLI mode and the INI file.
    ///
    /// [`DefaultChain`]: crate::credentials::DefaultChain
    #[cfg(any(feature = "hyper", feature = "reqwest"))]
    pub fn from_env() -> Result<Self, crate::transport::TransportError> {
        let credentials = crate::credentials::DefaultChain::from_env()?;
        let transport = crate::default_transport::DefaultTransport::new()?;
        Ok(Self::from_env_with(
            Arc::new(credentials),
            Arc::new(transport),
        ))
    }

    /// A configuration with the given credentials and transport and everything else read from
    /// the environment as [`Config::from_env`] reads it (the region): what a credentials crate
    /// with its own chain builds on.
    pub fn from_env_with(
        credentials: Arc<dyn ProvideCredentials>,
        transport: Arc<dyn Transport>,
    ) -> Self {
        Self::from_arcs(credentials, transport).with_region_from_env(&EnvLookup::process())
    }

    /// As [`Config::new`], from shared handles.
    pub fn from_arcs(
        credentials: Arc<dyn ProvideCredentials>,
        transport: Arc<dyn Transport>,
    ) -> Self {
        Self {
            region: ClientRegion::default(),
            network: Network::Public,
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

    /// The client's region, for the endpoint of requests without a `RegionId` (a request's
    /// `RegionId` comes first). Replaces a region found by [`Config::with_region_from_env`].
    pub fn with_region(mut self, region_id: impl Into<String>) -> Self {
        self.region = ClientRegion::configured(region_id.into());
        self
    }

    /// Unless a region is set already, the region from `ALIBABA_CLOUD_REGION_ID`, else from
    /// the `region_id` of the selected CLI profile (`~/.aliyun/config.json`, the profile named
    /// by `ALIBABA_CLOUD_PROFILE` or the file's `current`), reading the variables (and `HOME`)
    /// through `env`. [`Config::from_env`] does this with the process environment. A profile
    /// that cannot be read gives no region; why is said in the error of a call that then has
    /// none.
    pub fn with_region_from_env(mut self, env: &EnvLookup) -> Self {
        if self.region.id.is_none() {
            self.region = ClientRegion::from_environment(env);
        }
        self
    }

    /// The client's region, if any, and where it was found; a request's `RegionId` comes
    /// before it.
    pub fn region(&self) -> Option<(&str, RegionSource)> {
        self.region.id.as_ref().map(|(r, s)| (r.as_str(), *s))
    }

    /// The network to reach the service through: public (the default) or VPC-internal. An
    /// explicit endpoint ([`Config::with_endpoint`]) is used as given whatever the network.
    pub fn with_network(mut self, network: Network) -> Self {
        self.network = network;
        self
    }

    /// The network the client reaches the service through.
    pub fn network(&self) -> Network {
        self.network
    }

    /// An explicit endpoint host (`host` or `host:port`), overriding the product's map and
    /// pattern, the region and the network.
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
