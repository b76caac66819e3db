//! Retries and faults.

use super::*;

fn tokens(calls: &[RecordedRequest]) -> Vec<Option<String>> {
    calls.iter().map(|c| c.client_token.clone()).collect()
}

#[tokio::test]
async fn retries_recover_from_throttling_and_503_with_one_client_token() {
    let em = start(Duration::ZERO);
    let client = client(&em);

    em.add_fault(Fault::throttle(2).for_action(MODIFY));
    rename(&client, "vco-single-a", "after-throttling")
        .await
        .unwrap();
    let calls: Vec<_> = calls_of(&em, MODIFY).collect();
    assert_eq!(
        calls
            .iter()
            .map(|c| (c.status, c.code.as_deref()))
            .collect::<Vec<_>>(),
        [
            (Some(400), Some("Throttling.User")),
            (Some(400), Some("Throttling.User")),
            (Some(200), None)
        ]
    );
    let first_token = calls[0]
        .client_token
        .clone()
        .expect("the client sends a token");
    assert!(!first_token.is_empty());
    assert_eq!(tokens(&calls), vec![Some(first_token.clone()); 3]);

    em.clear_requests();
    em.add_fault(Fault::service_unavailable(2));
    rename(&client, "vco-single-a", "after-503").await.unwrap();
    let calls: Vec<_> = calls_of(&em, MODIFY).collect();
    assert_eq!(
        calls.iter().map(|c| c.status).collect::<Vec<_>>(),
        [Some(503), Some(503), Some(200)]
    );
    let second_token = calls[0].client_token.clone().unwrap();
    assert_eq!(tokens(&calls), vec![Some(second_token.clone()); 3]);
    assert_ne!(
        second_token, first_token,
        "each logical call has its own token"
    );

    let conn = em.connection("vco-single-a").unwrap();
    assert_eq!(
        (conn.name.as_deref(), conn.modification_count),
        (Some("after-503"), 2)
    );
    assert!(em.faults().is_empty());
}

#[tokio::test]
async fn an_exhausted_retry_budget_returns_the_last_error() {
    let em = start(Duration::ZERO);
    em.add_fault(Fault::internal_error(1));
    em.add_fault(Fault::service_unavailable(1));
    em.add_fault(Fault::throttle(5));
    let e = service_error(rename(&client(&em), "vco-single-a", "never").await);
    assert_eq!((e.code(), e.http_status()), ("Throttling.User", 400));
    let calls: Vec<_> = calls_of(&em, MODIFY).collect();
    assert_eq!(
        calls.iter().map(|c| c.code.as_deref()).collect::<Vec<_>>(),
        [
            Some("InternalError"),
            Some("ServiceUnavailable"),
            Some("Throttling.User")
        ]
    );
    assert!(calls
        .iter()
        .all(|c| c.client_token.is_some() && c.client_token == calls[0].client_token));
    assert_eq!(em.faults(), vec![Fault::throttle(4)]);
    assert_eq!(em.connection("vco-single-a").unwrap().modification_count, 0);
}

#[tokio::test]
async fn html_502_pages_and_dropped_connections() {
    let em = start(Duration::ZERO);

    em.add_fault(Fault::bad_gateway_html(1));
    match rename(&client_once(&em), "vco-single-a", "x").await {
        Err(SdkError::InvalidResponse(e)) => {
            assert_eq!(e.status, 502);
            assert!(e.excerpt.contains("502 Bad Gateway"), "{e}");
        }
        other => panic!("expected an invalid response, got {other:?}"),
    }
    em.add_fault(Fault::bad_gateway_html(1));
    rename(&client(&em), "vco-single-a", "after-502")
        .await
        .unwrap();

    em.add_fault(Fault::drop_connection(1));
    match rename(&client_once(&em), "vco-single-a", "y").await {
        Err(SdkError::Transport(_)) => {}
        other => panic!("expected a transport error, got {other:?}"),
    }
    em.clear_requests();
    em.add_fault(Fault::drop_connection(1));
    rename(&client(&em), "vco-single-a", "after-drop")
        .await
        .unwrap();
    let calls: Vec<_> = calls_of(&em, MODIFY).collect();
    assert_eq!(
        calls
            .iter()
            .map(|c| (c.status, c.fault.as_deref()))
            .collect::<Vec<_>>(),
        [(None, Some("drop_connection")), (Some(200), None)]
    );
    assert_eq!(calls[0].client_token, calls[1].client_token);
    let conn = em.connection("vco-single-a").unwrap();
    assert_eq!(
        (conn.name.as_deref(), conn.modification_count),
        (Some("after-drop"), 2)
    );
}

#[tokio::test]
async fn delayed_answers_arrive_or_time_out() {
    let em = start(Duration::ZERO);
    em.add_fault(Fault::delay(1, Duration::from_millis(50)).for_action(DESCRIBE));
    describe_gateway(&client_once(&em), "vpn-single-a")
        .await
        .unwrap();
    assert_eq!(
        calls_of(&em, DESCRIBE).map(|c| c.fault).collect::<Vec<_>>(),
        [Some("delay".to_owned())]
    );

    // An answer held far longer than the client waits.
    em.add_fault(Fault::delay(1, Duration::from_secs(30)));
    let impatient = Client::new(
        Config::new(default_credentials(), transport(Duration::from_millis(300)))
            .with_endpoint(em.endpoint())
            .with_scheme(Scheme::Http)
            .with_retry(retries(1)),
    );
    match describe_gateway(&impatient, "vpn-single-a").await {
        Err(SdkError::Transport(t)) => assert!(t.is_timeout(), "{t}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn faults_can_be_set_over_the_admin_endpoint() {
    let em = start(Duration::ZERO);
    let t = transport(PATIENCE);
    let mut req = http::Request::new(
        br#"{"faults":[{"kind":"internal_error","count":1,"action":"DescribeVpnGateway"}]}"#
            .to_vec(),
    );
    *req.method_mut() = http::Method::POST;
    *req.uri_mut() = format!("http://{}/__admin/faults", em.addr())
        .parse()
        .unwrap();
    assert_eq!(send_raw(&t, req).await.status(), 200);
    assert_eq!(
        em.faults(),
        vec![Fault::internal_error(1).for_action(DESCRIBE)]
    );
    let e = service_error(describe_gateway(&client_once(&em), "vpn-single-a").await);
    assert_eq!((e.code(), e.http_status()), ("InternalError", 500));

    // The state over HTTP.
    rename(&client_once(&em), "vco-dual-a", "seen-over-http")
        .await
        .unwrap();
    let mut req = http::Request::new(Vec::new());
    *req.uri_mut() = format!("http://{}/__admin/state", em.addr())
        .parse()
        .unwrap();
    let state: Value = serde_json::from_slice(send_raw(&t, req).await.body()).unwrap();
    let conn = state["vpn_connections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["VpnConnectionId"] == "vco-dual-a")
        .unwrap();
    assert_eq!(conn["Name"], "seen-over-http");
}
