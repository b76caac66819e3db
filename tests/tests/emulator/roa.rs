//! CS (ROA) through the emulator: routed by method and path, signed over the path, decoded and
//! validated with the generated code, answered with the synthesised body (top-level arrays
//! included), errors in ROA's lower-case shape.

use super::*;

use alicloud_cs::types::Tag;

const CS_VERSION: &str = "2015-12-15";

fn cs_client(em: &Emulator, secret: &str) -> alicloud_cs::Client {
    alicloud_cs::Client::new(
        alicloud_cs::Config::new(
            alicloud_cs::Credentials::new(AccessKey::DEFAULT_ID, secret),
            transport(PATIENCE),
        )
        .with_endpoint(em.endpoint())
        .with_scheme(Scheme::Http)
        .with_retry(retries(1)),
    )
}

/// The last call the emulator recorded.
fn last(em: &Emulator) -> RecordedRequest {
    em.requests().pop().expect("a call was recorded")
}

#[tokio::test]
async fn one_operation_of_each_method_answers_through_the_typed_client() {
    let em = start(FOREVER);
    let cs = cs_client(&em, AccessKey::DEFAULT_SECRET);

    // GET, with a path parameter that needs percent-encoding.
    let detail = cs
        .describe_cluster_detail()
        .cluster_id("c-1/**")
        .send()
        .await
        .expect("GET answers");
    assert!(detail.cluster_id.is_some_and(|id| !id.is_empty()));
    let call = last(&em);
    assert_eq!(call.action.as_deref(), Some("DescribeClusterDetail"));
    assert_eq!(call.status, Some(200));

    // PUT with a JSON object body: the answer's `request_id` is the call's.
    let modified = cs
        .modify_cluster()
        .cluster_id("c-1")
        .deletion_protection(true)
        .cluster_name("renamed")
        .send()
        .await
        .expect("PUT answers");
    let call = last(&em);
    assert_eq!(call.action.as_deref(), Some("ModifyCluster"));
    assert_eq!(
        modified.request_id.as_deref(),
        Some(call.request_id.as_str())
    );

    // POST with a top-level array body.
    cs.modify_cluster_tags()
        .cluster_id("c-1")
        .body(vec![
            Tag::builder().key("env").value("prod").build(),
            Tag::builder().key("team").build(),
        ])
        .send()
        .await
        .expect("POST answers");
    assert_eq!(last(&em).action.as_deref(), Some("ModifyClusterTags"));

    // DELETE with a boolean query parameter.
    let deleted = cs
        .delete_cluster()
        .cluster_id("c-1")
        .retain_all_resources(false)
        .send()
        .await
        .expect("DELETE answers");
    assert!(deleted.task_id.is_some());
    assert_eq!(last(&em).action.as_deref(), Some("DeleteCluster"));

    // Answers that are one array at the top level, under templates sharing a prefix.
    let resources = cs
        .describe_cluster_resources()
        .cluster_id("c-1")
        .send()
        .await
        .expect("an array answer");
    let items = resources.body.expect("a list");
    assert_eq!(items.len(), 1);
    assert!(items[0].resource_type.is_some());
    let namespaces = cs
        .describe_user_cluster_namespaces()
        .cluster_id("c-1")
        .send()
        .await
        .expect("an array of strings");
    assert_eq!(namespaces.body.map(|b| b.len()), Some(1));
    assert_eq!(
        last(&em).action.as_deref(),
        Some("DescribeUserClusterNamespaces")
    );
    assert!(em.requests().iter().all(|r| r.status == Some(200)));
}

#[tokio::test]
async fn errors_come_in_the_roa_shape_the_client_reads() {
    let em = start(FOREVER);

    // A wrong secret: the signature over the path does not match.
    let err = cs_client(&em, "not-the-secret")
        .describe_cluster_detail()
        .cluster_id("c-1")
        .send()
        .await
        .expect_err("refused");
    let call = last(&em);
    match err {
        SdkError::Service(e) => {
            assert_eq!(e.code(), "SignatureDoesNotMatch");
            assert_eq!(e.http_status(), 400);
            assert_eq!(e.request_id(), Some(call.request_id.as_str()));
        }
        other => panic!("not a service error: {other:?}"),
    }

    // A value the spec's range refuses, sent past the client's own validation: the
    // emulator's generated validation answers, naming the parameter.
    let err = cs_client(&em, AccessKey::DEFAULT_SECRET)
        .describe_cluster_events()
        .cluster_id("c-1")
        .page_size(99)
        .skip_validation()
        .send()
        .await
        .expect_err("refused");
    match err {
        SdkError::Service(e) => {
            assert_eq!(e.code(), "InvalidParameter");
            assert_eq!(e.http_status(), 400);
            assert!(e.message().contains("page_size"), "{}", e.message());
        }
        other => panic!("not a service error: {other:?}"),
    }
    assert_eq!(last(&em).action.as_deref(), Some("DescribeClusterEvents"));

    // The raw shape, for a request that is not signed at all.
    let raw = http::Request::get(format!("http://{}/clusters/c-1", em.endpoint()))
        .header("x-acs-version", CS_VERSION)
        .body(Vec::new())
        .unwrap();
    let resp: HttpResponse = transport(PATIENCE).send(raw).await.unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let header_id = resp
        .headers()
        .get("x-acs-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body: Value = serde_json::from_slice(resp.body()).unwrap();
    assert_eq!(body["code"], "IncompleteSignature");
    assert_eq!(body["status"], 400);
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(body["requestId"].as_str(), header_id.as_deref());
    assert!(body.get("Code").is_none());
}

#[tokio::test]
async fn scripted_faults_reach_roa_calls_and_the_client_retries() {
    let em = start(FOREVER);
    em.add_fault(Fault::service_unavailable(1).for_action("DescribeClusterDetail"));
    let cs = alicloud_cs::Client::new(
        alicloud_cs::Config::new(
            alicloud_cs::Credentials::new(AccessKey::DEFAULT_ID, AccessKey::DEFAULT_SECRET),
            transport(PATIENCE),
        )
        .with_endpoint(em.endpoint())
        .with_scheme(Scheme::Http)
        .with_retry(retries(3)),
    );
    cs.describe_cluster_detail()
        .cluster_id("c-1")
        .send()
        .await
        .expect("answered on the second attempt");
    let calls = em.requests();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].status, Some(503));
    assert_eq!(calls[0].fault.as_deref(), Some("service_unavailable"));
    assert_eq!(calls[1].status, Some(200));
}
