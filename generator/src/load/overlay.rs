//! Applying an overlay to its imported operation (the steps and their order are documented on
//! [`OperationOverlay`]). Every name an overlay gives must exist where it points; problems are
//! reported at the overlay's own file and JSON path.

use std::collections::BTreeMap;

use super::origin::Origin;
use crate::diag::Diagnostics;
use crate::spec::grammar::{parse_type, TypeExpr};
use crate::spec::{
    ErrorPatch, Field, FieldPatch, Operation, OperationOverlay, Parameter, ParameterPatch, Shape,
    ShapePatch,
};

/// Applies `ov` (declared in `file` at `at`) to `ops[index]`, renaming and adding shapes in
/// `shapes`.
pub(super) fn apply(
    ov: &OperationOverlay,
    file: &str,
    at: &str,
    index: usize,
    ops: &mut [(Operation, Origin)],
    shapes: &mut BTreeMap<String, (Shape, Origin)>,
    diags: &mut Diagnostics,
) {
    let name = ov.operation.clone();
    for (old, new) in &ov.rename_shapes {
        let path = format!("{at}.rename_shapes.{old}");
        if old == new {
            continue;
        }
        if shapes.contains_key(new) {
            diags.error(
                file,
                &path,
                format!("cannot rename `{old}` to `{new}`: a shape `{new}` exists"),
                "choose a free name, or replace the existing shape under `shapes`",
            );
            continue;
        }
        let Some(entry) = shapes.remove(old) else {
            diags.error(
                file,
                &path,
                format!("there is no shape `{old}` to rename"),
                "name a shape of the import (see the operation's imported file)",
            );
            continue;
        };
        shapes.insert(new.clone(), entry);
        for (op, _) in ops.iter_mut() {
            for p in &mut op.parameters {
                p.ty = rename_type(&p.ty, old, new);
            }
            for f in &mut op.response {
                f.ty = rename_type(&f.ty, old, new);
            }
        }
        for (shape, _) in shapes.values_mut() {
            if let Shape::Object { fields, .. } = shape {
                for f in fields {
                    f.ty = rename_type(&f.ty, old, new);
                }
            }
        }
    }
    for (shape_name, shape) in &ov.shapes {
        shapes.insert(
            shape_name.clone(),
            (
                shape.clone(),
                Origin {
                    file: file.to_owned(),
                    path: format!("{at}.shapes.{shape_name}"),
                    owner: Some(name.clone()),
                },
            ),
        );
    }
    for (shape_name, patch) in &ov.shape_patches {
        let path = format!("{at}.shape_patches.{shape_name}");
        match shapes.get_mut(shape_name) {
            Some((shape @ Shape::Object { .. }, _)) => {
                patch_shape(shape, patch, file, &path, diags)
            }
            Some(_) => diags.error(
                file,
                &path,
                format!("shape `{shape_name}` is not an object"),
                "replace enums and scalars whole under `shapes`",
            ),
            None => diags.error(
                file,
                &path,
                format!("there is no shape `{shape_name}`"),
                "name a shape of the product (after `rename_shapes`)",
            ),
        }
    }
    let op = &mut ops[index].0;
    for (i, wire) in ov.remove_parameters.iter().enumerate() {
        match op.parameters.iter().position(|p| &p.name == wire) {
            Some(k) => {
                op.parameters.remove(k);
            }
            None => diags.error(
                file,
                format!("{at}.remove_parameters[{i}]"),
                format!("operation `{name}` has no parameter `{wire}` to remove"),
                "name an imported parameter by its wire name",
            ),
        }
    }
    for (wire, patch) in &ov.parameters {
        match op.parameters.iter_mut().find(|p| &p.name == wire) {
            Some(p) => patch_parameter(p, patch),
            None => diags.error(
                file,
                format!("{at}.parameters.{wire}"),
                format!("operation `{name}` has no parameter `{wire}`"),
                "name an imported parameter by its wire name, or add it under `add_parameters`",
            ),
        }
    }
    for (i, p) in ov.add_parameters.iter().enumerate() {
        if op.parameters.iter().any(|q| q.name == p.name) {
            diags.error(
                file,
                format!("{at}.add_parameters[{i}].name"),
                format!("operation `{name}` already has a parameter `{}`", p.name),
                "change it under `parameters` instead",
            );
        } else {
            op.parameters.push(p.clone());
        }
    }
    op.rules.extend(ov.rules.iter().cloned());
    remove_fields(
        &mut op.response,
        &ov.remove_response,
        file,
        &format!("{at}.remove_response"),
        &format!("the response of `{name}`"),
        diags,
    );
    patch_fields(
        &mut op.response,
        &ov.response,
        file,
        &format!("{at}.response"),
        &format!("the response of `{name}`"),
        diags,
    );
    add_fields(
        &mut op.response,
        &ov.add_response,
        file,
        &format!("{at}.add_response"),
        &format!("the response of `{name}`"),
        diags,
    );
    reorder(
        &mut op.response,
        &ov.response_order,
        file,
        &format!("{at}.response_order"),
        &format!("the response of `{name}`"),
        diags,
    );
    // Patches of a code (every status) before those of one status (`Code@500`).
    let mut error_patches: Vec<(&str, Option<u16>, &str, &ErrorPatch)> = ov
        .errors
        .iter()
        .map(|(key, patch)| match key.rsplit_once('@') {
            Some((code, status)) if status.parse::<u16>().is_ok() => {
                (code, status.parse::<u16>().ok(), key.as_str(), patch)
            }
            _ => (key.as_str(), None, key.as_str(), patch),
        })
        .collect();
    error_patches.sort_by_key(|(_, status, _, _)| status.is_some());
    for (code, status, key, patch) in error_patches {
        let mut found = false;
        for e in op
            .errors
            .iter_mut()
            .filter(|e| e.code == code && status.is_none_or(|s| s == e.status))
        {
            found = true;
            patch_error(e, patch);
        }
        if !found {
            diags.error(
                file,
                format!("{at}.errors.{key}"),
                match status {
                    Some(s) => format!(
                        "operation `{name}` documents no error code `{code}` under HTTP {s}"
                    ),
                    None => format!("operation `{name}` documents no error code `{code}`"),
                },
                "name a documented code, or add it under `add_errors`",
            );
        }
    }
    op.errors.extend(ov.add_errors.iter().cloned());
    op.waiters.extend(ov.waiters.iter().cloned());
    if let Some(d) = &ov.description {
        op.description = d.clone();
    }
    if let Some(m) = ov.http_method {
        op.http_method = m;
    }
    if let Some(p) = &ov.path {
        op.path = Some(p.clone());
    }
    if let Some(r) = &ov.ram {
        op.ram = Some(r.clone());
    }
    if let Some(a) = &ov.asynchronous {
        op.asynchronous = Some(a.clone());
    }
    if let Some(d) = ov.deprecated {
        op.deprecated = d;
    }
}

fn patch_shape(
    shape: &mut Shape,
    patch: &ShapePatch,
    file: &str,
    at: &str,
    diags: &mut Diagnostics,
) {
    let Shape::Object {
        description,
        fields,
        rules,
    } = shape
    else {
        return;
    };
    if let Some(d) = &patch.description {
        *description = d.clone();
    }
    let what = "the shape";
    remove_fields(
        fields,
        &patch.remove_fields,
        file,
        &format!("{at}.remove_fields"),
        what,
        diags,
    );
    patch_fields(
        fields,
        &patch.fields,
        file,
        &format!("{at}.fields"),
        what,
        diags,
    );
    add_fields(
        fields,
        &patch.add_fields,
        file,
        &format!("{at}.add_fields"),
        what,
        diags,
    );
    reorder(
        fields,
        &patch.order,
        file,
        &format!("{at}.order"),
        what,
        diags,
    );
    rules.extend(patch.rules.iter().cloned());
}

/// Puts the fields named in `order` first, in that order; the others follow in theirs.
fn reorder(
    fields: &mut Vec<Field>,
    order: &[String],
    file: &str,
    at: &str,
    what: &str,
    diags: &mut Diagnostics,
) {
    let mut first = Vec::new();
    for (i, wire) in order.iter().enumerate() {
        match fields.iter().position(|f| &f.name == wire) {
            Some(k) => first.push(fields.remove(k)),
            None => diags.error(
                file,
                format!("{at}[{i}]"),
                format!("{what} has no field `{wire}` (or it is listed twice)"),
                "list each field once, by its wire name",
            ),
        }
    }
    first.append(fields);
    *fields = first;
}

fn remove_fields(
    fields: &mut Vec<Field>,
    names: &[String],
    file: &str,
    at: &str,
    what: &str,
    diags: &mut Diagnostics,
) {
    for (i, wire) in names.iter().enumerate() {
        match fields.iter().position(|f| &f.name == wire) {
            Some(k) => {
                fields.remove(k);
            }
            None => diags.error(
                file,
                format!("{at}[{i}]"),
                format!("{what} has no field `{wire}` to remove"),
                "name a field by its wire name",
            ),
        }
    }
}

fn patch_fields(
    fields: &mut [Field],
    patches: &BTreeMap<String, FieldPatch>,
    file: &str,
    at: &str,
    what: &str,
    diags: &mut Diagnostics,
) {
    for (wire, patch) in patches {
        match fields.iter_mut().find(|f| &f.name == wire) {
            Some(f) => patch_field(f, patch),
            None => diags.error(
                file,
                format!("{at}.{wire}"),
                format!("{what} has no field `{wire}`"),
                "name a field by its wire name, or add it",
            ),
        }
    }
}

fn add_fields(
    fields: &mut Vec<Field>,
    added: &[Field],
    file: &str,
    at: &str,
    what: &str,
    diags: &mut Diagnostics,
) {
    for (i, f) in added.iter().enumerate() {
        if fields.iter().any(|g| g.name == f.name) {
            diags.error(
                file,
                format!("{at}[{i}].name"),
                format!("{what} already has a field `{}`", f.name),
                "patch the existing field instead",
            );
        } else {
            fields.push(f.clone());
        }
    }
}

fn patch_parameter(p: &mut Parameter, patch: &ParameterPatch) {
    if let Some(v) = &patch.description {
        p.description = v.clone();
    }
    if let Some(v) = &patch.ty {
        p.ty = v.clone();
    }
    if let Some(v) = patch.required {
        p.required = v;
    }
    if let Some(v) = patch.location {
        p.location = v;
    }
    if let Some(v) = patch.style {
        p.style = v;
    }
    if let Some(v) = patch.sensitive {
        p.sensitive = v;
    }
    if let Some(v) = &patch.example {
        p.example = v.clone();
    }
    if let Some(v) = patch.idempotency_token {
        p.idempotency_token = v;
    }
    if let Some(v) = patch.deprecated {
        p.deprecated = v;
    }
    if let Some(v) = &patch.constraints {
        p.constraints = v.clone();
    }
    if let Some(v) = &patch.pattern {
        p.pattern = v.clone();
    }
}

fn patch_field(f: &mut Field, patch: &FieldPatch) {
    if let Some(v) = &patch.description {
        f.description = v.clone();
    }
    if let Some(v) = &patch.ty {
        f.ty = v.clone();
    }
    if let Some(v) = patch.required {
        f.required = v;
    }
    if let Some(v) = patch.sensitive {
        f.sensitive = v;
    }
    if let Some(v) = &patch.example {
        f.example = v.clone();
    }
    if let Some(v) = &patch.constraints {
        f.constraints = v.clone();
    }
    if let Some(v) = &patch.pattern {
        f.pattern = v.clone();
    }
    if let Some(v) = patch.deprecated {
        f.deprecated = v;
    }
}

fn patch_error(e: &mut crate::spec::ErrorCode, patch: &ErrorPatch) {
    if let Some(v) = &patch.message {
        e.message = v.clone();
    }
    if let Some(v) = &patch.description {
        e.description = v.clone();
    }
    if let Some(v) = patch.retryable {
        e.retryable = Some(v);
    }
}

/// `ty` with every use of shape `old` replaced by `new` (unchanged when it does not parse:
/// the checker reports that).
fn rename_type(ty: &str, old: &str, new: &str) -> String {
    fn render(e: &TypeExpr, old: &str, new: &str) -> String {
        match e {
            TypeExpr::Scalar(_) | TypeExpr::Any => scalar_text(e),
            TypeExpr::List(t) => format!("list<{}>", render(t, old, new)),
            TypeExpr::Map(t) => format!("map<{}>", render(t, old, new)),
            TypeExpr::Named(n) if n == old => new.to_owned(),
            TypeExpr::Named(n) => n.clone(),
        }
    }
    match parse_type(ty) {
        Ok(e) => render(&e, old, new),
        Err(_) => ty.to_owned(),
    }
}

/// The spec text of a scalar or `any` type expression.
fn scalar_text(e: &TypeExpr) -> String {
    use crate::spec::grammar::Scalar;
    match e {
        TypeExpr::Scalar(s) => match s {
            Scalar::String => "string",
            Scalar::Boolean => "boolean",
            Scalar::Int32 => "int32",
            Scalar::Int64 => "int64",
            Scalar::Float => "float",
            Scalar::Double => "double",
        }
        .to_owned(),
        _ => "any".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn renames_inside_type_expressions() {
        assert_eq!(super::rename_type("A", "A", "B"), "B");
        assert_eq!(super::rename_type("list<map<A>>", "A", "B"), "list<map<B>>");
        assert_eq!(super::rename_type("list<AB>", "A", "B"), "list<AB>");
        assert_eq!(super::rename_type("int64", "A", "B"), "int64");
        assert_eq!(super::rename_type("any", "A", "B"), "any");
        assert_eq!(super::rename_type("list<", "A", "B"), "list<");
    }
}
