//! Enum shapes: known values as variants, plus an opaque `Unknown` for values the service
//! adds later, so that nothing it answers is refused.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::tokens::{doc_text, docs, ident};
use crate::model::ShapeModel;

pub(crate) fn enum_def(s: &ShapeModel, variants: &[crate::model::VariantModel]) -> TokenStream {
    let name = ident(&s.rust);
    let mut doc = if s.description.is_empty() {
        format!("Values of `{}`.", s.name)
    } else {
        s.description.clone()
    };
    doc.push_str("\n\nValues this crate does not know yet are kept in [`");
    doc.push_str(s.rust.as_str());
    doc.push_str("::Unknown`]; parsing text (`FromStr`, `From<&str>`) always picks the known variant when there is one.");
    let doc = docs(&doc);
    let vnames: Vec<Ident> = variants.iter().map(|v| ident(&v.rust)).collect();
    let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
    // Known values with nothing to escape are copied unscanned when a request is encoded.
    let plain = values
        .iter()
        .all(|v| alicloud_rules::is_unreserved(v))
        .then(|| {
            quote! {
                #[inline]
                fn is_plain(&self) -> bool {
                    !matches!(self, Self::Unknown(_))
                }
            }
        });
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
                ::alicloud_runtime::de::from_text(d)
            }
        }
        impl ::alicloud_runtime::wire::WireValue for #name {
            #[inline]
            fn write_wire(&self, out: &mut ::std::string::String) {
                out.push_str(self.as_str());
            }
            #plain
        }
    }
}
