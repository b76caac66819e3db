//! The importer on a small hand-written metadata file (`tests/data/import/`, no Alibaba prose)
//! that has every location, style, type, format and oddity the importer handles.

use std::collections::BTreeSet;

use alicloud_codegen::diag::{Diagnostics, Severity};
use alicloud_codegen::import::{import, Imported, IssueKind};
use alicloud_codegen::spec::{
    Constraint, HttpMethod, Operation, Parameter, ParameterLocation, Shape, Style,
};
use alicloud_codegen::{check, load, model, Settings, SourceFile};
use serde_json::{json, Value};

const FIXTURE: &str = include_str!("data/import/demo-2024-01-01.api-docs.json");
const SOURCE: &str = "demo-2024-01-01.api-docs.json";

fn imported() -> Imported {
    import(FIXTURE, SOURCE).expect("the fixture imports")
}

fn op<'a>(i: &'a Imported, name: &str) -> &'a Operation {
    i.files
        .iter()
        .flat_map(|f| f.spec.operations.iter())
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("operation {name}"))
}

fn param<'a>(o: &'a Operation, name: &str) -> &'a Parameter {
    o.parameters
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("parameter {name} of {}", o.name))
}

fn shape<'a>(i: &'a Imported, name: &str) -> &'a Shape {
    i.files
        .iter()
        .find_map(|f| f.spec.shapes.get(name))
        .unwrap_or_else(|| panic!("shape {name}"))
}

fn field_types(s: &Shape) -> Vec<(String, String)> {
    match s {
        Shape::Object { fields, .. } => fields
            .iter()
            .map(|f| (f.name.clone(), f.ty.clone()))
            .collect(),
        _ => panic!("not an object"),
    }
}

fn enum_values(s: &Shape) -> Vec<String> {
    match s {
        Shape::Enum { values, .. } => values.iter().map(|v| v.value.clone()).collect(),
        _ => panic!("not an enum"),
    }
}

/// Messages of the issues of one kind.
fn issues(i: &Imported, kind: IssueKind) -> Vec<String> {
    i.issues
        .iter()
        .filter(|x| x.kind == kind)
        .map(|x| format!("{} @ {}", x.diagnostic.message, x.diagnostic.path))
        .collect()
}

fn has_issue(i: &Imported, kind: IssueKind, needle: &str) -> bool {
    issues(i, kind).iter().any(|m| m.contains(needle))
}

/// The imported files as the loader sees them in `spec/demo/imported/`, plus `extra`.
fn sources(i: &Imported, extra: &[(&str, Value)]) -> Vec<SourceFile> {
    let mut out: Vec<SourceFile> = i
        .files
        .iter()
        .map(|f| SourceFile {
            path: format!("spec/{}/imported/{}", i.folder, f.name),
            text: f.to_json(),
        })
        .collect();
    for (path, v) in extra {
        out.push(SourceFile {
            path: (*path).to_owned(),
            text: v.to_string(),
        });
    }
    out
}

fn check_all(files: &[SourceFile]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let products = load::load(files, &mut diags);
    for p in &products {
        check::check(p, &mut diags);
    }
    if !diags.has_errors() {
        for p in &products {
            assert!(model::build(p, &mut diags).is_some(), "{diags}");
        }
    }
    diags
}

#[test]
fn the_product_and_one_file_per_operation() {
    let i = imported();
    assert_eq!(i.folder, "demo");
    let names: Vec<&str> = i.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "product.json",
            "CallWithHeader.json",
            "CreateThing.json",
            "DeleteThing.json",
            "DescribeThing.json",
            "Untidy.json"
        ]
    );
    let p = i.files[0].spec.product.as_ref().expect("product");
    assert_eq!(p.code, "Demo");
    assert_eq!(p.version, "2024-01-01");
    assert_eq!(p.crate_name, "alicloud-demo");
    assert_eq!(p.description, "", "no prose is copied");
    // The regional pattern most regions follow, and every usable region with its host, sorted
    // (the generator keeps only `cn-beijing`, which the pattern does not give).
    assert_eq!(p.endpoint.pattern, "demo.{region_id}.example.com");
    let regions: Vec<(&str, &str)> = p
        .endpoint
        .regions
        .iter()
        .flatten()
        .map(|r| (r.region_id.as_str(), r.host.as_str()))
        .collect();
    assert_eq!(
        regions,
        [
            ("cn-beijing", "demo.example.com"),
            ("cn-hangzhou", "demo.cn-hangzhou.example.com"),
            ("cn-shanghai", "demo.cn-shanghai.example.com"),
            ("eu-west-1", "demo.eu-west-1.example.com"),
        ]
    );
    assert_eq!(
        alicloud_codegen::model::endpoint_map(&p.endpoint),
        [("cn-beijing".to_owned(), "demo.example.com".to_owned())]
    );
    // What the client could not use is left out, each with a warning; a repeat with the same
    // host is not a problem.
    for needle in [
        "region cn-shanghai is listed again with another host, demo-other.example.com; demo.cn-shanghai.example.com is kept",
        "region id \"ap south\" cannot be part of a host name",
        "the host \"https://demo.example.com/\" of region ap-south-1 is not a host name",
    ] {
        assert!(has_issue(&i, IssueKind::UnusableEndpoint, needle), "{needle}");
    }
    assert_eq!(issues(&i, IssueKind::UnusableEndpoint).len(), 3);
    assert!(p
        .doc_url
        .as_deref()
        .is_some_and(|u| u.ends_with("api-demo-2024-01-01-")));
    for f in &i.files[1..] {
        assert_eq!(f.spec.operations.len(), 1);
        assert!(f.spec.product.is_none());
        // A sentence of ours from facts (the name's verb and object), never the metadata's.
        let d = &f.spec.operations[0].description;
        assert!(d.len() > 1 && d.ends_with('.'), "{d}");
        assert!(f.to_json().ends_with("}\n"));
    }
}

#[test]
fn types_and_formats() {
    let i = imported();
    let o = op(&i, "CreateThing");
    for (name, ty) in [
        ("RegionId", "string"),
        ("Size", "int32"),
        ("Count", "int64"),
        ("Ratio", "float"),
        ("Weight", "double"),
        ("Enabled", "boolean"),
        ("Stamp", "string"),
        ("Ids", "list<string>"),
        ("Pipes", "list<int32>"),
        ("Tag", "list<TagPair>"),
        ("Config", "CreateThingConfig"),
        ("Labels", "map<string>"),
        ("Free", "any"),
        ("Loose", "any"),
        ("Names", "list<string>"),
        ("Level", "Level"),
    ] {
        assert_eq!(param(o, name).ty, ty, "{name}");
    }
    // Nested objects, maps and lists of objects inside an object.
    assert_eq!(
        field_types(shape(&i, "CreateThingConfig")),
        [
            ("Mode".to_owned(), "string".to_owned()),
            ("Limits".into(), "CreateThingConfigLimits".into()),
            ("Labels".into(), "map<string>".into()),
            ("Rules".into(), "list<CreateThingConfigRules>".into()),
        ]
    );
    match shape(&i, "CreateThingConfig") {
        Shape::Object { fields, .. } => assert!(fields[0].required),
        _ => unreachable!(),
    }
    // Unknown types and formats, lists without items, missing schemas.
    let u = op(&i, "Untidy");
    assert_eq!(param(u, "File").ty, "any");
    assert_eq!(param(u, "Number").ty, "int64");
    assert_eq!(param(u, "Bare").ty, "list<any>");
    assert_eq!(param(u, "NoSchema").ty, "any");
    assert!(has_issue(&i, IssueKind::UnknownType, "`File`"));
    assert!(has_issue(&i, IssueKind::UnknownFormat, "int16"));
    assert!(has_issue(&i, IssueKind::ArrayWithoutItems, "`Bare`"));
    assert!(has_issue(&i, IssueKind::MissingType, "`NoSchema`"));
    // Required as a string; deprecation of parameters, response fields and operations.
    assert!(param(op(&i, "DescribeThing"), "ThingId").required);
    assert!(param(o, "Old").deprecated);
    assert!(o.response.iter().any(|f| f.name == "Old" && f.deprecated));
    assert!(op(&i, "DeleteThing").deprecated);
    assert!(!o.deprecated);
}

#[test]
fn locations_and_styles() {
    let i = imported();
    let o = op(&i, "CreateThing");
    let loc = |n: &str| param(o, n).location;
    let style = |n: &str| param(o, n).style;
    assert_eq!(loc("RegionId"), ParameterLocation::Query);
    assert_eq!(loc("Config"), ParameterLocation::Body, "formData");
    assert_eq!(loc("Payload"), ParameterLocation::Body, "body");
    let h = op(&i, "CallWithHeader");
    assert_eq!(param(h, "Trace").location, ParameterLocation::Header);
    assert_eq!(param(h, "ItemId").location, ParameterLocation::Path);
    assert_eq!(style("RegionId"), Style::Plain);
    assert_eq!(style("Tag"), Style::RepeatList);
    assert_eq!(style("Ids"), Style::Simple);
    assert_eq!(style("Words"), Style::SpaceDelimited);
    assert_eq!(style("Pipes"), Style::PipeDelimited);
    assert_eq!(style("Config"), Style::Json);
    assert_eq!(style("Labels"), Style::Flat);
    // `none` and no style: flattened for structured values, with a warning.
    assert_eq!(style("Loose"), Style::Flat);
    assert!(has_issue(&i, IssueKind::MissingStyle, "`Loose`"));
    let u = op(&i, "Untidy");
    assert_eq!(param(u, "Nested").style, Style::Flat);
    // A joined style on what is not a list of scalars, and unknown styles and locations.
    assert_eq!(param(u, "Joined").style, Style::Flat);
    assert_eq!(param(u, "Single").style, Style::Plain);
    assert!(has_issue(&i, IssueKind::StyleMismatch, "`Joined`"));
    assert_eq!(param(u, "Shape").style, Style::Plain);
    assert!(has_issue(&i, IssueKind::UnknownStyle, "matrix"));
    assert_eq!(param(u, "Where").location, ParameterLocation::Query);
    assert!(has_issue(&i, IssueKind::UnknownLocation, "cookie"));
}

#[test]
fn constraints_and_patterns() {
    let i = imported();
    let o = op(&i, "CreateThing");
    let c = |n: &str| param(o, n).constraints.clone();
    let v = |n: &str| serde_json::to_value(c(n)).expect("constraints serialise");
    assert_eq!(v("Name"), json!([{"rule": "length", "min": 1, "max": 64}]));
    assert_eq!(param(o, "Name").pattern.as_deref(), Some("^[a-z]+$"));
    // Bounds written as strings, exclusive flags as booleans, strings, or the bound itself.
    assert_eq!(
        v("Size"),
        json!([{"rule": "range", "min": 1, "max": 100, "exclusive_max": true}])
    );
    assert_eq!(
        v("Ratio"),
        json!([{"rule": "range", "min": 0, "max": 1, "exclusive_min": true}])
    );
    assert_eq!(
        v("Weight"),
        json!([{"rule": "range", "min": 2, "exclusive_min": true}])
    );
    // Item constraints of a list of scalars apply to each item; item counts to the list.
    assert_eq!(
        v("Ids"),
        json!([{"rule": "length", "max": 8}, {"rule": "items", "min": 1}])
    );
    assert_eq!(v("Tag"), json!([{"rule": "items", "max": 20}]));
    // Nested request fields keep theirs; responses carry none.
    match shape(&i, "CreateThingConfigLimits") {
        Shape::Object { fields, .. } => assert!(matches!(
            fields[0].constraints[..],
            [Constraint::Range { .. }]
        )),
        _ => unreachable!(),
    }
    match shape(&i, "CreateThingResponseThing") {
        Shape::Object { fields, .. } => assert!(fields.iter().all(|f| f.constraints.is_empty())),
        _ => unreachable!(),
    }
    // Unusable, inverted and misplaced bounds are left out with a warning.
    let u = op(&i, "Untidy");
    assert!(param(u, "Inverted").constraints.is_empty());
    assert!(has_issue(&i, IssueKind::InvertedBounds, "`Inverted`"));
    assert!(param(u, "Bound").constraints.is_empty());
    assert!(has_issue(&i, IssueKind::BadBound, "`Bound`"));
    assert!(param(u, "Wrong").constraints.is_empty());
    assert!(has_issue(&i, IssueKind::ConstraintNotApplicable, "`Wrong`"));
}

#[test]
fn enums_are_hints() {
    let i = imported();
    let o = op(&i, "CreateThing");
    // Blank, duplicate, empty and non-string values: trimmed, kept once, skipped, written out.
    assert_eq!(param(o, "Mode").ty, "CreateThingMode");
    assert_eq!(
        enum_values(shape(&i, "CreateThingMode")),
        ["fast", "slow", "3"]
    );
    assert!(has_issue(&i, IssueKind::StrayWhitespace, "\" slow\""));
    assert_eq!(issues(&i, IssueKind::OddEnum).len(), 3);
    // An empty enum is a plain string.
    assert_eq!(param(o, "Flavour").ty, "string");
    assert!(has_issue(&i, IssueKind::EmptyEnum, "`Flavour`"));
    // An enum on a number is ignored.
    assert_eq!(param(op(&i, "Untidy"), "Codes").ty, "int32");
    assert!(has_issue(&i, IssueKind::EnumIgnored, "`Codes`"));
    // Response enums and component enums.
    assert_eq!(
        enum_values(shape(&i, "CreateThingResponseThingState")),
        ["on", "off"]
    );
    assert_eq!(enum_values(shape(&i, "Level")), ["low", "high"]);
}

#[test]
fn components_refs_self_references_maps_and_any() {
    let i = imported();
    let product = &i.files[0].spec;
    let names: Vec<&String> = product.shapes.keys().collect();
    assert_eq!(names, ["Level", "Node", "TagPair"], "aliases have no shape");
    // A shape may contain itself through lists and maps; directly it cannot (infinitely
    // large), so that field becomes `any`, with a warning.
    assert_eq!(
        field_types(shape(&i, "Node")),
        [
            ("Id".to_owned(), "string".to_owned()),
            ("Children".into(), "list<Node>".into()),
            ("Parent".into(), "any".into()),
            ("Index".into(), "map<Node>".into()),
        ]
    );
    assert!(has_issue(
        &i,
        IssueKind::SelfReference,
        "$.components.schemas.Node.properties.Parent"
    ));
    // A component referring only to itself, and a dangling reference.
    let u = op(&i, "Untidy");
    assert_eq!(param(u, "Circle").ty, "any");
    assert!(has_issue(&i, IssueKind::SelfReference, "Loop"));
    assert_eq!(param(u, "Dangling").ty, "any");
    assert!(has_issue(&i, IssueKind::UnresolvedRef, "Missing"));
    let o = op(&i, "CreateThing");
    let resp: Vec<(&str, &str)> = o
        .response
        .iter()
        .map(|f| (f.name.as_str(), f.ty.as_str()))
        .collect();
    assert_eq!(
        resp,
        [
            ("RequestId", "string"),
            ("Thing", "CreateThingResponseThing"),
            ("Meta", "map<any>"),
            ("Root", "Node"),
            ("Extra", "any"),
            ("Old", "string"),
        ]
    );
    // An `itemNode` wrapper stays an object holding the list.
    assert_eq!(
        field_types(shape(&i, "CreateThingResponseThingParts")),
        [(
            "Part".to_owned(),
            "list<CreateThingResponseThingPartsPart>".to_owned()
        )]
    );
    // Fields and `additionalProperties` together: an object, with a warning.
    assert_eq!(param(u, "Both").ty, "UntidyBoth");
    assert!(has_issue(&i, IssueKind::MapWithProperties, "`Both`"));
}

#[test]
fn examples_are_typed_trimmed_checked_and_masked_ones_kept() {
    let i = imported();
    let o = op(&i, "CreateThing");
    let ex = |n: &str| param(o, n).example.clone();
    assert_eq!(ex("RegionId"), Some(json!("cn-shanghai")));
    assert!(has_issue(
        &i,
        IssueKind::StrayWhitespace,
        "\" cn-shanghai\""
    ));
    assert_eq!(ex("Size"), Some(json!(10)));
    assert_eq!(ex("Ratio"), Some(json!(0.5)));
    assert_eq!(ex("Count"), Some(json!(9007199254740993_i64)));
    assert_eq!(ex("Enabled"), Some(json!(true)));
    assert_eq!(ex("Mode"), Some(json!("fast")));
    assert_eq!(ex("Ids"), Some(json!(["a-1", "b-2"])));
    // Masked examples are not checked against the constraints they break.
    assert_eq!(ex("VpnId"), Some(json!("vco-bp1****")));
    assert_eq!(ex("Address"), Some(json!("116.64.XX.XX")));
    // Unusable ones are dropped with a warning.
    let u = op(&i, "Untidy");
    assert_eq!(param(u, "BadExample").example, None);
    assert!(has_issue(&i, IssueKind::ExampleDropped, "`BadExample`"));
    assert_eq!(param(u, "Breaks").example, None);
    assert!(has_issue(&i, IssueKind::ExampleDropped, "`Breaks`"));
}

#[test]
fn errors_methods_and_static_info() {
    let i = imported();
    let o = op(&i, "CreateThing");
    let codes: Vec<(u16, &str, &str)> = o
        .errors
        .iter()
        .map(|e| (e.status, e.code.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            (400, "InvalidVpc.NotFound", "The vpc is not found."),
            (400, "InvalidVPC.NotFound", "The VPC is not found."),
            (400, "Throttling", "Too many requests."),
            (403, "Forbidden", "Not allowed."),
        ]
    );
    assert!(has_issue(&i, IssueKind::StrayWhitespace, "Forbidden\\t"));
    assert!(has_issue(&i, IssueKind::DuplicateErrorCode, "Throttling"));
    assert!(has_issue(&i, IssueKind::BadErrorCode, "`200`"));
    assert!(o.errors.iter().all(|e| e.description.is_empty()));
    // POST when offered; GET-only operations are sent as GET; neither: POST, with a warning.
    assert_eq!(o.http_method, HttpMethod::Post);
    assert_eq!(op(&i, "DescribeThing").http_method, HttpMethod::Get);
    assert_eq!(op(&i, "Untidy").http_method, HttpMethod::Post);
    assert!(has_issue(&i, IssueKind::UnknownMethods, "`Untidy`"));
    // Asynchronous callbacks of the same product; others are warned about.
    let a = o.asynchronous.as_ref().expect("asynchronous");
    assert_eq!(
        (a.poll_operation.as_str(), a.interval_ms, a.max_attempts),
        ("DescribeThing", 2000, 10)
    );
    assert!(op(&i, "DescribeThing").asynchronous.is_none());
    assert!(op(&i, "DeleteThing").asynchronous.is_none());
    assert!(has_issue(
        &i,
        IssueKind::AsyncIgnored,
        "Other::2020-01-01::Poll"
    ));
}

#[test]
fn shape_names_are_derived_and_deduplicated() {
    let i = imported();
    let all: BTreeSet<&String> = i.files.iter().flat_map(|f| f.spec.shapes.keys()).collect();
    for name in [
        "CreateThingConfig",
        "CreateThingConfigLimits",
        "CreateThingConfigRules",
        "CreateThingResponseThing",
        "CreateThingResponseThingPartsPart",
        "UntidyAbC",
        "UntidyAbC2",
    ] {
        assert!(all.contains(&name.to_owned()), "{name}: {all:?}");
    }
    assert!(has_issue(
        &i,
        IssueKind::ShapeNameCollision,
        "`UntidyAbC` is already taken"
    ));
    // Operation shapes are written beside their operation.
    let create = i
        .files
        .iter()
        .find(|f| f.name == "CreateThing.json")
        .unwrap();
    assert!(create.spec.shapes.contains_key("CreateThingConfig"));
}

#[test]
fn nothing_is_dropped_silently() {
    let i = imported();
    let d = op(&i, "DeleteThing");
    // A name with blanks is trimmed; its duplicate and a nameless parameter are reported.
    assert_eq!(d.parameters.len(), 1);
    assert_eq!(d.parameters[0].name, "ThingId");
    assert!(has_issue(&i, IssueKind::StrayWhitespace, "\" ThingId \""));
    assert!(has_issue(
        &i,
        IssueKind::DuplicateName,
        "operation `DeleteThing`: parameter `ThingId` is declared twice"
    ));
    assert!(has_issue(
        &i,
        IssueKind::ParameterWithoutName,
        "operation `DeleteThing`: parameter #2 has no name; skipped @ $.apis.DeleteThing.parameters[2]"
    ));
    // Every metadata parameter with a name is in the spec.
    let doc: Value = serde_json::from_str(FIXTURE).unwrap();
    for (name, api) in doc["apis"].as_object().unwrap() {
        let names: BTreeSet<String> = api["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["name"].as_str().map(|s| s.trim().to_owned()))
            .collect();
        let got: BTreeSet<String> = op(&i, name)
            .parameters
            .iter()
            .map(|p| p.name.clone())
            .collect();
        assert_eq!(names, got, "{name}");
    }
    // Every warning names the metadata file and a JSON path in it.
    for x in &i.issues {
        assert_eq!(x.diagnostic.file, SOURCE);
        assert!(x.diagnostic.path.starts_with("$."), "{x}");
        assert_eq!(x.diagnostic.severity, Severity::Warning);
    }
}

#[test]
fn the_import_checks_and_models_except_what_cannot_be_sent() {
    let i = imported();
    let diags = check_all(&sources(&i, &[]));
    let errors: Vec<String> = diags
        .0
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{} {} {}", d.file, d.path, d.message))
        .collect();
    assert_eq!(
        errors,
        [
            "spec/demo/imported/CallWithHeader.json $.operations[0].parameters[1].location parameter `ItemId` travels in the path, which only ROA-style products have",
        ]
    );
    // An overlay removes them; then everything checks, models and generates.
    let overlay = json!({
        "format_version": 1,
        "overlays": [{
            "operation": "CallWithHeader",
            "remove_parameters": ["Trace", "ItemId"]
        }]
    });
    let files = sources(&i, &[("spec/demo/overlays/CallWithHeader.json", overlay)]);
    let diags = check_all(&files);
    assert!(!diags.has_errors(), "{diags}");
    // Imported operations have no description of ours, and are not warned about for that.
    assert!(
        !diags
            .0
            .iter()
            .any(|d| d.message.contains("has no description")),
        "{diags}"
    );
    // The error codes that collide after case conversion get distinct variants that keep
    // their spelling, with a note (not a warning: there is nothing to do).
    assert!(
        diags.0.iter().any(|d| d.severity == Severity::Note
            && d.message
                .contains("`InvalidVpc.NotFound` collides with another code")
            && d.message.contains("`ErrorCode::InvalidVpc_NotFound`")),
        "{diags}"
    );
    let out = alicloud_codegen::generate(&files, &Settings::default()).expect("generates");
    let errors = out
        .files
        .iter()
        .find(|f| f.path.ends_with("src/error.rs"))
        .expect("error.rs");
    assert!(
        errors.contents.contains("    InvalidVpc_NotFound,"),
        "{}",
        errors.contents
    );
    assert!(out
        .files
        .iter()
        .any(|f| f.path.ends_with("operation/create_thing.rs")));
}

#[test]
fn the_output_is_deterministic() {
    let a: Vec<String> = imported().files.iter().map(|f| f.to_json()).collect();
    let b: Vec<String> = imported().files.iter().map(|f| f.to_json()).collect();
    assert_eq!(a, b);
    // The order of operations and components in the metadata does not matter.
    let mut doc: Value = serde_json::from_str(FIXTURE).unwrap();
    let m = doc["apis"].as_object().unwrap().clone();
    doc["apis"] = Value::Object(m.into_iter().rev().collect());
    let m = doc["components"]["schemas"].as_object().unwrap().clone();
    doc["components"]["schemas"] = Value::Object(m.into_iter().rev().collect());
    let c: Vec<String> = import(&doc.to_string(), SOURCE)
        .expect("imports")
        .files
        .iter()
        .map(|f| f.to_json())
        .collect();
    assert_eq!(a, c);
}

#[test]
fn what_is_not_a_product_is_an_error() {
    for (text, kind) in [
        ("not json", IssueKind::InvalidJson),
        ("[1, 2]", IssueKind::InvalidJson),
        ("{}", IssueKind::MissingInfo),
        (
            r#"{"info": {"product": "X", "version": "1", "style": "FC"}}"#,
            IssueKind::NotRpc,
        ),
        (
            r#"{"info": {"product": "X", "version": "1", "style": "V3"}}"#,
            IssueKind::NotRpc,
        ),
        (
            r#"{"info": {"product": "-", "version": "1", "style": "RPC"}}"#,
            IssueKind::MissingInfo,
        ),
    ] {
        let issues = import(text, "x.json").expect_err(text);
        assert!(
            issues
                .iter()
                .any(|i| i.kind == kind && i.diagnostic.severity == Severity::Error),
            "{text}: {issues:?}"
        );
    }
    // Without `apis`, or with something else in its place, it is no product's metadata (and
    // importing it would remove every imported operation).
    for apis in ["", r#", "apis": [{"name": "X"}]"#, r#", "apis": null"#] {
        let text =
            format!(r#"{{"info": {{"product": "Empty", "version": "1", "style": "RPC"}}{apis}}}"#);
        let issues = import(&text, "x.json").expect_err(&text);
        assert!(
            issues.iter().any(|i| i.kind == IssueKind::BadApis),
            "{text}: {issues:?}"
        );
    }
    // A product without operations is not an error.
    let i = import(
        r#"{"info": {"product": "Empty", "version": "1", "style": "RPC"}, "apis": {}}"#,
        "x.json",
    )
    .expect("imports");
    assert_eq!(i.files.len(), 1);
    assert!(has_issue(&i, IssueKind::NoOperations, "Empty"));
    assert!(has_issue(
        &i,
        IssueKind::NoEndpoints,
        "empty.{region_id}.aliyuncs.com"
    ));
}

/// Every value of the fixture replaced, in turn, by values of every other JSON type: the
/// importer never panics, and what it produces always loads.
#[test]
fn never_panics_on_untidy_metadata() {
    fn paths(v: &Value, at: Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(at.clone());
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    let mut p = at.clone();
                    p.push(k.clone());
                    paths(x, p, out);
                }
            }
            Value::Array(a) => {
                for (k, x) in a.iter().enumerate() {
                    let mut p = at.clone();
                    p.push(k.to_string());
                    paths(x, p, out);
                }
            }
            _ => {}
        }
    }
    fn get_mut<'a>(v: &'a mut Value, path: &[String]) -> &'a mut Value {
        path.iter().fold(v, |v, k| match v {
            Value::Object(m) => m.get_mut(k).unwrap(),
            Value::Array(a) => &mut a[k.parse::<usize>().unwrap()],
            _ => unreachable!(),
        })
    }
    let doc: Value = serde_json::from_str(FIXTURE).unwrap();
    let mut all = Vec::new();
    paths(&doc, Vec::new(), &mut all);
    let replacements = [Value::Null, json!(-1), json!(" "), json!({})];
    let mut runs = 0;
    for path in all.iter().skip(1) {
        for r in &replacements {
            let mut d = doc.clone();
            *get_mut(&mut d, path) = r.clone();
            runs += 1;
            if let Ok(i) = import(&d.to_string(), SOURCE) {
                let mut diags = Diagnostics::default();
                let products = load::load(&sources(&i, &[]), &mut diags);
                assert!(
                    !diags.has_errors(),
                    "{path:?} = {r}: the import does not load: {diags}"
                );
                for p in &products {
                    check::check(p, &mut diags);
                }
            }
        }
    }
    assert!(runs > 2000, "{runs}");
}
