//! The rule and condition vocabulary of the Alibaba Cloud API spec format: the checks behind each
//! constraint on one value (length, range, charset, IPv4, CIDR, ASN, pattern, …) and the
//! cross-field conditions between values (an address inside a CIDR block, a block within
//! another, repeated keys in a list).
//!
//! Two sides evaluate them and must agree exactly: the generator's checker, which tests the
//! examples and literals of a spec at generation time, and the runtime (re-exported there as
//! `alicloud_runtime::rules`), whose generated validators call these functions on every request.
//! It is a crate of its own so the generator can share that one implementation without linking
//! the HTTP runtime. Each check returns `Err(message)` saying what is wrong in a sentence, so a
//! generated validator only has to say where.
#![forbid(unsafe_code)]
// On docs.rs (`--cfg docsrs`, nightly): each item shows the feature that enables it.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]

use std::net::Ipv4Addr;
use std::sync::OnceLock;

#[cfg(test)]
use ipnet::Ipv4Net;
use regex_lite::Regex;

/// Length in characters (Unicode scalar values) within `min..=max`.
// The passing case inlined into generated validators, the rest out of line.
#[inline]
pub fn length(s: &str, min: Option<usize>, max: Option<usize>) -> Result<(), String> {
    // Counting chars is only needed when the byte length could be out of range.
    let bytes = s.len();
    if min.is_none_or(|m| bytes >= m) && max.is_none_or(|m| bytes <= m) && s.is_ascii() {
        return Ok(());
    }
    length_counted(s, min, max)
}

/// [`length`] counted in characters.
fn length_counted(s: &str, min: Option<usize>, max: Option<usize>) -> Result<(), String> {
    let n = s.chars().count();
    match (min, max) {
        (Some(lo), _) if n < lo => Err(format!(
            "must be at least {lo} character{} long, got {n}",
            plural(lo)
        )),
        (_, Some(hi)) if n > hi => Err(format!(
            "must be at most {hi} character{} long, got {n}",
            plural(hi)
        )),
        _ => Ok(()),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A number within `min..=max` (integers).
// The passing case inlined into generated validators, the message out of line.
#[inline]
pub fn range_i64(v: i64, min: Option<i64>, max: Option<i64>) -> Result<(), String> {
    if min.is_none_or(|lo| v >= lo) && max.is_none_or(|hi| v <= hi) {
        return Ok(());
    }
    out_of_range_i64(v, min, max)
}

/// The violation of [`range_i64`].
fn out_of_range_i64(v: i64, min: Option<i64>, max: Option<i64>) -> Result<(), String> {
    match (min, max) {
        (Some(lo), Some(hi)) if v < lo || v > hi => {
            Err(format!("must be between {lo} and {hi}, got {v}"))
        }
        (Some(lo), None) if v < lo => Err(format!("must be at least {lo}, got {v}")),
        (None, Some(hi)) if v > hi => Err(format!("must be at most {hi}, got {v}")),
        _ => Ok(()),
    }
}

/// A number within bounds (floating point); each bound may be exclusive.
pub fn range_f64(
    v: f64,
    min: Option<f64>,
    min_exclusive: bool,
    max: Option<f64>,
    max_exclusive: bool,
) -> Result<(), String> {
    if v.is_nan() {
        return Err("must be a number, got NaN".into());
    }
    if let Some(lo) = min {
        if v < lo || (min_exclusive && v == lo) {
            let op = if min_exclusive {
                "greater than"
            } else {
                "at least"
            };
            return Err(format!("must be {op} {lo}, got {v}"));
        }
    }
    if let Some(hi) = max {
        if v > hi || (max_exclusive && v == hi) {
            let op = if max_exclusive {
                "less than"
            } else {
                "at most"
            };
            return Err(format!("must be {op} {hi}, got {v}"));
        }
    }
    Ok(())
}

/// Does not start with any of `prefixes` (compared exactly).
pub fn forbidden_prefixes(s: &str, prefixes: &[&str]) -> Result<(), String> {
    match prefixes.iter().find(|p| s.starts_with(**p)) {
        Some(p) => Err(format!("must not start with `{p}`")),
        None => Ok(()),
    }
}

/// ASCII characters only.
pub fn ascii(s: &str) -> Result<(), String> {
    match s.chars().position(|c| !c.is_ascii()) {
        Some(i) => Err(format!(
            "must hold ASCII characters only; character {} is not",
            i + 1
        )),
        None => Ok(()),
    }
}

/// A set of ASCII bytes as two 64-bit masks (bit `b` of the first for `b < 64`, bit `b - 64` of
/// the second for the rest): one shift and one test per byte, where a `u128` takes several.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct AsciiSet([u64; 2]);

impl AsciiSet {
    const EMPTY: Self = Self([0, 0]);

    /// The set of the bytes `from..=to`.
    const fn range(from: u8, to: u8) -> Self {
        let mut set = Self::EMPTY;
        let mut b = from;
        while b <= to {
            set = set.with(b);
            b += 1;
        }
        set
    }

    /// The set with `b` (an ASCII byte) added.
    const fn with(self, b: u8) -> Self {
        let [lo, hi] = self.0;
        if b < 64 {
            Self([lo | 1 << b, hi])
        } else {
            Self([lo, hi | 1 << (b & 63)])
        }
    }

    const fn union(self, other: Self) -> Self {
        Self([self.0[0] | other.0[0], self.0[1] | other.0[1]])
    }

    /// Whether `b` is in the set (never for a byte beyond ASCII).
    #[inline]
    fn contains(self, b: u8) -> bool {
        b < 128 && self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }
}

/// The ASCII letters.
const ASCII_LETTERS: AsciiSet = AsciiSet::range(b'A', b'Z').union(AsciiSet::range(b'a', b'z'));
/// The ASCII digits.
const ASCII_DIGITS: AsciiSet = AsciiSet::range(b'0', b'9');

/// The ASCII characters of `extra` as a set.
const fn ascii_of(extra: &str) -> AsciiSet {
    let b = extra.as_bytes();
    let mut set = AsciiSet::EMPTY;
    let mut i = 0;
    while i < b.len() {
        if b[i] < 128 {
            set = set.with(b[i]);
        }
        i += 1;
    }
    set
}

/// A [`charset`] rule with its sets built when the code is compiled: generated validators keep
/// one in a `const` per field, so that a check only scans the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Charset {
    letters: bool,
    digits: bool,
    extra: &'static str,
    /// The ASCII characters of `extra`.
    ascii_extra: AsciiSet,
    /// Every ASCII character allowed: `ascii_extra`, with the letters and digits when allowed.
    allowed: AsciiSet,
}

impl Charset {
    /// ASCII letters (when `letters`), ASCII digits (when `digits`) and the characters of
    /// `extra`.
    pub const fn new(letters: bool, digits: bool, extra: &'static str) -> Self {
        let ascii_extra = ascii_of(extra);
        let mut allowed = ascii_extra;
        if letters {
            allowed = allowed.union(ASCII_LETTERS);
        }
        if digits {
            allowed = allowed.union(ASCII_DIGITS);
        }
        Self {
            letters,
            digits,
            extra,
            ascii_extra,
            allowed,
        }
    }

    /// [`charset`] of `s`.
    pub fn check(&self, s: &str) -> Result<(), String> {
        charset_in(
            s,
            (self.letters, self.digits, self.extra),
            self.ascii_extra,
            self.allowed,
        )
    }
}

/// Every character is an ASCII letter (when `letters`), an ASCII digit (when `digits`) or one
/// of `extra`.
pub fn charset(s: &str, letters: bool, digits: bool, extra: &str) -> Result<(), String> {
    // The ASCII characters of `extra` as a set, so that each character costs one test.
    let ascii_extra = ascii_of(extra);
    // Letters and digits join the set too, so that an ASCII value (nearly every value) costs
    // one test per byte.
    let mut allowed = ascii_extra;
    if letters {
        allowed = allowed.union(ASCII_LETTERS);
    }
    if digits {
        allowed = allowed.union(ASCII_DIGITS);
    }
    charset_in(s, (letters, digits, extra), ascii_extra, allowed)
}

fn charset_in(
    s: &str,
    (letters, digits, extra): (bool, bool, &str),
    ascii_extra: AsciiSet,
    allowed_ascii: AsciiSet,
) -> Result<(), String> {
    if s.bytes().all(|b| allowed_ascii.contains(b)) {
        return Ok(());
    }
    let bad = s.chars().position(|c| {
        !((letters && c.is_ascii_alphabetic())
            || (digits && c.is_ascii_digit())
            || if c.is_ascii() {
                ascii_extra.contains(c as u8)
            } else {
                extra.contains(c)
            })
    });
    match bad {
        // The character itself is not echoed: the value may be a secret.
        Some(i) => {
            let mut allowed = Vec::new();
            if letters {
                allowed.push("letters".to_owned());
            }
            if digits {
                allowed.push("digits".to_owned());
            }
            if !extra.is_empty() {
                allowed.push(format!("the characters {extra}"));
            }
            Err(format!(
                "character {} is not allowed; allowed are {}",
                i + 1,
                allowed.join(", ")
            ))
        }
        None => Ok(()),
    }
}

/// No white space anywhere.
pub fn no_whitespace(s: &str) -> Result<(), String> {
    // ASCII without the six ASCII white-space characters (`\t \n \x0B \x0C \r` and space)
    // holds none: every other white-space character is beyond ASCII.
    if s.bytes()
        .all(|b| b.is_ascii() && !matches!(b, b'\t'..=b'\r' | b' '))
    {
        return Ok(());
    }
    match s.chars().position(char::is_whitespace) {
        Some(i) => Err(format!(
            "must not contain white space; character {} is",
            i + 1
        )),
        None => Ok(()),
    }
}

/// Reads 1 to `max_digits` ASCII digits from `b` at `*pos`, as `Ipv4Addr::from_str` (no
/// leading zero unless the number is `0`) or `Ipv4Net::from_str` (leading zeros allowed) read
/// them; `None` past `max_digits` digits or at `limit` and above.
#[inline]
fn read_decimal(
    b: &[u8],
    pos: &mut usize,
    max_digits: usize,
    limit: u32,
    zero_prefix: bool,
) -> Option<u32> {
    // A local index rather than `*pos`, so that the loop keeps it in a register.
    let start = *pos;
    let mut i = start;
    let mut value = 0u32;
    while let Some(&c) = b.get(i) {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        if i - start == max_digits {
            return None;
        }
        value = value * 10 + u32::from(d);
        i += 1;
    }
    *pos = i;
    let digits = i - start;
    if digits == 0 || value >= limit || (!zero_prefix && digits > 1 && b[start] == b'0') {
        return None;
    }
    Some(value)
}

/// The digit at `b[i]`, if there is one.
#[inline(always)]
fn digit(b: &[u8], i: usize) -> Option<u32> {
    let d = b.get(i)?.wrapping_sub(b'0');
    (d <= 9).then_some(u32::from(d))
}

/// [`read_decimal`] of an octet (at most three digits, below 256), unrolled: a CIDR check reads
/// four of them.
#[inline(always)]
fn read_octet(b: &[u8], pos: &mut usize, zero_prefix: bool) -> Option<u32> {
    let i = *pos;
    let d0 = digit(b, i)?;
    let Some(d1) = digit(b, i + 1) else {
        *pos = i + 1;
        return Some(d0);
    };
    if !zero_prefix && d0 == 0 {
        return None;
    }
    let Some(d2) = digit(b, i + 2) else {
        *pos = i + 2;
        return Some(d0 * 10 + d1);
    };
    let value = d0 * 100 + d1 * 10 + d2;
    if value > 255 || digit(b, i + 3).is_some() {
        return None;
    }
    *pos = i + 3;
    Some(value)
}

/// Reads a dotted quad at `*pos`.
#[inline]
fn read_quad(b: &[u8], pos: &mut usize, zero_prefix: bool) -> Option<u32> {
    let mut i = *pos;
    let mut addr = read_octet(b, &mut i, zero_prefix)?;
    for _ in 1..4 {
        if b.get(i) != Some(&b'.') {
            return None;
        }
        i += 1;
        addr = (addr << 8) | read_octet(b, &mut i, zero_prefix)?;
    }
    *pos = i;
    Some(addr)
}

/// Parses an IPv4 address exactly as `Ipv4Addr::from_str` does (four decimal octets, no
/// leading zeros), without its general-purpose parser.
fn parse_ipv4(s: &str) -> Option<Ipv4Addr> {
    let b = s.as_bytes();
    let mut pos = 0;
    let addr = read_quad(b, &mut pos, false)?;
    (pos == b.len()).then(|| Ipv4Addr::from(addr))
}

/// An IPv4 CIDR block as two numbers: the address as written (host bits kept, as `Ipv4Net`
/// keeps them) and the prefix length, at most 32. The checks compare blocks with these numbers
/// directly: the same comparisons as `Ipv4Net`'s `contains`, without building one per block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Net {
    addr: u32,
    len: u8,
}

impl Net {
    /// The block of `addr`/`len`, if `len` is a prefix length (at most 32).
    fn new(addr: u32, len: u8) -> Option<Self> {
        (len <= 32).then_some(Self { addr, len })
    }

    fn mask(self) -> u32 {
        u32::MAX.checked_shl(32 - u32::from(self.len)).unwrap_or(0)
    }

    /// The first address of the block.
    fn network(self) -> u32 {
        self.addr & self.mask()
    }

    /// The last address of the block.
    fn broadcast(self) -> u32 {
        self.addr | !self.mask()
    }

    /// Whether `addr` lies in the block.
    fn contains_addr(self, addr: u32) -> bool {
        (self.network()..=self.broadcast()).contains(&addr)
    }

    /// Whether the two blocks share an address: one holds the other's first address, that is
    /// they agree on the bits of the shorter prefix.
    fn overlaps(self, other: Net) -> bool {
        let shorter = if self.len < other.len { self } else { other };
        (self.addr ^ other.addr) & shorter.mask() == 0
    }

    /// Whether `other` lies entirely in the block.
    fn contains_net(self, other: Net) -> bool {
        self.network() <= other.network() && other.broadcast() <= self.broadcast()
    }
}

/// Parses an IPv4 CIDR block exactly as `ipnet::Ipv4Net::from_str` does (octets of one to
/// three digits, leading zeros allowed, `/`, a prefix length of one or two digits up to 32).
fn parse_net(s: &str) -> Option<Net> {
    let b = s.as_bytes();
    let mut pos = 0;
    let addr = read_quad(b, &mut pos, true)?;
    if b.get(pos) != Some(&b'/') {
        return None;
    }
    pos += 1;
    let len = read_decimal(b, &mut pos, 2, 33, true)?;
    if pos != b.len() {
        return None;
    }
    Net::new(addr, len as u8)
}

/// [`parse_net`] as an `Ipv4Net`.
#[cfg(test)]
fn parse_ipv4_net(s: &str) -> Option<Ipv4Net> {
    parse_net(s).and_then(|n| Ipv4Net::new(Ipv4Addr::from(n.addr), n.len).ok())
}

/// A dotted-quad IPv4 address.
pub fn ipv4(s: &str) -> Result<(), String> {
    parse_ipv4(s)
        .map(|_| ())
        .ok_or_else(|| "must be an IPv4 address such as 192.168.1.1".into())
}

fn parse_cidr(s: &str) -> Result<Net, String> {
    parse_net(s).ok_or_else(|| format!("`{s}` is not an IPv4 CIDR block such as 10.0.0.0/24"))
}

/// An IPv4 CIDR block (`10.0.0.0/24`).
pub fn cidr(s: &str) -> Result<(), String> {
    parse_cidr(s).map(|_| ())
}

/// The CIDR blocks of a comma-separated list (blanks around commas tolerated).
pub fn cidr_list_items(s: &str) -> impl Iterator<Item = &str> {
    // The commas found byte by byte: on lists of a few short blocks, `split(',')`'s searcher
    // (set up per call, a library search per item) cost more than the blocks' parsing.
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|b| b == b',') {
            Some(i) => {
                rest = Some(&r[i + 1..]);
                Some(trim(&r[..i]))
            }
            None => {
                rest = None;
                Some(trim(r))
            }
        }
    })
}

/// `s.trim()`, without the search when neither end can be white space (an ASCII character
/// other than a space or a control one): list items nearly always.
fn trim(s: &str) -> &str {
    let graphic = |b: Option<&u8>| b.is_some_and(u8::is_ascii_graphic);
    if graphic(s.as_bytes().first()) && graphic(s.as_bytes().last()) {
        s
    } else {
        s.trim()
    }
}

/// The number of items of a comma-separated list (0 for an empty string).
pub fn list_len(s: &str) -> usize {
    if s.trim().is_empty() {
        0
    } else {
        s.split(',').count()
    }
}

/// A comma-separated list of IPv4 CIDR blocks.
pub fn cidr_list(s: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        return Err("must list at least one CIDR block".into());
    }
    for item in cidr_list_items(s) {
        parse_cidr(item)?;
    }
    Ok(())
}

/// Whether RFC 3986 leaves every character of `s` as it is (`A-Z a-z 0-9 - _ . ~`). The generator
/// marks such wire names literal and the runtime then copies them unescaped: one definition for
/// both, so that they cannot disagree.
pub fn is_unreserved(s: &str) -> bool {
    // One table lookup per byte: the runtime asks this of every name it enters.
    s.bytes().all(|b| UNRESERVED[usize::from(b)])
}

/// Whether each byte is RFC 3986 unreserved: the one table behind [`is_unreserved`] and the
/// runtime's percent-encoder.
pub static UNRESERVED: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~');
        b += 1;
    }
    t
};

/// A CIDR block inside `block`, with prefix length `prefix_len` when given, and not one of
/// `excluded`. Malformed literals in `block`/`excluded` (impossible for generated code, which
/// checked them at generation time) make the check pass rather than refuse valid input.
pub fn cidr_within(
    s: &str,
    block: &str,
    prefix_len: Option<u8>,
    excluded: &[&str],
) -> Result<(), String> {
    within(
        s,
        (block, parse_net(block)),
        prefix_len,
        excluded.iter().map(|ex| (*ex, parse_net(ex))),
    )
}

/// A CIDR block written into generated code, parsed when the code was generated: a check
/// against it parses only the value checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    text: &'static str,
    addr: u32,
    len: u8,
}

impl Block {
    /// For generated code: the block `text`, as [`Block::parse`] read it.
    pub const fn new(text: &'static str, addr: u32, len: u8) -> Self {
        Self { text, addr, len }
    }

    /// The address (as a number) and prefix length of the CIDR block `text`, if it is one.
    pub fn parse(text: &str) -> Option<(u32, u8)> {
        parse_net(text).map(|n| (n.addr, n.len))
    }

    fn net(&self) -> Option<Net> {
        Net::new(self.addr, self.len)
    }
}

/// [`cidr_within`] of blocks parsed when the code was generated.
pub fn cidr_within_blocks(
    s: &str,
    block: Block,
    prefix_len: Option<u8>,
    excluded: &[Block],
) -> Result<(), String> {
    within(
        s,
        (block.text, block.net()),
        prefix_len,
        excluded.iter().map(|ex| (ex.text, ex.net())),
    )
}

/// A CIDR block value parsed once for every check of its field: the `cidr` rule and the
/// `cidr-within` rule beside it each parsed the value, twice in all, with the guard between
/// them a third time.
#[derive(Clone, Copy, Debug)]
pub struct CidrValue<'a> {
    text: &'a str,
    net: Option<Net>,
}

impl<'a> CidrValue<'a> {
    /// Parses `text` (never fails: a malformed block is what [`CidrValue::check`] reports).
    pub fn parse(text: &'a str) -> Self {
        Self {
            text,
            net: parse_net(text),
        }
    }

    /// Whether the value is a well-formed block.
    pub fn is_valid(&self) -> bool {
        self.net.is_some()
    }

    /// [`cidr`] of the value.
    pub fn check(&self) -> Result<(), String> {
        match self.net {
            Some(_) => Ok(()),
            None => parse_cidr(self.text).map(|_| ()),
        }
    }

    /// [`cidr_within_blocks`] of the value.
    pub fn within_blocks(
        &self,
        block: Block,
        prefix_len: Option<u8>,
        excluded: &[Block],
    ) -> Result<(), String> {
        let net = match self.net {
            Some(net) => net,
            None => return self.check(),
        };
        within_net(
            net,
            (block.text, block.net()),
            prefix_len,
            excluded.iter().map(|ex| (ex.text, ex.net())),
        )
    }
}

fn within<'a>(
    s: &str,
    (block, outer): (&str, Option<Net>),
    prefix_len: Option<u8>,
    excluded: impl Iterator<Item = (&'a str, Option<Net>)>,
) -> Result<(), String> {
    within_net(parse_cidr(s)?, (block, outer), prefix_len, excluded)
}

fn within_net<'a>(
    net: Net,
    (block, outer): (&str, Option<Net>),
    prefix_len: Option<u8>,
    excluded: impl Iterator<Item = (&'a str, Option<Net>)>,
) -> Result<(), String> {
    if let Some(len) = prefix_len {
        if net.len != len {
            return Err(format!("must have a /{len} prefix, got /{}", net.len));
        }
    }
    if let Some(outer) = outer {
        if !outer.contains_net(net) {
            return Err(format!("must lie within {block}"));
        }
    }
    for (ex, ex_net) in excluded {
        if let Some(ex_net) = ex_net {
            if net.overlaps(ex_net) {
                return Err(format!("must not overlap the reserved block {ex}"));
            }
        }
    }
    Ok(())
}

/// `addr` lies inside the CIDR block `cidr`. Only meaningful when both are well-formed; a
/// malformed value is reported by its own rule, so this passes.
pub fn address_in_cidr(addr: &str, cidr: &str) -> Result<(), String> {
    match (parse_ipv4(addr), parse_net(cidr)) {
        (Some(a), Some(n)) if !n.contains_addr(u32::from(a)) => {
            Err(format!("must lie within {cidr}"))
        }
        _ => Ok(()),
    }
}

/// An autonomous system number: a plain number from 1 to 4294967295, or the two-part
/// `high.low` form (each part 0 to 65535, standing for high × 65536 + low, not 0).
pub fn asn(s: &str) -> Result<(), String> {
    asn_value(s).map(|_| ())
}

/// The value of an ASN written in either form.
pub fn asn_value(s: &str) -> Result<u32, String> {
    const MSG: &str = "must be an AS number from 1 to 4294967295, or two numbers from 0 to 65535 joined by a dot (65001.10)";
    let digits = |p: &str| !p.is_empty() && p.len() <= 10 && p.bytes().all(|b| b.is_ascii_digit());
    let value = match s.split_once('.') {
        None if digits(s) => s.parse::<u64>().ok(),
        Some((hi, lo)) if digits(hi) && digits(lo) => {
            match (hi.parse::<u64>(), lo.parse::<u64>()) {
                (Ok(h), Ok(l)) if h <= 65535 && l <= 65535 => Some(h * 65536 + l),
                _ => None,
            }
        }
        _ => None,
    };
    match value {
        Some(v) if (1..=u64::from(u32::MAX)).contains(&v) => Ok(v as u32),
        _ => Err(MSG.into()),
    }
}

/// A list length within `min..=max`.
pub fn items(n: usize, min: Option<usize>, max: Option<usize>) -> Result<(), String> {
    match (min, max) {
        (Some(lo), _) if n < lo => Err(format!(
            "must hold at least {lo} item{}, got {n}",
            plural(lo)
        )),
        (_, Some(hi)) if n > hi => Err(format!(
            "must hold at most {hi} item{}, got {n}",
            plural(hi)
        )),
        _ => Ok(()),
    }
}

/// A documented regular expression the whole value must match, compiled on first use.
///
/// Generated validators keep one in a `static` per field, so a pattern is compiled once per
/// process, and only if the field is ever validated.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<Regex>>,
}

impl Pattern {
    /// A pattern from the spec's text (anchored here: the whole value must match).
    pub const fn new(source: &'static str) -> Pattern {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as the spec states it.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `s` matches the whole pattern.
    pub fn check(&self, s: &str) -> Result<(), String> {
        let re = self.compiled.get_or_init(|| anchored(self.source).ok());
        match re {
            Some(re) if !re.is_match(s) => Err(format!("must match the pattern `{}`", self.source)),
            // The generator refuses patterns regex-lite cannot compile; should one slip through,
            // the service still validates, so the client does not block the call.
            _ => Ok(()),
        }
    }
}

/// `source` compiled so that the whole value must match it.
fn anchored(source: &str) -> Result<Regex, regex_lite::Error> {
    Regex::new(&format!("^(?:{source})$"))
}

/// Whether `source` compiles as a [`Pattern`]: the generator's check, with the same engine.
pub fn pattern_error(source: &str) -> Option<String> {
    anchored(source).err().map(|e| e.to_string())
}

/// Whether `s` matches the whole `source`, as a [`Pattern`] tests it; `None` when `source`
/// does not compile.
pub fn pattern_matches(source: &str, s: &str) -> Option<bool> {
    anchored(source).ok().map(|re| re.is_match(s))
}

/// [`duplicates`] of the keys `key` reads from `items`, without collecting them first: nothing
/// is allocated when no key repeats. Quadratic, reading keys again, which is right for the
/// short lists it serves (keys are field reads).
pub fn duplicates_by<'a, T, K: PartialEq>(
    items: &'a [T],
    key: impl Fn(&'a T) -> Option<K>,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(k) = key(item) {
            if let Some(first) = items[..i].iter().position(|o| key(o).as_ref() == Some(&k)) {
                out.push((i, first));
            }
        }
    }
    out
}

/// The indexes (0-based) of items whose key repeats an earlier item's key, with the index of
/// that earlier item. Quadratic, which is right for the short lists it serves.
pub fn duplicates<K: PartialEq>(keys: &[Option<K>]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        if let Some(k) = k {
            if let Some(first) = keys[..i].iter().position(|o| o.as_ref() == Some(k)) {
                out.push((i, first));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_list_items_are_the_trimmed_pieces_between_commas() {
        for s in [
            "",
            ",",
            ",,",
            "a",
            "10.0.0.0/8",
            "10.0.0.0/8,192.168.0.0/16",
            " 10.0.0.0/8 , 192.168.0.0/16 ",
            ",a,",
            "a,,b",
            "名,é ,\tx\n",
            "a, b,c ,d",
        ] {
            let ours: Vec<&str> = cidr_list_items(s).collect();
            let theirs: Vec<&str> = s.split(',').map(str::trim).collect();
            assert_eq!(ours, theirs, "{s:?}");
        }
    }

    #[test]
    fn patterns_match_the_whole_value() {
        static DIGITS: Pattern = Pattern::new(r"\d+");
        assert!(DIGITS.check("2024").is_ok());
        assert_eq!(
            DIGITS.check("20x24").unwrap_err(),
            "must match the pattern `\\d+`"
        );
        // Anchored: a match inside the value is not enough.
        assert!(DIGITS.check("a1").is_err());
        static ALT: Pattern = Pattern::new("a|b");
        assert!(ALT.check("a").is_ok() && ALT.check("ab").is_err());
        assert!(pattern_error("^[0-9a-zA-Z_-]+$").is_none());
        assert!(pattern_error("(unclosed").is_some());
        // Look-around is not supported: refused by the check, passed at run time.
        assert!(pattern_error("(?=a)a").is_some());
        static BAD: Pattern = Pattern::new("(?=a)a");
        assert!(BAD.check("b").is_ok());
    }

    #[test]
    fn lengths_count_characters() {
        assert!(length("名称", Some(1), Some(2)).is_ok());
        assert!(length("", Some(1), None)
            .unwrap_err()
            .contains("at least 1 character long"));
        assert!(length("abc", None, Some(2))
            .unwrap_err()
            .contains("at most 2"));
    }

    #[test]
    fn ranges() {
        assert!(range_i64(0, Some(0), Some(86400)).is_ok());
        assert!(range_i64(86401, Some(0), Some(86400)).is_err());
        assert!(range_i64(-1, Some(0), None).is_err());
        assert!(range_f64(1.0, Some(1.0), true, None, false).is_err());
        assert!(range_f64(1.5, Some(1.0), true, Some(2.0), true).is_ok());
        assert!(range_f64(f64::NAN, None, false, None, false).is_err());
    }

    #[test]
    fn cidrs() {
        assert!(cidr("10.0.0.0/8").is_ok());
        assert!(cidr("10.0.0.0").is_err());
        assert!(cidr_list("10.1.1.0/24, 10.1.2.0/24").is_ok());
        assert!(cidr_list("10.1.1.0/24,").is_err());
        assert!(cidr_list("").is_err());
        assert_eq!(list_len("a,b"), 2);
        assert_eq!(list_len(""), 0);
        let ex = ["169.254.0.0/30", "169.254.169.252/30"];
        assert!(cidr_within("169.254.10.0/30", "169.254.0.0/16", Some(30), &ex).is_ok());
        assert!(cidr_within("169.254.10.0/29", "169.254.0.0/16", Some(30), &ex).is_err());
        assert!(cidr_within("10.0.0.0/30", "169.254.0.0/16", Some(30), &ex).is_err());
        assert!(cidr_within("169.254.169.252/30", "169.254.0.0/16", Some(30), &ex).is_err());
        // Blocks parsed ahead give the same answers and messages as their text.
        let block = |text: &'static str| {
            let (addr, len) = Block::parse(text).expect("a block");
            Block::new(text, addr, len)
        };
        assert_eq!(Block::parse("169.254.0.0/16"), Some((0xA9FE_0000, 16)));
        assert_eq!(Block::parse("169.254.0.0"), None);
        let parsed = [block(ex[0]), block(ex[1])];
        for value in [
            "169.254.10.0/30",
            "169.254.10.0/29",
            "10.0.0.0/30",
            "169.254.169.252/30",
            "bad",
        ] {
            assert_eq!(
                cidr_within_blocks(value, block("169.254.0.0/16"), Some(30), &parsed),
                cidr_within(value, "169.254.0.0/16", Some(30), &ex),
                "{value}"
            );
        }
        assert!(address_in_cidr("169.254.10.1", "169.254.10.0/30").is_ok());
        assert!(address_in_cidr("169.254.10.5", "169.254.10.0/30").is_err());
        assert!(address_in_cidr("bad", "169.254.10.0/30").is_ok());
    }

    #[test]
    fn the_fast_parsers_agree_with_std_and_ipnet() {
        use std::str::FromStr;
        let check = |s: &str| {
            assert_eq!(parse_ipv4(s), Ipv4Addr::from_str(s).ok(), "ipv4 {s:?}");
            assert_eq!(parse_ipv4_net(s), Ipv4Net::from_str(s).ok(), "cidr {s:?}");
        };
        for s in [
            "",
            "1.2.3.4",
            "0.0.0.0",
            "255.255.255.255",
            "256.1.1.1",
            "01.2.3.4",
            "00.2.3.4",
            "1.2.3.04",
            "1.2.3",
            "1.2.3.4.",
            ".1.2.3.4",
            "1..2.3",
            "1.2.3.4 ",
            " 1.2.3.4",
            "1.2.3.4/",
            "1.2.3.4/0",
            "1.2.3.4/32",
            "1.2.3.4/33",
            "1.2.3.4/08",
            "1.2.3.4/008",
            "001.002.003.004/24",
            "1.2.3.0004/24",
            "10.0.0.0/8/8",
            "+1.2.3.4",
            "1.2.3.-4",
            "１.2.3.4",
            "1.2.3.4\u{0}",
            "999.999.999.999/99",
            "4294967296",
        ] {
            check(s);
        }
        // Every string over a small alphabet, drawn by a fixed generator.
        let alphabet = b"0123456789./ x";
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..200_000 {
            let len = (next() % 19) as usize;
            let s: String = (0..len)
                .map(|_| {
                    // Mostly digits and dots, so that near-valid forms are common.
                    let r = next() % 100;
                    let i = if r < 70 {
                        (next() % 10) as usize
                    } else if r < 90 {
                        10
                    } else {
                        (next() % alphabet.len() as u64) as usize
                    };
                    alphabet[i] as char
                })
                .collect();
            check(&s);
        }
    }

    #[test]
    fn block_arithmetic_agrees_with_ipnet() {
        // Blocks and addresses drawn by a fixed generator, prefix lengths 0 to 32, host bits
        // set or not: containment as `Net` computes it against `Ipv4Net`'s.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..100_000 {
            // Addresses close together, so that containment is often true.
            let base = (next() as u32) & 0xffff_0000;
            let (a, b) = (
                base | (next() as u32 & 0xffff),
                base | (next() as u32 & 0xffff),
            );
            let (la, lb) = ((next() % 33) as u8, (next() % 33) as u8);
            let (na, nb) = (Net::new(a, la).unwrap(), Net::new(b, lb).unwrap());
            let (ia, ib) = (
                Ipv4Net::new(Ipv4Addr::from(a), la).unwrap(),
                Ipv4Net::new(Ipv4Addr::from(b), lb).unwrap(),
            );
            assert_eq!(na.contains_net(nb), ia.contains(&ib), "{ia} ⊇ {ib}");
            assert_eq!(
                na.contains_addr(b),
                ia.contains(&Ipv4Addr::from(b)),
                "{ia} ∋ {b}"
            );
            assert_eq!(
                na.overlaps(nb),
                ia.contains(&ib.network()) || ib.contains(&ia.network()),
                "{ia} ∩ {ib}"
            );
            assert_eq!(na.network(), u32::from(ia.network()), "{ia}");
            assert_eq!(na.broadcast(), u32::from(ia.broadcast()), "{ia}");
        }
        assert_eq!(Net::new(0, 33), None);
    }

    #[test]
    fn asns() {
        assert_eq!(asn_value("65530"), Ok(65530));
        assert_eq!(asn_value("4294967295"), Ok(u32::MAX));
        assert_eq!(asn_value("1.10"), Ok(65546));
        assert_eq!(asn_value("65535.65535"), Ok(u32::MAX));
        for bad in [
            "0",
            "0.0",
            "4294967296",
            "65536.1",
            "1.65536",
            "",
            ".",
            "1.",
            "a",
            "-1",
            "1.2.3",
            "+5",
        ] {
            assert!(asn(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn character_classes_agree_with_their_definitions_for_every_character() {
        let chars = (0u32..0x3100).filter_map(char::from_u32);
        for c in chars {
            assert_eq!(
                is_unreserved(&format!("a{c}~")),
                c.is_ascii_alphanumeric() || "-_.~".contains(c),
                "{c:?}"
            );
            for text in [c.to_string(), format!("ab{c}"), format!("{c}9z")] {
                assert_eq!(
                    no_whitespace(&text).is_ok(),
                    !text.chars().any(char::is_whitespace),
                    "{c:?}"
                );
                for (letters, digits, extra) in [
                    (true, true, "-_."),
                    (true, false, ""),
                    (false, true, "é~"),
                    (false, false, "ab9z\u{3000}"),
                ] {
                    let expected = text.chars().all(|c| {
                        (letters && c.is_ascii_alphabetic())
                            || (digits && c.is_ascii_digit())
                            || extra.contains(c)
                    });
                    assert_eq!(
                        charset(&text, letters, digits, extra).is_ok(),
                        expected,
                        "{c:?} {letters} {digits} {extra:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn charsets_and_text() {
        assert!(charset("Ab1~!", true, true, "~!").is_ok());
        let e = charset("Ab 1", true, true, "~").unwrap_err();
        assert!(e.contains("character 3"), "{e}");
        assert!(no_whitespace("a b").is_err());
        assert!(ascii("abc").is_ok());
        assert!(ascii("名").is_err());
        assert!(forbidden_prefixes("https://x", &["http://", "https://"]).is_err());
        assert!(ipv4("1.2.3.4").is_ok());
        assert!(ipv4("1.2.3").is_err());
        assert_eq!(
            duplicates(&[Some("a"), None, Some("a"), Some("b")]),
            vec![(2, 0)]
        );
    }

    #[test]
    fn charset_consts_check_as_charset_does() {
        const PSK: Charset = Charset::new(true, true, "~!`@#$%^&*()_-+={}[]|;:'\",.<>/?");
        const DIGITS_AND_CJK: Charset = Charset::new(false, true, "-名");
        for s in [
            "", "Ab1~!", "Ab 1", "a\tb", "名字", "12-名", "12-字", "é", "\u{7f}",
        ] {
            assert_eq!(
                PSK.check(s),
                charset(s, true, true, "~!`@#$%^&*()_-+={}[]|;:'\",.<>/?"),
                "{s:?}"
            );
            assert_eq!(
                DIGITS_AND_CJK.check(s),
                charset(s, false, true, "-名"),
                "{s:?}"
            );
        }
    }

    #[test]
    fn duplicates_by_agrees_with_duplicates() {
        let lists: [&[Option<&str>]; 5] = [
            &[],
            &[None, None],
            &[Some("a"), None, Some("a"), Some("b")],
            &[Some("a"), Some("a"), Some("a")],
            &[Some("b"), Some("a"), None, Some("a"), Some("b")],
        ];
        for keys in lists {
            assert_eq!(duplicates_by(keys, |k| *k), duplicates(keys), "{keys:?}");
        }
    }

    #[test]
    fn parsed_cidr_values_check_as_the_text_checks_do() {
        let outer = Block::new("169.254.0.0/16", 0xa9fe_0000, 16);
        let excluded = [Block::new("169.254.169.252/30", 0xa9fe_a9fc, 30)];
        for s in [
            "169.254.10.0/30",
            "169.254.10.0/29",
            "10.0.0.0/30",
            "169.254.169.252/30",
            "169.254.10.0",
            "bad",
            "",
        ] {
            let parsed = CidrValue::parse(s);
            assert_eq!(parsed.check(), cidr(s), "{s}");
            assert_eq!(parsed.is_valid(), cidr(s).is_ok(), "{s}");
            assert_eq!(
                parsed.within_blocks(outer, Some(30), &excluded),
                cidr_within_blocks(s, outer, Some(30), &excluded),
                "{s}"
            );
        }
    }
}
