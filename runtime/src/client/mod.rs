//! The client core: configuration, and one call from wire parameters to a 2xx response or an
//! error envelope, with signing, retries and tracing.
//!
//! - `config`: [`Config`], [`RetryConfig`], [`Scheme`];
//! - `request`: request assembly, from a request to the signed HTTP request of one attempt;
//! - `call`: the call loop, its retry decisions, and [`Sending`];
//! - `core`: [`ClientCore`], the shared state of every generated client, and [`RawResponse`].

mod call;
mod config;
mod core;
mod request;

pub use crate::meta::{ErrorInfo, OperationMeta};
pub use call::{call, decode_success, parse_http_date, Sending};
pub use config::{Config, RetryConfig, Scheme};
pub use core::{ClientCore, RawResponse};
pub use request::{encode_request, format_acs_date, validate_request, ToWire};
