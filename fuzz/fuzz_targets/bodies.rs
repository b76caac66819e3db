//! Any bytes as a response or error body: `alicloud_tests::props::bodies`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    alicloud_tests::props::bodies(data);
});
