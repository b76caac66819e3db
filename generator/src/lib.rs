//! The generator: spec files in, Rust source files out.
pub mod spec;

/// The JSON Schema of the spec format, pretty-printed, as committed in `spec/spec.schema.json`.
pub fn spec_schema_json() -> String {
    let schema = schemars::schema_for!(spec::SpecFile);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
