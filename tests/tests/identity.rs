//! Every credential provider end to end against the emulator's identity side over loopback:
//! STS `AssumeRole` and `AssumeRoleWithOIDC`, the ECS metadata service and a credentials URI.
//! Credentials the emulator issues are accepted by its Vpc API with their security token until
//! they expire, so each test proves the credentials work by making a signed Vpc call.
//!
//! Renewal is tested without waiting for time to pass: the emulator issues credentials that
//! live a few seconds while the providers renew within a minute of expiry, so the next call
//! renews; then the emulator's lifetime is set back to an hour. Only the expiry test sleeps
//! (just past a one-second lifetime).

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use alicloud_credentials::{
    default_chain_with, CliProfileProvider, IniFileProvider, OidcProvider, RamRoleArnProvider, Sts,
    StsEndpoint, ENV_CREDENTIALS_FILE, ENV_OIDC_PROVIDER_ARN, ENV_OIDC_TOKEN_FILE, ENV_ROLE_ARN,
    ENV_ROLE_SESSION_NAME,
};
use alicloud_emulator::{AccessKey, Emulator, EmulatorConfig, IdentityConfig};
use alicloud_runtime::client::{Config, Scheme};
use alicloud_runtime::credentials::{
    Credentials, CredentialsError, EnvLookup, ImdsProvider, ProvideCredentials, ENV_PROFILE,
};
use alicloud_runtime::reqwest_transport::ReqwestTransport;
use alicloud_runtime::transport::{
    BoxFuture, HttpRequest, HttpResponse, Transport, TransportError,
};

const ROLE: &str = "acs:ram::1234567890123456:role/deployer";
const ROLE2: &str = "acs:ram::1234567890123456:role/auditor";
const OIDC_PROVIDER: &str = "acs:ram::1234567890123456:oidc-provider/ack-rrsa-c1";
const TOKEN_A: &str = "eyJhbGciOiJSUzI1NiJ9.oidc-token-A.signature-A";
const TOKEN_B: &str = "eyJhbGciOiJSUzI1NiJ9.oidc-token-B.signature-B";
const INSTANCE_ROLE: &str = "ecs-node-role";
const REGION: &str = "cn-shanghai";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Everything logged by this test binary (client and emulator), to check that no secret is.
fn logs() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let writer = buf.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || LogWriter(writer.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("one global subscriber");
        buf
    })
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Fails if any of `secrets` was logged, or shows in `texts`.
fn assert_never_shown(secrets: &[&str], texts: &[&str]) {
    let logged = String::from_utf8_lossy(&logs().lock().unwrap()).into_owned();
    assert!(
        !logged.is_empty(),
        "nothing was logged: the capture is broken"
    );
    for s in secrets {
        assert!(s.len() >= 8, "too short to search for: {s}");
        assert!(!logged.contains(s), "a secret was logged");
        for t in texts {
            assert!(!t.contains(s), "a secret shows in: {t}");
        }
    }
}

fn secrets_of(c: &Credentials) -> Vec<String> {
    let mut v = vec![c.access_key_secret().expose().to_owned()];
    if let Some(t) = c.security_token() {
        v.push(t.expose().to_owned());
    }
    v
}

fn emulator() -> Emulator {
    logs();
    Emulator::start(EmulatorConfig::default().with_identity(IdentityConfig {
        roles: vec![ROLE.into(), ROLE2.into()],
        oidc_provider_arns: vec![OIDC_PROVIDER.into()],
        oidc_tokens: vec![TOKEN_A.into()],
        instance_role: Some(INSTANCE_ROLE.into()),
        lifetime: None,
    }))
    .expect("the emulator starts")
}

fn reqwest() -> Arc<dyn Transport> {
    Arc::new(
        ReqwestTransport::builder()
            .no_proxy()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("transport"),
    )
}

/// A transport that sends every request to the emulator whatever host it names (the metadata
/// service's `100.100.100.200`, a regional STS host), keeping the `Host` header as signed.
struct ToEmulator {
    addr: String,
    inner: Arc<dyn Transport>,
}

impl Transport for ToEmulator {
    fn send(&self, mut req: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let pq = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into());
        *req.uri_mut() = format!("http://{}{pq}", self.addr).parse().expect("uri");
        self.inner.send(req)
    }
}

fn to_emulator(em: &Emulator) -> Arc<dyn Transport> {
    Arc::new(ToEmulator {
        addr: em.endpoint(),
        inner: reqwest(),
    })
}

/// STS at the emulator, over plain HTTP.
fn sts(em: &Emulator) -> Sts {
    Sts::new(reqwest())
        .with_endpoint(StsEndpoint::Host(em.endpoint()))
        .with_scheme(Scheme::Http)
}

fn static_key() -> Credentials {
    Credentials::new(AccessKey::DEFAULT_ID, AccessKey::DEFAULT_SECRET)
}

/// A Vpc client of the emulator signing with `provider`.
fn vpc(em: &Emulator, provider: Arc<dyn ProvideCredentials>) -> alicloud_vpc::Client {
    alicloud_vpc::Client::new(
        Config::from_arcs(provider, reqwest())
            .with_endpoint(em.endpoint())
            .with_scheme(Scheme::Http),
    )
}

/// Proves credentials work: a signed Vpc call the emulator accepts.
async fn vpc_call(em: &Emulator, provider: Arc<dyn ProvideCredentials>) {
    let r = vpc(em, provider)
        .describe_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id("vpn-single-a")
        .send()
        .await;
    match r {
        Ok(g) => assert_eq!(g.vpn_gateway_id.as_deref(), Some("vpn-single-a")),
        Err(e) => panic!("the Vpc call failed: {e}"),
    }
}

fn count(em: &Emulator, action: &str, status: u16) -> usize {
    em.requests()
        .iter()
        .filter(|r| r.action.as_deref() == Some(action) && r.status == Some(status))
        .count()
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let p = std::env::temp_dir().join(format!(
            "alicloud-identity-{tag}-{}-{}",
            std::process::id(),
            uuid_like()
        ));
        std::fs::create_dir_all(&p).unwrap();
        Self(p)
    }
    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let mut f = std::fs::File::create(&p).unwrap();
        f.write_all(text.as_bytes()).unwrap();
        p
    }
    fn home(&self) -> String {
        self.0.to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn uuid_like() -> u128 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    t ^ u128::from(N.fetch_add(1, Ordering::SeqCst))
}

// ---------------------------------------------------------------------------------------------
// RAM role ARN
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ram_role_arn_assumes_the_role_caches_and_signs_vpc_calls() {
    let em = emulator();
    let role = Arc::new(
        RamRoleArnProvider::new(Arc::new(static_key()), ROLE, sts(&em))
            .with_session_name("deploy")
            .with_duration(Duration::from_secs(900)),
    );
    let c = role.provide().await.expect("AssumeRole");
    assert!(c.access_key_id().starts_with("STS."), "{c:?}");
    assert!(c.security_token().is_some() && c.expiry().is_some());
    assert_eq!(c.source(), "ram-role-arn");
    vpc_call(&em, role.clone()).await;
    vpc_call(&em, role.clone()).await;
    // Cached: one STS call for three uses.
    assert_eq!(count(&em, "AssumeRole", 200), 1);

    // A role STS does not know: the service's code, no secret.
    let unknown = RamRoleArnProvider::new(
        Arc::new(static_key()),
        "acs:ram::1234567890123456:role/nobody",
        sts(&em),
    );
    let e = unknown.provide().await.unwrap_err();
    let text = format!("{e} {e:?} {unknown:?} {role:?}");
    assert!(text.contains("EntityNotExist.Role"), "{text}");
    assert!(text.contains("role/nobody"), "{text}");
    let secrets = secrets_of(&c);
    let mut all: Vec<&str> = secrets.iter().map(String::as_str).collect();
    all.push(AccessKey::DEFAULT_SECRET);
    assert_never_shown(&all, &[&text, &format!("{c:?}")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ram_role_arn_chained_on_the_ecs_instance_role() {
    let em = emulator();
    let ecs: Arc<dyn ProvideCredentials> = Arc::new(
        ImdsProvider::from_arc(reqwest()).with_base_url(format!("http://{}", em.endpoint())),
    );
    let first: Arc<dyn ProvideCredentials> = Arc::new(RamRoleArnProvider::new(ecs, ROLE, sts(&em)));
    // ChainableRamRoleArn: a role assumed with another role's credentials.
    let second = Arc::new(RamRoleArnProvider::new(first, ROLE2, sts(&em)));
    let c = second.provide().await.expect("the chain of roles");
    assert_eq!(c.source(), "ram-role-arn");
    vpc_call(&em, second.clone()).await;
    for (what, n) in [
        ("EcsMetadata:token", 1),
        ("EcsMetadata:role", 1),
        ("EcsMetadata:credentials", 1),
        ("AssumeRole", 2),
    ] {
        assert_eq!(count(&em, what, 200), n, "{what}: {:?}", em.requests());
    }
    let s = secrets_of(&c);
    assert_never_shown(
        &s.iter().map(String::as_str).collect::<Vec<_>>(),
        &[&format!("{second:?}")],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_calls_across_a_renewal_make_one_sts_call() {
    let em = emulator();
    // Credentials that live 3 s, renewed within a minute of expiry: the next use renews.
    em.update_identity(|c| c.lifetime = Some(Duration::from_secs(3)));
    let role = Arc::new(
        RamRoleArnProvider::new(Arc::new(static_key()), ROLE, sts(&em))
            .with_refresh_before(Duration::from_secs(60)),
    );
    let client = vpc(&em, role.clone());
    let first = role.provide().await.unwrap();
    assert_eq!(count(&em, "AssumeRole", 200), 1);
    // From now on, an hour: one renewal suffices for every caller.
    em.update_identity(|c| c.lifetime = None);
    let calls = (0..100).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .describe_vpn_gateway()
                .region_id(REGION)
                .vpn_gateway_id("vpn-dual-a")
                .send()
                .await
                .map(|g| g.vpn_gateway_id)
        })
    });
    let results = futures_join(calls.collect()).await;
    for r in &results {
        match r {
            Ok(id) => assert_eq!(id.as_deref(), Some("vpn-dual-a")),
            Err(e) => panic!("a call failed: {e}"),
        }
    }
    assert_eq!(
        count(&em, "AssumeRole", 200),
        2,
        "one renewal for 100 calls"
    );
    assert_eq!(count(&em, "DescribeVpnGateway", 200), 100);
    let renewed = role.provide().await.unwrap();
    assert_ne!(renewed.access_key_id(), first.access_key_id());
}

async fn futures_join<T: Send + 'static>(handles: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issued_credentials_stop_working_when_they_expire() {
    let em = emulator();
    em.update_identity(|c| c.lifetime = Some(Duration::from_secs(1)));
    let c = RamRoleArnProvider::new(Arc::new(static_key()), ROLE, sts(&em))
        .fetch()
        .await
        .unwrap();
    vpc_call(&em, Arc::new(c.clone())).await;
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let e = vpc(&em, Arc::new(c))
        .describe_vpn_gateway()
        .region_id(REGION)
        .vpn_gateway_id("vpn-single-a")
        .send()
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("InvalidSecurityToken.Expired"),
        "{e}"
    );
}

// ---------------------------------------------------------------------------------------------
// OIDC (RRSA)
// ---------------------------------------------------------------------------------------------

fn oidc_env(token_file: &std::path::Path) -> EnvLookup {
    EnvLookup::from_pairs([
        (ENV_ROLE_ARN, ROLE.to_owned()),
        (ENV_OIDC_PROVIDER_ARN, OIDC_PROVIDER.to_owned()),
        (
            ENV_OIDC_TOKEN_FILE,
            token_file.to_string_lossy().into_owned(),
        ),
        (ENV_ROLE_SESSION_NAME, "pod-a".to_owned()),
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oidc_rereads_the_token_file_when_it_rotates() {
    let em = emulator();
    let dir = TempDir::new("oidc");
    let file = dir.write("token", TOKEN_A);
    em.update_identity(|c| c.lifetime = Some(Duration::from_secs(3)));
    let oidc = Arc::new(
        OidcProvider::from_lookup(&oidc_env(&file), sts(&em))
            .with_refresh_before(Duration::from_secs(60)),
    );
    let c1 = oidc
        .provide()
        .await
        .expect("AssumeRoleWithOIDC with token A");
    assert_eq!(c1.source(), "oidc-role-arn");
    vpc_call(&em, Arc::new(c1.clone())).await;

    // The platform rotates the token; the old one stops being accepted.
    dir.write("token", &format!("{TOKEN_B}\n"));
    em.update_identity(|c| c.oidc_tokens = vec![TOKEN_B.into()]);
    let c2 = oidc.provide().await.expect("renewed with token B");
    assert_ne!(c1.access_key_id(), c2.access_key_id());
    assert_eq!(count(&em, "AssumeRoleWithOIDC", 200), 2);

    // A token STS refuses: the error names the call and the code, never the token.
    dir.write("token", "eyJhbGciOiJSUzI1NiJ9.revoked-token.signature");
    // While the cached credentials are valid, a failed renewal keeps them (and warns)...
    let kept = oidc
        .provide()
        .await
        .expect("the cached credentials outlive a failed renewal");
    assert_eq!(kept.access_key_id(), c2.access_key_id());
    // ...and the renewal's error says what went wrong.
    let e = oidc.fetch().await.unwrap_err();
    let text = format!("{e} {e:?} {oidc:?}");
    assert!(
        text.contains("AssumeRoleWithOIDC") && text.contains("InvalidParameter.OIDCToken"),
        "{text}"
    );
    let mut secrets = vec![TOKEN_A, TOKEN_B, "revoked-token"];
    let s1 = secrets_of(&c1);
    let s2 = secrets_of(&c2);
    secrets.extend(s1.iter().chain(&s2).map(String::as_str));
    assert_never_shown(&secrets, &[&text]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oidc_half_configured_is_an_error_naming_what_is_missing() {
    let em = emulator();
    let env = EnvLookup::from_pairs([(ENV_ROLE_ARN, ROLE)]);
    let e = OidcProvider::from_lookup(&env, sts(&em))
        .provide()
        .await
        .unwrap_err();
    assert!(!e.is_not_found());
    let text = e.to_string();
    assert!(
        text.contains(ENV_OIDC_PROVIDER_ARN) && text.contains(ENV_OIDC_TOKEN_FILE),
        "{text}"
    );
    let none = EnvLookup::from_pairs::<&str, &str>([]);
    let e = OidcProvider::from_lookup(&none, sts(&em))
        .provide()
        .await
        .unwrap_err();
    assert!(e.is_not_found(), "{e}");
    assert!(em.requests().is_empty());
}

// ---------------------------------------------------------------------------------------------
// The CLI profile, every mode
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_profile_serves_every_mode() {
    let sts_key = AccessKey {
        id: "STS.static-profile-key".into(),
        secret: "static-profile-sts-secret".into(),
        security_token: Some("static-profile-sts-token".into()),
    };
    let em = Emulator::start(
        EmulatorConfig::default()
            .with_access_key(sts_key.clone())
            .with_identity(IdentityConfig {
                roles: vec![ROLE.into(), ROLE2.into()],
                oidc_provider_arns: vec![OIDC_PROVIDER.into()],
                oidc_tokens: vec![TOKEN_A.into()],
                instance_role: Some(INSTANCE_ROLE.into()),
                lifetime: None,
            }),
    )
    .unwrap();
    logs();
    let dir = TempDir::new("cli");
    let token_file = dir.write("oidc-token", TOKEN_A);
    let uri = format!("http://{}/__identity/credentials", em.endpoint());
    let config = serde_json::json!({
        "current": "ak",
        "profiles": [
            {"name": "ak", "mode": "AK", "access_key_id": AccessKey::DEFAULT_ID,
             "access_key_secret": AccessKey::DEFAULT_SECRET, "region_id": REGION},
            {"name": "sts", "mode": "StsToken", "access_key_id": sts_key.id,
             "access_key_secret": sts_key.secret, "sts_token": sts_key.security_token},
            {"name": "role", "mode": "RamRoleArn", "access_key_id": AccessKey::DEFAULT_ID,
             "access_key_secret": AccessKey::DEFAULT_SECRET, "ram_role_arn": ROLE,
             "ram_session_name": "cli", "expired_seconds": 900, "sts_region": REGION},
            {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": INSTANCE_ROLE},
            {"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "role",
             "ram_role_arn": ROLE2},
            {"name": "loop", "mode": "ChainableRamRoleArn", "source_profile": "loop",
             "ram_role_arn": ROLE2},
            {"name": "oidc", "mode": "OIDC", "ram_role_arn": ROLE,
             "oidc_provider_arn": OIDC_PROVIDER,
             "oidc_token_file": token_file.to_string_lossy()},
            {"name": "uri", "mode": "CredentialsURI", "credentials_uri": uri},
            {"name": "ext", "mode": "External", "process_command": "secret-helper"},
            {"name": "half", "mode": "RamRoleArn", "access_key_id": AccessKey::DEFAULT_ID,
             "access_key_secret": AccessKey::DEFAULT_SECRET}
        ]
    });
    dir.write(".aliyun/config.json", &config.to_string());
    let home = dir.home();
    let provider = |profile: &str| {
        CliProfileProvider::new(
            EnvLookup::from_pairs([("HOME", home.clone()), (ENV_PROFILE, profile.to_owned())]),
            sts(&em),
            to_emulator(&em),
        )
    };
    let mut secrets: Vec<String> = vec![
        AccessKey::DEFAULT_SECRET.into(),
        sts_key.secret.clone(),
        sts_key.security_token.clone().unwrap(),
        TOKEN_A.into(),
    ];
    for (profile, source) in [
        ("ak", "profile"),
        ("sts", "profile"),
        ("role", "ram-role-arn"),
        ("ecs", "ecs-ram-role"),
        ("chain", "ram-role-arn"),
        ("oidc", "oidc-role-arn"),
        ("uri", "credentials-uri"),
    ] {
        let p = Arc::new(provider(profile));
        let c = p
            .provide()
            .await
            .unwrap_or_else(|e| panic!("profile {profile}: {e}"));
        assert_eq!(c.source(), source, "profile {profile}");
        vpc_call(&em, p.clone()).await;
        secrets.extend(secrets_of(&c));
        assert!(!format!("{p:?}").contains(AccessKey::DEFAULT_SECRET));
    }
    // The chained profile assumed two roles: `role`'s, then its own.
    assert_eq!(count(&em, "AssumeRole", 200), 1 + 2);
    assert_eq!(count(&em, "AssumeRoleWithOIDC", 200), 1);
    assert_eq!(count(&em, "CredentialsUri", 200), 1);

    let mut texts = Vec::new();
    for (profile, expect) in [
        ("ext", "mode `External`"),
        ("half", "has no ram_role_arn"),
        ("loop", "chains more than"),
        ("nobody", "has no profile `nobody`"),
    ] {
        let e = provider(profile).provide().await.unwrap_err();
        let text = e.to_string();
        assert!(text.contains(expect), "profile {profile}: {text}");
        assert!(!e.is_not_found(), "profile {profile}");
        texts.push(text);
    }
    let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let trefs: Vec<&str> = texts.iter().map(String::as_str).collect();
    assert_never_shown(&refs, &trefs);
}

// ---------------------------------------------------------------------------------------------
// The INI file
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ini_file_serves_every_type() {
    let em = emulator();
    let dir = TempDir::new("ini");
    let token_file = dir.write("oidc-token", TOKEN_A);
    let ini = format!(
        "[default]\n\
         type = access_key\n\
         access_key_id = {id}\n\
         access_key_secret = {secret}\n\
         \n\
         [deploy]\n\
         type = ram_role_arn\n\
         access_key_id = {id}\n\
         access_key_secret = {secret}\n\
         role_arn = {ROLE}\n\
         role_session_name = ini\n\
         duration_seconds = 900\n\
         \n\
         [pod]\n\
         type = oidc_role_arn\n\
         role_arn = {ROLE}\n\
         oidc_provider_arn = {OIDC_PROVIDER}\n\
         oidc_token_file_path = {token}\n\
         \n\
         [node]\n\
         type = ecs_ram_role\n\
         role_name = {INSTANCE_ROLE}\n\
         \n\
         [sidecar]\n\
         type = credentials_uri\n\
         credentials_uri = http://{addr}/__identity/credentials\n\
         \n\
         [off]\n\
         enable = false\n\
         type = access_key\n\
         access_key_id = x\n\
         access_key_secret = y\n\
         \n\
         [jp]\n\
         type = rsa_key_pair\n\
         public_key_id = k\n",
        id = AccessKey::DEFAULT_ID,
        secret = AccessKey::DEFAULT_SECRET,
        token = token_file.display(),
        addr = em.endpoint(),
    );
    let file = dir.write("credentials.ini", &ini);
    let provider = |section: Option<&str>| {
        let mut pairs = vec![(ENV_CREDENTIALS_FILE, file.to_string_lossy().into_owned())];
        if let Some(s) = section {
            pairs.push((ENV_PROFILE, s.to_owned()));
        }
        IniFileProvider::new(EnvLookup::from_pairs(pairs), sts(&em), to_emulator(&em))
    };
    let mut secrets: Vec<String> = vec![AccessKey::DEFAULT_SECRET.into(), TOKEN_A.into()];
    for (section, source) in [
        (None, "credentials-file"),
        (Some("deploy"), "ram-role-arn"),
        (Some("pod"), "oidc-role-arn"),
        (Some("node"), "ecs-ram-role"),
        (Some("sidecar"), "credentials-uri"),
    ] {
        let p = Arc::new(provider(section));
        let c = p
            .provide()
            .await
            .unwrap_or_else(|e| panic!("section {section:?}: {e}"));
        assert_eq!(c.source(), source, "section {section:?}");
        vpc_call(&em, p).await;
        secrets.extend(secrets_of(&c));
    }
    let off = provider(Some("off")).provide().await.unwrap_err();
    assert!(off.to_string().contains("disabled"), "{off}");
    let jp = provider(Some("jp")).provide().await.unwrap_err();
    assert!(jp.to_string().contains("type `rsa_key_pair`"), "{jp}");
    let missing = provider(Some("nobody")).provide().await.unwrap_err();
    assert!(!missing.is_not_found() && missing.to_string().contains("no section [nobody]"));

    // A malformed file: the line, never the text.
    let bad = dir.write(
        "bad.ini",
        &format!(
            "[default]\naccess_key_secret = {}\n[broken\n",
            AccessKey::DEFAULT_SECRET
        ),
    );
    let e = IniFileProvider::new(
        EnvLookup::from_pairs::<&str, &str>([]),
        sts(&em),
        to_emulator(&em),
    )
    .with_path(&bad)
    .provide()
    .await
    .unwrap_err();
    let text = e.to_string();
    assert!(text.contains("is not valid INI (line"), "{text}");
    let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
    assert_never_shown(&refs, &[&text, &off.to_string(), &jp.to_string()]);
}

// ---------------------------------------------------------------------------------------------
// The default chain
// ---------------------------------------------------------------------------------------------

/// A metadata transport that is never reached (not on ECS).
struct Unreachable;

impl Transport for Unreachable {
    fn send(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        Box::pin(std::future::ready(Err(TransportError::new(
            alicloud_runtime::transport::TransportErrorKind::Connect,
            "no route to host",
        ))))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chain_names_every_provider_when_nothing_is_configured() {
    let em = emulator();
    let env = EnvLookup::from_pairs([("HOME", "/nonexistent-home")]);
    let chain = default_chain_with(env, sts(&em), Arc::new(Unreachable));
    assert_eq!(
        chain.names(),
        [
            "environment",
            "OIDC",
            "CLI profile",
            "credentials file",
            "ECS instance metadata",
            "credentials URI"
        ]
    );
    let e: CredentialsError = chain.provide().await.unwrap_err();
    let text = e.to_string();
    for part in [
        "no credentials found; tried environment: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set",
        "OIDC: ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_OIDC_TOKEN_FILE are not set",
        "CLI profile: no CLI config file at /nonexistent-home/.aliyun/config.json",
        "credentials file: no credentials file at /nonexistent-home/.alibabacloud/credentials",
        "ECS instance metadata: instance metadata service at http://100.100.100.200",
        "credentials URI: ALIBABA_CLOUD_CREDENTIALS_URI is not set",
    ] {
        assert!(text.contains(part), "`{part}` not in: {text}");
    }
    assert!(em.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_rrsa_pod_gets_its_role_never_the_nodes() {
    let em = emulator();
    let dir = TempDir::new("rrsa");
    let file = dir.write("token", TOKEN_A);
    let mut env: Vec<(String, String)> = [
        (ENV_ROLE_ARN, ROLE.to_owned()),
        (ENV_OIDC_PROVIDER_ARN, OIDC_PROVIDER.to_owned()),
        (ENV_OIDC_TOKEN_FILE, file.to_string_lossy().into_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    env.push(("HOME".into(), "/nonexistent-home".into()));
    // The metadata service answers (the node has a role), but OIDC comes first.
    let chain = Arc::new(default_chain_with(
        EnvLookup::from_pairs(env),
        sts(&em),
        to_emulator(&em),
    ));
    let c = chain.provide().await.unwrap();
    assert_eq!(c.source(), "oidc-role-arn");
    vpc_call(&em, chain.clone()).await;
    assert_eq!(count(&em, "EcsMetadata:credentials", 200), 0);

    // The token is revoked: the chain fails, and does not fall through to the node's role.
    em.update_identity(|c| c.oidc_tokens.clear());
    let chain = default_chain_with(
        EnvLookup::from_pairs([
            (ENV_ROLE_ARN, ROLE.to_owned()),
            (ENV_OIDC_PROVIDER_ARN, OIDC_PROVIDER.to_owned()),
            (ENV_OIDC_TOKEN_FILE, file.to_string_lossy().into_owned()),
            ("HOME", "/nonexistent-home".to_owned()),
        ]),
        sts(&em),
        to_emulator(&em),
    );
    let e = chain.provide().await.unwrap_err();
    let text = e.to_string();
    assert!(
        text.starts_with("the OIDC provider is configured but failed"),
        "{text}"
    );
    assert!(text.contains("InvalidParameter.OIDCToken"), "{text}");
    assert!(
        !em.requests().iter().any(|r| r
            .action
            .as_deref()
            .is_some_and(|a| a.starts_with("EcsMetadata"))),
        "the chain asked the metadata service"
    );
    let s = secrets_of(&c);
    let mut secrets: Vec<&str> = s.iter().map(String::as_str).collect();
    secrets.push(TOKEN_A);
    assert_never_shown(&secrets, &[&text]);
}
