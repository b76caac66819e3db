//! The identity side: STS `AssumeRole` and `AssumeRoleWithOIDC`, the ECS instance metadata
//! service's RAM role credentials, and a credentials URI, so that every credential provider can
//! be tested end to end over loopback. Credentials it issues are accepted by the API with their
//! security token until they expire (`InvalidSecurityToken.Expired` afterwards).

use std::collections::HashMap;
use std::fmt;
use std::time::{Duration, SystemTime};

use crate::error::ApiError;
use crate::state::AccessKey;

/// The STS API version served.
pub const STS_VERSION: &str = "2015-04-01";
/// The STS operation answering who the caller is.
pub(crate) const GET_CALLER_IDENTITY: &str = "GetCallerIdentity";
/// The path of the credentials-URI endpoint.
pub const CREDENTIALS_URI_PATH: &str = "/__identity/credentials";

/// What the identity side accepts. Debug never shows the accepted OIDC tokens.
#[derive(Clone, Default)]
pub struct IdentityConfig {
    /// RAM role ARNs that `AssumeRole`/`AssumeRoleWithOIDC` may assume.
    pub roles: Vec<String>,
    /// OIDC identity provider ARNs registered.
    pub oidc_provider_arns: Vec<String>,
    /// OIDC tokens accepted (any other is refused).
    pub oidc_tokens: Vec<String>,
    /// The instance's RAM role served by the metadata endpoints (none: the instance has no
    /// role, and they answer 404).
    pub instance_role: Option<String>,
    /// Lifetime of every issued credential, overriding `DurationSeconds` (for tests of
    /// renewal); `None`: as asked, one hour by default.
    pub lifetime: Option<Duration>,
}

impl fmt::Debug for IdentityConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityConfig")
            .field("roles", &self.roles)
            .field("oidc_provider_arns", &self.oidc_provider_arns)
            .field("oidc_tokens", &self.oidc_tokens.len())
            .field("instance_role", &self.instance_role)
            .field("lifetime", &self.lifetime)
            .finish()
    }
}

/// The identity side's state: its configuration, the expiry of each issued access key, and
/// the metadata session tokens handed out.
#[derive(Default)]
pub(crate) struct IdentityState {
    pub config: IdentityConfig,
    pub expiry: HashMap<String, SystemTime>,
    /// The role ARN and session name each issued key was assumed with (STS keys only).
    pub sessions: HashMap<String, (String, String)>,
    pub metadata_tokens: Vec<String>,
}

/// Temporary credentials just issued: the key the API will accept, and when it expires.
pub(crate) struct Issued {
    pub key: AccessKey,
    pub expires: SystemTime,
}

impl Issued {
    /// The `Credentials` object of STS answers (and, with `Code`, the metadata service's).
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "AccessKeyId": self.key.id,
            "AccessKeySecret": self.key.secret,
            "SecurityToken": self.key.security_token,
            "Expiration": rfc3339(self.expires),
        })
    }
}

fn rfc3339(t: SystemTime) -> String {
    let t = time::OffsetDateTime::from(t)
        .replace_nanosecond(0)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn random(n: usize) -> String {
    let mut s = String::new();
    while s.len() < n {
        s.push_str(&uuid::Uuid::new_v4().simple().to_string());
    }
    s.truncate(n);
    s
}

impl IdentityState {
    /// Issues credentials lasting `asked` (or the configured lifetime) and remembers their
    /// expiry; the caller adds the key to the accepted ones.
    pub fn issue(&mut self, asked: Duration) -> Issued {
        let lifetime = self.config.lifetime.unwrap_or(asked);
        let expires = SystemTime::now() + lifetime;
        let key = AccessKey {
            id: format!("STS.{}", random(24)),
            secret: random(40),
            security_token: Some(format!("CAIS{}", random(120))),
        };
        self.expiry.insert(key.id.clone(), expires);
        Issued { key, expires }
    }

    /// Refuses a key the emulator issued once it has expired.
    pub fn check_expiry(&self, key_id: &str) -> Result<(), ApiError> {
        match self.expiry.get(key_id) {
            Some(&t) if SystemTime::now() >= t => Err(ApiError::new(
                400,
                "InvalidSecurityToken.Expired",
                "Specified SecurityToken is expired.",
            )),
            _ => Ok(()),
        }
    }
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

fn missing(name: &str) -> ApiError {
    ApiError::new(
        400,
        format!("MissingParameter.{name}"),
        format!("The input parameter {name} that is mandatory for processing this request is not supplied."),
    )
}

/// `DurationSeconds`: 900 to 43200 seconds, one hour when absent.
fn duration(params: &[(String, String)]) -> Result<Duration, ApiError> {
    match param(params, "DurationSeconds") {
        None => Ok(Duration::from_secs(3600)),
        Some(v) => match v.parse::<u64>() {
            Ok(s) if (900..=43_200).contains(&s) => Ok(Duration::from_secs(s)),
            _ => Err(ApiError::new(
                400,
                "InvalidParameter.DurationSeconds",
                "The Min/Max value of DurationSeconds is 15min/1hr.",
            )),
        },
    }
}

fn role<'a>(state: &IdentityState, params: &'a [(String, String)]) -> Result<&'a str, ApiError> {
    let arn = param(params, "RoleArn").ok_or_else(|| missing("RoleArn"))?;
    if !arn.starts_with("acs:ram::") || !arn.contains(":role/") {
        return Err(ApiError::new(
            400,
            "InvalidParameter.RoleArn",
            "The parameter RoleArn is wrongly formed.",
        ));
    }
    if !state.config.roles.iter().any(|r| r == arn) {
        return Err(ApiError::new(
            404,
            "EntityNotExist.Role",
            "The specified Role not exists.",
        ));
    }
    Ok(arn)
}

fn answer(request_id: &str, arn: &str, session: &str, issued: &Issued) -> String {
    serde_json::json!({
        "RequestId": request_id,
        "AssumedRoleUser": {
            "Arn": format!("{arn}/{session}"),
            "AssumedRoleId": format!("{}:{session}", &issued.key.id[4..16]),
        },
        "Credentials": issued.json(),
    })
    .to_string()
}

/// `AssumeRole` (signed; the signature was checked by the caller).
pub(crate) fn assume_role(
    state: &mut IdentityState,
    params: &[(String, String)],
    request_id: &str,
) -> Result<(String, AccessKey), ApiError> {
    let arn = role(state, params)?;
    let session = param(params, "RoleSessionName").ok_or_else(|| missing("RoleSessionName"))?;
    let issued = state.issue(duration(params)?);
    state
        .sessions
        .insert(issued.key.id.clone(), (arn.to_owned(), session.to_owned()));
    Ok((answer(request_id, arn, session, &issued), issued.key))
}

/// `AssumeRoleWithOIDC` (unsigned: the token is the proof).
pub(crate) fn assume_role_with_oidc(
    state: &mut IdentityState,
    params: &[(String, String)],
    request_id: &str,
) -> Result<(String, AccessKey), ApiError> {
    let provider = param(params, "OIDCProviderArn").ok_or_else(|| missing("OIDCProviderArn"))?;
    let token = param(params, "OIDCToken").ok_or_else(|| missing("OIDCToken"))?;
    let arn = role(state, params)?;
    let session = param(params, "RoleSessionName").ok_or_else(|| missing("RoleSessionName"))?;
    if !state
        .config
        .oidc_provider_arns
        .iter()
        .any(|p| p == provider)
    {
        return Err(ApiError::new(
            404,
            "EntityNotExist.OIDCProvider",
            "The specified OIDC provider does not exist.",
        ));
    }
    if !state.config.oidc_tokens.iter().any(|t| t == token) {
        return Err(ApiError::new(
            400,
            "InvalidParameter.OIDCToken",
            "The parameter OIDCToken is invalid.",
        ));
    }
    let issued = state.issue(duration(params)?);
    state
        .sessions
        .insert(issued.key.id.clone(), (arn.to_owned(), session.to_owned()));
    Ok((answer(request_id, arn, session, &issued), issued.key))
}

/// A 16-digit number standing for `what` (an account or user ID), the same every time.
fn numeric_id(what: &str) -> String {
    let hash = alicloud_runtime::sign::sha256_hex(what.as_bytes());
    let digits: String = hash
        .bytes()
        .map(|b| char::from(b'0' + b % 10))
        .take(16)
        .collect();
    // No leading zero, as account IDs have none.
    format!("1{}", &digits[1..])
}

/// `GetCallerIdentity` (signed by `caller`): who the key belongs to. A key the emulator
/// issued is the role session it was assumed as (`AssumedRoleUser`, in the role's account);
/// any other key is a RAM user of an emulated account, both IDs derived from the key ID, so
/// that one key always answers the same identity and two keys answer two.
pub(crate) fn caller_identity(
    state: &IdentityState,
    caller: Option<&str>,
    request_id: &str,
) -> String {
    let key = caller.unwrap_or_default();
    match state.sessions.get(key) {
        Some((role_arn, session)) => {
            // `acs:ram::<account>:role/<name>`
            let mut parts = role_arn.splitn(5, ':');
            let account = parts.nth(3).unwrap_or_default().to_owned();
            let role_name = role_arn.rsplit('/').next().unwrap_or_default();
            let role_id = numeric_id(&format!("role:{role_arn}"));
            serde_json::json!({
                "RequestId": request_id,
                "IdentityType": "AssumedRoleUser",
                "AccountId": account,
                "RoleId": role_id,
                "PrincipalId": format!("{role_id}:{session}"),
                "Arn": format!("acs:ram::{account}:assumed-role/{role_name}/{session}"),
            })
        }
        None => {
            let account = numeric_id(&format!("account:{key}"));
            let user = numeric_id(&format!("user:{key}"));
            serde_json::json!({
                "RequestId": request_id,
                "IdentityType": "RAMUser",
                "AccountId": account,
                "UserId": user,
                "PrincipalId": user,
                "Arn": format!("acs:ram::{account}:user/{}", key.to_ascii_lowercase()),
            })
        }
    }
    .to_string()
}

/// The metadata service's and credentials URI's answer for fresh credentials.
pub(crate) fn temporary_answer(issued: &Issued) -> String {
    let mut v = issued.json();
    v["Code"] = "Success".into();
    v["LastUpdated"] = rfc3339(SystemTime::now()).into();
    v.to_string()
}

/// A new metadata session token.
pub(crate) fn new_metadata_token(state: &mut IdentityState) -> String {
    let t = random(32);
    state.metadata_tokens.push(t.clone());
    t
}
