//! The emulated resources: VPN gateways and IPsec-VPN connections, and the state file that seeds
//! them.
//!
//! Field names follow the API (`VpnGatewayId`, `IkeConfig`, `TunnelOptions`, …) so that a state
//! file reads like the service's own answers; the nested configuration blocks are the generated
//! response types of `alicloud-vpc` (`IkeConfigResult`, `TunnelOptionsResult`, …), so what the
//! emulator stores is exactly what `ModifyVpnConnectionAttribute` answers.
//!
//! The built-in seed ([`State::builtin`]) is `emulator/default-state.json`.

use std::time::Duration;

use alicloud_vpc::operation::modify_vpn_connection_attribute::{
    IkeConfigResult, IpsecConfigResult, TunnelBgpConfigResult, TunnelIkeConfigResult,
    TunnelIpsecConfigResult, TunnelOptionsResult, VcoHealthCheck, VpnBgpConfig,
};
use alicloud_vpc::types::{TunnelRole, TunnelState, VpnGatewayStatus};
use serde::{Deserialize, Serialize};

use crate::faults::Fault;

/// The built-in seed, as JSON (`emulator/default-state.json`).
pub const DEFAULT_STATE_JSON: &str = include_str!("../default-state.json");

/// Whether a connection has one tunnel or an active and a standby one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TunnelMode {
    /// One tunnel, configured by `IkeConfig`, `IpsecConfig`, `HealthCheckConfig`, `BgpConfig`,
    /// `EnableDpd`, `EnableNatTraversal` and `RemoteCaCertificate` (`"single-tunnel"`).
    SingleTunnel,
    /// Two tunnels (`master` and `slave`), configured by `TunnelOptionsSpecification` and
    /// `EnableTunnelsBgp` (`"dual-tunnel"`).
    DualTunnel,
}

fn default_status() -> VpnGatewayStatus {
    VpnGatewayStatus::Active
}

/// A VPN gateway, as `DescribeVpnGateway` reports it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VpnGateway {
    /// ID, e.g. `vpn-single-a`.
    #[serde(rename = "VpnGatewayId")]
    pub vpn_gateway_id: String,
    /// Region; calls naming another region do not find the gateway or its connections.
    #[serde(rename = "RegionId")]
    pub region_id: String,
    /// State: `active` unless a change is being applied (`updating`). Defaults to `active`.
    #[serde(rename = "Status", default = "default_status")]
    pub status: VpnGatewayStatus,
    /// Name.
    #[serde(rename = "Name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(
        rename = "Description",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// VPC.
    #[serde(rename = "VpcId", default, skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    /// vSwitch.
    #[serde(rename = "VSwitchId", default, skip_serializing_if = "Option::is_none")]
    pub v_switch_id: Option<String>,
    /// Gateway address (the first tunnel's address in dual-tunnel mode).
    #[serde(
        rename = "InternetIp",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub internet_ip: Option<String>,
    /// Second tunnel address (dual-tunnel gateways).
    #[serde(
        rename = "DisasterRecoveryInternetIp",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub disaster_recovery_internet_ip: Option<String>,
    /// Second vSwitch (dual-tunnel gateways).
    #[serde(
        rename = "DisasterRecoveryVSwitchId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub disaster_recovery_v_switch_id: Option<String>,
    /// Bandwidth in Mbit/s, e.g. `"10"`.
    #[serde(rename = "Spec", default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<String>,
    /// Billing method, e.g. `PostPaid`.
    #[serde(
        rename = "ChargeType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub charge_type: Option<String>,
    /// IPsec-VPN: `enable` or `disable`.
    #[serde(rename = "IpsecVpn", default, skip_serializing_if = "Option::is_none")]
    pub ipsec_vpn: Option<String>,
    /// SSL-VPN: `enable` or `disable`.
    #[serde(rename = "SslVpn", default, skip_serializing_if = "Option::is_none")]
    pub ssl_vpn: Option<String>,
    /// Whether BGP is on.
    #[serde(rename = "EnableBgp", default, skip_serializing_if = "Option::is_none")]
    pub enable_bgp: Option<bool>,
    /// `public` or `private`.
    #[serde(
        rename = "NetworkType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub network_type: Option<String>,
    /// Resource group.
    #[serde(
        rename = "ResourceGroupId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_group_id: Option<String>,
    /// Creation time, milliseconds since the Unix epoch.
    #[serde(
        rename = "CreateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub create_time: Option<i64>,
}

impl VpnGateway {
    /// An `active` gateway in `region_id` with every optional field unset.
    pub fn new(vpn_gateway_id: impl Into<String>, region_id: impl Into<String>) -> Self {
        Self {
            vpn_gateway_id: vpn_gateway_id.into(),
            region_id: region_id.into(),
            status: VpnGatewayStatus::Active,
            name: None,
            description: None,
            vpc_id: None,
            v_switch_id: None,
            internet_ip: None,
            disaster_recovery_internet_ip: None,
            disaster_recovery_v_switch_id: None,
            spec: None,
            charge_type: None,
            ipsec_vpn: None,
            ssl_vpn: None,
            enable_bgp: None,
            network_type: None,
            resource_group_id: None,
            create_time: None,
        }
    }
}

/// An IPsec-VPN connection, in single-tunnel or dual-tunnel mode.
///
/// The single-tunnel blocks (`IkeConfig` … `RemoteCaCertificate`) are unset in dual-tunnel mode
/// and `TunnelOptions` is empty in single-tunnel mode.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VpnConnection {
    /// ID, e.g. `vco-single-a`.
    #[serde(rename = "VpnConnectionId")]
    pub vpn_connection_id: String,
    /// The VPN gateway it belongs to (must exist).
    #[serde(rename = "VpnGatewayId")]
    pub vpn_gateway_id: String,
    /// Single-tunnel or dual-tunnel.
    #[serde(rename = "TunnelMode")]
    pub tunnel_mode: TunnelMode,
    /// Customer gateway (single-tunnel mode).
    #[serde(
        rename = "CustomerGatewayId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub customer_gateway_id: Option<String>,
    /// Name.
    #[serde(rename = "Name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description.
    #[serde(
        rename = "Description",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// VPC-side CIDR blocks, comma-separated.
    #[serde(
        rename = "LocalSubnet",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub local_subnet: Option<String>,
    /// Data-centre-side CIDR blocks, comma-separated.
    #[serde(
        rename = "RemoteSubnet",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub remote_subnet: Option<String>,
    /// Creation time, milliseconds since the Unix epoch.
    #[serde(
        rename = "CreateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub create_time: Option<i64>,
    /// Whether negotiation restarts as soon as a change is applied.
    #[serde(
        rename = "EffectImmediately",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub effect_immediately: Option<bool>,
    /// Whether routes are advertised automatically (not part of the answer; kept as sent).
    #[serde(
        rename = "AutoConfigRoute",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub auto_config_route: Option<bool>,
    /// Resource group.
    #[serde(
        rename = "ResourceGroupId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub resource_group_id: Option<String>,
    /// Dead peer detection (single-tunnel mode).
    #[serde(rename = "EnableDpd", default, skip_serializing_if = "Option::is_none")]
    pub enable_dpd: Option<bool>,
    /// NAT traversal (single-tunnel mode).
    #[serde(
        rename = "EnableNatTraversal",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_nat_traversal: Option<bool>,
    /// Peer CA certificate (single-tunnel mode, SM gateways).
    #[serde(
        rename = "RemoteCaCertificate",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub remote_ca_certificate: Option<String>,
    /// Phase 1 settings (single-tunnel mode). Its `Debug` hides the pre-shared key.
    #[serde(rename = "IkeConfig", default, skip_serializing_if = "Option::is_none")]
    pub ike_config: Option<IkeConfigResult>,
    /// Phase 2 settings (single-tunnel mode).
    #[serde(
        rename = "IpsecConfig",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ipsec_config: Option<IpsecConfigResult>,
    /// Health check settings (single-tunnel mode).
    #[serde(
        rename = "VcoHealthCheck",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub vco_health_check: Option<VcoHealthCheck>,
    /// BGP settings (single-tunnel mode).
    #[serde(
        rename = "VpnBgpConfig",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub vpn_bgp_config: Option<VpnBgpConfig>,
    /// Whether the tunnels run BGP (dual-tunnel mode).
    #[serde(
        rename = "EnableTunnelsBgp",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_tunnels_bgp: Option<bool>,
    /// The tunnels (dual-tunnel mode), each with its `TunnelId` and `Role`.
    #[serde(
        rename = "TunnelOptions",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub tunnel_options: Vec<TunnelOptionsResult>,
    /// Emulator bookkeeping: how many modifications were applied (a replayed `ClientToken`
    /// does not count).
    #[serde(rename = "ModificationCount", default)]
    pub modification_count: u64,
}

impl VpnConnection {
    fn bare(id: String, gateway: String, mode: TunnelMode) -> Self {
        Self {
            vpn_connection_id: id,
            vpn_gateway_id: gateway,
            tunnel_mode: mode,
            customer_gateway_id: None,
            name: None,
            description: None,
            local_subnet: None,
            remote_subnet: None,
            create_time: Some(1_700_000_000_000),
            effect_immediately: Some(false),
            auto_config_route: None,
            resource_group_id: None,
            enable_dpd: None,
            enable_nat_traversal: None,
            remote_ca_certificate: None,
            ike_config: None,
            ipsec_config: None,
            vco_health_check: None,
            vpn_bgp_config: None,
            enable_tunnels_bgp: None,
            tunnel_options: Vec::new(),
            modification_count: 0,
        }
    }

    /// A single-tunnel connection on `vpn_gateway_id` with IKEv2/AES/SHA-1 settings, one CIDR
    /// block per side and BGP off.
    pub fn single_tunnel(
        vpn_connection_id: impl Into<String>,
        vpn_gateway_id: impl Into<String>,
    ) -> Self {
        let mut c = Self::bare(
            vpn_connection_id.into(),
            vpn_gateway_id.into(),
            TunnelMode::SingleTunnel,
        );
        c.local_subnet = Some("10.1.1.0/24".into());
        c.remote_subnet = Some("10.2.1.0/24".into());
        c.enable_dpd = Some(true);
        c.enable_nat_traversal = Some(true);
        let mut ike = IkeConfigResult::default();
        ike.psk = Some("emulatorDefaultPsk1".into());
        ike.ike_version = Some("ikev2".into());
        ike.ike_mode = Some("main".into());
        ike.ike_enc_alg = Some("aes".into());
        ike.ike_auth_alg = Some("sha1".into());
        ike.ike_pfs = Some("group2".into());
        ike.ike_lifetime = Some(86400);
        c.ike_config = Some(ike);
        let mut ipsec = IpsecConfigResult::default();
        ipsec.ipsec_enc_alg = Some("aes".into());
        ipsec.ipsec_auth_alg = Some("sha1".into());
        ipsec.ipsec_pfs = Some("group2".into());
        ipsec.ipsec_lifetime = Some(86400);
        c.ipsec_config = Some(ipsec);
        let mut bgp = VpnBgpConfig::default();
        bgp.enable_bgp = Some(false);
        bgp.status = Some("false".into());
        c.vpn_bgp_config = Some(bgp);
        c
    }

    /// A dual-tunnel connection on `vpn_gateway_id` whose tunnels are `master_tunnel_id`
    /// (`master`) and `slave_tunnel_id` (`slave`), IKEv2 and BGP off.
    pub fn dual_tunnel(
        vpn_connection_id: impl Into<String>,
        vpn_gateway_id: impl Into<String>,
        master_tunnel_id: impl Into<String>,
        slave_tunnel_id: impl Into<String>,
    ) -> Self {
        let mut c = Self::bare(
            vpn_connection_id.into(),
            vpn_gateway_id.into(),
            TunnelMode::DualTunnel,
        );
        c.local_subnet = Some("10.1.1.0/24".into());
        c.remote_subnet = Some("10.2.1.0/24".into());
        c.enable_tunnels_bgp = Some(false);
        c.tunnel_options = vec![
            tunnel(master_tunnel_id.into(), TunnelRole::Master),
            tunnel(slave_tunnel_id.into(), TunnelRole::Slave),
        ];
        c
    }

    /// The tunnel with `tunnel_id` (dual-tunnel mode).
    pub fn tunnel(&self, tunnel_id: &str) -> Option<&TunnelOptionsResult> {
        self.tunnel_options
            .iter()
            .find(|t| t.tunnel_id.as_deref() == Some(tunnel_id))
    }

    /// The tunnel with `role` (dual-tunnel mode).
    pub fn tunnel_by_role(&self, role: &TunnelRole) -> Option<&TunnelOptionsResult> {
        self.tunnel_options
            .iter()
            .find(|t| t.role.as_ref() == Some(role))
    }
}

fn tunnel(id: String, role: TunnelRole) -> TunnelOptionsResult {
    let mut t = TunnelOptionsResult::default();
    t.tunnel_id = Some(id);
    t.role = Some(role);
    t.state = Some(TunnelState::Active);
    t.enable_dpd = Some(true);
    t.enable_nat_traversal = Some(true);
    let mut ike = TunnelIkeConfigResult::default();
    ike.psk = Some("emulatorDefaultPsk2".into());
    ike.ike_version = Some("ikev2".into());
    ike.ike_mode = Some("main".into());
    ike.ike_enc_alg = Some("aes".into());
    ike.ike_auth_alg = Some("sha1".into());
    ike.ike_pfs = Some("group2".into());
    ike.ike_lifetime = Some(86400);
    t.tunnel_ike_config = Some(ike);
    let mut ipsec = TunnelIpsecConfigResult::default();
    ipsec.ipsec_enc_alg = Some("aes".into());
    ipsec.ipsec_auth_alg = Some("sha1".into());
    ipsec.ipsec_pfs = Some("group2".into());
    ipsec.ipsec_lifetime = Some(86400);
    t.tunnel_ipsec_config = Some(ipsec);
    t.tunnel_bgp_config = Some(TunnelBgpConfigResult::default());
    t
}

/// Every emulated resource: a snapshot of the emulator's state, or a seed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// VPN gateways, sorted by ID in snapshots.
    #[serde(default)]
    pub vpn_gateways: Vec<VpnGateway>,
    /// IPsec-VPN connections, sorted by ID in snapshots.
    #[serde(default)]
    pub vpn_connections: Vec<VpnConnection>,
}

impl State {
    /// The built-in seed (`emulator/default-state.json`): in region `cn-shanghai`,
    ///
    /// * `vpn-single-a` with the single-tunnel connections `vco-single-a` and `vco-single-a2`,
    /// * `vpn-single-b` with the single-tunnel connection `vco-single-b` (IKEv1, BGP on),
    /// * `vpn-dual-a` with the dual-tunnel connection `vco-dual-a` (tunnels
    ///   `tun-dual-a-master` and `tun-dual-a-slave`),
    /// * `vpn-dual-b` with the dual-tunnel connection `vco-dual-b` (tunnels `tun-dual-b-master`
    ///   and `tun-dual-b-slave`, BGP on).
    pub fn builtin() -> Self {
        match serde_json::from_str(DEFAULT_STATE_JSON) {
            Ok(s) => s,
            // The file is part of the crate and checked by a test; this cannot happen.
            Err(e) => unreachable!("emulator/default-state.json does not parse: {e}"),
        }
    }

    /// The gateway with `id`.
    pub fn gateway(&self, id: &str) -> Option<&VpnGateway> {
        self.vpn_gateways.iter().find(|g| g.vpn_gateway_id == id)
    }

    /// The connection with `id`.
    pub fn connection(&self, id: &str) -> Option<&VpnConnection> {
        self.vpn_connections
            .iter()
            .find(|c| c.vpn_connection_id == id)
    }

    /// Checks that IDs are unique and every connection's gateway exists.
    pub fn check(&self) -> Result<(), SeedError> {
        let mut seen = std::collections::BTreeSet::new();
        for g in &self.vpn_gateways {
            if !seen.insert(g.vpn_gateway_id.as_str()) {
                return Err(SeedError(format!(
                    "VPN gateway {} is listed twice",
                    g.vpn_gateway_id
                )));
            }
        }
        let mut conns = std::collections::BTreeSet::new();
        for c in &self.vpn_connections {
            if !conns.insert(c.vpn_connection_id.as_str()) {
                return Err(SeedError(format!(
                    "VPN connection {} is listed twice",
                    c.vpn_connection_id
                )));
            }
            if !seen.contains(c.vpn_gateway_id.as_str()) {
                return Err(SeedError(format!(
                    "VPN connection {} names VPN gateway {}, which is not in the state",
                    c.vpn_connection_id, c.vpn_gateway_id
                )));
            }
        }
        Ok(())
    }
}

/// A seed that cannot be loaded: duplicate IDs, a connection on a missing gateway, a state file
/// that does not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedError(pub String);

impl std::fmt::Display for SeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SeedError {}

/// An access key the emulator accepts.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessKey {
    /// AccessKey ID (`Credential=` in `Authorization`).
    pub id: String,
    /// AccessKey secret (the HMAC key).
    pub secret: String,
    /// STS token: when set, requests must carry it in a signed `x-acs-security-token` header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_token: Option<String>,
}

impl std::fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessKey")
            .field("id", &self.id)
            .field("secret", &"<redacted>")
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl AccessKey {
    /// The default key ID, `test-access-key-id`.
    pub const DEFAULT_ID: &'static str = "test-access-key-id";
    /// The default key secret, `test-access-key-secret`.
    pub const DEFAULT_SECRET: &'static str = "test-access-key-secret";

    /// A permanent access key.
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            secret: secret.into(),
            security_token: None,
        }
    }

    /// An STS key: requests must also carry `token`.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(token.into());
        self
    }
}

impl Default for AccessKey {
    /// `test-access-key-id` / `test-access-key-secret`.
    fn default() -> Self {
        Self::new(Self::DEFAULT_ID, Self::DEFAULT_SECRET)
    }
}

/// The `--state` file: resources, and optionally access keys, the updating time and faults.
///
/// ```json
/// {
///   "access_keys": [{"id": "test-access-key-id", "secret": "test-access-key-secret"}],
///   "updating_ms": 2000,
///   "vpn_gateways": [{"VpnGatewayId": "vpn-1", "RegionId": "cn-shanghai"}],
///   "vpn_connections": [{"VpnConnectionId": "vco-1", "VpnGatewayId": "vpn-1",
///                        "TunnelMode": "single-tunnel"}],
///   "faults": [{"kind": "throttle", "count": 2}]
/// }
/// ```
///
/// Every key is optional. When both `vpn_gateways` and `vpn_connections` are absent the
/// built-in seed is used; otherwise the file's resources replace it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StateFile {
    /// Accepted keys (the default key when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_keys: Option<Vec<AccessKey>>,
    /// How long a gateway stays `updating` after a change, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updating_ms: Option<u64>,
    /// VPN gateways.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpn_gateways: Option<Vec<VpnGateway>>,
    /// IPsec-VPN connections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpn_connections: Option<Vec<VpnConnection>>,
    /// Faults to inject from the start.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<Fault>,
    /// The resource engine's records (VPCs, vSwitches, EIPs, route tables), by kind: what
    /// `--persist` writes back after every change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<crate::resources::Records>,
}

impl StateFile {
    /// Parses a state file's text.
    pub fn parse(text: &str) -> Result<Self, SeedError> {
        serde_json::from_str(text).map_err(|e| SeedError(format!("state file: {e}")))
    }

    /// Reads and parses a state file.
    pub fn read(path: &std::path::Path) -> Result<Self, SeedError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| SeedError(format!("cannot read {}: {e}", path.display())))?;
        Self::parse(&text)
    }

    /// The resources it seeds (the built-in seed when it names none).
    pub fn state(&self) -> State {
        if self.vpn_gateways.is_none() && self.vpn_connections.is_none() {
            return State::builtin();
        }
        State {
            vpn_gateways: self.vpn_gateways.clone().unwrap_or_default(),
            vpn_connections: self.vpn_connections.clone().unwrap_or_default(),
        }
    }

    /// The updating time it sets, if any.
    pub fn updating(&self) -> Option<Duration> {
        self.updating_ms.map(Duration::from_millis)
    }
}
