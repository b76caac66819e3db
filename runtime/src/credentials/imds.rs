//! The ECS instance metadata service provider: the temporary credentials of the instance's RAM
//! role, in the service's hardened (session token) mode by default, cached and refreshed.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::base::{Credentials, CredentialsError, ProvideCredentials, Secret, LOG_TARGET};
use super::cache::CredentialsCache;
use super::lookup::EnvLookup;
use super::temporary::parse_temporary;
use crate::transport::{BoxFuture, HttpRequest, Transport};

/// The ECS instance RAM role name, so that the metadata service need not be asked for it.
pub const ENV_ECS_METADATA_ROLE: &str = "ALIBABA_CLOUD_ECS_METADATA";
/// `true` leaves the metadata service out of the [`DefaultChain`](super::DefaultChain).
pub const ENV_ECS_METADATA_DISABLED: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
/// `true` makes the metadata-service session token mandatory (hardened mode only).
pub const ENV_IMDSV1_DISABLED: &str = "ALIBABA_CLOUD_IMDSV1_DISABLED";

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
    cache: CredentialsCache,
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
            cache: CredentialsCache::default(),
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
                    tracing::debug!(target: LOG_TARGET, error = %e, "no metadata session token; going on without one");
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
        parse_temporary(
            &body,
            &format!("instance metadata service at {base}: {what}"),
        )
        .map(|c| c.with_source("ecs-ram-role"))
    }

    async fn cached_or_fetch(&self) -> Result<Credentials, CredentialsError> {
        self.cache
            .get_or_refresh(
                self.refresh_before,
                || self.fetch(),
                "instance RAM role credentials",
                || {
                    CredentialsError::new(format!(
                        "instance metadata service at {}: the credentials it gave have already \
                         expired (is the local clock right?)",
                        self.base_url
                    ))
                },
            )
            .await
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            // Without a configured role name this provider only probes (is this an ECS
            // instance with a role?): a failure means "not here", and a chain goes on to the
            // next provider. With a role name configured, a failure is a real one.
            self.cached_or_fetch().await.map_err(|e| {
                if self.role_name.is_none() {
                    CredentialsError::not_found(e.message())
                } else {
                    e
                }
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::test_support::*;
    use crate::transport::{json_response, InMemoryTransport, TransportError, TransportErrorKind};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::{Duration, SystemTime};

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
}
