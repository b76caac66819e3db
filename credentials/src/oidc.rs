//! The OIDC provider (RRSA on Container Service for Kubernetes): temporary credentials for a
//! RAM role from STS `AssumeRoleWithOIDC`, in exchange for the OIDC token in a file that the
//! platform rotates. The call is unsigned: the token is the proof.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use alicloud_runtime::credentials::{
    Credentials, CredentialsCache, CredentialsError, EnvLookup, ProvideCredentials,
};
use alicloud_runtime::transport::BoxFuture;

use crate::sts::{call_failed, default_session_name, into_credentials, Sts, Unsigned};

/// The RAM role to assume.
pub const ENV_ROLE_ARN: &str = "ALIBABA_CLOUD_ROLE_ARN";
/// The ARN of the OIDC identity provider registered with RAM.
pub const ENV_OIDC_PROVIDER_ARN: &str = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
/// The file holding the OIDC token (re-read at every renewal: the platform rotates it).
pub const ENV_OIDC_TOKEN_FILE: &str = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";
/// The role session name (optional).
pub const ENV_ROLE_SESSION_NAME: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";

/// What the provider needs.
#[derive(Clone, Debug)]
struct Settings {
    role_arn: String,
    provider_arn: String,
    token_file: PathBuf,
}

/// Assumes a RAM role with STS `AssumeRoleWithOIDC` and the token in a file.
///
/// [`OidcProvider::from_lookup`] reads `ALIBABA_CLOUD_ROLE_ARN`,
/// `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE` and
/// `ALIBABA_CLOUD_ROLE_SESSION_NAME` (what ACK sets in a pod with RRSA): with none of the
/// three required ones set it answers [`CredentialsError::not_found`], with only some of them
/// an error naming the missing ones. The token file is read at every renewal, so a rotated
/// token is used. Credentials are cached and renewed as [`crate::RamRoleArnProvider`]'s are.
pub struct OidcProvider {
    settings: Result<Settings, CredentialsError>,
    session_name: String,
    duration: Option<Duration>,
    policy: Option<String>,
    sts: Sts,
    refresh_before: Duration,
    cache: CredentialsCache,
}

impl fmt::Debug for OidcProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcProvider")
            .field("settings", &self.settings.as_ref().ok())
            .field("session_name", &self.session_name)
            .field("sts", &self.sts)
            .finish_non_exhaustive()
    }
}

impl OidcProvider {
    /// Assumes `role_arn` with the token in `token_file`, issued by `provider_arn`.
    pub fn new(
        role_arn: impl Into<String>,
        provider_arn: impl Into<String>,
        token_file: impl Into<PathBuf>,
        sts: Sts,
    ) -> Self {
        Self::with_settings(
            Ok(Settings {
                role_arn: role_arn.into(),
                provider_arn: provider_arn.into(),
                token_file: token_file.into(),
            }),
            sts,
        )
    }

    fn with_settings(settings: Result<Settings, CredentialsError>, sts: Sts) -> Self {
        Self {
            settings,
            session_name: default_session_name(),
            duration: None,
            policy: None,
            sts,
            refresh_before: Duration::from_secs(300),
            cache: CredentialsCache::default(),
        }
    }

    /// The provider the environment variables describe (see the type's documentation).
    pub fn from_lookup(env: &EnvLookup, sts: Sts) -> Self {
        let vars = [ENV_ROLE_ARN, ENV_OIDC_PROVIDER_ARN, ENV_OIDC_TOKEN_FILE];
        let values: Vec<Option<String>> = vars.iter().map(|v| env.get(v)).collect();
        let settings = match values.as_slice() {
            [Some(role), Some(provider), Some(file)] => Ok(Settings {
                role_arn: role.trim().to_owned(),
                provider_arn: provider.trim().to_owned(),
                token_file: PathBuf::from(file.trim()),
            }),
            _ if values.iter().all(Option::is_none) => Err(CredentialsError::not_found(format!(
                "{} are not set",
                vars.join(", ")
            ))),
            _ => {
                let missing: Vec<&str> = vars
                    .iter()
                    .zip(&values)
                    .filter(|(_, v)| v.is_none())
                    .map(|(n, _)| *n)
                    .collect();
                Err(CredentialsError::new(format!(
                    "OIDC is half configured: {} not set (all of {} are needed)",
                    missing.join(" and "),
                    vars.join(", ")
                )))
            }
        };
        let mut p = Self::with_settings(settings, sts);
        if let Some(name) = env.get(ENV_ROLE_SESSION_NAME) {
            p.session_name = name.trim().to_owned();
        }
        p
    }

    /// The role session name (default `alicloud-rust-<unix time>`).
    pub fn with_session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = name.into();
        self
    }

    /// How long the credentials should last (STS's default, one hour, when unset).
    pub fn with_duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    /// A policy (JSON) narrowing what the assumed role may do.
    pub fn with_policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into());
        self
    }

    /// Renew when less than this remains (default 5 minutes).
    pub fn with_refresh_before(mut self, window: Duration) -> Self {
        self.refresh_before = window;
        self
    }

    /// Reads the token file and calls STS now, bypassing the cache.
    pub async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let s = self.settings.as_ref().map_err(Clone::clone)?;
        let shown = s.token_file.display();
        let token = std::fs::read_to_string(&s.token_file).map_err(|e| {
            CredentialsError::new(format!("cannot read the OIDC token file {shown}: {e}"))
        })?;
        let token = token.trim();
        if token.is_empty() {
            return Err(CredentialsError::new(format!(
                "the OIDC token file {shown} is empty"
            )));
        }
        let what = format!("STS AssumeRoleWithOIDC of role `{}`", s.role_arn);
        let client = self.sts.client(Arc::new(Unsigned));
        let response = client
            .assume_role_with_oidc()
            .role_arn(s.role_arn.as_str())
            .oidc_provider_arn(s.provider_arn.as_str())
            .oidc_token(token)
            .role_session_name(self.session_name.as_str())
            .set_duration_seconds(self.duration.map(|d| d.as_secs() as i64))
            .set_policy(self.policy.clone())
            .send()
            .await
            .map_err(|e| call_failed(&what, &self.sts.endpoint().host(), e))?;
        let c = response.credentials.ok_or_else(|| {
            CredentialsError::new(format!("{what}: the answer has no Credentials"))
        })?;
        into_credentials(
            c.access_key_id,
            c.access_key_secret,
            c.security_token,
            c.expiration,
            &what,
            "oidc-role-arn",
        )
    }
}

impl ProvideCredentials for OidcProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            if let Err(e) = &self.settings {
                return Err(e.clone());
            }
            self.cache
                .get_or_refresh(
                    self.refresh_before,
                    || self.fetch(),
                    "OIDC role credentials",
                    || {
                        CredentialsError::new(
                            "STS AssumeRoleWithOIDC: the credentials it gave have already \
                             expired (is the local clock right?)",
                        )
                    },
                )
                .await
        })
    }
}
