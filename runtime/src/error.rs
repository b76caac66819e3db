//! Errors: the service's error envelope, and the error of a call.

use std::fmt;

use serde::Deserialize;

use crate::client::endpoint::EndpointError;
use crate::credentials::CredentialsError;
use crate::meta::OperationMeta;
use crate::transport::TransportError;
use crate::validate::Violations;

/// Who was denied what, when RAM refuses a call (`AccessDeniedDetail` in the error body).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AccessDeniedDetail {
    /// The RAM action that was denied, e.g. `vpc:ModifyVpnConnectionAttribute`.
    pub auth_action: Option<String>,
    /// The display name of the caller.
    pub auth_principal_display_name: Option<String>,
    /// The account that owns the caller.
    pub auth_principal_owner_id: Option<String>,
    /// The kind of caller (`SubUser`, `AssumedRoleUser`, …).
    pub auth_principal_type: Option<String>,
    /// Why there is no permission (`ImplicitDeny`, `ExplicitDeny`).
    pub no_permission_type: Option<String>,
    /// The kind of policy that decided.
    pub policy_type: Option<String>,
    /// An encoded diagnosis to decode with RAM's tools.
    pub encoded_diagnostic_message: Option<String>,
}

/// What the service said about a failed call: its JSON error envelope plus the HTTP status.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceErrorMeta {
    /// HTTP status of the response.
    pub status: u16,
    /// The error code, e.g. `VpnGateway.Configuring`.
    pub code: String,
    /// The service's message.
    pub message: String,
    /// The request id, for support cases.
    pub request_id: Option<String>,
    /// The host that answered.
    pub host_id: Option<String>,
    /// Alibaba's troubleshooting link.
    pub recommend: Option<String>,
    /// Details of a RAM denial.
    pub access_denied_detail: Option<AccessDeniedDetail>,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(alias = "requestId")]
    #[serde(rename = "RequestId")]
    request_id: Option<String>,
    #[serde(alias = "hostId")]
    #[serde(rename = "HostId")]
    host_id: Option<String>,
    #[serde(alias = "code")]
    #[serde(rename = "Code")]
    code: Option<String>,
    #[serde(alias = "message")]
    #[serde(rename = "Message")]
    message: Option<String>,
    #[serde(alias = "recommend")]
    #[serde(rename = "Recommend")]
    recommend: Option<String>,
    #[serde(alias = "accessDeniedDetail")]
    #[serde(rename = "AccessDeniedDetail")]
    access_denied_detail: Option<AccessDeniedDetail>,
}

impl ServiceErrorMeta {
    /// A new error (for tests, emulators and custom transports).
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
            request_id: None,
            host_id: None,
            recommend: None,
            access_denied_detail: None,
        }
    }

    /// Sets the request id.
    pub fn with_request_id(mut self, id: impl Into<String>) -> Self {
        self.request_id = Some(id.into());
        self
    }

    /// Parses the error body of a response with status `status`. A body that is not the JSON
    /// envelope (an HTML page from a proxy, an empty body) is an [`InvalidResponse`] carrying
    /// the status and a short excerpt.
    pub fn from_response(status: u16, body: &[u8]) -> Result<Self, InvalidResponse> {
        let env: Envelope = match serde_json::from_slice(body) {
            Ok(env) => env,
            // ROA services may answer in XML (`<Error><Code>…`).
            Err(e) => match crate::roa::parse_xml_error(body) {
                Some(x) => Envelope {
                    request_id: x.request_id,
                    host_id: x.host_id,
                    code: x.code,
                    message: x.message,
                    recommend: x.recommend,
                    access_denied_detail: None,
                },
                None => {
                    return Err(InvalidResponse::new(
                        status,
                        format!("error body is not JSON ({e})"),
                        body,
                    ))
                }
            },
        };
        let code = env
            .code
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .ok_or_else(|| InvalidResponse::new(status, "error body has no Code", body))?;
        Ok(Self {
            status,
            code,
            message: env.message.unwrap_or_default(),
            request_id: env.request_id,
            host_id: env.host_id,
            recommend: env.recommend,
            access_denied_detail: env.access_denied_detail,
        })
    }
}

impl fmt::Display for ServiceErrorMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        match &self.request_id {
            Some(id) => write!(f, " (HTTP {}, request id {id})", self.status),
            None => write!(f, " (HTTP {})", self.status),
        }
    }
}

impl std::error::Error for ServiceErrorMeta {}

/// A response that is not what the protocol promises: a non-JSON error page, a success body
/// that does not parse as the operation's response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidResponse {
    /// HTTP status.
    pub status: u16,
    /// What was wrong.
    pub reason: String,
    /// The first bytes of the body (at most 200 characters, lossily decoded).
    pub excerpt: String,
}

/// The most characters of an [`InvalidResponse`]'s reason: serde's messages quote the value
/// they refuse, which can be as long as the body.
const MAX_REASON_CHARS: usize = 300;

/// `s` cut to at most `max` characters (plus an ellipsis), keeping its start and its end (where
/// serde says the line and column).
fn shorten(s: String, max: usize) -> String {
    let count = s.chars().count();
    if count <= max {
        return s;
    }
    let tail = max / 5;
    let mut out: String = s.chars().take(max - tail).collect();
    out.push('…');
    out.extend(s.chars().skip(count - tail));
    out
}

impl InvalidResponse {
    /// A new error; keeps a short excerpt of `body`, and at most 300 characters of `reason`.
    pub fn new(status: u16, reason: impl Into<String>, body: &[u8]) -> Self {
        let reason = shorten(reason.into(), MAX_REASON_CHARS);
        let text = String::from_utf8_lossy(body);
        let mut excerpt: String = text.chars().take(200).collect();
        if text.chars().nth(200).is_some() {
            excerpt.push('…');
        }
        Self {
            status,
            reason,
            excerpt,
        }
    }
}

impl fmt::Display for InvalidResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unexpected response (HTTP {}): {}; body starts {:?}",
            self.status, self.reason, self.excerpt
        )
    }
}

impl std::error::Error for InvalidResponse {}

/// A required field was not set on a builder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    /// The wire name of the missing field.
    pub field: &'static str,
    /// The type being built.
    pub shape: &'static str,
}

impl BuildError {
    /// `Ok` when the required field `field` of `shape` is set (`set`), else the error naming
    /// it: a builder's check of each required field, as one call.
    #[inline]
    pub fn require(set: bool, field: &'static str, shape: &'static str) -> Result<(), Self> {
        if set {
            Ok(())
        } else {
            Err(BuildError { field, shape })
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is required to build {}, but was not set",
            self.field, self.shape
        )
    }
}

impl std::error::Error for BuildError {}

/// Typed service errors of one operation, built from the envelope.
pub trait OperationError: std::error::Error + Sized {
    /// The typed error for `meta`, answered to a call of `operation`.
    fn from_meta(meta: ServiceErrorMeta, operation: &'static OperationMeta) -> Self;
    /// The envelope behind the error.
    fn meta(&self) -> &ServiceErrorMeta;
}

/// The error codes of one product, as a fieldless enum the generator writes once per product
/// (`ErrorCode` at the root of a generated crate).
///
/// One enum for the whole product, rather than one per operation, keeps the generated code
/// small: every operation's errors are a [`ServiceError`] of it, and each operation's
/// documentation lists the subset it documents.
pub trait ErrorCode: Copy + Eq + std::hash::Hash + fmt::Debug + Send + Sync + 'static {
    /// The variant of `code` as the service writes it, if the product documents that code.
    fn from_code(code: &str) -> Option<Self>;
    /// The code as the service writes it.
    fn as_str(self) -> &'static str;
}

/// An error the service answered to a call: the envelope, its code as the product's
/// [`ErrorCode`] enum when the product documents it, and what the operation documents of it.
///
/// Match on [`ServiceError::kind`]. A generated crate's `ErrorCode` plays the part of `Code`:
///
/// ```
/// use alicloud_runtime::error::OperationError;
/// use alicloud_runtime::{ErrorCode, ErrorInfo, OperationMeta, ServiceError, ServiceErrorMeta};
///
/// #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
/// enum Code {
///     VpcNotFound,
/// }
/// impl ErrorCode for Code {
///     fn from_code(code: &str) -> Option<Self> {
///         (code == "InvalidVpcId.NotFound").then_some(Code::VpcNotFound)
///     }
///     fn as_str(self) -> &'static str {
///         "InvalidVpcId.NotFound"
///     }
/// }
/// static DELETE_VPC: OperationMeta = OperationMeta {
///     product: "Vpc",
///     version: "2016-04-28",
///     action: "DeleteVpc",
///     endpoint_pattern: "vpc.{region_id}.aliyuncs.com",
///     endpoints: &[],
///     method: "POST",
///     idempotency_token: None,
///     anonymous: false,
///     errors: &[ErrorInfo { code: "InvalidVpcId.NotFound", retryable: Some(false) }],
/// };
///
/// let meta = ServiceErrorMeta::new(404, "InvalidVpcId.NotFound", "no such VPC");
/// let err = ServiceError::<Code>::from_meta(meta, &DELETE_VPC);
/// match err.kind() {
///     Some(Code::VpcNotFound) => assert!(err.is_documented() && !err.is_retryable()),
///     None => unreachable!("any other code: err.code()"),
/// }
/// let busy = ServiceErrorMeta::new(503, "ServiceUnavailable", "busy");
/// let err = ServiceError::<Code>::from_meta(busy, &DELETE_VPC);
/// assert_eq!((err.kind(), err.code()), (None, "ServiceUnavailable"));
/// assert!(!err.is_documented() && err.is_retryable());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ServiceError<C> {
    meta: ServiceErrorMeta,
    kind: Option<C>,
    documented: bool,
    retryable: bool,
}

impl<C: ErrorCode> ServiceError<C> {
    /// The code as the product's enum; `None` for a code the product does not document
    /// (gateway codes such as `SignatureDoesNotMatch`, or codes newer than this crate).
    pub fn kind(&self) -> Option<C> {
        self.kind
    }

    /// The code as the service wrote it.
    pub fn code(&self) -> &str {
        &self.meta.code
    }

    /// The service's message.
    pub fn message(&self) -> &str {
        &self.meta.message
    }

    /// The request ID, for support tickets.
    pub fn request_id(&self) -> Option<&str> {
        self.meta.request_id.as_deref()
    }

    /// The HTTP status of the answer.
    pub fn http_status(&self) -> u16 {
        self.meta.status
    }

    /// Whether the operation called documents this code.
    pub fn is_documented(&self) -> bool {
        self.documented
    }

    /// Whether the same request can succeed later: as stated for the operation's code, else
    /// (undocumented, or documented without saying) throttling and server-side (5xx) failures.
    pub fn is_retryable(&self) -> bool {
        self.retryable
    }

    /// The whole envelope.
    pub fn meta(&self) -> &ServiceErrorMeta {
        &self.meta
    }
}

impl<C: fmt::Debug> fmt::Debug for ServiceError<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("kind", &self.kind)
            .field("meta", &self.meta)
            .field("documented", &self.documented)
            .field("retryable", &self.retryable)
            .finish()
    }
}

impl<C> fmt::Display for ServiceError<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.meta, f)
    }
}

impl<C: ErrorCode> std::error::Error for ServiceError<C> {}

impl<C: ErrorCode> OperationError for ServiceError<C> {
    fn from_meta(meta: ServiceErrorMeta, operation: &'static OperationMeta) -> Self {
        ServiceError {
            kind: C::from_code(&meta.code),
            documented: operation.errors.iter().any(|i| i.code == meta.code),
            retryable: is_retryable(&meta, operation),
            meta,
        }
    }

    fn meta(&self) -> &ServiceErrorMeta {
        &self.meta
    }
}

/// Codes the API gateway answers when it throttles a caller (any `Throttling.*` code counts).
pub const THROTTLING_CODES: [&str; 3] = ["Throttling", "Throttling.User", "Throttling.Api"];

/// Whether `code` is a throttling code: `Throttling` or any `Throttling.*`.
pub fn is_throttling(code: &str) -> bool {
    code == "Throttling" || code.starts_with("Throttling.")
}

/// Whether the same request can succeed later after `meta`, answered to `operation`: as the
/// operation states for the code, else (undocumented, or documented without saying)
/// [`is_retryable_unhandled`]. The retry loop and [`ServiceError::is_retryable`] both decide by
/// this.
pub fn is_retryable(meta: &ServiceErrorMeta, operation: &OperationMeta) -> bool {
    match operation
        .errors
        .iter()
        .find(|i| i.code == meta.code)
        .and_then(|i| i.retryable)
    {
        Some(stated) => stated,
        None => is_retryable_unhandled(meta),
    }
}

/// Whether an error with a code the operation does not document can succeed when retried:
/// throttling, and server-side failures (5xx).
pub fn is_retryable_unhandled(meta: &ServiceErrorMeta) -> bool {
    is_throttling(&meta.code) || meta.status >= 500
}

/// Why a call failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// A required field was not set.
    Build(BuildError),
    /// Client-side validation refused the request; every violation is listed.
    Validation(Violations),
    /// No usable credentials.
    Credentials(CredentialsError),
    /// No host to send to: the endpoint needs a region and none was found, or the region
    /// cannot be part of a host name. Nothing was sent.
    Endpoint(EndpointError),
    /// No response: connection refused, broken, or timed out.
    Transport(TransportError),
    /// The overall deadline of the call passed (retries included).
    Timeout {
        /// How many attempts were made.
        attempts: u32,
    },
    /// The service answered with an error.
    Service(E),
    /// The response was not what the protocol promises.
    InvalidResponse(InvalidResponse),
}

impl<E> SdkError<E> {
    /// Converts the service error with `f`, keeping every other variant.
    pub fn map_service<F>(self, f: impl FnOnce(E) -> F) -> SdkError<F> {
        match self {
            SdkError::Build(e) => SdkError::Build(e),
            SdkError::Validation(e) => SdkError::Validation(e),
            SdkError::Credentials(e) => SdkError::Credentials(e),
            SdkError::Endpoint(e) => SdkError::Endpoint(e),
            SdkError::Transport(e) => SdkError::Transport(e),
            SdkError::Timeout { attempts } => SdkError::Timeout { attempts },
            SdkError::Service(e) => SdkError::Service(f(e)),
            SdkError::InvalidResponse(e) => SdkError::InvalidResponse(e),
        }
    }

    /// The service error, if the service answered with one.
    pub fn as_service(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The violations, if validation refused the request.
    pub fn as_validation(&self) -> Option<&Violations> {
        match self {
            SdkError::Validation(v) => Some(v),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Build(e) => e.fmt(f),
            SdkError::Validation(e) => e.fmt(f),
            SdkError::Credentials(e) => write!(f, "no usable credentials: {e}"),
            SdkError::Endpoint(e) => e.fmt(f),
            SdkError::Transport(e) => e.fmt(f),
            SdkError::Timeout { attempts } => {
                write!(f, "call timed out after {attempts} attempt(s)")
            }
            SdkError::Service(e) => e.fmt(f),
            SdkError::InvalidResponse(e) => e.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SdkError::Build(e) => Some(e),
            SdkError::Validation(e) => Some(e),
            SdkError::Credentials(e) => Some(e),
            SdkError::Endpoint(e) => Some(e),
            SdkError::Transport(e) => Some(e),
            SdkError::Timeout { .. } => None,
            SdkError::Service(e) => Some(e),
            SdkError::InvalidResponse(e) => Some(e),
        }
    }
}

impl<E> From<BuildError> for SdkError<E> {
    fn from(e: BuildError) -> Self {
        SdkError::Build(e)
    }
}

impl<E> From<Violations> for SdkError<E> {
    fn from(e: Violations) -> Self {
        SdkError::Validation(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_envelope() {
        let body = br#"{"RequestId":"R1","HostId":"vpc.cn-shanghai.aliyuncs.com","Code":"VpnGateway.Configuring","Message":"The specified service is configuring.","Recommend":"https://x","AccessDeniedDetail":{"AuthAction":"vpc:X","NoPermissionType":"ImplicitDeny"}}"#;
        let m = ServiceErrorMeta::from_response(400, body).unwrap();
        assert_eq!(m.code, "VpnGateway.Configuring");
        assert_eq!(m.request_id.as_deref(), Some("R1"));
        let d = m.access_denied_detail.as_ref().unwrap();
        assert_eq!(d.auth_action.as_deref(), Some("vpc:X"));
        assert_eq!(
            m.to_string(),
            "VpnGateway.Configuring: The specified service is configuring. (HTTP 400, request id R1)"
        );
    }

    #[test]
    fn non_json_bodies_are_invalid_responses() {
        let html = format!("<html>{}</html>", "x".repeat(500));
        let e = ServiceErrorMeta::from_response(502, html.as_bytes()).unwrap_err();
        assert_eq!(e.status, 502);
        assert!(e.excerpt.starts_with("<html>xx"));
        assert_eq!(e.excerpt.chars().count(), 201);
        let e = ServiceErrorMeta::from_response(500, b"{}").unwrap_err();
        assert!(e.reason.contains("no Code"));
        // serde quotes a refused value whole; the reason keeps its start and its end.
        let e = InvalidResponse::new(
            200,
            format!("bad \"{}\" at line 1 column 9", "v".repeat(5000)),
            b"",
        );
        assert_eq!(e.reason.chars().count(), 301);
        assert!(e.reason.starts_with("bad \"vvv") && e.reason.ends_with("at line 1 column 9"));
    }
}
