//! Server-side decoding of wire parameters back into typed requests, for emulators and tests.
//!
//! The generated crate describes each operation's parameters (name and wire style) in a table;
//! [`decode_request`] turns the query and body pairs into one JSON object by that table —
//! scalars as strings, `json` parameters parsed, flattened `Name.1.Field` keys nested again,
//! joined lists split — and the request's own serde implementation (with its lenient scalar
//! readers: `True`, `"3"`) does the rest. There is no second, hand-written copy of each
//! operation's decoding.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

/// How one parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WireStyle {
    /// One scalar parameter.
    Plain,
    /// One parameter holding JSON.
    Json,
    /// Flattened `Name.1.Field` keys.
    Flat,
    /// One parameter holding items joined by this separator.
    Joined(char),
}

/// One parameter of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WireParam {
    /// Wire name.
    pub name: &'static str,
    /// Style.
    pub style: WireStyle,
}

impl WireParam {
    /// A parameter sent as one plain value, the usual kind (generated as one short call).
    pub const fn plain(name: &'static str) -> Self {
        WireParam {
            name,
            style: WireStyle::Plain,
        }
    }

    /// A parameter of another style.
    pub const fn new(name: &'static str, style: WireStyle) -> Self {
        WireParam { name, style }
    }
}

/// Requests that can be decoded from wire parameters (generated behind the `decode` feature).
pub trait WireDecode: serde::de::DeserializeOwned {
    /// The operation's parameters.
    const PARAMS: &'static [WireParam];
}

/// Why wire parameters could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// The parameter (validation-style path, e.g. `TunnelOptionsSpecification[0].EnableDpd`).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for DecodeError {}

/// Reads wire parameters (query and body pairs, percent-decoded) back into a checked request.
pub type DecodeFn = fn(&[(String, String)]) -> Result<Checked, DecodeError>;

/// Reads a ROA request back into a checked request: its path and query parameters as pairs
/// (percent-decoded), and the members of its JSON body by wire name (the whole body under its
/// parameter's name when the body is not an object of members).
pub type DecodeJsonFn = fn(&[(String, String)], Map<String, Value>) -> Result<Checked, DecodeError>;

/// One operation as a server sees it (generated behind the `decode` feature, one per
/// operation, listed in the crate's `operation::OPERATIONS`): what it is, how to read its
/// request back, and a well-formed answer to start from. Emulators route on it without a
/// hand-written arm per operation.
#[derive(Clone, Copy)]
pub struct ServedOperation {
    /// Product, version, action, method, documented errors.
    pub meta: &'static crate::meta::OperationMeta,
    /// Decodes wire parameters into the typed request and validates it ([`decode_checked`]).
    pub decode: DecodeFn,
    /// A success body synthesised from the response model: every field present, with the
    /// spec's example when it has one of the right type, else a value of the field's type (an
    /// enum's first value); lists hold one item. JSON, keyed by wire names; for an operation
    /// whose answer is one value (a ROA array or string) that value itself.
    pub response_example: &'static str,
    /// ROA: the path template, e.g. `/clusters/{ClusterId}` ([`match_path`]); `None` for RPC,
    /// whose requests all go to `/`.
    pub path: Option<&'static str>,
    /// ROA: the parameter that is the whole JSON body (an array, say), if the operation has
    /// one; otherwise the body's members are parameters of their own.
    pub whole_body: Option<&'static str>,
    /// ROA: decodes path and query pairs with the JSON body's members, then validates
    /// ([`decode_checked_json`]).
    pub decode_json: DecodeJsonFn,
}

impl fmt::Debug for ServedOperation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServedOperation")
            .field("product", &self.meta.product)
            .field("version", &self.meta.version)
            .field("action", &self.meta.action)
            .finish_non_exhaustive()
    }
}

/// A request read back from the wire: as JSON keyed by wire names (what the typed request
/// serialises to), and what its generated `validate()` found.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The typed request, serialised (wire names, nested objects and lists).
    pub request: Value,
    /// The violations of the spec's constraints and rules, if any.
    pub violations: Result<(), crate::validate::Violations>,
}

/// [`decode_request`] into `T`, then `T`'s validation; for [`ServedOperation::decode`].
pub fn decode_checked<T>(params: &[(String, String)]) -> Result<Checked, DecodeError>
where
    T: WireDecode + serde::Serialize + crate::validate::Validate,
{
    let typed: T = decode_request(params)?;
    let request = serde_json::to_value(&typed).map_err(|e| DecodeError {
        path: String::new(),
        message: format!("does not serialise back ({e})"),
    })?;
    Ok(Checked {
        request,
        violations: crate::client::validate_request(&typed),
    })
}

/// [`decode_request_json`] into `T`, then `T`'s validation; for
/// [`ServedOperation::decode_json`].
pub fn decode_checked_json<T>(
    params: &[(String, String)],
    members: Map<String, Value>,
) -> Result<Checked, DecodeError>
where
    T: WireDecode + serde::Serialize + crate::validate::Validate,
{
    let typed: T = decode_request_json(params, members)?;
    let request = serde_json::to_value(&typed).map_err(|e| DecodeError {
        path: String::new(),
        message: format!("does not serialise back ({e})"),
    })?;
    Ok(Checked {
        request,
        violations: crate::client::validate_request(&typed),
    })
}

/// The parameters of a ROA path: `path` (as received, percent-encoded) matched against
/// `template` segment by segment, each `{Name}` segment giving `(Name, decoded value)`;
/// `None` when they do not match. Query strings are not part of either.
pub fn match_path(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let mut t = template.trim_end_matches('/').split('/');
    let mut p = path.trim_end_matches('/').split('/');
    let mut out = Vec::new();
    loop {
        match (t.next(), p.next()) {
            (None, None) => return Some(out),
            (Some(ts), Some(ps)) => {
                if let Some(name) = ts.strip_prefix('{').and_then(|n| n.strip_suffix('}')) {
                    if ps.is_empty() {
                        return None;
                    }
                    // A path segment is percent-encoded; `+` is itself there, not a space.
                    let value = percent_encoding::percent_decode_str(ps)
                        .decode_utf8_lossy()
                        .into_owned();
                    out.push((name.to_owned(), value));
                } else if ts != ps {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

/// A flattened key's segments: names, and 1-based indexes.
enum Seg<'a> {
    Name(&'a str),
    Index(usize),
}

fn segments(rest: &str) -> Vec<Seg<'_>> {
    rest.split('.')
        .map(|s| match s.parse::<usize>() {
            Ok(i) if i >= 1 && !s.starts_with('+') => Seg::Index(i),
            _ => Seg::Name(s),
        })
        .collect()
}

/// The most items a gap-filled list grows to: a request numbering an item `Tag.1000000000`
/// must not make the decoder allocate a billion empty objects (past it, gaps are closed).
const MAX_GAP_FILL: usize = 10_000;

/// A tree being rebuilt from flattened keys: indexes are kept in a map until the end so that
/// `.10` sorts after `.9` and gaps are tolerated.
#[derive(Debug)]
enum Node {
    Leaf(String),
    Object(BTreeMap<String, Node>),
    List(BTreeMap<usize, Node>),
}

impl Node {
    fn insert(&mut self, segs: &[Seg<'_>], value: &str) -> Result<(), String> {
        let Some((first, rest)) = segs.split_first() else {
            return match self {
                Node::Leaf(v) => {
                    *v = value.to_owned();
                    Ok(())
                }
                _ => Err("is given both as a value and as a structure".into()),
            };
        };
        let fresh = |rest: &[Seg<'_>]| match rest.first() {
            None => Node::Leaf(String::new()),
            Some(Seg::Name(_)) => Node::Object(BTreeMap::new()),
            Some(Seg::Index(_)) => Node::List(BTreeMap::new()),
        };
        match (self, first) {
            (Node::Object(m), Seg::Name(n)) => m
                .entry((*n).to_owned())
                .or_insert_with(|| fresh(rest))
                .insert(rest, value),
            (Node::List(m), Seg::Index(i)) => m
                .entry(*i)
                .or_insert_with(|| fresh(rest))
                .insert(rest, value),
            (Node::List(_), Seg::Name(n)) => Err(format!("expects an item number, got `{n}`")),
            (Node::Object(_), Seg::Index(i)) => Err(format!("expects a field name, got `{i}`")),
            (Node::Leaf(_), _) => Err("is given both as a value and as a structure".into()),
        }
    }

    fn into_value(self) -> Value {
        match self {
            Node::Leaf(s) => Value::String(s),
            Node::Object(m) => {
                Value::Object(m.into_iter().map(|(k, v)| (k, v.into_value())).collect())
            }
            Node::List(m) => {
                // A gap in the numbering (`Tag.1`, `Tag.3`) is an item that encoded to nothing,
                // as the encoder and the SDKs number by position: a list of objects gets an
                // empty object there, so that encoding the decoded request numbers as the
                // sender did. Scalars cannot encode to nothing; their gaps are closed.
                let objects = m.values().all(|n| matches!(n, Node::Object(_)));
                let mut out = Vec::with_capacity(m.len());
                let mut next = 1;
                for (i, n) in m {
                    if objects {
                        // At most as many as the sender's items: the index is its own.
                        while next < i && out.len() < MAX_GAP_FILL {
                            out.push(Value::Object(Map::new()));
                            next += 1;
                        }
                    }
                    out.push(n.into_value());
                    next = i + 1;
                }
                Value::Array(out)
            }
        }
    }
}

/// Decodes `params` (query and body pairs together, already percent-decoded) into `T`.
/// Parameters not in `T::PARAMS` are ignored, as the service ignores them.
pub fn decode_request<T: WireDecode>(params: &[(String, String)]) -> Result<T, DecodeError> {
    decode_request_json(params, Map::new())
}

/// As [`decode_request`], with a ROA request's JSON body members (by wire name) taken as
/// they are: a member's JSON is the parameter's value, as the client's body writer put it.
/// Members that are no parameter of `T` are ignored.
pub fn decode_request_json<T: WireDecode>(
    params: &[(String, String)],
    members: Map<String, Value>,
) -> Result<T, DecodeError> {
    let mut obj = Map::new();
    for (k, v) in members {
        if T::PARAMS.iter().any(|p| p.name == k) {
            obj.insert(k, v);
        }
    }
    for p in T::PARAMS {
        match p.style {
            WireStyle::Plain => {
                if let Some((_, v)) = params.iter().find(|(k, _)| k == p.name) {
                    obj.insert(p.name.to_owned(), Value::String(v.clone()));
                }
            }
            WireStyle::Json => {
                if let Some((_, v)) = params.iter().find(|(k, _)| k == p.name) {
                    let parsed: Value = serde_json::from_str(v).map_err(|e| DecodeError {
                        path: p.name.to_owned(),
                        message: format!("is not valid JSON ({e})"),
                    })?;
                    obj.insert(p.name.to_owned(), parsed);
                }
            }
            WireStyle::Joined(sep) => {
                if let Some((_, v)) = params.iter().find(|(k, _)| k == p.name) {
                    let items = if v.is_empty() {
                        Vec::new()
                    } else {
                        v.split(sep).map(|s| Value::String(s.to_owned())).collect()
                    };
                    obj.insert(p.name.to_owned(), Value::Array(items));
                }
            }
            WireStyle::Flat => {
                let prefix = format!("{}.", p.name);
                let mut root: Option<Node> = None;
                for (k, v) in params {
                    let Some(rest) = k.strip_prefix(&prefix) else {
                        continue;
                    };
                    let segs = segments(rest);
                    let node = root.get_or_insert_with(|| match segs.first() {
                        Some(Seg::Index(_)) => Node::List(BTreeMap::new()),
                        _ => Node::Object(BTreeMap::new()),
                    });
                    node.insert(&segs, v).map_err(|m| DecodeError {
                        path: k.clone(),
                        message: m,
                    })?;
                }
                if let Some(node) = root {
                    obj.insert(p.name.to_owned(), node.into_value());
                }
            }
        }
    }
    let value = Value::Object(obj);
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().iter().fold(String::new(), |mut acc, seg| {
            match seg {
                serde_path_to_error::Segment::Seq { index } => acc.push_str(&format!("[{index}]")),
                serde_path_to_error::Segment::Map { key } => {
                    if !acc.is_empty() {
                        acc.push('.');
                    }
                    acc.push_str(key);
                }
                other => {
                    if !acc.is_empty() {
                        acc.push('.');
                    }
                    acc.push_str(&other.to_string());
                }
            }
            acc
        });
        // serde's message may quote the value; it is the caller's own input, but a value can
        // be a secret, so only the kind of problem is kept.
        let message = redact_serde_message(&e.inner().to_string());
        DecodeError { path, message }
    })
}

/// serde's "invalid type: string \"…\", expected …" and "invalid value: …" quote the value,
/// which can be a secret: keep the kind of problem and what was expected, drop the value.
fn redact_serde_message(message: &str) -> String {
    for kind in ["invalid type", "invalid value", "invalid length"] {
        if message.starts_with(kind) {
            return match message.rsplit_once(", expected ") {
                Some((_, expected)) => format!("{kind}, expected {expected}"),
                None => kind.to_owned(),
            };
        }
    }
    message.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Item {
        #[serde(rename = "Flag", default, with = "crate::de::opt_bool")]
        flag: Option<bool>,
        #[serde(rename = "N", default, with = "crate::de::opt_i64")]
        n: Option<i64>,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Req {
        #[serde(rename = "Name", default)]
        name: Option<String>,
        #[serde(rename = "On", default, with = "crate::de::opt_bool")]
        on: Option<bool>,
        #[serde(rename = "Items", default)]
        items: Option<Vec<Item>>,
        #[serde(rename = "Cfg", default)]
        cfg: Option<serde_json::Value>,
        #[serde(rename = "Ids", default)]
        ids: Option<Vec<String>>,
    }

    impl WireDecode for Req {
        const PARAMS: &'static [WireParam] = &[
            WireParam {
                name: "Name",
                style: WireStyle::Plain,
            },
            WireParam {
                name: "On",
                style: WireStyle::Plain,
            },
            WireParam {
                name: "Items",
                style: WireStyle::Flat,
            },
            WireParam {
                name: "Cfg",
                style: WireStyle::Json,
            },
            WireParam {
                name: "Ids",
                style: WireStyle::Joined(','),
            },
        ];
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn rebuilds_nested_values() {
        let r: Req = decode_request(&pairs(&[
            ("Name", "x"),
            ("On", "True"),
            ("Items.2.N", "7"),
            ("Items.1.Flag", "FALSE"),
            ("Items.10.N", "10"),
            ("Cfg", r#"{"a":1}"#),
            ("Ids", "a,b"),
            ("Ignored", "1"),
        ]))
        .unwrap();
        assert_eq!(r.name.as_deref(), Some("x"));
        assert_eq!(r.on, Some(true));
        // Items keep their numbers: the gap from 3 to 9 is items that encoded to nothing.
        let items = r.items.unwrap();
        assert_eq!(items.len(), 10);
        assert_eq!(items[0].flag, Some(false));
        assert_eq!(items[1].n, Some(7));
        assert!(items[2..9]
            .iter()
            .all(|i| i.n.is_none() && i.flag.is_none()));
        assert_eq!(items[9].n, Some(10));
        assert_eq!(r.cfg, Some(serde_json::json!({"a": 1})));
        assert_eq!(r.ids, Some(vec!["a".to_owned(), "b".to_owned()]));
        // A huge number does not allocate a huge list.
        let r: Req = decode_request(&pairs(&[("Items.1000000000.N", "1")])).unwrap();
        assert!(r.items.unwrap().len() <= MAX_GAP_FILL + 1);
    }

    #[test]
    fn errors_name_the_parameter() {
        let e = decode_request::<Req>(&pairs(&[("On", "maybe")])).unwrap_err();
        assert_eq!(e.path, "On");
        assert!(!e.message.contains("maybe"), "{e}");
        let e = decode_request::<Req>(&pairs(&[("Items.1.N", "x")])).unwrap_err();
        assert_eq!(e.path, "Items[0].N");
        let e = decode_request::<Req>(&pairs(&[("Items.1.N", "secret-ish")])).unwrap_err();
        assert!(!e.message.contains("secret-ish"), "{e}");
        assert!(e.message.contains("expected"), "{e}");
        let e = decode_request::<Req>(&pairs(&[("Items.1", "my-psk")])).unwrap_err();
        assert!(!e.to_string().contains("my-psk"), "{e}");
        let e = decode_request::<Req>(&pairs(&[("Cfg", "{")])).unwrap_err();
        assert_eq!(e.path, "Cfg");
        let e = decode_request::<Req>(&pairs(&[("Items.1", "v"), ("Items.1.N", "2")])).unwrap_err();
        assert!(e.message.contains("both"), "{e}");
    }

    #[test]
    fn json_members_are_taken_as_they_are() {
        let members = serde_json::json!({"On": true, "Cfg": {"a": [1]}, "Other": 1});
        let Value::Object(members) = members else {
            unreachable!()
        };
        let r: Req = decode_request_json(&pairs(&[("Name", "x")]), members).unwrap();
        assert_eq!(r.name.as_deref(), Some("x"));
        assert_eq!(r.on, Some(true));
        assert_eq!(r.cfg, Some(serde_json::json!({"a": [1]})));
        let bad = serde_json::json!({"On": [1]});
        let Value::Object(bad) = bad else {
            unreachable!()
        };
        let e = decode_request_json::<Req>(&[], bad).unwrap_err();
        assert_eq!(e.path, "On");
    }

    #[test]
    fn paths_match_their_templates() {
        let t = "/clusters/{ClusterId}/nodepools/{NodepoolId}";
        assert_eq!(
            match_path(t, "/clusters/c%2A1/nodepools/np+1"),
            Some(vec![
                ("ClusterId".to_owned(), "c*1".to_owned()),
                ("NodepoolId".to_owned(), "np+1".to_owned())
            ])
        );
        assert_eq!(match_path(t, "/clusters/c1/nodepools"), None);
        assert_eq!(match_path(t, "/clusters//nodepools/n"), None);
        assert_eq!(match_path(t, "/clusters/c1/other/n"), None);
        assert_eq!(match_path("/clusters", "/clusters/"), Some(Vec::new()));
    }
}
