//! The CLI profile provider in every mode the Alibaba Cloud CLI writes: `AK`, `StsToken`,
//! `RamRoleArn`, `EcsRamRole`, `ChainableRamRoleArn`, `OIDC` and `CredentialsURI`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use alicloud_runtime::credentials::{
    CliConfigFile, Credentials, CredentialsError, EnvLookup, ImdsProvider, ProfileProvider,
    ProvideCredentials, UriProvider, CLI_MODES,
};
use alicloud_runtime::transport::{BoxFuture, Transport};

use crate::built::{configured, fingerprint, Built};
use crate::oidc::OidcProvider;
use crate::ram_role::RamRoleArnProvider;
use crate::sts::Sts;

/// How deep `ChainableRamRoleArn` profiles may chain (a loop is an error, not a hang).
const MAX_CHAIN: usize = 8;

/// Credentials from the selected profile of `~/.aliyun/config.json`, in any mode:
///
/// | mode | credentials |
/// |---|---|
/// | `AK` | `access_key_id`, `access_key_secret` |
/// | `StsToken` | the same and `sts_token` |
/// | `RamRoleArn` | STS `AssumeRole` of `ram_role_arn` signed with the profile's key pair (`ram_session_name`, `expired_seconds`, `external_id`, STS in `sts_region`) |
/// | `EcsRamRole` | the ECS instance RAM role `ram_role_name` |
/// | `ChainableRamRoleArn` | STS `AssumeRole` of `ram_role_arn` signed with the credentials of profile `source_profile` |
/// | `OIDC` | STS `AssumeRoleWithOIDC` of `ram_role_arn` with the token in `oidc_token_file` from `oidc_provider_arn` |
/// | `CredentialsURI` | the credentials URI `credentials_uri` |
///
/// The profile is chosen as the runtime's [`ProfileProvider`] chooses it
/// (`ALIBABA_CLOUD_PROFILE`, else the file's `current`, else `default`). Any other mode is an
/// error naming it. The file is read at every call; a role provider built from a profile keeps
/// its cached credentials until the file changes.
pub struct CliProfileProvider {
    select: ProfileProvider,
    env: EnvLookup,
    sts: Sts,
    metadata_transport: Arc<dyn Transport>,
    built: Built,
}

impl fmt::Debug for CliProfileProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CliProfileProvider")
            .field("select", &self.select)
            .field("sts", &self.sts)
            .finish_non_exhaustive()
    }
}

impl CliProfileProvider {
    /// The CLI file under `HOME` (read through `env`), STS reached through `sts`, the metadata
    /// service and credentials URIs through `metadata_transport`.
    pub fn new(env: EnvLookup, sts: Sts, metadata_transport: Arc<dyn Transport>) -> Self {
        Self {
            select: ProfileProvider::from_env().with_lookup(env.clone()),
            env,
            sts,
            metadata_transport,
            built: Built::default(),
        }
    }

    /// Reads this file instead of `~/.aliyun/config.json`.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.select = self.select.with_path(path);
        self
    }

    /// Uses this profile, whatever the environment and the file's `current` say.
    pub fn with_profile(mut self, name: impl Into<String>) -> Self {
        self.select = self.select.with_profile(name);
        self
    }

    fn current(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let (file, name) = self.select.select()?;
        self.built
            .get_or_build(fingerprint(&file.digest.to_le_bytes(), &name), || {
                self.build(&file, &name, 0)
            })
    }

    /// The provider profile `name` describes.
    fn build(
        &self,
        file: &CliConfigFile,
        name: &str,
        depth: usize,
    ) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let p = file.profile(name)?;
        let path: &Path = &file.path;
        let shown = path.display();
        let sts = || self.sts.in_region(p.sts_region.as_deref(), &self.env);
        let role = |source: Arc<dyn ProvideCredentials>| -> Result<_, CredentialsError> {
            let arn = p.require(path, "ram_role_arn", &p.ram_role_arn)?;
            let mut r = RamRoleArnProvider::new(source, arn, sts());
            if let Some(s) = &p.ram_session_name {
                r = r.with_session_name(s);
            }
            if let Some(d) = p.expired_seconds {
                r = r.with_duration(Duration::from_secs(d));
            }
            if let Some(x) = &p.external_id {
                r = r.with_external_id(x);
            }
            Ok(Arc::new(r) as Arc<dyn ProvideCredentials>)
        };
        let tag = |c: Credentials| Arc::new(c) as Arc<dyn ProvideCredentials>;
        match p.mode.as_str() {
            "AK" | "" => Ok(tag(p.key_pair(path, false)?)),
            "StsToken" => Ok(tag(p.key_pair(path, true)?)),
            "RamRoleArn" => {
                let source = p.key_pair(path, p.sts_token.is_some())?;
                role(tag(source))
            }
            "ChainableRamRoleArn" => {
                let source = p.require(path, "source_profile", &p.source_profile)?;
                if depth >= MAX_CHAIN {
                    return Err(CredentialsError::new(format!(
                        "profile `{name}` in {shown}: `source_profile` chains more than \
                         {MAX_CHAIN} profiles deep (is there a loop?)"
                    )));
                }
                role(self.build(file, source, depth + 1)?)
            }
            "EcsRamRole" => {
                let mut imds = ImdsProvider::from_arc(self.metadata_transport.clone())
                    .configured_from(&self.env);
                if let Some(r) = &p.ram_role_name {
                    imds = imds.with_role_name(r);
                }
                Ok(Arc::new(imds))
            }
            "OIDC" => {
                let arn = p.require(path, "ram_role_arn", &p.ram_role_arn)?;
                let provider = p.require(path, "oidc_provider_arn", &p.oidc_provider_arn)?;
                let file = p
                    .oidc_token_file
                    .as_ref()
                    .ok_or_else(|| p.missing(path, "oidc_token_file"))?;
                let mut o = OidcProvider::new(arn, provider, file, sts());
                if let Some(s) = &p.ram_session_name {
                    o = o.with_session_name(s);
                }
                if let Some(d) = p.expired_seconds {
                    o = o.with_duration(Duration::from_secs(d));
                }
                Ok(Arc::new(o))
            }
            "CredentialsURI" => {
                let uri = p.require(path, "credentials_uri", &p.credentials_uri)?;
                Ok(Arc::new(UriProvider::new(
                    uri,
                    self.metadata_transport.clone(),
                )))
            }
            other => Err(CredentialsError::new(format!(
                "profile `{name}` in {shown} uses mode `{other}`, which this client does not \
                 support (supported: {CLI_MODES})"
            ))),
        }
    }
}

impl ProvideCredentials for CliProfileProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            // The profile is selected and configured: whatever its provider says is a real
            // failure, never "nothing here".
            configured(self.current()?.provide().await)
        })
    }
}
