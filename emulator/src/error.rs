//! Error answers and the service's JSON error envelope.

use std::fmt;

use alicloud_runtime::decode::DecodeError;
use alicloud_runtime::{Rule, Violation, Violations};
use serde::Serialize;

/// An error answer: HTTP status, code and message. The server wraps it in the envelope
/// `{RequestId, HostId, Code, Message, Recommend}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// Error code, e.g. `VpnGateway.Configuring`.
    pub code: String,
    /// Message.
    pub message: String,
}

impl ApiError {
    /// A new error.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
        }
    }

    /// 400 `InvalidParameter` naming `path`.
    pub fn invalid_parameter(path: &str, what: &str) -> Self {
        Self::new(
            400,
            "InvalidParameter",
            format!("The specified parameter \"{path}\" is not valid: {what}."),
        )
    }

    /// The answer to wire parameters that do not decode: 400 `InvalidParameter` naming the
    /// parameter. Quoted parts of the message are cut: serde quotes the offending value in some
    /// messages (`invalid type: string "…"`), and a value can be a pre-shared key.
    pub fn from_decode(e: &DecodeError) -> Self {
        Self::invalid_parameter(&e.path, &without_quoted(&e.message))
    }

    /// The answer to a request that breaks rules of the spec: the violation [`first_violation`]
    /// picks, as
    ///
    /// * `Required` → 400 `MissingParameter`, naming the parameter;
    /// * a violation with an `error_code` → 400 with that code;
    /// * any other → 400 `InvalidParameter`, naming the field path.
    pub fn from_violations(v: &Violations) -> Self {
        match first_violation(v) {
            Some(v) => Self::from_violation(v),
            None => Self::new(400, "InvalidParameter", "The request is not valid."),
        }
    }

    /// The answer for one violation (see [`ApiError::from_violations`]).
    pub fn from_violation(v: &Violation) -> Self {
        if v.rule == Rule::Required {
            return Self::new(
                400,
                "MissingParameter",
                format!(
                    "The input parameter \"{}\" that is mandatory for processing this request is not supplied.",
                    v.path
                ),
            );
        }
        let message = format!(
            "The specified parameter \"{}\" is not valid: {}.",
            v.path, v.message
        );
        match v.error_code {
            Some(code) => Self::new(400, code, message),
            None => Self::new(400, "InvalidParameter", message),
        }
    }
}

/// `s` without its `"…"` and `` `…` `` parts.
fn without_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut closing: Option<char> = None;
    for c in s.chars() {
        match closing {
            Some(end) if c == end => closing = None,
            Some(_) => {}
            None if c == '"' || c == '`' => closing = Some(c),
            None => out.push(c),
        }
    }
    out.replace(" ,", ",").replace("  ", " ").trim().to_owned()
}

/// The violation the service reports when a request has several: like the service, the
/// emulator answers one. Missing required parameters come first (they are checked before any
/// value), then the first violation in the generated validator's order, which is the spec's
/// order of parameters, fields and rules, so the choice is deterministic.
pub fn first_violation(v: &Violations) -> Option<&Violation> {
    // Advisories are not the service's own rules: never the answer.
    v.refusals()
        .find(|x| x.rule == Rule::Required)
        .or_else(|| v.refusals().next())
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {}): {}", self.code, self.status, self.message)
    }
}

impl std::error::Error for ApiError {}

#[derive(Serialize)]
struct Envelope<'a> {
    #[serde(rename = "RequestId")]
    request_id: &'a str,
    #[serde(rename = "HostId")]
    host_id: &'a str,
    #[serde(rename = "Code")]
    code: &'a str,
    #[serde(rename = "Message")]
    message: &'a str,
    #[serde(rename = "Recommend")]
    recommend: String,
}

/// The JSON envelope of `e`.
pub(crate) fn envelope(e: &ApiError, request_id: &str, host_id: &str) -> String {
    let env = Envelope {
        request_id,
        host_id,
        code: &e.code,
        message: &e.message,
        recommend: format!(
            "https://api.aliyun.com/troubleshoot?q={}&product=Vpc&requestId={request_id}",
            e.code
        ),
    };
    serde_json::to_string(&env).unwrap_or_else(|_| String::from("{}"))
}

/// The JSON error body of a ROA product (CS): lower-case `code`, `message`, `requestId` and
/// the HTTP `status`, as those services answer and the typed client reads them.
pub(crate) fn roa_envelope(e: &ApiError, request_id: &str) -> String {
    serde_json::json!({
        "code": e.code,
        "message": e.message,
        "requestId": request_id,
        "status": e.status,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_errors_do_not_quote_values() {
        let e = ApiError::from_decode(&DecodeError {
            path: "IkeConfig".into(),
            message: "invalid type: string \"my-psk\", expected a IkeConfig object".into(),
        });
        assert_eq!(e.code, "InvalidParameter");
        assert_eq!(
            e.message,
            "The specified parameter \"IkeConfig\" is not valid: invalid type: string, expected a IkeConfig object."
        );
        assert_eq!(
            without_quoted("unknown variant `x1`, expected one of `a`"),
            "unknown variant, expected one of"
        );
    }
}
