//! The chain: providers tried in order, remembering the one that worked, stopping at one that
//! is configured but fails; and the runtime's default chain (environment, CLI profile in the
//! modes that need no STS call, ECS instance metadata, credentials URI).

use std::fmt;
use std::sync::{Arc, Mutex};

use super::base::{Credentials, CredentialsError, ProvideCredentials, LOG_TARGET};
use super::environment::EnvironmentProvider;
use super::imds::{ImdsProvider, ENV_ECS_METADATA_DISABLED};
use super::lookup::EnvLookup;
use super::profile::ProfileProvider;
use super::uri::UriProvider;
use crate::transport::{BoxFuture, Transport};

/// Tries providers in order and uses the first that gives credentials. The runtime's own chain
/// ([`DefaultChain::new`]) is the environment ([`EnvironmentProvider`]), the CLI profile
/// ([`ProfileProvider`]: modes `AK` and `StsToken`), the instance metadata service
/// ([`ImdsProvider`], left out when `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`), then the
/// credentials URI ([`UriProvider`]). The `alicloud-credentials` crate builds the full chain
/// (with OIDC, every CLI mode and the INI file) from the same parts with
/// [`DefaultChain::from_providers`].
///
/// A provider with nothing configured ([`CredentialsError::is_not_found`]) passes to the next;
/// one that is configured but fails stops the chain with its error, rather than let a later
/// provider sign as another identity. The provider that worked is asked first on later calls;
/// should it fail, the whole chain is tried again. When none works, the error lists each
/// provider tried and why it failed.
pub struct DefaultChain {
    providers: Vec<(&'static str, Arc<dyn ProvideCredentials>)>,
    last_used: Mutex<Option<usize>>,
}

impl fmt::Debug for DefaultChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultChain")
            .field(
                "providers",
                &self.providers.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl DefaultChain {
    /// The standard chain over the process environment; the metadata service is reached
    /// through `imds_transport` (which should not go through a proxy, and should time out
    /// quickly off ECS).
    pub fn new(imds_transport: impl Transport) -> Self {
        Self::with_lookup(EnvLookup::process(), Arc::new(imds_transport))
    }

    /// The standard chain reading variables through `env`.
    pub fn with_lookup(env: EnvLookup, imds_transport: Arc<dyn Transport>) -> Self {
        let mut providers: Vec<(&'static str, Arc<dyn ProvideCredentials>)> = vec![
            (
                "environment",
                Arc::new(EnvironmentProvider::with_lookup(env.clone())),
            ),
            (
                "CLI profile",
                Arc::new(ProfileProvider::from_env().with_lookup(env.clone())),
            ),
        ];
        if !env.is_true(ENV_ECS_METADATA_DISABLED) {
            providers.push((
                "ECS instance metadata",
                Arc::new(ImdsProvider::from_arc(imds_transport.clone()).configured_from(&env)),
            ));
        }
        providers.push((
            "credentials URI",
            Arc::new(UriProvider::from_lookup(&env, imds_transport)),
        ));
        Self::from_providers(providers)
    }

    /// A chain of the given providers, each with a name for error messages.
    pub fn from_providers(
        providers: impl IntoIterator<Item = (&'static str, Arc<dyn ProvideCredentials>)>,
    ) -> Self {
        Self {
            providers: providers.into_iter().collect(),
            last_used: Mutex::new(None),
        }
    }

    /// The names of the providers, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.providers.iter().map(|(n, _)| *n).collect()
    }

    fn remember(&self, index: Option<usize>) {
        match self.last_used.lock() {
            Ok(mut g) => *g = index,
            Err(poisoned) => *poisoned.into_inner() = index,
        }
    }

    fn last(&self) -> Option<usize> {
        match self.last_used.lock() {
            Ok(g) => *g,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        if let Some(i) = self.last() {
            if let Some((name, p)) = self.providers.get(i) {
                match p.provide().await {
                    Ok(c) => return Ok(c),
                    Err(e) => {
                        tracing::debug!(target: LOG_TARGET, provider = *name, error = %e, "credentials provider stopped working; trying the chain again");
                        self.remember(None);
                    }
                }
            }
        }
        let mut failures = Vec::with_capacity(self.providers.len());
        for (i, (name, p)) in self.providers.iter().enumerate() {
            match p.provide().await {
                Ok(c) => {
                    tracing::debug!(target: LOG_TARGET, provider = *name, "credentials found");
                    self.remember(Some(i));
                    return Ok(c);
                }
                Err(e) if e.is_not_found() => failures.push(format!("{name}: {e}")),
                // Configured but failing: going on would sign as whoever the next provider
                // finds (the node's role instead of the pod's, say). Stop and say why.
                Err(e) => {
                    let before = if failures.is_empty() {
                        String::new()
                    } else {
                        format!(" (not configured before it: {})", failures.join("; "))
                    };
                    return Err(CredentialsError::new(format!(
                        "the {name} provider is configured but failed: {e}; the chain stops \
                         there rather than use another identity{before}"
                    )));
                }
            }
        }
        if failures.is_empty() {
            return Err(CredentialsError::new(
                "no credentials: the credentials chain has no providers",
            ));
        }
        Err(CredentialsError::not_found(format!(
            "no credentials found; tried {}",
            failures.join("; ")
        )))
    }
}

#[cfg(any(feature = "hyper", feature = "reqwest"))]
impl DefaultChain {
    /// The standard chain over the process environment, reaching the metadata service with a
    /// [`crate::default_transport::DefaultTransport`] that uses no proxy and gives up after 1 s to
    /// connect and 2 s in all.
    pub fn from_env() -> Result<Self, crate::transport::TransportError> {
        let imds = crate::default_transport::DefaultTransport::builder()
            .connect_timeout(std::time::Duration::from_secs(1))
            .timeout(std::time::Duration::from_secs(2))
            .no_proxy()
            .build()?;
        Ok(Self::new(imds))
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.resolve())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::base::ready;
    use crate::credentials::test_support::*;
    use crate::credentials::*;
    use crate::transport::{InMemoryTransport, TransportError, TransportErrorKind};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn chain_takes_the_first_that_works_in_order() {
        let dir = TempDir::new("chain");
        dir.write(".aliyun/config.json", &cli_config());
        let home = dir.0.to_string_lossy().into_owned();
        let never = InMemoryTransport::new(|_| {
            Err(TransportError::new(
                TransportErrorKind::Connect,
                "unreachable",
            ))
        });

        // Environment wins over the profile.
        let env = EnvLookup::from_pairs([
            ("HOME", home.clone()),
            (ENV_ACCESS_KEY_ID, "AKENV".to_owned()),
            (ENV_ACCESS_KEY_SECRET, SECRET.to_owned()),
        ]);
        let chain = DefaultChain::with_lookup(env, Arc::new(never.clone()));
        assert_eq!(
            chain.names(),
            [
                "environment",
                "CLI profile",
                "ECS instance metadata",
                "credentials URI"
            ]
        );
        assert_eq!(block_on(chain.provide()).unwrap().source(), "environment");

        // Then the profile.
        let env = EnvLookup::from_pairs([("HOME", home.clone())]);
        let chain = DefaultChain::with_lookup(env, Arc::new(never.clone()));
        assert_eq!(block_on(chain.provide()).unwrap().source(), "profile");
        assert!(never.requests().is_empty());

        // Then the metadata service.
        let fetches = Arc::new(AtomicUsize::new(0));
        let env = EnvLookup::from_pairs([("HOME", "/nonexistent-home")]);
        let t = imds(Duration::from_secs(3600), fetches.clone());
        let chain = DefaultChain::with_lookup(env, Arc::new(t));
        assert_eq!(block_on(chain.provide()).unwrap().source(), "ecs-ram-role");
        assert_eq!(block_on(chain.provide()).unwrap().source(), "ecs-ram-role");
        assert_eq!(fetches.load(Ordering::SeqCst), 1);

        // Metadata disabled by the environment.
        let env = EnvLookup::from_pairs([("HOME", "/x"), (ENV_ECS_METADATA_DISABLED, "true")]);
        let chain = DefaultChain::with_lookup(env, Arc::new(never));
        assert_eq!(
            chain.names(),
            ["environment", "CLI profile", "credentials URI"]
        );
    }

    #[test]
    fn chain_error_lists_every_attempt_without_secrets() {
        let never = InMemoryTransport::new(|_| {
            Err(TransportError::new(TransportErrorKind::Connect, "refused"))
        });
        // Nothing configured anywhere: each provider says what it looked for.
        let env = EnvLookup::from_pairs([("HOME", "/nonexistent-home")]);
        let chain = DefaultChain::with_lookup(env, Arc::new(never.clone()));
        let e = block_on(chain.provide()).unwrap_err();
        let text = e.to_string();
        assert!(e.is_not_found(), "{text}");
        assert!(
            text.starts_with("no credentials found; tried environment: "),
            "{text}"
        );
        for part in [
            "ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set",
            "CLI profile: no CLI config file at /nonexistent-home/.aliyun/config.json",
            "ECS instance metadata: instance metadata service at http://100.100.100.200",
            "credentials URI: ALIBABA_CLOUD_CREDENTIALS_URI is not set",
        ] {
            assert!(text.contains(part), "{part} not in {text}");
        }
        assert_no_secret(&format!("{text} {e:?} {chain:?}"));
    }

    #[test]
    fn chain_stops_at_a_configured_provider_that_fails() {
        let dir = TempDir::new("chainerr");
        dir.write(".aliyun/config.json", &cli_config());
        let home = dir.0.to_string_lossy().into_owned();
        let never = InMemoryTransport::new(|_| {
            Err(TransportError::new(TransportErrorKind::Connect, "refused"))
        });
        // Half a key pair in the environment: an error, and nothing else is asked.
        let env = EnvLookup::from_pairs([
            ("HOME", home.clone()),
            (ENV_ACCESS_KEY_SECRET, SECRET.to_owned()),
            (ENV_SECURITY_TOKEN, TOKEN.to_owned()),
        ]);
        let chain = DefaultChain::with_lookup(env, Arc::new(never.clone()));
        let e = block_on(chain.provide()).unwrap_err();
        let text = e.to_string();
        assert!(!e.is_not_found());
        assert!(
            text.starts_with("the environment provider is configured but failed: ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but ALIBABA_CLOUD_ACCESS_KEY_ID is not"),
            "{text}"
        );
        // A profile in a role mode, served by alicloud-credentials: the chain does not fall
        // through to the instance's own role.
        let env = EnvLookup::from_pairs([("HOME", home), (ENV_PROFILE, "role".to_owned())]);
        let chain = DefaultChain::with_lookup(env, Arc::new(never.clone()));
        let text = block_on(chain.provide()).unwrap_err().to_string();
        assert!(
            text.contains("the CLI profile provider is configured but failed: profile `role`"),
            "{text}"
        );
        assert!(
            text.contains("`RamRoleArn`") && text.contains("alicloud-credentials"),
            "{text}"
        );
        assert!(
            text.contains("not configured before it: environment: "),
            "{text}"
        );
        assert!(
            never.requests().is_empty(),
            "the metadata service was asked"
        );
        assert_no_secret(&text);
    }

    #[derive(Debug)]
    struct Flaky {
        calls: AtomicUsize,
        fail_from: usize,
    }

    impl ProvideCredentials for Flaky {
        fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            ready(if n >= self.fail_from {
                Err(CredentialsError::not_found("gone"))
            } else {
                Ok(Credentials::new("FLAKY", "x").with_source("flaky"))
            })
        }
    }

    #[test]
    fn chain_remembers_the_provider_and_rescans_when_it_fails() {
        let first = Arc::new(Flaky {
            calls: AtomicUsize::new(0),
            fail_from: 0,
        });
        let second = Arc::new(Flaky {
            calls: AtomicUsize::new(0),
            fail_from: 2,
        });
        let third = Arc::new(Flaky {
            calls: AtomicUsize::new(0),
            fail_from: usize::MAX,
        });
        let chain = DefaultChain::from_providers([
            ("first", first.clone() as Arc<dyn ProvideCredentials>),
            ("second", second.clone() as Arc<dyn ProvideCredentials>),
            ("third", third.clone() as Arc<dyn ProvideCredentials>),
        ]);
        block_on(chain.provide()).unwrap(); // first fails, second works
        block_on(chain.provide()).unwrap(); // second asked directly
        assert_eq!(first.calls.load(Ordering::SeqCst), 1);
        assert_eq!(second.calls.load(Ordering::SeqCst), 2);
        block_on(chain.provide()).unwrap(); // second fails: rescan, third works
        assert_eq!(first.calls.load(Ordering::SeqCst), 2);
        assert_eq!(third.calls.load(Ordering::SeqCst), 1);
    }
}
