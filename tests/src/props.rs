//! Properties shared by the property tests (`tests/properties.rs`) and the fuzz targets
//! (`fuzz/fuzz_targets/*.rs`). Each function takes arbitrary input and panics only when it
//! finds a real bug: a panic inside the code under test, or a property that does not hold.
//!
//! | function | property |
//! |---|---|
//! | [`spec_bytes`] | any bytes as a spec file: the generator never panics; errors name file, `$` path, message, help; output parses and says it is generated |
//! | [`spec_structured`] | the same for a mostly well-formed spec built from an [`ArbSpec`], plus determinism |
//! | [`bodies`] | response and error bodies never panic the parsers; error texts stay small |
//! | [`validators`] | every rule function and a request's `validate()` never panic; violations have a path and a message and never show a pre-shared key |
//! | [`wire_round_trip`] | `to_wire` then the generated decoding is a fixpoint (and the identity without empty objects); RFC 3986 encoding round-trips |
//! | [`signing`] | the signer never panics and is deterministic; the emulator's verifier accepts what the client signed and refuses a changed secret, body or parameter |
//! | [`emulator_decode`] | the emulator's parsing of raw calls (signature headers, query, parameters) never panics and answers a documented error |

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::time::SystemTime;

use alicloud_codegen::spec::{
    ApiStyle, Asynchronous, Basis, Condition, Constraint, CrossRule, Endpoint, EnumValue,
    ErrorCode, Field, FieldGroup, HttpMethod, Operation, Parameter, ParameterLocation, PathCount,
    PathValue, Product, Ram, RegionHost, ScalarEncoding, Shape, SpecFile, Style, Waiter,
    FORMAT_VERSION,
};
use alicloud_codegen::{generate, Diagnostic, Settings, Severity, SourceFile};
use alicloud_runtime::client::{decode_success, format_acs_date, Config, ToWire};
use alicloud_runtime::decode::decode_request;
use alicloud_runtime::error::{ErrorCode as _, InvalidResponse, OperationError};
use alicloud_runtime::transport::InMemoryTransport;
use alicloud_runtime::validate::REDACTED;
use alicloud_runtime::wire::{decode_form_component, encode_rfc3986, ParamList};
use alicloud_runtime::{rules, sign, ClientCore, Credentials, ServiceErrorMeta};
use alicloud_vpc::operation::describe_vpn_gateway::{
    DescribeVpnGatewayError, DescribeVpnGatewayResponse,
};
use alicloud_vpc::operation::modify_vpn_connection_attribute as modify;
use alicloud_vpc::operation::modify_vpn_connection_attribute::{
    ModifyVpnConnectionAttributeError, ModifyVpnConnectionAttributeRequest,
    ModifyVpnConnectionAttributeResponse,
};
use alicloud_vpc::types::{
    AuthenticationAlgorithm, EncryptionAlgorithm, IkeDhGroup, IkeMode, IkeVersion, IpsecPfs,
    TunnelRole,
};
use arbitrary::Arbitrary;

mod arb_spec;
mod bodies;
mod emulator_decode;
mod generator;
mod request;
mod seeds;
mod signing;
mod validators;
mod wire;

pub use arb_spec::*;
pub use bodies::*;
pub use emulator_decode::*;
pub use generator::*;
pub use request::*;
pub use seeds::*;
pub use signing::*;
pub use validators::*;
pub use wire::*;
