//! Fixtures shared by the criterion benchmarks (`benches/runtime.rs`) and the allocation counter
//! (`src/bin/alloc_count.rs`): the two valid requests of `tests/data/signing-vectors.json`
//! (`single_tunnel_vector`, `dual_tunnel_vector`) built with the generated builders, the fixed
//! credentials, date and nonce of those vectors, the pipeline that turns a request into a signed
//! HTTP request, the cryptographic floor of that pipeline, and the response bodies to parse.
//!
//! Everything here is computed once, outside the timed loops; [`Vector::check`] proves that the
//! pipeline reproduces the vector byte for byte before anything is timed.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod charts;

use alicloud_runtime::client::ClientCore;
use alicloud_runtime::transport::{HttpRequest, InMemoryTransport};
use alicloud_runtime::{Config, Credentials};
use alicloud_vpc::operation::modify_vpn_connection_attribute::{
    BgpConfig, HealthCheckConfig, IkeConfig, IpsecConfig,
    ModifyVpnConnectionAttributeRequest as Request, TunnelBgpConfig, TunnelIkeConfig,
    TunnelIpsecConfig, TunnelOptions, META,
};
use alicloud_vpc::types::{
    AuthenticationAlgorithm, EncryptionAlgorithm, IkeDhGroup, IkeMode, IkeVersion, IpsecPfs,
    TunnelRole,
};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The access key id of the signing vectors.
pub const ACCESS_KEY_ID: &str = "testAccessKeyId";
/// The access key secret of the signing vectors.
pub const ACCESS_KEY_SECRET: &str = "testAccessKeySecret";
/// The `x-acs-date` of the signing vectors.
pub const DATE: &str = "2024-01-02T03:04:05Z";
/// The `x-acs-signature-nonce` of the signing vectors.
pub const NONCE: &str = "0123456789abcdef0123456789abcdef";

/// The signing vectors file, embedded at build time.
pub const SIGNING_VECTORS: &str = include_str!("../../tests/data/signing-vectors.json");

/// The sample success response of the `ModifyVpnConnectionAttribute` API page.
pub const SAMPLE_RESPONSE: &[u8] =
    include_bytes!("../../tests/data/modify_vpn_connection_attribute_response.json");

/// An error envelope as the service sends it, with a documented code
/// (`VpnGateway.Configuring`, HTTP 400).
pub const ERROR_BODY: &[u8] = br#"{"RequestId":"7DB79D0C-5F27-4AB5-995B-79BE55102F90","HostId":"vpc.cn-shanghai.aliyuncs.com","Code":"VpnGateway.Configuring","Message":"The specified service is configuring.","Recommend":"https://api.aliyun.com/troubleshoot?q=VpnGateway.Configuring"}"#;

/// The HTTP status that goes with [`ERROR_BODY`].
pub const ERROR_STATUS: u16 = 400;

/// The request of `single_tunnel_vector`, built with the generated builders.
pub fn single_tunnel_request() -> Request {
    Request::builder()
        .region_id("cn-shanghai")
        .vpn_connection_id("vco-bp1bbi27hojx80nck****")
        .client_token("02fb3da4-130e-11e9-8e44-0016e04115b")
        .name("vpn-to-dc1")
        .local_subnet("10.1.1.0/24,10.1.2.0/24")
        .remote_subnet("10.2.1.0/24,10.2.2.0/24")
        .effect_immediately(false)
        .auto_config_route(true)
        .enable_dpd(true)
        .enable_nat_traversal(true)
        .ike_config(
            IkeConfig::builder()
                .psk("pgw6dy7d1i8i****")
                .ike_version(IkeVersion::Ikev2)
                .ike_mode(IkeMode::Main)
                .ike_enc_alg(EncryptionAlgorithm::Aes)
                .ike_auth_alg(AuthenticationAlgorithm::Sha1)
                .ike_pfs(IkeDhGroup::Group2)
                .ike_lifetime(86400)
                .local_id("116.64.XX.XX")
                .remote_id("139.18.XX.XX")
                .build(),
        )
        .ipsec_config(
            IpsecConfig::builder()
                .ipsec_enc_alg(EncryptionAlgorithm::Aes)
                .ipsec_auth_alg(AuthenticationAlgorithm::Sha1)
                .ipsec_pfs(IpsecPfs::Group2)
                .ipsec_lifetime(86400)
                .build(),
        )
        .health_check_config(
            HealthCheckConfig::builder()
                .enable(true)
                .dip("192.168.1.1")
                .sip("10.1.1.1")
                .interval(3)
                .retry(3)
                .build(),
        )
        .bgp_config(
            BgpConfig::builder()
                .enable_bgp(true)
                .local_asn("65530")
                .tunnel_cidr("169.254.11.0/30")
                .local_bgp_ip("169.254.11.1")
                .build(),
        )
        .build()
        .expect("RegionId and VpnConnectionId are set")
}

/// The two tunnels of `dual_tunnel_vector` (every field set), built with the generated
/// builders.
pub fn dual_tunnel_options() -> Vec<TunnelOptions> {
    let master = TunnelOptions::builder()
        .tunnel_id("tun-opsqc4d97wni27****")
        .customer_gateway_id("cgw-p0wy363lucf1uyae8****")
        .role(TunnelRole::Master)
        .enable_dpd(true)
        .enable_nat_traversal(true)
        .tunnel_bgp_config(
            TunnelBgpConfig::builder()
                .local_asn(65530)
                .local_bgp_ip("169.254.10.1")
                .tunnel_cidr("169.254.10.0/30")
                .build(),
        )
        .tunnel_ike_config(
            TunnelIkeConfig::builder()
                .ike_auth_alg(AuthenticationAlgorithm::Sha256)
                .ike_enc_alg(EncryptionAlgorithm::Aes256)
                .ike_lifetime(86400)
                .ike_mode(IkeMode::Main)
                .ike_pfs(IkeDhGroup::Group14)
                .ike_version(IkeVersion::Ikev2)
                .local_id("47.21.XX.XX")
                .psk("Ab1~!`@#$%^&*()_-+={}[]|;:,.<>/?")
                .remote_id("47.42.XX.XX")
                .build(),
        )
        .tunnel_ipsec_config(
            TunnelIpsecConfig::builder()
                .ipsec_auth_alg(AuthenticationAlgorithm::Sha256)
                .ipsec_enc_alg(EncryptionAlgorithm::Aes256)
                .ipsec_lifetime(3600)
                .ipsec_pfs(IpsecPfs::Group14)
                .build(),
        )
        .build();
    let slave = TunnelOptions::builder()
        .tunnel_id("tun-2xmpl5d97wni27****")
        .role(TunnelRole::Slave)
        .enable_dpd(false)
        .enable_nat_traversal(true)
        .tunnel_bgp_config(
            TunnelBgpConfig::builder()
                .local_asn(4_294_967_295_i64)
                .local_bgp_ip("169.254.20.1")
                .tunnel_cidr("169.254.20.0/30")
                .build(),
        )
        .tunnel_ike_config(
            TunnelIkeConfig::builder()
                .ike_auth_alg(AuthenticationAlgorithm::Sha1)
                .ike_enc_alg(EncryptionAlgorithm::Aes)
                .ike_lifetime(0)
                .ike_mode(IkeMode::Aggressive)
                .ike_pfs(IkeDhGroup::Group2)
                .ike_version(IkeVersion::Ikev2)
                .local_id("vpn.example.com")
                .psk("secondKey2")
                .remote_id("dc1.example.com")
                .build(),
        )
        .tunnel_ipsec_config(
            TunnelIpsecConfig::builder()
                .ipsec_auth_alg(AuthenticationAlgorithm::Md5)
                .ipsec_enc_alg(EncryptionAlgorithm::TripleDes)
                .ipsec_lifetime(0)
                .ipsec_pfs(IpsecPfs::Disabled)
                .build(),
        )
        .build();
    vec![master, slave]
}

/// The request of `dual_tunnel_vector`, built with the generated builders.
pub fn dual_tunnel_request() -> Request {
    Request::builder()
        .region_id("cn-shanghai")
        .vpn_connection_id("vco-bp1bbi27hojx80nck****")
        .client_token("5c0c6a1e-8b1f-4b0e-9d7e-2f1a3b4c5d6e")
        .name("vpn-dual")
        .local_subnet("10.1.1.0/24,10.1.2.0/24")
        .remote_subnet("10.2.1.0/24,10.2.2.0/24")
        .effect_immediately(true)
        .auto_config_route(true)
        .enable_tunnels_bgp(true)
        .tunnel_options_specification(dual_tunnel_options())
        .build()
        .expect("RegionId and VpnConnectionId are set")
}

/// One valid signing vector: the typed request and what it must become.
#[derive(Debug)]
pub struct Vector {
    /// The vector's name in the signing vectors file.
    pub name: &'static str,
    /// The typed request, built with the generated builders.
    pub request: Request,
    /// The URL of the signed request.
    pub url: String,
    /// The form body of the signed request.
    pub body: String,
    /// The canonical request that is hashed and signed.
    pub canonical_request: String,
    /// The `Authorization` header.
    pub authorization: String,
}

impl Vector {
    /// The vector `name` (`single_tunnel_vector` or `dual_tunnel_vector`).
    pub fn load(name: &'static str) -> Self {
        let all: serde_json::Value =
            serde_json::from_str(SIGNING_VECTORS).expect("the signing vectors are JSON");
        let v = &all[name];
        let text = |field: &str| {
            v[field]
                .as_str()
                .unwrap_or_else(|| panic!("{name}.{field} is a string"))
                .to_owned()
        };
        let request = match name {
            "single_tunnel_vector" => single_tunnel_request(),
            "dual_tunnel_vector" => dual_tunnel_request(),
            other => panic!("{other} is not one of the valid vectors"),
        };
        Self {
            name,
            request,
            url: text("url"),
            body: text("body"),
            canonical_request: text("canonical_request"),
            authorization: text("authorization"),
        }
    }

    /// Both valid vectors, dual-tunnel first.
    pub fn both() -> [Self; 2] {
        [
            Self::load("dual_tunnel_vector"),
            Self::load("single_tunnel_vector"),
        ]
    }

    /// Panics unless `signed` is this vector's request byte for byte: URL, body and
    /// `Authorization`.
    pub fn check(&self, signed: &HttpRequest) {
        assert_eq!(signed.uri().to_string(), self.url, "{} URL", self.name);
        assert_eq!(
            std::str::from_utf8(signed.body()).expect("the body is text"),
            self.body,
            "{} body",
            self.name
        );
        let authorization = signed
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok());
        assert_eq!(
            authorization,
            Some(self.authorization.as_str()),
            "{} Authorization",
            self.name
        );
    }
}

/// The credentials of the signing vectors.
pub fn credentials() -> Credentials {
    Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
}

/// A client core as `Client::new` makes it (validation on, endpoint from the region), over an
/// in-memory transport that is never called.
pub fn core() -> ClientCore {
    ClientCore::new(Config::new(
        credentials(),
        InMemoryTransport::always(200, "{}"),
    ))
}

/// Validate + encode + sign, up to a ready HTTP request: what a call does before the network,
/// with fixed credentials, date and nonce.
///
/// # Panics
/// When the request is invalid or cannot be made into an HTTP request.
pub fn pipeline(core: &ClientCore, credentials: &Credentials, request: &Request) -> HttpRequest {
    core.prepare_request(&META, request, true, credentials, DATE, NONCE)
        .expect("the vector requests are valid and sign")
}

/// The work no implementation of ACS3-HMAC-SHA256 can skip: SHA-256 of the body, SHA-256 of
/// the canonical request, and one HMAC-SHA256 of the string to sign
/// (`ACS3-HMAC-SHA256\n` + the hex digest of the canonical request). Hex is written to the
/// stack; nothing is allocated.
pub fn floor(body: &[u8], canonical_request: &[u8], secret: &[u8]) -> [u8; 32] {
    let body_hash = Sha256::digest(body);
    let request_hash = Sha256::digest(canonical_request);
    let mut hex_digest = [0u8; 64];
    hex::encode_to_slice(request_hash, &mut hex_digest).expect("64 bytes hold 32 in hex");
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("any key length");
    mac.update(b"ACS3-HMAC-SHA256\n");
    mac.update(&hex_digest);
    let mut out: [u8; 32] = mac.finalize().into_bytes().into();
    // Keep the body digest observable so that it cannot be optimised away.
    out[0] ^= body_hash[0];
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pipeline_reproduces_both_vectors() {
        let core = core();
        let creds = credentials();
        for v in Vector::both() {
            v.check(&pipeline(&core, &creds, &v.request));
        }
    }
}
