//! Rule functions and request validation: `alicloud_tests::props::validators`.
#![no_main]

use alicloud_tests::props::{validators, ArbValidators};

libfuzzer_sys::fuzz_target!(|input: ArbValidators| {
    validators(&input);
});
