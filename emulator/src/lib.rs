//! A local emulator of Alibaba Cloud for tests and experiments. Every operation of the
//! generated `alicloud-vpc` (Vpc 2016-04-28), `alicloud-sts` (STS 2015-04-01) and `alicloud-cs`
//! (CS 2015-12-15, a ROA product) answers: VPCs, vSwitches, EIPs and route tables keep state in
//! a data-driven engine ([`resources`]), VPN gateways and IPsec-VPN connections in a typed
//! model of their own (`ModifyVpnConnectionAttribute`, `DescribeVpnGateway`, the lists
//! `DescribeVpnGateways` / `DescribeVpnConnections` through the engine's paging and filters,
//! `CreateVpnConnection`, `DescribeVpnConnection`, `DeleteVpnConnection`), STS
//! `AssumeRole`, `AssumeRoleWithOIDC` and `GetCallerIdentity` on the identity side
//! ([`identity`]), and every other operation answers a body synthesised from its response
//! model.
//!
//! It answers as the service does, from the same generated code the client uses:
//!
//! * ACS3-HMAC-SHA256 signatures are checked as the API gateway checks them ([`signature`]),
//!   with the access keys configured (by default `test-access-key-id` /
//!   `test-access-key-secret`), timestamps within 15 minutes and nonces used once;
//! * RPC calls are dispatched on `x-acs-version` and `x-acs-action`, ROA calls on the method
//!   and path, through the generated tables (`alicloud_vpc::operation::OPERATIONS` and the
//!   others'); ROA errors come in ROA's lower-case JSON shape;
//! * parameters are decoded with the generated decoding
//!   ([`alicloud_runtime::decode::decode_request`], [`alicloud_runtime::decode::decode_request_json`]
//!   for ROA bodies) and checked with the generated `validate()`;
//!   one violation is answered ([`first_violation`]);
//! * gateways go `updating` for a while after each change ([`EmulatorConfig::updating`]), and
//!   refuse another change meanwhile with `VpnGateway.Configuring`;
//! * a `ClientToken` seen before on the same connection gets the first answer again;
//! * faults and scripted answers ([`Fault`]: errors, successes, delays, dropped connections)
//!   can be queued from the API below, the state file or `POST /__admin/faults`.
//!
//! ```no_run
//! use alicloud_emulator::{Emulator, EmulatorConfig};
//!
//! let emulator = Emulator::start(EmulatorConfig::default())?;
//! println!("endpoint: {}", emulator.endpoint()); // 127.0.0.1:<port>
//! let state = emulator.state();
//! assert!(state.connection("vco-single-a").is_some());
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! The server runs on its own thread and Tokio runtime, so it works the same from synchronous
//! tests and from any async runtime; it stops when the [`Emulator`] is dropped or
//! [`Emulator::shutdown`] is called.
//!
//! Admin endpoints (loopback callers only): `GET /__admin/state`, `GET|POST|DELETE
//! /__admin/faults`, `GET|DELETE /__admin/requests`.
//!
//! Logging goes through `tracing`: one event per call with the action, the HTTP status and the
//! request ID, never a query string, a body or a header value (pre-shared keys travel in both).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod catalog;
mod error;
pub mod faults;
pub mod identity;
mod ops;
pub mod resources;
mod server;
pub mod signature;
pub mod state;
mod vpn;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

pub use error::{first_violation, ApiError};
pub use faults::{Fault, FaultKind};
pub use identity::IdentityConfig;
pub use state::{AccessKey, SeedError, State, StateFile, TunnelMode, VpnConnection, VpnGateway};

/// The default time a gateway stays `updating` after a change.
pub const DEFAULT_UPDATING: Duration = Duration::from_secs(2);

/// How to start an [`Emulator`].
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    addr: SocketAddr,
    access_keys: Vec<AccessKey>,
    updating: Duration,
    state: State,
    faults: Vec<Fault>,
    identity: IdentityConfig,
    records: resources::Records,
    persist: Option<std::path::PathBuf>,
}

impl Default for EmulatorConfig {
    /// `127.0.0.1:0` (any free port), the default access key, [`DEFAULT_UPDATING`], the
    /// built-in seed ([`State::builtin`]), no faults.
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            access_keys: vec![AccessKey::default()],
            updating: DEFAULT_UPDATING,
            state: State::builtin(),
            faults: Vec::new(),
            identity: IdentityConfig::default(),
            records: resources::Records::default(),
            persist: None,
        }
    }
}

impl EmulatorConfig {
    /// The defaults (see [`EmulatorConfig::default`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// A configuration from a state file: its resources, keys, updating time and faults, each
    /// falling back to the default when the file leaves it out.
    pub fn from_state_file(file: &StateFile) -> Self {
        let mut c = Self::default().with_state(file.state());
        if let Some(keys) = &file.access_keys {
            c.access_keys = keys.clone();
        }
        if let Some(d) = file.updating() {
            c.updating = d;
        }
        c.faults = file.faults.clone();
        if let Some(r) = &file.resources {
            c.records = r.clone();
        }
        c
    }

    /// The resource engine's records to start with.
    pub fn with_records(mut self, records: resources::Records) -> Self {
        self.records = records;
        self
    }

    /// Keeps the resource engine's records in `path` across restarts: read at start when the
    /// file exists (its `resources`), rewritten after every change.
    pub fn persist_to(mut self, path: impl Into<std::path::PathBuf>) -> Result<Self, SeedError> {
        let path = path.into();
        if path.exists() {
            if let Some(r) = StateFile::read(&path)?.resources {
                self.records = r;
            }
        }
        self.persist = Some(path);
        Ok(self)
    }

    /// The address to listen on (port 0 picks a free port).
    pub fn with_addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Replaces the accepted access keys.
    pub fn with_access_keys(mut self, keys: Vec<AccessKey>) -> Self {
        self.access_keys = keys;
        self
    }

    /// Adds an accepted access key.
    pub fn with_access_key(mut self, key: AccessKey) -> Self {
        self.access_keys.push(key);
        self
    }

    /// How long a gateway stays `updating` after a change.
    pub fn updating(mut self, d: Duration) -> Self {
        self.updating = d;
        self
    }

    /// The resources to start with (instead of the built-in seed).
    pub fn with_state(mut self, state: State) -> Self {
        self.state = state;
        self
    }

    /// Faults queued from the start.
    pub fn with_faults(mut self, faults: Vec<Fault>) -> Self {
        self.faults = faults;
        self
    }

    /// The identity side: roles, OIDC providers and tokens, the instance role, and the
    /// lifetime of issued credentials.
    pub fn with_identity(mut self, identity: IdentityConfig) -> Self {
        self.identity = identity;
        self
    }
}

/// One API call the emulator received (admin endpoints are not recorded). It holds no
/// parameter values except the `ClientToken`, which is not a secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// The request ID answered.
    pub request_id: String,
    /// `x-acs-action`, as sent.
    pub action: Option<String>,
    /// The `ClientToken` parameter, as sent.
    pub client_token: Option<String>,
    /// HTTP status answered; `None` when the connection was dropped.
    pub status: Option<u16>,
    /// The error code answered, if any.
    pub code: Option<String>,
    /// The injected fault that applied, if any (`throttle`, `delay`, …).
    pub fault: Option<String>,
    /// Whether the answer was the first answer to a replayed `ClientToken`.
    pub replayed: bool,
    /// For `DescribeVpnGateway`: the gateway status answered.
    pub gateway_status: Option<String>,
}

/// A running emulator. It stops when dropped.
pub struct Emulator {
    addr: SocketAddr,
    shared: Arc<server::Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Emulator {
    /// Binds `config`'s address and serves on a thread of its own; returns once the socket
    /// listens.
    pub fn start(config: EmulatorConfig) -> std::io::Result<Self> {
        let mut world = ops::World::default();
        world
            .seed(config.state)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        let shared = Arc::new(server::Shared::new(server::Inner {
            world,
            keys: Arc::new(config.access_keys),
            updating: config.updating,
            faults: config.faults,
            requests: Vec::new(),
            nonces: Default::default(),
            identity: identity::IdentityState {
                config: config.identity,
                ..Default::default()
            },
            records: config.records,
            answers: Default::default(),
            state_path: config.persist,
        }));
        let listener = std::net::TcpListener::bind(config.addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("alicloud-emulator-worker")
            .enable_all()
            .build()?;
        let (tx, rx) = tokio::sync::oneshot::channel();
        let app = server::router(shared.clone());
        let thread = std::thread::Builder::new()
            .name("alicloud-emulator".into())
            .spawn(move || {
                runtime.block_on(async move {
                    match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => server::serve(l, app, rx).await,
                        Err(e) => tracing::error!(error = %e, "cannot listen"),
                    }
                });
                // Dropping the runtime here ends every connection still open.
            })?;
        tracing::info!(%addr, "emulator listening");
        Ok(Self {
            addr,
            shared,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `host:port`, for `Config::with_endpoint`.
    pub fn endpoint(&self) -> String {
        self.addr.to_string()
    }

    /// A snapshot of every resource, gateway statuses as of now.
    pub fn state(&self) -> State {
        self.shared.lock().world.snapshot(Instant::now())
    }

    /// The gateway `id`, as of now.
    pub fn gateway(&self, id: &str) -> Option<VpnGateway> {
        self.state().gateway(id).cloned()
    }

    /// The connection `id`.
    pub fn connection(&self, id: &str) -> Option<VpnConnection> {
        self.shared.lock().world.connections.get(id).cloned()
    }

    /// Adds or replaces resources (IDs must stay unique; a connection's gateway must exist
    /// after the change).
    pub fn seed(&self, state: State) -> Result<(), SeedError> {
        self.shared.lock().world.seed(state)
    }

    /// Adds or replaces a gateway.
    pub fn insert_gateway(&self, gateway: VpnGateway) {
        // A gateway alone cannot break the seed's consistency.
        let _ = self.seed(State {
            vpn_gateways: vec![gateway],
            vpn_connections: Vec::new(),
        });
    }

    /// Adds or replaces a connection; its gateway must exist.
    pub fn insert_connection(&self, connection: VpnConnection) -> Result<(), SeedError> {
        self.seed(State {
            vpn_gateways: Vec::new(),
            vpn_connections: vec![connection],
        })
    }

    /// Changes the identity side's configuration while running (e.g. rotate the accepted
    /// OIDC tokens, shorten the lifetime of issued credentials).
    pub fn update_identity(&self, change: impl FnOnce(&mut IdentityConfig)) {
        change(&mut self.shared.lock().identity.config);
    }

    /// The resource engine's records (VPCs, vSwitches, EIPs, route tables), by kind.
    pub fn records(&self) -> resources::Records {
        self.shared.lock().records.clone()
    }

    /// Queues a fault, or a scripted answer ([`Fault::error`], [`Fault::respond`],
    /// [`Fault::respond_typed`]) for the next calls of its action.
    pub fn add_fault(&self, fault: Fault) {
        self.shared.lock().faults.push(fault);
    }

    /// The faults still queued.
    pub fn faults(&self) -> Vec<Fault> {
        self.shared.lock().faults.clone()
    }

    /// Removes every queued fault.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// Every API call received so far, in order of completion.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// Forgets the calls received so far.
    pub fn clear_requests(&self) {
        self.shared.lock().requests.clear();
    }

    /// Changes how long gateways stay `updating` after later changes.
    pub fn set_updating(&self, d: Duration) {
        self.shared.lock().updating = d;
    }

    /// Ends every running update now: `updating` gateways become `active`.
    pub fn complete_updates(&self) {
        self.shared.lock().world.complete_updates();
    }

    /// Adds an accepted access key.
    pub fn add_access_key(&self, key: AccessKey) {
        Arc::make_mut(&mut self.shared.lock().keys).push(key);
    }

    /// Stops the server and waits for its thread.
    pub fn shutdown(mut self) {
        self.stop();
    }

    /// Serves until the process ends (nothing else can stop a server whose handle this call
    /// took). For the binary.
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl std::fmt::Debug for Emulator {
    /// The address only: the state holds pre-shared keys, and the answers kept for idempotency
    /// tokens quote them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_seed_parses_and_is_consistent() {
        let s = State::builtin();
        s.check().unwrap();
        assert_eq!(s.vpn_gateways.len(), 4);
        assert_eq!(s.vpn_connections.len(), 5);
        let dual = s.connection("vco-dual-a").unwrap();
        assert_eq!(dual.tunnel_mode, TunnelMode::DualTunnel);
        assert!(dual.tunnel("tun-dual-a-master").is_some());
        let single = s.connection("vco-single-a").unwrap();
        assert_eq!(single.tunnel_mode, TunnelMode::SingleTunnel);
        // Debug output of the state hides pre-shared keys.
        assert!(!format!("{s:?}").contains("seedPsk"));
    }

    #[test]
    fn debug_output_of_a_running_emulator_shows_no_secret() {
        let em = Emulator::start(EmulatorConfig::default()).unwrap();
        let text = format!("{em:?}");
        assert!(text.contains(&em.addr().to_string()), "{text}");
        assert!(!text.contains("seedPsk") && !text.contains(AccessKey::DEFAULT_SECRET));
        let config = format!("{:?}", EmulatorConfig::default());
        assert!(!config.contains("seedPsk") && !config.contains(AccessKey::DEFAULT_SECRET));
    }

    #[test]
    fn state_files_fall_back_to_the_builtin_seed() {
        let f =
            StateFile::parse(r#"{"updating_ms": 50, "faults": [{"kind": "throttle"}]}"#).unwrap();
        assert_eq!(f.state(), State::builtin());
        let c = EmulatorConfig::from_state_file(&f);
        assert_eq!(c.updating, Duration::from_millis(50));
        assert_eq!(c.faults, vec![Fault::throttle(1)]);
        let f = StateFile::parse(
            r#"{"vpn_gateways": [{"VpnGatewayId": "vpn-1", "RegionId": "r"}],
                "vpn_connections": [{"VpnConnectionId": "vco-1", "VpnGatewayId": "vpn-2",
                                     "TunnelMode": "single-tunnel"}]}"#,
        )
        .unwrap();
        assert!(f.state().check().unwrap_err().0.contains("vpn-2"));
    }
}

/// The README's Rust examples, compiled as doctests so that they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
