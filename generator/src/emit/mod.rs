//! Emission: the model in, token streams out. Names come from the model; this module and its
//! children only decide the shape of the code, one construct per module:
//!
//! - [`docs`]: doc comments from facts (types, constraints, valid values, examples);
//! - [`shape`](mod@shape): structs with their builders, serde impls and redacting `Debug`;
//! - [`enums`]: enums with the opaque `Unknown` fallback;
//! - [`validate`]: per-field constraint checks and cross-field rule conditions;
//! - [`wire`]: encoding requests into wire parameters, and the table to decode them;
//! - [`roa`]: the same for ROA operations (path segments, the JSON body);
//! - [`operation`](mod@operation): an operation's module (request, builder, response, metadata) and client
//!   methods;
//! - [`waiter`] and [`paginate`]: status waiters, polls of asynchronous work, page streams;
//! - [`example`]: a success answer synthesised from a response model (for servers);
//! - [`errors`]: the product's `ErrorCode` enum and each operation's error documentation;
//! - [`client`] and [`layout`]: the `Client`, `Cargo.toml`, the crate root and module list;
//! - [`tokens`]: what they all use (identifiers, doc attributes, Rust types of model types);
//! - [`text`]: the most repeated impls, written as formatted text instead of tokens.

pub mod client;
pub mod docs;
pub mod enums;
pub mod errors;
pub mod example;
pub mod layout;
pub mod operation;
pub mod paginate;
pub mod roa;
pub mod shape;
pub mod text;
pub mod tokens;
pub mod validate;
pub mod waiter;
pub mod wire;

pub use errors::error_codes;
pub use operation::operation;
pub use shape::shape;
pub use tokens::{feature_cfg, ident, rust_ty, shape_path, Code};
