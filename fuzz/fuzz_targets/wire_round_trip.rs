//! Encoding then decoding a request, and RFC 3986 encoding:
//! `alicloud_tests::props::{wire_round_trip, rfc3986_round_trip}`.
#![no_main]

use alicloud_tests::props::{rfc3986_round_trip, wire_round_trip, ArbRequest};

libfuzzer_sys::fuzz_target!(|input: (ArbRequest, String)| {
    wire_round_trip(&input.0);
    rfc3986_round_trip(&input.1);
});
