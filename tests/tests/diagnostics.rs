//! The diagnostics corpus (`tests/data/diagnostics`): broken specs that must be refused with
//! every problem named (file, JSON path, what is wrong, how to fix), and untidy specs that must
//! generate with warnings. The messages are snapshots: a change in wording shows in review.

use std::path::{Path, PathBuf};

use alicloud_codegen::import::{import, Issue};
use alicloud_codegen::{generate, Settings, Severity, SourceFile};
use alicloud_tests::repo_root;

fn corpus(kind: &str) -> Vec<(String, Vec<SourceFile>)> {
    let dir = repo_root().join("tests/data/diagnostics").join(kind);
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus folder")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    entries
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let files = if p.is_dir() {
                let mut inner: Vec<PathBuf> = std::fs::read_dir(&p)
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .collect();
                inner.sort();
                inner.iter().map(|f| source(&name, f)).collect()
            } else {
                vec![source(&name, &p)]
            };
            (name, files)
        })
        .collect()
}

/// Each case is presented as the product folder `spec/<case>/`.
fn source(case: &str, file: &Path) -> SourceFile {
    SourceFile {
        path: format!(
            "spec/{case}/{}",
            file.file_name().unwrap().to_string_lossy()
        ),
        text: std::fs::read_to_string(file).expect("corpus file"),
    }
}

/// Snapshots named after their case, in `snapshots/diagnostics`.
fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_snapshot_path("snapshots/diagnostics");
    settings
}

#[test]
fn broken_specs_are_refused_with_every_problem_named() {
    let cases = corpus("fail");
    assert!(
        cases.len() >= 40,
        "the corpus has {} broken inputs",
        cases.len()
    );
    let settings = snapshot_settings();
    settings.bind(|| {
        for (name, files) in cases {
            let diags = match generate(&files, &Settings::default()) {
                Ok(_) => panic!("{name}: a broken spec generated"),
                Err(d) => d,
            };
            let errors: Vec<_> = diags
                .0
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            assert!(!errors.is_empty(), "{name}: refused without an error");
            for d in &diags.0 {
                assert!(
                    d.file.starts_with(&format!("spec/{name}/")),
                    "{name}: no file in {d}"
                );
                assert!(d.path.starts_with('$'), "{name}: no JSON path in {d}");
                assert!(!d.message.is_empty() && !d.help.is_empty(), "{name}: {d}");
            }
            insta::assert_snapshot!(name.as_str(), diags.to_string());
        }
    });
}

#[test]
fn untidy_specs_generate_with_warnings() {
    let settings = snapshot_settings();
    settings.bind(|| {
        for (name, files) in corpus("warn") {
            let out = generate(&files, &Settings::default())
                .unwrap_or_else(|d| panic!("{name}: refused:\n{d}"));
            assert!(!out.files.is_empty(), "{name}: nothing generated");
            // Warnings, then notes (names decided for the user), as `codegen --notes` lists them.
            let warnings: Vec<String> = out.warnings.0.iter().map(|w| w.to_string()).collect();
            if name == "masked_examples_are_not_validated" {
                assert!(warnings.is_empty(), "{name}: {warnings:#?}");
            } else {
                assert!(!warnings.is_empty(), "{name}: no warning");
            }
            insta::assert_snapshot!(format!("warn_{name}"), warnings.join("\n"));
        }
    });
}

#[test]
fn one_run_reports_the_problems_of_every_file() {
    // Two broken products at once: both are reported, nothing is generated.
    let mut files = corpus("fail")
        .into_iter()
        .find(|(n, _)| n == "unknown_type")
        .unwrap()
        .1;
    files.extend(
        corpus("fail")
            .into_iter()
            .find(|(n, _)| n == "duplicate_parameter")
            .unwrap()
            .1,
    );
    let diags = generate(&files, &Settings::default()).unwrap_err();
    let text = diags.to_string();
    assert!(text.contains("spec/unknown_type/"), "{text}");
    assert!(text.contains("spec/duplicate_parameter/"), "{text}");
}

/// The metadata corpus (`tests/data/diagnostics/metadata`): Alibaba api-docs metadata, as
/// `cargo xtask import` reads it, that must be refused (`fail`: the import is an error, so the
/// command writes nothing and exits with 2) or imported with a warning for everything that
/// could not be carried over as is (`warn`), the import then generating code that parses.
/// Each case is given to the importer as `<case>.json`, as the command names the file.
fn metadata_corpus(kind: &str) -> Vec<(String, String)> {
    let dir = repo_root()
        .join("tests/data/diagnostics/metadata")
        .join(kind);
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("metadata corpus folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    entries.sort();
    entries
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).expect("corpus file");
            (name, text)
        })
        .collect()
}

/// Every import diagnostic names the file, a JSON path into it, what is wrong (with the
/// operation, when it is about one) and how to fix it.
fn assert_well_formed(name: &str, issue: &Issue) {
    let d = &issue.diagnostic;
    assert_eq!(d.file, format!("{name}.json"), "{name}: {issue}");
    assert!(d.path.starts_with('$'), "{name}: no JSON path in {issue}");
    assert!(
        !d.message.trim().is_empty() && !d.help.trim().is_empty(),
        "{name}: {issue}"
    );
    if d.path.starts_with("$.apis") && d.path.len() > "$.apis".len() {
        assert!(
            d.message.contains("operation"),
            "{name}: a problem inside an operation that does not name it: {issue}"
        );
    }
    if d.path.contains(".parameters[") && !d.path.ends_with(".parameters") {
        assert!(
            d.message.contains("parameter"),
            "{name}: a problem of a parameter that does not say so: {issue}"
        );
    }
}

fn issue_lines(issues: &[Issue]) -> String {
    issues
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn broken_metadata_is_refused_with_the_problem_named() {
    let cases = metadata_corpus("fail");
    assert!(
        cases.len() >= 8,
        "the corpus has {} broken metadata files",
        cases.len()
    );
    let settings = snapshot_settings();
    settings.bind(|| {
        for (name, text) in cases {
            let issues = match import(&text, &format!("{name}.json")) {
                Ok(i) => panic!("{name}: broken metadata imported ({} files)", i.files.len()),
                Err(issues) => issues,
            };
            assert!(
                issues
                    .iter()
                    .any(|i| i.diagnostic.severity == Severity::Error),
                "{name}: refused without an error: {issues:?}"
            );
            for i in &issues {
                assert_well_formed(&name, i);
            }
            insta::assert_snapshot!(
                format!("metadata_fail_{name}"),
                format!("import: refused\n{}", issue_lines(&issues))
            );
        }
    });
}

/// Cases whose import needs no warning: masked examples are kept unchecked, and a shape may
/// contain itself through a list or a map.
const CLEAN_METADATA: &[&str] = &["masked_examples", "self_reference_through_a_list"];

#[test]
fn untidy_metadata_imports_with_warnings_and_generates_code_that_parses() {
    let cases = metadata_corpus("warn");
    assert!(
        cases.len() >= 15,
        "the corpus has {} untidy metadata files",
        cases.len()
    );
    let settings = snapshot_settings();
    settings.bind(|| {
        for (name, text) in cases {
            let imported = import(&text, &format!("{name}.json"))
                .unwrap_or_else(|issues| panic!("{name}: refused:\n{}", issue_lines(&issues)));
            for i in &imported.issues {
                assert_eq!(i.diagnostic.severity, Severity::Warning, "{name}: {i}");
                assert_well_formed(&name, i);
            }
            // As `cargo xtask import` would write them, then `cargo xtask codegen`, in memory.
            let files: Vec<SourceFile> = imported
                .files
                .iter()
                .map(|f| SourceFile {
                    path: format!("spec/{}/imported/{}", imported.folder, f.name),
                    text: f.to_json(),
                })
                .collect();
            let out = generate(&files, &Settings::default())
                .unwrap_or_else(|d| panic!("{name}: the import does not generate:\n{d}"));
            let mut rust = 0;
            for f in out.files.iter().filter(|f| f.path.ends_with(".rs")) {
                rust += 1;
                if let Err(e) = syn::parse_file(&f.contents) {
                    panic!("{name}: {} does not parse: {e}\n{}", f.path, f.contents);
                }
            }
            assert!(rust > 0, "{name}: no Rust file generated");
            // Operations whose names differ only in case get modules of their own.
            let paths: std::collections::BTreeSet<&str> =
                out.files.iter().map(|f| f.path.as_str()).collect();
            assert_eq!(paths.len(), out.files.len(), "{name}: two files at one path");
            let spec_text: String = files.iter().map(|f| f.text.as_str()).collect();
            if name == "masked_examples" {
                // Kept as the metadata has them, though they break the constraints; a masked
                // number (`8***`) cannot be typed, and being masked it is no loss: left out.
                for example in ["vco-bp1bbi27hojx80nck****", "116.64.XX.XX", "vpc-****"] {
                    assert!(
                        spec_text.contains(&format!("\"{example}\"")),
                        "{name}: {example} was not kept"
                    );
                }
                assert!(!spec_text.contains("8***"), "{name}: a masked number kept");
            }
            if name == "self_reference_through_a_list" {
                assert!(
                    spec_text.contains("\"list<Tree>\"") && spec_text.contains("\"map<Tree>\""),
                    "{name}: {spec_text}"
                );
            }
            if name == "keyword_parameter_names" {
                // Keywords (`gen` of edition 2024 included) become raw identifiers or get a
                // suffix; the wire names stay as they are.
                let op = out
                    .files
                    .iter()
                    .find(|f| f.path.ends_with("operation/describe_things.rs"))
                    .expect("DescribeThings is generated");
                for needle in ["pub r#gen:", "pub r#type:", "pub self_:", "\"gen\""] {
                    assert!(op.contents.contains(needle), "{name}: no {needle}");
                }
                assert!(
                    out.files
                        .iter()
                        .any(|f| f.path.ends_with("operation/r#gen.rs")
                            || f.path.ends_with("operation/gen.rs")),
                    "{name}: no module for operation Gen"
                );
            }
            let operations: Vec<String> = imported
                .files
                .iter()
                .flat_map(|f| f.spec.operations.iter().map(|o| o.name.clone()))
                .collect();
            let warnings: Vec<String> = out.warnings.warnings().map(|w| w.to_string()).collect();
            let shown: Vec<String> = out.warnings.0.iter().map(|w| w.to_string()).collect();
            if CLEAN_METADATA.contains(&name.as_str()) {
                assert!(
                    imported.issues.is_empty() && warnings.is_empty(),
                    "{name}: {}\n{warnings:#?}",
                    issue_lines(&imported.issues)
                );
            } else {
                assert!(
                    !imported.issues.is_empty() || !warnings.is_empty(),
                    "{name}: no warning"
                );
            }
            insta::assert_snapshot!(
                format!("metadata_warn_{name}"),
                format!(
                    "import: {} file(s), operations {operations:?}\n{}\n\ngenerate: ok, {} warning(s)\n{}",
                    imported.files.len(),
                    issue_lines(&imported.issues),
                    warnings.len(),
                    shown.join("\n")
                )
            );
        }
    });
}
