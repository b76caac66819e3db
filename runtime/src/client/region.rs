//! The region of a call, and where it came from: the request's `RegionId`, else the client's
//! region ([`Config::with_region`](super::config::Config::with_region), else
//! `ALIBABA_CLOUD_REGION_ID`, else the CLI profile's `region_id`, the last two read by
//! [`Config::from_env`](super::config::Config::from_env) or
//! [`Config::with_region_from_env`](super::config::Config::with_region_from_env)).
//!
//! There is no default region: a call whose host depends on the region and that has none fails
//! before sending (see `endpoint`).

use std::borrow::Cow;
use std::fmt;

use crate::credentials::{EnvLookup, ProfileProvider};
use crate::wire::WireRequest;

/// The environment variable naming the region, read by
/// [`Config::from_env`](super::config::Config::from_env).
pub const ENV_REGION_ID: &str = "ALIBABA_CLOUD_REGION_ID";

/// Where the region of a call was found, in order of precedence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RegionSource {
    /// The request's `RegionId` parameter.
    Request,
    /// [`Config::with_region`](super::config::Config::with_region).
    Config,
    /// The `ALIBABA_CLOUD_REGION_ID` environment variable.
    Environment,
    /// The `region_id` of the selected profile in the CLI file `~/.aliyun/config.json`.
    Profile,
}

impl fmt::Display for RegionSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RegionSource::Request => "the request's RegionId",
            RegionSource::Config => "Config::with_region",
            RegionSource::Environment => "the ALIBABA_CLOUD_REGION_ID environment variable",
            RegionSource::Profile => "the CLI profile's region_id",
        })
    }
}

/// The client's own region (used when a request has no `RegionId`), and why the CLI profile
/// gave none when reading it failed (said in the missing-region error).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct ClientRegion {
    pub(super) id: Option<(String, RegionSource)>,
    pub(super) profile_problem: Option<String>,
}

impl ClientRegion {
    /// A region set in code.
    pub(super) fn configured(id: String) -> Self {
        Self {
            id: Some((id, RegionSource::Config)),
            profile_problem: None,
        }
    }

    /// The region from `ALIBABA_CLOUD_REGION_ID`, else from the selected CLI profile (both
    /// read through `env`, which also gives `HOME` and `ALIBABA_CLOUD_PROFILE`).
    pub(super) fn from_environment(env: &EnvLookup) -> Self {
        if let Some(id) = env.get(ENV_REGION_ID) {
            return Self {
                id: Some((id.trim().to_owned(), RegionSource::Environment)),
                profile_problem: None,
            };
        }
        match ProfileProvider::from_env()
            .with_lookup(env.clone())
            .region_id()
        {
            Ok(id) => Self {
                id: id.map(|id| (id, RegionSource::Profile)),
                profile_problem: None,
            },
            Err(e) => Self {
                id: None,
                profile_problem: Some(e.to_string()),
            },
        }
    }
}

/// The region of a call of `wire` on a client with `client`'s region: the request's
/// `RegionId` (query or body; an empty value counts as unset), else the client's.
pub(super) fn of_call<'a>(
    wire: &'a WireRequest,
    client: &'a ClientRegion,
) -> Option<(Cow<'a, str>, RegionSource)> {
    wire.query
        .get("RegionId")
        .or_else(|| wire.body.get("RegionId"))
        .filter(|r| !r.is_empty())
        .map(|r| (r, RegionSource::Request))
        .or_else(|| {
            client
                .id
                .as_ref()
                .map(|(r, s)| (Cow::Borrowed(r.as_str()), *s))
        })
}
