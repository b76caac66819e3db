//! The spec format: what a spec file may say, as serde types.
//!
//! This is the single definition of the format: the loader deserialises these types with
//! unknown keys refused, `spec/spec.schema.json` is derived from them (a test fails when it is
//! stale), and `spec/README.md` documents each field.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The version of the format this generator reads.
pub const FORMAT_VERSION: u32 = 1;

/// One spec file. A product is the set of files in one folder: exactly one of them has
/// `product`; shapes and operations may be spread over any of them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecFile {
    /// Optional path of the JSON Schema, for editors.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The format version; must be 1.
    pub format_version: u32,
    /// The product (in exactly one file per product folder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<Product>,
    /// Named shapes (objects, enums, string-encoded scalars), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub shapes: BTreeMap<String, Shape>,
    /// Operations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<Operation>,
    /// Hand-curated changes to imported operations (see [`OperationOverlay`]); not allowed in
    /// imported files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overlays: Vec<OperationOverlay>,
}

/// A product and version of an API.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Product code, e.g. `Vpc`.
    pub code: String,
    /// API version, e.g. `2016-04-28`.
    pub version: String,
    /// API style: `RPC` or `ROA`.
    pub style: ApiStyle,
    /// How the endpoint host is found.
    pub endpoint: Endpoint,
    /// The name of the generated crate, e.g. `alicloud-vpc`.
    pub crate_name: String,
    /// What the product does, in our own words.
    pub description: String,
    /// Base URL of the product's API reference; an operation's page is this plus a name
    /// derived from the operation (see `doc_slug`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_url: Option<String>,
    /// Set only for STS: the product the role-assuming credential providers call. Its crate
    /// cannot depend on `alicloud-credentials` (which depends on it), so its
    /// `Client::from_env()` uses the runtime's providers, those that need no STS call.
    #[serde(default, skip_serializing_if = "is_false")]
    pub identity_service: bool,
}

/// API style.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ApiStyle {
    /// Remote-procedure style: every parameter is a query or form parameter.
    #[serde(rename = "RPC")]
    Rpc,
    /// REST style: each operation has its own method and path template; `path` parameters
    /// fill the template, `body` parameters are the members of one JSON object body.
    #[serde(rename = "ROA")]
    Roa,
}

/// The endpoint rule: a host per region where the product lists one, the pattern elsewhere.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// Host pattern with a `{region_id}` placeholder, e.g. `vpc.{region_id}.aliyuncs.com`:
    /// the host of every region `regions` does not list.
    pub pattern: String,
    /// The product's own hosts per region, sorted by region id, as its metadata lists them
    /// (`cn-hangzhou` → `adb.aliyuncs.com`). A listed region's host is used as listed. In a
    /// hand-curated product, leaving it out keeps the imported product's list; `[]` means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regions: Option<Vec<RegionHost>>,
}

/// The host of one region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionHost {
    /// The region id, e.g. `cn-hangzhou`.
    pub region_id: String,
    /// The host serving it, without scheme or path, e.g. `vpc.aliyuncs.com`.
    pub host: String,
}

/// One API operation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// The wire name (the action), e.g. `ModifyVpnConnectionAttribute`.
    pub name: String,
    /// A short description, in our own words.
    pub description: String,
    /// The HTTP method used to send it.
    #[serde(default)]
    pub http_method: HttpMethod,
    /// How a request is authenticated: signed with the caller's credentials (the default), or
    /// sent unsigned (STS `AssumeRoleWithOIDC` and `AssumeRoleWithSAML`, whose proof of
    /// identity is a parameter).
    #[serde(default, skip_serializing_if = "Auth::is_signed")]
    pub auth: Auth,
    /// ROA only (required there): the path template, e.g. `/clusters/{ClusterId}`; each
    /// `{Name}` is filled with the `path` parameter of that wire name, percent-encoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The RAM authorisation of the operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ram: Option<Ram>,
    /// Set when the operation returns before its work is done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asynchronous: Option<Asynchronous>,
    /// Whether the operation is deprecated.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// Request parameters, in the order they are documented.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// Rules over several parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<CrossRule>,
    /// Fields of the success response body (`RequestId` included).
    #[serde(default)]
    pub response: Vec<Field>,
    /// The type of the whole success body when it is not an object of fields (ROA: a JSON
    /// array at the top level, e.g. `list<ClusterResource>`, or a string); `response` is then
    /// empty and the response type holds the value in its `body` field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_body: Option<String>,
    /// Documented error codes; one entry per (HTTP status, code) pair.
    #[serde(default)]
    pub errors: Vec<ErrorCode>,
    /// Waiters that poll this operation until a resource reaches a state.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waiters: Vec<Waiter>,
    /// The API group the operation belongs to (as the product's reference groups them, e.g.
    /// `VPN gateway`); each group becomes a cargo feature of the generated crate, so users can
    /// compile only the groups they call. Operations without a group are always compiled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// How a request is authenticated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Auth {
    /// Signed with the caller's credentials (ACS3-HMAC-SHA256).
    #[default]
    Signed,
    /// Sent without a signature or credentials: the request carries its own proof (an OIDC
    /// token, a SAML assertion).
    Anonymous,
}

impl Auth {
    fn is_signed(&self) -> bool {
        *self == Auth::Signed
    }
}

/// HTTP method.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum HttpMethod {
    /// POST (the default for RPC).
    #[default]
    #[serde(rename = "POST")]
    Post,
    /// GET (for operations the service only accepts as GET).
    #[serde(rename = "GET")]
    Get,
    /// PUT (ROA only).
    #[serde(rename = "PUT")]
    Put,
    /// DELETE (ROA only).
    #[serde(rename = "DELETE")]
    Delete,
}

impl HttpMethod {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Post => "POST",
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// RAM authorisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ram {
    /// The action named in RAM policies, e.g. `vpc:ModifyVpnConnectionAttribute`.
    pub action: String,
    /// Access level: `read`, `list`, `create`, `update`, `delete`, …
    pub access_level: String,
}

/// Asynchronous behaviour: the operation returns at once and its effect shows later in
/// another operation's answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Asynchronous {
    /// The operation to poll, e.g. `DescribeVpnGateway`.
    pub poll_operation: String,
    /// Milliseconds between polls.
    pub interval_ms: u64,
    /// Polls at most.
    pub max_attempts: u32,
    /// What the documentation says the poll shows while the work runs and once it is done, in
    /// our own words (e.g. the gateway's status goes `updating`, then `active`); shown in the
    /// docs of `Client::wait_for_<operation>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<String>,
    /// The name of a waiter of `poll_operation` that waits for the documented end state (e.g.
    /// `VpnGatewayActive`); the docs of `Client::wait_for_<operation>` point to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiter: Option<String>,
}

/// A waiter: polls an operation until a status field reaches a success value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiter {
    /// The state waited for, as a name: `VpnGatewayActive` gives `wait_until_vpn_gateway_active`.
    pub name: String,
    /// The response field holding the status.
    pub status_field: String,
    /// Status values that end the wait successfully.
    pub success: Vec<String>,
    /// Status values that end the wait with an error at once.
    #[serde(default)]
    pub failure: Vec<String>,
    /// Error codes that end the wait at once (the resource is gone).
    #[serde(default)]
    pub failure_codes: Vec<String>,
    /// Milliseconds between polls (and before the first one) by default; 2000 when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_ms: Option<u64>,
    /// Polls at most, by default; 30 when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u32>,
}

/// Where a parameter travels, among the places the generated client can send it (the
/// resolved model's location; see [`ParameterLocation`] for what a spec may say).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// The URL query.
    #[default]
    Query,
    /// The `application/x-www-form-urlencoded` body.
    Body,
    /// An HTTP header named by the wire name (signed when ACS3 signs it: `content-type` and
    /// `x-acs-*`).
    Header,
    /// A segment of a ROA operation's path.
    Path,
    /// The whole JSON body of a ROA operation.
    WholeBody,
}

/// Where a parameter travels, as a spec says it. `path` and `whole_body` parameters belong to
/// ROA operations only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParameterLocation {
    /// The URL query.
    #[default]
    Query,
    /// RPC: the `application/x-www-form-urlencoded` body (the metadata's `formData` and
    /// `body`). ROA: a member of the JSON object body, under the wire name.
    Body,
    /// An HTTP header, one value (`plain` or `json` style); a `Content-Type` header replaces
    /// the form body's.
    Header,
    /// ROA: the `{Name}` segment of the path template (required, a scalar; RPC requests go to
    /// `/`, so an RPC operation cannot have one).
    Path,
    /// ROA: the whole JSON body (an array, say), at most one per operation and not beside
    /// `body` parameters.
    WholeBody,
}

impl ParameterLocation {
    /// The location the generated client sends it in, when it can (the checker refuses the
    /// ROA-only places in RPC operations).
    pub fn sendable(self) -> Option<Location> {
        match self {
            ParameterLocation::Query => Some(Location::Query),
            ParameterLocation::Body => Some(Location::Body),
            ParameterLocation::Header => Some(Location::Header),
            ParameterLocation::Path => Some(Location::Path),
            ParameterLocation::WholeBody => Some(Location::WholeBody),
        }
    }

    /// The name used in spec files.
    pub fn as_str(self) -> &'static str {
        match self {
            ParameterLocation::Query => "query",
            ParameterLocation::Body => "body",
            ParameterLocation::Header => "header",
            ParameterLocation::Path => "path",
            ParameterLocation::WholeBody => "whole_body",
        }
    }
}

/// How a parameter's value becomes wire parameters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// A scalar sent as one parameter.
    #[default]
    Plain,
    /// One parameter holding the value as compact JSON.
    Json,
    /// Flattened: `Name.1.Field=…` (1-based indexes, dotted fields).
    Flat,
    /// The same flattening, as the metadata names it for lists such as `Tag`.
    RepeatList,
    /// A list joined by commas into one parameter.
    Simple,
    /// A list joined by spaces.
    SpaceDelimited,
    /// A list joined by `|`.
    PipeDelimited,
}

/// A request parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// The wire name, e.g. `RegionId`.
    pub name: String,
    /// What it is for, in our own words.
    #[serde(default)]
    pub description: String,
    /// Its type: `string`, `boolean`, `int32`, `int64`, `float`, `double`, `any`,
    /// `list<T>`, `map<T>`, or the name of a shape.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether the service requires it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Where it travels.
    #[serde(default)]
    pub location: ParameterLocation,
    /// How its value becomes wire parameters.
    #[serde(default)]
    pub style: Style,
    /// Whether its value is secret (redacted in `Debug`, errors and logs).
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    /// An example value that passes every constraint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<serde_json::Value>,
    /// Whether it is the idempotency token (filled with a fresh UUID when left empty).
    #[serde(default, skip_serializing_if = "is_false")]
    pub idempotency_token: bool,
    /// Whether it is deprecated.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// Constraints on its value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint>,
    /// A regular expression the whole value (each item, for lists) must match, as the service
    /// documents it, in the regex-lite syntax (anchored: the whole value must match). The
    /// generated validators report rule `Pattern` when it does not match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
}

/// A field of an object shape or of a response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// The wire name (the JSON key, or the flattened key segment).
    pub name: String,
    /// What it is, in our own words.
    #[serde(default)]
    pub description: String,
    /// Its type, as for parameters.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether it must be set (in request shapes).
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Whether its value is secret.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sensitive: bool,
    /// An example value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<serde_json::Value>,
    /// Constraints on its value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint>,
    /// A regular expression the whole value must match (as for parameters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// Whether it is deprecated.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
}

/// A named shape.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Shape {
    /// A structure of named fields; JSON objects keep the field order given here.
    Object {
        /// What it is, in our own words.
        #[serde(default)]
        description: String,
        /// Its fields, in wire order.
        fields: Vec<Field>,
        /// Rules over several of its fields.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        rules: Vec<CrossRule>,
    },
    /// A string with a set of known values (more may come: unknown values are kept, not refused).
    Enum {
        /// What it is, in our own words.
        #[serde(default)]
        description: String,
        /// The known values.
        values: Vec<EnumValue>,
    },
    /// A boolean or number that travels as a JSON string (`"true"`, `"3"`).
    Scalar {
        /// What it is, in our own words.
        #[serde(default)]
        description: String,
        /// `boolean`, `int32`, `int64`, `float` or `double`.
        #[serde(rename = "type")]
        ty: String,
        /// How it is written in JSON.
        encoding: ScalarEncoding,
    },
}

/// How a scalar shape is written in JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScalarEncoding {
    /// As a JSON string: `"true"`, `"3"`.
    String,
}

/// A known value of an enum.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    /// The value on the wire.
    pub value: String,
    /// What it means, in our own words.
    #[serde(default)]
    pub description: String,
    /// The Rust variant name, when the derived one is poor (`3des` → `TripleDes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
}

/// A constraint on one value. `error_code` names the code the service answers when it is
/// broken, when documented.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum Constraint {
    /// Length in characters.
    Length {
        /// Fewest characters.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<u64>,
        /// Most characters.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u64>,
        /// Anticipated service error code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
    },
    /// Numeric bounds.
    Range {
        /// Lower bound.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<serde_json::Number>,
        /// Upper bound.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<serde_json::Number>,
        /// Whether the lower bound itself is refused.
        #[serde(default, skip_serializing_if = "is_false")]
        exclusive_min: bool,
        /// Whether the upper bound itself is refused.
        #[serde(default, skip_serializing_if = "is_false")]
        exclusive_max: bool,
        /// Anticipated service error code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
    },
    /// Must not start with any of these (compared exactly).
    ForbiddenPrefixes {
        /// The prefixes.
        prefixes: Vec<String>,
        /// Anticipated service error code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
    },
    /// ASCII characters only.
    Ascii {
        /// Anticipated service error code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
    },
    /// Only these characters.
    Charset {
        /// ASCII letters allowed.
        #[serde(default, skip_serializing_if = "is_false")]
        letters: bool,
        /// ASCII digits allowed.
        #[serde(default, skip_serializing_if = "is_false")]
        digits: bool,
        /// Other characters allowed, listed.
        #[serde(default)]
        chars: String,
        /// Anticipated service error code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
    },
    /// No white space.
    NoWhitespace {
        /// Anticipated service error code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
    },
    /// An IPv4 address.
    Ipv4 {
        /// Anticipated service error code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
    },
    /// An IPv4 CIDR block.
    Cidr {
        /// Anticipated service error code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
    },
    /// A comma-separated list of IPv4 CIDR blocks.
    CidrList {
        /// Anticipated service error code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
    },
    /// A CIDR block inside `block`, of prefix length `prefix_len`, overlapping none of `excluded`.
    CidrWithin {
        /// The enclosing block.
        block: String,
        /// The required prefix length.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prefix_len: Option<u8>,
        /// Blocks it must not overlap.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        excluded: Vec<String>,
        /// Anticipated service error code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
    },
    /// An IPv4 address inside the CIDR block held by a sibling field.
    AddressInSibling {
        /// The sibling field's wire name.
        sibling: String,
        /// Anticipated service error code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
    },
    /// An AS number: 1 to 4294967295, or `high.low` with both parts 0 to 65535.
    Asn {
        /// Anticipated service error code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
    },
    /// Number of list items.
    Items {
        /// Fewest items.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<u64>,
        /// Most items.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<u64>,
        /// Anticipated service error code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
    },
    /// No two list items share the value at `field` (a dotted path inside the item).
    UniqueItems {
        /// Dotted path inside each item, e.g. `TunnelBgpConfig.TunnelCidr`.
        field: String,
        /// Anticipated service error code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
    },
}

/// A rule over several fields. Paths are dotted wire names from where the rule is declared
/// (the request, or the object shape); `[]` after a list field means "any item".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum CrossRule {
    /// Fields of different groups must not be set together.
    ExclusiveGroups {
        /// The groups.
        groups: Vec<FieldGroup>,
        /// Anticipated service error code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
        /// Whether the documentation states the rule (a refusal) or we inferred it (an
        /// advisory).
        #[serde(default, skip_serializing_if = "Basis::is_stated")]
        basis: Basis,
    },
    /// When `when` holds, the field at `require` must be set.
    RequiresIf {
        /// The condition.
        when: Condition,
        /// The path of the required field.
        require: String,
        /// Anticipated service error code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
        /// Whether the documentation states the rule (a refusal) or we inferred it (an
        /// advisory).
        #[serde(default, skip_serializing_if = "Basis::is_stated")]
        basis: Basis,
    },
    /// `when` must not hold.
    Forbid {
        /// The forbidden condition.
        when: Condition,
        /// The path the violation is reported at.
        report_at: String,
        /// What is wrong, as the violation's message.
        message: String,
        /// Anticipated service error code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
        /// Whether the documentation states the rule (a refusal) or we inferred it (an
        /// advisory).
        #[serde(default, skip_serializing_if = "Basis::is_stated")]
        basis: Basis,
    },
}

impl CrossRule {
    /// Whether the documentation states the rule or we inferred it.
    pub fn basis(&self) -> Basis {
        match self {
            CrossRule::ExclusiveGroups { basis, .. }
            | CrossRule::RequiresIf { basis, .. }
            | CrossRule::Forbid { basis, .. } => *basis,
        }
    }
}

/// Where a rule comes from, which decides what breaking it does. The project refuses only what
/// the documentation states.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The documentation states it: a violation refuses the request (the default: a rule in a
    /// spec is written from the documentation unless it says otherwise).
    #[default]
    Stated,
    /// We inferred it (from an example, an error code, the behaviour of the service): a
    /// violation is an advisory, reported by `validate()` but not stopping `send()` unless the
    /// client's validation is strict.
    Inferred,
}

impl Basis {
    /// Whether it is [`Basis::Stated`].
    pub fn is_stated(&self) -> bool {
        *self == Basis::Stated
    }
}

/// A named group of fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldGroup {
    /// The group's name, e.g. `single-tunnel`.
    pub name: String,
    /// Wire names of its fields.
    pub fields: Vec<String>,
}

/// A condition over field values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// Every condition holds.
    All(Vec<Condition>),
    /// At least one condition holds.
    Any(Vec<Condition>),
    /// The field is set.
    Present(String),
    /// The field is not set.
    Absent(String),
    /// The field is set to this value.
    Equals(PathValue),
    /// The field (a comma-separated list) holds more than `count` items.
    ItemsMoreThan(PathCount),
}

/// A path and a value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PathValue {
    /// The field's path.
    pub path: String,
    /// The value (a string, boolean or number).
    pub value: serde_json::Value,
}

/// A path and a count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PathCount {
    /// The field's path.
    pub path: String,
    /// The count.
    pub count: u64,
}

/// A documented error code under one HTTP status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorCode {
    /// HTTP status it comes with.
    pub status: u16,
    /// The code, e.g. `VpnGateway.Configuring`.
    pub code: String,
    /// The service's message (a fact, kept verbatim; `%s` marks inserted values).
    pub message: String,
    /// What it means, in our own words.
    #[serde(default)]
    pub description: String,
    /// Whether retrying the same request later can succeed: stated by a hand-curated spec or
    /// an overlay; absent when nobody knows (the importer never states it, Alibaba's metadata
    /// does not say). The client treats an absent value like an undocumented code: throttling
    /// and 5xx answers are retried, others are not; a stated `false` is never retried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retryable: Option<bool>,
}

/// Hand-curated changes to one imported operation: what Alibaba's metadata lacks (constraints
/// stated only in prose, typed JSON parameters, secrets, retryable codes, parameters only the
/// SDKs know, better shape names). Merged over the imported operation when the specs are
/// loaded, before they are checked.
///
/// The steps run in this order: `rename_shapes`, `shapes`, `shape_patches`,
/// `remove_parameters`, `parameters`, `add_parameters`, `rules`, `remove_response`,
/// `response`, `add_response`, `response_order`, `errors`, `add_errors`, `waiters`, then the
/// operation's own keys.
/// Every name an overlay gives must exist where it points (a patch of an absent parameter is
/// an error, so a renamed or vanished parameter in the metadata is noticed). An overlay of an
/// operation that a hand-curated file declares is not applied: the hand-curated declaration
/// replaces the import wholesale.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OperationOverlay {
    /// The wire name of the imported operation it changes.
    pub operation: String,
    /// Replaces the description (in our words).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Replaces the HTTP method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_method: Option<HttpMethod>,
    /// Replaces the path template (ROA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Sets the RAM authorisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ram: Option<Ram>,
    /// Sets the asynchronous behaviour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asynchronous: Option<Asynchronous>,
    /// Replaces the deprecation flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<bool>,
    /// Renames shapes (old name → new name) everywhere in the product, e.g. the derived
    /// `ModifyVpnConnectionAttributeResponseIkeConfig` → `IkeConfigResult`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rename_shapes: BTreeMap<String, String>,
    /// Shapes to add, or to replace whole (after renaming). They belong to this operation:
    /// they are generated into its module.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub shapes: BTreeMap<String, Shape>,
    /// Changes to the fields of object shapes, by shape name (after renaming).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub shape_patches: BTreeMap<String, ShapePatch>,
    /// Imported parameters to remove, by wire name (e.g. one the client cannot send).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove_parameters: Vec<String>,
    /// Changes to imported parameters, by wire name: each key given replaces the imported one.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, ParameterPatch>,
    /// Parameters to add after the imported ones (e.g. those only the SDKs know).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_parameters: Vec<Parameter>,
    /// Cross-field rules to add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<CrossRule>,
    /// Imported response fields to remove, by wire name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove_response: Vec<String>,
    /// Changes to imported response fields, by wire name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub response: BTreeMap<String, FieldPatch>,
    /// Response fields to add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_response: Vec<Field>,
    /// Wire names of response fields to put first, in this order (the others follow in their
    /// order): the order of the generated struct's fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub response_order: Vec<String>,
    /// Changes to documented error codes, by code (every HTTP status it is listed under), or
    /// by `code@status` (that status only; applied after the patches by code).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub errors: BTreeMap<String, ErrorPatch>,
    /// Error codes to add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_errors: Vec<ErrorCode>,
    /// Waiters to add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waiters: Vec<Waiter>,
}

/// Changes to a parameter: each key given replaces the parameter's own; keys left out keep it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParameterPatch {
    /// Replaces the description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Replaces the type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// Replaces whether it is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// Replaces where it travels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<ParameterLocation>,
    /// Replaces the style.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<Style>,
    /// Replaces whether it is secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive: Option<bool>,
    /// Replaces the example; `null` removes it.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub example: Option<Option<serde_json::Value>>,
    /// Replaces whether it is the idempotency token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_token: Option<bool>,
    /// Replaces whether it is deprecated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<bool>,
    /// Replaces the whole list of constraints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraints: Option<Vec<Constraint>>,
    /// Replaces the pattern; `null` removes it.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub pattern: Option<Option<String>>,
}

/// Changes to a field of an object shape or of a response: each key given replaces the
/// field's own.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldPatch {
    /// Replaces the description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Replaces the type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// Replaces whether it is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// Replaces whether it is secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive: Option<bool>,
    /// Replaces the example; `null` removes it.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub example: Option<Option<serde_json::Value>>,
    /// Replaces the whole list of constraints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraints: Option<Vec<Constraint>>,
    /// Replaces the pattern; `null` removes it.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub pattern: Option<Option<String>>,
    /// Replaces whether it is deprecated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<bool>,
}

/// Changes to an object shape.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShapePatch {
    /// Replaces the description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Fields to remove, by wire name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove_fields: Vec<String>,
    /// Changes to fields, by wire name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, FieldPatch>,
    /// Fields to add after the others.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_fields: Vec<Field>,
    /// Wire names of fields to put first, in this order (the others follow in their order):
    /// the order of the generated struct's fields, and of JSON objects sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub order: Vec<String>,
    /// Cross-field rules to add.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<CrossRule>,
}

/// Changes to a documented error code.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorPatch {
    /// Replaces the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Replaces the description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Replaces whether retrying can succeed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retryable: Option<bool>,
}

/// Deserialises a key that is present, `null` included, as `Some(…)`: `null` becomes
/// `Some(None)` (remove), a value `Some(Some(v))` (replace); an absent key stays `None`.
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}
