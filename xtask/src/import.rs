//! `cargo xtask import` and `cargo xtask import-check`: Alibaba's API metadata into spec files.
//!
//! - `cargo xtask import <api-docs.json> [--out DIR] [--only Op1,Op2] [--include-descriptions]` writes
//!   `spec/<product>/imported/` (or DIR): `product.json` and one `<Operation>.json` per
//!   operation, each written atomically and only when changed; stale `*.json` files of the
//!   folder are removed. Warnings are printed with a count per kind. On errors nothing is
//!   written. `--only` imports the named operations alone (and removes nothing).
//!   `--include-descriptions` adds the metadata's own descriptions to the docs, for a local
//!   crate made from one's own copy of the metadata (never for what is committed). Enums read
//!   from descriptions avoid the shape names of the product's hand-curated files.
//! - `cargo xtask import-check <dir> [--keep]` imports every `*.json` file of `dir` into a
//!   temporary directory, loads each product as codegen does, checks it and builds its model,
//!   and reports per product how many operations come through cleanly, with the kinds of
//!   diagnostics and how many fields got each kind of fact from their descriptions, and
//!   checks the `ErrorCode` variant names (UpperCamel codes keep their spelling; none numbered
//!   or one letter). Reference imports committed under `generator/tests/data/imported/<product>/`
//!   must equal the fresh import. Exits non-zero when anything fails.
//!
//! Exit codes: [`Exit`] (`import-check` failures are [`Exit::CheckFailed`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use alicloud_codegen::diag::{Diagnostics, Severity};
use alicloud_codegen::import::{facts, import_with, Imported, ImportedFile, Issue, Options};
use alicloud_codegen::{check, load, model, SourceFile};

use crate::exit::Exit;
use crate::files::{self, Changes};
use crate::progress;

/// `cargo xtask import`: `input` into `out` (default `spec/<product>/imported`), all of its
/// operations or `only` these.
pub fn run_import(
    root: &Path,
    input: &Path,
    out: Option<PathBuf>,
    only: Option<BTreeSet<String>>,
    include_descriptions: bool,
) -> Exit {
    let text = match files::read_text(input, &input.display().to_string()) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            eprintln!("nothing was written");
            return e.exit();
        }
    };
    let source = input
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let options = Options {
        include_descriptions,
        reserved: curated_shape_names(root),
    };
    let imported = match import_with(&text, &source, &options) {
        Ok(i) => i,
        Err(issues) => {
            print_issues(&issues);
            eprintln!("nothing was written");
            return Exit::BadInput;
        }
    };
    print_issues(&imported.issues);
    let dir = out.unwrap_or_else(|| root.join("spec").join(&imported.folder).join("imported"));
    let files = select(&imported, only.as_ref());
    if let Some(only) = &only {
        let known: BTreeSet<String> = imported
            .files
            .iter()
            .flat_map(|f| f.spec.operations.iter().map(|o| o.name.clone()))
            .collect();
        let unknown: Vec<&String> = only.difference(&known).collect();
        if !unknown.is_empty() {
            eprintln!("error: no operation named {unknown:?} in {source}; nothing was written");
            return Exit::BadInput;
        }
    }
    match write_folder(&dir, &files, only.is_none()) {
        Ok((written, removed)) => {
            println!(
                "import: {} files in {}, {written} written, {removed} removed, {} unchanged; {} warning(s)",
                files.len(),
                dir.display(),
                files.len() - written,
                imported.issues.len()
            );
            Exit::Ok
        }
        Err(e) => {
            eprintln!("error: {e}");
            Exit::Io
        }
    }
}

/// The shape names of every hand-curated spec file (outside `imported/` folders), which the
/// enums read from descriptions must not take. Unreadable files are skipped here: codegen
/// reports them.
pub fn curated_shape_names(root: &Path) -> BTreeSet<String> {
    let mut paths = Vec::new();
    let _ = crate::codegen::spec_files(root, &root.join("spec"), &mut paths);
    paths
        .iter()
        .filter(|p| !p.components().any(|c| c.as_os_str() == "imported"))
        .filter_map(|p| fs::read_to_string(p).ok())
        .filter_map(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .flat_map(|v| {
            let mut names: Vec<String> = v
                .get("shapes")
                .and_then(|s| s.as_object())
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            for o in v
                .get("overlays")
                .and_then(|o| o.as_array())
                .into_iter()
                .flatten()
            {
                for key in ["shapes"] {
                    if let Some(m) = o.get(key).and_then(|s| s.as_object()) {
                        names.extend(m.keys().cloned());
                    }
                }
                if let Some(m) = o.get("rename_shapes").and_then(|s| s.as_object()) {
                    names.extend(m.values().filter_map(|v| v.as_str().map(String::from)));
                }
            }
            names
        })
        .collect()
}

/// The files to write: all, or `product.json` and the named operations.
fn select<'a>(imported: &'a Imported, only: Option<&BTreeSet<String>>) -> Vec<&'a ImportedFile> {
    imported
        .files
        .iter()
        .filter(|f| match only {
            None => true,
            Some(names) => {
                f.spec.product.is_some()
                    || f.spec.operations.iter().any(|o| names.contains(&o.name))
            }
        })
        .collect()
}

/// Writes the files into `dir` (only those that changed), removing other `*.json` files when
/// `prune`, all together or not at all ([`files::commit`]): a failure part-way leaves the
/// folder as it was. Returns (written, removed).
pub fn write_folder(
    dir: &Path,
    files: &[&ImportedFile],
    prune: bool,
) -> Result<(usize, usize), String> {
    let mut changes = Changes::default();
    for f in files {
        let path = dir.join(&f.name);
        let text = f.to_json();
        if !files::unchanged(&path, &text) {
            changes.write(path, text);
        }
    }
    if prune && dir.exists() {
        let wanted: BTreeSet<&str> = files.iter().map(|f| f.name.as_str()).collect();
        let entries =
            fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        let mut gone = Vec::new();
        for entry in entries {
            let path = entry
                .map_err(|e| format!("cannot list {}: {e}", dir.display()))?
                .path();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            if path.is_file()
                && path.extension().is_some_and(|e| e == "json")
                && name.as_deref().is_some_and(|n| !wanted.contains(n))
            {
                gone.push(path);
            }
        }
        // Sorted, so that runs are reproducible (read_dir's order is the filesystem's).
        gone.sort();
        for path in gone {
            changes.remove(path);
        }
    }
    let counts = (changes.writes(), changes.removals());
    files::commit(changes).map_err(|e| {
        if e.rolled_back {
            format!("{e}\nnothing was changed")
        } else {
            e.to_string()
        }
    })?;
    Ok(counts)
}

fn print_issues(issues: &[Issue]) {
    for i in issues {
        eprintln!("{i}");
    }
    let mut counts: BTreeMap<(bool, &str), usize> = BTreeMap::new();
    for i in issues {
        *counts
            .entry((i.diagnostic.severity == Severity::Error, i.kind.as_str()))
            .or_default() += 1;
    }
    if !counts.is_empty() {
        eprintln!("import diagnostics by kind:");
        for ((error, kind), n) in counts.iter().rev() {
            let sev = if *error { "error" } else { "warning" };
            eprintln!("  {n:6} {sev:7} {kind}");
        }
    }
}

/// `cargo xtask import-check`: every metadata file of `dir`; `keep` keeps the temporary tree.
pub fn run_import_check(root: &Path, dir: &Path, keep: bool) -> Exit {
    let mut inputs: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "json"))
            .collect(),
        Err(e) => {
            eprintln!("error: cannot list {}: {e}", dir.display());
            return Exit::Io;
        }
    };
    inputs.sort();
    if inputs.is_empty() {
        eprintln!("error: no *.json file in {}", dir.display());
        return Exit::CheckFailed;
    }
    let tmp = std::env::temp_dir().join(format!("alicloud-import-check-{}", std::process::id()));
    let mut failed = false;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let bar = progress::bar(inputs.len(), "import-check");
    for input in &inputs {
        let source = input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        bar.set_message(source.clone());
        // The product's lines go above the bar.
        let row = bar.suspend(|| check_one(root, &tmp, input, &source));
        bar.inc(1);
        let row = match row {
            Ok(r) => r,
            Err(exit) => return exit,
        };
        failed |= !row.ok;
        rows.push(vec![
            source,
            row.product,
            format!("{} of {}", row.clean, row.total),
            row.warnings.to_string(),
            if row.ok { "ok" } else { "FAILED" }.to_owned(),
        ]);
    }
    bar.finish_and_clear();
    println!();
    print!(
        "{}",
        progress::table(
            &[
                "metadata",
                "product",
                "clean operations",
                "import warnings",
                "result"
            ],
            &rows
        )
    );
    if keep {
        println!("imports kept in {}", tmp.display());
    } else {
        let _ = fs::remove_dir_all(&tmp);
    }
    if failed {
        println!("import-check: FAILED");
        Exit::CheckFailed
    } else {
        println!("import-check: ok");
        Exit::Ok
    }
}

/// One product's line of the `import-check` table.
struct CheckRow {
    product: String,
    clean: usize,
    total: usize,
    warnings: usize,
    ok: bool,
}

/// Imports, checks and compares one metadata file; `Err` stops the whole run (an I/O error).
fn check_one(root: &Path, tmp: &Path, input: &Path, source: &str) -> Result<CheckRow, Exit> {
    println!("== {source}");
    let mut row = CheckRow {
        product: String::new(),
        clean: 0,
        total: 0,
        warnings: 0,
        ok: false,
    };
    // A file that cannot be read or is not UTF-8 fails the check, and the rest go on.
    let text = match files::read_text(input, &input.display().to_string()) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            println!("   import failed");
            return Ok(row);
        }
    };
    // The same names as `cargo xtask import` avoids, so that reference imports compare.
    let options = Options {
        include_descriptions: false,
        reserved: curated_shape_names(root),
    };
    let imported = match import_with(&text, source, &options) {
        Ok(i) => i,
        Err(issues) => {
            for i in &issues {
                eprintln!("{i}");
            }
            println!("   import failed");
            return Ok(row);
        }
    };
    row.product = imported.folder.clone();
    row.warnings = imported.issues.len();
    let folder = tmp.join("spec").join(&imported.folder).join("imported");
    let files: Vec<&ImportedFile> = imported.files.iter().collect();
    if let Err(e) = write_folder(&folder, &files, true) {
        eprintln!("error: {e}");
        return Err(Exit::Io);
    }
    print_fact_counts(&imported.fact_counts);
    let (clean, total, ok) = check_product(tmp, &imported);
    row.clean = clean;
    row.total = total;
    let reference = reference_is_current(root, &imported);
    row.ok = ok && reference;
    Ok(row)
}

/// Loads, checks and models one imported product from the temporary tree, dropping the
/// operations that fail until the rest goes through; prints the figures. Returns the clean
/// operations, all operations, and whether every one goes through.
fn check_product(tmp: &Path, imported: &Imported) -> (usize, usize, bool) {
    let base = format!("spec/{}/imported", imported.folder);
    let mut sources: Vec<SourceFile> = Vec::new();
    for f in &imported.files {
        let path = tmp.join(&base).join(&f.name);
        let shown = format!("{base}/{}", f.name);
        match files::read_text(&path, &shown) {
            Ok(text) => sources.push(SourceFile { path: shown, text }),
            Err(e) => {
                eprintln!("{e}");
                return (0, 0, false);
            }
        }
    }
    let mut op_of_file: BTreeMap<String, String> = BTreeMap::new();
    for f in &imported.files {
        for o in &f.spec.operations {
            op_of_file.insert(format!("{base}/{}", f.name), o.name.clone());
        }
    }
    let total = op_of_file.len();
    let mut failing: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut all_diags = Diagnostics::default();
    let mut product_failed = false;
    let mut modelled = false;
    let mut bad_names: Vec<String> = Vec::new();
    for _round in 0..10 {
        let kept: Vec<SourceFile> = sources
            .iter()
            .filter(|s| {
                !op_of_file
                    .get(&s.path)
                    .is_some_and(|op| failing.contains_key(op))
            })
            .cloned()
            .collect();
        let mut diags = Diagnostics::default();
        let products = load::load(&kept, &mut diags);
        for p in &products {
            check::check(p, &mut diags);
        }
        let mut models = Vec::new();
        if !diags.has_errors() {
            for p in &products {
                models.extend(model::build(p, &mut diags));
            }
        }
        let errors: Vec<_> = diags
            .0
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect();
        all_diags.extend(diags.clone());
        if errors.is_empty() {
            modelled = true;
            for m in &models {
                let codes = m
                    .error_codes
                    .iter()
                    .map(|c| (c.code.as_str(), c.rust.as_str()));
                bad_names.extend(error_code_name_problems(codes));
            }
            break;
        }
        let mut progressed = false;
        for e in &errors {
            match op_of_file.get(&e.file) {
                Some(op) => {
                    let entry = failing.entry(op.clone()).or_default();
                    if entry.is_empty() {
                        progressed = true;
                    }
                    entry.push(format!("{} at {}: {}", e.file, e.path, e.message));
                }
                None => product_failed = true,
            }
        }
        if product_failed || !progressed {
            break;
        }
    }
    let clean = if modelled { total - failing.len() } else { 0 };
    println!(
        "   {}: {clean} of {total} operations import cleanly through check and model::build; {} import warning(s)",
        imported.folder,
        imported.issues.len()
    );
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for i in &imported.issues {
        *kinds.entry(i.kind.as_str()).or_default() += 1;
    }
    for (k, n) in &kinds {
        println!("     import  {n:6} {k}");
    }
    let mut checks: BTreeMap<(bool, String), usize> = BTreeMap::new();
    // Each diagnostic once (the rounds repeat them).
    let mut seen = BTreeSet::new();
    for d in &all_diags.0 {
        if seen.insert((d.file.clone(), d.path.clone(), d.message.clone())) {
            *checks
                .entry((d.severity == Severity::Error, shape_of(&d.message)))
                .or_default() += 1;
        }
    }
    for ((error, msg), n) in checks.iter().rev() {
        let sev = if *error { "error" } else { "warning" };
        println!("     check   {n:6} {sev:7} {msg}");
    }
    for (op, why) in &failing {
        println!("   FAILED {op}");
        for w in why {
            println!("     {w}");
        }
    }
    if modelled {
        println!(
            "   ErrorCode variants: {}",
            if bad_names.is_empty() {
                "named from the codes' spelling (UpperCamel codes keep it; none numbered or one letter)"
            } else {
                "FAILED"
            }
        );
    }
    for b in &bad_names {
        println!("     {b}");
    }
    if !modelled {
        println!("   the product as a whole fails:");
        for d in all_diags
            .0
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .take(20)
        {
            println!("     {} at {}: {}", d.file, d.path, d.message);
        }
    }
    (
        clean,
        total,
        modelled && failing.is_empty() && bad_names.is_empty(),
    )
}

/// What is wrong with the `ErrorCode` variant names of a product, given (code, variant) pairs:
/// users match on the code they see in responses, so a code already spelled in UpperCamel
/// (`InvalidParameter`) must be its own variant name, and no variant may be numbered
/// (`InvalidParameter2`, or a byte dump: digits the code does not end with) or one letter.
fn error_code_name_problems<'a>(
    codes: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (code, variant) in codes {
        let plain = alicloud_codegen::names::Name::camel(code);
        // `Self` is a keyword: its variant is `Self_`, the nearest spelling Rust allows.
        if plain.as_str() == code && variant != code && !(code == "Self" && variant == "Self_") {
            out.push(format!(
                "`{code}` is UpperCamel already but its variant is `{variant}`"
            ));
        }
        if variant.trim_matches('_').chars().count() < 2 {
            out.push(format!("`{code}` has the one-letter variant `{variant}`"));
        }
        let digits = |s: &str| s.len() - s.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let code_alnum = code.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
        if digits(variant) > digits(code_alnum) {
            out.push(format!("`{code}` has the numbered variant `{variant}`"));
        }
    }
    out
}

/// A diagnostic message with its particulars (quoted names, numbers) blanked, to count kinds.
fn shape_of(message: &str) -> String {
    let mut out = String::new();
    let mut in_tick = false;
    for c in message.chars() {
        if c == '`' {
            if !in_tick {
                out.push_str("`…`");
            }
            in_tick = !in_tick;
        } else if !in_tick {
            if c.is_ascii_digit() {
                if !out.ends_with('#') {
                    out.push('#');
                }
            } else {
                out.push(c);
            }
        }
    }
    out
}

/// The reference imports committed under `generator/tests/data/imported/<product>/` must be
/// what the importer makes of the metadata now.
fn reference_is_current(root: &Path, imported: &Imported) -> bool {
    let dir = root
        .join("generator/tests/data/imported")
        .join(&imported.folder);
    let Ok(entries) = fs::read_dir(&dir) else {
        return true;
    };
    let mut ok = true;
    let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    names.sort();
    for path in names {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match imported.files.iter().find(|f| f.name == name) {
            Some(f) if files::unchanged(&path, &f.to_json()) => {}
            Some(_) => {
                println!(
                    "   STALE {}: the importer now writes it differently (re-import it with `cargo xtask import <file> --out {} --only <operations>`)",
                    path.display(),
                    dir.display()
                );
                ok = false;
            }
            None => {
                println!("   STALE {}: the import has no such file", path.display());
                ok = false;
            }
        }
    }
    if ok {
        println!("   reference imports in {} are current", dir.display());
    }
    ok
}

/// One line: how many fields got each kind of fact from their descriptions.
fn print_fact_counts(counts: &facts::Counts) {
    let parts: Vec<String> = facts::KINDS
        .iter()
        .map(|k| format!("{k} {}", counts.0.get(k).copied().unwrap_or(0)))
        .collect();
    println!("   facts from descriptions (fields): {}", parts.join(", "));
}

#[cfg(test)]
mod tests {
    use super::error_code_name_problems;

    #[test]
    fn error_code_names_keep_the_spelling_users_see() {
        let ok = [
            ("InvalidParameter", "InvalidParameter"),
            ("INVALID_PARAMETER", "INVALID_PARAMETER"),
            ("Internal.Error", "Internal_Error"),
            ("Vpc.Error", "VpcError"),
            ("Forbidden.RAM2", "ForbiddenRam2"),
            ("Self", "Self_"),
        ];
        assert_eq!(error_code_name_problems(ok), Vec::<String>::new());
        let bad = [
            ("InvalidParameter", "InvalidParameter_"),
            ("INVALID_PARAMETER", "InvalidParameter2"),
            ("Invalid.Parameter", "Invalid_Parameter_2e50"),
            ("%s", "S"),
        ];
        let problems = error_code_name_problems(bad);
        assert_eq!(problems.len(), 4, "{problems:#?}");
        assert!(problems[0].contains("UpperCamel already"), "{problems:#?}");
        assert!(problems[1].contains("numbered"), "{problems:#?}");
    }
}
