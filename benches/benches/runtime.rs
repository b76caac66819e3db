//! Criterion benchmarks of the runtime on the two valid signing vectors
//! (`cargo bench -p alicloud-benches`). Requests are built once, with the generated builders,
//! outside the timed loops; each pipeline is checked against its vector before it is timed.
//!
//! - `validate/*`: `request.validate()`
//! - `encode/*`: `ToWire::to_wire` + sort
//! - `sign/*`: `alicloud_runtime::sign::sign` on the encoded query, headers and payload hash
//! - `pipeline/*`: validate + encode + sign up to a ready `http::Request`
//!   (`ClientCore::prepare_request`)
//! - `floor/*`: SHA-256 of the body, SHA-256 of the canonical request, one HMAC-SHA256
//! - `parse/*`: the sample success response, typed and as `serde_json::Value`; an error body
//!   into the typed error

use std::hint::black_box;

use alicloud_benches::{
    core, credentials, floor, pipeline, Vector, ACCESS_KEY_SECRET, DATE, ERROR_BODY, ERROR_STATUS,
    NONCE, SAMPLE_RESPONSE,
};
use alicloud_runtime::client::{decode_success, ToWire};
use alicloud_runtime::error::OperationError;
use alicloud_runtime::sign;
use alicloud_runtime::ServiceErrorMeta;
use alicloud_vpc::operation::modify_vpn_connection_attribute::{
    ModifyVpnConnectionAttributeError, ModifyVpnConnectionAttributeResponse, META,
};
use alicloud_vpc::ErrorCode;
use criterion::{criterion_group, criterion_main, Criterion};

/// The short name of a vector in benchmark ids (`dual`, `single`).
fn short(v: &Vector) -> &'static str {
    v.name.trim_end_matches("_tunnel_vector")
}

fn request_side(c: &mut Criterion) {
    let core = core();
    let creds = credentials();
    for v in Vector::both() {
        let name = short(&v);
        let req = &v.request;
        // Proof, before timing, that the timed code produces the vector byte for byte.
        v.check(&pipeline(&core, &creds, req));

        c.bench_function(&format!("validate/{name}"), |b| {
            b.iter(|| black_box(req).validate())
        });

        c.bench_function(&format!("encode/{name}"), |b| {
            b.iter(|| {
                let mut wire = black_box(req).to_wire();
                wire.sort();
                wire
            })
        });

        // The signer's inputs, exactly as the pipeline hands them over.
        let mut wire = req.to_wire();
        wire.sort();
        let query = wire.query.encoded();
        let body = wire.body.encoded();
        let payload_hash = sign::sha256_hex(body.as_bytes());
        let mut headers = vec![
            ("host", "vpc.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "ModifyVpnConnectionAttribute"),
            ("x-acs-version", "2016-04-28"),
            ("x-acs-date", DATE),
            ("x-acs-signature-nonce", NONCE),
            ("x-acs-content-sha256", payload_hash.as_str()),
        ];
        if !body.is_empty() {
            headers.push(("content-type", "application/x-www-form-urlencoded"));
        }
        let signature = sign::sign("POST", &query, &headers, &payload_hash, ACCESS_KEY_SECRET);
        assert_eq!(
            signature.canonical_request, v.canonical_request,
            "{name} canonical request"
        );
        c.bench_function(&format!("sign/{name}"), |b| {
            b.iter(|| {
                sign::sign(
                    "POST",
                    black_box(&query),
                    black_box(&headers),
                    black_box(&payload_hash),
                    ACCESS_KEY_SECRET,
                )
            })
        });

        c.bench_function(&format!("pipeline/{name}"), |b| {
            b.iter(|| pipeline(&core, &creds, black_box(req)))
        });

        let (body, canonical) = (v.body.as_bytes(), v.canonical_request.as_bytes());
        c.bench_function(&format!("floor/{name}"), |b| {
            b.iter(|| {
                floor(
                    black_box(body),
                    black_box(canonical),
                    ACCESS_KEY_SECRET.as_bytes(),
                )
            })
        });
    }
}

fn response_side(c: &mut Criterion) {
    let typed: ModifyVpnConnectionAttributeResponse =
        decode_success(200, SAMPLE_RESPONSE).expect("the sample response parses");
    assert!(typed.tunnel_options_specification.is_some());
    c.bench_function("parse/response_typed", |b| {
        b.iter(|| {
            decode_success::<ModifyVpnConnectionAttributeResponse>(200, black_box(SAMPLE_RESPONSE))
        })
    });
    c.bench_function("parse/response_value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(SAMPLE_RESPONSE)))
    });

    let e = ModifyVpnConnectionAttributeError::from_meta(
        ServiceErrorMeta::from_response(ERROR_STATUS, ERROR_BODY).expect("the envelope parses"),
        &META,
    );
    assert_eq!(e.kind(), Some(ErrorCode::VpnGatewayConfiguring));
    c.bench_function("parse/error_typed", |b| {
        b.iter(|| {
            ServiceErrorMeta::from_response(ERROR_STATUS, black_box(ERROR_BODY))
                .map(|m| ModifyVpnConnectionAttributeError::from_meta(m, &META))
        })
    });
}

criterion_group!(benches, request_side, response_side);
criterion_main!(benches);
