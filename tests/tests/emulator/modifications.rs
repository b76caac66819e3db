//! Modifications.

use super::*;

#[tokio::test]
async fn the_single_tunnel_vector_changes_the_connection() {
    let em = start(FOREVER);
    let before = em.state();
    let client = client_once(&em);
    let req = request(&single_vector());

    let resp = builder(&client, &req)
        .send()
        .await
        .expect("the modification succeeds");

    let conn = em.connection("vco-single-a").unwrap();
    assert_eq!(conn.modification_count, 1);
    assert_eq!(conn.name.as_deref(), Some("vpn-to-dc1"));
    assert_eq!(
        conn.local_subnet.as_deref(),
        Some("10.1.1.0/24,10.1.2.0/24")
    );
    assert_eq!(
        conn.remote_subnet.as_deref(),
        Some("10.2.1.0/24,10.2.2.0/24")
    );
    assert_eq!(conn.effect_immediately, Some(false));
    assert_eq!(conn.auto_config_route, Some(true));
    assert_eq!(
        (conn.enable_dpd, conn.enable_nat_traversal),
        (Some(true), Some(true))
    );
    let ike = conn.ike_config.as_ref().unwrap();
    assert_eq!(ike.psk.as_deref(), Some("pgw6dy7d1i8i****"));
    assert_eq!(ike.ike_version, Some(IkeVersion::Ikev2));
    assert_eq!(ike.local_id.as_deref(), Some("116.64.XX.XX"));
    assert_eq!(ike.remote_id.as_deref(), Some("139.18.XX.XX"));
    assert_eq!(ike.ike_lifetime, Some(86400));
    let ipsec = conn.ipsec_config.as_ref().unwrap();
    assert_eq!(ipsec.ipsec_pfs, Some(IpsecPfs::Group2));
    let hc = conn.vco_health_check.as_ref().unwrap();
    assert_eq!(
        (
            hc.enable,
            hc.dip.as_deref(),
            hc.sip.as_deref(),
            hc.interval,
            hc.retry
        ),
        (
            Some(true),
            Some("192.168.1.1"),
            Some("10.1.1.1"),
            Some(3),
            Some(3)
        )
    );
    let bgp = conn.vpn_bgp_config.as_ref().unwrap();
    assert_eq!(bgp.enable_bgp, Some(true));
    assert_eq!(bgp.local_asn, Some(65530));
    assert_eq!(bgp.tunnel_cidr.as_deref(), Some("169.254.11.0/30"));
    assert_eq!(bgp.local_bgp_ip.as_deref(), Some("169.254.11.1"));

    // The answer is the documented body holding the new configuration.
    assert_eq!(resp.vpn_connection_id.as_deref(), Some("vco-single-a"));
    assert_eq!(resp.vpn_gateway_id.as_deref(), Some("vpn-single-a"));
    assert_eq!(resp.customer_gateway_id.as_deref(), Some("cgw-emu-a"));
    assert_eq!(resp.name, conn.name);
    assert_eq!(resp.ike_config, conn.ike_config);
    assert_eq!(resp.ipsec_config, conn.ipsec_config);
    assert_eq!(resp.vco_health_check, conn.vco_health_check);
    assert_eq!(resp.vpn_bgp_config, conn.vpn_bgp_config);
    assert!(resp.tunnel_options_specification.is_none());
    assert!(resp.request_id.as_deref().is_some_and(|id| !id.is_empty()));

    // The gateway is updating; nothing else changed.
    assert_eq!(status_of(&em, "vpn-single-a"), VpnGatewayStatus::Updating);
    let after = em.state();
    for id in ["vco-single-a2", "vco-single-b", "vco-dual-a", "vco-dual-b"] {
        assert_eq!(after.connection(id), before.connection(id), "{id}");
    }
    let calls: Vec<_> = calls_of(&em, MODIFY).collect();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].client_token.as_deref(),
        Some("02fb3da4-130e-11e9-8e44-0016e04115b")
    );
    assert_eq!(calls[0].status, Some(200));
}

#[tokio::test]
async fn the_dual_tunnel_vector_changes_both_tunnels() {
    let em = start(FOREVER);
    let client = client_once(&em);
    let req = request(&dual_vector());

    let resp = builder(&client, &req)
        .send()
        .await
        .expect("the modification succeeds");

    let conn = em.connection("vco-dual-a").unwrap();
    assert_eq!(conn.tunnel_mode, TunnelMode::DualTunnel);
    assert_eq!(conn.modification_count, 1);
    assert_eq!(conn.name.as_deref(), Some("vpn-dual"));
    assert_eq!(conn.enable_tunnels_bgp, Some(true));
    assert_eq!(conn.effect_immediately, Some(true));

    let master = conn.tunnel("tun-dual-a-master").unwrap();
    assert_eq!(master.role, Some(TunnelRole::Master));
    assert_eq!(
        master.customer_gateway_id.as_deref(),
        Some("cgw-p0wy363lucf1uyae8****")
    );
    let bgp = master.tunnel_bgp_config.as_ref().unwrap();
    assert_eq!(
        (
            bgp.local_asn,
            bgp.local_bgp_ip.as_deref(),
            bgp.tunnel_cidr.as_deref()
        ),
        (Some(65530), Some("169.254.10.1"), Some("169.254.10.0/30"))
    );
    let ike = master.tunnel_ike_config.as_ref().unwrap();
    // Every character the PSK rule allows survived the form body both ways.
    assert_eq!(ike.psk.as_deref(), Some("Ab1~!`@#$%^&*()_-+={}[]|;:,.<>/?"));
    assert_eq!(ike.ike_enc_alg, Some(EncryptionAlgorithm::Aes256));
    let ipsec = master.tunnel_ipsec_config.as_ref().unwrap();
    assert_eq!(ipsec.ipsec_lifetime, Some(3600));

    let slave = conn.tunnel("tun-dual-a-slave").unwrap();
    assert_eq!(slave.role, Some(TunnelRole::Slave));
    assert_eq!(slave.enable_dpd, Some(false));
    // Not in the request: kept from the seed.
    assert_eq!(slave.customer_gateway_id.as_deref(), Some("cgw-emu-c2"));
    let bgp = slave.tunnel_bgp_config.as_ref().unwrap();
    assert_eq!(bgp.local_asn, Some(4_294_967_295));
    let ike = slave.tunnel_ike_config.as_ref().unwrap();
    assert_eq!(ike.ike_mode, Some(IkeMode::Aggressive));
    assert_eq!(ike.ike_lifetime, Some(0));
    assert_eq!(ike.local_id.as_deref(), Some("vpn.example.com"));
    let ipsec = slave.tunnel_ipsec_config.as_ref().unwrap();
    assert_eq!(ipsec.ipsec_pfs, Some(IpsecPfs::Disabled));
    assert_eq!(ipsec.ipsec_enc_alg, Some(EncryptionAlgorithm::TripleDes));

    let tunnels = resp
        .tunnel_options_specification
        .as_ref()
        .and_then(|s| s.tunnel_options.clone())
        .expect("dual-tunnel answers list their tunnels");
    assert_eq!(tunnels, conn.tunnel_options);
    assert_eq!(resp.enable_tunnels_bgp, Some(true));
    assert!(resp.ike_config.is_none() && resp.customer_gateway_id.is_none());
    assert_eq!(status_of(&em, "vpn-dual-a"), VpnGatewayStatus::Updating);
}

#[tokio::test]
async fn tunnels_are_named_by_id_or_role_and_wrong_names_are_refused() {
    let em = start(Duration::ZERO);
    let client = client_once(&em);
    let tunnel = |v: Value| -> Vec<modify::TunnelOptions> {
        serde_json::from_value(v).expect("tunnel options")
    };

    // By role alone.
    client
        .modify_vpn_connection_attribute()
        .region_id(REGION)
        .vpn_connection_id("vco-dual-b")
        .tunnel_options_specification(tunnel(json!([{"Role": "slave", "EnableDpd": false}])))
        .send()
        .await
        .expect("a tunnel named by its role is changed");
    let conn = em.connection("vco-dual-b").unwrap();
    assert_eq!(
        conn.tunnel("tun-dual-b-slave").unwrap().enable_dpd,
        Some(false)
    );
    assert_eq!(
        conn.tunnel("tun-dual-b-master").unwrap().enable_dpd,
        Some(true)
    );

    let cases = [
        (
            json!([{"TunnelId": "tun-nowhere", "EnableDpd": false}]),
            "IllegalParam.TunnelId",
        ),
        (
            json!([{"TunnelId": "tun-dual-b-master", "Role": "slave"}]),
            "IllegalParam.Role",
        ),
        (json!([{"EnableDpd": false}]), "IllegalParam.TunnelId"),
        (
            json!([{"TunnelId": "tun-dual-b-master"}, {"Role": "master", "EnableDpd": false}]),
            "IllegalParam.TunnelId",
        ),
        // The slave's tunnel CIDR block is already used by the master.
        (
            json!([{"Role": "slave", "TunnelBgpConfig": {"TunnelCidr": "169.254.60.0/30", "LocalBgpIp": "169.254.60.1"}}]),
            "IllegalParam.TunnelCidr",
        ),
    ];
    for (items, code) in cases {
        let e = service_error(
            client
                .modify_vpn_connection_attribute()
                .region_id(REGION)
                .vpn_connection_id("vco-dual-b")
                .tunnel_options_specification(tunnel(items.clone()))
                .send()
                .await,
        );
        assert_eq!((e.code(), e.http_status()), (code, 400), "{items}");
    }
    // The refused changes left the connection as it was.
    assert_eq!(em.connection("vco-dual-b").unwrap(), conn);
}

#[tokio::test]
async fn parameters_of_the_other_tunnel_mode_are_refused() {
    let em = start(Duration::ZERO);
    let client = client_once(&em);
    let before = em.state();

    let e = service_error(
        client
            .modify_vpn_connection_attribute()
            .region_id(REGION)
            .vpn_connection_id("vco-single-a")
            .enable_tunnels_bgp(true)
            .send()
            .await,
    );
    assert_eq!((e.code(), e.http_status()), ("InvalidParameter", 400));
    assert!(e.message().contains("EnableTunnelsBgp"), "{}", e.message());

    let mut dual_with_ike = dual_vector();
    let obj = dual_with_ike.as_object_mut().unwrap();
    obj.remove("TunnelOptionsSpecification");
    obj.remove("EnableTunnelsBgp");
    obj.insert("IkeConfig".into(), json!({"IkeVersion": "ikev2"}));
    let e = service_error(builder(&client, &request(&dual_with_ike)).send().await);
    assert_eq!(e.code(), "InvalidParameter");
    assert!(e.message().contains("IkeConfig"), "{}", e.message());

    assert_eq!(em.state(), before);
}

#[tokio::test]
async fn unknown_connections_and_gateways_are_not_found() {
    let em = start(Duration::ZERO);
    let client = client_once(&em);

    let e = service_error(rename(&client, "vco-nowhere", "x").await);
    assert_eq!(
        e.kind(),
        Some(alicloud_vpc::ErrorCode::InvalidVpnConnectionInstanceIdNotFound),
        "{e:?}"
    );
    assert!(e.is_documented());
    assert_eq!(e.http_status(), 404);
    // A connection of another region is not found either.
    let e = service_error(
        client
            .modify_vpn_connection_attribute()
            .region_id("cn-hangzhou")
            .vpn_connection_id("vco-single-a")
            .name("x")
            .send()
            .await,
    );
    assert_eq!(e.code(), "InvalidVpnConnectionInstanceId.NotFound");

    let e = service_error(describe_gateway(&client, "vpn-nowhere").await);
    assert_eq!(
        e.kind(),
        Some(alicloud_vpc::ErrorCode::InvalidVpnGatewayInstanceIdNotFound),
        "{e:?}"
    );
    assert_eq!(e.http_status(), 404);
    assert_eq!(em.connection("vco-single-a").unwrap().modification_count, 0);
}

#[tokio::test]
async fn describe_reports_the_gateway() {
    let em = start(FOREVER);
    let client = client_once(&em);
    let g = describe_gateway(&client, "vpn-dual-a").await.unwrap();
    assert_eq!(g.vpn_gateway_id.as_deref(), Some("vpn-dual-a"));
    assert_eq!(g.status, Some(VpnGatewayStatus::Active));
    assert_eq!(g.internet_ip.as_deref(), Some("47.100.20.1"));
    assert_eq!(
        g.disaster_recovery_internet_ip.as_deref(),
        Some("47.100.20.2")
    );
    rename(&client, "vco-dual-a", "renamed").await.unwrap();
    let g = describe_gateway(&client, "vpn-dual-a").await.unwrap();
    assert_eq!(g.status, Some(VpnGatewayStatus::Updating));
}

#[tokio::test]
async fn a_state_file_seeds_the_emulator() {
    let file = StateFile::parse(
        r#"{
            "access_keys": [{"id": "file-key", "secret": "file-secret"}],
            "updating_ms": 0,
            "vpn_gateways": [{"VpnGatewayId": "vpn-file", "RegionId": "cn-shanghai"}],
            "vpn_connections": [{"VpnConnectionId": "vco-file", "VpnGatewayId": "vpn-file",
                                 "TunnelMode": "single-tunnel", "Name": "from-file"}],
            "faults": [{"kind": "throttle", "count": 1}]
        }"#,
    )
    .unwrap();
    let em = Emulator::start(EmulatorConfig::from_state_file(&file)).unwrap();
    assert!(em.connection("vco-single-a").is_none());
    assert_eq!(em.faults(), vec![Fault::throttle(1)]);
    let client = Client::new(config(&em, Credentials::new("file-key", "file-secret"), 2));
    let resp = rename(&client, "vco-file", "renamed").await.unwrap();
    assert_eq!(resp.name.as_deref(), Some("renamed"));
    let codes: Vec<_> = calls_of(&em, MODIFY).map(|r| r.code).collect();
    assert_eq!(codes, [Some("Throttling.User".to_owned()), None]);
    // The default key is not accepted by this emulator.
    let e = service_error(rename(&self::client(&em), "vco-file", "x").await);
    assert_eq!(e.code(), "InvalidAccessKeyId.NotFound");
}
