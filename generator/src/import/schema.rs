//! Metadata schemas to spec types: scalars, lists, maps, `any`, inline objects and enums (named
//! shapes, derived from where they are declared), `$ref`s to `components.schemas`,
//! constraints and examples.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use serde_json::{Map, Value};

use super::facts::{self, Counts, FactEnums, Outcome};
use super::issues::{member, IssueKind, Sink};
use super::value::{count, flag, number, parse_number, scalar_text, text};
use crate::check::{example_violation, looks_masked};
use crate::spec::grammar::Scalar;
use crate::spec::{Constraint, EnumValue, Field, Shape};

/// The file a shape is written to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum FileKey {
    /// `product.json`: shapes of `components.schemas`.
    Product,
    /// `<Operation>.json`: the operation's own shapes.
    Operation(String),
}

/// What a converted schema is, enough to choose a style and an example.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Form {
    Scalar(Scalar),
    Enum(Vec<String>),
    List(Box<Form>),
    Map,
    Object,
    Any,
}

impl Form {
    /// A scalar or an enum: one wire value.
    pub(super) fn is_single(&self) -> bool {
        matches!(self, Form::Scalar(_) | Form::Enum(_))
    }
}

/// A converted schema.
#[derive(Clone, Debug)]
pub(super) struct Typed {
    pub ty: String,
    pub form: Form,
    pub constraints: Vec<Constraint>,
    pub pattern: Option<String>,
    pub example: Option<Value>,
    pub deprecated: bool,
    /// Documentation in our words, from the facts of the metadata's description.
    pub note: String,
}

impl Typed {
    fn any() -> Self {
        Typed {
            ty: "any".into(),
            form: Form::Any,
            constraints: Vec::new(),
            pattern: None,
            example: None,
            deprecated: false,
            note: String::new(),
        }
    }
}

/// Where a schema is: the file its shapes go to, the name they derive from, and how to name
/// it in a diagnostic.
#[derive(Clone, Debug)]
pub(super) struct Place {
    pub file: FileKey,
    /// The shape name derived so far (UpperCamelCase).
    pub base: String,
    /// Who declares it: "operation `X`" or "shape `Y`".
    pub owner: String,
    /// "parameter", "response field" or "field".
    pub role: &'static str,
    /// The dotted path inside the owner: `TunnelOptionsSpecification[].TunnelBgpConfig`.
    pub path: String,
    /// JSON path in the metadata file.
    pub json: String,
    /// Request side (constraints kept) or response side (constraints dropped).
    pub request: bool,
}

impl Place {
    fn child(&self, name: &str, json_key: &str) -> Place {
        Place {
            file: self.file.clone(),
            base: format!("{}{}", self.base, type_name(name)),
            owner: self.owner.clone(),
            role: self.role,
            path: if self.path.is_empty() {
                name.to_owned()
            } else {
                format!("{}.{name}", self.path)
            },
            json: format!("{}.properties{}", self.json, member(json_key)),
            request: self.request,
        }
    }

    fn item(&self) -> Place {
        Place {
            path: format!("{}[]", self.path),
            json: format!("{}.items", self.json),
            ..self.clone()
        }
    }

    fn value(&self) -> Place {
        Place {
            base: format!("{}Value", self.base),
            path: format!("{}{{}}", self.path),
            json: format!("{}.additionalProperties", self.json),
            ..self.clone()
        }
    }

    /// The owner's bare name: `X` of "operation `X`".
    fn owner_name(&self) -> &str {
        self.owner.split('`').nth(1).unwrap_or(&self.owner)
    }

    /// "operation `X`, parameter `A.B`" for messages.
    pub(super) fn who(&self) -> String {
        if self.path.is_empty() {
            self.owner.clone()
        } else {
            format!("{}, {} `{}`", self.owner, self.role, self.path)
        }
    }
}

/// A UpperCamelCase type name for any text (`open_struct_MvDetailModel` →
/// `OpenStructMvDetailModel`, `3d` → `V3d`).
pub(super) fn type_name(s: &str) -> String {
    let mut out: String = s
        .to_upper_camel_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if out.is_empty() {
        out.push_str("Field");
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

/// What a component of `components.schemas` became.
#[derive(Clone, Debug)]
enum Component {
    /// Not converted yet; its shape name is reserved.
    Pending(String),
    /// Being converted (a reference to it now is a cycle through aliases).
    InProgress,
    /// A named shape (object or enum).
    Shape(String, Form),
    /// No shape of its own: references use this type.
    Alias(String, Form),
}

/// Converts schemas, collecting shapes per file and issues.
pub(super) struct Converter<'a> {
    pub sink: &'a mut Sink,
    components: &'a Map<String, Value>,
    component_state: BTreeMap<String, Component>,
    /// Every shape name given, and the names the generator reserves.
    pub taken: BTreeSet<String>,
    /// Shapes by file.
    pub shapes: BTreeMap<FileKey, BTreeMap<String, Shape>>,
    /// Where each object shape is declared in the metadata (JSON path).
    declared_at: BTreeMap<String, String>,
    /// Enums read from descriptions, named once every use is known.
    pub fact_enums: FactEnums,
    /// Fields per kind of fact read from descriptions.
    pub fact_counts: Counts,
    /// Append the metadata's own description to each note (for local use only).
    pub include_descriptions: bool,
}

const COMPONENT_PREFIX: &str = "#/components/schemas/";

impl<'a> Converter<'a> {
    /// A converter; `reserved` are names no shape may take.
    pub(super) fn new(
        sink: &'a mut Sink,
        components: &'a Map<String, Value>,
        reserved: BTreeSet<String>,
    ) -> Self {
        let mut c = Converter {
            sink,
            components,
            component_state: BTreeMap::new(),
            taken: reserved,
            shapes: BTreeMap::new(),
            declared_at: BTreeMap::new(),
            fact_enums: FactEnums::default(),
            fact_counts: Counts::default(),
            include_descriptions: false,
        };
        let keys: Vec<&String> = components
            .keys()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        for key in keys {
            let place = c.component_place(key, String::new());
            let name = c.allocate(&type_name(key), &place);
            c.component_state
                .insert(key.clone(), Component::Pending(name));
        }
        c
    }

    fn component_place(&self, key: &str, base: String) -> Place {
        Place {
            file: FileKey::Product,
            base,
            owner: format!("shape `{key}` of components.schemas"),
            role: "field",
            path: String::new(),
            json: format!("$.components.schemas{}", member(key)),
            request: true,
        }
    }

    /// Converts every component not referenced so far (each becomes a shared shape).
    pub(super) fn finish_components(&mut self) {
        let keys: Vec<String> = self.component_state.keys().cloned().collect();
        for k in keys {
            self.component(&k);
        }
    }

    /// A free shape name derived from `base`; a taken one gets `2`, `3`, … and a warning.
    pub(super) fn allocate(&mut self, base: &str, place: &Place) -> String {
        if self.taken.insert(base.to_owned()) {
            return base.to_owned();
        }
        let mut n = 2;
        let name = loop {
            let candidate = format!("{base}{n}");
            if self.taken.insert(candidate.clone()) {
                break candidate;
            }
            n += 1;
        };
        self.sink.warn(
            IssueKind::ShapeNameCollision,
            &place.json,
            format!(
                "{}: the derived shape name `{base}` is already taken; this shape is named `{name}`",
                place.who()
            ),
            "rename it with an overlay (`rename_shapes`) if the name reads badly",
        );
        name
    }

    fn add_shape(&mut self, file: &FileKey, name: String, shape: Shape) {
        self.shapes
            .entry(file.clone())
            .or_default()
            .insert(name, shape);
    }

    /// Resolves a `$ref`.
    fn reference(&mut self, r: &str, place: &Place) -> Typed {
        let key = r.strip_prefix(COMPONENT_PREFIX).unwrap_or(r);
        if !self.components.contains_key(key) {
            self.sink.warn(
                IssueKind::UnresolvedRef,
                format!("{}.$ref", place.json),
                format!(
                    "{}: `{r}` names no schema of components.schemas; imported as `any`",
                    place.who()
                ),
                "give the field its type with an overlay",
            );
            return Typed::any();
        }
        match self.component(key) {
            Some((ty, form)) => Typed {
                ty,
                form,
                ..Typed::any()
            },
            None => {
                self.sink.warn(
                    IssueKind::SelfReference,
                    format!("{}.$ref", place.json),
                    format!(
                        "{}: `{r}` refers to itself through type aliases only; imported as `any`",
                        place.who()
                    ),
                    "give the field its type with an overlay",
                );
                Typed::any()
            }
        }
    }

    /// The type a component stands for (`None` while it is being converted: a cycle).
    fn component(&mut self, key: &str) -> Option<(String, Form)> {
        let state = self.component_state.get(key).cloned()?;
        let name = match state {
            Component::Shape(n, f) | Component::Alias(n, f) => return Some((n, f)),
            Component::InProgress => return None,
            Component::Pending(name) => name,
        };
        let schema = self.components.get(key).cloned().unwrap_or(Value::Null);
        let place = self.component_place(key, name.clone());
        let props_nonempty = schema
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|m| !m.is_empty());
        let is_string = text(schema.get("type")).is_some_and(|t| t.trim() == "string");
        let enum_values = if is_string && schema.get("$ref").is_none() {
            schema
                .get("enum")
                .map(|e| self.enum_values(e, &place))
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        if props_nonempty && schema.get("$ref").is_none() {
            let form = Form::Object;
            self.component_state
                .insert(key.to_owned(), Component::Shape(name.clone(), form.clone()));
            self.object_shape(&schema, &place, name.clone());
            Some((name, form))
        } else if !enum_values.is_empty() {
            let form = Form::Enum(enum_values.clone());
            self.component_state
                .insert(key.to_owned(), Component::Shape(name.clone(), form.clone()));
            self.add_enum(&FileKey::Product, name.clone(), enum_values);
            Some((name, form))
        } else {
            // No shape of its own: its name is free for what it contains.
            self.taken.remove(&name);
            self.component_state
                .insert(key.to_owned(), Component::InProgress);
            let typed = self.convert(&schema, &place);
            let result = (typed.ty, typed.form);
            self.component_state.insert(
                key.to_owned(),
                Component::Alias(result.0.clone(), result.1.clone()),
            );
            Some(result)
        }
    }

    /// The fields of an object component, for a response declared as a `$ref`.
    pub(super) fn component_fields(&mut self, r: &str, place: &Place) -> Option<Vec<Field>> {
        let typed = self.reference(r, place);
        if typed.form != Form::Object {
            return None;
        }
        match self.shapes.get(&FileKey::Product)?.get(&typed.ty)? {
            Shape::Object { fields, .. } => Some(fields.clone()),
            _ => None,
        }
    }

    /// Converts one schema.
    pub(super) fn convert(&mut self, schema: &Value, place: &Place) -> Typed {
        let Some(obj) = schema.as_object() else {
            self.sink.warn(
                IssueKind::MissingType,
                &place.json,
                format!(
                    "{}: the schema is not an object; imported as `any`",
                    place.who()
                ),
                "give the field its type with an overlay",
            );
            return Typed::any();
        };
        let deprecated = flag(obj.get("deprecated")).unwrap_or(false);
        if let Some(r) = obj.get("$ref") {
            let mut t = match r.as_str() {
                Some(r) => self.reference(r.trim(), place),
                None => {
                    self.sink.warn(
                        IssueKind::UnresolvedRef,
                        format!("{}.$ref", place.json),
                        format!("{}: `$ref` is not a string; imported as `any`", place.who()),
                        "give the field its type with an overlay",
                    );
                    Typed::any()
                }
            };
            t.deprecated = deprecated;
            return t;
        }
        let declared = text(obj.get("type")).map(|t| t.trim().to_ascii_lowercase());
        let ty = match declared.as_deref() {
            Some(t) if !t.is_empty() => t.to_owned(),
            _ => {
                if obj.contains_key("properties") || obj.contains_key("additionalProperties") {
                    "object".to_owned()
                } else if obj.contains_key("items") {
                    "array".to_owned()
                } else {
                    self.sink.warn(
                        IssueKind::MissingType,
                        &place.json,
                        format!("{}: the schema has no type; imported as `any`", place.who()),
                        "give the field its type with an overlay",
                    );
                    "any".to_owned()
                }
            }
        };
        let format = text(obj.get("format")).map(|f| f.trim().to_ascii_lowercase());
        let mut t = match ty.as_str() {
            "string" => self.scalar(obj, Scalar::String, place),
            "boolean" => self.scalar(obj, Scalar::Boolean, place),
            "integer" => {
                let s = match format.as_deref() {
                    Some("int32") => Scalar::Int32,
                    None | Some("") | Some("int64") => Scalar::Int64,
                    Some(other) => {
                        self.sink.warn(
                            IssueKind::UnknownFormat,
                            format!("{}.format", place.json),
                            format!(
                                "{}: integer format `{other}` is unknown; imported as int64",
                                place.who()
                            ),
                            "correct the type with an overlay if int64 is wrong",
                        );
                        Scalar::Int64
                    }
                };
                self.scalar(obj, s, place)
            }
            "number" => {
                let s = match format.as_deref() {
                    Some("float") => Scalar::Float,
                    None | Some("") | Some("double") => Scalar::Double,
                    Some(other) => {
                        self.sink.warn(
                            IssueKind::UnknownFormat,
                            format!("{}.format", place.json),
                            format!(
                                "{}: number format `{other}` is unknown; imported as double",
                                place.who()
                            ),
                            "correct the type with an overlay if double is wrong",
                        );
                        Scalar::Double
                    }
                };
                self.scalar(obj, s, place)
            }
            "array" => self.array(obj, place),
            "object" => self.object(obj, place),
            "any" => Typed {
                example: obj.get("example").filter(|e| !e.is_null()).cloned(),
                ..Typed::any()
            },
            other => {
                self.sink.warn(
                    IssueKind::UnknownType,
                    format!("{}.type", place.json),
                    format!(
                        "{}: type `{other}` is unknown; imported as `any`",
                        place.who()
                    ),
                    "give the field its type with an overlay",
                );
                Typed::any()
            }
        };
        t.deprecated = deprecated;
        t
    }

    fn scalar(&mut self, obj: &Map<String, Value>, s: Scalar, place: &Place) -> Typed {
        let mut t = self.scalar_schema(obj, s, place);
        self.apply_facts(obj, s, place, &mut t);
        t
    }

    /// The facts of the schema's description: an enum for listed values on a string, a range
    /// constraint when it is unambiguous, and the note documenting them.
    fn apply_facts(&mut self, obj: &Map<String, Value>, s: Scalar, place: &Place, t: &mut Typed) {
        let description = text(obj.get("description")).unwrap_or_default();
        let f = facts::read(description);
        let schema_default = obj
            .get("default")
            .and_then(scalar_text)
            .map(|d| d.trim().to_owned())
            .filter(|d| !d.is_empty());
        let mut outcome = Outcome {
            boolean: s == Scalar::Boolean,
            checked_range: t
                .constraints
                .iter()
                .any(|c| matches!(c, Constraint::Range { .. })),
            checked_length: t
                .constraints
                .iter()
                .any(|c| matches!(c, Constraint::Length { .. })),
            ..Outcome::default()
        };
        if s == Scalar::String
            && !f.values.is_empty()
            && !f.values_are_booleans()
            && t.ty == "string"
        {
            let example_fits = match obj.get("example").and_then(scalar_text) {
                Some(e) => {
                    let e = e.trim();
                    e.is_empty() || f.values.iter().any(|v| v == e)
                }
                None => true,
            };
            let field = place
                .path
                .rsplit('.')
                .next()
                .unwrap_or_default()
                .trim_end_matches("[]")
                .trim_end_matches("{}")
                .to_owned();
            if example_fits && !field.is_empty() && t.pattern.is_none() && t.constraints.is_empty()
            {
                let at = format!(
                    "{}{}",
                    place.owner_name(),
                    if place.path.is_empty() {
                        String::new()
                    } else {
                        format!(".{}", place.path)
                    }
                );
                t.ty = self.fact_enums.placeholder(&field, &f.values, &at);
                t.form = Form::Enum(f.values.clone());
                t.example = t
                    .example
                    .take()
                    .filter(|e| e.as_str().is_some_and(|e| f.values.iter().any(|v| v == e)));
                outcome.enum_type = true;
            }
        }
        if s.is_number()
            && place.request
            && !t
                .constraints
                .iter()
                .any(|c| matches!(c, Constraint::Range { .. }))
        {
            let mut others: Vec<f64> = Vec::new();
            for key in ["example", "default"] {
                if let Some(n) = obj.get(key).and_then(number).and_then(|n| n.as_f64()) {
                    others.push(n);
                }
            }
            let integral = |n: Option<f64>| n.is_none_or(|n| n.fract() == 0.0 || !s.is_integer());
            if let Some((lo, hi)) = f
                .enforceable_range(&others)
                .filter(|(lo, hi)| integral(*lo) && integral(*hi))
            {
                let num = |n: f64| {
                    if s.is_integer() {
                        Some(serde_json::Number::from(n as i64))
                    } else {
                        serde_json::Number::from_f64(n)
                    }
                };
                t.constraints.push(Constraint::Range {
                    min: lo.and_then(num),
                    max: hi.and_then(num),
                    exclusive_min: false,
                    exclusive_max: false,
                    error_code: None,
                });
                outcome.range_rule = true;
            }
        }
        if !f.is_empty() || schema_default.is_some() {
            self.fact_counts.add(&f, outcome, schema_default.is_some());
        }
        let mut note = facts::field_note(&f, outcome, schema_default.as_deref());
        if self.include_descriptions && !description.trim().is_empty() {
            if !note.is_empty() {
                note.push_str("\n\n");
            }
            note.push_str(description.trim());
        }
        t.note = note;
    }

    fn scalar_schema(&mut self, obj: &Map<String, Value>, s: Scalar, place: &Place) -> Typed {
        if let Some(e) = obj.get("enum") {
            if s == Scalar::String {
                let values = self.enum_values(e, place);
                if !values.is_empty() {
                    let name = self.allocate(&place.base, place);
                    self.add_enum(&place.file, name.clone(), values.clone());
                    let example = self.enum_example(obj.get("example"), &values, place);
                    return Typed {
                        ty: name,
                        form: Form::Enum(values),
                        example,
                        ..Typed::any()
                    };
                }
            } else if e.as_array().is_some_and(|a| !a.is_empty()) {
                self.sink.warn(
                    IssueKind::EnumIgnored,
                    format!("{}.enum", place.json),
                    format!(
                        "{}: enum values on {} are not representable (enums are strings); the values are not checked",
                        place.who(),
                        a_scalar(s)
                    ),
                    "state the values as a range constraint with an overlay, if they are one",
                );
            }
        }
        let (constraints, pattern) = if place.request {
            self.scalar_constraints(obj, s, place)
        } else {
            (Vec::new(), None)
        };
        let example = self.scalar_example(obj.get("example"), s, &constraints, place);
        Typed {
            ty: scalar_name(s).to_owned(),
            form: Form::Scalar(s),
            constraints,
            pattern,
            example,
            deprecated: false,
            note: String::new(),
        }
    }

    /// Cleans the values of an `enum`: strings (numbers and booleans written out), trimmed,
    /// without duplicates or empty ones. Every oddity is a warning: the values are hints.
    fn enum_values(&mut self, e: &Value, place: &Place) -> Vec<String> {
        let at = format!("{}.enum", place.json);
        let Some(list) = e.as_array() else {
            self.sink.warn(
                IssueKind::OddEnum,
                &at,
                format!("{}: `enum` is not a list; ignored", place.who()),
                "list the values with an overlay",
            );
            return Vec::new();
        };
        if list.is_empty() {
            self.sink.warn(
                IssueKind::EmptyEnum,
                &at,
                format!(
                    "{}: `enum` lists no values; imported as a plain string",
                    place.who()
                ),
                "list the values with an overlay if they are known",
            );
            return Vec::new();
        }
        let mut out: Vec<String> = Vec::new();
        for (i, v) in list.iter().enumerate() {
            let Some(s) = scalar_text(v) else {
                self.sink.warn(
                    IssueKind::OddEnum,
                    format!("{at}[{i}]"),
                    format!("{}: enum value {v} is not a scalar; skipped", place.who()),
                    "fix the values with an overlay",
                );
                continue;
            };
            if !v.is_string() {
                self.sink.warn(
                    IssueKind::OddEnum,
                    format!("{at}[{i}]"),
                    format!(
                        "{}: enum value {v} is not a string; kept as `{s}`",
                        place.who()
                    ),
                    "nothing to do: the service sends enum values as text",
                );
            }
            let trimmed = s.trim();
            if trimmed.is_empty() {
                self.sink.warn(
                    IssueKind::OddEnum,
                    format!("{at}[{i}]"),
                    format!("{}: an enum value is empty; skipped", place.who()),
                    "nothing to do unless the empty value matters; then list the values with an overlay (`shapes`)",
                );
                continue;
            }
            if trimmed != s {
                self.sink.warn(
                    IssueKind::StrayWhitespace,
                    format!("{at}[{i}]"),
                    format!(
                        "{}: enum value {s:?} has stray blanks; trimmed",
                        place.who()
                    ),
                    "nothing to do: the trimmed value is what the service sends",
                );
            }
            if out.iter().any(|o| o == trimmed) {
                self.sink.warn(
                    IssueKind::OddEnum,
                    format!("{at}[{i}]"),
                    format!(
                        "{}: enum value `{trimmed}` is listed twice; kept once",
                        place.who()
                    ),
                    "nothing to do: a value is one variant",
                );
                continue;
            }
            out.push(trimmed.to_owned());
        }
        if out.is_empty() {
            self.sink.warn(
                IssueKind::EmptyEnum,
                &at,
                format!(
                    "{}: no usable enum value is left; imported as a plain string",
                    place.who()
                ),
                "list the values with an overlay if they are known",
            );
        }
        out
    }

    fn add_enum(&mut self, file: &FileKey, name: String, values: Vec<String>) {
        let values = values
            .into_iter()
            .map(|value| EnumValue {
                value,
                description: String::new(),
                rust_name: None,
            })
            .collect();
        self.add_shape(
            file,
            name,
            Shape::Enum {
                description: String::new(),
                values,
            },
        );
    }

    fn scalar_constraints(
        &mut self,
        obj: &Map<String, Value>,
        s: Scalar,
        place: &Place,
    ) -> (Vec<Constraint>, Option<String>) {
        let mut out = Vec::new();
        let is_str = s == Scalar::String;
        let is_num = s.is_number();
        let not_applicable = |sink: &mut Sink, key: &str, what: &str| {
            sink.warn(
                IssueKind::ConstraintNotApplicable,
                format!("{}.{key}", place.json),
                format!(
                    "{}: `{key}` does not apply to {}; ignored",
                    place.who(),
                    a_scalar(s)
                ),
                format!(
                    "{what} apply to {}",
                    if is_str { "numbers" } else { "strings" }
                ),
            );
        };
        // Lengths.
        let min_len = self.bound_count(obj, "minLength", place);
        let max_len = self.bound_count(obj, "maxLength", place);
        if min_len.is_some() || max_len.is_some() {
            if !is_str {
                not_applicable(
                    self.sink,
                    if min_len.is_some() {
                        "minLength"
                    } else {
                        "maxLength"
                    },
                    "lengths",
                );
            } else if let Some((min, max)) =
                self.ordered(min_len, max_len, place, "minLength", "maxLength")
            {
                out.push(Constraint::Length {
                    min,
                    max,
                    error_code: None,
                });
            }
        }
        // Numeric bounds.
        let min = self.bound_number(obj, "minimum", place);
        let max = self.bound_number(obj, "maximum", place);
        let (min, exclusive_min) = self.exclusive(obj, "exclusiveMinimum", min, place);
        let (max, exclusive_max) = self.exclusive(obj, "exclusiveMaximum", max, place);
        if min.is_some() || max.is_some() {
            if !is_num {
                not_applicable(
                    self.sink,
                    if min.is_some() { "minimum" } else { "maximum" },
                    "numeric bounds",
                );
            } else {
                let lo = min.as_ref().and_then(|n| n.as_f64());
                let hi = max.as_ref().and_then(|n| n.as_f64());
                let inverted = matches!((lo, hi), (Some(a), Some(b)) if a > b);
                if inverted {
                    self.sink.warn(
                        IssueKind::InvertedBounds,
                        &place.json,
                        format!(
                            "{}: minimum {} is above maximum {}; both ignored",
                            place.who(),
                            min.as_ref().map(|n| n.to_string()).unwrap_or_default(),
                            max.as_ref().map(|n| n.to_string()).unwrap_or_default()
                        ),
                        "state the right bounds with an overlay",
                    );
                } else {
                    out.push(Constraint::Range {
                        min,
                        max,
                        exclusive_min: exclusive_min && lo.is_some(),
                        exclusive_max: exclusive_max && hi.is_some(),
                        error_code: None,
                    });
                }
            }
        }
        // Pattern.
        let mut pattern = None;
        match obj.get("pattern") {
            None | Some(Value::Null) => {}
            Some(Value::String(p)) if p.trim().is_empty() => {}
            Some(Value::String(p)) if is_str => match alicloud_rules::pattern_error(p) {
                None => pattern = Some(p.clone()),
                // Metadata patterns are written for other engines; one regex-lite cannot
                // compile is dropped rather than refused, and said.
                Some(e) => self.sink.warn(
                    IssueKind::BadPattern,
                    format!("{}.pattern", place.json),
                    format!(
                        "{}: `pattern` `{p}` is not a regular expression the generated validators can use ({}); ignored",
                        place.who(),
                        e.lines().last().unwrap_or("invalid").trim()
                    ),
                    "state an equivalent pattern in the regex-lite syntax with an overlay",
                ),
            },
            Some(Value::String(_)) => not_applicable(self.sink, "pattern", "patterns"),
            Some(other) => self.sink.warn(
                IssueKind::BadPattern,
                format!("{}.pattern", place.json),
                format!(
                    "{}: `pattern` {other} is not a string; ignored",
                    place.who()
                ),
                "state the pattern with an overlay",
            ),
        }
        (out, pattern)
    }

    fn bound_count(&mut self, obj: &Map<String, Value>, key: &str, place: &Place) -> Option<u64> {
        let v = obj.get(key).filter(|v| !v.is_null())?;
        if v.as_str().is_some_and(|s| s.trim().is_empty()) {
            return None;
        }
        let c = count(v);
        if c.is_none() {
            self.sink.warn(
                IssueKind::BadBound,
                format!("{}.{key}", place.json),
                format!(
                    "{}: `{key}` {v} is not a whole non-negative number; ignored",
                    place.who()
                ),
                "state the bound with an overlay",
            );
        }
        c
    }

    fn bound_number(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        place: &Place,
    ) -> Option<serde_json::Number> {
        let v = obj.get(key).filter(|v| !v.is_null())?;
        if v.as_str().is_some_and(|s| s.trim().is_empty()) {
            return None;
        }
        let n = number(v);
        if n.is_none() {
            self.sink.warn(
                IssueKind::BadBound,
                format!("{}.{key}", place.json),
                format!("{}: `{key}` {v} is not a number; ignored", place.who()),
                "state the bound with an overlay",
            );
        }
        n
    }

    /// `exclusiveMinimum`/`exclusiveMaximum`: a flag on the bound (`true`, `"true"`), or the
    /// bound itself (a number).
    fn exclusive(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        bound: Option<serde_json::Number>,
        place: &Place,
    ) -> (Option<serde_json::Number>, bool) {
        let Some(v) = obj.get(key).filter(|v| !v.is_null()) else {
            return (bound, false);
        };
        if let Some(b) = flag(Some(v)) {
            if b && bound.is_none() {
                self.sink.warn(
                    IssueKind::BadBound,
                    format!("{}.{key}", place.json),
                    format!(
                        "{}: `{key}` is set without the bound it qualifies; ignored",
                        place.who()
                    ),
                    "state the bound with an overlay",
                );
            }
            return (bound, b);
        }
        match number(v) {
            Some(n) => (Some(n), true),
            None => {
                self.sink.warn(
                    IssueKind::BadBound,
                    format!("{}.{key}", place.json),
                    format!(
                        "{}: `{key}` {v} is neither a flag nor a number; ignored",
                        place.who()
                    ),
                    "state the bound with an overlay",
                );
                (bound, false)
            }
        }
    }

    /// Both bounds, unless the lower is above the upper (then neither, with a warning).
    fn ordered(
        &mut self,
        min: Option<u64>,
        max: Option<u64>,
        place: &Place,
        min_key: &str,
        max_key: &str,
    ) -> Option<(Option<u64>, Option<u64>)> {
        if let (Some(a), Some(b)) = (min, max) {
            if a > b {
                self.sink.warn(
                    IssueKind::InvertedBounds,
                    &place.json,
                    format!(
                        "{}: `{min_key}` {a} is above `{max_key}` {b}; both ignored",
                        place.who()
                    ),
                    "state the right bounds with an overlay",
                );
                return None;
            }
        }
        Some((min, max))
    }

    /// A typed example for a scalar, or none (with a warning when the metadata's is unusable).
    fn scalar_example(
        &mut self,
        raw: Option<&Value>,
        s: Scalar,
        constraints: &[Constraint],
        place: &Place,
    ) -> Option<Value> {
        let raw = raw.filter(|v| !v.is_null())?;
        let at = format!("{}.example", place.json);
        let masked = looks_masked(raw);
        let value = match s {
            Scalar::String => {
                let t = match raw {
                    Value::Object(_) | Value::Array(_) => raw.to_string(),
                    _ => scalar_text(raw)?,
                };
                let trimmed = t.trim();
                if trimmed.is_empty() {
                    return None;
                }
                if trimmed != t {
                    self.sink.warn(
                        IssueKind::StrayWhitespace,
                        &at,
                        format!("{}: example {t:?} has stray blanks; trimmed", place.who()),
                        "nothing to do: the trimmed example is used",
                    );
                }
                Value::String(trimmed.to_owned())
            }
            Scalar::Boolean => match flag(Some(raw)) {
                Some(b) => Value::Bool(b),
                None => return self.unusable_example(raw, s, masked, &at, place),
            },
            Scalar::Int32 | Scalar::Int64 => {
                let n = match raw {
                    Value::Number(n) => Some(n.clone()),
                    Value::String(t) => parse_number(t.trim()),
                    _ => None,
                };
                let fits = n.as_ref().is_some_and(|n| match s {
                    Scalar::Int32 => n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
                    _ => n.is_i64() || n.is_u64(),
                });
                match n {
                    Some(n) if fits => Value::Number(n),
                    _ => return self.unusable_example(raw, s, masked, &at, place),
                }
            }
            Scalar::Float | Scalar::Double => match number(raw) {
                Some(n) => Value::Number(n),
                None => return self.unusable_example(raw, s, masked, &at, place),
            },
        };
        self.passes(value, constraints, &at, place)
    }

    fn unusable_example(
        &mut self,
        raw: &Value,
        s: Scalar,
        masked: bool,
        at: &str,
        place: &Place,
    ) -> Option<Value> {
        if !masked && !raw.as_str().is_some_and(|t| t.trim().is_empty()) {
            self.sink.warn(
                IssueKind::ExampleDropped,
                at,
                format!(
                    "{}: example {raw} is not {}; dropped",
                    place.who(),
                    a_scalar(s)
                ),
                "give a valid example with an overlay (`parameters`/`fields` patch with `example`), or leave it out",
            );
        }
        None
    }

    /// The example when it passes the constraints (masked examples are not checked).
    fn passes(
        &mut self,
        value: Value,
        constraints: &[Constraint],
        at: &str,
        place: &Place,
    ) -> Option<Value> {
        if looks_masked(&value) {
            return Some(value);
        }
        for c in constraints {
            if let Some(msg) = example_violation(c, &value) {
                self.sink.warn(
                    IssueKind::ExampleDropped,
                    at,
                    format!(
                        "{}: example {value} breaks the metadata's own constraint ({msg}); dropped",
                        place.who()
                    ),
                    "nothing to do, or give a valid example with an overlay",
                );
                return None;
            }
        }
        Some(value)
    }

    fn enum_example(
        &mut self,
        raw: Option<&Value>,
        values: &[String],
        place: &Place,
    ) -> Option<Value> {
        let raw = raw.filter(|v| !v.is_null())?;
        let t = scalar_text(raw)?;
        let trimmed = t.trim();
        if trimmed.is_empty() {
            return None;
        }
        let at = format!("{}.example", place.json);
        if trimmed != t {
            self.sink.warn(
                IssueKind::StrayWhitespace,
                &at,
                format!("{}: example {t:?} has stray blanks; trimmed", place.who()),
                "nothing to do: the trimmed example is used",
            );
        }
        if values.iter().any(|v| v == trimmed) {
            Some(Value::String(trimmed.to_owned()))
        } else {
            if !looks_masked(raw) {
                self.sink.warn(
                    IssueKind::ExampleDropped,
                    &at,
                    format!(
                        "{}: example `{trimmed}` is not one of the enum's values; dropped",
                        place.who()
                    ),
                    "nothing to do, or complete the values with an overlay",
                );
            }
            None
        }
    }

    fn array(&mut self, obj: &Map<String, Value>, place: &Place) -> Typed {
        let item_place = place.item();
        let items = match obj.get("items") {
            Some(items @ Value::Object(_)) => {
                // Keys written on the list that belong to its items.
                let mut items = items.clone();
                if let Some(m) = items.as_object_mut() {
                    for key in ["enum", "pattern", "description"] {
                        if let (Some(v), false) = (obj.get(key), m.contains_key(key)) {
                            m.insert(key.to_owned(), v.clone());
                        }
                    }
                }
                self.convert(&items, &item_place)
            }
            _ => {
                self.sink.warn(
                    IssueKind::ArrayWithoutItems,
                    &place.json,
                    format!(
                        "{}: a list without `items`; imported as list<any>",
                        place.who()
                    ),
                    "give the item type with an overlay",
                );
                Typed::any()
            }
        };
        let mut constraints = Vec::new();
        let mut pattern = None;
        if place.request {
            if items.form.is_single() {
                constraints.extend(items.constraints.iter().cloned());
                pattern = items.pattern.clone();
            } else if !items.constraints.is_empty() || items.pattern.is_some() {
                self.sink.warn(
                    IssueKind::ConstraintNotApplicable,
                    &item_place.json,
                    format!(
                        "{}: constraints on items that are themselves lists or maps are not representable; ignored",
                        place.who()
                    ),
                    "nothing to do unless the constraints matter; then state them on the inner items with an overlay",
                );
            }
            let min = self.bound_count(obj, "minItems", place);
            let max = self.bound_count(obj, "maxItems", place);
            if min.is_some() || max.is_some() {
                if let Some((min, max)) = self.ordered(min, max, place, "minItems", "maxItems") {
                    constraints.push(Constraint::Items {
                        min,
                        max,
                        error_code: None,
                    });
                }
            }
            for key in ["minLength", "maxLength", "minimum", "maximum"] {
                if obj.get(key).is_some_and(|v| !v.is_null()) {
                    self.sink.warn(
                        IssueKind::ConstraintNotApplicable,
                        format!("{}.{key}", place.json),
                        format!("{}: `{key}` on a list is ambiguous; ignored", place.who()),
                        "state it on the items with an overlay",
                    );
                }
            }
        }
        let form = Form::List(Box::new(items.form.clone()));
        let example = if items.form.is_single() {
            self.list_example(obj.get("example"), &items, &constraints, place)
        } else {
            None
        };
        Typed {
            ty: format!("list<{}>", items.ty),
            form,
            constraints,
            pattern,
            example,
            deprecated: false,
            note: items.note,
        }
    }

    /// A list example: the metadata's own when it is a list (or the JSON text of one) whose
    /// items all convert, else the item's example as a one-item list.
    fn list_example(
        &mut self,
        raw: Option<&Value>,
        items: &Typed,
        constraints: &[Constraint],
        place: &Place,
    ) -> Option<Value> {
        let parsed = match raw {
            Some(Value::Array(a)) => Some(a.clone()),
            Some(Value::String(s)) => match serde_json::from_str::<Value>(s.trim()) {
                Ok(Value::Array(a)) => Some(a),
                _ => None,
            },
            _ => None,
        };
        let converted = parsed.and_then(|list| {
            list.iter()
                .map(|v| match &items.form {
                    Form::Scalar(s) => convert_quietly(v, *s),
                    Form::Enum(values) => scalar_text(v)
                        .map(|t| t.trim().to_owned())
                        .filter(|t| values.contains(t))
                        .map(Value::String),
                    _ => None,
                })
                .collect::<Option<Vec<Value>>>()
        });
        let list = match converted {
            Some(list) if !list.is_empty() => list,
            _ => vec![items.example.clone()?],
        };
        let elem: Vec<Constraint> = constraints
            .iter()
            .filter(|c| !matches!(c, Constraint::Items { .. }))
            .cloned()
            .collect();
        let at = format!("{}.example", place.json);
        for item in &list {
            if !looks_masked(item) && elem.iter().any(|c| example_violation(c, item).is_some()) {
                return None;
            }
        }
        let whole = Value::Array(list);
        let counts: Vec<Constraint> = constraints
            .iter()
            .filter(|c| matches!(c, Constraint::Items { .. }))
            .cloned()
            .collect();
        self.passes(whole, &counts, &at, place)
    }

    fn object(&mut self, obj: &Map<String, Value>, place: &Place) -> Typed {
        let has_props = obj
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|m| !m.is_empty());
        let extra = obj.get("additionalProperties");
        let map_of = match extra {
            Some(v @ Value::Object(_)) => Some(Some(v)),
            Some(Value::Bool(true)) => Some(None),
            _ => None,
        };
        if has_props {
            if map_of.is_some() {
                self.sink.warn(
                    IssueKind::MapWithProperties,
                    format!("{}.additionalProperties", place.json),
                    format!(
                        "{}: an object with both fields and `additionalProperties`; imported as an object, other keys are not kept",
                        place.who()
                    ),
                    "nothing to do unless the other keys matter",
                );
            }
            let name = self.allocate(&place.base, place);
            self.object_shape(&Value::Object(obj.clone()), place, name.clone());
            return Typed {
                ty: name,
                form: Form::Object,
                ..Typed::any()
            };
        }
        match map_of {
            Some(Some(v)) => {
                let inner = self.convert(v, &place.value());
                Typed {
                    ty: format!("map<{}>", inner.ty),
                    form: Form::Map,
                    ..Typed::any()
                }
            }
            Some(None) => Typed {
                ty: "map<any>".into(),
                form: Form::Map,
                ..Typed::any()
            },
            // A free-form object.
            None => Typed::any(),
        }
    }

    /// Declares object shape `name` from `schema`'s properties.
    fn object_shape(&mut self, schema: &Value, place: &Place, name: String) {
        let required_list: Vec<String> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(|s| s.trim().to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        let place = Place {
            base: name.clone(),
            ..place.clone()
        };
        self.declared_at.insert(name.clone(), place.json.clone());
        let mut fields: Vec<Field> = Vec::new();
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (key, prop) in props {
                let wire = key.trim();
                let child = place.child(wire, key);
                if wire.is_empty() {
                    self.sink.warn(
                        IssueKind::FieldWithoutName,
                        &child.json,
                        format!("{}: a field has an empty name; dropped", place.who()),
                        "nothing can be sent or read under an empty name",
                    );
                    continue;
                }
                if wire != key {
                    self.sink.warn(
                        IssueKind::StrayWhitespace,
                        &child.json,
                        format!(
                            "{}: field name {key:?} has stray blanks; trimmed",
                            place.who()
                        ),
                        "nothing to do: the trimmed name is sent and read",
                    );
                }
                if fields.iter().any(|f| f.name == wire) {
                    self.sink.warn(
                        IssueKind::DuplicateName,
                        &child.json,
                        format!(
                            "{}: field `{wire}` is declared twice; the second is dropped",
                            place.who()
                        ),
                        "nothing to do if both declare the same field; otherwise correct it with an overlay (`shape_patches`)",
                    );
                    continue;
                }
                let typed = self.convert(prop, &child);
                let required = flag(prop.get("required")).unwrap_or(false)
                    || required_list.iter().any(|r| r == wire);
                fields.push(Field {
                    name: wire.to_owned(),
                    description: typed.note,
                    ty: typed.ty,
                    required,
                    sensitive: super::value::secret_by_name(wire),
                    example: typed.example,
                    constraints: typed.constraints,
                    pattern: typed.pattern,
                    deprecated: typed.deprecated,
                });
            }
        }
        self.add_shape(
            &place.file,
            name,
            Shape::Object {
                description: String::new(),
                fields,
                rules: Vec::new(),
            },
        );
    }

    /// Breaks every cycle of objects that contain each other directly (not through a list or
    /// a map): such a value would be infinitely large. The field closing the cycle becomes
    /// `any`, with a warning.
    pub(super) fn break_direct_cycles(&mut self) {
        loop {
            let direct: BTreeMap<String, Vec<(usize, String)>> = self
                .shapes
                .values()
                .flat_map(|m| m.iter())
                .filter_map(|(name, shape)| match shape {
                    Shape::Object { fields, .. } => Some((
                        name.clone(),
                        fields
                            .iter()
                            .enumerate()
                            .filter(|(_, f)| !f.ty.contains('<') && !is_builtin(&f.ty))
                            .map(|(i, f)| (i, f.ty.clone()))
                            .collect(),
                    )),
                    _ => None,
                })
                .collect();
            let Some((shape, field)) = find_cycle(&direct) else {
                return;
            };
            let file = self
                .shapes
                .iter()
                .find(|(_, m)| m.contains_key(&shape))
                .map(|(k, _)| k.clone());
            let Some(file) = file else { return };
            let Some(Shape::Object { fields, .. }) =
                self.shapes.get_mut(&file).and_then(|m| m.get_mut(&shape))
            else {
                return;
            };
            let f = &mut fields[field];
            let target = std::mem::replace(&mut f.ty, "any".into());
            let wire = f.name.clone();
            let at = self
                .declared_at
                .get(&shape)
                .map(|j| format!("{j}.properties{}", member(&wire)))
                .unwrap_or_else(|| "$.components.schemas".into());
            self.sink.warn(
                IssueKind::SelfReference,
                at,
                format!(
                    "shape `{shape}` contains itself through field `{wire}` (of type `{target}`), not through a list or a map; the field is imported as `any`"
                ),
                "give the field a representable type with an overlay if `any` is not enough",
            );
        }
    }
}

fn is_builtin(ty: &str) -> bool {
    matches!(
        ty,
        "string" | "boolean" | "int32" | "int64" | "float" | "double" | "any"
    )
}

/// The first (shape, field index) that closes a cycle of direct containment, in name order.
fn find_cycle(direct: &BTreeMap<String, Vec<(usize, String)>>) -> Option<(String, usize)> {
    // Depth-first search with colours: 1 = on the stack, 2 = done.
    fn visit(
        node: &str,
        direct: &BTreeMap<String, Vec<(usize, String)>>,
        colour: &mut BTreeMap<String, u8>,
    ) -> Option<(String, usize)> {
        colour.insert(node.to_owned(), 1);
        for (i, target) in direct.get(node).into_iter().flatten() {
            match colour.get(target.as_str()).copied().unwrap_or(0) {
                1 => return Some((node.to_owned(), *i)),
                0 if direct.contains_key(target) => {
                    if let Some(found) = visit(target, direct, colour) {
                        return Some(found);
                    }
                }
                _ => {}
            }
        }
        colour.insert(node.to_owned(), 2);
        None
    }
    let mut colour = BTreeMap::new();
    for node in direct.keys() {
        if colour.get(node.as_str()).copied().unwrap_or(0) == 0 {
            if let Some(found) = visit(node, direct, &mut colour) {
                return Some(found);
            }
        }
    }
    None
}

/// Converts a list item's example without warnings (the list's example is dropped whole).
fn convert_quietly(v: &Value, s: Scalar) -> Option<Value> {
    match s {
        Scalar::String => scalar_text(v).map(|t| Value::String(t.trim().to_owned())),
        Scalar::Boolean => flag(Some(v)).map(Value::Bool),
        Scalar::Int32 | Scalar::Int64 => number(v)
            .filter(|n| match s {
                Scalar::Int32 => n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
                _ => n.is_i64() || n.is_u64(),
            })
            .map(Value::Number),
        Scalar::Float | Scalar::Double => number(v).map(Value::Number),
    }
}

/// The spec name of a scalar type with its article, for messages: "an int32", "a string".
fn a_scalar(s: Scalar) -> String {
    let name = scalar_name(s);
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name}")
}

/// The spec name of a scalar type.
pub(super) fn scalar_name(s: Scalar) -> &'static str {
    match s {
        Scalar::String => "string",
        Scalar::Boolean => "boolean",
        Scalar::Int32 => "int32",
        Scalar::Int64 => "int64",
        Scalar::Float => "float",
        Scalar::Double => "double",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(
            type_name("open_struct_MvDetailModel"),
            "OpenStructMvDetailModel"
        );
        assert_eq!(
            type_name("TunnelOptionsSpecification"),
            "TunnelOptionsSpecification"
        );
        assert_eq!(type_name("DBCluster"), "DbCluster");
        assert_eq!(type_name("3d"), "V3d");
        assert_eq!(type_name("--"), "Field");
    }

    #[test]
    fn cycles() {
        let mut d = BTreeMap::new();
        d.insert("A".to_owned(), vec![(0, "B".to_owned())]);
        d.insert("B".to_owned(), vec![(1, "A".to_owned())]);
        d.insert("C".to_owned(), vec![(0, "C".to_owned())]);
        assert_eq!(find_cycle(&d), Some(("B".to_owned(), 1)));
        d.remove("B");
        assert_eq!(find_cycle(&d), Some(("C".to_owned(), 0)));
        d.remove("C");
        assert_eq!(find_cycle(&d), None);
    }
}
