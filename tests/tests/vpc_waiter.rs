//! `Client::wait_until_vpn_gateway_active`: its defaults come from its own spec (every 2 s, at
//! most 30 polls), and each way it ends (the wanted status, a failure status, a failure code,
//! running out of attempts), on a paused clock with an in-memory transport.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use alicloud_runtime::transport::{json_response, InMemoryTransport};
use alicloud_runtime::waiter::WaitError;
use alicloud_vpc::operation::describe_vpn_gateway::DescribeVpnGatewayRequest;
use alicloud_vpc::types::VpnGatewayStatus;
use alicloud_vpc::{Client, Config, Credentials};

fn client(transport: &InMemoryTransport) -> Client {
    Client::new(
        Config::new(Credentials::new("id", "secret"), transport.clone())
            .with_endpoint("vpc.cn-shanghai.aliyuncs.com"),
    )
}

fn request() -> DescribeVpnGatewayRequest {
    DescribeVpnGatewayRequest::builder()
        .region_id("cn-shanghai")
        .vpn_gateway_id("vpn-1")
        .build()
        .expect("both required fields are set")
}

fn gateway(status: &str) -> String {
    format!(r#"{{"RequestId":"r","VpnGatewayId":"vpn-1","Status":"{status}"}}"#)
}

/// Answers `updating` `updating_polls` times, then `last`.
fn transport(updating_polls: usize, last: &'static str) -> InMemoryTransport {
    let n = Arc::new(AtomicUsize::new(0));
    InMemoryTransport::new(move |_| {
        let i = n.fetch_add(1, Ordering::SeqCst);
        let status = if i < updating_polls { "updating" } else { last };
        Ok(json_response(200, &gateway(status)))
    })
}

#[tokio::test(start_paused = true)]
async fn succeeds_on_active_polling_every_two_seconds() {
    let t = transport(3, "active");
    let start = tokio::time::Instant::now();
    let done = client(&t)
        .wait_until_vpn_gateway_active(request())
        .wait()
        .await
        .expect("the gateway became active");
    assert_eq!(done.status, Some(VpnGatewayStatus::Active));
    assert_eq!(t.requests().len(), 4);
    // One interval before the first poll and between polls: 4 × 2 s.
    assert_eq!(start.elapsed(), Duration::from_secs(8));
}

#[tokio::test(start_paused = true)]
async fn runs_out_after_thirty_polls_by_default() {
    let t = transport(usize::MAX, "active");
    let start = tokio::time::Instant::now();
    let e = client(&t)
        .wait_until_vpn_gateway_active(request())
        .wait()
        .await
        .unwrap_err();
    assert!(
        matches!(&e, WaitError::TimedOut { attempts: 30, last_status: Some(s) } if s == "updating"),
        "{e}"
    );
    assert_eq!(t.requests().len(), 30);
    assert_eq!(start.elapsed(), Duration::from_secs(60));
}

#[tokio::test(start_paused = true)]
async fn a_deleting_gateway_ends_the_wait_at_once() {
    let t = transport(1, "deleting");
    let e = client(&t)
        .wait_until_vpn_gateway_active(request())
        .wait()
        .await
        .unwrap_err();
    assert!(
        matches!(&e, WaitError::FailureStatus { status, attempts: 2 } if status == "deleting"),
        "{e}"
    );
    assert_eq!(t.requests().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_gateway_that_does_not_exist_ends_the_wait_at_once() {
    let t = InMemoryTransport::always(
        404,
        r#"{"RequestId":"r","Code":"InvalidVpnGatewayInstanceId.NotFound","Message":"The specified vpn gateway instance id does not exist."}"#,
    );
    let e = client(&t)
        .wait_until_vpn_gateway_active(request())
        .max_attempts(5)
        .wait()
        .await
        .unwrap_err();
    match e {
        WaitError::FailureCode(err) => {
            assert_eq!(err.code(), "InvalidVpnGatewayInstanceId.NotFound")
        }
        other => panic!("expected the failure code, got {other}"),
    }
    assert_eq!(t.requests().len(), 1, "no retry, no second poll");
}
