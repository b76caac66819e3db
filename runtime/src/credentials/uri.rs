//! The credentials-URI provider: temporary credentials from an HTTP endpoint named by
//! `ALIBABA_CLOUD_CREDENTIALS_URI` (or a CLI profile in mode `CredentialsURI`), for sidecars
//! and local agents that hand out credentials.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::base::{Credentials, CredentialsError, ProvideCredentials};
use super::cache::CredentialsCache;
use super::lookup::EnvLookup;
use super::temporary::parse_temporary;
use crate::transport::{BoxFuture, Transport};

/// The variable naming the credentials URI.
pub const ENV_CREDENTIALS_URI: &str = "ALIBABA_CLOUD_CREDENTIALS_URI";

/// Temporary credentials from a URI: `GET <uri>` answers `200` with the JSON the ECS metadata
/// service gives (`{"Code": "Success", "AccessKeyId": …, "AccessKeySecret": …,
/// "SecurityToken": …, "Expiration": "2026-12-03T12:00:00Z"}`).
///
/// Cached, and fetched again when less than [`UriProvider::with_refresh_before`] (5 minutes by
/// default) remains; concurrent callers share one fetch. The URI may hold a secret (a query
/// token), so messages name only its scheme and host.
pub struct UriProvider {
    uri: Option<String>,
    transport: Arc<dyn Transport>,
    refresh_before: Duration,
    request_timeout: Duration,
    cache: CredentialsCache,
}

impl fmt::Debug for UriProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UriProvider")
            .field("uri", &self.uri.as_deref().map(shown))
            .field("refresh_before", &self.refresh_before)
            .finish_non_exhaustive()
    }
}

/// The scheme and authority of `uri`: enough to say where, never a path or query (which may
/// carry a token).
fn shown(uri: &str) -> String {
    match uri.parse::<http::Uri>() {
        Ok(u) => format!(
            "{}://{}",
            u.scheme_str().unwrap_or("?"),
            u.authority().map(|a| a.as_str()).unwrap_or("?")
        ),
        Err(_) => "<not a URI>".to_owned(),
    }
}

impl UriProvider {
    /// Credentials from `uri`, fetched through `transport`.
    pub fn new(uri: impl Into<String>, transport: Arc<dyn Transport>) -> Self {
        Self {
            uri: Some(uri.into()),
            transport,
            refresh_before: Duration::from_secs(300),
            request_timeout: Duration::from_secs(5),
            cache: CredentialsCache::default(),
        }
    }

    /// The URI in `ALIBABA_CLOUD_CREDENTIALS_URI`, read through `env`; when it is unset the
    /// provider answers [`CredentialsError::not_found`].
    pub fn from_lookup(env: &EnvLookup, transport: Arc<dyn Transport>) -> Self {
        let mut p = Self::new(String::new(), transport);
        p.uri = env.get(ENV_CREDENTIALS_URI).map(|u| u.trim().to_owned());
        p
    }

    /// Fetch new credentials when less than this remains (default 5 minutes).
    pub fn with_refresh_before(mut self, window: Duration) -> Self {
        self.refresh_before = window;
        self
    }

    /// Time allowed for each request (default 5 s), whatever the transport's.
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Asks the URI for fresh credentials, bypassing the cache.
    pub async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let uri = self.uri.as_deref().ok_or_else(|| {
            CredentialsError::not_found(format!("{ENV_CREDENTIALS_URI} is not set"))
        })?;
        let what = format!("credentials URI {}", shown(uri));
        let req = http::Request::builder()
            .method(http::Method::GET)
            .uri(uri)
            .body(Vec::new())
            .map_err(|_| CredentialsError::new(format!("{what}: not a valid URL")))?;
        let resp = match tokio::time::timeout(self.request_timeout, self.transport.send(req)).await
        {
            Ok(Ok(resp)) => resp,
            Ok(Err(e)) => return Err(CredentialsError::new(format!("{what}: {e}"))),
            Err(_) => {
                return Err(CredentialsError::new(format!(
                    "{what}: no answer within {:?}",
                    self.request_timeout
                )))
            }
        };
        let status = resp.status().as_u16();
        if status != 200 {
            // The body is not quoted: on a half-broken answer it would be the credentials.
            return Err(CredentialsError::new(format!("{what}: HTTP {status}")));
        }
        parse_temporary(resp.body(), &what).map(|c| c.with_source("credentials-uri"))
    }
}

impl ProvideCredentials for UriProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            if self.uri.is_none() {
                return Err(CredentialsError::not_found(format!(
                    "{ENV_CREDENTIALS_URI} is not set"
                )));
            }
            self.cache
                .get_or_refresh(
                    self.refresh_before,
                    || self.fetch(),
                    "credentials from the credentials URI",
                    || {
                        CredentialsError::new(
                            "credentials URI: the credentials it gave have already expired (is \
                             the local clock right?)",
                        )
                    },
                )
                .await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::test_support::*;
    use crate::transport::{json_response, InMemoryTransport};
    use std::time::SystemTime;

    fn answer(expires_in: Duration, n: usize) -> String {
        let exp = time::OffsetDateTime::from(SystemTime::now() + expires_in)
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap();
        format!(
            r#"{{"Code":"Success","AccessKeyId":"STS.URI{n}","AccessKeySecret":"{SECRET}","SecurityToken":"{TOKEN}","Expiration":"{exp}"}}"#
        )
    }

    #[test]
    fn uri_fetches_caches_and_refreshes() {
        let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let c2 = calls.clone();
        let t = InMemoryTransport::new(move |req| {
            let n = c2.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            assert_eq!(req.uri().path(), "/creds");
            Ok(json_response(200, &answer(Duration::from_secs(3600), n)))
        });
        let p = UriProvider::new("http://127.0.0.1:9/creds?token=hush", Arc::new(t));
        let c = block_on(p.provide()).unwrap();
        assert_eq!(c.access_key_id(), "STS.URI1");
        assert_eq!(c.source(), "credentials-uri");
        assert_eq!(block_on(p.provide()).unwrap().access_key_id(), "STS.URI1");
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);
        let shown = format!("{p:?}");
        assert!(
            shown.contains("http://127.0.0.1:9") && !shown.contains("hush"),
            "{shown}"
        );
        assert_no_secret(&format!("{c:?} {shown}"));
    }

    #[test]
    fn uri_errors_name_the_host_never_the_query_or_body() {
        let t =
            InMemoryTransport::new(|_| Ok(json_response(500, &answer(Duration::from_secs(60), 1))));
        let p = UriProvider::new("http://127.0.0.1:9/creds?token=hush", Arc::new(t));
        let e = block_on(p.provide()).unwrap_err();
        let text = format!("{e} {e:?}");
        assert!(
            text.contains("HTTP 500") && text.contains("127.0.0.1:9"),
            "{text}"
        );
        assert!(!text.contains("hush"), "{text}");
        assert!(!e.is_not_found());
        assert_no_secret(&text);

        let t = InMemoryTransport::new(|_| Ok(json_response(200, r#"{"Code":"Failed"}"#)));
        let e = block_on(UriProvider::new("http://h/c", Arc::new(t)).provide()).unwrap_err();
        assert!(e.to_string().contains("`Failed`"), "{e}");

        let t = InMemoryTransport::new(|_| unreachable!("no URI, no request"));
        let e = block_on(
            UriProvider::from_lookup(&EnvLookup::from_pairs::<&str, &str>([]), Arc::new(t))
                .provide(),
        )
        .unwrap_err();
        assert!(
            e.is_not_found() && e.to_string().contains(ENV_CREDENTIALS_URI),
            "{e}"
        );
    }
}
