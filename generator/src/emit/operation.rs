//! An operation's module (request, builder, response, error documentation, metadata) and its
//! methods on the client.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::errors::error_enum;
use super::paginate::paginator;
use super::shape::{required_checks, setters, struct_def, Gate};
use super::validate::validate_impl;
use super::waiter::{poll_method, poll_method_name, waiter};
use super::wire::{decode_impl, to_wire_impl};
use super::{doc_text, docs, ident};
use crate::model::{OperationModel, ProductModel};
use crate::spec::HttpMethod;

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
