//! A request of ModifyVpnConnectionAttribute from arbitrary values.

use super::*;

/// Texts that pass (or nearly pass) the request's constraints, so that arbitrary requests are
/// not all refused on their first field.
const PLAUSIBLE: &[&str] = &[
    "",
    "cn-shanghai",
    "vco-bp1bbi27hojx80nck****",
    "tun-opsqc4d97wni27****",
    "cgw-1",
    "10.0.0.0/24",
    "10.1.1.0/24,10.1.2.0/24",
    "0.0.0.0/0",
    "169.254.10.0/30",
    "169.254.10.1",
    "169.254.10.5",
    "169.254.0.0/30",
    "192.168.1.1",
    "65530",
    "1.10",
    "4294967296",
    "psk-Secret_1",
    "a b",
    "http://name",
    "名称",
    "nametest",
    "true",
    "-1",
];

/// A string: anything, or one of a few plausible values.
#[derive(Arbitrary, Debug, Clone)]
pub enum ArbText {
    /// Any string.
    Any(String),
    /// A plausible value (index into a list).
    Plausible(u8),
}

impl ArbText {
    /// The text.
    pub fn text(&self) -> String {
        match self {
            ArbText::Any(s) => s.clone(),
            ArbText::Plausible(i) => pick(PLAUSIBLE, *i).to_owned(),
        }
    }
}

/// An enum value: a known one, or any text (which becomes `Unknown` unless it is known).
#[derive(Arbitrary, Debug, Clone)]
pub enum ArbEnum {
    /// A known value (index into `VALUES`).
    Known(u8),
    /// Any text.
    Text(String),
}

impl ArbEnum {
    fn value<T: for<'a> From<&'a str>>(&self, values: &[&str]) -> T {
        match self {
            ArbEnum::Known(i) => T::from(pick(values, *i)),
            ArbEnum::Text(s) => T::from(s.as_str()),
        }
    }
}

fn text(t: &Option<ArbText>) -> Option<String> {
    t.as_ref().map(ArbText::text)
}

/// A mirror of `IkeConfig` (single-tunnel phase 1, JSON parameter).
#[derive(Arbitrary, Debug, Clone, Default)]
pub struct ArbIkeConfig {
    /// `Psk`.
    pub psk: Option<ArbText>,
    /// `IkeVersion`.
    pub ike_version: Option<ArbEnum>,
    /// `IkeMode`.
    pub ike_mode: Option<ArbEnum>,
    /// `IkeEncAlg`.
    pub ike_enc_alg: Option<ArbEnum>,
    /// `IkeAuthAlg`.
    pub ike_auth_alg: Option<ArbEnum>,
    /// `IkePfs`.
    pub ike_pfs: Option<ArbEnum>,
    /// `IkeLifetime`.
    pub ike_lifetime: Option<i64>,
    /// `LocalId`.
    pub local_id: Option<ArbText>,
    /// `RemoteId`.
    pub remote_id: Option<ArbText>,
}

/// A mirror of `IpsecConfig` (JSON parameter).
#[derive(Arbitrary, Debug, Clone, Default)]
pub struct ArbIpsecConfig {
    /// `IpsecEncAlg`.
    pub ipsec_enc_alg: Option<ArbEnum>,
    /// `IpsecAuthAlg`.
    pub ipsec_auth_alg: Option<ArbEnum>,
    /// `IpsecPfs`.
    pub ipsec_pfs: Option<ArbEnum>,
    /// `IpsecLifetime`.
    pub ipsec_lifetime: Option<i64>,
}

/// A mirror of `HealthCheckConfig` (JSON parameter, numbers and booleans as strings).
#[derive(Arbitrary, Debug, Clone, Default)]
pub struct ArbHealthCheckConfig {
    /// `enable`.
    pub enable: Option<bool>,
    /// `dip`.
    pub dip: Option<ArbText>,
    /// `sip`.
    pub sip: Option<ArbText>,
    /// `interval`.
    pub interval: Option<i32>,
    /// `retry`.
    pub retry: Option<i32>,
}

/// A mirror of `BgpConfig` (JSON parameter).
#[derive(Arbitrary, Debug, Clone, Default)]
pub struct ArbBgpConfig {
    /// `EnableBgp`.
    pub enable_bgp: Option<bool>,
    /// `LocalAsn`.
    pub local_asn: Option<ArbText>,
    /// `TunnelCidr`.
    pub tunnel_cidr: Option<ArbText>,
    /// `LocalBgpIp`.
    pub local_bgp_ip: Option<ArbText>,
}

/// A mirror of `TunnelBgpConfig` (flattened).
#[derive(Arbitrary, Debug, Clone, Default)]
pub struct ArbTunnelBgpConfig {
    /// `LocalAsn`.
    pub local_asn: Option<i64>,
    /// `LocalBgpIp`.
    pub local_bgp_ip: Option<ArbText>,
    /// `TunnelCidr`.
    pub tunnel_cidr: Option<ArbText>,
}

/// A mirror of `TunnelIkeConfig` (flattened).
#[derive(Arbitrary, Debug, Clone, Default)]
pub struct ArbTunnelIkeConfig {
    /// `IkeAuthAlg`.
    pub ike_auth_alg: Option<ArbEnum>,
    /// `IkeEncAlg`.
    pub ike_enc_alg: Option<ArbEnum>,
    /// `IkeLifetime`.
    pub ike_lifetime: Option<i64>,
    /// `IkeMode`.
    pub ike_mode: Option<ArbEnum>,
    /// `IkePfs`.
    pub ike_pfs: Option<ArbEnum>,
    /// `IkeVersion`.
    pub ike_version: Option<ArbEnum>,
    /// `LocalId`.
    pub local_id: Option<ArbText>,
    /// `Psk`.
    pub psk: Option<ArbText>,
    /// `RemoteId`.
    pub remote_id: Option<ArbText>,
}

/// A mirror of `TunnelIpsecConfig` (flattened).
#[derive(Arbitrary, Debug, Clone, Default)]
pub struct ArbTunnelIpsecConfig {
    /// `IpsecAuthAlg`.
    pub ipsec_auth_alg: Option<ArbEnum>,
    /// `IpsecEncAlg`.
    pub ipsec_enc_alg: Option<ArbEnum>,
    /// `IpsecLifetime`.
    pub ipsec_lifetime: Option<i32>,
    /// `IpsecPfs`.
    pub ipsec_pfs: Option<ArbEnum>,
}

/// A mirror of `TunnelOptions` (one item of `TunnelOptionsSpecification`, flattened).
#[derive(Arbitrary, Debug, Clone, Default)]
pub struct ArbTunnelOptions {
    /// `TunnelId`.
    pub tunnel_id: Option<ArbText>,
    /// `CustomerGatewayId`.
    pub customer_gateway_id: Option<ArbText>,
    /// `Role`.
    pub role: Option<ArbEnum>,
    /// `EnableDpd`.
    pub enable_dpd: Option<bool>,
    /// `EnableNatTraversal`.
    pub enable_nat_traversal: Option<bool>,
    /// `RemoteCaCertificate`.
    pub remote_ca_certificate: Option<ArbText>,
    /// `TunnelBgpConfig`.
    pub tunnel_bgp_config: Option<ArbTunnelBgpConfig>,
    /// `TunnelIkeConfig`.
    pub tunnel_ike_config: Option<ArbTunnelIkeConfig>,
    /// `TunnelIpsecConfig`.
    pub tunnel_ipsec_config: Option<ArbTunnelIpsecConfig>,
}

/// A mirror of every field of `ModifyVpnConnectionAttributeRequest`, with arbitrary values.
#[derive(Arbitrary, Debug, Clone, Default)]
pub struct ArbRequest {
    /// `RegionId`.
    pub region_id: Option<ArbText>,
    /// `ClientToken`.
    pub client_token: Option<ArbText>,
    /// `VpnConnectionId`.
    pub vpn_connection_id: Option<ArbText>,
    /// `Name`.
    pub name: Option<ArbText>,
    /// `LocalSubnet`.
    pub local_subnet: Option<ArbText>,
    /// `RemoteSubnet`.
    pub remote_subnet: Option<ArbText>,
    /// `EffectImmediately`.
    pub effect_immediately: Option<bool>,
    /// `IkeConfig`.
    pub ike_config: Option<ArbIkeConfig>,
    /// `IpsecConfig`.
    pub ipsec_config: Option<ArbIpsecConfig>,
    /// `HealthCheckConfig`.
    pub health_check_config: Option<ArbHealthCheckConfig>,
    /// `AutoConfigRoute`.
    pub auto_config_route: Option<bool>,
    /// `EnableDpd`.
    pub enable_dpd: Option<bool>,
    /// `EnableNatTraversal`.
    pub enable_nat_traversal: Option<bool>,
    /// `BgpConfig`.
    pub bgp_config: Option<ArbBgpConfig>,
    /// `RemoteCaCertificate`.
    pub remote_ca_certificate: Option<ArbText>,
    /// `TunnelOptionsSpecification`.
    pub tunnel_options_specification: Option<Vec<ArbTunnelOptions>>,
    /// `EnableTunnelsBgp`.
    pub enable_tunnels_bgp: Option<bool>,
    /// `OwnerAccount`.
    pub owner_account: Option<ArbText>,
    /// `OwnerId`.
    pub owner_id: Option<i64>,
    /// `ResourceOwnerAccount`.
    pub resource_owner_account: Option<ArbText>,
    /// `ResourceOwnerId`.
    pub resource_owner_id: Option<i64>,
}

impl ArbTunnelOptions {
    /// Whether flattening it gives no parameter at all.
    fn encodes_nothing(&self) -> bool {
        self.tunnel_id.is_none()
            && self.customer_gateway_id.is_none()
            && self.role.is_none()
            && self.enable_dpd.is_none()
            && self.enable_nat_traversal.is_none()
            && self.remote_ca_certificate.is_none()
            && self.tunnel_bgp_config.as_ref().is_none_or(|b| b.is_empty())
            && self.tunnel_ike_config.as_ref().is_none_or(|i| i.is_empty())
            && self
                .tunnel_ipsec_config
                .as_ref()
                .is_none_or(|i| i.is_empty())
    }
}

impl ArbTunnelBgpConfig {
    fn is_empty(&self) -> bool {
        self.local_asn.is_none() && self.local_bgp_ip.is_none() && self.tunnel_cidr.is_none()
    }
}

impl ArbTunnelIkeConfig {
    fn is_empty(&self) -> bool {
        self.ike_auth_alg.is_none()
            && self.ike_enc_alg.is_none()
            && self.ike_lifetime.is_none()
            && self.ike_mode.is_none()
            && self.ike_pfs.is_none()
            && self.ike_version.is_none()
            && self.local_id.is_none()
            && self.psk.is_none()
            && self.remote_id.is_none()
    }
}

impl ArbTunnelIpsecConfig {
    fn is_empty(&self) -> bool {
        self.ipsec_auth_alg.is_none()
            && self.ipsec_enc_alg.is_none()
            && self.ipsec_lifetime.is_none()
            && self.ipsec_pfs.is_none()
    }
}

impl ArbRequest {
    /// The generated request.
    pub fn build(&self) -> ModifyVpnConnectionAttributeRequest {
        self.build_with(&|s: &str| s.to_owned())
    }

    /// Whether a flattened (`TunnelOptionsSpecification`) object or list is present but
    /// empty: such a value encodes to no parameter at all, so decoding cannot give it back.
    pub fn has_empty_objects(&self) -> bool {
        let Some(list) = &self.tunnel_options_specification else {
            return false;
        };
        list.is_empty()
            || list.iter().any(|t| {
                t.encodes_nothing()
                    || t.tunnel_bgp_config.as_ref().is_some_and(|b| b.is_empty())
                    || t.tunnel_ike_config.as_ref().is_some_and(|i| i.is_empty())
                    || t.tunnel_ipsec_config.as_ref().is_some_and(|i| i.is_empty())
            })
    }

    /// Every pre-shared key set in the request.
    pub fn psks(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .ike_config
            .iter()
            .filter_map(|c| text(&c.psk))
            .collect();
        for t in self.tunnel_options_specification.iter().flatten() {
            if let Some(p) = t.tunnel_ike_config.as_ref().and_then(|c| text(&c.psk)) {
                out.push(p);
            }
        }
        out
    }

    /// The generated request, with every pre-shared key passed through `psk`.
    pub fn build_with(&self, psk: &dyn Fn(&str) -> String) -> ModifyVpnConnectionAttributeRequest {
        use alicloud_vpc::types as t;
        let mut r = ModifyVpnConnectionAttributeRequest::default();
        r.region_id = text(&self.region_id);
        r.client_token = text(&self.client_token);
        r.vpn_connection_id = text(&self.vpn_connection_id);
        r.name = text(&self.name);
        r.local_subnet = text(&self.local_subnet);
        r.remote_subnet = text(&self.remote_subnet);
        r.effect_immediately = self.effect_immediately;
        r.ike_config = self.ike_config.as_ref().map(|c| {
            let mut o = modify::IkeConfig::default();
            o.psk = text(&c.psk).map(|p| psk(&p));
            o.ike_version = c
                .ike_version
                .as_ref()
                .map(|e| e.value(t::IkeVersion::VALUES));
            o.ike_mode = c.ike_mode.as_ref().map(|e| e.value(t::IkeMode::VALUES));
            o.ike_enc_alg = c
                .ike_enc_alg
                .as_ref()
                .map(|e| e.value(t::EncryptionAlgorithm::VALUES));
            o.ike_auth_alg = c
                .ike_auth_alg
                .as_ref()
                .map(|e| e.value(t::AuthenticationAlgorithm::VALUES));
            o.ike_pfs = c.ike_pfs.as_ref().map(|e| e.value(t::IkeDhGroup::VALUES));
            o.ike_lifetime = c.ike_lifetime;
            o.local_id = text(&c.local_id);
            o.remote_id = text(&c.remote_id);
            o
        });
        r.ipsec_config = self.ipsec_config.as_ref().map(|c| {
            let mut o = modify::IpsecConfig::default();
            o.ipsec_enc_alg = c
                .ipsec_enc_alg
                .as_ref()
                .map(|e| e.value::<EncryptionAlgorithm>(EncryptionAlgorithm::VALUES));
            o.ipsec_auth_alg = c
                .ipsec_auth_alg
                .as_ref()
                .map(|e| e.value::<AuthenticationAlgorithm>(AuthenticationAlgorithm::VALUES));
            o.ipsec_pfs = c
                .ipsec_pfs
                .as_ref()
                .map(|e| e.value::<IpsecPfs>(IpsecPfs::VALUES));
            o.ipsec_lifetime = c.ipsec_lifetime;
            o
        });
        r.health_check_config = self.health_check_config.as_ref().map(|c| {
            let mut o = modify::HealthCheckConfig::default();
            o.enable = c.enable;
            o.dip = text(&c.dip);
            o.sip = text(&c.sip);
            o.interval = c.interval;
            o.retry = c.retry;
            o
        });
        r.auto_config_route = self.auto_config_route;
        r.enable_dpd = self.enable_dpd;
        r.enable_nat_traversal = self.enable_nat_traversal;
        r.bgp_config = self.bgp_config.as_ref().map(|c| {
            let mut o = modify::BgpConfig::default();
            o.enable_bgp = c.enable_bgp;
            o.local_asn = text(&c.local_asn);
            o.tunnel_cidr = text(&c.tunnel_cidr);
            o.local_bgp_ip = text(&c.local_bgp_ip);
            o
        });
        r.remote_ca_certificate = text(&self.remote_ca_certificate);
        r.tunnel_options_specification =
            self.tunnel_options_specification.as_ref().map(|list| {
                list.iter()
                    .map(|item| {
                        let mut o = modify::TunnelOptions::default();
                        o.tunnel_id = text(&item.tunnel_id);
                        o.customer_gateway_id = text(&item.customer_gateway_id);
                        o.role = item
                            .role
                            .as_ref()
                            .map(|e| e.value::<TunnelRole>(TunnelRole::VALUES));
                        o.enable_dpd = item.enable_dpd;
                        o.enable_nat_traversal = item.enable_nat_traversal;
                        o.remote_ca_certificate = text(&item.remote_ca_certificate);
                        o.tunnel_bgp_config = item.tunnel_bgp_config.as_ref().map(|c| {
                            let mut b = modify::TunnelBgpConfig::default();
                            b.local_asn = c.local_asn;
                            b.local_bgp_ip = text(&c.local_bgp_ip);
                            b.tunnel_cidr = text(&c.tunnel_cidr);
                            b
                        });
                        o.tunnel_ike_config = item.tunnel_ike_config.as_ref().map(|c| {
                            let mut i = modify::TunnelIkeConfig::default();
                            i.ike_auth_alg = c.ike_auth_alg.as_ref().map(|e| {
                                e.value::<AuthenticationAlgorithm>(AuthenticationAlgorithm::VALUES)
                            });
                            i.ike_enc_alg = c.ike_enc_alg.as_ref().map(|e| {
                                e.value::<EncryptionAlgorithm>(EncryptionAlgorithm::VALUES)
                            });
                            i.ike_lifetime = c.ike_lifetime;
                            i.ike_mode = c
                                .ike_mode
                                .as_ref()
                                .map(|e| e.value::<IkeMode>(IkeMode::VALUES));
                            i.ike_pfs = c
                                .ike_pfs
                                .as_ref()
                                .map(|e| e.value::<IkeDhGroup>(IkeDhGroup::VALUES));
                            i.ike_version = c
                                .ike_version
                                .as_ref()
                                .map(|e| e.value::<IkeVersion>(IkeVersion::VALUES));
                            i.local_id = text(&c.local_id);
                            i.psk = text(&c.psk).map(|p| psk(&p));
                            i.remote_id = text(&c.remote_id);
                            i
                        });
                        o.tunnel_ipsec_config = item.tunnel_ipsec_config.as_ref().map(|c| {
                            let mut i = modify::TunnelIpsecConfig::default();
                            i.ipsec_auth_alg = c.ipsec_auth_alg.as_ref().map(|e| {
                                e.value::<AuthenticationAlgorithm>(AuthenticationAlgorithm::VALUES)
                            });
                            i.ipsec_enc_alg = c.ipsec_enc_alg.as_ref().map(|e| {
                                e.value::<EncryptionAlgorithm>(EncryptionAlgorithm::VALUES)
                            });
                            i.ipsec_lifetime = c.ipsec_lifetime;
                            i.ipsec_pfs = c
                                .ipsec_pfs
                                .as_ref()
                                .map(|e| e.value::<IpsecPfs>(IpsecPfs::VALUES));
                            i
                        });
                        o
                    })
                    .collect()
            });
        r.enable_tunnels_bgp = self.enable_tunnels_bgp;
        r.owner_account = text(&self.owner_account);
        r.owner_id = self.owner_id;
        r.resource_owner_account = text(&self.resource_owner_account);
        r.resource_owner_id = self.resource_owner_id;
        r
    }
}
