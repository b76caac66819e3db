//! The naming obstacle course (`tests/obstacle/spec`): Rust keywords, prelude names and names
//! that collide after case conversion, everywhere a spec can put a name. The generated crate
//! `alicloud-obstacle` is a workspace member, so it must compile without warnings under clippy;
//! these tests check what the generator said about it and that the names still work.

use alicloud_codegen::{generate, Settings};
use alicloud_obstacle::operation::r#match::MatchRequest;
use alicloud_obstacle::types::{Option as OptionShape, Result as ResultEnum, Vec as VecShape};
use alicloud_runtime::client::ToWire;
use alicloud_tests::{assert_committed_files_current, repo_root, spec_sources_in};

fn obstacle_root() -> std::path::PathBuf {
    repo_root().join("tests/obstacle")
}

#[test]
fn renames_are_deterministic_and_reported_as_warnings() {
    let out = generate(&spec_sources_in(&obstacle_root()), &Settings::default())
        .expect("the obstacle course generates");
    let warnings: Vec<String> = out.warnings.warnings().map(|w| w.message.clone()).collect();
    assert_eq!(
        warnings,
        [
            "operation `Clone` would be the client method `clone`, which the client already has; it is `clone_action`",
            "operation `New` would be the client method `new`, which the client already has; it is `new_action`",
            "operation `Raw` would be the client method `raw`, which the client already has; it is `raw_action`",
            "`Self` gets the same Rust name as an earlier field after case conversion; it is named `self_2`",
            "enum value `unknown` would be the variant `Unknown`, which the enum already has; it is named `UnknownValue`",
            "enum value `Unknown` would be the variant `Unknown`, which the enum already has; it is named `Unknown2`",
            "enum value `a_b` would be the variant `AB`, which the enum already has; it is named `ABValue`",
            "`InvalidVPC` gets the same Rust name as an earlier field after case conversion; it is named `invalid_vpc_2`",
        ]
    );
    // Error codes that collide keep their spelling: a note, not a warning (nothing to do).
    let notes: Vec<String> = out
        .warnings
        .0
        .iter()
        .filter(|d| d.severity == alicloud_codegen::Severity::Note)
        .map(|d| d.message.clone())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("`InvalidVpc.NotFound`")
            && n.contains("`ErrorCode::InvalidVpc_NotFound`")),
        "{notes:?}"
    );
}

#[tokio::test]
async fn operations_named_like_the_clients_own_methods_get_names_of_their_own() {
    use alicloud_obstacle::operation::create_ipv6_gateway::CreateIpv6GatewayRequest;
    use alicloud_obstacle::operation::new::NewRequest;
    use alicloud_obstacle::{Client, Config, Credentials};
    use alicloud_runtime::transport::InMemoryTransport;

    // `Build` and `SetBuild` are fields whose setters would be the builder's own methods.
    let req = NewRequest::builder()
        .build_value("b")
        .set_build("s")
        .build()
        .expect("builds");
    let wire = req.to_wire();
    let keys: Vec<(String, String)> = wire
        .query
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(
        keys,
        [
            ("Build".into(), "b".into()),
            ("SetBuild".into(), "s".into())
        ]
    );
    // Acronyms with versions read as words; the wire keeps the spec's spelling.
    let ipv6 = CreateIpv6GatewayRequest::builder()
        .ipv6_cidr_block("2408:4004::/56")
        .build()
        .expect("builds");
    assert_eq!(
        ipv6.to_wire()
            .query
            .iter()
            .next()
            .map(|(k, _)| k.to_string()),
        Some("IPv6CidrBlock".into())
    );

    // The client keeps `new`, `clone` and `core`; each operation still has a method, and
    // sends its own action.
    let transport = InMemoryTransport::new(|req| {
        let action = req.headers()["x-acs-action"]
            .to_str()
            .unwrap_or_default()
            .to_owned();
        Ok(alicloud_runtime::transport::json_response(
            200,
            &format!(r#"{{"RequestId":"{action}"}}"#),
        ))
    });
    let client = Client::new(
        Config::new(Credentials::new("id", "secret"), transport).with_endpoint("obstacle.test"),
    );
    let copy = client.clone();
    copy.new_action().send().await.expect("New answers");
    copy.clone_action().send().await.expect("Clone answers");
    copy.config().send().await.expect("Config answers");
    copy.builder().send().await.expect("Builder answers");
    let _ = client.core();
    // `raw` stays the client's call by name; the operation `Raw` moves aside, and its
    // parameters named like the builder's per-call methods get setters of their own.
    let answer = copy
        .raw_action()
        .with_options_value("o")
        .send_with_metadata_value("m")
        .send_with_metadata()
        .await
        .expect("Raw answers");
    assert_eq!(answer.request_id(), Some("Raw"));
    let by_name = client
        .raw("Raw")
        .send_json()
        .await
        .expect("raw call answers");
    assert_eq!(by_name["RequestId"], "Raw");
}

#[test]
fn committed_obstacle_crate_is_current() {
    let root = obstacle_root();
    let out = generate(&spec_sources_in(&root), &Settings::default()).expect("generates");
    assert_committed_files_current(&root, &out, "cargo xtask codegen --root tests/obstacle");
}

#[test]
fn keyword_and_prelude_names_keep_their_wire_names() {
    let option = OptionShape::builder()
        .r#type("t")
        .r#gen("g")
        .self_("lower")
        .self_2("upper")
        .r#async(7_i64)
        .some("s")
        .build_value("b")
        .builder_value("bb")
        .result(ResultEnum::V3des)
        .vec(vec![VecShape::builder().into(1.5).build()])
        .build();
    let req = MatchRequest::builder()
        .region_id("cn-hangzhou")
        .r#type("x")
        .option(option.clone())
        .r#loop(vec![option])
        .r#in(vec!["a".to_owned(), "b".to_owned()])
        .r#where(vec![1_i64, 2])
        .r#dyn(vec![ResultEnum::Ok, "zzz".parse::<ResultEnum>().unwrap()])
        .skip_validation_value(true)
        .invalid_vpc("one")
        .invalid_vpc_2("two")
        .build()
        .expect("required parameters are set");
    req.validate().expect("no constraints to break");
    let mut wire = req.to_wire();
    wire.sort();
    let q = |k: &str| wire.query.get(k).map(std::borrow::Cow::into_owned);
    assert_eq!(q("Type").as_deref(), Some("x"));
    assert_eq!(q("In").as_deref(), Some("a,b"));
    assert_eq!(q("Where").as_deref(), Some("1 2"));
    assert_eq!(q("Dyn").as_deref(), Some("Ok|zzz"));
    assert_eq!(q("SkipValidation").as_deref(), Some("true"));
    assert_eq!(q("InvalidVpc").as_deref(), Some("one"));
    assert_eq!(q("InvalidVPC").as_deref(), Some("two"));
    let json: serde_json::Value =
        serde_json::from_str(&q("Option").expect("json parameter")).expect("valid JSON");
    assert_eq!(json["type"], "t");
    assert_eq!(json["gen"], "g");
    assert_eq!(json["self"], "lower");
    assert_eq!(json["Self"], "upper");
    assert_eq!(json["async"], 7);
    assert_eq!(json["build"], "b");
    assert_eq!(json["Result"], "3des");
    assert_eq!(json["Vec"][0]["Into"], 1.5);
    assert_eq!(wire.body.get("Loop.1.type").as_deref(), Some("t"));
    assert_eq!(wire.body.get("Loop.1.Self").as_deref(), Some("upper"));
    assert_eq!(wire.body.get("Loop.1.Vec.1.Into").as_deref(), Some("1.5"));
}

#[test]
fn colliding_enum_values_stay_distinct() {
    assert_eq!(
        "unknown".parse::<ResultEnum>().unwrap(),
        ResultEnum::UnknownValue
    );
    assert_eq!(
        "Unknown".parse::<ResultEnum>().unwrap(),
        ResultEnum::Unknown2
    );
    assert_eq!("a-b".parse::<ResultEnum>().unwrap(), ResultEnum::AB);
    assert_eq!("a_b".parse::<ResultEnum>().unwrap(), ResultEnum::ABValue);
    let other = "brand-new".parse::<ResultEnum>().unwrap();
    assert!(matches!(other, ResultEnum::Unknown(_)));
    assert_eq!(other.as_str(), "brand-new");
    assert_eq!(ResultEnum::ABValue.to_string(), "a_b");
}

#[test]
fn colliding_error_codes_map_to_their_own_variants() {
    use alicloud_obstacle::operation::r#match::{MatchError, META};
    use alicloud_obstacle::ErrorCode;
    use alicloud_runtime::error::OperationError;
    use alicloud_runtime::ServiceErrorMeta;
    let parse =
        |status, code| MatchError::from_meta(ServiceErrorMeta::new(status, code, "m"), &META);
    let a = parse(400, "InvalidVpc.NotFound");
    let b = parse(404, "InvalidVPC.NotFound");
    let u = parse(400, "Unhandled");
    let s = parse(500, "Self");
    // Neither is spelled `InvalidVpcNotFound`, so both keep their spelling.
    assert_eq!(a.kind(), Some(ErrorCode::InvalidVpc_NotFound));
    assert_eq!(b.kind(), Some(ErrorCode::InvalidVPC_NotFound));
    assert_eq!(u.kind(), Some(ErrorCode::Unhandled));
    assert_eq!(s.kind(), Some(ErrorCode::Self_));
    assert_eq!(ErrorCode::Self_.as_str(), "Self");
    assert_eq!(
        ErrorCode::InvalidVpc_NotFound.to_string(),
        "InvalidVpc.NotFound"
    );
    // The spec marks `Unhandled` retryable and `Self` not, even with its 500; the others say
    // nothing, so their 400 is final like an undocumented one.
    assert!(u.is_retryable() && u.is_documented());
    assert!(!s.is_retryable() && !a.is_retryable());
    assert_eq!(
        (a.code(), a.http_status(), a.message()),
        ("InvalidVpc.NotFound", 400, "m")
    );
    let other = parse(400, "Nope");
    assert_eq!(other.kind(), None);
    assert!(!other.is_documented() && !other.is_retryable());
    assert!(parse(503, "Nope").is_retryable());
}

#[test]
fn patterns_are_enforced_on_values_and_list_items() {
    use alicloud_obstacle::operation::r#match::MatchRequest;
    use alicloud_runtime::Rule;
    let base = || MatchRequest::builder().region_id("cn-hangzhou").r#type("t");
    let ok = base()
        .serial("2024-AB")
        .codes(vec!["abc".to_owned(), "x".to_owned()])
        .build()
        .unwrap();
    assert!(ok.validate().is_ok(), "{:?}", ok.validate());

    // A partial match is not enough (the spec's pattern has no anchors), and each list item is
    // checked on its own.
    let bad = base()
        .serial("x2024-AB")
        .codes(vec!["abc".to_owned(), "A1".to_owned()])
        .build()
        .unwrap();
    let v = bad.validate().unwrap_err();
    let found: Vec<(&str, Rule, Option<&str>)> = v
        .iter()
        .map(|v| (v.path.as_str(), v.rule, v.value.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            ("Serial", Rule::Pattern, Some("x2024-AB")),
            ("Codes[1]", Rule::Pattern, Some("A1")),
        ]
    );
    assert!(v.iter().next().unwrap().message.contains(r"\d{4}-[A-Z]+"));
}

mod paging {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use alicloud_obstacle::{Client, Config, Credentials};
    use alicloud_runtime::paginate::Stream;
    use alicloud_runtime::transport::{json_response, InMemoryTransport};

    fn client(transport: InMemoryTransport) -> Client {
        Client::new(
            Config::new(Credentials::new("id", "secret"), transport).with_endpoint("obstacle.test"),
        )
    }

    fn query(req: &alicloud_runtime::HttpRequest, key: &str) -> Option<String> {
        alicloud_tests::url_query_pairs(&req.uri().to_string())
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    async fn collect<S: Stream + Unpin>(mut s: S) -> Vec<S::Item> {
        let mut out = Vec::new();
        while let Some(item) =
            std::future::poll_fn(|cx| std::pin::Pin::new(&mut s).poll_next(cx)).await
        {
            out.push(item);
        }
        out
    }

    /// A ListThings answer with `n` things.
    fn things(n: usize) -> alicloud_runtime::HttpResponse {
        let items: Vec<String> = (0..n).map(|i| format!(r#"{{"Id":"t{i}"}}"#)).collect();
        json_response(
            200,
            &format!(
                r#"{{"RequestId":"r","TotalCount":{n},"Things":{{"Thing":[{}]}}}}"#,
                items.join(",")
            ),
        )
    }

    fn thing_count(r: &alicloud_obstacle::operation::list_things::ListThingsResponse) -> usize {
        r.things
            .as_ref()
            .and_then(|t| t.thing.as_ref())
            .map_or(0, Vec::len)
    }

    #[tokio::test(start_paused = true)]
    async fn asynchronous_operations_poll_with_their_documented_settings() {
        use alicloud_obstacle::operation::list_things::ListThingsRequest;
        use alicloud_runtime::waiter::{WaitError, WaitState};
        // The thing shows up on the third poll.
        let polls = Arc::new(AtomicUsize::new(0));
        let seen = polls.clone();
        let transport = InMemoryTransport::new(move |_| {
            let n = seen.fetch_add(1, Ordering::SeqCst);
            Ok(things(usize::from(n >= 2)))
        });
        let c = client(transport.clone());
        let request = ListThingsRequest::builder()
            .region_id("cn-hangzhou")
            .build()
            .unwrap();
        let poller = c.wait_for_match(request.clone());
        // The spec's `asynchronous` settings of `Match`.
        assert_eq!(poller.operation(), "ListThings");
        assert_eq!(
            poller.settings().interval,
            std::time::Duration::from_millis(20)
        );
        assert_eq!(
            poller.settings().initial_delay,
            std::time::Duration::from_millis(20)
        );
        assert_eq!(poller.settings().max_attempts, 3);
        let start = tokio::time::Instant::now();
        let done = poller
            .until(|r| {
                if thing_count(r) > 0 {
                    WaitState::Done
                } else {
                    WaitState::Pending(Some("absent".into()))
                }
            })
            .await
            .unwrap();
        assert_eq!(thing_count(&done), 1);
        assert_eq!(polls.load(Ordering::SeqCst), 3);
        // One interval before each poll (paused time advances exactly).
        assert_eq!(start.elapsed(), std::time::Duration::from_millis(60));
        assert!(transport
            .requests()
            .iter()
            .all(|r| r.headers()["x-acs-action"] == "ListThings"));

        // Never done: the documented 3 attempts, then the last status seen.
        let e = c
            .wait_for_match(request.clone())
            .until(|_| WaitState::Pending(Some("absent".into())))
            .await
            .unwrap_err();
        assert!(
            matches!(&e, WaitError::TimedOut { attempts: 3, last_status: Some(s) } if s == "absent"),
            "{e}"
        );
        // A failed state ends the wait at once; attempts can be changed.
        let e = c
            .wait_for_match(request.clone())
            .max_attempts(10)
            .until(|_| WaitState::Failed("broken".into()))
            .await
            .unwrap_err();
        assert!(
            matches!(&e, WaitError::FailureStatus { status, attempts: 1 } if status == "broken")
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_poll_error_code_can_end_the_wait() {
        use alicloud_obstacle::operation::list_things::ListThingsRequest;
        use alicloud_runtime::waiter::{WaitError, WaitState};
        let transport = InMemoryTransport::new(|_| {
            Ok(json_response(
                404,
                r#"{"RequestId":"r","Code":"Thing.NotFound","Message":"gone"}"#,
            ))
        });
        let request = ListThingsRequest::builder()
            .region_id("cn-hangzhou")
            .build()
            .unwrap();
        let e = client(transport.clone())
            .wait_for_match(request)
            .failure_codes(["Thing.NotFound"])
            .until(|_| WaitState::Done)
            .await
            .unwrap_err();
        match e {
            WaitError::FailureCode(err) => assert_eq!(err.code(), "Thing.NotFound"),
            other => panic!("expected the failure code, got {other}"),
        }
        assert_eq!(transport.requests().len(), 1);
    }

    #[tokio::test]
    async fn page_numbers_are_followed_until_the_total() {
        // 5 things, 2 per page: pages 1, 2 and 3, then the stream ends.
        let transport = InMemoryTransport::new(|req| {
            let page: i64 = query(req, "PageNumber").map_or(1, |p| p.parse().unwrap());
            let ids: Vec<String> = ((page - 1) * 2..(page * 2).min(5))
                .map(|i| format!(r#"{{"Id":"t{i}"}}"#))
                .collect();
            Ok(json_response(
                200,
                &format!(
                    r#"{{"RequestId":"r{page}","TotalCount":5,"PageNumber":{page},"PageSize":2,"Things":{{"Thing":[{}]}}}}"#,
                    ids.join(",")
                ),
            ))
        });
        let pages = client(transport.clone())
            .list_things()
            .region_id("cn-hangzhou")
            .page_size(2)
            .into_paginator();
        let pages = collect(pages).await;
        let ids: Vec<String> = pages
            .iter()
            .flat_map(|p| p.as_ref().unwrap().things.clone().unwrap().thing.unwrap())
            .map(|t| t.id.unwrap())
            .collect();
        assert_eq!(ids, ["t0", "t1", "t2", "t3", "t4"]);
        let sent: Vec<Option<String>> = transport
            .requests()
            .iter()
            .map(|r| query(r, "PageNumber"))
            .collect();
        assert_eq!(sent, [None, Some("2".to_owned()), Some("3".to_owned())]);
    }

    #[tokio::test]
    async fn tokens_are_followed_until_there_is_none() {
        let calls = Arc::new(AtomicUsize::new(0));
        let seen = calls.clone();
        let transport = InMemoryTransport::new(move |req| {
            seen.fetch_add(1, Ordering::SeqCst);
            let body = match query(req, "NextToken").as_deref() {
                None => r#"{"NextToken":"b","Items":[{"Id":"1"}]}"#,
                Some("b") => r#"{"NextToken":"c","Items":[{"Id":"2"}]}"#,
                Some("c") => r#"{"NextToken":"","Items":[{"Id":"3"}]}"#,
                Some(other) => panic!("unexpected token {other}"),
            };
            Ok(json_response(200, body))
        });
        let pages = collect(client(transport).scan_things().into_paginator()).await;
        assert_eq!(pages.len(), 3);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_token_that_does_not_move_ends_the_stream() {
        let transport =
            InMemoryTransport::always(200, r#"{"NextToken":"same","Items":[{"Id":"1"}]}"#);
        let pages = collect(
            client(transport.clone())
                .scan_things()
                .next_token("same")
                .into_paginator(),
        )
        .await;
        assert_eq!(pages.len(), 1);
        assert_eq!(transport.requests().len(), 1);
    }

    #[tokio::test]
    async fn errors_end_the_stream_and_missing_parameters_are_reported() {
        let transport =
            InMemoryTransport::always(400, r#"{"Code":"Bad","Message":"no","RequestId":"x"}"#);
        let pages = collect(
            client(transport)
                .list_things()
                .region_id("r")
                .into_paginator(),
        )
        .await;
        assert_eq!(pages.len(), 1);
        assert!(pages[0].is_err());
        let transport = InMemoryTransport::always(200, "{}");
        let pages = collect(client(transport.clone()).list_things().into_paginator()).await;
        assert_eq!(pages.len(), 1);
        let err = pages.into_iter().next().unwrap().unwrap_err();
        assert!(err.to_string().contains("RegionId"), "{err}");
        assert!(transport.requests().is_empty());
    }
}

/// Prelude names are written short only in a crate that cannot shadow them
/// (generator/src/prelude.rs): the obstacle course defines `Option`, `Result`, `String`, `Vec`
/// and `Default` shapes, so its crate keeps their absolute paths, while its other prelude
/// names (and every prelude name of Vpc, which defines none) are written short.
#[test]
fn prelude_names_are_short_only_where_nothing_shadows_them() {
    let out = generate(&spec_sources_in(&obstacle_root()), &Settings::default())
        .expect("the obstacle course generates");
    let text = |suffix: &str| -> String {
        out.files
            .iter()
            .find(|f| f.path.ends_with(suffix))
            .unwrap_or_else(|| panic!("no {suffix}"))
            .contents
            .clone()
    };
    let types = text("obstacle/src/types.rs");
    for own in ["Option", "Result", "String", "Vec", "Default"] {
        assert!(
            types.contains(&format!("pub struct {own} "))
                || types.contains(&format!("pub enum {own} ")),
            "{own}"
        );
    }
    for long in [
        "::std::option::Option<",
        "::std::string::String",
        "::std::vec::Vec<",
        "::std::default::Default",
    ] {
        assert!(types.contains(long), "{long}");
    }
    // The variants, and the prelude names the course does not define, are short.
    assert!(types.contains("Some("));
    assert!(!types.contains("::std::option::Option::Some"));
    assert!(!types.contains("::std::convert::Into"));
    assert!(types.contains("Into<"));

    let vpc =
        std::fs::read_to_string(repo_root().join("generated/vpc/src/operation/create_vpc.rs"))
            .expect("generated/vpc/src/operation/create_vpc.rs");
    assert!(vpc.contains("Option<String>"));
    for long in [
        "::std::option::",
        "::std::string::String",
        "::std::vec::Vec",
        "::std::result::Result",
        "::std::default::Default",
    ] {
        assert!(!vpc.contains(long), "{long}");
    }
}
