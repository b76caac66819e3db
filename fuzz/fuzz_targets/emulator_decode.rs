//! The emulator's parsing of raw calls: `alicloud_tests::props::emulator_decode`.
#![no_main]

use alicloud_tests::props::{emulator_decode, ArbRawCall};

libfuzzer_sys::fuzz_target!(|input: ArbRawCall| {
    emulator_decode(&input);
});
