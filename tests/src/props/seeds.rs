//! Seeds.

use super::*;

/// The hand-written Vpc spec (the files directly in `spec/vpc/`, not the imported ones or the
/// overlays) merged into one file: a valid input for [`spec_bytes`], and a seed for mutating
/// it.
pub fn vpc_spec_as_one_file() -> String {
    let mut merged = serde_json::json!({ "format_version": FORMAT_VERSION });
    let mut shapes = serde_json::Map::new();
    let mut operations = Vec::new();
    for f in crate::spec_sources().into_iter().filter(|f| {
        f.path
            .strip_prefix("spec/vpc/")
            .is_some_and(|rest| !rest.contains('/'))
    }) {
        let v: serde_json::Value = serde_json::from_str(&f.text).expect("spec/vpc is JSON");
        if let Some(p) = v.get("product") {
            merged["product"] = p.clone();
        }
        if let Some(s) = v.get("shapes").and_then(|s| s.as_object()) {
            shapes.extend(s.clone());
        }
        if let Some(o) = v.get("operations").and_then(|o| o.as_array()) {
            operations.extend(o.iter().cloned());
        }
    }
    merged["shapes"] = serde_json::Value::Object(shapes);
    merged["operations"] = serde_json::Value::Array(operations);
    serde_json::to_string_pretty(&merged).unwrap_or_default()
}
