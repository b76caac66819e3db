//! The VPN operations answered from the typed VPN model ([`World`]) other than the two with
//! handlers of their own in `ops`: the lists `DescribeVpnGateways` and `DescribeVpnConnections`,
//! `DescribeVpnConnection`, `CreateVpnConnection` and `DeleteVpnConnection`.
//!
//! Gateways and connections are typed (`state::VpnGateway`, `state::VpnConnection`) because
//! `ModifyVpnConnectionAttribute` needs their structure; the lists reuse the resource engine's
//! describe machinery ([`resources::list_answer`]: region, filters by field name, paging) over
//! the records' JSON, then shape each item after the operation's documented example
//! ([`resources::conform`]), so the field names and JSON types are those the generated
//! response types read.

use std::time::Instant;

use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::ops::World;
use crate::resources;
use crate::state::{TunnelMode, VpnConnection};

const DESCRIBE_GATEWAYS: &str = "DescribeVpnGateways";
const DESCRIBE_CONNECTIONS: &str = "DescribeVpnConnections";
const DESCRIBE_CONNECTION: &str = "DescribeVpnConnection";
const CREATE_CONNECTION: &str = "CreateVpnConnection";
const DELETE_CONNECTION: &str = "DeleteVpnConnection";
const VPC: &str = "2016-04-28";

/// Whether this module answers `action` of `version`.
pub(crate) fn handles(version: &str, action: &str) -> bool {
    version == VPC
        && [
            DESCRIBE_GATEWAYS,
            DESCRIBE_CONNECTIONS,
            DESCRIBE_CONNECTION,
            CREATE_CONNECTION,
            DELETE_CONNECTION,
        ]
        .contains(&action)
}

/// Whether `action` changes the world (its answer is kept for a `ClientToken`).
pub(crate) fn mutates(action: &str) -> bool {
    action == CREATE_CONNECTION || action == DELETE_CONNECTION
}

/// The answer of `action` (one [`handles`] accepts) to the decoded, validated `request`;
/// `example` is the operation's synthesised answer, the template of the body.
pub(crate) fn handle(
    world: &mut World,
    action: &str,
    request: &Value,
    example: &str,
    now: Instant,
) -> Result<Value, ApiError> {
    let req = request.as_object().cloned().unwrap_or_default();
    let answer: Value = serde_json::from_str(example).unwrap_or_else(|_| Value::Object(Map::new()));
    // Statuses as of now: a gateway whose update has run its time is `active` again.
    world.refresh(now);
    match action {
        DESCRIBE_GATEWAYS => Ok(describe_gateways(world, &req, answer)),
        DESCRIBE_CONNECTIONS => Ok(describe_connections(world, &req, answer)),
        DESCRIBE_CONNECTION => describe_connection(world, &req, answer),
        CREATE_CONNECTION => create_connection(world, &req, answer),
        _ => delete_connection(world, &req, answer),
    }
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// `v` as a JSON object (empty if it does not serialise to one).
fn to_object<T: serde::Serialize>(v: &T) -> Map<String, Value> {
    match serde_json::to_value(v) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// Fields a filter may name that a record leaves out when unset: present as `null`, a record
/// without one does not match a request naming it.
fn with_filter_fields(mut record: Map<String, Value>, fields: &[&str]) -> Map<String, Value> {
    for f in fields {
        record.entry(f.to_string()).or_insert(Value::Null);
    }
    record
}

fn describe_gateways(world: &World, req: &Map<String, Value>, answer: Value) -> Value {
    const PATH: &[&str] = &["VpnGateways", "VpnGateway"];
    let records: Vec<Map<String, Value>> = world
        .gateways
        .values()
        .map(|g| {
            let mut r = to_object(&g.gateway);
            // As `DescribeVpnGateway` reports them.
            r.insert("BusinessStatus".into(), "Normal".into());
            r.insert("VpnType".into(), "Normal".into());
            with_filter_fields(r, &["VpcId", "ResourceGroupId"])
        })
        .collect();
    let item = Value::Object(resources::example_item(VPC, DESCRIBE_GATEWAYS, PATH));
    resources::list_answer(records.iter().collect(), req, PATH, answer, |r| {
        resources::conform(&item, &Value::Object(r.clone()))
    })
}

/// A connection as the describe answers show it: the model's fields, its gateway's region,
/// and dual-tunnel options under `TunnelOptionsSpecification.TunnelOptions`.
fn connection_record(world: &World, c: &VpnConnection) -> Map<String, Value> {
    let mut r = to_object(c);
    let region = world
        .gateways
        .get(&c.vpn_gateway_id)
        .map(|g| g.gateway.region_id.clone())
        .unwrap_or_default();
    r.insert("RegionId".into(), Value::String(region));
    if let Some(tunnels) = r.remove("TunnelOptions") {
        let mut spec = Map::new();
        spec.insert("TunnelOptions".into(), tunnels);
        r.insert("TunnelOptionsSpecification".into(), Value::Object(spec));
    }
    with_filter_fields(r, &["CustomerGatewayId", "ResourceGroupId"])
}

fn describe_connections(world: &World, req: &Map<String, Value>, answer: Value) -> Value {
    const PATH: &[&str] = &["VpnConnections", "VpnConnection"];
    let records: Vec<Map<String, Value>> = world
        .connections
        .values()
        .map(|c| connection_record(world, c))
        .collect();
    let item = Value::Object(resources::example_item(VPC, DESCRIBE_CONNECTIONS, PATH));
    resources::list_answer(records.iter().collect(), req, PATH, answer, |r| {
        resources::conform(&item, &Value::Object(r.clone()))
    })
}

fn connection_not_found(id: &str) -> ApiError {
    ApiError::new(
        404,
        "InvalidVpnConnectionInstanceId.NotFound",
        format!("The specified vpn connection instance id \"{id}\" does not exist."),
    )
}

/// The ID of the connection the request names, when it is in the request's region.
fn existing_connection(world: &World, req: &Map<String, Value>) -> Result<String, ApiError> {
    let id = text(req.get("VpnConnectionId"));
    let region = text(req.get("RegionId"));
    let found = world.connections.get(&id).is_some_and(|c| {
        world
            .gateways
            .get(&c.vpn_gateway_id)
            .is_some_and(|g| g.gateway.region_id == region)
    });
    if found {
        Ok(id)
    } else {
        Err(connection_not_found(&id))
    }
}

fn describe_connection(
    world: &World,
    req: &Map<String, Value>,
    answer: Value,
) -> Result<Value, ApiError> {
    let id = existing_connection(world, req)?;
    let Some(c) = world.connections.get(&id) else {
        return Err(connection_not_found(&id));
    };
    // The call's `RequestId` is set by the server afterwards.
    Ok(resources::conform(
        &answer,
        &Value::Object(connection_record(world, c)),
    ))
}

/// A request's JSON-valued parameter (`IkeConfig`, …), whether decoded as an object or kept
/// as its text.
fn json_param(req: &Map<String, Value>, name: &str) -> Option<Map<String, Value>> {
    match req.get(name)? {
        Value::Object(m) => Some(m.clone()),
        Value::String(s) => serde_json::from_str(s).ok(),
        _ => None,
    }
}

/// `base` (a typed block, e.g. `IkeConfigResult`) with the request's members of the same name
/// written over it, each in the block's own JSON type.
fn overlay<T>(base: &T, over: Option<Map<String, Value>>) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned + Clone,
{
    let Some(over) = over else {
        return base.clone();
    };
    let mut merged = to_object(base);
    for (k, v) in over {
        if let Some(like) = merged.get(&k) {
            let v = resources::conform(like, &v);
            merged.insert(k, v);
        }
    }
    serde_json::from_value(Value::Object(merged)).unwrap_or_else(|_| base.clone())
}

fn new_id(world: &World, prefix: &str) -> String {
    loop {
        let raw = uuid::Uuid::new_v4().simple().to_string();
        let id = format!("{prefix}{}", &raw[..22]);
        if !world.connections.contains_key(&id) {
            return id;
        }
    }
}

/// `CreateVpnConnection`: a connection on an existing gateway of the region, single-tunnel
/// unless the request carries `TunnelOptionsSpecification`. The gateway's status is left as
/// it is.
fn create_connection(
    world: &mut World,
    req: &Map<String, Value>,
    mut answer: Value,
) -> Result<Value, ApiError> {
    let gateway = text(req.get("VpnGatewayId"));
    let region = text(req.get("RegionId"));
    if world
        .gateways
        .get(&gateway)
        .is_none_or(|g| g.gateway.region_id != region)
    {
        return Err(ApiError::new(
            404,
            "InvalidVpnGatewayInstanceId.NotFound",
            format!("The specified vpn gateway instance id \"{gateway}\" does not exist."),
        ));
    }
    let id = new_id(world, "vco-");
    let dual = req
        .get("TunnelOptionsSpecification")
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty());
    let mut c = if dual {
        let master = new_id(world, "tun-");
        let slave = new_id(world, "tun-");
        VpnConnection::dual_tunnel(id.clone(), gateway, master, slave)
    } else {
        VpnConnection::single_tunnel(id.clone(), gateway)
    };
    let s = |name: &str| req.get(name).map(|v| text(Some(v)));
    let b = |name: &str| req.get(name).and_then(Value::as_bool);
    c.name = s("Name").or(c.name);
    c.local_subnet = s("LocalSubnet").or(c.local_subnet);
    c.remote_subnet = s("RemoteSubnet").or(c.remote_subnet);
    c.resource_group_id = s("ResourceGroupId").or(c.resource_group_id);
    c.effect_immediately = b("EffectImmediately").or(c.effect_immediately);
    c.auto_config_route = b("AutoConfigRoute");
    c.create_time = Some(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
    );
    if c.tunnel_mode == TunnelMode::SingleTunnel {
        c.customer_gateway_id = s("CustomerGatewayId");
        c.enable_dpd = b("EnableDpd").or(c.enable_dpd);
        c.enable_nat_traversal = b("EnableNatTraversal").or(c.enable_nat_traversal);
        c.remote_ca_certificate = s("RemoteCaCertificate");
        c.ike_config = c
            .ike_config
            .as_ref()
            .map(|k| overlay(k, json_param(req, "IkeConfig")));
        c.ipsec_config = c
            .ipsec_config
            .as_ref()
            .map(|k| overlay(k, json_param(req, "IpsecConfig")));
    } else {
        c.enable_tunnels_bgp = b("EnableTunnelsBgp").or(c.enable_tunnels_bgp);
    }
    if let Some(m) = answer.as_object_mut() {
        m.insert("VpnConnectionId".into(), Value::String(id.clone()));
        m.insert(
            "Name".into(),
            c.name.clone().map_or(Value::Null, Value::String),
        );
        m.insert("CreateTime".into(), c.create_time.into());
    }
    world.connections.insert(id, c);
    Ok(answer)
}

/// `DeleteVpnConnection`: the connection is gone, with the answers kept for its tokens.
fn delete_connection(
    world: &mut World,
    req: &Map<String, Value>,
    answer: Value,
) -> Result<Value, ApiError> {
    let id = existing_connection(world, req)?;
    world.connections.remove(&id);
    world.tokens.retain(|(conn, _), _| *conn != id);
    Ok(answer)
}
