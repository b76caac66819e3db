//! Decimal digits appended to a `String` without the formatting machinery, on the hot path of
//! encoding every request: the 1-based indexes of flattened wire keys (`path::Path`) and
//! integer wire values (`wire::WireValue`) are both written this way.
//!
//! A leaf module: `path` and `wire` both need it, and `wire` already depends on `path`.

/// The two digits of every number below 100: half the divisions of one digit at a time.
static PAIRS: [[u8; 2]; 100] = {
    let mut t = [[0u8; 2]; 100];
    let mut i = 0;
    while i < 100 {
        t[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
        i += 1;
    }
    t
};

/// Appends the decimal digits of `n`, without the formatting machinery.
pub(crate) fn push_decimal(out: &mut String, mut n: u64) {
    // A list index or a small value: one character.
    if n < 10 {
        out.push(char::from(b'0' + n as u8));
        return;
    }
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    while n >= 100 {
        i -= 2;
        digits[i..i + 2].copy_from_slice(&PAIRS[(n % 100) as usize]);
        n /= 100;
    }
    if n >= 10 {
        i -= 2;
        digits[i..i + 2].copy_from_slice(&PAIRS[n as usize]);
    } else {
        i -= 1;
        digits[i] = b'0' + n as u8;
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_match_display() {
        let mut n = 1u64;
        let mut cases = vec![0, 9, 10, 99, 100, 101, 999, 1000, u64::MAX, u64::MAX - 1];
        // Every power of ten, and one either side of it.
        for _ in 0..19 {
            n *= 10;
            cases.extend([n - 1, n, n + 1]);
        }
        for n in cases {
            let mut s = String::new();
            push_decimal(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }
}
