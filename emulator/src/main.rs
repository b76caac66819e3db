//! `alicloud-emulator`: runs the Vpc emulator until the process is stopped.
//!
//! ```text
//! cargo run -p alicloud-emulator -- --port 18080 [--host 127.0.0.1] [--state state.json] [--persist records.json] [--updating-ms 2000]
//! ```
//!
//! Prints `listening on <host>:<port>` on standard output once the socket listens; logs (one
//! line per call: action, status, request ID) go to standard error.
#![forbid(unsafe_code)]

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use alicloud_emulator::{Emulator, EmulatorConfig, StateFile};

const USAGE: &str = "\
usage: alicloud-emulator [--port N] [--host ADDR] [--state FILE.json] [--persist FILE.json] [--updating-ms N]

  --port N          port to listen on (default 0: any free port)
  --host ADDR       address to listen on (default 127.0.0.1)
  --state FILE      seed: resources, access keys, updating time, faults (see emulator/README.md)
  --persist FILE    keep VPCs, vSwitches, EIPs and route tables in FILE across restarts
                    (read at start if it exists, rewritten after every change)
  --updating-ms N   how long a gateway stays `updating` after a change (default 2000)

Default access key: test-access-key-id / test-access-key-secret.";

struct Args {
    host: IpAddr,
    port: u16,
    state: Option<PathBuf>,
    persist: Option<PathBuf>,
    updating_ms: Option<u64>,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut args = Args {
        host: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 0,
        state: None,
        persist: None,
        updating_ms: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n.to_owned(), Some(v.to_owned())),
            None => (arg.clone(), None),
        };
        let mut value = |n: &str| {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{n} needs a value"))
        };
        match name.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" => {
                let v = value("--port")?;
                args.port = v
                    .parse()
                    .map_err(|_| format!("--port: `{v}` is not a port"))?;
            }
            "--host" => {
                let v = value("--host")?;
                args.host = v
                    .parse()
                    .map_err(|_| format!("--host: `{v}` is not an IP address"))?;
            }
            "--state" => args.state = Some(PathBuf::from(value("--state")?)),
            "--persist" => args.persist = Some(PathBuf::from(value("--persist")?)),
            "--updating-ms" => {
                let v = value("--updating-ms")?;
                args.updating_ms = Some(
                    v.parse()
                        .map_err(|_| format!("--updating-ms: `{v}` is not a number"))?,
                );
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Some(args))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::INFO)
        .init();

    let mut config = match &args.state {
        Some(path) => match StateFile::read(path) {
            Ok(file) => EmulatorConfig::from_state_file(&file),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        None => EmulatorConfig::default(),
    };
    if let Some(ms) = args.updating_ms {
        config = config.updating(Duration::from_millis(ms));
    }
    if let Some(path) = &args.persist {
        config = match config.persist_to(path) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: --persist: {e}");
                return ExitCode::from(2);
            }
        };
    }
    config = config.with_addr(SocketAddr::new(args.host, args.port));
    let emulator = match Emulator::start(config) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("listening on {}", emulator.addr());
    let _ = std::io::stdout().flush();
    emulator.wait();
    ExitCode::SUCCESS
}
