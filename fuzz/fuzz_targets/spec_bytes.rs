//! Any bytes as a spec file: `alicloud_tests::props::spec_bytes`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    alicloud_tests::props::spec_bytes(data);
});
