//! Paginators: a stream of pages for `PageNumber`/`PageSize` and `NextToken` operations.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::ident;
use crate::model::{OperationModel, Paging, ProductModel, Scalar, ShapeKind, Ty};

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

/// The length of the page's item list, and whether reading it touches a deprecated field.
fn items_len(
    model: &ProductModel,
    op: &OperationModel,
    items: &Option<Vec<usize>>,
) -> (TokenStream, bool) {
    let Some(path) = items else {
        // Unknown item list: assume a page is not empty, and rely on the total.
        return (quote!(1usize), false);
    };
    let mut fields = &op.response;
    let mut expr = quote!(resp);
    let mut deprecated = false;
    for (depth, idx) in path.iter().enumerate() {
        let f = &fields[*idx];
        deprecated |= f.deprecated;
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
    (quote!(#expr.map_or(0, |list| list.len())), deprecated)
}

/// A paged operation's code: the builder's `into_paginator` method (for its client-bound impl
/// block) and the module's `next_page` function.
pub struct Paginator {
    /// `pub fn into_paginator(self)`.
    pub method: TokenStream,
    /// `fn next_page(req, resp)`.
    pub next_page: TokenStream,
}

pub(crate) fn paginator(model: &ProductModel, op: &OperationModel, paging: &Paging) -> Paginator {
    let (req, resp, err) = (&op.request_type, &op.response_type, &op.error_type);
    // Whether `next_page` reads or sets a deprecated field (ECS's `PageNumber`): the service
    // still pages by it, and our own code must compile without warnings.
    let mut touches_deprecated = false;
    let (next_body, how) = match paging {
        Paging::Number {
            page_number,
            page_size,
            page,
            total,
            resp_page_number,
            resp_page_size,
            items,
        } => {
            // The fields holding the paging figures: the response's, or its page object's.
            let (page_fields, page_expr) = match page {
                Some(p) => {
                    let f = &op.response[*p];
                    touches_deprecated |= f.deprecated;
                    let n = ident(&f.rust);
                    let fields = match &f.ty {
                        Ty::Object(s) => match &model.shapes[*s].kind {
                            ShapeKind::Object { fields, .. } => fields.as_slice(),
                            ShapeKind::Enum { .. } => &[],
                        },
                        _ => &[],
                    };
                    (fields, Some(n))
                }
                None => (op.response.as_slice(), None),
            };
            // `Option<_>` of a paging figure of `resp`.
            let figure = |f: &crate::model::FieldModel| {
                let n = ident(&f.rust);
                let value = match &page_expr {
                    Some(p) => quote!(resp.#p.as_ref().and_then(|p| p.#n)),
                    None => quote!(resp.#n),
                };
                opt_i64(value, &f.ty)
            };
            let pn = &op.params[*page_number];
            touches_deprecated |= pn.deprecated
                || page_size.is_some_and(|i| op.params[i].deprecated)
                || page_fields[*total].deprecated
                || resp_page_number.is_some_and(|i| page_fields[i].deprecated)
                || resp_page_size.is_some_and(|i| page_fields[i].deprecated);
            let pn_field = ident(&pn.rust);
            let req_pn = opt_i64(quote!(req.#pn_field), &pn.ty);
            let current = match resp_page_number {
                Some(i) => {
                    let r = figure(&page_fields[*i]);
                    quote!(#r.or(#req_pn).unwrap_or(1))
                }
                None => quote!(#req_pn.unwrap_or(1)),
            };
            let req_size = page_size.map(|i| {
                let f = &op.params[i];
                let n = ident(&f.rust);
                opt_i64(quote!(req.#n), &f.ty)
            });
            let resp_size = resp_page_size.map(|i| figure(&page_fields[i]));
            let size = match (resp_size, req_size) {
                (Some(r), Some(q)) => quote!(#r.or(#q)),
                (Some(r), None) => r,
                (None, Some(q)) => q,
                (None, None) => quote!(::std::option::Option::None),
            };
            let total = figure(&page_fields[*total]);
            let (items, items_deprecated) = items_len(model, op, items);
            touches_deprecated |= items_deprecated;
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
            let (items, items_deprecated) = items_len(model, op, items);
            touches_deprecated |= items_deprecated
                || op.params[*token].deprecated
                || op.response[*resp_token].deprecated;
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
    let allow = touches_deprecated.then(|| quote!(#[allow(deprecated)]));
    Paginator {
        method: quote! {
            #[doc = #doc]
            #[inline]
            pub fn into_paginator(self) -> ::alicloud_runtime::paginate::Pages<#req, #resp, #err> {
                let strategy = ::alicloud_runtime::paginate::PageStrategy { next: next_page };
                let core = self.client.core().clone();
                match self.check_required() {
                    ::std::result::Result::Ok(()) => ::alicloud_runtime::paginate::Pages::new(core, &META, self.inner, self.options, strategy),
                    ::std::result::Result::Err(e) => ::alicloud_runtime::paginate::Pages::failed(core, &META, e.into(), strategy),
                }
            }
        },
        next_page: quote! {
            /// The request of the page after `resp`, or `None` after the last page.
            #allow
            #[inline]
            fn next_page(req: &#req, resp: &#resp) -> ::std::option::Option<#req> {
                #next_body
            }
        },
    }
}
