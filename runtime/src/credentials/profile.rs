//! The CLI profile: the Alibaba Cloud CLI's `~/.aliyun/config.json`, read in full
//! ([`CliConfigFile`], [`CliProfile`], every mode the CLI writes), and the runtime's
//! [`ProfileProvider`], which serves the modes that need no STS call (`AK`, `StsToken`). The
//! other modes (`RamRoleArn`, `EcsRamRole`, `ChainableRamRoleArn`, `OIDC`, `CredentialsURI`)
//! are served by the `alicloud-credentials` crate from the same parsed profile.

use std::path::{Path as FsPath, PathBuf};

use super::base::{ready, Credentials, CredentialsError, ProvideCredentials, Secret};
use super::lookup::EnvLookup;
use crate::transport::BoxFuture;

/// The CLI profile to use, overriding the config file's `current`.
pub const ENV_PROFILE: &str = "ALIBABA_CLOUD_PROFILE";
/// `true` turns the CLI profile provider off in [`ProfileProvider::from_env`].
pub const ENV_CLI_PROFILE_DISABLED: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";

/// The modes the CLI writes, for error messages.
pub const CLI_MODES: &str =
    "AK, StsToken, RamRoleArn, EcsRamRole, ChainableRamRoleArn, OIDC, CredentialsURI";

/// The CLI's `config.json` as this crate reads it.
#[derive(serde::Deserialize)]
struct RawConfig {
    #[serde(default)]
    current: String,
    #[serde(default)]
    profiles: Vec<RawProfile>,
}

/// One profile as written; not `Debug` (it holds secrets in plain strings).
#[derive(serde::Deserialize)]
struct RawProfile {
    #[serde(default)]
    name: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    access_key_id: String,
    #[serde(default)]
    access_key_secret: String,
    #[serde(default)]
    sts_token: String,
    #[serde(default)]
    sts_region: String,
    #[serde(default)]
    ram_role_name: String,
    #[serde(default)]
    ram_role_arn: String,
    #[serde(default)]
    ram_session_name: String,
    #[serde(default)]
    external_id: String,
    #[serde(default)]
    source_profile: String,
    #[serde(default)]
    expired_seconds: Option<serde_json::Value>,
    #[serde(default)]
    oidc_provider_arn: String,
    #[serde(default)]
    oidc_token_file: String,
    #[serde(default)]
    credentials_uri: String,
    #[serde(default)]
    region_id: String,
}

/// One CLI profile, every field the credential modes use; empty strings are `None`, and the
/// secrets are [`Secret`]s, so `Debug` shows none of them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CliProfile {
    /// The profile's name.
    pub name: String,
    /// The credential mode: `AK` (also when empty, as old CLI versions wrote), `StsToken`,
    /// `RamRoleArn`, `EcsRamRole`, `ChainableRamRoleArn`, `OIDC`, `CredentialsURI`, …
    pub mode: String,
    /// `access_key_id`.
    pub access_key_id: Option<String>,
    /// `access_key_secret`.
    pub access_key_secret: Option<Secret>,
    /// `sts_token` (mode `StsToken`).
    pub sts_token: Option<Secret>,
    /// `sts_region`: the region of the STS endpoint for the role modes.
    pub sts_region: Option<String>,
    /// `ram_role_name` (mode `EcsRamRole`).
    pub ram_role_name: Option<String>,
    /// `ram_role_arn` (modes `RamRoleArn`, `ChainableRamRoleArn`, `OIDC`).
    pub ram_role_arn: Option<String>,
    /// `ram_session_name`.
    pub ram_session_name: Option<String>,
    /// `external_id` (AssumeRole's `ExternalId`).
    pub external_id: Option<String>,
    /// `source_profile` (mode `ChainableRamRoleArn`).
    pub source_profile: Option<String>,
    /// `expired_seconds`: how long assumed-role credentials should last.
    pub expired_seconds: Option<u64>,
    /// `oidc_provider_arn` (mode `OIDC`).
    pub oidc_provider_arn: Option<String>,
    /// `oidc_token_file` (mode `OIDC`).
    pub oidc_token_file: Option<PathBuf>,
    /// `credentials_uri` (mode `CredentialsURI`).
    pub credentials_uri: Option<String>,
    /// `region_id`: the profile's default region.
    pub region_id: Option<String>,
}

fn some(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl CliProfile {
    fn from_raw(raw: RawProfile) -> Self {
        // `expired_seconds` is a number in the CLI's files; a string of digits is taken too,
        // anything else (0, negative) means "unset".
        let expired_seconds = match raw.expired_seconds {
            Some(serde_json::Value::Number(n)) => n.as_u64(),
            Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        }
        .filter(|&n| n > 0);
        Self {
            name: raw.name,
            mode: raw.mode.trim().to_owned(),
            access_key_id: some(raw.access_key_id),
            access_key_secret: some(raw.access_key_secret).map(Secret::new),
            sts_token: some(raw.sts_token).map(Secret::new),
            sts_region: some(raw.sts_region),
            ram_role_name: some(raw.ram_role_name),
            ram_role_arn: some(raw.ram_role_arn),
            ram_session_name: some(raw.ram_session_name),
            external_id: some(raw.external_id),
            source_profile: some(raw.source_profile),
            expired_seconds,
            oidc_provider_arn: some(raw.oidc_provider_arn),
            oidc_token_file: some(raw.oidc_token_file).map(PathBuf::from),
            credentials_uri: some(raw.credentials_uri),
            region_id: some(raw.region_id),
        }
    }

    /// The error for a field this profile's mode needs and lacks, naming the profile, the
    /// file and the mode.
    pub fn missing(&self, file: &FsPath, field: &str) -> CredentialsError {
        CredentialsError::new(format!(
            "profile `{}` in {} (mode {}) has no {field}",
            self.name,
            file.display(),
            if self.mode.is_empty() {
                "AK"
            } else {
                &self.mode
            }
        ))
    }

    /// A required text field, or the [`CliProfile::missing`] error.
    pub fn require<'a>(
        &self,
        file: &FsPath,
        field: &str,
        value: &'a Option<String>,
    ) -> Result<&'a str, CredentialsError> {
        value.as_deref().ok_or_else(|| self.missing(file, field))
    }

    /// The profile's access key pair (`access_key_id`, `access_key_secret`), with
    /// `sts_token` when `with_token`.
    pub fn key_pair(
        &self,
        file: &FsPath,
        with_token: bool,
    ) -> Result<Credentials, CredentialsError> {
        let id = self.require(file, "access_key_id", &self.access_key_id)?;
        let secret = self
            .access_key_secret
            .as_ref()
            .ok_or_else(|| self.missing(file, "access_key_secret"))?;
        let creds = Credentials::new(id, secret.clone()).with_source("profile");
        if !with_token {
            return Ok(creds);
        }
        let token = self
            .sts_token
            .as_ref()
            .ok_or_else(|| self.missing(file, "sts_token"))?;
        Ok(creds.with_security_token(token.clone()))
    }
}

/// The CLI's whole configuration file, parsed.
#[derive(Clone, Debug)]
pub struct CliConfigFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its `current` profile, if set.
    pub current: Option<String>,
    /// Its profiles, in file order.
    pub profiles: Vec<CliProfile>,
    /// A hash of the file's bytes, kept in memory only: tells a caller that caches what it
    /// built from the file whether the file changed, without reading it again.
    pub digest: u64,
}

impl CliConfigFile {
    /// Reads and parses `path`. A missing file is [`CredentialsError::not_found`]; an
    /// unreadable or malformed one is an error that says where, never what (the file holds
    /// secrets).
    pub fn read(path: &FsPath) -> Result<Self, CredentialsError> {
        let shown = path.display();
        let bytes = std::fs::read(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                CredentialsError::not_found(format!("no CLI config file at {shown}"))
            } else {
                CredentialsError::new(format!("cannot read CLI config file {shown}: {e}"))
            }
        })?;
        // serde_json's messages can quote the offending value, which may be a secret: report
        // only where the file is malformed.
        let raw: RawConfig = serde_json::from_slice(&bytes).map_err(|e| {
            CredentialsError::new(format!(
                "CLI config file {shown} is not valid ({:?} error at line {}, column {})",
                e.classify(),
                e.line(),
                e.column()
            ))
        })?;
        let digest = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut h);
            h.finish()
        };
        Ok(Self {
            digest,
            path: path.to_owned(),
            current: some(raw.current),
            profiles: raw.profiles.into_iter().map(CliProfile::from_raw).collect(),
        })
    }

    /// The profile called `name`, or an error naming it and the file.
    pub fn profile(&self, name: &str) -> Result<&CliProfile, CredentialsError> {
        self.profiles
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| {
                CredentialsError::new(format!(
                    "CLI config file {} has no profile `{name}`",
                    self.path.display()
                ))
            })
    }
}

/// Credentials from a profile of the Alibaba Cloud CLI's configuration file,
/// `~/.aliyun/config.json`:
///
/// ```json
/// {"current": "default",
///  "profiles": [{"name": "default", "mode": "AK", "access_key_id": "…",
///                "access_key_secret": "…", "region_id": "cn-hangzhou"}]}
/// ```
///
/// The profile is the one set with [`ProfileProvider::with_profile`], else the one named by
/// `ALIBABA_CLOUD_PROFILE`, else the file's `current`, else `default`. This provider serves
/// modes `AK` (`access_key_id`, `access_key_secret`) and `StsToken` (plus `sts_token`); a
/// profile in a mode that needs STS, the metadata service or a URI is an error naming the mode,
/// the profile and `alicloud-credentials`, whose provider serves every mode. The file is read
/// at every call, so edits by `aliyun configure` are seen.
#[derive(Clone, Debug)]
pub struct ProfileProvider {
    path: Option<PathBuf>,
    profile: Option<String>,
    env: EnvLookup,
}

impl ProfileProvider {
    /// The CLI file under the home directory, profile chosen through the process environment.
    pub fn from_env() -> Self {
        Self {
            path: None,
            profile: None,
            env: EnvLookup::process(),
        }
    }

    /// Reads `HOME`, `ALIBABA_CLOUD_PROFILE` and `ALIBABA_CLOUD_CLI_PROFILE_DISABLED` through
    /// `env` instead of the process environment.
    pub fn with_lookup(mut self, env: EnvLookup) -> Self {
        self.env = env;
        self
    }

    /// Reads this file instead of `~/.aliyun/config.json`.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Uses this profile, whatever the environment and the file's `current` say.
    pub fn with_profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// The file that will be read.
    pub fn config_path(&self) -> Result<PathBuf, CredentialsError> {
        if let Some(p) = &self.path {
            return Ok(p.clone());
        }
        let home = self
            .env
            .get("HOME")
            .or_else(|| self.env.get("USERPROFILE"))
            .ok_or_else(|| {
                CredentialsError::not_found(
                    "no home directory (HOME is not set) to find .aliyun/config.json",
                )
            })?;
        Ok(FsPath::new(&home).join(".aliyun").join("config.json"))
    }

    /// Reads the file and picks the selected profile: the parsed file and the profile's name.
    /// Disabled by `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true` (unless a path was set) or a
    /// missing file: [`CredentialsError::not_found`].
    pub fn select(&self) -> Result<(CliConfigFile, String), CredentialsError> {
        if self.path.is_none() && self.env.is_true(ENV_CLI_PROFILE_DISABLED) {
            return Err(CredentialsError::not_found(format!(
                "the CLI profile is disabled by {ENV_CLI_PROFILE_DISABLED}"
            )));
        }
        let file = CliConfigFile::read(&self.config_path()?)?;
        let name = self.profile_name(&file);
        file.profile(&name)?;
        Ok((file, name))
    }

    /// The selected profile's name: set, else `ALIBABA_CLOUD_PROFILE`, else the file's
    /// `current`, else `default`.
    fn profile_name(&self, file: &CliConfigFile) -> String {
        self.profile
            .clone()
            .or_else(|| self.env.get(ENV_PROFILE))
            .or_else(|| file.current.clone())
            .unwrap_or_else(|| "default".to_owned())
    }

    /// Reads the file and returns the selected profile's credentials (modes `AK` and
    /// `StsToken`).
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let (file, name) = self.select()?;
        let profile = file.profile(&name)?;
        let shown = file.path.display();
        match profile.mode.as_str() {
            // Old CLI versions wrote no mode for access key profiles.
            "AK" | "" => profile.key_pair(&file.path, false),
            "StsToken" => profile.key_pair(&file.path, true),
            mode @ ("RamRoleArn"
            | "EcsRamRole"
            | "ChainableRamRoleArn"
            | "OIDC"
            | "CredentialsURI") => Err(CredentialsError::new(format!(
                "profile `{name}` in {shown} uses mode `{mode}`, which the runtime's provider \
                 does not serve (it serves AK and StsToken); the `alicloud-credentials` crate's \
                 chain serves every CLI mode"
            ))),
            other => Err(CredentialsError::new(format!(
                "profile `{name}` in {shown} uses mode `{other}`, which this client does not \
                 support (supported: {CLI_MODES})"
            ))),
        }
    }
}

impl ProfileProvider {
    /// The `region_id` of the selected profile (chosen as for [`ProfileProvider::load`]), for
    /// the client's region: `None` when the profile is disabled, there is no file, the profile
    /// does not exist or gives no region; an error when the file cannot be read or parsed.
    pub fn region_id(&self) -> Result<Option<String>, CredentialsError> {
        if self.path.is_none() && self.env.is_true(ENV_CLI_PROFILE_DISABLED) {
            return Ok(None);
        }
        let Ok(path) = self.config_path() else {
            return Ok(None);
        };
        let file = match CliConfigFile::read(&path) {
            Ok(f) => f,
            Err(e) if e.is_not_found() => return Ok(None),
            Err(e) => return Err(e),
        };
        let name = self.profile_name(&file);
        Ok(file
            .profiles
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.region_id.clone()))
    }
}

impl ProvideCredentials for ProfileProvider {
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
    fn profile_uses_current_then_env_then_explicit_name() {
        let dir = TempDir::new("profile");
        dir.write(".aliyun/config.json", &cli_config());
        let home = dir.0.to_string_lossy().into_owned();

        // `current` is `dev` (StsToken); path found through HOME.
        let p = ProfileProvider::from_env()
            .with_lookup(EnvLookup::from_pairs([("HOME", home.clone())]));
        let c = p.load().unwrap();
        assert_eq!(c.access_key_id(), "STS.AKDEV");
        assert_eq!(c.security_token().map(Secret::expose), Some(TOKEN));
        assert_eq!(c.source(), "profile");

        // ALIBABA_CLOUD_PROFILE overrides `current`.
        let p = ProfileProvider::from_env().with_lookup(EnvLookup::from_pairs([
            ("HOME", home.clone()),
            (ENV_PROFILE, "default".to_owned()),
        ]));
        let c = block_on(p.provide()).unwrap();
        assert_eq!(c.access_key_id(), "AKDEFAULT");
        assert_eq!(c.access_key_secret().expose(), SECRET);
        assert!(c.security_token().is_none());

        // An explicit name overrides both.
        let p = p.with_profile("dev");
        assert_eq!(p.load().unwrap().access_key_id(), "STS.AKDEV");
        assert_no_secret(&format!("{p:?}"));
    }

    #[test]
    fn profile_region_is_the_selected_profiles() {
        let dir = TempDir::new("region");
        let path = dir.write("config.json", &cli_config());
        let p = ProfileProvider::from_env().with_path(&path);
        // `current` is `dev`.
        assert_eq!(p.region_id().unwrap().as_deref(), Some("cn-shanghai"));
        let p = p.with_profile("default");
        assert_eq!(p.region_id().unwrap().as_deref(), Some("cn-hangzhou"));
        assert_eq!(p.clone().with_profile("role").region_id().unwrap(), None);
        assert_eq!(p.clone().with_profile("nobody").region_id().unwrap(), None);
        let missing = ProfileProvider::from_env().with_path(dir.0.join("missing.json"));
        assert_eq!(missing.region_id().unwrap(), None);
        let broken = dir.write("broken.json", &format!(r#"{{"profiles": ["{SECRET}"]}}"#));
        let e = ProfileProvider::from_env()
            .with_path(&broken)
            .region_id()
            .unwrap_err();
        assert!(e.to_string().contains("is not valid"), "{e}");
        assert_no_secret(&e.to_string());
    }

    #[test]
    fn profile_refuses_other_modes_by_name() {
        let dir = TempDir::new("modes");
        let path = dir.write("config.json", &cli_config());
        for (profile, mode) in [
            ("role", "RamRoleArn"),
            ("ecs", "EcsRamRole"),
            ("chain", "ChainableRamRoleArn"),
        ] {
            let e = ProfileProvider::from_env()
                .with_path(&path)
                .with_profile(profile)
                .load()
                .unwrap_err();
            let text = e.to_string();
            assert!(text.contains(&format!("`{mode}`")), "{text}");
            assert!(text.contains(&format!("profile `{profile}`")), "{text}");
            assert_no_secret(&text);
        }
        let e = ProfileProvider::from_env()
            .with_path(&path)
            .with_profile("half")
            .load()
            .unwrap_err();
        assert!(e.to_string().contains("has no sts_token"), "{e}");
        let e = ProfileProvider::from_env()
            .with_path(&path)
            .with_profile("nobody")
            .load()
            .unwrap_err();
        assert!(e.to_string().contains("no profile `nobody`"), "{e}");
    }

    #[test]
    fn profile_file_errors_never_quote_the_file() {
        let dir = TempDir::new("broken");
        // A secret where a string is not expected: serde_json would quote it.
        let path = dir.write(
            "config.json",
            &format!(r#"{{"current": "x", "profiles": [{{"name": "x", "access_key_secret": ["{SECRET}"]}}]}}"#),
        );
        let e = ProfileProvider::from_env()
            .with_path(&path)
            .load()
            .unwrap_err();
        assert!(e.to_string().contains("is not valid"), "{e}");
        assert_no_secret(&format!("{e} {e:?}"));

        let e = ProfileProvider::from_env()
            .with_path(dir.0.join("missing.json"))
            .load()
            .unwrap_err();
        assert!(e.to_string().contains("no CLI config file at"), "{e}");

        let e = ProfileProvider::from_env()
            .with_lookup(EnvLookup::from_pairs([
                ("HOME", "/nonexistent"),
                (ENV_CLI_PROFILE_DISABLED, "true"),
            ]))
            .load()
            .unwrap_err();
        assert!(e.to_string().contains("disabled"), "{e}");
    }
}
