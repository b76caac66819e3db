//! Operation allow-lists: generating a crate of some operations of a product only
//! ([`crate::Settings::operations`]), e.g. to measure what one operation costs to compile.

use std::collections::BTreeSet;

use crate::diag::Diagnostics;
use crate::load::ProductSpec;
use crate::spec::grammar::{parse_type, TypeExpr};
use crate::spec::Shape;

fn named(expr: &TypeExpr, out: &mut Vec<String>) {
    match expr {
        TypeExpr::Named(n) => out.push(n.clone()),
        TypeExpr::List(t) | TypeExpr::Map(t) => named(t, out),
        _ => {}
    }
}

fn push_type(ty: &str, out: &mut Vec<String>) {
    if let Ok(expr) = parse_type(ty) {
        named(&expr, out);
    }
}

/// Keeps the operations of `spec` named in `keep`, and the shapes they reach (through their
/// parameters, responses and the fields of those shapes); every other shape goes. A kept
/// operation whose `asynchronous.poll_operation` is left out loses its `asynchronous`
/// (it has nothing to poll). Names of `keep` that are not operations of the product are
/// reported as errors.
pub fn retain_operations(spec: &mut ProductSpec, keep: &BTreeSet<String>, diags: &mut Diagnostics) {
    let known: BTreeSet<&str> = spec
        .operations
        .iter()
        .map(|(o, _)| o.name.as_str())
        .collect();
    for name in keep {
        if !known.contains(name.as_str()) {
            diags.error(
                &spec.folder,
                "$",
                format!(
                    "the operation allow-list names `{name}`, which is not an operation of {}",
                    spec.folder
                ),
                format!(
                    "name operations of the product, e.g. `{}`",
                    known.iter().next().copied().unwrap_or("…")
                ),
            );
        }
    }
    spec.operations.retain(|(o, _)| keep.contains(&o.name));
    let mut stack: Vec<String> = Vec::new();
    for (op, _) in &mut spec.operations {
        if op
            .asynchronous
            .as_ref()
            .is_some_and(|a| !keep.contains(&a.poll_operation))
        {
            op.asynchronous = None;
        }
        for p in &op.parameters {
            push_type(&p.ty, &mut stack);
        }
        for f in &op.response {
            push_type(&f.ty, &mut stack);
        }
    }
    let mut reached: BTreeSet<String> = BTreeSet::new();
    while let Some(name) = stack.pop() {
        if !reached.insert(name.clone()) {
            continue;
        }
        if let Some((Shape::Object { fields, .. }, _)) = spec.shapes.get(&name) {
            for f in fields {
                push_type(&f.ty, &mut stack);
            }
        }
    }
    spec.shapes.retain(|name, _| reached.contains(name));
}
