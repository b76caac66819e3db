//! Wire encoding: requests into query/body parameters (plain, flat, JSON, joined styles), and
//! the parameter table the `decode` feature reads requests back with.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{allow_deprecated, ident};
use crate::model::FieldModel;
use crate::names::Name;
use crate::spec::{Location, Style};

pub(crate) fn flat_impl(name: &Name, fields: &[FieldModel]) -> TokenStream {
    let items = fields.iter().map(|f| {
        let n = ident(&f.rust);
        let wire = &f.wire;
        quote!(::alicloud_runtime::wire::FlatEncode::encode_flat(&self.#n, &path.field(#wire), out);)
    });
    let allow = allow_deprecated(fields);
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

pub(crate) fn to_wire_impl(name: &Name, params: &[FieldModel]) -> TokenStream {
    let items = params.iter().map(|f| {
        let n = ident(&f.rust);
        let wire = &f.wire;
        let target = match f.location {
            Location::Query => quote!(w.query),
            Location::Body => quote!(w.body),
            Location::Header => quote!(w.headers),
            // ROA only (the checker refuses them in RPC operations; `emit::roa` sends them).
            Location::Path | Location::WholeBody => return quote!(),
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
    let allow = allow_deprecated(params);
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

pub(crate) fn decode_impl(name: &Name, params: &[FieldModel]) -> TokenStream {
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
