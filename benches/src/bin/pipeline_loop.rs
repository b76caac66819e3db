//! Runs the dual-tunnel pipeline (benchmark (d)) in a loop, for profilers:
//!
//! ```text
//! cargo build --release -p alicloud-benches --bin pipeline_loop
//! valgrind --tool=callgrind target/release/pipeline_loop 2000
//! ```
//!
//! The first argument is the number of calls (default 10,000). Not a test and not timed.

use std::hint::black_box;

use alicloud_benches::{core, credentials, pipeline, Vector};

fn main() {
    let calls: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let core = core();
    let creds = credentials();
    let [dual, _] = Vector::both();
    dual.check(&pipeline(&core, &creds, &dual.request));
    for _ in 0..calls {
        drop(black_box(pipeline(&core, &creds, black_box(&dual.request))));
    }
}
