//! Property tests: the properties of `alicloud_tests::props` (shared with the fuzz targets in
//! `fuzz/`) on a few hundred inputs each, from a fixed seed so that every run checks the same
//! inputs, and the inputs the fuzzers found (`tests/data/fuzz-regressions/<target>/`) replayed.

use std::cell::Cell;
use std::path::PathBuf;

use alicloud_tests::props::{self, ArbRawCall, ArbRequest, ArbSigning, ArbSpec, ArbValidators};
use alicloud_tests::repo_root;
use arbitrary::{Arbitrary, Unstructured};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};

fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(0x0a11_c10d),
        failure_persistence: None,
        ..Config::default()
    }
}

/// `T` from raw bytes, as the fuzz targets build it (`arbitrary_take_rest`); `None` when the
/// bytes cannot make one (the fuzz targets skip those too).
fn from_bytes<T: for<'a> Arbitrary<'a>>(bytes: &[u8]) -> Option<T> {
    T::arbitrary_take_rest(Unstructured::new(bytes)).ok()
}

/// `seed` with a few bytes changed, inserted or removed.
fn mutated(seed: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for &(at, op, byte) in edits {
        let i = if out.is_empty() { 0 } else { at % out.len() };
        match op % 3 {
            0 if !out.is_empty() => out[i] = byte,
            1 => out.insert(i, byte),
            _ if !out.is_empty() => {
                out.remove(i);
            }
            _ => {}
        }
    }
    out
}

fn edits() -> impl Strategy<Value = Vec<(usize, u8, u8)>> {
    vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..6)
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn any_bytes_as_a_spec_file(bytes in vec(any::<u8>(), 0..512)) {
        props::spec_bytes(&bytes);
    }
}

#[test]
fn the_vpc_spec_with_a_few_bytes_changed() {
    let seed = props::vpc_spec_as_one_file();
    // Unchanged, it generates.
    assert!(alicloud_tests::props::check_generation(&[
        alicloud_codegen::SourceFile {
            path: props::FUZZ_SPEC_PATH.into(),
            text: seed.clone(),
        }
    ]));
    let mut runner = TestRunner::new(config(48));
    runner
        .run(&edits(), |e| {
            props::spec_bytes(&mutated(seed.as_bytes(), &e));
            Ok(())
        })
        .unwrap();
}

#[test]
fn structured_specs() {
    let generated = Cell::new(0u32);
    let cases = 256;
    let mut runner = TestRunner::new(config(cases));
    runner
        .run(&vec(any::<u8>(), 64..2048), |bytes| {
            if let Some(spec) = from_bytes::<ArbSpec>(&bytes) {
                if props::spec_structured(&spec) {
                    generated.set(generated.get() + 1);
                }
            }
            Ok(())
        })
        .unwrap();
    // The inputs are mostly well-formed: a good share of them must get past the checks, or
    // this test only exercises the diagnostics.
    assert!(
        generated.get() >= cases / 3,
        "only {} of {cases} structured specs generated",
        generated.get()
    );
}

fn sample_bodies() -> Vec<Vec<u8>> {
    let sample =
        std::fs::read(repo_root().join("tests/data/modify_vpn_connection_attribute_response.json"))
            .expect("sample response");
    vec![
        sample,
        br#"{"RequestId":"R","HostId":"h","Code":"VpnGateway.Configuring","Message":"busy","Recommend":"x","AccessDeniedDetail":{"AuthAction":"vpc:X"}}"#.to_vec(),
        br#"{"RequestId":"R","VpnGatewayId":"vpn-1","Status":"active","Tags":{"Tag":[{"Key":"k","Value":"v"}]}}"#.to_vec(),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn any_bytes_as_a_response_body(bytes in vec(any::<u8>(), 0..512)) {
        props::bodies(&bytes);
    }

    #[test]
    fn sample_bodies_with_a_few_bytes_changed(which in 0usize..3, e in edits()) {
        props::bodies(&mutated(&sample_bodies()[which], &e));
    }

    #[test]
    fn validators(bytes in vec(any::<u8>(), 0..1024)) {
        if let Some(input) = from_bytes::<ArbValidators>(&bytes) {
            props::validators(&input);
        }
    }

    #[test]
    fn wire_round_trip(bytes in vec(any::<u8>(), 0..1024)) {
        if let Some(request) = from_bytes::<ArbRequest>(&bytes) {
            props::wire_round_trip(&request);
        }
    }

    #[test]
    fn rfc3986_round_trip(s in any::<String>()) {
        props::rfc3986_round_trip(&s);
    }

    #[test]
    fn signing(bytes in vec(any::<u8>(), 0..1024)) {
        if let Some(input) = from_bytes::<ArbSigning>(&bytes) {
            props::signing(&input);
        }
    }

    #[test]
    fn emulator_decode(bytes in vec(any::<u8>(), 0..1024)) {
        if let Some(input) = from_bytes::<ArbRawCall>(&bytes) {
            props::emulator_decode(&input);
        }
    }
}

/// Runs `check` on every file of `tests/data/fuzz-regressions/<target>/`.
fn replay(target: &str, check: impl Fn(&[u8])) -> usize {
    let dir: PathBuf = repo_root().join("tests/data/fuzz-regressions").join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut files: Vec<PathBuf> = entries.map(|e| e.expect("entry").path()).collect();
    files.sort();
    for f in &files {
        let bytes = std::fs::read(f).expect("regression input");
        eprintln!("replaying {}", f.display());
        check(&bytes);
    }
    files.len()
}

#[test]
fn fuzz_regressions_replay() {
    let mut total = 0;
    total += replay("spec_bytes", props::spec_bytes);
    total += replay("spec_structured", |b| {
        if let Some(s) = from_bytes::<ArbSpec>(b) {
            props::spec_structured(&s);
        }
    });
    total += replay("bodies", props::bodies);
    total += replay("validators", |b| {
        if let Some(v) = from_bytes::<ArbValidators>(b) {
            props::validators(&v);
        }
    });
    total += replay("wire_round_trip", |b| {
        if let Some(r) = from_bytes::<ArbRequest>(b) {
            props::wire_round_trip(&r);
        }
    });
    total += replay("signing", |b| {
        if let Some(s) = from_bytes::<ArbSigning>(b) {
            props::signing(&s);
        }
    });
    total += replay("emulator_decode", |b| {
        if let Some(c) = from_bytes::<ArbRawCall>(b) {
            props::emulator_decode(&c);
        }
    });
    assert!(
        total >= 2,
        "the regression inputs are missing ({total} found)"
    );
}

/// A long value where the response has a boolean or a number: serde's message quotes the
/// value, and the error must still stay small (the fuzzers rarely build bodies this long).
#[test]
fn long_values_in_a_body_do_not_make_long_errors() {
    let long = "x".repeat(20_000);
    for body in [
        format!(r#"{{"RequestId":"R","EnableDpd":"{long}"}}"#),
        format!(r#"{{"RequestId":"R","CreateTime":"{long}"}}"#),
        format!(r#"{{"RequestId":"R","VpnBgpConfig":{{"LocalAsn":"{long}"}}}}"#),
        format!(r#"{{"Code":["{long}"]}}"#),
        format!("{{\"{long}\""),
    ] {
        // Status byte: the body's first byte, `{`, gives 200 + 123.
        props::bodies(body.as_bytes());
    }
}

/// A flattened list whose first item is empty: the empty item encodes to nothing, and the next
/// one must still be numbered 1, or decoding renumbers it and the parameters change.
#[test]
fn an_empty_item_before_a_set_one_leaves_no_gap() {
    let request = ArbRequest {
        tunnel_options_specification: Some(vec![
            props::ArbTunnelOptions::default(),
            props::ArbTunnelOptions {
                enable_dpd: Some(true),
                ..Default::default()
            },
        ]),
        ..Default::default()
    };
    props::wire_round_trip(&request);
}

/// A minimal valid spec with `text` as the product's, a shape's and an enum value's
/// description, and as an enum value.
fn spec_with_text(text: &str) -> alicloud_codegen::SourceFile {
    let spec = serde_json::json!({
        "format_version": 1,
        "product": {
            "code": "Fuzz", "version": "v1", "style": "RPC",
            "endpoint": { "pattern": "fuzz.{region_id}.example.com" },
            "crate_name": "alicloud-fuzz", "description": text
        },
        "shapes": {
            "Status": {
                "kind": "enum", "description": text,
                "values": [{ "value": "a", "description": text }, { "value": text }]
            }
        },
        "operations": [{
            "name": "DescribeThing", "description": text,
            "parameters": [{ "name": "RegionId", "type": "string", "description": text }],
            "response": [{ "name": "Status", "type": "Status" }],
            "errors": [{ "status": 400, "code": "Thing.Busy", "message": text }]
        }]
    });
    alicloud_codegen::SourceFile {
        path: props::FUZZ_SPEC_PATH.into(),
        text: spec.to_string(),
    }
}

#[test]
fn texts_in_doc_comments_generate() {
    for text in [
        "plain",
        "two\nlines",
        "*/ and /*",
        "`tick` \"quote\" \\",
        "tab\there",
    ] {
        assert!(props::check_generation(&[spec_with_text(text)]), "{text:?}");
    }
}

/// Found by `spec_structured`: a carriage return in any text that ends up in a doc comment
/// (descriptions, error messages, enum values) was written into `///` or `//!` as is, which
/// Rust refuses ("bare CR not allowed in doc-comment"). emit.rs and render.rs now turn
/// `\r\n` and lone `\r` into line breaks in every doc text (fuzz/README.md).
#[test]
fn carriage_returns_in_doc_comments_generate() {
    for text in ["cr\rhere", "crlf\r\nhere", "\r"] {
        assert!(props::check_generation(&[spec_with_text(text)]), "{text:?}");
    }
}
