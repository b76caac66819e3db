//! Wire parameters: the flattened `name=value` pairs of a request, and how values get there.
//!
//! RPC-style APIs take every parameter as a string, either in the URL query or in an
//! `application/x-www-form-urlencoded` body. Nested values are flattened (`Name.1.Field`,
//! 1-based indexes), joined (`a,b`), or serialised to one compact JSON string, as each
//! parameter's wire style says.
//!
//! [`ParamList`] keeps all keys and values in one string buffer (`key=value&key=value…`) with an
//! index beside it, so encoding a request costs a handful of allocations however many
//! parameters it has, and a list in signing order is encoded by copying its buffer in long
//! stretches, escapes written in between.

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

#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    /// Where the key starts in the buffer.
    key_start: usize,
    /// Where the key ends; the value starts after the `=` that follows.
    key_end: usize,
    /// Where the value ends.
    value_end: usize,
    /// The key is made of characters RFC 3986 leaves literal, known when it was pushed (the
    /// generator checks wire names when it writes the code), so encoding copies it unscanned.
    key_plain: bool,
    /// The same of the value (numbers, booleans, known enum values).
    value_plain: bool,
}

// Three offsets and two flags, 32 bytes: the value's start is always one past the key's end,
// so it is not stored, and room for a typical request's entries is a fifth smaller.
impl Entry {
    #[inline]
    fn key(&self) -> Range<usize> {
        self.key_start..self.key_end
    }

    #[inline]
    fn value(&self) -> Range<usize> {
        self.key_end + 1..self.value_end
    }
}

/// Writes a list's encoded form, copying what needs no escaping from the list's buffer in
/// stretches as long as the buffer allows ([`ParamList::write_encoded`]).
struct Copier<'a> {
    buf: &'a str,
    out: &'a mut String,
    /// Where the pending stretch of `buf` starts: `buf[start..at]` is still to be copied.
    start: usize,
    /// Where the pending stretch ends: the next piece is copied with it if it starts here.
    at: usize,
}

impl Copier<'_> {
    /// Copies the pending stretch, and starts the next one at `next`.
    #[inline]
    fn flush_to(&mut self, next: usize) {
        if self.start < self.at {
            self.out.push_str(&self.buf[self.start..self.at]);
        }
        self.start = next;
        self.at = next;
    }

    /// Moves to `next`, the start of the next piece (the end of the pending stretch if it
    /// follows it in the buffer), with `sep` written between when it does not.
    #[inline]
    fn join(&mut self, sep: char, next: usize) {
        // Every entry is written to the buffer after a separator, so the byte at `at` is `sep`.
        if next == self.at + 1 {
            self.at = next;
        } else {
            self.flush_to(next);
            self.out.push(sep);
        }
    }

    /// `buf[at..end]`, copied as it is.
    #[inline]
    fn literal(&mut self, end: usize) {
        self.at = end;
    }

    /// `buf[at..end]`, RFC 3986 encoded ([`encode_rfc3986`]): its literal runs join the pending
    /// stretch, escapes are written in between.
    // Inlined into the encoding loop: called for most parameters (every text value).
    #[inline(always)]
    fn encoded(&mut self, end: usize) {
        let b = self.buf.as_bytes();
        // Escapes stop only on character boundaries (a multi-byte character is escaped whole),
        // so every stretch copied is valid text.
        if let Some(i) = next_escape(b, self.at..end) {
            // From the first escape on, the rest of the piece is written byte by byte.
            self.at = i;
            self.flush_to(end);
            encode_dense(&b[i..end], self.out);
        } else {
            self.at = end;
        }
    }
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
    plain: bool,
}

/// An ordered list of `name=value` wire parameters held in one buffer.
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
    buf: String,
    entries: Vec<Entry>,
    /// The flattened key of the value being encoded and the `.` after it
    /// (`TunnelOptionsSpecification.2.`), while a nested value is: what its fields' keys start
    /// with, separator included, so that a key is written in two copies.
    prefix: String,
    prefix_plain: bool,
    /// Every parameter so far was pushed in signing order.
    in_order: bool,
    /// The list is expected to stay short (a query): its first room is smaller
    /// ([`ParamList::reserve_first`]).
    short: bool,
}

impl Default for ParamList {
    fn default() -> Self {
        Self {
            buf: String::new(),
            entries: Vec::new(),
            prefix: String::new(),
            prefix_plain: true,
            in_order: true,
            short: false,
        }
    }
}

/// Lists are equal when they hold the same parameters in the same order (how they were pushed
/// does not matter).
impl PartialEq for ParamList {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
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

impl ParamList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty list with room for `params` parameters of `bytes` bytes in all.
    pub fn with_capacity(params: usize, bytes: usize) -> Self {
        Self {
            buf: String::with_capacity(bytes),
            entries: Vec::with_capacity(params),
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
    /// buffers from nothing a few bytes at a time.
    #[inline]
    fn reserve_first(&mut self) {
        // A dual-tunnel body is 41 parameters in 2.6 KB: regrowing to that from a few bytes
        // was 5 % of encoding a request, and growing it once more copies it again; a few
        // kilobytes are nothing to the allocator. A query is mostly a few short parameters
        // (the dual-tunnel one: 20 in 300 bytes): its room stays within the sizes the
        // allocator serves from its per-thread cache (1 KiB), much faster than larger ones.
        if self.entries.capacity() == 0 {
            self.entries.reserve(if self.short { 32 } else { 64 });
        }
        if self.buf.capacity() == 0 {
            self.buf.reserve(if self.short { 1024 } else { 4096 });
        }
    }

    /// Starts an entry: the `&` that joins it to the one before, then its key from the
    /// returned position.
    ///
    /// The buffer holds `key=value&key=value…`, separators included, though entries are read
    /// by their ranges only: a list in buffer order is then its own encoded form wherever
    /// nothing needs escaping, and [`ParamList::write_encoded`] copies long literal stretches,
    /// across entries, in one go.
    #[inline(always)]
    fn begin(&mut self) -> usize {
        self.reserve_first();
        if !self.buf.is_empty() {
            self.buf.push('&');
        }
        self.buf.len()
    }

    /// Ends the key of the entry being written (the `=` after it); returns where it ended.
    #[inline(always)]
    fn end_key(&mut self) -> usize {
        let k1 = self.buf.len();
        self.buf.push('=');
        k1
    }

    /// Ends an entry whose key started at `k0` and ended at `k1`, its value written after the
    /// `=` that follows.
    #[inline(always)]
    fn finish(&mut self, k0: usize, k1: usize, key_plain: bool, value_plain: bool) {
        let v1 = self.buf.len();
        self.entries.push(Entry {
            key_start: k0,
            key_end: k1,
            value_end: v1,
            key_plain,
            value_plain,
        });
    }

    /// Writes `key` and `value` into the buffer as the last entry.
    fn write_raw(&mut self, key: &str, value: &str, key_plain: bool) {
        let k0 = self.begin();
        self.buf.push_str(key);
        let k1 = self.end_key();
        self.buf.push_str(value);
        self.finish(k0, k1, key_plain, false);
    }

    /// Adds a parameter with an explicit key and value. The list no longer vouches for its
    /// order.
    pub fn push_raw(&mut self, key: &str, value: &str) {
        self.in_order = false;
        self.write_raw(key, value, false);
    }

    /// Adds a parameter with an explicit key and value where signing order puts it: a list in
    /// order stays in order.
    pub fn insert_raw(&mut self, key: &str, value: &str) {
        if !self.in_order {
            return self.push_raw(key, value);
        }
        self.write_raw(key, value, is_plain(key));
        let Some(entry) = self.entries.pop() else {
            return;
        };
        let buf = self.buf.as_bytes();
        let at = self
            .entries
            .partition_point(|e| buf[e.key()] <= *key.as_bytes());
        self.entries.insert(at, entry);
    }

    /// Writes the key of field `name` below the prefix into the buffer; returns its start.
    #[inline(always)]
    fn write_field_key(&mut self, name: &str) -> usize {
        let k0 = self.begin();
        // Empty, or ending with the `.` that joins it to the field's name.
        self.buf.push_str(&self.prefix);
        self.buf.push_str(name);
        k0
    }

    /// For generated code: adds field `name` (a wire name RFC 3986 leaves literal) of the value
    /// being encoded, in signing order.
    #[doc(hidden)]
    #[inline(always)]
    pub fn push_field<V: WireValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        self.push_named(name, self.prefix_plain, value);
    }

    /// For generated code: [`ParamList::push_field`] of a name with characters to escape.
    #[doc(hidden)]
    #[inline]
    pub fn push_field_escaped<V: WireValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        self.push_named(name, false, value);
    }

    #[inline(always)]
    fn push_named<V: WireValue + ?Sized>(&mut self, name: &str, key_plain: bool, value: &V) {
        let k0 = self.write_field_key(name);
        let k1 = self.end_key();
        value.write_wire(&mut self.buf);
        self.finish(k0, k1, key_plain, value.is_plain());
    }

    /// Adds the value being encoded itself (a list item, say), its key the prefix.
    #[inline]
    fn push_here_with(&mut self, value_plain: bool, write: impl FnOnce(&mut String)) {
        let k0 = self.begin();
        // Without the `.` that ends it.
        self.buf
            .push_str(&self.prefix[..self.prefix.len().saturating_sub(1)]);
        let k1 = self.end_key();
        write(&mut self.buf);
        self.finish(k0, k1, self.prefix_plain, value_plain);
    }

    /// Adds a segment below the current prefix, written by `segment`, and the `.` that joins it
    /// to the keys below it (the one place that writes it: keys and [`ParamList::push_here_with`]
    /// rely on it); returns the mark `leave` goes back to.
    #[inline]
    fn open(&mut self, segment: impl FnOnce(&mut String)) -> Mark {
        if self.prefix.capacity() == 0 {
            self.prefix.reserve(64);
        }
        let mark = Mark {
            len: self.prefix.len(),
            plain: self.prefix_plain,
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
        let mark = self.open(|p| p.push_str(name));
        // Names are checked once here, not in every key below them.
        self.prefix_plain = self.prefix_plain && is_plain(name);
        mark
    }

    /// [`ParamList::enter`] of a key known only at run time (a map key, a free-form object's
    /// key): escaped as needed, and the list no longer vouches for its order.
    pub fn enter_dynamic(&mut self, name: &str) -> Mark {
        self.in_order = false;
        let mark = self.open(|p| p.push_str(name));
        self.prefix_plain = self.prefix_plain && is_plain(name);
        mark
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
        self.prefix_plain = mark.plain;
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
        let mark = self.open(|p| p.push_str(name));
        self.prefix_plain = false;
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
    pub fn sort(&mut self) {
        if self.in_order {
            debug_assert!(self.is_sorted(), "pushed out of order: {self:?}");
            return;
        }
        if !self.is_sorted() {
            // As bytes: the same order as `str`'s, without its character-boundary checks.
            let buf = self.buf.as_bytes();
            self.entries.sort_by(|a, b| buf[a.key()].cmp(&buf[b.key()]));
        }
        self.in_order = true;
    }

    /// Whether the keys are in signing order.
    pub fn is_sorted(&self) -> bool {
        let buf = self.buf.as_bytes();
        self.entries
            .is_sorted_by(|a, b| buf[a.key()] <= buf[b.key()])
    }

    /// Removes the last parameter.
    fn pop(&mut self) {
        if let Some(e) = self.entries.pop() {
            // With the `&` written before it, if any.
            self.buf.truncate(e.key_start.saturating_sub(1));
        }
    }

    /// Removes every parameter named `key` (order kept).
    pub fn remove(&mut self, key: &str) {
        let buf = self.buf.as_bytes();
        self.entries.retain(|e| &buf[e.key()] != key.as_bytes());
    }

    /// The parameters in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.entries
            .iter()
            .map(|e| (&self.buf[e.key()], &self.buf[e.value()]))
    }

    /// The number of parameters.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value of the first parameter named `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// Appends `k=v&k=v…` with RFC 3986 encoding of names and values, in the current order.
    /// Sorted first, this is the canonical query string of ACS3 signing.
    pub fn write_encoded(&self, out: &mut String) {
        // What is copied unchanged is gathered into one stretch of the buffer as long as the
        // pieces follow each other there (keys, the `=` and `&` between them, literal runs of
        // values), then copied in one go: a list pushed in order is copied in a few pieces,
        // not three or more per parameter.
        let mut copy = Copier {
            buf: &self.buf,
            out,
            start: 0,
            at: 0,
        };
        for (i, e) in self.entries.iter().enumerate() {
            if i > 0 {
                copy.join('&', e.key_start);
            } else if e.key_start != 0 {
                copy.flush_to(e.key_start);
            }
            if e.key_plain {
                copy.literal(e.key_end);
            } else {
                copy.encoded(e.key_end);
            }
            // The value always follows its key and `=` in the buffer.
            copy.join('=', e.key_end + 1);
            if e.value_plain {
                copy.literal(e.value_end);
            } else {
                copy.encoded(e.value_end);
            }
        }
        copy.flush_to(0);
    }

    /// A guess at the length of [`ParamList::write_encoded`]'s output: the text with its
    /// separators, and half again for escapes. Room enough for most lists, found without a
    /// scan.
    pub(crate) fn encoded_len_hint(&self) -> usize {
        self.buf.len() + self.buf.len() / 2 + 2
    }

    /// The RFC 3986 encoding of the list, as a new string.
    pub fn encoded(&self) -> String {
        let mut s = String::with_capacity(self.encoded_len_hint());
        self.write_encoded(&mut s);
        s
    }

    /// The parameters as owned pairs (for tests and tools).
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        self.iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
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
}

impl WireValue for String {
    #[inline]
    fn write_wire(&self, out: &mut String) {
        out.push_str(self);
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
        out.push_here_with(self.is_plain(), |buf| self.write_wire(buf));
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
    // Serialised straight into the list's buffer, no intermediate string: the buffer is
    // lent to serde_json as bytes and taken back as text (one UTF-8 check, which serde_json's
    // output always passes).
    let mut ok = true;
    out.push_here_with(false, |buf| {
        let start = buf.len();
        let mut bytes = std::mem::take(buf).into_bytes();
        ok = serde_json::to_writer(&mut bytes, value).is_ok();
        if !ok {
            bytes.truncate(start);
        }
        *buf = String::from_utf8(bytes).unwrap_or_else(|e| {
            ok = false;
            let mut bytes = e.into_bytes();
            bytes.truncate(start);
            // The part before `start` was text already.
            String::from_utf8(bytes).unwrap_or_default()
        });
    });
    if !ok {
        out.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(out.get("J"), Some(r#"{"k":"a\"é\n"}"#));
    }

    /// The encoded form written parameter by parameter, as it is defined.
    fn encoded_one_by_one(list: &ParamList) -> String {
        let mut out = String::new();
        for (i, (k, v)) in list.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            encode_rfc3986(k, &mut out);
            out.push('=');
            encode_rfc3986(v, &mut out);
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
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
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
        let keys: Vec<_> = out.iter().map(|(k, _)| k.to_owned()).collect();
        assert_eq!(keys[0], "A.1");
        assert_eq!(keys[1], "A.10");
        assert_eq!(keys[2], "A.11");
        assert_eq!(keys[3], "A.2");
        assert!(out.is_sorted());
        assert_eq!(out.get("A.11"), Some("10"));
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
