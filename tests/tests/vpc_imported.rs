//! Operations imported from Alibaba's published Vpc metadata, called through the client with an
//! in-memory transport: the exact wire parameters of a paged list, a repeatList `Tag` parameter
//! and a json-style parameter.

use alicloud_runtime::paginate::Stream;
use alicloud_runtime::transport::{json_response, InMemoryTransport};
use alicloud_runtime::HttpRequest;
use alicloud_tests::{parse_pairs, url_query_pairs};
use alicloud_vpc::operation::create_nat_gateway::CreateNatGatewayAccessMode;
use alicloud_vpc::operation::create_vpc::CreateVpcTag;
use alicloud_vpc::{Client, Config, Credentials};

fn client(transport: InMemoryTransport) -> Client {
    Client::new(
        Config::new(Credentials::new("id", "secret"), transport)
            .with_endpoint("vpc.cn-hangzhou.aliyuncs.com"),
    )
}

/// The query pairs of a request, without the idempotency token (a fresh UUID), sorted.
fn query(req: &HttpRequest) -> Vec<(String, String)> {
    let mut q: Vec<(String, String)> = url_query_pairs(&req.uri().to_string())
        .into_iter()
        .filter(|(k, _)| k != "ClientToken")
        .collect();
    q.sort();
    q
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The encoder pushes parameters in signing order (fields sorted when the code was generated,
/// list items in the byte order of their numbers), so the query goes out sorted as encoded,
/// with the filled idempotency token in its place: checked on the URL as sent, not re-sorted.
#[tokio::test]
async fn parameters_leave_in_signing_order_with_ten_and_more_list_items() {
    let transport = InMemoryTransport::always(200, r#"{"RequestId":"r","VpcId":"vpc-1"}"#);
    let tags: Vec<CreateVpcTag> = (1..=12)
        .map(|i| {
            CreateVpcTag::builder()
                .key(format!("k{i}"))
                .value(format!("v {i}"))
                .build()
        })
        .collect();
    client(transport.clone())
        .create_vpc()
        .region_id("cn-hangzhou")
        .cidr_block("10.0.0.0/8")
        .vpc_name("prod")
        .tag(tags)
        .send()
        .await
        .expect("the call succeeds");
    let sent = transport.requests();
    let as_sent = url_query_pairs(&sent[0].uri().to_string());
    let keys: Vec<&str> = as_sent.iter().map(|(k, _)| k.as_str()).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(keys, sorted);
    assert_eq!(keys.len(), 4 + 24, "{keys:?}");
    assert_eq!(
        &keys[..6],
        [
            "CidrBlock",
            "ClientToken",
            "RegionId",
            "Tag.1.Key",
            "Tag.1.Value",
            "Tag.10.Key"
        ]
    );
    let tag_11 = as_sent.iter().find(|(k, _)| k == "Tag.11.Value");
    assert_eq!(tag_11.map(|(_, v)| v.as_str()), Some("v 11"));
}

#[tokio::test]
async fn create_vpc_sends_its_tags_as_a_repeat_list() {
    let transport = InMemoryTransport::always(
        200,
        r#"{"RequestId":"r","VpcId":"vpc-1","VRouterId":"vrt-1","RouteTableId":"vtb-1","ResourceGroupId":"rg-1"}"#,
    );
    let resp = client(transport.clone())
        .create_vpc()
        .region_id("cn-hangzhou")
        .cidr_block("10.0.0.0/8")
        .vpc_name("prod")
        .tag(vec![
            CreateVpcTag::builder().key("team").value("net").build(),
            CreateVpcTag::builder().key("env").value("prod one").build(),
        ])
        .send()
        .await
        .expect("the call succeeds");
    assert_eq!(resp.vpc_id.as_deref(), Some("vpc-1"));
    let sent = transport.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].headers()["x-acs-action"], "CreateVpc");
    assert_eq!(sent[0].method(), http::Method::POST);
    assert_eq!(
        query(&sent[0]),
        pairs(&[
            ("CidrBlock", "10.0.0.0/8"),
            ("RegionId", "cn-hangzhou"),
            ("Tag.1.Key", "team"),
            ("Tag.1.Value", "net"),
            ("Tag.2.Key", "env"),
            ("Tag.2.Value", "prod one"),
            ("VpcName", "prod"),
        ])
    );
    // The idempotency token is filled in.
    let token = url_query_pairs(&sent[0].uri().to_string())
        .into_iter()
        .find(|(k, _)| k == "ClientToken")
        .map(|(_, v)| v)
        .expect("ClientToken is sent");
    assert_eq!(token.len(), 36);
    assert!(sent[0].body().is_empty());
}

#[tokio::test]
async fn create_nat_gateway_sends_access_mode_as_one_json_parameter() {
    let transport = InMemoryTransport::always(200, r#"{"RequestId":"r","NatGatewayId":"ngw-1"}"#);
    let resp = client(transport.clone())
        .create_nat_gateway()
        .region_id("cn-hangzhou")
        .vpc_id("vpc-1")
        .access_mode(
            CreateNatGatewayAccessMode::builder()
                .mode_value("tunnel")
                .tunnel_type("geneve")
                .build(),
        )
        .send()
        .await
        .expect("the call succeeds");
    assert_eq!(resp.nat_gateway_id.as_deref(), Some("ngw-1"));
    let sent = transport.requests();
    assert_eq!(
        query(&sent[0]),
        pairs(&[
            (
                "AccessMode",
                r#"{"ModeValue":"tunnel","TunnelType":"geneve"}"#
            ),
            ("RegionId", "cn-hangzhou"),
            ("VpcId", "vpc-1"),
        ])
    );
}

#[tokio::test]
async fn describe_vpcs_pages_by_page_number() {
    // Three VPCs, two per page.
    let transport = InMemoryTransport::new(|req| {
        let page: i64 = url_query_pairs(&req.uri().to_string())
            .into_iter()
            .find(|(k, _)| k == "PageNumber")
            .map_or(1, |(_, v)| v.parse().unwrap());
        let vpcs: Vec<String> = ((page - 1) * 2..(page * 2).min(3))
            .map(|i| format!(r#"{{"VpcId":"vpc-{i}"}}"#))
            .collect();
        Ok(json_response(
            200,
            &format!(
                r#"{{"RequestId":"r","TotalCount":3,"PageNumber":{page},"PageSize":2,"Vpcs":{{"Vpc":[{}]}}}}"#,
                vpcs.join(",")
            ),
        ))
    });
    let mut pages = client(transport.clone())
        .describe_vpcs()
        .region_id("cn-hangzhou")
        .page_size(2)
        .into_paginator();
    let mut ids = Vec::new();
    while let Some(page) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut pages).poll_next(cx)).await
    {
        let page = page.expect("page");
        for vpc in page.vpcs.and_then(|v| v.vpc).unwrap_or_default() {
            ids.push(vpc.vpc_id.unwrap_or_default());
        }
    }
    assert_eq!(ids, ["vpc-0", "vpc-1", "vpc-2"]);
    let sent = transport.requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(
        query(&sent[0]),
        pairs(&[("PageSize", "2"), ("RegionId", "cn-hangzhou")])
    );
    assert_eq!(
        query(&sent[1]),
        pairs(&[
            ("PageNumber", "2"),
            ("PageSize", "2"),
            ("RegionId", "cn-hangzhou")
        ])
    );
    assert!(parse_pairs("").is_empty());
}

#[tokio::test(start_paused = true)]
async fn asynchronous_operations_poll_what_the_metadata_names() {
    use alicloud_runtime::waiter::WaitState;
    use alicloud_vpc::operation::describe_flow_logs::DescribeFlowLogsRequest;
    use alicloud_vpc::operation::list_v_switch_cidr_reservations::ListVSwitchCidrReservationsRequest;
    use std::time::Duration;

    // CreateFlowLog: `callbackInterval` 3000 (ms), `maxCallbackTimes` 10.
    let transport = InMemoryTransport::new(|_| {
        Ok(json_response(
            200,
            r#"{"RequestId":"r","TotalCount":"1","FlowLogs":{"FlowLog":[{"FlowLogId":"fl-1","Status":"Active"}]}}"#,
        ))
    });
    let c = client(transport.clone());
    let poller = c.wait_for_create_flow_log(
        DescribeFlowLogsRequest::builder()
            .region_id("cn-hangzhou")
            .flow_log_id("fl-1")
            .build()
            .unwrap(),
    );
    assert_eq!(poller.operation(), "DescribeFlowLogs");
    assert_eq!(poller.settings().interval, Duration::from_millis(3000));
    assert_eq!(poller.settings().max_attempts, 10);
    let done = poller
        .until(|r| {
            let active = r
                .flow_logs
                .as_ref()
                .and_then(|f| f.flow_log.as_ref())
                .is_some_and(|l| l.iter().any(|x| x.status.as_deref() == Some("Active")));
            if active {
                WaitState::Done
            } else {
                WaitState::Pending(None)
            }
        })
        .await
        .unwrap();
    assert_eq!(done.request_id.as_deref(), Some("r"));
    let sent = transport.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].headers()["x-acs-action"], "DescribeFlowLogs");
    assert!(query(&sent[0]).contains(&("FlowLogId".to_owned(), "fl-1".to_owned())));

    // CreateVSwitchCidrReservation says `callbackInterval: 3`: seconds, taken as 3000 ms.
    let poller = c.wait_for_create_v_switch_cidr_reservation(
        ListVSwitchCidrReservationsRequest::builder()
            .region_id("cn-hangzhou")
            .build()
            .unwrap(),
    );
    assert_eq!(poller.operation(), "ListVSwitchCidrReservations");
    assert_eq!(poller.settings().interval, Duration::from_millis(3000));
    assert_eq!(poller.settings().max_attempts, 10);
}
