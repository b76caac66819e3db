//! An operation's module (request, builder, response, error documentation, metadata) and its
//! methods on the client.
//!
//! A module reads top-down as a user would: the request and how to build it, the builder
//! (one `impl` block for what needs a client), the response and the errors, the operation's
//! own shapes, then the impls that validate and encode, the metadata, and last everything
//! behind the `decode` feature.

use std::fmt::Write as _;

use proc_macro2::TokenStream;
use quote::quote;

use super::errors::error_enum;
use super::paginate::paginator;
use super::roa::{roa_to_wire_impl, whole_body_serde};
use super::shape::{
    peek_text, required_checks, required_text, setters, setters_text, FieldDocs, Gate, StructDef,
};
use super::text;
use super::tokens::{allow_deprecated, doc_text, docs, ident, Code};
use super::validate::{validate_impl, RequiredFields};
use super::waiter::{poll_method, waiter};
use super::wire::{decode_impl, to_wire_impl};
use crate::model::{OperationModel, ProductModel};
use crate::spec::{ApiStyle, Location};

/// An operation's code: its module's body, and its methods for the client's one `impl
/// Client` block (client.rs).
pub struct OperationCode {
    /// The module (doc included).
    pub module: TokenStream,
    /// The client methods.
    pub client_methods: TokenStream,
}

/// Emits an operation's module, with the shapes it owns (`own`, already emitted).
pub fn operation(model: &ProductModel, op: &OperationModel, own: Vec<Code>) -> OperationCode {
    let (req, builder, resp) = (&op.request_type, &op.builder_type, &op.response_type);
    let err = &op.error_type;
    let action = &op.spec.name;
    let method = &op.method;

    let mut req_doc = format!("Request of `{action}`: {}", op.spec.description);
    req_doc.push_str(&format!(
        "\n\nBuild one with [`{req}::builder`], or call [`crate::Client::{}`].",
        method.as_str()
    ));
    let request = StructDef {
        name: req,
        doc: &req_doc,
        fields: &op.params,
        field_docs: FieldDocs::Parameters,
        serialize: Gate::Decode,
        deserialize: Gate::Decode,
        extra: false,
    }
    .emit(model);
    let validation = validate_impl(
        model,
        req,
        &op.params,
        &op.spec.rules,
        RequiredFields::Reported,
        false,
    );
    let to_wire = match (model.product.style, &op.spec.path) {
        (ApiStyle::Roa, Some(path)) => roa_to_wire_impl(req, &op.params, path),
        _ => to_wire_impl(req, &op.params),
    };
    let decode = decode_impl(req, &op.params);
    let example = super::example::response_example(model, op);
    let served_path = match (model.product.style, &op.spec.path) {
        (ApiStyle::Roa, Some(path)) => quote!(::std::option::Option::Some(#path)),
        _ => quote!(::std::option::Option::None),
    };
    let whole_body = match op.params.iter().find(|f| f.location == Location::WholeBody) {
        Some(f) => {
            let wire = &f.wire;
            quote!(::std::option::Option::Some(#wire))
        }
        None => quote!(::std::option::Option::None),
    };

    let resp_doc = format!("Response of `{action}`.");
    let response = StructDef {
        name: resp,
        doc: &resp_doc,
        fields: &op.response,
        field_docs: FieldDocs::Fields,
        serialize: Gate::Decode,
        deserialize: Gate::Always,
        extra: false,
    }
    .emit(model);

    let err_def = error_enum(op);
    let pages = op.paging.as_ref().map(|p| paginator(model, op, p));
    let into_paginator = pages.as_ref().map(|p| &p.method);
    let next_page = pages.as_ref().map(|p| &p.next_page);
    let waiters = op.waiters.iter().map(|w| waiter(op, w));

    let product = &model.product.code;
    let version = &model.product.version;
    let pattern = &model.product.endpoint.pattern;
    let http = op.spec.http_method.as_str();
    let anonymous = op.spec.auth == crate::spec::Auth::Anonymous;
    let token = match op.params.iter().find(|p| p.idempotency_token) {
        Some(p) => {
            let w = &p.wire;
            quote!(::std::option::Option::Some(#w))
        }
        None => quote!(::std::option::Option::None),
    };
    let infos = op.errors.iter().map(|e| {
        let c = &e.code;
        match e.retryable {
            Some(v) => quote! {
                ::alicloud_runtime::ErrorInfo { code: #c, retryable: ::std::option::Option::Some(#v) }
            },
            None => quote!(::alicloud_runtime::ErrorInfo::code(#c)),
        }
    });

    let deprecated = op
        .spec
        .deprecated
        .then(|| quote!(#[deprecated(note = "the service deprecated this operation")]));
    let mut method_doc = format!("`{action}`: {}", op.spec.description);
    if let Some(a) = &op.spec.asynchronous {
        method_doc.push_str(&format!(
            "\n\nAsynchronous: the call returns before the change is done; poll `{}` (every {} ms, at most {} times) to see it finish, e.g. with [`Client::{}`](crate::Client::{}).",
            a.poll_operation, a.interval_ms, a.max_attempts, op.poll_method.as_ref().map_or("", |m| m.as_str()), op.poll_method.as_ref().map_or("", |m| m.as_str())
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

    let module_doc = doc_text(&format!(" `{action}`: {}", op.spec.description));
    let (req_def, req_serde, req_decode) = (request.def, request.serde, request.decode);
    let (resp_def, resp_serde, resp_decode) = match &op.spec.response_body {
        Some(_) if !op.response.is_empty() => {
            let field = &op.response[op.response.len() - 1].rust;
            let (serde, decode) = whole_body_serde(resp, field);
            (response.def, serde, decode)
        }
        _ => (response.def, response.serde, response.decode),
    };
    let validate_method = validation.method;
    let validate = validation.trait_impl;
    let own_items = own.iter().map(|c| &c.items);
    let own_decode = own.iter().map(|c| &c.decode);
    let builder_impl = match builder_text(model, op) {
        Some(t) => text::item(&t),
        None => {
            let setters = setters(model, &op.params);
            let required = required_checks(&op.params, action);
            let allow_dep = allow_deprecated(&op.params);
            quote! {
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
            }
        }
    };
    let module = quote! {
        #![doc = #module_doc]
        #req_def
        impl #req {
            /// A builder with every field unset.
            #[inline]
            pub fn builder() -> #builder {
                #builder { client: (), inner: ::std::default::Default::default(), options: ::std::default::Default::default() }
            }
            #validate_method
        }
        #[doc = " Builder of the request; with a client (from [`crate::Client`]) it also sends it: `send()` yields the typed answer, `send_with_metadata()` the answer with its status, headers and request id; `with_options(..)` first sets this call's deadline, retries, endpoint or validation."]
        #[derive(Clone)]
        pub struct #builder<C = ()> {
            client: C,
            inner: #req,
            options: ::alicloud_runtime::client::CallOptions,
        }
        /// The request built so far (redacted as the request is); not the client.
        impl<C> ::std::fmt::Debug for #builder<C> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.inner, f)
            }
        }
        #builder_impl
        impl #builder<crate::Client> {
            /// The builder behind [`crate::Client`]'s method for this operation.
            #[inline]
            pub(crate) fn with_client(client: crate::Client) -> Self {
                #builder { client, inner: ::std::default::Default::default(), options: ::std::default::Default::default() }
            }
            /// Skips client-side validation for this call (the service still validates).
            #[inline]
            pub fn skip_validation(mut self) -> Self {
                self.options = self.options.validation(false);
                self
            }
            /// Settings of this call that override the client's configuration: deadline,
            /// retries, endpoint, validation (see [`CallOptions`](::alicloud_runtime::client::CallOptions));
            /// settings given here override those given earlier.
            #[inline]
            pub fn with_options(mut self, options: ::alicloud_runtime::client::CallOptions) -> Self {
                self.options = self.options.merge(options);
                self
            }
            /// Validates, signs and sends the request, and decodes the answer (once awaited).
            #[inline]
            pub fn send(self) -> ::alicloud_runtime::client::Sending<#req, #resp, #err> {
                let required = self.check_required();
                ::alicloud_runtime::client::Sending::new(self.client.core().clone(), &META, self.inner, self.options, required)
            }
            /// As `send()`, yielding a [`Response`](::alicloud_runtime::client::Response): the
            /// answer with its HTTP status, headers and request id.
            #[inline]
            pub fn send_with_metadata(self) -> ::alicloud_runtime::client::Sending<#req, #resp, #err, ::alicloud_runtime::client::WithMetadata> {
                self.send().with_metadata()
            }
            #into_paginator
        }
        #resp_def
        #err_def
        #(#waiters)*
        #(#own_items)*
        #validate
        #to_wire
        #req_serde
        #resp_serde
        #next_page
        /// What the client core needs to know to send this operation.
        #[doc(hidden)]
        pub static META: ::alicloud_runtime::OperationMeta = ::alicloud_runtime::OperationMeta {
            product: #product,
            version: #version,
            action: #action,
            endpoint_pattern: #pattern,
            endpoints: &crate::client::ENDPOINTS,
            method: #http,
            idempotency_token: #token,
            anonymous: #anonymous,
            errors: &[#(#infos),*],
        };
        #req_decode
        #decode
        /// This operation as a server sees it (emulators): metadata, decoding with validation,
        /// and a well-formed answer synthesised from the response model.
        #[cfg(feature = "decode")]
        #[doc(hidden)]
        pub static SERVED: ::alicloud_runtime::decode::ServedOperation = ::alicloud_runtime::decode::ServedOperation {
            meta: &META,
            decode: ::alicloud_runtime::decode::decode_checked::<#req>,
            response_example: #example,
            path: #served_path,
            whole_body: #whole_body,
            decode_json: ::alicloud_runtime::decode::decode_checked_json::<#req>,
        };
        #[cfg(feature = "test-util")]
        impl ::alicloud_runtime::mock::MockOperation for #req {
            type Response = #resp;
            fn meta() -> &'static ::alicloud_runtime::OperationMeta {
                &META
            }
        }
        #resp_decode
        #(#own_decode)*
    };
    let module_path = &op.module;
    let cfg = op.feature.as_ref().map(|f| quote!(#[cfg(feature = #f)]));
    let waiter_methods = op.waiters.iter().map(|w| {
        let (name, wmethod) = (&w.rust, &w.method);
        let list = |v: &[String]| v.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
        let wdoc = format!(
            " Waits until `{}` says `{}` is {}: see [`crate::operation::{}::{}`].",
            op.spec.name,
            w.spec.status_field,
            list(&w.spec.success),
            op.module.as_str(),
            name.as_str()
        );
        let wdoc = doc_text(&wdoc);
        quote! {
            #cfg
            #[doc = #wdoc]
            #[inline]
            pub fn #wmethod(&self, request: crate::operation::#module_path::#req) -> crate::operation::#module_path::#name {
                crate::operation::#module_path::#name::new(self.clone(), request)
            }
        }
    });
    let poll_method = poll_method(model, op);
    let client_methods = quote! {
        #cfg
        #method_doc
        #deprecated
        #[inline]
        pub fn #method(&self) -> crate::operation::#module_path::#builder<crate::Client> {
            crate::operation::#module_path::#builder::with_client(self.clone())
        }
        #(#waiter_methods)*
        #poll_method
    };
    OperationCode {
        module,
        client_methods,
    }
}

/// The `impl<C>` block of an operation's builder (setters, `peek`, `check_required`, `build`)
/// as text ([`text`]), or `None` where a line needs a layout it does not write.
fn builder_text(model: &ProductModel, op: &OperationModel) -> Option<String> {
    let req = ident(&op.request_type).to_string();
    let builder = ident(&op.builder_type).to_string();
    if text::width(&builder) + 14 > text::WIDTH {
        return None;
    }
    let mut t = String::with_capacity(2048);
    let _ = writeln!(t, "impl<C> {builder}<C> {{");
    t.push_str(&setters_text(model, &op.params)?);
    peek_text(&mut t, "request", "parameter", &req)?;
    if op.params.iter().any(|f| f.deprecated) {
        t.push_str("    #[allow(deprecated)]\n");
    }
    t.push_str("    #[inline]\n");
    let unit = format!(
        "{}<(), ::alicloud_runtime::BuildError>",
        text::std("Result")
    );
    text::signature(&mut t, 4, "fn check_required", &["&self"], Some(&unit))?;
    required_text(&mut t, &op.params, &op.spec.name);
    let _ = writeln!(t, "        {}(())\n    }}", text::std("Ok"));
    t.push_str(
        "    /// The request; fails naming the first required parameter left unset.\n    #[inline]\n",
    );
    let ret = format!(
        "{}<{req}, ::alicloud_runtime::BuildError>",
        text::std("Result")
    );
    text::signature(&mut t, 4, "pub fn build", &["self"], Some(&ret))?;
    let _ = writeln!(
        t,
        "        self.check_required()?;\n        {}(self.inner)\n    }}\n}}",
        text::std("Ok")
    );
    Some(t)
}
