//! Credentials: an access key pair, optionally with an STS security token and an expiry, and
//! the providers that find them.
//!
//! | Provider | Where it looks |
//! |---|---|
//! | [`Credentials`] | itself (static credentials) |
//! | [`EnvironmentProvider`] | `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, optional `ALIBABA_CLOUD_SECURITY_TOKEN` |
//! | [`ProfileProvider`] | the Alibaba Cloud CLI file `~/.aliyun/config.json` (modes `AK` and `StsToken`) |
//! | [`ImdsProvider`] | the ECS instance metadata service (instance RAM role), cached and refreshed |
//! | [`UriProvider`] | `ALIBABA_CLOUD_CREDENTIALS_URI`, an HTTP endpoint handing out temporary credentials |
//! | [`DefaultChain`] | the four above, in that order |
//!
//! The providers that call STS (RAM role ARN, chained roles, OIDC/RRSA), the CLI profile in
//! every mode and the INI file `~/.alibabacloud/credentials` are in the `alicloud-credentials`
//! crate, which is built on this one and on the generated STS client; every generated product
//! crate's `Client::from_env()` uses its chain.
//!
//! Secrets never show in `Debug`, `Display`, error messages or logs: [`Secret`] redacts itself,
//! every provider's `Debug` leaves credentials out, and error messages are built from names,
//! paths and status codes only, never from the values read.
//!
//! # Layout
//!
//! One module per provider, over a shared core:
//!
//! - `base`: [`Credentials`], [`Secret`], [`CredentialsError`], [`ProvideCredentials`];
//! - `lookup`: [`EnvLookup`], where providers read their settings;
//! - `cache`: the expiring-credentials cache with shared refresh, for providers that fetch
//!   temporary credentials;
//! - `temporary`: the JSON answer of the metadata service and credentials URIs;
//! - `environment`, `profile`, `imds`, `uri`: the providers, each with the variables it reads;
//! - `chain`: [`DefaultChain`].
//!
//! A new provider is a module (here, or in `alicloud-credentials` if it calls a product) that
//! implements [`ProvideCredentials`], answers [`CredentialsError::not_found`] when nothing is
//! configured for it, builds its errors without quoting what it read, keeps its secrets out of
//! `Debug`, and uses [`CredentialsCache`] if its credentials expire.

mod base;
mod cache;
mod chain;
mod environment;
mod imds;
mod lookup;
mod profile;
mod temporary;
#[cfg(test)]
mod test_support;
mod uri;

pub use base::{Credentials, CredentialsError, ProvideCredentials, Secret};
pub use cache::CredentialsCache;
pub use chain::DefaultChain;
pub use environment::{
    EnvironmentProvider, ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET, ENV_SECURITY_TOKEN,
};
pub use imds::{
    ImdsProvider, ImdsTokenMode, ENV_ECS_METADATA_DISABLED, ENV_ECS_METADATA_ROLE,
    ENV_IMDSV1_DISABLED, IMDS_DEFAULT_BASE_URL,
};
pub use lookup::EnvLookup;
pub use profile::{
    CliConfigFile, CliProfile, ProfileProvider, CLI_MODES, ENV_CLI_PROFILE_DISABLED, ENV_PROFILE,
};
pub use temporary::parse_expiration;
pub use uri::{UriProvider, ENV_CREDENTIALS_URI};
