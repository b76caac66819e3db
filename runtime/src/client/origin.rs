//! [`Origin`]: where a request goes (URL authority and `Host` value), checked once per host,
//! and [`OriginKey`], what a kept origin was made from.

use http::header::HeaderValue;

use crate::error::InvalidResponse;
use crate::meta::OperationMeta;

/// Where a request goes, checked once: the URL's authority and the `Host` header's value, made
/// from the same host. Cloning one shares its text (the `bytes` buffers behind both), so each
/// attempt, and each call to a host used before ([`ClientCore::origin`]), neither copies nor
/// re-parses the host.
#[derive(Clone, Debug)]
pub(crate) struct Origin {
    pub(super) authority: http::uri::Authority,
    pub(super) host: HeaderValue,
}

impl Origin {
    /// The origin of `host` (`host` or `host:port`): an [`InvalidResponse`] with status 0 when
    /// it cannot be a URL's authority or a header value.
    pub(crate) fn parse(host: String) -> Result<Self, InvalidResponse> {
        let authority = http::uri::Authority::try_from(host.as_str()).map_err(|_| {
            InvalidResponse::new(
                0,
                format!("endpoint `{host}` does not make a valid URL"),
                b"",
            )
        })?;
        let host = HeaderValue::try_from(host).map_err(|_| {
            InvalidResponse::new(0, "header `host` holds characters HTTP does not allow", b"")
        })?;
        Ok(Self { authority, host })
    }

    /// The host, as the URL and the `Host` header carry it.
    pub(crate) fn as_str(&self) -> &str {
        self.authority.as_str()
    }
}

/// What the host of a call depends on besides the client's configuration (fixed for its
/// life): the operation's endpoint map and pattern, and the call's region. `'static` text is
/// compared by address, which is equality for it (it is never freed, so never reused).
#[derive(Debug)]
pub(crate) struct OriginKey {
    pub(super) pattern: &'static str,
    pub(super) endpoints: &'static [(&'static str, &'static str)],
    pub(super) region: Option<String>,
}

impl OriginKey {
    pub(super) fn matches(&self, meta: &OperationMeta, region: Option<&str>) -> bool {
        std::ptr::eq(self.pattern, meta.endpoint_pattern)
            && std::ptr::eq(self.endpoints, meta.endpoints)
            && self.region.as_deref() == region
    }
}
