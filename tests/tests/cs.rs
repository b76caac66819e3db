//! The ROA product, CS 2015-12-15 (`alicloud-cs`), against what the official Python SDK sent
//! and made of the answers (`tests/data/roa-signing-vectors.json`): each captured request is
//! rebuilt through the generated builders and the client core, byte for byte (method, URL,
//! body, body hash, canonical request, signature), and each captured reply is parsed as the
//! SDK parsed it. Then one operation of each method (GET, POST, PUT, DELETE) goes through the
//! client and the in-memory transport, and the ROA answers RPC does not have: `202`, no body,
//! a top-level array, errors with lower-case keys or in XML, the request id in a header.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use alicloud_cs::operation::{
    delete_cluster, describe_cluster_detail, describe_clusters_v1, modify_cluster,
};
use alicloud_cs::types::Tag;
use alicloud_cs::{Client, Config, Credentials, SdkError};
use alicloud_runtime::client::{RetryConfig, Scheme};
use alicloud_runtime::paginate::Stream;
use alicloud_runtime::sign;
use alicloud_runtime::transport::{json_response, HttpRequest, HttpResponse, InMemoryTransport};
use serde_json::Value;

const VECTORS: &str = include_str!("../data/roa-signing-vectors.json");
const HOST: &str = "127.0.0.1:18081";

fn vectors() -> Value {
    serde_json::from_str(VECTORS).expect("the ROA vectors parse")
}

fn case(name: &str) -> Value {
    vectors()["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["action"] == name)
        .unwrap_or_else(|| panic!("no vector for {name}"))
        .clone()
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is not a string in {v}"))
}

fn credentials() -> Credentials {
    let v = vectors();
    Credentials::new(s(&v, "access_key_id"), s(&v, "access_key_secret"))
}

/// A client for the captures' server, answering with `transport`.
fn client(transport: InMemoryTransport) -> Client {
    Client::new(
        Config::new(credentials(), transport)
            .with_endpoint(HOST)
            .with_scheme(Scheme::Http)
            .with_retry(RetryConfig {
                max_attempts: 3,
                initial_backoff: Duration::from_millis(1),
                max_backoff: Duration::from_millis(2),
            }),
    )
}

/// The captured request of `action`, as our client prepares it with the captured date and
/// nonce.
fn prepared(action: &str) -> HttpRequest {
    let v = vectors();
    let date = s(&v["pinned"], "x-acs-date");
    let nonce = s(&v["pinned"], "nonce");
    let c = client(InMemoryTransport::always(200, "{}"));
    let core = c.core();
    let creds = credentials();
    let out = match action {
        "DescribeClusterDetail" => {
            let req = describe_cluster_detail::DescribeClusterDetailRequest::builder()
                .cluster_id("c82e6987e2961451182edacd74faf****")
                .build()
                .expect("complete");
            core.prepare_request(
                &describe_cluster_detail::META,
                &req,
                true,
                &creds,
                date,
                nonce,
            )
        }
        "DescribeClustersV1" => {
            let req = describe_clusters_v1::DescribeClustersV1Request::builder()
                .name("k8s test/1")
                .cluster_type("ManagedKubernetes")
                .page_size(10)
                .page_number(1)
                .region_id("cn-shanghai")
                .build()
                .expect("complete");
            core.prepare_request(&describe_clusters_v1::META, &req, true, &creds, date, nonce)
        }
        "ModifyCluster" => {
            let req = modify_cluster::ModifyClusterRequest::builder()
                .cluster_id("c82e6987e2961451182edacd74faf****")
                .deletion_protection(true)
                .cluster_name("renamed")
                .instance_deletion_protection(false)
                .api_server_eip(false)
                .build()
                .expect("complete");
            core.prepare_request(&modify_cluster::META, &req, true, &creds, date, nonce)
        }
        "DeleteCluster" => {
            let req = delete_cluster::DeleteClusterRequest::builder()
                .cluster_id("c-doesnotexist")
                .retain_all_resources(false)
                .build()
                .expect("complete");
            core.prepare_request(&delete_cluster::META, &req, true, &creds, date, nonce)
        }
        other => panic!("no request for {other}"),
    };
    out.unwrap_or_else(|e| panic!("{action} does not prepare: {e}"))
}

fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers()
        .get(name)
        .map(|v| v.to_str().expect("ASCII header"))
}

/// The canonical query of a URL: its query with `+` written `%20`, as signing writes a space.
fn canonical_query(req: &HttpRequest) -> String {
    req.uri().query().unwrap_or("").replace('+', "%20")
}

/// The vector's canonical request without the headers the SDK signs and this client does not
/// (`accept`, `user-agent`, `x-acs-credentials-provider`): the canonical request this client
/// must have signed.
fn without_sdk_only_headers(canonical: &str) -> String {
    const SDK_ONLY: [&str; 3] = ["accept", "user-agent", "x-acs-credentials-provider"];
    let lines: Vec<&str> = canonical.split('\n').collect();
    let n = lines.len();
    let mut out: Vec<String> = lines[..3].iter().map(|l| (*l).to_owned()).collect();
    for l in &lines[3..n - 3] {
        let name = l.split(':').next().unwrap_or_default();
        if !SDK_ONLY.contains(&name) {
            out.push((*l).to_owned());
        }
    }
    out.push(String::new());
    let signed: Vec<&str> = lines[n - 2]
        .split(';')
        .filter(|h| !SDK_ONLY.contains(h))
        .collect();
    out.push(signed.join(";"));
    out.push(lines[n - 1].to_owned());
    out.join("\n")
}

const ACTIONS: [&str; 4] = [
    "DescribeClusterDetail",
    "DescribeClustersV1",
    "ModifyCluster",
    "DeleteCluster",
];

#[test]
fn every_captured_request_is_reproduced_byte_for_byte() {
    let v = vectors();
    assert_eq!(v["cases"].as_array().map(Vec::len), Some(ACTIONS.len()));
    let secret = s(&v, "access_key_secret");
    for action in ACTIONS {
        let c = case(action);
        let sent = &c["headers"];
        let req = prepared(action);
        assert_eq!(req.method().as_str(), s(&c, "method"), "{action}");
        assert_eq!(
            req.uri().to_string(),
            format!("http://{HOST}{}", s(&c, "target")),
            "{action}: URL"
        );
        assert_eq!(
            String::from_utf8(req.body().clone()).expect("UTF-8 body"),
            s(&c, "body"),
            "{action}: body"
        );
        for name in [
            "host",
            "x-acs-action",
            "x-acs-version",
            "x-acs-date",
            "x-acs-signature-nonce",
            "x-acs-content-sha256",
            "accept",
        ] {
            assert_eq!(header(&req, name), sent[name].as_str(), "{action}: {name}");
        }
        assert_eq!(
            header(&req, "content-type"),
            sent["content-type"].as_str(),
            "{action}: content-type"
        );
        assert_eq!(
            sign::sha256_hex(req.body()),
            s(sent, "x-acs-content-sha256"),
            "{action}: the hash is of the bytes sent"
        );

        // Signed as the SDK signs (its `accept`, `user-agent` and credentials-provider
        // headers too), the request gives the SDK's canonical request and signature.
        let mut headers: Vec<(&str, &str)> = Vec::new();
        for name in s(&c, "canonical_request")
            .rsplit('\n')
            .nth(1)
            .expect("signed headers line")
            .split(';')
        {
            let value = match name {
                "user-agent" | "x-acs-credentials-provider" => s(sent, name),
                _ => header(&req, name).unwrap_or_else(|| panic!("{action}: no `{name}` sent")),
            };
            headers.push((name, value));
        }
        let path = req.uri().path();
        let query = canonical_query(&req);
        let hash = header(&req, "x-acs-content-sha256").expect("hash header");
        let sdk = sign::sign_all_headers(s(&c, "method"), path, &query, &headers, hash, secret);
        assert_eq!(
            sdk.canonical_request,
            s(&c, "canonical_request"),
            "{action}"
        );
        assert_eq!(sdk.string_to_sign, s(&c, "string_to_sign"), "{action}");
        assert_eq!(sdk.signature, s(&c, "signature"), "{action}");
        assert_eq!(
            sdk.authorization(s(&v, "access_key_id")),
            s(sent, "authorization"),
            "{action}"
        );

        // Our own `Authorization` signs the same request over the headers this client signs.
        let ours = sign::sign_request(
            s(&c, "method"),
            path,
            &query,
            &req.headers()
                .iter()
                .map(|(k, v)| (k.as_str(), v.to_str().expect("ASCII")))
                .collect::<Vec<_>>(),
            hash,
            secret,
        );
        assert_eq!(
            ours.canonical_request,
            without_sdk_only_headers(s(&c, "canonical_request")),
            "{action}"
        );
        assert_eq!(
            header(&req, "authorization"),
            Some(ours.authorization(s(&v, "access_key_id")).as_str()),
            "{action}"
        );
    }
}

/// The captured request of `action` as a raw call (`Client::raw`) prepares it: method, path
/// template, path parameters, query and JSON body given by hand, as for an operation newer
/// than the crate.
fn prepared_raw(action: &str) -> HttpRequest {
    let v = vectors();
    let date = s(&v["pinned"], "x-acs-date");
    let nonce = s(&v["pinned"], "nonce");
    let c = client(InMemoryTransport::always(200, "{}"));
    let id = "c82e6987e2961451182edacd74faf****";
    let call = c.raw(action);
    let call = match action {
        "DescribeClusterDetail" => call
            .method("get")
            .path("/clusters/{ClusterId}")
            .path_param("ClusterId", id),
        "DescribeClustersV1" => call
            .method("GET")
            .path("/api/v1/clusters")
            .param("region_id", "cn-shanghai")
            .param("page_size", 10)
            .param("name", "k8s test/1")
            .param("cluster_type", "ManagedKubernetes")
            .param("page_number", 1),
        "ModifyCluster" => call
            .method("PUT")
            .path("/api/v2/clusters/{ClusterId}")
            .path_param("ClusterId", id)
            .body_param("deletion_protection", &true)
            .body_param("cluster_name", &"renamed")
            .body_param("instance_deletion_protection", &false)
            .body_param("api_server_eip", &false),
        "DeleteCluster" => call
            .method("DELETE")
            .path("/clusters/{ClusterId}")
            .path_param("ClusterId", "c-doesnotexist")
            .param("retain_all_resources", "False"),
        other => panic!("no raw call for {other}"),
    };
    call.prepare_request(&credentials(), date, nonce)
        .unwrap_or_else(|e| panic!("{action} does not prepare: {e}"))
}

#[test]
fn raw_calls_reproduce_every_captured_request() {
    for action in ACTIONS {
        let c = case(action);
        let raw = prepared_raw(action);
        let typed = prepared(action);
        assert_eq!(raw.method().as_str(), s(&c, "method"), "{action}");
        assert_eq!(
            raw.uri().to_string(),
            format!("http://{HOST}{}", s(&c, "target")),
            "{action}: URL"
        );
        assert_eq!(
            String::from_utf8(raw.body().clone()).expect("UTF-8 body"),
            s(&c, "body"),
            "{action}: body"
        );
        // Every header, the signature among them, as the generated operation sends it.
        let headers = |r: &HttpRequest| -> Vec<(String, String)> {
            r.headers()
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_str().expect("ASCII").to_owned()))
                .collect()
        };
        assert_eq!(headers(&raw), headers(&typed), "{action}: headers");
        assert!(header(&raw, "authorization").is_some(), "{action}: signed");
    }
}

#[tokio::test]
async fn raw_calls_send_roa_and_report_what_is_wrong_before_sending() {
    let t = replying("ModifyCluster");
    let answer = client(t.clone())
        .raw("ModifyCluster")
        .method("put")
        .path("/api/v2/clusters/{ClusterId}")
        .path_param("ClusterId", "a/b c")
        .json_body(&serde_json::json!({ "cluster_name": "x", "api_server_eip": true }))
        .send_with_metadata::<Value>()
        .await
        .expect("202 is a success");
    assert_eq!(answer.status(), 202);
    let (method, path, query, body) = seen(&t);
    assert_eq!(method, "PUT");
    // The value stays one segment: `/` and the space are encoded.
    assert_eq!(path, "/api/v2/clusters/a%2Fb%20c");
    assert_eq!(query, None);
    assert_eq!(body, r#"{"api_server_eip":true,"cluster_name":"x"}"#);

    // Each mistake is named, and nothing is sent.
    let t = InMemoryTransport::always(200, "{}");
    let c = client(t.clone());
    let cases: Vec<(
        alicloud_runtime::client::RawCall<alicloud_cs::ErrorCode>,
        &str,
    )> = vec![
        (
            c.raw("DescribeClusterDetail").path("/clusters/{ClusterId}"),
            "`.path_param(\"ClusterId\", ..)`",
        ),
        (
            c.raw("DescribeClusterDetail")
                .path("/clusters/{ClusterId}")
                .path_param("ClusterId", "c-1")
                .path_param("ClusterID", "c-1"),
            "names no `{ClusterID}` placeholder",
        ),
        (
            c.raw("DescribeClusterDetail").path("/clusters/{ClusterId"),
            "without its `}`",
        ),
        (
            c.raw("DescribeClusterDetail").path("clusters"),
            "must start with `/`",
        ),
        (
            c.raw("DescribeClusterDetail")
                .path_param("ClusterId", "c-1"),
            "the call has no path",
        ),
        (
            c.raw("DescribeClusterDetail").method("FETCH"),
            "must be one of",
        ),
        (
            c.raw("ModifyClusterTags")
                .json_body(&[1, 2])
                .body_param("key", &"v"),
            "set to an array by `json_body`",
        ),
        (
            c.raw("ModifyCluster").in_body().body_param("a", &1),
            "a call has one body",
        ),
    ];
    for (call, expected) in cases {
        let described = format!("{call:?}");
        match call.send_json().await {
            Err(SdkError::Validation(v)) => {
                let text = v.to_string();
                assert!(text.contains(expected), "{described}: {text}");
            }
            other => panic!("{described}: {other:?}"),
        }
    }
    assert!(t.requests().is_empty(), "nothing was sent");
}

/// A transport answering with the captured reply of `action` (JSON, its status).
fn replying(action: &str) -> InMemoryTransport {
    let reply = case(action)["reply"].clone();
    let status = reply["status"].as_u64().expect("status") as u16;
    let body = reply["body"].to_string();
    InMemoryTransport::new(move |_| Ok(json_response(status, &body)))
}

/// What the transport saw: method, path, query (as sent) and body.
fn seen(t: &InMemoryTransport) -> (String, String, Option<String>, String) {
    let reqs = t.requests();
    assert_eq!(reqs.len(), 1, "one request");
    let r = &reqs[0];
    (
        r.method().to_string(),
        r.uri().path().to_owned(),
        r.uri().query().map(str::to_owned),
        String::from_utf8(r.body().clone()).expect("UTF-8"),
    )
}

fn sdk_body(action: &str) -> Value {
    let c = case(action);
    assert_eq!(c["sdk_result"]["ok"], true, "{action}");
    c["sdk_result"]["body"].clone()
}

#[tokio::test]
async fn get_describe_cluster_detail_parses_as_the_sdk_did() {
    let t = replying("DescribeClusterDetail");
    let resp = client(t.clone())
        .describe_cluster_detail()
        .cluster_id("c82e6987e2961451182edacd74faf****")
        .send()
        .await
        .expect("200");
    assert_eq!(
        seen(&t),
        (
            "GET".to_owned(),
            "/clusters/c82e6987e2961451182edacd74faf%2A%2A%2A%2A".to_owned(),
            None,
            String::new()
        )
    );
    let want = sdk_body("DescribeClusterDetail");
    assert_eq!(resp.cluster_id.as_deref(), want["cluster_id"].as_str());
    assert_eq!(resp.name.as_deref(), want["name"].as_str());
    assert_eq!(resp.state.as_deref(), want["state"].as_str());
    assert_eq!(resp.size, want["size"].as_i64());
    // The SDK's model shows an absent list as `[]`; here it is absent, and empty either way.
    assert_eq!(want["tags"], serde_json::json!([]));
    assert!(resp.tags.unwrap_or_default().is_empty());
}

#[tokio::test]
async fn get_describe_clusters_v1_sends_the_query_and_parses_nested_objects() {
    let t = replying("DescribeClustersV1");
    let resp = client(t.clone())
        .describe_clusters_v1()
        .name("k8s test/1")
        .cluster_type("ManagedKubernetes")
        .page_size(10)
        .page_number(1)
        .region_id("cn-shanghai")
        .send()
        .await
        .expect("200");
    let (method, path, query, body) = seen(&t);
    assert_eq!(
        (method.as_str(), path.as_str()),
        ("GET", "/api/v1/clusters")
    );
    assert_eq!(
        query.as_deref(),
        Some("cluster_type=ManagedKubernetes&name=k8s+test%2F1&page_number=1&page_size=10&region_id=cn-shanghai")
    );
    assert_eq!(body, "");
    let want = sdk_body("DescribeClustersV1");
    assert_eq!(resp.clusters.as_deref().map(<[_]>::len), Some(0));
    let page = resp.page_info.expect("page_info");
    assert_eq!(page.page_number, Some(1));
    assert_eq!(
        page.page_size.map(i64::from),
        want["page_info"]["page_size"].as_i64()
    );
    assert_eq!(page.total_count, Some(0));
}

#[tokio::test]
async fn put_modify_cluster_sends_a_json_body_and_accepts_202() {
    let t = replying("ModifyCluster");
    let resp = client(t.clone())
        .modify_cluster()
        .cluster_id("c82e6987e2961451182edacd74faf****")
        .deletion_protection(true)
        .cluster_name("renamed")
        .instance_deletion_protection(false)
        .api_server_eip(false)
        .send()
        .await
        .expect("202 is a success");
    assert_eq!(
        seen(&t),
        (
            "PUT".to_owned(),
            "/api/v2/clusters/c82e6987e2961451182edacd74faf%2A%2A%2A%2A".to_owned(),
            None,
            s(&case("ModifyCluster"), "body").to_owned()
        )
    );
    let want = sdk_body("ModifyCluster");
    assert_eq!(resp.cluster_id.as_deref(), want["cluster_id"].as_str());
    assert_eq!(resp.request_id.as_deref(), want["request_id"].as_str());
    assert_eq!(resp.task_id.as_deref(), want["task_id"].as_str());
}

#[tokio::test]
async fn delete_cluster_answered_with_a_lower_case_error() {
    let t = replying("DeleteCluster");
    let err = client(t.clone())
        .delete_cluster()
        .cluster_id("c-doesnotexist")
        .retain_all_resources(false)
        .send()
        .await
        .expect_err("404");
    assert_eq!(
        seen(&t),
        (
            "DELETE".to_owned(),
            "/clusters/c-doesnotexist".to_owned(),
            Some("retain_all_resources=False".to_owned()),
            String::new()
        )
    );
    let sdk = &case("DeleteCluster")["sdk_result"];
    assert_eq!(sdk["ok"], false);
    match err {
        SdkError::Service(e) => {
            assert_eq!(e.code(), s(sdk, "code"));
            assert_eq!(u64::from(e.http_status()), sdk["status"].as_u64().unwrap());
            assert_eq!(e.request_id(), sdk["request_id"].as_str());
            assert_eq!(e.message(), "cluster c-doesnotexist not found");
        }
        other => panic!("not a service error: {other:?}"),
    }
}

#[tokio::test]
async fn post_modify_cluster_tags_sends_a_top_level_array_and_accepts_no_body() {
    let t = InMemoryTransport::always(200, "");
    let resp = client(t.clone())
        .modify_cluster_tags()
        .cluster_id("c-1/../x")
        .body(vec![
            Tag::builder().value("prod").key("env").build(),
            Tag::builder().key("team").build(),
        ])
        .send()
        .await;
    assert!(resp.is_ok(), "{resp:?}");
    let (method, path, query, body) = seen(&t);
    assert_eq!(method, "POST");
    // A `/` in a value cannot add a path segment.
    assert_eq!(path, "/clusters/c-1%2F..%2Fx/tags");
    assert_eq!(query, None);
    assert_eq!(body, r#"[{"key":"env","value":"prod"},{"key":"team"}]"#);
    let sent = &t.requests()[0];
    assert_eq!(
        header(sent, "content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(
        header(sent, "x-acs-content-sha256").map(str::to_owned),
        Some(sign::sha256_hex(body.as_bytes()))
    );
}

#[tokio::test]
async fn an_object_body_with_nothing_set_is_an_empty_object() {
    let t = InMemoryTransport::always(202, "{}");
    client(t.clone())
        .modify_cluster()
        .cluster_id("c-1")
        .send()
        .await
        .expect("202");
    assert_eq!(seen(&t).3, "{}");
}

#[tokio::test]
async fn top_level_arrays_and_empty_bodies_decode() {
    let t = InMemoryTransport::always(
        200,
        r#"[{"cluster_id": "c-1", "resource_type": "ALIYUN::VPC::VPC", "instance_id": "vpc-1"}, {}]"#,
    );
    let resp = client(t.clone())
        .describe_cluster_resources()
        .cluster_id("c-1")
        .send()
        .await
        .expect("array body");
    let items = resp.body.expect("a list");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].cluster_id.as_deref(), Some("c-1"));
    assert_eq!(items[0].resource_type.as_deref(), Some("ALIYUN::VPC::VPC"));
    assert_eq!(items[1].cluster_id, None);
    assert_eq!(seen(&t).1, "/clusters/c-1/resources");

    // No body at all (a 204): no list, and no fields for a response of fields.
    let none = InMemoryTransport::new(|_| Ok(json_response(204, "")));
    let resp = client(none)
        .describe_cluster_resources()
        .cluster_id("c-1")
        .send()
        .await
        .expect("204");
    assert!(resp.body.is_none());
    let none = InMemoryTransport::new(|_| Ok(json_response(204, "")));
    let resp = client(none)
        .describe_cluster_detail()
        .cluster_id("c-1")
        .send()
        .await
        .expect("204");
    assert_eq!(resp.cluster_id, None);

    // A body that is not the documented shape is an invalid response, never a panic.
    let bad = InMemoryTransport::always(200, r#"{"not": "a list"}"#);
    let err = client(bad)
        .describe_cluster_resources()
        .cluster_id("c-1")
        .send()
        .await
        .expect_err("an object is not a list");
    assert!(matches!(err, SdkError::InvalidResponse(_)), "{err:?}");
}

fn xml_error(status: u16, body: &'static str, request_id: Option<&'static str>) -> HttpResponse {
    let mut resp = http::Response::new(body.as_bytes().to_vec());
    *resp.status_mut() = http::StatusCode::from_u16(status).unwrap();
    resp.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/xml;charset=utf-8"),
    );
    if let Some(id) = request_id {
        resp.headers_mut()
            .insert("x-acs-request-id", http::HeaderValue::from_static(id));
    }
    resp
}

#[tokio::test]
async fn xml_errors_and_request_ids_from_the_header() {
    let t = InMemoryTransport::new(|_| {
        Ok(xml_error(
            403,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>Forbidden.RAM</Code><Message>not allowed &amp; logged</Message></Error>",
            Some("HDR-REQ-1"),
        ))
    });
    let err = client(t)
        .describe_cluster_detail()
        .cluster_id("c-1")
        .send()
        .await
        .expect_err("403");
    match err {
        SdkError::Service(e) => {
            assert_eq!(e.code(), "Forbidden.RAM");
            assert_eq!(e.message(), "not allowed & logged");
            assert_eq!(e.http_status(), 403);
            assert_eq!(e.request_id(), Some("HDR-REQ-1"));
        }
        other => panic!("not a service error: {other:?}"),
    }

    // Upper-case keys too; the body's request id wins over the header's.
    let t = InMemoryTransport::new(|_| {
        let mut r = json_response(
            400,
            r#"{"Code": "InvalidParameter", "Message": "bad", "RequestId": "BODY-1"}"#,
        );
        r.headers_mut()
            .insert("x-acs-request-id", http::HeaderValue::from_static("HDR-2"));
        Ok(r)
    });
    match client(t)
        .describe_cluster_detail()
        .cluster_id("c-1")
        .send()
        .await
    {
        Err(SdkError::Service(e)) => {
            assert_eq!(e.code(), "InvalidParameter");
            assert_eq!(e.request_id(), Some("BODY-1"));
        }
        other => panic!("not a service error: {other:?}"),
    }

    // An error page that is neither JSON nor an XML error is an invalid response.
    let t = InMemoryTransport::new(|_| Ok(xml_error(502, "<html>bad gateway</html>", None)));
    let err = client(t)
        .describe_cluster_detail()
        .cluster_id("c-1")
        .send()
        .await
        .expect_err("502");
    assert!(matches!(err, SdkError::InvalidResponse(_)), "{err:?}");
}

#[tokio::test]
async fn roa_calls_retry_and_validate_as_rpc_calls_do() {
    // A throttled first attempt is retried; the same path and body go again.
    let calls = Arc::new(AtomicU32::new(0));
    let n = calls.clone();
    let t = InMemoryTransport::new(move |_| {
        if n.fetch_add(1, Ordering::SeqCst) == 0 {
            Ok(json_response(
                429,
                r#"{"code": "Throttling.User", "message": "slow down"}"#,
            ))
        } else {
            Ok(json_response(202, r#"{"task_id": "T-1"}"#))
        }
    });
    let resp = client(t.clone())
        .modify_cluster()
        .cluster_id("c-1")
        .cluster_name("n")
        .send()
        .await
        .expect("retried");
    assert_eq!(resp.task_id.as_deref(), Some("T-1"));
    let reqs = t.requests();
    assert_eq!(reqs.len(), 2);
    for r in &reqs {
        assert_eq!(r.uri().path(), "/api/v2/clusters/c-1");
        assert_eq!(r.body().as_slice(), br#"{"cluster_name":"n"}"#);
    }

    // A path parameter is required: the builder refuses the call before sending.
    let t = InMemoryTransport::always(200, "{}");
    let err = client(t.clone())
        .describe_cluster_detail()
        .send()
        .await
        .expect_err("no cluster id");
    match err {
        SdkError::Build(e) => assert_eq!(e.field, "ClusterId"),
        other => panic!("not a build error: {other:?}"),
    }
    // Nor may it be empty: `DELETE /clusters/` is not the cluster's path.
    let err = client(t.clone())
        .delete_cluster()
        .cluster_id("")
        .send()
        .await
        .expect_err("an empty cluster id");
    match err {
        SdkError::Validation(v) => assert!(v.to_string().contains("ClusterId"), "{v}"),
        other => panic!("not a validation error: {other:?}"),
    }
    assert!(t.requests().is_empty());
}

/// Every item of a stream.
async fn collect<S: Stream + Unpin>(mut s: S) -> Vec<S::Item> {
    let mut out = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| std::pin::Pin::new(&mut s).poll_next(cx)).await
    {
        out.push(item);
    }
    out
}

#[tokio::test]
async fn paginators_follow_page_numbers_in_a_page_object_and_snake_case_tokens() {
    // `page_number` in the query, `page_info.total_count` in the answer: 3 clusters, 2 a page.
    let t = InMemoryTransport::new(|req| {
        let query = req.uri().query().unwrap_or("").to_owned();
        let page = if query.contains("page_number=2") {
            2
        } else {
            1
        };
        let clusters = if page == 1 {
            r#"[{"cluster_id": "c-1"}, {"cluster_id": "c-2"}]"#
        } else {
            r#"[{"cluster_id": "c-3"}]"#
        };
        Ok(json_response(
            200,
            &format!(
                r#"{{"clusters": {clusters}, "page_info": {{"page_number": {page}, "page_size": 2, "total_count": 3}}}}"#
            ),
        ))
    });
    let pages = collect(
        client(t.clone())
            .describe_clusters_v1()
            .page_size(2)
            .into_paginator(),
    )
    .await;
    let ids: Vec<String> = pages
        .into_iter()
        .map(|p| p.expect("a page"))
        .flat_map(|p| p.clusters.unwrap_or_default())
        .filter_map(|c| c.cluster_id)
        .collect();
    assert_eq!(ids, ["c-1", "c-2", "c-3"]);
    let queries: Vec<Option<String>> = t
        .requests()
        .iter()
        .map(|r| r.uri().query().map(str::to_owned))
        .collect();
    assert_eq!(
        queries,
        [
            Some("page_size=2".to_owned()),
            Some("page_number=2&page_size=2".to_owned())
        ]
    );

    // `next_token` both ways.
    let t = InMemoryTransport::new(|req| {
        let first = !req.uri().query().unwrap_or("").contains("next_token");
        Ok(json_response(
            200,
            if first {
                r#"{"next_token": "tok 2", "tag_resources": {"tag_resource": [{"resource_id": "c-1"}]}}"#
            } else {
                r#"{"next_token": "", "tag_resources": {"tag_resource": [{"resource_id": "c-2"}]}}"#
            },
        ))
    });
    let pages = collect(
        client(t.clone())
            .list_tag_resources()
            .region_id("cn-hangzhou")
            .resource_type("CLUSTER")
            .resource_ids(vec!["c-1".to_owned()])
            .into_paginator(),
    )
    .await;
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(pages.iter().all(Result::is_ok));
    let second = &t.requests()[1];
    assert!(
        second
            .uri()
            .query()
            .unwrap_or("")
            .contains("next_token=tok+2"),
        "{:?}",
        second.uri()
    );
}

/// A ROA success carries its request id in the `x-acs-request-id` header (CS bodies mostly have
/// none): `send_with_metadata` surfaces it, for a body without one and for an empty answer.
#[tokio::test]
async fn a_success_request_id_comes_from_the_header() {
    let t = InMemoryTransport::new(|_| {
        let mut r = json_response(200, r#"{"cluster_id": "c-1", "name": "k8s"}"#);
        r.headers_mut().insert(
            "x-acs-request-id",
            http::HeaderValue::from_static("HDR-OK-1"),
        );
        Ok(r)
    });
    let r = client(t)
        .describe_cluster_detail()
        .cluster_id("c-1")
        .send_with_metadata()
        .await
        .expect("200");
    assert_eq!(r.request_id(), Some("HDR-OK-1"));
    assert_eq!(r.body().cluster_id.as_deref(), Some("c-1"));

    let t = InMemoryTransport::new(|_| {
        let mut r = json_response(202, "");
        r.headers_mut().insert(
            "x-acs-request-id",
            http::HeaderValue::from_static("HDR-OK-2"),
        );
        Ok(r)
    });
    let r = client(t)
        .modify_cluster_tags()
        .cluster_id("c-1")
        .body(vec![Tag::builder().key("k").value("v").build()])
        .send_with_metadata()
        .await
        .expect("202 without a body");
    assert_eq!(r.request_id(), Some("HDR-OK-2"));
    assert_eq!(r.status(), 202);
}
