//! Validation: each field's constraints, and the conditions of cross-field rules, as a
//! `Validate` impl that reports every violation with its path.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{allow_deprecated, ident};
use crate::model::{FieldModel, ProductModel, Scalar, ShapeKind, Ty};
use crate::names::Name;
use crate::spec::grammar::{RulePath, Step};
use crate::spec::{Basis, Condition, Constraint, CrossRule};

fn code_tokens(code: &Option<String>) -> TokenStream {
    match code {
        Some(c) => quote!(::std::option::Option::Some(#c)),
        None => quote!(::std::option::Option::None),
    }
}

fn num_tokens(n: &serde_json::Number, float: bool) -> TokenStream {
    if float {
        let f = n.as_f64().unwrap_or(0.0);
        quote!(#f)
    } else {
        match n.as_i64() {
            Some(i) => quote!(#i),
            None => {
                let f = n.as_f64().unwrap_or(0.0);
                let i = f as i64;
                quote!(#i)
            }
        }
    }
}

fn opt_usize(v: &Option<u64>) -> TokenStream {
    match v {
        Some(n) => {
            let n = *n as usize;
            quote!(::std::option::Option::Some(#n))
        }
        None => quote!(::std::option::Option::None),
    }
}

/// Checks of one single value (`value` is a reference to it; `p` its path).
fn value_checks(
    f: &FieldModel,
    ty: &Ty,
    fields: &[FieldModel],
    self_expr: &TokenStream,
) -> TokenStream {
    let shown = if f.sensitive {
        quote!(::alicloud_runtime::validate::Shown::Redacted)
    } else {
        quote!(::alicloud_runtime::validate::Shown::Value(value))
    };
    let mut out = Vec::new();
    let is_str = matches!(
        ty,
        Ty::Scalar {
            kind: Scalar::String,
            ..
        }
    );
    // A value with a `cidr` rule and a `cidr-within` rule whose blocks parse is parsed once,
    // here, for both (and the guard between them).
    let parsed_cidr = is_str
        && f.constraints
            .iter()
            .any(|c| matches!(c, Constraint::Cidr { .. }))
        && f.constraints.iter().any(|c| match c {
            Constraint::CidrWithin {
                block, excluded, ..
            } => std::iter::once(block)
                .chain(excluded)
                .all(|b| alicloud_rules::Block::parse(b).is_some()),
            _ => false,
        });
    if parsed_cidr {
        out.push(quote!(let cidr_value = ::alicloud_runtime::rules::CidrValue::parse(value);));
    }
    for c in &f.constraints {
        let check = |rule: TokenStream, outcome: TokenStream, code: &Option<String>| {
            let code = code_tokens(code);
            quote!(v.check(&p, ::alicloud_runtime::Rule::#rule, #outcome, #shown, #code);)
        };
        let t = match c {
            Constraint::Length {
                min,
                max,
                error_code,
            } if is_str => {
                let (a, b) = (opt_usize(min), opt_usize(max));
                check(
                    quote!(Length),
                    quote!(::alicloud_runtime::rules::length(value, #a, #b)),
                    error_code,
                )
            }
            Constraint::Range {
                min,
                max,
                exclusive_min,
                exclusive_max,
                error_code,
            } => match ty {
                Ty::Scalar { kind, .. }
                    if kind.is_integer() && !exclusive_min && !exclusive_max =>
                {
                    let a = min.as_ref().map(|n| num_tokens(n, false));
                    let b = max.as_ref().map(|n| num_tokens(n, false));
                    let a = a.map_or(
                        quote!(::std::option::Option::None),
                        |a| quote!(::std::option::Option::Some(#a)),
                    );
                    let b = b.map_or(
                        quote!(::std::option::Option::None),
                        |b| quote!(::std::option::Option::Some(#b)),
                    );
                    let conv = if *kind == Scalar::Int64 {
                        quote!(*value)
                    } else {
                        quote!(i64::from(*value))
                    };
                    check(
                        quote!(Range),
                        quote!(::alicloud_runtime::rules::range_i64(#conv, #a, #b)),
                        error_code,
                    )
                }
                Ty::Scalar { kind, .. } if kind.is_number() => {
                    let a = min.as_ref().map(|n| num_tokens(n, true));
                    let b = max.as_ref().map(|n| num_tokens(n, true));
                    let a = a.map_or(
                        quote!(::std::option::Option::None),
                        |a| quote!(::std::option::Option::Some(#a)),
                    );
                    let b = b.map_or(
                        quote!(::std::option::Option::None),
                        |b| quote!(::std::option::Option::Some(#b)),
                    );
                    let conv = if kind.is_integer() {
                        quote!(*value as f64)
                    } else {
                        quote!(*value)
                    };
                    check(
                        quote!(Range),
                        quote!(::alicloud_runtime::rules::range_f64(#conv, #a, #exclusive_min, #b, #exclusive_max)),
                        error_code,
                    )
                }
                _ => continue,
            },
            Constraint::ForbiddenPrefixes {
                prefixes,
                error_code,
            } if is_str => check(
                quote!(ForbiddenPrefix),
                quote!(::alicloud_runtime::rules::forbidden_prefixes(value, &[#(#prefixes),*])),
                error_code,
            ),
            Constraint::Ascii { error_code } if is_str => check(
                quote!(Ascii),
                quote!(::alicloud_runtime::rules::ascii(value)),
                error_code,
            ),
            Constraint::Charset {
                letters,
                digits,
                chars,
                error_code,
            } if is_str => check(
                quote!(Charset),
                // The rule's sets are built when the generated code is compiled.
                quote!({
                    const CHARSET: ::alicloud_runtime::rules::Charset =
                        ::alicloud_runtime::rules::Charset::new(#letters, #digits, #chars);
                    CHARSET.check(value)
                }),
                error_code,
            ),
            Constraint::NoWhitespace { error_code } if is_str => check(
                quote!(NoWhitespace),
                quote!(::alicloud_runtime::rules::no_whitespace(value)),
                error_code,
            ),
            Constraint::Ipv4 { error_code } if is_str => check(
                quote!(Ipv4),
                quote!(::alicloud_runtime::rules::ipv4(value)),
                error_code,
            ),
            Constraint::Cidr { error_code } if parsed_cidr => {
                check(quote!(Cidr), quote!(cidr_value.check()), error_code)
            }
            Constraint::Cidr { error_code } if is_str => check(
                quote!(Cidr),
                quote!(::alicloud_runtime::rules::cidr(value)),
                error_code,
            ),
            Constraint::CidrList { error_code } if is_str => check(
                quote!(CidrList),
                quote!(::alicloud_runtime::rules::cidr_list(value)),
                error_code,
            ),
            Constraint::CidrWithin {
                block,
                prefix_len,
                excluded,
                error_code,
            } if is_str => {
                let pl = match prefix_len {
                    Some(l) => quote!(::std::option::Option::Some(#l)),
                    None => quote!(::std::option::Option::None),
                };
                // Blocks are parsed here, once, rather than at every check; one that does not
                // parse (the checker refuses those) keeps the text form, which lets it pass.
                let parsed = |text: &str| {
                    alicloud_rules::Block::parse(text).map(|(addr, len)| {
                        quote!(::alicloud_runtime::rules::Block::new(#text, #addr, #len))
                    })
                };
                let blocks: Option<Vec<TokenStream>> = std::iter::once(block.as_str())
                    .chain(excluded.iter().map(String::as_str))
                    .map(parsed)
                    .collect();
                let call = match blocks.as_deref() {
                    Some([outer, excluded @ ..]) if parsed_cidr => quote! {
                        cidr_value.within_blocks(#outer, #pl, &[#(#excluded),*])
                    },
                    Some([outer, excluded @ ..]) => quote! {
                        ::alicloud_runtime::rules::cidr_within_blocks(value, #outer, #pl, &[#(#excluded),*])
                    },
                    _ => quote! {
                        ::alicloud_runtime::rules::cidr_within(value, #block, #pl, &[#(#excluded),*])
                    },
                };
                let within = check(quote!(CidrWithin), call, error_code);
                // With a `cidr` rule beside it, a malformed block is that rule's (the service
                // answers a malformed block with its own code): the range is checked only for
                // well-formed blocks, as `address_in_sibling` does for addresses.
                if parsed_cidr {
                    quote! {
                        if cidr_value.is_valid() {
                            #within
                        }
                    }
                } else if f
                    .constraints
                    .iter()
                    .any(|c| matches!(c, Constraint::Cidr { .. }))
                {
                    quote! {
                        if ::alicloud_runtime::rules::cidr(value).is_ok() {
                            #within
                        }
                    }
                } else {
                    within
                }
            }
            Constraint::AddressInSibling {
                sibling,
                error_code,
            } if is_str => {
                let Some(sib) = fields.iter().find(|s| &s.wire == sibling) else {
                    continue;
                };
                let sn = ident(&sib.rust);
                let code = code_tokens(error_code);
                quote! {
                    if let ::std::option::Option::Some(block) = &#self_expr.#sn {
                        v.check(&p, ::alicloud_runtime::Rule::AddressInCidr, ::alicloud_runtime::rules::address_in_cidr(value, block), #shown, #code);
                    }
                }
            }
            Constraint::Asn { error_code } if is_str => check(
                quote!(Asn),
                quote!(::alicloud_runtime::rules::asn(value)),
                error_code,
            ),
            _ => continue,
        };
        out.push(t);
    }
    if let (true, Some(pattern)) = (is_str, &f.pattern) {
        // One static per field: compiled on first use, once per process.
        out.push(quote! {{
            static PATTERN: ::alicloud_runtime::rules::Pattern = ::alicloud_runtime::rules::Pattern::new(#pattern);
            v.check(&p, ::alicloud_runtime::Rule::Pattern, PATTERN.check(value), #shown, ::std::option::Option::None);
        }});
    }
    quote!(#(#out)*)
}

/// An `Option<&T>` chain reaching `rel` (dotted wire names) from `root` (an expression of an
/// object type with `fields`). `None` if the path does not resolve.
fn option_chain(
    model: &ProductModel,
    fields: &[FieldModel],
    root: TokenStream,
    rel: &str,
) -> Option<(TokenStream, FieldModel)> {
    let mut segs = rel.split('.');
    let first = segs.next()?;
    let mut f = fields.iter().find(|f| f.wire == first)?.clone();
    let n = ident(&f.rust);
    let mut expr = quote!(#root.#n.as_ref());
    for seg in segs {
        let Ty::Object(i) = &f.ty else { return None };
        let ShapeKind::Object { fields: inner, .. } = &model.shapes[*i].kind else {
            return None;
        };
        f = inner.iter().find(|x| x.wire == seg)?.clone();
        let n = ident(&f.rust);
        expr = quote!(#expr.and_then(|x| x.#n.as_ref()));
    }
    Some((expr, f))
}

fn list_checks(model: &ProductModel, f: &FieldModel) -> TokenStream {
    let Ty::List(elem) = &f.ty else {
        return TokenStream::new();
    };
    let mut out = Vec::new();
    for c in &f.constraints {
        match c {
            Constraint::Items {
                min,
                max,
                error_code,
            } => {
                let (a, b) = (opt_usize(min), opt_usize(max));
                let code = code_tokens(error_code);
                out.push(quote! {
                    v.check(&p, ::alicloud_runtime::Rule::Items, ::alicloud_runtime::rules::items(value.len(), #a, #b), ::alicloud_runtime::validate::Shown::Nothing, #code);
                });
            }
            Constraint::UniqueItems { field, error_code } => {
                let Ty::Object(i) = elem.as_ref() else {
                    continue;
                };
                let ShapeKind::Object { fields: inner, .. } = &model.shapes[*i].kind else {
                    continue;
                };
                let Some((chain, target)) = option_chain(model, inner, quote!(item), field) else {
                    continue;
                };
                let code = code_tokens(error_code);
                // The repeated item's key is read again for the report (a secret one is not).
                let (item, shown) = if target.sensitive {
                    (
                        quote!(),
                        quote!(::alicloud_runtime::validate::Shown::Redacted),
                    )
                } else {
                    (
                        quote!(let item = &value[dup];),
                        quote!(match #chain {
                            ::std::option::Option::Some(k) =>
                                ::alicloud_runtime::validate::Shown::Value(k),
                            ::std::option::Option::None => ::alicloud_runtime::validate::Shown::Nothing,
                        }),
                    )
                };
                // Keys are read where they are, not collected: nothing is allocated unless
                // one repeats.
                out.push(quote! {
                    {
                        for (dup, first) in ::alicloud_runtime::rules::duplicates_by(value, |item| #chain) {
                            #item
                            let at = ::alicloud_runtime::path::join(&p.index(dup), #field);
                            v.report(at, ::alicloud_runtime::Rule::UniqueItems, ::std::format!("must differ from item {}'s", first), #shown, #code);
                        }
                    }
                });
            }
            _ => {}
        }
    }
    quote!(#(#out)*)
}

fn field_validation(
    model: &ProductModel,
    f: &FieldModel,
    fields: &[FieldModel],
    self_expr: &TokenStream,
    check_required: bool,
) -> TokenStream {
    let n = ident(&f.rust);
    let wire = &f.wire;
    let mut body = Vec::new();
    match &f.ty {
        Ty::List(elem) => {
            body.push(list_checks(model, f));
            if elem.is_single_value() {
                let per = value_checks(f, elem, fields, self_expr);
                if !per.is_empty() {
                    body.push(quote! {
                        for (i, value) in value.iter().enumerate() {
                            let p = p.index(i);
                            #per
                        }
                    });
                }
            } else if contains_object(elem) {
                body.push(
                    quote!(::alicloud_runtime::validate::Validate::validate_at(value, &p, v);),
                );
            }
        }
        Ty::Map(elem) if contains_object(elem) => {
            body.push(quote!(::alicloud_runtime::validate::Validate::validate_at(value, &p, v);));
        }
        Ty::Object(_) => {
            body.push(quote!(::alicloud_runtime::validate::Validate::validate_at(value, &p, v);));
        }
        ty => body.push(value_checks(f, ty, fields, self_expr)),
    }
    let body: Vec<TokenStream> = body.into_iter().filter(|t| !t.is_empty()).collect();
    let required = check_required && f.required;
    if body.is_empty() && !required {
        return TokenStream::new();
    }
    let report_missing = quote!(v.missing(path, #wire););
    match (body.is_empty(), required) {
        (true, _) => quote! {
            if #self_expr.#n.is_none() {
                #report_missing
            }
        },
        (false, true) => quote! {
            if let ::std::option::Option::Some(value) = &#self_expr.#n {
                let p = path.field(#wire);
                #(#body)*
            } else {
                #report_missing
            }
        },
        (false, false) => quote! {
            if let ::std::option::Option::Some(value) = &#self_expr.#n {
                let p = path.field(#wire);
                #(#body)*
            }
        },
    }
}

fn contains_object(ty: &Ty) -> bool {
    match ty {
        Ty::Object(_) => true,
        Ty::List(t) | Ty::Map(t) => contains_object(t),
        _ => false,
    }
}

/// A boolean expression: the leaf test holds at `path` below `root` (any item for `[]`). A
/// leaf of `None` tests presence only.
fn cond_walk(
    model: &ProductModel,
    fields: &[FieldModel],
    root: TokenStream,
    segs: &[Step],
    leaf: &dyn Fn(TokenStream, &Ty) -> Option<TokenStream>,
) -> Option<TokenStream> {
    let (step, rest) = segs.split_first()?;
    let any = step.any_item;
    let f = fields.iter().find(|f| f.wire == step.field)?;
    let n = ident(&f.rust);
    let elem_ty = if any { f.ty.element() } else { &f.ty };
    let inner = |var: TokenStream| -> Option<Option<TokenStream>> {
        if rest.is_empty() {
            Some(leaf(var, elem_ty))
        } else {
            let Ty::Object(i) = elem_ty else { return None };
            let ShapeKind::Object { fields: inner, .. } = &model.shapes[*i].kind else {
                return None;
            };
            cond_walk(model, inner, var, rest, leaf).map(Some)
        }
    };
    Some(if any {
        match inner(quote!(item))? {
            Some(body) => {
                quote!(#root.#n.as_ref().is_some_and(|list| list.iter().any(|item| #body)))
            }
            None => quote!(#root.#n.as_ref().is_some_and(|list| !list.is_empty())),
        }
    } else {
        match inner(quote!(x))? {
            Some(body) => quote!(#root.#n.as_ref().is_some_and(|x| #body)),
            None => quote!(#root.#n.is_some()),
        }
    })
}

/// A boolean expression for `cond`; `nested` when it sits inside `&&`, where an `||` needs
/// parentheses.
fn cond_expr(
    model: &ProductModel,
    fields: &[FieldModel],
    root: &TokenStream,
    cond: &Condition,
    nested: bool,
) -> Option<TokenStream> {
    Some(match cond {
        Condition::All(cs) => {
            let parts = cs
                .iter()
                .map(|c| cond_expr(model, fields, root, c, true))
                .collect::<Option<Vec<_>>>()?;
            if parts.is_empty() {
                quote!(true)
            } else {
                quote!(#(#parts)&&*)
            }
        }
        Condition::Any(cs) => {
            let parts = cs
                .iter()
                .map(|c| cond_expr(model, fields, root, c, false))
                .collect::<Option<Vec<_>>>()?;
            if parts.is_empty() {
                quote!(false)
            } else if nested && parts.len() > 1 {
                quote!((#(#parts)||*))
            } else {
                quote!(#(#parts)||*)
            }
        }
        Condition::Present(path) => cond_walk(
            model,
            fields,
            root.clone(),
            &RulePath::parse(path).steps,
            &|_, _| None,
        )?,
        Condition::Absent(path) if !path.contains(['.', '[']) => {
            let f = fields.iter().find(|f| &f.wire == path)?;
            let n = ident(&f.rust);
            quote!(#root.#n.is_none())
        }
        Condition::Absent(path) => {
            let e = cond_walk(
                model,
                fields,
                root.clone(),
                &RulePath::parse(path).steps,
                &|_, _| None,
            )?;
            quote!(!#e)
        }
        Condition::Equals(pv) => {
            let value = pv.value.clone();
            cond_walk(
                model,
                fields,
                root.clone(),
                &RulePath::parse(&pv.path).steps,
                &move |var, ty| {
                    Some(match (ty, &value) {
                        (
                            Ty::Scalar {
                                kind: Scalar::String,
                                ..
                            }
                            | Ty::Enum(_),
                            serde_json::Value::String(s),
                        ) => {
                            quote!(#var.as_str() == #s)
                        }
                        (
                            Ty::Scalar {
                                kind: Scalar::Boolean,
                                ..
                            },
                            serde_json::Value::Bool(true),
                        ) => quote!(*#var),
                        (
                            Ty::Scalar {
                                kind: Scalar::Boolean,
                                ..
                            },
                            serde_json::Value::Bool(false),
                        ) => quote!(!*#var),
                        (Ty::Scalar { kind, .. }, serde_json::Value::Number(n))
                            if kind.is_integer() =>
                        {
                            let n = num_tokens(n, false);
                            if *kind == Scalar::Int64 {
                                quote!(*#var == #n)
                            } else {
                                quote!(i64::from(*#var) == #n)
                            }
                        }
                        (Ty::Scalar { .. }, serde_json::Value::Number(n)) => {
                            let n = num_tokens(n, true);
                            quote!(*#var == #n)
                        }
                        _ => quote!(false),
                    })
                },
            )?
        }
        Condition::ItemsMoreThan(pc) => {
            let count = pc.count as usize;
            cond_walk(
                model,
                fields,
                root.clone(),
                &RulePath::parse(&pc.path).steps,
                &move |var, ty| {
                    Some(match ty {
                        Ty::List(_) | Ty::Map(_) => quote!(#var.len() > #count),
                        _ => quote!(::alicloud_runtime::rules::list_len(#var) > #count),
                    })
                },
            )?
        }
    })
}

fn rule_checks(
    model: &ProductModel,
    fields: &[FieldModel],
    rules: &[CrossRule],
    root: &TokenStream,
) -> TokenStream {
    let items = rules.iter().filter_map(|r| {
        // A stated rule refuses; an inferred one only advises.
        let (report, severity) = match r.basis() {
            Basis::Stated => (quote!(report), quote!(Refusal)),
            Basis::Inferred => (quote!(advise), quote!(Advisory)),
        };
        rule_check(model, fields, root, r, &report, &severity)
    });
    quote!(#(#items)*)
}

fn rule_check(
    model: &ProductModel,
    fields: &[FieldModel],
    root: &TokenStream,
    rule: &CrossRule,
    report: &TokenStream,
    severity: &TokenStream,
) -> Option<TokenStream> {
    match rule {
        CrossRule::ExclusiveGroups {
            groups, error_code, ..
        } => {
            let code = code_tokens(error_code);
            let gs = groups.iter().map(|g| {
                let name = &g.name;
                let members = g.fields.iter().filter_map(|w| {
                    let f = fields.iter().find(|f| &f.wire == w)?;
                    let n = ident(&f.rust);
                    Some(quote!((#w, #root.#n.is_some())))
                });
                quote!((#name, &[#(#members),*]))
            });
            Some(
                quote!(v.exclusive_groups(::alicloud_runtime::Severity::#severity, path, &[#(#gs),*], #code);),
            )
        }
        CrossRule::RequiresIf {
            when,
            require,
            error_code,
            ..
        } => {
            let cond = cond_expr(model, fields, root, when, true)?;
            let absent = cond_expr(
                model,
                fields,
                root,
                &Condition::Absent(require.clone()),
                true,
            )?;
            let code = code_tokens(error_code);
            let msg = format!(
                "is required by the values of other fields ({})",
                describe_condition(when)
            );
            Some(quote! {
                if #cond && #absent {
                    v.#report(::alicloud_runtime::path::join(path, #require), ::alicloud_runtime::Rule::RequiresIf, ::std::string::String::from(#msg), ::alicloud_runtime::validate::Shown::Nothing, #code);
                }
            })
        }
        CrossRule::Forbid {
            when,
            report_at,
            message,
            error_code,
            ..
        } => {
            let cond = cond_expr(model, fields, root, when, true)?;
            let code = code_tokens(error_code);
            Some(quote! {
                if #cond {
                    v.#report(::alicloud_runtime::path::join(path, #report_at), ::alicloud_runtime::Rule::ForbiddenCombination, ::std::string::String::from(#message), ::alicloud_runtime::validate::Shown::Nothing, #code);
                }
            })
        }
    }
}

/// A condition in words, for messages and docs.
pub fn describe_condition(c: &Condition) -> String {
    match c {
        Condition::All(cs) => cs
            .iter()
            .map(describe_condition)
            .collect::<Vec<_>>()
            .join(" and "),
        Condition::Any(cs) => format!(
            "({})",
            cs.iter()
                .map(describe_condition)
                .collect::<Vec<_>>()
                .join(" or ")
        ),
        Condition::Present(p) => format!("{p} is set"),
        Condition::Absent(p) => format!("{p} is not set"),
        Condition::Equals(pv) => format!("{} is {}", pv.path, pv.value),
        Condition::ItemsMoreThan(pc) => format!("{} has more than {} item(s)", pc.path, pc.count),
    }
}

/// Whether validation reports required fields left unset: a request's `validate()` does; an
/// object's builder refuses to build without them instead.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum RequiredFields {
    /// Reported as `Required` violations.
    Reported,
    /// Checked by the builder.
    CheckedByBuilder,
}

/// A type's validation: its inherent `validate()` method, and the `Validate` impl with the
/// checks.
pub struct Validation {
    /// `pub fn validate(&self)`, for the type's inherent impl block.
    pub method: TokenStream,
    /// `impl Validate for …`.
    pub trait_impl: TokenStream,
}

pub(crate) fn validate_impl(
    model: &ProductModel,
    name: &Name,
    fields: &[FieldModel],
    rules: &[CrossRule],
    required: RequiredFields,
    extra: bool,
) -> Validation {
    let root = quote!(self);
    let check_required = required == RequiredFields::Reported;
    let per_field: Vec<TokenStream> = fields
        .iter()
        .map(|f| field_validation(model, f, fields, &root, check_required))
        .filter(|t| !t.is_empty())
        .collect();
    let mut rules = rule_checks(model, fields, rules, &root);
    if extra {
        let declared = fields.iter().map(|f| &f.wire);
        rules.extend(quote!(self.extra.validate(path, &[#(#declared),*], v);));
    }
    let allow = allow_deprecated(fields);
    let unused = (per_field.is_empty() && rules.is_empty()).then(|| quote!(let _ = (path, v);));
    Validation {
        method: quote! {
            /// Checks every constraint and rule, returning all violations at once.
            #[inline]
            pub fn validate(&self) -> ::std::result::Result<(), ::alicloud_runtime::Violations> {
                ::alicloud_runtime::client::validate_request(self)
            }
        },
        trait_impl: quote! {
            impl ::alicloud_runtime::validate::Validate for #name {
                #allow
                #[inline]
                fn validate_at(&self, path: &::alicloud_runtime::Path<'_>, v: &mut ::alicloud_runtime::Validator) {
                    #unused
                    #(#per_field)*
                    #rules
                }
            }
        },
    }
}
