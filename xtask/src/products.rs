//! `cargo xtask check-products <dir> [--keep] [--target-dir DIR]`: every product of a folder of
//! Alibaba api-docs files, imported and generated in full, must compile without a warning.
//!
//! Each `*.json` file of `dir` is imported and its crate generated in memory (as
//! `cargo xtask import` then `cargo xtask codegen` would, without hand-curated files); the
//! crates are written into one temporary cargo workspace (outside the repository) whose
//! crates use the repository's `runtime/` by path, and each is checked with
//! `cargo clippy --all-features -- -D warnings` (or, without clippy, `cargo check` with
//! `RUSTFLAGS=-Dwarnings`). Builds go to `target/check-products` (or DIR), shared between runs,
//! so a second run compiles only what changed. Reports per product its operations, generated
//! lines, result and time; on any failure prints the compiler's output, keeps the temporary
//! workspace and exits with [`Exit::CheckFailed`].

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use alicloud_codegen::{GeneratedFile, Settings};

use crate::exit::Exit;
use crate::files;
use crate::{progress, workspace};

/// The `*.json` files of `dir`, sorted.
pub fn metadata_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no *.json file in {}", dir.display()));
    }
    Ok(files)
}

/// The package name in `<member>/Cargo.toml` among `files`.
pub fn package_name(files: &[GeneratedFile], member: &str) -> String {
    files
        .iter()
        .find(|f| f.path == format!("{member}/Cargo.toml"))
        .and_then(|f| {
            f.contents
                .lines()
                .find_map(|l| l.strip_prefix("name = \""))
                .and_then(|r| r.split('"').next())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| member.rsplit('/').next().unwrap_or(member).to_owned())
}

struct Product {
    source: String,
    package: String,
    member: String,
    operations: usize,
    lines: usize,
    warnings: usize,
}

/// `cargo xtask check-products`: every product of `dir`, built into `target`; `keep` keeps
/// the temporary workspace.
pub fn run(repo: &Path, dir: &Path, keep: bool, target: &Path) -> Exit {
    let inputs = match metadata_files(dir) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::CheckFailed;
        }
    };
    let started = Instant::now();
    let tmp = workspace::temp_dir("check-products");
    let mut failed = false;
    let mut products = Vec::new();
    let mut files: Vec<GeneratedFile> = Vec::new();
    let bar = progress::bar(inputs.len(), "generate");
    for input in &inputs {
        bar.inc(1);
        let source = input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = match files::read_text(input, &input.display().to_string()) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{e}");
                return e.exit();
            }
        };
        let t = Instant::now();
        let output =
            match alicloud_codegen::generate_from_metadata(&text, &source, &Settings::default()) {
                Ok(o) => o,
                Err(diags) => {
                    println!("== {source}: generation FAILED");
                    println!("{diags}");
                    failed = true;
                    continue;
                }
            };
        let crate_toml: Vec<&GeneratedFile> = output
            .files
            .iter()
            .filter(|f| f.path.ends_with("/Cargo.toml"))
            .collect();
        let [cargo_toml] = crate_toml.as_slice() else {
            println!("== {source}: expected one crate, got {}", crate_toml.len());
            failed = true;
            continue;
        };
        let member = cargo_toml.path.trim_end_matches("/Cargo.toml").to_owned();
        if products.iter().any(|p: &Product| p.member == member) {
            println!("== {source}: a second product generates {member}; skipped");
            failed = true;
            continue;
        }
        let package = package_name(&output.files, &member);
        let operations = output
            .files
            .iter()
            .filter(|f| f.path.starts_with(&format!("{member}/src/operation/")))
            .count();
        let lines = output
            .files
            .iter()
            .filter(|f| f.path.ends_with(".rs"))
            .map(|f| f.contents.lines().count())
            .sum();
        progress::line(
            &bar,
            &format!(
                "== {source}: {package}, {operations} operations, {lines} lines generated in {:.2} s ({} warnings)",
                t.elapsed().as_secs_f64(),
                output.warnings.0.len()
            ),
        );
        products.push(Product {
            source,
            package,
            member,
            operations,
            lines,
            warnings: output.warnings.0.len(),
        });
        files.extend(output.files);
    }
    if let Err(e) = workspace::write(repo, &tmp, &files) {
        eprintln!("error: {e}");
        return Exit::Io;
    }
    let clippy = workspace::cargo()
        .args(["clippy", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    let how = if clippy {
        "cargo clippy --all-features -- -D warnings"
    } else {
        "cargo check --all-features, RUSTFLAGS=-Dwarnings (clippy is not installed)"
    };
    println!("checking with `{how}`, target dir {}", target.display());
    bar.finish_and_clear();
    let mut results = Vec::new();
    let bar = progress::bar(products.len(), "clippy");
    for p in &products {
        bar.set_message(p.package.clone());
        let log = tmp.join(format!("{}.log", p.package));
        let mut cmd = workspace::cargo();
        cmd.arg(if clippy { "clippy" } else { "check" })
            .args(["-p", &p.package, "--all-features", "--manifest-path"])
            .arg(tmp.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(target)
            .env("CARGO_TERM_COLOR", "never");
        if clippy {
            cmd.args(["--", "-D", "warnings"]);
        } else {
            let flags = std::env::var("RUSTFLAGS").unwrap_or_default();
            cmd.env("RUSTFLAGS", format!("{flags} -Dwarnings").trim());
        }
        let load = workspace::load();
        let cost = match workspace::run_measured(&mut cmd, &log) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: cannot run cargo: {e}");
                return Exit::Io;
            }
        };
        bar.inc(1);
        if !cost.ok {
            failed = true;
            // Above the bar, which stays drawn below the compiler's output.
            bar.suspend(|| {
                println!("== {} ({}): FAILED", p.package, p.source);
                let text = files::read_lossy(&log);
                let lines: Vec<&str> = text.lines().collect();
                const MAX: usize = 400;
                if lines.len() > MAX {
                    println!(
                        "(the first {MAX} of {} lines; all in {})",
                        lines.len(),
                        log.display()
                    );
                }
                for l in lines.iter().take(MAX) {
                    println!("{l}");
                }
            });
        }
        results.push((cost, load));
    }
    bar.finish_and_clear();
    println!();
    println!("| product | metadata | operations | generated lines | generator warnings | result | time (wall / CPU) | load at start |");
    println!("|---|---|---|---|---|---|---|---|");
    for (p, (cost, load)) in products.iter().zip(&results) {
        println!(
            "| {} | {} | {} | {} | {} | {} | {:.0} s / {:.0} s | {} |",
            p.package,
            p.source,
            p.operations,
            p.lines,
            p.warnings,
            if cost.ok { "ok" } else { "FAILED" },
            cost.wall.as_secs_f64(),
            cost.cpu().as_secs_f64(),
            load
        );
    }
    println!(
        "check-products: {} in {:.0} s",
        if failed { "FAILED" } else { "ok" },
        started.elapsed().as_secs_f64()
    );
    if keep || failed {
        println!("workspace kept in {}", tmp.display());
    } else {
        let _ = fs::remove_dir_all(&tmp);
    }
    if failed {
        Exit::CheckFailed
    } else {
        Exit::Ok
    }
}
