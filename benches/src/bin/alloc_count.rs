//! Counts the heap allocations of the whole validate + encode + sign pipeline (benchmark (d))
//! for each valid signing vector, with a counting global allocator, and prints them:
//!
//! ```text
//! cargo run --release -p alicloud-benches --bin alloc_count
//! ```
//!
//! Not a test and not timed: one warm-up call, then the mean over a few calls (the pipeline is
//! deterministic, so every call allocates the same).

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use alicloud_benches::{core, credentials, pipeline, Vector};

/// The system allocator, counting calls.
struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static REALLOCS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the counters are atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        REALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(new_size.saturating_sub(layout.size()), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by this allocator with `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by this allocator with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const CALLS: usize = 100;

fn main() {
    let core = core();
    let creds = credentials();
    println!(
        "| vector | allocations per call | reallocations per call | bytes requested per call |"
    );
    println!("|---|---|---|---|");
    for v in Vector::both() {
        v.check(&pipeline(&core, &creds, &v.request));
        let (a0, r0, b0) = (
            ALLOCS.load(Ordering::Relaxed),
            REALLOCS.load(Ordering::Relaxed),
            BYTES.load(Ordering::Relaxed),
        );
        for _ in 0..CALLS {
            drop(black_box(pipeline(&core, &creds, black_box(&v.request))));
        }
        let per = |now: &AtomicUsize, before: usize| (now.load(Ordering::Relaxed) - before) / CALLS;
        println!(
            "| {} | {} | {} | {} |",
            v.name,
            per(&ALLOCS, a0),
            per(&REALLOCS, r0),
            per(&BYTES, b0)
        );
    }
}
