//! The client core's retry logic, over `InMemoryTransport`.
//!
//! Backoffs are kept tiny through `RetryConfig`; tests that measure waits run on tokio's paused
//! clock, where sleeping advances virtual time exactly, so no assertion depends on real time.

use std::sync::{Arc, Mutex};
use std::time::Duration;

mod common;
use common::{core_with, error_body, ok, scripted, tiny_retries, wire, META, SECRET, STS_TOKEN};

use alicloud_runtime::client::{ClientCore, Config, OperationMeta, RetryConfig};
use alicloud_runtime::credentials::{CredentialsError, ProvideCredentials};
use alicloud_runtime::error::SdkError;
use alicloud_runtime::sign;
use alicloud_runtime::transport::{
    json_response, BoxFuture, HttpRequest, HttpResponse, InMemoryTransport, TransportError,
    TransportErrorKind,
};
use alicloud_runtime::Credentials;

/// The same operation without an idempotency token.
static META_NO_TOKEN: OperationMeta = OperationMeta {
    idempotency_token: None,
    ..META
};

fn core(transport: InMemoryTransport) -> ClientCore {
    core_with(transport, Credentials::new("AKID", SECRET), tiny_retries(3))
}

fn query_param(req: &HttpRequest, name: &str) -> Option<String> {
    req.uri().query()?.split('&').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

fn header(req: &HttpRequest, name: &str) -> String {
    req.headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
        .to_owned()
}

fn acs_date_secs(req: &HttpRequest) -> i64 {
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::PrimitiveDateTime::parse(&header(req, "x-acs-date"), &fmt)
        .unwrap()
        .assume_utc()
        .unix_timestamp()
}

fn service_code(err: &SdkError<alicloud_runtime::ServiceErrorMeta>) -> &str {
    err.as_service()
        .map(|e| e.code.as_str())
        .unwrap_or_else(|| panic!("not a service error: {err:?}"))
}

#[tokio::test]
async fn throttling_is_retried_with_the_same_client_token_and_fresh_nonces() {
    let t = scripted(|n, _| match n {
        0 | 1 => Ok(json_response(400, &error_body("Throttling.User", "R"))),
        _ => Ok(ok()),
    });
    let raw = core(t.clone()).invoke(&META, wire()).await.unwrap();
    assert_eq!(raw.attempts, 3);
    let reqs = t.requests();
    assert_eq!(reqs.len(), 3);
    let tokens: Vec<_> = reqs.iter().map(|r| query_param(r, "ClientToken")).collect();
    let first = tokens[0].clone().expect("a ClientToken is generated");
    assert_eq!(first.len(), 36, "a UUID: {first}");
    assert!(
        tokens.iter().all(|t| t.as_deref() == Some(first.as_str())),
        "{tokens:?}"
    );
    let nonces: Vec<_> = reqs
        .iter()
        .map(|r| header(r, "x-acs-signature-nonce"))
        .collect();
    assert_ne!(nonces[0], nonces[1]);
    assert_ne!(nonces[1], nonces[2]);
    assert_ne!(nonces[0], nonces[2]);
    // The token appears once, and is part of the signed query.
    assert_eq!(
        reqs[0]
            .uri()
            .query()
            .unwrap()
            .matches("ClientToken=")
            .count(),
        1
    );
}

#[tokio::test]
async fn a_caller_token_is_kept_and_an_empty_one_replaced() {
    let t = InMemoryTransport::new(|_| Ok(ok()));
    let mut w = wire();
    w.query.push_raw("ClientToken", "caller-token");
    core(t.clone()).invoke(&META, w).await.unwrap();
    assert_eq!(
        query_param(&t.requests()[0], "ClientToken").as_deref(),
        Some("caller-token")
    );

    let t = InMemoryTransport::new(|_| Ok(ok()));
    let mut w = wire();
    w.query.push_raw("ClientToken", "");
    core(t.clone()).invoke(&META, w).await.unwrap();
    let q = t.requests()[0].uri().query().unwrap().to_owned();
    assert_eq!(q.matches("ClientToken=").count(), 1, "{q}");
    assert!(!q.contains("ClientToken=&"), "{q}");

    // No token parameter for operations without one.
    let t = InMemoryTransport::new(|_| Ok(ok()));
    core(t.clone())
        .invoke(&META_NO_TOKEN, wire())
        .await
        .unwrap();
    assert_eq!(query_param(&t.requests()[0], "ClientToken"), None);
}

#[tokio::test]
async fn documented_retryable_code_is_retried() {
    let t = scripted(|n, _| match n {
        0 => Ok(json_response(
            400,
            &error_body("VpnGateway.Configuring", "R"),
        )),
        _ => Ok(ok()),
    });
    let raw = core(t.clone()).invoke(&META, wire()).await.unwrap();
    assert_eq!(raw.attempts, 2);
}

#[tokio::test]
async fn documented_non_retryable_code_with_500_is_not_retried() {
    let t = InMemoryTransport::always(
        500,
        error_body("OperationFailed.RouteConflictWithIPsecServer", "R"),
    );
    let err = core(t.clone()).invoke(&META, wire()).await.unwrap_err();
    assert_eq!(
        service_code(&err),
        "OperationFailed.RouteConflictWithIPsecServer"
    );
    assert_eq!(err.as_service().unwrap().status, 500);
    assert_eq!(t.requests().len(), 1);
}

#[tokio::test]
async fn documented_code_of_unknown_retryability_follows_the_transient_rule() {
    // A documented `InternalError` (500) whose retryability nobody states is retried like an
    // undocumented 500, with the same idempotency token.
    let t = scripted(|n, _| match n {
        0 => Ok(json_response(500, &error_body("InternalError", "R"))),
        _ => Ok(ok()),
    });
    let raw = core(t.clone()).invoke(&META, wire()).await.unwrap();
    assert_eq!(raw.attempts, 2);
    let reqs = t.requests();
    let token = query_param(&reqs[0], "ClientToken");
    assert!(token.is_some());
    assert_eq!(query_param(&reqs[1], "ClientToken"), token);

    // … and a documented 4xx code of unknown retryability is final, like an undocumented one.
    let t = InMemoryTransport::always(400, error_body("IncorrectVpnConnectionStatus", "R"));
    let err = core(t.clone()).invoke(&META, wire()).await.unwrap_err();
    assert_eq!(service_code(&err), "IncorrectVpnConnectionStatus");
    assert_eq!(t.requests().len(), 1);
}

#[tokio::test]
async fn undocumented_client_errors_are_not_retried() {
    let t = InMemoryTransport::always(400, error_body("InvalidParameter", "R"));
    let err = core(t.clone()).invoke(&META, wire()).await.unwrap_err();
    assert_eq!(service_code(&err), "InvalidParameter");
    assert_eq!(t.requests().len(), 1);
}

#[tokio::test]
async fn service_unavailable_503_is_retried() {
    let t = scripted(|n, _| match n {
        0 => Ok(json_response(503, &error_body("ServiceUnavailable", "R"))),
        _ => Ok(ok()),
    });
    let raw = core(t.clone())
        .invoke(&META_NO_TOKEN, wire())
        .await
        .unwrap();
    assert_eq!(raw.attempts, 2);
    assert_eq!(t.requests().len(), 2);
}

#[tokio::test]
async fn exhausted_attempts_return_the_last_error() {
    let t = scripted(|n, _| {
        Ok(json_response(
            503,
            &error_body("ServiceUnavailable", &format!("R{n}")),
        ))
    });
    let err = core(t.clone()).invoke(&META, wire()).await.unwrap_err();
    assert_eq!(t.requests().len(), 3);
    let e = err.as_service().unwrap();
    assert_eq!(e.code, "ServiceUnavailable");
    assert_eq!(e.request_id.as_deref(), Some("R2"));
}

#[tokio::test]
async fn max_attempts_of_one_disables_retries() {
    let t = InMemoryTransport::always(503, error_body("ServiceUnavailable", "R"));
    let c = core_with(t.clone(), Credentials::new("AKID", SECRET), tiny_retries(1));
    c.invoke(&META, wire()).await.unwrap_err();
    assert_eq!(t.requests().len(), 1);
}

#[tokio::test]
async fn connection_errors_are_retried_even_without_a_token() {
    for meta in [&META, &META_NO_TOKEN] {
        let t = scripted(|n, _| match n {
            0 | 1 => Err(TransportError::new(TransportErrorKind::Connect, "refused")),
            _ => Ok(ok()),
        });
        let raw = core(t.clone()).invoke(meta, wire()).await.unwrap();
        assert_eq!(raw.attempts, 3);
    }
    // Exhausted: the transport error comes back.
    let t = InMemoryTransport::new(|_| {
        Err(TransportError::new(TransportErrorKind::Connect, "refused"))
    });
    let err = core(t.clone())
        .invoke(&META_NO_TOKEN, wire())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, SdkError::Transport(e) if e.kind() == TransportErrorKind::Connect),
        "{err:?}"
    );
    assert_eq!(t.requests().len(), 3);
}

#[tokio::test]
async fn timeouts_and_broken_connections_are_retried_only_with_an_idempotency_token() {
    for kind in [TransportErrorKind::Timeout, TransportErrorKind::Io] {
        let t = scripted(move |n, _| match n {
            0 => Err(TransportError::new(kind, "no answer")),
            _ => Ok(ok()),
        });
        let raw = core(t.clone()).invoke(&META, wire()).await.unwrap();
        assert_eq!(raw.attempts, 2, "{kind:?} with a token");

        let t = scripted(move |n, _| match n {
            0 => Err(TransportError::new(kind, "no answer")),
            _ => Ok(ok()),
        });
        let err = core(t.clone())
            .invoke(&META_NO_TOKEN, wire())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, SdkError::Transport(e) if e.kind() == kind),
            "{err:?}"
        );
        assert_eq!(t.requests().len(), 1, "{kind:?} without a token");
    }
}

#[tokio::test]
async fn non_json_502_gives_invalid_response_with_status_and_excerpt() {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let t = InMemoryTransport::new(move |_| {
        let mut r = http::Response::new(html.as_bytes().to_vec());
        *r.status_mut() = http::StatusCode::BAD_GATEWAY;
        Ok(r)
    });
    let err = core(t.clone()).invoke(&META, wire()).await.unwrap_err();
    match &err {
        SdkError::InvalidResponse(e) => {
            assert_eq!(e.status, 502);
            assert!(
                e.excerpt.starts_with("<html><body><h1>502 Bad Gateway"),
                "{}",
                e.excerpt
            );
            assert!(e.reason.contains("not JSON"), "{}", e.reason);
        }
        other => panic!("expected InvalidResponse, got {other:?}"),
    }
    assert!(err.to_string().contains("HTTP 502"), "{err}");
}

fn http_date(offset: Duration) -> String {
    let fmt = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    (time::OffsetDateTime::now_utc() + offset)
        .format(&fmt)
        .unwrap()
}

fn expired_with_date() -> HttpResponse {
    let mut r = json_response(400, &error_body("InvalidTimeStamp.Expired", "R"));
    r.headers_mut().insert(
        http::header::DATE,
        http_date(Duration::from_secs(3600)).parse().unwrap(),
    );
    r
}

#[tokio::test]
async fn expired_timestamp_with_a_date_retries_once_with_a_corrected_date() {
    let t = scripted(|n, _| match n {
        0 => Ok(expired_with_date()),
        _ => Ok(ok()),
    });
    let c = core(t.clone());
    let raw = c.invoke(&META, wire()).await.unwrap();
    assert_eq!(raw.attempts, 2);
    let reqs = t.requests();
    let skew = acs_date_secs(&reqs[1]) - acs_date_secs(&reqs[0]);
    // The server is an hour ahead; allow generous slack for a slow machine.
    assert!(
        (3600 - 120..=3600 + 120).contains(&skew),
        "corrected by {skew} s"
    );
    assert_eq!(
        query_param(&reqs[0], "ClientToken"),
        query_param(&reqs[1], "ClientToken")
    );
    // The offset is kept for later calls.
    c.invoke(&META, wire()).await.unwrap();
    let later = acs_date_secs(&t.requests()[2]) - acs_date_secs(&reqs[0]);
    assert!(
        (3600 - 120..=3600 + 120).contains(&later),
        "later call off by {later} s"
    );

    // Exactly one retry, however often the server says it.
    let t = InMemoryTransport::new(|_| Ok(expired_with_date()));
    let err = core(t.clone()).invoke(&META, wire()).await.unwrap_err();
    assert_eq!(service_code(&err), "InvalidTimeStamp.Expired");
    assert_eq!(t.requests().len(), 2);
}

#[tokio::test]
async fn expired_timestamp_without_a_date_is_not_retried() {
    let t = InMemoryTransport::always(400, error_body("InvalidTimeStamp.Expired", "R"));
    let err = core(t.clone()).invoke(&META, wire()).await.unwrap_err();
    assert_eq!(service_code(&err), "InvalidTimeStamp.Expired");
    assert_eq!(t.requests().len(), 1);
}

#[tokio::test]
async fn sts_credentials_add_a_signed_security_token_header() {
    let t = InMemoryTransport::new(|_| Ok(ok()));
    let creds = Credentials::new("STS.AKID", SECRET).with_security_token(STS_TOKEN);
    let mut w = wire();
    w.body
        .push_raw("TunnelOptionsSpecification.1.Role", "master");
    core_with(t.clone(), creds, tiny_retries(3))
        .invoke(&META, w)
        .await
        .unwrap();
    let req = &t.requests()[0];
    assert_eq!(header(req, "x-acs-security-token"), STS_TOKEN);
    let auth = header(req, "authorization");
    assert!(
        auth.starts_with("ACS3-HMAC-SHA256 Credential=STS.AKID,"),
        "{auth}"
    );
    assert!(
        auth.contains("SignedHeaders=content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,"),
        "{auth}"
    );
    // Recompute the signature from what was sent: the whole request is consistently signed.
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .filter(|(n, _)| n.as_str() != "authorization")
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap().to_owned()))
        .collect();
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let hash = sign::sha256_hex(req.body());
    assert_eq!(header(req, "x-acs-content-sha256"), hash);
    let sig = sign::sign("POST", req.uri().query().unwrap(), &pairs, &hash, SECRET);
    assert_eq!(sig.authorization("STS.AKID"), auth);
}

#[derive(Debug)]
struct NoCredentials;

impl ProvideCredentials for NoCredentials {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async { Err(CredentialsError::new("nothing configured")) })
    }
}

#[tokio::test]
async fn credentials_errors_send_nothing() {
    let t = InMemoryTransport::new(|_| Ok(ok()));
    let c = ClientCore::new(Config::new(NoCredentials, t.clone()));
    let err = c.invoke(&META, wire()).await.unwrap_err();
    assert!(matches!(err, SdkError::Credentials(_)), "{err:?}");
    assert!(err.to_string().contains("nothing configured"), "{err}");
    assert!(t.requests().is_empty());
}

// -- x-acs-retry-after (milliseconds), on tokio's paused clock ------------------------------

fn throttled_with_retry_after(value: &str) -> HttpResponse {
    let mut r = json_response(400, &error_body("Throttling.User", "R"));
    r.headers_mut()
        .insert("x-acs-retry-after", value.parse().unwrap());
    r
}

/// A transport recording the (virtual) instant of each request.
fn timed(
    script: impl Fn(usize) -> HttpResponse + Send + Sync + 'static,
) -> (InMemoryTransport, Arc<Mutex<Vec<tokio::time::Instant>>>) {
    let times: Arc<Mutex<Vec<tokio::time::Instant>>> = Arc::default();
    let t2 = times.clone();
    let t = scripted(move |n, _| {
        t2.lock().unwrap().push(tokio::time::Instant::now());
        Ok(script(n))
    });
    (t, times)
}

fn gaps(times: &Mutex<Vec<tokio::time::Instant>>) -> Vec<Duration> {
    let v = times.lock().unwrap();
    v.windows(2).map(|w| w[1] - w[0]).collect()
}

/// Large computed backoffs, so that a wait taken from the header is told apart from them.
fn slow_backoff(max_attempts: u32) -> RetryConfig {
    RetryConfig {
        max_attempts,
        initial_backoff: Duration::from_secs(40),
        max_backoff: Duration::from_secs(60),
    }
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured_in_milliseconds_instead_of_the_backoff() {
    let (t, times) = timed(|n| match n {
        0 => throttled_with_retry_after("2500"),
        _ => ok(),
    });
    let c = core_with(t, Credentials::new("AKID", SECRET), slow_backoff(3));
    let raw = c.invoke(&META, wire()).await.unwrap();
    assert_eq!(raw.attempts, 2);
    // Exactly the header's wait, not the header plus a backoff (up to 40 s here).
    assert_eq!(gaps(&times), [Duration::from_millis(2500)]);
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_capped_and_never_slept_after_the_last_attempt() {
    let (t, times) = timed(|_| throttled_with_retry_after("3600000"));
    let retry = RetryConfig {
        max_attempts: 2,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_secs(5),
    };
    let c = core_with(t, Credentials::new("AKID", SECRET), retry);
    let start = tokio::time::Instant::now();
    let err = c.invoke(&META, wire()).await.unwrap_err();
    assert_eq!(service_code(&err), "Throttling.User");
    assert_eq!(gaps(&times), [Duration::from_secs(5)]);
    // One capped wait in all: none after the second (last) attempt.
    assert_eq!(start.elapsed(), Duration::from_secs(5));
}

#[tokio::test(start_paused = true)]
async fn non_positive_or_malformed_retry_after_falls_back_to_the_backoff() {
    for value in ["0", "-5", "soon", ""] {
        let v = value.to_owned();
        let (t, times) = timed(move |n| match n {
            0 => throttled_with_retry_after(&v),
            _ => ok(),
        });
        let retry = RetryConfig {
            max_attempts: 2,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(100),
        };
        let raw = core_with(t, Credentials::new("AKID", SECRET), retry)
            .invoke(&META, wire())
            .await
            .unwrap();
        assert_eq!(raw.attempts, 2, "{value:?}");
        let g = gaps(&times);
        assert!(g[0] <= Duration::from_millis(100), "{value:?}: {g:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn retry_after_makes_undocumented_errors_retryable_but_not_documented_final_ones() {
    let (t, _) = timed(|n| match n {
        0 => {
            let mut r = json_response(400, &error_body("QuotaExceeded.Temporary", "R"));
            r.headers_mut()
                .insert("x-acs-retry-after", "10".parse().unwrap());
            r
        }
        _ => ok(),
    });
    let c = core_with(t.clone(), Credentials::new("AKID", SECRET), tiny_retries(3));
    assert_eq!(c.invoke(&META, wire()).await.unwrap().attempts, 2);

    let (t, _) = timed(|_| {
        let mut r = json_response(
            400,
            &error_body("OperationFailed.RouteConflictWithIPsecServer", "R"),
        );
        r.headers_mut()
            .insert("x-acs-retry-after", "10".parse().unwrap());
        r
    });
    let c = core_with(t.clone(), Credentials::new("AKID", SECRET), tiny_retries(3));
    c.invoke(&META, wire()).await.unwrap_err();
    assert_eq!(t.requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn the_deadline_reports_the_attempts_made() {
    let (t, _) = timed(|_| throttled_with_retry_after("4000"));
    let c = ClientCore::new(
        Config::new(Credentials::new("AKID", SECRET), t.clone())
            .with_retry(slow_backoff(5))
            .with_deadline(Duration::from_secs(10)),
    );
    let err = c.invoke(&META, wire()).await.unwrap_err();
    // Requests at 0 s, 4 s and 8 s; the deadline falls during the third wait.
    assert!(matches!(err, SdkError::Timeout { attempts: 3 }), "{err:?}");
    assert_eq!(t.requests().len(), 3);
}

/// A provider that must never be asked.
#[derive(Debug)]
struct NeverAsked;

impl alicloud_runtime::ProvideCredentials for NeverAsked {
    fn provide(
        &self,
    ) -> alicloud_runtime::transport::BoxFuture<
        '_,
        Result<Credentials, alicloud_runtime::credentials::CredentialsError>,
    > {
        panic!("an anonymous operation asked for credentials")
    }
}

#[tokio::test]
async fn anonymous_operations_are_sent_unsigned_without_asking_for_credentials() {
    static ANONYMOUS: OperationMeta = OperationMeta {
        anonymous: true,
        ..META
    };
    let t = scripted(|_, _| Ok(ok()));
    let core = alicloud_runtime::ClientCore::new(
        alicloud_runtime::Config::new(NeverAsked, t.clone()).with_retry(tiny_retries(1)),
    );
    core.invoke(&ANONYMOUS, wire()).await.unwrap();
    let req = &t.requests()[0];
    assert!(req.headers().get("authorization").is_none());
    assert!(req.headers().get("x-acs-security-token").is_none());
    // Everything else an ACS3 request carries is still there.
    for name in [
        "x-acs-action",
        "x-acs-version",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
    ] {
        assert!(req.headers().get(name).is_some(), "{name}");
    }
    // The same operation signed: an Authorization header.
    let t = scripted(|_, _| Ok(ok()));
    core_with(t.clone(), Credentials::new("AKID", SECRET), tiny_retries(1))
        .invoke(&META, wire())
        .await
        .unwrap();
    assert!(t.requests()[0].headers().get("authorization").is_some());
}
