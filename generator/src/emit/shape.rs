//! Object shapes: the struct, its builder, serde impls and a `Debug` that redacts secrets.

use std::fmt::Write as _;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::field_doc;
use super::enums::enum_def;
use super::text;
use super::tokens::{allow_deprecated, doc_text, docs, ident, rust_ty, Code};
use super::validate::{validate_impl, RequiredFields};
use super::wire::flat_impl;
use crate::model::{FieldModel, ProductModel, ShapeKind, ShapeModel, Ty};
use crate::names::Name;

fn struct_fields(model: &ProductModel, fields: &[FieldModel], docs_of: FieldDocs) -> TokenStream {
    let items = fields.iter().map(|f| {
        let name = ident(&f.rust);
        let ty = rust_ty(model, &f.ty);
        let doc = docs(&field_doc(model, f, docs_of == FieldDocs::Parameters));
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

/// When a serde implementation is compiled.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Always.
    Always,
    /// Only with the crate's `decode` feature (server side: emulators, tests).
    Decode,
}

fn gate_attr(g: Gate) -> Option<TokenStream> {
    (g == Gate::Decode).then(|| quote!(#[cfg(feature = "decode")]))
}

/// Which docs a struct's fields get: a request's parameters also say where they travel.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FieldDocs {
    /// Request parameters: wire name, type, location and style.
    Parameters,
    /// Object and response fields: wire name and type.
    Fields,
}

/// A struct to emit: its name, doc, fields, and when each serde direction is compiled.
pub struct StructDef<'a> {
    /// Type name.
    pub name: &'a Name,
    /// Doc text.
    pub doc: &'a str,
    /// Fields in wire order.
    pub fields: &'a [FieldModel],
    /// Which docs the fields get.
    pub field_docs: FieldDocs,
    /// When `Serialize` is compiled.
    pub serialize: Gate,
    /// When `Deserialize` is compiled.
    pub deserialize: Gate,
    /// Whether the struct has an `extra` map of undeclared JSON keys (see [`takes_extra`]).
    pub extra: bool,
}

/// Whether a shape's JSON object takes undeclared keys: shapes inside `json`-style parameters,
/// unless a field of theirs already takes the names the map and its setter would have.
pub fn takes_extra(s: &ShapeModel, fields: &[FieldModel]) -> bool {
    s.json_side
        && s.request_side
        && !fields
            .iter()
            .any(|f| f.rust.as_str() == "extra" || f.setter.as_str() == "extra_field")
}

/// A struct's code: the definition (with its `Debug`), the serde impls always compiled, and
/// those behind `decode`.
pub struct StructCode {
    /// The struct and its `Debug`.
    pub def: TokenStream,
    /// serde impls always compiled.
    pub serde: TokenStream,
    /// serde impls behind the `decode` feature.
    pub decode: TokenStream,
}

impl StructDef<'_> {
    /// The struct's code, with serde derives placed by their gates and a redacting `Debug`.
    pub fn emit(&self, model: &ProductModel) -> StructCode {
        let name = self.name;
        let doc = docs(self.doc);
        let mut body = struct_fields(model, self.fields, self.field_docs);
        if self.extra {
            body.extend(quote! {
                /// Keys the spec does not declare (yet), sent after the declared ones in the
                /// JSON object (set them with the builder's `extra_field`).
                pub extra: ::alicloud_runtime::ExtraFields,
            });
        }
        let sensitive = self.fields.iter().any(|f| f.sensitive);
        let derive_debug = (!sensitive).then(|| quote!(Debug,));
        let debug = sensitive.then(|| debug_impl(name, self.fields, self.extra));
        let mut serde = TokenStream::new();
        let mut decode = TokenStream::new();
        for (gate, code) in [
            (
                self.serialize,
                serialize_impl(name, self.fields, self.serialize, self.extra),
            ),
            (
                self.deserialize,
                deserialize_impl(name, self.fields, self.deserialize),
            ),
        ] {
            match gate {
                Gate::Always => serde.extend(code),
                Gate::Decode => decode.extend(code),
            }
        }
        StructCode {
            def: quote! {
                #doc
                #[derive(Clone, Default, PartialEq, #derive_debug)]
                #[non_exhaustive]
                pub struct #name { #body }
                #debug
            },
            serde,
            decode,
        }
    }
}

/// `Deserialize` through the runtime's shared object visitor: one match arm per field. Written
/// as text ([`text`]): one of the most repeated impls of a crate.
fn deserialize_impl(name: &Name, fields: &[FieldModel], gate: Gate) -> TokenStream {
    let ty = ident(name).to_string();
    let mut t = String::with_capacity(512 + 96 * fields.len());
    let cfg = gate_text(gate);
    t.push_str(cfg);
    text::impl_header(
        &mut t,
        "impl ::alicloud_runtime::de::object::ObjectFields",
        &ty,
    );
    let _ = writeln!(
        t,
        "    const NAME: &'static str = {};",
        text::lit(name.as_str())
    );
    if fields.iter().any(|f| f.deprecated) {
        t.push_str("    #[allow(deprecated)]\n");
    }
    t.push_str(
        "    fn field<'de, A: ::serde::de::MapAccess<'de>>(\n        &mut self,\n        key: &str,\n        map: &mut A,\n    ) -> ::std::result::Result<bool, A::Error> {\n",
    );
    if fields.is_empty() {
        t.push_str("        let _ = (key, map);\n        ::std::result::Result::Ok(false)\n");
    } else {
        t.push_str("        match key {\n");
        for f in fields {
            // Scalars are read leniently (a number may come quoted, or a string unquoted).
            let read = match &f.ty {
                Ty::Scalar { .. } => "::alicloud_runtime::de::object::lenient",
                _ => "::alicloud_runtime::de::object::value",
            };
            let slot = format!("&mut self.{}", ident(&f.rust));
            text::arm(&mut t, 12, &text::lit(&f.wire), read, &["map", &slot]);
        }
        t.push_str("            _ => ::std::result::Result::Ok(false),\n        }\n");
    }
    t.push_str("    }\n}\n");
    t.push_str(cfg);
    text::impl_header(&mut t, "impl<'de> ::serde::Deserialize<'de>", &ty);
    t.push_str("    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {\n        ::alicloud_runtime::de::object::deserialize(d)\n    }\n}\n");
    text::item(&t)
}

/// The `#[cfg]` line of a gate, as text.
fn gate_text(g: Gate) -> &'static str {
    match g {
        Gate::Always => "",
        Gate::Decode => "#[cfg(feature = \"decode\")]\n",
    }
}

/// `Serialize` as a JSON object of the set fields, in declared order: as text ([`text`]), but
/// for the few objects with undeclared keys, whose last call prettyplease breaks as a method
/// chain (see [`serialize_tokens`]).
fn serialize_impl(name: &Name, fields: &[FieldModel], gate: Gate, extra: bool) -> TokenStream {
    if extra {
        return serialize_tokens(name, fields, gate, extra);
    }
    let mut t = String::with_capacity(256 + 64 * fields.len());
    t.push_str(gate_text(gate));
    text::impl_header(&mut t, "impl ::serde::Serialize", &ident(name).to_string());
    if fields.iter().any(|f| f.deprecated) {
        t.push_str("    #[allow(deprecated)]\n");
    }
    t.push_str("    fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {\n");
    let m = if fields.is_empty() { "m" } else { "mut m" };
    let _ = writeln!(
        t,
        "        let {m} = s.serialize_map(::std::option::Option::None)?;"
    );
    for f in fields {
        let write = match &f.ty {
            Ty::Scalar {
                as_string: true, ..
            } => "::alicloud_runtime::de::entry_as_string",
            _ => "::alicloud_runtime::de::entry",
        };
        let field = format!("&self.{}", ident(&f.rust));
        text::call(
            &mut t,
            8,
            write,
            &["&mut m", &text::lit(&f.wire), &field],
            "?;",
        );
    }
    t.push_str("        ::serde::ser::SerializeMap::end(m)\n    }\n}\n");
    text::item(&t)
}

/// [`serialize_impl`] as tokens, for objects with undeclared keys.
fn serialize_tokens(name: &Name, fields: &[FieldModel], gate: Gate, extra: bool) -> TokenStream {
    let cfg = gate_attr(gate);
    let entries = fields.iter().map(|f| {
        let n = ident(&f.rust);
        let wire = &f.wire;
        let write = match &f.ty {
            Ty::Scalar {
                as_string: true, ..
            } => quote!(entry_as_string),
            _ => quote!(entry),
        };
        quote!(::alicloud_runtime::de::#write(&mut m, #wire, &self.#n)?;)
    });
    let allow = allow_deprecated(fields);
    let m = if fields.is_empty() && !extra {
        quote!(m)
    } else {
        quote!(mut m)
    };
    let extra = extra.then(|| {
        let declared = fields.iter().map(|f| &f.wire);
        quote!(self.extra.serialize_into(&mut m, &[#(#declared),*])?;)
    });
    quote! {
        #cfg
        impl ::serde::Serialize for #name {
            #allow
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                let #m = s.serialize_map(::std::option::Option::None)?;
                #(#entries)*
                #extra
                ::serde::ser::SerializeMap::end(m)
            }
        }
    }
}

fn debug_impl(name: &Name, fields: &[FieldModel], extra: bool) -> TokenStream {
    let label = name.as_str();
    let entries = fields.iter().map(|f| {
        let n = ident(&f.rust);
        let wire = f.rust.as_str();
        if f.sensitive {
            quote!(.field(#wire, &self.#n.as_ref().map(|_| ::alicloud_runtime::validate::REDACTED)))
        } else {
            quote!(.field(#wire, &self.#n))
        }
    });
    // `ExtraFields` shows its keys only.
    let extra = extra.then(|| quote!(.field("extra", &self.extra)));
    // Showing a deprecated field is not using it.
    let allow = fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        impl ::std::fmt::Debug for #name {
            #allow
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label) #(#entries)* #extra .finish()
            }
        }
    }
}

pub(crate) fn setters(model: &ProductModel, fields: &[FieldModel]) -> TokenStream {
    let items = fields.iter().map(|f| {
        let field = &f.rust;
        let setter = &f.setter;
        let set = &f.set_setter;
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
        quote!(::alicloud_runtime::BuildError::require(self.inner.#n.is_some(), #wire, #shape)?;)
    });
    quote!(#(#checks)*)
}

/// The setters of [`setters`] as text ([`text`]) at an impl's indentation, or `None` where a
/// line would need a layout [`text::signature`] does not write (the caller writes tokens).
pub(crate) fn setters_text(model: &ProductModel, fields: &[FieldModel]) -> Option<String> {
    let mut t = String::with_capacity(400 * fields.len());
    for f in fields {
        let wire = &f.wire;
        // A doc attribute prettyplease writes as `///` text as it is.
        if !wire
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        {
            return None;
        }
        let ty = super::tokens::rust_ty_text(model, &f.ty);
        let field = ident(&f.rust);
        let allow = if f.deprecated {
            "    #[allow(deprecated)]\n"
        } else {
            ""
        };
        let into = format!("value: impl {}<{ty}>", text::std("Into"));
        let option = format!("value: {}<{ty}>", text::std("Option"));
        let setter = format!("pub fn {}", ident(&f.setter));
        let set = format!("pub fn {}", ident(&f.set_setter));
        let assign = format!(
            "        self.inner.{field} = {}(value.into());",
            text::std("Some")
        );
        let assign_set = format!("        self.inner.{field} = value;");
        if text::width(&assign) > text::WIDTH || text::width(&assign_set) > text::WIDTH {
            return None;
        }
        let _ = write!(t, "    /// Sets `{wire}`.\n{allow}    #[inline]\n");
        text::signature(&mut t, 4, &setter, &["mut self", &into], Some("Self"))?;
        let _ = write!(t, "{assign}\n        self\n    }}\n");
        let _ = write!(
            t,
            "    /// Sets or clears `{wire}`.\n{allow}    #[inline]\n"
        );
        text::signature(&mut t, 4, &set, &["mut self", &option], Some("Self"))?;
        let _ = write!(t, "{assign_set}\n        self\n    }}\n");
    }
    Some(t)
}

/// [`required_checks`] as text, at the indentation of a method's body.
pub(crate) fn required_text(t: &mut String, fields: &[FieldModel], shape: &str) {
    let shape = text::lit(shape);
    for f in fields.iter().filter(|f| f.required) {
        let set = format!("self.inner.{}.is_some()", ident(&f.rust));
        text::call(
            t,
            8,
            "::alicloud_runtime::BuildError::require",
            &[&set, &text::lit(&f.wire), &shape],
            "?;",
        );
    }
}

/// The `peek` accessor of a builder as text: the `what` built so far, instead of a getter per
/// `part`.
pub(crate) fn peek_text(t: &mut String, what: &str, part: &str, ty: &str) -> Option<()> {
    let _ = write!(
        t,
        "    /// The {what} built so far (one accessor instead of a getter per {part}).\n    #[inline]\n"
    );
    text::signature(t, 4, "pub fn peek", &["&self"], Some(&format!("&{ty}")))?;
    t.push_str("        &self.inner\n    }\n");
    Some(())
}

/// The impl of a nested object's builder as text, or `None` (see [`setters_text`]).
fn object_builder_text(
    model: &ProductModel,
    s: &ShapeModel,
    fields: &[FieldModel],
) -> Option<String> {
    let (name, builder) = (ident(&s.rust).to_string(), ident(&s.builder).to_string());
    let mut t = String::with_capacity(1024);
    if text::width(&builder) + 8 > text::WIDTH {
        return None;
    }
    let _ = writeln!(t, "impl {builder} {{");
    t.push_str(&setters_text(model, fields)?);
    peek_text(&mut t, "value", "field", &name)?;
    if fields.iter().any(|f| f.required) {
        t.push_str(
            "    /// Builds the value; fails naming the first required field left unset.\n    #[inline]\n",
        );
        let ret = format!(
            "{}<{name}, ::alicloud_runtime::BuildError>",
            text::std("Result")
        );
        text::signature(&mut t, 4, "pub fn build", &["self"], Some(&ret))?;
        required_text(&mut t, fields, &s.name);
        let _ = writeln!(t, "        {}(self.inner)\n    }}", text::std("Ok"));
    } else {
        t.push_str("    /// Builds the value.\n    #[inline]\n");
        text::signature(&mut t, 4, "pub fn build", &["self"], Some(&name))?;
        t.push_str("        self.inner\n    }\n");
    }
    t.push_str("}\n");
    Some(t)
}

/// Emits the code for one shape: an enum, or a struct with (for request-side objects) its
/// builder, validation and flat encoding.
pub fn shape(model: &ProductModel, s: &ShapeModel) -> Code {
    let (fields, rules) = match &s.kind {
        ShapeKind::Enum { variants } => {
            return Code {
                items: enum_def(s, variants),
                decode: TokenStream::new(),
            }
        }
        ShapeKind::Object { fields, rules } => (fields, rules),
    };
    let name = &s.rust;
    let mut doc = if s.description.is_empty() {
        format!("The `{}` object.", s.name)
    } else {
        s.description.clone()
    };
    if s.request_side {
        doc.push_str(&format!("\n\nBuild one with [`{name}::builder`]."));
    }
    let gate = |always: bool| if always { Gate::Always } else { Gate::Decode };
    let extra = takes_extra(s, fields);
    let code = StructDef {
        name,
        doc: &doc,
        fields,
        field_docs: FieldDocs::Fields,
        serialize: gate(s.request_side),
        deserialize: gate(s.response_side),
        extra,
    }
    .emit(model);
    let (def, serde, decode) = (code.def, code.serde, code.decode);
    if !s.request_side {
        return Code {
            items: quote!(#def #serde),
            decode,
        };
    }
    let builder = &s.builder;
    let text_impl = if extra {
        None
    } else {
        object_builder_text(model, s, fields)
    };
    let builder_impl = match text_impl {
        Some(t) => text::item(&t),
        None => {
            let mut setters = setters(model, fields);
            if extra {
                setters.extend(quote! {
                    /// Adds a key the spec does not declare (yet) to the JSON object, e.g. one Alibaba
                    /// added after this crate was generated; a declared key is refused by validation
                    /// (set it with its setter).
                    #[inline]
                    pub fn extra_field(mut self, key: impl ::std::convert::Into<::std::string::String>, value: impl ::std::convert::Into<::serde_json::Value>) -> Self {
                        self.inner.extra.insert(key, value);
                        self
                    }
                });
            }
            let build = if fields.iter().any(|f| f.required) {
                let checks = required_checks(fields, &s.name);
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
            quote! {
                impl #builder {
                    #setters
                    /// The value built so far (one accessor instead of a getter per field).
                    #[inline]
                    pub fn peek(&self) -> &#name {
                        &self.inner
                    }
                    #build
                }
            }
        }
    };
    let bdoc = format!(" Builder of [`{name}`].");
    let validation = validate_impl(
        model,
        name,
        fields,
        rules,
        RequiredFields::CheckedByBuilder,
        extra,
    );
    let validate_method = validation.method;
    let validate = validation.trait_impl;
    let flat = flat_impl(name, fields);
    Code {
        items: quote! {
            #def
            impl #name {
                /// A builder with every field unset.
                #[inline]
                pub fn builder() -> #builder {
                    <#builder as ::std::default::Default>::default()
                }
                #validate_method
            }
            #[doc = #bdoc]
            #[derive(Clone, Default, Debug)]
            pub struct #builder { inner: #name }
            #builder_impl
            #serde
            #validate
            #flat
        },
        decode,
    }
}
