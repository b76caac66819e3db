//! A typed mock of the service, for testing code that calls a generated crate without a
//! network, an emulator or JSON strings (feature `test-util`).
//!
//! [`Mock`] is a [`Transport`]: a client built over [`Mock::config`] sends its requests to it,
//! through the same validation, encoding, signing, retries and error decoding as in production.
//! Answers are given per operation, keyed by the generated request type ([`MockOperation`],
//! implemented by every request type of a generated crate built with its `test-util` feature):
//! a typed response, a typed error, or a function of the decoded request; once each in order,
//! then a standing answer. Every request is recorded and can be read back decoded into its
//! request type.
//!
//! ```
//! # use alicloud_runtime::mock::{Mock, MockError, MockOperation};
//! # use alicloud_runtime::{ClientCore, OperationMeta};
//! # #[derive(Debug, Default, PartialEq, serde::Deserialize, serde::Serialize)]
//! # struct PingRequest { #[serde(rename = "Name")] name: Option<String> }
//! # #[derive(Debug, Default, PartialEq, serde::Deserialize, serde::Serialize)]
//! # struct PingResponse { #[serde(rename = "Echo")] echo: Option<String> }
//! # static PING: OperationMeta = OperationMeta { product: "Demo", version: "2020-01-01",
//! #     action: "Ping", endpoint_pattern: "demo.{region_id}.example", method: "POST",
//! #     endpoints: &[], idempotency_token: None, anonymous: false, errors: &[] };
//! # impl alicloud_runtime::decode::WireDecode for PingRequest {
//! #     const PARAMS: &'static [alicloud_runtime::decode::WireParam] = &[
//! #         alicloud_runtime::decode::WireParam { name: "Name",
//! #             style: alicloud_runtime::decode::WireStyle::Plain }];
//! # }
//! # impl MockOperation for PingRequest {
//! #     type Response = PingResponse;
//! #     fn meta() -> &'static OperationMeta { &PING }
//! # }
//! let mock = Mock::new();
//! mock.on::<PingRequest>()
//!     .fail_once(MockError::with_code("Throttling.User", "slow down").status(400))
//!     .respond(PingResponse { echo: Some("pong".into()) });
//! // ... build the generated client over `mock.config()` and run the code under test ...
//! # let _core = ClientCore::new(mock.config());
//! assert!(mock.requests_of::<PingRequest>().is_empty());
//! ```

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::client::{Config, OperationMeta, RetryConfig};
use crate::credentials::Credentials;
use crate::decode::{decode_request, DecodeError, WireDecode};
use crate::error::ErrorCode;
use crate::transport::{
    json_response, BoxFuture, HttpRequest, HttpResponse, Transport, TransportError,
    TransportErrorKind,
};
use crate::wire::decode_form_component;

/// An operation the mock can answer: implemented by each request type of a generated crate
/// (with its `test-util` feature), naming the response type and the operation.
pub trait MockOperation: WireDecode + Send + 'static {
    /// The operation's response.
    type Response: serde::Serialize;
    /// The operation's description (its action names the mock's answers).
    fn meta() -> &'static OperationMeta;
}

/// An error the mock answers: the service's error envelope, typed by code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MockError {
    status: u16,
    code: String,
    message: String,
    request_id: Option<String>,
}

impl MockError {
    /// The error `code` (one of the product's `ErrorCode`s) with `message`, HTTP status 400.
    pub fn new<C: ErrorCode>(code: C, message: impl Into<String>) -> Self {
        Self::with_code(code.as_str(), message)
    }

    /// An error whose code the product does not document (`Throttling.User`,
    /// `ServiceUnavailable`, or one newer than the crate), with `message`, HTTP status 400.
    pub fn with_code(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status: 400,
            code: code.into(),
            message: message.into(),
            request_id: None,
        }
    }

    /// The HTTP status (400 unless set; 5xx and throttling codes are retried as in
    /// production).
    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// The request id the envelope carries.
    pub fn request_id(mut self, id: impl Into<String>) -> Self {
        self.request_id = Some(id.into());
        self
    }

    fn to_http(&self) -> HttpResponse {
        let body = serde_json::json!({
            "RequestId": self.request_id,
            "Code": self.code,
            "Message": self.message,
            "HostId": "mock",
        });
        json_response(self.status, &body.to_string())
    }
}

/// A request the mock received: the action and version it named and its parameters (query
/// and form body, decoded), in the order sent.
#[derive(Clone, PartialEq, Eq)]
pub struct MockRequest {
    action: String,
    version: String,
    method: http::Method,
    host: String,
    params: Vec<(String, String)>,
}

impl fmt::Debug for MockRequest {
    /// Parameter names only: values can be secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockRequest")
            .field("action", &self.action)
            .field("version", &self.version)
            .field("method", &self.method)
            .field("host", &self.host)
            .field(
                "params",
                &self.params.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl MockRequest {
    fn from_http(request: &HttpRequest) -> Self {
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned()
        };
        let mut params = Vec::new();
        let mut split = |text: &str| {
            for piece in text.split('&').filter(|p| !p.is_empty()) {
                let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
                params.push((decode_form_component(k), decode_form_component(v)));
            }
        };
        if let Some(q) = request.uri().query() {
            split(q);
        }
        let form = header("content-type").starts_with("application/x-www-form-urlencoded");
        if form {
            split(&String::from_utf8_lossy(request.body()));
        }
        Self {
            action: header("x-acs-action"),
            version: header("x-acs-version"),
            method: request.method().clone(),
            host: header("host"),
            params,
        }
    }

    /// The action called (`x-acs-action`).
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The API version called (`x-acs-version`).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The HTTP method.
    pub fn method(&self) -> &http::Method {
        &self.method
    }

    /// The endpoint host the request was addressed to.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Every parameter, query then body, as sent (flattened keys: `Tag.1.Key`).
    pub fn params(&self) -> &[(String, String)] {
        &self.params
    }

    /// The value of the parameter `key`, if sent.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The parameters decoded back into the request type `R`.
    pub fn decode<R: WireDecode>(&self) -> Result<R, DecodeError> {
        decode_request(&self.params)
    }
}

type Answer = Arc<dyn Fn(&MockRequest) -> HttpResponse + Send + Sync>;

#[derive(Default)]
struct Answers {
    once: VecDeque<Answer>,
    always: Option<Answer>,
}

#[derive(Default)]
struct State {
    answers: BTreeMap<String, Answers>,
    seen: Vec<MockRequest>,
}

/// A typed mock of the service: see the [module documentation](self). Clones share their
/// answers and their record of requests.
#[derive(Clone, Default)]
pub struct Mock {
    state: Arc<Mutex<State>>,
}

impl fmt::Debug for Mock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("Mock")
            .field("answered", &state.answers.keys().collect::<Vec<_>>())
            .field("requests_seen", &state.seen.len())
            .finish()
    }
}

impl Mock {
    /// A mock with no answers.
    pub fn new() -> Self {
        Self::default()
    }

    /// A client configuration over this mock: fixed test credentials, and retries as in
    /// production (three attempts) but with millisecond backoff so that tests stay fast. No
    /// region, as in production: requests need a `RegionId` (or add `.with_region(..)`), else
    /// they fail before reaching the mock with the missing-region error.
    pub fn config(&self) -> Config {
        Config::new(
            Credentials::new("mock-access-key-id", "mock-access-key-secret"),
            self.clone(),
        )
        .with_retry(RetryConfig {
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
            ..RetryConfig::default()
        })
    }

    /// Answers for the operation whose request type is `R`.
    pub fn on<R: MockOperation>(&self) -> Expect<'_, R> {
        Expect {
            mock: self,
            operation: std::marker::PhantomData,
        }
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<MockRequest> {
        self.lock().seen.clone()
    }

    /// The requests received for `R`'s operation, decoded into `R`, in order.
    ///
    /// # Panics
    ///
    /// When a recorded request does not decode into `R` (which would be a bug of the crate's
    /// encoding or decoding), naming the action and the parameter.
    pub fn requests_of<R: MockOperation>(&self) -> Vec<R> {
        let action = R::meta().action;
        self.lock()
            .seen
            .iter()
            .filter(|r| r.action == action)
            .map(|r| match r.decode::<R>() {
                Ok(decoded) => decoded,
                Err(e) => panic!("a recorded `{action}` request does not decode: {e}"),
            })
            .collect()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        match self.state.lock() {
            Ok(g) => g,
            // A test that panicked while holding the lock left consistent data behind.
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn add<R: MockOperation>(&self, answer: Answer, once: bool) {
        let mut state = self.lock();
        let answers = state
            .answers
            .entry(R::meta().action.to_owned())
            .or_default();
        if once {
            answers.once.push_back(answer);
        } else {
            answers.always = Some(answer);
        }
    }

    fn answer(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let received = MockRequest::from_http(request);
        let mut state = self.lock();
        state.seen.push(received.clone());
        let answer = state
            .answers
            .get_mut(&received.action)
            .and_then(|a| a.once.pop_front().or_else(|| a.always.clone()));
        drop(state);
        match answer {
            Some(answer) => Ok(answer(&received)),
            None => Err(TransportError::new(
                TransportErrorKind::Other,
                format!(
                    "the mock has no answer (left) for action `{}` (version {}): give one with \
                     `mock.on::<R>()`, R being the request type of `{}`",
                    received.action, received.version, received.action
                ),
            )),
        }
    }
}

impl Transport for Mock {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let result = self.answer(&request);
        Box::pin(async move { result })
    }
}

/// The answers of one operation, given in a chain:
/// `mock.on::<R>().respond_once(a).fail_once(e).respond(b)`. Answers given with `_once` are
/// used first, in order, one per call; then the standing answer (the last one given with
/// [`Expect::respond`], [`Expect::fail`] or [`Expect::respond_with`]). A call with no answer
/// left fails with a transport error naming the action.
pub struct Expect<'a, R> {
    mock: &'a Mock,
    operation: std::marker::PhantomData<fn() -> R>,
}

impl<R> fmt::Debug for Expect<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Expect").finish_non_exhaustive()
    }
}

impl<'a, R: MockOperation> Expect<'a, R> {
    /// Answers every call (after the `_once` answers) with `response`.
    pub fn respond(self, response: R::Response) -> Self {
        self.mock.add::<R>(success(&response), false);
        self
    }

    /// Answers the next call with `response`.
    pub fn respond_once(self, response: R::Response) -> Self {
        self.mock.add::<R>(success(&response), true);
        self
    }

    /// Answers every call (after the `_once` answers) with `error`.
    pub fn fail(self, error: MockError) -> Self {
        self.mock.add::<R>(failure(error), false);
        self
    }

    /// Answers the next call with `error`.
    pub fn fail_once(self, error: MockError) -> Self {
        self.mock.add::<R>(failure(error), true);
        self
    }

    /// Answers every call (after the `_once` answers) with what `answer` makes of the request,
    /// decoded into `R`.
    pub fn respond_with(
        self,
        answer: impl Fn(R) -> Result<R::Response, MockError> + Send + Sync + 'static,
    ) -> Self {
        let f = move |request: &MockRequest| match request.decode::<R>() {
            Ok(decoded) => match answer(decoded) {
                Ok(response) => success(&response)(request),
                Err(error) => error.to_http(),
            },
            // Reported as the service reports a parameter it cannot read.
            Err(e) => MockError::with_code("InvalidParameter", e.to_string()).to_http(),
        };
        self.mock.add::<R>(Arc::new(f), false);
        self
    }
}

/// A 200 answer with `response` as its JSON body.
fn success<T: serde::Serialize>(response: &T) -> Answer {
    let body = match serde_json::to_string(response) {
        Ok(body) => body,
        // Generated responses always serialise; a failing one is a bug worth a clear answer.
        Err(e) => {
            let error = MockError::with_code("MockSerialization", e.to_string()).status(500);
            return Arc::new(move |_| error.to_http());
        }
    };
    Arc::new(move |_| json_response(200, &body))
}

fn failure(error: MockError) -> Answer {
    Arc::new(move |_| error.to_http())
}
