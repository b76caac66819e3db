//! Performance tasks.
//!
//! - `cargo xtask synth --ops N --out FILE` writes the api-docs metadata of a synthetic product
//!   of N operations ([`alicloud_codegen::synth`]), for benchmarks and tests; nothing of it
//!   belongs in the repository.
//! - `cargo xtask compile-cost [--metadata DIR] [--quick] [--runs N]` measures what the generated code costs
//!   to compile: for each selection, a clean `cargo build` of the generated crate alone, its
//!   dependencies already built (debug and release; `--quick`: debug only), with wall time,
//!   user + system CPU time and the peak resident memory of the build (from `wait4`: the rustc
//!   compiling the crate), and the generated lines. The selections: the crate of the first
//!   operation alone (`ModifyVpnConnectionAttribute`, generated from `spec/` with an operation
//!   allow-list into a temporary workspace), the full Vpc crate (`generated/vpc`) and its VPN
//!   groups only; with `--metadata DIR`, also each product of DIR's api-docs files, generated
//!   in full into a temporary workspace. Builds go to `target/compile-cost`, so nothing else is
//!   disturbed. `--runs N` repeats each clean build N times, the selections taking turns, and
//!   gives the medians: on a 2-core virtual machine the CPU time of the same build rises by a
//!   third to a half while another build runs (the two virtual CPUs share the host's cores), so
//!   single runs are only comparable on an idle machine. Prints a Markdown table.
//! - `cargo xtask generate-cost [--catalogue] [--ops N,N,…] [--json FILE]` measures what
//!   generating costs: `cargo xtask generate <synthetic metadata> --out TMP` (import, check,
//!   generate and write) run as a child process over the synthetic catalogue (the default) and
//!   over one synthetic product of each N operations, with wall time, user + system CPU time
//!   and peak resident memory (from `wait4`), and the load average before each run (other
//!   work on the machine lengthens the wall time, not the CPU time). Prints a Markdown table;
//!   `--json FILE` also writes the points (see [`generate_cost_json`]).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use alicloud_codegen::{Settings, SourceFile};

use crate::exit::Exit;
use crate::files;
use crate::workspace::{self, Cost};

/// The API groups of the VPN operations (README, "Generated product: Vpc").
pub const VPN_GROUPS: [&str; 6] = [
    "vpn-gateway",
    "customer-gateway",
    "associate-a-vpn-gateway",
    "ssl-vpn-client-certificate",
    "ssl-vpn-server",
    "ipsec-servers",
];

/// The first operation the project generated.
const FIRST_OPERATION: &str = "ModifyVpnConnectionAttribute";

/// `cargo xtask synth`: a product of `ops` operations into the file `out`.
pub fn run_synth(ops: usize, out: &Path) -> Exit {
    let text = alicloud_codegen::synth::api_docs(ops);
    if let Err(e) = fs::write(out, &text) {
        eprintln!("error: cannot write {}: {e}", out.display());
        return Exit::Io;
    }
    println!(
        "synth: {ops} operations of product {} {}, {} bytes, in {}",
        alicloud_codegen::synth::PRODUCT,
        alicloud_codegen::synth::VERSION,
        text.len(),
        out.display()
    );
    Exit::Ok
}

/// `cargo xtask synth --catalogue`: a folder of synthetic products the size of Alibaba's
/// catalogue ([`alicloud_codegen::synth::catalogue`]) into `out`.
pub fn run_synth_catalogue(out: &Path) -> Exit {
    if let Err(e) = fs::create_dir_all(out) {
        eprintln!("error: cannot create {}: {e}", out.display());
        return Exit::Io;
    }
    let mut bytes = 0;
    for (name, text) in alicloud_codegen::synth::catalogue() {
        let path = out.join(&name);
        if let Err(e) = fs::write(&path, &text) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return Exit::Io;
        }
        bytes += text.len();
    }
    println!(
        "synth: {} products, {} operations in all, {bytes} bytes, in {}",
        alicloud_codegen::synth::CATALOGUE_PRODUCTS,
        alicloud_codegen::synth::CATALOGUE_OPERATIONS,
        out.display()
    );
    Exit::Ok
}

/// One measured `cargo xtask generate --out` run of [`run_generate_cost`].
struct GenerateRun {
    what: String,
    products: usize,
    operations: usize,
    cost: Cost,
    load: String,
}

/// `cargo xtask generate-cost`: `cargo xtask generate DIR --out TMP` measured (wall, CPU, peak
/// memory from `wait4`, as for builds) over the synthetic catalogue (`catalogue`) and over one
/// synthetic product of each of `ops` operations; a Markdown table, and with `json` the points
/// as JSON (see [`generate_cost_json`]).
pub fn run_generate_cost(catalogue: bool, ops: &[usize], json: Option<&Path>) -> Exit {
    match generate_cost(catalogue, ops, json) {
        Ok(true) => Exit::Ok,
        Ok(false) => Exit::CheckFailed,
        Err(e) => {
            eprintln!("error: {e}");
            Exit::Io
        }
    }
}

fn generate_cost(catalogue: bool, ops: &[usize], json: Option<&Path>) -> Result<bool, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find xtask itself: {e}"))?;
    let tmp = workspace::temp_dir("generate-cost");
    let _ = fs::remove_dir_all(&tmp);
    let mut cases: Vec<(String, usize, usize)> = ops
        .iter()
        .map(|&n| {
            let s = if n == 1 { "" } else { "s" };
            (format!("one product of {n} operation{s}"), 1, n)
        })
        .collect();
    if catalogue {
        cases.push((
            "synthetic catalogue".into(),
            alicloud_codegen::synth::CATALOGUE_PRODUCTS,
            alicloud_codegen::synth::CATALOGUE_OPERATIONS,
        ));
    }
    println!("Machine: {}.", workspace::machine());
    let mut runs = Vec::new();
    let mut all_ok = true;
    for (what, products, operations) in cases {
        let input = tmp.join("input");
        let out = tmp.join("out");
        let _ = fs::remove_dir_all(&tmp);
        fs::create_dir_all(&input)
            .map_err(|e| format!("cannot create {}: {e}", input.display()))?;
        let written = if products == 1 {
            fs::write(
                input.join("synth.json"),
                alicloud_codegen::synth::api_docs(operations),
            )
        } else {
            alicloud_codegen::synth::catalogue()
                .try_for_each(|(name, text)| fs::write(input.join(name), text))
        };
        written.map_err(|e| format!("cannot write the metadata into {}: {e}", input.display()))?;
        let log = tmp.join("generate.log");
        let load = workspace::load();
        let mut cmd = Command::new(&exe);
        cmd.arg("generate").arg(&input).arg("--out").arg(&out);
        eprintln!("generate-cost: {what} ...");
        let cost = workspace::run_measured(&mut cmd, &log)
            .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
        if !cost.ok {
            all_ok = false;
            eprintln!(
                "generate-cost: {what} failed:\n{}",
                workspace::tail(&log, 20)
            );
        }
        runs.push(GenerateRun {
            what,
            products,
            operations,
            cost,
            load,
        });
    }
    let _ = fs::remove_dir_all(&tmp);
    let rows: Vec<Vec<String>> = runs
        .iter()
        .map(|r| {
            vec![
                r.what.clone(),
                thousands(r.products),
                thousands(r.operations),
                format!("{:.1} s", r.cost.wall.as_secs_f64()),
                format!("{:.1} s", r.cost.cpu().as_secs_f64()),
                format!("{} MiB", r.cost.max_rss_kib / 1024),
                r.load.clone(),
                if r.cost.ok { "ok" } else { "FAILED" }.into(),
            ]
        })
        .collect();
    print!(
        "{}",
        crate::progress::table(
            &[
                "input",
                "products",
                "operations",
                "wall",
                "CPU (user + system)",
                "peak memory",
                "load average before",
                "result"
            ],
            &rows
        )
    );
    println!("Command: `cargo xtask generate <synthetic metadata> --out DIR` (import, check, generate, write), measured with wait4.");
    if let Some(path) = json {
        fs::write(path, generate_cost_json(&runs))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("generate-cost: wrote {}", path.display());
    }
    Ok(all_ok)
}

/// The points of a `generate-cost` run as JSON: `{"command", "machine", "date", "points":
/// [{"input", "products", "operations", "wall_s", "cpu_s", "peak_rss_mib", "load", "ok"}]}`.
fn generate_cost_json(runs: &[GenerateRun]) -> String {
    let points: Vec<serde_json::Value> = runs
        .iter()
        .map(|r| {
            serde_json::json!({
                "input": r.what,
                "products": r.products,
                "operations": r.operations,
                "wall_s": (r.cost.wall.as_secs_f64() * 100.0).round() / 100.0,
                "cpu_s": (r.cost.cpu().as_secs_f64() * 100.0).round() / 100.0,
                "peak_rss_mib": (r.cost.max_rss_kib as f64 / 1024.0).round(),
                "load": r.load,
                "ok": r.cost.ok,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "command": "cargo xtask generate <synthetic metadata> --out DIR",
        "machine": workspace::machine(),
        "date": today(),
        "points": points,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// One thing to build.
struct Selection {
    name: String,
    /// The workspace manifest.
    manifest: PathBuf,
    /// The crate's package name.
    package: String,
    /// Features for `--features` (with `--no-default-features`), or `None` for the defaults.
    features: Option<Vec<String>>,
    operations: usize,
    lines: usize,
    /// The command that reproduces it, for the table's notes.
    how: String,
}

struct Row {
    selection: usize,
    release: bool,
    /// Each clean build's cost, with the load average at its start.
    runs: Vec<(Cost, String)>,
}

/// The median of `v` (the mean of the middle two for an even count).
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// Runs a cargo step with its output in `log`; on failure prints the log's tail and where
/// the whole of it is.
fn run_logged(cmd: &mut Command, log: &Path) -> Result<Cost, String> {
    let cost = workspace::run_measured(cmd, log).map_err(|e| e.to_string())?;
    if !cost.ok {
        eprintln!("{}", workspace::tail(log, 60));
        eprintln!("cargo failed; its whole output is in {}", log.display());
    }
    Ok(cost)
}

/// `cargo xtask compile-cost`: with the products of `metadata` too; `quick`: debug only;
/// `runs` clean builds of each selection.
pub fn run_compile_cost(repo: &Path, metadata: Option<&Path>, quick: bool, runs: usize) -> Exit {
    match compile_cost(repo, metadata, quick, runs) {
        Ok(true) => Exit::Ok,
        Ok(false) => Exit::CheckFailed,
        Err(e) => {
            eprintln!("error: {e}");
            Exit::Io
        }
    }
}

fn compile_cost(
    repo: &Path,
    metadata: Option<&Path>,
    quick: bool,
    runs: usize,
) -> Result<bool, String> {
    let target = repo.join("target/compile-cost");
    let tmp = workspace::temp_dir("compile-cost");
    let _ = fs::remove_dir_all(&tmp);
    let mut selections = Vec::new();

    // (1) The first operation alone, from spec/ with an allow-list.
    // Vpc's specs only: the allow-list names a Vpc operation, which the other products lack.
    let sources: Vec<SourceFile> = spec_sources(repo)?
        .into_iter()
        .filter(|s| s.path.starts_with("spec/vpc/"))
        .collect();
    let settings = Settings {
        operations: Some(BTreeSet::from([FIRST_OPERATION.to_owned()])),
        ..Settings::default()
    };
    let output = alicloud_codegen::generate(&sources, &settings).map_err(|d| d.to_string())?;
    let one = tmp.join("one");
    workspace::write(repo, &one, &output.files)?;
    selections.push(Selection {
        name: format!("first operation only (`{FIRST_OPERATION}`)"),
        manifest: one.join("Cargo.toml"),
        package: "alicloud-vpc".into(),
        features: None,
        operations: 1,
        lines: workspace::rust_lines(&one.join("generated/vpc/src")),
        how: format!("cargo xtask codegen --only {FIRST_OPERATION} --out DIR"),
    });

    // (2) The full Vpc crate, (3) its VPN groups.
    let vpc = repo.join("generated/vpc");
    let modules = feature_modules(&vpc)?;
    let cargo_toml = files::read_text(&vpc.join("Cargo.toml"), "generated/vpc/Cargo.toml")
        .map_err(|e| e.to_string())?;
    for g in VPN_GROUPS {
        if !cargo_toml.contains(&format!("\n{g} = [")) {
            return Err(format!(
                "generated/vpc/Cargo.toml has no feature `{g}`: update VPN_GROUPS in xtask/src/perf.rs"
            ));
        }
    }
    let shared_lines = ["lib.rs", "client.rs", "types.rs", "operation.rs"]
        .iter()
        .map(|f| count_lines(&vpc.join("src").join(f)))
        .sum::<usize>();
    let op_lines = |keep: &dyn Fn(&str) -> bool| -> (usize, usize) {
        let chosen: Vec<&(String, Option<String>)> = modules
            .iter()
            .filter(|(_, f)| f.as_deref().is_none_or(keep))
            .collect();
        let lines = chosen
            .iter()
            .map(|(m, _)| count_lines(&vpc.join("src/operation").join(format!("{m}.rs"))))
            .sum::<usize>();
        (chosen.len(), lines)
    };
    let (all_ops, all_lines) = op_lines(&|_| true);
    selections.push(Selection {
        name: "full Vpc crate".into(),
        manifest: repo.join("Cargo.toml"),
        package: "alicloud-vpc".into(),
        features: None,
        operations: all_ops,
        lines: shared_lines + all_lines,
        how: "cargo build -p alicloud-vpc".into(),
    });
    let (vpn_ops, vpn_lines) = op_lines(&|f| VPN_GROUPS.contains(&f));
    let mut vpn_features: Vec<String> = vec!["hyper".into()];
    vpn_features.extend(VPN_GROUPS.iter().map(|g| g.to_string()));
    selections.push(Selection {
        name: "VPN groups only".into(),
        manifest: repo.join("Cargo.toml"),
        package: "alicloud-vpc".into(),
        how: format!(
            "cargo build -p alicloud-vpc --no-default-features --features {}",
            vpn_features.join(",")
        ),
        features: Some(vpn_features),
        operations: vpn_ops,
        lines: shared_lines + vpn_lines,
    });

    // Other products, in full, from their metadata.
    if let Some(dir) = metadata {
        for input in crate::products::metadata_files(dir)? {
            let text = files::read_text(&input, &input.display().to_string())
                .map_err(|e| e.to_string())?;
            let source = input
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let output =
                alicloud_codegen::generate_from_metadata(&text, &source, &Settings::default())
                    .map_err(|d| format!("{source}: {d}"))?;
            let ws = tmp.join(source.trim_end_matches(".json").replace('.', "-"));
            let members = workspace::write(repo, &ws, &output.files)?;
            let Some(member) = members.first() else {
                continue;
            };
            let package = crate::products::package_name(&output.files, member);
            let operations = output
                .files
                .iter()
                .filter(|f| f.path.starts_with(&format!("{member}/src/operation/")))
                .count();
            selections.push(Selection {
                name: format!("{package} (from {source}, imported in full)"),
                manifest: ws.join("Cargo.toml"),
                package,
                features: None,
                operations,
                lines: workspace::rust_lines(&ws.join(member).join("src")),
                how: format!("cargo xtask compile-cost --metadata {}", dir.display()),
            });
        }
    }

    println!("compile-cost: {} ({})", today(), workspace::machine());
    println!("{}", rustc_version());
    println!(
        "CARGO_INCREMENTAL=0 (as for a registry dependency), target dir {}",
        target.display()
    );
    let profiles: &[bool] = if quick { &[false] } else { &[false, true] };
    let mut rows = Vec::new();
    for &release in profiles {
        let profile = if release { "release" } else { "debug" };
        for (i, s) in selections.iter().enumerate() {
            eprintln!("== {} ({profile}): building its dependencies", s.name);
            let log = tmp.join(format!("build-{i}-{profile}.log"));
            // The dependencies, with the crate's non-group features (groups forward nothing).
            let mut warm = build_command(s, &target, release);
            warm.args(["--no-default-features", "--features", "hyper"]);
            if !run_logged(&mut warm, &log)?.ok {
                return Ok(false);
            }
            rows.push(Row {
                selection: i,
                release,
                runs: Vec::new(),
            });
        }
        // The selections take turns run after run, so that a change of load between runs
        // falls on all of them alike.
        for run in 1..=runs {
            for row in rows.iter_mut().filter(|r| r.release == release) {
                let s = &selections[row.selection];
                let log = tmp.join(format!("build-{}-{profile}.log", row.selection));
                let mut clean = workspace::cargo();
                clean
                    .args(["clean", "-p", &s.package, "--manifest-path"])
                    .arg(&s.manifest)
                    .arg("--target-dir")
                    .arg(&target);
                if release {
                    clean.arg("--release");
                }
                if !run_logged(&mut clean, &log)?.ok {
                    return Ok(false);
                }
                let load = workspace::load();
                eprintln!(
                    "== {} ({profile}): clean build {run}/{runs}, load {load}",
                    s.name
                );
                let mut build = build_command(s, &target, release);
                if let Some(f) = &s.features {
                    build.args(["--no-default-features", "--features", &f.join(",")]);
                }
                let cost = run_logged(&mut build, &log)?;
                if !cost.ok {
                    return Ok(false);
                }
                eprintln!(
                    "   {:.1} s wall, {:.1} s CPU, {} MiB peak",
                    cost.wall.as_secs_f64(),
                    cost.cpu().as_secs_f64(),
                    cost.max_rss_kib / 1024
                );
                row.runs.push((cost, load));
            }
        }
    }
    println!();
    if runs > 1 {
        println!(
            "Medians of {runs} clean builds per row, the selections taking turns; the CPU range is the lowest and highest build."
        );
        println!();
    }
    println!("| selection | operations | generated lines | profile | clean build, wall | user + sys CPU | per operation (wall / CPU) | peak memory (rustc) | load at start |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for r in &rows {
        let s = &selections[r.selection];
        let ops = s.operations.max(1) as f64;
        let wall = median(r.runs.iter().map(|(c, _)| c.wall.as_secs_f64()).collect());
        let cpus: Vec<f64> = r.runs.iter().map(|(c, _)| c.cpu().as_secs_f64()).collect();
        let cpu = median(cpus.clone());
        let range = if cpus.len() > 1 {
            let lo = cpus.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = cpus.iter().copied().fold(0.0, f64::max);
            format!(" ({lo:.1}–{hi:.1})")
        } else {
            String::new()
        };
        let peak = r.runs.iter().map(|(c, _)| c.max_rss_kib).max().unwrap_or(0);
        let loads: Vec<&str> = r.runs.iter().map(|(_, l)| l.as_str()).collect();
        println!(
            "| {} | {} | {} | {} | {:.1} s | {:.1} s{range} | {:.0} / {:.0} ms | {} MiB | {} |",
            s.name,
            s.operations,
            thousands(s.lines),
            if r.release { "release" } else { "debug" },
            wall,
            cpu,
            wall * 1000.0 / ops,
            cpu * 1000.0 / ops,
            peak / 1024,
            loads.join("; "),
        );
    }
    println!();
    for s in &selections {
        println!("- {}: `{}`", s.name, s.how);
    }
    let _ = fs::remove_dir_all(&tmp);
    Ok(true)
}

fn build_command(s: &Selection, target: &Path, release: bool) -> Command {
    let mut c = workspace::cargo();
    c.args(["build", "-p", &s.package, "--manifest-path"])
        .arg(&s.manifest)
        .arg("--target-dir")
        .arg(target);
    if release {
        c.arg("--release");
    }
    // As a dependency from a registry compiles: cargo builds those without incremental state,
    // which would otherwise add the cost of writing it to a clean build.
    c.env("CARGO_INCREMENTAL", "0");
    c
}

/// Every spec file of the repository, as `cargo xtask codegen` reads them.
fn spec_sources(repo: &Path) -> Result<Vec<SourceFile>, String> {
    crate::codegen::read_specs(repo).map_err(|errors| {
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// The operation modules of a generated crate with the feature each is compiled under, read
/// from its `src/operation.rs` (`#[cfg(feature = "g")]` then `pub mod m;`).
fn feature_modules(crate_dir: &Path) -> Result<Vec<(String, Option<String>)>, String> {
    let path = crate_dir.join("src/operation.rs");
    let text = files::read_text(&path, &path.display().to_string()).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut feature = None;
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("#[cfg(feature = \"") {
            feature = rest.split('"').next().map(str::to_owned);
        } else if let Some(m) = line.strip_prefix("pub mod ") {
            let m = m.trim_end_matches(';').trim_start_matches("r#");
            out.push((m.to_owned(), feature.take()));
        }
    }
    Ok(out)
}

fn count_lines(path: &Path) -> usize {
    files::read_text(path, "").map_or(0, |t| t.lines().count())
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn rustc_version() -> String {
    Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

/// Today's date (UTC), `YYYY-MM-DD`.
pub fn today() -> String {
    date(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    )
}

/// The UTC date of a Unix time, `YYYY-MM-DD`.
fn date(secs: u64) -> String {
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(date(1_700_000_000), "2023-11-14");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(357_123), "357,123");
    }

    #[test]
    fn feature_modules_of_operation_rs() {
        let dir = workspace::temp_dir("perf-test");
        fs::create_dir_all(dir.join("src")).unwrap();
        fs::write(
            dir.join("src/operation.rs"),
            "//! One module per operation.\n/// `A`.\n#[cfg(feature = \"vpn-gateway\")]\npub mod a;\n/// `B`.\npub mod r#b;\n",
        )
        .unwrap();
        let m = feature_modules(&dir).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            m,
            [
                ("a".to_owned(), Some("vpn-gateway".to_owned())),
                ("b".to_owned(), None)
            ]
        );
    }
}
