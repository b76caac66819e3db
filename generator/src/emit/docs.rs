//! Doc comments built from facts: a field's wire name, type, location, constraints, valid
//! values and example.

use crate::model::{FieldModel, ProductModel, Scalar, ShapeKind, Ty};
use crate::spec::{Constraint, Location, Style};

fn type_words(model: &ProductModel, ty: &Ty) -> String {
    match ty {
        Ty::Scalar { kind, as_string } => {
            let k = match kind {
                Scalar::String => "string",
                Scalar::Boolean => "boolean",
                Scalar::Int32 => "int32",
                Scalar::Int64 => "int64",
                Scalar::Float => "float",
                Scalar::Double => "double",
            };
            if *as_string {
                format!("{k}, written as a JSON string")
            } else {
                k.to_owned()
            }
        }
        Ty::Any => "free-form JSON".into(),
        Ty::List(t) => format!("list of {}", type_words(model, t)),
        Ty::Map(t) => format!("map of {}", type_words(model, t)),
        Ty::Object(i) | Ty::Enum(i) => {
            let sh = &model.shapes[*i];
            let module = match sh.home {
                None => "types".to_owned(),
                Some(op) => format!("operation::{}", model.operations[op].module.as_str()),
            };
            format!("[`crate::{module}::{}`]", sh.rust)
        }
    }
}

/// Describes a constraint in a sentence, for rustdoc.
pub fn constraint_words(c: &Constraint) -> String {
    let (text, code) = match c {
        Constraint::Length {
            min,
            max,
            error_code,
        } => (
            match (min, max) {
                (Some(a), Some(b)) => format!("{a} to {b} characters"),
                (Some(a), None) => format!("at least {a} characters"),
                (None, Some(b)) => format!("at most {b} characters"),
                (None, None) => "any length".into(),
            },
            error_code,
        ),
        Constraint::Range {
            min,
            max,
            exclusive_min,
            exclusive_max,
            error_code,
        } => {
            let lo = min.as_ref().map(|m| {
                format!(
                    "{} {m}",
                    if *exclusive_min {
                        "greater than"
                    } else {
                        "at least"
                    }
                )
            });
            let hi = max.as_ref().map(|m| {
                format!(
                    "{} {m}",
                    if *exclusive_max {
                        "less than"
                    } else {
                        "at most"
                    }
                )
            });
            let parts: Vec<String> = lo.into_iter().chain(hi).collect();
            (parts.join(" and "), error_code)
        }
        Constraint::ForbiddenPrefixes {
            prefixes,
            error_code,
        } => (
            format!(
                "must not start with {}",
                prefixes
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            error_code,
        ),
        Constraint::Ascii { error_code } => ("ASCII characters only".into(), error_code),
        Constraint::Charset {
            letters,
            digits,
            chars,
            error_code,
        } => {
            let mut parts = Vec::new();
            if *letters {
                parts.push("letters".to_owned());
            }
            if *digits {
                parts.push("digits".to_owned());
            }
            if !chars.is_empty() {
                parts.push(format!(
                    "the characters <code>{}</code>",
                    html_escape(chars)
                ));
            }
            (format!("only {}", parts.join(", ")), error_code)
        }
        Constraint::NoWhitespace { error_code } => ("no white space".into(), error_code),
        Constraint::Ipv4 { error_code } => ("an IPv4 address".into(), error_code),
        Constraint::Cidr { error_code } => ("an IPv4 CIDR block".into(), error_code),
        Constraint::CidrList { error_code } => (
            "a comma-separated list of IPv4 CIDR blocks".into(),
            error_code,
        ),
        Constraint::CidrWithin {
            block,
            prefix_len,
            excluded,
            error_code,
        } => {
            let mut t = format!("a CIDR block inside `{block}`");
            if let Some(l) = prefix_len {
                t.push_str(&format!(" with a /{l} prefix"));
            }
            if !excluded.is_empty() {
                t.push_str(&format!(
                    ", overlapping none of {}",
                    excluded
                        .iter()
                        .map(|e| format!("`{e}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            (t, error_code)
        }
        Constraint::AddressInSibling {
            sibling,
            error_code,
        } => (
            format!("an address inside the block given in `{sibling}`"),
            error_code,
        ),
        Constraint::Asn { error_code } => (
            "an AS number: 1 to 4294967295, or `high.low` with both parts 0 to 65535".into(),
            error_code,
        ),
        Constraint::Items {
            min,
            max,
            error_code,
        } => (
            match (min, max) {
                (Some(a), Some(b)) => format!("{a} to {b} items"),
                (Some(a), None) => format!("at least {a} items"),
                (None, Some(b)) => format!("at most {b} items"),
                (None, None) => "any number of items".into(),
            },
            error_code,
        ),
        Constraint::UniqueItems { field, error_code } => {
            (format!("no two items with the same `{field}`"), error_code)
        }
    };
    match code {
        Some(c) => format!("{text} (the service answers `{c}`)"),
        None => text,
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('`', "&#96;")
        .replace('[', "&#91;")
        .replace(']', "&#93;")
}

pub(crate) fn field_doc(model: &ProductModel, f: &FieldModel, param: bool) -> String {
    let mut d = String::new();
    if !f.description.is_empty() {
        d.push_str(&f.description);
        d.push_str("\n\n");
    }
    d.push_str(&format!(
        "Wire name `{}`; {}",
        f.wire,
        type_words(model, &f.ty)
    ));
    if param {
        let roa = model.product.style == crate::spec::ApiStyle::Roa;
        let loc = match f.location {
            Location::Query => "query",
            Location::Body if roa => "JSON body",
            Location::Body => "form body",
            Location::Header => "header",
            Location::Path => "path",
            Location::WholeBody => "whole JSON body",
        };
        let style = match f.style {
            // A ROA body member, path segment or whole body has no wire style of its own.
            _ if roa && !matches!(f.location, Location::Query | Location::Header) => "",
            Style::Plain => "",
            Style::Json => ", sent as one compact JSON parameter",
            Style::Flat | Style::RepeatList => ", flattened as `Name.1.Field`",
            Style::Simple => ", items joined by commas",
            Style::SpaceDelimited => ", items joined by spaces",
            Style::PipeDelimited => ", items joined by `|`",
        };
        d.push_str(&format!("; in the {loc}{style}"));
    }
    d.push('.');
    if f.required {
        d.push_str(" **Required.**");
    }
    if f.sensitive {
        d.push_str(" Secret: redacted in `Debug` output and validation errors.");
    }
    if f.idempotency_token {
        d.push_str(" Idempotency token: filled with a fresh UUID when left empty, and kept the same across retries.");
    }
    if let Ty::Enum(i) = f.ty.element() {
        if let ShapeKind::Enum { variants } = &model.shapes[*i].kind {
            let vals: Vec<String> = variants.iter().map(|v| format!("`{}`", v.value)).collect();
            d.push_str(&format!("\n\nValid values: {}.", vals.join(", ")));
        }
    }
    if !f.constraints.is_empty() || f.pattern.is_some() {
        d.push_str("\n\nConstraints:");
        for c in &f.constraints {
            d.push_str(&format!("\n- {}", constraint_words(c)));
        }
        if let Some(p) = &f.pattern {
            // A double-backtick code span, so that a backtick in the pattern cannot end it.
            d.push_str(&format!(
                "\n- matches the pattern `` {p} `` ({})",
                if matches!(f.ty, Ty::List(_)) {
                    "each item as a whole"
                } else {
                    "the whole value"
                }
            ));
        }
    }
    if let Some(ex) = &f.example {
        let text = match ex {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        d.push_str(&format!("\n\nExample: `{}`", text.replace('`', "'")));
    }
    d
}
