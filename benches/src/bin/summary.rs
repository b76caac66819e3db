//! Prints the medians of the last `cargo bench -p alicloud-benches` run, the ratios the
//! targets are about, and the generator's time per operation, as the Markdown rows of
//! `benches/RESULTS.md`:
//!
//! ```text
//! cargo bench -p alicloud-benches
//! cargo run --release -p alicloud-benches --bin summary [CRITERION_DIR]
//! ```
//!
//! `CRITERION_DIR` defaults to `$CARGO_TARGET_DIR/criterion`, else the workspace's
//! `target/criterion`.

use std::path::PathBuf;

/// The median of benchmark `id` (criterion's directory name: `pipeline_dual`), in µs, with its
/// 95 % confidence interval.
fn median(dir: &std::path::Path, id: &str) -> Option<(f64, f64, f64)> {
    let path = dir.join(id).join("new").join("estimates.json");
    let text = std::fs::read_to_string(&path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let m = &v["median"];
    let us = |x: &serde_json::Value| x.as_f64().map(|ns| ns / 1000.0);
    Some((
        us(&m["point_estimate"])?,
        us(&m["confidence_interval"]["lower_bound"])?,
        us(&m["confidence_interval"]["upper_bound"])?,
    ))
}

fn main() {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR").map(|t| PathBuf::from(t).join("criterion"))
        })
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join("target")
                .join("criterion")
        });
    let get = |id: &str| median(&dir, id);
    println!("| figure | median (µs) | 95 % CI of the median (µs) |");
    println!("|---|---|---|");
    for id in [
        "validate_dual",
        "validate_single",
        "encode_dual",
        "encode_single",
        "sign_dual",
        "sign_single",
        "pipeline_dual",
        "pipeline_single",
        "floor_dual",
        "floor_single",
        "parse_response_typed",
        "parse_response_value",
        "parse_error_typed",
    ] {
        match get(id) {
            Some((m, lo, hi)) => println!(
                "| {} | {m:.3} | {lo:.3} – {hi:.3} |",
                id.replacen('_', "/", 1)
            ),
            None => println!("| {} | not measured | |", id.replacen('_', "/", 1)),
        }
    }
    println!();
    let ratio = |a: &str, b: &str| Some(get(a)?.0 / get(b)?.0);
    for (name, a, b) in [
        ("pipeline/dual ÷ floor/dual", "pipeline_dual", "floor_dual"),
        (
            "pipeline/single ÷ floor/single",
            "pipeline_single",
            "floor_single",
        ),
        (
            "parse/response_typed ÷ parse/response_value",
            "parse_response_typed",
            "parse_response_value",
        ),
    ] {
        match ratio(a, b) {
            Some(r) => println!("| {name} | {r:.2} |"),
            None => println!("| {name} | not measured |"),
        }
    }
    // The generator (`--bench codegen`): medians per product and per operation.
    println!();
    println!("| codegen | operations | median | per operation |");
    println!("|---|---|---|---|");
    for (id, ops) in [
        ("synth_1", 1.0),
        ("synth_10", 10.0),
        ("synth_100", 100.0),
        ("synth_1000", 1000.0),
        ("vpc", 394.0),
        ("vpc_import", 394.0),
    ] {
        match get(&format!("codegen/{id}")) {
            Some((m, _, _)) => println!(
                "| codegen/{id} | {ops} | {:.1} ms | {:.2} ms |",
                m / 1000.0,
                m / 1000.0 / ops
            ),
            None => println!("| codegen/{id} | {ops} | not measured | |"),
        }
    }
}
