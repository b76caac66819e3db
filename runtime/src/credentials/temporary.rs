//! The JSON answer that the ECS metadata service and credentials URIs give for temporary
//! credentials (`Code`, `AccessKeyId`, `AccessKeySecret`, `SecurityToken`, `Expiration`), and
//! its parser, shared by the providers that read it.

use std::time::SystemTime;

use super::base::{Credentials, CredentialsError};

/// The answer. Not `Debug`: it holds secrets.
#[derive(serde::Deserialize)]
struct TemporaryCredentials {
    #[serde(rename = "Code")]
    code: Option<String>,
    #[serde(rename = "AccessKeyId")]
    access_key_id: Option<String>,
    #[serde(rename = "AccessKeySecret")]
    access_key_secret: Option<String>,
    #[serde(rename = "SecurityToken")]
    security_token: Option<String>,
    #[serde(rename = "Expiration")]
    expiration: Option<String>,
}

/// Parses an RFC 3339 expiry (`2026-12-03T12:00:00Z`); `what` prefixes the error.
pub fn parse_expiration(text: &str, what: &str) -> Result<SystemTime, CredentialsError> {
    time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339)
        .map(SystemTime::from)
        .map_err(|_| {
            CredentialsError::new(format!(
                "{what}: Expiration `{}` is not an RFC 3339 date",
                text.chars()
                    .filter(|c| c.is_ascii_graphic())
                    .take(40)
                    .collect::<String>()
            ))
        })
}

/// Parses the answer; `what` (the source and what was asked) prefixes every error. Errors
/// never quote the body: it would hold the credentials.
pub(super) fn parse_temporary(body: &[u8], what: &str) -> Result<Credentials, CredentialsError> {
    let parsed: TemporaryCredentials = serde_json::from_slice(body).map_err(|e| {
        CredentialsError::new(format!(
            "{what}: the answer is not the expected JSON ({:?} error at line {}, column {})",
            e.classify(),
            e.line(),
            e.column()
        ))
    })?;
    let code = parsed.code.as_deref().unwrap_or("");
    if code != "Success" {
        let code: String = code
            .chars()
            .filter(|c| c.is_ascii_graphic())
            .take(64)
            .collect();
        return Err(CredentialsError::new(format!(
            "{what}: Code is `{code}`, not `Success`"
        )));
    }
    let field = |v: Option<String>, name: &str| {
        v.map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| CredentialsError::new(format!("{what}: the answer has no {name}")))
    };
    let id = field(parsed.access_key_id, "AccessKeyId")?;
    let secret = field(parsed.access_key_secret, "AccessKeySecret")?;
    let token = field(parsed.security_token, "SecurityToken")?;
    let expiration = field(parsed.expiration, "Expiration")?;
    let expiry = parse_expiration(&expiration, what)?;
    Ok(Credentials::new(id, secret)
        .with_security_token(token)
        .with_expiry(expiry))
}
