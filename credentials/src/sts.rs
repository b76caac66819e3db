//! Where and how the role-assuming providers reach STS: the endpoint (regional, central or
//! VPC-internal), the transport, and the conversion of STS's answer into [`Credentials`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use alicloud_runtime::client::{Config, RetryConfig, Scheme};
use alicloud_runtime::credentials::{
    parse_expiration, Credentials, CredentialsError, EnvLookup, ProvideCredentials,
};
use alicloud_runtime::transport::{BoxFuture, Transport};

/// The region of the STS endpoint, when no provider setting names one.
pub const ENV_STS_REGION: &str = "ALIBABA_CLOUD_STS_REGION";
/// `true`: reach STS through its VPC-internal endpoint (for hosts without public egress).
pub const ENV_VPC_ENDPOINT_ENABLED: &str = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED";

/// The STS host.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StsEndpoint {
    /// `sts.aliyuncs.com`, the central host: serves every region, the fallback when no region
    /// is known.
    Central,
    /// `sts.<region>.aliyuncs.com`.
    Regional(String),
    /// `sts-vpc.<region>.aliyuncs.com`, reachable from inside a VPC without public egress.
    Vpc(String),
    /// An explicit host (`host` or `host:port`), e.g. a local emulator.
    Host(String),
}

impl StsEndpoint {
    /// The host requests go to.
    pub fn host(&self) -> String {
        match self {
            StsEndpoint::Central => "sts.aliyuncs.com".to_owned(),
            StsEndpoint::Regional(r) => format!("sts.{r}.aliyuncs.com"),
            StsEndpoint::Vpc(r) => format!("sts-vpc.{r}.aliyuncs.com"),
            StsEndpoint::Host(h) => h.clone(),
        }
    }

    /// The endpoint for `region` (else `ALIBABA_CLOUD_STS_REGION`), VPC-internal when
    /// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true`; the central host when there is no region.
    pub fn from_lookup(env: &EnvLookup, region: Option<&str>) -> Self {
        let region = region
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty())
            .or_else(|| env.get(ENV_STS_REGION).map(|r| r.trim().to_owned()));
        let vpc = env
            .get(ENV_VPC_ENDPOINT_ENABLED)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        match (region, vpc) {
            (Some(r), true) => StsEndpoint::Vpc(r),
            (Some(r), false) => StsEndpoint::Regional(r),
            (None, _) => StsEndpoint::Central,
        }
    }
}

/// How the providers call STS: endpoint, scheme, transport, retries and a deadline per call.
#[derive(Clone)]
pub struct Sts {
    endpoint: StsEndpoint,
    scheme: Scheme,
    transport: Arc<dyn Transport>,
    retry: RetryConfig,
    deadline: Duration,
}

impl fmt::Debug for Sts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sts")
            .field("endpoint", &self.endpoint)
            .field("scheme", &self.scheme)
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

impl Sts {
    /// STS at the central host over HTTPS through `transport`, three attempts, 30 s per call.
    pub fn new(transport: Arc<dyn Transport>) -> Self {
        Self {
            endpoint: StsEndpoint::Central,
            scheme: Scheme::Https,
            transport,
            retry: RetryConfig::default(),
            deadline: Duration::from_secs(30),
        }
    }

    /// STS through `transport` at the endpoint the environment chooses
    /// ([`StsEndpoint::from_lookup`] without a region).
    pub fn from_lookup(env: &EnvLookup, transport: Arc<dyn Transport>) -> Self {
        Self::new(transport).with_endpoint(StsEndpoint::from_lookup(env, None))
    }

    /// Sends to `endpoint`.
    pub fn with_endpoint(mut self, endpoint: StsEndpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// The URL scheme (plain HTTP only for a local emulator).
    pub fn with_scheme(mut self, scheme: Scheme) -> Self {
        self.scheme = scheme;
        self
    }

    /// How STS calls are retried.
    pub fn with_retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// The deadline of one STS call, retries included.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The same settings at the endpoint for `region` (a profile's `sts_region`), keeping an
    /// explicit host and the VPC choice.
    pub fn in_region(&self, region: Option<&str>, env: &EnvLookup) -> Self {
        let mut s = self.clone();
        if let (Some(r), false) = (region, matches!(s.endpoint, StsEndpoint::Host(_))) {
            s.endpoint = match s.endpoint {
                StsEndpoint::Vpc(_) => StsEndpoint::Vpc(r.to_owned()),
                _ => StsEndpoint::from_lookup(env, Some(r)),
            };
        }
        s
    }

    /// The endpoint.
    pub fn endpoint(&self) -> &StsEndpoint {
        &self.endpoint
    }

    /// An STS client signing with `source` (anonymous operations ignore it).
    pub(crate) fn client(&self, source: Arc<dyn ProvideCredentials>) -> alicloud_sts::Client {
        let config = Config::from_arcs(source, self.transport.clone())
            .with_endpoint(self.endpoint.host())
            .with_scheme(self.scheme)
            .with_retry(self.retry.clone())
            .with_deadline(self.deadline);
        alicloud_sts::Client::new(config)
    }
}

/// Credentials for operations sent unsigned (`AssumeRoleWithOIDC`): never asked for.
#[derive(Debug)]
pub(crate) struct Unsigned;

impl ProvideCredentials for Unsigned {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(std::future::ready(Err(CredentialsError::new(
            "an unsigned STS call asked for credentials",
        ))))
    }
}

/// Turns the `Credentials` object of an STS answer into [`Credentials`]; `what` names the call
/// for errors, which never quote a value.
pub(crate) fn into_credentials(
    id: Option<String>,
    secret: Option<String>,
    token: Option<String>,
    expiration: Option<String>,
    what: &str,
    source: &'static str,
) -> Result<Credentials, CredentialsError> {
    let field = |v: Option<String>, name: &str| {
        v.map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| CredentialsError::new(format!("{what}: the answer has no {name}")))
    };
    let id = field(id, "Credentials.AccessKeyId")?;
    let secret = field(secret, "Credentials.AccessKeySecret")?;
    let token = field(token, "Credentials.SecurityToken")?;
    let expiration = field(expiration, "Credentials.Expiration")?;
    let expiry = parse_expiration(&expiration, what)?;
    Ok(Credentials::new(id, secret)
        .with_security_token(token)
        .with_expiry(expiry)
        .with_source(source))
}

/// A role session name when none is configured: the library and the time, as the official
/// libraries make one.
pub(crate) fn default_session_name() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!("alicloud-rust-{secs}")
}

/// The error text of a failed STS call: the call, the host and the SDK error (which names the
/// service's code and message, never a credential).
pub(crate) fn call_failed(what: &str, host: &str, e: impl fmt::Display) -> CredentialsError {
    CredentialsError::new(format!("{what} at {host}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_is_regional_with_a_region_central_without_and_vpc_when_asked() {
        let none = EnvLookup::from_pairs::<&str, &str>([]);
        assert_eq!(
            StsEndpoint::from_lookup(&none, None).host(),
            "sts.aliyuncs.com"
        );
        assert_eq!(
            StsEndpoint::from_lookup(&none, Some("cn-shanghai")).host(),
            "sts.cn-shanghai.aliyuncs.com"
        );
        let env = EnvLookup::from_pairs([(ENV_STS_REGION, "ap-southeast-1")]);
        assert_eq!(
            StsEndpoint::from_lookup(&env, None).host(),
            "sts.ap-southeast-1.aliyuncs.com"
        );
        // An explicit region wins over the variable.
        assert_eq!(
            StsEndpoint::from_lookup(&env, Some("eu-central-1")).host(),
            "sts.eu-central-1.aliyuncs.com"
        );
        let vpc = EnvLookup::from_pairs([
            (ENV_STS_REGION, "cn-beijing"),
            (ENV_VPC_ENDPOINT_ENABLED, "true"),
        ]);
        assert_eq!(
            StsEndpoint::from_lookup(&vpc, None).host(),
            "sts-vpc.cn-beijing.aliyuncs.com"
        );
        // VPC without a region: there is no central VPC host, so the central public one.
        let vpc_only = EnvLookup::from_pairs([(ENV_VPC_ENDPOINT_ENABLED, "true")]);
        assert_eq!(
            StsEndpoint::from_lookup(&vpc_only, None),
            StsEndpoint::Central
        );
        // A profile's `sts_region` keeps the VPC choice and never moves an explicit host.
        struct Never;
        impl Transport for Never {
            fn send(
                &self,
                _: alicloud_runtime::transport::HttpRequest,
            ) -> BoxFuture<
                '_,
                Result<alicloud_runtime::transport::HttpResponse, alicloud_runtime::TransportError>,
            > {
                unreachable!()
            }
        }
        let sts = Sts::from_lookup(&vpc, Arc::new(Never));
        assert_eq!(
            sts.in_region(Some("cn-hangzhou"), &vpc).endpoint().host(),
            "sts-vpc.cn-hangzhou.aliyuncs.com"
        );
        let pinned = sts.with_endpoint(StsEndpoint::Host("127.0.0.1:9".into()));
        assert_eq!(
            pinned
                .in_region(Some("cn-hangzhou"), &vpc)
                .endpoint()
                .host(),
            "127.0.0.1:9"
        );
    }
}
