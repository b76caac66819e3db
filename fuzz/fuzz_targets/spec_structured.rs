//! A mostly well-formed spec from a structured input: `alicloud_tests::props::spec_structured`.
#![no_main]

use alicloud_tests::props::{spec_structured, ArbSpec};

libfuzzer_sys::fuzz_target!(|spec: ArbSpec| {
    spec_structured(&spec);
});
