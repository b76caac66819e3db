//! The emulator's parsing of raw calls.

use super::*;

/// Input of [`emulator_decode`]: a raw call as it could reach the emulator, and wire
/// parameters for the generated decoding.
#[derive(Arbitrary, Debug, Clone)]
pub struct ArbRawCall {
    /// The HTTP method.
    pub method: String,
    /// The raw URL query.
    pub raw_query: String,
    /// Headers (name, value).
    pub headers: Vec<(String, Vec<u8>)>,
    /// The `Authorization` header (also tried as an `x-acs-date`).
    pub authorization: String,
    /// The body.
    pub body: Vec<u8>,
    /// Wire parameters (names and values) for the generated decoding.
    pub params: Vec<(ArbParamName, ArbText)>,
}

/// A wire parameter name: one the operation knows (plain, JSON or flattened), or anything.
#[derive(Arbitrary, Debug, Clone)]
pub enum ArbParamName {
    /// A known name, possibly flattened with indexes and field names.
    Known(u8, Vec<(u8, u8)>),
    /// Any text.
    Any(String),
}

const PARAM_NAMES: &[&str] = &[
    "RegionId",
    "VpnConnectionId",
    "ClientToken",
    "Name",
    "LocalSubnet",
    "EffectImmediately",
    "IkeConfig",
    "IpsecConfig",
    "HealthCheckConfig",
    "BgpConfig",
    "EnableDpd",
    "TunnelOptionsSpecification",
    "OwnerId",
];

const FLAT_FIELDS: &[&str] = &[
    "TunnelId",
    "Role",
    "EnableDpd",
    "TunnelBgpConfig",
    "TunnelIkeConfig",
    "TunnelIpsecConfig",
    "LocalAsn",
    "TunnelCidr",
    "LocalBgpIp",
    "Psk",
    "IkeLifetime",
    "IpsecLifetime",
    "",
];

impl ArbParamName {
    fn name(&self) -> String {
        match self {
            ArbParamName::Any(s) => s.clone(),
            ArbParamName::Known(i, segs) => {
                let mut s = pick(PARAM_NAMES, *i).to_owned();
                for (kind, v) in segs {
                    s.push('.');
                    match kind % 3 {
                        0 => {
                            let _ = write!(s, "{v}");
                        }
                        1 => s.push_str(pick(FLAT_FIELDS, *v)),
                        _ => s.push_str(&format!("+{v}")),
                    }
                }
                s
            }
        }
    }
}

/// The emulator's request parsing never panics: `Authorization` parsing, the canonical query
/// (which is idempotent), `x-acs-date` parsing, the whole signature check on arbitrary headers
/// (whose refusal is a 4xx with a code), and the generated decoding and validation of arbitrary
/// parameters, answered as the emulator answers them (400 with a code, a message naming the
/// parameter).
pub fn emulator_decode(input: &ArbRawCall) {
    use alicloud_emulator::signature::{canonical_query, parse_acs_date, parse_authorization};
    use alicloud_emulator::{first_violation, AccessKey, ApiError};

    if let Ok(a) = parse_authorization(&input.authorization) {
        assert!(!a.credential.is_empty() && !a.signature.is_empty());
    }
    let _ = parse_acs_date(&input.authorization);
    let canonical = canonical_query(&input.raw_query);
    assert_eq!(
        canonical_query(&canonical),
        canonical,
        "the canonical query is not canonical"
    );

    let mut headers = http::HeaderMap::new();
    if let Ok(v) = http::HeaderValue::from_str(&input.authorization) {
        headers.append(http::header::AUTHORIZATION, v);
    }
    for (name, value) in &input.headers {
        if let (Ok(n), Ok(v)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            http::HeaderValue::from_bytes(value),
        ) {
            headers.append(n, v);
        }
    }
    match alicloud_emulator::signature::verify(
        &input.method,
        &input.raw_query,
        &headers,
        &input.body,
        &[AccessKey::default()],
        SystemTime::now(),
    ) {
        Ok(v) => assert_eq!(v.access_key_id, AccessKey::DEFAULT_ID),
        Err(e) => {
            assert!((400..500).contains(&e.status), "{e}");
            assert!(!e.code.is_empty() && !e.message.is_empty(), "{e}");
        }
    }

    let params: Vec<(String, String)> = input
        .params
        .iter()
        .map(|(n, v)| (n.name(), v.text()))
        .collect();
    match decode_request::<ModifyVpnConnectionAttributeRequest>(&params) {
        Err(e) => {
            let answer = ApiError::from_decode(&e);
            assert_eq!(
                (answer.status, answer.code.as_str()),
                (400, "InvalidParameter")
            );
            assert!(!answer.message.is_empty());
        }
        Ok(req) => {
            if let Err(violations) = req.validate() {
                let first = first_violation(&violations).expect("a violation");
                let answer = ApiError::from_violations(&violations);
                assert_eq!(answer.status, 400);
                assert!(!answer.code.is_empty());
                assert!(answer.message.contains(&first.path), "{answer}");
            }
            // What decoded encodes and decodes to itself.
            let wire = req.to_wire();
            let mut again = wire.query.to_pairs();
            again.extend(wire.body.to_pairs());
            let back = decode_request::<ModifyVpnConnectionAttributeRequest>(&again)
                .unwrap_or_else(|e| panic!("a decoded request's parameters do not decode: {e}"));
            assert!(back.to_wire() == wire, "decoding is not a fixpoint");
        }
    }
}
