//! The emulated operations over the in-memory world.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use alicloud_runtime::decode::decode_request;
use alicloud_runtime::rules;
use alicloud_vpc::operation::describe_vpn_gateway::{
    DescribeVpnGatewayRequest, DescribeVpnGatewayResponse,
};
use alicloud_vpc::operation::modify_vpn_connection_attribute::{
    IkeConfigResult, IpsecConfigResult, ModifyVpnConnectionAttributeRequest,
    ModifyVpnConnectionAttributeResponse, TunnelBgpConfigResult, TunnelIkeConfigResult,
    TunnelIpsecConfigResult, TunnelOptions, TunnelOptionsResult, TunnelOptionsSpecificationResult,
    VcoHealthCheck, VpnBgpConfig,
};
use alicloud_vpc::types::{BgpStatus, IkeVersion, VpnGatewayStatus};

use crate::error::ApiError;
use crate::state::{State, TunnelMode, VpnConnection, VpnGateway};

/// The action names the emulator serves.
pub(crate) const MODIFY: &str = "ModifyVpnConnectionAttribute";
pub(crate) const DESCRIBE: &str = "DescribeVpnGateway";

/// A gateway and, while it is `updating`, when it becomes `active` again.
#[derive(Debug)]
pub(crate) struct GatewayEntry {
    pub gateway: VpnGateway,
    pub busy_until: Option<Instant>,
}

impl GatewayEntry {
    /// Ends an update whose time has come.
    fn refresh(&mut self, now: Instant) {
        if let Some(t) = self.busy_until {
            if now >= t {
                self.busy_until = None;
                self.gateway.status = VpnGatewayStatus::Active;
            }
        }
    }
}

/// A successful answer kept for a `ClientToken`. No `Debug`: the body quotes pre-shared keys.
#[derive(Clone)]
pub(crate) struct Answer {
    pub request_id: String,
    pub body: String,
}

/// Every resource, and the answers kept for idempotency tokens.
#[derive(Default)]
pub(crate) struct World {
    pub gateways: BTreeMap<String, GatewayEntry>,
    pub connections: BTreeMap<String, VpnConnection>,
    /// (connection ID, ClientToken) → the first answer.
    pub tokens: HashMap<(String, String), Answer>,
}

impl World {
    /// Adds or replaces the resources of `state`, after checking it.
    pub fn seed(&mut self, state: State) -> Result<(), crate::state::SeedError> {
        // Check the combination, so that a connection may name a gateway seeded earlier.
        let mut combined = self.snapshot(Instant::now());
        for g in &state.vpn_gateways {
            combined
                .vpn_gateways
                .retain(|x| x.vpn_gateway_id != g.vpn_gateway_id);
        }
        for c in &state.vpn_connections {
            combined
                .vpn_connections
                .retain(|x| x.vpn_connection_id != c.vpn_connection_id);
        }
        combined
            .vpn_gateways
            .extend(state.vpn_gateways.iter().cloned());
        combined
            .vpn_connections
            .extend(state.vpn_connections.iter().cloned());
        combined.check()?;
        for g in state.vpn_gateways {
            self.gateways.insert(
                g.vpn_gateway_id.clone(),
                GatewayEntry {
                    gateway: g,
                    busy_until: None,
                },
            );
        }
        for c in state.vpn_connections {
            self.connections.insert(c.vpn_connection_id.clone(), c);
        }
        Ok(())
    }

    /// Every resource as it is at `now`.
    pub fn snapshot(&mut self, now: Instant) -> State {
        self.refresh(now);
        State {
            vpn_gateways: self.gateways.values().map(|g| g.gateway.clone()).collect(),
            vpn_connections: self.connections.values().cloned().collect(),
        }
    }

    /// Ends the updates whose time has come by `now`.
    pub fn refresh(&mut self, now: Instant) {
        for g in self.gateways.values_mut() {
            g.refresh(now);
        }
    }

    /// Ends every running update now.
    pub fn complete_updates(&mut self) {
        for g in self.gateways.values_mut() {
            if g.busy_until.take().is_some() {
                g.gateway.status = VpnGatewayStatus::Active;
            }
        }
    }
}

/// What an operation answered, for the server to send and record.
pub(crate) struct Success {
    pub request_id: String,
    pub body: String,
    /// For `DescribeVpnGateway`: the status reported.
    pub gateway_status: Option<String>,
    /// Whether the answer was replayed for a `ClientToken` seen before.
    pub replayed: bool,
}

impl Success {
    /// An answer with nothing else to record.
    pub fn plain(body: String, request_id: &str) -> Self {
        Self {
            request_id: request_id.to_owned(),
            body,
            gateway_status: None,
            replayed: false,
        }
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, ApiError> {
    serde_json::to_string(v).map_err(|_| {
        ApiError::new(
            500,
            "InternalError",
            "The request processing has failed due to some unknown error, exception or failure.",
        )
    })
}

fn connection_not_found() -> ApiError {
    ApiError::new(
        404,
        "InvalidVpnConnectionInstanceId.NotFound",
        "The specified vpn connection instance id does not exist.",
    )
}

/// `DescribeVpnGateway`.
pub(crate) fn describe_vpn_gateway(
    world: &mut World,
    params: &[(String, String)],
    request_id: &str,
    now: Instant,
) -> Result<Success, ApiError> {
    let req: DescribeVpnGatewayRequest =
        decode_request(params).map_err(|e| ApiError::from_decode(&e))?;
    refuse_what_the_service_states(req.validate())?;
    let id = req.vpn_gateway_id.as_deref().unwrap_or_default();
    let region = req.region_id.as_deref().unwrap_or_default();
    let entry = world
        .gateways
        .get_mut(id)
        .filter(|g| g.gateway.region_id == region)
        .ok_or_else(|| {
            ApiError::new(
                404,
                "InvalidVpnGatewayInstanceId.NotFound",
                "The specified vpn gateway instance id does not exist.",
            )
        })?;
    entry.refresh(now);
    let g = &entry.gateway;
    let mut r = DescribeVpnGatewayResponse::default();
    r.request_id = Some(request_id.to_owned());
    r.vpn_gateway_id = Some(g.vpn_gateway_id.clone());
    r.vpc_id = g.vpc_id.clone();
    r.v_switch_id = g.v_switch_id.clone();
    r.internet_ip = g.internet_ip.clone();
    r.name = g.name.clone();
    r.description = g.description.clone();
    r.spec = g.spec.clone();
    r.status = Some(g.status.clone());
    r.business_status = Some("Normal".to_owned());
    r.create_time = g.create_time;
    r.charge_type = g.charge_type.clone();
    r.ipsec_vpn = g.ipsec_vpn.clone();
    r.ssl_vpn = g.ssl_vpn.clone();
    r.enable_bgp = g.enable_bgp;
    r.resource_group_id = g.resource_group_id.clone();
    r.network_type = g.network_type.clone();
    r.vpn_type = Some("Normal".to_owned());
    r.disaster_recovery_internet_ip = g.disaster_recovery_internet_ip.clone();
    r.disaster_recovery_v_switch_id = g.disaster_recovery_v_switch_id.clone();
    Ok(Success {
        request_id: request_id.to_owned(),
        body: to_json(&r)?,
        gateway_status: Some(g.status.as_str().to_owned()),
        replayed: false,
    })
}

/// `ModifyVpnConnectionAttribute`.
///
/// Order of checks: decoding, the spec's rules, the connection (and its region), a replayed
/// `ClientToken`, the connection's mode, the gateway's state, then the change itself (tunnels
/// named by `TunnelId` or `Role`, tunnel CIDR blocks unique on the gateway, IKEv1 with one CIDR
/// block per side), applied all at once or not at all.
pub(crate) fn modify_vpn_connection_attribute(
    world: &mut World,
    params: &[(String, String)],
    request_id: &str,
    now: Instant,
    updating: Duration,
) -> Result<Success, ApiError> {
    let req: ModifyVpnConnectionAttributeRequest =
        decode_request(params).map_err(|e| ApiError::from_decode(&e))?;
    refuse_what_the_service_states(req.validate())?;

    let conn_id = req.vpn_connection_id.clone().unwrap_or_default();
    let region = req.region_id.as_deref().unwrap_or_default();
    let conn = world
        .connections
        .get(&conn_id)
        .cloned()
        .ok_or_else(connection_not_found)?;
    let gateway_id = conn.vpn_gateway_id.clone();
    let in_region = world
        .gateways
        .get(&gateway_id)
        .is_some_and(|g| g.gateway.region_id == region);
    if !in_region {
        return Err(connection_not_found());
    }

    let token = req.client_token.clone().filter(|t| !t.is_empty());
    if let Some(t) = &token {
        if let Some(answer) = world.tokens.get(&(conn_id.clone(), t.clone())) {
            return Ok(Success {
                request_id: answer.request_id.clone(),
                body: answer.body.clone(),
                gateway_status: None,
                replayed: true,
            });
        }
    }

    check_mode(&conn, &req)?;

    let entry = world
        .gateways
        .get_mut(&gateway_id)
        .ok_or_else(connection_not_found)?;
    entry.refresh(now);
    if entry.gateway.status != VpnGatewayStatus::Active {
        return Err(ApiError::new(
            400,
            "VpnGateway.Configuring",
            "The specified service is configuring.",
        ));
    }

    let mut updated = conn;
    apply(&mut updated, &req)?;
    check_tunnel_cidrs(world, &updated, &req)?;
    check_ikev1_routes(&updated, &req)?;
    updated.modification_count += 1;

    let mut response = response_of(&updated);
    response.request_id = Some(request_id.to_owned());
    let body = to_json(&response)?;

    world.connections.insert(conn_id.clone(), updated);
    if let Some(entry) = world.gateways.get_mut(&gateway_id) {
        entry.gateway.status = VpnGatewayStatus::Updating;
        entry.busy_until = Some(now + updating);
    }
    if let Some(t) = token {
        world.tokens.insert(
            (conn_id, t),
            Answer {
                request_id: request_id.to_owned(),
                body: body.clone(),
            },
        );
    }
    Ok(Success {
        request_id: request_id.to_owned(),
        body,
        gateway_status: None,
        replayed: false,
    })
}

/// Single-tunnel parameters on a dual-tunnel connection, or the reverse, answer 400
/// `InvalidParameter` naming the first such parameter: the service documents no code of its
/// own for this, and the parameter is simply not valid for that connection.
fn check_mode(
    conn: &VpnConnection,
    req: &ModifyVpnConnectionAttributeRequest,
) -> Result<(), ApiError> {
    let (wrong, mode, other) = match conn.tunnel_mode {
        TunnelMode::SingleTunnel => (
            [
                (
                    "TunnelOptionsSpecification",
                    req.tunnel_options_specification.is_some(),
                ),
                ("EnableTunnelsBgp", req.enable_tunnels_bgp.is_some()),
            ]
            .into_iter()
            .find(|(_, set)| *set),
            "single-tunnel",
            "dual-tunnel",
        ),
        TunnelMode::DualTunnel => (
            [
                ("IkeConfig", req.ike_config.is_some()),
                ("IpsecConfig", req.ipsec_config.is_some()),
                ("HealthCheckConfig", req.health_check_config.is_some()),
                ("EnableDpd", req.enable_dpd.is_some()),
                ("EnableNatTraversal", req.enable_nat_traversal.is_some()),
                ("BgpConfig", req.bgp_config.is_some()),
                ("RemoteCaCertificate", req.remote_ca_certificate.is_some()),
            ]
            .into_iter()
            .find(|(_, set)| *set),
            "dual-tunnel",
            "single-tunnel",
        ),
    };
    match wrong {
        Some((name, _)) => Err(ApiError::invalid_parameter(
            name,
            &format!(
                "it applies to {other} connections only, and {} is a {mode} connection",
                conn.vpn_connection_id
            ),
        )),
        None => Ok(()),
    }
}

/// Copies each `Some` field of `$src` into the same field of `$dst`.
macro_rules! merge {
    ($dst:expr, $src:expr; $($f:ident),+ $(,)?) => {
        $( if let Some(v) = &$src.$f { $dst.$f = Some(v.clone()); } )+
    };
}

fn apply(c: &mut VpnConnection, req: &ModifyVpnConnectionAttributeRequest) -> Result<(), ApiError> {
    merge!(c, req; name, local_subnet, remote_subnet, effect_immediately, auto_config_route);
    match c.tunnel_mode {
        TunnelMode::SingleTunnel => {
            merge!(c, req; enable_dpd, enable_nat_traversal, remote_ca_certificate);
            if let Some(ike) = &req.ike_config {
                let dst = c.ike_config.get_or_insert_with(IkeConfigResult::default);
                merge!(dst, ike; psk, ike_version, ike_mode, ike_enc_alg, ike_auth_alg, ike_pfs,
                    ike_lifetime, local_id, remote_id);
            }
            if let Some(ipsec) = &req.ipsec_config {
                let dst = c
                    .ipsec_config
                    .get_or_insert_with(IpsecConfigResult::default);
                merge!(dst, ipsec; ipsec_enc_alg, ipsec_auth_alg, ipsec_pfs, ipsec_lifetime);
            }
            if let Some(hc) = &req.health_check_config {
                let dst = c
                    .vco_health_check
                    .get_or_insert_with(VcoHealthCheck::default);
                merge!(dst, hc; enable, dip, sip, interval, retry);
            }
            if let Some(bgp) = &req.bgp_config {
                let dst = c.vpn_bgp_config.get_or_insert_with(VpnBgpConfig::default);
                merge!(dst, bgp; enable_bgp, tunnel_cidr, local_bgp_ip);
                if let Some(asn) = &bgp.local_asn {
                    // Validated already: the rule `asn` accepted it.
                    let v = rules::asn_value(asn).map_err(|m| {
                        ApiError::new(400, "IllegalParam.LocalAsn", format!("LocalAsn {m}"))
                    })?;
                    dst.local_asn = Some(i64::from(v));
                }
                dst.status = Some(if dst.enable_bgp == Some(true) {
                    BgpStatus::Success
                } else {
                    BgpStatus::False
                });
            }
        }
        TunnelMode::DualTunnel => {
            merge!(c, req; enable_tunnels_bgp);
            if let Some(items) = &req.tunnel_options_specification {
                let mut targeted: Vec<usize> = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let at = find_tunnel(c, i, item)?;
                    if targeted.contains(&at) {
                        return Err(ApiError::new(
                            400,
                            "IllegalParam.TunnelId",
                            format!(
                                "The specified TunnelId is invalid: TunnelOptionsSpecification.{} changes a tunnel an earlier item already changes.",
                                i + 1
                            ),
                        ));
                    }
                    targeted.push(at);
                    apply_tunnel(&mut c.tunnel_options[at], item);
                }
            }
        }
    }
    Ok(())
}

/// The tunnel an item names: by `TunnelId` (its `Role`, if given, must be the tunnel's), else
/// by `Role`.
fn find_tunnel(c: &VpnConnection, i: usize, item: &TunnelOptions) -> Result<usize, ApiError> {
    let n = i + 1;
    if let Some(id) = &item.tunnel_id {
        let at = c
            .tunnel_options
            .iter()
            .position(|t| t.tunnel_id.as_deref() == Some(id.as_str()))
            .ok_or_else(|| {
                ApiError::new(
                    400,
                    "IllegalParam.TunnelId",
                    format!(
                        "The specified TunnelId is invalid: TunnelOptionsSpecification.{n}.TunnelId is not a tunnel of {}.",
                        c.vpn_connection_id
                    ),
                )
            })?;
        if let Some(role) = &item.role {
            if c.tunnel_options[at].role.as_ref() != Some(role) {
                return Err(ApiError::new(
                    400,
                    "IllegalParam.Role",
                    format!(
                        "The specified Role is invalid: TunnelOptionsSpecification.{n}.Role is not the role of tunnel {id}."
                    ),
                ));
            }
        }
        return Ok(at);
    }
    if let Some(role) = &item.role {
        return c
            .tunnel_options
            .iter()
            .position(|t| t.role.as_ref() == Some(role))
            .ok_or_else(|| {
                ApiError::new(
                    400,
                    "IllegalParam.Role",
                    format!(
                        "The specified Role is invalid: {} has no {role} tunnel.",
                        c.vpn_connection_id
                    ),
                )
            });
    }
    Err(ApiError::new(
        400,
        "IllegalParam.TunnelId",
        format!("The specified TunnelId is invalid: TunnelOptionsSpecification.{n} names neither a TunnelId nor a Role."),
    ))
}

fn apply_tunnel(t: &mut TunnelOptionsResult, item: &TunnelOptions) {
    merge!(t, item; customer_gateway_id, enable_dpd, enable_nat_traversal, remote_ca_certificate);
    if let Some(bgp) = &item.tunnel_bgp_config {
        let dst = t
            .tunnel_bgp_config
            .get_or_insert_with(TunnelBgpConfigResult::default);
        merge!(dst, bgp; local_asn, local_bgp_ip, tunnel_cidr);
    }
    if let Some(ike) = &item.tunnel_ike_config {
        let dst = t
            .tunnel_ike_config
            .get_or_insert_with(TunnelIkeConfigResult::default);
        merge!(dst, ike; psk, ike_version, ike_mode, ike_enc_alg, ike_auth_alg, ike_pfs,
            ike_lifetime, local_id, remote_id);
    }
    if let Some(ipsec) = &item.tunnel_ipsec_config {
        let dst = t
            .tunnel_ipsec_config
            .get_or_insert_with(TunnelIpsecConfigResult::default);
        merge!(dst, ipsec; ipsec_enc_alg, ipsec_auth_alg, ipsec_pfs);
        if let Some(l) = ipsec.ipsec_lifetime {
            dst.ipsec_lifetime = Some(i64::from(l));
        }
    }
}

/// The tunnel CIDR blocks a connection uses.
fn tunnel_cidrs(c: &VpnConnection) -> Vec<&str> {
    let mut out: Vec<&str> = c
        .vpn_bgp_config
        .iter()
        .filter_map(|b| b.tunnel_cidr.as_deref())
        .collect();
    out.extend(
        c.tunnel_options
            .iter()
            .filter_map(|t| t.tunnel_bgp_config.as_ref()?.tunnel_cidr.as_deref()),
    );
    out
}

/// A tunnel CIDR block set by the request must be unique on the gateway (`IllegalParam.TunnelCidr`).
fn check_tunnel_cidrs(
    world: &World,
    updated: &VpnConnection,
    req: &ModifyVpnConnectionAttributeRequest,
) -> Result<(), ApiError> {
    let mut requested: Vec<&str> = req
        .bgp_config
        .iter()
        .filter_map(|b| b.tunnel_cidr.as_deref())
        .collect();
    for item in req.tunnel_options_specification.iter().flatten() {
        if let Some(cidr) = item
            .tunnel_bgp_config
            .as_ref()
            .and_then(|b| b.tunnel_cidr.as_deref())
        {
            requested.push(cidr);
        }
    }
    let own = tunnel_cidrs(updated);
    for cidr in requested {
        let in_own = own.iter().filter(|c| **c == cidr).count() > 1;
        let elsewhere = world.connections.values().any(|c| {
            c.vpn_gateway_id == updated.vpn_gateway_id
                && c.vpn_connection_id != updated.vpn_connection_id
                && tunnel_cidrs(c).contains(&cidr)
        });
        if in_own || elsewhere {
            return Err(ApiError::new(
                400,
                "IllegalParam.TunnelCidr",
                format!(
                    "The specified TunnelCidr is invalid: {cidr} is already used on VPN gateway {}.",
                    updated.vpn_gateway_id
                ),
            ));
        }
    }
    Ok(())
}

/// IKEv1 with more than one CIDR block on a side, judged on the configuration after the change
/// (`ModifyIkeV1WithMultiRoutes.Invalid`); only when the request touches the IKE version or
/// the CIDR blocks.
fn check_ikev1_routes(
    c: &VpnConnection,
    req: &ModifyVpnConnectionAttributeRequest,
) -> Result<(), ApiError> {
    let touches = req.local_subnet.is_some()
        || req.remote_subnet.is_some()
        || req
            .ike_config
            .as_ref()
            .is_some_and(|i| i.ike_version.is_some())
        || req.tunnel_options_specification.iter().flatten().any(|t| {
            t.tunnel_ike_config
                .as_ref()
                .is_some_and(|i| i.ike_version.is_some())
        });
    if !touches {
        return Ok(());
    }
    let v1 = |v: Option<&IkeVersion>| v == Some(&IkeVersion::Ikev1);
    let uses_v1 = v1(c.ike_config.as_ref().and_then(|i| i.ike_version.as_ref()))
        || c.tunnel_options.iter().any(|t| {
            v1(t.tunnel_ike_config
                .as_ref()
                .and_then(|i| i.ike_version.as_ref()))
        });
    let multi = |s: &Option<String>| s.as_deref().is_some_and(|s| rules::list_len(s) > 1);
    if uses_v1 && (multi(&c.local_subnet) || multi(&c.remote_subnet)) {
        return Err(ApiError::new(
            400,
            "ModifyIkeV1WithMultiRoutes.Invalid",
            "Failed to modify VPN connection parameters. Multi-network is configured while using IkeV1 protocol.",
        ));
    }
    Ok(())
}

/// The documented answer: the connection's whole configuration after the change.
pub(crate) fn response_of(c: &VpnConnection) -> ModifyVpnConnectionAttributeResponse {
    let mut r = ModifyVpnConnectionAttributeResponse::default();
    r.vpn_connection_id = Some(c.vpn_connection_id.clone());
    r.vpn_gateway_id = Some(c.vpn_gateway_id.clone());
    r.name = c.name.clone();
    r.description = c.description.clone();
    r.local_subnet = c.local_subnet.clone();
    r.remote_subnet = c.remote_subnet.clone();
    r.create_time = c.create_time;
    r.effect_immediately = c.effect_immediately;
    r.resource_group_id = c.resource_group_id.clone();
    match c.tunnel_mode {
        TunnelMode::SingleTunnel => {
            r.customer_gateway_id = c.customer_gateway_id.clone();
            r.enable_dpd = c.enable_dpd;
            r.enable_nat_traversal = c.enable_nat_traversal;
            r.ike_config = c.ike_config.clone();
            r.ipsec_config = c.ipsec_config.clone();
            r.vco_health_check = c.vco_health_check.clone();
            r.vpn_bgp_config = c.vpn_bgp_config.clone();
        }
        TunnelMode::DualTunnel => {
            r.enable_tunnels_bgp = c.enable_tunnels_bgp;
            let mut spec = TunnelOptionsSpecificationResult::default();
            spec.tunnel_options = Some(c.tunnel_options.clone());
            r.tunnel_options_specification = Some(spec);
        }
    }
    r
}

/// The answer to a request that breaks rules of the spec: only rules the documentation states
/// (refusals); advisories are rules we inferred, which the service may well accept.
fn refuse_what_the_service_states(
    found: Result<(), alicloud_runtime::Violations>,
) -> Result<(), ApiError> {
    match found {
        Err(v) if v.has_refusals() => Err(ApiError::from_violations(&v)),
        _ => Ok(()),
    }
}
