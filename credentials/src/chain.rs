//! The default chain, in the order of Alibaba's official credentials libraries, and the
//! configuration every generated crate's `Client::from_env()` starts from.

use std::sync::Arc;

use alicloud_runtime::client::Config;
use alicloud_runtime::credentials::{
    DefaultChain, EnvLookup, EnvironmentProvider, ImdsProvider, ProvideCredentials, UriProvider,
    ENV_ECS_METADATA_DISABLED,
};
use alicloud_runtime::transport::Transport;

use crate::ini::IniFileProvider;
use crate::oidc::OidcProvider;
use crate::profile::CliProfileProvider;
use crate::sts::Sts;

/// The default chain over variables read through `env`: the environment's key pair, OIDC
/// (RRSA), the CLI profile in every mode, the INI file, the ECS instance RAM role (left out
/// when `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`), then the credentials URI. STS is reached
/// through `sts`, the metadata service and credentials URIs through `metadata_transport`
/// (which should not use a proxy and should give up quickly off ECS).
///
/// A provider with nothing configured passes to the next; one that is configured but fails
/// (a role STS refuses, an unreadable OIDC token) stops the chain, so that a pod set up for
/// RRSA never falls through to the node's instance role. When nothing is configured, the
/// error lists what each provider looked for.
pub fn default_chain_with(
    env: EnvLookup,
    sts: Sts,
    metadata_transport: Arc<dyn Transport>,
) -> DefaultChain {
    let mut providers: Vec<(&'static str, Arc<dyn ProvideCredentials>)> = vec![
        (
            "environment",
            Arc::new(EnvironmentProvider::with_lookup(env.clone())),
        ),
        (
            "OIDC",
            Arc::new(OidcProvider::from_lookup(&env, sts.clone())),
        ),
        (
            "CLI profile",
            Arc::new(CliProfileProvider::new(
                env.clone(),
                sts.clone(),
                metadata_transport.clone(),
            )),
        ),
        (
            "credentials file",
            Arc::new(IniFileProvider::new(
                env.clone(),
                sts,
                metadata_transport.clone(),
            )),
        ),
    ];
    if !env
        .get(ENV_ECS_METADATA_DISABLED)
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        providers.push((
            "ECS instance metadata",
            Arc::new(ImdsProvider::from_arc(metadata_transport.clone()).configured_from(&env)),
        ));
    }
    providers.push((
        "credentials URI",
        Arc::new(UriProvider::from_lookup(&env, metadata_transport)),
    ));
    DefaultChain::from_providers(providers)
}

/// The default chain over the process environment, with STS over HTTPS through `transport`
/// and the metadata service through a transport without proxy that gives up after 1 s to
/// connect and 2 s in all.
#[cfg(any(feature = "hyper", feature = "reqwest"))]
pub fn default_chain(
    transport: Arc<dyn Transport>,
) -> Result<DefaultChain, alicloud_runtime::TransportError> {
    let env = EnvLookup::process();
    let metadata = alicloud_runtime::default_transport::DefaultTransport::builder()
        .connect_timeout(std::time::Duration::from_secs(1))
        .timeout(std::time::Duration::from_secs(2))
        .no_proxy()
        .build()?;
    let sts = Sts::from_lookup(&env, transport);
    Ok(default_chain_with(env, sts, Arc::new(metadata)))
}

/// The configuration of every generated crate's `Client::from_env()`: credentials from the
/// [`default_chain`], the default HTTPS transport (shared with STS), and the rest of
/// [`Config::from_env_with`] (region and so on from the environment).
#[cfg(any(feature = "hyper", feature = "reqwest"))]
pub fn config_from_env() -> Result<Config, alicloud_runtime::TransportError> {
    let transport: Arc<dyn Transport> =
        Arc::new(alicloud_runtime::default_transport::DefaultTransport::new()?);
    let chain = default_chain(transport.clone())?;
    Ok(Config::from_env_with(Arc::new(chain), transport))
}
