//! `cargo xtask codegen [--check]`: `spec/` into `generated/`.
//!
//! Every spec file is read ([`files::read_text`]: a BOM is dropped, a file that is not UTF-8
//! is an error naming it and the offset), generated and checked in memory; only then is the
//! output compared with the tree. `--check` reports the differences; otherwise the changed
//! files are written and the files no longer generated removed, all together or not at all
//! ([`files::commit`]).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use alicloud_codegen::{GeneratedFile, Settings, SourceFile};

use crate::exit::Exit;
use crate::files::{self, Changes, ReadError};

/// Every `*.json` spec file under `dir`, as paths relative to `root`, sorted.
pub fn spec_files(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
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

/// The spec files of `root/spec`, read. Every file that is not UTF-8 is reported (not only the
/// first), so one run finds them all; an unreadable file stops at once.
pub fn read_specs(root: &Path) -> Result<Vec<SourceFile>, Vec<ReadError>> {
    let spec_dir = root.join("spec");
    let mut paths = Vec::new();
    if let Err(error) = spec_files(root, &spec_dir, &mut paths) {
        return Err(vec![ReadError::Io {
            file: format!("{} (listing it)", spec_dir.display()),
            error,
        }]);
    }
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for p in &paths {
        let shown = rel(root, p);
        match files::read_text(&root.join(p), &shown) {
            Ok(text) => sources.push(SourceFile { path: shown, text }),
            Err(e @ ReadError::Io { .. }) => return Err(vec![e]),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(sources)
    } else {
        Err(errors)
    }
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

/// `path` relative to `root`, with `/` separators (as diagnostics and generated paths are).
pub fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Generates from `root`/spec into `dest` (the repository's root, or another folder that
/// receives `generated/…`).
/// How `codegen` runs.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Compare only, write nothing.
    pub check: bool,
    /// Also write `spec/spec.schema.json` (the repository's own spec tree only).
    pub with_schema: bool,
    /// List the generator's notes instead of counting them.
    pub notes: bool,
}

/// Generates the crates of the specs below `root` into `dest`, or with `check` compares them.
pub fn run(root: &Path, dest: &Path, settings: &Settings, options: Options) -> Exit {
    let Options {
        check,
        with_schema,
        notes,
    } = options;
    let sources = match read_specs(root) {
        Ok(s) => s,
        Err(errors) => {
            let exit = errors.iter().map(ReadError::exit).max_by_key(|e| e.code());
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!("nothing was written");
            return exit.unwrap_or(Exit::Io);
        }
    };
    // Everything is generated and checked in memory before the first write: on failure the
    // tree is left exactly as it was.
    let output = match alicloud_codegen::generate(&sources, settings) {
        Ok(o) => o,
        Err(diags) => {
            eprintln!("{diags}");
            eprintln!("nothing was written");
            return Exit::BadInput;
        }
    };
    for w in output.warnings.warnings() {
        eprintln!("{w}");
    }
    // Notes need no action; a count keeps them from drowning warnings out.
    let note_list: Vec<_> = output
        .warnings
        .0
        .iter()
        .filter(|d| d.severity == alicloud_codegen::Severity::Note)
        .collect();
    if notes {
        for n in &note_list {
            eprintln!("{n}");
        }
    } else if !note_list.is_empty() {
        eprintln!(
            "{} note(s): names the generator decided (nothing to do); `--notes` lists them",
            note_list.len()
        );
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
        return Exit::Io;
    }
    let wanted: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
    let extra: Vec<&String> = existing.difference(&wanted).collect();

    let mut stale = Vec::new();
    let mut missing = Vec::new();
    for f in &files {
        let path = dest.join(&f.path);
        if files::unchanged(&path, &f.contents) {
            continue;
        }
        if path.exists() {
            stale.push(f);
        } else {
            missing.push(f);
        }
    }

    if check {
        if stale.is_empty() && missing.is_empty() && extra.is_empty() {
            println!("codegen --check: {} files up to date", files.len());
            return Exit::Ok;
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
        return Exit::CheckFailed;
    }

    let mut changes = Changes::default();
    for f in stale.iter().chain(&missing) {
        changes.write(dest.join(&f.path), f.contents.clone());
    }
    for f in &extra {
        changes.remove(dest.join(f));
    }
    let (written, removed) = (changes.writes(), changes.removals());
    if let Err(e) = files::commit(changes) {
        eprintln!("error: {e}");
        if e.rolled_back {
            eprintln!("nothing was changed");
        }
        return Exit::Io;
    }
    println!(
        "codegen: {} files, {written} written, {removed} removed, {} unchanged",
        files.len(),
        files.len() - written
    );
    Exit::Ok
}
