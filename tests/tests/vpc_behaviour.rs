//! Behaviour of the generated `alicloud-vpc` crate for `ModifyVpnConnectionAttribute` (and a
//! `DescribeVpnGateway` round trip), checked against facts that live outside the generator:
//! the spec's own examples and error table (read at test time), the signing vectors
//! (`tests/data/signing-vectors.json`) and the API page's sample success response
//! (`tests/data/modify_vpn_connection_attribute_response.json`).

use std::time::Duration;

use alicloud_runtime::client::{RetryConfig, ToWire};
use alicloud_runtime::error::OperationError;
use alicloud_runtime::transport::{json_response, InMemoryTransport};
use alicloud_runtime::wire::ParamList;
use alicloud_runtime::{Rule, ServiceErrorMeta};
use alicloud_tests::{parse_pairs, repo_root, signing_vectors, spec_sources, url_query_pairs};
use alicloud_vpc::operation::describe_vpn_gateway::DescribeVpnGatewayError;
use alicloud_vpc::operation::modify_vpn_connection_attribute::{
    IkeConfig, ModifyVpnConnectionAttributeError as OpError,
    ModifyVpnConnectionAttributeRequest as Request,
    ModifyVpnConnectionAttributeResponse as Response, TunnelIkeConfig, TunnelOptions,
};
use alicloud_vpc::types::{
    AuthenticationAlgorithm, BgpStatus, EncryptionAlgorithm, IkeDhGroup, IkeMode, IkeVersion,
    IpsecPfs, TunnelRole, TunnelState, VpnGatewayStatus,
};
use alicloud_vpc::{Client, Config, Credentials, ErrorCode, SdkError};
use serde_json::{json, Map, Value};

const OP: &str = "ModifyVpnConnectionAttribute";
const HOST: &str = "vpc.cn-shanghai.aliyuncs.com";

// ---------------------------------------------------------------------------------------------
// Spec access (read at test time, so that new examples and error codes are covered automatically)
// ---------------------------------------------------------------------------------------------

/// Every spec file of the Vpc product, parsed.
fn vpc_files() -> Vec<Value> {
    let files: Vec<Value> = spec_sources()
        .into_iter()
        .filter(|f| f.path.starts_with("spec/vpc/"))
        .map(|f| {
            serde_json::from_str(&f.text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", f.path))
        })
        .collect();
    assert!(!files.is_empty(), "no spec files under spec/vpc");
    files
}

/// The operation `name`, as written in the spec.
fn operation(name: &str) -> Value {
    vpc_files()
        .iter()
        .flat_map(|f| f["operations"].as_array().cloned().unwrap_or_default())
        .find(|op| op["name"] == name)
        .unwrap_or_else(|| panic!("operation {name} not in spec/vpc"))
}

/// Every named shape of the Vpc product.
fn shapes() -> Map<String, Value> {
    let mut out = Map::new();
    for f in vpc_files() {
        if let Some(map) = f["shapes"].as_object() {
            for (k, v) in map {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    out
}

fn params(op: &Value) -> Vec<Value> {
    op["parameters"].as_array().cloned().unwrap_or_default()
}

/// `{name: example}` for the required parameters of `op`.
fn required_examples(op: &Value) -> Map<String, Value> {
    params(op)
        .iter()
        .filter(|p| p["required"] == true)
        .map(|p| {
            let name = p["name"].as_str().expect("parameter name").to_owned();
            let example = p["example"].clone();
            assert!(
                !example.is_null(),
                "required parameter {name} has no example"
            );
            (name, example)
        })
        .collect()
}

/// The object shape a type names (`Foo` or `list<Foo>`), with whether it is a list.
fn object_shape<'a>(shapes: &'a Map<String, Value>, ty: &str) -> Option<(&'a Value, bool)> {
    let (inner, list) = match ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
        Some(t) => (t, true),
        None => (ty, false),
    };
    shapes
        .get(inner)
        .filter(|s| s["kind"] == "object")
        .map(|s| (s, list))
}

/// An object built from the examples of the fields of `shape`, recursing into nested object
/// shapes so that every nested field's own example is used.
fn example_from_fields(shapes: &Map<String, Value>, shape: &Value) -> Value {
    let mut out = Map::new();
    for f in shape["fields"].as_array().expect("object shape fields") {
        let name = f["name"].as_str().expect("field name");
        let ty = f["type"].as_str().expect("field type");
        let value = match object_shape(shapes, ty) {
            Some((nested, false)) => example_from_fields(shapes, nested),
            Some((nested, true)) => json!([example_from_fields(shapes, nested)]),
            None => f["example"].clone(),
        };
        if !value.is_null() {
            out.insert(name.to_owned(), value);
        }
    }
    Value::Object(out)
}

fn is_at_or_below(path: &str, param: &str) -> bool {
    path == param
        || path
            .strip_prefix(param)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// Violations of `req` as `(path, rule, error_code)`, sorted.
fn violation_keys(req: &Request) -> Vec<(String, Rule, Option<&'static str>)> {
    let mut out: Vec<_> = match req.validate() {
        Ok(()) => Vec::new(),
        Err(vs) => vs
            .iter()
            .map(|v| (v.path.clone(), v.rule, v.error_code))
            .collect(),
    };
    out.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.as_str().cmp(b.1.as_str())));
    out
}

fn request_from(value: Value) -> Request {
    serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("request does not deserialize ({e}): {value}"))
}

// ---------------------------------------------------------------------------------------------
// Examples
// ---------------------------------------------------------------------------------------------

#[test]
fn every_parameter_example_of_the_spec_validates() {
    let op = operation(OP);
    let required = required_examples(&op);
    let mut covered = Vec::new();
    for p in params(&op) {
        let name = p["name"].as_str().expect("parameter name");
        let Some(example) = p.get("example").filter(|e| !e.is_null()) else {
            continue;
        };
        let mut obj = required.clone();
        obj.insert(name.to_owned(), example.clone());
        let req = request_from(Value::Object(obj));
        // The example must really land in the request (an unknown wire name would be dropped
        // silently by serde and validate trivially).
        let back = serde_json::to_value(&req).expect("request serializes");
        assert_eq!(
            &back[name], example,
            "the example of {name} does not survive deserialization"
        );
        let bad: Vec<_> = match req.validate() {
            Ok(()) => Vec::new(),
            Err(vs) => vs
                .iter()
                .filter(|v| is_at_or_below(&v.path, name))
                .map(ToString::to_string)
                .collect(),
        };
        assert!(bad.is_empty(), "example of {name} is refused: {bad:#?}");
        covered.push(name.to_owned());
    }
    for must in [
        "RegionId",
        "VpnConnectionId",
        "Name",
        "IkeConfig",
        "BgpConfig",
        "HealthCheckConfig",
        "TunnelOptionsSpecification",
    ] {
        assert!(covered.iter().any(|c| c == must), "{must} has no example");
    }
}

#[test]
fn objects_built_from_every_field_example_validate() {
    let op = operation(OP);
    let shapes = shapes();
    let required = required_examples(&op);
    let mut built = 0;
    for p in params(&op) {
        let name = p["name"].as_str().expect("parameter name");
        let ty = p["type"].as_str().expect("parameter type");
        let Some((shape, list)) = object_shape(&shapes, ty) else {
            continue;
        };
        let item = example_from_fields(&shapes, shape);
        let value = if list { json!([item]) } else { item };
        let mut obj = required.clone();
        obj.insert(name.to_owned(), value.clone());
        let req = request_from(Value::Object(obj));
        let back = serde_json::to_value(&req).expect("request serializes");
        assert_eq!(
            back[name], value,
            "{name} built from field examples is not kept"
        );
        assert_eq!(
            violation_keys(&req),
            vec![],
            "{name} built from field examples is refused"
        );
        built += 1;
    }
    assert!(built >= 5, "only {built} object parameters found");

    // One TunnelOptions item from all its nested fields' examples, validated on its own.
    let item = example_from_fields(&shapes, &shapes["TunnelOptions"]);
    for nested in ["TunnelBgpConfig", "TunnelIkeConfig", "TunnelIpsecConfig"] {
        assert!(item[nested].is_object(), "{nested} missing from {item}");
    }
    let tunnel: TunnelOptions = serde_json::from_value(item.clone()).expect("TunnelOptions");
    assert_eq!(serde_json::to_value(&tunnel).unwrap(), item);
    assert_eq!(tunnel.validate(), Ok(()));
    assert_eq!(
        tunnel
            .tunnel_ike_config
            .as_ref()
            .and_then(|c| c.psk.as_deref()),
        Some("123456****")
    );
}

// ---------------------------------------------------------------------------------------------
// Signing vectors: exact wire encoding
// ---------------------------------------------------------------------------------------------

fn query_string(url: &str) -> &str {
    url.split_once('?').map_or("", |(_, q)| q)
}

fn check_valid_vector(name: &str) {
    let vectors = signing_vectors();
    let v = &vectors[name];
    let req = request_from(v["request"].clone());
    assert_eq!(req.validate(), Ok(()), "{name} must be valid");
    let url = v["url"].as_str().expect("url");
    let body = v["body"].as_str().expect("body");
    let mut wire = req.to_wire();
    wire.sort();
    assert_eq!(
        wire.query.to_pairs(),
        url_query_pairs(url),
        "{name} query pairs"
    );
    assert_eq!(wire.body.to_pairs(), parse_pairs(body), "{name} body pairs");
    assert_eq!(
        wire.query.encoded(),
        query_string(url),
        "{name} query bytes"
    );
    assert_eq!(wire.body.encoded(), body, "{name} body bytes");
}

#[test]
fn single_tunnel_vector_is_valid_and_encodes_exactly() {
    check_valid_vector("single_tunnel_vector");
}

#[test]
fn dual_tunnel_vector_is_valid_and_encodes_exactly() {
    check_valid_vector("dual_tunnel_vector");
}

/// Sets `value` at the flattened `path` (`1.TunnelBgpConfig.LocalAsn`, 1-based indexes).
fn insert_flat(target: &mut Value, path: &[&str], value: &str) {
    let Some((seg, rest)) = path.split_first() else {
        *target = Value::String(value.to_owned());
        return;
    };
    if let Ok(i) = seg.parse::<usize>() {
        assert!(i >= 1, "flattened indexes are 1-based");
        if target.is_null() {
            *target = Value::Array(Vec::new());
        }
        let arr = target.as_array_mut().expect("array");
        while arr.len() < i {
            arr.push(Value::Null);
        }
        insert_flat(&mut arr[i - 1], rest, value);
    } else {
        if target.is_null() {
            *target = Value::Object(Map::new());
        }
        let obj = target.as_object_mut().expect("object");
        insert_flat(obj.entry(*seg).or_insert(Value::Null), rest, value);
    }
}

/// The request behind wire pairs: JSON-style parameters parsed as objects, flattened ones
/// rebuilt from their dotted keys, plain ones as strings (the request types read booleans and
/// numbers from strings too).
fn request_json_from_wire(op: &Value, pairs: &[(String, String)]) -> Value {
    let style = |name: &str| -> String {
        params(op)
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("wire key {name} is not a parameter"))["style"]
            .as_str()
            .unwrap_or("plain")
            .to_owned()
    };
    let mut obj = Value::Object(Map::new());
    for (k, v) in pairs {
        let mut parts = k.split('.');
        let head = parts.next().expect("key");
        let rest: Vec<&str> = parts.collect();
        let map = obj.as_object_mut().expect("object");
        match style(head).as_str() {
            "json" => {
                let parsed: Value = serde_json::from_str(v)
                    .unwrap_or_else(|e| panic!("{head} is not JSON ({e}): {v}"));
                map.insert(head.to_owned(), parsed);
            }
            "flat" | "repeat_list" => {
                insert_flat(map.entry(head).or_insert(Value::Null), &rest, v);
            }
            _ => {
                assert!(rest.is_empty(), "plain parameter with a dotted key {k}");
                map.insert(head.to_owned(), Value::String(v.clone()));
            }
        }
    }
    obj
}

#[test]
fn full_vector_breaks_exactly_its_rules_and_encodes_exactly() {
    let op = operation(OP);
    let vectors = signing_vectors();
    let v = &vectors["full_vector"];
    let url = v["url"].as_str().expect("url");
    let body = v["body"].as_str().expect("body");
    let query_pairs = url_query_pairs(url);
    let body_pairs = parse_pairs(body);
    let mut all = query_pairs.clone();
    all.extend(body_pairs.iter().cloned());
    let json = request_json_from_wire(&op, &all);
    let tunnels = json["TunnelOptionsSpecification"]
        .as_array()
        .expect("tunnels");
    assert_eq!(tunnels.len(), 2);
    assert!(
        tunnels.iter().all(Value::is_object),
        "a tunnel index is missing"
    );
    let req = request_from(json);

    // Reconstructed as typed values, not kept as text.
    let ike = req.ike_config.as_ref().expect("IkeConfig");
    assert_eq!(ike.ike_version, Some(IkeVersion::Ikev1));
    assert_eq!(ike.ike_lifetime, Some(86400));
    let t2 = &req.tunnel_options_specification.as_ref().unwrap()[1];
    assert_eq!(t2.role, Some(TunnelRole::Slave));
    assert_eq!(
        t2.tunnel_bgp_config.as_ref().and_then(|b| b.local_asn),
        Some(4_294_967_295)
    );
    assert_eq!(
        t2.tunnel_ipsec_config
            .as_ref()
            .and_then(|c| c.ipsec_enc_alg.clone()),
        Some(EncryptionAlgorithm::Des)
    );
    assert_eq!(req.owner_id, Some(1_234_567_890_123_456));
    assert_eq!(req.name.as_deref(), Some("name test 名称"));

    // Exactly what is wrong with it: single-tunnel and dual-tunnel parameters mixed, and IKEv1
    // (IkeConfig, and tunnel 2's TunnelIkeConfig) with two CIDR blocks on each side: rules we
    // inferred, so advisories, each at the field that brings it. Everything else in the vector
    // is within the documented rules (the tunnel-1 pre-shared key holds `"`, which the charset
    // allows; LocalAsn 4294967295 and IkeLifetime 0 are the range ends).
    let ikev1 = Some("ModifyIkeV1WithMultiRoutes.Invalid");
    assert_eq!(
        violation_keys(&req),
        vec![
            ("LocalSubnet".to_owned(), Rule::ForbiddenCombination, ikev1),
            ("RemoteSubnet".to_owned(), Rule::ForbiddenCombination, ikev1),
            (
                "TunnelOptionsSpecification".to_owned(),
                Rule::ExclusiveGroups,
                None
            ),
        ]
    );
    let found = req.validate().unwrap_err();
    assert!(!found.has_refusals(), "{found}");

    // With validation skipped, the encoding is the vector's.
    let json_params: Vec<String> = params(&op)
        .iter()
        .filter(|p| p["style"] == "json")
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(json_params.len(), 4, "{json_params:?}");
    let mut wire = req.to_wire();
    wire.sort();
    let compare = |got: Vec<(String, String)>, want: &[(String, String)], what: &str| {
        let got_keys: Vec<&str> = got.iter().map(|(k, _)| k.as_str()).collect();
        let want_keys: Vec<&str> = want.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(got_keys, want_keys, "{what} keys");
        for ((k, g), (_, w)) in got.iter().zip(want) {
            if json_params.contains(k) {
                let g: Value = serde_json::from_str(g).expect("sent JSON parses");
                let w: Value = serde_json::from_str(w).expect("vector JSON parses");
                assert_eq!(g, w, "{what} JSON parameter {k}");
            } else {
                assert_eq!(g, w, "{what} parameter {k}");
            }
        }
    };
    compare(wire.query.to_pairs(), &query_pairs, "query");
    compare(wire.body.to_pairs(), &body_pairs, "body");
    assert_eq!(wire.body.encoded(), body, "body bytes");
}

// ---------------------------------------------------------------------------------------------
// The page's sample success response
// ---------------------------------------------------------------------------------------------

fn sample_response_text() -> String {
    let path = repo_root().join("tests/data/modify_vpn_connection_attribute_response.json");
    std::fs::read_to_string(path).expect("sample response is readable")
}

#[test]
fn sample_success_response_decodes_every_field() {
    let text = sample_response_text();
    let r: Response = serde_json::from_str(&text).expect("sample response decodes");

    // Nothing dropped: writing it back gives the page's JSON (strings stay strings where the
    // service writes strings, numbers stay numbers).
    let original: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(serde_json::to_value(&r).unwrap(), original);

    assert_eq!(
        r.request_id.as_deref(),
        Some("7DB79D0C-5F27-4AB5-995B-79BE55102F90")
    );
    assert_eq!(
        r.vpn_connection_id.as_deref(),
        Some("vco-bp1bbi27hojx80nck****")
    );
    assert_eq!(
        r.vpn_gateway_id.as_deref(),
        Some("vpn-bp1q8bgx4xnkm2ogj****")
    );
    assert_eq!(
        r.customer_gateway_id.as_deref(),
        Some("cgw-p0w2jemrcj5u61un8****")
    );
    assert_eq!(r.name.as_deref(), Some("nametest"));
    assert_eq!(r.description.as_deref(), Some("description"));
    assert_eq!(r.local_subnet.as_deref(), Some("10.1.1.0/24,10.1.2.0/24"));
    assert_eq!(r.remote_subnet.as_deref(), Some("10.2.1.0/24,10.2.2.0/24"));
    assert_eq!(r.create_time, Some(1_492_753_817_000));
    assert_eq!(r.effect_immediately, Some(false));
    assert_eq!(r.enable_dpd, Some(true));
    assert_eq!(r.enable_nat_traversal, Some(true));
    assert_eq!(r.enable_tunnels_bgp, Some(true));
    assert_eq!(r.resource_group_id.as_deref(), Some("rg-acfmzs372yg****"));

    let ike = r.ike_config.as_ref().expect("IkeConfig");
    assert_eq!(ike.psk.as_deref(), Some("pgw6dy7d1i8i****"));
    assert_eq!(ike.ike_version, Some(IkeVersion::Ikev1));
    assert_eq!(ike.ike_mode, Some(IkeMode::Main));
    assert_eq!(ike.ike_enc_alg, Some(EncryptionAlgorithm::Aes));
    assert_eq!(ike.ike_auth_alg, Some(AuthenticationAlgorithm::Sha1));
    assert_eq!(ike.ike_pfs, Some(IkeDhGroup::Group2));
    assert_eq!(ike.ike_lifetime, Some(86400));
    assert_eq!(ike.local_id.as_deref(), Some("116.64.XX.XX"));
    assert_eq!(ike.remote_id.as_deref(), Some("139.18.XX.XX"));

    let ipsec = r.ipsec_config.as_ref().expect("IpsecConfig");
    assert_eq!(ipsec.ipsec_enc_alg, Some(EncryptionAlgorithm::Aes));
    assert_eq!(ipsec.ipsec_auth_alg, Some(AuthenticationAlgorithm::Sha1));
    assert_eq!(ipsec.ipsec_pfs, Some(IpsecPfs::Group2));
    assert_eq!(ipsec.ipsec_lifetime, Some(86400));

    let hc = r.vco_health_check.as_ref().expect("VcoHealthCheck");
    assert_eq!(hc.dip.as_deref(), Some("192.168.1.1"));
    assert_eq!(hc.sip.as_deref(), Some("10.1.1.1"));
    assert_eq!(hc.enable, Some(true), "\"true\" string becomes a boolean");
    assert_eq!(hc.interval, Some(3));
    assert_eq!(hc.retry, Some(3));

    let bgp = r.vpn_bgp_config.as_ref().expect("VpnBgpConfig");
    assert_eq!(bgp.status, Some(BgpStatus::Success));
    assert_eq!(bgp.peer_bgp_ip.as_deref(), Some("169.254.11.2"));
    assert_eq!(bgp.tunnel_cidr.as_deref(), Some("169.254.11.0/30"));
    assert_eq!(bgp.enable_bgp, Some(true));
    assert_eq!(bgp.local_bgp_ip.as_deref(), Some("169.254.11.1"));
    assert_eq!(bgp.peer_asn, Some(65531_i64));
    assert_eq!(bgp.local_asn, Some(65530_i64));

    let wrapper = r
        .tunnel_options_specification
        .as_ref()
        .expect("TunnelOptionsSpecification wrapper");
    let tunnels = wrapper.tunnel_options.as_ref().expect("TunnelOptions list");
    assert_eq!(tunnels.len(), 1);
    let t = &tunnels[0];
    assert_eq!(
        t.customer_gateway_id.as_deref(),
        Some("cgw-p0wy363lucf1uyae8****")
    );
    assert_eq!(t.enable_dpd, Some(true));
    assert_eq!(t.enable_nat_traversal, Some(true));
    assert_eq!(t.internet_ip.as_deref(), Some("47.21.XX.XX"));
    assert_eq!(
        t.remote_ca_certificate.as_deref(),
        Some("-----BEGIN CERTIFICATE----- MIIB7zCCAZW**** -----END CERTIFICATE-----")
    );
    assert_eq!(t.role, Some(TunnelRole::Master));
    assert_eq!(t.state, Some(TunnelState::Active));
    assert_eq!(t.tunnel_id.as_deref(), Some("tun-opsqc4d97wni27****"));
    assert_eq!(t.zone_no.as_deref(), Some("ap-southeast-5a"));
    let tb = t.tunnel_bgp_config.as_ref().expect("TunnelBgpConfig");
    assert_eq!(tb.local_asn, Some(65530_i64));
    assert_eq!(tb.local_bgp_ip.as_deref(), Some("169.254.10.1"));
    assert_eq!(tb.peer_asn, Some(65531_i64));
    assert_eq!(tb.peer_bgp_ip.as_deref(), Some("169.254.10.2"));
    assert_eq!(tb.tunnel_cidr.as_deref(), Some("169.254.10.0/30"));
    let ti = t.tunnel_ike_config.as_ref().expect("TunnelIkeConfig");
    assert_eq!(ti.ike_auth_alg, Some(AuthenticationAlgorithm::Sha1));
    assert_eq!(ti.ike_enc_alg, Some(EncryptionAlgorithm::Aes));
    assert_eq!(ti.ike_lifetime, Some(86400));
    assert_eq!(ti.ike_mode, Some(IkeMode::Main));
    assert_eq!(ti.ike_pfs, Some(IkeDhGroup::Group2));
    assert_eq!(ti.ike_version, Some(IkeVersion::Ikev1));
    assert_eq!(ti.local_id.as_deref(), Some("47.21.XX.XX"));
    assert_eq!(ti.psk.as_deref(), Some("123456****"));
    assert_eq!(ti.remote_id.as_deref(), Some("47.42.XX.XX"));
    let tp = t.tunnel_ipsec_config.as_ref().expect("TunnelIpsecConfig");
    assert_eq!(tp.ipsec_auth_alg, Some(AuthenticationAlgorithm::Sha1));
    assert_eq!(tp.ipsec_enc_alg, Some(EncryptionAlgorithm::Aes));
    assert_eq!(tp.ipsec_lifetime, Some(86400));
    assert_eq!(tp.ipsec_pfs, Some(IpsecPfs::Group2));

    for debug in [format!("{r:?}"), format!("{r:#?}")] {
        assert!(
            !debug.contains("pgw6dy7d1i8i"),
            "IkeConfig.Psk leaks: {debug}"
        );
        assert!(
            !debug.contains("123456****"),
            "TunnelIkeConfig.Psk leaks: {debug}"
        );
        assert!(debug.contains("vco-bp1bbi27hojx80nck****"), "{debug}");
    }
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

fn envelope(code: &str, message: &str, request_id: &str) -> String {
    json!({
        "RequestId": request_id,
        "HostId": HOST,
        "Code": code,
        "Message": message,
        "Recommend": format!("https://api.aliyun.com/troubleshoot?q={code}"),
    })
    .to_string()
}

fn parse_error(status: u16, body: &str) -> OpError {
    let meta = ServiceErrorMeta::from_response(status, body.as_bytes())
        .unwrap_or_else(|e| panic!("envelope does not parse: {e}"));
    OpError::from_meta(
        meta,
        &alicloud_vpc::operation::modify_vpn_connection_attribute::META,
    )
}

/// The product-level code of an error the operation documents.
fn variant(e: &OpError) -> ErrorCode {
    e.kind()
        .unwrap_or_else(|| panic!("{} is not a code of the product", e.code()))
}

#[test]
fn every_documented_error_code_parses_to_its_own_variant() {
    let op = operation(OP);
    let errors = op["errors"].as_array().expect("errors");
    assert!(
        errors.len() >= 38,
        "only {} documented errors",
        errors.len()
    );
    let mut variants: Vec<(String, ErrorCode)> = Vec::new();
    for (i, err) in errors.iter().enumerate() {
        let status = u16::try_from(err["status"].as_u64().expect("status")).unwrap();
        let code = err["code"].as_str().expect("code");
        let message = err["message"].as_str().expect("message");
        // Unstated: as for an undocumented code, throttling and 5xx are retried.
        let retryable = err["retryable"]
            .as_bool()
            .unwrap_or(status >= 500 || code.starts_with("Throttling"));
        let request_id = format!("REQ-{i:04}-{code}");
        let e = parse_error(status, &envelope(code, message, &request_id));
        assert!(e.is_documented(), "{code} is not documented");
        assert_eq!(variant(&e).as_str(), code);
        assert_eq!(e.code(), code);
        assert_eq!(e.message(), message);
        assert_eq!(e.request_id(), Some(request_id.as_str()));
        assert_eq!(e.http_status(), status);
        assert_eq!(e.is_retryable(), retryable, "{code} retryable");
        assert_eq!(e.meta().host_id.as_deref(), Some(HOST));
        assert!(e.meta().recommend.as_deref().unwrap().ends_with(code));
        let shown = e.to_string();
        for part in [code, message, request_id.as_str()] {
            assert!(shown.contains(part), "Display {shown:?} lacks {part:?}");
        }
        variants.push((code.to_owned(), variant(&e)));
    }
    // One variant per code: the same code (under several statuses) maps to one variant, two
    // codes never share one.
    for (c1, v1) in &variants {
        for (c2, v2) in &variants {
            assert_eq!(c1 == c2, v1 == v2, "{c1} -> {v1}, {c2} -> {v2}");
        }
    }
    let e = parse_error(
        400,
        &envelope(
            "VpnGateway.Configuring",
            "The specified service is configuring.",
            "R",
        ),
    );
    assert_eq!(e.kind(), Some(ErrorCode::VpnGatewayConfiguring));
    let e = parse_error(
        400,
        &envelope("VpnTask.CONFLICT", "Vpn task has conflict.", "R"),
    );
    assert!(e.kind() == Some(ErrorCode::VpnTaskConflict) && e.is_retryable());
    let e = parse_error(
        400,
        &envelope("ModifyIkeV1WithMultiRoutes.Invalid", "Failed.", "R"),
    );
    assert_eq!(e.kind(), Some(ErrorCode::ModifyIkeV1WithMultiRoutesInvalid));
}

#[test]
fn unknown_codes_are_kept_as_text() {
    let e = parse_error(400, &envelope("Some.NewCode", "Something new.", "R-1"));
    assert!(e.kind().is_none() && !e.is_documented(), "{e:?}");
    assert_eq!(e.code(), "Some.NewCode");
    assert_eq!(e.message(), "Something new.");
    assert_eq!(e.request_id(), Some("R-1"));
    assert_eq!(e.http_status(), 400);
    assert!(!e.is_retryable());
    assert!(e.to_string().contains("Some.NewCode"));
    // Undocumented but retryable by nature: throttling and server errors.
    let e = parse_error(
        400,
        &envelope("Throttling.User", "Request was denied.", "R-2"),
    );
    assert!(!e.is_documented() && e.is_retryable());
    let e = parse_error(503, &envelope("ServiceUnavailable", "Try later.", "R-3"));
    assert!(!e.is_documented() && e.is_retryable());
    // A code another operation of the product documents: known to the product's enum, but not
    // documented for this operation.
    let e = parse_error(
        404,
        &envelope("InvalidVpcId.NotFound", "No such VPC.", "R-4"),
    );
    assert_eq!(e.kind(), Some(ErrorCode::InvalidVpcIdNotFound));
    assert!(!e.is_documented() && !e.is_retryable());
}

#[test]
fn route_conflict_with_ipsec_server_keeps_each_status() {
    let code = "OperationFailed.RouteConflictWithIPsecServer";
    let e400 = parse_error(
        400,
        &envelope(code, "conflicts with the client IP pool", "A"),
    );
    let e500 = parse_error(500, &envelope(code, "conflicts with IPsec server", "B"));
    assert_eq!(
        e400.kind(),
        Some(ErrorCode::OperationFailedRouteConflictWithIpsecServer)
    );
    assert_eq!(e500.kind(), e400.kind());
    assert_eq!(e400.http_status(), 400);
    assert_eq!(e500.http_status(), 500);
    assert_eq!(e400.message(), "conflicts with the client IP pool");
    assert_eq!(e500.message(), "conflicts with IPsec server");
    assert_eq!(e400.request_id(), Some("A"));
    assert_eq!(e500.request_id(), Some("B"));
}

// ---------------------------------------------------------------------------------------------
// The whole client path, over an in-memory transport
// ---------------------------------------------------------------------------------------------

fn client(transport: &InMemoryTransport, max_attempts: u32) -> Client {
    let config = Config::new(
        Credentials::new("testAccessKeyId", "testAccessKeySecret"),
        transport.clone(),
    )
    .with_endpoint(HOST)
    .with_retry(RetryConfig {
        max_attempts,
        initial_backoff: Duration::ZERO,
        max_backoff: Duration::ZERO,
    });
    Client::new(config)
}

fn header<'a>(req: &'a http::Request<Vec<u8>>, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

fn is_uuid_v4(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                c == '-'
            } else {
                c.is_ascii_digit() || ('a'..='f').contains(&c)
            }
        })
        && s.as_bytes()[14] == b'4'
}

/// A builder of the client holding every field of `req` (a round trip through the setters).
fn send_builder(
    client: &Client,
    req: &Request,
) -> alicloud_vpc::operation::modify_vpn_connection_attribute::ModifyVpnConnectionAttributeRequestBuilder<Client>{
    client
        .modify_vpn_connection_attribute()
        .set_region_id(req.region_id.clone())
        .set_vpn_connection_id(req.vpn_connection_id.clone())
        .set_client_token(req.client_token.clone())
        .set_name(req.name.clone())
        .set_local_subnet(req.local_subnet.clone())
        .set_remote_subnet(req.remote_subnet.clone())
        .set_effect_immediately(req.effect_immediately)
        .set_auto_config_route(req.auto_config_route)
        .set_ike_config(req.ike_config.clone())
        .set_ipsec_config(req.ipsec_config.clone())
        .set_health_check_config(req.health_check_config.clone())
        .set_enable_dpd(req.enable_dpd)
        .set_enable_nat_traversal(req.enable_nat_traversal)
        .set_bgp_config(req.bgp_config.clone())
        .set_remote_ca_certificate(req.remote_ca_certificate.clone())
        .set_tunnel_options_specification(req.tunnel_options_specification.clone())
        .set_enable_tunnels_bgp(req.enable_tunnels_bgp)
}

#[tokio::test]
async fn dual_tunnel_call_sends_the_vector_bytes_and_decodes_the_answer() {
    let vectors = signing_vectors();
    let v = &vectors["dual_tunnel_vector"];
    let req = request_from(v["request"].clone());
    let transport = InMemoryTransport::always(200, sample_response_text());
    let client = client(&transport, 1);
    let resp = send_builder(&client, &req)
        .send()
        .await
        .expect("call succeeds");
    let want: Response = serde_json::from_str(&sample_response_text()).unwrap();
    assert_eq!(resp, want);

    let sent = transport.requests();
    assert_eq!(sent.len(), 1);
    let http = &sent[0];
    assert_eq!(http.method(), http::Method::POST);
    assert_eq!(http.uri().to_string(), v["url"].as_str().unwrap());
    assert_eq!(
        String::from_utf8(http.body().clone()).unwrap(),
        v["body"].as_str().unwrap()
    );
    let vh = &v["headers"];
    for name in [
        "host",
        "x-acs-action",
        "x-acs-version",
        "x-acs-content-sha256",
        "content-type",
    ] {
        assert_eq!(header(http, name), vh[name].as_str(), "header {name}");
    }
    let auth = header(http, "authorization").expect("signed");
    assert!(
        auth.starts_with(
            "ACS3-HMAC-SHA256 Credential=testAccessKeyId,SignedHeaders=content-type;host;"
        ),
        "{auth}"
    );
}

#[tokio::test]
async fn single_tunnel_call_fills_the_client_token_with_a_uuid() {
    let vectors = signing_vectors();
    let v = &vectors["single_tunnel_vector"];
    let mut req = request_from(v["request"].clone());
    req.client_token = None;
    let transport = InMemoryTransport::always(200, sample_response_text());
    let client = client(&transport, 1);
    let resp = send_builder(&client, &req)
        .send()
        .await
        .expect("call succeeds");
    assert_eq!(
        resp.request_id.as_deref(),
        Some("7DB79D0C-5F27-4AB5-995B-79BE55102F90")
    );

    let sent = transport.requests();
    assert_eq!(sent.len(), 1);
    let http = &sent[0];
    let query = http.uri().query().expect("query");
    let token = parse_pairs(query)
        .into_iter()
        .find(|(k, _)| k == "ClientToken")
        .map(|(_, v)| v)
        .expect("ClientToken sent");
    assert!(is_uuid_v4(&token), "{token} is not a UUID v4");
    // Exactly the vector's query, with the generated token in place of the vector's.
    let mut want = ParamList::new();
    for (k, val) in url_query_pairs(v["url"].as_str().unwrap()) {
        want.push_raw(&k, if k == "ClientToken" { &token } else { &val });
    }
    want.sort();
    assert_eq!(query, want.encoded());
    assert!(
        http.body().is_empty(),
        "single-tunnel parameters all travel in the query"
    );
    assert_eq!(header(http, "content-type"), None);
    assert_eq!(
        header(http, "x-acs-content-sha256"),
        v["headers"]["x-acs-content-sha256"].as_str()
    );
    assert_eq!(header(http, "host"), Some(HOST));
}

fn configuring_body() -> String {
    envelope(
        "VpnGateway.Configuring",
        "The specified service is configuring.",
        "4A1E6A1B-0000-4000-8000-000000000001",
    )
}

fn minimal(client: &Client) -> alicloud_vpc::operation::modify_vpn_connection_attribute::ModifyVpnConnectionAttributeRequestBuilder<Client>{
    client
        .modify_vpn_connection_attribute()
        .region_id("cn-shanghai")
        .vpn_connection_id("vco-bp1bbi27hojx80nck****")
}

#[tokio::test]
async fn a_service_error_becomes_its_typed_variant() {
    let transport = InMemoryTransport::always(400, configuring_body());
    let client = client(&transport, 1);
    let err = minimal(&client).name("nametest").send().await.unwrap_err();
    match &err {
        SdkError::Service(e) if e.kind() == Some(ErrorCode::VpnGatewayConfiguring) => {
            let meta = e.meta();
            assert_eq!(meta.status, 400);
            assert_eq!(meta.code, "VpnGateway.Configuring");
            assert_eq!(
                meta.request_id.as_deref(),
                Some("4A1E6A1B-0000-4000-8000-000000000001")
            );
        }
        other => panic!("expected VpnGatewayConfiguring, got {other:?}"),
    }
    assert!(err.as_service().unwrap().is_retryable());
    assert!(err.to_string().contains("VpnGateway.Configuring"), "{err}");
    assert_eq!(transport.requests().len(), 1, "max_attempts 1: no retry");
}

#[tokio::test]
async fn a_retryable_error_is_retried_with_the_same_token_and_a_final_one_is_not() {
    let transport = InMemoryTransport::always(400, configuring_body());
    let client = client(&transport, 3);
    let err = minimal(&client).send().await.unwrap_err();
    assert_eq!(
        err.as_service().and_then(OpError::kind),
        Some(ErrorCode::VpnGatewayConfiguring)
    );
    let sent = transport.requests();
    assert_eq!(sent.len(), 3, "retried up to max_attempts");
    let tokens: Vec<String> = sent
        .iter()
        .map(|r| {
            parse_pairs(r.uri().query().unwrap())
                .into_iter()
                .find(|(k, _)| k == "ClientToken")
                .map(|(_, v)| v)
                .expect("token")
        })
        .collect();
    assert!(
        tokens.iter().all(|t| t == &tokens[0] && is_uuid_v4(t)),
        "{tokens:?}"
    );

    let transport =
        InMemoryTransport::always(400, envelope("InvalidName", "The name is not valid", "R-9"));
    let client = self::client(&transport, 3);
    let err = minimal(&client).name("x").send().await.unwrap_err();
    assert!(
        err.as_service().and_then(OpError::kind) == Some(ErrorCode::InvalidName),
        "{err:?}"
    );
    assert_eq!(
        transport.requests().len(),
        1,
        "a final error is not retried"
    );
}

/// A transport answering `first` (status, body) once, then success.
fn fails_once(status: u16, body: String) -> InMemoryTransport {
    let calls = std::sync::atomic::AtomicUsize::new(0);
    InMemoryTransport::new(move |_| {
        Ok(
            if calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                json_response(status, &body)
            } else {
                json_response(200, r#"{"RequestId":"R-OK"}"#)
            },
        )
    })
}

/// The documented status of `code` for an imported operation, from its generated `META` and
/// its spec (the imported files say nothing about retryability).
fn documented_status(op: &str, meta: &alicloud_runtime::OperationMeta, code: &str) -> u16 {
    let info = meta.errors.iter().find(|i| i.code == code);
    assert_eq!(
        info.map(|i| i.retryable),
        Some(None),
        "{op} documents {code} without saying whether it is retryable"
    );
    let status = operation(op)["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == code)
        .and_then(|e| e["status"].as_u64())
        .unwrap();
    u16::try_from(status).unwrap()
}

#[tokio::test]
async fn a_documented_internal_error_of_an_imported_operation_is_retried() {
    use alicloud_vpc::operation::{create_vpc, describe_vpcs};
    let status = documented_status("DescribeVpcs", &describe_vpcs::META, "InternalError");
    assert_eq!(status, 500);
    let body = envelope(
        "InternalError",
        "The request processing has failed due to some unknown error.",
        "R-500",
    );
    let transport = fails_once(status, body.clone());
    let client = client(&transport, 3);
    let resp = client
        .describe_vpcs()
        .region_id("cn-shanghai")
        .send()
        .await
        .expect("retried after the documented 500");
    assert_eq!(resp.request_id.as_deref(), Some("R-OK"));
    assert_eq!(transport.requests().len(), 2);
    // Documented, and retryable by its status.
    let e = describe_vpcs::DescribeVpcsError::from_meta(
        ServiceErrorMeta::from_response(status, body.as_bytes()).unwrap(),
        &describe_vpcs::META,
    );
    assert!(e.is_documented() && e.is_retryable(), "{e:?}");
    assert_eq!(e.kind(), Some(ErrorCode::InternalError));

    // An operation with an idempotency token sends the same one on the retry.
    assert_eq!(create_vpc::META.idempotency_token, Some("ClientToken"));
    let status = documented_status("CreateVpc", &create_vpc::META, "InternalError");
    let transport = fails_once(status, body);
    let client = self::client(&transport, 3);
    client
        .create_vpc()
        .region_id("cn-shanghai")
        .send()
        .await
        .expect("retried after the documented 500");
    let tokens: Vec<String> = transport
        .requests()
        .iter()
        .map(|r| {
            parse_pairs(r.uri().query().unwrap())
                .into_iter()
                .find(|(k, _)| k == "ClientToken")
                .map(|(_, v)| v)
                .expect("token")
        })
        .collect();
    assert_eq!(tokens.len(), 2);
    assert!(
        tokens[0] == tokens[1] && is_uuid_v4(&tokens[0]),
        "{tokens:?}"
    );
}

#[test]
fn only_a_curated_spec_marks_a_server_error_not_retryable() {
    // The importer never states retryability: a documented 5xx is retried like an undocumented
    // one unless someone who knows says otherwise in a hand-curated file or an overlay.
    let mut stated_false = Vec::new();
    for f in spec_sources()
        .into_iter()
        .filter(|f| f.path.starts_with("spec/vpc/"))
    {
        let v: Value = serde_json::from_str(&f.text).unwrap();
        for op in v["operations"].as_array().cloned().unwrap_or_default() {
            for e in op["errors"].as_array().cloned().unwrap_or_default() {
                if f.path.starts_with("spec/vpc/imported/") {
                    assert!(e.get("retryable").is_none(), "{}: {e}", f.path);
                } else if e["status"].as_u64() >= Some(500) && e["retryable"] == false {
                    stated_false.push(format!("{} {}", op["name"], e["code"]));
                }
            }
        }
    }
    // The one curated exception: a route conflict does not clear by itself.
    assert_eq!(
        stated_false,
        [r#""ModifyVpnConnectionAttribute" "OperationFailed.RouteConflictWithIPsecServer""#]
    );
}

#[tokio::test]
async fn a_request_breaking_a_rule_is_refused_before_sending_unless_skipped() {
    let transport = InMemoryTransport::always(200, r#"{"RequestId":"R-OK"}"#);
    let client = client(&transport, 1);
    let err = minimal(&client)
        .name("https://bad.example.com")
        .send()
        .await
        .unwrap_err();
    let SdkError::Validation(vs) = &err else {
        panic!("expected a validation error, got {err:?}");
    };
    assert_eq!(vs.len(), 1, "{vs}");
    assert_eq!(vs.0[0].path, "Name");
    assert_eq!(vs.0[0].rule, Rule::ForbiddenPrefix);
    assert_eq!(vs.0[0].error_code, Some("InvalidName"));
    assert!(transport.requests().is_empty(), "nothing is sent");

    let resp = minimal(&client)
        .name("https://bad.example.com")
        .skip_validation()
        .send()
        .await
        .expect("sent without validation");
    assert_eq!(resp.request_id.as_deref(), Some("R-OK"));
    let sent = transport.requests();
    assert_eq!(sent.len(), 1);
    let pairs = parse_pairs(sent[0].uri().query().unwrap());
    assert!(pairs.contains(&("Name".to_owned(), "https://bad.example.com".to_owned())));
}

#[tokio::test]
async fn a_missing_required_field_is_a_build_error_and_nothing_is_sent() {
    let transport = InMemoryTransport::always(200, r#"{"RequestId":"R"}"#);
    let client = client(&transport, 1);
    let err = client
        .modify_vpn_connection_attribute()
        .vpn_connection_id("vco-bp1bbi27hojx80nck****")
        .send()
        .await
        .unwrap_err();
    match &err {
        SdkError::Build(b) => assert_eq!(b.field, "RegionId"),
        other => panic!("expected a build error, got {other:?}"),
    }
    assert!(err.to_string().contains("RegionId"), "{err}");
    let err = client
        .modify_vpn_connection_attribute()
        .region_id("cn-shanghai")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, SdkError::Build(b) if b.field == "VpnConnectionId"),
        "{err:?}"
    );
    assert!(transport.requests().is_empty());
    // The same through the plain builder.
    let e = Request::builder()
        .vpn_connection_id("v")
        .build()
        .unwrap_err();
    assert_eq!(e.field, "RegionId");
}

#[tokio::test]
async fn a_success_status_with_a_non_json_body_is_an_invalid_response() {
    let transport = InMemoryTransport::new(|_| Ok(json_response(200, "<html>gateway page</html>")));
    let client = client(&transport, 1);
    let err = minimal(&client).send().await.unwrap_err();
    match &err {
        SdkError::InvalidResponse(e) => {
            assert_eq!(e.status, 200);
            assert!(e.excerpt.contains("<html>gateway page"), "{e}");
        }
        other => panic!("expected InvalidResponse, got {other:?}"),
    }
    assert_eq!(transport.requests().len(), 1);
}

#[tokio::test]
async fn describe_vpn_gateway_round_trip() {
    let op = operation("DescribeVpnGateway");
    // A success body made of the spec's response examples.
    let body: Map<String, Value> = op["response"]
        .as_array()
        .expect("response fields")
        .iter()
        .filter(|f| !f["example"].is_null())
        .map(|f| (f["name"].as_str().unwrap().to_owned(), f["example"].clone()))
        .collect();
    let body = Value::Object(body);
    let transport = InMemoryTransport::always(200, body.to_string());
    // No explicit endpoint: the host comes from the product's rule and the request's region.
    let client = Client::new(Config::new(
        Credentials::new("testAccessKeyId", "testAccessKeySecret"),
        transport.clone(),
    ));
    let resp = client
        .describe_vpn_gateway()
        .region_id("cn-zhangjiakou")
        .vpn_gateway_id("vpn-bp1r3v1xqkl0w519g****")
        .include_reservation_data(true)
        .send()
        .await
        .expect("call succeeds");
    assert_eq!(
        serde_json::to_value(&resp).unwrap(),
        body,
        "every field kept"
    );
    assert_eq!(
        resp.request_id.as_deref(),
        Some("27E4E088-8DE0-4672-BF5C-0A412389DB9E")
    );
    assert_eq!(resp.status, Some(VpnGatewayStatus::Init));
    assert_eq!(resp.enable_bgp, Some(true));
    assert_eq!(resp.create_time, Some(1_495_382_400_000));
    assert_eq!(resp.ssl_max_connections, Some(5));
    let tags = resp
        .tags
        .as_ref()
        .and_then(|t| t.tag.as_ref())
        .expect("tags");
    assert_eq!(tags[0].key.as_deref(), Some("aaa"));
    assert_eq!(
        resp.eni_instance_ids
            .as_ref()
            .and_then(|e| e.eni_instance_id.clone()),
        Some(vec!["eni-7xvcxgmd4y2ypibn****".to_owned()])
    );

    let sent = transport.requests();
    assert_eq!(sent.len(), 1);
    let http = &sent[0];
    assert_eq!(
        http.uri().to_string(),
        "https://vpc.cn-zhangjiakou.aliyuncs.com/?IncludeReservationData=true&RegionId=cn-zhangjiakou&VpnGatewayId=vpn-bp1r3v1xqkl0w519g%2A%2A%2A%2A"
    );
    assert_eq!(header(http, "x-acs-action"), Some("DescribeVpnGateway"));
    assert_eq!(header(http, "x-acs-version"), Some("2016-04-28"));
    assert!(http.body().is_empty());

    // Its documented error.
    let transport = InMemoryTransport::always(
        404,
        json!({"RequestId":"R-404","Code":"InvalidVpnGatewayInstanceId.NotFound","Message":"The specified vpn gateway instance id does not exist."}).to_string(),
    );
    let client = Client::new(
        Config::new(Credentials::new("id", "secret"), transport.clone()).with_endpoint(HOST),
    );
    let err = client
        .describe_vpn_gateway()
        .region_id("cn-shanghai")
        .vpn_gateway_id("vpn-x")
        .send()
        .await
        .unwrap_err();
    match &err {
        SdkError::Service(e)
            if e.kind() == Some(ErrorCode::InvalidVpnGatewayInstanceIdNotFound) =>
        {
            let e: &DescribeVpnGatewayError = e;
            assert_eq!(e.http_status(), 404);
            assert_eq!(e.request_id(), Some("R-404"));
        }
        other => panic!("expected InvalidVpnGatewayInstanceIdNotFound, got {other:?}"),
    }
    assert_eq!(transport.requests().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------------------------

#[test]
fn enums_parse_known_values_and_keep_unknown_ones() {
    let sm4: EncryptionAlgorithm = "sm4".parse().unwrap();
    assert_eq!(sm4, EncryptionAlgorithm::Sm4);
    assert_eq!(
        "3des".parse::<EncryptionAlgorithm>().unwrap(),
        EncryptionAlgorithm::TripleDes
    );

    let unknown: EncryptionAlgorithm = "aes512".parse().unwrap();
    match &unknown {
        EncryptionAlgorithm::Unknown(v) => assert_eq!(v.as_str(), "aes512"),
        other => panic!("expected Unknown, got {other:?}"),
    }
    assert_eq!(unknown.as_str(), "aes512");
    assert_eq!(unknown.to_string(), "aes512");
    let text = serde_json::to_string(&unknown).unwrap();
    assert_eq!(text, "\"aes512\"");
    let back: EncryptionAlgorithm = serde_json::from_str(&text).unwrap();
    assert_eq!(back, unknown);
    let known: EncryptionAlgorithm = serde_json::from_str("\"sm4\"").unwrap();
    assert_eq!(known, EncryptionAlgorithm::Sm4);
    assert_eq!(serde_json::to_string(&known).unwrap(), "\"sm4\"");

    // VALUES lists exactly the spec's values, each parsing to a known variant.
    let shapes = shapes();
    let spec_values = |name: &str| -> Vec<String> {
        shapes[name]["values"]
            .as_array()
            .expect("enum values")
            .iter()
            .map(|v| v["value"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        EncryptionAlgorithm::VALUES,
        spec_values("EncryptionAlgorithm")
    );
    assert_eq!(
        EncryptionAlgorithm::VALUES,
        ["aes", "aes192", "aes256", "des", "3des", "sm4"]
    );
    for &v in EncryptionAlgorithm::VALUES {
        let e: EncryptionAlgorithm = v.parse().unwrap();
        assert!(!matches!(e, EncryptionAlgorithm::Unknown(_)), "{v}");
        assert_eq!(e.as_str(), v);
        assert_eq!(e.to_string(), v);
    }
    assert_eq!(
        AuthenticationAlgorithm::VALUES,
        spec_values("AuthenticationAlgorithm")
    );
    assert_eq!(IkeVersion::VALUES, spec_values("IkeVersion"));
    assert_eq!(IkeMode::VALUES, spec_values("IkeMode"));
    assert_eq!(IkeDhGroup::VALUES, spec_values("IkeDhGroup"));
    assert_eq!(IpsecPfs::VALUES, spec_values("IpsecPfs"));
    assert_eq!(TunnelRole::VALUES, spec_values("TunnelRole"));
    assert_eq!(TunnelState::VALUES, spec_values("TunnelState"));
    assert_eq!(BgpStatus::VALUES, spec_values("BgpStatus"));
    assert_eq!(VpnGatewayStatus::VALUES, spec_values("VpnGatewayStatus"));
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

const IKE_KEY: &str = "IkeSecretKey-7731";
const TUNNEL_KEY: &str = "TunnelSecretKey-9907";

#[test]
fn debug_of_requests_never_shows_pre_shared_keys() {
    let req = Request::builder()
        .region_id("cn-shanghai")
        .vpn_connection_id("vco-bp1bbi27hojx80nck****")
        .ike_config(
            IkeConfig::builder()
                .psk(IKE_KEY)
                .ike_version("ikev2")
                .build(),
        )
        .tunnel_options_specification(vec![TunnelOptions::builder()
            .role("master")
            .tunnel_ike_config(TunnelIkeConfig::builder().psk(TUNNEL_KEY).build())
            .build()]);
    let builder_debug = format!("{req:?}");
    let req = req.build().unwrap();
    let ike = req.ike_config.clone().unwrap();
    let tunnel = req.tunnel_options_specification.clone().unwrap()[0].clone();
    for debug in [
        builder_debug,
        format!("{req:?}"),
        format!("{req:#?}"),
        format!("{ike:?}"),
        format!("{tunnel:?}"),
        format!("{:?}", req.to_wire()),
    ] {
        assert!(!debug.contains(IKE_KEY), "IkeConfig.Psk leaks: {debug}");
        assert!(
            !debug.contains(TUNNEL_KEY),
            "TunnelIkeConfig.Psk leaks: {debug}"
        );
    }
    let debug = format!("{req:?}");
    assert!(
        debug.contains(alicloud_runtime::validate::REDACTED),
        "{debug}"
    );
    assert!(debug.contains("vco-bp1bbi27hojx80nck****"), "{debug}");
    // The keys are still sent (in the IkeConfig JSON and the flattened tunnel body).
    let wire = req.to_wire();
    assert!(wire.query.get("IkeConfig").unwrap().contains(IKE_KEY));
    assert_eq!(
        wire.body
            .get("TunnelOptionsSpecification.1.TunnelIkeConfig.Psk")
            .as_deref(),
        Some(TUNNEL_KEY)
    );
}

#[test]
fn violations_on_a_pre_shared_key_show_it_redacted() {
    let bad_ike = format!("{IKE_KEY} with spaces");
    let bad_tunnel = format!("{TUNNEL_KEY} with spaces");
    let single = Request::builder()
        .region_id("cn-shanghai")
        .vpn_connection_id("vco-1")
        .ike_config(IkeConfig::builder().psk(bad_ike.as_str()).build())
        .build()
        .unwrap();
    let dual = Request::builder()
        .region_id("cn-shanghai")
        .vpn_connection_id("vco-1")
        .tunnel_options_specification(vec![TunnelOptions::builder()
            .tunnel_ike_config(TunnelIkeConfig::builder().psk(bad_tunnel.as_str()).build())
            .build()])
        .build()
        .unwrap();
    for (req, path, key) in [
        (&single, "IkeConfig.Psk", bad_ike.as_str()),
        (
            &dual,
            "TunnelOptionsSpecification[0].TunnelIkeConfig.Psk",
            bad_tunnel.as_str(),
        ),
    ] {
        let vs = req.validate().unwrap_err();
        assert_eq!(vs.len(), 1, "{vs}");
        let v = &vs.0[0];
        assert_eq!(v.path, path);
        assert_eq!(v.rule, Rule::Charset);
        assert_eq!(
            v.value.as_deref(),
            Some(alicloud_runtime::validate::REDACTED)
        );
        assert_eq!(alicloud_runtime::validate::REDACTED, "<redacted>");
        for shown in [vs.to_string(), format!("{vs:?}"), v.message.clone()] {
            assert!(!shown.contains(key), "{path} leaks: {shown}");
            assert!(!shown.contains("SecretKey"), "{path} leaks: {shown}");
        }
    }
}
