//! `cargo xtask`: the project's tasks.
//!
//! - `cargo xtask codegen` regenerates `generated/` (and `spec/spec.schema.json`) from `spec/`,
//!   writing only files whose content changed and removing files no longer generated.
//! - `cargo xtask codegen --check` writes nothing and fails naming every stale, missing or extra
//!   file.
//! - `cargo xtask import <api-docs.json> [--out DIR] [--only Op1,Op2]` imports Alibaba's API
//!   metadata of a product into `spec/<product>/imported/` (see [`import`]).
//! - `cargo xtask import-check <dir> [--keep]` imports every metadata file of `dir` into a
//!   temporary directory, checks and models each product, and fails on any error.
//! - `cargo xtask check-products <dir> [--keep]` imports every metadata file of `dir`,
//!   generates each product's crate into a temporary workspace and runs clippy on it with
//!   warnings denied (see [`products`]).
//! - `cargo xtask synth --ops N --out FILE` writes the api-docs metadata of a synthetic
//!   product of N operations, for benchmarks and tests (see [`perf`]).
//! - `cargo xtask compile-cost [--metadata DIR]` measures how long the generated crate takes
//!   to compile, and how much memory (see [`perf`]).
//!
//! Exit codes: 0 success; 1 `--check` found differences (or `import-check` failures); 2 the
//! specs or the metadata have errors (nothing written); 3 a file could not be read or written.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use alicloud_codegen::{GeneratedFile, Settings, SourceFile};

mod import;
mod perf;
mod products;
mod workspace;

const USAGE: &str = "usage: cargo xtask codegen [--check] [--root DIR] [--only Op1,Op2 --out DIR]
       cargo xtask import <api-docs.json> [--out DIR] [--only Op1,Op2]
       cargo xtask import-check <dir> [--keep]
       cargo xtask check-products <dir> [--keep] [--target-dir DIR]
       cargo xtask synth --ops N --out FILE
       cargo xtask compile-cost [--metadata DIR] [--quick]
  --check      write nothing; fail naming every stale, missing or extra file
  --root DIR   work on DIR/spec and DIR/generated instead of the repository's
  --out DIR    codegen: write the crates below DIR/generated instead (only with --only);
               import: write the imported files to DIR instead of spec/<product>/imported
  --only OPS   codegen: generate only these operations (with the shapes they use);
               import: import only these operations (and product.json); remove nothing
  --keep       keep the temporary tree of import-check or check-products
  --ops N      number of operations of the synthetic product
  --quick      compile-cost: debug builds only";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let repo = workspace_root();
    let mut root = repo.clone();
    match args.first().map(String::as_str) {
        Some("codegen") => {
            let mut check = false;
            let mut out = None;
            let mut only = None;
            let mut rest = args[1..].iter();
            while let Some(a) = rest.next() {
                match (a.as_str(), rest.as_slice().first()) {
                    ("--check", _) => check = true,
                    ("--root", Some(dir)) => {
                        root = PathBuf::from(dir);
                        rest.next();
                    }
                    ("--out", Some(dir)) => {
                        out = Some(PathBuf::from(dir));
                        rest.next();
                    }
                    ("--only", Some(list)) => {
                        only = Some(list.split(',').map(|s| s.trim().to_owned()).collect());
                        rest.next();
                    }
                    _ => {
                        eprintln!("unexpected argument `{a}`\n{USAGE}");
                        return ExitCode::from(2);
                    }
                }
            }
            // A selection of operations never replaces the repository's crates.
            if only.is_some() != out.is_some() {
                eprintln!("--only and --out go together\n{USAGE}");
                return ExitCode::from(2);
            }
            // The schema of the format belongs to the repository, not to other spec trees.
            let with_schema = root == repo && out.is_none();
            let settings = Settings {
                operations: only,
                ..Settings::default()
            };
            let dest = out.unwrap_or_else(|| root.clone());
            codegen(&root, &dest, &settings, check, with_schema)
        }
        Some("import") => import::run_import(&root, &args[1..]),
        Some("import-check") => import::run_import_check(&root, &args[1..]),
        Some("check-products") => products::run(&repo, &args[1..]),
        Some("synth") => perf::run_synth(&args[1..]),
        Some("compile-cost") => perf::run_compile_cost(&repo, &args[1..]),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// Every `*.json` spec file under `dir`, as paths relative to `root`, sorted.
fn spec_files(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            spec_files(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "json")
            && path.file_name().is_some_and(|n| n != "spec.schema.json")
        {
            out.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
        }
    }
    out.sort();
    Ok(())
}

fn existing_files(root: &Path, dir: &Path, out: &mut BTreeSet<String>) -> std::io::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            existing_files(root, &path, out)?;
        } else {
            out.insert(rel(root, &path));
        }
    }
    Ok(())
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Writes `contents` to a temporary file beside `path` (creating folders as needed) and
/// returns the temporary file's path; the caller renames it over `path`.
fn stage(path: &Path, contents: &str) -> std::io::Result<PathBuf> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp-codegen");
    let tmp = path.with_file_name(name);
    let mut f = fs::File::create(&tmp)?;
    f.write_all(contents.as_bytes())?;
    f.sync_all()?;
    Ok(tmp)
}

/// Generates from `root`/spec into `dest` (the repository's root, or another folder that
/// receives `generated/…`).
fn codegen(
    root: &Path,
    dest: &Path,
    settings: &Settings,
    check: bool,
    with_schema: bool,
) -> ExitCode {
    let spec_dir = root.join("spec");
    let mut paths = Vec::new();
    if let Err(e) = spec_files(root, &spec_dir, &mut paths) {
        eprintln!("error: cannot list {}: {e}", spec_dir.display());
        return ExitCode::from(3);
    }
    let mut sources = Vec::new();
    for p in &paths {
        match fs::read_to_string(root.join(p)) {
            Ok(text) => sources.push(SourceFile {
                path: rel(root, p),
                text,
            }),
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", p.display());
                return ExitCode::from(3);
            }
        }
    }
    // Everything is generated and checked in memory before the first write: on failure the
    // tree is left exactly as it was.
    let output = match alicloud_codegen::generate(&sources, settings) {
        Ok(o) => o,
        Err(diags) => {
            eprintln!("{diags}");
            eprintln!("nothing was written");
            return ExitCode::from(2);
        }
    };
    for w in output.warnings.warnings() {
        eprintln!("{w}");
    }
    let mut files: Vec<GeneratedFile> = output.files;
    if with_schema {
        files.push(GeneratedFile {
            path: "spec/spec.schema.json".into(),
            contents: alicloud_codegen::spec_schema_json(),
        });
    }

    let mut existing = BTreeSet::new();
    if let Err(e) = existing_files(dest, &dest.join(&settings.out_dir), &mut existing) {
        eprintln!("error: cannot list {}: {e}", settings.out_dir);
        return ExitCode::from(3);
    }
    let wanted: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
    let extra: Vec<&String> = existing.difference(&wanted).collect();

    let mut stale = Vec::new();
    let mut missing = Vec::new();
    for f in &files {
        match fs::read_to_string(dest.join(&f.path)) {
            Ok(old) if old == f.contents => {}
            Ok(_) => stale.push(f),
            Err(_) => missing.push(f),
        }
    }

    if check {
        if stale.is_empty() && missing.is_empty() && extra.is_empty() {
            println!("codegen --check: {} files up to date", files.len());
            return ExitCode::SUCCESS;
        }
        for f in &stale {
            eprintln!("stale: {} differs from what the spec generates", f.path);
        }
        for f in &missing {
            eprintln!("missing: {} is generated but absent", f.path);
        }
        for f in &extra {
            eprintln!("extra: {f} is not generated by any spec (delete it, or restore its spec)");
        }
        eprintln!("run `cargo xtask codegen` to regenerate, then review and commit the result");
        return ExitCode::from(1);
    }

    // Two phases, so that a failure leaves the tree as it was: first every new content goes to
    // a temporary file beside its target; only when all are written are they renamed over the
    // targets (each rename is atomic) and the files no longer generated removed.
    let changed: Vec<&&GeneratedFile> = stale.iter().chain(missing.iter()).collect();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    for f in &changed {
        let target = dest.join(&f.path);
        match stage(&target, &f.contents) {
            Ok(tmp) => staged.push((tmp, target)),
            Err(e) => {
                for (tmp, _) in &staged {
                    let _ = fs::remove_file(tmp);
                }
                eprintln!("error: cannot write {}: {e}", f.path);
                eprintln!("nothing was changed");
                return ExitCode::from(3);
            }
        }
    }
    for (tmp, target) in &staged {
        if let Err(e) = fs::rename(tmp, target) {
            eprintln!("error: cannot replace {}: {e}", target.display());
            return ExitCode::from(3);
        }
    }
    let written = staged.len();
    for f in &extra {
        if let Err(e) = fs::remove_file(dest.join(f)) {
            eprintln!("error: cannot remove {f}: {e}");
            return ExitCode::from(3);
        }
    }
    println!(
        "codegen: {} files, {written} written, {} removed, {} unchanged",
        files.len(),
        extra.len(),
        files.len() - written
    );
    ExitCode::SUCCESS
}
