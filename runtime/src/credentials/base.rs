//! The shared core every provider builds on: [`Credentials`] (an access key pair with an
//! optional STS token and expiry), [`Secret`] (which redacts itself), [`CredentialsError`]
//! and the [`ProvideCredentials`] trait the client asks for credentials before each call.

use std::fmt;
use std::time::{Duration, SystemTime};

use crate::transport::BoxFuture;

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
///
/// A provider fails in one of two ways, and a chain treats them differently:
/// [`CredentialsError::not_found`] when nothing is configured for it (its variables are
/// unset, its file does not exist), and the chain goes on to the next provider;
/// [`CredentialsError::new`] when it is configured but does not work (a half-set key pair, a
/// malformed file, a role STS refused), and the chain stops there rather than carry on and
/// sign as some other identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialsError {
    message: String,
    not_found: bool,
}

impl CredentialsError {
    /// A provider that is configured but fails. `message` must not contain any secret.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            not_found: false,
        }
    }

    /// A provider with nothing configured. `message` must not contain any secret.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            not_found: true,
        }
    }

    /// Whether the provider had nothing configured (a chain tries the next one).
    pub fn is_not_found(&self) -> bool {
        self.not_found
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

/// A future already resolved to `value`, for providers that answer without waiting.
pub(super) fn ready<T: Send + 'static>(value: T) -> BoxFuture<'static, T> {
    Box::pin(std::future::ready(value))
}

/// The `tracing` target of every provider's events: the module they were logged from before
/// the providers got modules of their own, so existing log filters keep matching exactly.
pub(super) const LOG_TARGET: &str = "alicloud_runtime::credentials";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::test_support::*;
    use std::time::{Duration, SystemTime};

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
}
