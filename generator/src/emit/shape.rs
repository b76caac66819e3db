//! Object shapes: the struct, its builder, serde impls and a `Debug` that redacts secrets.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::field_doc;
use super::enums::enum_def;
use super::validate::validate_impl;
use super::wire::flat_impl;
use super::{doc_text, docs, ident, rust_ty};
use crate::model::{FieldModel, ProductModel, ShapeKind, ShapeModel, Ty};

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
pub(crate) fn struct_def(
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

pub(crate) fn setters(model: &ProductModel, fields: &[FieldModel]) -> TokenStream {
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

pub(crate) fn required_checks(fields: &[FieldModel], shape: &str) -> TokenStream {
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
