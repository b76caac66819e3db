//! Fault injection: answers the emulator gives instead of (or before) the real one.
//!
//! Faults wait in a queue. Each API call (admin endpoints excepted) takes the first queued
//! fault that matches its action, uses up one of its `count` and then:
//!
//! | `kind` | answer |
//! |---|---|
//! | `throttle` | 400 `Throttling.User` |
//! | `internal_error` | 500 `InternalError` |
//! | `service_unavailable` | 503 `ServiceUnavailable` |
//! | `bad_gateway_html` | 502 with an HTML page (not the JSON envelope) |
//! | `drop_connection` | none: the connection is closed without a response |
//! | `delay` | waits `delay_ms`, then answers normally |
//! | `error` | `status` (default 400) with `code` and `message`: any scripted error |
//! | `respond` | 200 with `body` (its `RequestId` set): a scripted success, no state change |
//!
//! Faults are applied before the signature is checked, as a load balancer or the API gateway
//! would. In JSON (state file, `POST /__admin/faults`):
//!
//! ```json
//! {"kind": "throttle", "count": 2, "action": "ModifyVpnConnectionAttribute"}
//! {"kind": "delay", "count": 1, "delay_ms": 500}
//! {"kind": "error", "status": 404, "code": "InvalidVpcId.NotFound", "action": "DescribeVpcAttribute"}
//! {"kind": "respond", "body": {"VpcId": "vpc-scripted"}, "action": "CreateVpc"}
//! ```
//!
//! `count` defaults to 1; `action` (optional) limits the fault to calls of that action.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What a fault does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// 400 `Throttling.User`.
    Throttle,
    /// 500 `InternalError`.
    InternalError,
    /// 503 `ServiceUnavailable`.
    ServiceUnavailable,
    /// 502 with a non-JSON HTML body, as a proxy in front of the service would send.
    BadGatewayHtml,
    /// Close the connection without answering.
    DropConnection,
    /// Wait, then answer normally.
    Delay {
        /// How long, in milliseconds.
        delay_ms: u64,
    },
    /// A scripted error answer: this status and code (and message, or a generic one).
    Error {
        /// HTTP status (400 when absent).
        #[serde(default = "bad_request")]
        status: u16,
        /// The error code, e.g. `InvalidVpcId.NotFound`.
        code: String,
        /// The message (a generic one when absent).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// A scripted success: this JSON body with status 200 (its `RequestId` set to the call's
    /// when it is an object); no state changes.
    Respond {
        /// The answer.
        body: serde_json::Value,
    },
}

impl FaultKind {
    /// The kind's name in JSON (`throttle`, `delay`, …).
    pub fn name(&self) -> &'static str {
        match self {
            FaultKind::Throttle => "throttle",
            FaultKind::InternalError => "internal_error",
            FaultKind::ServiceUnavailable => "service_unavailable",
            FaultKind::BadGatewayHtml => "bad_gateway_html",
            FaultKind::DropConnection => "drop_connection",
            FaultKind::Delay { .. } => "delay",
            FaultKind::Error { .. } => "error",
            FaultKind::Respond { .. } => "respond",
        }
    }
}

fn bad_request() -> u16 {
    400
}

fn one() -> u32 {
    1
}

/// A fault for the next `count` matching calls.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// What happens.
    #[serde(flatten)]
    pub kind: FaultKind,
    /// For how many calls (default 1); a fault whose count reaches 0 leaves the queue.
    #[serde(default = "one")]
    pub count: u32,
    /// Only calls of this action (`x-acs-action`); every action when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

impl Fault {
    /// A fault of `kind` for the next `count` calls of any action.
    pub fn new(kind: FaultKind, count: u32) -> Self {
        Self {
            kind,
            count,
            action: None,
        }
    }

    /// 400 `Throttling.User` for the next `count` calls.
    pub fn throttle(count: u32) -> Self {
        Self::new(FaultKind::Throttle, count)
    }

    /// 500 `InternalError` for the next `count` calls.
    pub fn internal_error(count: u32) -> Self {
        Self::new(FaultKind::InternalError, count)
    }

    /// 503 `ServiceUnavailable` for the next `count` calls.
    pub fn service_unavailable(count: u32) -> Self {
        Self::new(FaultKind::ServiceUnavailable, count)
    }

    /// A 502 HTML page for the next `count` calls.
    pub fn bad_gateway_html(count: u32) -> Self {
        Self::new(FaultKind::BadGatewayHtml, count)
    }

    /// The connection closed without an answer, for the next `count` calls.
    pub fn drop_connection(count: u32) -> Self {
        Self::new(FaultKind::DropConnection, count)
    }

    /// The next `count` calls answered after `delay` (whole milliseconds).
    pub fn delay(count: u32, delay: Duration) -> Self {
        Self::new(
            FaultKind::Delay {
                delay_ms: u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            },
            count,
        )
    }

    /// The next `count` calls answer this error (status, code, message).
    pub fn error(
        count: u32,
        status: u16,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(
            FaultKind::Error {
                status,
                code: code.into(),
                message: Some(message.into()),
            },
            count,
        )
    }

    /// The next `count` calls answer this JSON body (status 200, `RequestId` set).
    pub fn respond(count: u32, body: serde_json::Value) -> Self {
        Self::new(FaultKind::Respond { body }, count)
    }

    /// The next `count` calls answer this typed response (e.g. a generated
    /// `DescribeVpcsResponse`), serialised as the service would send it.
    pub fn respond_typed<T: Serialize>(count: u32, response: &T) -> Self {
        Self::respond(
            count,
            serde_json::to_value(response).unwrap_or(serde_json::Value::Null),
        )
    }

    /// Limits the fault to calls of `action`.
    pub fn for_action(mut self, action: impl Into<String>) -> Self {
        self.action = Some(action.into());
        self
    }

    fn matches(&self, action: Option<&str>) -> bool {
        self.count > 0 && self.action.as_deref().is_none_or(|a| Some(a) == action)
    }
}

/// Takes one use of the first fault in `queue` matching `action`, dropping used-up faults.
pub(crate) fn take(queue: &mut Vec<Fault>, action: Option<&str>) -> Option<FaultKind> {
    let i = queue.iter().position(|f| f.matches(action))?;
    let kind = queue[i].kind.clone();
    queue[i].count -= 1;
    if queue[i].count == 0 {
        queue.remove(i);
    }
    Some(kind)
}

/// The body of `POST /__admin/faults`: one fault, a list, or `{"faults": [...]}`.
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum FaultsBody {
    One(Fault),
    Many(Vec<Fault>),
    Wrapped { faults: Vec<Fault> },
}

impl FaultsBody {
    pub(crate) fn into_vec(self) -> Vec<Fault> {
        match self {
            FaultsBody::One(f) => vec![f],
            FaultsBody::Many(v) | FaultsBody::Wrapped { faults: v } => v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_forms() {
        let f: Fault =
            serde_json::from_str(r#"{"kind":"delay","delay_ms":250,"count":2,"action":"X"}"#)
                .unwrap();
        assert_eq!(
            f,
            Fault::delay(2, Duration::from_millis(250)).for_action("X")
        );
        let f: Fault = serde_json::from_str(r#"{"kind":"throttle"}"#).unwrap();
        assert_eq!(f, Fault::throttle(1));
        let v: FaultsBody = serde_json::from_str(
            r#"[{"kind":"drop_connection"},{"kind":"bad_gateway_html","count":3}]"#,
        )
        .unwrap();
        assert_eq!(
            v.into_vec(),
            vec![Fault::drop_connection(1), Fault::bad_gateway_html(3)]
        );
        let w: FaultsBody =
            serde_json::from_str(r#"{"faults":[{"kind":"internal_error","count":2}]}"#).unwrap();
        assert_eq!(w.into_vec(), vec![Fault::internal_error(2)]);
        assert_eq!(
            serde_json::to_value(Fault::service_unavailable(1)).unwrap(),
            serde_json::json!({"kind":"service_unavailable","count":1})
        );
    }

    #[test]
    fn queue_order_counts_and_actions() {
        let mut q = vec![Fault::throttle(1).for_action("A"), Fault::internal_error(2)];
        assert_eq!(take(&mut q, Some("B")), Some(FaultKind::InternalError));
        assert_eq!(take(&mut q, Some("A")), Some(FaultKind::Throttle));
        assert_eq!(take(&mut q, Some("A")), Some(FaultKind::InternalError));
        assert_eq!(take(&mut q, Some("A")), None);
        assert!(q.is_empty());
    }
}
