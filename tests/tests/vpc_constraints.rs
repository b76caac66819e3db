//! Every constraint and cross-field rule of the `ModifyVpnConnectionAttribute` spec, each with a
//! passing and a failing case. A failing case asserts the exact violation list: one violation,
//! with its path (0-based indexes), rule and the service error code the spec anticipates, and
//! whether it refuses the request (a rule the documentation states) or only advises (a rule we
//! inferred). Requests are built with the generated builders.

use alicloud_runtime::{Rule, Severity};
use alicloud_vpc::operation::modify_vpn_connection_attribute::{
    BgpConfig, HealthCheckConfig, IkeConfig, IpsecConfig,
    ModifyVpnConnectionAttributeRequest as Request,
    ModifyVpnConnectionAttributeRequestBuilder as Builder, TunnelBgpConfig, TunnelIkeConfig,
    TunnelIpsecConfig, TunnelOptions, TunnelOptionsBuilder,
};
use serde_json::json;

type Found = Vec<(String, Rule, Option<&'static str>)>;

fn found(req: &Request) -> Found {
    match req.validate() {
        Ok(()) => Vec::new(),
        Err(vs) => {
            assert!(!vs.is_empty(), "an error must list violations");
            vs.iter()
                .map(|v| (v.path.clone(), v.rule, v.error_code))
                .collect()
        }
    }
}

#[track_caller]
fn passes(case: &str, req: &Request) {
    assert_eq!(found(req), vec![], "{case}: expected no violation");
}

/// The severity of every violation of `req`.
fn severities(req: &Request) -> Vec<Severity> {
    req.validate()
        .err()
        .map(|vs| vs.iter().map(|v| v.severity).collect())
        .unwrap_or_default()
}

#[track_caller]
fn refused(case: &str, req: &Request, path: &str, rule: Rule, code: Option<&'static str>) {
    assert_eq!(
        found(req),
        vec![(path.to_owned(), rule, code)],
        "{case}: expected exactly this violation"
    );
    assert_eq!(
        severities(req),
        vec![Severity::Refusal],
        "{case}: a refusal"
    );
}

/// Exactly these advisories (rules we inferred), and nothing refused.
#[track_caller]
fn advised(case: &str, req: &Request, expected: &[(&str, Rule, Option<&'static str>)]) {
    let expected: Found = expected
        .iter()
        .map(|(p, r, c)| ((*p).to_owned(), *r, *c))
        .collect();
    assert_eq!(
        found(req),
        expected,
        "{case}: expected exactly these advisories"
    );
    assert!(
        severities(req).iter().all(|s| *s == Severity::Advisory),
        "{case}: advisories only"
    );
}

/// The required parameters only.
fn base() -> Builder {
    Request::builder()
        .region_id("cn-shanghai")
        .vpn_connection_id("vco-bp1bbi27hojx80nck****")
}

fn build(b: Builder) -> Request {
    b.build().expect("required parameters are set")
}

/// A valid active tunnel (index 0 of the dual-tunnel requests below).
fn master_tunnel() -> TunnelOptions {
    TunnelOptions::builder()
        .tunnel_id("tun-opsqc4d97wni27****")
        .role("master")
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
                .ike_version("ikev2")
                .ike_mode("main")
                .ike_enc_alg("aes")
                .ike_auth_alg("sha1")
                .ike_pfs("group2")
                .ike_lifetime(86400)
                .local_id("47.21.XX.XX")
                .remote_id("47.42.XX.XX")
                .psk("123456****")
                .build(),
        )
        .tunnel_ipsec_config(
            TunnelIpsecConfig::builder()
                .ipsec_enc_alg("aes")
                .ipsec_auth_alg("sha1")
                .ipsec_pfs("group2")
                .ipsec_lifetime(86400)
                .build(),
        )
        .build()
}

/// A standby tunnel with only an ID and a role; cases add what they test.
fn slave() -> TunnelOptionsBuilder {
    TunnelOptions::builder()
        .tunnel_id("tun-2xmpl5d97wni27****")
        .role("slave")
}

/// A dual-tunnel request: the valid master tunnel, then `second` (reported at index 1).
fn dual(second: TunnelOptionsBuilder) -> Request {
    build(base().tunnel_options_specification(vec![master_tunnel(), second.build()]))
}

const T1: &str = "TunnelOptionsSpecification[1]";

const IKEV1_MESSAGE_CODE: Option<&str> = Some("ModifyIkeV1WithMultiRoutes.Invalid");

// ---------------------------------------------------------------------------------------------
// Required parameters
// ---------------------------------------------------------------------------------------------

#[test]
fn required_parameters_when_built_by_deserialization() {
    let req: Request = serde_json::from_value(json!({
        "RegionId": "cn-shanghai",
        "VpnConnectionId": "vco-bp1bbi27hojx80nck****"
    }))
    .unwrap();
    passes("both required set", &req);
    passes("builder", &build(base()));

    let req: Request =
        serde_json::from_value(json!({"VpnConnectionId": "vco-bp1bbi27hojx80nck****"})).unwrap();
    refused(
        "RegionId missing",
        &req,
        "RegionId",
        Rule::Required,
        Some("MissingParameter"),
    );

    let req: Request = serde_json::from_value(json!({"RegionId": "cn-shanghai"})).unwrap();
    refused(
        "VpnConnectionId missing",
        &req,
        "VpnConnectionId",
        Rule::Required,
        Some("MissingParameter"),
    );

    let req: Request = serde_json::from_value(json!({})).unwrap();
    assert_eq!(
        found(&req),
        vec![
            (
                "RegionId".to_owned(),
                Rule::Required,
                Some("MissingParameter")
            ),
            (
                "VpnConnectionId".to_owned(),
                Rule::Required,
                Some("MissingParameter")
            ),
        ]
    );
    assert_eq!(found(&Request::default()), found(&req));

    // The builder refuses to build without them.
    assert_eq!(Request::builder().build().unwrap_err().field, "RegionId");
    assert_eq!(
        Request::builder()
            .region_id("cn-shanghai")
            .build()
            .unwrap_err()
            .field,
        "VpnConnectionId"
    );
}

// ---------------------------------------------------------------------------------------------
// Plain parameters
// ---------------------------------------------------------------------------------------------

#[test]
fn name_length_and_forbidden_prefixes() {
    let a100 = "a".repeat(100);
    let han100 = "名".repeat(100);
    for ok in [
        "nametest",
        "a",
        a100.as_str(),
        han100.as_str(),
        "name test 名称",
        "HTTP://upper-case-is-not-the-prefix",
        "my-http://name",
        "http:/x",
    ] {
        passes(ok, &build(base().name(ok)));
    }
    let a101 = "a".repeat(101);
    let han101 = "名".repeat(101);
    for (bad, rule) in [
        ("", Rule::Length),
        (a101.as_str(), Rule::Length),
        (han101.as_str(), Rule::Length),
        ("http://vpn.example.com", Rule::ForbiddenPrefix),
        ("https://vpn.example.com", Rule::ForbiddenPrefix),
        ("http://", Rule::ForbiddenPrefix),
    ] {
        refused(
            bad,
            &build(base().name(bad)),
            "Name",
            rule,
            Some("InvalidName"),
        );
    }
}

#[test]
fn client_token_is_ascii() {
    for ok in [
        "02fb3da4-130e-11e9-8e44-0016e04115b",
        "token with ~!@#$%^&*() ascii",
        "",
    ] {
        passes(ok, &build(base().client_token(ok)));
    }
    for bad in ["token-名", "é", "token\u{00a0}nbsp"] {
        refused(
            bad,
            &build(base().client_token(bad)),
            "ClientToken",
            Rule::Ascii,
            None,
        );
    }
}

#[test]
fn local_and_remote_subnets_are_cidr_lists() {
    type Set = fn(Builder, &str) -> Builder;
    let sides: [(&str, Set, &'static str); 2] = [
        (
            "LocalSubnet",
            |b, v| b.local_subnet(v),
            "IllegalParam.LocalSubnet",
        ),
        (
            "RemoteSubnet",
            |b, v| b.remote_subnet(v),
            "IllegalParam.RemoteSubnet",
        ),
    ];
    for (path, set, code) in sides {
        for ok in [
            "10.1.1.0/24",
            "10.1.1.0/24,10.1.2.0/24",
            "192.168.0.0/16,172.16.0.0/12,10.0.0.0/8",
            "0.0.0.0/0",
        ] {
            passes(&format!("{path}={ok}"), &build(set(base(), ok)));
        }
        for bad in [
            "",
            "10.1.1.0",
            "10.1.1.0/24,",
            "10.1.1.0/24;10.1.2.0/24",
            "10.1.1.0/33",
            "300.1.1.0/24",
            "10.1.1.0/24,10.1.2.0",
            "fd00::/8",
        ] {
            refused(
                &format!("{path}={bad}"),
                &build(set(base(), bad)),
                path,
                Rule::CidrList,
                Some(code),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Phase 1 and phase 2 settings, single-tunnel and per tunnel
// ---------------------------------------------------------------------------------------------

/// Where an IKE field can be set: in `IkeConfig`, or in tunnel 1's `TunnelIkeConfig`.
struct IkeContext {
    prefix: &'static str,
    request: fn(IkeFields) -> Request,
}

/// The IKE fields the cases vary.
#[derive(Default)]
struct IkeFields {
    psk: Option<String>,
    lifetime: Option<i64>,
    local_id: Option<String>,
    remote_id: Option<String>,
}

fn ike_contexts() -> [IkeContext; 2] {
    [
        IkeContext {
            prefix: "IkeConfig",
            request: |f| {
                build(
                    base().ike_config(
                        IkeConfig::builder()
                            .set_psk(f.psk)
                            .set_ike_lifetime(f.lifetime)
                            .set_local_id(f.local_id)
                            .set_remote_id(f.remote_id)
                            .build(),
                    ),
                )
            },
        },
        IkeContext {
            prefix: "TunnelOptionsSpecification[1].TunnelIkeConfig",
            request: |f| {
                dual(
                    slave().tunnel_ike_config(
                        TunnelIkeConfig::builder()
                            .set_psk(f.psk)
                            .set_ike_lifetime(f.lifetime)
                            .set_local_id(f.local_id)
                            .set_remote_id(f.remote_id)
                            .build(),
                    ),
                )
            },
        },
    ]
}

/// Every character of the published special-character lists of IkeConfig.Psk and
/// TunnelIkeConfig.Psk (their union), which the spec's charset allows besides letters and digits.
const PSK_SPECIALS: &str = "~`!@#$%^&*()_-+={}[]|;:',.<>/?";

#[test]
fn psk_length_and_charset() {
    let a100 = "a".repeat(100);
    let a101 = "a".repeat(101);
    let mut ok: Vec<String> = vec![
        "a".into(),
        "7".into(),
        a100.clone(),
        "pgw6dy7d1i8i****".into(),
        "Ab1~!`@#$%^&*()_-+={}[]|;:\",.<>/?".into(),
        format!("{PSK_SPECIALS}\""),
    ];
    ok.extend(PSK_SPECIALS.chars().map(|c| format!("Key1{c}")));
    ok.push("Key1\"".into());
    let bad: [(&str, Rule); 6] = [
        ("", Rule::Length),
        (a101.as_str(), Rule::Length),
        ("with space", Rule::Charset),
        (" ", Rule::Charset),
        ("tab\tkey", Rule::Charset),
        ("clé", Rule::Charset),
    ];
    for ctx in ike_contexts() {
        let path = format!("{}.Psk", ctx.prefix);
        for v in &ok {
            let f = IkeFields {
                psk: Some(v.clone()),
                ..IkeFields::default()
            };
            passes(&format!("{path}={v:?}"), &(ctx.request)(f));
        }
        for (v, rule) in bad {
            let f = IkeFields {
                psk: Some(v.to_owned()),
                ..IkeFields::default()
            };
            refused(
                &format!("{path}={v:?}"),
                &(ctx.request)(f),
                &path,
                rule,
                None,
            );
        }
    }
}

#[test]
fn ike_lifetime_range() {
    for ctx in ike_contexts() {
        let path = format!("{}.IkeLifetime", ctx.prefix);
        let with = |n: i64| {
            (ctx.request)(IkeFields {
                lifetime: Some(n),
                ..IkeFields::default()
            })
        };
        for ok in [0, 1, 28800, 86400] {
            passes(&format!("{path}={ok}"), &with(ok));
        }
        for bad in [-1, 86401, i64::MIN, i64::MAX] {
            refused(
                &format!("{path}={bad}"),
                &with(bad),
                &path,
                Rule::Range,
                None,
            );
        }
    }
}

#[test]
fn local_and_remote_ids_length_and_no_whitespace() {
    let a100 = "a".repeat(100);
    let a101 = "a".repeat(101);
    for ctx in ike_contexts() {
        for (field, local) in [("LocalId", true), ("RemoteId", false)] {
            let path = format!("{}.{field}", ctx.prefix);
            let with = |v: &str| {
                let v = Some(v.to_owned());
                (ctx.request)(if local {
                    IkeFields {
                        local_id: v,
                        ..IkeFields::default()
                    }
                } else {
                    IkeFields {
                        remote_id: v,
                        ..IkeFields::default()
                    }
                })
            };
            for ok in ["47.21.XX.XX", "vpn.example.com", "", a100.as_str()] {
                passes(&format!("{path}={ok:?}"), &with(ok));
            }
            for (bad, rule) in [
                (a101.as_str(), Rule::Length),
                ("vpn example.com", Rule::NoWhitespace),
                ("vpn.example.com\t", Rule::NoWhitespace),
                ("\nvpn", Rule::NoWhitespace),
            ] {
                refused(&format!("{path}={bad:?}"), &with(bad), &path, rule, None);
            }
        }
    }
}

#[test]
fn ipsec_lifetime_range() {
    let single =
        |n: i64| build(base().ipsec_config(IpsecConfig::builder().ipsec_lifetime(n).build()));
    let tunnel = |n: i32| {
        dual(slave().tunnel_ipsec_config(TunnelIpsecConfig::builder().ipsec_lifetime(n).build()))
    };
    for ok in [0_i32, 3600, 86400] {
        passes("IpsecConfig.IpsecLifetime", &single(i64::from(ok)));
        passes("TunnelIpsecConfig.IpsecLifetime", &tunnel(ok));
    }
    for bad in [-1_i64, 86401] {
        refused(
            &format!("IpsecConfig.IpsecLifetime={bad}"),
            &single(bad),
            "IpsecConfig.IpsecLifetime",
            Rule::Range,
            None,
        );
        refused(
            &format!("TunnelIpsecConfig.IpsecLifetime={bad}"),
            &tunnel(i32::try_from(bad).unwrap()),
            &format!("{T1}.TunnelIpsecConfig.IpsecLifetime"),
            Rule::Range,
            None,
        );
    }
    refused(
        "i32::MIN",
        &tunnel(i32::MIN),
        &format!("{T1}.TunnelIpsecConfig.IpsecLifetime"),
        Rule::Range,
        None,
    );
}

// ---------------------------------------------------------------------------------------------
// BGP: BgpConfig (single tunnel) and TunnelBgpConfig (per tunnel)
// ---------------------------------------------------------------------------------------------

/// Where BGP fields can be set.
struct BgpContext {
    prefix: &'static str,
    request: fn(Option<&str>, Option<&str>) -> Request,
}

fn bgp_contexts() -> [BgpContext; 2] {
    [
        BgpContext {
            prefix: "BgpConfig",
            request: |cidr, ip| {
                build(
                    base().bgp_config(
                        BgpConfig::builder()
                            .set_tunnel_cidr(cidr.map(str::to_owned))
                            .set_local_bgp_ip(ip.map(str::to_owned))
                            .build(),
                    ),
                )
            },
        },
        BgpContext {
            prefix: "TunnelOptionsSpecification[1].TunnelBgpConfig",
            request: |cidr, ip| {
                dual(
                    slave().tunnel_bgp_config(
                        TunnelBgpConfig::builder()
                            .set_tunnel_cidr(cidr.map(str::to_owned))
                            .set_local_bgp_ip(ip.map(str::to_owned))
                            .build(),
                    ),
                )
            },
        },
    ]
}

/// The reserved blocks a tunnel CIDR block must not overlap.
const EXCLUDED: [&str; 8] = [
    "169.254.0.0/30",
    "169.254.1.0/30",
    "169.254.2.0/30",
    "169.254.3.0/30",
    "169.254.4.0/30",
    "169.254.5.0/30",
    "169.254.6.0/30",
    "169.254.169.252/30",
];

#[test]
fn tunnel_cidr_within_169_254_0_0_16() {
    let mut bad: Vec<&str> = vec![
        // Outside 169.254.0.0/16.
        "10.0.0.0/30",
        "169.255.0.0/30",
        "169.253.255.252/30",
        // Wrong prefix length.
        "169.254.20.0/29",
        "169.254.20.0/31",
        "169.254.20.0/24",
        "169.254.0.0/16",
    ];
    bad.extend(EXCLUDED);
    // Not a CIDR block at all: the format's own code, not the range's.
    let malformed = ["169.254.20.0", "tunnel", "169.254.20.0/33", ""];
    for ctx in bgp_contexts() {
        let path = format!("{}.TunnelCidr", ctx.prefix);
        for ok in [
            "169.254.11.0/30",
            "169.254.20.0/30",
            "169.254.7.0/30",
            "169.254.6.4/30",
            "169.254.169.248/30",
            "169.254.255.252/30",
        ] {
            passes(&format!("{path}={ok}"), &(ctx.request)(Some(ok), None));
        }
        for v in &bad {
            refused(
                &format!("{path}={v}"),
                &(ctx.request)(Some(v), None),
                &path,
                Rule::CidrWithin,
                Some("IllegalParam.TunnelCidr"),
            );
        }
        for v in malformed {
            refused(
                &format!("{path}={v}"),
                &(ctx.request)(Some(v), None),
                &path,
                Rule::Cidr,
                Some("InvalidTunnelCidr.Malformed"),
            );
        }
    }
}

#[test]
fn local_bgp_ip_is_ipv4_inside_the_tunnel_cidr() {
    for ctx in bgp_contexts() {
        let path = format!("{}.LocalBgpIp", ctx.prefix);
        let cidr = Some("169.254.20.0/30");
        for ok in ["169.254.20.1", "169.254.20.2"] {
            passes(&format!("{path}={ok}"), &(ctx.request)(cidr, Some(ok)));
        }
        passes(
            "no TunnelCidr to compare with",
            &(ctx.request)(None, Some("169.254.20.1")),
        );
        for bad in [
            "169.254.20",
            "169.254.20.256",
            "169.254.20.1/30",
            "",
            "fe80::1",
        ] {
            refused(
                &format!("{path}={bad:?}"),
                &(ctx.request)(cidr, Some(bad)),
                &path,
                Rule::Ipv4,
                Some("InvalidLocalBgpIp.Malformed"),
            );
        }
        for outside in ["169.254.20.5", "169.254.21.1", "10.0.0.1"] {
            refused(
                &format!("{path}={outside}"),
                &(ctx.request)(cidr, Some(outside)),
                &path,
                Rule::AddressInCidr,
                Some("IllegalParam.LocalBgpIp"),
            );
        }
    }
}

#[test]
fn bgp_config_local_asn_is_an_asn() {
    let with = |asn: &str| build(base().bgp_config(BgpConfig::builder().local_asn(asn).build()));
    for ok in [
        "65530",
        "1",
        "4294967295",
        "1.10",
        "0.1",
        "65535.65535",
        "45104",
    ] {
        passes(ok, &with(ok));
    }
    for bad in [
        "0",
        "4294967296",
        "65536.1",
        "1.65536",
        "0.0",
        "",
        "-1",
        "1.2.3",
        "AS65530",
        " 65530",
    ] {
        refused(
            &format!("BgpConfig.LocalAsn={bad:?}"),
            &with(bad),
            "BgpConfig.LocalAsn",
            Rule::Asn,
            Some("IllegalParam.LocalAsn"),
        );
    }
}

#[test]
fn tunnel_bgp_config_local_asn_range() {
    let with = |asn: i64| {
        dual(slave().tunnel_bgp_config(TunnelBgpConfig::builder().local_asn(asn).build()))
    };
    for ok in [1, 45104, 65530, 4_294_967_295] {
        passes(&ok.to_string(), &with(ok));
    }
    for bad in [0, -1, 4_294_967_296, i64::MAX] {
        refused(
            &format!("TunnelBgpConfig.LocalAsn={bad}"),
            &with(bad),
            &format!("{T1}.TunnelBgpConfig.LocalAsn"),
            Rule::Range,
            Some("IllegalParam.LocalAsn"),
        );
    }
}

#[test]
fn bgp_config_requires_tunnel_cidr_when_bgp_is_enabled() {
    let with = |enable: bool, cidr: Option<&str>| {
        build(
            base().bgp_config(
                BgpConfig::builder()
                    .enable_bgp(enable)
                    .local_asn("65530")
                    .set_tunnel_cidr(cidr.map(str::to_owned))
                    .build(),
            ),
        )
    };
    passes(
        "enabled with TunnelCidr",
        &with(true, Some("169.254.11.0/30")),
    );
    passes("disabled without TunnelCidr", &with(false, None));
    passes(
        "disabled with TunnelCidr",
        &with(false, Some("169.254.11.0/30")),
    );
    passes(
        "EnableBgp unset",
        &build(base().bgp_config(BgpConfig::builder().local_asn("65530").build())),
    );
    refused(
        "enabled without TunnelCidr",
        &with(true, None),
        "BgpConfig.TunnelCidr",
        Rule::RequiresIf,
        Some("MissingParameter.TunnelCidr"),
    );
    // From JSON, where EnableBgp travels as the string "true".
    let req: Request = serde_json::from_value(json!({
        "RegionId": "cn-shanghai",
        "VpnConnectionId": "vco-1",
        "BgpConfig": {"EnableBgp": "true", "LocalAsn": "65530"}
    }))
    .unwrap();
    refused(
        "enabled without TunnelCidr (JSON)",
        &req,
        "BgpConfig.TunnelCidr",
        Rule::RequiresIf,
        Some("MissingParameter.TunnelCidr"),
    );
}

// ---------------------------------------------------------------------------------------------
// Health check
// ---------------------------------------------------------------------------------------------

#[test]
fn health_check_addresses_are_ipv4() {
    type Set = fn(&str) -> HealthCheckConfig;
    let fields: [(&str, Set); 2] = [
        ("HealthCheckConfig.dip", |v| {
            HealthCheckConfig::builder()
                .enable(true)
                .dip(v)
                .sip("10.1.1.1")
                .build()
        }),
        ("HealthCheckConfig.sip", |v| {
            HealthCheckConfig::builder()
                .enable(true)
                .dip("192.168.1.1")
                .sip(v)
                .build()
        }),
    ];
    for (path, make) in fields {
        for ok in ["192.168.1.1", "10.1.1.1", "0.0.0.0", "255.255.255.255"] {
            passes(ok, &build(base().health_check_config(make(ok))));
        }
        for bad in [
            "192.168.1",
            "192.168.1.256",
            "192.168.1.1/32",
            "",
            "::1",
            "host.example.com",
        ] {
            refused(
                &format!("{path}={bad:?}"),
                &build(base().health_check_config(make(bad))),
                path,
                Rule::Ipv4,
                None,
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// TunnelOptionsSpecification list constraints
// ---------------------------------------------------------------------------------------------

#[test]
fn at_most_two_tunnels() {
    let bare = |id: &str| TunnelOptions::builder().tunnel_id(id).build();
    passes(
        "one",
        &build(base().tunnel_options_specification(vec![bare("a")])),
    );
    passes(
        "two",
        &build(base().tunnel_options_specification(vec![bare("a"), bare("b")])),
    );
    passes(
        "master and slave",
        &dual(
            slave().tunnel_bgp_config(
                TunnelBgpConfig::builder()
                    .tunnel_cidr("169.254.20.0/30")
                    .build(),
            ),
        ),
    );
    refused(
        "three",
        &build(base().tunnel_options_specification(vec![bare("a"), bare("b"), bare("c")])),
        "TunnelOptionsSpecification",
        Rule::Items,
        None,
    );
}

#[test]
fn tunnel_roles_are_unique() {
    passes("master, slave", &dual(slave()));
    passes(
        "roles unset",
        &build(base().tunnel_options_specification(vec![
            TunnelOptions::builder().tunnel_id("a").build(),
            TunnelOptions::builder().tunnel_id("b").build(),
        ])),
    );
    refused(
        "master, master",
        &dual(slave().role("master")),
        &format!("{T1}.Role"),
        Rule::UniqueItems,
        Some("IllegalParam.Role"),
    );
    let slaves = vec![slave().build(), slave().tunnel_id("tun-other").build()];
    refused(
        "slave, slave",
        &build(base().tunnel_options_specification(slaves)),
        &format!("{T1}.Role"),
        Rule::UniqueItems,
        Some("IllegalParam.Role"),
    );
}

#[test]
fn tunnel_cidrs_are_unique() {
    let second = |cidr: &str| {
        dual(slave().tunnel_bgp_config(TunnelBgpConfig::builder().tunnel_cidr(cidr).build()))
    };
    passes("different blocks", &second("169.254.20.0/30"));
    passes("second without TunnelCidr", &dual(slave()));
    refused(
        "same block as tunnel 0",
        &second("169.254.10.0/30"),
        &format!("{T1}.TunnelBgpConfig.TunnelCidr"),
        Rule::UniqueItems,
        Some("IllegalParam.TunnelCidr"),
    );
}

// ---------------------------------------------------------------------------------------------
// Single-tunnel and dual-tunnel parameters are exclusive
// ---------------------------------------------------------------------------------------------

type Set = fn(Builder) -> Builder;

fn single_tunnel_setters() -> [(&'static str, Set); 7] {
    [
        ("IkeConfig", |b| {
            b.ike_config(IkeConfig::builder().ike_version("ikev2").build())
        }),
        ("IpsecConfig", |b| {
            b.ipsec_config(IpsecConfig::builder().ipsec_lifetime(3600).build())
        }),
        ("HealthCheckConfig", |b| {
            b.health_check_config(HealthCheckConfig::builder().enable(false).build())
        }),
        ("EnableDpd", |b| b.enable_dpd(false)),
        ("EnableNatTraversal", |b| b.enable_nat_traversal(false)),
        ("BgpConfig", |b| {
            b.bgp_config(BgpConfig::builder().enable_bgp(false).build())
        }),
        ("RemoteCaCertificate", |b| {
            b.remote_ca_certificate(
                "-----BEGIN CERTIFICATE----- MIIB7zCCAZW**** -----END CERTIFICATE-----",
            )
        }),
    ]
}

fn dual_tunnel_setters() -> [(&'static str, Set); 2] {
    [
        ("TunnelOptionsSpecification", |b| {
            b.tunnel_options_specification(vec![master_tunnel()])
        }),
        ("EnableTunnelsBgp", |b| b.enable_tunnels_bgp(false)),
    ]
}

#[test]
fn single_and_dual_tunnel_parameters_are_exclusive() {
    let all_single = single_tunnel_setters()
        .iter()
        .fold(base(), |b, (_, set)| set(b));
    passes("every single-tunnel parameter", &build(all_single.clone()));
    let all_dual = dual_tunnel_setters()
        .iter()
        .fold(base(), |b, (_, set)| set(b));
    passes("every dual-tunnel parameter", &build(all_dual));
    // Parameters of neither group go with both.
    passes(
        "common parameters with both groups",
        &build(
            single_tunnel_setters()[0].1(base())
                .name("n")
                .effect_immediately(true)
                .auto_config_route(true)
                .client_token("t")
                .owner_id(1)
                .owner_account("o")
                .resource_owner_id(2)
                .resource_owner_account("r"),
        ),
    );

    for (single, set_single) in single_tunnel_setters() {
        for (dual_name, set_dual) in dual_tunnel_setters() {
            let req = build(set_dual(set_single(base())));
            let case = format!("{single} with {dual_name}");
            advised(&case, &req, &[(dual_name, Rule::ExclusiveGroups, None)]);
            let message = &req.validate().unwrap_err().0[0].message;
            assert!(
                message.contains(single) && message.contains(dual_name),
                "{case}: {message}"
            );
        }
    }
    let everything = dual_tunnel_setters()
        .iter()
        .fold(all_single, |b, (_, set)| set(b));
    advised(
        "everything",
        &build(everything),
        &[("TunnelOptionsSpecification", Rule::ExclusiveGroups, None)],
    );
}

// ---------------------------------------------------------------------------------------------
// IKEv1 cannot carry several CIDR blocks
// ---------------------------------------------------------------------------------------------

const TWO_LOCAL: &str = "10.1.1.0/24,10.1.2.0/24";
const TWO_REMOTE: &str = "10.2.1.0/24,10.2.2.0/24";

fn single_ike(version: &str, local: &str, remote: &str) -> Request {
    build(
        base()
            .ike_config(IkeConfig::builder().ike_version(version).build())
            .local_subnet(local)
            .remote_subnet(remote),
    )
}

fn dual_ike(version: &str, local: &str, remote: &str) -> Request {
    let second = slave().tunnel_ike_config(TunnelIkeConfig::builder().ike_version(version).build());
    build(
        base()
            .tunnel_options_specification(vec![master_tunnel(), second.build()])
            .local_subnet(local)
            .remote_subnet(remote),
    )
}

#[test]
fn ikev1_with_several_cidr_blocks_is_an_advisory_at_the_subnet_that_has_them() {
    let one_local = "10.1.1.0/24";
    let one_remote = "10.2.1.0/24";
    let at = |path| (path, Rule::ForbiddenCombination, IKEV1_MESSAGE_CODE);
    for (mode, make) in [
        ("IkeConfig", single_ike as fn(&str, &str, &str) -> Request),
        ("TunnelIkeConfig", dual_ike),
    ] {
        passes(
            &format!("{mode}: IKEv2, several blocks"),
            &make("ikev2", TWO_LOCAL, TWO_REMOTE),
        );
        passes(
            &format!("{mode}: IKEv1, one block each"),
            &make("ikev1", one_local, one_remote),
        );
        advised(
            &format!("{mode}: IKEv1, several local blocks"),
            &make("ikev1", TWO_LOCAL, one_remote),
            &[at("LocalSubnet")],
        );
        advised(
            &format!("{mode}: IKEv1, several remote blocks"),
            &make("ikev1", one_local, TWO_REMOTE),
            &[at("RemoteSubnet")],
        );
        advised(
            &format!("{mode}: IKEv1, several blocks on both sides"),
            &make("ikev1", TWO_LOCAL, TWO_REMOTE),
            &[at("LocalSubnet"), at("RemoteSubnet")],
        );
    }
    // IKEv1 in the first tunnel counts as well.
    let mut first = master_tunnel();
    first.tunnel_ike_config = Some(TunnelIkeConfig::builder().ike_version("ikev1").build());
    advised(
        "IKEv1 in tunnel 0",
        &build(
            base()
                .tunnel_options_specification(vec![first, slave().build()])
                .local_subnet(TWO_LOCAL),
        ),
        &[at("LocalSubnet")],
    );
    // IKEv1 alone, without subnets, is fine.
    passes(
        "IKEv1 without subnets",
        &build(base().ike_config(IkeConfig::builder().ike_version("ikev1").build())),
    );
}
