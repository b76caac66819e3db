//! Seed conformance: the facts of the `ModifyVpnConnectionAttribute` API page, written down in
//! `tests/data/modify_vpn_connection_attribute_seed.json` (every request parameter's wire
//! name, type and required flag, with its example; the error table; the sample response and its
//! keys; which parameters each connection mode takes), compared with the hand-curated spec and
//! with the generated `alicloud-vpc` crate. The page's own example values, put together in one
//! single-tunnel and one dual-tunnel request, must pass validation with no refusal: a rule the
//! page contradicts can only be an advisory.

use std::collections::{BTreeMap, BTreeSet};

use alicloud_runtime::client::ToWire;
use alicloud_runtime::decode::decode_request;
use alicloud_runtime::transport::InMemoryTransport;
use alicloud_runtime::{Rule, Severity, Validation, Violations};
use alicloud_tests::{repo_root, spec_sources};
use alicloud_vpc::operation::modify_vpn_connection_attribute::{
    ModifyVpnConnectionAttributeError as OpError, ModifyVpnConnectionAttributeRequest as Request,
    ModifyVpnConnectionAttributeResponse as Response, META,
};
use alicloud_vpc::{Client, Config, Credentials, SdkError};
use serde_json::{Map, Value};

const OP: &str = "ModifyVpnConnectionAttribute";
const IKEV1_MULTI: &str = "ModifyIkeV1WithMultiRoutes.Invalid";

/// `(path, rule, service code)` of each violation.
type Found = Vec<(String, Rule, Option<&'static str>)>;

/// A spec parameter's type, style and required flag, by path.
type SpecParameters = BTreeMap<String, (String, String, bool)>;

/// Parameters the spec has and the page does not list, with where they come from.
const NOT_ON_THE_PAGE: &[(&str, &str)] = &[
    ("OwnerAccount", "SDK-only common parameter"),
    ("OwnerId", "SDK-only common parameter"),
    ("ResourceOwnerAccount", "SDK-only common parameter"),
    ("ResourceOwnerId", "SDK-only common parameter"),
    (
        "TunnelOptionsSpecification[].CustomerGatewayId",
        "in Alibaba's metadata, not in the page's table",
    ),
];

fn seed() -> Value {
    let path = repo_root().join("tests/data/modify_vpn_connection_attribute_seed.json");
    let text = std::fs::read_to_string(&path).expect("the seed table is readable");
    serde_json::from_str(&text).expect("the seed table is JSON")
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is not a string in {v}"))
}

/// The operation and every named shape of the Vpc product, as the spec files write them.
fn spec() -> (Value, Map<String, Value>) {
    let mut op = None;
    let mut shapes = Map::new();
    for f in spec_sources()
        .into_iter()
        .filter(|f| f.path.starts_with("spec/vpc/") && !f.path.contains("/imported/"))
    {
        let v: Value = serde_json::from_str(&f.text).expect("spec files are JSON");
        if let Some(map) = v["shapes"].as_object() {
            shapes.extend(map.clone());
        }
        for o in v["operations"].as_array().into_iter().flatten() {
            if o["name"] == OP {
                op = Some(o.clone());
            }
        }
    }
    (
        op.expect("the hand-curated spec declares the operation"),
        shapes,
    )
}

/// Every parameter of the spec, by path (`Outer[].Inner.Field`), with its type, style and
/// required flag; the fields of objects inside `json` parameters are not parameters the page
/// lists, so they are left out.
fn spec_parameters(
    op: &Value,
    shapes: &Map<String, Value>,
) -> BTreeMap<String, (String, String, bool)> {
    fn walk(prefix: &str, fields: &[Value], shapes: &Map<String, Value>, out: &mut SpecParameters) {
        for f in fields {
            let name = text(f, "name");
            let ty = text(f, "type").to_owned();
            let style = f["style"].as_str().unwrap_or("plain").to_owned();
            let path = format!("{prefix}{name}");
            out.insert(
                path.clone(),
                (ty.clone(), style.clone(), f["required"] == true),
            );
            if style == "json" {
                continue;
            }
            let (inner, list) = match ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
                Some(t) => (t.to_owned(), true),
                None => (ty, false),
            };
            if let Some(sub) = shapes.get(&inner).filter(|s| s["kind"] == "object") {
                let fields = sub["fields"].as_array().cloned().unwrap_or_default();
                let prefix = format!("{path}{}.", if list { "[]" } else { "" });
                walk(&prefix, &fields, shapes, out);
            }
        }
    }
    let mut out = BTreeMap::new();
    let params = op["parameters"].as_array().cloned().unwrap_or_default();
    walk("", &params, shapes, &mut out);
    out
}

/// Whether the spec's type says what the page's type says.
fn same_type(page: &str, spec: &str, style: &str, shapes: &Map<String, Value>) -> bool {
    let kind = |t: &str| shapes.get(t).map(|s| text(s, "kind").to_owned());
    match page {
        // A JSON parameter travels as a string; an enum is a string with known values.
        "string" => {
            spec == "string"
                || kind(spec).as_deref() == Some("enum")
                || (style == "json" && kind(spec).as_deref() == Some("object"))
        }
        "boolean" => spec == "boolean",
        "long" => spec == "int64",
        "integer" => spec == "int32",
        "object" => kind(spec).as_deref() == Some("object"),
        "array<object>" => spec
            .strip_prefix("list<")
            .and_then(|t| t.strip_suffix('>'))
            .is_some_and(|t| kind(t).as_deref() == Some("object")),
        _ => false,
    }
}

#[test]
fn every_page_parameter_is_in_the_spec_with_its_type_and_required_flag() {
    let seed = seed();
    let (op, shapes) = spec();
    let spec = spec_parameters(&op, &shapes);
    let mut page = BTreeSet::new();
    for p in seed["parameters"].as_array().expect("parameters") {
        let path = text(p, "path");
        page.insert(path.to_owned());
        let (ty, style, required) = spec
            .get(path)
            .unwrap_or_else(|| panic!("{path} is on the page, not in the spec"));
        assert!(
            same_type(text(p, "type"), ty, style, &shapes),
            "{path}: the page says {}, the spec {ty} ({style})",
            p["type"]
        );
        assert_eq!(Some(*required), p["required"].as_bool(), "{path}: required");
    }
    let extra: BTreeSet<&str> = spec
        .keys()
        .filter(|k| !page.contains(*k))
        .map(String::as_str)
        .collect();
    let known: BTreeSet<&str> = NOT_ON_THE_PAGE.iter().map(|(p, _)| *p).collect();
    assert_eq!(extra, known, "spec parameters the page does not list");
}

/// `(status, code, message)` rows.
fn rows(v: &Value) -> Vec<(u64, String, String)> {
    v.as_array()
        .expect("a list of errors")
        .iter()
        .map(|e| {
            (
                e["status"].as_u64().expect("status"),
                text(e, "code").to_owned(),
                text(e, "message").to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_error_table_is_the_pages_row_for_row() {
    let seed = seed();
    let (op, _) = spec();
    let page = rows(&seed["errors"]);
    assert_eq!(page.len(), 39, "the page documents 39 error rows");
    assert_eq!(
        rows(&op["errors"]),
        page,
        "spec errors, in the page's order"
    );

    // The generated crate knows every code (for matching and retries) and documents every row's
    // message.
    let meta: BTreeSet<&str> = META.errors.iter().map(|e| e.code).collect();
    let codes: BTreeSet<&str> = page.iter().map(|(_, c, _)| c.as_str()).collect();
    assert_eq!(meta, codes, "META lists the documented codes");
    for (_, code, _) in &page {
        assert!(
            <alicloud_vpc::ErrorCode as alicloud_runtime::ErrorCode>::from_code(code).is_some(),
            "{code} has no ErrorCode variant"
        );
    }
    let source = std::fs::read_to_string(
        repo_root().join("generated/vpc/src/operation/modify_vpn_connection_attribute.rs"),
    )
    .expect("the generated module is readable");
    for (status, code, message) in &page {
        assert!(
            source.contains(&format!("\"{message}\"")),
            "the docs miss the HTTP {status} message of {code}: {message}"
        );
    }
}

#[test]
fn every_response_key_of_the_sample_is_in_the_spec_and_decodes() {
    let seed = seed();
    let (op, shapes) = spec();
    let resolve = |path: &str| -> bool {
        let mut fields = op["response"].as_array().cloned().unwrap_or_default();
        for seg in path.split('.') {
            let seg = seg.trim_end_matches("[]");
            let Some(f) = fields.iter().find(|f| f["name"] == seg) else {
                return false;
            };
            let ty = text(f, "type");
            let inner = ty
                .strip_prefix("list<")
                .and_then(|t| t.strip_suffix('>'))
                .unwrap_or(ty);
            fields = shapes
                .get(inner)
                .and_then(|s| s["fields"].as_array().cloned())
                .unwrap_or_default();
        }
        true
    };
    let keys = seed["response_keys"].as_array().expect("response keys");
    assert!(!keys.is_empty());
    for k in keys {
        let k = k.as_str().expect("a key");
        assert!(resolve(k), "response key {k} is not in the spec");
    }
    let sample = serde_json::to_string(&seed["sample_response"]).expect("serializes");
    let r: Response = serde_json::from_str(&sample).expect("the sample response decodes");
    assert_eq!(r.local_subnet.as_deref(), Some("10.1.1.0/24,10.1.2.0/24"));
    let tunnels = r
        .tunnel_options_specification
        .and_then(|t| t.tunnel_options)
        .expect("the tunnels decode");
    assert_eq!(tunnels.len(), 1);
}

/// The wire parameters of a request of `mode`, from the page's examples: top-level parameters
/// as they are, the tunnel's nested examples flattened as item 1.
fn page_request(mode: &str) -> Vec<(String, String)> {
    let seed = seed();
    let names: BTreeSet<&str> = seed["modes"][mode]
        .as_array()
        .expect("the mode's parameters")
        .iter()
        .map(|v| v.as_str().expect("a name"))
        .collect();
    let mut out = Vec::new();
    for p in seed["parameters"].as_array().expect("parameters") {
        let (path, Some(example)) = (text(p, "path"), p["example"].as_str()) else {
            continue;
        };
        let top = path.split(['.', '[']).next().unwrap_or(path);
        if !names.contains(top) {
            continue;
        }
        let wire = match path.split_once("[].") {
            Some((list, rest)) => format!("{list}.1.{rest}"),
            None => path.to_owned(),
        };
        out.push((wire, example.to_owned()));
    }
    out
}

/// Decodes and validates `params`; the advisories found (there must be no refusal).
fn advisories_of(params: &[(String, String)]) -> (Request, Found) {
    let req: Request = decode_request(params).expect("the page's values decode");
    let found = match req.validate() {
        Ok(()) => Vec::new(),
        Err(v) => {
            assert!(!v.has_refusals(), "the page's own values are refused:\n{v}");
            v.iter()
                .map(|x| {
                    assert_eq!(x.severity, Severity::Advisory);
                    (x.path.clone(), x.rule, x.error_code)
                })
                .collect()
        }
    };
    (req, found)
}

/// The wire parameters `req` sends, sorted.
fn sent(req: &Request) -> Vec<(String, String)> {
    let wire = req.to_wire();
    let mut out: Vec<(String, String)> = wire
        .query
        .iter()
        .chain(wire.body.iter())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    out.sort();
    out
}

#[test]
fn the_single_tunnel_example_passes_with_only_the_ikev1_advisories() {
    let params = page_request("single-tunnel");
    assert_eq!(params.len(), 15, "{params:?}");
    let (req, advisories) = advisories_of(&params);
    // The page's IKEv1 example has two blocks on each side, as its sample response has.
    assert_eq!(
        advisories,
        vec![
            (
                "LocalSubnet".to_owned(),
                Rule::ForbiddenCombination,
                Some(IKEV1_MULTI)
            ),
            (
                "RemoteSubnet".to_owned(),
                Rule::ForbiddenCombination,
                Some(IKEV1_MULTI)
            ),
        ]
    );
    // The generated crate sends the page's names and values, JSON parameters byte for byte.
    let mut expected = params.clone();
    expected.sort();
    assert_eq!(sent(&req), expected);
}

#[test]
fn the_dual_tunnel_example_passes_with_only_the_ikev1_advisories() {
    let params = page_request("dual-tunnel");
    let (req, advisories) = advisories_of(&params);
    assert_eq!(
        advisories,
        vec![
            (
                "LocalSubnet".to_owned(),
                Rule::ForbiddenCombination,
                Some(IKEV1_MULTI)
            ),
            (
                "RemoteSubnet".to_owned(),
                Rule::ForbiddenCombination,
                Some(IKEV1_MULTI)
            ),
        ]
    );
    let mut expected = params.clone();
    expected.sort();
    assert_eq!(sent(&req), expected);
}

#[test]
fn only_one_subnet_with_several_blocks_is_reported_there() {
    let mut params = page_request("single-tunnel");
    for (k, v) in &mut params {
        if k == "LocalSubnet" {
            *v = "10.1.1.0/24".to_owned();
        }
    }
    let (_, advisories) = advisories_of(&params);
    assert_eq!(
        advisories,
        vec![(
            "RemoteSubnet".to_owned(),
            Rule::ForbiddenCombination,
            Some(IKEV1_MULTI)
        )]
    );
}

#[test]
fn both_modes_at_once_is_an_advisory_at_the_second_modes_field() {
    let mut params = page_request("single-tunnel");
    params.extend(
        page_request("dual-tunnel").into_iter().filter(|(k, _)| {
            k.starts_with("TunnelOptionsSpecification") || k == "EnableTunnelsBgp"
        }),
    );
    let (_, advisories) = advisories_of(&params);
    assert!(
        advisories.contains(&(
            "TunnelOptionsSpecification".to_owned(),
            Rule::ExclusiveGroups,
            None
        )),
        "{advisories:?}"
    );
}

fn client(transport: &InMemoryTransport, strict: bool) -> Client {
    Client::new(
        Config::new(Credentials::new("id", "secret"), transport.clone())
            .with_endpoint("vpc.cn-shanghai.aliyuncs.com")
            .with_strict_validation(strict),
    )
}

async fn send(client: &Client, req: &Request) -> Result<Response, SdkError<OpError>> {
    alicloud_runtime::client::call(client.core(), &META, req, &Default::default()).await
}

#[tokio::test]
async fn advisories_do_not_stop_a_call_unless_validation_is_strict() {
    let body = serde_json::to_string(&seed()["sample_response"]).expect("serializes");
    let transport = InMemoryTransport::always(200, body);
    let (req, _) = advisories_of(&page_request("single-tunnel"));

    let answer = send(&client(&transport, false), &req).await;
    assert!(answer.is_ok(), "{answer:?}");
    assert_eq!(transport.requests().len(), 1, "the request went out");

    match send(&client(&transport, true), &req).await {
        Err(SdkError::Validation(v)) => {
            assert!(!v.has_refusals());
            assert_eq!(v.advisories().count(), 2);
            let text = v.to_string();
            assert!(text.contains("advisory"), "{text}");
            assert!(
                !text.contains("pgw6dy7d1i8i"),
                "no secret in the report: {text}"
            );
        }
        other => panic!("strict validation refuses advisories, got {other:?}"),
    }
    assert_eq!(
        transport.requests().len(),
        1,
        "the strict call sent nothing"
    );

    // The same through `encode_request`, for callers that send requests themselves.
    assert!(alicloud_runtime::client::encode_request(&META, &req, Validation::Stated).is_ok());
    let refused: Violations =
        alicloud_runtime::client::encode_request(&META, &req, Validation::Strict).unwrap_err();
    assert_eq!(refused.len(), 2);
}

#[test]
fn extra_json_keys_are_sent_after_the_declared_ones() {
    use alicloud_vpc::operation::modify_vpn_connection_attribute::IkeConfig;
    let ike = IkeConfig::builder()
        .ike_version("ikev2")
        .psk("secret-psk")
        .extra_field("IkeFutureKey", serde_json::json!({"On": true}))
        .extra_field("AnotherKey", "x")
        .build();
    let req = Request::builder()
        .region_id("cn-shanghai")
        .vpn_connection_id("vco-1")
        .ike_config(ike.clone())
        .build()
        .expect("required parameters are set");
    assert!(req.validate().is_ok());
    let ike_param = sent(&req)
        .into_iter()
        .find(|(k, _)| k == "IkeConfig")
        .map(|(_, v)| v);
    assert_eq!(
        ike_param.as_deref(),
        Some(
            r#"{"Psk":"secret-psk","IkeVersion":"ikev2","AnotherKey":"x","IkeFutureKey":{"On":true}}"#
        )
    );
    // Debug shows the extra keys, never their values (which may be secret), nor the key.
    let debug = format!("{ike:?}");
    assert!(
        debug.contains("IkeFutureKey") && !debug.contains("On"),
        "{debug}"
    );
    assert!(!debug.contains("secret-psk"), "{debug}");

    // A key that names a declared field is refused, not sent twice.
    let clash = IkeConfig::builder()
        .ike_version("ikev2")
        .extra_field("IkeVersion", "ikev1")
        .build();
    let v = clash.validate().unwrap_err();
    assert_eq!(v.len(), 1);
    assert_eq!(
        (v.0[0].path.as_str(), v.0[0].rule),
        ("IkeVersion", Rule::ExtraField)
    );
}
