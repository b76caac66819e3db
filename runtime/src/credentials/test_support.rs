//! Fixtures shared by the providers' unit tests: throwaway secrets and the check that none
//! leaks, a temporary home directory, a CLI config file and an instance metadata service double.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::transport::{json_response, HttpResponse, InMemoryTransport};

pub(crate) const SECRET: &str = "s3cr3t-value";
pub(crate) const TOKEN: &str = "t0k3n-value";

pub(crate) fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

pub(crate) fn assert_no_secret(text: &str) {
    for s in [
        SECRET,
        TOKEN,
        "imds-secret",
        "imds-token",
        "meta-session-token",
    ] {
        assert!(!text.contains(s), "secret {s:?} leaked in: {text}");
    }
}

/// A fresh directory under the system temp dir, removed on drop.
pub(crate) struct TempDir(pub(crate) PathBuf);

impl TempDir {
    pub(crate) fn new(tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "alicloud-runtime-{tag}-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self(dir)
    }

    pub(crate) fn write(&self, rel: &str, contents: &str) -> PathBuf {
        let p = self.0.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("dirs");
        }
        std::fs::write(&p, contents).expect("write");
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(crate) fn cli_config() -> String {
    format!(
        r#"{{
  "current": "dev",
  "profiles": [
    {{"name": "default", "mode": "AK", "access_key_id": "AKDEFAULT", "access_key_secret": "{SECRET}",
      "sts_token": "", "ram_role_name": "", "ram_role_arn": "", "ram_session_name": "",
      "private_key": "", "key_pair_name": "", "expired_seconds": 0, "verified": "",
      "region_id": "cn-hangzhou", "output_format": "json", "language": "en", "site": "",
      "retry_timeout": 0, "retry_count": 0}},
    {{"name": "dev", "mode": "StsToken", "access_key_id": "STS.AKDEV", "access_key_secret": "{SECRET}",
      "sts_token": "{TOKEN}", "region_id": "cn-shanghai"}},
    {{"name": "role", "mode": "RamRoleArn", "access_key_id": "AKROLE", "access_key_secret": "{SECRET}",
      "ram_role_arn": "acs:ram::123:role/x", "ram_session_name": "s"}},
    {{"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "my-role"}},
    {{"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "default"}},
    {{"name": "half", "mode": "StsToken", "access_key_id": "AKHALF", "access_key_secret": "{SECRET}"}}
  ]
}}"#
    )
}

pub(crate) fn iso(t: SystemTime) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::from(t).format(&fmt).unwrap()
}

pub(crate) fn text(status: u16, body: &str) -> HttpResponse {
    let mut r = http::Response::new(body.as_bytes().to_vec());
    *r.status_mut() = http::StatusCode::from_u16(status).unwrap();
    r
}

pub(crate) fn role_body(expiry: SystemTime, n: usize) -> String {
    format!(
        r#"{{"AccessKeyId":"STS.ID{n}","AccessKeySecret":"imds-secret-{n}","SecurityToken":"imds-token-{n}","Expiration":"{}","LastUpdated":"2024-01-02T03:04:05Z","Code":"Success"}}"#,
        iso(expiry)
    )
}

/// An IMDS double: token endpoint, role list `my-role`, and credentials whose lifetime is
/// `lifetime` from now. Counts the credential fetches.
pub(crate) fn imds(lifetime: Duration, fetches: Arc<AtomicUsize>) -> InMemoryTransport {
    InMemoryTransport::new(move |req| {
        let path = req.uri().path();
        match (req.method().as_str(), path) {
            ("PUT", "/latest/api/token") => {
                assert_eq!(
                    req.headers()["x-aliyun-ecs-metadata-token-ttl-seconds"],
                    "21600"
                );
                Ok(text(200, "meta-session-token"))
            }
            ("GET", "/latest/meta-data/ram/security-credentials/") => {
                assert_eq!(
                    req.headers()["x-aliyun-ecs-metadata-token"],
                    "meta-session-token"
                );
                Ok(text(200, "my-role"))
            }
            ("GET", "/latest/meta-data/ram/security-credentials/my-role") => {
                assert_eq!(
                    req.headers()["x-aliyun-ecs-metadata-token"],
                    "meta-session-token"
                );
                let n = fetches.fetch_add(1, Ordering::SeqCst) + 1;
                Ok(json_response(
                    200,
                    &role_body(SystemTime::now() + lifetime, n),
                ))
            }
            ("GET", p) if p.starts_with("/latest/meta-data/ram/security-credentials/") => {
                Ok(text(404, "Not Found"))
            }
            _ => Ok(text(400, "bad request")),
        }
    })
}
