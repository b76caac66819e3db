//! Load.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_calls_over_one_client() {
    const N: usize = 200;
    let em = start(FOREVER);
    for i in 0..N {
        em.insert_gateway(VpnGateway::new(format!("vpn-load-{i:03}"), REGION));
        let conn = if i % 2 == 0 {
            VpnConnection::single_tunnel(format!("vco-load-{i:03}"), format!("vpn-load-{i:03}"))
        } else {
            VpnConnection::dual_tunnel(
                format!("vco-load-{i:03}"),
                format!("vpn-load-{i:03}"),
                format!("tun-load-{i:03}-m"),
                format!("tun-load-{i:03}-s"),
            )
        };
        em.insert_connection(conn).expect("its gateway exists");
    }
    let client = client(&em);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..N {
        let client = client.clone();
        tasks.spawn(async move {
            let b = client
                .modify_vpn_connection_attribute()
                .region_id(REGION)
                .vpn_connection_id(format!("vco-load-{i:03}"))
                .name(format!("load-{i}"));
            let b = if i % 2 == 0 {
                b.enable_dpd(false)
            } else {
                let items: Vec<modify::TunnelOptions> =
                    serde_json::from_value(json!([{"Role": "slave", "EnableDpd": false}])).unwrap();
                b.tunnel_options_specification(items)
            };
            (i, b.send().await)
        });
    }
    let results = tokio::time::timeout(Duration::from_secs(300), tasks.join_all())
        .await
        .expect("every call completes");
    assert_eq!(results.len(), N);
    for (i, r) in &results {
        let r = r.as_ref().unwrap_or_else(|e| panic!("call {i}: {e}"));
        assert_eq!(
            r.vpn_connection_id.as_deref(),
            Some(format!("vco-load-{i:03}").as_str())
        );
    }

    let state = em.state();
    for i in 0..N {
        let conn = state
            .connection(&format!("vco-load-{i:03}"))
            .expect("seeded");
        assert_eq!(conn.name.as_deref(), Some(format!("load-{i}").as_str()));
        assert_eq!(conn.modification_count, 1, "{i}");
        if i % 2 == 0 {
            assert_eq!(conn.enable_dpd, Some(false), "{i}");
        } else {
            let slave = conn.tunnel(&format!("tun-load-{i:03}-s")).unwrap();
            assert_eq!(slave.enable_dpd, Some(false), "{i}");
        }
        let g = state.gateway(&format!("vpn-load-{i:03}")).unwrap();
        assert_eq!(g.status, VpnGatewayStatus::Updating, "{i}");
    }
    let ok: std::collections::BTreeSet<String> = calls_of(&em, MODIFY)
        .filter(|c| c.status == Some(200))
        .map(|c| c.request_id)
        .collect();
    assert_eq!(ok.len(), N);
}

/// 10,000 calls from 50 clients (each its own connection pool) over the resource engine,
/// with faults injected all along: every call ends in success (after the client's retries),
/// and the records are exactly what the calls made — no VPC lost, none made twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_calls_from_fifty_clients_with_faults() {
    const CLIENTS: usize = 50;
    const CYCLES: usize = 50; // four calls each: create, describe, modify, maybe delete
    let em = std::sync::Arc::new(start(FOREVER));
    let mut tasks = tokio::task::JoinSet::new();
    for w in 0..CLIENTS {
        let em = em.clone();
        // Retries wait a millisecond or two: the faults are the emulator's, met at once, so
        // a longer backoff would only make the test slower, not prove more.
        let client = Client::new(
            config(&em, default_credentials(), 12).with_retry(RetryConfig {
                max_attempts: 12,
                initial_backoff: Duration::from_millis(1),
                max_backoff: Duration::from_millis(2),
            }),
        );
        tasks.spawn(async move {
            let mut kept = Vec::new();
            let mut calls = 0usize;
            for i in 0..CYCLES {
                // Every client queues a fault now and then; whichever call comes next takes
                // it. Dropped connections only hit `CreateVpc`, whose `ClientToken` makes a
                // retry safe (the client retries nothing else after a broken connection).
                match i % 5 {
                    0 => em.add_fault(Fault::throttle(1)),
                    1 => em.add_fault(Fault::service_unavailable(1)),
                    2 => em.add_fault(Fault::drop_connection(1).for_action("CreateVpc")),
                    3 => em.add_fault(Fault::internal_error(1)),
                    _ => em.add_fault(Fault::bad_gateway_html(1)),
                }
                let name = format!("w{w}-c{i}");
                let id = client
                    .create_vpc()
                    .region_id(REGION)
                    .vpc_name(&name)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("create {name}: {e}"))
                    .vpc_id
                    .expect("an ID");
                let attr = client
                    .describe_vpc_attribute()
                    .region_id(REGION)
                    .vpc_id(&id)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("describe {name}: {e}"));
                assert_eq!(attr.vpc_name.as_deref(), Some(name.as_str()));
                let renamed = format!("{name}-r");
                client
                    .modify_vpc_attribute()
                    .region_id(REGION)
                    .vpc_id(&id)
                    .vpc_name(&renamed)
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("modify {name}: {e}"));
                calls += 3;
                if i % 2 == 0 {
                    client
                        .delete_vpc()
                        .region_id(REGION)
                        .vpc_id(&id)
                        .send()
                        .await
                        .unwrap_or_else(|e| panic!("delete {name}: {e}"));
                } else {
                    // The fourth call of a kept VPC's cycle lists it.
                    let listed = client
                        .describe_vpcs()
                        .region_id(REGION)
                        .vpc_id(&id)
                        .send()
                        .await
                        .unwrap_or_else(|e| panic!("list {name}: {e}"));
                    assert_eq!(listed.total_count, Some(1), "{name}");
                    kept.push((id, renamed));
                }
                calls += 1;
            }
            (kept, calls)
        });
    }
    let results = tokio::time::timeout(Duration::from_secs(600), tasks.join_all())
        .await
        .expect("every client finishes");
    let calls: usize = results.iter().map(|(_, c)| c).sum();
    assert_eq!(calls, 10_000);
    let kept: Vec<(String, String)> = results.into_iter().flat_map(|(k, _)| k).collect();
    assert_eq!(kept.len(), CLIENTS * CYCLES / 2);

    // Exactly the kept VPCs exist, each once, with its last name.
    let records = em.records();
    let vpcs = records.of("Vpc");
    assert_eq!(vpcs.len(), kept.len());
    let ids: std::collections::BTreeSet<&str> = vpcs
        .iter()
        .filter_map(|r| r.get("VpcId").and_then(Value::as_str))
        .collect();
    assert_eq!(ids.len(), kept.len(), "IDs are unique");
    for (id, name) in &kept {
        let r = records.find("Vpc", id).expect("kept");
        assert_eq!(r["VpcName"], name.as_str());
    }
    let total = client(&em)
        .describe_vpcs()
        .region_id(REGION)
        .page_size(50)
        .send()
        .await
        .unwrap()
        .total_count;
    assert_eq!(total, Some(i32::try_from(kept.len()).unwrap()));

    // Every logical call succeeded once; the faults were really met on the way.
    let requests = em.requests();
    let succeeded = requests
        .iter()
        .filter(|r| r.status == Some(200) && r.fault.is_none())
        .count();
    assert_eq!(succeeded, 10_000 + 1);
    let faulted = requests.iter().filter(|r| r.fault.is_some()).count();
    assert!(faulted > 0);
    assert!(requests.iter().all(|r| !r.replayed));
}
