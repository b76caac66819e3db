//! Decimal digits appended to a `String` without the formatting machinery, on the hot path of
//! encoding every request: the 1-based indexes of flattened wire keys (`path::Path`) and
//! integer wire values (`wire::WireValue`) are both written this way.
//!
//! A leaf module: `path` and `wire` both need it, and `wire` already depends on `path`.

/// Appends the decimal digits of `n`, without the formatting machinery.
pub(crate) fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}
