//! A well-formed answer synthesised from an operation's response model, for servers (the
//! emulator answers it to operations it keeps no state for): every field present, typed as
//! the model says, so that typed clients and other SDKs parse it.

use serde_json::{Map, Number, Value};

use crate::model::{FieldModel, OperationModel, ProductModel, Scalar, ShapeKind, Ty};

/// Nesting deeper than this (a shape reaching itself) stops with the field left out.
const MAX_DEPTH: usize = 8;

/// The response example of `op`, as compact JSON: an object of its response fields, or, when
/// the whole body is one value (a ROA array or string, held in the response's `body` field),
/// that value alone, as the service sends it.
pub fn response_example(model: &ProductModel, op: &OperationModel) -> String {
    if op.spec.response_body.is_some() {
        if let Some(f) = op.response.iter().find(|f| f.wire == "body") {
            return value(model, &f.ty, f.example.as_ref(), &f.wire, 0)
                .unwrap_or(Value::Null)
                .to_string();
        }
    }
    Value::Object(object(model, &op.response, 0)).to_string()
}

fn object(model: &ProductModel, fields: &[FieldModel], depth: usize) -> Map<String, Value> {
    let mut m = Map::new();
    for f in fields {
        if let Some(v) = value(model, &f.ty, f.example.as_ref(), &f.wire, depth) {
            m.insert(f.wire.clone(), v);
        }
    }
    m
}

fn value(
    model: &ProductModel,
    ty: &Ty,
    example: Option<&Value>,
    wire: &str,
    depth: usize,
) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match ty {
        Ty::Scalar { kind, as_string } => {
            let v = scalar(*kind, example, wire);
            if *as_string && !v.is_string() {
                Value::String(match &v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
            } else {
                v
            }
        }
        Ty::Any => example
            .cloned()
            .unwrap_or_else(|| Value::Object(Map::new())),
        Ty::List(item) => {
            // An example of a list is usually the example of one item (or the list as JSON).
            let item_example = match example {
                Some(Value::Array(a)) => a.first(),
                other => other,
            };
            match value(model, item, item_example, wire, depth + 1) {
                Some(v) => Value::Array(vec![v]),
                None => Value::Array(Vec::new()),
            }
        }
        Ty::Map(_) => Value::Object(Map::new()),
        Ty::Object(i) => match &model.shapes[*i].kind {
            ShapeKind::Object { fields, .. } => Value::Object(object(model, fields, depth + 1)),
            ShapeKind::Enum { .. } => Value::Object(Map::new()),
        },
        Ty::Enum(i) => match &model.shapes[*i].kind {
            ShapeKind::Enum { variants } => {
                let ex = example.and_then(Value::as_str);
                let pick = variants
                    .iter()
                    .find(|v| Some(v.value.as_str()) == ex)
                    .or(variants.first());
                Value::String(pick.map_or_else(String::new, |v| v.value.clone()))
            }
            ShapeKind::Object { .. } => Value::String(String::new()),
        },
    })
}

/// The example when it reads as the scalar, else a plain value of that type.
fn scalar(kind: Scalar, example: Option<&Value>, wire: &str) -> Value {
    let text = example.map(|e| match e {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    match kind {
        Scalar::String => Value::String(text.unwrap_or_else(|| placeholder(wire))),
        Scalar::Boolean => Value::Bool(
            text.and_then(|t| t.trim().to_ascii_lowercase().parse().ok())
                .unwrap_or(false),
        ),
        Scalar::Int32 | Scalar::Int64 => Value::Number(
            text.and_then(|t| t.trim().parse::<i64>().ok())
                .filter(|n| kind == Scalar::Int64 || i32::try_from(*n).is_ok())
                .map_or_else(|| Number::from(1), Number::from),
        ),
        Scalar::Float | Scalar::Double => text
            .and_then(|t| t.trim().parse::<f64>().ok())
            .and_then(Number::from_f64)
            .map_or_else(|| Value::Number(Number::from(1)), Value::Number),
    }
}

/// A string field without an example: identifiers look like one (`<name>-emulated`), other
/// text names its field.
fn placeholder(wire: &str) -> String {
    let lower = wire.to_ascii_lowercase();
    match lower.strip_suffix("id") {
        Some(stem) if !stem.is_empty() => format!("{stem}-emulated"),
        _ => format!("example-{lower}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_follow_their_type_not_the_example_text() {
        let s = |v: &str| Some(Value::String(v.to_owned()));
        assert_eq!(
            scalar(Scalar::Int32, s("12").as_ref(), "N"),
            serde_json::json!(12)
        );
        assert_eq!(
            scalar(Scalar::Int32, s("many").as_ref(), "N"),
            serde_json::json!(1)
        );
        assert_eq!(
            scalar(Scalar::Boolean, s("True").as_ref(), "B"),
            serde_json::json!(true)
        );
        assert_eq!(
            scalar(Scalar::String, None, "VpcId"),
            serde_json::json!("vpc-emulated")
        );
        assert_eq!(
            scalar(Scalar::String, None, "Status"),
            serde_json::json!("example-status")
        );
    }
}
