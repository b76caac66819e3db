//! The resolved model: every type resolved, every Rust name decided, ready for emission.
//! Emit code never decides names; this module does.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::diag::Diagnostics;
use crate::load::{Origin, ProductSpec};
use crate::names::{self, Name, Namespace};
pub use crate::spec::grammar::{parse_type, Scalar, TypeExpr};
use crate::spec::view::FieldView;
use crate::spec::{
    Constraint, CrossRule, ErrorCode, Location, Operation, ParameterLocation, Product,
    ScalarEncoding, Shape, Style, Waiter,
};

/// A resolved type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    /// A scalar; `as_string` when it travels as a JSON string.
    Scalar {
        /// Which scalar.
        kind: Scalar,
        /// Written as a JSON string (`"true"`, `"3"`).
        as_string: bool,
    },
    /// Free-form JSON.
    Any,
    /// A list.
    List(Box<Ty>),
    /// A map with string keys.
    Map(Box<Ty>),
    /// An object shape, by index into [`ProductModel::shapes`].
    Object(usize),
    /// An enum shape, by index into [`ProductModel::shapes`].
    Enum(usize),
}

impl Ty {
    /// The element type of a list (or the type itself).
    pub fn element(&self) -> &Ty {
        match self {
            Ty::List(t) => t,
            t => t,
        }
    }

    /// Whether it is a scalar or an enum (one wire value).
    pub fn is_single_value(&self) -> bool {
        matches!(self, Ty::Scalar { .. } | Ty::Enum(_))
    }
}

/// A field of an object, a request parameter or a response field.
#[derive(Clone, Debug)]
pub struct FieldModel {
    /// Wire name.
    pub wire: String,
    /// Rust field name (snake case).
    pub rust: Name,
    /// The builder's setter (`field(value)`); the field name unless a builder method has it.
    pub setter: Name,
    /// The builder's setter taking an `Option` (`set_field(Some(value))`).
    pub set_setter: Name,
    /// Resolved type.
    pub ty: Ty,
    /// Required.
    pub required: bool,
    /// Secret.
    pub sensitive: bool,
    /// Our description.
    pub description: String,
    /// Constraints.
    pub constraints: Vec<Constraint>,
    /// A regular expression the whole value (each item of a list) must match.
    pub pattern: Option<String>,
    /// Example.
    pub example: Option<serde_json::Value>,
    /// Location (parameters only).
    pub location: Location,
    /// Wire style (parameters only).
    pub style: Style,
    /// Idempotency token (parameters only).
    pub idempotency_token: bool,
    /// Deprecated.
    pub deprecated: bool,
}

/// An enum variant.
#[derive(Clone, Debug)]
pub struct VariantModel {
    /// Wire value.
    pub value: String,
    /// Rust variant name.
    pub rust: Name,
    /// Our description.
    pub description: String,
}

/// What a shape is.
#[derive(Clone, Debug)]
pub enum ShapeKind {
    /// A struct.
    Object {
        /// Fields in wire order.
        fields: Vec<FieldModel>,
        /// Rules over several fields.
        rules: Vec<CrossRule>,
    },
    /// An enum.
    Enum {
        /// Known values.
        variants: Vec<VariantModel>,
    },
}

/// A named shape, ready to emit.
#[derive(Clone, Debug)]
pub struct ShapeModel {
    /// Spec name.
    pub name: String,
    /// Rust type name.
    pub rust: Name,
    /// Its builder's type name (request-side objects).
    pub builder: Name,
    /// The module it goes to: `types` (`None`), or the module of this operation (an index
    /// into [`ProductModel::operations`]).
    pub home: Option<usize>,
    /// Our description.
    pub description: String,
    /// Where it was declared.
    pub origin: Origin,
    /// Struct or enum.
    pub kind: ShapeKind,
    /// Reachable from a request (needs builders, validation, encoding).
    pub request_side: bool,
    /// Reachable from a response (needs decoding).
    pub response_side: bool,
    /// Reachable from a `json`-style parameter: its JSON object takes keys the spec does not
    /// declare yet (an `extra` map), so new keys Alibaba adds can be sent before the spec has
    /// them.
    pub json_side: bool,
}

/// A documented error code (all statuses it comes with merged).
#[derive(Clone, Debug)]
pub struct ErrorModel {
    /// The code.
    pub code: String,
    /// The variant name.
    pub rust: Name,
    /// Each documented (status, message, description).
    pub entries: Vec<ErrorCode>,
    /// Whether a retry can help, when a spec states it for any of the entries (`true` wins
    /// over `false`); `None`: unknown, the runtime follows the status.
    pub retryable: Option<bool>,
}

/// An operation, ready to emit.
#[derive(Clone, Debug)]
pub struct OperationModel {
    /// The spec.
    pub spec: Operation,
    /// Module name (snake case).
    pub module: Name,
    /// The client method that starts a call (the module name unless the client has it).
    pub method: Name,
    /// The request type.
    pub request_type: Name,
    /// The request builder type.
    pub builder_type: Name,
    /// The response type.
    pub response_type: Name,
    /// The error type.
    pub error_type: Name,
    /// For an asynchronous operation whose poll operation exists: the client method that
    /// polls its work (`wait_for_…`).
    pub poll_method: Option<Name>,
    /// Request parameters.
    pub params: Vec<FieldModel>,
    /// Response fields.
    pub response: Vec<FieldModel>,
    /// Error codes, one per distinct code, in first-documented order.
    pub errors: Vec<ErrorModel>,
    /// Where it was declared.
    pub origin: Origin,
    /// Status waiters.
    pub waiters: Vec<WaiterModel>,
    /// How the operation pages its results, if it does.
    pub paging: Option<Paging>,
    /// The cargo feature that compiles the operation (from its group), if any.
    pub feature: Option<String>,
}

/// A status waiter of an operation.
#[derive(Clone, Debug)]
pub struct WaiterModel {
    /// The spec.
    pub spec: Waiter,
    /// The index of the status field in the operation's `response`.
    pub status: usize,
    /// The waiter type.
    pub rust: Name,
    /// The client method returning it (`wait_until_…`).
    pub method: Name,
}

/// The cargo feature name of an API group: lower case, words joined by `-`
/// (`SSL-VPN server` → `ssl-vpn-server`). Names the generated crate uses itself get `-api`.
pub fn feature_name(group: &str) -> String {
    let mut out = String::new();
    for c in group.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "group-");
    }
    if ["default", "full", "hyper", "reqwest", "decode"].contains(&out.as_str()) {
        out.push_str("-api");
    }
    out
}

/// How a list operation pages its results. Indexes point into the operation's parameters
/// (`params`) and response fields (`response`, or the fields of the `page` object). Names match
/// in any case, with or without `_` (`PageNumber`, `page_number`, `pageNumber`): ROA products
/// spell them in snake or camel case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Paging {
    /// `PageNumber`/`PageSize` in, `TotalCount` out.
    Number {
        /// The `PageNumber` parameter.
        page_number: usize,
        /// The `PageSize` parameter.
        page_size: Option<usize>,
        /// The response's object field holding `TotalCount` (and the page number and size) when
        /// they are not at the top (ROA's `page_info`); `total` and `resp_page_*` then index
        /// its fields.
        page: Option<usize>,
        /// The response's `TotalCount`.
        total: usize,
        /// The response's `PageNumber`.
        resp_page_number: Option<usize>,
        /// The response's `PageSize`.
        resp_page_size: Option<usize>,
        /// The path (field indexes from the response root) of the list of items.
        items: Option<Vec<usize>>,
    },
    /// `NextToken` (and `MaxResults`) in, `NextToken` out.
    Token {
        /// The `NextToken` parameter.
        token: usize,
        /// The response's `NextToken`.
        resp_token: usize,
        /// The path of the list of items.
        items: Option<Vec<usize>>,
    },
}

fn is_int(ty: &Ty) -> bool {
    matches!(
        ty,
        Ty::Scalar {
            kind: Scalar::Int32 | Scalar::Int64,
            ..
        }
    )
}

fn is_string(ty: &Ty) -> bool {
    matches!(
        ty,
        Ty::Scalar {
            kind: Scalar::String,
            ..
        }
    )
}

/// The field path of the response's one list of objects: at the top, or inside wrapper objects
/// (`VpnGateways.VpnGateway`), at most three levels down. `None` when there is not exactly one.
fn items_path(shapes: &[ShapeModel], fields: &[FieldModel], depth: usize) -> Option<Vec<usize>> {
    let mut found: Vec<Vec<usize>> = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        match &f.ty {
            Ty::List(inner) if matches!(inner.as_ref(), Ty::Object(_)) => found.push(vec![i]),
            Ty::Object(s) if depth < 3 => {
                if let ShapeKind::Object { fields: inner, .. } = &shapes[*s].kind {
                    if let Some(mut p) = items_path(shapes, inner, depth + 1) {
                        p.insert(0, i);
                        found.push(p);
                    }
                }
            }
            _ => {}
        }
    }
    if found.len() == 1 {
        found.pop()
    } else {
        None
    }
}

fn paging(shapes: &[ShapeModel], params: &[FieldModel], response: &[FieldModel]) -> Option<Paging> {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_')
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let find = |fs: &[FieldModel], n: &str| fs.iter().position(|f| norm(&f.wire) == n);
    let param = |n: &str| find(params, n);
    let items = || items_path(shapes, response, 0);
    // The paging fields: at the top, or in one object field (`page_info`, `page`).
    let page_fields = |i: usize| match &response[i].ty {
        Ty::Object(s) => match &shapes[*s].kind {
            ShapeKind::Object { fields, .. } => Some(fields.as_slice()),
            ShapeKind::Enum { .. } => None,
        },
        _ => None,
    };
    let located = find(response, "totalcount")
        .map(|t| (None, response, t))
        .or_else(|| {
            (0..response.len()).find_map(|i| {
                let fs = page_fields(i)?;
                find(fs, "totalcount").map(|t| (Some(i), fs, t))
            })
        });
    if let (Some(pn), Some((page, fs, total))) = (param("pagenumber"), located) {
        if is_int(&params[pn].ty) && is_int(&fs[total].ty) {
            let int_or_none =
                |i: Option<usize>, fs: &[FieldModel]| i.filter(|i| is_int(&fs[*i].ty));
            return Some(Paging::Number {
                page_number: pn,
                page_size: int_or_none(param("pagesize"), params),
                page,
                total,
                resp_page_number: int_or_none(find(fs, "pagenumber"), fs),
                resp_page_size: int_or_none(find(fs, "pagesize"), fs),
                items: items(),
            });
        }
    }
    if let (Some(t), Some(rt)) = (param("nexttoken"), find(response, "nexttoken")) {
        if is_string(&params[t].ty) && is_string(&response[rt].ty) {
            return Some(Paging::Token {
                token: t,
                resp_token: rt,
                items: items(),
            });
        }
    }
    None
}

/// A whole product, ready to emit.
#[derive(Clone, Debug)]
pub struct ProductModel {
    /// The spec folder.
    pub folder: String,
    /// The product.
    pub product: Product,
    /// Shapes (objects and enums), sorted by name.
    pub shapes: Vec<ShapeModel>,
    /// Operations, sorted by name.
    pub operations: Vec<OperationModel>,
    /// Every error code of the product, sorted byte-wise.
    pub error_codes: Vec<ProductErrorCode>,
    /// The `(region id, host)` pairs of the product's map whose host the pattern does not
    /// give, sorted byte-wise by region id: what the generated crate carries (see
    /// [`endpoint_map`]).
    pub endpoint_map: Vec<(String, String)>,
}

impl ProductModel {
    /// For each shape, the features of the operations that use it (directly or through other
    /// shapes), or `None` when it is always compiled: some operation without a feature uses
    /// it, or none uses it. A shared shape in `types` is compiled only with one of its
    /// features, so a crate built with a few API groups does not compile every shape.
    pub fn shape_features(&self) -> Vec<Option<BTreeSet<String>>> {
        // `None` in `users`: always; `Some(set)`: only with these features.
        let mut users: Vec<Option<BTreeSet<String>>> =
            vec![Some(BTreeSet::new()); self.shapes.len()];
        let mut stack: Vec<&Ty> = Vec::new();
        for op in &self.operations {
            let mut seen = vec![false; self.shapes.len()];
            stack.extend(op.params.iter().chain(&op.response).map(|f| &f.ty));
            while let Some(ty) = stack.pop() {
                match ty {
                    Ty::List(t) | Ty::Map(t) => stack.push(t),
                    Ty::Object(i) | Ty::Enum(i) if !seen[*i] => {
                        seen[*i] = true;
                        match (&mut users[*i], &op.feature) {
                            (Some(set), Some(f)) => {
                                set.insert(f.clone());
                            }
                            (slot, _) => *slot = None,
                        }
                        if let ShapeKind::Object { fields, .. } = &self.shapes[*i].kind {
                            stack.extend(fields.iter().map(|f| &f.ty));
                        }
                    }
                    _ => {}
                }
            }
        }
        users
            .into_iter()
            .map(|u| u.filter(|set| !set.is_empty()))
            .collect()
    }

    /// For each error code (as `error_codes`), the features of the operations documenting it,
    /// or `None` when it is always compiled (some operation without a feature documents it).
    /// A code only some API groups document is a variant compiled with one of their features,
    /// so a crate built with a few groups does not compile every group's codes.
    pub fn error_code_features(&self) -> Vec<Option<BTreeSet<String>>> {
        self.error_codes
            .iter()
            .map(|c| {
                c.operations
                    .iter()
                    .map(|&i| self.operations[i].feature.clone())
                    .collect::<Option<BTreeSet<String>>>()
                    .filter(|set| !set.is_empty())
            })
            .collect()
    }

    /// The name of the module a shape is defined in: `types`, or its operation's module.
    pub fn module_of(&self, shape: &ShapeModel) -> &str {
        shape
            .home
            .map_or("types", |op| self.operations[op].module.as_str())
    }
}

/// One error code of the product: a variant of the generated `ErrorCode` enum.
#[derive(Clone, Debug)]
pub struct ProductErrorCode {
    /// The code as the service writes it.
    pub code: String,
    /// The variant name.
    pub rust: Name,
    /// Indexes (into `operations`) of the operations documenting it, in order.
    pub operations: Vec<usize>,
}

struct Resolver<'a> {
    spec: &'a ProductSpec,
    index: BTreeMap<&'a str, usize>,
}

impl Resolver<'_> {
    fn resolve(&self, expr: &TypeExpr) -> Result<Ty, String> {
        Ok(match expr {
            TypeExpr::Scalar(kind) => Ty::Scalar {
                kind: *kind,
                as_string: false,
            },
            TypeExpr::Any => Ty::Any,
            TypeExpr::List(t) => Ty::List(Box::new(self.resolve(t)?)),
            TypeExpr::Map(t) => Ty::Map(Box::new(self.resolve(t)?)),
            TypeExpr::Named(n) => match self.spec.shapes.get(n) {
                None => {
                    let known: Vec<&str> = self.spec.shapes.keys().map(String::as_str).collect();
                    return Err(format!(
                        "type `{n}` is not a declared shape (declared: {})",
                        if known.is_empty() { "none".to_owned() } else { known.join(", ") }
                    ));
                }
                Some((Shape::Scalar { ty, encoding, .. }, _)) => match Scalar::parse(ty) {
                    Some(kind) if kind != Scalar::String => Ty::Scalar {
                        kind,
                        as_string: matches!(encoding, ScalarEncoding::String),
                    },
                    _ => {
                        return Err(format!(
                            "scalar shape `{n}` has type `{ty}`; it must be boolean, int32, int64, float or double"
                        ))
                    }
                },
                Some((Shape::Object { .. }, _)) => Ty::Object(self.index[n.as_str()]),
                Some((Shape::Enum { .. }, _)) => Ty::Enum(self.index[n.as_str()]),
            },
        })
    }
}

/// Methods the generated `Client` defines itself, or that its traits give it (`clone` is
/// called on the client by every operation method), which no operation may take.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "from_env",
    "from_config",
    "core",
    "raw",
    "clone",
    "clone_from",
    "to_owned",
    "fmt",
];

/// Methods every generated builder defines, which no field's setter may take.
const BUILDER_METHODS: &[&str] = &[
    "build",
    "builder",
    "check_required",
    "into_paginator",
    "peek",
    "send",
    "send_with_metadata",
    "skip_validation",
    "validate",
    "with_client",
    "with_options",
];

/// Where a shape's type is defined: in the module of the operation an overlay declared it
/// for, or of the one operation whose file declares it; otherwise in `types` (`None`).
fn home_of(origin: &Origin, homes: &Homes) -> Option<usize> {
    if let Some(i) = origin
        .owner
        .as_ref()
        .and_then(|op| homes.by_name.get(op.as_str()))
    {
        return Some(*i);
    }
    match homes.by_file.get(origin.file.as_str()) {
        Some(&(i, 1)) => Some(i),
        _ => None,
    }
}

/// The operations by name (the first of a name) and by file (the first there, and how many
/// are there), so that placing every shape is linear in shapes and operations, not their
/// product.
struct Homes<'a> {
    by_name: HashMap<&'a str, usize>,
    by_file: HashMap<&'a str, (usize, usize)>,
}

impl<'a> Homes<'a> {
    fn new(ops: &'a [(Operation, Origin)]) -> Homes<'a> {
        let mut by_name = HashMap::new();
        let mut by_file: HashMap<&str, (usize, usize)> = HashMap::new();
        for (i, (op, origin)) in ops.iter().enumerate() {
            by_name.entry(op.name.as_str()).or_insert(i);
            by_file.entry(origin.file.as_str()).or_insert((i, 0)).1 += 1;
        }
        Homes { by_name, by_file }
    }
}

/// The module name of each operation: its snake-case name, numbered when an earlier
/// operation already has it. Actions that differ only in case (`DescribeVPCs`,
/// `DescribeVpcs`) would otherwise write one file twice.
fn operation_modules(ops: &[(Operation, Origin)], diags: &mut Diagnostics) -> Vec<Name> {
    let mut ns = Namespace::default();
    ops.iter()
        .map(|(op, origin)| {
            let wanted = Name::snake(&op.name);
            let (name, renamed) = ns.claim(wanted.clone(), &[]);
            if renamed {
                diags.warning(
                    &origin.file,
                    format!("{}.name", origin.path),
                    format!(
                        "operation `{}` gets the same module name as an earlier operation (`{wanted}`); its module and client method are `{name}`",
                        op.name
                    ),
                    "nothing to do unless you prefer another name; the action sent is unchanged",
                );
            }
            name
        })
        .collect()
}

/// Names the types an operation's module defines (request, builder, response, error,
/// waiters) and its client methods, claiming them in the module's and the client's
/// namespaces.
struct OperationNames {
    method: Name,
    request: Name,
    builder: Name,
    response: Name,
    error: Name,
    waiters: Vec<(Name, Name)>,
    poll_method: Option<Name>,
}

fn operation_names(
    op: &Operation,
    origin: &Origin,
    module: &Name,
    types: &mut Namespace,
    client: &mut Namespace,
    diags: &mut Diagnostics,
) -> OperationNames {
    let stem = Name::camel(&op.name);
    let mut ty = |suffix: &str| types.claim(stem.suffixed(suffix), &[]).0;
    let [request, builder, response, error] = names::OPERATION_TYPE_SUFFIXES.map(&mut ty);
    let mut method = |wanted: Name, alternatives: &[Name], path: String, what: &str| {
        let (name, renamed) = client.claim(wanted.clone(), alternatives);
        if renamed {
            diags.warning(
                &origin.file,
                path,
                format!("{what} would be the client method `{wanted}`, which the client already has; it is `{name}`"),
                "nothing to do unless you prefer another name; the action sent is unchanged",
            );
        }
        name
    };
    let call = method(
        module.clone(),
        &[module.suffixed("_action")],
        format!("{}.name", origin.path),
        &format!("operation `{}`", op.name),
    );
    let waiters = op
        .waiters
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let m = method(
                Name::snake(&w.name).prefixed("wait_until_"),
                &[],
                format!("{}.waiters[{i}].name", origin.path),
                &format!("waiter `{}`", w.name),
            );
            (
                types.claim(Name::camel(&w.name).suffixed("Waiter"), &[]).0,
                m,
            )
        })
        .collect();
    let poll_method = op.asynchronous.as_ref().map(|_| {
        method(
            module.prefixed("wait_for_"),
            &[],
            format!("{}.asynchronous", origin.path),
            &format!("the wait for `{}`'s work", op.name),
        )
    });
    OperationNames {
        method: call,
        request,
        builder,
        response,
        error,
        waiters,
        poll_method,
    }
}

/// Builds the model of one product. Type errors and name collisions become diagnostics.
pub fn build(spec: &ProductSpec, diags: &mut Diagnostics) -> Option<ProductModel> {
    let errors_before = diags
        .0
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .count();
    // Scalar shapes are folded into field types; objects and enums become Rust types.
    let emitted: Vec<&String> = spec
        .shapes
        .iter()
        .filter(|(_, (s, _))| !matches!(s, Shape::Scalar { .. }))
        .map(|(n, _)| n)
        .collect();
    let index: BTreeMap<&str, usize> = emitted
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let resolver = Resolver { spec, index };
    let modules = operation_modules(&spec.operations, diags);

    // The type namespace of `types` (index 0) and of each operation module (1 + index).
    let mut type_spaces = vec![Namespace::default(); spec.operations.len() + 1];
    let mut client = Namespace::with_reserved(CLIENT_METHODS);
    let op_names: Vec<OperationNames> = spec
        .operations
        .iter()
        .zip(&modules)
        .enumerate()
        .map(|(i, ((op, origin), module))| {
            operation_names(
                op,
                origin,
                module,
                &mut type_spaces[i + 1],
                &mut client,
                diags,
            )
        })
        .collect();

    let mut shapes = Vec::new();
    let homes = Homes::new(&spec.operations);
    for name in &emitted {
        let (shape, origin) = &spec.shapes[name.as_str()];
        let home = home_of(origin, &homes);
        let (description, kind) = match shape {
            Shape::Object {
                description,
                fields,
                rules,
            } => {
                let fields = fields_model(
                    &resolver,
                    fields.iter().map(FieldView::of_field),
                    &origin.file,
                    &format!("{}.fields", origin.path),
                    diags,
                );
                (
                    description.clone(),
                    ShapeKind::Object {
                        fields,
                        rules: rules.clone(),
                    },
                )
            }
            Shape::Enum {
                description,
                values,
            } => {
                let mut ns = Namespace::with_reserved(&["Unknown"]);
                let variants = values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let wanted = v
                            .rust_name
                            .as_deref()
                            .map_or_else(|| Name::camel(&v.value), Name::new);
                        let (rust, renamed) = ns.claim(wanted.clone(), &[wanted.suffixed("Value")]);
                        if renamed {
                            diags.warning(
                                &origin.file,
                                format!("{}.values[{i}]", origin.path),
                                format!(
                                    "enum value `{}` would be the variant `{wanted}`, which the enum already has; it is named `{rust}`",
                                    v.value
                                ),
                                "set `rust_name` on the value to choose the name",
                            );
                        }
                        VariantModel {
                            value: v.value.clone(),
                            rust,
                            description: v.description.clone(),
                        }
                    })
                    .collect();
                (description.clone(), ShapeKind::Enum { variants })
            }
            Shape::Scalar { .. } => continue,
        };
        let space = &mut type_spaces[home.map_or(0, |i| i + 1)];
        let wanted = Name::camel(name);
        let (rust, renamed) = space.claim(wanted.clone(), &[]);
        if renamed {
            diags.warning(
                &origin.file,
                origin.path.clone(),
                format!("shape `{name}` would be the type `{wanted}`, which its module already defines; it is `{rust}`"),
                "rename the shape if you prefer another name; the wire is unchanged",
            );
        }
        shapes.push(ShapeModel {
            name: (*name).clone(),
            builder: rust.suffixed("Builder"),
            rust,
            home,
            description,
            origin: origin.clone(),
            kind,
            request_side: false,
            response_side: false,
            json_side: false,
        });
    }
    // Builders after every shape, so that a shape keeps its own name before a builder takes it.
    for s in &mut shapes {
        if matches!(s.kind, ShapeKind::Object { .. }) {
            s.builder = type_spaces[s.home.map_or(0, |i| i + 1)]
                .claim(s.builder.clone(), &[])
                .0;
        }
    }

    let mut operations = Vec::new();
    for (((op, origin), module), names) in spec.operations.iter().zip(modules).zip(op_names) {
        let params = fields_model(
            &resolver,
            op.parameters.iter().map(FieldView::of_param),
            &origin.file,
            &format!("{}.parameters", origin.path),
            diags,
        );
        // A body that is not an object (a ROA array, say) is one field, `body`, holding it.
        let whole_body: Vec<crate::spec::Field> = op
            .response_body
            .iter()
            .map(|ty| crate::spec::Field {
                name: "body".to_owned(),
                description: "The whole response body.".to_owned(),
                ty: ty.clone(),
                required: false,
                sensitive: false,
                example: None,
                constraints: Vec::new(),
                pattern: None,
                deprecated: false,
            })
            .collect();
        let response = fields_model(
            &resolver,
            op.response
                .iter()
                .chain(&whole_body)
                .map(FieldView::of_field),
            &origin.file,
            &format!("{}.response", origin.path),
            diags,
        );
        let mut errors: Vec<ErrorModel> = Vec::new();
        for e in &op.errors {
            match errors.iter_mut().find(|m| m.code == e.code) {
                Some(m) => {
                    m.entries.push(e.clone());
                    m.retryable = match (m.retryable, e.retryable) {
                        (Some(true), _) | (_, Some(true)) => Some(true),
                        (a, b) => a.or(b),
                    };
                }
                None => errors.push(ErrorModel {
                    code: e.code.clone(),
                    // The product's name for it, given once every operation is known.
                    rust: Name::camel(&e.code),
                    entries: vec![e.clone()],
                    retryable: e.retryable,
                }),
            }
        }
        let mut waiters = Vec::new();
        for (i, (w, (rust, method))) in op.waiters.iter().zip(names.waiters).enumerate() {
            match response.iter().position(|f| f.wire == w.status_field) {
                Some(status) => waiters.push(WaiterModel {
                    spec: w.clone(),
                    status,
                    rust,
                    method,
                }),
                None => diags.error(
                    &origin.file,
                    format!("{}.waiters[{i}].status_field", origin.path),
                    format!("the response has no field `{}`", w.status_field),
                    "name a field of this operation's `response`",
                ),
            }
        }
        // A poll method needs the operation it polls.
        let poll_method = names.poll_method.filter(|_| {
            op.asynchronous.as_ref().is_some_and(|a| {
                spec.operations
                    .iter()
                    .any(|(o, _)| o.name == a.poll_operation)
            })
        });
        let paging = paging(&shapes, &params, &response);
        operations.push(OperationModel {
            paging,
            feature: op.group.as_deref().map(feature_name),
            spec: op.clone(),
            module,
            method: names.method,
            request_type: names.request,
            builder_type: names.builder,
            response_type: names.response,
            error_type: names.error,
            poll_method,
            params,
            response,
            errors,
            origin: origin.clone(),
            waiters,
        });
    }

    // Mark shapes reachable from requests, and from responses.
    for request in [true, false] {
        let mut stack: Vec<usize> = Vec::new();
        for op in &operations {
            for f in if request { &op.params } else { &op.response } {
                collect_shapes(&f.ty, &mut stack);
            }
        }
        let mut seen = BTreeSet::new();
        while let Some(i) = stack.pop() {
            if !seen.insert(i) {
                continue;
            }
            if request {
                shapes[i].request_side = true;
            } else {
                shapes[i].response_side = true;
            }
            if let ShapeKind::Object { fields, .. } = &shapes[i].kind {
                for f in fields {
                    collect_shapes(&f.ty, &mut stack);
                }
            }
        }
    }

    // Mark shapes inside the JSON of `json`-style parameters.
    let mut stack: Vec<usize> = Vec::new();
    for op in &operations {
        for f in op.params.iter().filter(|f| f.style == Style::Json) {
            collect_shapes(&f.ty, &mut stack);
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(i) = stack.pop() {
        if !seen.insert(i) {
            continue;
        }
        shapes[i].json_side = true;
        if let ShapeKind::Object { fields, .. } = &shapes[i].kind {
            for f in fields {
                collect_shapes(&f.ty, &mut stack);
            }
        }
    }

    let errors_after = diags
        .0
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .count();
    if errors_after > errors_before {
        return None;
    }
    let error_codes = error_codes(&mut operations, diags);
    Some(ProductModel {
        folder: spec.folder.clone(),
        endpoint_map: endpoint_map(&spec.product.endpoint),
        product: spec.product.clone(),
        shapes,
        operations,
        error_codes,
    })
}

/// The entries of the product's map of regions whose host differs from what the pattern makes
/// of the region, sorted by region id. The others are left out: the pattern gives them (so
/// the crate is smaller), and, as in the official SDKs, a host from the pattern follows the
/// client's network choice (`vpc-vpc.<region>.aliyuncs.com`) while a listed host is used as
/// listed.
pub fn endpoint_map(endpoint: &crate::spec::Endpoint) -> Vec<(String, String)> {
    let mut map: Vec<(String, String)> = endpoint
        .regions
        .iter()
        .flatten()
        .filter(|r| endpoint.pattern.replace("{region_id}", &r.region_id) != r.host)
        .map(|r| (r.region_id.clone(), r.host.clone()))
        .collect();
    map.sort();
    map.dedup_by(|a, b| a.0 == b.0);
    map
}

/// The product's error codes, sorted byte-wise (the order of the generated `ErrorCode` enum
/// and of its lookup table), each named once for the whole product from its spelling (see
/// [`names::error_code_names`]); every operation's errors take those names. A code spelled
/// out because it collides with another is a note at the first operation documenting it.
fn error_codes(
    operations: &mut [OperationModel],
    diags: &mut Diagnostics,
) -> Vec<ProductErrorCode> {
    let mut by_code: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, op) in operations.iter().enumerate() {
        for e in &op.errors {
            by_code.entry(e.code.clone()).or_default().push(i);
        }
    }
    let codes: Vec<&str> = by_code.keys().map(String::as_str).collect();
    let names = names::error_code_names(&codes);
    for (code, (name, spelled)) in &names {
        if *spelled {
            let op = &operations[by_code[*code][0]];
            diags.note(
                &op.origin.file,
                format!("{}.errors", op.origin.path),
                format!(
                    "error code `{code}` collides with another code of the product after case conversion (`{}`); its variant keeps its spelling: `ErrorCode::{name}`",
                    Name::camel(code)
                ),
                "nothing to do; the wire code is unchanged",
            );
        }
    }
    for op in operations.iter_mut() {
        for e in &mut op.errors {
            e.rust = names[e.code.as_str()].0.clone();
        }
    }
    by_code
        .iter()
        .map(|(code, ops)| ProductErrorCode {
            code: code.clone(),
            rust: names[code.as_str()].0.clone(),
            operations: ops.clone(),
        })
        .collect()
}

fn collect_shapes(ty: &Ty, out: &mut Vec<usize>) {
    match ty {
        Ty::Object(i) | Ty::Enum(i) => out.push(*i),
        Ty::List(t) | Ty::Map(t) => collect_shapes(t, out),
        _ => {}
    }
}

fn fields_model<'a>(
    resolver: &Resolver<'_>,
    fields: impl Iterator<Item = FieldView<'a>>,
    file: &str,
    base: &str,
    diags: &mut Diagnostics,
) -> Vec<FieldModel> {
    let mut out = Vec::new();
    let mut wire_seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, f) in fields.enumerate() {
        if let Some(first) = wire_seen.insert(f.name.to_owned(), i) {
            diags.error(
                file,
                format!("{base}[{i}].name"),
                format!("`{}` is declared twice (first at {base}[{first}])", f.name),
                "delete the duplicate or give it its own wire name",
            );
            continue;
        }
        if f.name.trim().is_empty() {
            diags.error(
                file,
                format!("{base}[{i}].name"),
                "the name is empty",
                "give the field its wire name",
            );
            continue;
        }
        // Fields travel where their parameter would: in the query.
        let place = f.location.unwrap_or(ParameterLocation::Query);
        let Some(location) = place.sendable() else {
            diags.error(
                file,
                format!("{base}[{i}].location"),
                format!(
                    "`{}` travels in the {}, which the generated client cannot send",
                    f.name,
                    place.as_str()
                ),
                "remove it with an overlay (`remove_parameters`), or move it to query or body",
            );
            continue;
        };
        let ty = match parse_type(f.ty).and_then(|e| resolver.resolve(&e)) {
            Ok(t) => t,
            Err(msg) => {
                diags.error(
                    file,
                    format!("{base}[{i}].type"),
                    msg,
                    "declare the shape under `shapes`, or fix the type's spelling",
                );
                continue;
            }
        };
        out.push(FieldModel {
            wire: f.name.to_owned(),
            rust: Name::snake(f.name),
            // Decided below, once every field's name is.
            setter: Name::snake(f.name),
            set_setter: Name::snake(f.name),
            ty,
            required: f.required,
            sensitive: f.sensitive,
            description: f.description.to_owned(),
            constraints: f.constraints.to_vec(),
            pattern: f.pattern.map(str::to_owned),
            example: f.example.cloned(),
            location,
            style: f.style.unwrap_or(Style::Plain),
            idempotency_token: f.idempotency_token,
            deprecated: f.deprecated,
        });
    }
    let mut fields_ns = Namespace::default();
    for f in &mut out {
        let wanted = f.rust.clone();
        let (rust, renamed) = fields_ns.claim(wanted, &[]);
        if renamed {
            diags.warning(
                file,
                base.to_owned(),
                format!(
                    "`{}` gets the same Rust name as an earlier field after case conversion; it is named `{rust}`",
                    f.wire
                ),
                "nothing to do: the wire name is unchanged",
            );
        }
        f.rust = rust;
    }
    // Setters share the builder's namespace with its own methods (`build`, `send`, …).
    let mut setters = Namespace::with_reserved(BUILDER_METHODS);
    for f in &mut out {
        f.setter = setters
            .claim(f.rust.clone(), &[f.rust.suffixed("_value")])
            .0;
    }
    for f in &mut out {
        f.set_setter = setters.claim(f.setter.prefixed("set_"), &[]).0;
    }
    out
}
