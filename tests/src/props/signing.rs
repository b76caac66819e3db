//! Signing, and the emulator's verifier.

use super::*;

/// Input of [`signing`].
#[derive(Arbitrary, Debug, Clone)]
pub struct ArbSigning {
    /// The HTTP method.
    pub method: String,
    /// Query parameters (sorted and encoded before signing).
    pub query: Vec<(String, String)>,
    /// Headers (name, value).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// The access key secret.
    pub secret: String,
    /// A whole call, signed by the client and checked by the emulator.
    pub call: ArbRequest,
    /// The call's access key ID (from a list of realistic ones).
    pub key_id: u8,
    /// The call's access key secret (anything).
    pub call_secret: String,
    /// An STS token for the call (from a list), if any.
    pub token: Option<u8>,
    /// The call's nonce.
    pub nonce: u128,
    /// What to append to the secret and to the body to tamper with them.
    pub tamper: (u8, u8),
}

const KEY_IDS: &[&str] = &[
    "test-access-key-id",
    "LTAI5tFuzzKey",
    "STS.NUxxxxxx",
    "a",
    "AK_with.dots-and_underscores",
];

const TOKENS: &[&str] = &["CAIS8AF1q6Ft5B2yfSjIr5", "token", "a+b/c=="];

/// `alicloud_runtime::sign::sign` on arbitrary values never panics, is deterministic, signs
/// only (and all of) the headers it should, and a different secret gives a different
/// signature; and a call the client signs (any request values, any secret) is accepted by the
/// emulator's verifier, which refuses it under another secret, with another body or with
/// another query.
pub fn signing(input: &ArbSigning) {
    let mut list = ParamList::new();
    for (k, v) in &input.query {
        list.push_raw(k, v);
    }
    list.sort();
    let query = list.encoded();
    let headers: Vec<(&str, &str)> = input
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let hash = sign::sha256_hex(&input.body);
    let a = sign::sign(&input.method, &query, &headers, &hash, &input.secret);
    let b = sign::sign(&input.method, &query, &headers, &hash, &input.secret);
    assert_eq!(a, b, "signing is not deterministic");
    assert!(
        a.signature.len() == 64
            && a.signature
                .bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)),
        "signature {:?}",
        a.signature
    );
    let expected: BTreeSet<String> = input
        .headers
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .filter(|n| sign::is_signed_header(n))
        .collect();
    let signed: Vec<&str> = if a.signed_headers.is_empty() {
        Vec::new()
    } else {
        a.signed_headers.split(';').collect()
    };
    assert_eq!(
        signed,
        expected.iter().map(String::as_str).collect::<Vec<_>>(),
        "signed headers"
    );
    let other = format!("{}x", input.secret);
    assert_ne!(
        sign::sign(&input.method, &query, &headers, &hash, &other).signature,
        a.signature,
        "two secrets gave the same signature"
    );
    signed_call(input);
}

fn signed_call(input: &ArbSigning) {
    use alicloud_emulator::signature::verify;
    use alicloud_emulator::AccessKey;

    let key_id = pick(KEY_IDS, input.key_id);
    let token = input.token.map(|t| pick(TOKENS, t));
    let mut credentials = Credentials::new(key_id, input.call_secret.as_str());
    let mut key = AccessKey::new(key_id, input.call_secret.as_str());
    if let Some(t) = token {
        credentials = credentials.with_security_token(t);
        key = key.with_security_token(t);
    }
    let core = ClientCore::new(
        // An explicit host: any `RegionId` the input holds is signed, not resolved.
        Config::new(credentials.clone(), InMemoryTransport::always(200, "{}"))
            .with_endpoint("vpc.cn-shanghai.aliyuncs.com"),
    );
    let now = SystemTime::now();
    let date = format_acs_date(now);
    let nonce = format!("{:032x}", input.nonce);
    let wire = input.call.build().to_wire();
    let request = core
        .build_request(&modify::META, &wire, &credentials, &date, &nonce)
        .unwrap_or_else(|e| panic!("the client cannot build a request: {e}"));
    let method = request.method().as_str().to_owned();
    let raw_query = request.uri().query().unwrap_or("").to_owned();
    let verified = verify(
        &method,
        &raw_query,
        request.headers(),
        request.body(),
        std::slice::from_ref(&key),
        now,
    )
    .unwrap_or_else(|e| panic!("the emulator refuses what the client signed: {e}"));
    assert_eq!(verified.access_key_id, key_id);
    assert_eq!(verified.nonce, nonce);

    let mut wrong = key.clone();
    wrong.secret.push(char::from(b'a' + input.tamper.0 % 26));
    let refused = verify(
        &method,
        &raw_query,
        request.headers(),
        request.body(),
        &[wrong],
        now,
    )
    .expect_err("the emulator accepts a signature made with another secret");
    assert_eq!(refused.code, "SignatureDoesNotMatch", "{refused}");

    let mut body = request.body().clone();
    body.push(b'a' + input.tamper.1 % 26);
    let refused = verify(
        &method,
        &raw_query,
        request.headers(),
        &body,
        std::slice::from_ref(&key),
        now,
    )
    .expect_err("the emulator accepts a changed body");
    assert_eq!(refused.code, "SignatureDoesNotMatch", "{refused}");

    let changed_query = format!("{raw_query}&Tampered={}", input.tamper.1);
    let refused = verify(
        &method,
        &changed_query,
        request.headers(),
        request.body(),
        std::slice::from_ref(&key),
        now,
    )
    .expect_err("the emulator accepts a changed query");
    assert_eq!(refused.code, "SignatureDoesNotMatch", "{refused}");
}
