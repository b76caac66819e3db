//! Wire encoding of ROA operations: `path` parameters fill the path template (each value
//! percent-encoded as one segment), `body` parameters become the members of one JSON object
//! body, a `whole_body` parameter is the body itself; query and header parameters travel as
//! for RPC, except that a boolean in the query is written `True`/`False`, as the official SDK
//! writes it (captured in `tests/data/roa-signing-vectors.json`).

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{allow_deprecated, ident};
use super::wire::{in_wire_order, push_field, unordered, Within};
use crate::model::{FieldModel, Scalar, Ty};
use crate::names::Name;
use crate::spec::grammar::{path_pieces, Piece};
use crate::spec::{Location, Style};

/// `ToWire` for a ROA request.
pub(crate) fn roa_to_wire_impl(name: &Name, params: &[FieldModel], template: &str) -> TokenStream {
    let path_pieces = path_pieces(template)
        .unwrap_or_default()
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => quote!(path.push_str(#t);),
            Piece::Param(wire) => match params
                .iter()
                .find(|f| f.location == Location::Path && f.wire == wire)
            {
                Some(f) => {
                    let n = ident(&f.rust);
                    quote! {
                        if let ::std::option::Option::Some(value) = &self.#n {
                            ::alicloud_runtime::roa::push_segment(&mut path, value);
                        }
                    }
                }
                // The checker refuses a placeholder without its parameter.
                None => quote!(),
            },
        });
    let cap = template.len() + 16;
    let mut members = Vec::new();
    let mut others = Vec::new();
    let mut whole = None;
    for f in params {
        let n = ident(&f.rust);
        let wire = &f.wire;
        match f.location {
            Location::Path => {}
            Location::Body => {
                let value = match f.ty {
                    Ty::Scalar {
                        as_string: true, ..
                    } => quote!(&::alicloud_runtime::de::AsString(value)),
                    _ => quote!(value),
                };
                members.push(quote! {
                    if let ::std::option::Option::Some(value) = &self.#n {
                        body.member(#wire, #value);
                    }
                })
            }
            Location::WholeBody => {
                whole = Some(quote! {
                    if let ::std::option::Option::Some(value) = &self.#n {
                        w.json = ::alicloud_runtime::roa::json_body(value);
                    }
                })
            }
            // Sent below, in signing order.
            Location::Query | Location::Header => {}
        }
    }
    for (location, target) in [
        (Location::Query, quote!(w.query)),
        (Location::Header, quote!(w.headers)),
    ] {
        let (ordered, certain) = in_wire_order(
            params.iter().filter(|f| f.location == location),
            Within::Request,
        );
        if !ordered.is_empty() {
            others.push(unordered(certain, target.clone()));
        }
        for f in ordered {
            let n = ident(&f.rust);
            let wire = &f.wire;
            let python_bool = f.location == Location::Query
                && f.style == Style::Plain
                && matches!(
                    f.ty,
                    Ty::Scalar {
                        kind: Scalar::Boolean,
                        as_string: false
                    }
                );
            let encode = if python_bool {
                // As the official SDK sends them (`retain_all_resources=False`).
                quote!(::alicloud_runtime::roa::push_query_bool(&mut #target, #wire, *value);)
            } else {
                push_field(
                    f,
                    Within::Request,
                    quote!(value),
                    (target.clone(), quote!(&mut #target)),
                )
            };
            others.push(quote! {
                if let ::std::option::Option::Some(value) = &self.#n {
                    #encode
                }
            });
        }
    }
    // An operation with body members always sends an object (`{}` when none is set), as the
    // official SDK does.
    let body = (!members.is_empty()).then(|| {
        quote! {
            let mut body = ::alicloud_runtime::roa::JsonBody::new();
            #(#members)*
            w.json = ::std::option::Option::Some(body.finish());
        }
    });
    let allow = allow_deprecated(params);
    quote! {
        impl ::alicloud_runtime::client::ToWire for #name {
            #allow
            #[inline]
            fn to_wire(&self) -> ::alicloud_runtime::WireRequest {
                let mut w = ::alicloud_runtime::WireRequest::default();
                let mut path = ::std::string::String::with_capacity(#cap);
                #(#path_pieces)*
                w.path = ::std::option::Option::Some(path);
                #(#others)*
                #body
                #whole
                w
            }
        }
    }
}

/// The serde impls of a response whose body is one value (a ROA array at the top level, a
/// string), held in its `body` field: `Deserialize` always (no body is `None`), `Serialize`
/// with `decode`.
pub(crate) fn whole_body_serde(name: &Name, field: &Name) -> (TokenStream, TokenStream) {
    let field = ident(field);
    let de = quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                ::std::result::Result::Ok(#name { #field: ::alicloud_runtime::roa::whole_body(d)? })
            }
        }
    };
    let ser = quote! {
        #[cfg(feature = "decode")]
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                ::serde::Serialize::serialize(&self.#field, s)
            }
        }
    };
    (de, ser)
}
