//! VPN gateways and connections kept by the emulator, seen through the list operations:
//! `DescribeVpnGateways` and `DescribeVpnConnections` answer the gateways and connections the
//! calls created, changed and deleted, with filters and paging.

use super::*;

const GATEWAY: &str = "vpn-lists";
const VPC: &str = "vpc-lists";

/// An emulator holding, besides the seed, the gateway [`GATEWAY`] in [`VPC`] with no
/// connection.
fn start_with_gateway() -> Emulator {
    let em = start(Duration::ZERO);
    let mut g = VpnGateway::new(GATEWAY, REGION);
    g.vpc_id = Some(VPC.into());
    g.name = Some("lists".into());
    g.internet_ip = Some("47.0.0.1".into());
    em.insert_gateway(g);
    em
}

async fn create_connection(client: &Client, name: &str, remote: &str) -> String {
    let made = client
        .create_vpn_connection()
        .region_id(REGION)
        .vpn_gateway_id(GATEWAY)
        .customer_gateway_id("cgw-lists")
        .name(name)
        .local_subnet("10.10.0.0/24")
        .remote_subnet(remote)
        .ike_config(r#"{"IkeVersion":"ikev1","Psk":"lists-psk-1"}"#)
        .send()
        .await
        .expect("the connection is created");
    assert_eq!(made.name.as_deref(), Some(name));
    assert!(made.request_id.is_some());
    let id = made.vpn_connection_id.expect("an ID is issued");
    assert!(id.starts_with("vco-"), "{id}");
    id
}

fn service_code<T: std::fmt::Debug>(
    r: Result<T, SdkError<alicloud_runtime::ServiceError<alicloud_vpc::ErrorCode>>>,
) -> String {
    service_error(r).code().to_owned()
}

#[tokio::test]
async fn a_connection_lives_and_dies_in_the_lists() {
    let em = start_with_gateway();
    let client = client(&em);

    // The gateway, by ID and by VPC.
    let by_id = client
        .describe_vpn_gateways()
        .region_id(REGION)
        .vpn_gateway_id(GATEWAY)
        .send()
        .await
        .unwrap();
    assert_eq!(by_id.total_count, Some(1));
    let gateways = by_id.vpn_gateways.unwrap().vpn_gateway.unwrap();
    assert_eq!(gateways.len(), 1);
    assert_eq!(gateways[0].vpn_gateway_id.as_deref(), Some(GATEWAY));
    assert_eq!(gateways[0].vpc_id.as_deref(), Some(VPC));
    assert_eq!(gateways[0].name.as_deref(), Some("lists"));
    assert_eq!(gateways[0].internet_ip.as_deref(), Some("47.0.0.1"));
    let by_vpc = client
        .describe_vpn_gateways()
        .region_id(REGION)
        .vpc_id(VPC)
        .send()
        .await
        .unwrap();
    assert_eq!(by_vpc.total_count, Some(1));
    assert_eq!(
        by_vpc.vpn_gateways.unwrap().vpn_gateway.unwrap()[0]
            .vpn_gateway_id
            .as_deref(),
        Some(GATEWAY)
    );
    // Every gateway of the region (the seed's four and ours); none elsewhere.
    let all = client
        .describe_vpn_gateways()
        .region_id(REGION)
        .send()
        .await
        .unwrap();
    assert_eq!(all.total_count, Some(5));
    let elsewhere = client
        .describe_vpn_gateways()
        .region_id("cn-beijing")
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.total_count, Some(0));

    // A connection, with its fields.
    let id = create_connection(&client, "first", "10.20.0.0/24").await;
    let listed = client
        .describe_vpn_connections()
        .region_id(REGION)
        .vpn_gateway_id(GATEWAY)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.total_count, Some(1));
    let items = listed.vpn_connections.unwrap().vpn_connection.unwrap();
    assert_eq!(items.len(), 1);
    let c = &items[0];
    assert_eq!(c.vpn_connection_id.as_deref(), Some(id.as_str()));
    assert_eq!(c.name.as_deref(), Some("first"));
    assert_eq!(c.vpn_gateway_id.as_deref(), Some(GATEWAY));
    assert_eq!(c.customer_gateway_id.as_deref(), Some("cgw-lists"));
    assert_eq!(c.local_subnet.as_deref(), Some("10.10.0.0/24"));
    assert_eq!(c.remote_subnet.as_deref(), Some("10.20.0.0/24"));
    let ike = c.ike_config.as_ref().expect("the IKE settings are listed");
    assert_eq!(ike.ike_version.as_deref(), Some("ikev1"));
    assert_eq!(ike.psk.as_deref(), Some("lists-psk-1"));
    // By its ID, and by customer gateway; another customer gateway finds nothing.
    let by_conn = client
        .describe_vpn_connections()
        .region_id(REGION)
        .vpn_connection_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(by_conn.total_count, Some(1));
    let by_cgw = client
        .describe_vpn_connections()
        .region_id(REGION)
        .customer_gateway_id("cgw-lists")
        .send()
        .await
        .unwrap();
    assert_eq!(by_cgw.total_count, Some(1));
    let other_cgw = client
        .describe_vpn_connections()
        .region_id(REGION)
        .customer_gateway_id("cgw-other")
        .send()
        .await
        .unwrap();
    assert_eq!(other_cgw.total_count, Some(0));

    // Renamed, the list shows the new name.
    rename(&client, &id, "second")
        .await
        .expect("the rename succeeds");
    let renamed = client
        .describe_vpn_connections()
        .region_id(REGION)
        .vpn_connection_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        renamed.vpn_connections.unwrap().vpn_connection.unwrap()[0]
            .name
            .as_deref(),
        Some("second")
    );
    let one = client
        .describe_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(one.name.as_deref(), Some("second"));
    assert_eq!(one.vpn_gateway_id.as_deref(), Some(GATEWAY));

    // Deleted, it is gone from the list and not found.
    client
        .delete_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&id)
        .send()
        .await
        .expect("the connection is deleted");
    let after = client
        .describe_vpn_connections()
        .region_id(REGION)
        .vpn_gateway_id(GATEWAY)
        .send()
        .await
        .unwrap();
    assert_eq!(after.total_count, Some(0));
    assert!(after
        .vpn_connections
        .and_then(|c| c.vpn_connection)
        .unwrap_or_default()
        .is_empty());
    let gone = client
        .describe_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&id)
        .send()
        .await;
    assert_eq!(
        service_code(gone),
        "InvalidVpnConnectionInstanceId.NotFound"
    );
    let again = client
        .delete_vpn_connection()
        .region_id(REGION)
        .vpn_connection_id(&id)
        .send()
        .await;
    assert_eq!(
        service_code(again),
        "InvalidVpnConnectionInstanceId.NotFound"
    );
    assert!(em.connection(&id).is_none());
}

#[tokio::test]
async fn connections_come_in_pages() {
    let em = start_with_gateway();
    let client = client(&em);
    let mut made = Vec::new();
    for (name, remote) in [
        ("p1", "10.21.0.0/24"),
        ("p2", "10.22.0.0/24"),
        ("p3", "10.23.0.0/24"),
    ] {
        made.push(create_connection(&client, name, remote).await);
    }
    made.sort();

    let mut seen = Vec::new();
    for (page, expected) in [(1, 2), (2, 1), (3, 0)] {
        let r = client
            .describe_vpn_connections()
            .region_id(REGION)
            .vpn_gateway_id(GATEWAY)
            .page_number(page)
            .page_size(2)
            .send()
            .await
            .unwrap();
        assert_eq!(r.total_count, Some(3), "page {page}");
        assert_eq!(r.page_number, Some(page));
        assert_eq!(r.page_size, Some(2));
        let items = r
            .vpn_connections
            .and_then(|c| c.vpn_connection)
            .unwrap_or_default();
        assert_eq!(items.len(), expected, "page {page}");
        seen.extend(items.into_iter().filter_map(|c| c.vpn_connection_id));
    }
    // Every connection once, in ID order.
    assert_eq!(seen, made);
}

#[tokio::test]
async fn an_unknown_gateway_gets_no_connection() {
    let em = start_with_gateway();
    let client = client(&em);
    let r = client
        .create_vpn_connection()
        .region_id(REGION)
        .vpn_gateway_id("vpn-nowhere")
        .local_subnet("10.10.0.0/24")
        .remote_subnet("10.20.0.0/24")
        .send()
        .await;
    assert_eq!(service_code(r), "InvalidVpnGatewayInstanceId.NotFound");
    let listed = client
        .describe_vpn_connections()
        .region_id(REGION)
        .send()
        .await
        .unwrap();
    // The seed's five connections only.
    assert_eq!(listed.total_count, Some(5));
}

#[tokio::test]
async fn dual_tunnel_connections_list_their_tunnels() {
    let em = start_with_gateway();
    let client = client(&em);
    let listed = client
        .describe_vpn_connections()
        .region_id(REGION)
        .vpn_connection_id("vco-dual-b")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.total_count, Some(1));
    let c = &listed.vpn_connections.unwrap().vpn_connection.unwrap()[0];
    assert_eq!(c.vpn_gateway_id.as_deref(), Some("vpn-dual-b"));
    assert_eq!(c.enable_tunnels_bgp, Some(true));
    let tunnels = c
        .tunnel_options_specification
        .as_ref()
        .and_then(|s| s.tunnel_options.clone())
        .expect("the tunnels are listed");
    let ids: Vec<_> = tunnels.iter().filter_map(|t| t.tunnel_id.clone()).collect();
    assert_eq!(ids, ["tun-dual-b-master", "tun-dual-b-slave"]);
    let cidrs: Vec<_> = tunnels
        .iter()
        .filter_map(|t| t.tunnel_bgp_config.as_ref()?.tunnel_cidr.clone())
        .collect();
    assert_eq!(cidrs, ["169.254.60.0/30", "169.254.61.0/30"]);
}

#[tokio::test]
async fn gateways_filter_by_status() {
    let em = start(FOREVER);
    let client = client(&em);
    rename(&client, "vco-single-a", "busy")
        .await
        .expect("the rename succeeds");
    let updating = client
        .describe_vpn_gateways()
        .region_id(REGION)
        .status("updating")
        .send()
        .await
        .unwrap();
    assert_eq!(updating.total_count, Some(1));
    let g = &updating.vpn_gateways.unwrap().vpn_gateway.unwrap()[0];
    assert_eq!(g.vpn_gateway_id.as_deref(), Some("vpn-single-a"));
    assert_eq!(g.status.as_ref().map(|s| s.as_str()), Some("updating"));
    let active = client
        .describe_vpn_gateways()
        .region_id(REGION)
        .status("active")
        .send()
        .await
        .unwrap();
    assert_eq!(active.total_count, Some(3));
}
