//! The diagnostics corpus (`tests/data/diagnostics`): broken specs that must be refused with
//! every problem named (file, JSON path, what is wrong, how to fix), and untidy specs that must
//! generate with warnings. The messages are snapshots: a change in wording shows in review.

use std::path::{Path, PathBuf};

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

#[test]
fn broken_specs_are_refused_with_every_problem_named() {
    let cases = corpus("fail");
    assert!(
        cases.len() >= 40,
        "the corpus has {} broken inputs",
        cases.len()
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_snapshot_path("snapshots/diagnostics");
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
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_snapshot_path("snapshots/diagnostics");
    settings.bind(|| {
        for (name, files) in corpus("warn") {
            let out = generate(&files, &Settings::default())
                .unwrap_or_else(|d| panic!("{name}: refused:\n{d}"));
            assert!(!out.files.is_empty(), "{name}: nothing generated");
            let warnings: Vec<String> = out.warnings.warnings().map(|w| w.to_string()).collect();
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
