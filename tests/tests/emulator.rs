//! The client against the emulator, over real HTTP on 127.0.0.1: modifications in both tunnel
//! modes, every validation rule on both sides, the waiter, signatures, retries with injected
//! faults, idempotency tokens, and 200 concurrent calls.
//!
//! No test depends on speed: updates that must still be running use a ten-minute updating
//! time, waits are bounded by generous timeouts, and nothing asserts how long a call took.

use std::time::{Duration, SystemTime};

use alicloud_emulator::{
    AccessKey, Emulator, EmulatorConfig, Fault, RecordedRequest, StateFile, TunnelMode,
    VpnConnection, VpnGateway,
};
use alicloud_runtime::client::{call, format_acs_date, OperationMeta, RetryConfig, Scheme, ToWire};
use alicloud_runtime::reqwest_transport::ReqwestTransport;
use alicloud_runtime::transport::{HttpResponse, Transport};
use alicloud_runtime::wire::WireRequest;
use alicloud_runtime::{ServiceErrorMeta, Violations};
use alicloud_vpc::operation::describe_vpn_gateway::{
    self as describe, DescribeVpnGatewayError, DescribeVpnGatewayRequest,
    DescribeVpnGatewayResponse,
};
use alicloud_vpc::operation::modify_vpn_connection_attribute::{
    self as modify, ModifyVpnConnectionAttributeError, ModifyVpnConnectionAttributeRequest,
    ModifyVpnConnectionAttributeRequestBuilder, ModifyVpnConnectionAttributeResponse,
};
use alicloud_vpc::types::{
    EncryptionAlgorithm, IkeMode, IkeVersion, IpsecPfs, TunnelRole, VpnGatewayStatus,
};
use alicloud_vpc::{Client, Config, Credentials, SdkError};
use serde_json::{json, Value};

const REGION: &str = "cn-shanghai";
const MODIFY: &str = "ModifyVpnConnectionAttribute";
const DESCRIBE: &str = "DescribeVpnGateway";
/// An updating time no test outlives: the gateway stays `updating` until the test says so.
const FOREVER: Duration = Duration::from_secs(600);
/// A bound on waits that only a broken emulator or client can reach.
const PATIENCE: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn start(updating: Duration) -> Emulator {
    Emulator::start(EmulatorConfig::default().updating(updating)).expect("the emulator starts")
}

fn transport(timeout: Duration) -> ReqwestTransport {
    ReqwestTransport::builder()
        .no_proxy()
        .timeout(timeout)
        .build()
        .expect("transport")
}

fn retries(max_attempts: u32) -> RetryConfig {
    RetryConfig {
        max_attempts,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
    }
}

fn config(em: &Emulator, credentials: Credentials, max_attempts: u32) -> Config {
    Config::new(credentials, transport(PATIENCE))
        .with_endpoint(em.endpoint())
        .with_scheme(Scheme::Http)
        .with_retry(retries(max_attempts))
}

fn default_credentials() -> Credentials {
    Credentials::new(AccessKey::DEFAULT_ID, AccessKey::DEFAULT_SECRET)
}

/// A client with the default key and three quick attempts.
fn client(em: &Emulator) -> Client {
    Client::new(config(em, default_credentials(), 3))
}

/// A client that makes one attempt per call.
fn client_once(em: &Emulator) -> Client {
    Client::new(config(em, default_credentials(), 1))
}

/// The logical request of a signing vector (`single_tunnel_vector`, `dual_tunnel_vector`),
/// pointed at `connection` and with its tunnel IDs renamed by `tunnels`.
fn vector_json(name: &str, connection: &str, tunnels: &[(&str, &str)]) -> Value {
    let mut v = alicloud_tests::signing_vectors()[name]["request"].clone();
    assert!(v.is_object(), "{name} has a request");
    v["VpnConnectionId"] = json!(connection);
    if let Some(items) = v["TunnelOptionsSpecification"].as_array_mut() {
        for item in items {
            let id = item["TunnelId"].as_str().unwrap_or_default().to_owned();
            if let Some((_, to)) = tunnels.iter().find(|(from, _)| *from == id) {
                item["TunnelId"] = json!(to);
            }
        }
    }
    v
}

fn request(v: &Value) -> ModifyVpnConnectionAttributeRequest {
    serde_json::from_value(v.clone()).expect("the JSON is a ModifyVpnConnectionAttributeRequest")
}

/// The single-tunnel vector, on `vco-single-a`.
fn single_vector() -> Value {
    vector_json("single_tunnel_vector", "vco-single-a", &[])
}

/// The dual-tunnel vector, on `vco-dual-a` and its two tunnels.
fn dual_vector() -> Value {
    vector_json(
        "dual_tunnel_vector",
        "vco-dual-a",
        &[
            ("tun-opsqc4d97wni27****", "tun-dual-a-master"),
            ("tun-2xmpl5d97wni27****", "tun-dual-a-slave"),
        ],
    )
}

/// The client's builder holding every field of `r`.
fn builder(
    client: &Client,
    r: &ModifyVpnConnectionAttributeRequest,
) -> ModifyVpnConnectionAttributeRequestBuilder<Client> {
    client
        .modify_vpn_connection_attribute()
        .set_region_id(r.region_id.clone())
        .set_client_token(r.client_token.clone())
        .set_vpn_connection_id(r.vpn_connection_id.clone())
        .set_name(r.name.clone())
        .set_local_subnet(r.local_subnet.clone())
        .set_remote_subnet(r.remote_subnet.clone())
        .set_effect_immediately(r.effect_immediately)
        .set_ike_config(r.ike_config.clone())
        .set_ipsec_config(r.ipsec_config.clone())
        .set_health_check_config(r.health_check_config.clone())
        .set_auto_config_route(r.auto_config_route)
        .set_enable_dpd(r.enable_dpd)
        .set_enable_nat_traversal(r.enable_nat_traversal)
        .set_bgp_config(r.bgp_config.clone())
        .set_remote_ca_certificate(r.remote_ca_certificate.clone())
        .set_tunnel_options_specification(r.tunnel_options_specification.clone())
        .set_enable_tunnels_bgp(r.enable_tunnels_bgp)
        .set_owner_account(r.owner_account.clone())
        .set_owner_id(r.owner_id)
        .set_resource_owner_account(r.resource_owner_account.clone())
        .set_resource_owner_id(r.resource_owner_id)
}

/// A modification that only renames `connection`.
async fn rename(
    client: &Client,
    connection: &str,
    name: &str,
) -> Result<ModifyVpnConnectionAttributeResponse, SdkError<ModifyVpnConnectionAttributeError>> {
    client
        .modify_vpn_connection_attribute()
        .region_id(REGION)
        .vpn_connection_id(connection)
        .name(name)
        .send()
        .await
}

async fn describe_gateway(
    client: &Client,
    gateway: &str,
) -> Result<DescribeVpnGatewayResponse, SdkError<DescribeVpnGatewayError>> {
    client
        .describe_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id(gateway)
        .send()
        .await
}

fn describe_request(gateway: &str) -> DescribeVpnGatewayRequest {
    DescribeVpnGatewayRequest::builder()
        .region_id(REGION)
        .vpn_gateway_id(gateway)
        .build()
        .expect("both required fields are set")
}

fn service_error<T: std::fmt::Debug, E: std::fmt::Debug>(r: Result<T, SdkError<E>>) -> E {
    match r {
        Err(SdkError::Service(e)) => e,
        other => panic!("expected an error answered by the emulator, got {other:?}"),
    }
}

fn violations<T: std::fmt::Debug, E: std::fmt::Debug>(r: Result<T, SdkError<E>>) -> Violations {
    match r {
        Err(SdkError::Validation(v)) => v,
        other => panic!("expected a client-side validation error, got {other:?}"),
    }
}

fn calls_of<'a>(em: &'a Emulator, action: &'a str) -> impl Iterator<Item = RecordedRequest> + 'a {
    em.requests()
        .into_iter()
        .filter(move |r| r.action.as_deref() == Some(action))
}

fn status_of(em: &Emulator, gateway: &str) -> VpnGatewayStatus {
    em.gateway(gateway).expect("gateway in the state").status
}

/// Polls `done` every few milliseconds until it holds or [`PATIENCE`] runs out.
async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !done() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting until {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Modifications
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Decoding and validation
// ---------------------------------------------------------------------------------------------

/// Which valid request a broken one starts from.
#[derive(Clone, Copy, Debug)]
enum Base {
    Single,
    Dual,
}

struct Case {
    rule: &'static str,
    base: Base,
    patch: fn(&mut Value),
    path: &'static str,
    code: &'static str,
    required: bool,
}

fn case(
    rule: &'static str,
    base: Base,
    patch: fn(&mut Value),
    path: &'static str,
    code: &'static str,
) -> Case {
    Case {
        rule,
        base,
        patch,
        path,
        code,
        required: false,
    }
}

fn long(c: char) -> String {
    std::iter::repeat_n(c, 101).collect()
}

/// One broken request per constraint and rule of `ModifyVpnConnectionAttribute`, with the
/// violation's path and the code the service answers (`InvalidParameter` when the spec
/// documents none).
fn modify_cases() -> Vec<Case> {
    use Base::{Dual, Single};
    vec![
        Case {
            required: true,
            ..case(
                "required RegionId",
                Single,
                |v| {
                    v.as_object_mut().unwrap().remove("RegionId");
                },
                "RegionId",
                "MissingParameter",
            )
        },
        Case {
            required: true,
            ..case(
                "required VpnConnectionId",
                Single,
                |v| {
                    v.as_object_mut().unwrap().remove("VpnConnectionId");
                },
                "VpnConnectionId",
                "MissingParameter",
            )
        },
        case(
            "ascii ClientToken",
            Single,
            |v| v["ClientToken"] = json!("tökén-1"),
            "ClientToken",
            "InvalidParameter",
        ),
        case(
            "length Name (empty)",
            Single,
            |v| v["Name"] = json!(""),
            "Name",
            "InvalidName",
        ),
        case(
            "length Name (101)",
            Single,
            |v| v["Name"] = json!(long('n')),
            "Name",
            "InvalidName",
        ),
        case(
            "forbidden_prefixes Name",
            Single,
            |v| v["Name"] = json!("https://vpn"),
            "Name",
            "InvalidName",
        ),
        case(
            "cidr_list LocalSubnet",
            Single,
            |v| v["LocalSubnet"] = json!("10.1.1.0/33"),
            "LocalSubnet",
            "IllegalParam.LocalSubnet",
        ),
        case(
            "cidr_list RemoteSubnet",
            Single,
            |v| v["RemoteSubnet"] = json!("10.2.1.0/24,nonsense"),
            "RemoteSubnet",
            "IllegalParam.RemoteSubnet",
        ),
        case(
            "length IkeConfig.Psk",
            Single,
            |v| v["IkeConfig"]["Psk"] = json!(""),
            "IkeConfig.Psk",
            "InvalidParameter",
        ),
        case(
            "charset IkeConfig.Psk",
            Single,
            |v| v["IkeConfig"]["Psk"] = json!("bad psk"),
            "IkeConfig.Psk",
            "InvalidParameter",
        ),
        case(
            "range IkeConfig.IkeLifetime",
            Single,
            |v| v["IkeConfig"]["IkeLifetime"] = json!(86401),
            "IkeConfig.IkeLifetime",
            "InvalidParameter",
        ),
        case(
            "length IkeConfig.LocalId",
            Single,
            |v| v["IkeConfig"]["LocalId"] = json!(long('l')),
            "IkeConfig.LocalId",
            "InvalidParameter",
        ),
        case(
            "no_whitespace IkeConfig.LocalId",
            Single,
            |v| v["IkeConfig"]["LocalId"] = json!("a b"),
            "IkeConfig.LocalId",
            "InvalidParameter",
        ),
        case(
            "length IkeConfig.RemoteId",
            Single,
            |v| v["IkeConfig"]["RemoteId"] = json!(long('r')),
            "IkeConfig.RemoteId",
            "InvalidParameter",
        ),
        case(
            "no_whitespace IkeConfig.RemoteId",
            Single,
            |v| v["IkeConfig"]["RemoteId"] = json!("r\tb"),
            "IkeConfig.RemoteId",
            "InvalidParameter",
        ),
        case(
            "range IpsecConfig.IpsecLifetime",
            Single,
            |v| v["IpsecConfig"]["IpsecLifetime"] = json!(-1),
            "IpsecConfig.IpsecLifetime",
            "InvalidParameter",
        ),
        case(
            "ipv4 HealthCheckConfig.dip",
            Single,
            |v| v["HealthCheckConfig"]["dip"] = json!("300.1.1.1"),
            "HealthCheckConfig.dip",
            "InvalidParameter",
        ),
        case(
            "ipv4 HealthCheckConfig.sip",
            Single,
            |v| v["HealthCheckConfig"]["sip"] = json!("10.1.1"),
            "HealthCheckConfig.sip",
            "InvalidParameter",
        ),
        case(
            "asn BgpConfig.LocalAsn",
            Single,
            |v| v["BgpConfig"]["LocalAsn"] = json!("0"),
            "BgpConfig.LocalAsn",
            "IllegalParam.LocalAsn",
        ),
        case(
            "cidr_within BgpConfig.TunnelCidr",
            Single,
            |v| {
                v["BgpConfig"]["TunnelCidr"] = json!("169.254.0.0/30");
                v["BgpConfig"]["LocalBgpIp"] = json!("169.254.0.1");
            },
            "BgpConfig.TunnelCidr",
            "IllegalParam.TunnelCidr",
        ),
        case(
            "ipv4 BgpConfig.LocalBgpIp",
            Single,
            |v| v["BgpConfig"]["LocalBgpIp"] = json!("not-an-ip"),
            "BgpConfig.LocalBgpIp",
            "InvalidLocalBgpIp.Malformed",
        ),
        case(
            "address_in_sibling BgpConfig.LocalBgpIp",
            Single,
            |v| v["BgpConfig"]["LocalBgpIp"] = json!("169.254.12.1"),
            "BgpConfig.LocalBgpIp",
            "IllegalParam.LocalBgpIp",
        ),
        case(
            "requires_if BgpConfig.TunnelCidr",
            Single,
            |v| {
                let bgp = v["BgpConfig"].as_object_mut().unwrap();
                bgp.remove("TunnelCidr");
                bgp.remove("LocalBgpIp");
            },
            "BgpConfig.TunnelCidr",
            "MissingParameter.TunnelCidr",
        ),
        case(
            "exclusive_groups single/dual",
            Single,
            |v| v["EnableTunnelsBgp"] = json!(true),
            "EnableTunnelsBgp",
            "InvalidParameter",
        ),
        case(
            "forbid IKEv1 with several CIDR blocks (IkeConfig)",
            Single,
            |v| v["IkeConfig"]["IkeVersion"] = json!("ikev1"),
            "LocalSubnet",
            "ModifyIkeV1WithMultiRoutes.Invalid",
        ),
        case(
            "forbid IKEv1 with several CIDR blocks (tunnels)",
            Dual,
            |v| {
                v["TunnelOptionsSpecification"][0]["TunnelIkeConfig"]["IkeVersion"] = json!("ikev1")
            },
            "LocalSubnet",
            "ModifyIkeV1WithMultiRoutes.Invalid",
        ),
        case(
            "items TunnelOptionsSpecification",
            Dual,
            |v| {
                v["TunnelOptionsSpecification"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"TunnelId": "tun-extra"}))
            },
            "TunnelOptionsSpecification",
            "InvalidParameter",
        ),
        case(
            "unique_items Role",
            Dual,
            |v| v["TunnelOptionsSpecification"][1]["Role"] = json!("master"),
            "TunnelOptionsSpecification[1].Role",
            "IllegalParam.Role",
        ),
        case(
            "unique_items TunnelBgpConfig.TunnelCidr",
            Dual,
            |v| {
                let b = &mut v["TunnelOptionsSpecification"][1]["TunnelBgpConfig"];
                b["TunnelCidr"] = json!("169.254.10.0/30");
                b["LocalBgpIp"] = json!("169.254.10.2");
            },
            "TunnelOptionsSpecification[1].TunnelBgpConfig.TunnelCidr",
            "IllegalParam.TunnelCidr",
        ),
        case(
            "range TunnelBgpConfig.LocalAsn",
            Dual,
            |v| v["TunnelOptionsSpecification"][0]["TunnelBgpConfig"]["LocalAsn"] = json!(0),
            "TunnelOptionsSpecification[0].TunnelBgpConfig.LocalAsn",
            "IllegalParam.LocalAsn",
        ),
        case(
            "ipv4 TunnelBgpConfig.LocalBgpIp",
            Dual,
            |v| {
                v["TunnelOptionsSpecification"][0]["TunnelBgpConfig"]["LocalBgpIp"] =
                    json!("169.254.10.256")
            },
            "TunnelOptionsSpecification[0].TunnelBgpConfig.LocalBgpIp",
            "InvalidLocalBgpIp.Malformed",
        ),
        case(
            "address_in_sibling TunnelBgpConfig.LocalBgpIp",
            Dual,
            |v| {
                v["TunnelOptionsSpecification"][0]["TunnelBgpConfig"]["LocalBgpIp"] =
                    json!("169.254.10.5")
            },
            "TunnelOptionsSpecification[0].TunnelBgpConfig.LocalBgpIp",
            "IllegalParam.LocalBgpIp",
        ),
        case(
            "cidr_within TunnelBgpConfig.TunnelCidr",
            Dual,
            |v| {
                v["TunnelOptionsSpecification"][0]["TunnelBgpConfig"]["TunnelCidr"] =
                    json!("169.254.10.0/29")
            },
            "TunnelOptionsSpecification[0].TunnelBgpConfig.TunnelCidr",
            "IllegalParam.TunnelCidr",
        ),
        case(
            "range TunnelIkeConfig.IkeLifetime",
            Dual,
            |v| v["TunnelOptionsSpecification"][0]["TunnelIkeConfig"]["IkeLifetime"] = json!(86401),
            "TunnelOptionsSpecification[0].TunnelIkeConfig.IkeLifetime",
            "InvalidParameter",
        ),
        case(
            "length TunnelIkeConfig.LocalId",
            Dual,
            |v| v["TunnelOptionsSpecification"][0]["TunnelIkeConfig"]["LocalId"] = json!(long('l')),
            "TunnelOptionsSpecification[0].TunnelIkeConfig.LocalId",
            "InvalidParameter",
        ),
        case(
            "no_whitespace TunnelIkeConfig.LocalId",
            Dual,
            |v| {
                v["TunnelOptionsSpecification"][1]["TunnelIkeConfig"]["LocalId"] =
                    json!("vpn example")
            },
            "TunnelOptionsSpecification[1].TunnelIkeConfig.LocalId",
            "InvalidParameter",
        ),
        case(
            "length TunnelIkeConfig.Psk",
            Dual,
            |v| v["TunnelOptionsSpecification"][0]["TunnelIkeConfig"]["Psk"] = json!(""),
            "TunnelOptionsSpecification[0].TunnelIkeConfig.Psk",
            "InvalidParameter",
        ),
        case(
            "charset TunnelIkeConfig.Psk",
            Dual,
            |v| v["TunnelOptionsSpecification"][1]["TunnelIkeConfig"]["Psk"] = json!("second key"),
            "TunnelOptionsSpecification[1].TunnelIkeConfig.Psk",
            "InvalidParameter",
        ),
        case(
            "length TunnelIkeConfig.RemoteId",
            Dual,
            |v| {
                v["TunnelOptionsSpecification"][0]["TunnelIkeConfig"]["RemoteId"] = json!(long('r'))
            },
            "TunnelOptionsSpecification[0].TunnelIkeConfig.RemoteId",
            "InvalidParameter",
        ),
        case(
            "no_whitespace TunnelIkeConfig.RemoteId",
            Dual,
            |v| v["TunnelOptionsSpecification"][0]["TunnelIkeConfig"]["RemoteId"] = json!("dc 1"),
            "TunnelOptionsSpecification[0].TunnelIkeConfig.RemoteId",
            "InvalidParameter",
        ),
        case(
            "range TunnelIpsecConfig.IpsecLifetime",
            Dual,
            |v| {
                v["TunnelOptionsSpecification"][1]["TunnelIpsecConfig"]["IpsecLifetime"] =
                    json!(86401)
            },
            "TunnelOptionsSpecification[1].TunnelIpsecConfig.IpsecLifetime",
            "InvalidParameter",
        ),
    ]
}

/// The code the client reports for a refused request: that of its violation.
fn client_code(v: &Violations) -> &'static str {
    v.0[0].error_code.unwrap_or("InvalidParameter")
}

#[tokio::test]
async fn every_rule_is_caught_by_the_client_and_answered_alike_by_the_emulator() {
    let em = start(Duration::ZERO);
    let client = client_once(&em);
    let state = em.state();
    let cases = modify_cases();
    assert!(cases.len() >= 40, "one case per constraint and rule");

    for c in &cases {
        let mut v = match c.base {
            Base::Single => single_vector(),
            Base::Dual => dual_vector(),
        };
        (c.patch)(&mut v);
        let req = request(&v);
        let sent_before = em.requests().len();

        // Client side: refused before anything is sent.
        let found = if c.required {
            // The builder names the missing parameter before validating…
            match builder(&client, &req).send().await {
                Err(SdkError::Build(b)) => assert_eq!(b.field, c.path, "{}", c.rule),
                other => panic!("{}: expected a build error, got {other:?}", c.rule),
            }
            // …and validation, which the builder path runs next, reports it as a violation.
            violations(
                call::<_, ModifyVpnConnectionAttributeResponse, ModifyVpnConnectionAttributeError>(
                    client.core(),
                    &modify::META,
                    &req,
                    None,
                )
                .await,
            )
        } else {
            violations(builder(&client, &req).send().await)
        };
        assert_eq!(
            em.requests().len(),
            sent_before,
            "{}: nothing may be sent",
            c.rule
        );
        assert_eq!(
            found.len(),
            1,
            "{}: exactly one violation expected: {found}",
            c.rule
        );
        assert_eq!(found.0[0].path, c.path, "{}", c.rule);
        assert_eq!(client_code(&found), c.code, "{}", c.rule);

        // Emulator side: the same request, unvalidated, gets the same code.
        let answered = if c.required {
            call::<_, ModifyVpnConnectionAttributeResponse, ModifyVpnConnectionAttributeError>(
                client.core(),
                &modify::META,
                &req,
                Some(false),
            )
            .await
        } else {
            builder(&client, &req).skip_validation().send().await
        };
        let e = service_error(answered);
        assert_eq!(e.code(), client_code(&found), "{}: {}", c.rule, e.message());
        assert_eq!(e.http_status(), 400, "{}", c.rule);
        assert!(
            e.message().contains(c.path),
            "{}: the message names the field: {}",
            c.rule,
            e.message()
        );
        assert_eq!(em.requests().len(), sent_before + 1, "{}: one call", c.rule);
    }
    // No refused request changed anything.
    assert_eq!(em.state(), state);
}

#[tokio::test]
async fn describe_rules_are_caught_by_the_client_and_answered_alike_by_the_emulator() {
    let em = start(Duration::ZERO);
    let client = client_once(&em);
    let cases: [(&str, DescribeVpnGatewayRequest); 2] = [
        (
            "RegionId",
            serde_json::from_value(json!({"VpnGatewayId": "vpn-single-a"})).unwrap(),
        ),
        (
            "VpnGatewayId",
            serde_json::from_value(json!({"RegionId": REGION})).unwrap(),
        ),
    ];
    for (path, req) in cases {
        let v = violations(
            call::<_, DescribeVpnGatewayResponse, DescribeVpnGatewayError>(
                client.core(),
                &describe::META,
                &req,
                None,
            )
            .await,
        );
        assert!(em.requests().is_empty(), "nothing is sent");
        assert_eq!((v.len(), v.0[0].path.as_str()), (1, path));
        assert_eq!(client_code(&v), "MissingParameter");
        let e = service_error(
            call::<_, DescribeVpnGatewayResponse, DescribeVpnGatewayError>(
                client.core(),
                &describe::META,
                &req,
                Some(false),
            )
            .await,
        );
        assert_eq!(e.code(), "MissingParameter");
        assert!(e.message().contains(path), "{}", e.message());
        em.clear_requests();
    }
}

/// Sends hand-made wire parameters through the client core (signed, no validation).
async fn send_wire(
    client: &Client,
    query: &[(&str, &str)],
    body: &[(&str, &str)],
) -> Result<(), ServiceErrorMeta> {
    let mut wire = WireRequest::default();
    for (k, v) in query {
        wire.query.push_raw(k, v);
    }
    for (k, v) in body {
        wire.body.push_raw(k, v);
    }
    match client.core().invoke(&modify::META, wire).await {
        Ok(_) => Ok(()),
        Err(SdkError::Service(e)) => Err(e),
        Err(other) => panic!("expected an answer, got {other:?}"),
    }
}

#[tokio::test]
async fn undecodable_parameters_name_the_field_and_booleans_take_any_case() {
    let em = start(Duration::ZERO);
    let client = client_once(&em);
    let base = [("RegionId", REGION), ("VpnConnectionId", "vco-single-a")];

    let e = send_wire(&client, &[base[0], base[1], ("EnableDpd", "maybe")], &[])
        .await
        .unwrap_err();
    assert_eq!((e.status, e.code.as_str()), (400, "InvalidParameter"));
    assert!(e.message.contains("\"EnableDpd\""), "{}", e.message);

    let e = send_wire(
        &client,
        &[base[0], base[1], ("IkeConfig", "{\"Psk\":")],
        &[],
    )
    .await
    .unwrap_err();
    assert_eq!(e.code, "InvalidParameter");
    assert!(e.message.contains("\"IkeConfig\""), "{}", e.message);
    assert!(
        !e.message.contains("Psk"),
        "values are not echoed: {}",
        e.message
    );
    // serde quotes some values in its messages; a pre-shared key must not come back.
    let e = send_wire(
        &client,
        &[base[0], base[1], ("IkeConfig", "\"psk-secret-1\"")],
        &[],
    )
    .await
    .unwrap_err();
    assert!(e.message.contains("\"IkeConfig\""), "{}", e.message);
    assert!(!e.message.contains("psk-secret-1"), "{}", e.message);

    let e = send_wire(
        &client,
        &[base[0], ("VpnConnectionId", "vco-dual-a")],
        &[("TunnelOptionsSpecification.1.EnableDpd", "perhaps")],
    )
    .await
    .unwrap_err();
    assert_eq!(e.code, "InvalidParameter");
    assert!(
        e.message
            .contains("TunnelOptionsSpecification[0].EnableDpd"),
        "{}",
        e.message
    );
    assert_eq!(em.connection("vco-single-a").unwrap().modification_count, 0);

    // `True`/`FALSE` (the Python SDK sends `True`) are booleans too.
    send_wire(
        &client,
        &[
            base[0],
            base[1],
            ("EnableDpd", "FALSE"),
            ("EnableNatTraversal", "False"),
        ],
        &[],
    )
    .await
    .unwrap();
    let conn = em.connection("vco-single-a").unwrap();
    assert_eq!(
        (conn.enable_dpd, conn.enable_nat_traversal),
        (Some(false), Some(false))
    );
    send_wire(
        &client,
        &[base[0], ("VpnConnectionId", "vco-dual-a")],
        &[
            ("TunnelOptionsSpecification.1.Role", "slave"),
            ("TunnelOptionsSpecification.1.EnableNatTraversal", "True"),
            ("TunnelOptionsSpecification.1.EnableDpd", "fAlSe"),
        ],
    )
    .await
    .unwrap();
    let slave = em.connection("vco-dual-a").unwrap();
    let slave = slave.tunnel("tun-dual-a-slave").unwrap();
    assert_eq!(
        (slave.enable_dpd, slave.enable_nat_traversal),
        (Some(false), Some(true))
    );
}

// ---------------------------------------------------------------------------------------------
// Updating, the waiter, idempotency
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Signatures and the gateway's checks
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_wrong_secret_is_signature_does_not_match() {
    let em = start(Duration::ZERO);
    let client = Client::new(config(
        &em,
        Credentials::new(AccessKey::DEFAULT_ID, "not-the-secret"),
        3,
    ));
    let e = service_error(rename(&client, "vco-single-a", "x").await);
    assert_eq!((e.code(), e.http_status()), ("SignatureDoesNotMatch", 400));
    assert!(
        e.message()
            .contains("server string to sign is:ACS3-HMAC-SHA256\n"),
        "{}",
        e.message()
    );
    assert!(e.request_id().is_some_and(|id| !id.is_empty()));
    // Not retried, nothing changed.
    assert_eq!(calls_of(&em, MODIFY).count(), 1);
    assert_eq!(em.connection("vco-single-a").unwrap().modification_count, 0);
}

#[tokio::test]
async fn an_unknown_key_is_invalid_access_key_id_not_found() {
    let em = start(Duration::ZERO);
    let client = Client::new(config(&em, Credentials::new("who-is-this", "secret"), 3));
    let e = service_error(describe_gateway(&client, "vpn-single-a").await);
    assert_eq!(
        (e.code(), e.http_status()),
        ("InvalidAccessKeyId.NotFound", 404)
    );
    assert_eq!(calls_of(&em, DESCRIBE).count(), 1);
}

#[tokio::test]
async fn sts_keys_need_their_token() {
    let em = start(Duration::ZERO);
    em.add_access_key(AccessKey::new("sts-id", "sts-secret").with_security_token("sts-token"));
    let with = Client::new(config(
        &em,
        Credentials::new("sts-id", "sts-secret").with_security_token("sts-token"),
        1,
    ));
    describe_gateway(&with, "vpn-single-a").await.unwrap();
    let without = Client::new(config(&em, Credentials::new("sts-id", "sts-secret"), 1));
    let e = service_error(describe_gateway(&without, "vpn-single-a").await);
    assert_eq!(e.code(), "InvalidSecurityToken.MismatchWithAccessKey");
}

async fn send_raw(t: &ReqwestTransport, req: http::Request<Vec<u8>>) -> HttpResponse {
    t.send(req).await.expect("the emulator answers")
}

fn error_of(resp: &HttpResponse) -> ServiceErrorMeta {
    ServiceErrorMeta::from_response(resp.status().as_u16(), resp.body())
        .expect("errors come in the JSON envelope")
}

/// An operation the emulator does not serve.
static NO_SUCH_ACTION: OperationMeta = OperationMeta {
    product: "Vpc",
    version: "2016-04-28",
    action: "NoSuchAction",
    endpoint_pattern: "vpc.{region_id}.aliyuncs.com",
    method: "POST",
    idempotency_token: None,
    errors: &[],
};
/// `DescribeVpnGateway` in a version the emulator does not serve.
static OLD_VERSION: OperationMeta = OperationMeta {
    product: "Vpc",
    version: "2014-05-26",
    action: "DescribeVpnGateway",
    endpoint_pattern: "vpc.{region_id}.aliyuncs.com",
    method: "POST",
    idempotency_token: None,
    errors: &[],
};

#[tokio::test]
async fn timestamps_nonces_authorization_actions_and_versions_are_checked() {
    let em = start(Duration::ZERO);
    let client = client_once(&em);
    let core = client.core();
    let t = transport(PATIENCE);
    let creds = default_credentials();
    let mut wire = describe_request("vpn-single-a").to_wire();
    wire.sort();
    let now = format_acs_date(SystemTime::now());

    // One nonce, twice.
    let build = |meta: &'static OperationMeta, date: &str, nonce: &str| {
        core.build_request(meta, &wire, &creds, date, nonce)
            .expect("a request")
    };
    let first = send_raw(&t, build(&describe::META, &now, "nonce-1")).await;
    assert_eq!(first.status(), 200);
    assert!(first.headers().contains_key("x-acs-request-id"));
    assert!(
        first.headers().contains_key("date"),
        "the client learns the server's clock from it"
    );
    let again = send_raw(&t, build(&describe::META, &now, "nonce-1")).await;
    assert_eq!(error_of(&again).code, "SignatureNonceUsed");

    // An hour off.
    let old = format_acs_date(SystemTime::now() - Duration::from_secs(3600));
    let e = error_of(&send_raw(&t, build(&describe::META, &old, "nonce-2")).await);
    assert_eq!(
        (e.status, e.code.as_str()),
        (400, "InvalidTimeStamp.Expired")
    );

    // No Authorization.
    let mut req = build(&describe::META, &now, "nonce-3");
    req.headers_mut().remove("authorization");
    let e = error_of(&send_raw(&t, req).await);
    assert_eq!((e.status, e.code.as_str()), (400, "IncompleteSignature"));

    // A signed header changed on the way.
    let mut req = build(&describe::META, &now, "nonce-4");
    req.headers_mut()
        .insert("x-acs-signature-nonce", "nonce-4b".parse().unwrap());
    let e = error_of(&send_raw(&t, req).await);
    assert_eq!(e.code, "SignatureDoesNotMatch");

    let e = error_of(&send_raw(&t, build(&NO_SUCH_ACTION, &now, "nonce-5")).await);
    assert_eq!((e.status, e.code.as_str()), (404, "InvalidAction.NotFound"));
    let e = error_of(&send_raw(&t, build(&OLD_VERSION, &now, "nonce-6")).await);
    assert_eq!((e.status, e.code.as_str()), (400, "InvalidVersion"));

    // The envelope carries every documented key.
    let body: Value = serde_json::from_slice(again.body()).unwrap();
    for key in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
        assert!(
            body[key].as_str().is_some_and(|s| !s.is_empty()),
            "{key}: {body}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Retries and faults
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Load
// ---------------------------------------------------------------------------------------------

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
