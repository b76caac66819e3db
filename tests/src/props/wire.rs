//! Wire encoding and decoding.

use super::*;

/// `to_wire()`, then the generated decoding of the query and body pairs, then `to_wire()`
/// again gives the same parameters; when no flattened object is empty, the decoded request is
/// the request itself. The query and body also survive RFC 3986 encoding and form decoding.
pub fn wire_round_trip(r: &ArbRequest) {
    let req = r.build();
    let first = req.to_wire();
    let mut pairs = first.query.to_pairs();
    pairs.extend(first.body.to_pairs());
    let decoded = decode_request::<ModifyVpnConnectionAttributeRequest>(&pairs)
        .unwrap_or_else(|e| panic!("the request's own parameters do not decode: {e}\n{pairs:#?}"));
    // Generated encoders push in signing order: nothing is left for `sort` to do.
    assert!(
        first.query.is_sorted() && first.body.is_sorted(),
        "encoded out of signing order: {first:?}"
    );
    let second = decoded.to_wire();
    assert!(
        first == second,
        "decoding changed the parameters:\n{pairs:#?}\nbecame\n{:#?}",
        [second.query.to_pairs(), second.body.to_pairs()].concat()
    );
    if !r.has_empty_objects() {
        assert_eq!(decoded, req, "decoding changed the request");
    }
    for list in [&first.query, &first.body] {
        assert_eq!(
            crate::parse_pairs(&list.encoded()),
            list.to_pairs(),
            "RFC 3986 encoding did not round-trip"
        );
    }
}

/// RFC 3986 encoding leaves only unreserved characters and `%XX` (upper-case hex), and form
/// decoding gives the original string back.
pub fn rfc3986_round_trip(s: &str) {
    let mut encoded = String::new();
    encode_rfc3986(s, &mut encoded);
    let bytes = encoded.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            assert!(
                i + 2 < bytes.len()
                    && bytes[i + 1..i + 3]
                        .iter()
                        .all(|h| h.is_ascii_digit() || (b'A'..=b'F').contains(h)),
                "bad escape in {encoded:?}"
            );
            i += 3;
        } else {
            assert!(
                b.is_ascii_alphanumeric() || b"-_.~".contains(&b),
                "{:?} left literal in {encoded:?}",
                char::from(b)
            );
            i += 1;
        }
    }
    assert_eq!(decode_form_component(&encoded), s);
}
