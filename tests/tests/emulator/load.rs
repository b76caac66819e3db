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
