//! Helpers shared by the integration tests: the repository root, the spec files, the signing
//! vectors, and wire-parameter parsing.

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Every spec file under `spec/` (schema excluded), as the generator's inputs, sorted by path.
pub fn spec_sources() -> Vec<alicloud_codegen::SourceFile> {
    spec_sources_in(&repo_root())
}

/// Every spec file under `<root>/spec/`, with paths relative to `root`.
pub fn spec_sources_in(root: &Path) -> Vec<alicloud_codegen::SourceFile> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<alicloud_codegen::SourceFile>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("spec/ is readable")
            .map(|e| e.expect("spec/ entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|e| e == "json")
                && path.file_name().is_some_and(|n| n != "spec.schema.json")
            {
                let rel = path
                    .strip_prefix(root)
                    .expect("under the root")
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push(alicloud_codegen::SourceFile {
                    path: rel,
                    text: std::fs::read_to_string(&path).expect("spec file is readable"),
                });
            }
        }
    }
    let mut out = Vec::new();
    walk(root, &root.join("spec"), &mut out);
    out
}

/// Panics unless every file of `out` (generated from `<root>/spec/`) is committed under `root`
/// byte for byte: the comparison `cargo xtask codegen --check` makes, so that a plain
/// `cargo test` also catches a hand edit or a forgotten regeneration. `regenerate` is the
/// command that brings them up to date, for the message.
pub fn assert_committed_files_current(
    root: &Path,
    out: &alicloud_codegen::Output,
    regenerate: &str,
) {
    let stale: Vec<&str> = out
        .files
        .iter()
        .filter(|f| {
            std::fs::read_to_string(root.join(&f.path)).ok().as_deref() != Some(f.contents.as_str())
        })
        .map(|f| f.path.as_str())
        .collect();
    assert!(
        stale.is_empty(),
        "stale or missing under {}: {stale:#?}\nrun `{regenerate}`",
        root.display()
    );
}

/// The signing vectors (`tests/data/signing-vectors.json`).
pub fn signing_vectors() -> serde_json::Value {
    let path = repo_root().join("tests/data/signing-vectors.json");
    let text = std::fs::read_to_string(&path).expect("tests/data/signing-vectors.json is readable");
    serde_json::from_str(&text).expect("signing vectors are JSON")
}

/// Percent-decodes an RFC 3986 / form component.
pub fn decode(s: &str) -> String {
    alicloud_runtime::wire::decode_form_component(s)
}

/// Splits `a=b&c=d` into decoded pairs, in order.
pub fn parse_pairs(s: &str) -> Vec<(String, String)> {
    if s.is_empty() {
        return Vec::new();
    }
    s.split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// The query pairs of a URL.
pub fn url_query_pairs(url: &str) -> Vec<(String, String)> {
    parse_pairs(url.split_once('?').map_or("", |(_, q)| q))
}

/// The README's Rust examples, compiled as doctests so that they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

pub mod props;
