//! A structured spec: vocabularies chosen so that names resolve, collide with each other, with
//! Rust keywords and with the prelude, and so that most specs are valid.

use super::*;

const SHAPE_NAMES: &[&str] = &[
    "Tag",
    "Config",
    "Item",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Self",
    "Type",
    "Unknown",
    "Value",
    "Default",
    "Client",
    "Error",
    "Foo",
    "FooRequest",
    "FooResponse",
    "FooError",
    "FooRequestBuilder",
    "Status",
    "Some",
    "None",
    "Ok",
    "Err",
    "Path",
    "Meta",
    "Fn",
    "Tag2",
    "ObjectFields",
    "lower",
    "3Bad",
];

const FIELD_NAMES: &[&str] = &[
    "Name",
    "Type",
    "type",
    "self",
    "Self",
    "super",
    "crate",
    "Value",
    "value",
    "Tag",
    "Tags",
    "Key",
    "RegionId",
    "region_id",
    "Region-Id",
    "Option",
    "Some",
    "None",
    "Default",
    "build",
    "send",
    "validate",
    "builder",
    "skip_validation",
    "Unknown",
    "3des",
    "match",
    "async",
    "gen",
    "fn",
    "Enable",
    "enable",
    "Psk",
    "TunnelCidr",
    "LocalBgpIp",
    "Status",
    "map",
    "path",
    "v",
    "p",
    "s",
    "f",
    "m",
    "d",
    "w",
    "root",
    "item",
    "list",
    "x",
    "keys",
    "block",
    "Result",
    "Vec",
    "String",
    "std",
    "serde",
    "a.b",
    "名称",
    "Items",
    "items_2",
    "ItemsMoreThan",
    "",
    " Padded",
];

const OPERATION_NAMES: &[&str] = &[
    "DescribeThing",
    "ModifyThing",
    "Foo",
    "Type",
    "Self",
    "Match",
    "Build",
    "Client",
    "Meta",
    "Unknown",
    "CreateTag",
    "DeleteTag",
    "Describe_Thing",
    "lower",
    "",
];

const TEXTS: &[&str] = &[
    "",
    "a",
    "text",
    "A sentence.",
    "two\nlines",
    "back`tick",
    "\"quoted\"",
    "back\\slash",
    "*/ end",
    "/* open",
    "```rust\nlet x = 1;\n```",
    "<html>",
    "[link]",
    "名称",
    "tab\there",
    // Carriage returns once made doc comments Rust refuses (fuzz/README.md, finding 1).
    "cr\rhere",
    "crlf\r\nhere",
    "# heading",
    "%s is bad",
    "{}",
    "{region_id}",
    "true",
    "3",
    "10.0.0.0/24",
    "169.254.10.0/30",
    "1.2.3.4",
    "65530",
    "vco-***",
    "116.64.XX.XX",
    "http://x",
    " padded ",
    "nul\u{0}byte",
    "#![no_std]",
    "'",
    "r#type",
    "Unknown",
    "\u{feff}bom",
    "line\u{2028}sep",
];

const ENUM_VALUES: &[&str] = &[
    "aes", "AES", "aes256", "aes-256", "aes_256", "3des", "des", "Unknown", "unknown", "Self",
    "self", "type", "group1", "ikev1", "true", "None", "名称", "a\"b", "x y", "", " padded",
];

const RUST_NAMES: &[&str] = &[
    "TripleDes",
    "Unknown",
    "Self_",
    "Type",
    "Aes",
    "V3",
    "lower",
    "3x",
];

const ERROR_CODES: &[&str] = &[
    "VpnGateway.Configuring",
    "Throttling",
    "Throttling.User",
    "InvalidParameter",
    "MissingParameter",
    "Forbidden.RAM",
    "Unhandled",
    "unhandled",
    "IncorrectStatus.VpnGateway",
    "Invalid.Vpn-Id",
    "Self",
    "Type",
    "3Bad",
    "a.b.c",
    "",
    " pad",
];

const STATUSES: &[u16] = &[400, 403, 404, 409, 500, 503, 200, 600];

const CIDR_BLOCKS: &[&str] = &[
    "169.254.0.0/16",
    "10.0.0.0/8",
    "0.0.0.0/0",
    "169.254.0.0/30",
    "169.254.169.252/30",
    "192.168.1.0/24",
    "bad",
    "10.0.0.0/33",
];

const CHARSETS: &[&str] = &[
    "",
    "~!`@#$%^&*()_-+={}[]|;:'\",.<>/?",
    "`",
    "\"",
    "\\",
    "{}",
    "<>&",
    "'",
    "#[]",
    "\n",
    "名",
    "-_.",
];

const PATTERNS: &[&str] = &["^[a-z]+$", "[0-9]{1,3}", "^vpn-.*", "\\d+\"", "(", ""];

const GROUPS: &[&str] = &[
    "VPN gateway",
    "vpn-gateway",
    "VPC",
    "default",
    "reqwest",
    "hyper",
    "decode",
    "",
    "名称",
];

const PREFIXES: &[&str] = &["http://", "https://", "aliyun", "acs:", "", "\"", "名"];

const ENDPOINTS: &[&str] = &[
    "vpc.{region_id}.aliyuncs.com",
    "{region_id}.example.com",
    "vpc.aliyuncs.com",
    "ecs-{region_id}.aliyuncs.com:8080",
    "vpc.{zone}.com",
    "bad/path",
    "has space",
    "",
];

/// Entries of an endpoint map: usable ones, then odd ones (a repeat, a bad region, a bad host).
const REGION_HOSTS: &[(&str, &str)] = &[
    ("cn-hangzhou", "vpc.aliyuncs.com"),
    ("cn-shanghai", "vpc.cn-shanghai.aliyuncs.com"),
    ("ap-southeast-1", "vpc-intl.example.com"),
    ("cn-hangzhou", "other.aliyuncs.com"),
    ("cn hangzhou", "vpc.aliyuncs.com"),
    ("eu-west-1", "https://vpc.aliyuncs.com/"),
];

/// A map of regions from `i`: none, empty, the usable entries, or (when odd) all of them.
fn region_hosts(i: u8) -> Option<Vec<RegionHost>> {
    let take = match i % 4 {
        0 => return None,
        1 => 0,
        _ if odd(i) => REGION_HOSTS.len(),
        _ => 3,
    };
    Some(
        REGION_HOSTS[..take]
            .iter()
            .map(|(r, h)| RegionHost {
                region_id: (*r).into(),
                host: (*h).into(),
            })
            .collect(),
    )
}

const CRATE_NAMES: &[&str] = &[
    "alicloud-fuzz",
    "alicloud-vpc",
    "fuzz",
    "a",
    "alicloud-fuzz2",
    "Bad",
    "x_y",
];

const PRODUCT_CODES: &[&str] = &["Vpc", "Ecs", "Fuzz", "", " "];

const VERSIONS: &[&str] = &["2016-04-28", "2014-05-26", "v1", ""];

const DOC_URLS: &[&str] = &[
    "https://help.aliyun.com/api/vpc/",
    "https://x/\"quote",
    "",
    "a\nb",
];

const WAITER_NAMES: &[&str] = &[
    "VpnGatewayActive",
    "Ready",
    "Self",
    "Type",
    "Done",
    "ThingAvailable",
    "lower",
];

/// Scalar types; the shape-only list ends with `string`, which a scalar shape may not be.
const SCALAR_TYPES: &[&str] = &["boolean", "int32", "int64", "float", "double", "string"];

const BAD_TYPES: &[&str] = &[
    "Undeclared",
    "list<string",
    "list<>",
    "List<string>",
    " string",
    "map<map<int32>>",
    "list<Self>",
    "STRING",
    "",
];

pub(super) fn pick<'a>(list: &[&'a str], i: u8) -> &'a str {
    list[usize::from(i) % list.len()]
}

/// An entry of `list` whose last `odd` entries are invalid on purpose: those are picked once
/// in 32, so that most specs get past the checks.
fn mostly<'a>(list: &[&'a str], odd: usize, i: u8) -> &'a str {
    let valid = list.len() - odd;
    if i % 32 == 31 {
        list[valid + usize::from(i / 32) % odd]
    } else {
        list[usize::from(i) % valid]
    }
}

/// `i % 32 == 31`: take the odd (probably invalid) choice.
fn odd(i: u8) -> bool {
    i % 32 == 31
}

/// A spec for the generator, built from arbitrary bytes: a product, shapes and operations whose
/// names come from small vocabularies (Rust keywords, prelude names, names the generator itself
/// derives), whose types mostly refer to declared shapes, and whose constraints, rules,
/// examples, errors and waiters are mostly ones that fit. Spread over one or two files of
/// `spec/fuzz/`.
#[derive(Arbitrary, Debug, Clone)]
pub struct ArbSpec {
    product: ArbProduct,
    shapes: Vec<ArbShape>,
    operations: Vec<ArbOperation>,
    /// Bit `i` set: shape `i` (and operation `i`) is written to the second file.
    split: u32,
}

#[derive(Arbitrary, Debug, Clone)]
struct ArbProduct {
    code: u8,
    version: u8,
    endpoint: u8,
    crate_name: u8,
    description: u8,
    doc_url: Option<u8>,
}

#[derive(Arbitrary, Debug, Clone)]
struct ArbShape {
    name: u8,
    description: u8,
    kind: ArbShapeKind,
}

#[derive(Arbitrary, Debug, Clone)]
enum ArbShapeKind {
    Object {
        fields: Vec<ArbField>,
        rules: Vec<ArbRule>,
    },
    Enum {
        values: Vec<ArbEnumValue>,
        keep_duplicates: bool,
    },
    Scalar {
        ty: u8,
    },
}

#[derive(Arbitrary, Debug, Clone)]
struct ArbEnumValue {
    value: u8,
    description: u8,
    rust_name: Option<u8>,
}

#[derive(Arbitrary, Debug, Clone)]
struct ArbType {
    /// Base: scalars, `any`, a declared shape, or (rarely) a broken type.
    base: u8,
    /// Which declared shape.
    named: u8,
    /// Wrapping: none, `list<…>`, `map<…>`, `list<list<…>>`.
    wrap: u8,
}

#[derive(Arbitrary, Debug, Clone)]
struct ArbField {
    name: u8,
    description: u8,
    ty: ArbType,
    required: bool,
    sensitive: bool,
    example: Option<ArbExample>,
    constraints: Vec<ArbConstraint>,
    pattern: Option<u8>,
    // Parameters only.
    location: u8,
    style: u8,
    idempotency_token: bool,
    deprecated: bool,
    /// Keep a duplicate name (an error) instead of skipping the field.
    keep_duplicate: bool,
}

#[derive(Arbitrary, Debug, Clone)]
struct ArbExample {
    sel: u8,
    text: u8,
    number: i32,
    items: u8,
}

#[derive(Arbitrary, Debug, Clone)]
struct ArbConstraint {
    kind: u8,
    min: Option<u8>,
    max: Option<u8>,
    range: (Option<i16>, Option<i16>, bool, bool, bool),
    text: u8,
    list: Vec<u8>,
    letters: bool,
    digits: bool,
    prefix_len: Option<u8>,
    code: Option<u8>,
}

#[derive(Arbitrary, Debug, Clone)]
enum ArbRule {
    ExclusiveGroups {
        groups: Vec<(u8, Vec<u8>)>,
        code: Option<u8>,
    },
    RequiresIf {
        when: ArbCondition,
        require: ArbPath,
        code: Option<u8>,
    },
    Forbid {
        when: ArbCondition,
        report_at: ArbPath,
        message: u8,
        code: Option<u8>,
    },
}

#[derive(Arbitrary, Debug, Clone)]
struct ArbCondition {
    leaf: ArbLeaf,
    /// 0: the leaf alone; 1: `all` of the children; 2: `any` of them.
    combine: u8,
    children: Vec<ArbLeaf>,
}

#[derive(Arbitrary, Debug, Clone)]
struct ArbLeaf {
    kind: u8,
    path: ArbPath,
    value: u8,
    count: u8,
}

#[derive(Arbitrary, Debug, Clone)]
struct ArbPath {
    field: u8,
    any: bool,
    sub: Option<u8>,
}

#[derive(Arbitrary, Debug, Clone)]
struct ArbOperation {
    name: u8,
    description: u8,
    get: bool,
    group: Option<u8>,
    ram: Option<(u8, u8)>,
    asynchronous: Option<(u8, u16, u8)>,
    deprecated: bool,
    parameters: Vec<ArbField>,
    rules: Vec<ArbRule>,
    response: Vec<ArbField>,
    errors: Vec<ArbError>,
    waiters: Vec<ArbWaiter>,
}

#[derive(Arbitrary, Debug, Clone)]
struct ArbError {
    status: u8,
    code: u8,
    message: u8,
    description: u8,
    retryable: Option<bool>,
}

#[derive(Arbitrary, Debug, Clone)]
struct ArbWaiter {
    name: u8,
    status_field: u8,
    success: Vec<u8>,
    failure: Vec<u8>,
    failure_codes: Vec<u8>,
}

/// What a type is, as far as choosing constraints, styles, examples and paths goes.
#[derive(Clone, Debug, PartialEq)]
enum Class {
    Str,
    Bool,
    Int,
    Float,
    Any,
    Enum,
    Object(String),
    List(Box<Class>),
    Map(Box<Class>),
    Broken,
}

/// The shapes declared so far: name → (class of the shape, fields when an object).
struct Scope {
    kinds: BTreeMap<String, Class>,
    fields: BTreeMap<String, Vec<(String, String)>>,
    /// Every error code documented by some operation.
    product_codes: Vec<String>,
    operations: Vec<String>,
}

impl Scope {
    fn class(&self, ty: &str) -> Class {
        match alicloud_codegen::model::parse_type(ty) {
            Err(_) => Class::Broken,
            Ok(expr) => self.class_of(&expr),
        }
    }

    fn class_of(&self, expr: &alicloud_codegen::model::TypeExpr) -> Class {
        use alicloud_codegen::model::{Scalar, TypeExpr};
        match expr {
            TypeExpr::Scalar(Scalar::String) => Class::Str,
            TypeExpr::Scalar(Scalar::Boolean) => Class::Bool,
            TypeExpr::Scalar(Scalar::Int32 | Scalar::Int64) => Class::Int,
            TypeExpr::Scalar(_) => Class::Float,
            TypeExpr::Any => Class::Any,
            TypeExpr::List(t) => Class::List(Box::new(self.class_of(t))),
            TypeExpr::Map(t) => Class::Map(Box::new(self.class_of(t))),
            TypeExpr::Named(n) => self.kinds.get(n).cloned().unwrap_or(Class::Broken),
        }
    }
}

impl ArbType {
    fn render(&self, declared: &[String]) -> String {
        let base = match self.base % 16 {
            b @ 0..=5 => SCALAR_TYPES[usize::from(b)].to_owned(),
            6 => "any".to_owned(),
            7..=13 if !declared.is_empty() => {
                declared[usize::from(self.named) % declared.len()].clone()
            }
            15 if odd(self.named) => pick(BAD_TYPES, self.named / 32).to_owned(),
            _ => "string".to_owned(),
        };
        match self.wrap % 8 {
            4 | 5 => format!("list<{base}>"),
            6 => format!("map<{base}>"),
            7 => format!("list<list<{base}>>"),
            _ => base,
        }
    }
}

impl ArbSpec {
    /// The spec files: `spec/fuzz/x.json` (with the product) and, when anything is split off,
    /// `spec/fuzz/y.json`.
    pub fn to_files(&self) -> Vec<SourceFile> {
        let (a, b) = self.to_specs();
        let mut out = vec![SourceFile {
            path: FUZZ_SPEC_PATH.into(),
            text: render(&a),
        }];
        if !b.shapes.is_empty() || !b.operations.is_empty() {
            out.push(SourceFile {
                path: "spec/fuzz/y.json".into(),
                text: render(&b),
            });
        }
        out
    }

    fn to_specs(&self) -> (SpecFile, SpecFile) {
        let empty = || SpecFile {
            schema: None,
            format_version: FORMAT_VERSION,
            product: None,
            shapes: BTreeMap::new(),
            operations: Vec::new(),
            overlays: Vec::new(),
        };
        let mut first = empty();
        let mut second = empty();
        let p = &self.product;
        first.product = Some(Product {
            code: mostly(PRODUCT_CODES, 2, p.code).into(),
            version: mostly(VERSIONS, 1, p.version).into(),
            style: ApiStyle::Rpc,
            endpoint: Endpoint {
                pattern: mostly(ENDPOINTS, 4, p.endpoint).into(),
                regions: region_hosts(p.endpoint),
            },
            crate_name: mostly(CRATE_NAMES, 2, p.crate_name).into(),
            description: pick(TEXTS, p.description).into(),
            doc_url: p.doc_url.map(|u| pick(DOC_URLS, u).into()),
            identity_service: false,
        });

        // Declared shapes: names and classes first, so that fields can refer to any of them.
        let mut scope = Scope {
            kinds: BTreeMap::new(),
            fields: BTreeMap::new(),
            product_codes: Vec::new(),
            operations: Vec::new(),
        };
        let mut order: Vec<(String, &ArbShape)> = Vec::new();
        for s in &self.shapes {
            let name = mostly(SHAPE_NAMES, 2, s.name).to_owned();
            let class = match &s.kind {
                ArbShapeKind::Object { .. } => Class::Object(name.clone()),
                ArbShapeKind::Enum { .. } => Class::Enum,
                ArbShapeKind::Scalar { ty } => match mostly(SCALAR_TYPES, 1, *ty) {
                    "boolean" => Class::Bool,
                    "int32" | "int64" => Class::Int,
                    "string" => Class::Broken,
                    _ => Class::Float,
                },
            };
            order.retain(|(n, _)| *n != name);
            order.push((name.clone(), s));
            scope.kinds.insert(name, class);
        }
        let declared: Vec<String> = order.iter().map(|(n, _)| n.clone()).collect();
        for (name, s) in &order {
            if let ArbShapeKind::Object { fields, .. } = &s.kind {
                let named = field_names(fields, &declared);
                scope.fields.insert(name.clone(), named);
            }
        }
        for op in &self.operations {
            let name = mostly(OPERATION_NAMES, 3, op.name).to_owned();
            if scope.operations.contains(&name) {
                continue;
            }
            for e in &op.errors {
                scope
                    .product_codes
                    .push(mostly(ERROR_CODES, 2, e.code).to_owned());
            }
            scope.operations.push(name);
        }

        for (i, (name, s)) in order.iter().enumerate() {
            let shape = match &s.kind {
                ArbShapeKind::Object { fields, rules } => {
                    let fields = build_fields(fields, &declared, &scope, None, None);
                    let names: Vec<(String, String)> = fields
                        .iter()
                        .map(|f| (f.name.clone(), f.ty.clone()))
                        .collect();
                    let codes = scope.product_codes.clone();
                    Shape::Object {
                        description: pick(TEXTS, s.description).into(),
                        rules: rules
                            .iter()
                            .filter(|_| !names.is_empty())
                            .map(|r| build_rule(r, &names, &scope, &codes))
                            .collect(),
                        fields: fields.into_iter().map(|f| f.field).collect(),
                    }
                }
                ArbShapeKind::Enum {
                    values,
                    keep_duplicates,
                } => {
                    let mut seen = BTreeSet::new();
                    Shape::Enum {
                        description: pick(TEXTS, s.description).into(),
                        values: values
                            .iter()
                            .filter(|v| seen.insert(pick(ENUM_VALUES, v.value)) || *keep_duplicates)
                            .map(|v| EnumValue {
                                value: pick(ENUM_VALUES, v.value).into(),
                                description: pick(TEXTS, v.description).into(),
                                rust_name: v.rust_name.map(|r| mostly(RUST_NAMES, 2, r).into()),
                            })
                            .collect(),
                    }
                }
                ArbShapeKind::Scalar { ty } => Shape::Scalar {
                    description: pick(TEXTS, s.description).into(),
                    ty: mostly(SCALAR_TYPES, 1, *ty).into(),
                    encoding: ScalarEncoding::String,
                },
            };
            let target = if self.split & (1 << (i % 32)) != 0 {
                &mut second
            } else {
                &mut first
            };
            target.shapes.insert(name.clone(), shape);
        }

        let mut op_names = BTreeSet::new();
        for (i, op) in self.operations.iter().enumerate() {
            let name = mostly(OPERATION_NAMES, 3, op.name).to_owned();
            if !op_names.insert(name.clone()) {
                continue;
            }
            let mut seen = BTreeSet::new();
            let errors: Vec<ErrorCode> = op
                .errors
                .iter()
                .filter(|e| seen.insert((status_of(e.status), mostly(ERROR_CODES, 2, e.code))))
                .map(|e| ErrorCode {
                    status: status_of(e.status),
                    code: mostly(ERROR_CODES, 2, e.code).into(),
                    message: pick(TEXTS, e.message).into(),
                    description: pick(TEXTS, e.description).into(),
                    retryable: e.retryable,
                })
                .collect();
            let own_codes: Vec<String> = errors.iter().map(|e| e.code.clone()).collect();
            let mut codes = own_codes.clone();
            codes.extend(["MissingParameter".into(), "InvalidParameter".into()]);
            let parameters = build_fields(&op.parameters, &declared, &scope, Some(()), None);
            let response = build_fields(&op.response, &declared, &scope, None, Some(&codes));
            let params: Vec<(String, String)> = parameters
                .iter()
                .map(|f| (f.name.clone(), f.ty.clone()))
                .collect();
            let response_names: Vec<String> = response.iter().map(|f| f.name.clone()).collect();
            let operation = Operation {
                name,
                description: pick(TEXTS, op.description).into(),
                http_method: if op.get {
                    HttpMethod::Get
                } else {
                    HttpMethod::Post
                },
                auth: Default::default(),
                path: None,
                response_body: None,
                ram: op.ram.map(|(a, l)| Ram {
                    action: pick(TEXTS, a).into(),
                    access_level: pick(TEXTS, l).into(),
                }),
                asynchronous: op.asynchronous.map(|(o, interval, attempts)| Asynchronous {
                    poll_operation: if scope.operations.is_empty() || odd(o) {
                        mostly(OPERATION_NAMES, 3, o).into()
                    } else {
                        scope.operations[usize::from(o) % scope.operations.len()].clone()
                    },
                    interval_ms: u64::from(interval % 5000),
                    max_attempts: u32::from(attempts % 50),
                    progress: None,
                    waiter: None,
                }),
                deprecated: op.deprecated,
                group: op.group.map(|g| pick(GROUPS, g).into()),
                rules: op
                    .rules
                    .iter()
                    .filter(|_| !params.is_empty())
                    .map(|r| build_rule(r, &params, &scope, &codes))
                    .collect(),
                parameters: parameters.into_iter().map(|f| f.into_parameter()).collect(),
                response: response.into_iter().map(|f| f.field).collect(),
                waiters: op
                    .waiters
                    .iter()
                    .filter(|w| !response_names.is_empty() || odd(w.status_field))
                    .map(|w| Waiter {
                        // Defaults given or not, by the name's parity.
                        interval_ms: odd(w.name).then_some(1000),
                        max_attempts: odd(w.name).then_some(5),
                        name: mostly(WAITER_NAMES, 1, w.name).into(),
                        status_field: if response_names.is_empty() || odd(w.status_field) {
                            mostly(FIELD_NAMES, 2, w.status_field).into()
                        } else {
                            response_names[usize::from(w.status_field) % response_names.len()]
                                .clone()
                        },
                        success: if w.success.is_empty() && !odd(w.name) {
                            vec!["Available".into()]
                        } else {
                            w.success.iter().map(|s| pick(TEXTS, *s).into()).collect()
                        },
                        failure: w.failure.iter().map(|s| pick(TEXTS, *s).into()).collect(),
                        failure_codes: w
                            .failure_codes
                            .iter()
                            .filter(|c| !own_codes.is_empty() || odd(**c))
                            .map(|c| {
                                if own_codes.is_empty() || odd(*c) {
                                    mostly(ERROR_CODES, 2, *c).into()
                                } else {
                                    own_codes[usize::from(*c) % own_codes.len()].clone()
                                }
                            })
                            .collect(),
                    })
                    .collect(),
                errors,
            };
            let target = if self.split & (1 << ((i + 16) % 32)) != 0 {
                &mut second
            } else {
                &mut first
            };
            target.operations.push(operation);
        }
        (first, second)
    }
}

fn status_of(i: u8) -> u16 {
    if odd(i) {
        STATUSES[6 + usize::from(i / 32) % 2]
    } else {
        STATUSES[usize::from(i) % 6]
    }
}

fn render(spec: &SpecFile) -> String {
    serde_json::to_string_pretty(spec).unwrap_or_default()
}

/// The names and types the fields will get (duplicates dropped unless kept on purpose).
fn field_names(fields: &[ArbField], declared: &[String]) -> Vec<(String, String)> {
    let mut seen = BTreeSet::new();
    fields
        .iter()
        .filter(|f| seen.insert(mostly(FIELD_NAMES, 2, f.name)) || f.keep_duplicate)
        .map(|f| {
            (
                mostly(FIELD_NAMES, 2, f.name).to_owned(),
                f.ty.render(declared),
            )
        })
        .collect()
}

/// A field or parameter on its way into the spec.
struct Built {
    name: String,
    ty: String,
    field: Field,
    location: ParameterLocation,
    style: Style,
    idempotency_token: bool,
    deprecated: bool,
}

impl Built {
    fn into_parameter(self) -> Parameter {
        Parameter {
            name: self.field.name,
            description: self.field.description,
            ty: self.field.ty,
            required: self.field.required,
            location: self.location,
            style: self.style,
            sensitive: self.field.sensitive,
            example: self.field.example,
            idempotency_token: self.idempotency_token,
            deprecated: self.deprecated,
            constraints: self.field.constraints,
            pattern: self.field.pattern,
        }
    }
}

fn build_fields(
    fields: &[ArbField],
    declared: &[String],
    scope: &Scope,
    params: Option<()>,
    codes: Option<&[String]>,
) -> Vec<Built> {
    let names = field_names(fields, declared);
    let mut seen = BTreeSet::new();
    let kept: Vec<&ArbField> = fields
        .iter()
        .filter(|f| seen.insert(mostly(FIELD_NAMES, 2, f.name)) || f.keep_duplicate)
        .collect();
    let codes: Vec<String> = match codes {
        Some(c) => c.to_vec(),
        None => {
            let mut c = scope.product_codes.clone();
            c.extend(["MissingParameter".into(), "InvalidParameter".into()]);
            c
        }
    };
    let mut token_taken = false;
    kept.iter()
        .zip(&names)
        .map(|(f, (name, ty))| {
            let class = scope.class(ty);
            let constraints = f
                .constraints
                .iter()
                .filter(|c| odd(c.kind) || takes_constraints(&class))
                .map(|c| build_constraint(c, &class, &names, scope, &codes))
                .collect();
            let example = f
                .example
                .as_ref()
                .filter(|e| e.sel % 4 == 0 || odd(e.sel))
                .map(|e| build_example(e, &class, scope));
            let style = if params.is_some() {
                choose_style(f.style, &class)
            } else {
                Style::Plain
            };
            let token = params.is_some()
                && f.idempotency_token
                && (ty == "string" || f.style % 16 == 15)
                && (!token_taken || f.style % 16 == 14);
            token_taken |= token;
            Built {
                name: name.clone(),
                ty: ty.clone(),
                field: Field {
                    name: name.clone(),
                    description: pick(TEXTS, f.description).into(),
                    ty: ty.clone(),
                    required: f.required,
                    sensitive: f.sensitive,
                    example,
                    constraints,
                    pattern: f
                        .pattern
                        .filter(|p| {
                            odd(*p)
                                || matches!(&class, Class::Str)
                                || matches!(&class, Class::List(i) if **i == Class::Str)
                        })
                        .map(|p| mostly(PATTERNS, 2, p).into()),
                    deprecated: f.deprecated && params.is_none(),
                },
                location: match f.location % 16 {
                    0..=8 => ParameterLocation::Query,
                    9..=13 => ParameterLocation::Body,
                    14 => ParameterLocation::Header,
                    _ => ParameterLocation::Path,
                },
                style,
                idempotency_token: token,
                deprecated: f.deprecated,
            }
        })
        .collect()
}

fn choose_style(sel: u8, class: &Class) -> Style {
    const ALL: [Style; 7] = [
        Style::Plain,
        Style::Json,
        Style::Flat,
        Style::RepeatList,
        Style::Simple,
        Style::SpaceDelimited,
        Style::PipeDelimited,
    ];
    if sel % 8 == 7 {
        return ALL[usize::from(sel / 8) % ALL.len()];
    }
    let fitting: &[Style] = match class {
        Class::Str | Class::Bool | Class::Int | Class::Float | Class::Enum => &[Style::Plain],
        Class::List(inner)
            if matches!(
                **inner,
                Class::Str | Class::Bool | Class::Int | Class::Float | Class::Enum
            ) =>
        {
            &ALL[1..]
        }
        _ => &[Style::Json, Style::Flat, Style::RepeatList],
    };
    fitting[usize::from(sel) % fitting.len()]
}

fn code_of(code: Option<u8>, codes: &[String]) -> Option<String> {
    let c = code?;
    if odd(c) || codes.is_empty() {
        Some(mostly(ERROR_CODES, 2, c).into())
    } else {
        Some(codes[usize::from(c) % codes.len()].clone())
    }
}

/// Whether some constraint applies to values of `class`.
fn takes_constraints(class: &Class) -> bool {
    match class {
        Class::List(_) => true,
        c => matches!(c, Class::Str | Class::Int | Class::Float),
    }
}

fn build_constraint(
    c: &ArbConstraint,
    class: &Class,
    siblings: &[(String, String)],
    scope: &Scope,
    codes: &[String],
) -> Constraint {
    let elem = match class {
        Class::List(e) => e.as_ref(),
        other => other,
    };
    // Indexes into the list of every constraint below.
    let fitting: Vec<u8> = match (class, elem) {
        (Class::List(_), Class::Str) => vec![0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        (Class::List(_), Class::Int | Class::Float) => vec![1, 12],
        (Class::List(_), Class::Object(_)) => vec![12, 13],
        (Class::List(_), _) => vec![12],
        (_, Class::Str) => vec![0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
        (_, Class::Int | Class::Float) => vec![1],
        _ => Vec::new(),
    };
    let which = if odd(c.kind) || fitting.is_empty() {
        c.kind % 14
    } else {
        fitting[usize::from(c.kind) % fitting.len()]
    };
    let error_code = code_of(c.code, codes);
    let (mut min, mut max) = (c.min.map(u64::from), c.max.map(u64::from));
    if let (Some(a), Some(b)) = (min, max) {
        if a > b && c.kind % 16 != 15 {
            (min, max) = (Some(b), Some(a));
        }
    }
    match which {
        0 => Constraint::Length {
            min,
            max,
            error_code,
        },
        1 => {
            let (lo, hi, float, exclusive_min, exclusive_max) = c.range;
            let (lo, hi) = match (lo, hi) {
                (Some(a), Some(b)) if a > b => (Some(b), Some(a)),
                other => other,
            };
            let num = |v: i16| {
                if float {
                    serde_json::Number::from_f64(f64::from(v) + 0.5)
                        .unwrap_or_else(|| serde_json::Number::from(v))
                } else {
                    serde_json::Number::from(v)
                }
            };
            Constraint::Range {
                min: lo.map(num),
                max: hi.map(num),
                exclusive_min,
                exclusive_max,
                error_code,
            }
        }
        2 => Constraint::ForbiddenPrefixes {
            prefixes: c.list.iter().map(|p| pick(PREFIXES, *p).into()).collect(),
            error_code,
        },
        3 => Constraint::Ascii { error_code },
        4 => Constraint::Charset {
            letters: c.letters,
            digits: c.digits,
            chars: pick(CHARSETS, c.text).into(),
            error_code,
        },
        5 => Constraint::NoWhitespace { error_code },
        6 => Constraint::Ipv4 { error_code },
        7 => Constraint::Cidr { error_code },
        8 => Constraint::CidrList { error_code },
        9 => Constraint::CidrWithin {
            block: mostly(CIDR_BLOCKS, 2, c.text).into(),
            prefix_len: c
                .prefix_len
                .map(|l| if odd(l) { l % 40 } else { 30 + l % 3 }),
            excluded: c
                .list
                .iter()
                .map(|b| mostly(CIDR_BLOCKS, 2, *b).into())
                .collect(),
            error_code,
        },
        10 => Constraint::AddressInSibling {
            sibling: if siblings.is_empty() || odd(c.text) {
                mostly(FIELD_NAMES, 2, c.text).into()
            } else {
                siblings[usize::from(c.text) % siblings.len()].0.clone()
            },
            error_code,
        },
        11 => Constraint::Asn { error_code },
        12 => Constraint::Items {
            min,
            max,
            error_code,
        },
        _ => {
            let inner = match elem {
                Class::Object(o) => scope.fields.get(o).cloned().unwrap_or_default(),
                _ => Vec::new(),
            };
            let field = if inner.is_empty() || odd(c.text) {
                mostly(FIELD_NAMES, 2, c.text).to_owned()
            } else {
                let (name, ty) = &inner[usize::from(c.text) % inner.len()];
                match (scope.class(ty), c.list.first()) {
                    (Class::Object(o), Some(k)) => match scope.fields.get(&o) {
                        Some(f) if !f.is_empty() => {
                            format!("{name}.{}", f[usize::from(*k) % f.len()].0)
                        }
                        _ => name.clone(),
                    },
                    _ => name.clone(),
                }
            };
            Constraint::UniqueItems { field, error_code }
        }
    }
}

fn build_example(e: &ArbExample, class: &Class, scope: &Scope) -> serde_json::Value {
    use serde_json::Value as V;
    if odd(e.sel) {
        return match e.sel / 8 % 5 {
            0 => V::Null,
            1 => V::Bool(e.number % 2 == 0),
            2 => V::from(e.number),
            3 => V::String(pick(TEXTS, e.text).into()),
            _ => serde_json::json!({ mostly(FIELD_NAMES, 2, e.text): e.number }),
        };
    }
    match class {
        Class::Str | Class::Any | Class::Broken => V::String(pick(TEXTS, e.text).into()),
        Class::Enum => V::String(pick(ENUM_VALUES, e.text).into()),
        Class::Bool => V::Bool(e.number % 2 == 0),
        Class::Int => V::from(e.number),
        Class::Float => serde_json::Number::from_f64(f64::from(e.number) / 4.0)
            .map(V::Number)
            .unwrap_or(V::Null),
        Class::List(inner) => {
            let item = ArbExample {
                sel: e.sel.wrapping_add(1) % 7,
                ..e.clone()
            };
            V::Array(
                (0..e.items % 3)
                    .map(|_| build_example(&item, inner, scope))
                    .collect(),
            )
        }
        Class::Map(inner) => {
            let item = ArbExample {
                sel: e.sel.wrapping_add(1) % 7,
                ..e.clone()
            };
            serde_json::json!({ "k": build_example(&item, inner, scope) })
        }
        Class::Object(o) => {
            let mut map = serde_json::Map::new();
            if let Some(fields) = scope.fields.get(o) {
                if let Some((name, ty)) = fields.get(usize::from(e.items) % (fields.len() + 1)) {
                    let inner = scope.class(ty);
                    if !matches!(inner, Class::Object(_) | Class::List(_) | Class::Map(_)) {
                        let item = ArbExample {
                            sel: 0,
                            ..e.clone()
                        };
                        map.insert(name.clone(), build_example(&item, &inner, scope));
                    }
                }
            }
            V::Object(map)
        }
    }
}

/// A rule path from `fields` (the scope where the rule is declared).
fn build_path(p: &ArbPath, fields: &[(String, String)], scope: &Scope) -> String {
    build_typed_path(p, fields, scope).0
}

/// A rule path, and the class of what it reaches.
fn build_typed_path(p: &ArbPath, fields: &[(String, String)], scope: &Scope) -> (String, Class) {
    if fields.is_empty() || odd(p.field) {
        return (mostly(FIELD_NAMES, 2, p.field).to_owned(), Class::Broken);
    }
    let (name, ty) = &fields[usize::from(p.field) % fields.len()];
    let mut path = name.clone();
    let mut class = scope.class(ty);
    if p.any {
        if let Class::List(inner) = class {
            path.push_str("[]");
            class = *inner;
        }
    }
    if let (Some(sub), Class::Object(o)) = (p.sub, &class) {
        if let Some(inner) = scope.fields.get(o) {
            if !inner.is_empty() {
                let (name, ty) = &inner[usize::from(sub) % inner.len()];
                path.push('.');
                path.push_str(name);
                class = scope.class(ty);
            }
        }
    }
    (path, class)
}

fn build_leaf(l: &ArbLeaf, fields: &[(String, String)], scope: &Scope) -> Condition {
    let (path, class) = build_typed_path(&l.path, fields, scope);
    match l.kind % 4 {
        0 => Condition::Present(path),
        1 => Condition::Absent(path),
        2 => {
            let kind = if odd(l.value) { l.value / 32 } else { 0 };
            let value = match (kind % 5, &class) {
                (0, Class::Bool) | (1, _) => serde_json::Value::Bool(l.value.is_multiple_of(2)),
                (0, Class::Int) | (2, _) => serde_json::Value::from(l.value),
                (0, Class::Float) | (3, _) => serde_json::json!(1.5),
                _ => serde_json::Value::String(pick(ENUM_VALUES, l.value).into()),
            };
            Condition::Equals(PathValue { path, value })
        }
        _ => Condition::ItemsMoreThan(PathCount {
            path,
            count: u64::from(l.count % 4),
        }),
    }
}

fn build_condition(c: &ArbCondition, fields: &[(String, String)], scope: &Scope) -> Condition {
    let children = || {
        c.children
            .iter()
            .map(|l| build_leaf(l, fields, scope))
            .collect()
    };
    match c.combine % 4 {
        1 => Condition::All(children()),
        2 => Condition::Any(children()),
        _ => build_leaf(&c.leaf, fields, scope),
    }
}

fn build_rule(
    r: &ArbRule,
    fields: &[(String, String)],
    scope: &Scope,
    codes: &[String],
) -> CrossRule {
    match r {
        ArbRule::ExclusiveGroups { groups, code } => CrossRule::ExclusiveGroups {
            groups: groups
                .iter()
                .chain(
                    [(0, vec![0]), (1, vec![1])]
                        .iter()
                        .take(if code.is_some_and(odd) {
                            0
                        } else {
                            2usize.saturating_sub(groups.len())
                        }),
                )
                .map(|(name, members)| FieldGroup {
                    name: pick(TEXTS, *name).into(),
                    fields: members
                        .iter()
                        .map(|m| {
                            if fields.is_empty() || odd(*m) {
                                mostly(FIELD_NAMES, 2, *m).to_owned()
                            } else {
                                fields[usize::from(*m) % fields.len()].0.clone()
                            }
                        })
                        .collect(),
                })
                .collect(),
            error_code: code_of(*code, codes),
            // Both bases, by the number of groups.
            basis: basis_of(groups.len() % 2 == 1),
        },
        ArbRule::RequiresIf {
            when,
            require,
            code,
        } => CrossRule::RequiresIf {
            when: build_condition(when, fields, scope),
            require: build_path(require, fields, scope),
            error_code: code_of(*code, codes),
            basis: basis_of(code.is_some_and(odd)),
        },
        ArbRule::Forbid {
            when,
            report_at,
            message,
            code,
        } => CrossRule::Forbid {
            when: build_condition(when, fields, scope),
            report_at: build_path(report_at, fields, scope),
            message: match pick(TEXTS, *message) {
                "" if message % 2 == 0 => "is not allowed here".into(),
                m => m.into(),
            },
            error_code: code_of(*code, codes),
            basis: basis_of(odd(*message)),
        },
    }
}

fn basis_of(inferred: bool) -> Basis {
    if inferred {
        Basis::Inferred
    } else {
        Basis::Stated
    }
}
