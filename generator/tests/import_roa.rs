//! The importer and the checker on a small hand-written ROA-style metadata file
//! (`tests/data/import/shop-2024-02-02.api-docs.json`, no Alibaba prose): methods and path
//! templates, path parameters, body members and whole bodies, top-level array, map and empty
//! responses; then the checker's refusals of what a ROA (or RPC) operation cannot be.

use alicloud_codegen::diag::{Diagnostics, Severity};
use alicloud_codegen::import::{import, Imported, IssueKind};
use alicloud_codegen::spec::{
    ApiStyle, Constraint, HttpMethod, Operation, ParameterLocation, Style,
};
use alicloud_codegen::{check, load, model, Settings, SourceFile};
use serde_json::{json, Value};

const FIXTURE: &str = include_str!("data/import/shop-2024-02-02.api-docs.json");
const SOURCE: &str = "shop-2024-02-02.api-docs.json";

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

/// (name, location, style, required, type) of each parameter.
fn params(o: &Operation) -> Vec<(&str, ParameterLocation, Style, bool, &str)> {
    o.parameters
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.location,
                p.style,
                p.required,
                p.ty.as_str(),
            )
        })
        .collect()
}

fn sources(files: Vec<(String, String)>) -> Vec<SourceFile> {
    files
        .into_iter()
        .map(|(path, text)| SourceFile { path, text })
        .collect()
}

fn imported_sources(i: &Imported) -> Vec<(String, String)> {
    i.files
        .iter()
        .map(|f| {
            (
                format!("spec/{}/imported/{}", i.folder, f.name),
                f.to_json(),
            )
        })
        .collect()
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

fn errors(d: &Diagnostics) -> Vec<String> {
    d.0.iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{} {}", d.path, d.message))
        .collect()
}

#[test]
fn methods_paths_and_parameters() {
    let i = imported();
    let product = i.files[0].spec.product.as_ref().expect("product.json");
    assert_eq!(product.style, ApiStyle::Roa);
    assert_eq!(product.endpoint.pattern, "shop.{region_id}.aliyuncs.com");

    let get = op(&i, "GetCart");
    assert_eq!(get.http_method, HttpMethod::Get);
    assert_eq!(get.path.as_deref(), Some("/carts/{CartId}"));
    // A path parameter is required even where the metadata says it is not.
    assert_eq!(
        params(get),
        [
            (
                "CartId",
                ParameterLocation::Path,
                Style::Plain,
                true,
                "string"
            ),
            (
                "verbose",
                ParameterLocation::Query,
                Style::Plain,
                false,
                "boolean"
            ),
        ]
    );
    // And a string one is never empty (an empty segment addresses another resource).
    assert!(matches!(
        get.parameters[0].constraints.as_slice(),
        [Constraint::Length {
            min: Some(1),
            max: None,
            ..
        }]
    ));
    assert!(get.parameters[1].constraints.is_empty());
    assert_eq!(op(&i, "DeleteCart").http_method, HttpMethod::Delete);
    // The first method listed.
    assert_eq!(op(&i, "AddItems").http_method, HttpMethod::Post);

    // An object body: its properties are the members, named as the metadata spells them; the
    // member named like the path parameter is dropped, with a warning.
    let put = op(&i, "PutCart");
    assert_eq!(put.http_method, HttpMethod::Put);
    assert_eq!(
        params(put),
        [
            (
                "cart_id",
                ParameterLocation::Path,
                Style::Plain,
                true,
                "string"
            ),
            (
                "owner_name",
                ParameterLocation::Body,
                Style::Plain,
                true,
                "string"
            ),
            (
                "window",
                ParameterLocation::Body,
                Style::Json,
                false,
                "Window"
            ),
            (
                "labels",
                ParameterLocation::Body,
                Style::Json,
                false,
                "list<string>"
            ),
        ]
    );
    assert!(i.issues.iter().any(|x| x.kind == IssueKind::DuplicateName
        && x.diagnostic.message.contains("body member `cart_id`")));
    // A lone body parameter that is not an object is the whole body.
    assert_eq!(
        params(op(&i, "AddItems"))[1],
        (
            "items",
            ParameterLocation::WholeBody,
            Style::Json,
            false,
            "list<AddItemsItems>"
        )
    );
}

#[test]
fn responses_that_are_not_objects() {
    let i = imported();
    let list = op(&i, "ListCarts");
    assert!(list.response.is_empty());
    assert_eq!(
        list.response_body.as_deref(),
        Some("list<ListCartsResponseItem>")
    );
    assert_eq!(
        op(&i, "CountCarts").response_body.as_deref(),
        Some("map<int64>")
    );
    // No schema (`null`, headers only): no body, no field, and nothing to warn about.
    for name in ["DeleteCart", "AddItems"] {
        let o = op(&i, name);
        assert!(o.response.is_empty() && o.response_body.is_none(), "{name}");
    }
    assert!(!i
        .issues
        .iter()
        .any(|x| x.kind == IssueKind::UnusableResponse
            && (x.diagnostic.message.contains("DeleteCart")
                || x.diagnostic.message.contains("AddItems"))));
    // Objects with fields stay fields.
    assert_eq!(op(&i, "PutCart").response[0].name, "task_id");
}

#[test]
fn what_the_metadata_lacks_is_a_warning() {
    let i = imported();
    assert_eq!(op(&i, "TouchCart").path.as_deref(), Some("/"));
    assert!(i
        .issues
        .iter()
        .any(|x| x.kind == IssueKind::MissingPath && x.diagnostic.path == "$.apis.TouchCart.path"));
    assert!(i
        .issues
        .iter()
        .any(|x| x.kind == IssueKind::UnknownMethods && x.diagnostic.message.contains("`Noop`")));
    assert_eq!(op(&i, "Noop").http_method, HttpMethod::Post);
}

#[test]
fn rarer_styles_are_refused_naming_the_style() {
    for style in ["FC", "OSS", "PDS", "AliGenie", "V3"] {
        let text = format!(
            r#"{{"info": {{"product": "X", "version": "1", "style": "{style}"}}, "apis": {{}}}}"#
        );
        let issues = import(&text, "x.json").expect_err(style);
        assert!(
            issues.iter().any(|i| i.kind == IssueKind::NotRpc
                && i.diagnostic.severity == Severity::Error
                && i.diagnostic.message.contains(&format!("{style}-style"))),
            "{style}: {issues:?}"
        );
    }
}

#[test]
fn the_import_checks_models_and_generates() {
    let i = imported();
    let files = sources(imported_sources(&i));
    let diags = check_all(&files);
    assert!(errors(&diags).is_empty(), "{diags}");
    let out = alicloud_codegen::generate(&files, &Settings::default()).expect("generates");
    let file = |name: &str| {
        out.files
            .iter()
            .find(|f| f.path.ends_with(name))
            .unwrap_or_else(|| panic!("{name}"))
            .contents
            .clone()
    };
    let put = file("operation/put_cart.rs");
    assert!(put.contains("path.push_str(\"/api/v2/carts/\");"), "{put}");
    assert!(put.contains("body.member(\"owner_name\", value);"), "{put}");
    assert!(put.contains("method: \"PUT\""), "{put}");
    let list = file("operation/list_carts.rs");
    assert!(
        list.contains("::alicloud_runtime::roa::whole_body(d)"),
        "{list}"
    );
    let add = file("operation/add_items.rs");
    assert!(
        add.contains("w.json = ::alicloud_runtime::roa::json_body(value);"),
        "{add}"
    );
    let delete = file("operation/delete_cart.rs");
    assert!(
        delete.contains("::alicloud_runtime::roa::push_query_bool("),
        "{delete}"
    );
}

/// The imported product with `op` changed by `edit` (a JSON value of the operation).
fn with_edit(name: &str, edit: impl FnOnce(&mut Value)) -> Vec<SourceFile> {
    let mut edit = Some(edit);
    let i = imported();
    let files = imported_sources(&i)
        .into_iter()
        .map(|(path, text)| {
            if path.ends_with(&format!("/{name}.json")) {
                let mut v: Value = serde_json::from_str(&text).unwrap();
                if let Some(edit) = edit.take() {
                    edit(&mut v["operations"][0]);
                }
                (path, v.to_string())
            } else {
                (path, text)
            }
        })
        .collect();
    sources(files)
}

/// A change to an operation's JSON.
type Edit = Box<dyn FnOnce(&mut Value)>;

#[test]
fn the_checker_refuses_what_a_roa_operation_cannot_be() {
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "GetCart",
            Box::new(|o| {
                o.as_object_mut().unwrap().remove("path");
            }),
            "has no path template",
        ),
        (
            "GetCart",
            Box::new(|o| o["path"] = json!("/carts/{CartId")),
            "is not a path of literal segments",
        ),
        (
            "GetCart",
            Box::new(|o| o["path"] = json!("/carts/{Other}/{CartId}")),
            "placeholder `{Other}`",
        ),
        (
            "GetCart",
            Box::new(|o| o["path"] = json!("/carts")),
            "path parameter `CartId` has no `{CartId}` placeholder",
        ),
        (
            "GetCart",
            Box::new(|o| o["parameters"][0]["required"] = json!(false)),
            "is not required",
        ),
        (
            "GetCart",
            Box::new(|o| o["parameters"][0]["type"] = json!("list<string>")),
            "a path segment holds one value",
        ),
        (
            "AddItems",
            Box::new(|o| {
                o["parameters"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({"name": "note", "type": "string", "location": "body"}))
            }),
            "a request has one body",
        ),
        (
            "ListCarts",
            Box::new(|o| o["response"] = json!([{"name": "x", "type": "string"}])),
            "both `response_body` and `response`",
        ),
    ];
    for (name, edit, needle) in cases {
        let d = check_all(&with_edit(name, edit));
        let errs = errors(&d);
        assert!(
            errs.iter().any(|e| e.contains(needle)),
            "{needle}: {errs:?}"
        );
    }
}

#[test]
fn the_checker_refuses_roa_keys_in_rpc_products() {
    let i = imported();
    let files: Vec<(String, String)> = imported_sources(&i)
        .into_iter()
        .map(|(path, text)| {
            let mut v: Value = serde_json::from_str(&text).unwrap();
            if let Some(p) = v.get_mut("product") {
                p["style"] = json!("RPC");
            }
            (path, v.to_string())
        })
        .collect();
    let errs = errors(&check_all(&sources(files)));
    for needle in [
        "operation `GetCart` has a path, but the product is RPC-style",
        "operation `DeleteCart` uses DELETE, which RPC-style products do not",
        "parameter `CartId` travels in the path, which only ROA-style products have",
        "parameter `items` travels in the whole_body, which only ROA-style products have",
        "operation `ListCarts` declares `response_body`",
    ] {
        assert!(
            errs.iter().any(|e| e.contains(needle)),
            "{needle}: {errs:?}"
        );
    }
}
