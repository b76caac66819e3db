//! Temporary cargo workspaces for generated crates, and cargo runs measured with `wait4`.
//!
//! Generated crates inherit their package keys and dependency versions from the workspace
//! (`edition.workspace = true`, `serde.workspace = true`, …). A temporary workspace copies the
//! repository's `[workspace.package]`, `[workspace.dependencies]` (paths made absolute, so the
//! crates use the repository's `runtime/`), profiles and `Cargo.lock`, so the crates build
//! exactly as they would in the repository, with the same dependency versions, offline.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use alicloud_codegen::GeneratedFile;

use crate::files;

/// Writes a cargo workspace into `dir` whose members are the crates of `files` (their paths
/// are relative to `dir`, `generated/<crate>/…`). Returns the members' folders.
pub fn write(repo: &Path, dir: &Path, files: &[GeneratedFile]) -> Result<Vec<String>, String> {
    let members = files
        .iter()
        .filter_map(|f| f.path.strip_suffix("/Cargo.toml").map(str::to_owned));
    let has_sts = files.iter().any(|f| f.path == "generated/sts/Cargo.toml");
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for f in files {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        write_if_changed(&path, &f.contents)?;
    }
    write_root(repo, dir, members, has_sts)
}

/// The workspace around generated crates already in `dir`: its `Cargo.toml` (`members` and
/// the sections inherited from the repository), `Cargo.lock` and its copy of the credentials
/// crate. `has_sts`: the STS crate is among the members. Returns the members' folders.
pub fn write_root(
    repo: &Path,
    dir: &Path,
    members: impl IntoIterator<Item = String>,
    has_sts: bool,
) -> Result<Vec<String>, String> {
    let manifest = files::read_text(
        &repo.join("Cargo.toml"),
        &format!("{}/Cargo.toml", repo.display()),
    )
    .map_err(|e| e.to_string())?;
    let mut members: Vec<String> = members.into_iter().collect();
    // Generated product crates depend on `alicloud-credentials`, which depends on
    // `alicloud-sts`. When the STS crate is generated here too, the repository's copy of
    // `alicloud-credentials` would pull the repository's STS crate beside it (two packages of
    // one name: cargo refuses), so the workspace gets its own copy of `credentials/`, built on
    // the STS crate generated here when there is one.
    copy_crate(&repo.join("credentials"), &dir.join("credentials"))?;
    members.push("credentials".to_owned());
    members.sort();
    members.dedup();
    let quoted: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    let mut text = format!(
        "# A temporary workspace written by `cargo xtask`; see xtask/src/workspace.rs.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n",
        quoted.join(", ")
    );
    text.push_str(&inherited_sections(&manifest, repo, has_sts));
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    write_if_changed(&dir.join("Cargo.toml"), &text)?;
    // The repository's lock file pins the same versions (cargo drops what is not used).
    if let Ok(lock) = files::read_text(&repo.join("Cargo.lock"), "Cargo.lock") {
        if !dir.join("Cargo.lock").exists() {
            write_if_changed(&dir.join("Cargo.lock"), &lock)?;
        }
    }
    Ok(members)
}

/// Copies a hand-written crate's `Cargo.toml` and `src/` (only those: no build output).
fn copy_crate(from: &Path, to: &Path) -> Result<(), String> {
    fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
        fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
        let entries =
            fs::read_dir(from).map_err(|e| format!("cannot list {}: {e}", from.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot list {}: {e}", from.display()))?;
            let path = entry.path();
            if path.is_dir() {
                copy_dir(&path, &to.join(entry.file_name()))?;
            } else {
                let text = files::read_text(&path, &path.display().to_string())
                    .map_err(|e| e.to_string())?;
                write_if_changed(&to.join(entry.file_name()), &text)?;
            }
        }
        Ok(())
    }
    let manifest = files::read_text(&from.join("Cargo.toml"), "credentials/Cargo.toml")
        .map_err(|e| e.to_string())?;
    fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    write_if_changed(&to.join("Cargo.toml"), &manifest)?;
    copy_dir(&from.join("src"), &to.join("src"))
}

/// Writes only when the content differs, so that cargo's fingerprints stay valid across runs.
fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if files::unchanged(path, text) {
        return Ok(());
    }
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The `[workspace.package]`, `[workspace.dependencies]` and `[profile.*]` sections of the
/// repository's manifest (`[profile.*.package.<name>]` only for `"*"`), with relative
/// `path = "…"` dependencies made absolute and the repository's own generated crates and
/// generator left out.
fn inherited_sections(manifest: &str, repo: &Path, has_sts: bool) -> String {
    let mut out = String::new();
    let mut keep = false;
    let mut deps = false;
    for line in manifest.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            let name = t.trim_start_matches('[').trim_end_matches(']').trim();
            // Profiles, but not the settings of named packages: those name the repository's
            // own crates and build tools, which a workspace of generated crates lacks (cargo
            // would warn about each).
            let profile = name.starts_with("profile.")
                && name
                    .split_once(".package.")
                    .is_none_or(|(_, package)| package == "\"*\"");
            keep = name == "workspace.package" || name == "workspace.dependencies" || profile;
            deps = name == "workspace.dependencies";
            if keep {
                out.push('\n');
                out.push_str(line);
                out.push('\n');
            }
            continue;
        }
        if !keep {
            continue;
        }
        if deps {
            if let Some((before, after)) = line.split_once("path = \"") {
                let Some((rel, rest)) = after.split_once('"') else {
                    continue;
                };
                // The workspace's own copy of the credentials crate, and its STS crate (see
                // `write`) by a relative path; other crates of the repository by an absolute
                // one, but for its generated crates and the generator, left out.
                if rel == "credentials" || (rel == "generated/sts" && has_sts) {
                    out.push_str(line);
                    out.push('\n');
                    continue;
                }
                if (rel.starts_with("generated/") && rel != "generated/sts") || rel == "generator" {
                    continue;
                }
                let abs = repo.join(rel);
                out.push_str(&format!(
                    "{before}path = {:?}{rest}\n",
                    abs.display().to_string()
                ));
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// What a measured command cost.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cost {
    /// Wall-clock time.
    pub wall: Duration,
    /// User CPU time of the command and every process it waited for.
    pub user: Duration,
    /// System CPU time, likewise.
    pub sys: Duration,
    /// The largest resident set of the command or any process it waited for, in KiB.
    pub max_rss_kib: u64,
    /// Whether it exited successfully.
    pub ok: bool,
}

impl Cost {
    /// User + system CPU time.
    pub fn cpu(&self) -> Duration {
        self.user + self.sys
    }
}

/// Runs `cmd` to completion with its standard output and error sent to `log`, and measures
/// it. CPU times and peak memory come from `wait4`, which reports the child together with
/// every descendant it waited for (cargo waits for its rustc processes), so they are the
/// build's own and no other process's; what else runs still slows them (shared caches and,
/// on a virtual machine, host cores shared by its CPUs).
pub fn run_measured(cmd: &mut Command, log: &Path) -> io::Result<Cost> {
    let out = fs::File::create(log)?;
    let err = out.try_clone()?;
    cmd.stdout(Stdio::from(out)).stderr(Stdio::from(err));
    let start = Instant::now();
    let child = cmd.spawn()?;
    wait_measured(child, start)
}

#[cfg(unix)]
fn wait_measured(child: std::process::Child, start: Instant) -> io::Result<Cost> {
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain old data, for which all-zero bytes are a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet reaped (`Child` reaps only in `wait`, which
        // is never called on it); `status` and `usage` are valid for writes.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
    let wall = start.elapsed();
    drop(child);
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    Ok(Cost {
        wall,
        user: tv(usage.ru_utime),
        sys: tv(usage.ru_stime),
        // Linux reports KiB.
        max_rss_kib: usage.ru_maxrss.max(0) as u64,
        ok: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
    })
}

#[cfg(not(unix))]
fn wait_measured(mut child: std::process::Child, start: Instant) -> io::Result<Cost> {
    let status = child.wait()?;
    Ok(Cost {
        wall: start.elapsed(),
        ok: status.success(),
        ..Cost::default()
    })
}

/// `cargo` (the one running xtask, when known).
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The last `n` lines of a log file, for error reports.
pub fn tail(log: &Path, n: usize) -> String {
    let text = files::read_lossy(log);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Lines of the `*.rs` files below `dir`.
pub fn rust_lines(dir: &Path) -> usize {
    let mut n = 0;
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                n += files::read_text(&p, "").map_or(0, |t| t.lines().count());
            }
        }
    }
    n
}

/// A fresh temporary folder for this process, `<tmp>/alicloud-<what>-<pid>`.
pub fn temp_dir(what: &str) -> PathBuf {
    std::env::temp_dir().join(format!("alicloud-{what}-{}", std::process::id()))
}

/// The machine, for reports: CPU model, cores and the load average now.
pub fn machine() -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cpu}, {cores} cores, load average {}", load())
}

/// The 1, 5 and 15-minute load averages (`/proc/loadavg`).
pub fn load() -> String {
    fs::read_to_string("/proc/loadavg")
        .map(|t| t.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inherits_packages_dependencies_and_profiles_with_absolute_paths() {
        let manifest = r#"[workspace]
members = ["runtime", "generated/vpc"]

[workspace.package]
edition = "2021"

[workspace.dependencies]
alicloud-runtime = { path = "runtime", default-features = false }
alicloud-codegen = { path = "generator" }
alicloud-vpc = { path = "generated/vpc" }
serde = { version = "1", features = ["derive"] }

[profile.dev]
debug = "line-tables-only"

[profile.dev.package."*"]
debug = false

[profile.dev.package.syn]
opt-level = 3

[package]
name = "x"
"#;
        let out = inherited_sections(manifest, Path::new("/repo"), false);
        assert!(
            out.contains("[workspace.package]\nedition = \"2021\""),
            "{out}"
        );
        assert!(
            out.contains(
                r#"alicloud-runtime = { path = "/repo/runtime", default-features = false }"#
            ),
            "{out}"
        );
        assert!(!out.contains("alicloud-vpc"), "{out}");
        assert!(!out.contains("alicloud-codegen"), "{out}");
        assert!(out.contains(r#"serde = { version = "1", features = ["derive"] }"#));
        assert!(out.contains("[profile.dev]\ndebug"), "{out}");
        assert!(
            out.contains("[profile.dev.package.\"*\"]\ndebug = false"),
            "{out}"
        );
        assert!(!out.contains("syn"), "{out}");
        assert!(!out.contains("members"), "{out}");
        assert!(!out.contains("name = \"x\""), "{out}");
    }

    #[test]
    fn measures_a_child() {
        let log = temp_dir("measure-test");
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo hello; exit 3"]);
        let c = run_measured(&mut cmd, &log).unwrap();
        assert!(!c.ok);
        assert_eq!(tail(&log, 5), "hello");
        let mut ok = Command::new("true");
        assert!(run_measured(&mut ok, &log).unwrap().ok);
        fs::remove_file(&log).unwrap();
    }
}
