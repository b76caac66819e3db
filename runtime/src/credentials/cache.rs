//! Caching for providers whose credentials expire (the instance metadata service, the
//! credentials URI, and in `alicloud-credentials` the RAM role and OIDC providers): the cached credentials are
//! handed out until they come within a refresh window of their expiry, concurrent callers
//! share one refresh, and still-valid credentials outlive a failed refresh.

use std::future::Future;
use std::time::{Duration, SystemTime};

use super::base::{Credentials, CredentialsError, LOG_TARGET};
use std::fmt;

/// The last credentials a provider fetched, behind an async lock.
///
/// The lock is held across the fetch on purpose: callers arriving during a refresh wait for
/// it and get its result instead of each asking the remote service.
///
/// One per provider instance: [`CredentialsCache::get_or_refresh`] is the whole interface.
#[derive(Default)]
pub struct CredentialsCache(tokio::sync::Mutex<Option<Credentials>>);

impl CredentialsCache {
    /// The cached credentials if more than `refresh_before` of their life remains; otherwise
    /// the result of `fetch`, cached when it succeeds.
    ///
    /// Fresh credentials that have already expired are refused with `already_expired()` (a
    /// clock problem that refetching would not cure). When `fetch` fails while the cached
    /// credentials are still valid, those are returned and the failure is logged as a warning
    /// naming `what` was being refreshed.
    pub async fn get_or_refresh<Fut>(
        &self,
        refresh_before: Duration,
        fetch: impl FnOnce() -> Fut,
        what: &str,
        already_expired: impl FnOnce() -> CredentialsError,
    ) -> Result<Credentials, CredentialsError>
    where
        Fut: Future<Output = Result<Credentials, CredentialsError>>,
    {
        let mut cache = self.0.lock().await;
        let now = SystemTime::now();
        if let Some(c) = cache.as_ref() {
            if !c.expires_within(refresh_before, now) {
                return Ok(c.clone());
            }
        }
        match fetch().await {
            Ok(fresh) => {
                if fresh.expires_within(Duration::ZERO, SystemTime::now()) {
                    return Err(already_expired());
                }
                *cache = Some(fresh.clone());
                Ok(fresh)
            }
            Err(e) => match cache.as_ref() {
                Some(c) if !c.expires_within(Duration::ZERO, SystemTime::now()) => {
                    tracing::warn!(target: LOG_TARGET, error = %e, "refreshing {what} failed; using the cached ones until they expire");
                    Ok(c.clone())
                }
                _ => Err(e),
            },
        }
    }
}

impl fmt::Debug for CredentialsCache {
    // Never the credentials: only whether there are any.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.0.try_lock().map(|g| g.is_some()).ok();
        f.debug_struct("CredentialsCache")
            .field("cached", &cached)
            .finish()
    }
}
