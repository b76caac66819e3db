//! Updating, the waiter, idempotency.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_waiter_sees_updating_then_active() {
    let em = start(FOREVER);
    let client = client_once(&em);
    rename(&client, "vco-single-b", "waited-for").await.unwrap();
    let g = describe_gateway(&client, "vpn-single-b").await.unwrap();
    assert_eq!(g.status, Some(VpnGatewayStatus::Updating));

    em.clear_requests();
    let waiter = client
        .wait_until_vpn_gateway_active(describe_request("vpn-single-b"))
        .initial_delay(Duration::ZERO)
        .interval(Duration::from_millis(20))
        .max_attempts(5_000);
    let task = tokio::spawn(waiter.wait());
    // Let the waiter see `updating` at least once, then finish the update.
    eventually("the waiter polled an updating gateway", || {
        calls_of(&em, DESCRIBE).any(|r| r.gateway_status.as_deref() == Some("updating"))
    })
    .await;
    em.complete_updates();
    let done = tokio::time::timeout(PATIENCE, task)
        .await
        .expect("the waiter ends")
        .expect("the waiter task does not panic")
        .expect("the gateway became active");
    assert_eq!(done.status, Some(VpnGatewayStatus::Active));
    assert_eq!(done.vpn_gateway_id.as_deref(), Some("vpn-single-b"));

    let seen: Vec<String> = calls_of(&em, DESCRIBE)
        .filter_map(|r| r.gateway_status)
        .collect();
    assert_eq!(
        seen.first().map(String::as_str),
        Some("updating"),
        "{seen:?}"
    );
    assert_eq!(seen.last().map(String::as_str), Some("active"), "{seen:?}");
    assert_eq!(
        seen.iter().filter(|s| *s == "active").count(),
        1,
        "{seen:?}"
    );
}

#[tokio::test]
async fn the_gateway_becomes_active_on_its_own() {
    let em = start(Duration::from_millis(200));
    let client = client_once(&em);
    rename(&client, "vco-dual-b", "short-update").await.unwrap();
    let done = client
        .wait_until_vpn_gateway_active(describe_request("vpn-dual-b"))
        .initial_delay(Duration::ZERO)
        .interval(Duration::from_millis(25))
        .max_attempts(2_400)
        .wait()
        .await
        .expect("the update ends by itself");
    assert_eq!(done.status, Some(VpnGatewayStatus::Active));
    assert_eq!(status_of(&em, "vpn-dual-b"), VpnGatewayStatus::Active);
    // And the gateway takes changes again.
    rename(&client, "vco-dual-b", "second").await.unwrap();
    assert_eq!(em.connection("vco-dual-b").unwrap().modification_count, 2);
}

#[tokio::test]
async fn a_modification_while_updating_is_refused_with_vpn_gateway_configuring() {
    let em = start(FOREVER);
    let once = client_once(&em);
    rename(&once, "vco-single-a", "first").await.unwrap();
    let before = em.connection("vco-single-a2").unwrap();

    // Another connection on the same gateway.
    let e = service_error(rename(&once, "vco-single-a2", "blocked").await);
    assert_eq!(
        e.kind(),
        Some(alicloud_vpc::ErrorCode::VpnGatewayConfiguring),
        "{e:?}"
    );
    assert_eq!(e.http_status(), 400);
    assert!(e.is_retryable());
    // The same connection.
    let e = service_error(rename(&once, "vco-single-a", "again").await);
    assert_eq!(e.code(), "VpnGateway.Configuring");

    // A retrying client retries the documented retryable code, with one token, then gives up.
    em.clear_requests();
    let e = service_error(rename(&client(&em), "vco-single-a2", "blocked").await);
    assert_eq!(e.code(), "VpnGateway.Configuring");
    let calls: Vec<_> = calls_of(&em, MODIFY).collect();
    assert_eq!(calls.len(), 3);
    assert!(calls
        .iter()
        .all(|c| c.client_token.is_some() && c.client_token == calls[0].client_token));

    assert_eq!(em.connection("vco-single-a2").unwrap(), before);
    assert_eq!(
        em.connection("vco-single-a").unwrap().name.as_deref(),
        Some("first")
    );
    // Other gateways are not affected.
    rename(&once, "vco-single-b", "free").await.unwrap();
}

#[tokio::test]
async fn a_replayed_client_token_gets_the_first_answer_without_a_second_change() {
    let em = start(FOREVER);
    let client = client_once(&em);
    let send = |name: &'static str, token: &'static str, conn: &'static str| {
        let client = client.clone();
        async move {
            client
                .modify_vpn_connection_attribute()
                .region_id(REGION)
                .vpn_connection_id(conn)
                .client_token(token)
                .name(name)
                .send()
                .await
        }
    };
    let first = send("first", "token-1", "vco-single-a").await.unwrap();
    // Same token, same connection: the first answer, although the gateway is updating.
    let replay = send("second", "token-1", "vco-single-a").await.unwrap();
    assert_eq!(replay, first);
    assert_eq!(replay.name.as_deref(), Some("first"));
    let conn = em.connection("vco-single-a").unwrap();
    assert_eq!(
        (conn.name.as_deref(), conn.modification_count),
        (Some("first"), 1)
    );
    let calls: Vec<_> = calls_of(&em, MODIFY).collect();
    assert_eq!(
        calls.iter().map(|c| c.replayed).collect::<Vec<_>>(),
        [false, true]
    );

    // A new token is a new request: refused while the gateway is updating.
    let e = service_error(send("third", "token-2", "vco-single-a").await);
    assert_eq!(e.code(), "VpnGateway.Configuring");
    // The same token on another connection is another request as well.
    let e = service_error(send("third", "token-1", "vco-single-a2").await);
    assert_eq!(e.code(), "VpnGateway.Configuring");
    assert_eq!(em.connection("vco-single-a").unwrap().modification_count, 1);
    assert_eq!(
        em.connection("vco-single-a2").unwrap().modification_count,
        0
    );
}
