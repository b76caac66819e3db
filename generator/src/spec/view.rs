//! One view of what parameters and object fields have in common, for the stages that treat
//! both alike (the checker, the model).

use super::format::{Constraint, Field, Parameter, ParameterLocation, Style};

/// A parameter or an object (or response) field, seen alike.
#[derive(Clone, Copy, Debug)]
pub struct FieldView<'a> {
    /// Wire name.
    pub name: &'a str,
    /// Our description.
    pub description: &'a str,
    /// Type expression, as written.
    pub ty: &'a str,
    /// Required.
    pub required: bool,
    /// Secret.
    pub sensitive: bool,
    /// Constraints.
    pub constraints: &'a [Constraint],
    /// Pattern.
    pub pattern: Option<&'a str>,
    /// Example.
    pub example: Option<&'a serde_json::Value>,
    /// Where a parameter travels; `None` for fields.
    pub location: Option<ParameterLocation>,
    /// A parameter's wire style; `None` for fields.
    pub style: Option<Style>,
    /// An idempotency token (parameters only).
    pub idempotency_token: bool,
    /// Deprecated.
    pub deprecated: bool,
}

impl<'a> FieldView<'a> {
    /// An object or response field.
    pub fn of_field(f: &'a Field) -> Self {
        FieldView {
            name: &f.name,
            description: &f.description,
            ty: &f.ty,
            required: f.required,
            sensitive: f.sensitive,
            constraints: &f.constraints,
            pattern: f.pattern.as_deref(),
            example: f.example.as_ref(),
            location: None,
            style: None,
            idempotency_token: false,
            deprecated: f.deprecated,
        }
    }

    /// A request parameter.
    pub fn of_param(p: &'a Parameter) -> Self {
        FieldView {
            name: &p.name,
            description: &p.description,
            ty: &p.ty,
            required: p.required,
            sensitive: p.sensitive,
            constraints: &p.constraints,
            pattern: p.pattern.as_deref(),
            example: p.example.as_ref(),
            location: Some(p.location),
            style: Some(p.style),
            idempotency_token: p.idempotency_token,
            deprecated: p.deprecated,
        }
    }
}
