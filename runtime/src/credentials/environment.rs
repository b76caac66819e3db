//! The environment provider: an access key pair (and optional STS token) from
//! `ALIBABA_CLOUD_*` variables.

use super::base::{ready, Credentials, CredentialsError, ProvideCredentials};
use super::lookup::EnvLookup;
use crate::transport::BoxFuture;

/// The access key id variable.
pub const ENV_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// The access key secret variable.
pub const ENV_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// The STS security token variable (optional).
pub const ENV_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";

/// Credentials from `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and the
/// optional `ALIBABA_CLOUD_SECURITY_TOKEN`, read at every call.
#[derive(Clone, Debug)]
pub struct EnvironmentProvider {
    env: EnvLookup,
}

impl EnvironmentProvider {
    /// Reads the process environment.
    pub fn from_env() -> Self {
        Self {
            env: EnvLookup::process(),
        }
    }

    /// Reads variables through `env` instead of the process environment.
    pub fn with_lookup(env: EnvLookup) -> Self {
        Self { env }
    }

    /// Reads variables from `(name, value)` pairs (for tests).
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self::with_lookup(EnvLookup::from_pairs(pairs))
    }

    /// The credentials, if both variables of the key pair are set.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let id = self.env.get(ENV_ACCESS_KEY_ID);
        let secret = self.env.get(ENV_ACCESS_KEY_SECRET);
        let (id, secret) = match (id, secret) {
            (Some(id), Some(secret)) => (id, secret),
            (None, None) => {
                return Err(CredentialsError::not_found(format!(
                    "{ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET} are not set"
                )))
            }
            (Some(_), None) => {
                return Err(CredentialsError::new(format!(
                    "{ENV_ACCESS_KEY_ID} is set but {ENV_ACCESS_KEY_SECRET} is not"
                )))
            }
            (None, Some(_)) => {
                return Err(CredentialsError::new(format!(
                    "{ENV_ACCESS_KEY_SECRET} is set but {ENV_ACCESS_KEY_ID} is not"
                )))
            }
        };
        let mut creds = Credentials::new(id.trim(), secret.trim()).with_source("environment");
        if let Some(token) = self.env.get(ENV_SECURITY_TOKEN) {
            creds = creds.with_security_token(token.trim());
        }
        Ok(creds)
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        ready(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::test_support::*;
    use crate::credentials::Secret;

    #[test]
    fn environment_reads_key_pair_and_token() {
        let p = EnvironmentProvider::from_pairs([
            (ENV_ACCESS_KEY_ID, "AKID"),
            (ENV_ACCESS_KEY_SECRET, SECRET),
            (ENV_SECURITY_TOKEN, TOKEN),
        ]);
        let c = p.load().unwrap();
        assert_eq!(c.access_key_id(), "AKID");
        assert_eq!(c.access_key_secret().expose(), SECRET);
        assert_eq!(c.security_token().map(Secret::expose), Some(TOKEN));
        assert_eq!(c.source(), "environment");
        assert_no_secret(&format!("{p:?} {c:?}"));

        let p = EnvironmentProvider::from_pairs([
            (ENV_ACCESS_KEY_ID, "AKID"),
            (ENV_ACCESS_KEY_SECRET, SECRET),
        ]);
        assert!(block_on(p.provide()).unwrap().security_token().is_none());
    }

    #[test]
    fn environment_errors_name_the_missing_variable() {
        let e = EnvironmentProvider::from_pairs(Vec::<(String, String)>::new())
            .load()
            .unwrap_err();
        assert!(e.to_string().contains("are not set"), "{e}");
        let e = EnvironmentProvider::from_pairs([
            (ENV_ACCESS_KEY_ID, "AKID"),
            (ENV_ACCESS_KEY_SECRET, "  "),
        ])
        .load()
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET is not"),
            "{e}"
        );
        let e = EnvironmentProvider::from_pairs([(ENV_ACCESS_KEY_SECRET, SECRET)])
            .load()
            .unwrap_err();
        assert!(
            e.to_string().contains("ALIBABA_CLOUD_ACCESS_KEY_ID is not"),
            "{e}"
        );
        assert_no_secret(&format!("{e} {e:?}"));
    }
}
