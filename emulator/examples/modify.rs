//! Sends one `ModifyVpnConnectionAttribute` to a running emulator with the default credentials,
//! then waits until the VPN gateway is `active` again.
//!
//! ```text
//! cargo run -p alicloud-emulator --example modify -- --endpoint 127.0.0.1:18080 \
//!     [--connection vco-single-a] [--gateway vpn-single-a] [--name new-name] [--region cn-shanghai]
//! ```

use std::time::Duration;

use alicloud_emulator::AccessKey;
use alicloud_runtime::client::{RetryConfig, Scheme};
use alicloud_runtime::reqwest_transport::ReqwestTransport;
use alicloud_vpc::operation::describe_vpn_gateway::DescribeVpnGatewayRequest;
use alicloud_vpc::{Client, Config, Credentials};

struct Args {
    endpoint: String,
    region: String,
    connection: String,
    gateway: String,
    name: String,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        endpoint: String::new(),
        region: "cn-shanghai".into(),
        connection: "vco-single-a".into(),
        gateway: "vpn-single-a".into(),
        name: "renamed-by-example".into(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let slot = match flag.as_str() {
            "--endpoint" => &mut args.endpoint,
            "--region" => &mut args.region,
            "--connection" => &mut args.connection,
            "--gateway" => &mut args.gateway,
            "--name" => &mut args.name,
            other => return Err(format!("unknown argument `{other}`")),
        };
        *slot = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
    }
    if args.endpoint.is_empty() {
        return Err("--endpoint HOST:PORT is required".into());
    }
    Ok(args)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args().map_err(|e| {
        format!("{e}\nusage: modify --endpoint HOST:PORT [--connection ID] [--gateway ID] [--name NAME] [--region ID]")
    })?;
    let key = AccessKey::default();
    let transport = ReqwestTransport::builder().no_proxy().build()?;
    let config = Config::new(Credentials::new(key.id, key.secret), transport)
        .with_endpoint(args.endpoint)
        .with_scheme(Scheme::Http)
        .with_retry(RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
        });
    let client = Client::new(config);

    let answer = client
        .modify_vpn_connection_attribute()
        .region_id(&args.region)
        .vpn_connection_id(&args.connection)
        .name(&args.name)
        .effect_immediately(true)
        .send()
        .await?;
    println!(
        "modified {} on {}: name is now {:?} (request {})",
        answer.vpn_connection_id.as_deref().unwrap_or("?"),
        answer.vpn_gateway_id.as_deref().unwrap_or("?"),
        answer.name.as_deref().unwrap_or(""),
        answer.request_id.as_deref().unwrap_or("?"),
    );

    let describe = DescribeVpnGatewayRequest::builder()
        .region_id(&args.region)
        .vpn_gateway_id(&args.gateway)
        .build()?;
    let gateway = client
        .wait_until_vpn_gateway_active(describe)
        .initial_delay(Duration::from_millis(100))
        .interval(Duration::from_millis(250))
        .max_attempts(120)
        .wait()
        .await?;
    println!(
        "gateway {} is {}",
        gateway.vpn_gateway_id.as_deref().unwrap_or("?"),
        gateway.status.as_ref().map(|s| s.as_str()).unwrap_or("?"),
    );
    Ok(())
}
