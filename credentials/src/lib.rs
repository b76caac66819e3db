//! # alicloud-credentials
//!
//! Credential providers for the generated Alibaba Cloud crates, over the runtime's own
//! (`alicloud_runtime::credentials`) and the generated STS client (`alicloud-sts`):
//!
//! | Provider | Where it looks |
//! |---|---|
//! | [`RamRoleArnProvider`] | STS `AssumeRole` of a RAM role, signed by any other provider (chain roles by nesting) |
//! | [`OidcProvider`] | STS `AssumeRoleWithOIDC` with a token file: RRSA on ACK (`ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE`, `ALIBABA_CLOUD_ROLE_SESSION_NAME`) |
//! | [`CliProfileProvider`] | `~/.aliyun/config.json` in every CLI mode (`AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`, `ChainableRamRoleArn`, `OIDC`, `CredentialsURI`) |
//! | [`IniFileProvider`] | `~/.alibabacloud/credentials` or `ALIBABA_CLOUD_CREDENTIALS_FILE` |
//! | [`default_chain_with`] | environment → OIDC → CLI profile → INI file → ECS instance role → credentials URI |
//!
//! [`config_from_env`] is what every generated crate's `Client::from_env()` calls (all but
//! `alicloud-sts`, which this crate is built on). STS is reached at `sts.<region>.aliyuncs.com`
//! when a region is known (`ALIBABA_CLOUD_STS_REGION`, a profile's `sts_region`), else at the
//! central `sts.aliyuncs.com`, and VPC-internally (`sts-vpc.<region>.aliyuncs.com`) when
//! `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`; see [`Sts`] and [`StsEndpoint`].
//!
//! Temporary credentials are cached and renewed five minutes before they expire, one renewal
//! shared by every concurrent caller. No secret (key secret, security token, OIDC token)
//! appears in any `Debug`, `Display`, error or log.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use alicloud_credentials::{RamRoleArnProvider, Sts};
//! use alicloud_runtime::credentials::EnvironmentProvider;
//! use alicloud_runtime::default_transport::DefaultTransport;
//!
//! let transport = Arc::new(DefaultTransport::new()?);
//! // Assume a deployment role with the key pair in the environment.
//! let role = RamRoleArnProvider::new(
//!     Arc::new(EnvironmentProvider::from_env()),
//!     "acs:ram::123456789012:role/deployer",
//!     Sts::new(transport.clone()),
//! )
//! .with_session_name("deploy");
//! let config = alicloud_runtime::Config::from_arcs(Arc::new(role), transport)
//!     .with_region("cn-shanghai");
//! # let _ = config; Ok(()) }
//! ```

// On docs.rs (`--cfg docsrs`, nightly): each item shows the feature that enables it.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod built;
mod chain;
mod ini;
mod oidc;
mod profile;
mod ram_role;
mod sts;

pub use chain::default_chain_with;
#[cfg(any(feature = "hyper", feature = "reqwest"))]
pub use chain::{config_from_env, default_chain};
pub use ini::{IniFileProvider, ENV_CREDENTIALS_FILE};
pub use oidc::{
    OidcProvider, ENV_OIDC_PROVIDER_ARN, ENV_OIDC_TOKEN_FILE, ENV_ROLE_ARN, ENV_ROLE_SESSION_NAME,
};
pub use profile::CliProfileProvider;
pub use ram_role::RamRoleArnProvider;
pub use sts::{Sts, StsEndpoint, ENV_STS_REGION, ENV_VPC_ENDPOINT_ENABLED};
