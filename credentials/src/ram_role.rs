//! The RAM role ARN provider: temporary credentials for a RAM role from STS `AssumeRole`,
//! signed with the credentials of any other provider (which may itself be a role: that is the
//! CLI's `ChainableRamRoleArn`).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use alicloud_runtime::credentials::{
    Credentials, CredentialsCache, CredentialsError, ProvideCredentials,
};
use alicloud_runtime::transport::BoxFuture;

use crate::sts::{call_failed, default_session_name, into_credentials, Sts};

/// Assumes `role_arn` with STS `AssumeRole`, signing with `source`'s credentials.
///
/// The credentials are cached and renewed when less than
/// [`RamRoleArnProvider::with_refresh_before`] (5 minutes by default) of their life remains;
/// concurrent callers share one STS call; still-valid credentials outlive a failed renewal.
/// Chain roles by giving another `RamRoleArnProvider` as `source`.
pub struct RamRoleArnProvider {
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    session_name: String,
    duration: Option<Duration>,
    policy: Option<String>,
    external_id: Option<String>,
    sts: Sts,
    refresh_before: Duration,
    cache: CredentialsCache,
}

impl fmt::Debug for RamRoleArnProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RamRoleArnProvider")
            .field("source", &self.source)
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("duration", &self.duration)
            .field("sts", &self.sts)
            .finish_non_exhaustive()
    }
}

impl RamRoleArnProvider {
    /// Assumes `role_arn` (`acs:ram::<account>:role/<name>`) with `source`'s credentials,
    /// through `sts`.
    pub fn new(source: Arc<dyn ProvideCredentials>, role_arn: impl Into<String>, sts: Sts) -> Self {
        Self {
            source,
            role_arn: role_arn.into(),
            session_name: default_session_name(),
            duration: None,
            policy: None,
            external_id: None,
            sts,
            refresh_before: Duration::from_secs(300),
            cache: CredentialsCache::default(),
        }
    }

    /// The role session name (shown in the role's audit trail; default
    /// `alicloud-rust-<unix time>`).
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

    /// The external id the role's trust policy asks for.
    pub fn with_external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into());
        self
    }

    /// Renew when less than this remains (default 5 minutes).
    pub fn with_refresh_before(mut self, window: Duration) -> Self {
        self.refresh_before = window;
        self
    }

    /// The role assumed.
    pub fn role_arn(&self) -> &str {
        &self.role_arn
    }

    /// Calls STS now, bypassing the cache.
    pub async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let what = format!("STS AssumeRole of role `{}`", self.role_arn);
        let client = self.sts.client(self.source.clone());
        let response = client
            .assume_role()
            .role_arn(self.role_arn.as_str())
            .role_session_name(self.session_name.as_str())
            .set_duration_seconds(self.duration.map(|d| d.as_secs() as i64))
            .set_policy(self.policy.clone())
            .set_external_id(self.external_id.clone())
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
            "ram-role-arn",
        )
    }
}

impl ProvideCredentials for RamRoleArnProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.cache.get_or_refresh(
            self.refresh_before,
            || self.fetch(),
            "assumed RAM role credentials",
            || {
                CredentialsError::new(
                    "STS AssumeRole: the credentials it gave have already expired (is the local \
                     clock right?)",
                )
            },
        ))
    }
}
