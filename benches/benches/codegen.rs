//! Criterion benchmarks of the generator (`cargo bench -p alicloud-benches --bench codegen`):
//! Alibaba api-docs metadata in, every file of the product's crate out, all in memory
//! (`alicloud_codegen::generate_from_metadata`: import, spec files as `cargo xtask import`
//! writes them, load, check, model, emit, render; nothing is written to disk).
//!
//! - `codegen/synth_N`: the synthetic product of N operations (`alicloud_codegen::synth`), for
//!   N = 1, 10, 100 and 1000: the time per operation shows how the cost grows.
//! - `codegen/vpc`: Alibaba's real Vpc metadata (394 operations), and `codegen/vpc_import`, its
//!   import alone, when `$ALICLOUD_METADATA_DIR` (default `../shared/metadata` from the
//!   repository root) holds `vpc-2016-04-28.api-docs.json`; skipped with a note otherwise.
//!
//! `cargo run --release -p alicloud-benches --bin summary` prints the medians per operation.

use std::hint::black_box;
use std::path::PathBuf;

use alicloud_codegen::{generate_from_metadata, import, synth, Settings};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// Sizes of the synthetic products.
const SIZES: [usize; 4] = [1, 10, 100, 1000];

/// Runs the whole pipeline; returns the number of operation modules.
fn pipeline(text: &str, source: &str) -> usize {
    let out = generate_from_metadata(text, source, &Settings::default())
        .unwrap_or_else(|d| panic!("{source} does not generate:\n{d}"));
    out.files
        .iter()
        .filter(|f| f.path.contains("/src/operation/"))
        .count()
}

fn synthetic(c: &mut Criterion) {
    let mut g = c.benchmark_group("codegen");
    g.sample_size(10);
    for n in SIZES {
        let text = synth::api_docs(n);
        // One module per operation, proved before timing.
        assert_eq!(
            pipeline(&text, "synth.json"),
            n,
            "synthetic product of {n} operations"
        );
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(format!("synth_{n}"), |b| {
            b.iter(|| pipeline(black_box(&text), "synth.json"))
        });
    }
    g.finish();
}

/// The metadata folder: `$ALICLOUD_METADATA_DIR` (relative to the repository root), or
/// `../shared/metadata` from the repository root.
fn metadata_dir() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default();
    match std::env::var_os("ALICLOUD_METADATA_DIR") {
        Some(d) => root.join(d),
        None => root.join("../shared/metadata"),
    }
}

fn vpc(c: &mut Criterion) {
    let path = metadata_dir().join("vpc-2016-04-28.api-docs.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "note: codegen/vpc skipped: no Vpc metadata at {} (set ALICLOUD_METADATA_DIR to the folder of vpc-2016-04-28.api-docs.json)",
            path.display()
        );
        return;
    };
    let source = "vpc-2016-04-28.api-docs.json";
    let ops = import::import(&text, source)
        .map(|i| {
            i.files
                .iter()
                .map(|f| f.spec.operations.len())
                .sum::<usize>()
        })
        .unwrap_or(0);
    assert_eq!(pipeline(&text, source), ops, "one module per Vpc operation");
    let mut g = c.benchmark_group("codegen");
    g.sample_size(10);
    g.throughput(Throughput::Elements(ops as u64));
    g.bench_function("vpc", |b| b.iter(|| pipeline(black_box(&text), source)));
    g.bench_function("vpc_import", |b| {
        b.iter(|| import::import(black_box(&text), source).map(|i| i.files.len()))
    });
    g.finish();
}

criterion_group!(benches, synthetic, vpc);
criterion_main!(benches);
