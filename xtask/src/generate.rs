//! `cargo xtask generate <FILE|DIR> [--out DIR] [--include-descriptions]`: the crate of any
//! product, from one's own copy of Alibaba's metadata, in one command; with
//! `--include-descriptions`, the metadata's own descriptions are in the crate's docs (for a
//! crate of one's own, never for what this repository commits).
//!
//! - Without `--out`, into this workspace: each product is imported into
//!   `spec/<product>/imported/` (as `cargo xtask import` does), its crate `generated/<product>`
//!   is added to the workspace's members, and `cargo xtask codegen` regenerates `generated/`.
//! - With `--out DIR`, into a folder of one's choice: DIR becomes a cargo workspace of the
//!   generated crates (`DIR/generated/<product>`), whose `alicloud-runtime`, `alicloud-rules`
//!   and `alicloud-credentials` are this checkout's, by absolute path (the crates are not
//!   published; a path keeps the versions the generator was tested with). Nothing in the
//!   repository changes.
//!
//! Products of the styles the generator does not handle are refused before anything is
//! written, naming the style and what its support would take ([`style_refusal`]). A folder
//! shows a progress bar (on a terminal) and ends with a table of what was done.

use std::cmp::Reverse;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use alicloud_codegen::import::{import_with, Options};
use alicloud_codegen::{GeneratedFile, Settings};

use crate::exit::Exit;
use crate::{codegen, files, import, products, progress, workspace};

/// The rarer API styles of Alibaba's catalogue, with what sets each apart. The importer reads
/// RPC-style metadata (and ROA, REST paths, once supported); these have no reader yet.
const RARE_STYLES: [(&str, &str); 5] = [
    ("V3", "a request layout of its own per operation"),
    (
        "FC",
        "Function Compute's REST API, signed with its own header scheme",
    ),
    (
        "OSS",
        "object storage: bucket host names, its own signature and XML bodies",
    ),
    ("PDS", "a service addressed per customer instance"),
    ("AliGenie", "a gateway protocol of its own"),
];

/// Why a metadata file cannot be generated because of its `info.style`, or `None`. Styles are
/// compared ignoring case; text that is not JSON is left to the importer, which names the
/// problem precisely.
pub fn style_refusal(text: &str, source: &str) -> Option<String> {
    let doc: serde_json::Value = serde_json::from_str(text).ok()?;
    let info = doc.get("info")?;
    let style = info.get("style")?.as_str()?.trim();
    let product = info
        .get("product")
        .and_then(|p| p.as_str())
        .unwrap_or("(unnamed)");
    let (name, what) = RARE_STYLES
        .iter()
        .find(|(s, _)| s.eq_ignore_ascii_case(style))?;
    Some(format!(
        "{source}: product {product} is {name}-style ({what}); the generator supports RPC-style products only. \
         Support would take: the style's request layout and signing written down from Alibaba's documentation, \
         with test vectors from an official SDK; the importer reading its metadata into the spec format; and the \
         runtime building and signing its requests, checked byte for byte against those vectors"
    ))
}

/// `members = [...]` of a workspace manifest with `member` added (sorted after the existing
/// ones), or `None` when it is there already. Errors when the manifest has no one-line
/// `members` array.
pub fn add_member(manifest: &str, member: &str) -> Result<Option<String>, String> {
    let mut out = String::with_capacity(manifest.len() + member.len() + 4);
    let mut done = false;
    for line in manifest.split_inclusive('\n') {
        let t = line.trim_start();
        if !done && t.starts_with("members = [") {
            let inner = t
                .trim_end()
                .strip_prefix("members = [")
                .and_then(|r| r.strip_suffix(']'))
                .ok_or("the workspace's `members = [...]` is not on one line")?;
            let list: Vec<&str> = inner
                .split(',')
                .map(|m| m.trim().trim_matches('"'))
                .filter(|m| !m.is_empty())
                .collect();
            if list.contains(&member) {
                return Ok(None);
            }
            let mut quoted: Vec<String> = list.iter().map(|m| format!("\"{m}\"")).collect();
            quoted.push(format!("\"{member}\""));
            out.push_str(&format!("members = [{}]\n", quoted.join(", ")));
            done = true;
        } else {
            out.push_str(line);
        }
    }
    if done {
        Ok(Some(out))
    } else {
        Err("the workspace's Cargo.toml has no `members = [...]`".into())
    }
}

/// The metadata files of `input`: the file itself, or the `*.json` files of a folder.
fn inputs(input: &Path) -> Result<Vec<PathBuf>, String> {
    if input.is_dir() {
        products::metadata_files(input)
    } else if input.is_file() {
        Ok(vec![input.to_path_buf()])
    } else {
        Err(format!(
            "{} is neither a metadata file nor a folder of them",
            input.display()
        ))
    }
}

/// One product's outcome, for the final table.
struct Done {
    source: String,
    crate_name: String,
    operations: usize,
    result: String,
}

/// `cargo xtask generate`: the products of `input` into the workspace `repo`, or into `out`.
///
/// Products are independent: they are imported, checked and generated on every core at once
/// (largest first, so that a big product does not finish alone at the end), and each crate is
/// written as soon as it is generated, so that memory holds a few products, not the
/// catalogue. With `--out`, what changed goes to a staging folder inside DIR and is moved into
/// place only when every product succeeded: a failure still leaves DIR as it was.
pub fn run(repo: &Path, input: &Path, out: Option<&Path>, include_descriptions: bool) -> Exit {
    let started = Instant::now();
    let inputs = match inputs(input) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::BadInput;
        }
    };
    let staging = out.map(Staging::new);
    if let Some(Err(e)) = &staging {
        eprintln!("error: {e}");
        return Exit::Io;
    }
    let staging = staging.and_then(Result::ok);
    let bar = progress::bar(inputs.len(), "generate");
    let reserved = import::curated_shape_names(repo);
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by_key(|&i| Reverse(fs::metadata(&inputs[i]).map_or(0, |m| m.len())));
    let outcomes = each_on_every_core(&order, |i| {
        let path = &inputs[i];
        let source = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let options = Options {
            include_descriptions,
            reserved: reserved.clone(),
        };
        let result = one(repo, path, &source, staging.as_ref(), &options);
        match &result {
            Ok(product) => progress::line(
                &bar,
                &format!(
                    "{source}: {} ({} operations, {} import warning(s))",
                    product.crate_name, product.operations, product.warnings
                ),
            ),
            Err(e) => bar.suspend(|| eprintln!("error: {e}")),
        }
        bar.inc(1);
        (source, result)
    });
    bar.finish_and_clear();
    let mut done: Vec<Done> = Vec::new();
    let mut members: BTreeSet<String> = BTreeSet::new();
    let mut has_sts = false;
    let mut failed = false;
    for (source, result) in outcomes {
        let mut row = Done {
            source,
            crate_name: String::new(),
            operations: 0,
            result: String::new(),
        };
        match result {
            Ok(product) => {
                row.crate_name = product.crate_name;
                row.operations = product.operations;
                row.result = "ok".into();
                has_sts |= product.member == "generated/sts";
                members.insert(product.member);
            }
            Err(e) => {
                failed = true;
                row.result = if e.contains("-style (") {
                    "refused (style)".into()
                } else {
                    "FAILED".into()
                };
            }
        }
        done.push(row);
    }
    let exit = if failed {
        if let Some(s) = &staging {
            s.discard();
        }
        Exit::BadInput
    } else {
        finish(repo, out.zip(staging.as_ref()), &members, has_sts)
    };
    if inputs.len() > 1 || failed {
        let rows: Vec<Vec<String>> = done
            .iter()
            .map(|d| {
                vec![
                    d.source.clone(),
                    d.crate_name.clone(),
                    d.operations.to_string(),
                    d.result.clone(),
                ]
            })
            .collect();
        println!();
        print!(
            "{}",
            progress::table(&["metadata", "crate", "operations", "result"], &rows)
        );
    }
    let ops: usize = done.iter().map(|d| d.operations).sum();
    println!(
        "generate: {} product(s), {ops} operations, {} in {:.1} s{}",
        done.len(),
        if exit == Exit::Ok { "ok" } else { "FAILED" },
        started.elapsed().as_secs_f64(),
        if failed {
            "; nothing was written (fix or remove the files above)"
        } else {
            ""
        }
    );
    exit
}

/// `job(i)` for each `i` of `order`, on every core (each thread takes the next index when it is
/// free), returned in index order (`0..order.len()`, whatever `order` is).
fn each_on_every_core<T: Send>(order: &[usize], job: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let n = order.len();
    let threads = std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .clamp(1, n.max(1));
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<T>>> = (0..n).map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&i) = order.get(k) else { break };
                    let out = job(i);
                    if let Ok(mut slot) = slots[i].lock() {
                        *slot = Some(out);
                    }
                })
            })
            .collect();
        for h in handles {
            if let Err(p) = h.join() {
                std::panic::resume_unwind(p);
            }
        }
    });
    slots
        .into_iter()
        .filter_map(|m| m.into_inner().ok().flatten())
        .collect()
}

/// The staging folder of `generate --out DIR`: `DIR/.generate-staging`, holding the files that
/// differ from DIR's (paths relative to DIR) until every product is generated.
struct Staging {
    dir: PathBuf,
    out: PathBuf,
    /// Whether DIR was there before: if not, a run that writes nothing leaves none.
    existed: bool,
    staged: Mutex<Vec<String>>,
}

impl Staging {
    fn new(out: &Path) -> Result<Staging, String> {
        let dir = out.join(".generate-staging");
        if dir.exists() {
            fs::remove_dir_all(&dir)
                .map_err(|e| format!("cannot remove the old {}: {e}", dir.display()))?;
        }
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            existed: out.exists(),
            staged: Mutex::new(Vec::new()),
        })
    }

    /// Stages the files of `files` whose content DIR does not already hold.
    fn stage(&self, files: &[GeneratedFile]) -> Result<(), String> {
        let mut paths = Vec::new();
        for f in files {
            if files::unchanged(&self.out.join(&f.path), &f.contents) {
                continue;
            }
            let path = self.dir.join(&f.path);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            fs::write(&path, &f.contents)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            paths.push(f.path.clone());
        }
        if let Ok(mut staged) = self.staged.lock() {
            staged.extend(paths);
        }
        Ok(())
    }

    /// Moves every staged file into place, then removes the staging folder.
    fn commit(&self) -> Result<usize, String> {
        let staged = self.staged.lock().map(|s| s.clone()).unwrap_or_default();
        for rel in &staged {
            let to = self.out.join(rel);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            fs::rename(self.dir.join(rel), &to)
                .map_err(|e| format!("cannot move {} into place: {e}", to.display()))?;
        }
        self.discard();
        Ok(staged.len())
    }

    fn discard(&self) {
        let _ = fs::remove_dir_all(&self.dir);
        if !self.existed && fs::read_dir(&self.out).is_ok_and(|mut d| d.next().is_none()) {
            let _ = fs::remove_dir(&self.out);
        }
    }
}

/// One product, imported and (with `--out`) generated and staged.
struct Product {
    crate_name: String,
    member: String,
    operations: usize,
    warnings: usize,
}

fn one(
    repo: &Path,
    path: &Path,
    source: &str,
    staging: Option<&Staging>,
    options: &Options,
) -> Result<Product, String> {
    let text = files::read_text(path, &path.display().to_string()).map_err(|e| e.to_string())?;
    if let Some(why) = style_refusal(&text, source) {
        return Err(why);
    }
    let imported = import_with(&text, source, options).map_err(|issues| {
        issues
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    drop(text);
    let crate_dir = imported
        .folder
        .rsplit('/')
        .next()
        .unwrap_or(&imported.folder)
        .to_owned();
    let member = format!("generated/{crate_dir}");
    let operations = imported.files.iter().map(|f| f.spec.operations.len()).sum();
    let warnings = imported.issues.len();
    match staging {
        None => {
            let dir = repo.join("spec").join(&imported.folder).join("imported");
            let files: Vec<_> = imported.files.iter().collect();
            import::write_folder(&dir, &files, true)?;
            Ok(Product {
                crate_name: format!("alicloud-{crate_dir}"),
                member,
                operations,
                warnings,
            })
        }
        Some(staging) => {
            let sources = alicloud_codegen::imported_sources(&imported);
            drop(imported);
            let output = alicloud_codegen::generate(&sources, &Settings::default())
                .map_err(|d| format!("{source}: {d}"))?;
            drop(sources);
            let crate_name = products::package_name(&output.files, &member);
            staging.stage(&output.files)?;
            Ok(Product {
                crate_name,
                member,
                operations,
                warnings,
            })
        }
    }
}

/// Writes what was generated: the members and codegen in the workspace, or the folder's
/// workspace manifest and the staged crates.
fn finish(
    repo: &Path,
    out: Option<(&Path, &Staging)>,
    members: &BTreeSet<String>,
    has_sts: bool,
) -> Exit {
    match out {
        Some((dir, staging)) => {
            let written = workspace::write_root(repo, dir, members.iter().cloned(), has_sts)
                .and_then(|_| staging.commit());
            match written {
                Ok(_) => {
                    println!(
                        "generate: wrote the workspace {} ({} crate(s) under generated/, with alicloud-runtime and alicloud-rules of {} by path and its own copy of alicloud-credentials); build it with `cargo build --manifest-path {}/Cargo.toml`",
                        dir.display(),
                        members.len(),
                        repo.display(),
                        dir.display()
                    );
                    Exit::Ok
                }
                Err(e) => {
                    staging.discard();
                    eprintln!("error: {e}");
                    Exit::Io
                }
            }
        }
        None => {
            let manifest_path = repo.join("Cargo.toml");
            let mut manifest = match files::read_text(&manifest_path, "Cargo.toml") {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("{e}");
                    return e.exit();
                }
            };
            let mut added = Vec::new();
            for m in members {
                match add_member(&manifest, m) {
                    Ok(Some(t)) => {
                        manifest = t;
                        added.push(m.as_str());
                    }
                    Ok(None) => {}
                    Err(e) => {
                        eprintln!(
                            "error: Cargo.toml: {e}; add {m:?} to the workspace members by hand"
                        );
                        return Exit::BadInput;
                    }
                }
            }
            if !added.is_empty() {
                if let Err(e) = fs::write(&manifest_path, &manifest) {
                    eprintln!("error: cannot write {}: {e}", manifest_path.display());
                    return Exit::Io;
                }
                println!(
                    "generate: added {} to the workspace members",
                    added.join(", ")
                );
            }
            let options = codegen::Options {
                check: false,
                with_schema: true,
                notes: false,
            };
            let exit = codegen::run(repo, repo, &Settings::default(), options);
            if exit == Exit::Ok {
                println!(
                    "generate: spec/<product>/imported and generated/<product> are current; build with `cargo build -p <crate>`"
                );
            }
            exit
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_styles_are_refused_by_name() {
        for style in ["V3", "fc", "OSS", "PDS", "AliGenie"] {
            let text = format!(
                r#"{{"info": {{"style": "{style}", "product": "Thing", "version": "2020-01-01"}}, "apis": {{}}}}"#
            );
            let why = style_refusal(&text, "thing.json").expect(style);
            assert!(why.starts_with("thing.json: product Thing is "), "{why}");
            assert!(
                why.to_lowercase()
                    .contains(&format!("is {}-style", style.to_lowercase())),
                "{why}"
            );
            assert!(why.contains("Support would take"), "{why}");
        }
        for text in [
            r#"{"info": {"style": "RPC", "product": "Vpc", "version": "2016-04-28"}}"#,
            r#"{"info": {"product": "Vpc"}}"#,
            "not json",
        ] {
            assert_eq!(style_refusal(text, "x.json"), None, "{text}");
        }
    }

    #[test]
    fn one_command_generates_a_standalone_workspace() {
        let repo = crate::workspace_root();
        let tmp = workspace::temp_dir(&format!("generate-test-{:?}", std::thread::current().id()));
        let _ = fs::remove_dir_all(&tmp);
        fs::create_dir_all(&tmp).unwrap();
        let input = tmp.join("synth.json");
        fs::write(&input, alicloud_codegen::synth::api_docs(5)).unwrap();
        let out = tmp.join("out");
        assert_eq!(run(&repo, &input, Some(&out), false), Exit::Ok);
        let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
        assert!(manifest.contains("\"generated/synth\""), "{manifest}");
        let runtime = format!("path = {:?}", repo.join("runtime").display().to_string());
        assert!(manifest.contains(&runtime), "{manifest}");
        for f in [
            "Cargo.toml",
            "LICENSE",
            "README.md",
            "src/lib.rs",
            "src/client.rs",
        ] {
            assert!(out.join("generated/synth").join(f).is_file(), "{f}");
        }
        assert_eq!(
            fs::read_dir(out.join("generated/synth/src/operation"))
                .unwrap()
                .count(),
            5
        );

        // A rare style is refused and nothing is written.
        let v3 = tmp.join("v3");
        fs::create_dir_all(&v3).unwrap();
        fs::write(
            v3.join("thing.json"),
            r#"{"info": {"style": "V3", "product": "Thing", "version": "2020-01-01"}, "apis": {}}"#,
        )
        .unwrap();
        let refused = tmp.join("refused");
        assert_eq!(run(&repo, &v3, Some(&refused), false), Exit::BadInput);
        assert!(!refused.exists());

        // The metadata's descriptions are in the docs only when asked for.
        let types = |dir: &Path| {
            fs::read_to_string(dir.join("generated/synth/src/types.rs")).unwrap_or_default()
        };
        assert!(!types(&out).contains("The key."));
        let described = tmp.join("described");
        assert_eq!(run(&repo, &input, Some(&described), true), Exit::Ok);
        assert!(
            types(&described).contains("/// The key."),
            "{}",
            types(&described)
        );
        fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn members_are_added_once() {
        let manifest = "[workspace]\nresolver = \"2\"\nmembers = [\"a\", \"generated/vpc\"]\n\n[workspace.package]\n";
        let added = add_member(manifest, "generated/adb").unwrap().unwrap();
        assert!(
            added.contains("members = [\"a\", \"generated/vpc\", \"generated/adb\"]\n"),
            "{added}"
        );
        assert!(added.ends_with("\n[workspace.package]\n"));
        assert_eq!(add_member(&added, "generated/adb").unwrap(), None);
        assert!(add_member("[package]\n", "x").is_err());
        assert!(add_member("members = [\n  \"a\",\n]\n", "x").is_err());
    }
}
