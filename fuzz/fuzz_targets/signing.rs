//! The signer, and the emulator's verifier on what the client signs:
//! `alicloud_tests::props::signing`.
#![no_main]

use alicloud_tests::props::{signing, ArbSigning};

libfuzzer_sys::fuzz_target!(|input: ArbSigning| {
    signing(&input);
});
