//! The CLI profile provider: the Alibaba Cloud CLI's `~/.aliyun/config.json`, profiles in
//! modes `AK` and `StsToken`. Other modes are refused by name: each needs a provider of its own.

use std::path::{Path as FsPath, PathBuf};

use super::base::{ready, Credentials, CredentialsError, ProvideCredentials};
use super::lookup::EnvLookup;
use crate::transport::BoxFuture;

/// The CLI profile to use, overriding the config file's `current`.
pub const ENV_PROFILE: &str = "ALIBABA_CLOUD_PROFILE";
/// `true` turns the CLI profile provider off in [`ProfileProvider::from_env`].
pub const ENV_CLI_PROFILE_DISABLED: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";

/// The parts of the CLI's `config.json` this crate reads. Not `Debug`: it holds secrets.
#[derive(serde::Deserialize)]
struct CliConfig {
    #[serde(default)]
    current: String,
    #[serde(default)]
    profiles: Vec<CliProfile>,
}

#[derive(serde::Deserialize)]
struct CliProfile {
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
    region_id: String,
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
/// `ALIBABA_CLOUD_PROFILE`, else the file's `current`, else `default`. Modes `AK`
/// (`access_key_id`, `access_key_secret`) and `StsToken` (plus `sts_token`) are supported; any
/// other mode (`RamRoleArn`, `EcsRamRole`, `ChainableRamRoleArn`, …) is an error naming the mode
/// and the profile. The file is read at every call, so edits by `aliyun configure` are seen.
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
                CredentialsError::new(
                    "no home directory (HOME is not set) to find .aliyun/config.json",
                )
            })?;
        Ok(FsPath::new(&home).join(".aliyun").join("config.json"))
    }

    /// Reads the file and returns the selected profile's credentials.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        if self.path.is_none() && self.env.is_true(ENV_CLI_PROFILE_DISABLED) {
            return Err(CredentialsError::new(format!(
                "the CLI profile is disabled by {ENV_CLI_PROFILE_DISABLED}"
            )));
        }
        let path = self.config_path()?;
        let shown = path.display();
        let bytes = std::fs::read(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                CredentialsError::new(format!("no CLI config file at {shown}"))
            } else {
                CredentialsError::new(format!("cannot read CLI config file {shown}: {e}"))
            }
        })?;
        // serde_json's messages can quote the offending value, which may be a secret: report
        // only where the file is malformed.
        let config: CliConfig = serde_json::from_slice(&bytes).map_err(|e| {
            CredentialsError::new(format!(
                "CLI config file {shown} is not valid ({:?} error at line {}, column {})",
                e.classify(),
                e.line(),
                e.column()
            ))
        })?;
        let name = self
            .profile
            .clone()
            .or_else(|| self.env.get(ENV_PROFILE))
            .or_else(|| Some(config.current.trim().to_owned()).filter(|c| !c.is_empty()))
            .unwrap_or_else(|| "default".to_owned());
        let profile = config
            .profiles
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| {
                CredentialsError::new(format!("CLI config file {shown} has no profile `{name}`"))
            })?;
        let missing = |field: &str| {
            CredentialsError::new(format!(
                "profile `{name}` in {shown} (mode {}) has no {field}",
                profile.mode
            ))
        };
        let key_pair = || -> Result<Credentials, CredentialsError> {
            if profile.access_key_id.trim().is_empty() {
                return Err(missing("access_key_id"));
            }
            if profile.access_key_secret.trim().is_empty() {
                return Err(missing("access_key_secret"));
            }
            Ok(Credentials::new(
                profile.access_key_id.trim(),
                profile.access_key_secret.trim(),
            )
            .with_source("profile"))
        };
        match profile.mode.as_str() {
            // Old CLI versions wrote no mode for access key profiles.
            "AK" | "" => key_pair(),
            "StsToken" => {
                let creds = key_pair()?;
                if profile.sts_token.trim().is_empty() {
                    return Err(missing("sts_token"));
                }
                Ok(creds.with_security_token(profile.sts_token.trim()))
            }
            other => Err(CredentialsError::new(format!(
                "profile `{name}` in {shown} uses mode `{other}`, which this client does not \
                 support (supported: AK, StsToken)"
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
        let shown = path.display();
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(CredentialsError::new(format!(
                    "cannot read CLI config file {shown}: {e}"
                )))
            }
        };
        // As in `load`: never quote the file, which holds secrets.
        let config: CliConfig = serde_json::from_slice(&bytes).map_err(|e| {
            CredentialsError::new(format!(
                "CLI config file {shown} is not valid ({:?} error at line {}, column {})",
                e.classify(),
                e.line(),
                e.column()
            ))
        })?;
        let name = self
            .profile
            .clone()
            .or_else(|| self.env.get(ENV_PROFILE))
            .or_else(|| Some(config.current.trim().to_owned()).filter(|c| !c.is_empty()))
            .unwrap_or_else(|| "default".to_owned());
        Ok(config
            .profiles
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.region_id.trim())
            .filter(|r| !r.is_empty())
            .map(str::to_owned))
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
