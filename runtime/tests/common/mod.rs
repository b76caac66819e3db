//! Fixtures shared by the client-core test binaries (`retries.rs`, `logs.rs`): one operation,
//! throwaway credentials whose secrets the log test looks for, and scripted transports.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use alicloud_runtime::client::{ClientCore, Config, ErrorInfo, OperationMeta, RetryConfig};
use alicloud_runtime::transport::{
    json_response, HttpRequest, HttpResponse, InMemoryTransport, TransportError,
};
use alicloud_runtime::wire::WireRequest;
use alicloud_runtime::Credentials;

pub static META: OperationMeta = OperationMeta {
    product: "Vpc",
    version: "2016-04-28",
    action: "ModifyVpnConnectionAttribute",
    endpoint_pattern: "vpc.{region_id}.aliyuncs.com",
    endpoints: &[],
    method: "POST",
    idempotency_token: Some("ClientToken"),
    anonymous: false,
    errors: &[
        ErrorInfo {
            code: "VpnGateway.Configuring",
            retryable: Some(true),
        },
        ErrorInfo {
            code: "OperationFailed.RouteConflictWithIPsecServer",
            retryable: Some(false),
        },
        // Documented without saying whether a retry helps, as every imported code is.
        ErrorInfo {
            code: "InternalError",
            retryable: None,
        },
        ErrorInfo {
            code: "IncorrectVpnConnectionStatus",
            retryable: None,
        },
    ],
};

pub const SECRET: &str = "test-secret-value";
pub const STS_TOKEN: &str = "sts-token-value";

pub fn tiny_retries(max_attempts: u32) -> RetryConfig {
    RetryConfig {
        max_attempts,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
    }
}

pub fn core_with(
    transport: InMemoryTransport,
    creds: Credentials,
    retry: RetryConfig,
) -> ClientCore {
    ClientCore::new(Config::new(creds, transport).with_retry(retry))
}

pub fn wire() -> WireRequest {
    let mut w = WireRequest::default();
    w.query.push_raw("RegionId", "cn-shanghai");
    w.query.push_raw("VpnConnectionId", "vco-1");
    w
}

pub fn error_body(code: &str, request_id: &str) -> String {
    format!(r#"{{"RequestId":"{request_id}","Code":"{code}","Message":"m"}}"#)
}

pub fn ok() -> HttpResponse {
    json_response(200, r#"{"RequestId":"OK"}"#)
}

/// A transport answering the n-th request (0-based) with `script(n, request)`.
pub fn scripted(
    script: impl Fn(usize, &HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync + 'static,
) -> InMemoryTransport {
    let n = AtomicUsize::new(0);
    InMemoryTransport::new(move |req| script(n.fetch_add(1, Ordering::SeqCst), req))
}
