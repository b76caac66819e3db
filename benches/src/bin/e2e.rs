//! End to end: client CPU per full `ModifyVpnConnectionAttribute` call on loopback, paired in
//! the same run with the transport floor (the same request bytes sent by the bare transport),
//! and the ratio between them (issue 14, item 1).
//!
//! ```text
//! cargo run --release -p alicloud-benches --bin e2e \
//!     [-- --calls N --rounds R --json FILE --python PATH | --no-python]
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
//! - `python-sdk` (optional): the same call made by the official Python SDK
//!   (`alibabacloud_vpc20160428`) in a child process, `benches/python/peer.py`, against the same
//!   responder: that process's CPU (`getrusage(RUSAGE_SELF)`) per call. It takes its turn after
//!   the others in every round, with `1 / PEER_CALLS_DIVISOR` of the calls (each of its calls
//!   costs about ten of ours). `--python PATH` names the interpreter; without it `python3` is
//!   used when the SDK imports there; `--no-python` skips it. Before anything is timed, its first
//!   request, as the responder receives it, is compared with ours: same method, action,
//!   version, query and form parameters.
//!
//! So one run gives the issue's three ratios: `ours/hyper ÷ floor/hyper`, the Python SDK's
//! figure ÷ `ours/hyper` (measured in the same rounds when the SDK is there, else issue 14's
//! figure, from another moment, and the output says so), and `pipeline/dual ÷ hash-floor/dual`.
//! `pipeline/dual` and `hash-floor/dual` are sub-10 µs of pure CPU: they run `PURE_CPU_FACTOR`
//! times the calls of a batch.
//!
//! `--only FIGURE` runs that figure alone (`N × R` calls), for a profiler:
//! `perf record -g target/release/e2e --only ours/hyper`.
//!
//! `--awake same|cross` keeps every CPU busy with a lowest-priority spinning thread (`nice` 19) for the
//! whole run, so that no CPU halts between a request and its answer. On a virtual machine a
//! halted virtual CPU is woken through the hypervisor, and the woken thread then runs from cold
//! caches: on this project's 2-core VM the same user-space work of a call costs 3–4 times as
//! much on a nearly idle machine as on a busy one, and the more code a call runs, the more it
//! pays. With `--awake` the figures are those of a busy host, whatever else the machine does;
//! without it, those of the machine's state at the time. The spinners yield to every other
//! thread and their CPU is not counted (only the client thread's is). The client runs on the
//! first CPU; the responder on the same one (`same`: each answer wakes the client by a switch
//! on its CPU) or on the last (`cross`: each answer wakes it from another CPU, which on a VM
//! costs several times more). Left to the scheduler, either happens, per connection, and the
//! figures of one run are not those of the next.
//!
//! `--json FILE` also writes the figures for the chart writer (`--bin charts`), in the format of
//! `benches/data/e2e.json`.

use std::hint::black_box;
use std::io::{BufRead as _, Read as _, Write as _};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
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
/// issue's own side-by-side measurement on this machine, at another moment): 660–850 µs. Used
/// only when the run does not measure the SDK itself (`python-sdk`).
const PYTHON_SDK_US: (f64, f64) = (660.0, 850.0);

/// The Python peer's batch is the calls of a batch divided by this: each of its calls costs
/// about ten of ours, so its batch lasts about as long as all the others of a round together.
const PEER_CALLS_DIVISOR: usize = 4;

/// The peer script, run from the source tree (the bench binary is run from the repository).
const PEER_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/python/peer.py");

/// How many more iterations the pure-CPU figures (`pipeline/dual`, `hash-floor/dual`) run per
/// batch than the calls: each is a few µs, so a batch of them lasts about as long as a batch
/// of calls.
const PURE_CPU_FACTOR: usize = 8;

/// Keeps the next request the responder receives, byte for byte, once armed: how the Python
/// SDK's request is compared with ours as both arrive on the wire.
#[derive(Default)]
struct Recorder {
    armed: AtomicBool,
    got: Mutex<Option<Vec<u8>>>,
}

impl Recorder {
    fn arm(&self) {
        *self.got.lock().expect("not poisoned") = None;
        self.armed.store(true, Ordering::SeqCst);
    }

    /// The request received since [`Recorder::arm`].
    fn take(&self) -> Vec<u8> {
        self.got
            .lock()
            .expect("not poisoned")
            .take()
            .expect("the responder received a request since it was armed")
    }
}

/// Starts the responder: every request (read up to its headers and `Content-Length` body) is
/// answered with `SAMPLE_RESPONSE` in a single write. One thread per connection; the clients
/// here keep one connection each.
/// Pins the calling thread to CPU `cpu` (`--awake`); elsewhere than Linux, nothing.
fn pin_to(cpu: usize) {
    #[cfg(target_os = "linux")]
    // SAFETY: the set is a zeroed `cpu_set_t` on the stack, filled by `CPU_SET` with an index
    // below the number of CPUs, and read by the system call for this thread (pid 0) only.
    #[allow(unsafe_code)]
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        let done = libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
        assert_eq!(done, 0, "sched_setaffinity to CPU {cpu}");
    }
    #[cfg(not(target_os = "linux"))]
    let _ = cpu;
}

/// The responder; its connection threads run on CPU `pin` when given.
fn responder(recorder: Arc<Recorder>, pin: Option<usize>) -> SocketAddr {
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
            let (answer, recorder) = (answer.clone(), recorder.clone());
            let _ = conn.set_nodelay(true);
            std::thread::spawn(move || {
                if let Some(cpu) = pin {
                    pin_to(cpu);
                }
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
                    // The lock is taken once, when armed: the timed calls never take it.
                    if recorder.armed.load(Ordering::Relaxed)
                        && recorder.armed.swap(false, Ordering::SeqCst)
                    {
                        *recorder.got.lock().expect("not poisoned") =
                            Some(buf[..end + len].to_vec());
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

/// CPU time of the calling thread, in µs: user + system, and user space alone.
///
/// Linux accounts a thread's total CPU time exactly, and splits it into user and system time by
/// sampling at timer ticks: over a batch of thousands of calls the split is a fair estimate.
fn thread_cpu_us() -> (f64, f64) {
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
    (us(usage.ru_utime) + us(usage.ru_stime), us(usage.ru_utime))
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

/// A request as the responder received it.
struct Wire {
    size: usize,
    method: String,
    /// Header names as sent, and values.
    headers: Vec<(String, String)>,
    /// The query's and the form body's parameters, decoded, sorted.
    query: Vec<(String, String)>,
    form: Vec<(String, String)>,
}

impl Wire {
    fn parse(raw: &[u8]) -> Self {
        let end = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a whole request");
        let head = String::from_utf8_lossy(&raw[..end]);
        let mut lines = head.split("\r\n");
        let mut start = lines.next().unwrap_or_default().split(' ');
        let method = start.next().unwrap_or_default().to_owned();
        let target = start.next().unwrap_or_default();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.to_owned(), v.trim().to_owned()))
            .collect();
        let query = target.split_once('?').map_or("", |(_, q)| q);
        Self {
            size: raw.len(),
            method,
            headers,
            query: form_pairs(query),
            form: form_pairs(&String::from_utf8_lossy(&raw[end + 4..])),
        }
    }

    /// The header names, as sent and in order.
    fn header_names(&self) -> String {
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        names.join(", ")
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// `a=1&b=2` decoded (`+` is a space, as in a form), sorted by name.
fn form_pairs(text: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    let mut pairs: Vec<(String, String)> = text
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    pairs.sort();
    pairs
}

/// How the Python SDK's request differs from ours, beyond what any two clients differ in
/// (date, nonce, signature, user agent): nothing but the spelling of booleans (`True` for
/// `true`) is tolerated. Returns the tolerated differences; panics on any other.
fn compare_requests(ours: &Wire, sdk: &Wire) -> Vec<String> {
    let mut notes = Vec::new();
    let mut wrong = Vec::new();
    if ours.method != sdk.method {
        wrong.push(format!(
            "method {} against ours {}",
            sdk.method, ours.method
        ));
    }
    for h in ["x-acs-action", "x-acs-version", "content-type"] {
        if ours.header(h) != sdk.header(h) {
            wrong.push(format!(
                "{h}: {:?} against ours {:?}",
                sdk.header(h),
                ours.header(h)
            ));
        }
    }
    for (place, a, b) in [
        ("query", &ours.query, &sdk.query),
        ("form body", &ours.form, &sdk.form),
    ] {
        let names = |v: &[(String, String)]| v.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
        if names(a) != names(b) {
            wrong.push(format!(
                "{place} parameters {:?} against ours {:?}",
                names(b),
                names(a)
            ));
            continue;
        }
        for ((k, ours), (_, sdk)) in a.iter().zip(b) {
            let boolean = matches!(ours.as_str(), "true" | "false");
            if ours == sdk {
                continue;
            }
            if boolean && ours.eq_ignore_ascii_case(sdk) {
                let note = "booleans spelt True/False (ours true/false)".to_owned();
                if !notes.contains(&note) {
                    notes.push(note);
                }
            } else {
                wrong.push(format!("{place} {k} = {sdk:?} against ours {ours:?}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the Python SDK's request is not the same call as ours, so its figure would not be \
         comparable; fix benches/python/peer.py:\n  {}",
        wrong.join("\n  ")
    );
    notes
}

/// The Python peer: `benches/python/peer.py --serve` in a child process.
struct Peer {
    child: Child,
    /// Closed on drop: the script ends at the end of its input.
    stdin: Option<ChildStdin>,
    stdout: std::io::BufReader<ChildStdout>,
    /// Package versions, as the script reports them.
    versions: serde_json::Value,
}

/// How the Python peer is chosen.
enum PythonChoice {
    /// `python3`, when the SDK imports there.
    Auto,
    /// `--python PATH`: this interpreter, and it must work.
    Path(PathBuf),
    /// `--no-python`.
    Off,
}

/// The interpreter's SDK versions (`peer.py --versions`), or why it cannot run the peer.
fn peer_versions(python: &Path) -> Result<serde_json::Value, String> {
    let out = Command::new(python)
        .args([PEER_SCRIPT, "--versions"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    if out.status.code() == Some(3) {
        return Err(format!(
            "{} cannot import the SDK (alibabacloud_vpc20160428)",
            python.display()
        ));
    }
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
    }
    serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("{PEER_SCRIPT} --versions did not print JSON: {e}"))
}

impl Peer {
    /// Starts the script against `addr`; returns once its first call was answered.
    fn start(python: &Path, addr: SocketAddr) -> Self {
        let mut child = Command::new(python)
            .args([PEER_SCRIPT, "--serve", "--endpoint", &addr.to_string()])
            // As our clients here (`no_proxy()`): straight to the responder.
            .env_remove("HTTP_PROXY")
            .env_remove("http_proxy")
            .env_remove("HTTPS_PROXY")
            .env_remove("https_proxy")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {} {PEER_SCRIPT}: {e}", python.display()));
        let stdin = child.stdin.take();
        let stdout = std::io::BufReader::new(child.stdout.take().expect("piped"));
        let mut peer = Self {
            child,
            stdin,
            stdout,
            versions: serde_json::Value::Null,
        };
        peer.versions = peer.line()["ready"].clone();
        peer
    }

    /// The next JSON line of the script.
    fn line(&mut self) -> serde_json::Value {
        let mut line = String::new();
        let n = self.stdout.read_line(&mut line).expect("read the peer");
        assert!(n > 0, "{PEER_SCRIPT} ended early; its error is above");
        serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("{PEER_SCRIPT} printed {line:?}, not JSON: {e}"))
    }

    /// CPU and wall time per call (µs) of a batch of `n` calls.
    fn batch(&mut self, n: usize) -> (f64, f64) {
        let stdin = self.stdin.as_mut().expect("open until drop");
        writeln!(stdin, "{n}")
            .and_then(|()| stdin.flush())
            .expect("write to the peer");
        let v = self.line();
        let num = |k: &str| {
            v[k].as_f64()
                .unwrap_or_else(|| panic!("{PEER_SCRIPT}: no number `{k}` in {v}"))
        };
        (num("cpu_us"), num("wall_us"))
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
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
    python: PythonChoice,
    /// Spinners keep every CPU awake (`--awake MODE`), with the responder on the client's CPU
    /// (`same`) or on another (`cross`).
    awake: Option<Awake>,
}

fn args() -> Args {
    let mut out = Args {
        calls: 4000,
        rounds: 7,
        json: None,
        only: None,
        python: PythonChoice::Auto,
        awake: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--calls" => out.calls = value().parse().expect("--calls N"),
            "--rounds" => out.rounds = value().parse().expect("--rounds R"),
            "--json" => out.json = Some(value().into()),
            "--only" => out.only = Some(value()),
            "--python" => out.python = PythonChoice::Path(value().into()),
            "--no-python" => out.python = PythonChoice::Off,
            "--awake" => {
                out.awake = Some(match value().as_str() {
                    "same" => Awake::SameCpu,
                    "cross" => Awake::CrossCpu,
                    other => panic!("--awake takes `same` or `cross`, not {other:?}"),
                })
            }
            "--bench" => {} // what `cargo bench` passes to every target
            other => panic!("unknown argument {other}; see the module docs"),
        }
    }
    out
}

/// The median of `v` (sorted in a copy).
fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Where the responder runs under `--awake`.
#[derive(Clone, Copy, PartialEq)]
enum Awake {
    /// On the client's CPU: a call's answer wakes the client by a switch on its own CPU.
    SameCpu,
    /// On another CPU: the answer wakes the client from another CPU.
    CrossCpu,
}

/// One spinning thread per CPU at the lowest priority, until the process ends (`--awake`).
fn keep_cpus_awake() -> usize {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    for cpu in 0..cpus {
        std::thread::spawn(move || {
            pin_to(cpu);
            // On Linux, `setpriority(PRIO_PROCESS, 0, …)` sets the calling thread's nice value.
            // SAFETY: a plain system call on this thread's own priority.
            #[allow(unsafe_code)]
            let set = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, 19) };
            assert_eq!(set, 0, "setpriority(19) on a spinner thread");
            loop {
                std::hint::spin_loop();
            }
        });
    }
    cpus
}

fn main() {
    let args = args();
    let spinners = if args.awake.is_some() {
        keep_cpus_awake()
    } else {
        0
    };
    // With --awake, the client (and the Python peer it starts) runs on the first CPU, and the
    // responder on the same CPU or on the last, so that every exchange wakes the client alike:
    // left to the scheduler, a connection whose responder shares the client's CPU costs a
    // different amount from one whose responder does not, and which is which changes from run
    // to run.
    let responder_cpu = args.awake.map(|mode| {
        pin_to(0);
        match mode {
            Awake::SameCpu => 0,
            Awake::CrossCpu => spinners - 1,
        }
    });
    let recorder = Arc::new(Recorder::default());
    let addr = responder(recorder.clone(), responder_cpu);
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
        // Our request as the responder receives it, to compare the Python SDK's with.
        recorder.arm();
        full_call(&ours_hyper).await;
        let ours_wire = Wire::parse(&recorder.take());

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
                let ((cpu0, user0), wall0) = (thread_cpu_us(), Instant::now());
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
                let (cpu1, user1) = thread_cpu_us();
                let wall = wall0.elapsed().as_secs_f64() * 1e6 / n as f64;
                let per_call = |us: f64| us / n as f64;
                (per_call(cpu1 - cpu0), per_call(user1 - user0), wall)
            }
        };

        if let Some(only) = &args.only {
            let (which, _) = ALL
                .iter()
                .find(|(_, name)| name == only)
                .unwrap_or_else(|| panic!("--only takes a figure's name, e.g. ours/hyper"));
            let (c, u, w) = run(*which, args.calls * args.rounds).await;
            println!("{only}: {c:.1} µs CPU ({u:.1} µs in user space), {w:.1} µs wall per call");
            return;
        }
        // The Python peer, when there is one: started, and its first request compared with ours,
        // before anything is timed.
        let python: Result<PathBuf, String> = match &args.python {
            PythonChoice::Off => Err("--no-python".to_owned()),
            PythonChoice::Path(path) => match peer_versions(path) {
                Ok(_) => Ok(path.clone()),
                Err(why) => panic!("--python {}: {why}", path.display()),
            },
            PythonChoice::Auto => {
                peer_versions(Path::new("python3")).map(|_| PathBuf::from("python3"))
            }
        };
        let (mut peer, peer_request) = match &python {
            Ok(path) => {
                recorder.arm();
                let peer = Peer::start(path, addr);
                let sdk = Wire::parse(&recorder.take());
                let notes = compare_requests(&ours_wire, &sdk);
                (Some(peer), Some((sdk, notes)))
            }
            Err(_) => (None, None),
        };
        let peer_calls = (args.calls / PEER_CALLS_DIVISOR).max(1);
        // Warm-up: connections open, pools and allocator caches filled.
        for (which, _) in ALL {
            run(which, args.calls / 4 + 1).await;
        }
        if let Some(peer) = &mut peer {
            peer.batch(peer_calls / 4 + 1);
        }
        let mut cpu_rounds: Vec<Vec<f64>> = vec![Vec::new(); ALL.len()];
        let mut wall_rounds: Vec<Vec<f64>> = vec![Vec::new(); ALL.len()];
        let mut user_rounds: Vec<Vec<f64>> = vec![Vec::new(); ALL.len()];
        let (mut peer_cpu, mut peer_wall) = (Vec::new(), Vec::new());
        for _ in 0..args.rounds {
            for (i, (which, _)) in ALL.iter().enumerate() {
                let (c, u, w) = run(*which, args.calls).await;
                cpu_rounds[i].push(c);
                user_rounds[i].push(u);
                wall_rounds[i].push(w);
            }
            if let Some(peer) = &mut peer {
                let (c, w) = peer.batch(peer_calls);
                peer_cpu.push(c);
                peer_wall.push(w);
            }
        }
        let medians = |rounds: &[Vec<f64>]| -> Vec<f64> {
            rounds.iter().map(|v| median(v)).collect()
        };
        let (cpu, wall, user) = (
            medians(&cpu_rounds),
            medians(&wall_rounds),
            medians(&user_rounds),
        );
        // The Python SDK against ours/hyper round by round (the same moment), and overall.
        let sdk = peer.as_ref().map(|peer| {
            let ours = &cpu_rounds[at("ours/hyper")];
            let ratios: Vec<f64> = peer_cpu.iter().zip(ours).map(|(p, o)| p / o).collect();
            let (lo, hi) = min_max(&peer_cpu);
            let (ratio_lo, ratio_hi) = min_max(&ratios);
            Sdk {
                cpu: median(&peer_cpu),
                wall: median(&peer_wall),
                lo,
                hi,
                ratio: median(&ratios),
                ratio_lo,
                ratio_hi,
                versions: peer.versions.clone(),
            }
        });
        drop(peer);
        let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
        println!(
            "{} calls × {} rounds each, interleaved; medians of the rounds; load average {}; {}",
            args.calls,
            args.rounds,
            load.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
            if spinners > 0 {
                format!(
                    "--awake: {spinners} lowest-priority spinners kept the CPUs from halting{}",
                    match responder_cpu {
                        Some(0) => ", client and responder on the first CPU",
                        Some(_) => ", client on the first CPU, responder on the last",
                        None => "",
                    }
                )
            } else {
                "CPUs free to halt when idle (no --awake)".to_owned()
            }
        );
        println!(
            "request: {} {} bytes of URL, {} headers, {} bytes of body; response {} bytes",
            captured.method,
            captured.url.len(),
            captured.headers.len(),
            captured.body.len(),
            SAMPLE_RESPONSE.len()
        );
        if let (Ok(path), Some(sdk), Some((wire, notes))) = (&python, &sdk, &peer_request) {
            let versions: Vec<String> = sdk
                .versions
                .as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| format!("{k} {}", v.as_str().unwrap_or("?")))
                        .collect()
                })
                .unwrap_or_default();
            println!(
                "python-sdk: {} ({}); {peer_calls} calls per round, in a child process",
                path.display(),
                versions.join(", "),
            );
            println!(
                "python-sdk request: answered 200; the same call as ours ({} {} {}, {} query and \
                 {} form parameters){}",
                wire.method,
                wire.header("x-acs-action").unwrap_or_default(),
                wire.header("x-acs-version").unwrap_or_default(),
                wire.query.len(),
                wire.form.len(),
                if notes.is_empty() {
                    String::new()
                } else {
                    format!(" but for {}", notes.join(", "))
                },
            );
            println!(
                "on the wire: python-sdk {} bytes, {} headers ({}); ours {} bytes, {} headers ({})",
                wire.size,
                wire.headers.len(),
                wire.header_names(),
                ours_wire.size,
                ours_wire.headers.len(),
                ours_wire.header_names(),
            );
        }
        println!();
        println!("| figure | client CPU per call | of which user space | wall per call |");
        println!("|---|---|---|---|");
        for (i, (_, name)) in ALL.iter().enumerate() {
            println!(
                "| {name} | {:.1} µs | {:.1} µs | {:.1} µs |",
                cpu[i], user[i], wall[i]
            );
        }
        if let Some(sdk) = &sdk {
            println!(
                "| python-sdk (rounds {:.0}–{:.0} µs) | {:.1} µs | | {:.1} µs |",
                sdk.lo, sdk.hi, sdk.cpu, sdk.wall
            );
        }
        let c = |name: &str| cpu[at(name)];
        let ratio = c("ours/hyper") / c("floor/hyper");
        let pipeline_ratio = c("pipeline/dual") / c("hash-floor/dual");
        let python_row = match &sdk {
            Some(sdk) => format!(
                "| Python SDK (measured here, {:.0} µs) ÷ ours/hyper (target ≥ 25) | **{:.1}** \
                 (rounds {:.1}–{:.1}) |",
                sdk.cpu, sdk.ratio, sdk.ratio_lo, sdk.ratio_hi
            ),
            None => format!(
                "| Python SDK ({:.0}–{:.0} µs, issue 14, not measured here) ÷ ours/hyper \
                 (target ≥ 25) | **{:.0}–{:.0}** |",
                PYTHON_SDK_US.0,
                PYTHON_SDK_US.1,
                PYTHON_SDK_US.0 / c("ours/hyper"),
                PYTHON_SDK_US.1 / c("ours/hyper"),
            ),
        };
        println!();
        println!(
            "| ratio | value |\n|---|---|\n\
             | ours/hyper ÷ floor/hyper (target ≤ 1.15) | **{ratio:.2}** |\n\
             {python_row}\n\
             | pipeline/dual ÷ hash-floor/dual (target ≤ 2, pipeline ≤ 6 µs) | **{pipeline_ratio:.2}** ({:.2} µs) |\n\
             | transport/hyper ÷ floor/hyper | {:.2} |\n\
             | ours/hyper ÷ floor/hyper, user-space CPU only (no system calls, no wake-ups) | {:.2} |\n\
             | ours/hyper − floor/hyper − ours/in-memory (what the network adds to our work) | {:.1} µs |\n\
             | ours/reqwest ÷ floor/reqwest | {:.2} |\n\
             | ours/reqwest ÷ ours/hyper | {:.2} |\n\
             | transport/reqwest ÷ transport/hyper | {:.2} |\n\
             | floor/reqwest ÷ floor/hyper | {:.2} |\n\
             | ours/in-memory − pipeline/dual (builders, retry loop, decoding) | {:.1} µs |",
            c("pipeline/dual"),
            c("transport/hyper") / c("floor/hyper"),
            user[at("ours/hyper")] / user[at("floor/hyper")],
            c("ours/hyper") - c("floor/hyper") - c("ours/in-memory"),
            c("ours/reqwest") / c("floor/reqwest"),
            c("ours/reqwest") / c("ours/hyper"),
            c("transport/reqwest") / c("transport/hyper"),
            c("floor/reqwest") / c("floor/hyper"),
            c("ours/in-memory") - c("pipeline/dual"),
        );
        if let Err(why) = &python {
            println!(
                "\nThe Python SDK was not measured in this run ({why}): its figure is issue \
                 14's, {:.0}–{:.0} µs, measured at another moment, when the machine's load may \
                 have differed (loopback figures move up to 3× with it). To measure it in the \
                 same rounds: `python3 -m venv .venv && .venv/bin/pip install \
                 alibabacloud_vpc20160428`, then `--python .venv/bin/python` (benches/RESULTS.md).",
                PYTHON_SDK_US.0, PYTHON_SDK_US.1
            );
        }
        if let Some(path) = &args.json {
            let mut figures: serde_json::Map<String, serde_json::Value> = ALL
                .iter()
                .enumerate()
                .map(|(i, (_, name))| {
                    (
                        (*name).to_owned(),
                        serde_json::json!({
                            "cpu_us": round2(cpu[i]),
                            "user_us": round2(user[i]),
                            "wall_us": round2(wall[i]),
                        }),
                    )
                })
                .collect();
            let (python_sdk_us, python_ratio, python_sdk) = match &sdk {
                Some(sdk) => {
                    figures.insert(
                        "python-sdk".to_owned(),
                        serde_json::json!({ "cpu_us": round2(sdk.cpu), "wall_us": round2(sdk.wall) }),
                    );
                    (
                        [round2(sdk.lo), round2(sdk.hi)],
                        [round2(sdk.ratio_lo), round2(sdk.ratio_hi)],
                        serde_json::json!({
                            "source": "measured in this run (benches/python/peer.py)",
                            "calls_per_round": peer_calls,
                            "cpu_us_rounds": peer_cpu.iter().map(|&x| round2(x)).collect::<Vec<_>>(),
                            "ours_hyper_cpu_us_rounds": cpu_rounds[at("ours/hyper")].iter().map(|&x| round2(x)).collect::<Vec<_>>(),
                            "over_ours_hyper_median": round2(sdk.ratio),
                            "versions": sdk.versions,
                        }),
                    )
                }
                None => (
                    [PYTHON_SDK_US.0, PYTHON_SDK_US.1],
                    [
                        round2(PYTHON_SDK_US.0 / c("ours/hyper")),
                        round2(PYTHON_SDK_US.1 / c("ours/hyper")),
                    ],
                    serde_json::json!({ "source": "issue 14 (not measured in this run)" }),
                ),
            };
            let doc = serde_json::json!({
                "what": "client CPU per full ModifyVpnConnectionAttribute call on loopback (benches/src/bin/e2e.rs)",
                "calls": args.calls,
                "rounds": args.rounds,
                "load_average": load.trim(),
                "awake": match args.awake {
                    None => "no",
                    Some(Awake::SameCpu) => "same CPU",
                    Some(Awake::CrossCpu) => "cross CPU",
                },
                "figures": figures,
                "python_sdk_us": python_sdk_us,
                "python_sdk": python_sdk,
                "ratios": {
                    "ours_hyper_over_floor_hyper": round2(ratio),
                    "python_sdk_over_ours_hyper": python_ratio,
                    "pipeline_over_hash_floor": round2(pipeline_ratio),
                },
            });
            let text = serde_json::to_string_pretty(&doc).expect("JSON") + "\n";
            std::fs::write(path, text).expect("write --json file");
        }
    });
}

/// The Python SDK's figures of a run.
struct Sdk {
    /// Median CPU and wall per call over the rounds, µs.
    cpu: f64,
    wall: f64,
    /// The lowest and highest round.
    lo: f64,
    hi: f64,
    /// Median over the rounds of (its CPU ÷ ours/hyper's in the same round), and the extremes.
    ratio: f64,
    ratio_lo: f64,
    ratio_hi: f64,
    versions: serde_json::Value,
}

fn min_max(v: &[f64]) -> (f64, f64) {
    v.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
