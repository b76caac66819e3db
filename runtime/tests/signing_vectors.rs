//! Reproduces every ACS3-HMAC-SHA256 vector of `tests/data/signing-vectors.json` byte for byte:
//! the wire encoding of the query and body, the canonical request, the string to sign and the
//! `Authorization` header through `sign::sign`, and the whole request assembled by
//! `ClientCore::build_request` (URL, body bytes, every header).
//!
//! The wire parameters are recovered by parsing the vector's URL query and body back into
//! decoded pairs, so that the encoder has to produce the exact bytes again.

use alicloud_runtime::client::{ClientCore, Config, OperationMeta};
use alicloud_runtime::sign;
use alicloud_runtime::transport::InMemoryTransport;
use alicloud_runtime::wire::{decode_form_component, ParamList, WireRequest};
use alicloud_runtime::Credentials;
use serde_json::Value;

const VECTORS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/data/signing-vectors.json"
));

const ALL: [&str; 6] = [
    "official_doc_vector",
    "small_vector",
    "small_vector_no_body",
    "full_vector",
    "single_tunnel_vector",
    "dual_tunnel_vector",
];

/// One vector, normalised: the official one gives inputs, the others a URL and headers.
struct Vector {
    name: &'static str,
    access_key_id: String,
    access_key_secret: String,
    method: String,
    host: String,
    action: String,
    version: String,
    date: String,
    nonce: String,
    /// Everything after `?` in the URL.
    query: String,
    url: String,
    body: String,
    /// Expected headers (lower-case names), `authorization` included.
    headers: Vec<(String, String)>,
    canonical_request: String,
    string_to_sign: String,
    authorization: String,
}

fn s(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("missing string `{key}`"))
        .to_owned()
}

fn load() -> Vec<Vector> {
    let root: Value = serde_json::from_str(VECTORS).expect("vectors parse");
    let common = &root["common_inputs"];
    ALL.iter()
        .map(|&name| {
            let v = &root[name];
            assert!(v.is_object(), "vector {name} missing");
            if let Some(inputs) = v.get("inputs") {
                // The official example: inputs only; build URL and headers from them.
                let mut q = ParamList::new();
                for (k, val) in inputs["query"].as_object().expect("query") {
                    q.push_raw(k, val.as_str().expect("query value"));
                }
                q.sort();
                let query = q.encoded();
                let host = s(inputs, "host");
                let body = s(inputs, "body");
                let headers = vec![
                    ("host".to_owned(), host.clone()),
                    ("x-acs-action".to_owned(), s(inputs, "x-acs-action")),
                    ("x-acs-version".to_owned(), s(inputs, "x-acs-version")),
                    ("x-acs-date".to_owned(), s(inputs, "x-acs-date")),
                    (
                        "x-acs-signature-nonce".to_owned(),
                        s(inputs, "x-acs-signature-nonce"),
                    ),
                    (
                        "x-acs-content-sha256".to_owned(),
                        sign::sha256_hex(body.as_bytes()),
                    ),
                    ("authorization".to_owned(), s(v, "authorization")),
                ];
                Vector {
                    name,
                    access_key_id: s(inputs, "access_key_id"),
                    access_key_secret: s(inputs, "access_key_secret"),
                    method: s(inputs, "method"),
                    url: format!("https://{host}/?{query}"),
                    host,
                    action: s(inputs, "x-acs-action"),
                    version: s(inputs, "x-acs-version"),
                    date: s(inputs, "x-acs-date"),
                    nonce: s(inputs, "x-acs-signature-nonce"),
                    query,
                    body,
                    headers,
                    canonical_request: s(v, "canonical_request"),
                    string_to_sign: s(v, "string_to_sign"),
                    authorization: s(v, "authorization"),
                }
            } else {
                let url = s(v, "url");
                let (_, query) = url.split_once("/?").expect("url has a query");
                let h = &v["headers"];
                let headers = h
                    .as_object()
                    .expect("headers")
                    .iter()
                    .map(|(k, val)| {
                        (
                            k.to_ascii_lowercase(),
                            val.as_str().expect("header").to_owned(),
                        )
                    })
                    .collect();
                Vector {
                    name,
                    access_key_id: s(common, "access_key_id"),
                    access_key_secret: s(common, "access_key_secret"),
                    method: s(common, "method"),
                    host: s(h, "host"),
                    action: s(h, "x-acs-action"),
                    version: s(h, "x-acs-version"),
                    date: s(h, "x-acs-date"),
                    nonce: s(h, "x-acs-signature-nonce"),
                    query: query.to_owned(),
                    url: url.clone(),
                    body: s(v, "body"),
                    headers,
                    canonical_request: s(v, "canonical_request"),
                    string_to_sign: s(v, "string_to_sign"),
                    authorization: s(v, "authorization"),
                }
            }
        })
        .collect()
}

/// Parses `a=b&c=d` into decoded pairs (form semantics, as the service decodes).
fn parse_pairs(encoded: &str) -> ParamList {
    let mut list = ParamList::new();
    if encoded.is_empty() {
        return list;
    }
    for part in encoded.split('&') {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        list.push_raw(&decode_form_component(k), &decode_form_component(v));
    }
    list
}

fn wire_of(v: &Vector) -> WireRequest {
    WireRequest {
        query: parse_pairs(&v.query),
        body: parse_pairs(&v.body),
        headers: ParamList::new(),
        ..WireRequest::default()
    }
}

fn header<'a>(v: &'a Vector, name: &str) -> Option<&'a str> {
    v.headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, val)| val.as_str())
}

#[test]
fn every_vector_is_present() {
    let vectors = load();
    assert_eq!(vectors.len(), ALL.len());
    // The file is the shared reference copied verbatim.
    assert!(VECTORS.contains("official_doc_vector"));
}

#[test]
fn wire_encoding_reproduces_url_query_and_body() {
    for v in load() {
        let mut wire = wire_of(&v);
        wire.sort();
        assert_eq!(wire.query.encoded(), v.query, "{}: query", v.name);
        assert_eq!(wire.body.encoded(), v.body, "{}: body", v.name);
        assert_eq!(
            sign::sha256_hex(wire.body.encoded().as_bytes()),
            header(&v, "x-acs-content-sha256").unwrap(),
            "{}: payload hash",
            v.name
        );
    }
}

#[test]
fn sign_reproduces_canonical_request_string_to_sign_and_authorization() {
    for v in load() {
        let mut wire = wire_of(&v);
        wire.sort();
        let query = wire.query.encoded();
        let body = wire.body.encoded();
        let payload_hash = sign::sha256_hex(body.as_bytes());
        // Every header the vector sends except Authorization, in the vector's order.
        let headers: Vec<(&str, &str)> = v
            .headers
            .iter()
            .filter(|(n, _)| n != "authorization")
            .map(|(n, val)| (n.as_str(), val.as_str()))
            .collect();
        let sig = sign::sign(
            &v.method,
            &query,
            &headers,
            &payload_hash,
            &v.access_key_secret,
        );
        assert_eq!(
            sig.canonical_request, v.canonical_request,
            "{}: canonical request",
            v.name
        );
        assert_eq!(
            sig.string_to_sign, v.string_to_sign,
            "{}: string to sign",
            v.name
        );
        assert_eq!(
            sig.authorization(&v.access_key_id),
            v.authorization,
            "{}: authorization",
            v.name
        );
        assert_eq!(
            header(&v, "authorization"),
            Some(v.authorization.as_str()),
            "{}",
            v.name
        );
    }
}

#[test]
fn build_request_reproduces_the_whole_request() {
    for v in load() {
        let meta = OperationMeta {
            product: "Test",
            version: Box::leak(v.version.clone().into_boxed_str()),
            action: Box::leak(v.action.clone().into_boxed_str()),
            endpoint_pattern: "unused.{region_id}.example",
            endpoints: &[],
            method: Box::leak(v.method.clone().into_boxed_str()),
            idempotency_token: None,
            anonymous: false,
            errors: &[],
        };
        let config = Config::new(
            Credentials::new("unused", "unused"),
            InMemoryTransport::always(200, "{}"),
        )
        .with_endpoint(v.host.clone());
        let core = ClientCore::new(config);
        let creds = Credentials::new(v.access_key_id.clone(), v.access_key_secret.as_str());

        // Parameters in reverse order: build_request must sort them for signing.
        let parsed = wire_of(&v);
        let mut wire = WireRequest::default();
        for (k, val) in parsed.query.to_pairs().into_iter().rev() {
            wire.query.push_raw(&k, &val);
        }
        for (k, val) in parsed.body.to_pairs().into_iter().rev() {
            wire.body.push_raw(&k, &val);
        }

        let req = core
            .build_request(&meta, &wire, &creds, &v.date, &v.nonce)
            .unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert_eq!(req.method().as_str(), v.method, "{}: method", v.name);
        assert_eq!(req.uri().to_string(), v.url, "{}: url", v.name);
        assert_eq!(req.body().as_slice(), v.body.as_bytes(), "{}: body", v.name);
        for (name, value) in &v.headers {
            let got = req
                .headers()
                .get(name.as_str())
                .unwrap_or_else(|| panic!("{}: header {name} missing", v.name));
            assert_eq!(got.to_str().unwrap(), value, "{}: header {name}", v.name);
            assert_eq!(
                req.headers().get_all(name.as_str()).iter().count(),
                1,
                "{}: {name} twice",
                v.name
            );
        }
        // Exactly the vector's signed headers are sent: no content-type without a body.
        let mut sent_signed: Vec<&str> = req
            .headers()
            .keys()
            .map(|n| n.as_str())
            .filter(|n| sign::is_signed_header(n))
            .collect();
        sent_signed.sort_unstable();
        let mut expected: Vec<&str> = v
            .headers
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| sign::is_signed_header(n))
            .collect();
        expected.sort_unstable();
        assert_eq!(sent_signed, expected, "{}: signed headers sent", v.name);
        assert_eq!(
            req.headers().contains_key("content-type"),
            !v.body.is_empty(),
            "{}: content-type iff body",
            v.name
        );
    }
}

#[test]
fn header_parameters_are_sent_and_signed_under_lower_case_names() {
    let meta = OperationMeta {
        product: "Test",
        version: "2016-04-28",
        action: "DoThing",
        endpoint_pattern: "unused.{region_id}.example",
        endpoints: &[],
        method: "POST",
        idempotency_token: None,
        anonymous: false,
        errors: &[],
    };
    let host = "vpc.cn-hangzhou.aliyuncs.com";
    let config = Config::new(
        Credentials::new("unused", "unused"),
        InMemoryTransport::always(200, "{}"),
    )
    .with_endpoint(host);
    let core = ClientCore::new(config);
    let creds = Credentials::new("testAccessKeyId", "testAccessKeySecret");
    let (date, nonce) = ("2026-12-03T10:00:00Z", "nonce-1");
    let content_type = "application/x-www-form-urlencoded; charset=UTF-8";
    let mut wire = WireRequest::default();
    wire.query.push_raw("RegionId", "cn-hangzhou");
    wire.body.push_raw("Name", "x");
    wire.headers.push_raw("X-Acs-Trace-Id", " t-1 ");
    wire.headers.push_raw("Accept-Language", "en-US");
    wire.headers.push_raw("Content-Type", content_type);
    let req = core
        .build_request(&meta, &wire, &creds, date, nonce)
        .unwrap();
    let h = req.headers();
    let one = |name: &str| {
        let all: Vec<_> = h.get_all(name).iter().collect();
        assert_eq!(all.len(), 1, "{name}: {all:?}");
        all[0].to_str().unwrap().to_owned()
    };
    // The parameter's Content-Type replaces the form's: one header, not two.
    assert_eq!(one("content-type"), content_type);
    assert_eq!(one("x-acs-trace-id"), " t-1 ");
    assert_eq!(one("accept-language"), "en-US");
    assert_eq!(req.body().as_slice(), b"Name=x");

    // The ACS3 signature, computed here from the protocol's rules: `host`, `content-type` and
    // `x-acs-*` headers, lower-case names, trimmed values, sorted; `accept-language` unsigned.
    let payload = sign::sha256_hex(b"Name=x");
    let signed = [
        ("content-type", content_type),
        ("host", host),
        ("x-acs-action", "DoThing"),
        ("x-acs-content-sha256", payload.as_str()),
        ("x-acs-date", date),
        ("x-acs-signature-nonce", nonce),
        ("x-acs-trace-id", "t-1"),
        ("x-acs-version", "2016-04-28"),
    ];
    let canonical_headers: String = signed.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_names = signed.map(|(k, _)| k).join(";");
    let canonical =
        format!("POST\n/\nRegionId=cn-hangzhou\n{canonical_headers}\n{signed_names}\n{payload}");
    let to_sign = format!(
        "ACS3-HMAC-SHA256\n{}",
        sign::sha256_hex(canonical.as_bytes())
    );
    let signature = sign::hmac_sha256_hex(b"testAccessKeySecret", to_sign.as_bytes());
    assert_eq!(
        one("authorization"),
        format!(
            "ACS3-HMAC-SHA256 Credential=testAccessKeyId,SignedHeaders={signed_names},Signature={signature}"
        )
    );

    // A bad header value is refused before anything is sent.
    let mut bad = wire.clone();
    bad.headers.push_raw("x-acs-bad", "line\nbreak");
    assert!(core
        .build_request(&meta, &bad, &creds, date, nonce)
        .is_err());
}
