//! Reading facts from descriptions: every phrasing of `tests/data/facts.json` (descriptions
//! written for the tests, in the metadata's phrasings) gives exactly the listed facts, and the
//! importer turns them into shared enums, constraints only when unambiguous, and docs of ours.

use alicloud_codegen::import::{facts, import, import_with, Options};
use alicloud_codegen::spec::{Constraint, Shape};
use serde_json::{json, Value};

#[test]
fn every_phrasing_gives_its_facts() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/facts.json"
    ))
    .expect("fixture");
    let cases: Value = serde_json::from_str(&text).expect("fixture is JSON");
    let cases = cases["cases"].as_array().expect("cases");
    assert!(cases.len() >= 15);
    for case in cases {
        let what = case["phrasing"].as_str().unwrap_or_default();
        let f = facts::read(case["description"].as_str().expect("description"));
        let values: Vec<String> = case["values"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|v| v.as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(f.values, values, "values: {what}");
        assert_eq!(
            f.default.as_deref(),
            case["default"].as_str(),
            "default: {what}"
        );
        assert_eq!(f.unit.as_deref(), case["unit"].as_str(), "unit: {what}");
        let range = case["range"]
            .as_array()
            .map(|r| (r[0].as_f64(), r[1].as_f64()));
        assert_eq!(f.range, range, "range: {what}");
        let length = case["length"]
            .as_array()
            .map(|r| (r[0].as_u64().unwrap_or(0), r[1].as_u64().unwrap_or(0)));
        assert_eq!(f.length, length, "length: {what}");
        let up_to = case["up_to"].as_array().map(|r| {
            (
                r[0].as_u64().unwrap_or(0),
                r[1].as_str().unwrap_or_default().to_owned(),
            )
        });
        assert_eq!(f.up_to, up_to, "up to: {what}");
        if let Some(e) = case["enforceable"].as_bool() {
            assert_eq!(f.enforceable_range(&[]).is_some(), e, "enforceable: {what}");
        }
    }
}

fn metadata(apis: Value) -> String {
    json!({
        "info": {"style": "RPC", "product": "Demo", "version": "2020-01-01"},
        "endpoints": [{"regionId": "cn-a", "endpoint": "demo.cn-a.aliyuncs.com"}],
        "apis": apis
    })
    .to_string()
}

fn param(name: &str, ty: &str, description: &str, extra: Value) -> Value {
    let mut schema = json!({"type": ty, "description": description});
    if let (Some(s), Some(e)) = (schema.as_object_mut(), extra.as_object()) {
        s.extend(e.clone());
    }
    json!({"name": name, "in": "query", "schema": schema})
}

fn demo() -> String {
    let status = "Valid values:\n\n*   **Up**: fine\n*   **Down**: not fine\n";
    metadata(json!({
        "DescribeWidgets": {
            "systemTags": {"operationType": "list"},
            "parameters": [
                param("Status", "string", status, json!({})),
                param("PageNumber", "integer", "Valid values: **1** to **100**. Default value: **1**.", json!({})),
                param("Dscp", "integer", "Valid values: **0** to **63**. Pass -1 to keep it.", json!({})),
                param("PageSize", "integer", "x", json!({})),
                param("Mode", "string", "Valid values: **a** and **b**.", json!({"example": "c"})),
                param("Flag", "string", "Valid values: **true** and **false**.", json!({}))
            ],
            "responses": {"200": {"schema": {"type": "object", "properties": {
                "Status": {"type": "string", "description": status},
                "Other": {"type": "object", "properties": {
                    "Status": {"type": "string", "description": "Valid values: **Ok** and **Bad**."}
                }}
            }}}}
        },
        "DeleteWidget": {
            "systemTags": {"operationType": "delete"},
            "parameters": [param("Status", "string", status, json!({}))]
        }
    }))
}

#[test]
fn shared_enums_constraints_and_docs() {
    let imported = import(&demo(), "demo.json").expect("imports");
    let product = &imported.files[0].spec;
    let enums: Vec<(&String, Vec<&str>)> = product
        .shapes
        .iter()
        .filter_map(|(n, s)| match s {
            Shape::Enum { values, .. } => {
                Some((n, values.iter().map(|v| v.value.as_str()).collect()))
            }
            _ => None,
        })
        .collect();
    // One shared enum for the three uses of {Up, Down}, named after the field; the other
    // value set of a field of the same name is told apart by its values.
    assert_eq!(enums.len(), 2, "{enums:?}");
    assert!(
        enums.contains(&(&"Status".to_owned(), vec!["Up", "Down"])),
        "{enums:?}"
    );
    assert!(
        enums.contains(&(&"StatusBadOk".to_owned(), vec!["Ok", "Bad"])),
        "{enums:?}"
    );
    let op = |name: &str| {
        imported
            .files
            .iter()
            .flat_map(|f| &f.spec.operations)
            .find(|o| o.name == name)
            .expect("operation")
    };
    let describe = op("DescribeWidgets");
    let p = |n: &str| {
        describe
            .parameters
            .iter()
            .find(|p| p.name == n)
            .expect("param")
    };
    assert_eq!(p("Status").ty, "Status");
    assert_eq!(op("DeleteWidget").parameters[0].ty, "Status");
    assert_eq!(describe.response[0].ty, "Status");
    // An unambiguous range is a rule; one contradicted by another number of the text is docs.
    assert!(matches!(
        p("PageNumber").constraints.as_slice(),
        [Constraint::Range { .. }]
    ));
    assert!(p("Dscp").constraints.is_empty());
    assert!(
        p("Dscp").description.contains("0 to 63 (not checked)"),
        "{}",
        p("Dscp").description
    );
    assert!(p("PageNumber").description.contains("Default: `1`"));
    // The example is not among the listed values: the list may be partial, docs only.
    assert_eq!(p("Mode").ty, "string");
    // true/false on a string is a boolean in disguise: never an enum.
    assert_eq!(p("Flag").ty, "string");
    // Our own sentences: none of the metadata's text is copied.
    assert!(!p("Status").description.contains("fine"));
    assert_eq!(
        describe.description,
        "Describes Widgets. Reads only: it changes nothing. Paged: `PageNumber` and `PageSize` select the page."
    );
    assert_eq!(
        op("DeleteWidget").description,
        "Deletes Widget. Changes resources (deletes)."
    );
    let counts = &imported.fact_counts.0;
    assert_eq!(counts.get("enum"), Some(&4));
    assert_eq!(counts.get("range-rule"), Some(&1));
}

#[test]
fn descriptions_are_included_only_when_asked() {
    let options = Options {
        include_descriptions: true,
        ..Options::default()
    };
    let with = import_with(&demo(), "demo.json", &options).expect("imports");
    let without = import(&demo(), "demo.json").expect("imports");
    let status = |i: &alicloud_codegen::import::Imported| {
        i.files
            .iter()
            .flat_map(|f| &f.spec.operations)
            .find(|o| o.name == "DescribeWidgets")
            .map(|o| o.parameters[0].description.clone())
            .unwrap_or_default()
    };
    assert!(status(&with).contains("not fine"));
    assert!(!status(&without).contains("not fine"));
}

#[test]
fn a_reserved_name_is_not_taken() {
    let options = Options {
        reserved: ["Status".to_owned()].into(),
        ..Options::default()
    };
    let imported = import_with(&demo(), "demo.json", &options).expect("imports");
    let names: Vec<&String> = imported.files[0].spec.shapes.keys().collect();
    assert!(!names.contains(&&"Status".to_owned()), "{names:?}");
    assert!(names.contains(&&"StatusDownUp".to_owned()), "{names:?}");
}
