//! Validators.

use super::*;

/// Input of [`validators`]: a request, and texts and numbers for the rule functions.
#[derive(Arbitrary, Debug, Clone)]
pub struct ArbValidators {
    /// The request to validate.
    pub request: ArbRequest,
    /// Texts for the rule functions (the value, then arguments such as prefixes, blocks and extra characters).
    pub texts: [ArbText; 4],
    /// Length and item-count bounds.
    pub bounds: (Option<u8>, Option<u8>),
    /// An integer and its bounds.
    pub ints: (i64, Option<i64>, Option<i64>),
    /// A float, its lower bound and whether it is exclusive, its upper bound and whether it is exclusive.
    pub floats: (f64, Option<f64>, bool, Option<f64>, bool),
    /// Whether letters are allowed, whether digits are, a CIDR prefix length.
    pub flags: (bool, bool, Option<u8>),
    /// Keys for `rules::duplicates`.
    pub keys: Vec<Option<u8>>,
}

/// Every rule function and the request's validation: see [`rule_functions`] and
/// [`request_validation`].
pub fn validators(input: &ArbValidators) {
    rule_functions(input);
    request_validation(&input.request);
}

fn err_has_message(r: &Result<(), String>, what: &str) {
    if let Err(m) = r {
        assert!(!m.trim().is_empty(), "{what} failed without a message");
    }
}

/// Each function of `alicloud_runtime::rules` on arbitrary values: no panic, a message with
/// every refusal, and the outcome the rule's definition gives.
pub fn rule_functions(input: &ArbValidators) {
    let [s, t, u, w] = input.texts.clone().map(|x| x.text());
    let (min, max) = (
        input.bounds.0.map(usize::from),
        input.bounds.1.map(usize::from),
    );
    let n = s.chars().count();

    let r = rules::length(&s, min, max);
    err_has_message(&r, "length");
    assert_eq!(
        r.is_ok(),
        min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m),
        "length({s:?}, {min:?}, {max:?})"
    );

    let (v, lo, hi) = input.ints;
    let r = rules::range_i64(v, lo, hi);
    err_has_message(&r, "range_i64");
    assert_eq!(
        r.is_ok(),
        lo.is_none_or(|l| v >= l) && hi.is_none_or(|h| v <= h),
        "range_i64({v}, {lo:?}, {hi:?})"
    );

    let (x, fmin, xmin, fmax, xmax) = input.floats;
    let r = rules::range_f64(x, fmin, xmin, fmax, xmax);
    err_has_message(&r, "range_f64");
    if x.is_nan() {
        assert!(r.is_err(), "NaN passed range_f64");
    } else if fmin.is_none_or(|m| !m.is_nan()) && fmax.is_none_or(|m| !m.is_nan()) {
        let above = fmin.is_none_or(|m| if xmin { x > m } else { x >= m });
        let below = fmax.is_none_or(|m| if xmax { x < m } else { x <= m });
        assert_eq!(
            r.is_ok(),
            above && below,
            "range_f64({x}, {fmin:?}, {fmax:?})"
        );
    }

    let r = rules::forbidden_prefixes(&s, &[t.as_str(), u.as_str()]);
    err_has_message(&r, "forbidden_prefixes");
    assert_eq!(
        r.is_ok(),
        !s.starts_with(t.as_str()) && !s.starts_with(u.as_str())
    );

    let r = rules::ascii(&s);
    err_has_message(&r, "ascii");
    assert_eq!(r.is_ok(), s.is_ascii());

    let (letters, digits, _) = input.flags;
    let r = rules::charset(&s, letters, digits, &t);
    err_has_message(&r, "charset");
    let allowed = |c: char| {
        (letters && c.is_ascii_alphabetic()) || (digits && c.is_ascii_digit()) || t.contains(c)
    };
    assert_eq!(r.is_ok(), s.chars().all(allowed), "charset({s:?}, {t:?})");

    let r = rules::no_whitespace(&s);
    err_has_message(&r, "no_whitespace");
    assert_eq!(r.is_ok(), !s.chars().any(char::is_whitespace));

    let r = rules::ipv4(&s);
    err_has_message(&r, "ipv4");
    assert_eq!(r.is_ok(), s.parse::<std::net::Ipv4Addr>().is_ok());

    let cidr = rules::cidr(&s);
    err_has_message(&cidr, "cidr");
    if cidr.is_ok() {
        assert!(s.contains('/'), "cidr accepted {s:?} without a prefix");
    }
    let list = rules::cidr_list(&s);
    err_has_message(&list, "cidr_list");
    assert_eq!(
        list.is_ok(),
        !s.trim().is_empty() && rules::cidr_list_items(&s).all(|i| rules::cidr(i).is_ok()),
        "cidr_list({s:?})"
    );
    let len = rules::list_len(&s);
    assert_eq!(
        len,
        if s.trim().is_empty() {
            0
        } else {
            s.split(',').count()
        }
    );

    let (_, _, prefix) = input.flags;
    let r = rules::cidr_within(&s, &t, prefix, &[u.as_str(), w.as_str()]);
    err_has_message(&r, "cidr_within");
    if r.is_ok() {
        assert!(
            cidr.is_ok(),
            "cidr_within accepted {s:?}, which is not a block"
        );
        if let Some(p) = prefix {
            assert!(
                s.ends_with(&format!("/{p}")),
                "cidr_within({s:?}) ignored /{p}"
            );
        }
    }

    let r = rules::address_in_cidr(&s, &t);
    err_has_message(&r, "address_in_cidr");
    if r.is_err() {
        assert!(rules::ipv4(&s).is_ok() && rules::cidr(&t).is_ok());
    }

    let asn = rules::asn(&s);
    err_has_message(&asn, "asn");
    match rules::asn_value(&s) {
        Ok(v) => {
            assert!(asn.is_ok() && v >= 1, "asn_value({s:?}) = {v}");
            assert!(s.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
        }
        Err(_) => assert!(asn.is_err()),
    }

    let count = input.keys.len();
    let r = rules::items(count, min, max);
    err_has_message(&r, "items");
    assert_eq!(
        r.is_ok(),
        min.is_none_or(|m| count >= m) && max.is_none_or(|m| count <= m)
    );

    let keys = &input.keys;
    let dups = rules::duplicates(keys);
    for (i, first) in &dups {
        assert!(first < i);
        assert!(keys[*i].is_some() && keys[*i] == keys[*first]);
        assert_eq!(keys.iter().position(|k| *k == keys[*i]), Some(*first));
    }
    let expected = keys
        .iter()
        .enumerate()
        .filter(|(i, k)| k.is_some() && keys[..*i].contains(k))
        .count();
    assert_eq!(dups.len(), expected);
}

/// A pre-shared key changed without changing what its rules see: letters stay letters, digits
/// digits, non-ASCII characters non-ASCII, everything else as it is; the length in characters
/// is kept.
pub fn shift_secret(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'a'..='y' | 'A'..='Y' | '0'..='8' => char::from(c as u8 + 1),
            'z' => 'a',
            'Z' => 'A',
            '9' => '0',
            c if !c.is_ascii() => {
                if c == '\u{e9}' {
                    '\u{fc}'
                } else {
                    '\u{e9}'
                }
            }
            c => c,
        })
        .collect()
}

/// `validate()` of the request built from `r`: no panic; every violation has a path and a
/// message; a violation on a pre-shared key shows it redacted; and the violations do not
/// depend on the keys' characters (changing every key with [`shift_secret`] gives exactly the
/// same violations, so no message quotes a key).
pub fn request_validation(r: &ArbRequest) {
    let req = r.build();
    let outcome = req.validate();
    if let Err(violations) = &outcome {
        assert!(!violations.is_empty(), "an error without violations");
        for v in violations {
            assert!(!v.path.is_empty(), "violation without a path: {v}");
            assert!(
                !v.message.trim().is_empty(),
                "violation without a message: {v}"
            );
            if v.path.ends_with("Psk") && v.value.is_some() {
                assert_eq!(v.value.as_deref(), Some(REDACTED), "{v}");
            }
        }
    }
    let shifted_request = r.build_with(&shift_secret);
    if r.psks().iter().any(|p| *p != shift_secret(p)) {
        assert_ne!(req, shifted_request, "the keys were not changed");
    }
    let shifted = shifted_request.validate();
    assert_eq!(
        outcome, shifted,
        "the violations depend on the pre-shared keys' characters"
    );
}
