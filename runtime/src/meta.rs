//! What the runtime knows about each operation, generated as a `static` per operation: its
//! product, version, action, endpoint rule and map, and documented error codes.
//!
//! A leaf module: the client core sends by it and the error types classify by it, so both
//! import it from here rather than from each other.

/// A documented error code of an operation, and whether a retry can help.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorInfo {
    /// The code.
    pub code: &'static str,
    /// Whether retrying the same request later can succeed: `Some` when a curated spec or
    /// overlay says so, `None` when nobody knows (Alibaba's metadata never says). Unknown codes
    /// follow the rule for undocumented ones (throttling and 5xx are retried), so a documented
    /// `InternalError` (500) is retried like an undocumented one; only a stated `false` refuses.
    pub retryable: Option<bool>,
}

impl ErrorInfo {
    /// A documented code nobody has said is retryable or not (`retryable: None`), as
    /// generated for every code of the imported metadata: one short call per code.
    pub const fn code(code: &'static str) -> Self {
        ErrorInfo {
            code,
            retryable: None,
        }
    }
}

/// What the client core needs to know about an operation; generated as a `static`.
#[derive(Clone, Copy, Debug)]
pub struct OperationMeta {
    /// Product code, e.g. `Vpc`.
    pub product: &'static str,
    /// API version, e.g. `2016-04-28`.
    pub version: &'static str,
    /// Action, e.g. `ModifyVpnConnectionAttribute`.
    pub action: &'static str,
    /// Endpoint pattern with a `{region_id}` placeholder, e.g. `vpc.{region_id}.aliyuncs.com`:
    /// the host of every region [`OperationMeta::endpoints`] does not list.
    pub endpoint_pattern: &'static str,
    /// The product's hosts for the regions its pattern does not give, as `(region id, host)`
    /// pairs sorted by region id (byte order), e.g. `("cn-hangzhou", "adb.aliyuncs.com")`;
    /// one slice per product, shared by its operations. Looked up by binary search.
    pub endpoints: &'static [(&'static str, &'static str)],
    /// HTTP method: `POST` or `GET`.
    pub method: &'static str,
    /// The wire name of the idempotency token parameter, if the operation has one.
    pub idempotency_token: Option<&'static str>,
    /// Whether requests go unsigned, without credentials (STS `AssumeRoleWithOIDC` and
    /// `AssumeRoleWithSAML`: the request carries its own proof of identity).
    pub anonymous: bool,
    /// The documented error codes.
    pub errors: &'static [ErrorInfo],
}
