//! Call-level control of the generated crates: per-call options (deadline, retries, endpoint,
//! validation), response metadata, raw calls of actions the crate lacks (checked against the
//! emulator's signature verification too), and the typed mock (`test-util`).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use alicloud_emulator::{AccessKey, Emulator, EmulatorConfig};
use alicloud_runtime::client::{CallOptions, RetryConfig, Scheme};
use alicloud_runtime::reqwest_transport::ReqwestTransport;
use alicloud_runtime::transport::{
    json_response, BoxFuture, HttpRequest, HttpResponse, InMemoryTransport, Transport,
    TransportError,
};
use alicloud_runtime::validate::Validation;
use alicloud_tests::url_query_pairs;
use alicloud_vpc::mock::{Mock, MockError};
use alicloud_vpc::operation::describe_vpcs::{
    DescribeVpcsRequest, DescribeVpcsResponse, DescribeVpcsResponseVpcs,
    DescribeVpcsResponseVpcsVpc, DescribeVpcsTag,
};
use alicloud_vpc::{Client, Config, Credentials, ErrorCode, SdkError};
use serde_json::{json, Value};

const PAGE: &str = r#"{"RequestId":"body-id","TotalCount":1,"PageNumber":1,"PageSize":10,
    "Vpcs":{"Vpc":[{"VpcId":"vpc-1","Status":"Available"}]}}"#;

fn quick_retries(max_attempts: u32) -> RetryConfig {
    RetryConfig {
        max_attempts,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
    }
}

fn client_over(transport: impl Transport) -> Client {
    Client::new(
        Config::new(Credentials::new("id", "secret"), transport)
            .with_endpoint("config.example")
            .with_retry(quick_retries(3)),
    )
}

fn host_of(req: &HttpRequest) -> String {
    req.headers()["host"].to_str().unwrap().to_owned()
}

fn query_of(req: &HttpRequest) -> Vec<(String, String)> {
    url_query_pairs(&req.uri().to_string())
}

// ---------------------------------------------------------------------------------------------
// Per-call options
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_call_can_override_the_endpoint() {
    let t = InMemoryTransport::always(200, PAGE);
    let client = client_over(t.clone());
    client
        .describe_vpcs()
        .region_id("cn-x")
        .send()
        .await
        .unwrap();
    client
        .describe_vpcs()
        .region_id("cn-x")
        .with_options(CallOptions::new().endpoint("vpc-vpc.cn-x.aliyuncs.com"))
        .send()
        .await
        .unwrap();
    let hosts: Vec<String> = t.requests().iter().map(host_of).collect();
    assert_eq!(hosts, ["config.example", "vpc-vpc.cn-x.aliyuncs.com"]);
    assert_eq!(
        t.requests()[1].uri().host(),
        Some("vpc-vpc.cn-x.aliyuncs.com")
    );
}

#[tokio::test]
async fn a_call_can_override_the_retry_policy() {
    let t = InMemoryTransport::always(
        503,
        r#"{"Code":"ServiceUnavailable","Message":"busy","RequestId":"r"}"#,
    );
    let client = client_over(t.clone());
    let count = |t: &InMemoryTransport| t.requests().len();

    let e = client.describe_vpcs().region_id("cn-x").send().await;
    assert!(matches!(e, Err(SdkError::Service(_))), "{e:?}");
    assert_eq!(count(&t), 3, "the client's three attempts");

    let _ = client
        .describe_vpcs()
        .region_id("cn-x")
        .with_options(CallOptions::new().no_retry())
        .send()
        .await;
    assert_eq!(count(&t), 4, "one attempt only");

    let _ = client
        .describe_vpcs()
        .region_id("cn-x")
        .with_options(CallOptions::new().retry(quick_retries(5)))
        .send()
        .await;
    assert_eq!(count(&t), 9, "five attempts");
}

/// A transport that answers after `delay` (of tokio's clock, paused in these tests).
struct Slow {
    delay: Duration,
    sent: Arc<AtomicU32>,
}

impl Transport for Slow {
    fn send(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        self.sent.fetch_add(1, Ordering::SeqCst);
        let delay = self.delay;
        Box::pin(async move {
            tokio::time::sleep(delay).await;
            Ok(json_response(200, PAGE))
        })
    }
}

#[tokio::test(start_paused = true)]
async fn a_call_can_override_the_deadline() {
    let sent = Arc::new(AtomicU32::new(0));
    let slow = Slow {
        delay: Duration::from_secs(10),
        sent: sent.clone(),
    };
    let client = Client::new(
        Config::new(Credentials::new("id", "secret"), slow)
            .with_endpoint("config.example")
            .with_deadline(Duration::from_secs(60)),
    );
    // The client's deadline leaves room for the answer.
    let ok = client
        .describe_vpcs()
        .region_id("cn-x")
        .send()
        .await
        .unwrap();
    assert_eq!(ok.total_count, Some(1));
    // This call's does not.
    let late = client
        .describe_vpcs()
        .region_id("cn-x")
        .with_options(CallOptions::new().timeout(Duration::from_secs(1)))
        .send()
        .await;
    assert!(
        matches!(late, Err(SdkError::Timeout { attempts: 1 })),
        "{late:?}"
    );
    // And a longer per-call deadline wins over a shorter client one.
    let strict = Client::new(
        Config::new(
            Credentials::new("id", "secret"),
            Slow {
                delay: Duration::from_secs(10),
                sent: sent.clone(),
            },
        )
        .with_endpoint("config.example")
        .with_deadline(Duration::from_secs(1)),
    );
    assert!(matches!(
        strict.describe_vpcs().region_id("cn-x").send().await,
        Err(SdkError::Timeout { .. })
    ));
    strict
        .describe_vpcs()
        .region_id("cn-x")
        .with_options(CallOptions::new().timeout(Duration::from_secs(60)))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn a_call_can_override_validation() {
    let t = InMemoryTransport::always(200, PAGE);
    let client = client_over(t.clone());
    // PageSize is documented as 1 to 50.
    let refused = client
        .describe_vpcs()
        .region_id("cn-x")
        .page_size(500)
        .send()
        .await;
    let v = refused
        .expect_err("refused")
        .as_validation()
        .cloned()
        .expect("validation");
    assert!(v.to_string().contains("PageSize"), "{v}");
    assert!(t.requests().is_empty());

    client
        .describe_vpcs()
        .region_id("cn-x")
        .page_size(500)
        .with_options(CallOptions::new().validation(Validation::Off))
        .send()
        .await
        .unwrap();
    // `skip_validation` still works, and later options keep it unless they set validation.
    client
        .describe_vpcs()
        .region_id("cn-x")
        .page_size(500)
        .skip_validation()
        .with_options(CallOptions::new().timeout(Duration::from_secs(30)))
        .send()
        .await
        .unwrap();
    assert_eq!(t.requests().len(), 2);

    // A client that does not validate can be told to for one call.
    let lax = Client::new(
        Config::new(Credentials::new("id", "secret"), t.clone())
            .with_endpoint("config.example")
            .with_validation(false),
    );
    lax.describe_vpcs()
        .region_id("cn-x")
        .page_size(500)
        .send()
        .await
        .unwrap();
    let refused = lax
        .describe_vpcs()
        .region_id("cn-x")
        .page_size(500)
        .with_options(CallOptions::new().validation(true))
        .send()
        .await;
    assert!(
        matches!(refused, Err(SdkError::Validation(_))),
        "{refused:?}"
    );
    assert_eq!(t.requests().len(), 3);
}

#[tokio::test]
async fn paginators_keep_the_builders_options() {
    let t = InMemoryTransport::always(200, PAGE);
    let client = client_over(t.clone());
    let pages = client
        .describe_vpcs()
        .region_id("cn-x")
        .with_options(CallOptions::new().endpoint("pages.example"))
        .into_paginator()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(host_of(&t.requests()[0]), "pages.example");
}

// ---------------------------------------------------------------------------------------------
// Response metadata
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn metadata_comes_with_the_typed_body() {
    let t = InMemoryTransport::new(|_| {
        let mut r = json_response(200, PAGE);
        r.headers_mut()
            .insert("x-acs-request-id", "header-id".parse().unwrap());
        r.headers_mut().insert("x-extra", "1".parse().unwrap());
        Ok(r)
    });
    let client = client_over(t);
    let r = client
        .describe_vpcs()
        .region_id("cn-x")
        .send_with_metadata()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.request_id(), Some("header-id"));
    assert_eq!(r.headers()["x-extra"], "1");
    assert_eq!(r.attempts(), 1);
    // Deref to the body, and the body itself.
    assert_eq!(r.total_count, Some(1));
    assert_eq!(r.body().request_id.as_deref(), Some("body-id"));
    let body: DescribeVpcsResponse = r.into_body();
    assert_eq!(body.page_size, Some(10));
}

#[tokio::test]
async fn the_request_id_falls_back_to_the_body_and_attempts_are_counted() {
    let n = Arc::new(AtomicU32::new(0));
    let seen = n.clone();
    let t = InMemoryTransport::new(move |_| {
        Ok(if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            json_response(500, r#"{"Code":"InternalError","Message":"x"}"#)
        } else {
            json_response(200, PAGE)
        })
    });
    let r = client_over(t)
        .describe_vpcs()
        .region_id("cn-x")
        .send_with_metadata()
        .await
        .unwrap();
    assert_eq!(r.request_id(), Some("body-id"));
    assert_eq!(r.attempts(), 2);
    assert!(format!("{r:?}").contains("body-id"));
}

// ---------------------------------------------------------------------------------------------
// Raw calls
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn raw_calls_flatten_parameters_and_use_the_crates_version() {
    let t = InMemoryTransport::always(200, r#"{"RequestId":"r","Answer":{"N":3}}"#);
    let client = client_over(t.clone());
    #[derive(serde::Deserialize)]
    struct Answer {
        #[serde(rename = "Answer")]
        answer: Inner,
    }
    #[derive(serde::Deserialize)]
    struct Inner {
        #[serde(rename = "N")]
        n: u32,
    }
    let typed: Answer = client
        .raw("DescribeSomethingNew")
        .param("RegionId", "cn-x")
        .param("PageSize", 20)
        .params(&json!({
            "Tag": [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "net"}],
            "Filter": {"Name": "a b", "Skip": null},
            "DryRun": true
        }))
        .json_param("Config", &json!({"A": [1, 2]}))
        .send()
        .await
        .unwrap();
    assert_eq!(typed.answer.n, 3);
    let req = &t.requests()[0];
    assert_eq!(req.headers()["x-acs-action"], "DescribeSomethingNew");
    assert_eq!(req.headers()["x-acs-version"], "2016-04-28");
    assert_eq!(req.method(), http::Method::POST);
    let mut q = query_of(req);
    q.sort();
    let expected: Vec<(String, String)> = [
        ("Config", r#"{"A":[1,2]}"#),
        ("DryRun", "true"),
        ("Filter.Name", "a b"),
        ("PageSize", "20"),
        ("RegionId", "cn-x"),
        ("Tag.1.Key", "env"),
        ("Tag.1.Value", "prod"),
        ("Tag.2.Key", "team"),
        ("Tag.2.Value", "net"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(q, expected);

    // Another version, GET, parameters in a form body, JSON answer with metadata.
    let r = client
        .raw("DescribeOld")
        .version("2014-01-01")
        .get()
        .in_body()
        .param("K", "v")
        .send_with_metadata::<Value>()
        .await
        .unwrap();
    assert_eq!(r.request_id(), Some("r"));
    assert_eq!(r["Answer"]["N"], 3);
    let req = &t.requests()[1];
    assert_eq!(req.headers()["x-acs-version"], "2014-01-01");
    assert_eq!(req.method(), http::Method::GET);
    assert_eq!(req.uri().query(), None);
    assert_eq!(req.body(), b"K=v");
}

#[tokio::test]
async fn raw_calls_get_typed_errors_retries_and_options() {
    let t = InMemoryTransport::new(|req| {
        Ok(if host_of(req) == "other.example" {
            json_response(
                400,
                r#"{"Code":"InvalidVpcId.NotFound","Message":"no such VPC","RequestId":"e"}"#,
            )
        } else {
            json_response(503, r#"{"Code":"ServiceUnavailable","Message":"busy"}"#)
        })
    });
    let client = client_over(t.clone());
    let busy = client.raw("DeleteSomething").send_json().await;
    assert_eq!(t.requests().len(), 3, "retried as a generated operation is");
    let e = match busy {
        Err(SdkError::Service(e)) => e,
        other => panic!("{other:?}"),
    };
    assert_eq!((e.code(), e.http_status()), ("ServiceUnavailable", 503));

    let e = client
        .raw("DeleteSomething")
        .with_options(CallOptions::new().endpoint("other.example").no_retry())
        .send_json()
        .await;
    let e = match e {
        Err(SdkError::Service(e)) => e,
        other => panic!("{other:?}"),
    };
    assert_eq!(e.kind(), Some(ErrorCode::InvalidVpcIdNotFound));
    assert_eq!(e.request_id(), Some("e"));
    assert_eq!(t.requests().len(), 4);
}

#[tokio::test]
async fn raw_calls_refuse_bad_names_and_parameters_before_sending() {
    let t = InMemoryTransport::always(200, "{}");
    let client = client_over(t.clone());
    let e = client.raw("Describe Vpcs").send_json().await.unwrap_err();
    let v = e.as_validation().expect("refused").to_string();
    assert!(v.contains("Action"), "{v}");
    let e = client
        .raw("DescribeVpcs")
        .version("2016/04/28")
        .params(&json!([1, 2]))
        .send_json()
        .await
        .unwrap_err();
    let v = e.as_validation().expect("refused").to_string();
    assert!(v.contains("Version") && v.contains("an array"), "{v}");
    assert!(t.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_calls_are_signed_as_the_emulator_expects() {
    let em = Emulator::start(EmulatorConfig::default()).expect("the emulator starts");
    let transport = ReqwestTransport::builder()
        .no_proxy()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let client = Client::new(
        Config::new(
            Credentials::new(AccessKey::DEFAULT_ID, AccessKey::DEFAULT_SECRET),
            transport,
        )
        .with_endpoint(em.endpoint())
        .with_scheme(Scheme::Http)
        .with_retry(quick_retries(1)),
    );
    let raw: Value = client
        .raw("DescribeVpnGateway")
        .param("RegionId", "cn-shanghai")
        .param("VpnGatewayId", "vpn-single-a")
        .send()
        .await
        .expect("signature and parameters accepted");
    let typed = client
        .describe_vpn_gateway()
        .region_id("cn-shanghai")
        .vpn_gateway_id("vpn-single-a")
        .send()
        .await
        .unwrap();
    assert_eq!(raw["VpnGatewayId"], "vpn-single-a");
    assert_eq!(
        raw["Status"].as_str(),
        typed.status.as_ref().map(|s| s.as_str())
    );
    // A service error decodes to the product's code.
    let e = client
        .raw("DescribeVpnGateway")
        .param("RegionId", "cn-shanghai")
        .param("VpnGatewayId", "vpn-does-not-exist")
        .send_json()
        .await;
    match e {
        Err(SdkError::Service(e)) => assert!(!e.code().is_empty()),
        other => panic!("{other:?}"),
    }
    em.shutdown();
}

// ---------------------------------------------------------------------------------------------
// The typed mock
// ---------------------------------------------------------------------------------------------

fn vpc(id: &str) -> DescribeVpcsResponseVpcsVpc {
    let mut v = DescribeVpcsResponseVpcsVpc::default();
    v.vpc_id = Some(id.to_owned());
    v
}

fn page(ids: &[&str]) -> DescribeVpcsResponse {
    let mut vpcs = DescribeVpcsResponseVpcs::default();
    vpcs.vpc = Some(ids.iter().map(|id| vpc(id)).collect());
    let mut p = DescribeVpcsResponse::default();
    p.total_count = Some(ids.len() as i32);
    p.request_id = Some("mock-request".to_owned());
    p.vpcs = Some(vpcs);
    p
}

#[tokio::test]
async fn the_mock_answers_in_sequence_and_records_typed_requests() {
    let mock = Mock::new();
    mock.on::<DescribeVpcsRequest>()
        .respond_once(page(&["vpc-1"]))
        .fail_once(
            MockError::new(ErrorCode::InvalidTagKey, "bad tag")
                .status(400)
                .request_id("err-1"),
        )
        .respond(page(&["vpc-2", "vpc-3"]));
    let client = Client::new(mock.config());
    let first = client
        .describe_vpcs()
        .region_id("cn-x")
        .send()
        .await
        .unwrap();
    assert_eq!(first, page(&["vpc-1"]));
    let tag = DescribeVpcsTag::builder().key("env").value("prod").build();
    let second = client
        .describe_vpcs()
        .region_id("cn-y")
        .tag(vec![tag.clone()])
        .send()
        .await;
    match second {
        Err(SdkError::Service(e)) => {
            assert_eq!(e.kind(), Some(ErrorCode::InvalidTagKey));
            assert!(e.is_documented());
            assert_eq!((e.message(), e.http_status()), ("bad tag", 400));
            assert_eq!(e.request_id(), Some("err-1"));
        }
        other => panic!("{other:?}"),
    }
    for _ in 0..2 {
        let r = client
            .describe_vpcs()
            .region_id("cn-z")
            .send_with_metadata()
            .await
            .unwrap();
        assert_eq!(r.total_count, Some(2));
        assert_eq!(r.request_id(), Some("mock-request"));
    }

    let sent = mock.requests_of::<DescribeVpcsRequest>();
    let regions: Vec<_> = sent.iter().map(|r| r.region_id.clone().unwrap()).collect();
    assert_eq!(regions, ["cn-x", "cn-y", "cn-z", "cn-z"]);
    assert_eq!(sent[1].tag, Some(vec![tag]));
    let raw = mock.requests();
    assert_eq!(raw.len(), 4);
    assert_eq!(raw[1].action(), "DescribeVpcs");
    assert_eq!(raw[1].version(), "2016-04-28");
    assert_eq!(raw[1].param("Tag.1.Key"), Some("env"));
    assert_eq!(raw[1].param("RegionId"), Some("cn-y"));
}

#[tokio::test]
async fn the_mock_retries_as_production_does_and_answers_from_the_request() {
    let mock = Mock::new();
    mock.on::<DescribeVpcsRequest>()
        .fail_once(MockError::with_code("Throttling.User", "slow down"))
        .respond_with(|req: DescribeVpcsRequest| match req.vpc_id.as_deref() {
            Some(id) => Ok(page(&[id])),
            None => Err(MockError::with_code("MissingVpcId", "say which").status(404)),
        });
    let client = Client::new(mock.config());
    let r = client
        .describe_vpcs()
        .region_id("cn-x")
        .vpc_id("vpc-9")
        .send_with_metadata()
        .await
        .unwrap();
    assert_eq!(r.attempts(), 2, "the throttled attempt was retried");
    assert_eq!(
        r.vpcs.as_ref().unwrap().vpc.as_ref().unwrap()[0]
            .vpc_id
            .as_deref(),
        Some("vpc-9")
    );
    let e = client.describe_vpcs().region_id("cn-x").send().await;
    match e {
        Err(SdkError::Service(e)) => {
            assert_eq!(
                (e.code(), e.kind(), e.http_status()),
                ("MissingVpcId", None, 404)
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_unanswered_call_fails_naming_its_action() {
    let mock = Mock::new();
    let client = Client::new(mock.config());
    let e = client
        .describe_vpcs()
        .region_id("cn-x")
        .send()
        .await
        .unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, SdkError::Transport(_)), "{e:?}");
    assert!(
        text.contains("DescribeVpcs") && text.contains("mock"),
        "{text}"
    );
    assert_eq!(mock.requests().len(), 1, "not retried");
    // A sequence that runs out fails the same way.
    mock.on::<DescribeVpcsRequest>().respond_once(page(&[]));
    client
        .describe_vpcs()
        .region_id("cn-x")
        .send()
        .await
        .unwrap();
    let e = client
        .describe_vpcs()
        .region_id("cn-x")
        .send()
        .await
        .unwrap_err();
    assert!(e.to_string().contains("DescribeVpcs"), "{e}");
    // Raw calls reach the mock too, and so does validation before it.
    let e = client
        .raw("CreateWidget")
        .param("RegionId", "cn-x")
        .send_json()
        .await
        .unwrap_err();
    assert!(e.to_string().contains("CreateWidget"), "{e}");
    assert_eq!(mock.requests().last().unwrap().action(), "CreateWidget");
}
