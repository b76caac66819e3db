//! The HTTP side: routes, the API entry point, admin endpoints and the accept loop.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use alicloud_runtime::decode::ServedOperation;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{any, get};
use axum::{Extension, Router};
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Notify};

use crate::catalog;
use crate::error::{envelope, roa_envelope, ApiError};
use crate::faults::{self, Fault, FaultKind, FaultsBody};
use crate::identity::{self, IdentityState};
use crate::ops::{self, World};
use crate::resources::{self, Records};
use crate::signature::{self, MAX_CLOCK_SKEW};
use crate::state::AccessKey;
use crate::vpn;
use crate::RecordedRequest;

/// Everything the handlers share, behind one lock (never held across an `await`). No `Debug`:
/// it holds secrets.
pub(crate) struct Inner {
    pub world: World,
    /// Shared with calls checking signatures outside the lock (copied on change).
    pub keys: Arc<Vec<AccessKey>>,
    pub updating: Duration,
    pub faults: Vec<Fault>,
    pub requests: Vec<RecordedRequest>,
    /// (access key ID, nonce) → when it was first seen.
    pub nonces: HashMap<(String, String), Instant>,
    /// STS, the metadata service and the credentials URI.
    pub identity: IdentityState,
    /// The resource engine's records.
    pub records: Records,
    /// (action, ClientToken) → the first answer, for the engine's changes.
    pub answers: HashMap<(String, String), ops::Answer>,
    /// Where the records are written after each change, if anywhere.
    pub state_path: Option<std::path::PathBuf>,
}

pub(crate) struct Shared {
    inner: Mutex<Inner>,
}

impl Shared {
    pub(crate) fn new(inner: Inner) -> Self {
        Self {
            inner: Mutex::new(inner),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves consistent data (every change is applied
        // all at once), so a poisoned lock is simply taken over.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Inner {
    /// Writes the records to the state path (if any) after a change: to a temporary file
    /// first, so that a crash never leaves half a file.
    pub(crate) fn persist(&self) {
        let Some(path) = &self.state_path else {
            return;
        };
        let file = crate::state::StateFile {
            resources: Some(self.records.clone()),
            ..Default::default()
        };
        let write = || -> std::io::Result<()> {
            let text = serde_json::to_string_pretty(&file).map_err(std::io::Error::other)?;
            let tmp = path.with_extension("json.tmp");
            std::fs::write(&tmp, text)?;
            std::fs::rename(&tmp, path)
        };
        if let Err(e) = write() {
            tracing::warn!(error = %e, path = %path.display(), "cannot write the state file");
        }
    }

    fn check_nonce(&mut self, key_id: &str, nonce: &str, now: Instant) -> Result<(), ApiError> {
        if self.nonces.len() > 100_000 {
            let horizon = MAX_CLOCK_SKEW * 2;
            self.nonces
                .retain(|_, seen| now.saturating_duration_since(*seen) < horizon);
        }
        if self
            .nonces
            .insert((key_id.to_owned(), nonce.to_owned()), now)
            .is_some()
        {
            return Err(ApiError::new(
                400,
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
            ));
        }
        Ok(())
    }
}

/// What each connection's requests carry: the peer, and a way to drop the connection.
#[derive(Clone, Debug)]
pub(crate) struct ConnInfo {
    peer: SocketAddr,
    kill: Arc<Notify>,
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", any(api))
        .route("/__admin/state", get(admin_state))
        .route(
            "/__admin/faults",
            get(admin_faults)
                .post(admin_add_faults)
                .delete(admin_clear_faults),
        )
        .route(
            "/__admin/requests",
            get(admin_requests).delete(admin_clear_requests),
        )
        .route("/latest/api/token", axum::routing::put(metadata_token))
        .route(
            "/latest/meta-data/ram/security-credentials/",
            get(metadata_role),
        )
        .route(
            "/latest/meta-data/ram/security-credentials/{role}",
            get(metadata_credentials),
        )
        .route(identity::CREDENTIALS_URI_PATH, get(credentials_uri))
        .fallback(roa_or_not_found)
        .with_state(shared)
}

/// Serves `listener` until `shutdown` fires (or its sender is dropped).
pub(crate) async fn serve(listener: TcpListener, app: Router, mut shutdown: oneshot::Receiver<()>) {
    loop {
        let (stream, peer) = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(x) => x,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        // Answers go out at once: with Nagle's algorithm a small write waiting for the
        // client's delayed ACK stalls a keep-alive call by tens of milliseconds on loopback.
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, "cannot set TCP_NODELAY");
        }
        let app = app.clone();
        tokio::spawn(async move {
            let kill = Arc::new(Notify::new());
            let info = ConnInfo {
                peer,
                kill: kill.clone(),
            };
            let service =
                hyper::service::service_fn(move |mut req: http::Request<hyper::body::Incoming>| {
                    req.extensions_mut().insert(info.clone());
                    let mut app = app.clone();
                    async move { tower_service::Service::call(&mut app, req).await }
                });
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            tokio::select! {
                _ = conn => {}
                // Dropping the connection future closes the socket: no answer is sent.
                _ = kill.notified() => {}
            }
        });
    }
}

fn new_request_id() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string().to_uppercase()
}

fn header_str(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_owned())
}

/// An action name fit for the log (header values are never logged as such).
fn loggable_action(action: Option<&str>) -> &str {
    match action {
        Some(a)
            if !a.is_empty() && a.len() <= 64 && a.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            a
        }
        _ => "-",
    }
}

/// The request's parameters: the query's, then the form body's, decoded with form semantics.
fn collect_params(raw_query: &str, headers: &HeaderMap, body: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |text: &str| {
        for piece in text.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
            out.push((
                alicloud_runtime::wire::decode_form_component(k),
                alicloud_runtime::wire::decode_form_component(v),
            ));
        }
    };
    add(raw_query);
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|ct| {
            ct.trim()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    if form && !body.is_empty() {
        add(&String::from_utf8_lossy(body));
    }
    out
}

fn json_response(status: u16, body: String, request_id: Option<&str>) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=utf-8"),
    );
    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(id).ok()) {
        r.headers_mut().insert("x-acs-request-id", id);
    }
    r
}

fn error_response(e: &ApiError, request_id: &str, host_id: &str) -> Response {
    json_response(e.status, envelope(e, request_id, host_id), Some(request_id))
}

/// An error in the shape of the request's protocol: RPC's envelope, or ROA's lower-case one.
fn protocol_error(e: &ApiError, request_id: &str, host_id: &str, roa: bool) -> Response {
    if roa {
        json_response(e.status, roa_envelope(e, request_id), Some(request_id))
    } else {
        error_response(e, request_id, host_id)
    }
}

const BAD_GATEWAY_HTML: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n";

/// Paths other than `/`: a ROA call when the request names the API version of a ROA product
/// served (every ROA client sends `x-acs-version`); otherwise no such endpoint.
async fn roa_or_not_found(
    state: State<Arc<Shared>>,
    conn: Extension<ConnInfo>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match header_str(&headers, "x-acs-version") {
        Some(v) if catalog::is_roa_version(&v) => {
            api(state, conn, method, uri, headers, body).await
        }
        _ => not_found().await,
    }
}

/// Which operation a call is for, as far as it could be told before the signature is checked.
struct Route {
    /// ROA (routed by method and path), or RPC (`/`, by version and action).
    roa: bool,
    /// The operation, or why none is served.
    served: Result<&'static ServedOperation, ApiError>,
    /// ROA: the path's parameters.
    path_params: Vec<(String, String)>,
}

fn route(method: &Method, uri: &Uri, headers: &HeaderMap) -> Route {
    let version = header_str(headers, "x-acs-version");
    if uri.path() == "/" {
        let action = header_str(headers, "x-acs-action");
        return Route {
            roa: false,
            served: catalog::find(version.as_deref(), action.as_deref()),
            path_params: Vec::new(),
        };
    }
    match catalog::find_roa(version.as_deref(), method.as_str(), uri.path()) {
        Ok((op, params)) => Route {
            roa: true,
            served: Ok(op),
            path_params: params,
        },
        Err(e) => Route {
            roa: true,
            served: Err(e),
            path_params: Vec::new(),
        },
    }
}

/// Every API call: faults, signature, nonce, version, action, operation.
async fn api(
    State(shared): State<Arc<Shared>>,
    Extension(conn): Extension<ConnInfo>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request_id = new_request_id();
    let route = route(&method, &uri, &headers);
    let roa = route.roa;
    // A ROA call's action is its operation's (it is routed by path); an RPC call names it.
    let action = match (&route.served, roa) {
        (Ok(op), true) => Some(op.meta.action.to_owned()),
        _ => header_str(&headers, "x-acs-action"),
    };
    let raw_query = uri.query().unwrap_or("");
    let params = if roa {
        collect_params(raw_query, &HeaderMap::new(), b"")
    } else {
        collect_params(raw_query, &headers, &body)
    };
    let client_token = params
        .iter()
        .find(|(k, _)| k == "ClientToken")
        .map(|(_, v)| v.clone());
    let host_id = header_str(&headers, "host")
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "vpc.aliyuncs.com".to_owned());
    let mut record = RecordedRequest {
        request_id: request_id.clone(),
        action: action.clone(),
        client_token,
        status: None,
        code: None,
        fault: None,
        replayed: false,
        gateway_status: None,
    };

    let fault = faults::take(&mut shared.lock().faults, action.as_deref());
    if let Some(kind) = fault {
        record.fault = Some(kind.name().to_owned());
        let injected = match kind {
            FaultKind::Delay { delay_ms } => {
                tokio::time::sleep(Duration::from_millis(delay_ms)).await;
                None
            }
            FaultKind::Throttle => Some(ApiError::new(
                400,
                "Throttling.User",
                "Request was denied due to user flow control.",
            )),
            FaultKind::InternalError => Some(ApiError::new(
                500,
                "InternalError",
                "The request processing has failed due to some unknown error, exception or failure.",
            )),
            FaultKind::ServiceUnavailable => Some(ApiError::new(
                503,
                "ServiceUnavailable",
                "The request has failed due to a temporary failure of the server.",
            )),
            FaultKind::BadGatewayHtml => {
                record.status = Some(502);
                finish(&shared, record);
                let mut r = Response::new(Body::from(BAD_GATEWAY_HTML));
                *r.status_mut() = StatusCode::BAD_GATEWAY;
                r.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html"),
                );
                return r;
            }
            FaultKind::Error {
                status,
                code,
                message,
            } => Some(ApiError::new(
                status,
                code,
                message.unwrap_or_else(|| "The request was answered by a scripted error.".to_owned()),
            )),
            FaultKind::Respond { mut body } => {
                if let Some(obj) = body.as_object_mut() {
                    let key = if roa { "requestId" } else { "RequestId" };
                    obj.insert(key.to_owned(), request_id.clone().into());
                }
                record.status = Some(200);
                finish(&shared, record);
                return json_response(200, body.to_string(), Some(&request_id));
            }
            FaultKind::DropConnection => {
                finish(&shared, record);
                conn.kill.notify_one();
                // The connection task drops this future with the connection.
                std::future::pending::<()>().await;
                return Response::new(Body::empty());
            }
        };
        if let Some(e) = injected {
            record.status = Some(e.status);
            record.code = Some(e.code.clone());
            finish(&shared, record);
            return protocol_error(&e, &request_id, &host_id, roa);
        }
    }

    let call = Call {
        method: &method,
        path: uri.path(),
        raw_query,
        headers: &headers,
        body: &body,
        action: action.as_deref(),
        params: &params,
        request_id: &request_id,
        route,
    };
    match handle(&shared, call) {
        Ok(ok) => {
            record.status = Some(200);
            record.replayed = ok.replayed;
            record.gateway_status = ok.gateway_status;
            finish(&shared, record);
            json_response(200, ok.body, Some(&ok.request_id))
        }
        Err(e) => {
            record.status = Some(e.status);
            record.code = Some(e.code.clone());
            finish(&shared, record);
            protocol_error(&e, &request_id, &host_id, roa)
        }
    }
}

/// Logs (action, status and request ID only) and records a call.
fn finish(shared: &Shared, record: RecordedRequest) {
    tracing::info!(
        action = %loggable_action(record.action.as_deref()),
        status = record.status.unwrap_or(0),
        request_id = %record.request_id,
        "api call"
    );
    shared.lock().requests.push(record);
}

/// One API call, as received.
struct Call<'a> {
    method: &'a Method,
    path: &'a str,
    raw_query: &'a str,
    headers: &'a HeaderMap,
    body: &'a [u8],
    action: Option<&'a str>,
    /// RPC: query and form pairs; ROA: query pairs.
    params: &'a [(String, String)],
    request_id: &'a str,
    route: Route,
}

/// The checks and the operation. The shared lock is taken only around what reads or changes
/// shared state: the signature, the decoding and the answer's JSON are worked out without it,
/// so that concurrent calls do not wait on one another's hashing and parsing.
fn handle(shared: &Shared, call: Call<'_>) -> Result<ops::Success, ApiError> {
    let (method, request_id, params) = (call.method, call.request_id, call.params);
    let roa = call.route.roa;
    if !roa && method != Method::POST && method != Method::GET {
        return Err(ApiError::new(
            400,
            "UnsupportedHTTPMethod",
            "This http method not supported.",
        ));
    }
    let now = Instant::now();
    let version = header_str(call.headers, "x-acs-version");
    let sts = version.as_deref() == Some(identity::STS_VERSION) && !roa;
    // Unsigned by design: the OIDC token is the proof of identity.
    if sts && call.action == Some("AssumeRoleWithOIDC") {
        let mut inner = shared.lock();
        let (body, key) = identity::assume_role_with_oidc(&mut inner.identity, params, request_id)?;
        Arc::make_mut(&mut inner.keys).push(key);
        return Ok(ops::Success::plain(body, request_id));
    }
    // Other operations sent unsigned (STS `AssumeRoleWithSAML`: the assertion is the proof).
    let anonymous = call.route.served.as_ref().is_ok_and(|op| op.meta.anonymous);
    let mut caller = None;
    if !anonymous {
        let keys = shared.lock().keys.clone();
        let verified = signature::verify_request(
            method.as_str(),
            if roa { call.path } else { "/" },
            call.raw_query,
            call.headers,
            call.body,
            &keys,
            SystemTime::now(),
        )?;
        let mut inner = shared.lock();
        inner.check_nonce(&verified.access_key_id, &verified.nonce, now)?;
        inner.identity.check_expiry(&verified.access_key_id)?;
        if sts && call.action == Some("AssumeRole") {
            let (body, key) = identity::assume_role(&mut inner.identity, params, request_id)?;
            Arc::make_mut(&mut inner.keys).push(key);
            return Ok(ops::Success::plain(body, request_id));
        }
        caller = Some(verified.access_key_id);
    }
    let served = call.route.served?;
    if !roa {
        match served.meta.action {
            ops::MODIFY => {
                let mut inner = shared.lock();
                let updating = inner.updating;
                return ops::modify_vpn_connection_attribute(
                    &mut inner.world,
                    params,
                    request_id,
                    now,
                    updating,
                );
            }
            ops::DESCRIBE => {
                return ops::describe_vpn_gateway(&mut shared.lock().world, params, request_id, now)
            }
            _ => {}
        }
    }
    let checked = if roa {
        decode_roa(
            served,
            &call.route.path_params,
            params,
            call.headers,
            call.body,
        )?
    } else {
        (served.decode)(params).map_err(|e| ApiError::from_decode(&e))?
    };
    if let Err(v) = &checked.violations {
        if v.has_refusals() {
            return Err(ApiError::from_violations(v));
        }
    }
    if !roa && vpn::handles(served.meta.version, served.meta.action) {
        return vpn_call(shared, served, &checked, request_id, now);
    }
    if sts && served.meta.action == identity::GET_CALLER_IDENTITY {
        let inner = shared.lock();
        let body = identity::caller_identity(&inner.identity, caller.as_deref(), request_id);
        return Ok(ops::Success::plain(body, request_id));
    }
    generic(shared, served, &checked, request_id, roa)
}

/// A VPN operation answered from the typed VPN model (`crate::vpn`). A create or delete
/// sending a `ClientToken` already answered for the same action gets the first answer again.
fn vpn_call(
    shared: &Shared,
    served: &ServedOperation,
    checked: &alicloud_runtime::decode::Checked,
    request_id: &str,
    now: Instant,
) -> Result<ops::Success, ApiError> {
    let action = served.meta.action;
    let token = served
        .meta
        .idempotency_token
        .and_then(|t| checked.request.get(t))
        .and_then(|v| v.as_str())
        .filter(|t| !t.is_empty() && vpn::mutates(action))
        .map(|t| (action.to_owned(), t.to_owned()));
    let mut inner = shared.lock();
    if let Some(answer) = token.as_ref().and_then(|t| inner.answers.get(t)) {
        return Ok(ops::Success {
            request_id: answer.request_id.clone(),
            body: answer.body.clone(),
            gateway_status: None,
            replayed: true,
        });
    }
    let mut answer = vpn::handle(
        &mut inner.world,
        action,
        &checked.request,
        served.response_example,
        now,
    )?;
    set_request_id(&mut answer, request_id, false);
    let body = answer.to_string();
    if let Some(t) = token {
        inner.answers.insert(
            t,
            ops::Answer {
                request_id: request_id.to_owned(),
                body: body.clone(),
            },
        );
    }
    Ok(ops::Success::plain(body, request_id))
}

/// A ROA request read back: the path's parameters, the query's, and the JSON body's members
/// (the whole body under its parameter's name when the operation takes one value).
fn decode_roa(
    served: &ServedOperation,
    path_params: &[(String, String)],
    query: &[(String, String)],
    headers: &HeaderMap,
    body: &[u8],
) -> Result<alicloud_runtime::decode::Checked, ApiError> {
    let mut pairs = path_params.to_vec();
    pairs.extend(query.iter().cloned());
    let members = if body.iter().all(u8::is_ascii_whitespace) {
        serde_json::Map::new()
    } else {
        let is_json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|ct| ct.to_ascii_lowercase().contains("json"));
        let value: Option<serde_json::Value> = if is_json {
            serde_json::from_slice(body).ok()
        } else {
            None
        };
        let Some(value) = value else {
            return Err(ApiError::new(
                400,
                "InvalidParameter",
                "The request body is not valid JSON.",
            ));
        };
        match (served.whole_body, value) {
            (Some(name), v) => {
                let mut m = serde_json::Map::new();
                m.insert(name.to_owned(), v);
                m
            }
            (None, serde_json::Value::Object(m)) => m,
            (None, _) => {
                return Err(ApiError::new(
                    400,
                    "InvalidParameter",
                    "The request body is not a JSON object.",
                ))
            }
        }
    };
    (served.decode_json)(&pairs, members).map_err(|e| ApiError::from_decode(&e))
}

/// Any other operation, once decoded and validated: the resource engine or the answer
/// synthesised from the response model. A `ClientToken` seen before on the same action gets
/// its first answer again.
fn generic(
    shared: &Shared,
    served: &ServedOperation,
    checked: &alicloud_runtime::decode::Checked,
    request_id: &str,
    roa: bool,
) -> Result<ops::Success, ApiError> {
    let (version, action) = (served.meta.version, served.meta.action);
    let token = served
        .meta
        .idempotency_token
        .and_then(|t| checked.request.get(t))
        .and_then(|v| v.as_str())
        .filter(|t| !t.is_empty())
        .map(|t| (action.to_owned(), t.to_owned()));
    if !resources::has_state(version, action) {
        // Nothing shared to read or change: the synthesised answer, without the lock.
        let mut answer: serde_json::Value = serde_json::from_str(served.response_example)
            .unwrap_or_else(|_| serde_json::Value::Object(Default::default()));
        set_request_id(&mut answer, request_id, roa);
        return Ok(ops::Success::plain(answer.to_string(), request_id));
    }
    let now = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default();
    let mut inner = shared.lock();
    if let Some(answer) = token.as_ref().and_then(|t| inner.answers.get(t)) {
        return Ok(ops::Success {
            request_id: answer.request_id.clone(),
            body: answer.body.clone(),
            gateway_status: None,
            replayed: true,
        });
    }
    let mut answer = match resources::handle(
        &mut inner.records,
        version,
        action,
        &checked.request,
        served.response_example,
        &now,
    ) {
        Some(result) => result?,
        None => serde_json::from_str(served.response_example)
            .unwrap_or_else(|_| serde_json::Value::Object(Default::default())),
    };
    set_request_id(&mut answer, request_id, roa);
    let body = answer.to_string();
    if resources::mutates(version, action) {
        if let Some(t) = token {
            inner.answers.insert(
                t,
                ops::Answer {
                    request_id: request_id.to_owned(),
                    body: body.clone(),
                },
            );
        }
        inner.persist();
    }
    Ok(ops::Success::plain(body, request_id))
}

/// Puts the call's request ID into an answer that is an object: RPC's `RequestId`; in a ROA
/// answer the field its model has for it (`request_id`, `requestId`), if any — a ROA answer
/// that is an array or a string carries it in the `x-acs-request-id` header only.
fn set_request_id(answer: &mut serde_json::Value, request_id: &str, roa: bool) {
    let Some(obj) = answer.as_object_mut() else {
        return;
    };
    let key = if roa {
        obj.keys()
            .find(|k| k.replace('_', "").eq_ignore_ascii_case("requestid"))
            .cloned()
    } else {
        Some("RequestId".to_owned())
    };
    if let Some(k) = key {
        obj.insert(k, request_id.into());
    }
}

fn admin_only(conn: &ConnInfo) -> Option<Response> {
    if conn.peer.ip().is_loopback() {
        return None;
    }
    let e = ApiError::new(
        403,
        "Forbidden",
        "Admin endpoints answer loopback callers only.",
    );
    Some(error_response(&e, &new_request_id(), "emulator"))
}

fn admin_json<T: serde::Serialize>(value: &T) -> Response {
    match serde_json::to_string_pretty(value) {
        Ok(s) => json_response(200, s, None),
        Err(_) => json_response(500, "{}".to_owned(), None),
    }
}

async fn admin_state(
    State(shared): State<Arc<Shared>>,
    Extension(conn): Extension<ConnInfo>,
) -> Response {
    if let Some(r) = admin_only(&conn) {
        return r;
    }
    let state = shared.lock().world.snapshot(Instant::now());
    admin_json(&state)
}

async fn admin_faults(
    State(shared): State<Arc<Shared>>,
    Extension(conn): Extension<ConnInfo>,
) -> Response {
    if let Some(r) = admin_only(&conn) {
        return r;
    }
    let faults = shared.lock().faults.clone();
    admin_json(&faults)
}

async fn admin_add_faults(
    State(shared): State<Arc<Shared>>,
    Extension(conn): Extension<ConnInfo>,
    body: Bytes,
) -> Response {
    if let Some(r) = admin_only(&conn) {
        return r;
    }
    let parsed: Result<FaultsBody, _> = serde_json::from_slice(&body);
    match parsed {
        Ok(b) => {
            let mut inner = shared.lock();
            inner.faults.extend(b.into_vec());
            let faults = inner.faults.clone();
            drop(inner);
            admin_json(&faults)
        }
        Err(e) => {
            let e = ApiError::new(
                400,
                "InvalidParameter",
                format!("The body is not a fault, a list of faults or {{\"faults\": [...]}}: {e}"),
            );
            error_response(&e, &new_request_id(), "emulator")
        }
    }
}

async fn admin_clear_faults(
    State(shared): State<Arc<Shared>>,
    Extension(conn): Extension<ConnInfo>,
) -> Response {
    if let Some(r) = admin_only(&conn) {
        return r;
    }
    shared.lock().faults.clear();
    admin_json(&Vec::<Fault>::new())
}

async fn admin_requests(
    State(shared): State<Arc<Shared>>,
    Extension(conn): Extension<ConnInfo>,
) -> Response {
    if let Some(r) = admin_only(&conn) {
        return r;
    }
    let requests = shared.lock().requests.clone();
    admin_json(&requests)
}

async fn admin_clear_requests(
    State(shared): State<Arc<Shared>>,
    Extension(conn): Extension<ConnInfo>,
) -> Response {
    if let Some(r) = admin_only(&conn) {
        return r;
    }
    shared.lock().requests.clear();
    admin_json(&Vec::<RecordedRequest>::new())
}

/// Records a call to the metadata service or the credentials URI (no values: they are secrets).
fn record_identity(shared: &Shared, what: &str, status: u16) {
    finish(
        shared,
        RecordedRequest {
            request_id: new_request_id(),
            action: Some(what.to_owned()),
            client_token: None,
            status: Some(status),
            code: None,
            fault: None,
            replayed: false,
            gateway_status: None,
        },
    );
}

fn text_response(status: u16, body: String) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r
}

/// `PUT /latest/api/token`: a metadata session token (the hardened mode).
async fn metadata_token(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let ttl = header_str(&headers, "x-aliyun-ecs-metadata-token-ttl-seconds");
    if ttl.and_then(|t| t.parse::<u64>().ok()).is_none() {
        record_identity(&shared, "EcsMetadata:token", 400);
        return text_response(400, "missing or invalid token TTL".to_owned());
    }
    let token = identity::new_metadata_token(&mut shared.lock().identity);
    record_identity(&shared, "EcsMetadata:token", 200);
    text_response(200, token)
}

/// A metadata request's session token, when it sends one, must be one handed out.
fn metadata_token_ok(shared: &Shared, headers: &HeaderMap) -> bool {
    match header_str(headers, "x-aliyun-ecs-metadata-token") {
        None => true,
        Some(t) => shared.lock().identity.metadata_tokens.contains(&t),
    }
}

/// `GET /latest/meta-data/ram/security-credentials/`: the instance's role name.
async fn metadata_role(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if !metadata_token_ok(&shared, &headers) {
        record_identity(&shared, "EcsMetadata:role", 401);
        return text_response(401, "invalid token".to_owned());
    }
    let role = shared.lock().identity.config.instance_role.clone();
    match role {
        Some(r) => {
            record_identity(&shared, "EcsMetadata:role", 200);
            text_response(200, r)
        }
        None => {
            record_identity(&shared, "EcsMetadata:role", 404);
            text_response(404, "not found".to_owned())
        }
    }
}

/// `GET /latest/meta-data/ram/security-credentials/<role>`: the role's temporary credentials.
async fn metadata_credentials(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    axum::extract::Path(role): axum::extract::Path<String>,
) -> Response {
    if !metadata_token_ok(&shared, &headers) {
        record_identity(&shared, "EcsMetadata:credentials", 401);
        return text_response(401, "invalid token".to_owned());
    }
    let mut inner = shared.lock();
    if inner.identity.config.instance_role.as_deref() != Some(role.as_str()) {
        drop(inner);
        record_identity(&shared, "EcsMetadata:credentials", 404);
        return text_response(404, "not found".to_owned());
    }
    let issued = inner.identity.issue(Duration::from_secs(21_600));
    let body = identity::temporary_answer(&issued);
    Arc::make_mut(&mut inner.keys).push(issued.key);
    drop(inner);
    record_identity(&shared, "EcsMetadata:credentials", 200);
    json_response(200, body, None)
}

/// `GET /__identity/credentials`: the credentials-URI endpoint.
async fn credentials_uri(State(shared): State<Arc<Shared>>) -> Response {
    let mut inner = shared.lock();
    let issued = inner.identity.issue(Duration::from_secs(3600));
    let body = identity::temporary_answer(&issued);
    Arc::make_mut(&mut inner.keys).push(issued.key);
    drop(inner);
    record_identity(&shared, "CredentialsUri", 200);
    json_response(200, body, None)
}

async fn not_found() -> Response {
    let e = ApiError::new(
        404,
        "InvalidAction.NotFound",
        "Specified api is not found, please check your url and method.",
    );
    error_response(&e, &new_request_id(), "vpc.aliyuncs.com")
}
