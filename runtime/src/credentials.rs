//! Credentials: an access key pair, optionally with an STS security token and an expiry, and
//! the providers that find them.
//!
//! | Provider | Where it looks |
//! |---|---|
//! | [`Credentials`] | itself (static credentials) |
//! | [`EnvironmentProvider`] | `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, optional `ALIBABA_CLOUD_SECURITY_TOKEN` |
//! | [`ProfileProvider`] | the Alibaba Cloud CLI file `~/.aliyun/config.json` (modes `AK` and `StsToken`) |
//! | [`ImdsProvider`] | the ECS instance metadata service (instance RAM role), cached and refreshed |
//! | [`DefaultChain`] | the three above, in that order |
//!
//! Secrets never show in `Debug`, `Display`, error messages or logs: [`Secret`] redacts itself,
//! every provider's `Debug` leaves credentials out, and error messages are built from names,
//! paths and status codes only, never from the values read.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path as FsPath, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::transport::{BoxFuture, HttpRequest, Transport};

/// A secret string: readable on purpose with [`Secret::expose`], redacted everywhere else.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps `s`.
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }

    /// The secret itself, for signing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

/// An access key (and for temporary credentials, a security token and an expiry).
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: Secret,
    security_token: Option<Secret>,
    expiry: Option<SystemTime>,
    source: &'static str,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &self.access_key_secret)
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .field("expiry", &self.expiry)
            .field("source", &self.source)
            .finish()
    }
}

impl Credentials {
    /// Long-lived access key credentials.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<Secret>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
            expiry: None,
            source: "static",
        }
    }

    /// Adds an STS security token.
    pub fn with_security_token(mut self, token: impl Into<Secret>) -> Self {
        self.security_token = Some(token.into());
        self
    }

    /// Sets when the credentials stop working.
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// Names where the credentials came from (for diagnostics).
    pub fn with_source(mut self, source: &'static str) -> Self {
        self.source = source;
        self
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The access key secret.
    pub fn access_key_secret(&self) -> &Secret {
        &self.access_key_secret
    }

    /// The STS token, for temporary credentials.
    pub fn security_token(&self) -> Option<&Secret> {
        self.security_token.as_ref()
    }

    /// When the credentials expire, for temporary credentials.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }

    /// Where the credentials came from.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether the credentials stop working within `window` of `now` (never, for credentials
    /// without an expiry).
    pub fn expires_within(&self, window: Duration, now: SystemTime) -> bool {
        match self.expiry {
            None => false,
            Some(expiry) => match expiry.duration_since(now) {
                Ok(left) => left <= window,
                Err(_) => true,
            },
        }
    }
}

/// No usable credentials were found; the message says what was tried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialsError {
    message: String,
}

impl CredentialsError {
    /// A new error. `message` must not contain any secret.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CredentialsError {}

/// Finds credentials, possibly asynchronously (the instance metadata service), possibly
/// refreshing them before they expire.
pub trait ProvideCredentials: Send + Sync + fmt::Debug + 'static {
    /// Current, usable credentials.
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

impl ProvideCredentials for Credentials {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let c = self.clone();
        Box::pin(async move { Ok(c) })
    }
}

// ---------------------------------------------------------------------------------------------
// Environment lookups
// ---------------------------------------------------------------------------------------------

/// The access key id variable.
pub const ENV_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// The access key secret variable.
pub const ENV_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// The STS security token variable (optional).
pub const ENV_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";
/// The CLI profile to use, overriding the config file's `current`.
pub const ENV_PROFILE: &str = "ALIBABA_CLOUD_PROFILE";
/// `true` turns the CLI profile provider off in [`ProfileProvider::from_env`].
pub const ENV_CLI_PROFILE_DISABLED: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";
/// The ECS instance RAM role name, so that the metadata service need not be asked for it.
pub const ENV_ECS_METADATA_ROLE: &str = "ALIBABA_CLOUD_ECS_METADATA";
/// `true` leaves the metadata service out of the [`DefaultChain`].
pub const ENV_ECS_METADATA_DISABLED: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
/// `true` makes the metadata-service session token mandatory (hardened mode only).
pub const ENV_IMDSV1_DISABLED: &str = "ALIBABA_CLOUD_IMDSV1_DISABLED";

type LookupFn = dyn Fn(&str) -> Option<String> + Send + Sync;

/// Reads environment variables: the process environment, or a function or map standing in for
/// it (so that tests never mutate the process environment). Empty values count as unset.
#[derive(Clone)]
pub struct EnvLookup(Arc<LookupFn>);

impl EnvLookup {
    /// The process environment.
    pub fn process() -> Self {
        Self(Arc::new(|name| std::env::var(name).ok()))
    }

    /// Variables answered by `f`.
    pub fn from_fn(f: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }

    /// Variables from `(name, value)` pairs.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let map: HashMap<String, String> = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Self(Arc::new(move |name| map.get(name).cloned()))
    }

    /// The value of `name`, if set and not empty.
    pub fn get(&self, name: &str) -> Option<String> {
        (self.0)(name).filter(|v| !v.trim().is_empty())
    }

    fn is_true(&self, name: &str) -> bool {
        self.get(name)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }
}

impl fmt::Debug for EnvLookup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EnvLookup")
    }
}

fn ready<T: Send + 'static>(value: T) -> BoxFuture<'static, T> {
    Box::pin(std::future::ready(value))
}

// ---------------------------------------------------------------------------------------------
// Environment provider
// ---------------------------------------------------------------------------------------------

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
                return Err(CredentialsError::new(format!(
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

// ---------------------------------------------------------------------------------------------
// CLI profile provider
// ---------------------------------------------------------------------------------------------

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

impl ProvideCredentials for ProfileProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        ready(self.load())
    }
}

// ---------------------------------------------------------------------------------------------
// Instance metadata service provider
// ---------------------------------------------------------------------------------------------

/// Whether the metadata service is asked for a session token first (its hardened mode).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImdsTokenMode {
    /// Ask for a token and send it; carry on without one if that fails (the default, as in
    /// Alibaba's own SDKs).
    #[default]
    Preferred,
    /// Ask for a token; fail if none can be had (instances that only allow hardened mode).
    Required,
    /// Never ask for a token.
    Disabled,
}

/// The metadata service's answer for a role. Not `Debug`: it holds secrets.
#[derive(serde::Deserialize)]
struct ImdsCredentials {
    #[serde(rename = "Code")]
    code: Option<String>,
    #[serde(rename = "AccessKeyId")]
    access_key_id: Option<String>,
    #[serde(rename = "AccessKeySecret")]
    access_key_secret: Option<String>,
    #[serde(rename = "SecurityToken")]
    security_token: Option<String>,
    #[serde(rename = "Expiration")]
    expiration: Option<String>,
}

/// The temporary credentials of the ECS instance's RAM role, from the instance metadata service
/// (`http://100.100.100.200` by default).
///
/// Flow: `PUT /latest/api/token` with `X-aliyun-ecs-metadata-token-ttl-seconds` for a session
/// token (see [`ImdsTokenMode`]), sent back as `X-aliyun-ecs-metadata-token`; `GET
/// /latest/meta-data/ram/security-credentials/` for the role name unless one is configured;
/// `GET /latest/meta-data/ram/security-credentials/<role>` for `AccessKeyId`,
/// `AccessKeySecret`, `SecurityToken` and `Expiration`.
///
/// Requests go through any [`Transport`]. The credentials are cached and fetched again when
/// less than [`ImdsProvider::with_refresh_before`] (5 minutes by default) remain; if that
/// refresh fails while the cached credentials are still valid, those are used and a warning is
/// logged. Concurrent callers share one refresh.
pub struct ImdsProvider {
    transport: Arc<dyn Transport>,
    base_url: String,
    role_name: Option<String>,
    token_mode: ImdsTokenMode,
    token_ttl: Duration,
    refresh_before: Duration,
    request_timeout: Duration,
    cache: tokio::sync::Mutex<Option<Credentials>>,
}

impl fmt::Debug for ImdsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImdsProvider")
            .field("base_url", &self.base_url)
            .field("role_name", &self.role_name)
            .field("token_mode", &self.token_mode)
            .field("refresh_before", &self.refresh_before)
            .finish_non_exhaustive()
    }
}

/// The metadata service's address on ECS.
pub const IMDS_DEFAULT_BASE_URL: &str = "http://100.100.100.200";
const IMDS_TOKEN_PATH: &str = "/latest/api/token";
const IMDS_ROLE_PATH: &str = "/latest/meta-data/ram/security-credentials/";

impl ImdsProvider {
    /// A provider sending its requests through `transport`.
    pub fn new(transport: impl Transport) -> Self {
        Self::from_arc(Arc::new(transport))
    }

    /// As [`ImdsProvider::new`], from a shared transport.
    pub fn from_arc(transport: Arc<dyn Transport>) -> Self {
        Self {
            transport,
            base_url: IMDS_DEFAULT_BASE_URL.to_owned(),
            role_name: None,
            token_mode: ImdsTokenMode::default(),
            token_ttl: Duration::from_secs(21_600),
            refresh_before: Duration::from_secs(300),
            request_timeout: Duration::from_secs(2),
            cache: tokio::sync::Mutex::new(None),
        }
    }

    /// Applies `ALIBABA_CLOUD_ECS_METADATA` (role name) and `ALIBABA_CLOUD_IMDSV1_DISABLED`
    /// (`true`: token required) from `env`.
    pub fn configured_from(mut self, env: &EnvLookup) -> Self {
        if let Some(role) = env.get(ENV_ECS_METADATA_ROLE) {
            self.role_name = Some(role.trim().to_owned());
        }
        if env.is_true(ENV_IMDSV1_DISABLED) {
            self.token_mode = ImdsTokenMode::Required;
        }
        self
    }

    /// The service's base URL (scheme, host and port; default `http://100.100.100.200`).
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into().trim_end_matches('/').to_owned();
        self
    }

    /// Uses this role instead of asking the service which role the instance has.
    pub fn with_role_name(mut self, role: impl Into<String>) -> Self {
        self.role_name = Some(role.into());
        self
    }

    /// Whether to use the hardened mode's session token.
    pub fn with_token_mode(mut self, mode: ImdsTokenMode) -> Self {
        self.token_mode = mode;
        self
    }

    /// Lifetime asked for the session token (default 6 hours).
    pub fn with_token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl;
        self
    }

    /// Fetch new credentials when less than this remains (default 5 minutes).
    pub fn with_refresh_before(mut self, window: Duration) -> Self {
        self.refresh_before = window;
        self
    }

    /// Time allowed for each request to the service (default 2 s), whatever the transport's.
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    fn request(
        &self,
        method: http::Method,
        path: &str,
        headers: &[(&'static str, &str)],
    ) -> Result<HttpRequest, CredentialsError> {
        let url = format!("{}{path}", self.base_url);
        let mut builder = http::Request::builder().method(method).uri(url.as_str());
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Vec::new()).map_err(|_| {
            CredentialsError::new(format!(
                "instance metadata service: `{}` does not make a valid request URL",
                self.base_url
            ))
        })
    }

    /// Sends one request; returns status and body.
    async fn send(&self, req: HttpRequest, what: &str) -> Result<(u16, Vec<u8>), CredentialsError> {
        let fut = self.transport.send(req);
        let resp = match tokio::time::timeout(self.request_timeout, fut).await {
            Ok(Ok(resp)) => resp,
            Ok(Err(e)) => {
                return Err(CredentialsError::new(format!(
                    "instance metadata service at {}: {what}: {e}",
                    self.base_url
                )))
            }
            Err(_) => {
                return Err(CredentialsError::new(format!(
                    "instance metadata service at {}: {what}: no answer within {:?}",
                    self.base_url, self.request_timeout
                )))
            }
        };
        let status = resp.status().as_u16();
        Ok((status, resp.into_body()))
    }

    async fn session_token(&self) -> Result<Secret, CredentialsError> {
        let ttl = self.token_ttl.as_secs().max(1).to_string();
        let req = self.request(
            http::Method::PUT,
            IMDS_TOKEN_PATH,
            &[("X-aliyun-ecs-metadata-token-ttl-seconds", &ttl)],
        )?;
        let (status, body) = self.send(req, "getting a session token").await?;
        if status != 200 {
            return Err(CredentialsError::new(format!(
                "instance metadata service at {}: getting a session token: HTTP {status}",
                self.base_url
            )));
        }
        let token = String::from_utf8(body).unwrap_or_default();
        let token = token.trim();
        if token.is_empty() {
            return Err(CredentialsError::new(format!(
                "instance metadata service at {}: empty session token",
                self.base_url
            )));
        }
        Ok(Secret::new(token))
    }

    async fn get(
        &self,
        path: &str,
        token: Option<&Secret>,
        what: &str,
    ) -> Result<(u16, Vec<u8>), CredentialsError> {
        let headers: Vec<(&'static str, &str)> = match token {
            Some(t) => vec![("X-aliyun-ecs-metadata-token", t.expose())],
            None => Vec::new(),
        };
        let req = self.request(http::Method::GET, path, &headers)?;
        self.send(req, what).await
    }

    /// Asks the service for fresh credentials, bypassing the cache.
    pub async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let base = &self.base_url;
        let token = match self.token_mode {
            ImdsTokenMode::Disabled => None,
            ImdsTokenMode::Required => Some(self.session_token().await?),
            ImdsTokenMode::Preferred => match self.session_token().await {
                Ok(t) => Some(t),
                Err(e) => {
                    tracing::debug!(error = %e, "no metadata session token; going on without one");
                    None
                }
            },
        };
        let role = match &self.role_name {
            Some(r) => r.trim().to_owned(),
            None => {
                let (status, body) = self
                    .get(IMDS_ROLE_PATH, token.as_ref(), "getting the RAM role name")
                    .await?;
                if status == 404 {
                    return Err(CredentialsError::new(format!(
                        "instance metadata service at {base}: the instance has no RAM role (HTTP 404)"
                    )));
                }
                if status != 200 {
                    return Err(CredentialsError::new(format!(
                        "instance metadata service at {base}: getting the RAM role name: HTTP {status}"
                    )));
                }
                let text = String::from_utf8_lossy(&body);
                text.lines().next().unwrap_or("").trim().to_owned()
            }
        };
        if role.is_empty() {
            return Err(CredentialsError::new(format!(
                "instance metadata service at {base}: the instance has no RAM role"
            )));
        }
        let mut path = IMDS_ROLE_PATH.to_owned();
        crate::wire::encode_rfc3986(&role, &mut path);
        let what = format!("getting credentials of RAM role `{role}`");
        let (status, body) = self.get(&path, token.as_ref(), &what).await?;
        if status != 200 {
            // The body is not quoted: it would be the credentials on a half-broken answer.
            return Err(CredentialsError::new(format!(
                "instance metadata service at {base}: {what}: HTTP {status}"
            )));
        }
        let parsed: ImdsCredentials = serde_json::from_slice(&body).map_err(|e| {
            CredentialsError::new(format!(
                "instance metadata service at {base}: {what}: the answer is not the expected JSON \
                 ({:?} error at line {}, column {})",
                e.classify(),
                e.line(),
                e.column()
            ))
        })?;
        let code = parsed.code.as_deref().unwrap_or("");
        if code != "Success" {
            let code: String = code
                .chars()
                .filter(|c| c.is_ascii_graphic())
                .take(64)
                .collect();
            return Err(CredentialsError::new(format!(
                "instance metadata service at {base}: {what}: Code is `{code}`, not `Success`"
            )));
        }
        let field = |v: Option<String>, name: &str| {
            v.map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .ok_or_else(|| {
                    CredentialsError::new(format!(
                        "instance metadata service at {base}: {what}: the answer has no {name}"
                    ))
                })
        };
        let id = field(parsed.access_key_id, "AccessKeyId")?;
        let secret = field(parsed.access_key_secret, "AccessKeySecret")?;
        let token = field(parsed.security_token, "SecurityToken")?;
        let expiration = field(parsed.expiration, "Expiration")?;
        let expiry = time::OffsetDateTime::parse(
            &expiration,
            &time::format_description::well_known::Rfc3339,
        )
        .map(SystemTime::from)
        .map_err(|_| {
            CredentialsError::new(format!(
                "instance metadata service at {base}: {what}: Expiration `{expiration}` is not an \
                 RFC 3339 date"
            ))
        })?;
        Ok(Credentials::new(id, secret)
            .with_security_token(token)
            .with_expiry(expiry)
            .with_source("ecs-ram-role"))
    }

    async fn cached_or_fetch(&self) -> Result<Credentials, CredentialsError> {
        let mut cache = self.cache.lock().await;
        let now = SystemTime::now();
        if let Some(c) = cache.as_ref() {
            if !c.expires_within(self.refresh_before, now) {
                return Ok(c.clone());
            }
        }
        match self.fetch().await {
            Ok(fresh) => {
                if fresh.expires_within(Duration::ZERO, SystemTime::now()) {
                    return Err(CredentialsError::new(format!(
                        "instance metadata service at {}: the credentials it gave have already \
                         expired (is the local clock right?)",
                        self.base_url
                    )));
                }
                *cache = Some(fresh.clone());
                Ok(fresh)
            }
            Err(e) => match cache.as_ref() {
                Some(c) if !c.expires_within(Duration::ZERO, SystemTime::now()) => {
                    tracing::warn!(error = %e, "refreshing instance RAM role credentials failed; using the cached ones until they expire");
                    Ok(c.clone())
                }
                _ => Err(e),
            },
        }
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.cached_or_fetch())
    }
}

// ---------------------------------------------------------------------------------------------
// Default chain
// ---------------------------------------------------------------------------------------------

/// Tries providers in order and uses the first that gives credentials: by default the
/// environment ([`EnvironmentProvider`]), the CLI profile ([`ProfileProvider`]), then the
/// instance metadata service ([`ImdsProvider`], left out when
/// `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`).
///
/// The provider that worked is asked first on later calls; should it fail, the whole chain is
/// tried again. When none works, the error lists each provider tried and why it failed.
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
                Arc::new(ImdsProvider::from_arc(imds_transport).configured_from(&env)),
            ));
        }
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
                        tracing::debug!(provider = *name, error = %e, "credentials provider stopped working; trying the chain again");
                        self.remember(None);
                    }
                }
            }
        }
        let mut failures = Vec::with_capacity(self.providers.len());
        for (i, (name, p)) in self.providers.iter().enumerate() {
            match p.provide().await {
                Ok(c) => {
                    tracing::debug!(provider = *name, "credentials found");
                    self.remember(Some(i));
                    return Ok(c);
                }
                Err(e) => failures.push(format!("{name}: {e}")),
            }
        }
        if failures.is_empty() {
            return Err(CredentialsError::new(
                "no credentials: the credentials chain has no providers",
            ));
        }
        Err(CredentialsError::new(format!(
            "no credentials found; tried {}",
            failures.join("; ")
        )))
    }
}

#[cfg(feature = "reqwest")]
impl DefaultChain {
    /// The standard chain over the process environment, reaching the metadata service with a
    /// [`crate::reqwest_transport::ReqwestTransport`] that uses no proxy and gives up after 1 s
    /// to connect and 2 s in all.
    pub fn from_env() -> Result<Self, crate::transport::TransportError> {
        let imds = crate::reqwest_transport::ReqwestTransport::builder()
            .connect_timeout(Duration::from_secs(1))
            .timeout(Duration::from_secs(2))
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
    use crate::transport::{
        json_response, HttpResponse, InMemoryTransport, TransportError, TransportErrorKind,
    };
    use std::sync::atomic::{AtomicUsize, Ordering};

    const SECRET: &str = "s3cr3t-value";
    const TOKEN: &str = "t0k3n-value";

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(f)
    }

    fn assert_no_secret(text: &str) {
        for s in [
            SECRET,
            TOKEN,
            "imds-secret",
            "imds-token",
            "meta-session-token",
        ] {
            assert!(!text.contains(s), "secret {s:?} leaked in: {text}");
        }
    }

    /// A fresh directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> Self {
            let dir = std::env::temp_dir().join(format!(
                "alicloud-runtime-{tag}-{}-{}",
                std::process::id(),
                uuid::Uuid::new_v4().simple()
            ));
            std::fs::create_dir_all(&dir).expect("temp dir");
            Self(dir)
        }

        fn write(&self, rel: &str, contents: &str) -> PathBuf {
            let p = self.0.join(rel);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).expect("dirs");
            }
            std::fs::write(&p, contents).expect("write");
            p
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn debug_never_shows_secrets() {
        let c = Credentials::new("AKID", SECRET).with_security_token(TOKEN);
        let d = format!("{c:?}");
        assert!(d.contains("AKID"));
        assert_no_secret(&d);
        assert_no_secret(&format!("{:?}", Secret::new(SECRET)));
    }

    #[test]
    fn expiry_windows() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let c = Credentials::new("a", "b");
        assert!(!c.expires_within(Duration::from_secs(300), now));
        let c = c.with_expiry(now + Duration::from_secs(600));
        assert!(!c.expires_within(Duration::from_secs(300), now));
        assert!(c.expires_within(Duration::from_secs(600), now));
        assert!(c.expires_within(Duration::ZERO, now + Duration::from_secs(601)));
    }

    // -- environment --------------------------------------------------------------------------

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

    // -- CLI profile --------------------------------------------------------------------------

    fn cli_config() -> String {
        format!(
            r#"{{
  "current": "dev",
  "profiles": [
    {{"name": "default", "mode": "AK", "access_key_id": "AKDEFAULT", "access_key_secret": "{SECRET}",
      "sts_token": "", "ram_role_name": "", "ram_role_arn": "", "ram_session_name": "",
      "private_key": "", "key_pair_name": "", "expired_seconds": 0, "verified": "",
      "region_id": "cn-hangzhou", "output_format": "json", "language": "en", "site": "",
      "retry_timeout": 0, "retry_count": 0}},
    {{"name": "dev", "mode": "StsToken", "access_key_id": "STS.AKDEV", "access_key_secret": "{SECRET}",
      "sts_token": "{TOKEN}", "region_id": "cn-shanghai"}},
    {{"name": "role", "mode": "RamRoleArn", "access_key_id": "AKROLE", "access_key_secret": "{SECRET}",
      "ram_role_arn": "acs:ram::123:role/x", "ram_session_name": "s"}},
    {{"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "my-role"}},
    {{"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "default"}},
    {{"name": "half", "mode": "StsToken", "access_key_id": "AKHALF", "access_key_secret": "{SECRET}"}}
  ]
}}"#
        )
    }

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

    // -- instance metadata --------------------------------------------------------------------

    fn iso(t: SystemTime) -> String {
        let fmt =
            time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
        time::OffsetDateTime::from(t).format(&fmt).unwrap()
    }

    fn text(status: u16, body: &str) -> HttpResponse {
        let mut r = http::Response::new(body.as_bytes().to_vec());
        *r.status_mut() = http::StatusCode::from_u16(status).unwrap();
        r
    }

    fn role_body(expiry: SystemTime, n: usize) -> String {
        format!(
            r#"{{"AccessKeyId":"STS.ID{n}","AccessKeySecret":"imds-secret-{n}","SecurityToken":"imds-token-{n}","Expiration":"{}","LastUpdated":"2024-01-02T03:04:05Z","Code":"Success"}}"#,
            iso(expiry)
        )
    }

    /// An IMDS double: token endpoint, role list `my-role`, and credentials whose lifetime is
    /// `lifetime` from now. Counts the credential fetches.
    fn imds(lifetime: Duration, fetches: Arc<AtomicUsize>) -> InMemoryTransport {
        InMemoryTransport::new(move |req| {
            let path = req.uri().path();
            match (req.method().as_str(), path) {
                ("PUT", "/latest/api/token") => {
                    assert_eq!(
                        req.headers()["x-aliyun-ecs-metadata-token-ttl-seconds"],
                        "21600"
                    );
                    Ok(text(200, "meta-session-token"))
                }
                ("GET", "/latest/meta-data/ram/security-credentials/") => {
                    assert_eq!(
                        req.headers()["x-aliyun-ecs-metadata-token"],
                        "meta-session-token"
                    );
                    Ok(text(200, "my-role"))
                }
                ("GET", "/latest/meta-data/ram/security-credentials/my-role") => {
                    assert_eq!(
                        req.headers()["x-aliyun-ecs-metadata-token"],
                        "meta-session-token"
                    );
                    let n = fetches.fetch_add(1, Ordering::SeqCst) + 1;
                    Ok(json_response(
                        200,
                        &role_body(SystemTime::now() + lifetime, n),
                    ))
                }
                ("GET", p) if p.starts_with("/latest/meta-data/ram/security-credentials/") => {
                    Ok(text(404, "Not Found"))
                }
                _ => Ok(text(400, "bad request")),
            }
        })
    }

    #[test]
    fn imds_hardened_flow_and_caching() {
        let fetches = Arc::new(AtomicUsize::new(0));
        let t = imds(Duration::from_secs(3600), fetches.clone());
        let p = ImdsProvider::new(t.clone()).with_base_url("http://imds.test/");
        let c = block_on(p.provide()).unwrap();
        assert_eq!(c.access_key_id(), "STS.ID1");
        assert_eq!(c.access_key_secret().expose(), "imds-secret-1");
        assert_eq!(c.security_token().map(Secret::expose), Some("imds-token-1"));
        assert_eq!(c.source(), "ecs-ram-role");
        let left = c
            .expiry()
            .unwrap()
            .duration_since(SystemTime::now())
            .unwrap();
        assert!(left > Duration::from_secs(3000), "{left:?}");
        // Cached: a second call asks nothing.
        let c2 = block_on(p.provide()).unwrap();
        assert_eq!(c2.access_key_id(), "STS.ID1");
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        let paths: Vec<String> = t
            .requests()
            .iter()
            .map(|r| format!("{} {}", r.method(), r.uri()))
            .collect();
        assert_eq!(
            paths,
            [
                "PUT http://imds.test/latest/api/token",
                "GET http://imds.test/latest/meta-data/ram/security-credentials/",
                "GET http://imds.test/latest/meta-data/ram/security-credentials/my-role",
            ]
        );
        assert_no_secret(&format!("{p:?} {c:?}"));
    }

    #[test]
    fn imds_refreshes_when_expiry_is_near() {
        let fetches = Arc::new(AtomicUsize::new(0));
        // Two minutes left: inside the 5-minute window, so every call fetches again.
        let p = ImdsProvider::new(imds(Duration::from_secs(120), fetches.clone()))
            .with_base_url("http://imds.test");
        assert_eq!(block_on(p.provide()).unwrap().access_key_id(), "STS.ID1");
        assert_eq!(block_on(p.provide()).unwrap().access_key_id(), "STS.ID2");
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
        // With a one-minute window the same credentials are fresh enough.
        let fetches = Arc::new(AtomicUsize::new(0));
        let p = ImdsProvider::new(imds(Duration::from_secs(120), fetches.clone()))
            .with_base_url("http://imds.test")
            .with_refresh_before(Duration::from_secs(60));
        block_on(p.provide()).unwrap();
        block_on(p.provide()).unwrap();
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn imds_keeps_valid_cached_credentials_when_refresh_fails() {
        let calls = Arc::new(AtomicUsize::new(0));
        let c2 = calls.clone();
        let t = InMemoryTransport::new(move |req| {
            if req.uri().path().ends_with("/my-role") {
                if c2.fetch_add(1, Ordering::SeqCst) == 0 {
                    return Ok(json_response(
                        200,
                        &role_body(SystemTime::now() + Duration::from_secs(120), 1),
                    ));
                }
                return Err(TransportError::new(TransportErrorKind::Connect, "refused"));
            }
            Ok(text(404, ""))
        });
        let p = ImdsProvider::new(t)
            .with_base_url("http://imds.test")
            .with_role_name("my-role")
            .with_token_mode(ImdsTokenMode::Disabled);
        assert_eq!(block_on(p.provide()).unwrap().access_key_id(), "STS.ID1");
        // Refresh is due and fails, but the cached credentials still work for two minutes.
        assert_eq!(block_on(p.provide()).unwrap().access_key_id(), "STS.ID1");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn imds_failing_role_and_bad_answers() {
        // The configured role does not exist.
        let fetches = Arc::new(AtomicUsize::new(0));
        let p = ImdsProvider::new(imds(Duration::from_secs(3600), fetches))
            .with_base_url("http://imds.test")
            .with_role_name("other-role");
        let e = block_on(p.provide()).unwrap_err();
        let text_ = e.to_string();
        assert!(
            text_.contains("`other-role`") && text_.contains("HTTP 404"),
            "{text_}"
        );

        // Code is not Success; the body's secrets never reach the error.
        let t = InMemoryTransport::new(|req| {
            if req.uri().path().ends_with("/r") {
                Ok(json_response(
                    200,
                    r#"{"Code":"Failed","AccessKeyId":"x","AccessKeySecret":"imds-secret-9","SecurityToken":"imds-token-9","Expiration":"2024-01-02T03:04:05Z"}"#,
                ))
            } else {
                Ok(text(404, ""))
            }
        });
        let p = ImdsProvider::new(t)
            .with_base_url("http://imds.test")
            .with_role_name("r");
        let e = block_on(p.provide()).unwrap_err();
        assert!(e.to_string().contains("Code is `Failed`"), "{e}");
        assert_no_secret(&format!("{e} {e:?}"));

        // Already expired credentials are refused.
        let t = InMemoryTransport::new(|_| {
            Ok(json_response(
                200,
                &role_body(SystemTime::now() - Duration::from_secs(60), 1),
            ))
        });
        let p = ImdsProvider::new(t)
            .with_base_url("http://imds.test")
            .with_role_name("r")
            .with_token_mode(ImdsTokenMode::Disabled);
        let e = block_on(p.provide()).unwrap_err();
        assert!(e.to_string().contains("already expired"), "{e}");

        // No role attached.
        let t = InMemoryTransport::new(|_| Ok(text(404, "")));
        let e = block_on(
            ImdsProvider::new(t)
                .with_base_url("http://imds.test")
                .provide(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("no RAM role"), "{e}");

        // Malformed JSON whose values would be quoted by serde.
        let t =
            InMemoryTransport::new(|_| Ok(json_response(200, r#"{"AccessKeySecret": 12345678}"#)));
        let p = ImdsProvider::new(t)
            .with_base_url("http://imds.test")
            .with_role_name("r")
            .with_token_mode(ImdsTokenMode::Disabled);
        let e = block_on(p.provide()).unwrap_err();
        assert!(e.to_string().contains("not the expected JSON"), "{e}");
        assert!(!e.to_string().contains("12345678"), "{e}");
    }

    #[test]
    fn imds_token_modes() {
        // The token endpoint is refused: Preferred carries on without a token, Required fails.
        let t = InMemoryTransport::new(|req| {
            if req.method() == http::Method::PUT {
                return Ok(text(403, "forbidden"));
            }
            assert!(req.headers().get("x-aliyun-ecs-metadata-token").is_none());
            Ok(json_response(
                200,
                &role_body(SystemTime::now() + Duration::from_secs(3600), 1),
            ))
        });
        let p = ImdsProvider::new(t.clone())
            .with_base_url("http://imds.test")
            .with_role_name("r");
        assert_eq!(block_on(p.provide()).unwrap().access_key_id(), "STS.ID1");
        let p = ImdsProvider::new(t.clone())
            .with_base_url("http://imds.test")
            .configured_from(&EnvLookup::from_pairs([
                (ENV_IMDSV1_DISABLED, "true"),
                (ENV_ECS_METADATA_ROLE, "r"),
            ]));
        let e = block_on(p.provide()).unwrap_err();
        assert!(e.to_string().contains("session token: HTTP 403"), "{e}");
        // Disabled never calls the token endpoint.
        let before = t.requests().len();
        let p = ImdsProvider::new(t.clone())
            .with_base_url("http://imds.test")
            .with_role_name("r")
            .with_token_mode(ImdsTokenMode::Disabled);
        block_on(p.provide()).unwrap();
        let after = t.requests();
        assert_eq!(after.len(), before + 1);
        assert_eq!(after[before].method(), http::Method::GET);
    }

    // -- chain --------------------------------------------------------------------------------

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
            ["environment", "CLI profile", "ECS instance metadata"]
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
        assert_eq!(chain.names(), ["environment", "CLI profile"]);
    }

    #[test]
    fn chain_error_lists_every_attempt_without_secrets() {
        let dir = TempDir::new("chainerr");
        dir.write(".aliyun/config.json", &cli_config());
        let env = EnvLookup::from_pairs([
            ("HOME", dir.0.to_string_lossy().into_owned()),
            (ENV_PROFILE, "role".to_owned()),
            (ENV_ACCESS_KEY_SECRET, SECRET.to_owned()),
            (ENV_SECURITY_TOKEN, TOKEN.to_owned()),
        ]);
        let never = InMemoryTransport::new(|_| {
            Err(TransportError::new(TransportErrorKind::Connect, "refused"))
        });
        let chain = DefaultChain::with_lookup(env, Arc::new(never));
        let e = block_on(chain.provide()).unwrap_err();
        let text = e.to_string();
        assert!(
            text.starts_with("no credentials found; tried environment: "),
            "{text}"
        );
        assert!(
            text.contains("ALIBABA_CLOUD_ACCESS_KEY_ID is not"),
            "{text}"
        );
        assert!(text.contains("CLI profile: profile `role`"), "{text}");
        assert!(text.contains("`RamRoleArn`"), "{text}");
        assert!(
            text.contains(
                "ECS instance metadata: instance metadata service at http://100.100.100.200"
            ),
            "{text}"
        );
        assert_no_secret(&format!("{text} {e:?} {chain:?}"));
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
                Err(CredentialsError::new("gone"))
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
