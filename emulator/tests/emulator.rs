//! The emulator's signature check against every signing vector of the repository, and its
//! admin endpoints over HTTP.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use alicloud_emulator::signature::{parse_acs_date, verify};
use alicloud_emulator::{AccessKey, Emulator, EmulatorConfig, Fault};
use alicloud_runtime::reqwest_transport::ReqwestTransport;
use alicloud_runtime::sign;
use alicloud_runtime::transport::Transport;
use alicloud_runtime::wire::ParamList;
use serde_json::Value;

fn vectors() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/signing-vectors.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("signing vectors are readable"))
        .expect("signing vectors are JSON")
}

/// A received request, as the server sees it.
struct Received {
    query: String,
    headers: http::HeaderMap,
    body: Vec<u8>,
    now: SystemTime,
}

fn at(date: &str) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(parse_acs_date(date).expect("vector date") as u64)
}

fn received(v: &Value) -> Received {
    let url = v["url"].as_str().unwrap();
    let query = url.split_once('?').map_or("", |(_, q)| q).to_owned();
    let mut headers = http::HeaderMap::new();
    for (k, val) in v["headers"].as_object().unwrap() {
        headers.append(
            http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            http::HeaderValue::from_str(val.as_str().unwrap()).unwrap(),
        );
    }
    let date = v["headers"]["x-acs-date"].as_str().unwrap();
    Received {
        query,
        headers,
        body: v["body"].as_str().unwrap().as_bytes().to_vec(),
        now: at(date),
    }
}

fn test_key() -> Vec<AccessKey> {
    vec![AccessKey::new("testAccessKeyId", "testAccessKeySecret")]
}

const VECTORS: [&str; 5] = [
    "small_vector",
    "small_vector_no_body",
    "full_vector",
    "single_tunnel_vector",
    "dual_tunnel_vector",
];

#[test]
fn every_operation_vector_verifies_and_a_wrong_secret_quotes_the_same_string_to_sign() {
    let all = vectors();
    for name in VECTORS {
        let v = &all[name];
        let r = received(v);
        let ok = verify("POST", &r.query, &r.headers, &r.body, &test_key(), r.now)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(ok.access_key_id, "testAccessKeyId");
        assert_eq!(ok.nonce, "0123456789abcdef0123456789abcdef");

        let wrong = vec![AccessKey::new("testAccessKeyId", "not-the-secret")];
        let e = verify("POST", &r.query, &r.headers, &r.body, &wrong, r.now).unwrap_err();
        assert_eq!(
            (e.status, e.code.as_str()),
            (400, "SignatureDoesNotMatch"),
            "{name}"
        );
        let sts = v["string_to_sign"].as_str().unwrap();
        assert!(
            e.message
                .ends_with(&format!("server string to sign is:{sts}")),
            "{name}: {}",
            e.message
        );
    }
}

#[test]
fn the_official_documentation_vector_verifies() {
    let v = &vectors()["official_doc_vector"];
    let inputs = &v["inputs"];
    let mut q = ParamList::new();
    for (k, val) in inputs["query"].as_object().unwrap() {
        q.push_raw(k, val.as_str().unwrap());
    }
    q.sort();
    let mut headers = http::HeaderMap::new();
    for name in [
        "host",
        "x-acs-action",
        "x-acs-version",
        "x-acs-date",
        "x-acs-signature-nonce",
    ] {
        headers.insert(name, inputs[name].as_str().unwrap().parse().unwrap());
    }
    headers.insert(
        "x-acs-content-sha256",
        sign::sha256_hex(b"").parse().unwrap(),
    );
    headers.insert(
        "authorization",
        v["authorization"].as_str().unwrap().parse().unwrap(),
    );
    let keys = vec![AccessKey::new("YourAccessKeyId", "YourAccessKeySecret")];
    let now = at(inputs["x-acs-date"].as_str().unwrap());
    verify("POST", &q.encoded(), &headers, b"", &keys, now).unwrap();
}

#[test]
fn each_check_answers_its_code() {
    let all = vectors();
    let r = received(&all["small_vector"]);
    let check = |headers: &http::HeaderMap, body: &[u8], keys: &[AccessKey], now: SystemTime| {
        verify("POST", &r.query, headers, body, keys, now)
            .map(|_| ())
            .map_err(|e| (e.status, e.code))
    };
    let keys = test_key();
    assert_eq!(check(&r.headers, &r.body, &keys, r.now), Ok(()));

    // A client that signed the body with another hash, or whose body changed on the way.
    let e = verify("POST", &r.query, &r.headers, b"x", &keys, r.now).unwrap_err();
    assert_eq!(e.code, "SignatureDoesNotMatch");
    assert!(e.message.contains("x-acs-content-sha256"), "{}", e.message);
    // A query changed on the way.
    let e = verify(
        "POST",
        &r.query.replace("name%20test", "name%20tesT"),
        &r.headers,
        &r.body,
        &keys,
        r.now,
    )
    .unwrap_err();
    assert_eq!(e.code, "SignatureDoesNotMatch");

    // Clock skew: 15 minutes are tolerated, not 16.
    let later = |m: u64| r.now + Duration::from_secs(m * 60);
    assert_eq!(check(&r.headers, &r.body, &keys, later(15)), Ok(()));
    assert_eq!(
        check(&r.headers, &r.body, &keys, later(16)),
        Err((400, "InvalidTimeStamp.Expired".into()))
    );
    let mut h = r.headers.clone();
    h.insert("x-acs-date", "2024-01-02 03:04:05".parse().unwrap());
    assert_eq!(
        check(&h, &r.body, &keys, r.now),
        Err((400, "InvalidTimeStamp.Format".into()))
    );

    // Unknown key.
    let other = vec![AccessKey::new("someone-else", "testAccessKeySecret")];
    assert_eq!(
        check(&r.headers, &r.body, &other, r.now),
        Err((404, "InvalidAccessKeyId.NotFound".into()))
    );

    // Authorization missing, or a required header left out of the signature or not sent.
    let mut h = r.headers.clone();
    h.remove("authorization");
    assert_eq!(
        check(&h, &r.body, &keys, r.now),
        Err((400, "IncompleteSignature".into()))
    );
    let auth = r.headers["authorization"].to_str().unwrap().to_owned();
    let mut h = r.headers.clone();
    h.insert(
        "authorization",
        auth.replace(";x-acs-signature-nonce", "").parse().unwrap(),
    );
    assert_eq!(
        check(&h, &r.body, &keys, r.now),
        Err((400, "IncompleteSignature".into()))
    );
    let mut h = r.headers.clone();
    h.remove("x-acs-version");
    assert_eq!(
        check(&h, &r.body, &keys, r.now),
        Err((400, "IncompleteSignature".into()))
    );

    // An STS key wants its token.
    let sts =
        vec![AccessKey::new("testAccessKeyId", "testAccessKeySecret").with_security_token("tok")];
    assert_eq!(
        check(&r.headers, &r.body, &sts, r.now),
        Err((400, "InvalidSecurityToken.MismatchWithAccessKey".into()))
    );
}

/// Signers that sign every header they send (the Python SDK signs `accept` and `user-agent`)
/// are accepted: the list comes from `SignedHeaders`.
#[test]
fn signatures_over_more_headers_than_the_minimum_verify() {
    let all = vectors();
    let v = &all["small_vector"];
    let r = received(v);
    // The vector's canonical request, with `accept` inserted in sorted position.
    let canonical = v["canonical_request"]
        .as_str()
        .unwrap()
        .replacen("content-type:", "accept:application/json\ncontent-type:", 1)
        .replacen("\ncontent-type;host;", "\naccept;content-type;host;", 1);
    let sts = format!(
        "ACS3-HMAC-SHA256\n{}",
        sign::sha256_hex(canonical.as_bytes())
    );
    let sig = sign::hmac_sha256_hex(b"testAccessKeySecret", sts.as_bytes());
    let mut h = r.headers.clone();
    h.insert("accept", "application/json".parse().unwrap());
    h.insert(
        "authorization",
        format!("ACS3-HMAC-SHA256 Credential=testAccessKeyId,SignedHeaders=accept;content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature={sig}")
            .parse()
            .unwrap(),
    );
    verify("POST", &r.query, &h, &r.body, &test_key(), r.now).unwrap();
}

async fn admin(
    t: &ReqwestTransport,
    method: http::Method,
    url: String,
    body: &str,
) -> (u16, Value) {
    let mut req = http::Request::new(body.as_bytes().to_vec());
    *req.method_mut() = method;
    *req.uri_mut() = url.parse().unwrap();
    let resp = t.send(req).await.expect("the emulator answers");
    let json = serde_json::from_slice(resp.body()).expect("admin answers are JSON");
    (resp.status().as_u16(), json)
}

#[tokio::test]
async fn admin_endpoints_show_state_and_set_faults() {
    let em =
        Emulator::start(EmulatorConfig::default().with_faults(vec![Fault::throttle(1)])).unwrap();
    let base = format!("http://{}", em.addr());
    let t = ReqwestTransport::builder().no_proxy().build().unwrap();

    let (status, state) = admin(&t, http::Method::GET, format!("{base}/__admin/state"), "").await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = state["vpn_connections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["VpnConnectionId"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"vco-dual-a") && ids.contains(&"vco-single-a"),
        "{ids:?}"
    );
    assert_eq!(state["vpn_gateways"][0]["Status"], "active");

    let (status, faults) = admin(
        &t,
        http::Method::POST,
        format!("{base}/__admin/faults"),
        r#"[{"kind":"service_unavailable","count":2,"action":"DescribeVpnGateway"},{"kind":"delay","delay_ms":5}]"#,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(faults.as_array().unwrap().len(), 3, "{faults}");
    assert_eq!(em.faults().len(), 3);
    assert_eq!(
        em.faults()[1],
        Fault::service_unavailable(2).for_action("DescribeVpnGateway")
    );

    let (status, err) = admin(
        &t,
        http::Method::POST,
        format!("{base}/__admin/faults"),
        "{",
    )
    .await;
    assert_eq!(
        (status, err["Code"].as_str()),
        (400, Some("InvalidParameter"))
    );

    let (status, faults) = admin(
        &t,
        http::Method::DELETE,
        format!("{base}/__admin/faults"),
        "",
    )
    .await;
    assert_eq!((status, faults), (200, serde_json::json!([])));
    assert!(em.faults().is_empty());

    // Unknown paths answer the error envelope.
    let (status, err) = admin(&t, http::Method::GET, format!("{base}/nowhere"), "").await;
    assert_eq!(status, 404);
    assert_eq!(err["Code"], "InvalidAction.NotFound");
    assert!(err["RequestId"].as_str().is_some_and(|s| !s.is_empty()));
    // Admin calls are not recorded as API calls.
    assert!(em.requests().is_empty());
    em.shutdown();
}
