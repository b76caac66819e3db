//! Synthetic products, for tests and benchmarks only: the api-docs metadata (the format
//! [`crate::import`] reads) of a made-up RPC product with any number of operations.
//!
//! [`api_docs`] is deterministic (the same `n` gives the same bytes) and needs no input. The
//! operations come in families of seven per resource (`Create…`, `Describe…s`,
//! `Modify…Attribute`, `Delete…`, `List…Tags`, `Start…`, `Stop…`), grouped in API-group
//! directories, with the mix found in Alibaba's published metadata:
//!
//! - scalars of every type (`string`, `integer` as int32, int64 and without format, `number`
//!   as float and double, `boolean`), string enums, lengths, numeric bounds (inclusive,
//!   exclusive, written as strings), patterns, examples, deprecated parameters, `query` and
//!   `formData` locations, the `ClientToken` idempotency token;
//! - `repeatList` arrays of objects (`Tag.N.Key`), `flat` arrays of objects with nested
//!   objects, `simple` lists of strings, `json`-style objects, lists, maps and free-form
//!   values, item counts;
//! - paging by `PageNumber`/`PageSize` and by `NextToken`/`MaxResults`;
//! - response schemas with `itemNode` wrappers around nested arrays of objects, a shared
//!   component referenced with `$ref`, maps and free-form values;
//! - error codes under 400, 403, 404 and 500, and `staticInfo` (asynchronous operations polled
//!   through their resource's `Describe…s`, synchronous ones, and none);
//! - GET-only, POST-only and GET-or-POST operations, a few deprecated ones.
//!
//! Every feature is in family 0 (so even a product of seven operations has them all), but the
//! heavier optional ones (nested objects, enums, the rarer scalars) only in one family in 2,
//! 3, 4 or 8 (`rich`), and two of the seven operations are small actions: the operations are
//! about as large as the published ones, so the catalogue measures generating a catalogue
//! like Alibaba's. Measured over the 802 operations of the five products in
//! `../shared/metadata*` (adb, bssopenapi, STS, Vpc, CS), against 2,100 synthetic ones:
//!
//! | per operation | published | synthetic |
//! |---|---|---|
//! | parameters, nested properties included | 7.3 | 7.0 |
//! | response fields | 9.6 | 8.4 |
//! | objects (request and response) | 2.45 | 2.5 |
//! | error codes | 7.3 | 7.8 |
//! | generated enums | 0.40 | 0.34 |
//! | generated lines (2026-12-03) | 738 | 737 |
//!
//! Until 2026-12-03 a family had five operations, each with every feature (13.2 parameters,
//! 4.8 objects, 1.2 enums and 1,292 generated lines per operation against 887 then): the
//! synthetic catalogue was about 1.5 times the size of the real one.
//!
//! The product imports without a single warning and generates a crate that compiles.

use serde_json::{json, Map, Value};

/// Product code of the synthetic product (`alicloud-synth` once imported).
pub const PRODUCT: &str = "Synth";
/// API version of the synthetic product.
pub const VERSION: &str = "2024-01-01";

const NOUNS: [&str; 20] = [
    "Gateway",
    "Listener",
    "Route",
    "Policy",
    "Endpoint",
    "Volume",
    "Snapshot",
    "Cluster",
    "Backup",
    "Certificate",
    "Queue",
    "Topic",
    "Domain",
    "Record",
    "Bucket",
    "Pipeline",
    "Database",
    "Account",
    "Alarm",
    "Template",
];

const REGIONS: [&str; 6] = [
    "cn-hangzhou",
    "cn-shanghai",
    "cn-beijing",
    "ap-southeast-1",
    "eu-central-1",
    "us-west-1",
];

/// The seven operations of a resource, in order.
const VERBS: usize = 7;

/// The resource of family `g`: `Gateway`, …, `Template`, then `Gateway2`, ….
fn resource(g: usize) -> String {
    let noun = NOUNS[g % NOUNS.len()];
    match g / NOUNS.len() {
        0 => noun.to_owned(),
        k => format!("{noun}{}", k + 1),
    }
}

/// The name of operation `i`.
pub fn operation_name(i: usize) -> String {
    let r = resource(i / VERBS);
    match i % VERBS {
        0 => format!("Create{r}"),
        1 => format!("Describe{r}s"),
        2 => format!("Modify{r}Attribute"),
        3 => format!("Delete{r}"),
        4 => format!("List{r}Tags"),
        5 => format!("Start{r}"),
        _ => format!("Stop{r}"),
    }
}

/// The api-docs metadata of a synthetic product of `n` operations, as compact JSON.
pub fn api_docs(n: usize) -> String {
    serde_json::to_string(&document(n)).unwrap_or_default()
}

/// The api-docs metadata of a synthetic product of `n` operations.
pub fn document(n: usize) -> Value {
    document_for(PRODUCT, n)
}

/// Product versions in Alibaba's catalogue (all styles), and the operations of its RPC and ROA
/// products together: the size [`catalogue`] copies.
pub const CATALOGUE_PRODUCTS: usize = 350;
/// See [`CATALOGUE_PRODUCTS`].
pub const CATALOGUE_OPERATIONS: usize = 23_502;

/// The operation counts of the [`catalogue`]'s products: [`CATALOGUE_OPERATIONS`] in all,
/// spread as in Alibaba's catalogue, from a few large products (about 500 operations) to many
/// small ones (about 20); deterministic.
pub fn catalogue_sizes() -> Vec<usize> {
    let weights: Vec<f64> = (0..CATALOGUE_PRODUCTS)
        .map(|i| 1.0 / (i as f64 + 15.0))
        .collect();
    let total: f64 = weights.iter().sum();
    let mut sizes: Vec<usize> = weights
        .iter()
        .map(|w| ((w / total) * CATALOGUE_OPERATIONS as f64).floor().max(1.0) as usize)
        .collect();
    let mut left = CATALOGUE_OPERATIONS.saturating_sub(sizes.iter().sum());
    // The rounding's remainder (fewer than one per product) to the largest products.
    for s in sizes.iter_mut() {
        if left == 0 {
            break;
        }
        *s += 1;
        left -= 1;
    }
    sizes
}

/// A synthetic catalogue: (file name, api-docs text) of [`CATALOGUE_PRODUCTS`] RPC-style
/// products `Synth001`, `Synth002`, … of [`catalogue_sizes`] operations.
pub fn catalogue() -> impl Iterator<Item = (String, String)> {
    catalogue_sizes().into_iter().enumerate().map(|(i, n)| {
        let code = format!("{PRODUCT}{:03}", i + 1);
        let name = format!("{}-{VERSION}.api-docs.json", code.to_lowercase());
        (
            name,
            serde_json::to_string(&document_for(&code, n)).unwrap_or_default(),
        )
    })
}

/// The api-docs metadata of a synthetic product `product` of `n` operations.
fn document_for(product: &str, n: usize) -> Value {
    let mut apis = Map::new();
    for i in 0..n {
        apis.insert(operation_name(i), api(i, n, product));
    }
    let families = n.div_ceil(VERBS);
    // Four resources per API group (directory).
    let directories: Vec<Value> = (0..families.div_ceil(4))
        .map(|d| {
            let children: Vec<Value> = (d * 4 * VERBS..((d + 1) * 4 * VERBS).min(n))
                .map(|i| Value::String(operation_name(i)))
                .collect();
            json!({
                "id": 1000 + d,
                "title": format!("{} management", resource(d * 4)),
                "type": "directory",
                "children": children,
            })
        })
        .collect();
    let endpoints: Vec<Value> = REGIONS
        .iter()
        .map(|r| json!({"regionId": r, "endpoint": format!("synth.{r}.aliyuncs.com")}))
        .collect();
    json!({
        "version": "1.0",
        "info": {"style": "RPC", "product": product, "version": VERSION},
        "directories": directories,
        "components": {"schemas": {
            "TagModel": {
                "type": "object",
                "description": "A tag.",
                "properties": {
                    "TagKey": {"type": "string", "description": "The key.", "example": "env"},
                    "TagValue": {"type": "string", "description": "The value.", "example": "prod"},
                },
            },
        }},
        "apis": apis,
        "endpoints": endpoints,
    })
}

fn param(name: &str, location: &str, schema: Value) -> Value {
    json!({"name": name, "in": location, "schema": schema})
}

fn styled(name: &str, location: &str, style: &str, schema: Value) -> Value {
    json!({"name": name, "in": location, "style": style, "schema": schema})
}

fn string(description: &str, example: &str) -> Value {
    json!({"type": "string", "description": description, "required": false, "example": example})
}

fn required_string(description: &str, example: &str) -> Value {
    json!({"type": "string", "description": description, "required": true, "docRequired": true, "example": example})
}

fn tag_list(max_items: u32) -> Value {
    json!({
        "type": "array",
        "description": "Tags to match or to add.",
        "required": false,
        "maxItems": max_items,
        "items": {
            "type": "object",
            "required": false,
            "properties": {
                "Key": {"type": "string", "description": "The tag key.", "required": false, "minLength": 1, "maxLength": 128, "example": "env"},
                "Value": {"type": "string", "description": "The tag value.", "required": false, "maxLength": 128, "example": "prod"},
            },
        },
    })
}

/// Whether the family of operation `i` carries the heavier optional parameters that one
/// family in `every` has (family 0 always does, so even a tiny product has each of them).
fn rich(i: usize, every: usize) -> bool {
    (i / VERBS).is_multiple_of(every)
}

/// The common parameters of every operation.
fn common(i: usize, out: &mut Vec<Value>) {
    out.push(param(
        "RegionId",
        "query",
        required_string("The region.", REGIONS[i % REGIONS.len()]),
    ));
}

fn id_of(r: &str, i: usize) -> String {
    format!(
        "{}-{:08x}****",
        r.to_ascii_lowercase(),
        i.wrapping_mul(2_654_435_761) % 0xffff_ffff
    )
}

/// A state enum, for requests and responses.
fn status_enum() -> Value {
    json!({
        "type": "string",
        "description": "The state.",
        "required": false,
        "example": "Available",
        "enum": ["Creating", "Available", "Updating", "Deleting"],
    })
}

fn create_params(r: &str, i: usize, out: &mut Vec<Value>) {
    out.push(param(
        "ClientToken",
        "query",
        string("Idempotency token.", "0c593ea1-3bea-11e9-b96b-88e9fe637760"),
    ));
    out.push(param(
        &format!("{r}Name"),
        "query",
        json!({"type": "string", "description": "The name.", "required": false, "minLength": 2, "maxLength": 128, "pattern": "^[a-zA-Z][a-zA-Z0-9_.-]*$", "example": "my-resource"}),
    ));
    out.push(param(
        "Description",
        "query",
        json!({"type": "string", "description": "A description.", "required": false, "minLength": 0, "maxLength": 256, "example": "test"}),
    ));
    if rich(i, 2) {
        out.push(param(
            "Spec",
            "query",
            json!({"type": "string", "description": "The size.", "required": true, "example": "small", "enum": ["small", "medium", "large", "xlarge"]}),
        ));
    }
    out.push(param(
        "Bandwidth",
        "query",
        json!({"type": "integer", "format": "int32", "description": "Mbit/s.", "required": false, "minimum": "1", "maximum": "10000", "example": "100"}),
    ));
    // The rarer scalars, all in one family in three.
    if rich(i, 3) {
        for (name, schema) in [
            (
                "Capacity",
                json!({"type": "integer", "format": "int64", "description": "Bytes.", "required": false, "minimum": 0, "exclusiveMinimum": true, "example": "1073741824"}),
            ),
            (
                "Period",
                json!({"type": "integer", "description": "Months.", "required": false, "minimum": 1, "maximum": 36, "example": "12"}),
            ),
            (
                "Ratio",
                json!({"type": "number", "format": "float", "description": "A ratio.", "required": false, "minimum": 0, "maximum": 1, "exclusiveMaximum": true, "example": "0.5"}),
            ),
            (
                "Price",
                json!({"type": "number", "format": "double", "description": "A price.", "required": false, "minimum": "0", "example": "1.25"}),
            ),
            (
                "AutoRenew",
                json!({"type": "boolean", "description": "Renew automatically.", "required": false, "example": "true"}),
            ),
        ] {
            out.push(param(name, "query", schema));
        }
    }
    out.push(param(
        "DryRun",
        "query",
        json!({"type": "boolean", "description": "Check only.", "required": false, "example": "false"}),
    ));
    out.push(param(
        "VpcId",
        "formData",
        string("The network.", "vpc-bp1qpo0kug3a20qqe****"),
    ));
    if rich(i, 2) {
        out.push(styled("Tag", "query", "repeatList", tag_list(20)));
    }
    if rich(i, 8) {
        out.push(styled(
            format!("{r}Rule").as_str(),
            "formData",
            "flat",
            json!({
                "type": "array",
                "description": "Rules.",
                "required": false,
                "minItems": 1,
                "maxItems": 10,
                "items": {
                    "type": "object",
                    "properties": {
                        "Priority": {"type": "integer", "format": "int32", "description": "Priority.", "required": false, "minimum": 1, "maximum": 100, "example": "1"},
                        "Action": {"type": "string", "description": "What to do.", "required": false, "example": "accept", "enum": ["accept", "drop", "forward"]},
                        "Cidr": {"type": "string", "description": "A CIDR block.", "required": false, "example": "10.0.0.0/8"},
                        "Match": {
                            "type": "object",
                            "description": "What matches.",
                            "properties": {
                                "Protocol": {"type": "string", "description": "Protocol.", "example": "tcp", "enum": ["tcp", "udp", "icmp", "all"]},
                                "PortFrom": {"type": "integer", "format": "int32", "description": "First port.", "minimum": 1, "maximum": 65535, "example": "80"},
                                "PortTo": {"type": "integer", "format": "int32", "description": "Last port.", "minimum": 1, "maximum": 65535, "example": "443"},
                            },
                        },
                    },
                },
            }),
        ));
    }
    if rich(i, 8) {
        out.push(styled(
            "Config",
            "query",
            "json",
            json!({
                "type": "object",
                "description": "Settings, sent as one JSON parameter.",
                "required": false,
                "properties": {
                    "Mode": {"type": "string", "description": "Mode.", "example": "route", "enum": ["route", "nat"]},
                    "Timeout": {"type": "integer", "format": "int32", "description": "Seconds.", "minimum": 1, "maximum": 3600, "example": "30"},
                    "Enable": {"type": "boolean", "description": "On or off.", "example": "true"},
                    "HealthCheck": {
                        "type": "object",
                        "description": "Health check.",
                        "properties": {
                            "Interval": {"type": "integer", "format": "int32", "description": "Seconds.", "example": "3"},
                            "Retry": {"type": "integer", "format": "int32", "description": "Attempts.", "example": "3"},
                            "Dip": {"type": "string", "description": "Target address.", "example": "192.168.1.1"},
                        },
                    },
                },
            }),
        ));
    }
    if i.is_multiple_of(2) {
        out.push(styled(
            "Zones",
            "query",
            "simple",
            json!({"type": "array", "description": "Zones.", "required": false, "maxItems": 5, "items": {"type": "string", "example": "cn-hangzhou-h"}}),
        ));
    }
    if i.is_multiple_of(3) {
        out.push(styled(
            "Labels",
            "query",
            "json",
            json!({"type": "object", "description": "Labels.", "required": false, "additionalProperties": {"type": "string", "example": "v"}}),
        ));
    }
    if i.is_multiple_of(4) {
        out.push(styled(
            "ExtraParams",
            "query",
            "json",
            json!({"type": "object", "description": "Free-form settings.", "required": false}),
        ));
    }
    if rich(i, 2) {
        out.push(styled(
            "Ports",
            "query",
            "json",
            json!({"type": "array", "description": "Ports.", "required": false, "items": {"type": "integer", "format": "int32", "example": "80"}}),
        ));
    }
    out.push(param(
        "OwnerAccount",
        "query",
        json!({"type": "string", "description": "Not used.", "required": false, "deprecated": true}),
    ));
}

fn describe_params(r: &str, i: usize, out: &mut Vec<Value>) {
    out.push(param(
        &format!("{r}Id"),
        "query",
        string("The resource.", &id_of(r, i)),
    ));
    if rich(i, 2) {
        out.push(param("Status", "query", status_enum()));
    }
    out.push(param(
        "ResourceGroupId",
        "query",
        string("The resource group.", "rg-acfmxazb4ph****"),
    ));
    if rich(i, 2) {
        out.push(styled("Tag", "query", "repeatList", tag_list(20)));
    }
    out.push(param(
        "PageNumber",
        "query",
        json!({"type": "integer", "format": "int32", "description": "Page.", "required": false, "minimum": "1", "example": "1", "default": "1"}),
    ));
    out.push(param(
        "PageSize",
        "query",
        json!({"type": "integer", "format": "int32", "description": "Page size.", "required": false, "minimum": "1", "maximum": "50", "example": "10", "default": "10"}),
    ));
}

fn modify_params(r: &str, i: usize, out: &mut Vec<Value>) {
    out.push(param(
        &format!("{r}Id"),
        "query",
        required_string("The resource.", &id_of(r, i)),
    ));
    out.push(param(
        "ClientToken",
        "query",
        string("Idempotency token.", "0c593ea1-3bea-11e9-b96b-88e9fe637760"),
    ));
    out.push(param(
        &format!("{r}Name"),
        "query",
        json!({"type": "string", "description": "The name.", "required": false, "minLength": 2, "maxLength": 128, "example": "renamed"}),
    ));
    out.push(param(
        "Bandwidth",
        "query",
        json!({"type": "integer", "format": "int32", "description": "Mbit/s.", "required": false, "minimum": 1, "maximum": 10000, "example": "200"}),
    ));
    out.push(param(
        "Weight",
        "query",
        json!({"type": "number", "description": "Weight.", "required": false, "minimum": 0, "maximum": 100, "example": "50"}),
    ));
    out.push(param(
        "EnableIpv6",
        "query",
        json!({"type": "boolean", "description": "IPv6.", "required": false, "example": "false"}),
    ));
    if rich(i, 2) {
        out.push(styled(
            "Options",
            "query",
            "json",
            json!({
                "type": "array",
                "description": "Options, as one JSON parameter.",
                "required": false,
                "items": {
                    "type": "object",
                    "properties": {
                        "Name": {"type": "string", "description": "Name.", "example": "mtu"},
                        "Value": {"type": "string", "description": "Value.", "example": "1500"},
                    },
                },
            }),
        ));
    }
}

fn delete_params(r: &str, i: usize, out: &mut Vec<Value>) {
    out.push(param(
        &format!("{r}Id"),
        "query",
        required_string("The resource.", &id_of(r, i)),
    ));
    out.push(param(
        "Force",
        "query",
        json!({"type": "boolean", "description": "Delete dependants too.", "required": false, "example": "false"}),
    ));
    out.push(param(
        "ClientToken",
        "query",
        string("Idempotency token.", "0c593ea1-3bea-11e9-b96b-88e9fe637760"),
    ));
}

/// `Start…` and `Stop…`: the small actions on one resource that are about a third of the
/// published operations (attach, enable, start, …).
fn action_params(r: &str, i: usize, out: &mut Vec<Value>) {
    out.push(param(
        &format!("{r}Id"),
        "query",
        required_string("The resource.", &id_of(r, i)),
    ));
    out.push(param(
        "ClientToken",
        "query",
        string("Idempotency token.", "0c593ea1-3bea-11e9-b96b-88e9fe637760"),
    ));
}

fn list_tags_params(r: &str, i: usize, out: &mut Vec<Value>) {
    out.push(param(
        "ResourceType",
        "query",
        json!({"type": "string", "description": "Kind.", "required": true, "example": r.to_ascii_lowercase(), "enum": [r.to_ascii_lowercase()]}),
    ));
    out.push(styled(
        "ResourceId",
        "query",
        "repeatList",
        json!({"type": "array", "description": "Resources.", "required": false, "maxItems": 50, "items": {"type": "string", "example": id_of(r, i)}}),
    ));
    out.push(styled("Tag", "query", "repeatList", tag_list(20)));
    out.push(param(
        "NextToken",
        "query",
        string(
            "Where the previous page ended.",
            "FFmyTO70tTpLG6I3FmYAXGKPd****",
        ),
    ));
    out.push(param(
        "MaxResults",
        "query",
        json!({"type": "integer", "format": "int32", "description": "Page size.", "required": false, "minimum": 1, "maximum": 100, "example": "50"}),
    ));
}

fn request_id() -> Value {
    json!({"type": "string", "description": "The request.", "example": "54B48E3D-DF70-471B-AA93-08E683A1B45"})
}

fn item_schema(r: &str, i: usize) -> Value {
    let mut item = json!({
        "type": "object",
        "properties": {
            format!("{r}Id"): {"type": "string", "description": "The resource.", "example": id_of(r, i)},
            format!("{r}Name"): {"type": "string", "description": "The name.", "example": "my-resource"},
            "Status": {"type": "string", "description": "The state.", "example": "Available"},
            "Spec": {"type": "string", "description": "The size.", "example": "small"},
            "Bandwidth": {"type": "integer", "format": "int32", "description": "Mbit/s.", "example": "100"},
            "Capacity": {"type": "integer", "format": "int64", "description": "Bytes.", "example": "1073741824"},
            "Ratio": {"type": "number", "format": "float", "description": "A ratio.", "example": "0.5"},
            "Price": {"type": "number", "format": "double", "description": "A price.", "example": "1.25"},
            "AutoRenew": {"type": "boolean", "description": "Renews.", "example": "true"},
            "CreationTime": {"type": "string", "description": "When.", "example": "2024-01-01T00:00:00Z"},
            "ZoneId": {"type": "string", "description": "The zone.", "example": "cn-hangzhou-h"},
            "VSwitchId": {"type": "string", "description": "The switch.", "example": "vsw-bp1s5fnvk4gn2tws0****"},
            "VpcId": {"type": "string", "description": "The network.", "example": "vpc-bp1qpo0kug3a20qqe****"},
            "ResourceGroupId": {"type": "string", "description": "The resource group.", "example": "rg-acfmxazb4ph****"},
            "Description": {"type": "string", "description": "The description.", "example": "test"},
            "ChargeType": {"type": "string", "description": "How it is paid for.", "example": "PostPaid"},
            "ExpiredTime": {"type": "string", "description": "When it expires.", "example": "2025-01-01T00:00:00Z"},
            "CidrBlock": {"type": "string", "description": "An address block.", "example": "172.16.0.0/12"},
            "Ipv6CidrBlock": {"type": "string", "description": "An IPv6 block.", "example": "2408:4002:10c4:4e00::/56"},
            "OwnerId": {"type": "integer", "format": "int64", "description": "The owner.", "example": "1210123456123456"},
            "RegionId": {"type": "string", "description": "The region.", "example": "cn-hangzhou"},
            "IsDefault": {"type": "boolean", "description": "Whether it is the default.", "example": "false"},
            "Port": {"type": "integer", "format": "int32", "description": "A port.", "example": "443"},
            "Weight": {"type": "integer", "format": "int32", "description": "A weight.", "example": "100"},
            "InstanceCount": {"type": "integer", "format": "int32", "description": "Instances.", "example": "3"},
            "BusinessStatus": {"type": "string", "description": "Billing state.", "example": "Normal"},
            "Protocol": {"type": "string", "description": "Protocol.", "example": "tcp"},
            "Address": {"type": "string", "description": "An address.", "example": "192.168.0.1"},
            "UsedCount": {"type": "integer", "format": "int32", "description": "In use.", "example": "2"},
            "Version": {"type": "string", "description": "A version.", "example": "1.0.2"},
            "Attributes": {"type": "object", "description": "Attributes.", "additionalProperties": {"type": "string"}},
            "Extra": {"type": "object", "description": "Free-form."},
        },
    });
    if rich(i, 2) {
        item["properties"]["Tags"] = json!({
            "type": "object",
            "itemNode": true,
            "properties": {"Tag": {"type": "array", "items": {
                "type": "object",
                "properties": {
                    "Key": {"type": "string", "description": "Key.", "example": "env"},
                    "Value": {"type": "string", "description": "Value.", "example": "prod"},
                },
            }}},
        });
    }
    if rich(i, 2) {
        item["properties"]["Zones"] = json!({
            "type": "object",
            "itemNode": true,
            "properties": {"Zone": {"type": "array", "items": {"type": "string", "example": "cn-hangzhou-h"}}},
        });
    }
    if rich(i, 4) {
        item["properties"]["Rules"] = json!({
            "type": "object",
            "itemNode": true,
            "properties": {"Rule": {"type": "array", "items": {
                "type": "object",
                "properties": {
                    "Priority": {"type": "integer", "format": "int32", "description": "Priority.", "example": "1"},
                    "Action": {"type": "string", "description": "What to do.", "example": "accept"},
                    "Match": {
                        "type": "object",
                        "properties": {
                            "Protocol": {"type": "string", "description": "Protocol.", "example": "tcp"},
                            "Ports": {"type": "array", "items": {"type": "integer", "format": "int32", "example": "80"}},
                        },
                    },
                },
            }}},
        });
    }
    item
}

fn response(kind: usize, r: &str, i: usize) -> Value {
    let props = match kind {
        0 => json!({
            "RequestId": request_id(),
            format!("{r}Id"): {"type": "string", "description": "The new resource.", "example": id_of(r, i)},
            "OrderId": {"type": "integer", "format": "int64", "description": "The order.", "example": "20235654894"},
        }),
        1 => json!({
            "RequestId": request_id(),
            "TotalCount": {"type": "integer", "format": "int32", "description": "Total.", "example": "1"},
            "PageNumber": {"type": "integer", "format": "int32", "description": "Page.", "example": "1"},
            "PageSize": {"type": "integer", "format": "int32", "description": "Page size.", "example": "10"},
            format!("{r}s"): {
                "type": "object",
                "itemNode": true,
                "properties": {r: {"type": "array", "items": item_schema(r, i)}},
            },
        }),
        4 => json!({
            "RequestId": request_id(),
            "NextToken": {"type": "string", "description": "Where the next page starts.", "example": "FFmyTO70tTpLG6I3FmYAXGKPd****"},
            "TagResources": {
                "type": "object",
                "itemNode": true,
                "properties": {"TagResource": {"type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "ResourceId": {"type": "string", "description": "The resource.", "example": id_of(r, i)},
                        "ResourceType": {"type": "string", "description": "Kind.", "example": r.to_ascii_lowercase()},
                        "Tag": {"$ref": "#/components/schemas/TagModel"},
                    },
                }}},
            },
        }),
        _ => json!({"RequestId": request_id()}),
    };
    json!({"200": {"schema": {"type": "object", "title": "Schema of Response", "description": "The response.", "properties": props}}})
}

fn error_codes(kind: usize, r: &str, i: usize) -> Value {
    let mut bad = vec![
        json!({"errorCode": "InvalidParameter", "errorMessage": "A parameter is invalid."}),
        json!({"errorCode": "InvalidRegionId.NotFound", "errorMessage": "The region does not exist."}),
    ];
    if kind != 1 && kind != 4 {
        bad.push(json!({"errorCode": format!("IncorrectStatus.{r}"), "errorMessage": format!("The {r} is not in a state that allows this.")}));
        bad.push(json!({"errorCode": format!("QuotaExceeded.{r}"), "errorMessage": "The quota is exceeded."}));
    }
    for k in 0..(i % 4) {
        bad.push(json!({"errorCode": format!("Invalid{r}.Field{k}"), "errorMessage": format!("Field {k} is invalid.")}));
    }
    let mut codes = Map::new();
    codes.insert("400".into(), Value::Array(bad));
    codes.insert(
        "403".into(),
        json!([{"errorCode": "Forbidden.RAM", "errorMessage": "The user is not authorized."}]),
    );
    if kind != 0 {
        codes.insert(
            "404".into(),
            json!([{"errorCode": "InvalidResourceId.NotFound", "errorMessage": "The resource does not exist."}]),
        );
    }
    codes.insert(
        "500".into(),
        json!([{"errorCode": "InternalError", "errorMessage": "Unknown error."}]),
    );
    Value::Object(codes)
}

fn api(i: usize, n: usize, product: &str) -> Value {
    let kind = i % VERBS;
    let r = resource(i / VERBS);
    let mut params = Vec::new();
    common(i, &mut params);
    match kind {
        0 => create_params(&r, i, &mut params),
        1 => describe_params(&r, i, &mut params),
        2 => modify_params(&r, i, &mut params),
        3 => delete_params(&r, i, &mut params),
        4 => list_tags_params(&r, i, &mut params),
        _ => action_params(&r, i, &mut params),
    }
    let methods = match kind {
        1 if i % 3 == 1 => json!(["get"]),
        1 | 4 => json!(["get", "post"]),
        0 => json!(["post"]),
        _ => json!(["post", "get"]),
    };
    // Changes are asynchronous when the resource's Describe…s exists to poll.
    let describe = i - kind + 1;
    let static_info = if kind != 1 && kind != 4 && describe < n {
        json!({
            "returnType": "asynchronous",
            "callback": format!("{product}::{VERSION}::{}", operation_name(describe)),
            "callbackInterval": 2000,
            "maxCallbackTimes": 30,
        })
    } else if i.is_multiple_of(2) {
        json!({"returnType": "synchronous"})
    } else {
        Value::Null
    };
    let mut api = json!({
        "summary": format!("Operation {i} of the synthetic product."),
        "methods": methods,
        "schemes": ["http", "https"],
        "security": [{"AK": []}],
        "operationType": if kind == 1 || kind == 4 { "read" } else { "readAndWrite" },
        "deprecated": kind == 3 && i % 40 == 3,
        "systemTags": {"operationType": "none", "riskType": "none", "chargeType": "free"},
        "parameters": params,
        "responses": response(kind, &r, i),
        "errorCodes": error_codes(kind, &r, i),
        "title": format!("Operation {i}"),
    });
    if !static_info.is_null() {
        api["staticInfo"] = static_info;
    }
    api
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_are_unique() {
        let names: std::collections::BTreeSet<String> = (0..2000).map(operation_name).collect();
        assert_eq!(names.len(), 2000);
        assert_eq!(operation_name(0), "CreateGateway");
        assert_eq!(operation_name(141), "DescribeGateway2s");
        assert_eq!(operation_name(6), "StopGateway");
    }

    #[test]
    fn deterministic() {
        assert_eq!(api_docs(37), api_docs(37));
        assert_ne!(api_docs(37), api_docs(38));
    }
}
