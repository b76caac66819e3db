//! ModifyVpnConnectionAttribute as import + overlay: the operation imported from Alibaba's
//! metadata (committed under `tests/data/imported/vpc/`, kept current by
//! `cargo xtask import-check`) merged with `spec/vpc/overlays/ModifyVpnConnectionAttribute.json`
//! gives the same operation model as the hand-curated spec, descriptions and examples aside,
//! and the same generated code but for the line naming the spec file.

use std::path::{Path, PathBuf};

use alicloud_codegen::diag::Diagnostics;
use alicloud_codegen::model::{OperationModel, ProductModel, ShapeKind, Ty};
use alicloud_codegen::{check, load, model, Settings, SourceFile};
use serde_json::{json, Value};

/// The hand-curated spec the import + overlay must reproduce. When the import replaces it in
/// `spec/vpc/`, move it to `generator/tests/data/reference/` and point this there.
const REFERENCE: &str = "spec/vpc/ModifyVpnConnectionAttribute.json";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn read(repo_path: &str, as_path: &str) -> SourceFile {
    let text = std::fs::read_to_string(root().join(repo_path))
        .unwrap_or_else(|e| panic!("{repo_path}: {e}"));
    SourceFile {
        path: as_path.to_owned(),
        text,
    }
}

/// The hand-curated Vpc specs: the product, DescribeVpnGateway (the operation polled) and
/// the reference, with the enums the import reads from descriptions (shared by the whole
/// product, they come with the imported product.json).
fn curated() -> Vec<SourceFile> {
    vec![
        read("spec/vpc/product.json", "spec/vpc/product.json"),
        read(
            "spec/vpc/DescribeVpnGateway.json",
            "spec/vpc/DescribeVpnGateway.json",
        ),
        read(REFERENCE, "spec/vpc/ModifyVpnConnectionAttribute.json"),
        fact_enums(),
    ]
}

/// The enum shapes of the imported product.json read from descriptions, as a file of their
/// own.
fn fact_enums() -> SourceFile {
    let product = read(
        "generator/tests/data/imported/vpc/product.json",
        "spec/vpc/imported/product.json",
    );
    let v: Value = serde_json::from_str(&product.text).expect("imported product.json");
    let shapes: serde_json::Map<String, Value> = v["shapes"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, s)| {
                    s["kind"] == "enum"
                        && s["description"].as_str().is_some_and(|d| {
                            d.starts_with("Values listed in the reference's description")
                        })
                })
                .map(|(k, s)| (k.clone(), s.clone()))
                .collect()
        })
        .unwrap_or_default();
    SourceFile {
        path: "spec/vpc/fact_enums.json".into(),
        text: json!({"format_version": 1, "shapes": shapes}).to_string(),
    }
}

/// The same with the reference replaced by the import and the overlay.
fn merged() -> Vec<SourceFile> {
    vec![
        read("spec/vpc/product.json", "spec/vpc/product.json"),
        read(
            "spec/vpc/DescribeVpnGateway.json",
            "spec/vpc/DescribeVpnGateway.json",
        ),
        read(
            "spec/vpc/overlays/ModifyVpnConnectionAttribute.json",
            "spec/vpc/overlays/ModifyVpnConnectionAttribute.json",
        ),
        read(
            "generator/tests/data/imported/vpc/product.json",
            "spec/vpc/imported/product.json",
        ),
        read(
            "generator/tests/data/imported/vpc/ModifyVpnConnectionAttribute.json",
            "spec/vpc/imported/ModifyVpnConnectionAttribute.json",
        ),
    ]
}

fn build(files: &[SourceFile]) -> ProductModel {
    let mut diags = Diagnostics::default();
    let products = load::load(files, &mut diags);
    assert_eq!(products.len(), 1, "{diags}");
    check::check(&products[0], &mut diags);
    let m = model::build(&products[0], &mut diags);
    assert!(
        diags.0.is_empty(),
        "no errors, no warnings expected:\n{diags}"
    );
    m.expect("models")
}

/// A type, structurally: shapes by name, module and content (fields sorted by wire name).
fn ty(m: &ProductModel, t: &Ty, depth: usize) -> Value {
    match t {
        Ty::Scalar { kind, as_string } => {
            json!({"scalar": format!("{kind:?}"), "as_string": as_string})
        }
        Ty::Any => json!("any"),
        Ty::List(t) => json!({"list": ty(m, t, depth)}),
        Ty::Map(t) => json!({"map": ty(m, t, depth)}),
        Ty::Object(i) | Ty::Enum(i) => {
            let s = &m.shapes[*i];
            let content = if depth > 8 {
                Value::Null
            } else {
                match &s.kind {
                    ShapeKind::Object { fields, rules } => json!({
                        "fields": fields_of(m, fields, depth + 1),
                        "rules": serde_json::to_value(rules).unwrap(),
                    }),
                    ShapeKind::Enum { variants } => json!(variants
                        .iter()
                        .map(|v| json!([v.value, v.rust.as_str()]))
                        .collect::<Vec<_>>()),
                }
            };
            json!({"shape": s.name, "rust": s.rust.as_str(), "module": m.module_of(s), "content": content})
        }
    }
}

fn fields_of(
    m: &ProductModel,
    fields: &[alicloud_codegen::model::FieldModel],
    depth: usize,
) -> Value {
    let mut v: Vec<(String, Value)> = fields
        .iter()
        .map(|f| {
            (
                f.wire.clone(),
                json!({
                    "wire": f.wire,
                    "rust": f.rust,
                    "type": ty(m, &f.ty, depth),
                    "required": f.required,
                    "sensitive": f.sensitive,
                    "location": format!("{:?}", f.location),
                    "style": format!("{:?}", f.style),
                    "idempotency_token": f.idempotency_token,
                    "deprecated": f.deprecated,
                    "constraints": serde_json::to_value(&f.constraints).unwrap(),
                    "pattern": f.pattern,
                }),
            )
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    Value::Array(v.into_iter().map(|(_, x)| x).collect())
}

/// An operation, structurally, descriptions, examples and ordering aside.
fn operation(m: &ProductModel, op: &OperationModel) -> Value {
    let mut errors: Vec<Value> = op
        .errors
        .iter()
        .map(|e| {
            let mut entries: Vec<Value> = e
                .entries
                .iter()
                .map(|x| json!([x.status, x.message, x.retryable]))
                .collect();
            entries.sort_by_key(|v| v.to_string());
            json!({"code": e.code, "rust": e.rust, "retryable": e.retryable, "entries": entries})
        })
        .collect();
    errors.sort_by_key(|v| v.to_string());
    json!({
        "name": op.spec.name,
        "module": op.module,
        "request": op.request_type,
        "http_method": format!("{:?}", op.spec.http_method),
        "ram": serde_json::to_value(&op.spec.ram).unwrap(),
        "asynchronous": serde_json::to_value(&op.spec.asynchronous).unwrap(),
        "deprecated": op.spec.deprecated,
        "parameters": fields_of(m, &op.params, 0),
        "rules": serde_json::to_value(&op.spec.rules).unwrap(),
        "response": fields_of(m, &op.response, 0),
        "errors": errors,
        "waiters": serde_json::to_value(&op.spec.waiters).unwrap(),
    })
}

fn modify(m: &ProductModel) -> Value {
    let op = m
        .operations
        .iter()
        .find(|o| o.spec.name == "ModifyVpnConnectionAttribute")
        .expect("the operation");
    operation(m, op)
}

#[test]
fn import_and_overlay_give_the_hand_curated_model() {
    let curated = build(&curated());
    let merged = build(&merged());
    let a = serde_json::to_string_pretty(&modify(&curated)).unwrap();
    let b = serde_json::to_string_pretty(&modify(&merged)).unwrap();
    assert!(
        a == b,
        "the models differ:\n--- curated\n{a}\n--- merged\n{b}"
    );
    // The same shapes in all, and nothing left under a derived name.
    let names = |m: &ProductModel| m.shapes.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&curated), names(&merged));
}

#[test]
fn import_and_overlay_generate_the_same_code() {
    let settings = Settings::default();
    let a = alicloud_codegen::generate(&curated(), &settings).expect("generates");
    let b = alicloud_codegen::generate(&merged(), &settings).expect("generates");
    assert_eq!(a.files.len(), b.files.len());
    for (x, y) in a.files.iter().zip(&b.files) {
        assert_eq!(x.path, y.path);
        // The first line names the spec file the code was generated from.
        let body = |s: &str| {
            s.split_once('\n')
                .map(|(_, b)| b.to_owned())
                .unwrap_or_default()
        };
        assert!(body(&x.contents) == body(&y.contents), "{} differs", x.path);
    }
}

#[test]
fn in_the_repository_the_overlay_is_dormant() {
    // spec/vpc holds the hand-curated operation, which replaces the import and its overlay:
    // loading every file of spec/vpc gives exactly the hand-curated model.
    let mut all = curated();
    all.push(read(
        "spec/vpc/overlays/ModifyVpnConnectionAttribute.json",
        "spec/vpc/overlays/ModifyVpnConnectionAttribute.json",
    ));
    let with_overlay = build(&all);
    let curated = build(&curated());
    assert_eq!(modify(&with_overlay), modify(&curated));
}
