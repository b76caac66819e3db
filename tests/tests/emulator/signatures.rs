//! Signatures and the gateway's checks.

use super::*;

#[tokio::test]
async fn a_wrong_secret_is_signature_does_not_match() {
    let em = start(Duration::ZERO);
    let client = Client::new(config(
        &em,
        Credentials::new(AccessKey::DEFAULT_ID, "not-the-secret"),
        3,
    ));
    let e = service_error(rename(&client, "vco-single-a", "x").await);
    assert_eq!((e.code(), e.http_status()), ("SignatureDoesNotMatch", 400));
    assert!(
        e.message()
            .contains("server string to sign is:ACS3-HMAC-SHA256\n"),
        "{}",
        e.message()
    );
    assert!(e.request_id().is_some_and(|id| !id.is_empty()));
    // Not retried, nothing changed.
    assert_eq!(calls_of(&em, MODIFY).count(), 1);
    assert_eq!(em.connection("vco-single-a").unwrap().modification_count, 0);
}

#[tokio::test]
async fn an_unknown_key_is_invalid_access_key_id_not_found() {
    let em = start(Duration::ZERO);
    let client = Client::new(config(&em, Credentials::new("who-is-this", "secret"), 3));
    let e = service_error(describe_gateway(&client, "vpn-single-a").await);
    assert_eq!(
        (e.code(), e.http_status()),
        ("InvalidAccessKeyId.NotFound", 404)
    );
    assert_eq!(calls_of(&em, DESCRIBE).count(), 1);
}

#[tokio::test]
async fn sts_keys_need_their_token() {
    let em = start(Duration::ZERO);
    em.add_access_key(AccessKey::new("sts-id", "sts-secret").with_security_token("sts-token"));
    let with = Client::new(config(
        &em,
        Credentials::new("sts-id", "sts-secret").with_security_token("sts-token"),
        1,
    ));
    describe_gateway(&with, "vpn-single-a").await.unwrap();
    let without = Client::new(config(&em, Credentials::new("sts-id", "sts-secret"), 1));
    let e = service_error(describe_gateway(&without, "vpn-single-a").await);
    assert_eq!(e.code(), "InvalidSecurityToken.MismatchWithAccessKey");
}

fn error_of(resp: &HttpResponse) -> ServiceErrorMeta {
    ServiceErrorMeta::from_response(resp.status().as_u16(), resp.body())
        .expect("errors come in the JSON envelope")
}

/// An operation the emulator does not serve.
static NO_SUCH_ACTION: OperationMeta = OperationMeta {
    product: "Vpc",
    version: "2016-04-28",
    action: "NoSuchAction",
    endpoint_pattern: "vpc.{region_id}.aliyuncs.com",
    endpoints: &[],
    method: "POST",
    idempotency_token: None,
    anonymous: false,
    errors: &[],
};
/// `DescribeVpnGateway` in a version the emulator does not serve.
static OLD_VERSION: OperationMeta = OperationMeta {
    product: "Vpc",
    version: "2014-05-26",
    action: "DescribeVpnGateway",
    endpoint_pattern: "vpc.{region_id}.aliyuncs.com",
    endpoints: &[],
    method: "POST",
    idempotency_token: None,
    anonymous: false,
    errors: &[],
};

#[tokio::test]
async fn timestamps_nonces_authorization_actions_and_versions_are_checked() {
    let em = start(Duration::ZERO);
    let client = client_once(&em);
    let core = client.core();
    let t = transport(PATIENCE);
    let creds = default_credentials();
    let mut wire = describe_request("vpn-single-a").to_wire();
    wire.sort();
    let now = format_acs_date(SystemTime::now());

    // One nonce, twice.
    let build = |meta: &'static OperationMeta, date: &str, nonce: &str| {
        core.build_request(meta, &wire, &creds, date, nonce)
            .expect("a request")
    };
    let first = send_raw(&t, build(&describe::META, &now, "nonce-1")).await;
    assert_eq!(first.status(), 200);
    assert!(first.headers().contains_key("x-acs-request-id"));
    assert!(
        first.headers().contains_key("date"),
        "the client learns the server's clock from it"
    );
    let again = send_raw(&t, build(&describe::META, &now, "nonce-1")).await;
    assert_eq!(error_of(&again).code, "SignatureNonceUsed");

    // An hour off.
    let old = format_acs_date(SystemTime::now() - Duration::from_secs(3600));
    let e = error_of(&send_raw(&t, build(&describe::META, &old, "nonce-2")).await);
    assert_eq!(
        (e.status, e.code.as_str()),
        (400, "InvalidTimeStamp.Expired")
    );

    // No Authorization.
    let mut req = build(&describe::META, &now, "nonce-3");
    req.headers_mut().remove("authorization");
    let e = error_of(&send_raw(&t, req).await);
    assert_eq!((e.status, e.code.as_str()), (400, "IncompleteSignature"));

    // A signed header changed on the way.
    let mut req = build(&describe::META, &now, "nonce-4");
    req.headers_mut()
        .insert("x-acs-signature-nonce", "nonce-4b".parse().unwrap());
    let e = error_of(&send_raw(&t, req).await);
    assert_eq!(e.code, "SignatureDoesNotMatch");

    let e = error_of(&send_raw(&t, build(&NO_SUCH_ACTION, &now, "nonce-5")).await);
    assert_eq!((e.status, e.code.as_str()), (404, "InvalidAction.NotFound"));
    let e = error_of(&send_raw(&t, build(&OLD_VERSION, &now, "nonce-6")).await);
    assert_eq!((e.status, e.code.as_str()), (400, "InvalidVersion"));

    // The envelope carries every documented key.
    let body: Value = serde_json::from_slice(again.body()).unwrap();
    for key in ["RequestId", "HostId", "Code", "Message", "Recommend"] {
        assert!(
            body[key].as_str().is_some_and(|s| !s.is_empty()),
            "{key}: {body}"
        );
    }
}
