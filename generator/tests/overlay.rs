//! Overlays and the precedence of hand-curated files over imported ones, on small specs.

use alicloud_codegen::diag::{Diagnostics, Severity};
use alicloud_codegen::load::{load, ProductSpec};
use alicloud_codegen::spec::{Shape, Style};
use alicloud_codegen::{check, model, SourceFile};
use serde_json::{json, Value};

fn file(path: &str, v: Value) -> SourceFile {
    SourceFile {
        path: path.to_owned(),
        text: serde_json::to_string_pretty(&v).unwrap(),
    }
}

fn product(crate_name: &str) -> Value {
    json!({
        "code": "Demo", "version": "2024-01-01", "style": "RPC",
        "endpoint": {"pattern": "demo.{region_id}.example.com"},
        "crate_name": crate_name, "description": ""
    })
}

/// An imported product: `product.json`, and `CreateThing` with its own shapes.
fn imported() -> Vec<SourceFile> {
    vec![
        file(
            "spec/demo/imported/product.json",
            json!({"format_version": 1, "product": product("alicloud-demo")}),
        ),
        file(
            "spec/demo/imported/CreateThing.json",
            json!({
                "format_version": 1,
                "shapes": {
                    "CreateThingSpec": {"kind": "object", "fields": [
                        {"name": "Size", "type": "int32"},
                        {"name": "Mode", "type": "string"},
                        {"name": "Junk", "type": "string"}
                    ]},
                    "CreateThingResponseThing": {"kind": "object", "fields": [
                        {"name": "Asn", "type": "int32"},
                        {"name": "Id", "type": "string"}
                    ]}
                },
                "operations": [{
                    "name": "CreateThing", "description": "",
                    "parameters": [
                        {"name": "RegionId", "type": "string", "required": true, "example": "cn-hangzhou"},
                        {"name": "Config", "type": "string", "example": "{\"Psk\":\"x\"}"},
                        {"name": "Spec", "type": "list<CreateThingSpec>", "style": "flat", "location": "body"},
                        {"name": "Trace", "type": "string", "location": "path"}
                    ],
                    "response": [
                        {"name": "Thing", "type": "CreateThingResponseThing"},
                        {"name": "RequestId", "type": "string"}
                    ],
                    "errors": [
                        {"status": 400, "code": "Busy", "message": "Busy."},
                        {"status": 400, "code": "Gone", "message": "Gone."},
                        {"status": 500, "code": "Gone", "message": "Gone, really."}
                    ]
                }]
            }),
        ),
        file(
            "spec/demo/imported/DescribeThing.json",
            json!({
                "format_version": 1,
                "shapes": {"DescribeThingResponseState": {"kind": "enum", "values": [{"value": "on"}]}},
                "operations": [{"name": "DescribeThing", "description": "", "parameters": [],
                    "response": [{"name": "State", "type": "DescribeThingResponseState"}], "errors": []}]
            }),
        ),
    ]
}

fn overlay(v: Value) -> SourceFile {
    file(
        "spec/demo/overlays/CreateThing.json",
        json!({"format_version": 1, "overlays": [v]}),
    )
}

fn load_all(files: &[SourceFile]) -> (Vec<ProductSpec>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let products = load(files, &mut diags);
    (products, diags)
}

fn errors(d: &Diagnostics) -> Vec<String> {
    d.0.iter()
        .filter(|x| x.severity == Severity::Error)
        .map(|x| format!("{} {}: {}", x.file, x.path, x.message))
        .collect()
}

fn full_overlay() -> Value {
    json!({
        "operation": "CreateThing",
        "description": "Creates a thing.",
        "ram": {"action": "demo:CreateThing", "access_level": "create"},
        "asynchronous": {"poll_operation": "DescribeThing", "interval_ms": 1000, "max_attempts": 5},
        "rename_shapes": {
            "CreateThingSpec": "ThingSpec",
            "CreateThingResponseThing": "ThingResult"
        },
        "shapes": {
            "ThingConfig": {"kind": "object", "description": "Settings.", "fields": [
                {"name": "Psk", "type": "string", "sensitive": true}
            ]}
        },
        "shape_patches": {
            "ThingSpec": {
                "description": "One spec.",
                "remove_fields": ["Junk"],
                "fields": {"Size": {"type": "int64", "constraints": [{"rule": "range", "min": 1}]}},
                "add_fields": [{"name": "Role", "type": "string"}],
                "order": ["Role", "Mode"],
                "rules": [{"rule": "requires_if", "when": {"present": "Role"}, "require": "Mode"}]
            },
            "ThingResult": {"fields": {"Asn": {"type": "int64"}}}
        },
        "remove_parameters": ["Trace"],
        "parameters": {
            "Config": {"type": "ThingConfig", "style": "json", "example": null, "description": "The settings."},
            "RegionId": {"idempotency_token": false, "constraints": [{"rule": "length", "max": 32}]}
        },
        "add_parameters": [{"name": "OwnerId", "type": "int64"}],
        "rules": [{"rule": "forbid", "when": {"present": "OwnerId"}, "report_at": "OwnerId", "message": "not with this"}],
        "response": {"RequestId": {"description": "The request."}},
        "add_response": [{"name": "Extra", "type": "string"}],
        "response_order": ["RequestId"],
        "errors": {
            "Busy": {"retryable": true, "description": "Try later."},
            "Gone": {"description": "No such thing."},
            "Gone@500": {"description": "Gone, on the server's side."}
        },
        "add_errors": [{"status": 404, "code": "NotFound", "message": "Not found."}],
        "waiters": []
    })
}

#[test]
fn an_overlay_patches_its_imported_operation() {
    let mut files = imported();
    files.push(overlay(full_overlay()));
    let (products, diags) = load_all(&files);
    assert!(!diags.has_errors(), "{diags}");
    let p = &products[0];
    let (op, origin) = p
        .operations
        .iter()
        .find(|(o, _)| o.name == "CreateThing")
        .unwrap();
    assert_eq!(origin.file, "spec/demo/imported/CreateThing.json");
    assert_eq!(op.description, "Creates a thing.");
    assert_eq!(op.ram.as_ref().unwrap().access_level, "create");
    assert_eq!(op.asynchronous.as_ref().unwrap().interval_ms, 1000);
    let params: Vec<(&str, &str)> = op
        .parameters
        .iter()
        .map(|x| (x.name.as_str(), x.ty.as_str()))
        .collect();
    assert_eq!(
        params,
        [
            ("RegionId", "string"),
            ("Config", "ThingConfig"),
            ("Spec", "list<ThingSpec>"),
            ("OwnerId", "int64")
        ]
    );
    let config = &op.parameters[1];
    assert_eq!(config.style, Style::Json);
    assert_eq!(config.example, None, "null removes the example");
    assert_eq!(config.description, "The settings.");
    let region = &op.parameters[0];
    assert!(region.required, "keys not given are kept");
    assert_eq!(region.example, Some(json!("cn-hangzhou")));
    assert_eq!(region.constraints.len(), 1);
    assert_eq!(op.rules.len(), 1);
    let resp: Vec<&str> = op.response.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(resp, ["RequestId", "Thing", "Extra"]);
    assert_eq!(op.response[0].description, "The request.");
    assert_eq!(op.response[1].ty, "ThingResult");
    let errs: Vec<(u16, &str, Option<bool>, &str)> = op
        .errors
        .iter()
        .map(|e| {
            (
                e.status,
                e.code.as_str(),
                e.retryable,
                e.description.as_str(),
            )
        })
        .collect();
    assert_eq!(
        errs,
        [
            (400, "Busy", Some(true), "Try later."),
            // The import never states retryability: unknown until an overlay says.
            (400, "Gone", None, "No such thing."),
            (500, "Gone", None, "Gone, on the server's side."),
            (404, "NotFound", None, ""),
        ]
    );
    // Shapes: renamed (old names gone), patched, reordered, added.
    assert!(!p.shapes.contains_key("CreateThingSpec"));
    let Shape::Object {
        description,
        fields,
        rules,
    } = &p.shapes["ThingSpec"].0
    else {
        panic!()
    };
    assert_eq!(description, "One spec.");
    let f: Vec<(&str, &str)> = fields
        .iter()
        .map(|x| (x.name.as_str(), x.ty.as_str()))
        .collect();
    assert_eq!(
        f,
        [("Role", "string"), ("Mode", "string"), ("Size", "int64")]
    );
    assert_eq!(rules.len(), 1);
    assert_eq!(
        p.shapes["ThingConfig"].1.owner.as_deref(),
        Some("CreateThing")
    );
    // The merged product checks and models; overlay shapes go to the operation's module.
    let mut diags = Diagnostics::default();
    check::check(p, &mut diags);
    assert!(!diags.has_errors(), "{diags}");
    let m = model::build(p, &mut diags).expect("models");
    for name in ["ThingConfig", "ThingSpec", "ThingResult"] {
        let s = m.shapes.iter().find(|s| s.name == name).unwrap();
        assert_eq!(m.module_of(s), "create_thing", "{name}");
    }
}

#[test]
fn what_an_overlay_names_must_exist() {
    let cases = [
        (
            json!({"operation": "Nope"}),
            "$.overlays[0].operation",
            "no imported operation `Nope`",
        ),
        (
            json!({"operation": "CreateThing", "parameters": {"Nope": {"required": true}}}),
            "$.overlays[0].parameters.Nope",
            "has no parameter `Nope`",
        ),
        (
            json!({"operation": "CreateThing", "remove_parameters": ["Nope"]}),
            "$.overlays[0].remove_parameters[0]",
            "no parameter `Nope` to remove",
        ),
        (
            json!({"operation": "CreateThing", "add_parameters": [{"name": "RegionId", "type": "string"}]}),
            "$.overlays[0].add_parameters[0].name",
            "already has a parameter `RegionId`",
        ),
        (
            json!({"operation": "CreateThing", "rename_shapes": {"Nope": "Other"}}),
            "$.overlays[0].rename_shapes.Nope",
            "no shape `Nope` to rename",
        ),
        (
            json!({"operation": "CreateThing", "rename_shapes": {"CreateThingSpec": "DescribeThingResponseState"}}),
            "$.overlays[0].rename_shapes.CreateThingSpec",
            "a shape `DescribeThingResponseState` exists",
        ),
        (
            json!({"operation": "CreateThing", "shape_patches": {"DescribeThingResponseState": {}}}),
            "$.overlays[0].shape_patches.DescribeThingResponseState",
            "is not an object",
        ),
        (
            json!({"operation": "CreateThing", "shape_patches": {"CreateThingSpec": {"fields": {"Nope": {"type": "int64"}}}}}),
            "$.overlays[0].shape_patches.CreateThingSpec.fields.Nope",
            "the shape has no field `Nope`",
        ),
        (
            json!({"operation": "CreateThing", "response_order": ["Nope"]}),
            "$.overlays[0].response_order[0]",
            "has no field `Nope`",
        ),
        (
            json!({"operation": "CreateThing", "errors": {"Nope": {"retryable": true}}}),
            "$.overlays[0].errors.Nope",
            "documents no error code `Nope`",
        ),
        (
            json!({"operation": "CreateThing", "errors": {"Busy@500": {"retryable": true}}}),
            "$.overlays[0].errors.Busy@500",
            "no error code `Busy` under HTTP 500",
        ),
    ];
    for (ov, path, needle) in cases {
        let mut files = imported();
        files.push(overlay(ov.clone()));
        let (_, diags) = load_all(&files);
        let errs = errors(&diags);
        assert!(
            errs.iter().any(|e| e
                .starts_with(&format!("spec/demo/overlays/CreateThing.json {path}:"))
                && e.contains(needle)),
            "{ov}: {errs:#?}"
        );
    }
    // Unknown keys are refused, as everywhere in the format.
    let mut files = imported();
    files.push(overlay(
        json!({"operation": "CreateThing", "parameters": {"RegionId": {"colour": "red"}}}),
    ));
    let (_, diags) = load_all(&files);
    assert!(
        errors(&diags)[0].contains("unknown field `colour`"),
        "{diags}"
    );
}

#[test]
fn one_overlay_per_operation_and_none_in_imported_files() {
    let mut files = imported();
    files.push(overlay(json!({"operation": "CreateThing"})));
    files.push(file(
        "spec/demo/overlays/Again.json",
        json!({"format_version": 1, "overlays": [{"operation": "CreateThing"}]}),
    ));
    let (_, diags) = load_all(&files);
    assert!(
        errors(&diags)
            .iter()
            .any(|e| e.contains("a second overlay of operation `CreateThing`")),
        "{diags}"
    );
    let mut files = imported();
    files.push(file(
        "spec/demo/imported/Bad.json",
        json!({"format_version": 1, "overlays": [{"operation": "CreateThing"}]}),
    ));
    let (_, diags) = load_all(&files);
    assert!(
        errors(&diags)
            .iter()
            .any(|e| e.contains("an imported file has `overlays`")),
        "{diags}"
    );
}

#[test]
fn hand_curated_files_replace_imported_declarations() {
    let mut files = imported();
    // A hand-curated product and a hand-curated CreateThing, with an overlay of it.
    files.push(file(
        "spec/demo/product.json",
        json!({"format_version": 1, "product": product("alicloud-demo-curated")}),
    ));
    files.push(file(
        "spec/demo/CreateThing.json",
        json!({"format_version": 1, "operations": [{
            "name": "CreateThing", "description": "Curated.",
            "parameters": [{"name": "RegionId", "type": "string"}], "response": [], "errors": []
        }]}),
    ));
    files.push(overlay(full_overlay()));
    let (products, diags) = load_all(&files);
    assert!(diags.0.is_empty(), "{diags}");
    let p = &products[0];
    assert_eq!(p.product.crate_name, "alicloud-demo-curated");
    assert_eq!(p.product_origin.file, "spec/demo/product.json");
    let (op, origin) = p
        .operations
        .iter()
        .find(|(o, _)| o.name == "CreateThing")
        .unwrap();
    assert_eq!(origin.file, "spec/demo/CreateThing.json");
    assert_eq!(op.description, "Curated.", "the overlay is not applied");
    assert_eq!(op.parameters.len(), 1);
    // The imported operation's own shapes went with it; the overlay's were never added.
    for gone in [
        "CreateThingSpec",
        "CreateThingResponseThing",
        "ThingConfig",
        "ThingSpec",
    ] {
        assert!(!p.shapes.contains_key(gone), "{gone}");
    }
    assert!(p.shapes.contains_key("DescribeThingResponseState"));
    let mut diags = Diagnostics::default();
    check::check(p, &mut diags);
    assert!(!diags.has_errors(), "{diags}");
    // Two imported products in one folder are still an error.
    let mut files = imported();
    files.push(file(
        "spec/demo/imported/product2.json",
        json!({"format_version": 1, "product": product("alicloud-demo")}),
    ));
    let (_, diags) = load_all(&files);
    assert!(
        errors(&diags)
            .iter()
            .any(|e| e.contains("a second imported `product`")),
        "{diags}"
    );
}

#[test]
fn a_curated_product_keeps_the_imported_endpoint_map_unless_it_has_its_own() {
    let with_regions = |crate_name: &str, regions: Value| {
        let mut p = product(crate_name);
        p["endpoint"]["regions"] = regions;
        p
    };
    let mut files = imported();
    files[0] = file(
        "spec/demo/imported/product.json",
        json!({"format_version": 1, "product": with_regions("alicloud-demo", json!([
            {"region_id": "cn-hangzhou", "host": "demo.example.com"},
            {"region_id": "cn-shanghai", "host": "demo.cn-shanghai.example.com"},
            {"region_id": "eu-west-1", "host": "demo..example.com"}
        ]))}),
    );
    // A curated product without `regions`: the imported list is kept, and its problems are
    // reported at the imported file.
    files.push(file(
        "spec/demo/product.json",
        json!({"format_version": 1, "product": product("alicloud-demo-curated")}),
    ));
    let (products, diags) = load_all(&files);
    assert!(diags.0.is_empty(), "{diags}");
    let p = &products[0];
    assert_eq!(p.product.crate_name, "alicloud-demo-curated");
    assert_eq!(p.product.endpoint.regions.as_ref().map(Vec::len), Some(3));
    let mut diags = Diagnostics::default();
    check::check(p, &mut diags);
    let endpoint_errors: Vec<String> = errors(&diags)
        .into_iter()
        .filter(|e| e.contains("endpoint"))
        .collect();
    assert_eq!(
        endpoint_errors,
        ["spec/demo/imported/product.json $.product.endpoint.regions[2].host: \"demo..example.com\" is not a host name: it has an empty label (two dots, or a dot at an end)"]
    );
    // Only what the pattern does not give goes into the crate.
    assert_eq!(
        model::endpoint_map(&p.product.endpoint),
        [
            ("cn-hangzhou".to_owned(), "demo.example.com".to_owned()),
            ("eu-west-1".to_owned(), "demo..example.com".to_owned())
        ]
    );
    // A curated list (even an empty one) replaces it.
    files.pop();
    files.push(file(
        "spec/demo/product.json",
        json!({"format_version": 1, "product": with_regions("alicloud-demo-curated", json!([]))}),
    ));
    let (products, diags) = load_all(&files);
    assert!(diags.0.is_empty(), "{diags}");
    assert_eq!(products[0].product.endpoint.regions, Some(vec![]));
    assert_eq!(products[0].regions_origin.file, "spec/demo/product.json");
}

#[test]
fn imported_files_are_told_apart_by_their_folder() {
    use alicloud_codegen::load::is_imported;
    assert!(is_imported("spec/vpc/imported/X.json", "spec/vpc"));
    assert!(is_imported("a/spec/vpc/imported/sub/X.json", "a/spec/vpc"));
    assert!(!is_imported("spec/vpc/X.json", "spec/vpc"));
    assert!(!is_imported("spec/vpc/overlays/X.json", "spec/vpc"));
    assert!(!is_imported("spec/vpc/imported/", "spec/vpc"));
    assert!(!is_imported("spec/vpcx/imported/X.json", "spec/vpc"));
}

#[test]
fn unsendable_locations_and_patterns_are_checked() {
    let mut files = imported();
    files.push(overlay(json!({
        "operation": "CreateThing",
        "parameters": {
            "RegionId": {"pattern": "^cn-"},
            "Spec": {"pattern": "^x$"}
        }
    })));
    let (products, diags) = load_all(&files);
    assert!(!diags.has_errors(), "{diags}");
    let mut diags = Diagnostics::default();
    check::check(&products[0], &mut diags);
    let errs = errors(&diags);
    assert_eq!(
        errs,
        [
            "spec/demo/imported/CreateThing.json $.operations[0].parameters[3].location: parameter `Trace` travels in the path, which only ROA-style products have",
            "spec/demo/imported/CreateThing.json $.operations[0].parameters[2].pattern: a pattern applies to strings, not to list<CreateThingSpec>",
        ]
    );
}
