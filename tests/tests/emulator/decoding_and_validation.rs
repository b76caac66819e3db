//! Decoding and validation.

use super::*;

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
    assert!(cases.len() >= 37, "one case per stated constraint and rule");

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
                    &alicloud_runtime::client::CallOptions::new(),
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
                &alicloud_runtime::client::CallOptions::new().validation(false),
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
                &alicloud_runtime::client::CallOptions::new(),
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
                &alicloud_runtime::client::CallOptions::new().validation(false),
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

/// Rules we inferred (the single/dual-tunnel groups, IKEv1 with several CIDR blocks): the client
/// reports them as advisories and sends the request, leaving the decision to the service. The
/// emulator, playing the service, decides from the connection it holds: it refuses a dual-tunnel
/// parameter on a single-tunnel connection, and IKEv1 on a connection left with several blocks.
#[tokio::test]
async fn advisories_are_sent_and_left_to_the_service() {
    type Patch = fn(&mut Value);
    let em = start(Duration::ZERO);
    let client = client_once(&em);
    let ikev1 = "ModifyIkeV1WithMultiRoutes.Invalid";
    let cases = [
        (
            "exclusive_groups single/dual",
            Base::Single,
            (|v| v["EnableTunnelsBgp"] = json!(true)) as Patch,
            "EnableTunnelsBgp",
            None,
            "InvalidParameter",
        ),
        (
            "IKEv1 with several CIDR blocks (IkeConfig)",
            Base::Single,
            |v| v["IkeConfig"]["IkeVersion"] = json!("ikev1"),
            "LocalSubnet",
            Some(ikev1),
            ikev1,
        ),
        (
            "IKEv1 with several CIDR blocks (tunnels)",
            Base::Dual,
            |v| {
                v["TunnelOptionsSpecification"][0]["TunnelIkeConfig"]["IkeVersion"] = json!("ikev1")
            },
            "LocalSubnet",
            Some(ikev1),
            ikev1,
        ),
    ];
    for (name, base, patch, path, code, answered) in cases {
        let mut v = match base {
            Base::Single => single_vector(),
            Base::Dual => dual_vector(),
        };
        patch(&mut v);
        let req = request(&v);
        let found = req.validate().unwrap_err();
        assert!(!found.has_refusals(), "{name}: {found}");
        let first = found.advisories().next().expect("an advisory");
        assert_eq!(
            (first.path.as_str(), first.error_code),
            (path, code),
            "{name}"
        );
        let sent_before = em.requests().len();
        let e = service_error(builder(&client, &req).send().await);
        assert_eq!(em.requests().len(), sent_before + 1, "{name}: sent");
        assert_eq!(e.code(), answered, "{name}");
    }
}
