//! Wire encoding: requests into query/body parameters (plain, flat, JSON, joined styles), and
//! the parameter table the `decode` feature reads requests back with.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{allow_deprecated, ident};
use crate::model::FieldModel;
use crate::names::Name;
use crate::spec::{Location, Style};

/// Where a field is: a request's parameter (sent as its style says) or an object's field
/// (flattened, whatever style its parameter has).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Within {
    Request,
    Object,
}

/// Whether a field's parameters sit below its own key (`Name.1`, `Name.Field`) rather than at it.
fn nested(f: &FieldModel, within: Within) -> bool {
    (within == Within::Object || matches!(f.style, Style::Flat | Style::RepeatList))
        && !f.ty.is_single_value()
}

/// What a field's keys sort by: its wire name, with the `.` every key below it has after that.
fn order_key(f: &FieldModel, within: Within) -> String {
    if nested(f, within) {
        format!("{}.", f.wire)
    } else {
        f.wire.clone()
    }
}

/// `fields` in signing order (bytewise by key, as ACS3 sorts the parameters), so that encoding
/// pushes them sorted and nothing is sorted at run time; and whether that order is certain. It
/// is unless one field's keys could fall among a nested field's (a wire name `A.B` beside a
/// list `A`), which no metadata has but a spec may: then the encoder tells the list to sort.
pub(crate) fn in_wire_order<'a>(
    fields: impl IntoIterator<Item = &'a FieldModel>,
    within: Within,
) -> (Vec<&'a FieldModel>, bool) {
    let mut keyed: Vec<(String, &FieldModel)> = fields
        .into_iter()
        .map(|f| (order_key(f, within), f))
        .collect();
    keyed.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    // Sorted, a key that starts with a nested field's prefix comes right after it.
    let certain = keyed
        .windows(2)
        .all(|w| !(w[0].0.ends_with('.') && w[1].0.starts_with(&w[0].0)));
    (keyed.into_iter().map(|(_, f)| f).collect(), certain)
}

/// The statement that pushes the parameters of field `f`, whose value `value` (a reference) is
/// set, into a `ParamList` positioned at the field's parent: `list` as a method receiver,
/// `out` as a `&mut` argument.
pub(crate) fn push_field(
    f: &FieldModel,
    within: Within,
    value: TokenStream,
    (list, out): (TokenStream, TokenStream),
) -> TokenStream {
    let wire = &f.wire;
    let style = match within {
        Within::Request => f.style,
        Within::Object => Style::Flat,
    };
    match style {
        Style::Json => quote!(::alicloud_runtime::wire::encode_json(#value, #wire, #out);),
        Style::Simple | Style::SpaceDelimited | Style::PipeDelimited => {
            let sep = match style {
                Style::Simple => ',',
                Style::SpaceDelimited => ' ',
                _ => '|',
            };
            quote!(::alicloud_runtime::wire::encode_joined(#value, #sep, #wire, #out);)
        }
        // The key's characters are checked here rather than at every call.
        _ if nested(f, within) && alicloud_rules::is_unreserved(wire) => {
            quote!(#list.flat_field(#wire, #value);)
        }
        _ if nested(f, within) => quote!(#list.flat_field_escaped(#wire, #value);),
        _ if alicloud_rules::is_unreserved(wire) => quote!(#list.push_field(#wire, #value);),
        _ => quote!(#list.push_field_escaped(#wire, #value);),
    }
}

/// The statement that lets `out` sort when the order of its pushes is not certain.
pub(crate) fn unordered(certain: bool, out: TokenStream) -> TokenStream {
    if certain {
        quote!()
    } else {
        quote!(#out.unordered();)
    }
}

pub(crate) fn flat_impl(name: &Name, fields: &[FieldModel]) -> TokenStream {
    let (ordered, certain) = in_wire_order(fields, Within::Object);
    let items = ordered.iter().map(|f| {
        let n = ident(&f.rust);
        let push = push_field(f, Within::Object, quote!(value), (quote!(out), quote!(out)));
        quote! {
            if let ::std::option::Option::Some(value) = &self.#n {
                #push
            }
        }
    });
    let unordered = unordered(certain, quote!(out));
    let allow = allow_deprecated(fields);
    quote! {
        impl ::alicloud_runtime::wire::FlatEncode for #name {
            #allow
            #[inline]
            fn encode_flat(&self, out: &mut ::alicloud_runtime::ParamList) {
                #unordered
                #(#items)*
            }
        }
    }
}

pub(crate) fn to_wire_impl(name: &Name, params: &[FieldModel]) -> TokenStream {
    let mut items = Vec::new();
    for (location, target) in [
        (Location::Query, quote!(w.query)),
        (Location::Body, quote!(w.body)),
        (Location::Header, quote!(w.headers)),
    ] {
        // ROA's path and whole-body parameters are sent by `emit::roa`.
        let (ordered, certain) = in_wire_order(
            params.iter().filter(|f| f.location == location),
            Within::Request,
        );
        if !ordered.is_empty() {
            items.push(unordered(certain, target.clone()));
        }
        items.extend(ordered.iter().map(|f| {
            let n = ident(&f.rust);
            let push = push_field(
                f,
                Within::Request,
                quote!(value),
                (target.clone(), quote!(&mut #target)),
            );
            quote! {
                if let ::std::option::Option::Some(value) = &self.#n {
                    #push
                }
            }
        }));
    }
    let allow = allow_deprecated(params);
    let body = if items.is_empty() {
        quote!(::alicloud_runtime::WireRequest::default())
    } else {
        quote! {
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
            Style::Plain => return quote!(::alicloud_runtime::decode::WireParam::plain(#wire)),
            Style::Json => quote!(Json),
            Style::Flat | Style::RepeatList => quote!(Flat),
            Style::Simple => quote!(Joined(',')),
            Style::SpaceDelimited => quote!(Joined(' ')),
            Style::PipeDelimited => quote!(Joined('|')),
        };
        quote!(::alicloud_runtime::decode::WireParam::new(#wire, ::alicloud_runtime::decode::WireStyle::#style))
    });
    quote! {
        #[cfg(feature = "decode")]
        impl ::alicloud_runtime::decode::WireDecode for #name {
            const PARAMS: &'static [::alicloud_runtime::decode::WireParam] = &[#(#entries),*];
        }
    }
}
