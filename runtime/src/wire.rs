//! Wire parameters: the flattened `name=value` pairs of a request, and how values get there.
//!
//! RPC-style APIs take every parameter as a string, either in the URL query or in an
//! `application/x-www-form-urlencoded` body. Nested values are flattened (`Name.1.Field`,
//! 1-based indexes), joined (`a,b`), or serialised to one compact JSON string, as each
//! parameter's wire style says.
//!
//! [`ParamList`] keeps all keys and values in one string buffer with an index beside it, so
//! encoding a request costs a handful of allocations however many parameters it has.

use std::fmt::{self, Write as _};
use std::ops::Range;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

use crate::path::Path;

/// Characters left literal by RFC 3986 encoding: `A-Z a-z 0-9 - _ . ~`.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Appends `s` percent-encoded as Alibaba Cloud's signature requires (RFC 3986: upper-case
/// hex, `%20` for space, `~` literal).
pub fn encode_rfc3986(s: &str, out: &mut String) {
    for part in percent_encoding::utf8_percent_encode(s, RFC3986) {
        out.push_str(part);
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
    key: Range<usize>,
    value: Range<usize>,
}

/// An ordered list of `name=value` wire parameters held in one buffer.
///
/// Its `Debug` output shows parameter names only: values can hold secrets (a pre-shared key
/// travels inside the `IkeConfig` query parameter).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ParamList {
    buf: String,
    entries: Vec<Entry>,
}

impl fmt::Debug for ParamList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter().map(|(k, _)| k)).finish()
    }
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
        }
    }

    /// Adds a parameter whose key is the wire form of `path` and whose value `write` appends.
    pub fn push_with(&mut self, path: &Path<'_>, write: impl FnOnce(&mut String)) {
        let k0 = self.buf.len();
        path.write_wire_key(&mut self.buf);
        let k1 = self.buf.len();
        write(&mut self.buf);
        let v1 = self.buf.len();
        self.entries.push(Entry {
            key: k0..k1,
            value: k1..v1,
        });
    }

    /// Adds a parameter with an explicit key and value.
    pub fn push_raw(&mut self, key: &str, value: &str) {
        let k0 = self.buf.len();
        self.buf.push_str(key);
        let k1 = self.buf.len();
        self.buf.push_str(value);
        let v1 = self.buf.len();
        self.entries.push(Entry {
            key: k0..k1,
            value: k1..v1,
        });
    }

    /// Adds a scalar parameter.
    pub fn push<V: WireValue + ?Sized>(&mut self, path: &Path<'_>, value: &V) {
        self.push_with(path, |buf| value.write_wire(buf));
    }

    /// Sorts the parameters by key, byte-wise (`A.10` before `A.2`), as signing requires.
    pub fn sort(&mut self) {
        let buf = &self.buf;
        self.entries
            .sort_by(|a, b| buf[a.key.clone()].cmp(&buf[b.key.clone()]));
    }

    /// The parameters in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.entries
            .iter()
            .map(|e| (&self.buf[e.key.clone()], &self.buf[e.value.clone()]))
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
        for (i, (k, v)) in self.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            encode_rfc3986(k, out);
            out.push('=');
            encode_rfc3986(v, out);
        }
    }

    /// The RFC 3986 encoding of the list, as a new string.
    pub fn encoded(&self) -> String {
        let mut s = String::with_capacity(self.buf.len() + self.buf.len() / 2 + self.len());
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

/// The wire parameters of one request: query and form body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WireRequest {
    /// Parameters sent in the URL query.
    pub query: ParamList,
    /// Parameters sent in the form body.
    pub body: ParamList,
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
}

impl WireValue for str {
    fn write_wire(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl WireValue for String {
    fn write_wire(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl WireValue for bool {
    fn write_wire(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

macro_rules! display_wire {
    ($($t:ty),*) => {$(
        impl WireValue for $t {
            fn write_wire(&self, out: &mut String) {
                let _ = write!(out, "{}", self);
            }
        }
    )*};
}
display_wire!(i32, i64, u32, u64, f32, f64);

/// A value that can be flattened into `Name.1.Field` parameters.
pub trait FlatEncode {
    /// Appends the parameters of `self` at `path`.
    fn encode_flat(&self, path: &Path<'_>, out: &mut ParamList);
}

impl<T: WireValue> FlatEncode for T {
    fn encode_flat(&self, path: &Path<'_>, out: &mut ParamList) {
        out.push(path, self);
    }
}

impl<T: FlatEncode> FlatEncode for Option<T> {
    fn encode_flat(&self, path: &Path<'_>, out: &mut ParamList) {
        if let Some(v) = self {
            v.encode_flat(path, out);
        }
    }
}

impl<T: FlatEncode> FlatEncode for Vec<T> {
    fn encode_flat(&self, path: &Path<'_>, out: &mut ParamList) {
        for (i, item) in self.iter().enumerate() {
            item.encode_flat(&path.index(i), out);
        }
    }
}

impl<T: FlatEncode> FlatEncode for std::collections::BTreeMap<String, T> {
    fn encode_flat(&self, path: &Path<'_>, out: &mut ParamList) {
        for (k, v) in self {
            v.encode_flat(&path.field(k), out);
        }
    }
}

impl FlatEncode for serde_json::Value {
    /// Free-form values flatten like everything else: objects by key, arrays 1-based, scalars
    /// as text (strings verbatim, JSON otherwise); null is left out.
    fn encode_flat(&self, path: &Path<'_>, out: &mut ParamList) {
        match self {
            serde_json::Value::Null => {}
            serde_json::Value::String(s) => out.push(path, s.as_str()),
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    item.encode_flat(&path.index(i), out);
                }
            }
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    v.encode_flat(&path.field(k), out);
                }
            }
            other => out.push_with(path, |buf| {
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
/// `spaceDelimited`, `pipeDelimited`).
pub fn encode_joined<T: WireValue>(list: &[T], sep: char, path: &Path<'_>, out: &mut ParamList) {
    out.push_with(path, |buf| {
        for (i, item) in list.iter().enumerate() {
            if i > 0 {
                buf.push(sep);
            }
            item.write_wire(buf);
        }
    });
}

/// Appends one parameter holding `value` as compact JSON (wire style `json`).
///
/// Serialising the generated types cannot fail (string keys, no custom serialisers that
/// error); should a hand-written `Serialize` fail, the parameter is left out rather than sent
/// half-written.
pub fn encode_json<T: serde::Serialize + ?Sized>(value: &T, path: &Path<'_>, out: &mut ParamList) {
    if let Ok(json) = serde_json::to_string(value) {
        out.push_with(path, |buf| buf.push_str(&json));
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
    fn flattening_is_one_based_and_sorted_bytewise() {
        let mut out = ParamList::new();
        let root = Path::ROOT;
        let list: Vec<i64> = (0..11).collect();
        list.encode_flat(&root.field("A"), &mut out);
        out.sort();
        let keys: Vec<_> = out.iter().map(|(k, _)| k.to_owned()).collect();
        assert_eq!(keys[0], "A.1");
        assert_eq!(keys[1], "A.10");
        assert_eq!(keys[2], "A.11");
        assert_eq!(keys[3], "A.2");
        assert_eq!(out.get("A.11"), Some("10"));
        out.push_raw("Psk", "hunter2-secret");
        let debug = format!("{out:?}");
        assert!(debug.contains("\"Psk\""), "{debug}");
        assert!(!debug.contains("hunter2"), "{debug}");
    }

    #[test]
    fn joined_and_json_styles() {
        let mut out = ParamList::new();
        let root = Path::ROOT;
        encode_joined(
            &["a".to_owned(), "b c".to_owned()],
            ',',
            &root.field("L"),
            &mut out,
        );
        encode_json(&serde_json::json!({"k": "v"}), &root.field("J"), &mut out);
        out.push(&root.field("B"), &false);
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
