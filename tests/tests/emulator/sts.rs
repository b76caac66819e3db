//! STS through the emulator's catalog: `GetCallerIdentity` answers who the signing key
//! belongs to, `AssumeRoleWithSAML` (unsigned) answers its synthesised body, while
//! `AssumeRole` keeps issuing credentials the API then accepts.

use super::*;

use alicloud_emulator::IdentityConfig;

const ROLE: &str = "acs:ram::1234567890123456:role/emulated-role";

fn sts_client(em: &Emulator, credentials: Credentials) -> alicloud_sts::Client {
    alicloud_sts::Client::new(
        alicloud_sts::Config::new(credentials, transport(PATIENCE))
            .with_endpoint(em.endpoint())
            .with_scheme(Scheme::Http)
            .with_retry(retries(1)),
    )
}

fn with_identity() -> Emulator {
    Emulator::start(
        EmulatorConfig::default()
            .with_access_key(AccessKey::new("second-key-id", "second-key-secret"))
            .with_identity(IdentityConfig {
                roles: vec![ROLE.into()],
                ..Default::default()
            }),
    )
    .expect("the emulator starts")
}

#[tokio::test]
async fn get_caller_identity_answers_for_the_key_that_signed() {
    let em = with_identity();
    let first = sts_client(&em, default_credentials());
    let me = first.get_caller_identity().send().await.expect("answered");
    assert_eq!(me.identity_type.as_deref(), Some("RAMUser"));
    let account = me.account_id.clone().expect("an account");
    assert_eq!(account.len(), 16);
    assert!(account.bytes().all(|b| b.is_ascii_digit()), "{account}");
    let user = me.user_id.clone().expect("a user");
    assert_ne!(user, account);
    assert_eq!(me.principal_id.as_deref(), Some(user.as_str()));
    assert!(me
        .arn
        .as_deref()
        .is_some_and(|a| a.starts_with(&format!("acs:ram::{account}:user/"))));
    let call = em.requests().pop().unwrap();
    assert_eq!(call.action.as_deref(), Some("GetCallerIdentity"));
    assert_eq!(me.request_id.as_deref(), Some(call.request_id.as_str()));

    // The same key is the same identity; another key another one.
    let again = first.get_caller_identity().send().await.unwrap();
    assert_eq!(again.account_id, me.account_id);
    assert_eq!(again.user_id, me.user_id);
    let other = sts_client(&em, Credentials::new("second-key-id", "second-key-secret"))
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_ne!(other.account_id, me.account_id);
    assert_ne!(other.user_id, me.user_id);

    // A key the emulator does not know is refused before anything is answered.
    let err = sts_client(&em, Credentials::new("nobody", "nothing"))
        .get_caller_identity()
        .send()
        .await
        .expect_err("unknown key");
    match err {
        alicloud_sts::SdkError::Service(e) => {
            assert_eq!(e.code(), "InvalidAccessKeyId.NotFound")
        }
        other => panic!("not a service error: {other:?}"),
    }
}

#[tokio::test]
async fn an_assumed_role_is_the_caller_of_its_session() {
    let em = with_identity();
    let assumed = sts_client(&em, default_credentials())
        .assume_role()
        .role_arn(ROLE)
        .role_session_name("session-7")
        .send()
        .await
        .expect("the role is assumed");
    let c = assumed.credentials.expect("credentials");
    let creds = Credentials::new(c.access_key_id.unwrap(), c.access_key_secret.unwrap())
        .with_security_token(c.security_token.unwrap());
    let me = sts_client(&em, creds)
        .get_caller_identity()
        .send()
        .await
        .expect("the STS key is accepted");
    assert_eq!(me.identity_type.as_deref(), Some("AssumedRoleUser"));
    assert_eq!(me.account_id.as_deref(), Some("1234567890123456"));
    assert_eq!(
        me.arn.as_deref(),
        Some("acs:ram::1234567890123456:assumed-role/emulated-role/session-7")
    );
    let role_id = me.role_id.clone().expect("a role ID");
    assert_eq!(
        me.principal_id.as_deref(),
        Some(format!("{role_id}:session-7").as_str())
    );
}

#[tokio::test]
async fn assume_role_with_saml_is_answered_unsigned_from_the_catalog() {
    let em = with_identity();
    // Credentials that would not verify: the operation is sent without a signature.
    let answer = sts_client(&em, Credentials::new("nobody", "nothing"))
        .assume_role_with_saml()
        .saml_provider_arn("acs:ram::1234567890123456:saml-provider/idp")
        .role_arn(ROLE)
        .saml_assertion("PHNhbWw+PC9zYW1sPg==")
        .send()
        .await
        .expect("answered");
    let call = em.requests().pop().unwrap();
    assert_eq!(call.action.as_deref(), Some("AssumeRoleWithSAML"));
    assert_eq!(call.status, Some(200));
    assert_eq!(answer.request_id.as_deref(), Some(call.request_id.as_str()));
    let c = answer.credentials.expect("credentials");
    assert!(c.access_key_id.is_some() && c.security_token.is_some());

    // A value that is not of its parameter's type is refused by the generated decoding, as
    // the service would, naming the parameter (and not quoting the value).
    let raw = http::Request::post(format!("http://{}/", em.endpoint()))
        .header("x-acs-action", "AssumeRoleWithSAML")
        .header("x-acs-version", "2015-04-01")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(
            format!("SAMLProviderArn=acs%3Aram%3A%3A1%3Asaml-provider%2Fidp&RoleArn={ROLE}&DurationSeconds=long")
                .into_bytes(),
        )
        .unwrap();
    let resp: HttpResponse = transport(PATIENCE).send(raw).await.unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let body: Value = serde_json::from_slice(resp.body()).unwrap();
    assert_eq!(body["Code"], "InvalidParameter");
    let message = body["Message"].as_str().unwrap_or_default();
    assert!(message.contains("DurationSeconds"), "{body}");
    assert!(!message.contains("long"), "{body}");
}
