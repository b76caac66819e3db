//! Runtime shared by the crates that `cargo xtask codegen` generates for Alibaba Cloud APIs.
//!
//! Generated code stays small because everything that is the same for every operation lives
//! here: the wire parameter list and its encoding ([`wire`], and for ROA-style operations
//! [`roa`]), field paths ([`path`]), the
//! validation report and rule checks ([`validate`], [`rules`]), lenient response decoding
//! ([`de`]), ACS3-HMAC-SHA256 signing ([`sign`]), credentials ([`credentials`]), the HTTP
//! transport abstraction ([`transport`]), the client core that assembles, signs, sends and
//! retries a call ([`client`]) and the error types ([`error`]).
#![forbid(unsafe_code)]
// On docs.rs (`--cfg docsrs`, nightly): each item shows the feature that enables it.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]

pub mod client;
pub mod credentials;
pub mod de;
mod decimal;
#[cfg(feature = "decode")]
pub mod decode;
#[cfg(any(feature = "hyper", feature = "reqwest"))]
pub mod default_transport;
pub mod error;
#[cfg(feature = "hyper")]
pub mod hyper_transport;
mod meta;
#[cfg(feature = "test-util")]
pub mod mock;
pub mod paginate;
pub mod path;
#[cfg(feature = "reqwest")]
pub mod reqwest_transport;
pub mod roa;
/// The rule checks generated validators call, from the `alicloud-rules` crate that the
/// generator's checker shares; re-exported so generated code names them through the runtime.
#[doc(inline)]
pub use alicloud_rules as rules;
pub mod sign;
pub mod transport;
pub mod validate;
pub mod waiter;
pub mod wire;

pub use client::{ClientCore, Config, ErrorInfo, OperationMeta};
pub use credentials::{Credentials, ProvideCredentials};
#[cfg(any(feature = "hyper", feature = "reqwest"))]
pub use default_transport::DefaultTransport;
pub use error::{BuildError, ErrorCode, SdkError, ServiceError, ServiceErrorMeta};
pub use path::Path;
pub use transport::{HttpRequest, HttpResponse, Transport, TransportError};
pub use validate::{Rule, Severity, Validation, Validator, Violation, Violations};
pub use wire::{ExtraFields, ParamList, UnknownValue, WireRequest};
