//! The resolved model: every type resolved, every Rust name decided, ready for emission.
//! Emit code never decides names; this module does.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Diagnostics;
use crate::load::{Origin, ProductSpec};
use crate::names;
use crate::spec::{
    Constraint, CrossRule, ErrorCode, Field, Location, Operation, Parameter, ParameterLocation,
    Product, ScalarEncoding, Shape, Style, Waiter,
};

/// A scalar type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scalar {
    /// Text.
    String,
    /// `true`/`false`.
    Boolean,
    /// 32-bit integer.
    Int32,
    /// 64-bit integer.
    Int64,
    /// 32-bit float (held as `f64`).
    Float,
    /// 64-bit float.
    Double,
}

impl Scalar {
    fn parse(s: &str) -> Option<Scalar> {
        Some(match s {
            "string" => Scalar::String,
            "boolean" => Scalar::Boolean,
            "int32" => Scalar::Int32,
            "int64" => Scalar::Int64,
            "float" => Scalar::Float,
            "double" => Scalar::Double,
            _ => return None,
        })
    }

    /// Whether it is a number.
    pub fn is_number(self) -> bool {
        matches!(
            self,
            Scalar::Int32 | Scalar::Int64 | Scalar::Float | Scalar::Double
        )
    }

    /// Whether it is an integer.
    pub fn is_integer(self) -> bool {
        matches!(self, Scalar::Int32 | Scalar::Int64)
    }
}

/// A type expression as written in the spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeExpr {
    /// A scalar.
    Scalar(Scalar),
    /// Free-form JSON.
    Any,
    /// A list.
    List(Box<TypeExpr>),
    /// A map with string keys.
    Map(Box<TypeExpr>),
    /// A shape, by name.
    Named(String),
}

/// Parses `string`, `list<T>`, `map<T>`, `any` or a shape name.
pub fn parse_type(s: &str) -> Result<TypeExpr, String> {
    let t = s.trim();
    if t != s {
        return Err(format!("type `{s}` has surrounding blanks"));
    }
    if let Some(sc) = Scalar::parse(t) {
        return Ok(TypeExpr::Scalar(sc));
    }
    if t == "any" {
        return Ok(TypeExpr::Any);
    }
    for (prefix, list) in [("list<", true), ("map<", false)] {
        if let Some(rest) = t.strip_prefix(prefix) {
            let inner = rest
                .strip_suffix('>')
                .ok_or_else(|| format!("type `{s}` lacks its closing `>`"))?;
            let inner = Box::new(parse_type(inner)?);
            return Ok(if list {
                TypeExpr::List(inner)
            } else {
                TypeExpr::Map(inner)
            });
        }
    }
    if !t.is_empty()
        && t.starts_with(|c: char| c.is_ascii_uppercase())
        && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Ok(TypeExpr::Named(t.to_owned()));
    }
    Err(format!(
        "`{s}` is not a type: use string, boolean, int32, int64, float, double, any, list<T>, map<T> or the UpperCamelCase name of a shape"
    ))
}

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
    /// Rust field name (snake case, escaped).
    pub rust: String,
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
    pub rust: String,
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
    pub rust: String,
    /// The module it goes to: `types`, or an operation module name.
    pub module: String,
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
}

/// A documented error code (all statuses it comes with merged).
#[derive(Clone, Debug)]
pub struct ErrorModel {
    /// The code.
    pub code: String,
    /// The variant name.
    pub rust: String,
    /// Each documented (status, message, description).
    pub entries: Vec<ErrorCode>,
    /// Retryable.
    pub retryable: bool,
}

/// An operation, ready to emit.
#[derive(Clone, Debug)]
pub struct OperationModel {
    /// The spec.
    pub spec: Operation,
    /// Module name (snake case).
    pub module: String,
    /// Type-name stem (UpperCamel).
    pub rust: String,
    /// Request parameters.
    pub params: Vec<FieldModel>,
    /// Response fields.
    pub response: Vec<FieldModel>,
    /// Error codes, one per distinct code, in first-documented order.
    pub errors: Vec<ErrorModel>,
    /// Where it was declared.
    pub origin: Origin,
    /// Waiters, with the index of the status field in `response`.
    pub waiters: Vec<(Waiter, usize)>,
    /// How the operation pages its results, if it does.
    pub paging: Option<Paging>,
    /// The cargo feature that compiles the operation (from its group), if any.
    pub feature: Option<String>,
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
    if ["default", "full", "reqwest", "decode"].contains(&out.as_str()) {
        out.push_str("-api");
    }
    out
}

/// How a list operation pages its results. Indexes point into the operation's parameters
/// (`params`) and response fields (`response`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Paging {
    /// `PageNumber`/`PageSize` in, `TotalCount` out.
    Number {
        /// The `PageNumber` parameter.
        page_number: usize,
        /// The `PageSize` parameter.
        page_size: Option<usize>,
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
    let param = |n: &str| params.iter().position(|f| f.wire == n);
    let resp = |n: &str| response.iter().position(|f| f.wire == n);
    let items = || items_path(shapes, response, 0);
    if let (Some(pn), Some(total)) = (param("PageNumber"), resp("TotalCount")) {
        if is_int(&params[pn].ty) && is_int(&response[total].ty) {
            let int_or_none =
                |i: Option<usize>, fs: &[FieldModel]| i.filter(|i| is_int(&fs[*i].ty));
            return Some(Paging::Number {
                page_number: pn,
                page_size: int_or_none(param("PageSize"), params),
                total,
                resp_page_number: int_or_none(resp("PageNumber"), response),
                resp_page_size: int_or_none(resp("PageSize"), response),
                items: items(),
            });
        }
    }
    if let (Some(t), Some(rt)) = (param("NextToken"), resp("NextToken")) {
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
}

/// One error code of the product: a variant of the generated `ErrorCode` enum.
#[derive(Clone, Debug)]
pub struct ProductErrorCode {
    /// The code as the service writes it.
    pub code: String,
    /// The variant name.
    pub rust: String,
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

fn module_for(
    origin: &Origin,
    ops: &[(Operation, Origin)],
    modules: &BTreeMap<&str, String>,
) -> String {
    let module_of = |op: &str| modules.get(op).cloned().unwrap_or_else(|| names::snake(op));
    // A shape an overlay declared for an operation lives in that operation's module.
    if let Some(op) = &origin.owner {
        if ops.iter().any(|(o, _)| &o.name == op) {
            return module_of(op);
        }
    }
    // A shape declared in the file of exactly one operation lives in that operation's module.
    let mut owners = ops.iter().filter(|(_, o)| o.file == origin.file);
    match (owners.next(), owners.next()) {
        (Some((op, _)), None) => module_of(&op.name),
        _ => "types".to_owned(),
    }
}

/// The module (and client method) name of each operation: its snake-case name, numbered when
/// an earlier operation already has it. Actions that differ only in case (`DescribeVPCs`,
/// `DescribeVpcs`) would otherwise write one file twice and define one method twice.
fn operation_modules<'a>(
    ops: &'a [(Operation, Origin)],
    diags: &mut Diagnostics,
) -> BTreeMap<&'a str, String> {
    let mut modules: Vec<String> = ops.iter().map(|(op, _)| names::snake(&op.name)).collect();
    for i in names::dedupe(&mut modules) {
        let (op, origin) = &ops[i];
        diags.warning(
            &origin.file,
            format!("{}.name", origin.path),
            format!(
                "operation `{}` gets the same module and client method name as an earlier operation (`{}`); it gets `{}`",
                op.name,
                names::snake(&op.name),
                modules[i]
            ),
            "nothing to do unless you prefer another name; the action sent is unchanged",
        );
    }
    ops.iter()
        .map(|(op, _)| op.name.as_str())
        .zip(modules)
        .collect()
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

    let mut shapes = Vec::new();
    for name in &emitted {
        let (shape, origin) = &spec.shapes[name.as_str()];
        let module = module_for(origin, &spec.operations, &modules);
        let (description, kind) = match shape {
            Shape::Object {
                description,
                fields,
                rules,
            } => {
                let fields = fields_model(
                    &resolver,
                    fields.iter().map(FieldLike::from_field),
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
                let mut rust: Vec<String> = values
                    .iter()
                    .map(|v| {
                        v.rust_name
                            .clone()
                            .unwrap_or_else(|| names::camel(&v.value))
                    })
                    .collect();
                for r in rust.iter_mut() {
                    if r == "Unknown" {
                        r.push_str("Value");
                    }
                }
                for i in names::dedupe(&mut rust) {
                    diags.warning(
                        &origin.file,
                        format!("{}.values[{i}]", origin.path),
                        format!(
                            "enum value `{}` gets the same Rust name as an earlier value; it is named `{}`",
                            values[i].value, rust[i]
                        ),
                        "set `rust_name` on the value to choose the name",
                    );
                }
                let variants = values
                    .iter()
                    .zip(rust)
                    .map(|(v, rust)| VariantModel {
                        value: v.value.clone(),
                        rust,
                        description: v.description.clone(),
                    })
                    .collect();
                (description.clone(), ShapeKind::Enum { variants })
            }
            Shape::Scalar { .. } => continue,
        };
        shapes.push(ShapeModel {
            name: (*name).clone(),
            rust: names::camel(name),
            module,
            description,
            origin: origin.clone(),
            kind,
            request_side: false,
            response_side: false,
        });
    }

    let mut operations = Vec::new();
    for (op, origin) in &spec.operations {
        let params = fields_model(
            &resolver,
            op.parameters.iter().map(FieldLike::from_param),
            &origin.file,
            &format!("{}.parameters", origin.path),
            diags,
        );
        let response = fields_model(
            &resolver,
            op.response.iter().map(FieldLike::from_field),
            &origin.file,
            &format!("{}.response", origin.path),
            diags,
        );
        let mut errors: Vec<ErrorModel> = Vec::new();
        for e in &op.errors {
            match errors.iter_mut().find(|m| m.code == e.code) {
                Some(m) => {
                    m.entries.push(e.clone());
                    m.retryable |= e.retryable;
                }
                None => errors.push(ErrorModel {
                    code: e.code.clone(),
                    rust: names::camel(&e.code),
                    entries: vec![e.clone()],
                    retryable: e.retryable,
                }),
            }
        }
        // Variant names are the product's (`ErrorCode`), given once every operation is known.
        let mut waiters = Vec::new();
        for (i, w) in op.waiters.iter().enumerate() {
            match response.iter().position(|f| f.wire == w.status_field) {
                Some(idx) => waiters.push((w.clone(), idx)),
                None => diags.error(
                    &origin.file,
                    format!("{}.waiters[{i}].status_field", origin.path),
                    format!("the response has no field `{}`", w.status_field),
                    "name a field of this operation's `response`",
                ),
            }
        }
        let paging = paging(&shapes, &params, &response);
        operations.push(OperationModel {
            paging,
            feature: op.group.as_deref().map(feature_name),
            spec: op.clone(),
            module: modules
                .get(op.name.as_str())
                .cloned()
                .unwrap_or_else(|| names::snake(&op.name)),
            rust: names::camel(&op.name),
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
        product: spec.product.clone(),
        shapes,
        operations,
        error_codes,
    })
}

/// The product's error codes, sorted byte-wise (the order of the generated `ErrorCode` enum
/// and of its lookup table), each named once for the whole product; every operation's
/// errors take those names. Codes that collide after case conversion are renamed in that
/// order, with a warning at the first operation documenting the renamed code.
fn error_codes(
    operations: &mut [OperationModel],
    diags: &mut Diagnostics,
) -> Vec<ProductErrorCode> {
    let mut by_code: BTreeMap<String, ProductErrorCode> = BTreeMap::new();
    for (i, op) in operations.iter().enumerate() {
        for e in &op.errors {
            let entry = by_code
                .entry(e.code.clone())
                .or_insert_with(|| ProductErrorCode {
                    code: e.code.clone(),
                    rust: String::new(),
                    operations: Vec::new(),
                });
            entry.operations.push(i);
        }
    }
    let mut codes: Vec<ProductErrorCode> = by_code.into_values().collect();
    let mut rust_names: Vec<String> = codes.iter().map(|c| names::camel(&c.code)).collect();
    for i in names::dedupe(&mut rust_names) {
        let op = &operations[codes[i].operations[0]];
        diags.warning(
            &op.origin.file,
            format!("{}.errors", op.origin.path),
            format!(
                "error code `{}` gets the same variant name as an earlier code of the product; its variant is `ErrorCode::{}`",
                codes[i].code, rust_names[i]
            ),
            "nothing to do unless you prefer another name; the wire code is unchanged",
        );
    }
    for (c, r) in codes.iter_mut().zip(rust_names) {
        c.rust = r;
    }
    let names: BTreeMap<&str, &str> = codes
        .iter()
        .map(|c| (c.code.as_str(), c.rust.as_str()))
        .collect();
    for op in operations.iter_mut() {
        for e in &mut op.errors {
            e.rust = names[e.code.as_str()].to_owned();
        }
    }
    codes
}

fn collect_shapes(ty: &Ty, out: &mut Vec<usize>) {
    match ty {
        Ty::Object(i) | Ty::Enum(i) => out.push(*i),
        Ty::List(t) | Ty::Map(t) => collect_shapes(t, out),
        _ => {}
    }
}

/// What fields and parameters have in common.
struct FieldLike<'a> {
    name: &'a str,
    description: &'a str,
    ty: &'a str,
    required: bool,
    sensitive: bool,
    constraints: &'a [Constraint],
    pattern: &'a Option<String>,
    example: &'a Option<serde_json::Value>,
    location: ParameterLocation,
    style: Style,
    idempotency_token: bool,
    deprecated: bool,
}

impl<'a> FieldLike<'a> {
    fn from_field(f: &'a Field) -> Self {
        FieldLike {
            name: &f.name,
            description: &f.description,
            ty: &f.ty,
            required: f.required,
            sensitive: f.sensitive,
            constraints: &f.constraints,
            pattern: &f.pattern,
            example: &f.example,
            location: ParameterLocation::Query,
            style: Style::Plain,
            idempotency_token: false,
            deprecated: f.deprecated,
        }
    }

    fn from_param(p: &'a Parameter) -> Self {
        FieldLike {
            name: &p.name,
            description: &p.description,
            ty: &p.ty,
            required: p.required,
            sensitive: p.sensitive,
            constraints: &p.constraints,
            pattern: &p.pattern,
            example: &p.example,
            location: p.location,
            style: p.style,
            idempotency_token: p.idempotency_token,
            deprecated: p.deprecated,
        }
    }
}

fn fields_model<'a>(
    resolver: &Resolver<'_>,
    fields: impl Iterator<Item = FieldLike<'a>>,
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
        let Some(location) = f.location.sendable() else {
            diags.error(
                file,
                format!("{base}[{i}].location"),
                format!(
                    "`{}` travels in the {}, which the generated client cannot send",
                    f.name,
                    f.location.as_str()
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
            rust: names::snake(f.name),
            ty,
            required: f.required,
            sensitive: f.sensitive,
            description: f.description.to_owned(),
            constraints: f.constraints.to_vec(),
            pattern: f.pattern.clone(),
            example: f.example.clone(),
            location,
            style: f.style,
            idempotency_token: f.idempotency_token,
            deprecated: f.deprecated,
        });
    }
    let mut rust: Vec<String> = out.iter().map(|f| f.rust.clone()).collect();
    for i in names::dedupe(&mut rust) {
        diags.warning(
            file,
            base.to_owned(),
            format!(
                "`{}` gets the same Rust name as an earlier field after case conversion; it is named `{}`",
                out[i].wire, rust[i]
            ),
            "nothing to do: the wire name is unchanged",
        );
    }
    for (f, r) in out.iter_mut().zip(rust) {
        f.rust = r;
    }
    out
}
