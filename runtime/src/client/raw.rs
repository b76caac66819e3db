//! [`RawCall`]: a call of an action the generated crate does not have (newer than the crate,
//! or left out of the spec), with parameters given by name, through the same signing, retries,
//! error decoding and per-call options as a generated operation.

use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::marker::PhantomData;
use std::sync::{Mutex, OnceLock};

use serde::de::DeserializeOwned;

use super::call::send_wire;
use super::core::ClientCore;
use super::options::CallOptions;
use super::request::finish_wire;
use super::response::Response;
use crate::error::{ErrorCode, SdkError, ServiceError};
use crate::meta::OperationMeta;
use crate::validate::{Rule, Shown, Validator, Violations};
use crate::wire::{FlatEncode, ParamList, WireRequest};

/// A call of an action by name: what a generated crate's `Client::raw("Action")` returns.
///
/// The product, its endpoint rule and its API version come from the crate (the version can be
/// changed with [`RawCall::version`]); parameters are given by wire name, or as any
/// serialisable value flattened as the RPC style flattens structures (`Tag.1.Key`). The answer
/// decodes into any `T: DeserializeOwned`, or a [`serde_json::Value`]; a service error is a
/// [`ServiceError`] of the product's error codes, as for a generated operation.
///
/// For a ROA-style (REST) product, [`RawCall::method`], [`RawCall::path`] and
/// [`RawCall::path_param`] give the operation's method and path, and [`RawCall::json_body`] or
/// [`RawCall::body_param`] its JSON body; the parameters go into the query.
///
/// There is no client-side validation (the crate knows nothing of the action), and no
/// idempotency token is filled in: set `ClientToken` yourself where the action takes one, so
/// that a retried attempt is not applied twice.
///
/// Each distinct action and version called this way is recorded once, for the life of the
/// process, in the form every call shares (a few dozen bytes each).
///
/// ```
/// # use alicloud_runtime::{ClientCore, Config, Credentials, OperationMeta};
/// # use alicloud_runtime::client::RawCall;
/// # use alicloud_runtime::transport::InMemoryTransport;
/// # #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)] enum Code {}
/// # impl alicloud_runtime::ErrorCode for Code {
/// #     fn from_code(_: &str) -> Option<Self> { None }
/// #     fn as_str(self) -> &'static str { match self {} }
/// # }
/// # static PRODUCT: OperationMeta = OperationMeta { product: "Vpc", version: "2016-04-28",
/// #     action: "", endpoint_pattern: "vpc.{region_id}.aliyuncs.com", method: "POST",
/// #     endpoints: &[], idempotency_token: None, anonymous: false, errors: &[] };
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// # let transport = InMemoryTransport::always(200, r#"{"RequestId":"r-1","TotalCount":0}"#);
/// # let core = ClientCore::new(Config::new(Credentials::new("id", "secret"), transport));
/// let answer: serde_json::Value = RawCall::<Code>::new(core, &PRODUCT, "DescribeVpcs")
///     .param("RegionId", "cn-hangzhou")
///     .params(&serde_json::json!({ "Tag": [{ "Key": "env", "Value": "prod" }] }))
///     .send_json()
///     .await?;
/// assert_eq!(answer["TotalCount"], 0);
/// # Ok(())
/// # }
/// ```
#[must_use = "a raw call does nothing until it is sent"]
pub struct RawCall<C> {
    core: ClientCore,
    template: &'static OperationMeta,
    action: String,
    version: Option<String>,
    method: &'static str,
    params: ParamList,
    in_body: bool,
    options: CallOptions,
    /// ROA: the path template (`/clusters/{ClusterId}`), filled from `path_params` at send.
    path: Option<String>,
    /// ROA: the values of the path template's `{Name}` placeholders.
    path_params: Vec<(String, String)>,
    /// ROA: the JSON body.
    json: Option<serde_json::Value>,
    /// Problems found while the parameters were given, reported by `send`.
    problems: Validator,
    code: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for RawCall<C> {
    /// The action and the parameter names; values may be secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawCall")
            .field("product", &self.template.product)
            .field("action", &self.action)
            .field("version", &self.called_version())
            .field("method", &self.method)
            .field(
                "params",
                &self.params.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("path", &self.path)
            .field(
                "path_params",
                &self.path_params.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("json_body", &self.json.is_some())
            .field("options", &self.options)
            .finish()
    }
}

impl<C> RawCall<C> {
    /// The API version called.
    fn called_version(&self) -> &str {
        self.version.as_deref().unwrap_or(self.template.version)
    }
}

impl<C: ErrorCode> RawCall<C> {
    /// A call of `action` of the product that `template` describes (its product code, version
    /// and endpoint rule; its action, method and errors are not used).
    pub fn new(
        core: ClientCore,
        template: &'static OperationMeta,
        action: impl Into<String>,
    ) -> Self {
        Self {
            core,
            template,
            action: action.into(),
            version: None,
            method: "POST",
            params: ParamList::new(),
            in_body: false,
            path: None,
            path_params: Vec::new(),
            json: None,
            options: CallOptions::default(),
            problems: Validator::new(),
            code: PhantomData,
        }
    }

    /// The API version to call (the crate's product version otherwise).
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// Sends the call as `GET` rather than `POST` (for the few actions that accept only `GET`).
    pub fn get(mut self) -> Self {
        self.method = "GET";
        self
    }

    /// Sends the call with the HTTP `method` (`GET`, `POST`, `PUT`, `DELETE`, `PATCH` or
    /// `HEAD`, any case): ROA-style (REST) operations name theirs. Any other method is reported
    /// by `send`.
    pub fn method(mut self, method: &str) -> Self {
        const METHODS: [&str; 6] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];
        match METHODS.iter().find(|m| m.eq_ignore_ascii_case(method)) {
            Some(m) => self.method = m,
            None => self.problems.report(
                "(method)".to_owned(),
                Rule::Pattern,
                format!("must be one of {}", METHODS.join(", ")),
                Shown::Value(&method),
                None,
            ),
        }
        self
    }

    /// Calls a ROA-style (REST) operation at `template`, its path as the API reference gives it
    /// (`/clusters/{ClusterId}`): each `{Name}` is replaced by the value given with
    /// [`RawCall::path_param`], percent-encoded so that it stays one segment (`/` becomes
    /// `%2F`); the rest of the template is sent as written, characters a URL path cannot hold
    /// percent-encoded. The encoded path is what the signature covers. Parameters given with
    /// [`RawCall::param`] and [`RawCall::params`] travel in the query; the body is JSON
    /// ([`RawCall::json_body`], [`RawCall::body_param`]). Without a path, the call is RPC-style
    /// (to `/`).
    pub fn path(mut self, template: &str) -> Self {
        self.path = Some(template.to_owned());
        self
    }

    /// The value of the placeholder `{name}` of the path template (see [`RawCall::path`]).
    pub fn path_param(mut self, name: &str, value: impl fmt::Display) -> Self {
        let mut text = String::new();
        let _ = write!(text, "{value}");
        self.path_params.push((name.to_owned(), text));
        self
    }

    /// The whole JSON body of a ROA-style call (an object or, for the operations whose body is
    /// one, an array), written compact with the keys of every object sorted, as the generated
    /// ROA operations write theirs; it replaces any body given before.
    pub fn json_body(mut self, value: &impl serde::Serialize) -> Self {
        match crate::roa::json_body(value) {
            Some(v) => self.json = Some(v),
            None => self.problems.report(
                "(body)".to_owned(),
                Rule::Pattern,
                "does not serialise to JSON".to_owned(),
                Shown::Nothing,
                None,
            ),
        }
        self
    }

    /// Sets the member `key` of the JSON object body of a ROA-style call to `value` (the
    /// body starts as `{}`; keys are the wire names, often snake_case in ROA products).
    pub fn body_param(mut self, key: &str, value: &impl serde::Serialize) -> Self {
        let member = match serde_json::to_value(value) {
            Ok(v) => v,
            Err(e) => {
                self.problems.report(
                    key.to_owned(),
                    Rule::Pattern,
                    format!("does not serialise to JSON ({e})"),
                    Shown::Nothing,
                    None,
                );
                return self;
            }
        };
        let body = self
            .json
            .get_or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
        match body {
            serde_json::Value::Object(members) => {
                members.insert(key.to_owned(), member);
            }
            other => {
                let kind = kind_of(other);
                self.problems.report(
                    key.to_owned(),
                    Rule::Pattern,
                    format!("cannot be a member of the body: it was set to {kind} by `json_body`"),
                    Shown::Nothing,
                    None,
                );
            }
        }
        self
    }

    /// Sends the parameters in a form body (`application/x-www-form-urlencoded`) rather than
    /// in the query: for long values.
    pub fn in_body(mut self) -> Self {
        self.in_body = true;
        self
    }

    /// Adds the parameter `key` (its wire name, flattened already if need be: `Tag.1.Key`)
    /// with `value` as text.
    pub fn param(mut self, key: &str, value: impl fmt::Display) -> Self {
        let mut text = String::new();
        let _ = write!(text, "{value}");
        self.params.push_raw(key, &text);
        self
    }

    /// Adds every field of `value` (which must serialise to an object, e.g. a
    /// `serde_json::json!({..})` or a struct of yours) as parameters, flattened as the RPC style
    /// flattens structures: nested objects by `.`, list items numbered from 1
    /// (`{"Tag": [{"Key": "a"}]}` is `Tag.1.Key=a`), scalars as text, nulls left out.
    pub fn params(mut self, value: &impl serde::Serialize) -> Self {
        match serde_json::to_value(value) {
            // At the top level, an object's keys are the parameters' names.
            Ok(object @ serde_json::Value::Object(_)) => object.encode_flat(&mut self.params),
            Ok(serde_json::Value::Null) => {}
            Ok(other) => self.problems.report(
                "(parameters)".to_owned(),
                Rule::Pattern,
                format!(
                    "must serialise to an object of parameters, not {}",
                    kind_of(&other)
                ),
                Shown::Nothing,
                None,
            ),
            Err(e) => self.problems.report(
                "(parameters)".to_owned(),
                Rule::Pattern,
                format!("do not serialise ({e})"),
                Shown::Nothing,
                None,
            ),
        }
        self
    }

    /// Adds the parameter `key` holding `value` as compact JSON (for parameters the API
    /// documents as JSON text).
    pub fn json_param(mut self, key: &str, value: &impl serde::Serialize) -> Self {
        let before = self.params.len();
        crate::wire::encode_json_dynamic(value, key, &mut self.params);
        if self.params.len() == before || self.params.get(key).as_deref() == Some("") {
            self.problems.report(
                key.to_owned(),
                Rule::Pattern,
                "does not serialise to JSON".to_owned(),
                Shown::Nothing,
                None,
            );
        }
        self
    }

    /// Per-call settings: deadline, retries, endpoint (validation does not apply: a raw call
    /// is not validated). Settings given here override those given earlier.
    pub fn with_options(mut self, options: CallOptions) -> Self {
        self.options = std::mem::take(&mut self.options).merge(options);
        self
    }

    /// Signs and sends the call and decodes the success body into `T`.
    pub async fn send<T: DeserializeOwned>(self) -> Result<T, SdkError<ServiceError<C>>> {
        self.send_inner(false).await.map(Response::into_body)
    }

    /// Signs and sends the call and returns the success body as JSON.
    pub async fn send_json(self) -> Result<serde_json::Value, SdkError<ServiceError<C>>> {
        self.send::<serde_json::Value>().await
    }

    /// As [`RawCall::send`], keeping the status, headers and request id of the answer.
    pub async fn send_with_metadata<T: DeserializeOwned>(
        self,
    ) -> Result<Response<T>, SdkError<ServiceError<C>>> {
        self.send_inner(true).await
    }

    /// The signed HTTP request this call would send as its first attempt, with the given
    /// credentials, `x-acs-date` and signature nonce (a call sends a fresh date and nonce on
    /// each attempt): for inspecting what goes on the wire, or sending it by other means.
    pub fn prepare_request(
        self,
        credentials: &crate::credentials::Credentials,
        date: &str,
        nonce: &str,
    ) -> Result<crate::transport::HttpRequest, SdkError<std::convert::Infallible>> {
        let core = self.core.clone();
        let (meta, wire) = self.into_wire().map_err(SdkError::Validation)?;
        core.prepare_wire(meta, wire, credentials, date, nonce)
    }

    async fn send_inner<T: DeserializeOwned>(
        self,
        with_request_id: bool,
    ) -> Result<Response<T>, SdkError<ServiceError<C>>> {
        let core = self.core.clone();
        let options = self.options.clone();
        let (meta, wire) = self.into_wire().map_err(SdkError::Validation)?;
        send_wire(&core, meta, &wire, &options, with_request_id).await
    }

    /// The call's description and its parameters ready for signing, or every problem found in
    /// what was given.
    fn into_wire(mut self) -> Result<(&'static OperationMeta, WireRequest), Violations> {
        let mut problems = std::mem::take(&mut self.problems);
        for (field, value) in [
            ("Action", self.action.as_str()),
            ("Version", self.called_version()),
        ] {
            if let Err(message) = check_name(value) {
                problems.report(
                    field.to_owned(),
                    Rule::Charset,
                    message,
                    Shown::Value(&value),
                    None,
                );
            }
        }
        let path = self
            .path
            .as_deref()
            .map(|template| fill_path(template, &self.path_params, &mut problems));
        if path.is_none() {
            if let Some((name, _)) = self.path_params.first() {
                problems.report(
                    name.clone(),
                    Rule::Pattern,
                    "is a path parameter, but the call has no path: give the path template with `.path(..)`".to_owned(),
                    Shown::Nothing,
                    None,
                );
            }
        }
        if self.json.is_some() && self.in_body {
            problems.report(
                "(body)".to_owned(),
                Rule::Pattern,
                "is both a JSON body and a form body (`in_body`): a call has one body".to_owned(),
                Shown::Nothing,
                None,
            );
        }
        problems.finish()?;
        let meta = meta_for(
            self.template,
            &self.action,
            self.called_version(),
            self.method,
        );
        let mut wire = WireRequest::default();
        if self.in_body {
            wire.body = self.params;
        } else {
            wire.query = self.params;
        }
        wire.path = path;
        // Keys sorted at every level once, whichever way the body was given.
        wire.json = self.json.map(|mut body| {
            body.sort_all_objects();
            body
        });
        finish_wire(meta, &mut wire);
        Ok((meta, wire))
    }
}

/// The path of `template` with its `{Name}` placeholders filled from `params`, each value
/// percent-encoded as one segment (only RFC 3986's unreserved characters kept) and the
/// template's own text kept but for characters a path cannot hold; what is wrong (an
/// unclosed brace, a placeholder without a value, a value for no placeholder) goes to
/// `problems`.
fn fill_path(template: &str, params: &[(String, String)], problems: &mut Validator) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut used = vec![false; params.len()];
    if !template.starts_with('/') {
        problems.report(
            "(path)".to_owned(),
            Rule::Pattern,
            "must start with `/`".to_owned(),
            Shown::Value(&template),
            None,
        );
    }
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        push_literal(&rest[..open], &mut out);
        let Some(len) = rest[open..].find('}') else {
            problems.report(
                "(path)".to_owned(),
                Rule::Pattern,
                "has a `{` without its `}`".to_owned(),
                Shown::Value(&template),
                None,
            );
            return out;
        };
        let name = &rest[open + 1..open + len];
        match params.iter().position(|(k, _)| k == name) {
            Some(i) => {
                used[i] = true;
                crate::wire::encode_rfc3986(&params[i].1, &mut out);
            }
            None => problems.report(
                format!("{{{name}}}"),
                Rule::Required,
                format!("is a placeholder of the path without a value: give it with `.path_param(\"{name}\", ..)`"),
                Shown::Nothing,
                None,
            ),
        }
        rest = &rest[open + len + 1..];
    }
    push_literal(rest, &mut out);
    for ((name, _), used) in params.iter().zip(used) {
        if !used {
            problems.report(
                name.clone(),
                Rule::Pattern,
                format!("names no `{{{name}}}` placeholder of the path `{template}`"),
                Shown::Nothing,
                None,
            );
        }
    }
    out
}

/// Appends literal path text: `/`, `%` (an escape written in the template) and the characters
/// RFC 3986 allows in a segment unencoded are kept; anything else (a space, a non-ASCII
/// character) is percent-encoded.
fn push_literal(text: &str, out: &mut String) {
    let keep = |c: char| c.is_ascii_alphanumeric() || "/-._~!$&'()*+,;=:@%".contains(c);
    let mut rest = text;
    while !rest.is_empty() {
        let run = rest.find(|c: char| !keep(c)).unwrap_or(rest.len());
        out.push_str(&rest[..run]);
        rest = &rest[run..];
        let other = rest.find(keep).unwrap_or(rest.len());
        crate::wire::encode_rfc3986(&rest[..other], out);
        rest = &rest[other..];
    }
}

fn kind_of(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Action names and versions are letters, digits, `-`, `_` and `.` (`DescribeVpcs`,
/// `2016-04-28`): anything else cannot be a header value or is a typo.
fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("is empty".to_owned());
    }
    match name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        Some(c) => Err(format!(
            "holds `{}`: only letters, digits, `-`, `_` and `.` are allowed",
            c.escape_default()
        )),
        None => Ok(()),
    }
}

type MetaKey = (usize, String, String, &'static str);

/// The `'static` description the call loop works with, for `action` and `version` of the
/// product `template` describes: made once per distinct call and kept (the call loop, its
/// errors and its futures hold operation descriptions for `'static`, as generated code's are).
fn meta_for(
    template: &'static OperationMeta,
    action: &str,
    version: &str,
    method: &'static str,
) -> &'static OperationMeta {
    static MADE: OnceLock<Mutex<HashMap<MetaKey, &'static OperationMeta>>> = OnceLock::new();
    let key = (
        template as *const OperationMeta as usize,
        action.to_owned(),
        version.to_owned(),
        method,
    );
    let mut made = match MADE.get_or_init(Mutex::default).lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    };
    made.entry(key).or_insert_with(|| {
        let leak = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
        Box::leak(Box::new(OperationMeta {
            action: leak(action),
            version: leak(version),
            method,
            idempotency_token: None,
            errors: &[],
            ..*template
        }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert!(check_name("DescribeVpcs").is_ok());
        assert!(check_name("2016-04-28").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name("Describe Vpcs").unwrap_err().contains("` `"));
        assert!(check_name("A\nB").unwrap_err().contains("\\n"));
    }

    #[test]
    fn paths_are_filled_and_encoded() {
        let params = [
            ("ClusterId".to_owned(), "c/1 *".to_owned()),
            ("NodepoolId".to_owned(), "np~1".to_owned()),
        ];
        let mut problems = Validator::new();
        let path = fill_path(
            "/clusters/{ClusterId}/nodepools/{NodepoolId}/a b/%41é",
            &params,
            &mut problems,
        );
        assert!(problems.finish().is_ok());
        // Values are one segment each; the template keeps `%` escapes and encodes what a path
        // cannot hold.
        assert_eq!(path, "/clusters/c%2F1%20%2A/nodepools/np~1/a%20b/%41%C3%A9");
        let mut problems = Validator::new();
        assert_eq!(fill_path("/a/{X}/b", &[], &mut problems), "/a//b");
        assert_eq!(problems.finish().map_err(|v| v.0.len()), Err(1));
    }

    #[test]
    fn descriptions_are_made_once() {
        static T: OperationMeta = OperationMeta {
            product: "P",
            version: "2020-01-01",
            action: "",
            endpoint_pattern: "p.{region_id}.example",
            endpoints: &[],
            method: "POST",
            idempotency_token: None,
            anonymous: false,
            errors: &[],
        };
        let a = meta_for(&T, "DoIt", "2020-01-01", "POST");
        let b = meta_for(&T, "DoIt", "2020-01-01", "POST");
        assert!(std::ptr::eq(a, b));
        let c = meta_for(&T, "DoIt", "2021-01-01", "GET");
        assert!(!std::ptr::eq(a, c));
        assert_eq!(
            (c.action, c.version, c.method),
            ("DoIt", "2021-01-01", "GET")
        );
        assert_eq!(c.endpoint_pattern, T.endpoint_pattern);
    }
}
