//! What ROA-style (REST) operations need beyond RPC: path segments percent-encoded into the
//! path template, the JSON body (its members, or one value that is the whole body), whole-body
//! responses, and the error bodies ROA services answer with (JSON with keys in either case, or
//! XML under `<Error>`), whose request id may come in the `x-acs-request-id` header instead.
//!
//! Generated `ToWire` impls of ROA operations call [`push_segment`], [`JsonBody`] and
//! [`json_body`]; the client core sends [`crate::wire::WireRequest::path`] and
//! [`crate::wire::WireRequest::json`].

use serde::de::Deserializer;
use serde_json::Value;

use crate::wire::{encode_rfc3986, WireValue};

/// The header some ROA services carry the request id in.
pub const REQUEST_ID_HEADER: &str = "x-acs-request-id";

/// The content type of a JSON body.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// Appends `value` to `path` as one path segment: its wire text percent-encoded with only RFC
/// 3986's unreserved characters left as they are, so that `/` and `*` in a value become `%2F`
/// and `%2A` and the value cannot change the path's shape.
pub fn push_segment<V: WireValue + ?Sized>(path: &mut String, value: &V) {
    let mut text = String::new();
    value.write_wire(&mut text);
    encode_rfc3986(&text, path);
}

/// Appends a boolean query parameter as the official Python SDK writes one in ROA requests:
/// `True` or `False` (its captured requests send `retain_all_resources=False`).
pub fn push_query_bool(list: &mut crate::wire::ParamList, name: &'static str, value: bool) {
    list.push_field(name, if value { "True" } else { "False" });
}

/// The members of a JSON object body, collected from a request's `body` parameters.
#[derive(Debug, Default)]
pub struct JsonBody {
    members: serde_json::Map<String, Value>,
}

impl JsonBody {
    /// No members yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a member. A value whose `Serialize` fails (no generated type's does) is left out
    /// rather than sent half-written.
    pub fn member<T: serde::Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        if let Ok(v) = serde_json::to_value(value) {
            self.members.insert(key.to_owned(), v);
        }
    }

    /// The body: an object (`{}` when nothing is set) with the keys of every object sorted, at
    /// every level, as the official SDK writes them (its models list fields alphabetically).
    pub fn finish(self) -> Value {
        let mut v = Value::Object(self.members);
        v.sort_all_objects();
        v
    }
}

/// A value that is the whole body (a JSON array, say), keys sorted as [`JsonBody::finish`]
/// sorts them; `None` when its `Serialize` fails.
pub fn json_body<T: serde::Serialize + ?Sized>(value: &T) -> Option<Value> {
    let mut v = serde_json::to_value(value).ok()?;
    v.sort_all_objects();
    Some(v)
}

/// The bytes of a JSON body, compact, as they are hashed and sent.
pub fn body_bytes(json: &Value) -> Vec<u8> {
    // Writing a `Value` to memory cannot fail.
    serde_json::to_vec(json).unwrap_or_default()
}

/// Rewrites `%20` as `+` in `url` from `query_start` on (the query): ROA URLs write a space
/// so, as the official SDK sends them; the canonical query keeps `%20`. The encoded query
/// holds no literal `+` (it is `%2B`), and `%20` only stands for a space (a `%` is `%25`).
pub fn plus_for_space(url: &mut String, query_start: usize) {
    if url[query_start..].contains("%20") {
        let query = url[query_start..].replace("%20", "+");
        url.truncate(query_start);
        url.push_str(&query);
    }
}

/// Reads a response body that is one value (a JSON array at the top level, a string); no body
/// (JSON `null`, or nothing at all) is `None`.
pub fn whole_body<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(d)
}

/// The fields of an XML error body (`<Error><Code>…</Code><Message>…</Message>…</Error>`, as
/// ROA services answer with `content-type: text/xml`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct XmlError {
    /// `Code`.
    pub code: Option<String>,
    /// `Message`.
    pub message: Option<String>,
    /// `RequestId`.
    pub request_id: Option<String>,
    /// `HostId`.
    pub host_id: Option<String>,
    /// `Recommend`.
    pub recommend: Option<String>,
}

/// Parses an XML error body; `None` when it is not XML with an `<Error>` root. Elements are
/// matched by local name in either case (`Code`, `code`); unknown ones are skipped.
pub fn parse_xml_error(body: &[u8]) -> Option<XmlError> {
    use quick_xml::events::Event;
    let text = std::str::from_utf8(body)
        .ok()?
        .trim_start_matches('\u{feff}');
    let mut reader = quick_xml::Reader::from_str(text);
    let mut out = XmlError::default();
    let mut path: Vec<String> = Vec::new();
    let mut root_seen = false;
    // The text of the current child of `<Error>`: text and entity references come as
    // separate events.
    let mut text = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if path.is_empty() {
                    if !name.eq_ignore_ascii_case("error") {
                        return None;
                    }
                    root_seen = true;
                }
                path.push(name);
                text.clear();
            }
            Event::End(_) => {
                if path.len() == 2 {
                    let value = text.trim().to_owned();
                    let slot = match path[1].to_ascii_lowercase().as_str() {
                        "code" => Some(&mut out.code),
                        "message" => Some(&mut out.message),
                        "requestid" => Some(&mut out.request_id),
                        "hostid" => Some(&mut out.host_id),
                        "recommend" => Some(&mut out.recommend),
                        _ => None,
                    };
                    if let Some(slot) = slot.filter(|_| !value.is_empty()) {
                        *slot = Some(value);
                    }
                }
                path.pop();
            }
            Event::Text(t) if path.len() == 2 => text.push_str(&t.decode().ok()?),
            Event::CData(t) if path.len() == 2 => text.push_str(&String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) if path.len() == 2 => {
                if let Some(c) = r.resolve_char_ref().ok()? {
                    text.push(c);
                } else {
                    let name = r.decode().ok()?;
                    text.push_str(quick_xml::escape::resolve_predefined_entity(&name)?);
                }
            }
            Event::Eof if path.is_empty() => break,
            // Cut off inside an element.
            Event::Eof => return None,
            _ => {}
        }
    }
    root_seen.then_some(out)
}

/// The request id of the `x-acs-request-id` header, when there is one.
pub fn request_id_header(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_keep_only_unreserved_characters() {
        let mut p = String::from("/clusters/");
        push_segment(&mut p, "c82e****/x y~._-");
        assert_eq!(p, "/clusters/c82e%2A%2A%2A%2A%2Fx%20y~._-");
        let mut p = String::new();
        push_segment(&mut p, &42i64);
        push_segment(&mut p, &true);
        assert_eq!(p, "42true");
    }

    #[test]
    fn bodies_sort_keys_at_every_level() {
        let mut b = JsonBody::new();
        b.member("zeta", &1);
        b.member(
            "alpha",
            &serde_json::json!({"b": 1, "a": [{"d": 1, "c": 2}]}),
        );
        assert_eq!(
            serde_json::to_string(&b.finish()).unwrap(),
            r#"{"alpha":{"a":[{"c":2,"d":1}],"b":1},"zeta":1}"#
        );
        assert_eq!(JsonBody::new().finish(), serde_json::json!({}));
        assert_eq!(
            json_body(&vec![serde_json::json!({"y": 1, "x": 2})]),
            Some(serde_json::json!([{"x": 2, "y": 1}]))
        );
    }

    #[test]
    fn xml_errors() {
        let body = br#"<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <RequestId>B2C3-1</RequestId>
  <HostId>cs.aliyuncs.com</HostId>
  <Code>ErrorClusterNotFound</Code>
  <Message>cluster &lt;c-1&gt; not found</Message>
  <Other><Code>ignored</Code></Other>
</Error>"#;
        let e = parse_xml_error(body).expect("parses");
        assert_eq!(e.code.as_deref(), Some("ErrorClusterNotFound"));
        assert_eq!(e.message.as_deref(), Some("cluster <c-1> not found"));
        assert_eq!(e.request_id.as_deref(), Some("B2C3-1"));
        assert_eq!(e.host_id.as_deref(), Some("cs.aliyuncs.com"));
        let lower = b"<error><code>X</code><message>a &#38; b &#x3C;</message></error>";
        assert_eq!(
            parse_xml_error(lower).and_then(|e| e.message),
            Some("a & b <".to_owned())
        );
        assert_eq!(
            parse_xml_error(lower).and_then(|e| e.code),
            Some("X".to_owned())
        );
        for bad in [&b"{}"[..], b"<Other/>", b"<Error><Code>x", b"", b"\xff"] {
            assert_eq!(parse_xml_error(bad).and_then(|e| e.code), None, "{bad:?}");
        }
    }

    #[test]
    fn request_id_headers() {
        let mut h = http::HeaderMap::new();
        assert_eq!(request_id_header(&h), None);
        h.insert(REQUEST_ID_HEADER, http::HeaderValue::from_static(" ABC "));
        assert_eq!(request_id_header(&h).as_deref(), Some("ABC"));
    }
}
