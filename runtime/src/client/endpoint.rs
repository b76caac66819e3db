//! The host of a call: from the product's map of regions to hosts, else from its pattern, on
//! the public or the VPC-internal network; and [`EndpointError`], why there is none.
//!
//! The order is the official SDKs' (protocol notes §1.2): an explicit endpoint
//! ([`Config::with_endpoint`](super::config::Config::with_endpoint)) is used as given (the
//! caller checks it first); else a region the map lists gets its host exactly as listed,
//! whatever the network; else the pattern, with `-<network>` appended to its first label on a
//! network other than the public one (`vpc-vpc.cn-shanghai.aliyuncs.com`).

use std::fmt;

use super::region::RegionSource;
use crate::meta::OperationMeta;

/// The placeholder of endpoint patterns.
const PLACEHOLDER: &str = "{region_id}";

/// Which network the client reaches the service through.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Network {
    /// The public endpoints (the default): `vpc.cn-shanghai.aliyuncs.com`.
    #[default]
    Public,
    /// The VPC-internal endpoints, reachable from inside an Alibaba Cloud VPC without public
    /// egress: `vpc-vpc.cn-shanghai.aliyuncs.com`. As in the official SDKs, this changes hosts
    /// made from the product's pattern only; a region the product's map lists keeps its host.
    Vpc,
}

impl Network {
    /// What is appended to the pattern's first label.
    fn suffix(self) -> &'static str {
        match self {
            Network::Public => "",
            Network::Vpc => "-vpc",
        }
    }
}

/// Why a call has no host.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointError {
    /// The operation's host depends on the region, no explicit endpoint is set, and no region
    /// was found anywhere.
    MissingRegion {
        /// The product, e.g. `Vpc`.
        product: &'static str,
        /// The operation, e.g. `DescribeVpcs`.
        action: &'static str,
        /// The endpoint pattern that needs a region.
        pattern: &'static str,
        /// Why the CLI profile could not be read, when [`Config::from_env`] tried and failed.
        ///
        /// [`Config::from_env`]: super::config::Config::from_env
        profile_problem: Option<String>,
    },
    /// The region found cannot be part of a host name.
    InvalidRegion {
        /// The region id, as found.
        region_id: String,
        /// Where it was found.
        source: RegionSource,
    },
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointError::MissingRegion {
                product,
                action,
                pattern,
                profile_problem,
            } => {
                write!(
                    f,
                    "no region for {product} {action}, whose endpoint `{pattern}` depends on it: \
                     set the request's RegionId, Config::with_region, the \
                     ALIBABA_CLOUD_REGION_ID environment variable or region_id in the CLI \
                     profile (~/.aliyun/config.json) (these two are read by Config::from_env \
                     and Client::from_env), or give the host with Config::with_endpoint"
                )?;
                if let Some(problem) = profile_problem {
                    write!(f, "; the CLI profile was not read: {problem}")?;
                }
                Ok(())
            }
            EndpointError::InvalidRegion { region_id, source } => write!(
                f,
                "region id {region_id:?} from {source} cannot be part of a host name: use a \
                 region id such as cn-shanghai (ASCII letters, digits and `-`)"
            ),
        }
    }
}

impl std::error::Error for EndpointError {}

/// The host `endpoints` lists for `region_id`: a binary search of the sorted slice, without
/// allocating.
pub fn lookup(
    endpoints: &'static [(&'static str, &'static str)],
    region_id: &str,
) -> Option<&'static str> {
    endpoints
        .binary_search_by(|(r, _)| (*r).cmp(region_id))
        .ok()
        .map(|i| endpoints[i].1)
}

/// Whether `region_id` can stand in a host name: ASCII letters, digits and `-`, not empty.
fn valid_region(region_id: &str) -> bool {
    !region_id.is_empty()
        && region_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The host of `meta` for `region` (with where it came from) on `network`, when no explicit
/// endpoint is set: the map's host for a listed region, else the pattern's.
///
/// Fails when the pattern needs a region and there is none, or when the region found cannot
/// be part of a host name. A pattern without a placeholder needs no region (the map is then
/// consulted only when a region is known).
pub fn resolve_host(
    meta: &OperationMeta,
    region: Option<(&str, RegionSource)>,
    network: Network,
    profile_problem: Option<&str>,
) -> Result<String, EndpointError> {
    if let Some(host) = region.and_then(|(r, _)| lookup(meta.endpoints, r)) {
        return Ok(host.to_owned());
    }
    let pattern = meta.endpoint_pattern;
    let count = placeholders(pattern).count();
    let region_id = match region {
        _ if count == 0 => "",
        Some((r, _)) if valid_region(r) => r,
        Some((r, source)) => {
            return Err(EndpointError::InvalidRegion {
                region_id: r.to_owned(),
                source,
            })
        }
        None => {
            return Err(EndpointError::MissingRegion {
                product: meta.product,
                action: meta.action,
                pattern,
                profile_problem: profile_problem.map(str::to_owned),
            })
        }
    };
    // `replace`, into a string of exactly the right size (it becomes the `Host` header),
    // finding `{` with a byte search rather than a substring searcher.
    let suffix = network.suffix();
    let first_label_end = pattern.find('.').unwrap_or(pattern.len());
    let mut host = String::with_capacity(
        pattern.len() + suffix.len() - count * PLACEHOLDER.len() + count * region_id.len(),
    );
    let mut suffixed = suffix.is_empty();
    let mut copied = 0;
    for start in placeholders(pattern) {
        push_part(
            &mut host,
            pattern,
            copied..start,
            (first_label_end, suffix),
            &mut suffixed,
        );
        host.push_str(region_id);
        copied = start + PLACEHOLDER.len();
    }
    push_part(
        &mut host,
        pattern,
        copied..pattern.len(),
        (first_label_end, suffix),
        &mut suffixed,
    );
    Ok(host)
}

/// Pushes `pattern[part]`, with `suffix` inserted at byte `at` when `at` is inside it (ends
/// included) and it is not inserted yet.
fn push_part(
    host: &mut String,
    pattern: &str,
    part: std::ops::Range<usize>,
    (at, suffix): (usize, &str),
    suffixed: &mut bool,
) {
    if !*suffixed && part.start <= at && at <= part.end {
        host.push_str(&pattern[part.start..at]);
        host.push_str(suffix);
        host.push_str(&pattern[at..part.end]);
        *suffixed = true;
    } else {
        host.push_str(&pattern[part]);
    }
}

/// The byte offsets of every `{region_id}` in `pattern`, left to right, not overlapping.
fn placeholders(pattern: &str) -> impl Iterator<Item = usize> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(i) = pattern[at..].find('{') {
            let start = at + i;
            at = start + 1;
            if pattern[start..].starts_with(PLACEHOLDER) {
                at = start + PLACEHOLDER.len();
                return Some(start);
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAP: &[(&str, &str)] = &[
        ("ap-northeast-1", "adb.ap-northeast-1.aliyuncs.com"),
        ("cn-beijing", "adb.aliyuncs.com"),
        ("cn-hangzhou", "adb.aliyuncs.com"),
        ("us-east-1", "adb-intl.aliyuncs.com"),
    ];

    fn meta(pattern: &'static str) -> OperationMeta {
        OperationMeta {
            product: "Adb",
            version: "2021-12-01",
            action: "DescribeDBClusters",
            endpoint_pattern: pattern,
            endpoints: MAP,
            method: "POST",
            idempotency_token: None,
            anonymous: false,
            errors: &[],
        }
    }

    fn host(pattern: &'static str, region: &str, network: Network) -> String {
        resolve_host(
            &meta(pattern),
            Some((region, RegionSource::Request)),
            network,
            None,
        )
        .unwrap()
    }

    #[test]
    fn every_listed_region_is_found_and_no_other() {
        for (region, listed) in MAP {
            assert_eq!(lookup(MAP, region), Some(*listed));
        }
        for region in ["", "cn", "cn-hangzhou-1", "zz", "a", "cn-beijing "] {
            assert_eq!(lookup(MAP, region), None, "{region:?}");
        }
        assert_eq!(lookup(&[], "cn-hangzhou"), None);
    }

    #[test]
    fn the_map_wins_over_the_pattern_on_every_network() {
        let p = "adb.{region_id}.aliyuncs.com";
        for network in [Network::Public, Network::Vpc] {
            assert_eq!(host(p, "cn-hangzhou", network), "adb.aliyuncs.com");
            assert_eq!(host(p, "us-east-1", network), "adb-intl.aliyuncs.com");
        }
        assert_eq!(
            host(p, "cn-shanghai", Network::Public),
            "adb.cn-shanghai.aliyuncs.com"
        );
        assert_eq!(
            host(p, "cn-shanghai", Network::Vpc),
            "adb-vpc.cn-shanghai.aliyuncs.com"
        );
    }

    #[test]
    fn patterns_replace_every_placeholder_and_suffix_the_first_label() {
        for (pattern, public, vpc) in [
            (
                "vpc.{region_id}.aliyuncs.com",
                "vpc.eu-x.aliyuncs.com",
                "vpc-vpc.eu-x.aliyuncs.com",
            ),
            ("{region_id}", "eu-x", "eu-x-vpc"),
            ("{region_id}.a.b", "eu-x.a.b", "eu-x-vpc.a.b"),
            ("a{region_id}b.c", "aeu-xb.c", "aeu-xb-vpc.c"),
            (
                "business.aliyuncs.com",
                "business.aliyuncs.com",
                "business-vpc.aliyuncs.com",
            ),
            (
                "{{region_id}}.{region_id}{region_id",
                "{eu-x}.eu-x{region_id",
                "{eu-x}-vpc.eu-x{region_id",
            ),
            ("a{b}{region_id}{", "a{b}eu-x{", "a{b}eu-x{-vpc"),
        ] {
            for (network, want) in [(Network::Public, public), (Network::Vpc, vpc)] {
                let got = host(pattern, "eu-x", network);
                assert_eq!(got, want, "{pattern} {network:?}");
                // Built in a string of exactly its size: it becomes the `Host` header.
                assert_eq!(got.len(), got.capacity(), "{pattern} {network:?}");
            }
        }
    }

    #[test]
    fn a_missing_or_unusable_region_is_an_error() {
        let m = meta("adb.{region_id}.aliyuncs.com");
        let e = resolve_host(&m, None, Network::Public, Some("no CLI config file")).unwrap_err();
        let text = e.to_string();
        for place in [
            "RegionId",
            "Config::with_region",
            "ALIBABA_CLOUD_REGION_ID",
            "region_id in the CLI profile",
            "Config::with_endpoint",
            "Adb DescribeDBClusters",
            "no CLI config file",
        ] {
            assert!(text.contains(place), "{place}: {text}");
        }
        for bad in ["cn-hangzhou/x", "evil.com#", "a b", "ä", " cn-shanghai"] {
            let e = resolve_host(
                &m,
                Some((bad, RegionSource::Environment)),
                Network::Public,
                None,
            )
            .unwrap_err();
            assert_eq!(
                e,
                EndpointError::InvalidRegion {
                    region_id: bad.to_owned(),
                    source: RegionSource::Environment
                }
            );
            assert!(e.to_string().contains("ALIBABA_CLOUD_REGION_ID"), "{e}");
        }
        // A pattern without a placeholder needs no region.
        let central = meta("adb.aliyuncs.com");
        assert_eq!(
            resolve_host(&central, None, Network::Public, None).unwrap(),
            "adb.aliyuncs.com"
        );
    }
}
