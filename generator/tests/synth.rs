//! The synthetic product of `alicloud_codegen::synth`: it imports to exactly the operations
//! asked for, without a warning, and generates the same bytes every time.

use std::collections::BTreeSet;

use alicloud_codegen::{generate_from_metadata, import, synth, Settings};

#[test]
fn imports_exactly_n_operations_without_warnings() {
    for n in [1, 7, 23] {
        let text = synth::api_docs(n);
        let imported = import::import(&text, "synth.json").expect("the synthetic product imports");
        let ops: Vec<String> = imported
            .files
            .iter()
            .flat_map(|f| f.spec.operations.iter().map(|o| o.name.clone()))
            .collect();
        assert_eq!(ops.len(), n, "{n} operations asked for");
        let expected: BTreeSet<String> = (0..n).map(synth::operation_name).collect();
        assert_eq!(ops.iter().cloned().collect::<BTreeSet<_>>(), expected);
        let issues: Vec<String> = imported.issues.iter().map(|i| i.to_string()).collect();
        assert!(issues.is_empty(), "import warnings: {issues:#?}");
    }
}

#[test]
fn covers_the_mix_it_promises() {
    let imported = import::import(&synth::api_docs(10), "synth.json").unwrap();
    let ops: Vec<_> = imported
        .files
        .iter()
        .flat_map(|f| f.spec.operations.iter())
        .collect();
    let types: BTreeSet<&str> = ops
        .iter()
        .flat_map(|o| o.parameters.iter().map(|p| p.ty.as_str()))
        .collect();
    for t in [
        "string",
        "boolean",
        "int32",
        "int64",
        "float",
        "double",
        "any",
        "map<string>",
        "list<int32>",
        "list<string>",
    ] {
        assert!(types.contains(t), "no parameter of type {t}: {types:?}");
    }
    let create = ops.iter().find(|o| o.name == "CreateGateway").unwrap();
    assert_eq!(
        create
            .asynchronous
            .as_ref()
            .map(|a| a.poll_operation.as_str()),
        Some("DescribeGateways")
    );
    assert!(create.errors.len() >= 4);
    let shapes: usize = imported.files.iter().map(|f| f.spec.shapes.len()).sum();
    assert!(shapes >= 20, "{shapes} shapes");
}

#[test]
fn generates_deterministically_one_module_per_operation() {
    let n = 12;
    let text = synth::api_docs(n);
    let a = generate_from_metadata(&text, "synth.json", &Settings::default()).expect("generates");
    let b = generate_from_metadata(&text, "synth.json", &Settings::default()).expect("generates");
    assert_eq!(a.files, b.files);
    let modules = a
        .files
        .iter()
        .filter(|f| f.path.starts_with("generated/synth/src/operation/"))
        .count();
    assert_eq!(modules, n);
    assert!(a.warnings.0.is_empty(), "{}", a.warnings);
    let cargo = a
        .files
        .iter()
        .find(|f| f.path == "generated/synth/Cargo.toml")
        .unwrap();
    assert!(cargo.contents.contains("name = \"alicloud-synth\""));
}

#[test]
fn allow_list_keeps_the_named_operations_and_their_shapes() {
    let text = synth::api_docs(10);
    let settings = Settings {
        operations: Some(BTreeSet::from(["CreateGateway".to_owned()])),
        ..Settings::default()
    };
    let out = generate_from_metadata(&text, "synth.json", &settings).expect("generates");
    let modules: Vec<&str> = out
        .files
        .iter()
        .filter_map(|f| f.path.strip_prefix("generated/synth/src/operation/"))
        .collect();
    assert_eq!(modules, ["create_gateway.rs"]);
    let module = out
        .files
        .iter()
        .find(|f| f.path.ends_with("/create_gateway.rs"))
        .unwrap();
    assert!(module.contents.contains("pub struct CreateGatewayRequest"));
    // The rule list of CreateGateway is an object shape it reaches; DescribeGateways' shapes go.
    let all: String = out.files.iter().map(|f| f.contents.as_str()).collect();
    assert!(
        all.contains("CreateGatewayGatewayRuleMatch"),
        "nested shape kept"
    );
    assert!(
        !all.contains("DescribeGatewaysResponse"),
        "other operations' shapes dropped"
    );

    let unknown = Settings {
        operations: Some(BTreeSet::from(["NoSuchOperation".to_owned()])),
        ..Settings::default()
    };
    let err = generate_from_metadata(&text, "synth.json", &unknown).unwrap_err();
    assert!(err.to_string().contains("NoSuchOperation"), "{err}");
}

/// Parameters (nested properties included) and objects of a schema, following `$ref`s once.
fn weigh(
    schema: &serde_json::Value,
    comps: &serde_json::Value,
    seen: &mut Vec<String>,
) -> (usize, usize) {
    let Some(s) = schema.as_object() else {
        return (0, 0);
    };
    if let Some(r) = s.get("$ref").and_then(|r| r.as_str()) {
        let name = r.rsplit('/').next().unwrap_or_default().to_owned();
        if seen.contains(&name) {
            return (0, 0);
        }
        seen.push(name.clone());
        let w = weigh(&comps[name.as_str()], comps, seen);
        seen.pop();
        return w;
    }
    let (mut fields, mut objects) = (0, 0);
    if let Some(props) = s.get("properties").and_then(|p| p.as_object()) {
        objects += 1;
        for v in props.values() {
            let (f, o) = weigh(v, comps, seen);
            fields += 1 + f;
            objects += o;
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(v) = s.get(key) {
            let (f, o) = weigh(v, comps, seen);
            fields += f;
            objects += o;
        }
    }
    (fields, objects)
}

#[test]
fn operations_are_about_as_large_as_the_published_ones() {
    // The published figures (802 operations of adb, bssopenapi, STS, Vpc and CS): 7.3
    // parameters, 9.6 response fields and 2.45 objects per operation (see `synth`'s docs).
    // The bands keep the synthetic catalogue within a third of them, so that the catalogue
    // figure of `generate-cost` neither flatters nor overstates generating the real one.
    let doc = synth::document(2000);
    let comps = &doc["components"]["schemas"];
    let (mut params, mut response, mut objects) = (0, 0, 0);
    let apis = doc["apis"].as_object().unwrap();
    for api in apis.values() {
        for p in api["parameters"].as_array().unwrap() {
            let (f, o) = weigh(&p["schema"], comps, &mut Vec::new());
            params += 1 + f;
            objects += o;
        }
        let (f, o) = weigh(&api["responses"]["200"]["schema"], comps, &mut Vec::new());
        response += f;
        objects += o;
    }
    let per = |x: usize| x as f64 / apis.len() as f64;
    let within = |x: f64, published: f64| (published * 0.67..=published * 1.33).contains(&x);
    assert!(
        within(per(params), 7.3),
        "{} parameters per operation",
        per(params)
    );
    assert!(
        within(per(response), 9.6),
        "{} response fields per operation",
        per(response)
    );
    assert!(
        within(per(objects), 2.45),
        "{} objects per operation",
        per(objects)
    );
}

#[test]
fn shared_shapes_are_compiled_only_with_the_groups_that_use_them() {
    // 56 operations: eight resources in two API groups, whose List…Tags share `TagModel`.
    let out = generate_from_metadata(&synth::api_docs(56), "synth.json", &Settings::default())
        .expect("generates");
    let types = out
        .files
        .iter()
        .find(|f| f.path == "generated/synth/src/types.rs")
        .unwrap();
    let gate = "#[cfg(any(feature = \"endpoint-management\", feature = \"gateway-management\"))]";
    assert!(
        types
            .contents
            .contains(&format!("{gate}\nmod shape_tag_model {{")),
        "{}",
        types.contents
    );
    assert!(
        types
            .contents
            .contains(&format!("{gate}\npub use shape_tag_model::TagModel;")),
        "{}",
        types.contents
    );
    // One group alone: the shape is still used, still gated by that group.
    let one = generate_from_metadata(&synth::api_docs(28), "synth.json", &Settings::default())
        .expect("generates");
    let types = one
        .files
        .iter()
        .find(|f| f.path == "generated/synth/src/types.rs")
        .unwrap();
    assert!(
        types
            .contents
            .contains("#[cfg(feature = \"gateway-management\")]\nmod shape_tag_model {"),
        "{}",
        types.contents
    );
}

#[test]
fn error_codes_are_compiled_only_with_the_groups_that_document_them() {
    // Two API groups: codes of one group's resources only are gated by that group; codes every
    // operation documents are gated by both; enum variant and table entry get the same gate,
    // so variant `i` stays entry `i` whatever features are on.
    let out = generate_from_metadata(&synth::api_docs(56), "synth.json", &Settings::default())
        .expect("generates");
    let error = out
        .files
        .iter()
        .find(|f| f.path == "generated/synth/src/error.rs")
        .unwrap();
    let text = &error.contents;
    let both = "#[cfg(any(feature = \"endpoint-management\", feature = \"gateway-management\"))]";
    assert!(
        text.contains(&format!("{both}\n    InvalidParameter,")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{both}\n    (\"InvalidParameter\", ErrorCode::InvalidParameter),"
        )),
        "{text}"
    );
    // As many gated variants as gated table entries.
    let enum_body =
        &text[text.find("pub enum ErrorCode {").unwrap()..text.find("static CODES").unwrap()];
    let table = &text[text.find("static CODES").unwrap()..text.find("impl ErrorCode").unwrap()];
    assert_eq!(
        enum_body.matches("#[cfg(").count(),
        table.matches("#[cfg(").count(),
        "{text}"
    );
    assert!(
        enum_body.contains("#[cfg(feature = \""),
        "some code is documented by one group only: {text}"
    );
    assert!(text.contains("not parsed to a variant"), "{text}");
}
