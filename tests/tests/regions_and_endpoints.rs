//! Regions and endpoints, end to end through generated clients and the in-memory transport:
//! the host each call is sent to (the product's map of regions, its pattern elsewhere, the VPC
//! network, an explicit endpoint), where the region comes from (the request's `RegionId`,
//! `Config::with_region`, `ALIBABA_CLOUD_REGION_ID`, the CLI profile's `region_id`, in that
//! order), and the error of a call without one.
//!
//! The emitter goldens' product (`tests/emit/spec/emit/product.json`) lists central hosts
//! (`cn-hangzhou` → `emit.example.com`), a host named after another region, and a region its
//! pattern gives; Vpc's map comes from its imported metadata.

use std::path::PathBuf;

use alicloud_emit_goldens as emit;
use alicloud_runtime::client::{EndpointError, Network, RegionSource};
use alicloud_runtime::credentials::EnvLookup;
use alicloud_runtime::transport::InMemoryTransport;
use alicloud_runtime::{Credentials, SdkError};
use alicloud_tests::repo_root;

const OK: &str = r#"{"RequestId":"R"}"#;

fn config(transport: &InMemoryTransport) -> alicloud_runtime::Config {
    alicloud_runtime::Config::new(Credentials::new("id", "secret"), transport.clone())
}

/// The `Host` header of every request sent, checked equal to the URL's authority.
fn hosts(transport: &InMemoryTransport) -> Vec<String> {
    transport
        .requests()
        .iter()
        .map(|r| {
            let host = r.headers()["host"].to_str().unwrap().to_owned();
            assert_eq!(r.uri().authority().map(|a| a.as_str()), Some(host.as_str()));
            host
        })
        .collect()
}

/// The host a `WirePlain` call with `RegionId` `region` is sent to, on a client over `config`.
async fn emit_host(
    config: impl FnOnce(&InMemoryTransport) -> alicloud_runtime::Config,
    region: Option<&str>,
) -> Result<String, SdkError<emit::ServiceError<emit::ErrorCode>>> {
    let transport = InMemoryTransport::always(200, OK);
    let client = emit::Client::new(config(&transport));
    match region {
        Some(r) => client.wire_plain().region_id(r).send().await.map(drop)?,
        // `Errors` has no `RegionId`: the client's region decides.
        None => client.errors().send().await.map(drop)?,
    }
    let mut sent = hosts(&transport);
    assert_eq!(sent.len(), 1);
    Ok(sent.remove(0))
}

#[tokio::test]
async fn listed_regions_reach_their_central_hosts_and_others_follow_the_pattern() {
    for (region, host) in [
        ("cn-hangzhou", "emit.example.com"),
        ("ap-southeast-1", "emit-intl.example.com"),
        ("eu-west-1", "emit.ap-southeast-1.example.com"),
        // Listed with the host the pattern gives: left out of the crate, same host.
        ("cn-shanghai", "emit.cn-shanghai.example.com"),
        // Not listed: the pattern.
        ("us-east-1", "emit.us-east-1.example.com"),
        (
            "cn-hangzhou-finance",
            "emit.cn-hangzhou-finance.example.com",
        ),
    ] {
        assert_eq!(
            emit_host(config, Some(region)).await.unwrap(),
            host,
            "{region}"
        );
    }
}

#[tokio::test]
async fn the_vpc_network_changes_pattern_hosts_only() {
    let vpc = |t: &InMemoryTransport| config(t).with_network(Network::Vpc);
    for (region, host) in [
        // Listed hosts are used as listed, as the official SDKs do.
        ("cn-hangzhou", "emit.example.com"),
        ("ap-southeast-1", "emit-intl.example.com"),
        ("eu-west-1", "emit.ap-southeast-1.example.com"),
        // Pattern hosts get `-vpc` after the product.
        ("cn-shanghai", "emit-vpc.cn-shanghai.example.com"),
        ("us-east-1", "emit-vpc.us-east-1.example.com"),
    ] {
        assert_eq!(
            emit_host(vpc, Some(region)).await.unwrap(),
            host,
            "{region}"
        );
    }
    assert_eq!(
        config(&InMemoryTransport::always(200, OK)).network(),
        Network::Public
    );
}

#[tokio::test]
async fn an_explicit_endpoint_wins_over_map_pattern_region_and_network() {
    let explicit = |t: &InMemoryTransport| {
        config(t)
            .with_endpoint("127.0.0.1:9")
            .with_region("cn-hangzhou")
            .with_network(Network::Vpc)
    };
    for region in [
        Some("cn-hangzhou"),
        Some("us-east-1"),
        Some("not a region"),
        None,
    ] {
        assert_eq!(
            emit_host(explicit, region).await.unwrap(),
            "127.0.0.1:9",
            "{region:?}"
        );
    }
}

#[tokio::test]
async fn the_requests_region_comes_before_the_clients() {
    let configured = |t: &InMemoryTransport| config(t).with_region("cn-hangzhou");
    // The request's RegionId wins; without one, the client's region.
    assert_eq!(
        emit_host(configured, Some("us-east-1")).await.unwrap(),
        "emit.us-east-1.example.com"
    );
    assert_eq!(
        emit_host(configured, None).await.unwrap(),
        "emit.example.com"
    );
    // An empty RegionId counts as none.
    assert_eq!(
        emit_host(configured, Some("")).await.unwrap(),
        "emit.example.com"
    );
}

#[tokio::test]
async fn a_call_without_a_region_fails_before_sending_naming_the_four_places() {
    let transport = InMemoryTransport::always(200, OK);
    let client = emit::Client::new(config(&transport));
    let err = client.errors().send().await.unwrap_err();
    let SdkError::Endpoint(e) = &err else {
        panic!("{err:?}");
    };
    assert!(
        matches!(
            e,
            EndpointError::MissingRegion {
                action: "Errors",
                ..
            }
        ),
        "{e:?}"
    );
    let text = err.to_string();
    for place in [
        "the request's RegionId",
        "Config::with_region",
        "ALIBABA_CLOUD_REGION_ID",
        "region_id in the CLI profile (~/.aliyun/config.json)",
        "Config::with_endpoint",
    ] {
        assert!(text.contains(place), "{place}: {text}");
    }
    assert!(transport.requests().is_empty(), "nothing is sent");

    // A region that cannot be part of a host name is refused before sending too.
    let err = emit_host(config, Some("cn-hangzhou.evil.example"))
        .await
        .unwrap_err();
    let SdkError::Endpoint(EndpointError::InvalidRegion { region_id, source }) = err else {
        panic!("{err:?}");
    };
    assert_eq!(
        (region_id.as_str(), source),
        ("cn-hangzhou.evil.example", RegionSource::Request)
    );
}

/// A folder of its own under the system's temporary folder, removed on drop.
struct Home(PathBuf);

impl Home {
    fn new(name: &str, config_json: Option<&str>) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "alicloud-regions-{name}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(dir.join(".aliyun")).unwrap();
        if let Some(text) = config_json {
            std::fs::write(dir.join(".aliyun/config.json"), text).unwrap();
        }
        Self(dir)
    }

    fn path(&self) -> String {
        self.0.to_string_lossy().into_owned()
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const PROFILES: &str = r#"{"current": "work", "profiles": [
  {"name": "work", "mode": "AK", "access_key_id": "AK", "access_key_secret": "S", "region_id": "ap-southeast-1"},
  {"name": "other", "mode": "AK", "access_key_id": "AK", "access_key_secret": "S", "region_id": "eu-west-1"},
  {"name": "bare", "mode": "AK", "access_key_id": "AK", "access_key_secret": "S"}]}"#;

#[tokio::test]
async fn the_clients_region_is_config_then_environment_then_profile() {
    let home = Home::new("order", Some(PROFILES));
    let env = |pairs: &[(&str, &str)]| {
        let mut all = vec![("HOME".to_owned(), home.path())];
        all.extend(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        EnvLookup::from_pairs(all)
    };
    let region_of = |c: alicloud_runtime::Config| c.region().map(|(r, s)| (r.to_owned(), s));
    let t = InMemoryTransport::always(200, OK);

    // The profile (the file's `current`, or ALIBABA_CLOUD_PROFILE's).
    let from_profile = config(&t).with_region_from_env(&env(&[]));
    assert_eq!(
        region_of(from_profile),
        Some(("ap-southeast-1".into(), RegionSource::Profile))
    );
    let named = config(&t).with_region_from_env(&env(&[("ALIBABA_CLOUD_PROFILE", "other")]));
    assert_eq!(
        region_of(named),
        Some(("eu-west-1".into(), RegionSource::Profile))
    );
    // The environment variable before the profile.
    let from_env = env(&[("ALIBABA_CLOUD_REGION_ID", "us-east-1")]);
    assert_eq!(
        region_of(config(&t).with_region_from_env(&from_env)),
        Some(("us-east-1".into(), RegionSource::Environment))
    );
    // Config::with_region before both, in either order of the calls.
    for c in [
        config(&t)
            .with_region("cn-hangzhou")
            .with_region_from_env(&from_env),
        config(&t)
            .with_region_from_env(&from_env)
            .with_region("cn-hangzhou"),
    ] {
        assert_eq!(
            region_of(c),
            Some(("cn-hangzhou".into(), RegionSource::Config))
        );
    }
    // None anywhere: a profile without a region, no variable.
    let bare = env(&[("ALIBABA_CLOUD_PROFILE", "bare")]);
    assert_eq!(region_of(config(&t).with_region_from_env(&bare)), None);

    // And the calls go where each says; the request's RegionId still comes first.
    let via = |env: EnvLookup| move |t: &InMemoryTransport| config(t).with_region_from_env(&env);
    assert_eq!(
        emit_host(via(env(&[])), None).await.unwrap(),
        "emit-intl.example.com"
    );
    assert_eq!(
        emit_host(via(from_env.clone()), None).await.unwrap(),
        "emit.us-east-1.example.com"
    );
    assert_eq!(
        emit_host(via(from_env), Some("cn-hangzhou")).await.unwrap(),
        "emit.example.com"
    );
    let err = emit_host(via(bare), None).await.unwrap_err();
    assert!(
        matches!(err, SdkError::Endpoint(EndpointError::MissingRegion { .. })),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_unreadable_profile_gives_no_region_and_says_why() {
    let home = Home::new("broken", Some("{ not json"));
    let env = EnvLookup::from_pairs([("HOME", home.path())]);
    let via = move |t: &InMemoryTransport| config(t).with_region_from_env(&env);
    let err = emit_host(via, None).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("ALIBABA_CLOUD_REGION_ID"), "{text}");
    assert!(
        text.contains("the CLI profile was not read") && text.contains("is not valid"),
        "{text}"
    );
    // No file at all is no problem, just no region.
    let empty = Home::new("empty", None);
    let env = EnvLookup::from_pairs([("HOME", empty.path())]);
    let via = move |t: &InMemoryTransport| config(t).with_region_from_env(&env);
    let text = emit_host(via, None).await.unwrap_err().to_string();
    assert!(!text.contains("was not read"), "{text}");
}

/// Every region of Vpc's imported endpoint list reaches the host listed for it, and the VPC
/// network gives the documented VPC-internal hosts.
#[tokio::test]
async fn every_vpc_region_reaches_its_listed_host() {
    let text = std::fs::read_to_string(repo_root().join("spec/vpc/imported/product.json")).unwrap();
    let spec: serde_json::Value = serde_json::from_str(&text).unwrap();
    let regions = spec["product"]["endpoint"]["regions"].as_array().unwrap();
    assert!(regions.len() >= 30, "{}", regions.len());
    for entry in regions {
        let (region, host) = (
            entry["region_id"].as_str().unwrap(),
            entry["host"].as_str().unwrap(),
        );
        for network in [Network::Public, Network::Vpc] {
            let transport = InMemoryTransport::always(200, OK);
            let client = alicloud_vpc::Client::new(config(&transport).with_network(network));
            client
                .describe_vpcs()
                .region_id(region)
                .send()
                .await
                .unwrap();
            let want = match network {
                Network::Public => host.to_owned(),
                _ => host.replacen("vpc.", "vpc-vpc.", 1),
            };
            assert_eq!(hosts(&transport), [want], "{region} {network:?}");
        }
    }
}
