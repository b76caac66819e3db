//! Wire parameters: the flattened `name=value` pairs of a request, and how values get there.
//!
//! RPC-style APIs take every parameter as a string, either in the URL query or in an
//! `application/x-www-form-urlencoded` body. Nested values are flattened (`Name.1.Field`,
//! 1-based indexes), joined (`a,b`), or serialised to one compact JSON string, as each
//! parameter's wire style says.
//!
//! [`ParamList`] keeps all keys and values in one string buffer, already RFC 3986 encoded
//! (`key=value&key=value…`), so encoding a request costs a handful of allocations however many
//! parameters it has, and a list in signing order is its canonical query or form body as it
//! stands: no second pass, no index.

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::ops::Range;

use crate::decimal::push_decimal;
use crate::path::Path;

/// Characters left literal by RFC 3986 encoding: `A-Z a-z 0-9 - _ . ~`.
#[cfg(test)]
const RFC3986: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

// Whether each byte is left literal by RFC 3986 encoding (`A-Z a-z 0-9 - _ . ~`): the table
// the generator's `is_unreserved` reads too, so that they cannot disagree.
use alicloud_rules::UNRESERVED as LITERAL;

const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `s` percent-encoded as Alibaba Cloud's signature requires (RFC 3986: upper-case
/// hex, `%20` for space, `~` literal).
#[inline]
pub fn encode_rfc3986(s: &str, out: &mut String) {
    let b = s.as_bytes();
    out.reserve(b.len());
    // Runs of literal bytes are copied whole; `i` stops only on character boundaries (a
    // multi-byte character is escaped whole), so `s[run..i]` is always a valid slice.
    match next_escape(b, 0..b.len()) {
        Some(i) => {
            out.push_str(&s[..i]);
            encode_dense(&b[i..], out);
        }
        None => out.push_str(s),
    }
}

/// Percent-decodes `s` with form semantics (`+` is a space), as the service decodes queries and
/// bodies. Invalid UTF-8 is replaced, never a panic.
pub fn decode_form_component(s: &str) -> String {
    let plus_as_space = s.replace('+', " ");
    percent_encoding::percent_decode_str(&plus_as_space)
        .decode_utf8_lossy()
        .into_owned()
}

/// The position of the first byte in `b[range]` that RFC 3986 encoding escapes.
#[inline]
fn next_escape(b: &[u8], range: Range<usize>) -> Option<usize> {
    let start = range.start;
    let s = b.get(range)?;
    // Eight bytes per test while they are all literal (values are mostly literal): the
    // lookups are combined without a branch, so the loop branches once per eight bytes, not
    // once per byte.
    let mut skipped = 0;
    for chunk in s.chunks_exact(8) {
        if !chunk
            .iter()
            .fold(true, |all, &c| all & LITERAL[usize::from(c)])
        {
            break;
        }
        skipped += 8;
    }
    // An iterator over the slice: no bounds check per byte.
    s[skipped..]
        .iter()
        .position(|&c| !LITERAL[usize::from(c)])
        .map(|i| start + skipped + i)
}

/// Appends `b` RFC 3986 encoded, byte by byte through a buffer on the stack: for text where
/// escapes are close together (JSON, above all), where copying the literal runs between them
/// one by one costs more than the bytes. Every byte of a multi-byte character is escaped, as
/// [`encode_rfc3986`] escapes the character.
fn encode_dense(b: &[u8], out: &mut String) {
    // A short tail (`****`, `/30`), the usual case, is pushed character by character: cheaper
    // than zeroing the buffer and checking it as text.
    if b.len() <= SHORT {
        out.reserve(3 * b.len());
        for &c in b {
            if LITERAL[usize::from(c)] {
                out.push(char::from(c));
            } else {
                out.push('%');
                out.push(char::from(UPPER_HEX[usize::from(c >> 4)]));
                out.push(char::from(UPPER_HEX[usize::from(c & 0xf)]));
            }
        }
        return;
    }
    // Small: the buffer is zeroed on every call.
    const CHUNK: usize = 64;
    // Three bytes of room past the end, so that every byte is written as three without a
    // test; how far `n` moves says how many of them count. No branch on the byte's class:
    // in JSON, literal runs and escapes alternate too often for a branch to be predicted.
    let mut chunk = [0u8; CHUNK + 3];
    let mut n = 0;
    for &c in b {
        let (bytes, len) = ENCODED[usize::from(c)];
        chunk[n..n + 3].copy_from_slice(&bytes);
        n += usize::from(len);
        if n >= CHUNK {
            push_ascii(&chunk[..n], out);
            n = 0;
        }
    }
    push_ascii(&chunk[..n], out);
}

/// The longest text [`encode_dense`] pushes character by character.
const SHORT: usize = 16;

/// Each byte's RFC 3986 encoding, padded to three bytes, and how many of them it is.
static ENCODED: [([u8; 3], u8); 256] = {
    let mut t = [([0u8; 3], 0u8); 256];
    let mut b = 0;
    while b < 256 {
        t[b] = if LITERAL[b] {
            ([b as u8, 0, 0], 1)
        } else {
            ([b'%', UPPER_HEX[b >> 4], UPPER_HEX[b & 0xf]], 3)
        };
        b += 1;
    }
    t
};

/// Appends `ascii`, which holds ASCII only (the encoder's output).
#[inline]
fn push_ascii(ascii: &[u8], out: &mut String) {
    if let Ok(text) = std::str::from_utf8(ascii) {
        out.push_str(text);
    }
}

/// A position in the key prefix to return to ([`ParamList::enter`], [`ParamList::leave`]).
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
#[must_use = "give it back to `leave`"]
pub struct Mark {
    len: usize,
}

/// An ordered list of `name=value` wire parameters, held as their encoded form.
///
/// The list is one string, `key=value&key=value…` with RFC 3986 encoding of every key and
/// value: what the canonical query and the form body are once sorted. Values are encoded as
/// they are pushed (keys the generator wrote are known to need no escaping), so a request is
/// encoded in one pass, and a sorted list is sent and signed as it is, without a second pass
/// or an index beside it. Encoded, `&` and `=` only ever separate: the text is its own index
/// wherever one is needed (sorting, [`ParamList::iter`], [`ParamList::get`]; none of them on a
/// call's way).
///
/// Generated encoders push parameters in signing order (fields sorted by wire name when the
/// code is generated, list items in the byte order of their 1-based numbers), so that a request
/// is encoded sorted and [`ParamList::sort`] has nothing to do; anything pushed in an order the
/// list cannot vouch for (free-form values, maps, raw keys) makes `sort` sort for real.
///
/// Its `Debug` output shows parameter names only: values can hold secrets (a pre-shared key
/// travels inside the `IkeConfig` query parameter).
#[derive(Clone)]
pub struct ParamList {
    /// `key=value&key=value…`, every key and value RFC 3986 encoded.
    buf: String,
    /// The number of parameters.
    len: usize,
    /// The flattened key of the value being encoded and the `.` after it
    /// (`TunnelOptionsSpecification.2.`), encoded, while a nested value is: what its fields'
    /// keys start with, separator included, so that a key is written in two copies.
    prefix: String,
    /// Every parameter so far was pushed in signing order.
    in_order: bool,
    /// The list is expected to stay short (a query): its first room is smaller
    /// ([`ParamList::reserve_first`]).
    short: bool,
    /// Where the part of a value from its first escape on is moved to be written back
    /// encoded; kept for its room.
    scratch: String,
}

impl Default for ParamList {
    fn default() -> Self {
        Self {
            buf: String::new(),
            len: 0,
            prefix: String::new(),
            in_order: true,
            short: false,
            scratch: String::new(),
        }
    }
}

/// Lists are equal when they hold the same parameters in the same order (how they were pushed
/// does not matter: the encoding of a list of parameters is one text).
impl PartialEq for ParamList {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.buf == other.buf
    }
}

impl Eq for ParamList {}

impl fmt::Debug for ParamList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter().map(|(k, _)| k)).finish()
    }
}

/// Whether every byte of `s` is left literal by RFC 3986 encoding: the same test the generator
/// makes before it marks a wire name literal.
pub fn is_plain(s: &str) -> bool {
    alicloud_rules::is_unreserved(s)
}

/// The text of an encoded key or value (lossless: it was encoded from text).
fn decode(s: &str) -> Cow<'_, str> {
    if s.as_bytes().contains(&b'%') {
        percent_encoding::percent_decode_str(s).decode_utf8_lossy()
    } else {
        Cow::Borrowed(s)
    }
}

/// Encoded parameters joined into a list's text, with room for `capacity` bytes, and how many
/// they were.
fn joined<'a>(params: impl IntoIterator<Item = &'a str>, capacity: usize) -> (String, usize) {
    let mut out = String::with_capacity(capacity);
    let mut len = 0;
    for param in params {
        if len > 0 {
            out.push('&');
        }
        out.push_str(param);
        len += 1;
    }
    (out, len)
}

/// An encoded `key=value` parameter split in two (a key never holds a literal `=`).
fn split_param(param: &str) -> (&str, &str) {
    param.split_once('=').unwrap_or((param, ""))
}

/// Compares two encoded keys in signing order: the byte order of the keys they encode (which
/// is not their own order when one holds an escape: `é` is after `z`, `%C3%A9` before it).
fn cmp_keys(a: &str, b: &str) -> std::cmp::Ordering {
    if a.as_bytes().contains(&b'%') || b.as_bytes().contains(&b'%') {
        percent_encoding::percent_decode_str(a).cmp(percent_encoding::percent_decode_str(b))
    } else {
        a.cmp(b)
    }
}

/// `s` RFC 3986 encoded, borrowed when nothing needs escaping.
fn encode_key(s: &str) -> Cow<'_, str> {
    if is_plain(s) {
        Cow::Borrowed(s)
    } else {
        let mut out = String::with_capacity(3 * s.len());
        encode_rfc3986(s, &mut out);
        Cow::Owned(out)
    }
}

/// The position of the first `&` in `b`: eight bytes per test (a parameter is a few dozen
/// bytes long; a byte-by-byte search costs several times more, a library search more again
/// on such short stretches).
#[inline]
fn find_amp(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut chunks = b.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        // Zero where a byte is `&`; the classic test for a zero byte, exact for the first one.
        let x = u64::from_le_bytes(word) ^ (ONES * u64::from(b'&'));
        let found = x.wrapping_sub(ONES) & !x & HIGHS;
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| c == b'&')
        .map(|i| at + i)
}

/// Encodes in place the text written to `buf` from `start` on: only text with something to
/// escape is moved (from its first escape on, into `scratch`) and written back.
#[inline(always)]
fn escape_from(buf: &mut String, start: usize, scratch: &mut String) {
    // Escapes stop only on character boundaries (a multi-byte character is escaped whole),
    // so the move starts on one.
    if let Some(i) = next_escape(buf.as_bytes(), start..buf.len()) {
        escape_tail(buf, i, scratch);
    }
}

/// The part of [`escape_from`] that text with escapes takes.
fn escape_tail(buf: &mut String, i: usize, scratch: &mut String) {
    if scratch.capacity() == 0 {
        // Room for most values at once, not grown a few bytes at a time.
        scratch.reserve(256);
    }
    scratch.clear();
    scratch.push_str(&buf[i..]);
    buf.truncate(i);
    encode_dense(scratch.as_bytes(), buf);
}

/// The parameters of a [`ParamList`], decoded ([`ParamList::iter`]).
#[derive(Clone, Debug)]
pub struct Params<'a> {
    params: std::str::Split<'a, char>,
    left: usize,
}

impl<'a> Iterator for Params<'a> {
    type Item = (Cow<'a, str>, Cow<'a, str>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let (k, v) = split_param(self.params.next()?);
        Some((decode(k), decode(v)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Params<'_> {}

impl ParamList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty list with room for `params` parameters of `bytes` encoded bytes in all.
    pub fn with_capacity(params: usize, bytes: usize) -> Self {
        Self {
            buf: String::with_capacity(bytes.max(params)),
            ..Self::default()
        }
    }

    /// An empty list expected to stay short (a query): see [`ParamList::reserve_first`].
    fn short() -> Self {
        Self {
            short: true,
            ..Self::default()
        }
    }

    /// Room for a typical request on the first push, so that encoding it does not grow the
    /// buffer from nothing a few bytes at a time.
    #[inline]
    fn reserve_first(&mut self) {
        // A dual-tunnel body is 41 parameters in 2.6 KB: regrowing to that from a few bytes
        // was 5 % of encoding a request, and growing it once more copies it again; a few
        // kilobytes are nothing to the allocator. A query is mostly a few short parameters
        // (the dual-tunnel one: 20 in 300 bytes): its room stays within the sizes the
        // allocator serves from its per-thread cache (1 KiB), much faster than larger ones.
        if self.buf.capacity() == 0 {
            self.buf.reserve(if self.short { 1024 } else { 4096 });
        }
    }

    /// The encoded parameters, `&`-separated: each of them `key=value`.
    fn params(&self) -> impl Iterator<Item = &str> + '_ {
        // `"".split` gives one empty piece: an empty list has none.
        self.buf.split('&').take(self.len)
    }

    /// Starts a parameter: the `&` that joins it to the one before; its key follows.
    #[inline(always)]
    fn begin(&mut self) {
        self.reserve_first();
        if self.len > 0 {
            self.buf.push('&');
        }
        self.len += 1;
    }

    /// Encodes in place the value written from `start` on ([`escape_from`]).
    #[inline(always)]
    fn escape_from(&mut self, start: usize) {
        escape_from(&mut self.buf, start, &mut self.scratch);
    }

    /// Writes `key` and `value`, encoded, as the last parameter.
    fn write_raw(&mut self, key: &str, value: &str) {
        self.begin();
        encode_rfc3986(key, &mut self.buf);
        self.buf.push('=');
        encode_rfc3986(value, &mut self.buf);
    }

    /// Adds a parameter with an explicit key and value. The list no longer vouches for its
    /// order.
    pub fn push_raw(&mut self, key: &str, value: &str) {
        self.in_order = false;
        self.write_raw(key, value);
    }

    /// Adds a parameter with an explicit key and value where signing order puts it: a list in
    /// order stays in order.
    pub fn insert_raw(&mut self, key: &str, value: &str) {
        if !self.in_order {
            return self.push_raw(key, value);
        }
        let key = encode_key(key);
        // Where the first parameter whose key comes after it starts, if any.
        let mut at = None;
        let mut start = 0;
        for param in self.params() {
            if cmp_keys(split_param(param).0, &key).is_gt() {
                at = Some(start);
                break;
            }
            start += param.len() + 1;
        }
        let Some(at) = at else {
            self.begin();
            self.buf.push_str(&key);
            self.buf.push('=');
            return encode_rfc3986(value, &mut self.buf);
        };
        let mut param = String::with_capacity(key.len() + 2 + 3 * value.len());
        param.push_str(&key);
        param.push('=');
        encode_rfc3986(value, &mut param);
        param.push('&');
        self.buf.insert_str(at, &param);
        self.len += 1;
    }

    /// For generated code: adds field `name` (a wire name RFC 3986 leaves literal) of the value
    /// being encoded, in signing order.
    #[doc(hidden)]
    #[inline(always)]
    pub fn push_field<V: WireValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        self.begin();
        // Empty, or ending with the `.` that joins it to the field's name.
        self.buf.push_str(&self.prefix);
        self.buf.push_str(name);
        self.push_value(value);
    }

    /// For generated code: [`ParamList::push_field`] of a name with characters to escape.
    #[doc(hidden)]
    #[inline]
    pub fn push_field_escaped<V: WireValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        self.begin();
        self.buf.push_str(&self.prefix);
        encode_rfc3986(name, &mut self.buf);
        self.push_value(value);
    }

    /// The `=` and the encoded value of the parameter whose key was just written.
    #[inline(always)]
    fn push_value<V: WireValue + ?Sized>(&mut self, value: &V) {
        self.buf.push('=');
        value.write_wire_encoded(&mut self.buf, &mut self.scratch);
    }

    /// Adds the value being encoded itself (a list item, say), its key the prefix.
    #[inline]
    fn push_here<V: WireValue + ?Sized>(&mut self, value: &V) {
        self.begin();
        // Without the `.` that ends it.
        self.buf
            .push_str(&self.prefix[..self.prefix.len().saturating_sub(1)]);
        self.push_value(value);
    }

    /// Adds the value being encoded itself (a list item, say), its key the prefix, its value
    /// written by `write` (and encoded after unless `value_plain`).
    #[inline]
    fn push_here_with(&mut self, value_plain: bool, write: impl FnOnce(&mut String)) {
        self.begin();
        // Without the `.` that ends it.
        self.buf
            .push_str(&self.prefix[..self.prefix.len().saturating_sub(1)]);
        self.buf.push('=');
        let start = self.buf.len();
        write(&mut self.buf);
        if !value_plain {
            self.escape_from(start);
        }
    }

    /// Adds a segment below the current prefix, written by `segment` (encoded), and the `.`
    /// that joins it to the keys below it (the one place that writes it: keys and
    /// [`ParamList::push_here_with`] rely on it); returns the mark `leave` goes back to.
    #[inline]
    fn open(&mut self, segment: impl FnOnce(&mut String)) -> Mark {
        if self.prefix.capacity() == 0 {
            self.prefix.reserve(64);
        }
        let mark = Mark {
            len: self.prefix.len(),
        };
        segment(&mut self.prefix);
        self.prefix.push('.');
        mark
    }

    /// For generated code: makes field `name` the value being encoded, until
    /// [`ParamList::leave`]. Fields must be entered in signing order.
    #[doc(hidden)]
    #[inline]
    pub fn enter(&mut self, name: &'static str) -> Mark {
        self.open(|p| encode_rfc3986(name, p))
    }

    /// [`ParamList::enter`] of a key known only at run time (a map key, a free-form object's
    /// key): escaped as needed, and the list no longer vouches for its order.
    pub fn enter_dynamic(&mut self, name: &str) -> Mark {
        self.in_order = false;
        self.open(|p| encode_rfc3986(name, p))
    }

    /// Makes list item `index` (0-based; numbered from 1 on the wire) the value being encoded.
    #[doc(hidden)]
    #[inline]
    pub fn enter_index(&mut self, index: usize) -> Mark {
        self.open(|p| push_decimal(p, index as u64 + 1))
    }

    /// Returns to the value that was being encoded before the matching `enter`.
    #[doc(hidden)]
    #[inline]
    pub fn leave(&mut self, mark: Mark) {
        self.prefix.truncate(mark.len);
    }

    /// For generated code: flattens `value` as field `name` (a wire name RFC 3986 leaves
    /// literal, which the generator checked: it is not scanned again here), in signing order.
    #[doc(hidden)]
    #[inline]
    pub fn flat_field<T: FlatEncode + ?Sized>(&mut self, name: &'static str, value: &T) {
        let mark = self.open(|p| p.push_str(name));
        value.encode_flat(self);
        self.leave(mark);
    }

    /// For generated code: [`ParamList::flat_field`] of a name with characters to escape.
    #[doc(hidden)]
    #[inline]
    pub fn flat_field_escaped<T: FlatEncode + ?Sized>(&mut self, name: &'static str, value: &T) {
        let mark = self.open(|p| encode_rfc3986(name, p));
        value.encode_flat(self);
        self.leave(mark);
    }

    /// For generated code: the pushes that follow may be out of signing order (see
    /// [`ParamList::sort`]).
    #[doc(hidden)]
    pub fn unordered(&mut self) {
        self.in_order = false;
    }

    /// Sorts the parameters by key, byte-wise (`A.10` before `A.2`), as signing requires:
    /// nothing to do for a list pushed in order, which is what generated encoders push.
    /// Parameters with the same key keep their order.
    pub fn sort(&mut self) {
        if self.in_order {
            debug_assert!(self.is_sorted(), "pushed out of order: {self:?}");
            return;
        }
        if !self.is_sorted() {
            let mut params: Vec<&str> = self.params().collect();
            params.sort_by(|a, b| cmp_keys(split_param(a).0, split_param(b).0));
            (self.buf, _) = joined(params, self.buf.capacity());
        }
        self.in_order = true;
    }

    /// Whether the keys are in signing order.
    pub fn is_sorted(&self) -> bool {
        self.params()
            .map(|p| split_param(p).0)
            .is_sorted_by(|a, b| cmp_keys(a, b).is_le())
    }

    /// Removes every parameter named `key` (order kept).
    pub fn remove(&mut self, key: &str) {
        let key = encode_key(key);
        let named = |p: &&str| split_param(p).0 == key;
        if !self.params().any(|p| named(&p)) {
            return;
        }
        (self.buf, self.len) = joined(self.params().filter(|p| !named(p)), self.buf.capacity());
    }

    /// The parameters in order, decoded.
    pub fn iter(&self) -> Params<'_> {
        Params {
            params: self.buf.split('&'),
            left: self.len,
        }
    }

    /// The number of parameters.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The encoded value of the first parameter named `key` that `wanted` accepts. A list in
    /// signing order is read only up to where `key` would be: a call looks up `RegionId` and
    /// its idempotency token, and neither walks a long body. Each parameter's key is compared
    /// where it starts, and the walk skips to the next `&`: no splitting.
    fn find_value(&self, key: &str, wanted: impl Fn(&str) -> bool) -> Option<&str> {
        let key = encode_key(key);
        let (b, k) = (self.buf.as_bytes(), key.as_bytes());
        // Without an escape, the keys' order is their encoded bytes' order.
        let bytewise = self.in_order && !k.contains(&b'%');
        let mut start = 0;
        for _ in 0..self.len {
            let rest = &b[start..];
            // Where the parameter's text first differs from `key`: `key`'s length and then an
            // `=` is this key.
            // Most keys differ from it in their first byte: then nothing to count.
            let same = if rest.first() == k.first() {
                rest.iter().zip(k).take_while(|(a, c)| a == c).count()
            } else {
                0
            };
            let end = find_amp(rest).unwrap_or(rest.len());
            match rest.get(same) {
                Some(b'=') if same == k.len() => {
                    let v = &self.buf[start + same + 1..start + end];
                    if wanted(v) {
                        return Some(v);
                    }
                }
                // This key starts with `key` and goes on, or its first different byte (an
                // escape aside, which may encode anything) is greater: it comes after `key`.
                Some(&c)
                    if bytewise && (same == k.len() || (c != b'=' && c != b'%' && c > k[same])) =>
                {
                    return None;
                }
                _ => {}
            }
            // Past the `&` (past the end after the last parameter, where the walk stops).
            start += end + 1;
        }
        None
    }

    /// The value of the first parameter named `key`, decoded.
    pub fn get(&self, key: &str) -> Option<Cow<'_, str>> {
        self.find_value(key, |_| true).map(decode)
    }

    /// Whether a parameter named `key` has a value other than the empty string.
    pub(crate) fn has_value(&self, key: &str) -> bool {
        self.find_value(key, |v| !v.is_empty()).is_some()
    }

    /// Appends `k=v&k=v…` with RFC 3986 encoding of names and values, in the current order.
    /// Sorted first, this is the canonical query string of ACS3 signing.
    pub fn write_encoded(&self, out: &mut String) {
        out.push_str(&self.buf);
    }

    /// The length of [`ParamList::write_encoded`]'s output.
    pub(crate) fn encoded_len(&self) -> usize {
        self.buf.len()
    }

    /// The RFC 3986 encoding of the list, as a new string.
    pub fn encoded(&self) -> String {
        self.buf.clone()
    }

    /// The RFC 3986 encoding of the list ([`ParamList::encoded`]), borrowed.
    pub fn as_encoded(&self) -> &str {
        &self.buf
    }

    /// The RFC 3986 encoding of the list ([`ParamList::encoded`]), taking the list's buffer.
    pub fn into_encoded(self) -> String {
        self.buf
    }

    /// The parameters as owned pairs (for tests and tools).
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        self.iter()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }
}

/// The 0-based positions of a list of `len` items in the byte order of their 1-based wire
/// numbers (`1, 10, 11, 2, …` for eleven items): flattened lists are pushed in this order, so
/// that their keys come out sorted.
#[derive(Clone, Debug)]
pub struct WireOrder {
    next: u64,
    left: usize,
    len: u64,
}

impl WireOrder {
    /// The order of `len` items.
    pub fn new(len: usize) -> Self {
        Self {
            next: 1,
            left: len,
            len: len as u64,
        }
    }
}

impl Iterator for WireOrder {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let n = self.next;
        // The successor in a pre-order walk of the decimal tree: a child (`n0`) when there is
        // one, else the next sibling, climbing while there is none.
        if let Some(child) = n.checked_mul(10).filter(|c| *c <= self.len) {
            self.next = child;
        } else {
            let mut m = n;
            while m % 10 == 9 || m + 1 > self.len {
                m /= 10;
            }
            self.next = m + 1;
        }
        Some((n - 1) as usize)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for WireOrder {}

/// The wire parameters of one request: query, form body and header parameters, and for ROA
/// operations the path and the JSON body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireRequest {
    /// Parameters sent in the URL query.
    pub query: ParamList,
    /// Parameters sent in the form body.
    pub body: ParamList,
    /// Parameters sent as HTTP headers, named by their key (any case: they are sent and
    /// signed under the lower-case name). A `Content-Type` one replaces the form body's.
    pub headers: ParamList,
    /// ROA: the path, percent-encoded (`/clusters/c-1`); `None` sends RPC's `/`.
    pub path: Option<String>,
    /// ROA: the JSON body, sent instead of the form body (see [`crate::roa`]).
    pub json: Option<serde_json::Value>,
}

impl Default for WireRequest {
    fn default() -> Self {
        Self {
            query: ParamList::short(),
            body: ParamList::default(),
            headers: ParamList::short(),
            path: None,
            json: None,
        }
    }
}

impl WireRequest {
    /// Sorts both lists by key.
    pub fn sort(&mut self) {
        self.query.sort();
        self.body.sort();
    }
}

/// A scalar that travels as one string.
pub trait WireValue {
    /// Appends the wire form of `self`.
    fn write_wire(&self, out: &mut String);

    /// Appends the wire form of `self` RFC 3986 encoded; `scratch` is room to lend to the
    /// encoding. By default, written with [`WireValue::write_wire`] and encoded in place
    /// unless [`WireValue::is_plain`]; text encodes straight from itself.
    #[doc(hidden)]
    #[inline]
    fn write_wire_encoded(&self, out: &mut String, scratch: &mut String) {
        let start = out.len();
        self.write_wire(out);
        if !self.is_plain() {
            escape_from(out, start, scratch);
        }
    }

    /// Whether the wire form is certain to hold only characters RFC 3986 leaves literal (then
    /// encoding copies it unscanned). `false` is always correct.
    #[inline]
    fn is_plain(&self) -> bool {
        false
    }
}

// Inlined into generated encoders: a call per parameter cost more than the copy it makes.
impl WireValue for str {
    #[inline]
    fn write_wire(&self, out: &mut String) {
        out.push_str(self);
    }

    // Not copied first and moved again from its first escape on.
    #[inline]
    fn write_wire_encoded(&self, out: &mut String, _: &mut String) {
        encode_rfc3986(self, out);
    }
}

impl WireValue for String {
    #[inline]
    fn write_wire(&self, out: &mut String) {
        out.push_str(self);
    }

    #[inline]
    fn write_wire_encoded(&self, out: &mut String, _: &mut String) {
        encode_rfc3986(self, out);
    }
}

impl WireValue for bool {
    #[inline]
    fn write_wire(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }

    #[inline]
    fn is_plain(&self) -> bool {
        true
    }
}

macro_rules! integer_wire {
    ($($t:ty),*) => {$(
        impl WireValue for $t {
            fn write_wire(&self, out: &mut String) {
                #[allow(unused_comparisons)]
                if *self < 0 {
                    out.push('-');
                }
                push_decimal(out, self.unsigned_abs() as u64);
            }

            fn is_plain(&self) -> bool {
                true
            }
        }
    )*};
}
integer_wire!(i32, i64);

macro_rules! unsigned_wire {
    ($($t:ty),*) => {$(
        impl WireValue for $t {
            fn write_wire(&self, out: &mut String) {
                push_decimal(out, u64::from(*self));
            }

            fn is_plain(&self) -> bool {
                true
            }
        }
    )*};
}
unsigned_wire!(u32, u64);

macro_rules! display_wire {
    ($($t:ty),*) => {$(
        impl WireValue for $t {
            fn write_wire(&self, out: &mut String) {
                let _ = write!(out, "{}", self);
            }

            // Digits, `-`, `.`, `inf`, `NaN`: Rust writes no exponent and no `+`.
            fn is_plain(&self) -> bool {
                true
            }
        }
    )*};
}
display_wire!(f32, f64);

/// A value that can be flattened into `Name.1.Field` parameters.
pub trait FlatEncode {
    /// Appends the parameters of `self`, whose key is `out`'s current prefix (see
    /// [`ParamList::enter`]).
    fn encode_flat(&self, out: &mut ParamList);
}

impl<T: WireValue> FlatEncode for T {
    #[inline]
    fn encode_flat(&self, out: &mut ParamList) {
        out.push_here(self);
    }
}

impl<T: FlatEncode> FlatEncode for Option<T> {
    #[inline]
    fn encode_flat(&self, out: &mut ParamList) {
        if let Some(v) = self {
            v.encode_flat(out);
        }
    }
}

/// Flattens `items` 1-based, numbering each item by its position: an item that encodes to
/// nothing (an object with no field set) leaves a gap (`Tag.1`, `Tag.3`), as the official SDKs
/// number (their flattening writes `Tag.{i+1}` for the `i`-th item whatever it holds). Numbering
/// only the non-empty items would send `Tag.2` where the SDK sends `Tag.3`, so the same list
/// would reach the service differently; the decoder reads the gap back as an empty object.
/// Items go in the byte order of their numbers ([`WireOrder`]), so the keys come out sorted.
fn encode_items<T: FlatEncode>(items: &[T], out: &mut ParamList) {
    for n in WireOrder::new(items.len()) {
        let mark = out.enter_index(n);
        items[n].encode_flat(out);
        out.leave(mark);
    }
}

impl<T: FlatEncode> FlatEncode for Vec<T> {
    #[inline]
    fn encode_flat(&self, out: &mut ParamList) {
        encode_items(self, out);
    }
}

impl<T: FlatEncode> FlatEncode for std::collections::BTreeMap<String, T> {
    fn encode_flat(&self, out: &mut ParamList) {
        for (k, v) in self {
            let mark = out.enter_dynamic(k);
            v.encode_flat(out);
            out.leave(mark);
        }
    }
}

impl FlatEncode for serde_json::Value {
    /// Free-form values flatten like everything else: objects by key, arrays 1-based (items
    /// that give no parameter are not numbered), scalars as text (strings verbatim, JSON
    /// otherwise); null is left out.
    fn encode_flat(&self, out: &mut ParamList) {
        match self {
            serde_json::Value::Null => {}
            serde_json::Value::String(s) => out.push_here_with(false, |buf| buf.push_str(s)),
            serde_json::Value::Array(items) => encode_items(items, out),
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let mark = out.enter_dynamic(k);
                    v.encode_flat(out);
                    out.leave(mark);
                }
            }
            // Numbers and booleans: nothing to escape.
            other => out.push_here_with(true, |buf| {
                let _ = write!(buf, "{other}");
            }),
        }
    }
}

/// A value of an enum that this version of the crate does not know, as the service sent it.
///
/// It cannot be built from outside the generated code, so a known value can never be written
/// as unknown: parse the text (`"sm4".parse()`) and you get the known variant when there is one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// For generated code only.
    #[doc(hidden)]
    pub fn __new(s: &str) -> Self {
        Self(s.to_owned())
    }

    /// The value as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Appends one parameter holding the items of `list` joined by `sep` (wire styles `simple`,
/// `spaceDelimited`, `pipeDelimited`), as field `name` of the value being encoded, in signing
/// order.
pub fn encode_joined<T: WireValue>(list: &[T], sep: char, name: &'static str, out: &mut ParamList) {
    let mark = out.enter(name);
    out.push_here_with(false, |buf| {
        for (i, item) in list.iter().enumerate() {
            if i > 0 {
                buf.push(sep);
            }
            item.write_wire(buf);
        }
    });
    out.leave(mark);
}

/// Appends one parameter holding `value` as compact JSON (wire style `json`), as field `name`
/// of the value being encoded, in signing order.
///
/// Serialising the generated types cannot fail (string keys, no custom serialisers that
/// error); should a hand-written `Serialize` fail, the parameter is left out rather than sent
/// half-written.
pub fn encode_json<T: serde::Serialize + ?Sized>(
    value: &T,
    name: &'static str,
    out: &mut ParamList,
) {
    let mark = out.enter(name);
    json_here(value, out);
    out.leave(mark);
}

/// [`encode_json`] under a key known only at run time (escaped as needed; the list no longer
/// vouches for its order).
pub fn encode_json_dynamic<T: serde::Serialize + ?Sized>(
    value: &T,
    key: &str,
    out: &mut ParamList,
) {
    let mark = out.enter_dynamic(key);
    json_here(value, out);
    out.leave(mark);
}

fn json_here<T: serde::Serialize + ?Sized>(value: &T, out: &mut ParamList) {
    // Serialised into the list's scratch buffer, then encoded into the list in one pass (JSON
    // always has something to escape): no UTF-8 check, since the encoder takes bytes, and a
    // value that fails half-way leaves nothing behind.
    let mut json = std::mem::take(&mut out.scratch).into_bytes();
    json.clear();
    json.reserve(256);
    if serde_json::to_writer(&mut json, value).is_ok() {
        out.push_here_with(true, |buf| encode_dense(&json, buf));
    }
    json.clear();
    // Empty: no check to speak of, and the room is kept.
    out.scratch = String::from_utf8(json).unwrap_or_default();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator for the randomised tests: `next(n)` is below `n`
    /// (xorshift64; the same seed gives the same cases on every run).
    fn xorshift(mut seed: u64) -> impl FnMut(usize) -> usize {
        move |n| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        }
    }

    #[test]
    fn rfc3986_matches_the_sdk_unit_test() {
        let mut s = String::new();
        encode_rfc3986(" ~/*-+", &mut s);
        assert_eq!(s, "%20~%2F%2A-%2B");
        let mut s = String::new();
        encode_rfc3986("name test 名称", &mut s);
        assert_eq!(s, "name%20test%20%E5%90%8D%E7%A7%B0");
    }

    #[test]
    fn rfc3986_matches_percent_encoding_for_every_character() {
        let mut all: String = (0u8..128).map(char::from).collect();
        all.push_str("é名称\u{10FFFF}\u{80}~-_.");
        let mut cases: Vec<String> = ["", "a", "%", "名", "a b", "~~", "x名y"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        cases.push(all.clone());
        // Every character at every offset of a literal run long enough for the eight-byte
        // path, so that a wrong lane test shows.
        let literal = "aZ09-_.~Az9abcdefgh";
        for c in all.chars() {
            for at in 0..literal.len() {
                let mut s = literal.to_owned();
                s.insert(at, c);
                cases.push(s);
            }
        }
        for s in &cases {
            let mut ours = String::new();
            encode_rfc3986(s, &mut ours);
            let theirs = percent_encoding::utf8_percent_encode(s, RFC3986).to_string();
            assert_eq!(ours, theirs, "{s:?}");
        }
    }

    #[test]
    fn integers_are_written_in_decimal() {
        let mut s = String::new();
        for (i, n) in [0i64, 7, -7, 10, 65530, i64::MAX, i64::MIN]
            .iter()
            .enumerate()
        {
            s.clear();
            n.write_wire(&mut s);
            assert_eq!(s, n.to_string(), "{i}");
        }
        for n in [0i32, -1, i32::MIN, i32::MAX] {
            s.clear();
            n.write_wire(&mut s);
            assert_eq!(s, n.to_string());
        }
        for n in [0u64, u64::MAX, 4_294_967_295] {
            s.clear();
            n.write_wire(&mut s);
            assert_eq!(s, n.to_string());
        }
        s.clear();
        u32::MAX.write_wire(&mut s);
        assert_eq!(s, "4294967295");
    }

    #[test]
    fn a_json_value_that_fails_to_serialise_is_left_out() {
        let mut out = ParamList::new();
        out.push_field("A", "1");
        encode_json(&Fails, "J", &mut out);
        out.push_field("B", "2");
        assert_eq!(out.encoded(), "A=1&B=2");
        encode_json(&serde_json::json!({"k": "a\"é\n"}), "J", &mut out);
        assert_eq!(out.get("J").as_deref(), Some(r#"{"k":"a\"é\n"}"#));
    }

    /// The encoded form written parameter by parameter, as it is defined.
    fn encoded_one_by_one(list: &ParamList) -> String {
        let mut out = String::new();
        for (i, (k, v)) in list.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            encode_rfc3986(&k, &mut out);
            out.push('=');
            encode_rfc3986(&v, &mut out);
        }
        out
    }

    /// A value whose serialisation fails.
    struct Fails;

    impl serde::Serialize for Fails {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("no"))
        }
    }

    #[test]
    fn encoding_in_stretches_matches_encoding_one_by_one() {
        // Values with separators, escapes at either end, multi-byte characters and nothing at
        // all; lists built by every kind of push, with removals, insertions and sorts between,
        // so that entries follow each other in the buffer, or do not.
        let values = [
            "",
            "a",
            "a=b",
            "x&y",
            "=",
            "&",
            "%",
            "a b",
            " ",
            "名",
            "é名x",
            "~-._",
            "10.0.0.0/24",
            "tun-1****",
            "&=&",
            "end%",
            "%start",
            // Longer than the dense encoder's buffer, escapes throughout.
            r#"{"Psk":"a~!@#$%^&*()_+","Enc":"aes名","Ids":[1,2,3],"Text":"é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é"}"#,
        ];
        let keys = ["A", "B.1", "C", "a b", "é", "Z.Z", "K=", "&K"];
        let mut next = xorshift(0x2545_f491_4f6c_dd1du64);
        for round in 0..2_000 {
            let mut list = ParamList::new();
            for _ in 0..next(12) {
                let value = values[next(values.len())];
                let op = next(8);
                if (2..=6).contains(&op) {
                    // Named pushes promise signing order; these do not keep it.
                    list.unordered();
                }
                match op {
                    0 => list.push_raw(keys[next(keys.len())], value),
                    1 => list.insert_raw(keys[next(keys.len())], value),
                    2 => list.push_field("F", value),
                    3 => list.push_field_escaped("G h", value),
                    4 => list.push_field("N", &(next(1000) as u64)),
                    5 => encode_json(&serde_json::json!({"k": value}), "J", &mut list),
                    // Pushed, then taken back.
                    6 => encode_json(&Fails, "J", &mut list),
                    _ => list.remove(keys[next(keys.len())]),
                }
                if next(5) == 0 {
                    list.sort();
                }
            }
            assert_eq!(list.encoded(), encoded_one_by_one(&list), "round {round}");
        }
    }

    /// The encoded form as defined: parameters in their order, each key and value RFC 3986
    /// encoded by the `percent-encoding` crate, joined with `=` and `&`.
    fn reference_encoding(pairs: &[(String, String)]) -> String {
        pairs
            .iter()
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    percent_encoding::utf8_percent_encode(k, RFC3986),
                    percent_encoding::utf8_percent_encode(v, RFC3986)
                )
            })
            .collect::<Vec<_>>()
            .join("&")
    }

    #[test]
    fn the_encoded_list_matches_a_reference_model() {
        // Every operation on a list mirrored on a plain vector of unencoded pairs: the list's
        // encoded text must be the reference encoding of the vector, and what it reads back
        // (pairs, lookups, order) the vector's. Keys and values with separators, escapes at
        // either end, multi-byte characters, a key that sorts differently encoded (`é` after
        // `z`, `%C3%A9` before it), duplicates and nothing at all.
        let values = [
            "",
            "a",
            "a=b",
            "x&y",
            "=",
            "&",
            "%",
            "%41",
            "+",
            "a b",
            "名",
            "é名x",
            "~-._",
            "10.0.0.0/24",
            "tun-1****",
            "Ab1~!`@#$%^&*()_-+={}[]|;:,.<>/?",
            r#"{"Psk":"a~!@#$%^&*()_+","Enc":"aes名","Text":"é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é é"}"#,
        ];
        let keys = [
            "A", "B.1", "B.10", "B.2", "C", "a b", "é", "z", "Z.Z", "K=", "&K", "%", "",
        ];
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15u64);
        for round in 0..3_000 {
            let mut list = ParamList::new();
            let mut model: Vec<(String, String)> = Vec::new();
            let mut in_order = true;
            for _ in 0..next(14) {
                let key = keys[next(keys.len())];
                let value = values[next(values.len())];
                let op = next(9);
                if (2..=5).contains(&op) {
                    // Named pushes promise signing order; these do not keep it.
                    list.unordered();
                    in_order = false;
                }
                match op {
                    0 => {
                        list.push_raw(key, value);
                        model.push((key.to_owned(), value.to_owned()));
                        in_order = false;
                    }
                    1 => {
                        list.insert_raw(key, value);
                        let at = if in_order {
                            model.partition_point(|(k, _)| k.as_bytes() <= key.as_bytes())
                        } else {
                            model.len()
                        };
                        model.insert(at, (key.to_owned(), value.to_owned()));
                    }
                    2 => {
                        list.push_field("F", value);
                        model.push(("F".to_owned(), value.to_owned()));
                    }
                    3 => {
                        list.push_field_escaped("G h", value);
                        model.push(("G h".to_owned(), value.to_owned()));
                    }
                    4 => {
                        let json = serde_json::json!({ "k": value });
                        encode_json(&json, "J", &mut list);
                        model.push(("J".to_owned(), json.to_string()));
                    }
                    5 => {
                        let items = vec![value.to_owned(); 1 + next(11)];
                        list.flat_field_escaped("L m", &items);
                        for n in WireOrder::new(items.len()) {
                            model.push((format!("L m.{}", n + 1), value.to_owned()));
                        }
                    }
                    6 => {
                        list.remove(key);
                        model.retain(|(k, _)| k != key);
                    }
                    7 => encode_json(&Fails, "J", &mut list),
                    _ => {
                        list.sort();
                        // Stable: parameters with the same key keep their order.
                        model.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
                        in_order = true;
                    }
                }
                assert_eq!(list.encoded(), reference_encoding(&model), "round {round}");
                assert_eq!(list.len(), model.len(), "round {round}");
                assert_eq!(list.to_pairs(), model, "round {round}");
                assert_eq!(list.iter().len(), model.len(), "round {round}");
                let sorted = model.is_sorted_by(|a, b| a.0.as_bytes() <= b.0.as_bytes());
                assert_eq!(list.is_sorted(), sorted, "round {round}");
                for k in keys {
                    let first = model
                        .iter()
                        .find(|(mk, _)| mk == k)
                        .map(|(_, v)| v.as_str());
                    assert_eq!(list.get(k).as_deref(), first, "round {round}: {k:?}");
                    let set = model.iter().any(|(mk, v)| mk == k && !v.is_empty());
                    assert_eq!(list.has_value(k), set, "round {round}: {k:?}");
                }
            }
        }
    }

    #[test]
    fn ampersands_are_found_at_every_offset() {
        for len in 0..40 {
            for at in 0..=len {
                let mut b = vec![b'a'; len];
                if at < len {
                    b[at] = b'&';
                    // A later one does not hide the first.
                    if at + 3 < len {
                        b[at + 3] = b'&';
                    }
                }
                let expected = b.iter().position(|&c| c == b'&');
                assert_eq!(find_amp(&b), expected, "{len} {at}");
            }
        }
        // Bytes next to `&` in value and in borrow (`%`, `'`, 0x80, 0xFF) are not taken for it.
        let near = [b'%', b'\'', 0x80, 0xff, 0x26 ^ 0x80, 0x00, b'&'];
        assert_eq!(find_amp(&near), Some(6));
    }

    #[test]
    fn nested_prefixes_of_any_length_and_script_make_the_same_keys() {
        // Keys below short and long prefixes, and below a non-ASCII key that is left again
        // before literal ones follow.
        let long = "L".repeat(70);
        let mut map = std::collections::BTreeMap::new();
        map.insert("é名".to_owned(), vec![1i64, 2]);
        map.insert("b".to_owned(), vec![3i64]);
        let mut out = ParamList::new();
        let a = out.enter("A");
        out.flat_field("M", &map);
        out.push_field("Z", "z");
        out.leave(a);
        let l = out.enter_dynamic(&long);
        out.push_field("X", "x");
        let item = out.enter_index(0);
        out.push_field("Y", "y");
        out.leave(item);
        out.leave(l);
        out.push_field("T", "t");
        let pairs: Vec<_> = out.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            pairs,
            [
                "A.M.b.1=3".to_owned(),
                "A.M.é名.1=1".to_owned(),
                "A.M.é名.2=2".to_owned(),
                "A.Z=z".to_owned(),
                format!("{long}.X=x"),
                format!("{long}.1.Y=y"),
                "T=t".to_owned(),
            ]
        );
        assert_eq!(out.encoded(), encoded_one_by_one(&out));
    }

    #[test]
    fn escaped_field_names_are_escaped_in_every_key_below_them() {
        let mut out = ParamList::new();
        out.flat_field_escaped("A b", &vec![1i64, 2]);
        out.flat_field("C", &vec![3i64]);
        assert_eq!(out.encoded(), "A%20b.1=1&A%20b.2=2&C.1=3");
        assert_eq!(out.encoded(), encoded_one_by_one(&out));
    }

    #[test]
    fn flattening_is_one_based_and_pushed_in_signing_order() {
        let mut out = ParamList::new();
        let list: Vec<i64> = (0..11).collect();
        out.flat_field("A", &list);
        let keys: Vec<_> = out.iter().map(|(k, _)| k.into_owned()).collect();
        assert_eq!(keys[0], "A.1");
        assert_eq!(keys[1], "A.10");
        assert_eq!(keys[2], "A.11");
        assert_eq!(keys[3], "A.2");
        assert!(out.is_sorted());
        assert_eq!(out.get("A.11").as_deref(), Some("10"));
        // Items are numbered by position, as the SDKs do: one that gives no parameter leaves a
        // gap, and the next keeps its number (`Tag.3`, not `Tag.2`).
        let mut gaps = ParamList::new();
        let items = vec![None, Some(1), None, Some(2)];
        gaps.flat_field("B", &items);
        let json = serde_json::json!([null, {}, [], "x", {"K": 3}]);
        gaps.flat_field("J", &json);
        let tags = serde_json::json!([{"Key": "a"}, {}, {"Key": "c", "Value": "3"}]);
        gaps.flat_field("Tag", &tags);
        let keys: Vec<_> = gaps.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            keys,
            [
                "B.2=1",
                "B.4=2",
                "J.4=x",
                "J.5.K=3",
                "Tag.1.Key=a",
                "Tag.3.Key=c",
                "Tag.3.Value=3"
            ]
        );
        out.push_raw("Psk", "hunter2-secret");
        let debug = format!("{out:?}");
        assert!(debug.contains("\"Psk\""), "{debug}");
        assert!(!debug.contains("hunter2"), "{debug}");
    }

    #[test]
    fn wire_order_is_the_byte_order_of_the_numbers() {
        for len in [0usize, 1, 9, 10, 11, 19, 20, 99, 100, 101, 1000, 1234] {
            let ours: Vec<usize> = WireOrder::new(len).collect();
            let mut theirs: Vec<usize> = (0..len).collect();
            theirs.sort_by_key(|n| (n + 1).to_string());
            assert_eq!(ours, theirs, "{len}");
            assert_eq!(WireOrder::new(len).len(), len);
        }
    }

    #[test]
    fn nested_keys_escape_only_what_is_not_literal() {
        let mut out = ParamList::new();
        let mut map = std::collections::BTreeMap::new();
        map.insert("a b".to_owned(), 1);
        map.insert("a".to_owned(), 2);
        out.flat_field("M", &map);
        out.push_field_escaped("N/x", "v w");
        out.push_field("O", "é");
        out.sort();
        assert!(out.is_sorted());
        assert_eq!(out.encoded(), "M.a=2&M.a%20b=1&N%2Fx=v%20w&O=%C3%A9");
        // A dynamic key made the list sort for real.
        let mut m = ParamList::new();
        let mut map = std::collections::BTreeMap::new();
        map.insert("a".to_owned(), serde_json::json!({"x": 1}));
        map.insert("a-b".to_owned(), serde_json::json!({"x": 2}));
        m.flat_field("M", &map);
        assert!(!m.is_sorted(), "BTreeMap order is not signing order here");
        m.sort();
        assert_eq!(m.encoded(), "M.a-b.x=2&M.a.x=1");
    }

    #[test]
    fn an_inserted_parameter_keeps_the_order() {
        let mut out = ParamList::new();
        out.push_field("A", "1");
        out.push_field("C", "3");
        out.insert_raw("B", "2");
        out.insert_raw("D", "4");
        out.insert_raw("0", "0");
        assert!(out.is_sorted());
        assert_eq!(out.encoded(), "0=0&A=1&B=2&C=3&D=4");
        out.remove("B");
        assert_eq!(out.encoded(), "0=0&A=1&C=3&D=4");
        // Equality is of the parameters, not of how they were pushed.
        let mut raw = ParamList::new();
        for (k, v) in [("0", "0"), ("A", "1"), ("C", "3"), ("D", "4")] {
            raw.push_raw(k, v);
        }
        assert_eq!(raw, out);
    }

    #[test]
    fn joined_and_json_styles() {
        let mut out = ParamList::new();
        encode_joined(&["a".to_owned(), "b c".to_owned()], ',', "L", &mut out);
        encode_json(&serde_json::json!({"k": "v"}), "J", &mut out);
        out.push_field("B", &false);
        assert_eq!(
            out.encoded(),
            "L=a%2Cb%20c&J=%7B%22k%22%3A%22v%22%7D&B=false"
        );
    }

    #[test]
    fn form_decoding_treats_plus_as_space() {
        assert_eq!(decode_form_component("a+b%2Bc%20d"), "a b+c d");
        assert_eq!(decode_form_component("%FF"), "\u{FFFD}");
    }
}

/// Keys of a JSON parameter's object that its spec does not declare (yet): Alibaba adds keys to
/// these objects over time, and they can be sent before the spec knows them. Written after the
/// declared keys, in key order; a key that names a declared field is not written (set the field
/// instead; validation reports it). `Debug` shows the keys only, since a value may be secret.
#[derive(Clone, Default, PartialEq)]
pub struct ExtraFields(std::collections::BTreeMap<String, serde_json::Value>);

impl ExtraFields {
    /// Sets `key` to `value`, returning the value it replaces.
    pub fn insert(
        &mut self,
        key: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Option<serde_json::Value> {
        self.0.insert(key.into(), value.into())
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<serde_json::Value> {
        self.0.remove(key)
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.0.get(key)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The keys and values, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &serde_json::Value)> + '_ {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Writes the entries whose key is not in `declared` into `map`.
    pub fn serialize_into<M: serde::ser::SerializeMap>(
        &self,
        map: &mut M,
        declared: &[&str],
    ) -> Result<(), M::Error> {
        for (k, v) in &self.0 {
            if !declared.contains(&k.as_str()) {
                map.serialize_entry(k, v)?;
            }
        }
        Ok(())
    }

    /// Reports every key that names a declared field (it would not be sent).
    pub fn validate(&self, path: &Path<'_>, declared: &[&str], v: &mut crate::validate::Validator) {
        for k in self.0.keys().filter(|k| declared.contains(&k.as_str())) {
            v.report(
                crate::path::join(path, k),
                crate::Rule::ExtraField,
                "names a declared field: set it with its setter, not as an extra key".to_owned(),
                crate::validate::Shown::Nothing,
                None,
            );
        }
    }
}

impl fmt::Debug for ExtraFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}
