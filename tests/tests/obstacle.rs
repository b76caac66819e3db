//! The naming obstacle course (`tests/obstacle/spec`): Rust keywords, prelude names and names
//! that collide after case conversion, everywhere a spec can put a name. The generated crate
//! `alicloud-obstacle` is a workspace member, so it must compile without warnings under clippy;
//! these tests check what the generator said about it and that the names still work.

use alicloud_codegen::{generate, Settings};
use alicloud_obstacle::operation::r#match::MatchRequest;
use alicloud_obstacle::types::{Option as OptionShape, Result as ResultEnum, Vec as VecShape};
use alicloud_runtime::client::ToWire;
use alicloud_tests::{repo_root, spec_sources_in};

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
            "`Self` gets the same Rust name as an earlier field after case conversion; it is named `self_2`",
            "enum value `Unknown` gets the same Rust name as an earlier value; it is named `UnknownValue2`",
            "enum value `a_b` gets the same Rust name as an earlier value; it is named `AB2`",
            "`InvalidVPC` gets the same Rust name as an earlier field after case conversion; it is named `invalid_vpc_2`",
            "error code `InvalidVPC.NotFound` gets the same variant name as an earlier code; its variant is `InvalidVpcNotFound2`",
        ]
    );
}

#[test]
fn committed_obstacle_crate_is_current() {
    let root = obstacle_root();
    let out = generate(&spec_sources_in(&root), &Settings::default()).expect("generates");
    for f in &out.files {
        let on_disk = std::fs::read_to_string(root.join(&f.path)).unwrap_or_default();
        assert!(
            on_disk == f.contents,
            "tests/obstacle/{} is stale: run `cargo xtask codegen --root tests/obstacle`",
            f.path
        );
    }
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
    let q = |k: &str| wire.query.get(k).map(str::to_owned);
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
    assert_eq!(wire.body.get("Loop.1.type"), Some("t"));
    assert_eq!(wire.body.get("Loop.1.Self"), Some("upper"));
    assert_eq!(wire.body.get("Loop.1.Vec.1.Into"), Some("1.5"));
}

#[test]
fn colliding_enum_values_stay_distinct() {
    assert_eq!(
        "unknown".parse::<ResultEnum>().unwrap(),
        ResultEnum::UnknownValue
    );
    assert_eq!(
        "Unknown".parse::<ResultEnum>().unwrap(),
        ResultEnum::UnknownValue2
    );
    assert_eq!("a-b".parse::<ResultEnum>().unwrap(), ResultEnum::AB);
    assert_eq!("a_b".parse::<ResultEnum>().unwrap(), ResultEnum::AB2);
    let other = "brand-new".parse::<ResultEnum>().unwrap();
    assert!(matches!(other, ResultEnum::Unknown(_)));
    assert_eq!(other.as_str(), "brand-new");
    assert_eq!(ResultEnum::AB2.to_string(), "a_b");
}

#[test]
fn colliding_error_codes_map_to_their_own_variants() {
    use alicloud_obstacle::operation::r#match::MatchError;
    use alicloud_runtime::error::OperationError;
    use alicloud_runtime::ServiceErrorMeta;
    let a = MatchError::from_meta(ServiceErrorMeta::new(400, "InvalidVpc.NotFound", "m"));
    let b = MatchError::from_meta(ServiceErrorMeta::new(404, "InvalidVPC.NotFound", "m"));
    let u = MatchError::from_meta(ServiceErrorMeta::new(400, "Unhandled", "m"));
    let s = MatchError::from_meta(ServiceErrorMeta::new(500, "Self", "m"));
    assert!(matches!(a, MatchError::InvalidVpcNotFound(_)));
    assert!(matches!(b, MatchError::InvalidVpcNotFound2(_)));
    assert!(matches!(u, MatchError::UnhandledCode(_)));
    assert!(u.is_retryable());
    assert!(matches!(s, MatchError::Self_(_)));
    let other = MatchError::from_meta(ServiceErrorMeta::new(400, "Nope", "m"));
    assert!(matches!(other, MatchError::Unhandled(_)));
}
