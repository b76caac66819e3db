//! Credentials: an access key pair, optionally with an STS security token and an expiry, and
//! the providers that find them.
//!
//! | Provider | Where it looks |
//! |---|---|
//! | [`Credentials`] | itself (static credentials) |
//! | [`EnvironmentProvider`] | `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, optional `ALIBABA_CLOUD_SECURITY_TOKEN` |
//! | [`ProfileProvider`] | the Alibaba Cloud CLI file `~/.aliyun/config.json` (modes `AK` and `StsToken`) |
//! | [`ImdsProvider`] | the ECS instance metadata service (instance RAM role), cached and refreshed |
//! | [`DefaultChain`] | the three above, in that order |
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
//! - `environment`, `profile`, `imds`: the providers, each with the variables it reads;
//! - `chain`: [`DefaultChain`].
//!
//! A new provider (RAM role ARN, OIDC, INI file, credentials URI) is a new module here that
//! implements [`ProvideCredentials`], builds its errors without quoting what it read, keeps its
//! secrets out of `Debug`, uses `cache` if its credentials expire, and is re-exported below;
//! the chain then decides where it goes in the order.

mod base;
mod cache;
mod chain;
mod environment;
mod imds;
mod lookup;
mod profile;
#[cfg(test)]
mod test_support;

pub use base::{Credentials, CredentialsError, ProvideCredentials, Secret};
pub use chain::DefaultChain;
pub use environment::{
    EnvironmentProvider, ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET, ENV_SECURITY_TOKEN,
};
pub use imds::{
    ImdsProvider, ImdsTokenMode, ENV_ECS_METADATA_DISABLED, ENV_ECS_METADATA_ROLE,
    ENV_IMDSV1_DISABLED, IMDS_DEFAULT_BASE_URL,
};
pub use lookup::EnvLookup;
pub use profile::{ProfileProvider, ENV_CLI_PROFILE_DISABLED, ENV_PROFILE};
