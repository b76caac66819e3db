//! Emission: the model in, token streams out. Names come from the model; this module only
//! decides the shape of the code.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::{FieldModel, OperationModel, ProductModel, Scalar, ShapeKind, ShapeModel, Ty};
use crate::spec::{Condition, Constraint, CrossRule, HttpMethod, Location, Style};

/// An identifier from a model name (`r#type` becomes a raw identifier).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Spec text made fit for a doc comment: `\r\n` and lone `\r` become `\n`. prettyplease writes
/// a doc attribute as a `///` (or `/** */`) comment, and Rust refuses a bare carriage return
/// in a doc comment ("bare CR not allowed in doc-comment"), so none may reach one.
pub(crate) fn doc_text(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

fn docs(text: &str) -> TokenStream {
    let lines: Vec<TokenStream> = doc_text(text)
        .lines()
        .map(|l| {
            // Metadata text can carry tabs and trailing blanks; docs get neither.
            let l = l.replace('\t', " ");
            let l = l.trim_end();
            let l = if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            };
            quote!(#[doc = #l])
        })
        .collect();
    quote!(#(#lines)*)
}

/// The path of a shape's type from anywhere in the crate.
pub fn shape_path(model: &ProductModel, idx: usize) -> TokenStream {
    let s = &model.shapes[idx];
    let name = ident(&s.rust);
    if s.module == "types" {
        quote!(crate::types::#name)
    } else {
        let m = ident(&s.module);
        quote!(crate::operation::#m::#name)
    }
}

/// The Rust type of a resolved type.
pub fn rust_ty(model: &ProductModel, ty: &Ty) -> TokenStream {
    match ty {
        Ty::Scalar { kind, .. } => match kind {
            Scalar::String => quote!(::std::string::String),
            Scalar::Boolean => quote!(bool),
            Scalar::Int32 => quote!(i32),
            Scalar::Int64 => quote!(i64),
            Scalar::Float | Scalar::Double => quote!(f64),
        },
        Ty::Any => quote!(::serde_json::Value),
        Ty::List(t) => {
            let t = rust_ty(model, t);
            quote!(::std::vec::Vec<#t>)
        }
        Ty::Map(t) => {
            let t = rust_ty(model, t);
            quote!(::std::collections::BTreeMap<::std::string::String, #t>)
        }
        Ty::Object(i) | Ty::Enum(i) => shape_path(model, *i),
    }
}

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
            let module = if sh.module == "types" {
                "types".to_owned()
            } else {
                format!("operation::{}", sh.module.trim_start_matches("r#"))
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

fn field_doc(model: &ProductModel, f: &FieldModel, param: bool) -> String {
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
        let loc = match f.location {
            Location::Query => "query",
            Location::Body => "form body",
        };
        let style = match f.style {
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

fn struct_fields(model: &ProductModel, fields: &[FieldModel], param: bool) -> TokenStream {
    let items = fields.iter().map(|f| {
        let name = ident(&f.rust);
        let ty = rust_ty(model, &f.ty);
        let doc = docs(&field_doc(model, f, param));
        let deprecated = f
            .deprecated
            .then(|| quote!(#[deprecated(note = "deprecated by the service")]));
        quote! {
            #doc
            #deprecated
            pub #name: ::std::option::Option<#ty>,
        }
    });
    quote!(#(#items)*)
}

/// When a serde implementation is generated.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Always.
    Always,
    /// Only with the crate's `decode` feature (server side: emulators, tests).
    Decode,
    /// Never.
    Never,
}

fn gate_attr(g: Gate) -> Option<TokenStream> {
    (g == Gate::Decode).then(|| quote!(#[cfg(feature = "decode")]))
}

/// `Deserialize` through the runtime's shared object visitor: one match arm per field.
fn deserialize_impl(name: &Ident, fields: &[FieldModel], gate: Gate) -> TokenStream {
    if gate == Gate::Never {
        return TokenStream::new();
    }
    let cfg = gate_attr(gate);
    let label = name.to_string();
    let arms = fields.iter().map(|f| {
        let n = ident(&f.rust);
        let wire = &f.wire;
        let read = match &f.ty {
            // Scalars are read leniently (a number may come quoted, or a string unquoted).
            Ty::Scalar { .. } => quote!(::alicloud_runtime::de::object::lenient(map, &mut self.#n)),
            _ => quote!(::alicloud_runtime::de::object::value(map, &mut self.#n)),
        };
        quote!(#wire => #read,)
    });
    let allow = fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let body = if fields.is_empty() {
        quote! {
            let _ = (key, map);
            ::std::result::Result::Ok(false)
        }
    } else {
        quote! {
            match key {
                #(#arms)*
                _ => ::std::result::Result::Ok(false),
            }
        }
    };
    quote! {
        #cfg
        impl ::alicloud_runtime::de::object::ObjectFields for #name {
            const NAME: &'static str = #label;
            #allow
            fn field<'de, A: ::serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> ::std::result::Result<bool, A::Error> {
                #body
            }
        }
        #cfg
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                ::alicloud_runtime::de::object::deserialize(d)
            }
        }
    }
}

/// `Serialize` as a JSON object of the set fields, in declared order.
fn serialize_impl(name: &Ident, fields: &[FieldModel], gate: Gate) -> TokenStream {
    if gate == Gate::Never {
        return TokenStream::new();
    }
    let cfg = gate_attr(gate);
    let entries = fields.iter().map(|f| {
        let n = ident(&f.rust);
        let wire = &f.wire;
        let value = match &f.ty {
            Ty::Scalar {
                as_string: true, ..
            } => quote!(&::alicloud_runtime::de::AsString(v)),
            _ => quote!(v),
        };
        quote! {
            if let ::std::option::Option::Some(v) = &self.#n {
                ::serde::ser::SerializeMap::serialize_entry(&mut m, #wire, #value)?;
            }
        }
    });
    let allow = fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let m = if fields.is_empty() {
        quote!(m)
    } else {
        quote!(mut m)
    };
    quote! {
        #cfg
        impl ::serde::Serialize for #name {
            #allow
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                let #m = s.serialize_map(::std::option::Option::None)?;
                #(#entries)*
                ::serde::ser::SerializeMap::end(m)
            }
        }
    }
}

fn debug_impl(name: &Ident, fields: &[FieldModel]) -> TokenStream {
    let label = name.to_string();
    let entries = fields.iter().map(|f| {
        let n = ident(&f.rust);
        let wire = &f.rust.trim_start_matches("r#");
        if f.sensitive {
            quote!(.field(#wire, &self.#n.as_ref().map(|_| ::alicloud_runtime::validate::REDACTED)))
        } else {
            quote!(.field(#wire, &self.#n))
        }
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label) #(#entries)* .finish()
            }
        }
    }
}

/// A struct with its serde derives and a redacting `Debug`.
#[allow(clippy::too_many_arguments)]
fn struct_def(
    model: &ProductModel,
    name: &Ident,
    doc: &str,
    fields: &[FieldModel],
    param: bool,
    ser: Gate,
    de: Gate,
) -> TokenStream {
    let doc = docs(doc);
    let body = struct_fields(model, fields, param);
    let sensitive = fields.iter().any(|f| f.sensitive);
    let derive_debug = (!sensitive).then(|| quote!(Debug,));
    let debug = sensitive.then(|| debug_impl(name, fields));
    let ser = serialize_impl(name, fields, ser);
    let de = deserialize_impl(name, fields, de);
    quote! {
        #doc
        #[derive(Clone, Default, PartialEq, #derive_debug)]
        #[non_exhaustive]
        pub struct #name { #body }
        #debug
        #ser
        #de
    }
}

const RESERVED_SETTERS: &[&str] = &[
    "build",
    "send",
    "skip_validation",
    "validate",
    "builder",
    "peek",
];

fn setter_name(f: &FieldModel) -> Ident {
    let base = f.rust.trim_start_matches("r#");
    if RESERVED_SETTERS.contains(&base) {
        format_ident!("{}_value", base)
    } else {
        ident(&f.rust)
    }
}

fn setters(model: &ProductModel, fields: &[FieldModel]) -> TokenStream {
    let items = fields.iter().map(|f| {
        let field = ident(&f.rust);
        let setter = setter_name(f);
        let plain = setter.to_string();
        let plain = plain.trim_start_matches("r#");
        let set = format_ident!("set_{}", plain);
        let ty = rust_ty(model, &f.ty);
        let wire = &f.wire;
        let d1 = doc_text(&format!(" Sets `{wire}`."));
        let d2 = doc_text(&format!(" Sets or clears `{wire}`."));
        let deprecated = f.deprecated.then(|| quote!(#[allow(deprecated)]));
        quote! {
            #[doc = #d1]
            #deprecated
            #[inline]
            pub fn #setter(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                self.inner.#field = ::std::option::Option::Some(value.into());
                self
            }
            #[doc = #d2]
            #deprecated
            #[inline]
            pub fn #set(mut self, value: ::std::option::Option<#ty>) -> Self {
                self.inner.#field = value;
                self
            }
        }
    });
    quote!(#(#items)*)
}

fn required_checks(fields: &[FieldModel], shape: &str) -> TokenStream {
    let checks = fields.iter().filter(|f| f.required).map(|f| {
        let n = ident(&f.rust);
        let wire = &f.wire;
        quote! {
            if self.inner.#n.is_none() {
                return ::std::result::Result::Err(::alicloud_runtime::BuildError { field: #wire, shape: #shape });
            }
        }
    });
    quote!(#(#checks)*)
}

/// Emits the code for one shape.
pub fn shape(model: &ProductModel, s: &ShapeModel) -> TokenStream {
    match &s.kind {
        ShapeKind::Enum { variants } => enum_def(s, variants),
        ShapeKind::Object { fields, rules } => {
            let name = ident(&s.rust);
            let mut doc = if s.description.is_empty() {
                format!("The `{}` object.", s.name)
            } else {
                s.description.clone()
            };
            if s.request_side {
                doc.push_str(&format!("\n\nBuild one with [`{}::builder`].", s.rust));
            }
            let ser = if s.request_side {
                Gate::Always
            } else {
                Gate::Decode
            };
            let de = if s.response_side {
                Gate::Always
            } else {
                Gate::Decode
            };
            let def = struct_def(model, &name, &doc, fields, false, ser, de);
            if !s.request_side {
                return def;
            }
            let builder = format_ident!("{}Builder", s.rust);
            let setters = setters(model, fields);
            let shape_name = &s.name;
            let has_required = fields.iter().any(|f| f.required);
            let build = if has_required {
                let checks = required_checks(fields, shape_name);
                quote! {
                    /// Builds the value; fails naming the first required field left unset.
                    #[inline]
                    pub fn build(self) -> ::std::result::Result<#name, ::alicloud_runtime::BuildError> {
                        #checks
                        ::std::result::Result::Ok(self.inner)
                    }
                }
            } else {
                quote! {
                    /// Builds the value.
                    #[inline]
                    pub fn build(self) -> #name {
                        self.inner
                    }
                }
            };
            let bdoc = format!(" Builder of [`{}`].", s.rust);
            let validate = validate_impl(model, &name, fields, rules, false);
            let flat = flat_impl(&name, fields);
            quote! {
                #def
                impl #name {
                    /// A builder with every field unset.
                    #[inline]
                    pub fn builder() -> #builder {
                        <#builder as ::std::default::Default>::default()
                    }
                }
                #[doc = #bdoc]
                #[derive(Clone, Default, Debug)]
                pub struct #builder { inner: #name }
                impl #builder {
                    #setters
                    /// The value built so far (one accessor instead of a getter per field).
                    #[inline]
                    pub fn peek(&self) -> &#name {
                        &self.inner
                    }
                    #build
                }
                #validate
                #flat
            }
        }
    }
}

fn enum_def(s: &ShapeModel, variants: &[crate::model::VariantModel]) -> TokenStream {
    let name = ident(&s.rust);
    let mut doc = if s.description.is_empty() {
        format!("Values of `{}`.", s.name)
    } else {
        s.description.clone()
    };
    doc.push_str("\n\nValues this crate does not know yet are kept in [`");
    doc.push_str(&s.rust);
    doc.push_str("::Unknown`]; parsing text (`FromStr`, `From<&str>`) always picks the known variant when there is one.");
    let doc = docs(&doc);
    let vnames: Vec<Ident> = variants.iter().map(|v| ident(&v.rust)).collect();
    let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
    let vdocs = variants.iter().map(|v| {
        let d = if v.description.is_empty() {
            format!(" `{}`.", v.value)
        } else {
            format!(" `{}`: {}", v.value, v.description)
        };
        let d = doc_text(&d);
        quote!(#[doc = #d])
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #vdocs #vnames, )*
            /// A value this version of the crate does not know.
            Unknown(::alicloud_runtime::UnknownValue),
        }
        impl #name {
            /// The known values, as sent on the wire.
            pub const VALUES: &'static [&'static str] = &[#(#values),*];
            /// The value as sent on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#vnames => #values, )*
                    Self::Unknown(v) => v.as_str(),
                }
            }
        }
        impl ::std::convert::From<&str> for #name {
            #[inline]
            fn from(s: &str) -> Self {
                match s {
                    #( #values => Self::#vnames, )*
                    other => Self::Unknown(::alicloud_runtime::UnknownValue::__new(other)),
                }
            }
        }
        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            #[inline]
            fn from_str(s: &str) -> ::std::result::Result<Self, <Self as ::std::str::FromStr>::Err> {
                ::std::result::Result::Ok(Self::from(s))
            }
        }
        impl ::std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::string::String as ::serde::Deserialize>::deserialize(d)?;
                ::std::result::Result::Ok(Self::from(s.as_str()))
            }
        }
        impl ::alicloud_runtime::wire::WireValue for #name {
            #[inline]
            fn write_wire(&self, out: &mut ::std::string::String) {
                out.push_str(self.as_str());
            }
        }
    }
}

fn flat_impl(name: &Ident, fields: &[FieldModel]) -> TokenStream {
    let items = fields.iter().map(|f| {
        let n = ident(&f.rust);
        let wire = &f.wire;
        quote!(::alicloud_runtime::wire::FlatEncode::encode_flat(&self.#n, &path.field(#wire), out);)
    });
    let allow = fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        impl ::alicloud_runtime::wire::FlatEncode for #name {
            #allow
            #[inline]
            fn encode_flat(&self, path: &::alicloud_runtime::Path<'_>, out: &mut ::alicloud_runtime::ParamList) {
                #(#items)*
            }
        }
    }
}

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
                quote!(::alicloud_runtime::rules::charset(value, #letters, #digits, #chars)),
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
                check(
                    quote!(CidrWithin),
                    quote!(::alicloud_runtime::rules::cidr_within(value, #block, #pl, &[#(#excluded),*])),
                    error_code,
                )
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
                let shown = if target.sensitive {
                    quote!(::alicloud_runtime::validate::Shown::Redacted)
                } else {
                    quote!(match keys[dup] {
                        ::std::option::Option::Some(k) =>
                            ::alicloud_runtime::validate::Shown::Value(k),
                        ::std::option::Option::None => ::alicloud_runtime::validate::Shown::Nothing,
                    })
                };
                out.push(quote! {
                    {
                        let keys: ::std::vec::Vec<_> = value.iter().map(|item| #chain).collect();
                        for (dup, first) in ::alicloud_runtime::rules::duplicates(&keys) {
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
    let report_missing = quote! {
        v.report(
            ::alicloud_runtime::path::join(path, #wire),
            ::alicloud_runtime::Rule::Required,
            ::std::string::String::from("is required"),
            ::alicloud_runtime::validate::Shown::Nothing,
            ::std::option::Option::Some("MissingParameter"),
        );
    };
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

/// One step of a condition path: a field, and whether `[]` follows it.
fn parse_cond_path(path: &str) -> Vec<(&str, bool)> {
    path.split('.')
        .map(|s| match s.strip_suffix("[]") {
            Some(n) => (n, true),
            None => (s, false),
        })
        .collect()
}

/// A boolean expression: the leaf test holds at `path` below `root` (any item for `[]`). A
/// leaf of `None` tests presence only.
fn cond_walk(
    model: &ProductModel,
    fields: &[FieldModel],
    root: TokenStream,
    segs: &[(&str, bool)],
    leaf: &dyn Fn(TokenStream, &Ty) -> Option<TokenStream>,
) -> Option<TokenStream> {
    let ((name, any), rest) = segs.split_first()?;
    let f = fields.iter().find(|f| f.wire == *name)?;
    let n = ident(&f.rust);
    let elem_ty = if *any { f.ty.element() } else { &f.ty };
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
    Some(if *any {
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
            &parse_cond_path(path),
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
                &parse_cond_path(path),
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
                &parse_cond_path(&pv.path),
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
                &parse_cond_path(&pc.path),
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
    let items = rules.iter().filter_map(|r| match r {
        CrossRule::ExclusiveGroups { groups, error_code } => {
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
            Some(quote!(v.exclusive_groups(path, &[#(#gs),*], #code);))
        }
        CrossRule::RequiresIf {
            when,
            require,
            error_code,
        } => {
            let cond = cond_expr(model, fields, root, when, true)?;
            let absent = cond_expr(model, fields, root, &Condition::Absent(require.clone()), true)?;
            let code = code_tokens(error_code);
            let msg = format!("is required by the values of other fields ({})", describe_condition(when));
            Some(quote! {
                if #cond && #absent {
                    v.report(::alicloud_runtime::path::join(path, #require), ::alicloud_runtime::Rule::RequiresIf, ::std::string::String::from(#msg), ::alicloud_runtime::validate::Shown::Nothing, #code);
                }
            })
        }
        CrossRule::Forbid {
            when,
            report_at,
            message,
            error_code,
        } => {
            let cond = cond_expr(model, fields, root, when, true)?;
            let code = code_tokens(error_code);
            Some(quote! {
                if #cond {
                    v.report(::alicloud_runtime::path::join(path, #report_at), ::alicloud_runtime::Rule::ForbiddenCombination, ::std::string::String::from(#message), ::alicloud_runtime::validate::Shown::Nothing, #code);
                }
            })
        }
    });
    quote!(#(#items)*)
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

fn validate_impl(
    model: &ProductModel,
    name: &Ident,
    fields: &[FieldModel],
    rules: &[CrossRule],
    check_required: bool,
) -> TokenStream {
    let root = quote!(self);
    let per_field: Vec<TokenStream> = fields
        .iter()
        .map(|f| field_validation(model, f, fields, &root, check_required))
        .filter(|t| !t.is_empty())
        .collect();
    let rules = rule_checks(model, fields, rules, &root);
    let allow = fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let unused = (per_field.is_empty() && rules.is_empty()).then(|| quote!(let _ = (path, v);));
    quote! {
        impl ::alicloud_runtime::validate::Validate for #name {
            #allow
            #[inline]
            fn validate_at(&self, path: &::alicloud_runtime::Path<'_>, v: &mut ::alicloud_runtime::Validator) {
                #unused
                #(#per_field)*
                #rules
            }
        }
        impl #name {
            /// Checks every constraint and rule, returning all violations at once.
            #[inline]
            pub fn validate(&self) -> ::std::result::Result<(), ::alicloud_runtime::Violations> {
                ::alicloud_runtime::client::validate_request(self)
            }
        }
    }
}

fn to_wire_impl(name: &Ident, params: &[FieldModel]) -> TokenStream {
    let items = params.iter().map(|f| {
        let n = ident(&f.rust);
        let wire = &f.wire;
        let target = match f.location {
            Location::Query => quote!(w.query),
            Location::Body => quote!(w.body),
        };
        let encode = match f.style {
            Style::Plain => quote!(#target.push(&root.field(#wire), value);),
            Style::Json => quote!(::alicloud_runtime::wire::encode_json(value, &root.field(#wire), &mut #target);),
            Style::Flat | Style::RepeatList => {
                quote!(::alicloud_runtime::wire::FlatEncode::encode_flat(value, &root.field(#wire), &mut #target);)
            }
            Style::Simple | Style::SpaceDelimited | Style::PipeDelimited => {
                let sep = match f.style {
                    Style::Simple => ',',
                    Style::SpaceDelimited => ' ',
                    _ => '|',
                };
                quote!(::alicloud_runtime::wire::encode_joined(value, #sep, &root.field(#wire), &mut #target);)
            }
        };
        quote! {
            if let ::std::option::Option::Some(value) = &self.#n {
                #encode
            }
        }
    });
    let allow = params
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    let body = if params.is_empty() {
        quote!(::alicloud_runtime::WireRequest::default())
    } else {
        quote! {
            let root = ::alicloud_runtime::Path::ROOT;
            let mut w = ::alicloud_runtime::WireRequest::default();
            #(#items)*
            w
        }
    };
    quote! {
        impl ::alicloud_runtime::client::ToWire for #name {
            #allow
            #[inline]
            fn to_wire(&self) -> ::alicloud_runtime::WireRequest {
                #body
            }
        }
    }
}

fn decode_impl(name: &Ident, params: &[FieldModel]) -> TokenStream {
    let entries = params.iter().map(|f| {
        let wire = &f.wire;
        let style = match f.style {
            Style::Plain => quote!(Plain),
            Style::Json => quote!(Json),
            Style::Flat | Style::RepeatList => quote!(Flat),
            Style::Simple => quote!(Joined(',')),
            Style::SpaceDelimited => quote!(Joined(' ')),
            Style::PipeDelimited => quote!(Joined('|')),
        };
        quote!(::alicloud_runtime::decode::WireParam { name: #wire, style: ::alicloud_runtime::decode::WireStyle::#style })
    });
    quote! {
        #[cfg(feature = "decode")]
        impl ::alicloud_runtime::decode::WireDecode for #name {
            const PARAMS: &'static [::alicloud_runtime::decode::WireParam] = &[#(#entries),*];
        }
    }
}

/// Emits an operation's module body (request, builder, response, error, metadata), and its
/// methods for the client's one `impl Client` block.
pub fn operation(model: &ProductModel, op: &OperationModel) -> (TokenStream, TokenStream) {
    let stem = &op.rust;
    let req = format_ident!("{}Request", stem);
    let builder = format_ident!("{}RequestBuilder", stem);
    let resp = format_ident!("{}Response", stem);
    let err = format_ident!("{}Error", stem);
    let method = ident(&op.module);
    let action = &op.spec.name;

    let mut req_doc = format!("Request of `{action}`: {}", op.spec.description);
    req_doc.push_str(&format!(
        "\n\nBuild one with [`{stem}Request::builder`], or call [`crate::Client::{}`].",
        op.module.trim_start_matches("r#")
    ));
    let req_def = struct_def(
        model,
        &req,
        &req_doc,
        &op.params,
        true,
        Gate::Decode,
        Gate::Decode,
    );
    let setters = setters(model, &op.params);
    let required = required_checks(&op.params, action);
    let validate = validate_impl(model, &req, &op.params, &op.spec.rules, true);
    let to_wire = to_wire_impl(&req, &op.params);
    let decode = decode_impl(&req, &op.params);

    let resp_doc = format!("Response of `{action}`.");
    let resp_def = struct_def(
        model,
        &resp,
        &resp_doc,
        &op.response,
        false,
        Gate::Decode,
        Gate::Always,
    );

    let err_def = error_enum(op, &err);
    let paginator = op
        .paging
        .as_ref()
        .map(|p| paginator(model, op, p, &req, &builder, &resp, &err))
        .unwrap_or_default();
    let waiters: Vec<TokenStream> = op
        .waiters
        .iter()
        .map(|(w, idx)| waiter(model, op, w, &op.response[*idx], &req, &resp, &err))
        .collect();

    let product = &model.product.code;
    let version = &model.product.version;
    let pattern = &model.product.endpoint.pattern;
    let http = match op.spec.http_method {
        HttpMethod::Post => "POST",
        HttpMethod::Get => "GET",
    };
    let token = match op.params.iter().find(|p| p.idempotency_token) {
        Some(p) => {
            let w = &p.wire;
            quote!(::std::option::Option::Some(#w))
        }
        None => quote!(::std::option::Option::None),
    };
    let infos = op.errors.iter().map(|e| {
        let c = &e.code;
        let r = e.retryable;
        quote!(::alicloud_runtime::ErrorInfo { code: #c, retryable: #r })
    });

    let deprecated = op
        .spec
        .deprecated
        .then(|| quote!(#[deprecated(note = "the service deprecated this operation")]));
    let mut method_doc = format!("`{action}`: {}", op.spec.description);
    if let Some(a) = &op.spec.asynchronous {
        method_doc.push_str(&format!(
            "\n\nAsynchronous: the call returns before the change is done; poll `{}` (every {} ms, at most {} times) to see it finish, e.g. with [`Client::{}`](crate::Client::{}).",
            a.poll_operation, a.interval_ms, a.max_attempts, poll_method_name(op), poll_method_name(op)
        ));
    }
    if let Some(ram) = &op.spec.ram {
        method_doc.push_str(&format!(
            "\n\nRAM action `{}` (access level: {}).",
            ram.action, ram.access_level
        ));
    }
    if let Some(url) = &model.product.doc_url {
        method_doc.push_str(&format!(
            "\n\nAlibaba Cloud's reference: <{url}{}>",
            op.spec.name.to_ascii_lowercase()
        ));
    }
    let method_doc = docs(&method_doc);
    let allow_dep = op
        .params
        .iter()
        .any(|p| p.deprecated)
        .then(|| quote!(#[allow(deprecated)]));

    let body = quote! {
        #req_def
        impl #req {
            /// A builder with every field unset.
            #[inline]
            pub fn builder() -> #builder {
                #builder { client: (), inner: ::std::default::Default::default(), validate: ::std::option::Option::None }
            }
        }
        #[doc = " Builder of the request; with a client (from [`crate::Client`]) it also sends it."]
        #[derive(Clone)]
        pub struct #builder<C = ()> {
            client: C,
            inner: #req,
            validate: ::std::option::Option<bool>,
        }
        /// The request built so far (redacted as the request is); not the client.
        impl<C> ::std::fmt::Debug for #builder<C> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.inner, f)
            }
        }
        impl<C> #builder<C> {
            #setters
            /// The request built so far (one accessor instead of a getter per parameter).
            #[inline]
            pub fn peek(&self) -> &#req {
                &self.inner
            }
            #allow_dep
            #[inline]
            fn check_required(&self) -> ::std::result::Result<(), ::alicloud_runtime::BuildError> {
                #required
                ::std::result::Result::Ok(())
            }
            /// The request; fails naming the first required parameter left unset.
            #[inline]
            pub fn build(self) -> ::std::result::Result<#req, ::alicloud_runtime::BuildError> {
                self.check_required()?;
                ::std::result::Result::Ok(self.inner)
            }
        }
        impl #builder<crate::Client> {
            /// Skips client-side validation for this call (the service still validates).
            #[inline]
            pub fn skip_validation(mut self) -> Self {
                self.validate = ::std::option::Option::Some(false);
                self
            }
            /// Validates, signs and sends the request, and decodes the answer (once awaited).
            #[inline]
            pub fn send(self) -> ::alicloud_runtime::client::Sending<#req, #resp, #err> {
                let required = self.check_required();
                ::alicloud_runtime::client::Sending::new(self.client.core().clone(), &META, self.inner, self.validate, required)
            }
        }
        #validate
        #to_wire
        #decode
        #resp_def
        #err_def
        #(#waiters)*
        #paginator
        /// What the client core needs to know to send this operation.
        pub static META: ::alicloud_runtime::OperationMeta = ::alicloud_runtime::OperationMeta {
            product: #product,
            version: #version,
            action: #action,
            endpoint_pattern: #pattern,
            method: #http,
            idempotency_token: #token,
            errors: &[#(#infos),*],
        };
        impl #builder<crate::Client> {
            /// The builder behind [`crate::Client`]'s method for this operation.
            #[inline]
            pub(crate) fn with_client(client: crate::Client) -> Self {
                #builder { client, inner: ::std::default::Default::default(), validate: ::std::option::Option::None }
            }
        }
    };
    // All client methods live in one `impl Client` block (client.rs): hundreds of separate
    // inherent impl blocks of one type make the compiler's overlap check quadratic.
    let module = ident(&op.module);
    let cfg = op.feature.as_ref().map(|f| quote!(#[cfg(feature = #f)]));
    let waiter_methods = op.waiters.iter().map(|(w, _)| {
        let name = format_ident!("{}Waiter", crate::names::camel(&w.name));
        let wmethod = format_ident!("wait_until_{}", crate::names::snake(&w.name).trim_start_matches("r#"));
        let list = |v: &[String]| v.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
        let wdoc = format!(
            " Waits until `{}` says `{}` is {}: see [`crate::operation::{}::{}`].",
            op.spec.name,
            w.status_field,
            list(&w.success),
            op.module.trim_start_matches("r#"),
            name
        );
        let wdoc = doc_text(&wdoc);
        quote! {
            #cfg
            #[doc = #wdoc]
            #[inline]
            pub fn #wmethod(&self, request: crate::operation::#module::#req) -> crate::operation::#module::#name {
                crate::operation::#module::#name::new(self.clone(), request)
            }
        }
    });
    let poll_method = poll_method(model, op);
    let methods = quote! {
        #cfg
        #method_doc
        #deprecated
        #[inline]
        pub fn #method(&self) -> crate::operation::#module::#builder<crate::Client> {
            crate::operation::#module::#builder::with_client(self.clone())
        }
        #(#waiter_methods)*
        #poll_method
    };
    (body, methods)
}

/// The name of the client method that waits for an asynchronous operation's work.
fn poll_method_name(op: &OperationModel) -> String {
    format!("wait_for_{}", op.module.trim_start_matches("r#"))
}

/// For an asynchronous operation, the client method that polls the operation its spec names,
/// with the documented interval and attempts; the caller states what answer means done,
/// which the metadata does not say.
fn poll_method(model: &ProductModel, op: &OperationModel) -> Option<TokenStream> {
    let a = op.spec.asynchronous.as_ref()?;
    let poll = model
        .operations
        .iter()
        .find(|o| o.spec.name == a.poll_operation)?;
    let module = ident(&poll.module);
    let req = format_ident!("{}Request", poll.rust);
    let resp = format_ident!("{}Response", poll.rust);
    let err = format_ident!("{}Error", poll.rust);
    let name = format_ident!("{}", poll_method_name(op));
    // Both operations must be compiled in.
    let cfg = match (&op.feature, &poll.feature) {
        (Some(a), Some(b)) if a != b => Some(quote!(#[cfg(all(feature = #a, feature = #b))])),
        (Some(f), _) | (None, Some(f)) => Some(quote!(#[cfg(feature = #f)])),
        (None, None) => None,
    };
    let (interval, attempts) = (a.interval_ms, a.max_attempts);
    let doc = doc_text(&format!(
        " Waits for the work of a `{}` call to finish: polls `{}` with `request` every {interval} ms, at most {attempts} times (the documented settings; the first poll comes one interval after the call), until the condition given to [`Poller::until`](::alicloud_runtime::waiter::Poller::until) holds. The service does not document which answer means done, so the condition is yours: a status, an item appearing in a list or leaving it.",
        op.spec.name, poll.spec.name
    ));
    Some(quote! {
        #cfg
        #[doc = #doc]
        #[inline]
        pub fn #name(
            &self,
            request: crate::operation::#module::#req,
        ) -> ::alicloud_runtime::waiter::Poller<
            crate::operation::#module::#req,
            crate::operation::#module::#resp,
            crate::operation::#module::#err,
        > {
            ::alicloud_runtime::waiter::Poller::new(
                self.core.clone(),
                &crate::operation::#module::META,
                request,
                ::alicloud_runtime::waiter::WaiterSettings {
                    initial_delay: ::std::time::Duration::from_millis(#interval),
                    interval: ::std::time::Duration::from_millis(#interval),
                    max_attempts: #attempts,
                },
            )
        }
    })
}

/// `value` (an `Option<i32 | i64>` expression) as `Option<i64>`.
fn opt_i64(value: TokenStream, ty: &Ty) -> TokenStream {
    match ty {
        Ty::Scalar {
            kind: Scalar::Int64,
            ..
        } => value,
        _ => quote!(#value.map(i64::from)),
    }
}

fn items_len(model: &ProductModel, op: &OperationModel, items: &Option<Vec<usize>>) -> TokenStream {
    let Some(path) = items else {
        // Unknown item list: assume a page is not empty, and rely on the total.
        return quote!(1usize);
    };
    let mut fields = &op.response;
    let mut expr = quote!(resp);
    for (depth, idx) in path.iter().enumerate() {
        let f = &fields[*idx];
        let n = ident(&f.rust);
        expr = if depth == 0 {
            quote!(#expr.#n.as_ref())
        } else {
            quote!(#expr.and_then(|x| x.#n.as_ref()))
        };
        if let Ty::Object(s) = &f.ty {
            if let ShapeKind::Object { fields: inner, .. } = &model.shapes[*s].kind {
                fields = inner;
            }
        }
    }
    quote!(#expr.map_or(0, |list| list.len()))
}

fn paginator(
    model: &ProductModel,
    op: &OperationModel,
    paging: &crate::model::Paging,
    req: &Ident,
    builder: &Ident,
    resp: &Ident,
    err: &Ident,
) -> TokenStream {
    use crate::model::Paging;
    let (next_body, how) = match paging {
        Paging::Number {
            page_number,
            page_size,
            total,
            resp_page_number,
            resp_page_size,
            items,
        } => {
            let pn = &op.params[*page_number];
            let pn_field = ident(&pn.rust);
            let req_pn = opt_i64(quote!(req.#pn_field), &pn.ty);
            let current = match resp_page_number {
                Some(i) => {
                    let f = &op.response[*i];
                    let n = ident(&f.rust);
                    let r = opt_i64(quote!(resp.#n), &f.ty);
                    quote!(#r.or(#req_pn).unwrap_or(1))
                }
                None => quote!(#req_pn.unwrap_or(1)),
            };
            let req_size = page_size.map(|i| {
                let f = &op.params[i];
                let n = ident(&f.rust);
                opt_i64(quote!(req.#n), &f.ty)
            });
            let resp_size = resp_page_size.map(|i| {
                let f = &op.response[i];
                let n = ident(&f.rust);
                opt_i64(quote!(resp.#n), &f.ty)
            });
            let size = match (resp_size, req_size) {
                (Some(r), Some(q)) => quote!(#r.or(#q)),
                (Some(r), None) => r,
                (None, Some(q)) => q,
                (None, None) => quote!(::std::option::Option::None),
            };
            let t = &op.response[*total];
            let tn = ident(&t.rust);
            let total = opt_i64(quote!(resp.#tn), &t.ty);
            let items = items_len(model, op, items);
            let set = match &pn.ty {
                Ty::Scalar {
                    kind: Scalar::Int64,
                    ..
                } => quote!(current + 1),
                _ => quote!(i32::try_from(current + 1).ok()?),
            };
            (
                quote! {
                    let current: i64 = #current;
                    if !::alicloud_runtime::paginate::has_next_page(::std::option::Option::Some(current), #size, #total, #items) {
                        return ::std::option::Option::None;
                    }
                    let mut next = req.clone();
                    next.#pn_field = ::std::option::Option::Some(#set);
                    ::std::option::Option::Some(next)
                },
                "`PageNumber`, until `TotalCount` is reached",
            )
        }
        Paging::Token {
            token,
            resp_token,
            items,
        } => {
            let t = ident(&op.params[*token].rust);
            let rt = ident(&op.response[*resp_token].rust);
            let items = items_len(model, op, items);
            (
                quote! {
                    let token = ::alicloud_runtime::paginate::next_token(resp.#rt.as_ref())?;
                    // A token that does not move, or an empty page with a token, would loop.
                    if req.#t.as_deref() == ::std::option::Option::Some(token.as_str()) || #items == 0 {
                        return ::std::option::Option::None;
                    }
                    let mut next = req.clone();
                    next.#t = ::std::option::Option::Some(token);
                    ::std::option::Option::Some(next)
                },
                "`NextToken`, until the answer has none",
            )
        }
    };
    let doc = format!(
        " Every page of `{}`, as a stream fetched on demand (following {how}). Starts from the page the builder describes; a request that cannot be built is the stream's only item.",
        op.spec.name
    );
    quote! {
        /// The request of the page after `resp`, or `None` after the last page.
        #[inline]
        fn next_page(req: &#req, resp: &#resp) -> ::std::option::Option<#req> {
            #next_body
        }
        impl #builder<crate::Client> {
            #[doc = #doc]
            #[inline]
            pub fn into_paginator(self) -> ::alicloud_runtime::paginate::Pages<#req, #resp, #err> {
                let strategy = ::alicloud_runtime::paginate::PageStrategy { next: next_page };
                let core = self.client.core().clone();
                match self.check_required() {
                    ::std::result::Result::Ok(()) => ::alicloud_runtime::paginate::Pages::new(core, &META, self.inner, self.validate, strategy),
                    ::std::result::Result::Err(e) => ::alicloud_runtime::paginate::Pages::failed(core, &META, e.into(), strategy),
                }
            }
        }
    }
}

fn waiter(
    model: &ProductModel,
    op: &OperationModel,
    w: &crate::spec::Waiter,
    status_field: &FieldModel,
    req: &Ident,
    resp: &Ident,
    err: &Ident,
) -> TokenStream {
    let name = format_ident!("{}Waiter", crate::names::camel(&w.name));
    // Defaults come from the first operation (by name) that says it is polled through this one.
    let caller = model
        .operations
        .iter()
        .filter_map(|o| o.spec.asynchronous.as_ref().map(|a| (o, a)))
        .find(|(_, a)| a.poll_operation == op.spec.name);
    let (interval, attempts, origin) = match caller {
        Some((o, a)) => (
            a.interval_ms,
            a.max_attempts,
            format!("the settings `{}` documents", o.spec.name),
        ),
        None => (2000, 30, "the generator's defaults".to_owned()),
    };
    let field = ident(&status_field.rust);
    let status_expr = match &status_field.ty {
        Ty::Enum(_) => quote!(r.#field.as_ref().map(|s| s.as_str().to_owned())),
        _ => quote!(r.#field.as_ref().map(|s| s.to_string())),
    };
    let success = &w.success;
    let failure = &w.failure;
    let codes = &w.failure_codes;
    let list = |v: &[String]| {
        v.iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let doc = format!(
        " Polls `{}` until `{}` is {}.\n\n Fails at once on {}{}. By default (from {origin}) it polls every {interval} ms, at most {attempts} times, starting one interval after it is called.",
        op.spec.name,
        w.status_field,
        list(success),
        if failure.is_empty() { "no status".to_owned() } else { format!("status {}", list(failure)) },
        if codes.is_empty() { String::new() } else { format!(" and on error {}", list(codes)) },
    );
    let doc = doc_text(&doc);
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #name {
            client: crate::Client,
            request: #req,
            settings: ::alicloud_runtime::waiter::WaiterSettings,
        }
        impl #name {
            /// Time between polls.
            #[inline]
            pub fn interval(mut self, interval: ::std::time::Duration) -> Self {
                self.settings.interval = interval;
                self
            }
            /// Polls at most.
            #[inline]
            pub fn max_attempts(mut self, attempts: u32) -> Self {
                self.settings.max_attempts = attempts;
                self
            }
            /// Time before the first poll (the first poll may otherwise still see the old status).
            #[inline]
            pub fn initial_delay(mut self, delay: ::std::time::Duration) -> Self {
                self.settings.initial_delay = delay;
                self
            }
            /// Polls until the wanted status, returning the last response.
            #[inline]
            pub async fn wait(self) -> ::std::result::Result<#resp, ::alicloud_runtime::waiter::WaitError<#err>> {
                ::alicloud_runtime::waiter::wait(
                    self.client.core(),
                    &META,
                    &self.request,
                    self.settings,
                    |r: &#resp| #status_expr,
                    ::alicloud_runtime::waiter::Acceptors {
                        success: &[#(#success),*],
                        failure: &[#(#failure),*],
                        failure_codes: &[#(#codes),*],
                    },
                )
                .await
            }
        }
        impl #name {
            /// The waiter behind [`crate::Client`]'s method for it.
            #[inline]
            pub(crate) fn new(client: crate::Client, request: #req) -> Self {
                #name {
                    client,
                    request,
                    settings: ::alicloud_runtime::waiter::WaiterSettings {
                        initial_delay: ::std::time::Duration::from_millis(#interval),
                        interval: ::std::time::Duration::from_millis(#interval),
                        max_attempts: #attempts,
                    },
                }
            }
        }
    }
}

fn error_enum(op: &OperationModel, err: &Ident) -> TokenStream {
    // Every operation's errors are one runtime type over the product's `ErrorCode`: the code
    // for matching, retries and formatting is compiled once per product, not per operation.
    let mut d = format!(
        "Errors of `{}`: a [`ServiceError`](::alicloud_runtime::ServiceError) whose [`kind`](::alicloud_runtime::ServiceError::kind) is the product's [`ErrorCode`](crate::ErrorCode).",
        op.spec.name
    );
    if op.errors.is_empty() {
        d.push_str("\n\nThe operation documents no error codes.");
    } else {
        d.push_str("\n\nDocumented codes:\n");
        for e in &op.errors {
            let statuses: Vec<String> = e.entries.iter().map(|x| x.status.to_string()).collect();
            let mut line = format!(
                "\n- [`{}`](crate::ErrorCode::{}) (HTTP {})",
                e.code,
                e.rust,
                statuses.join(", ")
            );
            if let Some(first) = e.entries.first() {
                line.push_str(&format!(": \"{}\"", first.message));
                if !first.description.is_empty() {
                    line.push_str(&format!(" — {}", first.description));
                }
            }
            if e.retryable {
                line.push_str(" Retryable.");
            }
            d.push_str(&line);
        }
    }
    let d = docs(&d);
    quote! {
        #d
        pub type #err = ::alicloud_runtime::ServiceError<crate::ErrorCode>;
    }
}

/// The product's error codes (`src/error.rs`): one fieldless enum, in byte order of the codes,
/// with a sorted table for lookups.
pub fn error_codes(model: &ProductModel) -> TokenStream {
    let variants: Vec<Ident> = model.error_codes.iter().map(|c| ident(&c.rust)).collect();
    let codes: Vec<&str> = model.error_codes.iter().map(|c| c.code.as_str()).collect();
    let n = codes.len();
    let vdocs = model.error_codes.iter().map(|c| {
        let ops: Vec<String> = c
            .operations
            .iter()
            .take(5)
            .map(|&i| format!("`{}`", model.operations[i].spec.name))
            .collect();
        let more = c.operations.len().saturating_sub(5);
        let mut d = format!("`{}`, documented by {}", c.code, ops.join(", "));
        if more > 0 {
            d.push_str(&format!(" and {more} more operation(s)"));
        }
        d.push('.');
        let op = &model.operations[c.operations[0]];
        if let Some(m) = op
            .errors
            .iter()
            .find(|e| e.code == c.code)
            .and_then(|e| e.entries.first())
        {
            d.push_str(&format!("\n\nHTTP {}: \"{}\"", m.status, m.message));
        }
        docs(&d)
    });
    let table = (n > 0).then(|| {
        quote! {
            /// The codes in byte order; variant `i` is entry `i`.
            static CODES: [(&str, ErrorCode); #n] = [#( (#codes, ErrorCode::#variants) ),*];
        }
    });
    let (as_str, from_code) = if n == 0 {
        (
            quote!(match self {}),
            quote!(let _ = code; ::std::option::Option::None),
        )
    } else {
        (
            quote!(CODES[self as usize].0),
            quote! {
                CODES
                    .binary_search_by(|(c, _)| (*c).cmp(code))
                    .ok()
                    .map(|i| CODES[i].1)
            },
        )
    };
    quote! {
        //! The product's error codes.

        /// Every error code the product documents, as the service writes it (`code()`), for
        /// matching on [`ServiceError::kind`](::alicloud_runtime::ServiceError::kind). Each
        /// operation's error type documents the subset it answers.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            #( #vdocs #variants, )*
        }
        #table
        impl ErrorCode {
            /// The code as the service writes it.
            #[inline]
            pub fn as_str(self) -> &'static str {
                #as_str
            }
        }
        impl ::std::fmt::Display for ErrorCode {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::alicloud_runtime::error::ErrorCode for ErrorCode {
            #[inline]
            fn from_code(code: &str) -> ::std::option::Option<Self> {
                #from_code
            }
            #[inline]
            fn as_str(self) -> &'static str {
                ErrorCode::as_str(self)
            }
        }
    }
}
