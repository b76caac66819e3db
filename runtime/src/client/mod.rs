//! The client core: configuration, and one call from wire parameters to a 2xx response or an
//! error envelope, with signing, retries and tracing.
//!
//! - `config`: [`Config`], [`RetryConfig`], [`Scheme`];
//! - `options`: [`CallOptions`], what one call sets differently from its client;
//! - `request`: request assembly, from a request to the signed HTTP request of one attempt;
//! - `call`: the call loop, its retry decisions, and [`Sending`];
//! - `core`: [`ClientCore`], the shared state of every generated client, and [`RawResponse`];
//! - `region`: the region of a call and where it came from ([`RegionSource`]);
//! - `endpoint`: the host of a call, from the product's map or pattern and the [`Network`]
//!   ([`EndpointError`] when there is none).
//! - `response`: [`Response`], a typed body with the status, headers and request id;
//! - `raw`: [`RawCall`], a call of an action by name;

mod call;
mod config;
mod core;
// Visible to the crate so that `error` names `EndpointError` by its module, not through here.
pub(crate) mod endpoint;
mod options;
mod origin;
mod raw;
pub(crate) mod region;
mod request;
mod response;

pub use crate::meta::{ErrorInfo, OperationMeta};
pub use call::{call, decode_success, parse_http_date, Sending};
pub use config::{Config, RetryConfig, Scheme};
pub use core::{ClientCore, RawResponse};
pub use endpoint::{lookup as lookup_endpoint, EndpointError, Network};
pub use options::CallOptions;
pub use raw::RawCall;
pub use region::{RegionSource, ENV_REGION_ID};
pub use request::{encode_request, format_acs_date, validate_request, ToWire};
pub use response::{BodyOnly, Response, WithMetadata, Yield};
