//! End to end: client CPU per full `ModifyVpnConnectionAttribute` call on loopback, paired in
//! the same run with the transport floor (the same request bytes sent by the bare transport),
//! and the ratio between them (issue 14, item 1).
//!
//! ```text
//! cargo run --release -p alicloud-benches --bin e2e [-- --calls N --rounds R --json FILE]
//! ```
//!
//! A responder on 127.0.0.1 (its own thread and runtime, started here) answers every request
//! with the API page's sample success body in one write, on keep-alive connections. The client
//! runs on the main thread in a current-thread tokio runtime, so that everything the client
//! does, hyper's connection task included, is on that thread; its CPU (user + system) comes
//! from `getrusage(RUSAGE_THREAD)` around each batch of calls, and excludes the responder.
//!
//! Figures, each the median over `R` rounds (default 7) of batches of `N` calls (default
//! 4,000), the figures interleaved round by round so that load changes hit all alike:
//!
//! - `ours/hyper`: the generated client's full call (the dual-tunnel request of the signing
//!   vectors, every field, built with the builders on each call; validation on; signing with
//!   the current date and a fresh nonce; the response decoded) over `HyperTransport`;
//! - `ours/reqwest`: the same over `ReqwestTransport`;
//! - `ours/in-memory`: the same call over a transport that answers the same body at once (and,
//!   unlike `InMemoryTransport`, keeps no copy of the requests): the client's own work
//!   (builders, validate, encode, sign, retry loop, decode) without a network;
//! - `transport/hyper`, `transport/reqwest`: the request of one `ours/hyper` call (captured
//!   once) sent again through `HyperTransport` / `ReqwestTransport`: the transport without the
//!   client's own work;
//! - `floor/hyper`: the request bytes of one `ours/hyper` call (captured once: method, URL,
//!   headers, body) sent again by a bare hyper-util client with the same connector settings,
//!   the response body read whole: what no client over hyper can skip;
//! - `floor/reqwest`: the same bytes sent by a bare `reqwest::Client` (request built from the
//!   URL string, as reqwest is used by hand);
//! - `pipeline/dual`: validate + encode + sign of the dual-tunnel vector's request up to a ready
//!   `http::Request` (`ClientCore::prepare_request`, as the criterion bench's `pipeline/dual`),
//!   checked byte for byte against the vector first;
//! - `hash-floor/dual`: what no ACS3-HMAC-SHA256 signer can skip for that request: SHA-256 of
//!   its body and of its canonical request, one HMAC-SHA256 (`alicloud_benches::floor`).
//!
//! So one run gives the issue's three ratios: `ours/hyper ÷ floor/hyper`, the Python SDK's
//! figure ÷ `ours/hyper`, and `pipeline/dual ÷ hash-floor/dual`. The last two figures are
//! sub-10 µs of pure CPU: they run `PURE_CPU_FACTOR` times the calls of a batch.
//!
//! `--only FIGURE` runs that figure alone (`N × R` calls), for a profiler:
//! `perf record -g target/release/e2e --only ours/hyper`.
//!
//! `--json FILE` also writes the figures for the chart writer (`--bin charts`), in the format of
//! `benches/data/e2e.json`.

use std::hint::black_box;
use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use alicloud_benches::{
    core, credentials, dual_tunnel_options, floor, pipeline, Vector, ACCESS_KEY_SECRET,
    SAMPLE_RESPONSE,
};
use alicloud_runtime::client::Scheme;
use alicloud_runtime::hyper_transport::HyperTransport;
use alicloud_runtime::reqwest_transport::ReqwestTransport;
use alicloud_runtime::transport::{
    json_response, BoxFuture, HttpRequest, HttpResponse, TransportError,
};
use alicloud_runtime::{Config, Transport};
use alicloud_vpc::Client;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// The official Python SDK's CPU per call on the same kind of responder, from issue 14 (the
/// issue's own side-by-side measurement on this machine): 660–850 µs.
const PYTHON_SDK_US: (f64, f64) = (660.0, 850.0);

/// How many more iterations the pure-CPU figures (`pipeline/dual`, `hash-floor/dual`) run per
/// batch than the calls: each is a few µs, so a batch of them lasts about as long as a batch
/// of calls.
const PURE_CPU_FACTOR: usize = 8;

/// Starts the responder: every request (read up to its headers and `Content-Length` body) is
/// answered with `SAMPLE_RESPONSE` in a single write. One thread per connection; the clients
/// here keep one connection each.
fn responder() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local address");
    let mut answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=utf-8\r\nx-acs-request-id: 5BE5C7D3-8C1C-4D9C-9C6A-111111111111\r\nContent-Length: {}\r\n\r\n",
        SAMPLE_RESPONSE.len()
    )
    .into_bytes();
    answer.extend_from_slice(SAMPLE_RESPONSE);
    let answer: Arc<[u8]> = answer.into();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let answer = answer.clone();
            let _ = conn.set_nodelay(true);
            std::thread::spawn(move || {
                let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
                let mut chunk = [0u8; 16 * 1024];
                loop {
                    // One request: headers, then as many body bytes as they announce.
                    let end = loop {
                        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break end + 4;
                        }
                        match conn.read(&mut chunk) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    while buf.len() < end + len {
                        match conn.read(&mut chunk) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    buf.drain(..end + len);
                    if conn.write_all(&answer).is_err() {
                        return;
                    }
                }
            });
        }
    });
    addr
}

/// CPU time (user + system) of the calling thread, in µs.
fn thread_cpu_us() -> f64 {
    // SAFETY: `getrusage` writes into the zeroed struct it is given and reads nothing else.
    #[allow(unsafe_code)]
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        #[cfg(target_os = "linux")]
        let who = libc::RUSAGE_THREAD;
        // Elsewhere the process: the responder's threads are then counted too.
        #[cfg(not(target_os = "linux"))]
        let who = libc::RUSAGE_SELF;
        assert_eq!(libc::getrusage(who, &mut usage), 0, "getrusage");
        usage
    };
    let us = |t: libc::timeval| t.tv_sec as f64 * 1e6 + t.tv_usec as f64;
    us(usage.ru_utime) + us(usage.ru_stime)
}

/// A transport that keeps a copy of the first request it sends.
struct Capture<T> {
    inner: T,
    first: Mutex<Option<HttpRequest>>,
}

impl<T: Transport> Transport for Capture<T> {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let mut first = self.first.lock().expect("not poisoned");
        if first.is_none() {
            *first = Some(request.clone());
        }
        drop(first);
        self.inner.send(request)
    }
}

/// A transport answering every request with the sample body, without a network and without
/// keeping the request (`InMemoryTransport` records each one: over thousands of calls the
/// growing list, not the client, would be what is measured).
struct Canned;

impl Transport for Canned {
    fn send(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let mut response = json_response(200, "");
        *response.body_mut() = SAMPLE_RESPONSE.to_vec();
        Box::pin(async move { Ok(response) })
    }
}

fn client(transport: Arc<dyn Transport>, addr: SocketAddr) -> Client {
    Client::new(
        Config::from_arcs(Arc::new(credentials()), transport)
            .with_endpoint(addr.to_string())
            .with_scheme(Scheme::Http),
    )
}

/// One full call: the request built with the builders, every field of both tunnels.
async fn full_call(client: &Client) {
    let response = client
        .modify_vpn_connection_attribute()
        .region_id("cn-shanghai")
        .vpn_connection_id("vco-bp1bbi27hojx80nck****")
        .client_token("5c0c6a1e-8b1f-4b0e-9d7e-2f1a3b4c5d6e")
        .name("vpn-dual")
        .local_subnet("10.1.1.0/24,10.1.2.0/24")
        .remote_subnet("10.2.1.0/24,10.2.2.0/24")
        .effect_immediately(true)
        .auto_config_route(true)
        .enable_tunnels_bgp(true)
        .tunnel_options_specification(dual_tunnel_options())
        .send()
        .await
        .expect("the responder answers with the sample success body");
    assert!(response.request_id.is_some());
}

/// The captured request, as the floors send it again.
struct Captured {
    method: http::Method,
    uri: http::Uri,
    url: String,
    headers: http::HeaderMap,
    body: Bytes,
}

type HyperClient = hyper_util::client::legacy::Client<HttpConnector, Full<Bytes>>;

async fn floor_hyper(client: &HyperClient, req: &Captured) {
    let mut request = http::Request::new(Full::new(req.body.clone()));
    *request.method_mut() = req.method.clone();
    *request.uri_mut() = req.uri.clone();
    *request.headers_mut() = req.headers.clone();
    let response = client.request(request).await.expect("answered");
    assert_eq!(response.status(), 200);
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    assert_eq!(body.len(), SAMPLE_RESPONSE.len());
}

async fn floor_reqwest(client: &reqwest::Client, req: &Captured) {
    let response = client
        .request(req.method.clone(), req.url.as_str())
        .headers(req.headers.clone())
        .body(req.body.clone())
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 200);
    let body = response.bytes().await.expect("body");
    assert_eq!(body.len(), SAMPLE_RESPONSE.len());
}

/// The captured request sent again through one of our `Transport`s: what the transport adds
/// to the floor, without the client's own work.
async fn transport_only(transport: &dyn Transport, req: &Captured) {
    let mut request = http::Request::new(req.body.to_vec());
    *request.method_mut() = req.method.clone();
    *request.uri_mut() = req.uri.clone();
    *request.headers_mut() = req.headers.clone();
    let response = transport.send(request).await.expect("answered");
    assert_eq!(response.status(), 200);
    assert_eq!(response.body().len(), SAMPLE_RESPONSE.len());
}

#[derive(Clone, Copy, PartialEq)]
enum Which {
    OursHyper,
    OursReqwest,
    OursInMemory,
    TransportHyper,
    TransportReqwest,
    FloorHyper,
    FloorReqwest,
    Pipeline,
    HashFloor,
}

const ALL: [(Which, &str); 9] = [
    (Which::OursHyper, "ours/hyper"),
    (Which::OursReqwest, "ours/reqwest"),
    (Which::OursInMemory, "ours/in-memory"),
    (Which::TransportHyper, "transport/hyper"),
    (Which::TransportReqwest, "transport/reqwest"),
    (Which::FloorHyper, "floor/hyper"),
    (Which::FloorReqwest, "floor/reqwest"),
    (Which::Pipeline, "pipeline/dual"),
    (Which::HashFloor, "hash-floor/dual"),
];

/// The position of the figure `name` in [`ALL`].
fn at(name: &str) -> usize {
    ALL.iter()
        .position(|(_, n)| *n == name)
        .unwrap_or_else(|| panic!("no figure {name}"))
}

struct Args {
    calls: usize,
    rounds: usize,
    json: Option<std::path::PathBuf>,
    /// Only this figure (for a profiler): no table.
    only: Option<String>,
}

fn args() -> Args {
    let mut out = Args {
        calls: 4000,
        rounds: 7,
        json: None,
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--calls" => out.calls = value().parse().expect("--calls N"),
            "--rounds" => out.rounds = value().parse().expect("--rounds R"),
            "--json" => out.json = Some(value().into()),
            "--only" => out.only = Some(value()),
            "--bench" => {} // what `cargo bench` passes to every target
            other => panic!("unknown argument {other}; see the module docs"),
        }
    }
    out
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn main() {
    let args = args();
    let addr = responder();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    rt.block_on(async {
        let hyper_t = Arc::new(Capture {
            inner: HyperTransport::builder()
                .no_proxy()
                .build()
                .expect("transport"),
            first: Mutex::new(None),
        });
        let ours_hyper = client(hyper_t.clone(), addr);
        let reqwest_t: Arc<dyn Transport> = Arc::new(
            ReqwestTransport::builder()
                .no_proxy()
                .build()
                .expect("transport"),
        );
        let ours_reqwest = client(reqwest_t, addr);
        let ours_in_memory = client(Arc::new(Canned), addr);
        // A transport of each kind with its own pool, as the floors have theirs.
        let bare_transport_hyper = HyperTransport::builder()
            .no_proxy()
            .build()
            .expect("transport");
        let bare_transport_reqwest = ReqwestTransport::builder()
            .no_proxy()
            .build()
            .expect("transport");
        full_call(&ours_hyper).await;
        let first = hyper_t
            .first
            .lock()
            .expect("not poisoned")
            .take()
            .expect("one request was sent");
        let captured = Captured {
            method: first.method().clone(),
            uri: first.uri().clone(),
            url: first.uri().to_string(),
            headers: first.headers().clone(),
            body: Bytes::from(first.body().clone()),
        };
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let bare_hyper: HyperClient =
            hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build(connector);
        let bare_reqwest = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("reqwest client");
        // The pipeline's inputs, and proof that the timed code makes the vector byte for byte.
        let (vector, pipeline_core, creds) = (
            Vector::load("dual_tunnel_vector"),
            core(),
            credentials(),
        );
        vector.check(&pipeline(&pipeline_core, &creds, &vector.request));

        let run = |which: Which, n: usize| {
            let (ours_hyper, ours_reqwest, bare_hyper, bare_reqwest, captured) = (
                &ours_hyper,
                &ours_reqwest,
                &bare_hyper,
                &bare_reqwest,
                &captured,
            );
            let (t_hyper, t_reqwest) = (&bare_transport_hyper, &bare_transport_reqwest);
            let ours_in_memory = &ours_in_memory;
            let (vector, pipeline_core, creds) = (&vector, &pipeline_core, &creds);
            let n = match which {
                Which::Pipeline | Which::HashFloor => n * PURE_CPU_FACTOR,
                _ => n,
            };
            async move {
                let (cpu0, wall0) = (thread_cpu_us(), Instant::now());
                for _ in 0..n {
                    match which {
                        Which::OursHyper => full_call(ours_hyper).await,
                        Which::OursReqwest => full_call(ours_reqwest).await,
                        Which::OursInMemory => full_call(ours_in_memory).await,
                        Which::TransportHyper => transport_only(t_hyper, captured).await,
                        Which::TransportReqwest => transport_only(t_reqwest, captured).await,
                        Which::FloorHyper => floor_hyper(bare_hyper, captured).await,
                        Which::FloorReqwest => floor_reqwest(bare_reqwest, captured).await,
                        Which::Pipeline => {
                            black_box(pipeline(pipeline_core, creds, black_box(&vector.request)));
                        }
                        Which::HashFloor => {
                            black_box(floor(
                                black_box(vector.body.as_bytes()),
                                black_box(vector.canonical_request.as_bytes()),
                                ACCESS_KEY_SECRET.as_bytes(),
                            ));
                        }
                    }
                }
                let cpu = (thread_cpu_us() - cpu0) / n as f64;
                let wall = wall0.elapsed().as_secs_f64() * 1e6 / n as f64;
                (cpu, wall)
            }
        };

        if let Some(only) = &args.only {
            let (which, _) = ALL
                .iter()
                .find(|(_, name)| name == only)
                .unwrap_or_else(|| panic!("--only takes a figure's name, e.g. ours/hyper"));
            let (c, w) = run(*which, args.calls * args.rounds).await;
            println!("{only}: {c:.1} µs CPU, {w:.1} µs wall per call");
            return;
        }
        // Warm-up: connections open, pools and allocator caches filled.
        for (which, _) in ALL {
            run(which, args.calls / 4 + 1).await;
        }
        let mut cpu: Vec<Vec<f64>> = vec![Vec::new(); ALL.len()];
        let mut wall: Vec<Vec<f64>> = vec![Vec::new(); ALL.len()];
        for _ in 0..args.rounds {
            for (i, (which, _)) in ALL.iter().enumerate() {
                let (c, w) = run(*which, args.calls).await;
                cpu[i].push(c);
                wall[i].push(w);
            }
        }
        let cpu: Vec<f64> = cpu.iter_mut().map(|v| median(v)).collect();
        let wall: Vec<f64> = wall.iter_mut().map(|v| median(v)).collect();
        let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
        println!(
            "{} calls × {} rounds each, interleaved; medians of the rounds; load average {}",
            args.calls,
            args.rounds,
            load.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
        );
        println!(
            "request: {} {} bytes of URL, {} headers, {} bytes of body; response {} bytes\n",
            captured.method,
            captured.url.len(),
            captured.headers.len(),
            captured.body.len(),
            SAMPLE_RESPONSE.len()
        );
        println!("| figure | client CPU per call | wall per call |");
        println!("|---|---|---|");
        for (i, (_, name)) in ALL.iter().enumerate() {
            println!("| {name} | {:.1} µs | {:.1} µs |", cpu[i], wall[i]);
        }
        let c = |name: &str| cpu[at(name)];
        let ratio = c("ours/hyper") / c("floor/hyper");
        let pipeline_ratio = c("pipeline/dual") / c("hash-floor/dual");
        println!();
        println!(
            "| ratio | value |\n|---|---|\n\
             | ours/hyper ÷ floor/hyper (target ≤ 1.15) | **{ratio:.2}** |\n\
             | Python SDK ({:.0}–{:.0} µs, issue 14) ÷ ours/hyper (target ≥ 25) | **{:.0}–{:.0}** |\n\
             | pipeline/dual ÷ hash-floor/dual (target ≤ 2, pipeline ≤ 6 µs) | **{pipeline_ratio:.2}** ({:.2} µs) |\n\
             | transport/hyper ÷ floor/hyper | {:.2} |\n\
             | ours/reqwest ÷ floor/reqwest | {:.2} |\n\
             | ours/reqwest ÷ ours/hyper | {:.2} |\n\
             | transport/reqwest ÷ transport/hyper | {:.2} |\n\
             | floor/reqwest ÷ floor/hyper | {:.2} |\n\
             | ours/in-memory − pipeline/dual (builders, retry loop, decoding) | {:.1} µs |",
            PYTHON_SDK_US.0,
            PYTHON_SDK_US.1,
            PYTHON_SDK_US.0 / c("ours/hyper"),
            PYTHON_SDK_US.1 / c("ours/hyper"),
            c("pipeline/dual"),
            c("transport/hyper") / c("floor/hyper"),
            c("ours/reqwest") / c("floor/reqwest"),
            c("ours/reqwest") / c("ours/hyper"),
            c("transport/reqwest") / c("transport/hyper"),
            c("floor/reqwest") / c("floor/hyper"),
            c("ours/in-memory") - c("pipeline/dual"),
        );
        if let Some(path) = &args.json {
            let figures: serde_json::Map<String, serde_json::Value> = ALL
                .iter()
                .enumerate()
                .map(|(i, (_, name))| {
                    (
                        (*name).to_owned(),
                        serde_json::json!({ "cpu_us": round2(cpu[i]), "wall_us": round2(wall[i]) }),
                    )
                })
                .collect();
            let doc = serde_json::json!({
                "what": "client CPU per full ModifyVpnConnectionAttribute call on loopback (benches/src/bin/e2e.rs)",
                "calls": args.calls,
                "rounds": args.rounds,
                "load_average": load.trim(),
                "figures": figures,
                "python_sdk_us": [PYTHON_SDK_US.0, PYTHON_SDK_US.1],
                "ratios": {
                    "ours_hyper_over_floor_hyper": round2(ratio),
                    "python_sdk_over_ours_hyper": [
                        round2(PYTHON_SDK_US.0 / c("ours/hyper")),
                        round2(PYTHON_SDK_US.1 / c("ours/hyper")),
                    ],
                    "pipeline_over_hash_floor": round2(pipeline_ratio),
                },
            });
            let text = serde_json::to_string_pretty(&doc).expect("JSON") + "\n";
            std::fs::write(path, text).expect("write --json file");
        }
    });
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
