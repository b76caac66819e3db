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

async fn send_raw(t: &ReqwestTransport, req: http::Request<Vec<u8>>) -> HttpResponse {
    t.send(req).await.expect("the emulator answers")
}

mod decoding_and_validation;
mod every_operation;
mod load;
mod modifications;
mod retries;
mod roa;
mod signatures;
mod sts;
mod updating;
mod vpn_lists;
