//! The emitter goldens (`tests/emit/spec`): one small operation per construct of the spec
//! format, generated into `tests/emit/generated/emit` (the workspace member
//! `alicloud-emit-goldens`). Each operation module is a golden of one emitter, so a change to
//! it shows as a small diff in one file; `cargo xtask codegen --check --root tests/emit`
//! guards them, as does the first test here. The others check a few behaviours of the
//! generated code that are cheap to check from outside.

use alicloud_codegen::{generate, Settings};
use alicloud_emit_goldens::operation::conditional_rules::{ConditionalRulesRequest, RulePeer};
use alicloud_emit_goldens::operation::sensitive::{
    SensitiveLogin, SensitiveRequest, SensitiveResponse,
};
use alicloud_emit_goldens::operation::tunnel_constraints::{
    TunnelAddresses, TunnelConstraintsRequest,
};
use alicloud_emit_goldens::operation::wire_delimited::WireDelimitedRequest;
use alicloud_emit_goldens::operation::wire_flat::{WireFlatRequest, WireTag};
use alicloud_runtime::client::ToWire;
use alicloud_runtime::{Rule, Violations};
use alicloud_tests::{assert_committed_files_current, repo_root, spec_sources_in};

fn emit_root() -> std::path::PathBuf {
    repo_root().join("tests/emit")
}

/// Path, rule and error code of every violation, sorted.
fn found(result: Result<(), Violations>) -> Vec<(String, Rule, Option<&'static str>)> {
    let mut out: Vec<_> = match result {
        Ok(()) => Vec::new(),
        Err(vs) => vs
            .iter()
            .map(|v| (v.path.clone(), v.rule, v.error_code))
            .collect(),
    };
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn committed_goldens_are_current_and_note_only_the_colliding_codes() {
    let root = emit_root();
    let out = generate(&spec_sources_in(&root), &Settings::default())
        .expect("the goldens' specs generate");
    assert_committed_files_current(&root, &out, "cargo xtask codegen --root tests/emit");
    let diags: Vec<String> = out.warnings.0.iter().map(|d| d.to_string()).collect();
    // Neither code is spelled `TargetNotFound`, so both keep their spelling.
    assert_eq!(diags.len(), 2, "{diags:?}");
    for (d, code, variant) in [
        (&diags[0], "TARGET.NOT_FOUND", "TARGET_NOT_FOUND"),
        (&diags[1], "Target.NotFound", "Target_NotFound"),
    ] {
        assert!(
            d.starts_with(&format!(
                "note: error code `{code}` collides with another code"
            )) && d.contains(&format!("`ErrorCode::{variant}`")),
            "{diags:?}"
        );
    }
}

#[test]
fn sensitive_values_are_redacted_in_debug_and_in_violations() {
    let req = SensitiveRequest::builder()
        .api_key("too-short-key")
        .login(
            SensitiveLogin::builder()
                .user("alice")
                .password("pw-123")
                .build(),
        )
        .build()
        .expect("nothing is required");
    let debug = format!("{req:?}");
    assert!(!debug.contains("too-short-key"), "{debug}");
    assert!(!debug.contains("pw-123"), "{debug}");
    assert!(
        debug.contains("alice"),
        "the user name is no secret: {debug}"
    );

    let violations = req.validate().expect_err("both secrets are too short");
    let paths: Vec<&str> = violations.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, ["ApiKey", "Login.Password"]);
    for v in violations.iter() {
        let shown = format!("{v} {v:?}");
        assert!(
            !shown.contains("too-short-key") && !shown.contains("pw-123"),
            "{shown}"
        );
    }

    let resp: SensitiveResponse =
        serde_json::from_str(r#"{"RequestId":"r-1","Token":"tok-secret"}"#).expect("decodes");
    assert_eq!(resp.token.as_deref(), Some("tok-secret"));
    let debug = format!("{resp:?}");
    assert!(
        !debug.contains("tok-secret") && debug.contains("r-1"),
        "{debug}"
    );
}

#[test]
fn network_constraints_are_reported_at_the_nested_path() {
    let request = |cidr: &str, address: &str, asn: &str| {
        TunnelConstraintsRequest::builder()
            .tunnel(
                TunnelAddresses::builder()
                    .tunnel_cidr(cidr)
                    .local_address(address)
                    .local_asn(asn)
                    .build(),
            )
            .build()
            .expect("nothing is required")
    };
    assert_eq!(
        found(request("169.254.10.0/30", "169.254.10.1", "65000.1").validate()),
        []
    );
    assert_eq!(
        found(request("169.254.10.0/30", "169.254.11.1", "65000").validate()),
        [("Tunnel.LocalAddress".to_owned(), Rule::AddressInCidr, None)]
    );
    assert_eq!(
        found(request("169.254.0.0/30", "169.254.0.1", "0").validate()),
        [
            ("Tunnel.LocalAsn".to_owned(), Rule::Asn, None),
            (
                "Tunnel.TunnelCidr".to_owned(),
                Rule::CidrWithin,
                Some("InvalidTunnelCidr")
            ),
        ]
    );
}

#[test]
fn conditional_rules_look_into_list_items() {
    let peer = |mode: &str, asn: Option<&str>, subnets: &str| {
        let b = RulePeer::builder().mode(mode).subnets(subnets);
        match asn {
            Some(a) => b.asn(a).build(),
            None => b.build(),
        }
    };
    let ok = ConditionalRulesRequest::builder()
        .peers(vec![peer("bgp", Some("65001"), "10.0.0.0/24")])
        .secret("s")
        .version("v1")
        .build()
        .expect("nothing is required");
    assert_eq!(found(ok.validate()), []);

    // The second peer uses BGP: Secret is required, and the peer's own rule wants an ASN.
    let req = ConditionalRulesRequest::builder()
        .peers(vec![
            peer("static", None, "10.0.0.0/24"),
            peer("bgp", None, "10.0.1.0/24"),
        ])
        .retries(3)
        .build()
        .expect("nothing is required");
    assert_eq!(
        found(req.validate()),
        [
            ("Note".to_owned(), Rule::RequiresIf, None),
            ("Peers[1].Asn".to_owned(), Rule::RequiresIf, None),
            ("Secret".to_owned(), Rule::RequiresIf, None),
        ]
    );

    // Version v1 with two blocks behind one peer.
    let req = ConditionalRulesRequest::builder()
        .peers(vec![peer("static", None, "10.0.0.0/24,10.0.1.0/24")])
        .version("v1")
        .build()
        .expect("nothing is required");
    assert_eq!(
        found(req.validate()),
        [(
            "Peers".to_owned(),
            Rule::ForbiddenCombination,
            Some("UnsupportedVersion")
        )]
    );
}

#[test]
fn flat_and_delimited_styles_put_the_documented_keys_on_the_wire() {
    let mut wire = WireDelimitedRequest::builder()
        .ids(vec!["a".to_owned(), "b".to_owned()])
        .ports(vec![80, 443])
        .zones(vec!["z1".to_owned(), "z2".to_owned()])
        .build()
        .expect("nothing is required")
        .to_wire();
    wire.sort();
    assert_eq!(wire.query.get("Ids").as_deref(), Some("a,b"));
    assert_eq!(wire.query.get("Ports").as_deref(), Some("80 443"));
    assert_eq!(wire.query.get("Zones").as_deref(), Some("z1|z2"));

    let tag = |k: &str, v: &str| WireTag::builder().key(k).value(v).build();
    let mut wire = WireFlatRequest::builder()
        .tag(vec![tag("k1", "v1"), tag("k2", "v2")])
        .filter(tag("fk", "fv"))
        .build()
        .expect("nothing is required")
        .to_wire();
    wire.sort();
    assert_eq!(wire.query.get("Tag.1.Key").as_deref(), Some("k1"));
    assert_eq!(wire.query.get("Tag.2.Value").as_deref(), Some("v2"));
    assert_eq!(wire.query.get("Filter.Key").as_deref(), Some("fk"));
    assert_eq!(wire.query.get("Filter.Value").as_deref(), Some("fv"));

    // An item with no field set keeps its place, as the SDKs number by position.
    let mut wire = WireFlatRequest::builder()
        .tag(vec![
            tag("k1", "v1"),
            WireTag::builder().build(),
            tag("k3", "v3"),
        ])
        .build()
        .expect("nothing is required")
        .to_wire();
    wire.sort();
    let keys: Vec<String> = wire.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    assert_eq!(
        keys,
        [
            "Tag.1.Key=k1",
            "Tag.1.Value=v1",
            "Tag.3.Key=k3",
            "Tag.3.Value=v3"
        ]
    );
}

#[tokio::test]
async fn header_parameters_are_sent_as_headers_with_one_content_type() {
    use alicloud_runtime::transport::InMemoryTransport;
    let transport = InMemoryTransport::always(200, r#"{"RequestId":"R"}"#);
    let config = alicloud_emit_goldens::Config::new(
        alicloud_emit_goldens::Credentials::new("id", "secret"),
        transport.clone(),
    )
    .with_endpoint("emit.example.com");
    let client = alicloud_emit_goldens::Client::new(config);
    client
        .send_headers()
        .region_id("cn-hangzhou")
        .name("x")
        .x_acs_trace_id("t-1")
        .accept_language("en-US")
        .content_type("application/x-www-form-urlencoded; charset=UTF-8")
        .send()
        .await
        .expect("sent");
    let sent = transport.requests();
    let h = sent[0].headers();
    let all = |n: &str| -> Vec<&str> { h.get_all(n).iter().map(|v| v.to_str().unwrap()).collect() };
    assert_eq!(
        all("content-type"),
        ["application/x-www-form-urlencoded; charset=UTF-8"]
    );
    assert_eq!(all("x-acs-trace-id"), ["t-1"]);
    assert_eq!(all("accept-language"), ["en-US"]);
    let auth = all("authorization")[0];
    assert!(
        auth.contains("SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-trace-id;x-acs-version,"),
        "{auth}"
    );
    // Headers are not query or body parameters.
    let query = sent[0].uri().query().unwrap_or_default();
    assert!(
        !query.contains("trace") && !query.contains("Content"),
        "{query}"
    );
    assert_eq!(sent[0].body().as_slice(), b"Name=x");
}
