//! Checks: every problem of a product spec, found in one pass, before anything is generated.
//! Each problem names the file, the JSON path, what is wrong and how to fix it.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use alicloud_rules as rules;

use crate::diag::Diagnostics;
use crate::load::ProductSpec;
use crate::spec::grammar::{parse_type, RulePath, Scalar, Step, TypeExpr};
use crate::spec::view::FieldView;
use crate::spec::{Condition, Constraint, CrossRule, ParameterLocation, Shape, Style};

/// Codes every operation can get from the API gateway; constraints may anticipate them
/// without the operation documenting them.
const GATEWAY_CODES: &[&str] = &["MissingParameter", "InvalidParameter"];

/// The resolved form of a type, enough for checking.
#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Scalar(Scalar),
    Any,
    List(Box<Kind>),
    Map(Box<Kind>),
    Object(String),
    Enum(String),
    /// Unresolvable (already reported).
    Unknown,
}

impl Kind {
    fn words(&self) -> String {
        match self {
            Kind::Scalar(s) => format!("{s:?}").to_lowercase(),
            Kind::Any => "any".into(),
            Kind::List(k) => format!("list<{}>", k.words()),
            Kind::Map(k) => format!("map<{}>", k.words()),
            Kind::Object(n) | Kind::Enum(n) => n.clone(),
            Kind::Unknown => "unknown".into(),
        }
    }
}

struct Checker<'a> {
    spec: &'a ProductSpec,
    diags: &'a mut Diagnostics,
    /// Every error code documented by any operation of the product.
    product_codes: BTreeSet<String>,
}

/// Records every problem of `spec` in `diags`.
pub fn check(spec: &ProductSpec, diags: &mut Diagnostics) {
    let product_codes = spec
        .operations
        .iter()
        .flat_map(|(op, _)| op.errors.iter().map(|e| e.code.clone()))
        .collect();
    let mut c = Checker {
        spec,
        diags,
        product_codes,
    };
    c.product();
    for (name, (shape, origin)) in &spec.shapes {
        c.shape(name, shape, &origin.file, &origin.path);
    }
    for (op, origin) in &spec.operations {
        c.operation(op, &origin.file, &origin.path);
    }
}

/// What is wrong with a (non-empty) product code, if anything. The code travels in every
/// request, forms the crate's name when imported and is written into the generated
/// Cargo.toml and docs: only characters that are safe everywhere are accepted.
pub fn product_code_problem(code: &str) -> Option<&'static str> {
    if !code.starts_with(|c: char| c.is_ascii_alphabetic()) {
        Some("does not start with an ASCII letter")
    } else if !code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Some("has characters other than ASCII letters, digits, `-` and `_`")
    } else {
        None
    }
}

/// Whether `id` can be a region id: ASCII letters, digits and `-`, not empty (the client puts
/// it into host names, and refuses anything else there too).
pub fn is_region_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// What is wrong with `host` as a host name the client can send to as it is, if anything:
/// dot-separated labels of 1 to 63 ASCII letters, digits and `-` (not at either end of a
/// label), 253 characters at most.
pub fn host_problem(host: &str) -> Option<&'static str> {
    if host.is_empty() {
        return Some("it is empty");
    }
    if host.len() > 253 {
        return Some("it is longer than 253 characters");
    }
    for label in host.split('.') {
        if label.is_empty() {
            return Some("it has an empty label (two dots, or a dot at an end)");
        }
        if label.len() > 63 {
            return Some("a label is longer than 63 characters");
        }
        if !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Some("it has characters other than ASCII letters, digits, `-` and `.`");
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some("a label starts or ends with `-`");
        }
    }
    None
}

/// What is wrong with a (non-empty) API version, if anything (it travels as the `Version`
/// parameter and is written into the generated Cargo.toml and docs).
pub fn version_problem(version: &str) -> Option<&'static str> {
    if version
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
    {
        None
    } else {
        Some("has characters other than ASCII letters, digits, `-`, `.` and `_`")
    }
}

/// UpperCamelCase in ASCII letters and digits: what shape, operation and waiter names must be.
pub(crate) fn is_type_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Whether an example is masked, and so not meant to pass the constraints.
pub(crate) fn looks_masked(v: &serde_json::Value) -> bool {
    // Alibaba masks examples (`vco-bp1…****`, `116.64.XX.XX`); they are not meant to validate.
    v.as_str()
        .is_some_and(|s| s.contains("***") || s.contains("XX"))
}

impl Checker<'_> {
    fn kind(&self, expr: &TypeExpr) -> Kind {
        match expr {
            TypeExpr::Scalar(s) => Kind::Scalar(*s),
            TypeExpr::Any => Kind::Any,
            TypeExpr::List(t) => Kind::List(Box::new(self.kind(t))),
            TypeExpr::Map(t) => Kind::Map(Box::new(self.kind(t))),
            TypeExpr::Named(n) => match self.spec.shapes.get(n) {
                Some((Shape::Object { .. }, _)) => Kind::Object(n.clone()),
                Some((Shape::Enum { .. }, _)) => Kind::Enum(n.clone()),
                Some((Shape::Scalar { ty, .. }, _)) => match parse_type(ty) {
                    Ok(TypeExpr::Scalar(s)) => Kind::Scalar(s),
                    _ => Kind::Unknown,
                },
                None => Kind::Unknown,
            },
        }
    }

    /// Parses and resolves a type, reporting problems; `Kind::Unknown` when it does not resolve.
    fn resolve(&mut self, ty: &str, file: &str, path: &str) -> Kind {
        match parse_type(ty) {
            Err(msg) => {
                self.diags.error(
                    file,
                    path,
                    msg,
                    "write a type such as string, int64, list<string>, map<Tag> or a declared shape name",
                );
                Kind::Unknown
            }
            Ok(expr) => {
                let mut missing = Vec::new();
                collect_names(&expr, &mut missing);
                let mut ok = true;
                for n in missing {
                    if !self.spec.shapes.contains_key(&n) {
                        ok = false;
                        let near = self
                            .spec
                            .shapes
                            .keys()
                            .find(|k| k.eq_ignore_ascii_case(&n))
                            .map(|k| format!(" (did you mean `{k}`?)"))
                            .unwrap_or_default();
                        self.diags.error(
                            file,
                            path,
                            format!("type `{n}` is not a declared shape{near}"),
                            format!(
                                "declare `{n}` under `shapes` in a file of {}, or fix the name",
                                self.spec.folder
                            ),
                        );
                    }
                }
                if ok {
                    self.kind(&expr)
                } else {
                    Kind::Unknown
                }
            }
        }
    }

    fn product(&mut self) {
        let p = &self.spec.product;
        let file = self.spec.product_origin.file.clone();
        if p.code.trim().is_empty() {
            self.diags.error(
                &file,
                "$.product.code",
                "the product code is empty",
                "write the product code, e.g. Vpc",
            );
        } else if let Some(why) = product_code_problem(&p.code) {
            self.diags.error(
                &file,
                "$.product.code",
                format!("product code {:?} {why}", p.code),
                "write the code as the service spells it: ASCII letters, digits, `-` and `_`, starting with a letter, e.g. Vpc or R-kvstore",
            );
        }
        if p.version.trim().is_empty() {
            self.diags.error(
                &file,
                "$.product.version",
                "the API version is empty",
                "write the version, e.g. 2016-04-28",
            );
        } else if let Some(why) = version_problem(&p.version) {
            self.diags.error(
                &file,
                "$.product.version",
                format!("API version {:?} {why}", p.version),
                "write the version as the service spells it: ASCII letters, digits, `-`, `.` and `_`, e.g. 2016-04-28",
            );
        }
        let valid_crate = p.crate_name.starts_with(|c: char| c.is_ascii_lowercase())
            && p.crate_name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid_crate {
            self.diags.error(
                &file,
                "$.product.crate_name",
                format!("`{}` is not a valid crate name", p.crate_name),
                "use lower-case letters, digits and dashes, starting with a letter, e.g. alicloud-vpc",
            );
        }
        let pattern = &p.endpoint.pattern;
        let placeholders: Vec<&str> = pattern
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(n, _)| n))
            .collect();
        for ph in placeholders {
            if ph != "region_id" {
                self.diags.error(
                    &file,
                    "$.product.endpoint.pattern",
                    format!("unknown placeholder `{{{ph}}}` in the endpoint pattern"),
                    "the only placeholder is {region_id}",
                );
            }
        }
        if pattern.is_empty() || pattern.contains(['/', ' ']) {
            self.diags.error(
                &file,
                "$.product.endpoint.pattern",
                format!("`{pattern}` is not a host pattern"),
                "write a host such as vpc.{region_id}.aliyuncs.com, without scheme or path",
            );
        }
        self.endpoint_regions();
    }

    /// The product's map of regions to hosts: region ids and hosts that can be used as they
    /// are, each region once.
    fn endpoint_regions(&mut self) {
        let Some(regions) = &self.spec.product.endpoint.regions else {
            return;
        };
        let file = &self.spec.regions_origin.file;
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, r) in regions.iter().enumerate() {
            let at = format!("$.product.endpoint.regions[{i}]");
            if !is_region_id(&r.region_id) {
                self.diags.error(
                    file,
                    format!("{at}.region_id"),
                    format!("{:?} is not a region id", r.region_id),
                    "write the region id as the service spells it: ASCII letters, digits and `-`, e.g. cn-hangzhou",
                );
            } else if let Some(first) = seen.insert(&r.region_id, i) {
                self.diags.error(
                    file,
                    format!("{at}.region_id"),
                    format!(
                        "region `{}` is listed twice (first at $.product.endpoint.regions[{first}])",
                        r.region_id
                    ),
                    "keep one entry per region, with the host that serves it",
                );
            }
            if let Some(why) = host_problem(&r.host) {
                self.diags.error(
                    file,
                    format!("{at}.host"),
                    format!("{:?} is not a host name: {why}", r.host),
                    "write the host alone, without scheme, port, path or placeholder, e.g. vpc.aliyuncs.com",
                );
            }
        }
    }

    fn shape(&mut self, name: &str, shape: &Shape, file: &str, path: &str) {
        if !is_type_name(name) {
            self.diags.error(
                file,
                path,
                format!("shape name `{name}` is not UpperCamelCase"),
                "shape names become Rust type names: use letters and digits, starting with an upper-case letter",
            );
        }
        match shape {
            Shape::Object { fields, rules, .. } => {
                self.fields(
                    fields.iter().map(FieldView::of_field),
                    file,
                    &format!("{path}.fields"),
                    None,
                );
                self.self_containment(name, file, path);
                let views: Vec<FieldView> = fields.iter().map(FieldView::of_field).collect();
                self.rules(rules, &views, file, &format!("{path}.rules"), None);
            }
            Shape::Enum { values, .. } => {
                if values.is_empty() {
                    self.diags.warning(
                        file,
                        format!("{path}.values"),
                        format!("enum `{name}` lists no values"),
                        "list the known values; every value is still accepted as `Unknown`",
                    );
                }
                let mut seen = BTreeSet::new();
                for (i, v) in values.iter().enumerate() {
                    if !seen.insert(v.value.as_str()) {
                        self.diags.error(
                            file,
                            format!("{path}.values[{i}].value"),
                            format!("value `{}` is listed twice", v.value),
                            "delete the duplicate",
                        );
                    }
                    if v.value.trim() != v.value {
                        self.diags.warning(
                            file,
                            format!("{path}.values[{i}].value"),
                            format!("value {:?} has surrounding blanks, which the service is unlikely to send", v.value),
                            "trim the value",
                        );
                    }
                    if let Some(r) = &v.rust_name {
                        if !is_type_name(r) {
                            self.diags.error(
                                file,
                                format!("{path}.values[{i}].rust_name"),
                                format!("`{r}` is not a valid variant name"),
                                "use UpperCamelCase letters and digits",
                            );
                        }
                    }
                }
            }
            Shape::Scalar { ty, .. } => {
                if !matches!(
                    ty.as_str(),
                    "boolean" | "int32" | "int64" | "float" | "double"
                ) {
                    self.diags.error(
                        file,
                        format!("{path}.type"),
                        format!("a scalar shape must be boolean, int32, int64, float or double, not `{ty}`"),
                        "strings already travel as strings: use the type string directly",
                    );
                }
            }
        }
    }

    /// An object that contains itself through fields that are not lists or maps can never be
    /// built (it would be infinitely large).
    fn self_containment(&mut self, name: &str, file: &str, path: &str) {
        let mut stack = vec![(name.to_owned(), vec![name.to_owned()])];
        let mut visited = BTreeSet::new();
        while let Some((cur, trail)) = stack.pop() {
            let Some((Shape::Object { fields, .. }, _)) = self.spec.shapes.get(&cur) else {
                continue;
            };
            for f in fields {
                let Ok(TypeExpr::Named(n)) = parse_type(&f.ty) else {
                    continue;
                };
                if n == name {
                    let mut t = trail.clone();
                    t.push(n.clone());
                    self.diags.error(
                        file,
                        path,
                        format!("shape `{name}` contains itself directly ({})", t.join(" -> ")),
                        "reach the shape through a list<…> or map<…> field, or make the field another type",
                    );
                    return;
                }
                if visited.insert(n.clone()) {
                    let mut t = trail.clone();
                    t.push(n.clone());
                    stack.push((n, t));
                }
            }
        }
    }

    fn fields<'f>(
        &mut self,
        fields: impl Iterator<Item = FieldView<'f>>,
        file: &str,
        base: &str,
        codes: Option<&BTreeSet<String>>,
    ) {
        let fields: Vec<FieldView> = fields.collect();
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, f) in fields.iter().enumerate() {
            let at = format!("{base}[{i}]");
            if f.name.trim().is_empty() {
                self.diags.error(
                    file,
                    format!("{at}.name"),
                    "the name is empty",
                    "give the field its wire name",
                );
                continue;
            }
            if f.name.trim() != f.name {
                self.diags.error(
                    file,
                    format!("{at}.name"),
                    format!("the name {:?} has surrounding blanks", f.name),
                    "trim the name",
                );
            }
            if let Some(first) = seen.insert(f.name, i) {
                self.diags.error(
                    file,
                    format!("{at}.name"),
                    format!("`{}` is declared twice (first at {base}[{first}])", f.name),
                    "delete the duplicate or give it its own wire name",
                );
            }
            let kind = self.resolve(f.ty, file, &format!("{at}.type"));
            if let Some(style) = f.style {
                self.style(style, &kind, file, &at);
            }
            if let Some(loc) = f.location {
                if loc.sendable().is_none() {
                    self.diags.error(
                        file,
                        format!("{at}.location"),
                        format!(
                            "parameter `{}` travels in the {}, which the generated client cannot send yet",
                            f.name,
                            loc.as_str()
                        ),
                        "remove the parameter with an overlay (`remove_parameters`), or move it to query, body or header if the service accepts it there",
                    );
                }
                // A header carries one value: a flattened or joined style would need several
                // headers, or a separator nobody documents.
                let style = f.style.unwrap_or_default();
                if loc == ParameterLocation::Header && !matches!(style, Style::Plain | Style::Json)
                {
                    self.diags.error(
                        file,
                        format!("{at}.style"),
                        format!(
                            "parameter `{}` travels in a header, which carries one value: style `{}` cannot be sent there",
                            f.name,
                            serde_json::to_value(style)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_owned))
                                .unwrap_or_default()
                        ),
                        "use style `plain` (a scalar) or `json`",
                    );
                }
            }
            if let Some(pattern) = f.pattern {
                let elem = match &kind {
                    Kind::List(k) => k.as_ref(),
                    k => k,
                };
                if pattern.is_empty() {
                    self.diags.error(
                        file,
                        format!("{at}.pattern"),
                        "the pattern is empty",
                        "remove the key, or write the regular expression",
                    );
                } else if let Some(e) = rules::pattern_error(pattern) {
                    self.diags.error(
                        file,
                        format!("{at}.pattern"),
                        format!("`{pattern}` is not a regular expression the generated validators can use: {}", e.lines().last().unwrap_or("invalid")),
                        "write it in the regex-lite syntax (Perl-like; no look-around, no backreferences, no Unicode classes), or remove it",
                    );
                } else if !matches!(elem, Kind::Scalar(Scalar::String) | Kind::Unknown) {
                    self.diags.error(
                        file,
                        format!("{at}.pattern"),
                        format!("a pattern applies to strings, not to {}", kind.words()),
                        "remove the pattern or change the field's type",
                    );
                }
            }
            for (j, c) in f.constraints.iter().enumerate() {
                self.constraint(
                    c,
                    &kind,
                    &fields,
                    file,
                    &format!("{at}.constraints[{j}]"),
                    codes,
                );
            }
            if let (Some(pattern), Some(serde_json::Value::String(s))) = (f.pattern, f.example) {
                // Metadata examples are untidy facts; only a hand-curated example must match.
                let imported = crate::load::is_imported(file, &self.spec.folder);
                if !imported
                    && !f.example.is_some_and(looks_masked)
                    && rules::pattern_matches(pattern, s) == Some(false)
                {
                    self.diags.error(
                        file,
                        format!("{at}.example"),
                        format!("the example `{s}` does not match the pattern `{pattern}`"),
                        "give an example the pattern accepts, or correct the pattern",
                    );
                }
            }
            if let Some(ex) = f.example {
                let json_text = matches!(f.style, Some(Style::Json));
                self.example(
                    ex,
                    &kind,
                    f.constraints,
                    json_text,
                    file,
                    &format!("{at}.example"),
                );
            }
        }
    }

    fn style(&mut self, style: Style, kind: &Kind, file: &str, at: &str) {
        let scalarish = |k: &Kind| matches!(k, Kind::Scalar(_) | Kind::Enum(_));
        let ok = match style {
            Style::Plain => scalarish(kind) || *kind == Kind::Unknown,
            Style::Json => true,
            Style::Flat | Style::RepeatList => true,
            Style::Simple | Style::SpaceDelimited | Style::PipeDelimited => {
                matches!(kind, Kind::List(k) if scalarish(k)) || *kind == Kind::Unknown
            }
        };
        if !ok {
            let help = match style {
                Style::Plain => "use style json (one JSON parameter) or flat (Name.1.Field) for lists and objects",
                _ => "joined styles take a list of scalars; use flat or json for other types",
            };
            self.diags.error(
                file,
                format!("{at}.style"),
                format!(
                    "style {style:?} cannot carry a value of type {}",
                    kind.words()
                ),
                help,
            );
        }
    }

    fn code_declared(
        &mut self,
        code: &Option<String>,
        codes: Option<&BTreeSet<String>>,
        file: &str,
        at: &str,
    ) {
        let Some(code) = code else { return };
        let known = codes.unwrap_or(&self.product_codes);
        if !known.contains(code) && !GATEWAY_CODES.contains(&code.as_str()) {
            self.diags.error(
                file,
                format!("{at}.error_code"),
                format!("error code `{code}` is not documented by the operation"),
                "add it to the operation's `errors`, or fix its spelling",
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn constraint(
        &mut self,
        c: &Constraint,
        kind: &Kind,
        siblings: &[FieldView],
        file: &str,
        at: &str,
        codes: Option<&BTreeSet<String>>,
    ) {
        let elem = match kind {
            Kind::List(k) => k.as_ref(),
            k => k,
        };
        let is_list = matches!(kind, Kind::List(_));
        let is_str = matches!(elem, Kind::Scalar(Scalar::String));
        let wrong = |what: &str| {
            format!(
                "the `{}` rule applies to {what}, not to {}",
                rule_name(c),
                kind.words()
            )
        };
        let (applies, what, code) = match c {
            Constraint::Length {
                min,
                max,
                error_code,
            } => {
                self.bounds(min.map(|v| v as f64), max.map(|v| v as f64), file, at);
                (is_str, "strings", error_code)
            }
            Constraint::Range {
                min,
                max,
                error_code,
                ..
            } => {
                self.bounds(
                    min.as_ref().and_then(|n| n.as_f64()),
                    max.as_ref().and_then(|n| n.as_f64()),
                    file,
                    at,
                );
                (
                    matches!(elem, Kind::Scalar(s) if s.is_number()),
                    "numbers",
                    error_code,
                )
            }
            Constraint::Items {
                min,
                max,
                error_code,
            } => {
                self.bounds(min.map(|v| v as f64), max.map(|v| v as f64), file, at);
                (is_list, "lists", error_code)
            }
            Constraint::UniqueItems { field, error_code } => {
                let ok = match kind {
                    Kind::List(inner) => match inner.as_ref() {
                        Kind::Object(obj) => {
                            if self.object_path(obj, field).is_none() {
                                self.diags.error(
                                    file,
                                    format!("{at}.field"),
                                    format!("`{field}` is not a field path of `{obj}`"),
                                    "give a dotted path of wire names inside the list items",
                                );
                            }
                            true
                        }
                        _ => false,
                    },
                    _ => false,
                };
                (ok, "lists of objects", error_code)
            }
            Constraint::CidrWithin {
                block,
                prefix_len,
                excluded,
                error_code,
            } => {
                let outer = ipnet::Ipv4Net::from_str(block);
                if outer.is_err() {
                    self.diags.error(
                        file,
                        format!("{at}.block"),
                        format!("`{block}` is not an IPv4 CIDR block"),
                        "write it as address/prefix, e.g. 169.254.0.0/16",
                    );
                }
                if let Some(l) = prefix_len {
                    if *l > 32 {
                        self.diags.error(
                            file,
                            format!("{at}.prefix_len"),
                            format!("prefix length {l} is over 32"),
                            "use 0 to 32",
                        );
                    } else if let Ok(o) = outer {
                        if o.prefix_len() > *l {
                            self.diags.error(
                                file,
                                format!("{at}.prefix_len"),
                                format!("a /{l} block cannot lie inside {block}"),
                                "use a prefix length at least as long as the enclosing block's",
                            );
                        }
                    }
                }
                for (k, e) in excluded.iter().enumerate() {
                    if ipnet::Ipv4Net::from_str(e).is_err() {
                        self.diags.error(
                            file,
                            format!("{at}.excluded[{k}]"),
                            format!("`{e}` is not an IPv4 CIDR block"),
                            "write it as address/prefix, e.g. 169.254.0.0/30",
                        );
                    }
                }
                (is_str, "strings", error_code)
            }
            Constraint::AddressInSibling {
                sibling,
                error_code,
            } => {
                match siblings.iter().find(|s| s.name == sibling) {
                    None => self.diags.error(
                        file,
                        format!("{at}.sibling"),
                        format!("there is no sibling field `{sibling}`"),
                        "name a field of the same object holding a CIDR block",
                    ),
                    Some(s) if s.ty != "string" => self.diags.error(
                        file,
                        format!("{at}.sibling"),
                        format!(
                            "sibling `{sibling}` is a {}, not a string holding a CIDR block",
                            s.ty
                        ),
                        "name a string field",
                    ),
                    Some(_) => {}
                }
                (is_str, "strings", error_code)
            }
            Constraint::ForbiddenPrefixes { error_code, .. }
            | Constraint::Ascii { error_code }
            | Constraint::Charset { error_code, .. }
            | Constraint::NoWhitespace { error_code }
            | Constraint::Ipv4 { error_code }
            | Constraint::Cidr { error_code }
            | Constraint::CidrList { error_code }
            | Constraint::Asn { error_code } => (is_str, "strings", error_code),
        };
        if !applies && *kind != Kind::Unknown {
            self.diags.error(
                file,
                at,
                wrong(what),
                "remove the constraint or change the field's type",
            );
        }
        self.code_declared(code, codes, file, at);
    }

    fn bounds(&mut self, min: Option<f64>, max: Option<f64>, file: &str, at: &str) {
        if let (Some(a), Some(b)) = (min, max) {
            if a > b {
                self.diags.error(
                    file,
                    at,
                    format!("min ({a}) is greater than max ({b})"),
                    "swap the bounds or correct one of them",
                );
            }
        }
    }

    /// The kind at a dotted path inside object `obj`.
    fn object_path(&self, obj: &str, path: &str) -> Option<Kind> {
        self.steps_kind(Kind::Object(obj.to_owned()), &RulePath::parse(path).steps)
    }

    /// The kind at `steps` below `cur`, an object kind.
    fn steps_kind(&self, mut cur: Kind, steps: &[Step]) -> Option<Kind> {
        for step in steps {
            let Kind::Object(o) = &cur else { return None };
            let Some((Shape::Object { fields, .. }, _)) = self.spec.shapes.get(o) else {
                return None;
            };
            let f = fields.iter().find(|f| f.name == step.field)?;
            cur = self.step_kind(&f.ty, step)?;
        }
        Some(cur)
    }

    /// The kind one step reaches through a field of type `ty`: the item's for `Name[]`.
    fn step_kind(&self, ty: &str, step: &Step) -> Option<Kind> {
        let k = parse_type(ty).ok().map(|e| self.kind(&e))?;
        if !step.any_item {
            return Some(k);
        }
        match k {
            Kind::List(inner) => Some(*inner),
            _ => None,
        }
    }

    /// The kind at a rule path, from a scope of fields.
    fn scope_path(&self, fields: &[FieldView], path: &str) -> Option<Kind> {
        let path = RulePath::parse(path);
        let (first, rest) = path.steps.split_first()?;
        let f = fields.iter().find(|f| f.name == first.field)?;
        let k = self.step_kind(f.ty, first)?;
        self.steps_kind(k, rest)
    }

    fn rules(
        &mut self,
        rules: &[CrossRule],
        fields: &[FieldView],
        file: &str,
        base: &str,
        codes: Option<&BTreeSet<String>>,
    ) {
        for (i, r) in rules.iter().enumerate() {
            let at = format!("{base}[{i}]");
            match r {
                CrossRule::ExclusiveGroups {
                    groups, error_code, ..
                } => {
                    if groups.len() < 2 {
                        self.diags.error(
                            file,
                            format!("{at}.groups"),
                            "exclusive_groups needs at least two groups",
                            "add the group the first one excludes",
                        );
                    }
                    for (g, group) in groups.iter().enumerate() {
                        for (k, f) in group.fields.iter().enumerate() {
                            if !fields.iter().any(|x| x.name == f) {
                                self.diags.error(
                                    file,
                                    format!("{at}.groups[{g}].fields[{k}]"),
                                    format!("there is no field `{f}` here"),
                                    "name a field declared beside this rule",
                                );
                            }
                        }
                    }
                    self.code_declared(error_code, codes, file, &at);
                }
                CrossRule::RequiresIf {
                    when,
                    require,
                    error_code,
                    ..
                } => {
                    self.condition(when, fields, file, &format!("{at}.when"));
                    if self.scope_path(fields, require).is_none() {
                        self.diags.error(
                            file,
                            format!("{at}.require"),
                            format!("`{require}` is not a field path here"),
                            "give a dotted path of wire names from where the rule is declared",
                        );
                    }
                    self.code_declared(error_code, codes, file, &at);
                }
                CrossRule::Forbid {
                    when,
                    report_at,
                    message,
                    error_code,
                    ..
                } => {
                    self.condition(when, fields, file, &format!("{at}.when"));
                    if self.scope_path(fields, report_at).is_none() {
                        self.diags.error(
                            file,
                            format!("{at}.report_at"),
                            format!("`{report_at}` is not a field path here"),
                            "give a dotted path of wire names from where the rule is declared",
                        );
                    }
                    if message.trim().is_empty() {
                        self.diags.error(
                            file,
                            format!("{at}.message"),
                            "the message is empty",
                            "say what is wrong, for the violation",
                        );
                    }
                    self.code_declared(error_code, codes, file, &at);
                }
            }
        }
    }

    fn condition(&mut self, c: &Condition, fields: &[FieldView], file: &str, at: &str) {
        let (path, expect) = match c {
            Condition::All(cs) | Condition::Any(cs) => {
                let key = if matches!(c, Condition::All(_)) {
                    "all"
                } else {
                    "any"
                };
                for (i, x) in cs.iter().enumerate() {
                    self.condition(x, fields, file, &format!("{at}.{key}[{i}]"));
                }
                return;
            }
            Condition::Present(p) | Condition::Absent(p) => (p, None),
            Condition::Equals(pv) => (&pv.path, Some(&pv.value)),
            Condition::ItemsMoreThan(pc) => (&pc.path, None),
        };
        match self.scope_path(fields, path) {
            None => self.diags.error(
                file,
                at,
                format!("`{path}` is not a field path here"),
                "give a dotted path of wire names; write `Name[]` to look into every item of a list",
            ),
            Some(kind) => {
                if let Some(v) = expect {
                    let ok = match (&kind, v) {
                        (Kind::Scalar(Scalar::String) | Kind::Enum(_), serde_json::Value::String(_)) => true,
                        (Kind::Scalar(Scalar::Boolean), serde_json::Value::Bool(_)) => true,
                        (Kind::Scalar(s), serde_json::Value::Number(_)) => s.is_number(),
                        _ => false,
                    };
                    if !ok {
                        self.diags.error(
                            file,
                            at,
                            format!("`{path}` is a {} and can never equal {v}", kind.words()),
                            "compare with a value of the field's type (typed values: true, not \"true\")",
                        );
                    }
                }
            }
        }
    }

    fn example(
        &mut self,
        ex: &serde_json::Value,
        kind: &Kind,
        constraints: &[Constraint],
        json_text: bool,
        file: &str,
        at: &str,
    ) {
        use serde_json::Value as V;
        // A json-style parameter's example may be the JSON text itself.
        if json_text {
            if let V::String(s) = ex {
                if !matches!(kind, Kind::Scalar(Scalar::String)) {
                    match serde_json::from_str::<V>(s) {
                        Ok(v) => return self.example(&v, kind, constraints, false, file, at),
                        Err(e) => {
                            self.diags.error(
                                file,
                                at,
                                format!("the example is not valid JSON ({e})"),
                                "write the example as a JSON object instead of text",
                            );
                            return;
                        }
                    }
                }
            }
        }
        let type_ok = match (kind, ex) {
            (Kind::Unknown | Kind::Any, _) => true,
            (Kind::Scalar(Scalar::String), V::String(_)) => true,
            (Kind::Scalar(Scalar::Boolean), V::Bool(_)) => true,
            (Kind::Scalar(Scalar::Boolean), V::String(s)) => {
                s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false")
            }
            (Kind::Scalar(s), V::Number(n)) if s.is_integer() => n.is_i64() || n.is_u64(),
            (Kind::Scalar(s), V::Number(_)) => s.is_number(),
            (Kind::Scalar(s), V::String(t)) if s.is_number() => t.trim().parse::<f64>().is_ok(),
            (Kind::Enum(_), V::String(_)) => true,
            (Kind::List(_), V::Array(_)) => true,
            (Kind::Map(_), V::Object(_)) => true,
            (Kind::Object(_), V::Object(_)) => true,
            _ => false,
        };
        if !type_ok {
            self.diags.error(
                file,
                at,
                format!("the example {ex} is not of type {}", kind.words()),
                "give an example of the field's type",
            );
            return;
        }
        match (kind, ex) {
            (Kind::Enum(name), V::String(s)) => {
                if let Some((Shape::Enum { values, .. }, _)) = self.spec.shapes.get(name) {
                    if !values.is_empty() && !values.iter().any(|v| &v.value == s) {
                        self.diags.warning(
                            file,
                            at,
                            format!("example `{s}` is not a known value of `{name}`"),
                            "add the value to the enum, or use a listed one",
                        );
                    }
                }
            }
            (Kind::List(inner), V::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let elem_constraints: Vec<Constraint> = constraints
                        .iter()
                        .filter(|c| {
                            !matches!(c, Constraint::Items { .. } | Constraint::UniqueItems { .. })
                        })
                        .cloned()
                        .collect();
                    self.example(
                        item,
                        inner,
                        &elem_constraints,
                        false,
                        file,
                        &format!("{at}[{i}]"),
                    );
                }
            }
            (Kind::Map(inner), V::Object(items)) => {
                for (k, item) in items {
                    self.example(item, inner, &[], false, file, &format!("{at}.{k}"));
                }
            }
            (Kind::Object(name), V::Object(map)) => {
                if let Some((Shape::Object { fields, .. }, _)) = self.spec.shapes.get(name) {
                    for (k, v) in map {
                        match fields.iter().find(|f| &f.name == k) {
                            None => self.diags.error(
                                file,
                                format!("{at}.{k}"),
                                format!("`{name}` has no field `{k}`"),
                                "use the shape's wire names in the example",
                            ),
                            Some(f) => {
                                let fk = parse_type(&f.ty)
                                    .map(|e| self.kind(&e))
                                    .unwrap_or(Kind::Unknown);
                                let fc = f.constraints.clone();
                                self.example(v, &fk, &fc, false, file, &format!("{at}.{k}"));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        if looks_masked(ex) {
            return;
        }
        for c in constraints {
            if let Some(msg) = example_violation(c, ex) {
                self.diags.error(
                    file,
                    at,
                    format!(
                        "the example breaks its own `{}` constraint: {msg}",
                        rule_name(c)
                    ),
                    "give an example that passes every constraint of the field",
                );
            }
        }
    }
}

fn collect_names(expr: &TypeExpr, out: &mut Vec<String>) {
    match expr {
        TypeExpr::Named(n) => out.push(n.clone()),
        TypeExpr::List(t) | TypeExpr::Map(t) => collect_names(t, out),
        _ => {}
    }
}

fn rule_name(c: &Constraint) -> &'static str {
    match c {
        Constraint::Length { .. } => "length",
        Constraint::Range { .. } => "range",
        Constraint::ForbiddenPrefixes { .. } => "forbidden_prefixes",
        Constraint::Ascii { .. } => "ascii",
        Constraint::Charset { .. } => "charset",
        Constraint::NoWhitespace { .. } => "no_whitespace",
        Constraint::Ipv4 { .. } => "ipv4",
        Constraint::Cidr { .. } => "cidr",
        Constraint::CidrList { .. } => "cidr_list",
        Constraint::CidrWithin { .. } => "cidr_within",
        Constraint::AddressInSibling { .. } => "address_in_sibling",
        Constraint::Asn { .. } => "asn",
        Constraint::Items { .. } => "items",
        Constraint::UniqueItems { .. } => "unique_items",
    }
}

/// Checks a scalar example against one constraint with the runtime's own rules.
pub(crate) fn example_violation(c: &Constraint, ex: &serde_json::Value) -> Option<String> {
    let s = ex.as_str();
    let n = ex
        .as_f64()
        .or_else(|| s.and_then(|t| t.trim().parse::<f64>().ok()));
    let r = match c {
        Constraint::Length { min, max, .. } => {
            rules::length(s?, min.map(|v| v as usize), max.map(|v| v as usize))
        }
        Constraint::Range {
            min,
            max,
            exclusive_min,
            exclusive_max,
            ..
        } => rules::range_f64(
            n?,
            min.as_ref().and_then(|x| x.as_f64()),
            *exclusive_min,
            max.as_ref().and_then(|x| x.as_f64()),
            *exclusive_max,
        ),
        Constraint::ForbiddenPrefixes { prefixes, .. } => {
            let p: Vec<&str> = prefixes.iter().map(String::as_str).collect();
            rules::forbidden_prefixes(s?, &p)
        }
        Constraint::Ascii { .. } => rules::ascii(s?),
        Constraint::Charset {
            letters,
            digits,
            chars,
            ..
        } => rules::charset(s?, *letters, *digits, chars),
        Constraint::NoWhitespace { .. } => rules::no_whitespace(s?),
        Constraint::Ipv4 { .. } => rules::ipv4(s?),
        Constraint::Cidr { .. } => rules::cidr(s?),
        Constraint::CidrList { .. } => rules::cidr_list(s?),
        Constraint::CidrWithin {
            block,
            prefix_len,
            excluded,
            ..
        } => {
            let e: Vec<&str> = excluded.iter().map(String::as_str).collect();
            rules::cidr_within(s?, block, *prefix_len, &e)
        }
        Constraint::Asn { .. } => rules::asn(s?),
        Constraint::Items { min, max, .. } => rules::items(
            ex.as_array()?.len(),
            min.map(|v| v as usize),
            max.map(|v| v as usize),
        ),
        Constraint::AddressInSibling { .. } | Constraint::UniqueItems { .. } => Ok(()),
    };
    r.err()
}

impl Checker<'_> {
    /// What the product's style allows an operation: RPC requests go to `/` by GET or POST
    /// with query, form and header parameters; ROA ones have a path template whose every
    /// placeholder a required scalar `path` parameter fills, and a JSON body of `body`
    /// members or one `whole_body` parameter.
    fn operation_style(&mut self, op: &crate::spec::Operation, file: &str, path: &str) {
        use crate::spec::{ApiStyle, HttpMethod};
        let roa = self.spec.product.style == ApiStyle::Roa;
        let name = &op.name;
        if !roa {
            if op.path.is_some() {
                self.diags.error(file, format!("{path}.path"), format!("operation `{name}` has a path, but the product is RPC-style (requests go to `/`)"), "remove `path`, or make the product ROA-style");
            }
            if matches!(op.http_method, HttpMethod::Put | HttpMethod::Delete) {
                self.diags.error(
                    file,
                    format!("{path}.http_method"),
                    format!(
                        "operation `{name}` uses {}, which RPC-style products do not",
                        op.http_method.as_str()
                    ),
                    "use POST or GET",
                );
            }
            if op.response_body.is_some() {
                self.diags.error(file, format!("{path}.response_body"), format!("operation `{name}` declares `response_body`, which only ROA-style products answer with"), "describe the response's fields under `response`");
            }
            for (i, p) in op.parameters.iter().enumerate() {
                if matches!(
                    p.location,
                    ParameterLocation::Path | ParameterLocation::WholeBody
                ) {
                    self.diags.error(file, format!("{path}.parameters[{i}].location"), format!("parameter `{}` travels in the {}, which only ROA-style products have", p.name, p.location.as_str()), "move it to query, body or header, or remove it with an overlay (`remove_parameters`)");
                }
            }
            return;
        }
        if let Some(t) = &op.response_body {
            self.resolve(t, file, &format!("{path}.response_body"));
            if !op.response.is_empty() {
                self.diags.error(file, format!("{path}.response_body"), format!("operation `{name}` declares both `response_body` and `response` fields"), "keep one: `response_body` for a body that is not an object, `response` for an object's fields");
            }
        }
        let Some(template) = &op.path else {
            self.diags.error(
                file,
                format!("{path}.path"),
                format!("ROA operation `{name}` has no path template"),
                "add `path`, e.g. \"/clusters/{ClusterId}\"",
            );
            return;
        };
        let Some(pieces) =
            crate::spec::grammar::path_pieces(template).filter(|_| template.starts_with('/'))
        else {
            self.diags.error(file, format!("{path}.path"), format!("path template {template:?} is not a path of literal segments and `{{Name}}` placeholders"), "start it with `/` and balance every `{` with a `}` around a parameter's wire name");
            return;
        };
        let placeholders: Vec<&str> = pieces
            .iter()
            .filter_map(|p| match p {
                crate::spec::grammar::Piece::Param(n) => Some(*n),
                crate::spec::grammar::Piece::Text(_) => None,
            })
            .collect();
        if let Some(bad) = pieces.iter().find_map(|p| match p {
            crate::spec::grammar::Piece::Text(t)
                if t.chars()
                    .any(|c| c.is_whitespace() || c == '?' || c == '#' || c == '%') =>
            {
                Some(*t)
            }
            _ => None,
        }) {
            self.diags.error(file, format!("{path}.path"), format!("path template {template:?} has {bad:?}, which is not sent as written (blanks, `?`, `#`, `%`)"), "write literal segments of plain characters; values go in `{Name}` placeholders");
        }
        for ph in &placeholders {
            if !op
                .parameters
                .iter()
                .any(|p| p.location == ParameterLocation::Path && p.name == *ph)
            {
                self.diags.error(file, format!("{path}.path"), format!("placeholder `{{{ph}}}` of {template:?} has no `path` parameter named `{ph}`"), "declare the parameter with `\"location\": \"path\"`, or correct the placeholder");
            }
        }
        let mut wholes = 0;
        let mut members = 0;
        for (i, p) in op.parameters.iter().enumerate() {
            let at = format!("{path}.parameters[{i}]");
            match p.location {
                ParameterLocation::Path => {
                    if !placeholders.contains(&p.name.as_str()) {
                        self.diags.error(
                            file,
                            format!("{at}.location"),
                            format!(
                                "path parameter `{}` has no `{{{}}}` placeholder in {template:?}",
                                p.name, p.name
                            ),
                            "add the placeholder to `path`, or move the parameter to the query",
                        );
                    }
                    if !p.required {
                        self.diags.error(file, format!("{at}.required"), format!("path parameter `{}` is not required, but the path cannot be built without it", p.name), "set `\"required\": true`");
                    }
                    let single = match crate::spec::grammar::parse_type(&p.ty) {
                        Ok(crate::spec::grammar::TypeExpr::Scalar(_)) => true,
                        Ok(crate::spec::grammar::TypeExpr::Named(n)) => {
                            !matches!(self.spec.shapes.get(&n), Some((Shape::Object { .. }, _)))
                        }
                        _ => false,
                    };
                    if !single {
                        self.diags.error(
                            file,
                            format!("{at}.type"),
                            format!(
                                "path parameter `{}` is a {}, but a path segment holds one value",
                                p.name, p.ty
                            ),
                            "give it a scalar or enum type",
                        );
                    }
                }
                ParameterLocation::WholeBody => wholes += 1,
                ParameterLocation::Body => members += 1,
                ParameterLocation::Query | ParameterLocation::Header => {}
            }
        }
        if wholes > 1 || (wholes == 1 && members > 0) {
            self.diags.error(file, format!("{path}.parameters"), format!("ROA operation `{name}` has {wholes} `whole_body` parameters and {members} `body` members; a request has one body"), "keep one `whole_body` parameter, or make them all `body` members of one JSON object");
        }
        if op.http_method == HttpMethod::Get && wholes + members > 0 {
            self.diags.warning(
                file,
                format!("{path}.http_method"),
                format!("ROA operation `{name}` sends a body with GET"),
                "nothing to do if the service documents it; many servers ignore a GET body",
            );
        }
    }

    fn operation(&mut self, op: &crate::spec::Operation, file: &str, path: &str) {
        if op.name.trim().is_empty() {
            self.diags.error(
                file,
                format!("{path}.name"),
                "the operation has no name",
                "write the action name, e.g. ModifyVpnConnectionAttribute",
            );
        } else if !is_type_name(&op.name) {
            self.diags.error(
                file,
                format!("{path}.name"),
                format!("operation name `{}` is not UpperCamelCase", op.name),
                "write the action exactly as the service names it, e.g. DescribeVpnGateway",
            );
        }
        // Imported operations have no description of ours: their docs link to Alibaba's page.
        let imported = crate::load::is_imported(file, &self.spec.folder);
        if op.description.trim().is_empty() && !imported {
            self.diags.warning(
                file,
                format!("{path}.description"),
                format!("operation `{}` has no description", op.name),
                "describe what it does in a sentence",
            );
        }
        self.operation_style(op, file, path);
        let codes: BTreeSet<String> = op.errors.iter().map(|e| e.code.clone()).collect();
        self.fields(
            op.parameters.iter().map(FieldView::of_param),
            file,
            &format!("{path}.parameters"),
            Some(&codes),
        );
        self.fields(
            op.response.iter().map(FieldView::of_field),
            file,
            &format!("{path}.response"),
            Some(&codes),
        );
        let tokens: Vec<usize> = op
            .parameters
            .iter()
            .enumerate()
            .filter(|(_, p)| p.idempotency_token)
            .map(|(i, _)| i)
            .collect();
        if tokens.len() > 1 {
            self.diags.error(
                file,
                format!("{path}.parameters[{}].idempotency_token", tokens[1]),
                "more than one idempotency token",
                "mark only one parameter",
            );
        }
        for i in tokens {
            if op.parameters[i].ty != "string" {
                self.diags.error(
                    file,
                    format!("{path}.parameters[{i}].type"),
                    "the idempotency token must be a string",
                    "make its type string",
                );
            }
        }
        let views: Vec<FieldView> = op.parameters.iter().map(FieldView::of_param).collect();
        self.rules(
            &op.rules,
            &views,
            file,
            &format!("{path}.rules"),
            Some(&codes),
        );
        let mut seen = BTreeSet::new();
        for (i, e) in op.errors.iter().enumerate() {
            let at = format!("{path}.errors[{i}]");
            if e.code.trim().is_empty() || e.code.trim() != e.code {
                self.diags.error(
                    file,
                    format!("{at}.code"),
                    format!("error code {:?} is empty or has surrounding blanks", e.code),
                    "write the code exactly as the service sends it",
                );
            }
            if !(400..=599).contains(&e.status) {
                self.diags.error(
                    file,
                    format!("{at}.status"),
                    format!("HTTP status {} is not an error status", e.status),
                    "use the 4xx or 5xx status the code comes with",
                );
            }
            if !seen.insert((e.status, e.code.clone())) {
                self.diags.error(
                    file,
                    format!("{at}.code"),
                    format!("`{}` is listed twice under HTTP {}", e.code, e.status),
                    "delete the duplicate entry",
                );
            }
        }
        if let Some(a) = &op.asynchronous {
            let poll = self
                .spec
                .operations
                .iter()
                .find(|(o, _)| o.name == a.poll_operation);
            if let (Some((poll, _)), Some(w)) = (poll, &a.waiter) {
                if !poll.waiters.iter().any(|x| &x.name == w) {
                    self.diags.error(
                        file,
                        format!("{path}.asynchronous.waiter"),
                        format!("`{}` has no waiter `{w}`", a.poll_operation),
                        "name one of its `waiters`",
                    );
                }
            }
            if poll.is_none() {
                self.diags.error(
                    file,
                    format!("{path}.asynchronous.poll_operation"),
                    format!(
                        "operation `{}` is not in this product's spec",
                        a.poll_operation
                    ),
                    "add its spec, or name an operation of the product",
                );
            }
            if a.interval_ms == 0 || a.max_attempts == 0 {
                self.diags.error(
                    file,
                    format!("{path}.asynchronous"),
                    "interval_ms and max_attempts must be positive",
                    "use the values the service documents",
                );
            }
        }
        for (i, w) in op.waiters.iter().enumerate() {
            let at = format!("{path}.waiters[{i}]");
            if !is_type_name(&w.name) {
                self.diags.error(
                    file,
                    format!("{at}.name"),
                    format!("waiter name `{}` is not UpperCamelCase", w.name),
                    "name the state waited for, e.g. VpnGatewayActive",
                );
            }
            if w.interval_ms == Some(0) || w.max_attempts == Some(0) {
                self.diags.error(
                    file,
                    at.clone(),
                    "interval_ms and max_attempts must be positive",
                    "use the values the service documents, or leave them out",
                );
            }
            if w.success.is_empty() {
                self.diags.error(
                    file,
                    format!("{at}.success"),
                    "the waiter has no success value",
                    "list the status values that end the wait",
                );
            }
            if !op.response.iter().any(|f| f.name == w.status_field) {
                self.diags.error(
                    file,
                    format!("{at}.status_field"),
                    format!("the response has no field `{}`", w.status_field),
                    "name a field of this operation's `response`",
                );
            }
            for (k, c) in w.failure_codes.iter().enumerate() {
                if !codes.contains(c) {
                    self.diags.error(
                        file,
                        format!("{at}.failure_codes[{k}]"),
                        format!("error code `{c}` is not documented by the operation"),
                        "add it to `errors`, or fix its spelling",
                    );
                }
            }
        }
    }
}
