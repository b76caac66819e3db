//! Every operation answers: the resource engine's create → describe → modify → delete cycles
//! through the typed client, synthesised answers of stateless operations, scripted answers,
//! the service's errors for unknown actions and missing parameters, and records kept across
//! restarts.

use super::*;

use alicloud_emulator::FaultKind;

fn code_of<T: std::fmt::Debug>(
    r: Result<T, SdkError<alicloud_runtime::ServiceError<alicloud_vpc::ErrorCode>>>,
) -> String {
    service_error(r).code().to_owned()
}

#[tokio::test]
async fn vpcs_and_vswitches_live_and_die() {
    let em = start(FOREVER);
    let client = client(&em);

    let made = client
        .create_vpc()
        .region_id(REGION)
        .vpc_name("first")
        .cidr_block("10.0.0.0/8")
        .send()
        .await
        .unwrap();
    let vpc = made.vpc_id.clone().unwrap();
    assert!(vpc.starts_with("vpc-"), "{vpc}");
    assert!(made.request_id.is_some());

    let listed = client
        .describe_vpcs()
        .region_id(REGION)
        .vpc_name("first")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.total_count, Some(1));
    let item = &listed.vpcs.unwrap().vpc.unwrap()[0];
    assert_eq!(item.vpc_id.as_deref(), Some(vpc.as_str()));
    assert_eq!(item.region_id.as_deref(), Some(REGION));
    assert_eq!(item.vpc_name.as_deref(), Some("first"));
    let elsewhere = client
        .describe_vpcs()
        .region_id("cn-beijing")
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.total_count, Some(0));

    client
        .modify_vpc_attribute()
        .region_id(REGION)
        .vpc_id(&vpc)
        .vpc_name("second")
        .description("changed")
        .send()
        .await
        .unwrap();
    let attr = client
        .describe_vpc_attribute()
        .region_id(REGION)
        .vpc_id(&vpc)
        .send()
        .await
        .unwrap();
    assert_eq!(attr.vpc_name.as_deref(), Some("second"));
    assert_eq!(attr.description.as_deref(), Some("changed"));
    assert_eq!(attr.vpc_id.as_deref(), Some(vpc.as_str()));

    let vsw = client
        .create_v_switch()
        .region_id(REGION)
        .vpc_id(&vpc)
        .zone_id("cn-shanghai-b")
        .cidr_block("10.1.0.0/24")
        .v_switch_name("sw")
        .send()
        .await
        .unwrap()
        .v_switch_id
        .unwrap();
    assert!(vsw.starts_with("vsw-"), "{vsw}");
    let switches = client
        .describe_v_switches()
        .region_id(REGION)
        .vpc_id(&vpc)
        .send()
        .await
        .unwrap();
    assert_eq!(switches.total_count, Some(1));
    let sw = &switches.v_switches.unwrap().v_switch.unwrap()[0];
    assert_eq!(sw.v_switch_id.as_deref(), Some(vsw.as_str()));
    assert_eq!(sw.zone_id.as_deref(), Some("cn-shanghai-b"));
    assert_eq!(sw.cidr_block.as_deref(), Some("10.1.0.0/24"));

    client
        .modify_v_switch_attribute()
        .region_id(REGION)
        .v_switch_id(&vsw)
        .v_switch_name("renamed")
        .send()
        .await
        .unwrap();
    let sw = client
        .describe_v_switch_attributes()
        .region_id(REGION)
        .v_switch_id(&vsw)
        .send()
        .await
        .unwrap();
    assert_eq!(sw.v_switch_name.as_deref(), Some("renamed"));

    // A VPC with a vSwitch in it stays; a vSwitch in an unknown VPC is refused.
    let busy = client
        .delete_vpc()
        .region_id(REGION)
        .vpc_id(&vpc)
        .send()
        .await;
    assert_eq!(code_of(busy), "DependencyViolation.VSwitch");
    let orphan = client
        .create_v_switch()
        .region_id(REGION)
        .vpc_id("vpc-nosuchthing")
        .zone_id("cn-shanghai-b")
        .cidr_block("10.2.0.0/24")
        .send()
        .await;
    assert_eq!(code_of(orphan), "InvalidVpcId.NotFound");

    client
        .delete_v_switch()
        .region_id(REGION)
        .v_switch_id(&vsw)
        .send()
        .await
        .unwrap();
    let gone = client
        .describe_v_switch_attributes()
        .region_id(REGION)
        .v_switch_id(&vsw)
        .send()
        .await;
    assert_eq!(code_of(gone), "InvalidVSwitchId.NotFound");
    client
        .delete_vpc()
        .region_id(REGION)
        .vpc_id(&vpc)
        .send()
        .await
        .unwrap();
    let gone = client
        .describe_vpc_attribute()
        .region_id(REGION)
        .vpc_id(&vpc)
        .send()
        .await;
    assert_eq!(code_of(gone), "InvalidVpcId.NotFound");
    assert!(em.records().is_empty());
}

#[tokio::test]
async fn eips_and_route_tables_live_and_die() {
    let em = start(FOREVER);
    let client = client(&em);

    let eip = client
        .allocate_eip_address()
        .region_id(REGION)
        .bandwidth("5")
        .name("ip-one")
        .send()
        .await
        .unwrap()
        .allocation_id
        .unwrap();
    assert!(eip.starts_with("eip-"), "{eip}");
    client
        .modify_eip_address_attribute()
        .region_id(REGION)
        .allocation_id(&eip)
        .name("ip-two")
        .send()
        .await
        .unwrap();
    let listed = client
        .describe_eip_addresses()
        .region_id(REGION)
        .allocation_id(&eip)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.total_count, Some(1));
    let item = &listed.eip_addresses.unwrap().eip_address.unwrap()[0];
    assert_eq!(item.name.as_deref(), Some("ip-two"));
    assert_eq!(item.bandwidth.as_deref(), Some("5"));
    client
        .release_eip_address()
        .region_id(REGION)
        .allocation_id(&eip)
        .send()
        .await
        .unwrap();
    let again = client
        .release_eip_address()
        .region_id(REGION)
        .allocation_id(&eip)
        .send()
        .await;
    assert_eq!(code_of(again), "InvalidAllocationId.NotFound");

    let vpc = client
        .create_vpc()
        .region_id(REGION)
        .send()
        .await
        .unwrap()
        .vpc_id
        .unwrap();
    let table = client
        .create_route_table()
        .region_id(REGION)
        .vpc_id(&vpc)
        .route_table_name("rt")
        .send()
        .await
        .unwrap()
        .route_table_id
        .unwrap();
    assert!(table.starts_with("vtb-"), "{table}");
    client
        .modify_route_table_attributes()
        .region_id(REGION)
        .route_table_id(&table)
        .route_table_name("rt2")
        .send()
        .await
        .unwrap();
    let tables = client
        .describe_route_table_list()
        .region_id(REGION)
        .vpc_id(&vpc)
        .send()
        .await
        .unwrap();
    let t = &tables
        .router_table_list
        .unwrap()
        .router_table_list_type
        .unwrap()[0];
    assert_eq!(t.route_table_id.as_deref(), Some(table.as_str()));
    assert_eq!(t.route_table_name.as_deref(), Some("rt2"));
    client
        .delete_route_table()
        .region_id(REGION)
        .route_table_id(&table)
        .send()
        .await
        .unwrap();
    let tables = client
        .describe_route_table_list()
        .region_id(REGION)
        .vpc_id(&vpc)
        .send()
        .await
        .unwrap();
    assert_eq!(tables.total_count, Some(0));
}

#[tokio::test]
async fn describe_pages_through_what_exists() {
    let em = start(FOREVER);
    let client = client(&em);
    let mut made = std::collections::BTreeSet::new();
    for i in 0..7 {
        let id = client
            .create_vpc()
            .region_id(REGION)
            .vpc_name(format!("p{i}"))
            .send()
            .await
            .unwrap()
            .vpc_id
            .unwrap();
        made.insert(id);
    }
    let mut seen = std::collections::BTreeSet::new();
    for page in 1..=3 {
        let r = client
            .describe_vpcs()
            .region_id(REGION)
            .page_number(page)
            .page_size(3)
            .send()
            .await
            .unwrap();
        assert_eq!(r.total_count, Some(7));
        assert_eq!(r.page_number, Some(page));
        let items = r.vpcs.unwrap().vpc.unwrap_or_default();
        assert_eq!(items.len(), if page < 3 { 3 } else { 1 }, "page {page}");
        seen.extend(items.into_iter().filter_map(|v| v.vpc_id));
    }
    assert_eq!(seen, made);
}

#[tokio::test]
async fn stateless_operations_answer_well_formed_bodies() {
    let em = start(FOREVER);
    let client = client(&em);
    let regions = client.describe_regions().send().await.unwrap();
    assert!(regions.request_id.is_some());
    assert!(!regions.regions.unwrap().region.unwrap().is_empty());
    let zones = client
        .describe_zones()
        .region_id(REGION)
        .send()
        .await
        .unwrap();
    assert!(zones.request_id.is_some());
    let nat = client
        .describe_nat_gateways()
        .region_id(REGION)
        .send()
        .await
        .unwrap();
    assert!(nat.request_id.is_some());
    let tags = client
        .list_tag_resources()
        .region_id(REGION)
        .resource_type("VPC")
        .send()
        .await
        .unwrap();
    assert!(tags.request_id.is_some());
    // The request ID of the body is the call's, not the example's.
    let with_meta = client
        .describe_zones()
        .region_id(REGION)
        .send_with_metadata()
        .await
        .unwrap();
    assert_eq!(
        with_meta.body().request_id.as_deref(),
        with_meta.request_id()
    );
    let recorded: Vec<_> = em.requests().into_iter().filter_map(|r| r.action).collect();
    for a in [
        "DescribeRegions",
        "DescribeZones",
        "DescribeNatGateways",
        "ListTagResources",
    ] {
        assert!(recorded.iter().any(|r| r == a), "{a}: {recorded:?}");
    }
}

#[tokio::test]
async fn unknown_actions_and_missing_parameters_answer_as_the_service() {
    let em = start(FOREVER);
    // The endpoint's region comes from the configuration; the request carries no `RegionId`.
    let client = Client::new(config(&em, default_credentials(), 1).with_region(REGION));
    let missing = client
        .raw("DescribeVpcAttribute")
        .param("VpcId", "vpc-x")
        .send_json()
        .await;
    let e = service_error(missing);
    assert_eq!(e.code(), "MissingParameter");
    assert!(e.message().contains("RegionId"), "{}", e.message());

    let unknown = client
        .raw("NoSuchAction")
        .param("RegionId", REGION)
        .send_json()
        .await;
    match unknown {
        Err(SdkError::Service(e)) => {
            assert_eq!(e.code(), "InvalidAction.NotFound");
            assert_eq!(e.http_status(), 404);
        }
        other => panic!("expected InvalidAction.NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn scripted_answers_come_first_then_the_engine_again() {
    let em = start(FOREVER);
    let client = client_once(&em);
    em.add_fault(
        Fault::error(1, 404, "InvalidVpcId.NotFound", "scripted").for_action("DescribeVpcs"),
    );
    let mut typed = alicloud_vpc::operation::describe_vpcs::DescribeVpcsResponse::default();
    typed.total_count = Some(42);
    em.add_fault(Fault::respond_typed(1, &typed).for_action("DescribeVpcs"));
    let first = client.describe_vpcs().region_id(REGION).send().await;
    assert_eq!(code_of(first), "InvalidVpcId.NotFound");
    let second = client
        .describe_vpcs()
        .region_id(REGION)
        .send()
        .await
        .unwrap();
    assert_eq!(second.total_count, Some(42));
    assert!(second.request_id.is_some());
    let third = client
        .describe_vpcs()
        .region_id(REGION)
        .send()
        .await
        .unwrap();
    assert_eq!(third.total_count, Some(0));
    let faults: Vec<_> = em.requests().into_iter().map(|r| r.fault).collect();
    assert_eq!(
        faults,
        vec![Some("error".to_owned()), Some("respond".to_owned()), None]
    );
    // Over the admin API, as JSON.
    let t = transport(PATIENCE);
    let req = http::Request::builder()
        .method("POST")
        .uri(format!("http://{}/__admin/faults", em.endpoint()))
        .body(
            json!({"kind": "respond", "action": "CreateVpc", "body": {"VpcId": "vpc-scripted"}})
                .to_string()
                .into_bytes(),
        )
        .unwrap();
    assert_eq!(send_raw(&t, req).await.status(), 200);
    assert!(matches!(em.faults()[0].kind, FaultKind::Respond { .. }));
    let made = client.create_vpc().region_id(REGION).send().await.unwrap();
    assert_eq!(made.vpc_id.as_deref(), Some("vpc-scripted"));
    assert!(em.records().is_empty(), "a scripted answer changes nothing");
}

#[tokio::test]
async fn records_survive_a_restart_with_a_state_file() {
    let dir = std::env::temp_dir().join(format!("alicloud-emulator-{}", uuid_like()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.json");
    let vpc = {
        let em = Emulator::start(EmulatorConfig::default().persist_to(&path).unwrap()).unwrap();
        let client = client(&em);
        client
            .create_vpc()
            .region_id(REGION)
            .vpc_name("kept")
            .send()
            .await
            .unwrap()
            .vpc_id
            .unwrap()
    };
    let em = Emulator::start(EmulatorConfig::default().persist_to(&path).unwrap()).unwrap();
    let client = client(&em);
    let attr = client
        .describe_vpc_attribute()
        .region_id(REGION)
        .vpc_id(&vpc)
        .send()
        .await
        .unwrap();
    assert_eq!(attr.vpc_name.as_deref(), Some("kept"));
    let _ = std::fs::remove_dir_all(&dir);
}

fn uuid_like() -> String {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    format!("{}-{nanos}", std::process::id())
}
