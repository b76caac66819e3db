//! Request assembly: from a request to sorted wire parameters (validation, idempotency token),
//! then to the signed HTTP request of one attempt (endpoint, ACS3 headers, signature).

use std::borrow::Cow;
use std::time::SystemTime;

use http::header::{HeaderName, HeaderValue};

use super::config::Scheme;
use super::core::ClientCore;
use super::endpoint::{resolve_host, EndpointError};
use super::origin::{Origin, OriginKey};
use super::region::of_call;
use crate::error::{InvalidResponse, SdkError};
use crate::meta::OperationMeta;
use crate::sign;
use crate::transport::HttpRequest;
use crate::wire::{ParamList, WireRequest};

const X_ACS_ACTION: HeaderName = HeaderName::from_static("x-acs-action");
const X_ACS_VERSION: HeaderName = HeaderName::from_static("x-acs-version");
const X_ACS_DATE: HeaderName = HeaderName::from_static("x-acs-date");
const X_ACS_SIGNATURE_NONCE: HeaderName = HeaderName::from_static("x-acs-signature-nonce");
const X_ACS_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-acs-content-sha256");
const X_ACS_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-acs-security-token");
const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// A header value from static text, without copying it when it is visible ASCII.
fn static_header_value(text: &'static str) -> Option<HeaderValue> {
    if text
        .bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
    {
        Some(HeaderValue::from_static(text))
    } else {
        HeaderValue::from_str(text).ok()
    }
}

/// A header value that takes over `text`'s buffer.
fn owned_header_value(text: String) -> Option<HeaderValue> {
    HeaderValue::try_from(text).ok()
}

/// The error for a header whose value HTTP does not allow.
fn bad_header(name: &str) -> InvalidResponse {
    InvalidResponse::new(
        0,
        format!("header `{name}` holds characters HTTP does not allow"),
        b"",
    )
}

impl ClientCore {
    /// The host of a call of `meta` with `wire`: the explicit endpoint, else the product's
    /// map or pattern for the call's region on the configured network (see `endpoint`).
    pub(super) fn host(
        &self,
        meta: &OperationMeta,
        wire: &WireRequest,
    ) -> Result<String, EndpointError> {
        if let Some(ep) = &self.config.endpoint {
            return Ok(ep.clone());
        }
        let region = &self.config.region;
        let of_call = of_call(wire, region);
        resolve_host(
            meta,
            of_call.as_ref().map(|(r, s)| (r.as_ref(), *s)),
            self.config.network,
            region.profile_problem.as_deref(),
        )
    }

    /// [`ClientCore::host`], parsed into an [`Origin`]: the last one made is kept, and reused
    /// by the calls that follow while their operation and region give the same host (the usual
    /// case: a client calls one region), so that they neither resolve nor check it again.
    /// Concurrent calls never wait for the cache: one that finds it busy does the work itself.
    pub(super) fn origin<E>(
        &self,
        meta: &OperationMeta,
        wire: &WireRequest,
    ) -> Result<Origin, SdkError<E>> {
        // An explicit endpoint does not depend on the region: one key for every call.
        let region = match self.config.endpoint {
            Some(_) => None,
            None => of_call(wire, &self.config.region).map(|(r, _)| r),
        };
        if let Ok(cache) = self.origin_cache.try_lock() {
            if let Some((key, origin)) = cache.as_ref() {
                if key.matches(meta, region.as_deref()) {
                    return Ok(origin.clone());
                }
            }
        }
        let host = self.host(meta, wire).map_err(SdkError::Endpoint)?;
        let origin = Origin::parse(host).map_err(SdkError::InvalidResponse)?;
        if let Ok(mut cache) = self.origin_cache.try_lock() {
            let key = OriginKey {
                pattern: meta.endpoint_pattern,
                endpoints: meta.endpoints,
                region: region.map(Cow::into_owned),
            };
            *cache = Some((key, origin.clone()));
        }
        Ok(origin)
    }

    /// Builds the signed HTTP request of one attempt (unsigned, `credentials` unused, for an
    /// anonymous operation). A call with no host (no region, see [`EndpointError`]) is an
    /// [`InvalidResponse`] with status 0 saying so.
    pub fn build_request(
        &self,
        meta: &OperationMeta,
        wire: &WireRequest,
        credentials: &crate::credentials::Credentials,
        date: &str,
        nonce: &str,
    ) -> Result<HttpRequest, InvalidResponse> {
        let credentials = (!meta.anonymous).then_some(credentials);
        let host = self
            .host(meta, wire)
            .map_err(|e| InvalidResponse::new(0, e.to_string(), b""))?;
        let origin = Origin::parse(host)?;
        // The canonical query must be sorted; `invoke` sorts, but this is public.
        if wire.query.is_sorted() && wire.body.is_sorted() {
            self.build_sorted(meta, wire, None, origin, credentials, (date, nonce))
        } else {
            let mut sorted = wire.clone();
            sorted.sort();
            self.build_sorted(meta, &sorted, None, origin, credentials, (date, nonce))
        }
    }

    /// [`ClientCore::build_request`] of parameters sorted already ([`finish_wire`] sorts), to
    /// `origin` ([`ClientCore::origin`], found once per call).
    ///
    /// Without `credentials` (an anonymous operation) the request has neither a security token
    /// nor an `Authorization` header. `form_body` is `wire`'s body encoded, when the caller gave
    /// it up (it is moved into the request, not copied); `None` copies it.
    pub(super) fn build_sorted(
        &self,
        meta: &OperationMeta,
        wire: &WireRequest,
        form_body: Option<String>,
        origin: Origin,
        credentials: Option<&crate::credentials::Credentials>,
        (date, nonce): (&str, &str),
    ) -> Result<HttpRequest, InvalidResponse> {
        // The URL's path and query, with the canonical query encoded once, in place: the signer
        // reads it there. Scheme and authority are not written: the URL is made of parts, so
        // that only this part is parsed (the origin was checked once).
        let path = wire.path.as_deref().unwrap_or("/");
        let mut url = String::with_capacity(path.len() + 1 + wire.query.encoded_len());
        url.push_str(path);
        let path_end = url.len();
        if !wire.query.is_empty() {
            url.push('?');
        }
        let query_start = url.len();
        wire.query.write_encoded(&mut url);
        let host = origin.as_str();
        // ROA: the JSON body, its exact bytes hashed and sent.
        let json_body = wire.json.as_ref().map(crate::roa::body_bytes);
        // The form body is the list's encoded text itself: moved when the caller gives it up,
        // else copied.
        let body = match (json_body, form_body) {
            (Some(bytes), _) => bytes,
            (None, Some(form)) => form.into_bytes(),
            (None, None) => wire.body.encoded().into_bytes(),
        };
        let payload_hash = sign::sha256_hex(&body);
        let token = credentials
            .and_then(|c| c.security_token())
            .map(|t| t.expose());
        // Header parameters under their lower-case names: HTTP names are case-insensitive, and
        // ACS3 signs (and the `HeaderMap` sends) the lower-case form.
        let params: Vec<(String, Cow<'_, str>)> = wire
            .headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        // One `content-type`: a header parameter's, else the form body's.
        let param_content_type = params
            .iter()
            .find(|(k, _)| k == "content-type")
            .map(|(_, v)| v.as_ref());
        let body_content_type = if wire.json.is_some() {
            crate::roa::JSON_CONTENT_TYPE
        } else {
            FORM_CONTENT_TYPE
        };
        let content_type = param_content_type.or((!body.is_empty()).then_some(body_content_type));
        let mut fixed = [("", ""); 8];
        let mut n = 0;
        // In signing order already, so that the signer's sort has nothing to move.
        for header in [
            content_type.map(|v| ("content-type", v)),
            Some(("host", host)),
            Some(("x-acs-action", meta.action)),
            Some(("x-acs-content-sha256", payload_hash.as_str())),
            Some(("x-acs-date", date)),
            token.map(|t| ("x-acs-security-token", t)),
            Some(("x-acs-signature-nonce", nonce)),
            Some(("x-acs-version", meta.version)),
        ]
        .into_iter()
        .flatten()
        {
            fixed[n] = header;
            n += 1;
        }
        let others = || params.iter().filter(|(k, _)| k != "content-type");
        // Only a request with header parameters pays for a list of all headers.
        let with_params: Vec<(&str, &str)>;
        let headers: &[(&str, &str)] = if params.is_empty() {
            &fixed[..n]
        } else {
            with_params = fixed[..n]
                .iter()
                .copied()
                .chain(others().map(|(k, v)| (k.as_str(), v.as_ref())))
                .collect();
            &with_params
        };
        // As `sign::sign(..).authorization(..)`, hashing the canonical request as it is
        // written instead of keeping it.
        // Without header parameters, the headers are the fixed ones: all signed, in lower case
        // and in signing order, so the signer need not sort them out.
        let authorization = credentials.map(|c| {
            let sign = if params.is_empty() {
                sign::authorization_for_signed
            } else {
                sign::authorization_for
            };
            sign(
                meta.method,
                &url[..path_end],
                &url[query_start..],
                headers,
                &payload_hash,
                (c.access_key_id(), c.access_key_secret().expose()),
            )
        });
        if wire.path.is_some() {
            // ROA URLs write a space as `+`, as the official SDK sends them; the signature
            // above was computed over the canonical `%20`.
            crate::roa::plus_for_space(&mut url, query_start);
        }
        let mut req = http::Request::new(body);
        *req.method_mut() =
            match meta.method {
                "POST" => http::Method::POST,
                "GET" => http::Method::GET,
                "PUT" => http::Method::PUT,
                "DELETE" => http::Method::DELETE,
                other => http::Method::from_bytes(other.to_ascii_uppercase().as_bytes()).map_err(
                    |_| InvalidResponse::new(0, format!("HTTP method `{other}` is not valid"), b""),
                )?,
            };
        let mut parts = http::uri::Parts::default();
        parts.scheme = Some(match self.config.scheme {
            Scheme::Https => http::uri::Scheme::HTTPS,
            Scheme::Http => http::uri::Scheme::HTTP,
        });
        parts.authority = Some(origin.authority);
        parts.path_and_query = Some(http::uri::PathAndQuery::try_from(url).map_err(|_| {
            InvalidResponse::new(0, "the request's path does not make a valid URL", b"")
        })?);
        *req.uri_mut() = http::Uri::from_parts(parts).map_err(|_| {
            InvalidResponse::new(0, "the request's parts do not make a valid URL", b"")
        })?;
        // The same headers, in the same order, as values HTTP accepts; owned text is moved
        // into its value, static text is not copied.
        let mut h = http::HeaderMap::with_capacity(n + 3 + params.len());
        let value = |v: Option<HeaderValue>, name: &str| v.ok_or_else(|| bad_header(name));
        h.append(http::header::HOST, origin.host);
        h.append(
            X_ACS_ACTION,
            value(static_header_value(meta.action), "x-acs-action")?,
        );
        h.append(
            X_ACS_VERSION,
            value(static_header_value(meta.version), "x-acs-version")?,
        );
        h.append(
            X_ACS_DATE,
            value(HeaderValue::from_str(date).ok(), "x-acs-date")?,
        );
        h.append(
            X_ACS_SIGNATURE_NONCE,
            value(HeaderValue::from_str(nonce).ok(), "x-acs-signature-nonce")?,
        );
        h.append(
            X_ACS_CONTENT_SHA256,
            value(owned_header_value(payload_hash), "x-acs-content-sha256")?,
        );
        match (param_content_type, content_type) {
            (Some(v), _) => h.append(
                http::header::CONTENT_TYPE,
                value(HeaderValue::from_str(v).ok(), "content-type")?,
            ),
            (None, Some(_)) => h.append(
                http::header::CONTENT_TYPE,
                // Inline `const`: checked when compiled, not on every request.
                if wire.json.is_some() {
                    const { HeaderValue::from_static(crate::roa::JSON_CONTENT_TYPE) }
                } else {
                    const { HeaderValue::from_static(FORM_CONTENT_TYPE) }
                },
            ),
            (None, None) => false,
        };
        if let Some(token) = token {
            h.append(
                X_ACS_SECURITY_TOKEN,
                value(HeaderValue::from_str(token).ok(), "x-acs-security-token")?,
            );
        }
        for (k, v) in others() {
            let name = HeaderName::from_bytes(k.as_bytes()).map_err(|_| bad_header(k))?;
            h.append(name, value(HeaderValue::from_str(v).ok(), k)?);
        }
        if let Some(authorization) = authorization {
            h.append(
                http::header::AUTHORIZATION,
                value(owned_header_value(authorization), "authorization")?,
            );
        }
        h.append(
            http::header::ACCEPT,
            const { HeaderValue::from_static("application/json") },
        );
        h.append(
            http::header::USER_AGENT,
            value(self.user_agent.clone(), "user-agent")?,
        );
        *req.headers_mut() = h;
        Ok(req)
    }

    /// Validates (as `validate` says: `true` refuses violations of stated rules), encodes and signs `request` into the HTTP request of one
    /// attempt, with the given credentials, `x-acs-date` and nonce: everything a call does
    /// before the network, through the same code as a call ([`encode_request`], then what
    /// [`ClientCore::build_request`] does for sorted parameters). For benchmarks, tests and
    /// callers that send requests themselves. An idempotency token left unset is filled with a
    /// random one.
    ///
    /// Fails with [`SdkError::Validation`] when validation refuses the request,
    /// [`SdkError::Endpoint`] when there is no host (no region), or
    /// [`SdkError::InvalidResponse`] when the endpoint or a header value is not valid HTTP; no
    /// service is called, so there is no service error.
    pub fn prepare_request<Req>(
        &self,
        meta: &OperationMeta,
        request: &Req,
        validate: impl Into<crate::validate::Validation>,
        credentials: &crate::credentials::Credentials,
        date: &str,
        nonce: &str,
    ) -> Result<HttpRequest, SdkError<std::convert::Infallible>>
    where
        Req: crate::validate::Validate + ToWire,
    {
        let wire = encode_request(meta, request, validate)?;
        self.prepare_wire(meta, wire, credentials, date, nonce)
    }

    /// The HTTP request of one attempt of `wire`, encoded and finished ([`finish_wire`]), for
    /// those that send a request once ([`ClientCore::prepare_request`] and the raw call's).
    pub(super) fn prepare_wire(
        &self,
        meta: &OperationMeta,
        mut wire: WireRequest,
        credentials: &crate::credentials::Credentials,
        date: &str,
        nonce: &str,
    ) -> Result<HttpRequest, SdkError<std::convert::Infallible>> {
        let credentials = (!meta.anonymous).then_some(credentials);
        let origin = self.origin(meta, &wire)?;
        // Sent once: the body's encoded text is moved into the request, not copied.
        let form = std::mem::take(&mut wire.body).into_encoded();
        self.build_sorted(meta, &wire, Some(form), origin, credentials, (date, nonce))
            .map_err(SdkError::InvalidResponse)
    }
}

/// Readies encoded parameters for signing, once per logical call: fills the idempotency token
/// when the caller left it unset (so that every retry carries the same one), then sorts both
/// lists.
pub(super) fn finish_wire(meta: &OperationMeta, wire: &mut WireRequest) {
    if let Some(token) = meta.idempotency_token {
        let set = |l: &ParamList| l.has_value(token);
        if !set(&wire.query) && !set(&wire.body) {
            // An empty placeholder would otherwise be sent beside the generated token.
            wire.query.remove(token);
            wire.body.remove(token);
            // Where signing order puts it: a request encoded in order needs no sort.
            wire.query.insert_raw(
                token,
                uuid::Uuid::new_v4()
                    .as_hyphenated()
                    .encode_lower(&mut [0; 36]),
            );
        }
    }
    wire.sort();
}

/// `x-acs-date`: UTC, `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_acs_date(t: SystemTime) -> String {
    let dt = time::OffsetDateTime::from(t);
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    dt.format(&fmt).unwrap_or_default()
}

/// Requests that can be turned into wire parameters (generated for every operation).
pub trait ToWire {
    /// The query and body parameters, unsorted.
    fn to_wire(&self) -> WireRequest;
}

/// Validates `request`, returning every violation.
pub fn validate_request<R: crate::validate::Validate>(
    request: &R,
) -> Result<(), crate::validate::Violations> {
    let mut v = crate::validate::Validator::new();
    request.validate_at(&crate::path::Path::ROOT, &mut v);
    v.finish()
}

/// Validates `request` as `validation` says (`true` is [`crate::validate::Validation::Stated`]) and
/// encodes it into the parameters a call sends: the idempotency token filled when left unset,
/// both lists sorted by key, ready for [`ClientCore::build_request`]. Done once per call, before
/// its attempts.
///
/// Refuses the request when a stated rule is broken (or, when strict, any rule), with every
/// violation found; advisories alone are logged as a `tracing` warning and the request goes on.
pub fn encode_request<Req>(
    meta: &OperationMeta,
    request: &Req,
    validation: impl Into<crate::validate::Validation>,
) -> Result<WireRequest, crate::validate::Violations>
where
    Req: crate::validate::Validate + ToWire,
{
    let validation = validation.into();
    if validation != crate::validate::Validation::Off {
        if let Err(found) = validate_request(request) {
            if validation == crate::validate::Validation::Strict || found.has_refusals() {
                return Err(found);
            }
            // Sensitive values are already redacted in the report's text.
            tracing::warn!(target: super::core::LOG_TARGET, action = meta.action, "{found}");
        }
    }
    let mut wire = request.to_wire();
    finish_wire(meta, &mut wire);
    Ok(wire)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    use crate::client::Config;

    #[test]
    fn acs_dates() {
        let t = UNIX_EPOCH + Duration::from_secs(1_704_164_645);
        assert_eq!(format_acs_date(t), "2024-01-02T03:04:05Z");
    }

    /// A client configuration for these tests: fixed credentials, answers that are never read.
    fn config() -> Config {
        Config::new(
            crate::credentials::Credentials::new("id", "secret"),
            crate::transport::InMemoryTransport::always(200, "{}"),
        )
    }

    #[test]
    fn hosts_replace_every_region_placeholder() {
        let core = ClientCore::new(config());
        let mut wire = WireRequest::default();
        wire.query.push_raw("RegionId", "cn-shanghai");
        for pattern in [
            "vpc.{region_id}.aliyuncs.com",
            "{region_id}",
            "vpc.aliyuncs.com",
            "{{region_id}}.{region_id}{region_id",
            "a{b}{region_id}{",
        ] {
            let meta = meta_with(Box::leak(pattern.to_owned().into_boxed_str()), &[]);
            let host = core.host(&meta, &wire).unwrap();
            assert_eq!(host, pattern.replace("{region_id}", "cn-shanghai"));
            assert_eq!(host.len(), host.capacity(), "{pattern}");
        }
    }

    fn meta_with(
        pattern: &'static str,
        endpoints: &'static [(&'static str, &'static str)],
    ) -> OperationMeta {
        OperationMeta {
            product: "Vpc",
            version: "2016-04-28",
            action: "X",
            endpoint_pattern: pattern,
            endpoints,
            method: "POST",
            idempotency_token: None,
            anonymous: false,
            errors: &[],
        }
    }

    #[test]
    fn a_kept_origin_is_reused_only_for_the_same_operation_and_region() {
        let core = ClientCore::new(config().with_region("cn-beijing"));
        let vpc = meta_with(
            "vpc.{region_id}.aliyuncs.com",
            &[("cn-hangzhou", "vpc.aliyuncs.com")],
        );
        // The same pattern's text elsewhere: compared by address, a different key.
        let other = meta_with(
            Box::leak("ecs.{region_id}.aliyuncs.com".to_owned().into_boxed_str()),
            &[],
        );
        let wire_in = |region: Option<&str>| {
            let mut wire = WireRequest::default();
            if let Some(r) = region {
                wire.query.push_raw("RegionId", r);
            }
            wire
        };
        // Every switch of operation or region, and repeats of each (the kept origin reused).
        let calls = [
            (&vpc, Some("cn-shanghai")),
            (&vpc, Some("cn-shanghai")),
            (&vpc, Some("cn-hangzhou")),
            (&vpc, Some("cn-hangzhou")),
            (&vpc, None),
            (&vpc, None),
            (&other, None),
            (&other, Some("cn-shanghai")),
            (&vpc, Some("cn-shanghai")),
            (&vpc, Some("")),
        ];
        for (meta, region) in calls {
            let wire = wire_in(region);
            let origin = core.origin::<()>(meta, &wire).unwrap();
            let host = core.host(meta, &wire).unwrap();
            assert_eq!(origin.as_str(), host, "{region:?}");
            assert_eq!(origin.host, host.as_str(), "{region:?}");
        }
        // A region that cannot be a host name is still refused, after a valid one was kept.
        let bad = core.origin::<()>(&vpc, &wire_in(Some("a b")));
        assert!(matches!(bad, Err(SdkError::Endpoint(_))), "{bad:?}");
    }

    #[test]
    fn an_endpoint_that_cannot_be_an_authority_is_refused_before_any_request() {
        let core = ClientCore::new(config().with_endpoint("bad host"));
        let meta = meta_with("vpc.aliyuncs.com", &[]);
        let Err(SdkError::InvalidResponse(e)) = core.origin::<()>(&meta, &WireRequest::default())
        else {
            panic!("an endpoint with a space was accepted");
        };
        assert!(
            e.to_string()
                .contains("`bad host` does not make a valid URL"),
            "{e}"
        );
        assert_eq!(e.status, 0);
    }
}
