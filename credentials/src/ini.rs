//! The INI credentials file of Alibaba's credentials libraries, `~/.alibabacloud/credentials`
//! (or `ALIBABA_CLOUD_CREDENTIALS_FILE`): one section per profile, `type` naming how to get
//! credentials.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use alicloud_runtime::credentials::{
    Credentials, CredentialsError, EnvLookup, ImdsProvider, ProvideCredentials, UriProvider,
    ENV_PROFILE,
};
use alicloud_runtime::transport::{BoxFuture, Transport};

use crate::built::{configured, fingerprint, Built};
use crate::oidc::{OidcProvider, ENV_OIDC_TOKEN_FILE};
use crate::ram_role::RamRoleArnProvider;
use crate::sts::Sts;

/// The variable naming the INI file, instead of `~/.alibabacloud/credentials`.
pub const ENV_CREDENTIALS_FILE: &str = "ALIBABA_CLOUD_CREDENTIALS_FILE";

/// The `type`s a section may have.
const TYPES: &str = "access_key, sts, ecs_ram_role, ram_role_arn, oidc_role_arn, credentials_uri";

/// Credentials from a section of the INI file:
///
/// ```ini
/// [default]
/// type = access_key
/// access_key_id = LTAI…
/// access_key_secret = …
///
/// [deploy]
/// type = ram_role_arn
/// access_key_id = LTAI…
/// access_key_secret = …
/// role_arn = acs:ram::123456789012:role/deployer
/// role_session_name = ci
/// ```
///
/// | `type` | keys |
/// |---|---|
/// | `access_key` | `access_key_id`, `access_key_secret` |
/// | `sts` | the same and `security_token` |
/// | `ecs_ram_role` | `role_name` (optional) |
/// | `ram_role_arn` | `access_key_id`, `access_key_secret`, `role_arn`, optional `role_session_name`, `policy`, `external_id`, `duration_seconds`, `sts_region` |
/// | `oidc_role_arn` | `role_arn`, `oidc_provider_arn`, `oidc_token_file_path` (or `ALIBABA_CLOUD_OIDC_TOKEN_FILE`), optional `role_session_name`, `policy`, `duration_seconds`, `sts_region` |
/// | `credentials_uri` | `credentials_uri` |
///
/// The section is the one named by `ALIBABA_CLOUD_PROFILE`, else `default`; `enable = false`
/// turns a section off. A missing file, a missing `default` section or a disabled one mean
/// "nothing configured" ([`CredentialsError::not_found`]); a file named by
/// `ALIBABA_CLOUD_CREDENTIALS_FILE` that is missing, a malformed file or section, and a
/// section named by `ALIBABA_CLOUD_PROFILE` that is missing are errors. Parse errors give the
/// line, never the text (the file holds secrets).
pub struct IniFileProvider {
    path: Option<PathBuf>,
    env: EnvLookup,
    sts: Sts,
    metadata_transport: Arc<dyn Transport>,
    built: Built,
}

impl fmt::Debug for IniFileProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IniFileProvider")
            .field("path", &self.path)
            .field("sts", &self.sts)
            .finish_non_exhaustive()
    }
}

impl IniFileProvider {
    /// The file and section the environment (`env`) names.
    pub fn new(env: EnvLookup, sts: Sts, metadata_transport: Arc<dyn Transport>) -> Self {
        Self {
            path: None,
            env,
            sts,
            metadata_transport,
            built: Built::default(),
        }
    }

    /// Reads this file.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// The file read, and whether it was named explicitly (then its absence is an error).
    fn file(&self) -> Result<(PathBuf, bool), CredentialsError> {
        if let Some(p) = &self.path {
            return Ok((p.clone(), true));
        }
        if let Some(p) = self.env.get(ENV_CREDENTIALS_FILE) {
            return Ok((PathBuf::from(p.trim()), true));
        }
        let home = self
            .env
            .get("HOME")
            .or_else(|| self.env.get("USERPROFILE"))
            .ok_or_else(|| {
                CredentialsError::not_found(
                    "no home directory (HOME is not set) to find .alibabacloud/credentials",
                )
            })?;
        Ok((
            PathBuf::from(home)
                .join(".alibabacloud")
                .join("credentials"),
            false,
        ))
    }

    fn current(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let (path, explicit) = self.file()?;
        let shown = path.display().to_string();
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                return Err(CredentialsError::not_found(format!(
                    "no credentials file at {shown}"
                )))
            }
            Err(e) => {
                return Err(CredentialsError::new(format!(
                    "cannot read credentials file {shown}: {e}"
                )))
            }
        };
        let named = self.env.get(ENV_PROFILE).map(|s| s.trim().to_owned());
        let section = named.clone().unwrap_or_else(|| "default".to_owned());
        self.built.get_or_build(fingerprint(&bytes, &section), || {
            let text = String::from_utf8(bytes).map_err(|_| {
                CredentialsError::new(format!("credentials file {shown} is not UTF-8"))
            })?;
            let ini = ini::Ini::load_from_str(&text).map_err(|e| {
                CredentialsError::new(format!(
                    "credentials file {shown} is not valid INI (line {}, column {})",
                    e.line, e.col
                ))
            })?;
            let Some(props) = ini.section(Some(section.as_str())) else {
                let msg = format!("credentials file {shown} has no section [{section}]");
                return Err(if named.is_some() {
                    CredentialsError::new(format!("{msg} (named by {ENV_PROFILE})"))
                } else {
                    CredentialsError::not_found(msg)
                });
            };
            self.build(props, &section, &shown)
        })
    }

    fn build(
        &self,
        props: &ini::Properties,
        section: &str,
        shown: &str,
    ) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let get = |key: &str| {
            props
                .get(key)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let need = |key: &str| {
            get(key).ok_or_else(|| {
                CredentialsError::new(format!("section [{section}] of {shown} has no `{key}`"))
            })
        };
        if get("enable").is_some_and(|v| v.eq_ignore_ascii_case("false")) {
            return Err(CredentialsError::not_found(format!(
                "section [{section}] of {shown} is disabled (enable = false)"
            )));
        }
        let key_pair = || -> Result<Credentials, CredentialsError> {
            Ok(
                Credentials::new(need("access_key_id")?, need("access_key_secret")?)
                    .with_source("credentials-file"),
            )
        };
        let duration = || -> Result<Option<Duration>, CredentialsError> {
            match get("duration_seconds") {
                None => Ok(None),
                Some(v) => v.parse::<u64>().map(|s| Some(Duration::from_secs(s))).map_err(|_| {
                    CredentialsError::new(format!(
                        "section [{section}] of {shown}: `duration_seconds` is not a whole number of seconds"
                    ))
                }),
            }
        };
        let sts = || self.sts.in_region(get("sts_region").as_deref(), &self.env);
        let kind = need("type")?;
        match kind.as_str() {
            "access_key" => Ok(Arc::new(key_pair()?)),
            "sts" => Ok(Arc::new(
                key_pair()?.with_security_token(need("security_token")?),
            )),
            "ecs_ram_role" => {
                let mut p = ImdsProvider::from_arc(self.metadata_transport.clone())
                    .configured_from(&self.env);
                if let Some(r) = get("role_name") {
                    p = p.with_role_name(r);
                }
                Ok(Arc::new(p))
            }
            "ram_role_arn" => {
                let mut p =
                    RamRoleArnProvider::new(Arc::new(key_pair()?), need("role_arn")?, sts());
                if let Some(v) = get("role_session_name") {
                    p = p.with_session_name(v);
                }
                if let Some(v) = get("policy") {
                    p = p.with_policy(v);
                }
                if let Some(v) = get("external_id") {
                    p = p.with_external_id(v);
                }
                if let Some(d) = duration()? {
                    p = p.with_duration(d);
                }
                Ok(Arc::new(p))
            }
            "oidc_role_arn" => {
                let file = get("oidc_token_file_path")
                    .or_else(|| self.env.get(ENV_OIDC_TOKEN_FILE))
                    .ok_or_else(|| {
                        CredentialsError::new(format!(
                            "section [{section}] of {shown} has no `oidc_token_file_path` (nor is \
                             {ENV_OIDC_TOKEN_FILE} set)"
                        ))
                    })?;
                let mut p =
                    OidcProvider::new(need("role_arn")?, need("oidc_provider_arn")?, file, sts());
                if let Some(v) = get("role_session_name") {
                    p = p.with_session_name(v);
                }
                if let Some(v) = get("policy") {
                    p = p.with_policy(v);
                }
                if let Some(d) = duration()? {
                    p = p.with_duration(d);
                }
                Ok(Arc::new(p))
            }
            "credentials_uri" => Ok(Arc::new(UriProvider::new(
                need("credentials_uri")?,
                self.metadata_transport.clone(),
            ))),
            other => Err(CredentialsError::new(format!(
                "section [{section}] of {shown} has type `{other}`, which this client does not \
                 support (supported: {TYPES})"
            ))),
        }
    }
}

impl ProvideCredentials for IniFileProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            // A section that is selected and enabled is configured: its provider's failures
            // are real ones.
            configured(self.current()?.provide().await)
        })
    }
}
