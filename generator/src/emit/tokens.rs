//! What every emitter uses: identifier tokens, doc attributes, the Rust type of a model
//! type, and [`Code`], the always/`decode` split of a construct's code.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::model::{ProductModel, Scalar, Ty};
use crate::names::Name;

/// The identifier token of a model name.
pub fn ident(name: &Name) -> Ident {
    name.ident()
}

/// The `cfg` of an item compiled with any of `features` (one API group: `feature = "x"`, as
/// clippy's `non_minimal_cfg` wants; several: `any(…)`).
pub fn feature_cfg(features: &std::collections::BTreeSet<String>) -> TokenStream {
    if features.len() == 1 {
        let f = features.iter();
        quote!(#[cfg(#(feature = #f)*)])
    } else {
        let f = features.iter();
        quote!(#[cfg(any(#(feature = #f),*))])
    }
}

/// `#[allow(deprecated)]` for an item whose body touches any of `fields` that is deprecated:
/// the generated crate's own code must compile without warnings.
pub fn allow_deprecated(fields: &[crate::model::FieldModel]) -> Option<TokenStream> {
    fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]))
}

/// Code of one construct, placed apart: what is always compiled, and what only with the
/// crate's `decode` feature (server side), which goes to the end of its module.
#[derive(Default)]
pub struct Code {
    /// Always compiled.
    pub items: TokenStream,
    /// Behind `#[cfg(feature = "decode")]`.
    pub decode: TokenStream,
}

/// Spec text made fit for a doc comment: `\r\n` and lone `\r` become `\n`. prettyplease writes
/// a doc attribute as a `///` (or `/** */`) comment, and Rust refuses a bare carriage return
/// in a doc comment ("bare CR not allowed in doc-comment"), so none may reach one.
pub(crate) fn doc_text(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

pub(crate) fn docs(text: &str) -> TokenStream {
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
    let name = &s.rust;
    match s.home {
        None => quote!(crate::types::#name),
        Some(op) => {
            let m = &model.operations[op].module;
            quote!(crate::operation::#m::#name)
        }
    }
}

/// [`rust_ty`] as text for a text item ([`super::text`]): prelude names marked (see
/// [`super::text::std`]) to be written short or long when the file is put together.
pub fn rust_ty_text(model: &ProductModel, ty: &Ty) -> String {
    use super::text::std;
    match ty {
        Ty::Scalar { kind, .. } => match kind {
            Scalar::String => std("String"),
            Scalar::Boolean => "bool".into(),
            Scalar::Int32 => "i32".into(),
            Scalar::Int64 => "i64".into(),
            Scalar::Float | Scalar::Double => "f64".into(),
        },
        Ty::Any => "::serde_json::Value".into(),
        Ty::List(t) => format!("{}<{}>", std("Vec"), rust_ty_text(model, t)),
        Ty::Map(t) => format!(
            "::std::collections::BTreeMap<{}, {}>",
            std("String"),
            rust_ty_text(model, t)
        ),
        Ty::Object(i) | Ty::Enum(i) => {
            let s = &model.shapes[*i];
            match s.home {
                None => format!("crate::types::{}", ident(&s.rust)),
                Some(op) => format!(
                    "crate::operation::{}::{}",
                    ident(&model.operations[op].module),
                    ident(&s.rust)
                ),
            }
        }
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
