//! The JSON Schema of the spec format: derived from the generator's types, committed beside the
//! specs, and every spec file conforms to it.

use alicloud_tests::{repo_root, spec_sources};

#[test]
fn committed_schema_is_current() {
    let path = repo_root().join("spec/spec.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == alicloud_codegen::spec_schema_json(),
        "spec/spec.schema.json is stale: run `cargo xtask codegen`"
    );
}

#[test]
fn every_spec_file_conforms_to_the_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&alicloud_codegen::spec_schema_json()).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let sources = spec_sources();
    assert!(sources.len() >= 3, "expected the Vpc spec files");
    for f in sources {
        let doc: serde_json::Value = serde_json::from_str(&f.text).expect("spec file is JSON");
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", f.path);
    }
}

#[test]
fn the_schema_refuses_what_the_loader_refuses() {
    // A test that can fail: an unknown key and a wrong type are refused by both.
    let schema: serde_json::Value =
        serde_json::from_str(&alicloud_codegen::spec_schema_json()).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    for bad in [
        r#"{"format_version":1,"bogus":true}"#,
        r#"{"format_version":"one"}"#,
        r#"{"format_version":1,"shapes":{"A":{"kind":"enum","values":[{"value":"x","extra":1}]}}}"#,
        r#"{"format_version":1,"operations":[{"name":"X","description":"d","parameters":[{"name":"P","type":"string","location":"cookie"}]}]}"#,
    ] {
        let doc: serde_json::Value = serde_json::from_str(bad).expect("JSON");
        assert!(!validator.is_valid(&doc), "schema accepted {bad}");
        assert!(
            serde_json::from_str::<alicloud_codegen::spec::SpecFile>(bad).is_err(),
            "loader accepted {bad}"
        );
    }
}
